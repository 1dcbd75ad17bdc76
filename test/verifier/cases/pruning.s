# case: join_index_one_path_unsafe
# The second path's index is out of range: state pruning at the join must not hide it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=84 size=1
# insn: 8
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 == 0 goto join
r6 = 100
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_index_both_paths_safe
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 == 0 goto join
r6 = 8
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_index_unsafe_path_first
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=84 size=1
# insn: 8
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r6 = 100
if r2 == 0 goto join
r6 = 0
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_spilled_index_one_path_unsafe
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=48 size=1
# insn: 11
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r6 = 0
*(u64 *)(r10 - 24) = r6
if r2 == 0 goto join
r6 = 64
*(u64 *)(r10 - 24) = r6
join:
r6 = *(u64 *)(r10 - 24)
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_spilled_pointer_or_scalar
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r1
if r2 == 0 goto join
r3 = 0
*(u64 *)(r10 - 8) = r3
join:
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: join_spilled_pointer_both_paths
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r1
if r2 == 0 goto join
*(u64 *)(r10 - 8) = r1
join:
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: join_r0_set_on_one_path
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 3
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto join
r0 = 1
join:
r0 += 1
exit
---
# case: callee_called_safe_then_unsafe
# type: socket_filter
# expect: reject
# error: invalid write to stack R2 off=84 size=1
# insn: 10
# errno: EACCES
r1 = 0
call f
r1 = 100
call f
r0 = 0
exit
f:
r2 = r10
r2 += -16
r2 += r1
r3 = 0
*(u8 *)(r2 + 0) = r3
r0 = 0
exit
---
# case: callee_called_twice_both_safe
# type: socket_filter
# expect: accept
r1 = 0
call f
r1 = 15
call f
r0 = 0
exit
f:
r2 = r10
r2 += -16
r2 += r1
r3 = 0
*(u8 *)(r2 + 0) = r3
r0 = 0
exit
---
# case: callee_called_with_ctx_then_scalar
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 5
# errno: EACCES
call f
r1 = 0
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 0)
exit
---
# case: callee_on_two_paths_different_stack_pointers
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+-4+0 size 8
# insn: 10
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -8
if r2 == 0 goto call_it
r1 = r10
r1 += -4
call_it:
call f
r0 = 0
exit
f:
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: loop_index_grows_past_buffer
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=8
# insn: 5
# errno: EACCES
r6 = 0
l:
r1 = r10
r1 += -32
r1 += r6
r3 = 0
*(u64 *)(r1 + 0) = r3
r6 += 8
if r6 < 40 goto l
r0 = 0
exit
---
# case: loop_index_stays_in_buffer
# type: socket_filter
# expect: accept
r6 = 0
l:
r1 = r10
r1 += -32
r1 += r6
r3 = 0
*(u64 *)(r1 + 0) = r3
r6 += 8
if r6 < 32 goto l
r0 = 0
exit
---
# case: two_lookups_check_one_deref_other
# type: socket_filter
# map: hash 4 8 4
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 13
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r6 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: two_lookups_check_both
# type: socket_filter
# map: hash 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
r0 = *(u64 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: null_checked_value_spilled_and_filled
# type: socket_filter
# map: hash 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
*(u64 *)(r10 - 16) = r0
if r0 == 0 goto out
r1 = *(u64 *)(r10 - 16)
r0 = *(u64 *)(r1 + 0)
out:
r0 = 0
exit
---
# case: value_or_null_spilled_checked_after_fill
# type: socket_filter
# map: hash 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
*(u64 *)(r10 - 16) = r0
r1 = *(u64 *)(r10 - 16)
if r0 == 0 goto out
r0 = *(u64 *)(r1 + 0)
out:
r0 = 0
exit
---
# case: imprecise_scalar_many_paths_then_index
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 & 1 goto a
r6 += 1
a:
if r2 & 2 goto b
r6 += 2
b:
if r2 & 4 goto c
r6 += 4
c:
if r2 & 8 goto d
r6 += 8
d:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: imprecise_scalar_many_paths_one_overflows
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=1
# insn: 14
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 & 1 goto a
r6 += 1
a:
if r2 & 2 goto b
r6 += 2
b:
if r2 & 4 goto c
r6 += 4
c:
if r2 & 8 goto d
r6 += 9
d:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: callee_return_differs_per_path
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=1
# insn: 6
# errno: EACCES
r1 = *(u32 *)(r1 + 0)
call f
r1 = r10
r1 += -16
r1 += r0
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
f:
r0 = 0
if r1 == 7 goto big
exit
big:
r0 = 16
exit
---
# case: join_index_one_path_unsafe_in_subprog
# join_index_one_path_unsafe run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=84 size=1
# insn: 10
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 == 0 goto join
r6 = 100
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_index_both_paths_safe_in_subprog
# join_index_both_paths_safe run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 == 0 goto join
r6 = 8
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_index_unsafe_path_first_in_subprog
# join_index_unsafe_path_first run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=84 size=1
# insn: 10
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 100
if r2 == 0 goto join
r6 = 0
join:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_spilled_index_one_path_unsafe_in_subprog
# join_spilled_index_one_path_unsafe run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=48 size=1
# insn: 13
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 0
*(u64 *)(r10 - 24) = r6
if r2 == 0 goto join
r6 = 64
*(u64 *)(r10 - 24) = r6
join:
r6 = *(u64 *)(r10 - 24)
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: join_spilled_pointer_or_scalar_in_subprog
# join_spilled_pointer_or_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r1
if r2 == 0 goto join
r3 = 0
*(u64 *)(r10 - 8) = r3
join:
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: join_spilled_pointer_both_paths_in_subprog
# join_spilled_pointer_both_paths run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r1
if r2 == 0 goto join
*(u64 *)(r10 - 8) = r1
join:
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: join_r0_set_on_one_path_in_subprog
# join_r0_set_on_one_path run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
if r2 == 0 goto join
r0 = 1
join:
r0 += 1
exit
---
# case: loop_index_grows_past_buffer_in_subprog
# loop_index_grows_past_buffer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=8
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r6 = 0
l:
r1 = r10
r1 += -32
r1 += r6
r3 = 0
*(u64 *)(r1 + 0) = r3
r6 += 8
if r6 < 40 goto l
r0 = 0
exit
---
# case: loop_index_stays_in_buffer_in_subprog
# loop_index_stays_in_buffer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r6 = 0
l:
r1 = r10
r1 += -32
r1 += r6
r3 = 0
*(u64 *)(r1 + 0) = r3
r6 += 8
if r6 < 32 goto l
r0 = 0
exit
---
# case: two_lookups_check_one_deref_other_in_subprog
# two_lookups_check_one_deref_other run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 4
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 15
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r6 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: two_lookups_check_both_in_subprog
# two_lookups_check_both run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 4
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
r0 = *(u64 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: null_checked_value_spilled_and_filled_in_subprog
# null_checked_value_spilled_and_filled run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 4
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
*(u64 *)(r10 - 16) = r0
if r0 == 0 goto out
r1 = *(u64 *)(r10 - 16)
r0 = *(u64 *)(r1 + 0)
out:
r0 = 0
exit
---
# case: value_or_null_spilled_checked_after_fill_in_subprog
# value_or_null_spilled_checked_after_fill run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 4
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
*(u64 *)(r10 - 16) = r0
r1 = *(u64 *)(r10 - 16)
if r0 == 0 goto out
r0 = *(u64 *)(r1 + 0)
out:
r0 = 0
exit
---
# case: imprecise_scalar_many_paths_then_index_in_subprog
# imprecise_scalar_many_paths_then_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 & 1 goto a
r6 += 1
a:
if r2 & 2 goto b
r6 += 2
b:
if r2 & 4 goto c
r6 += 4
c:
if r2 & 8 goto d
r6 += 8
d:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: imprecise_scalar_many_paths_one_overflows_in_subprog
# imprecise_scalar_many_paths_one_overflows run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=1
# insn: 16
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r6 = 0
if r2 & 1 goto a
r6 += 1
a:
if r2 & 2 goto b
r6 += 2
b:
if r2 & 4 goto c
r6 += 4
c:
if r2 & 8 goto d
r6 += 9
d:
r1 = r10
r1 += -16
r1 += r6
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: precision_propagates_from_a_pruned_path
# Found by the differential fuzz. The first path through f4 reaches f5 with r9 in [44, 91], where the branch
# is always taken; a later path pruned inside f4 against that path must carry r9's precision back to the
# checkpoints of f1, so the path where f2 returns an unbounded r0 is not pruned and reaches the bad load.
# type: socket_filter
# map: array 4 48 16
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 41
# errno: EACCES
r8 = 52
call f1
exit
f1:
r9 = 44
r2 = r10
call f2
r9 += r0
r2 = r10
r2 += -16
call f4
r3 = r9
call f5
exit
f2:
r8 = 62
call f3
exit
f3:
r8 = 81
r9 = r8
r1 = map0 ll
r2 += -56
call 1
if r0 == 0 goto L6
r1 = *(u64 *)(r0 + 8)
r9 += r1
r1 = r9
if r1 > 47 goto L6
L6:
r0 = r9
exit
f4:
r9 = 4
r1 = map0 ll
call 1
if r0 == 0 goto L12
L12:
r0 = r9
exit
f5:
r8 = r3
r9 = r8
r1 = r9
if r1 > 24 goto L13
r1 = 0
r0 = *(u8 *)(r1 + 0)
L13:
r0 = r9
exit
---
# case: scalar_added_to_a_pointer_is_precise
# Found by the differential fuzz. The scalar added to a pointer is marked precise, so the second path
# (r2 above 100) is not pruned at `join` against the first (r2 = 8) and reaches the bad access.
# type: socket_filter
# flags: test_state_freq
# expect: reject
# error: invalid unbounded variable-offset read from stack R3
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
if r2 > 100 goto join
r2 = 8
join:
r3 = r10
r3 += r2
r0 = *(u8 *)(r3 - 16)
r0 = 0
exit
---
# case: spilled_scalar_covers_unknown_bytes
# A 64-bit spilled scalar and eight bytes of unknown data compare as registers (kernel scalar_reg_for_stack):
# the second path reaches `join` with fp-8 scrubbed to unknown bytes and is pruned against the first, whose
# spilled zero is imprecise (the log and the processed count show it).
# type: socket_filter
# flags: test_state_freq
# expect: accept
r6 = *(u32 *)(r1 + 0)
r7 = 0
*(u64 *)(r10 - 8) = r7
if r6 > 10 goto scrub
r0 = 1
goto join
scrub:
*(u8 *)(r10 - 1) = r6
join:
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
---
# case: precise_spilled_scalar_not_covered_by_unknown_bytes
# The same shape with the filled value added to the frame pointer: the first path's spill becomes precise, the
# unknown bytes of the second path are not within it, so that path is walked and refused.
# type: socket_filter
# flags: test_state_freq
# expect: reject
# error: math between fp pointer and register with unbounded min value is not allowed
# insn: 9
# errno: EINVAL
r6 = *(u32 *)(r1 + 0)
r7 = -16
*(u64 *)(r10 - 8) = r7
if r6 > 10 goto scrub
r0 = 1
goto join
scrub:
*(u8 *)(r10 - 1) = r6
join:
r2 = *(u64 *)(r10 - 8)
r3 = r10
r3 += r2
r0 = *(u8 *)(r3 + 0)
r0 = 0
exit
---
# case: linked_scalar_covers_unlinked_one
# The first path links r6 to r7 (r7 = r6 gives both an id) and r6 becomes precise as a stack offset; the
# second path reaches `join` with the same r6 unlinked. The kernel's check_scalar_ids gives the current
# scalar without an id a fresh one, so the link the old state had is no reason to walk the second path.
# type: socket_filter
# flags: test_state_freq
# expect: accept
r6 = *(u32 *)(r1 + 0)
r6 &= 7
r0 = *(u32 *)(r1 + 4)
if r0 > 10 goto other
r7 = r6
goto join
other:
r7 = 0
join:
r3 = r10
r3 += -8
r3 += r6
r0 = *(u8 *)(r3 + 0)
r0 = 0
exit
---
# case: linked_scalars_not_covered_by_unlinked_ones
# The first path links r7 to r6 and both become precise as stack offsets; the second path reaches `join` with
# r6 and r7 in the same ranges but unlinked. Each current scalar without an id gets its own fresh id, so the
# old link (one id for both) does not map onto them and the second path is walked.
# type: socket_filter
# flags: test_state_freq
# expect: accept
r6 = *(u32 *)(r1 + 0)
r6 &= 7
r0 = *(u32 *)(r1 + 4)
if r0 > 10 goto other
r7 = r6
goto join
other:
r7 = *(u32 *)(r1 + 0)
r7 &= 7
join:
r3 = r10
r3 += -8
r3 += r6
r0 = *(u8 *)(r3 + 0)
r3 = r10
r3 += -8
r3 += r7
r0 = *(u8 *)(r3 + 0)
r0 = 0
exit
---
# case: array_update_with_constant_key
# Any helper given an array's key looks for a constant there (kernel get_constant_map_key), so the spilled
# key becomes precise at bpf_map_update_elem too, not only at a lookup (the log's mark_precise lines).
# type: socket_filter
# map: array 4 8 4
# expect: accept
r1 = 1
*(u32 *)(r10 - 8) = r1
*(u64 *)(r10 - 16) = r1
r2 = r10
r2 += -8
r3 = r10
r3 += -16
r1 = map0 ll
r4 = 0
call 2
r0 = 0
exit
---
# case: null_pointer_argument_is_precise
# A NULL passed where a helper takes a pointer or NULL (bpf_csum_diff's `from`) is relied on being exactly 0,
# so it becomes precise before the size after it does (the log's mark_precise lines).
# type: sched_cls
# expect: accept
r1 = 0
r2 = 0
*(u32 *)(r10 - 8) = r2
r3 = r10
r3 += -8
r4 = 4
r5 = 0
call 28
r0 = 0
exit
---
# case: references_matched_through_ids
# Each path acquires its own socket reference (another id) and reaches `join` holding it; the second path is
# pruned against the first, since a pointer's reference is matched through the id map like the list of
# references, not compared by number.
# type: sched_cls
# flags: test_state_freq
# expect: accept
r6 = r1
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r7 = *(u32 *)(r6 + 0)
if r7 > 10 goto other
r1 = r6
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
goto join
other:
r1 = r6
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
join:
if r0 == 0 goto out
r1 = r0
call 86
out:
r0 = 0
exit
---
# case: precision_ld_abs_forces_all_precise
# Precision cannot be traced back through an LD_ABS result (the kernel's backtracking answers -ENOTSUPP):
# every scalar of every checkpoint above is forced precise instead, with a `force_precise:` line for each.
# type: socket_filter
# flags: test_state_freq
# expect: accept
r6 = r1
r7 = 3
*(u64 *)(r10 - 16) = r7
if r7 == 3 goto next
next:
r0 = *(u8 *)skb[0]
r0 &= 7
r1 = r10
r1 += -8
r1 += r0
r0 = 0
exit
