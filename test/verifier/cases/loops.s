# case: bounded_loop_counter
# type: socket_filter
# expect: accept
r0 = 0
l:
r0 += 1
if r0 < 10 goto l
exit
---
# case: bounded_loop_down_counter
# type: socket_filter
# expect: accept
r1 = 20
r0 = 0
l:
r0 += 2
r1 -= 1
if r1 != 0 goto l
exit
---
# case: bounded_loop_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 0
l:
r0 += 1
if r0 < 16 goto l
exit
---
# case: bounded_loop_calls_callee
# type: socket_filter
# expect: accept
r6 = 0
l:
call f
r6 += 1
if r6 < 8 goto l
r0 = r6
exit
f:
r0 = 0
exit
---
# case: loop_counter_32bit
# type: socket_filter
# expect: accept
w0 = 0
l:
w0 += 1
if w0 < 100 goto l
exit
---
# case: loop_never_terminates_const
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 1
# insn: 2
# errno: EINVAL
r0 = 0
l:
r0 += 0
if r0 == 0 goto l
exit
---
# case: infinite_loop_no_change
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 1
# insn: 1
# errno: EINVAL
r0 = 1
l:
if r0 != 0 goto l
exit
---
# case: infinite_loop_in_callee
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 3
# insn: 3
# errno: EINVAL
call f
exit
f:
r0 = 1
l:
if r0 != 0 goto l
exit
---
# case: loop_bound_from_ctx_unknown
# The only case that reaches the 1M processed-instruction limit: it takes ~40 s (the log holds every step).
# type: socket_filter
# expect: reject
# error: BPF program is too large. Processed 1000001 insn
# insn: 3
# errno: E2BIG
r1 = *(u32 *)(r1 + 0)
r0 = 0
l:
r0 += 1
if r0 < r1 goto l
exit
---
# case: loop_bound_from_ctx_masked
# type: socket_filter
# expect: accept
r1 = *(u32 *)(r1 + 0)
r1 &= 15
r0 = 0
l:
r0 += 1
if r0 < r1 goto l
exit
---
# case: loop_signed_counter
# type: socket_filter
# expect: accept
r0 = -10
l:
r0 += 1
if r0 s< 0 goto l
exit
---
# case: loop_writes_stack_each_iteration
# type: socket_filter
# expect: accept
r1 = 0
l:
r2 = r10
r2 += -64
r3 = r1
r3 <<= 3
r2 += r3
*(u64 *)(r2 + 0) = r1
r1 += 1
if r1 < 8 goto l
r0 = *(u64 *)(r10 - 8)
exit
---
# case: loop_writes_stack_past_end
# type: socket_filter
# expect: reject
# error: invalid write to stack R2 off=0 size=8
# insn: 6
# errno: EACCES
r1 = 0
l:
r2 = r10
r2 += -64
r3 = r1
r3 <<= 3
r2 += r3
*(u64 *)(r2 + 0) = r1
r1 += 1
if r1 < 9 goto l
r0 = 0
exit
---
# case: loop_jset_terminates
# type: socket_filter
# expect: accept
r0 = 1
l:
r0 <<= 1
if r0 & 0x100 goto out
goto l
out:
r0 = 0
exit
---
# case: jset_dead_branch_known_bits
# type: socket_filter
# expect: accept
r0 = 4
if r0 & 3 goto bad
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: jset_live_branch_known_bits
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 3
# errno: EACCES
r0 = 6
if r0 & 3 goto bad
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: jset_unknown_both_paths
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 0)
if r0 & 1 goto odd
r0 = 0
exit
odd:
r0 = 1
exit
---
# case: nested_bounded_loops
# type: socket_filter
# expect: accept
r0 = 0
r1 = 0
outer:
r2 = 0
inner:
r0 += 1
r2 += 1
if r2 < 4 goto inner
r1 += 1
if r1 < 4 goto outer
exit
---
# case: loop_two_exits
# type: socket_filter
# expect: accept
r0 = 0
l:
r0 += 1
if r0 == 7 goto out
if r0 < 20 goto l
out:
exit
---
# case: may_goto_loop
# type: socket_filter
# expect: accept
r0 = 0
l:
may_goto +2
r0 += 1
goto l
exit
---
# case: loop_counter_spilled_to_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
l:
r1 = *(u64 *)(r10 - 8)
r1 += 1
*(u64 *)(r10 - 8) = r1
if r1 < 10 goto l
r0 = 0
exit
---
# case: loop_counter_in_callee_stack
# type: socket_filter
# expect: reject
# error: R1 !read_ok
# insn: 8
# errno: EACCES
r1 = r10
r1 += -8
r2 = 0
*(u64 *)(r10 - 8) = r2
l:
call inc
if r0 < 5 goto l
r0 = 0
exit
inc:
r0 = *(u64 *)(r1 + 0)
r0 += 1
*(u64 *)(r1 + 0) = r0
exit
---
# case: bounded_loop_counter_in_subprog
# bounded_loop_counter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
l:
r0 += 1
if r0 < 10 goto l
exit
---
# case: bounded_loop_down_counter_in_subprog
# bounded_loop_down_counter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 20
r0 = 0
l:
r0 += 2
r1 -= 1
if r1 != 0 goto l
exit
---
# case: loop_counter_32bit_in_subprog
# loop_counter_32bit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
w0 = 0
l:
w0 += 1
if w0 < 100 goto l
exit
---
# case: loop_never_terminates_const_in_subprog
# loop_never_terminates_const run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 4
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
l:
r0 += 0
if r0 == 0 goto l
exit
---
# case: infinite_loop_no_change_in_subprog
# infinite_loop_no_change run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 3
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
l:
if r0 != 0 goto l
exit
---
# case: loop_bound_from_ctx_masked_in_subprog
# loop_bound_from_ctx_masked run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = *(u32 *)(r1 + 0)
r1 &= 15
r0 = 0
l:
r0 += 1
if r0 < r1 goto l
exit
---
# case: loop_signed_counter_in_subprog
# loop_signed_counter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = -10
l:
r0 += 1
if r0 s< 0 goto l
exit
---
# case: loop_writes_stack_each_iteration_in_subprog
# loop_writes_stack_each_iteration run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
l:
r2 = r10
r2 += -64
r3 = r1
r3 <<= 3
r2 += r3
*(u64 *)(r2 + 0) = r1
r1 += 1
if r1 < 8 goto l
r0 = *(u64 *)(r10 - 8)
exit
---
# case: loop_writes_stack_past_end_in_subprog
# loop_writes_stack_past_end run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R2 off=0 size=8
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
l:
r2 = r10
r2 += -64
r3 = r1
r3 <<= 3
r2 += r3
*(u64 *)(r2 + 0) = r1
r1 += 1
if r1 < 9 goto l
r0 = 0
exit
---
# case: loop_jset_terminates_in_subprog
# loop_jset_terminates run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 1
l:
r0 <<= 1
if r0 & 0x100 goto out
goto l
out:
r0 = 0
exit
---
# case: jset_dead_branch_known_bits_in_subprog
# jset_dead_branch_known_bits run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 4
if r0 & 3 goto bad
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: jset_live_branch_known_bits_in_subprog
# jset_live_branch_known_bits run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r0 = 6
if r0 & 3 goto bad
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: jset_unknown_both_paths_in_subprog
# jset_unknown_both_paths run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = *(u32 *)(r1 + 0)
if r0 & 1 goto odd
r0 = 0
exit
odd:
r0 = 1
exit
---
# case: nested_bounded_loops_in_subprog
# nested_bounded_loops run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
r1 = 0
outer:
r2 = 0
inner:
r0 += 1
r2 += 1
if r2 < 4 goto inner
r1 += 1
if r1 < 4 goto outer
exit
---
# case: loop_two_exits_in_subprog
# loop_two_exits run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
l:
r0 += 1
if r0 == 7 goto out
if r0 < 20 goto l
out:
exit
---
# case: may_goto_loop_in_subprog
# may_goto_loop run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
l:
may_goto +2
r0 += 1
goto l
exit
---
# case: loop_counter_spilled_to_stack_in_subprog
# loop_counter_spilled_to_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
l:
r1 = *(u64 *)(r10 - 8)
r1 += 1
*(u64 *)(r10 - 8) = r1
if r1 < 10 goto l
r0 = 0
exit
---
# case: loop_without_progress_found_at_the_jump
# Found by the differential fuzz. The loop head is first reached with r1 = ctx, later with r1 = 0: the kernel
# suspects a loop only when every register is identical, and adds checkpoints inside a loop rarely, so it
# detects the loop at the jump (insn 18) after five iterations, not at the head.
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 18
# insn: 17
# errno: EINVAL
r6 = r1
r9 = 30
r8 = (s32)r9
if r9 s> r8 goto L2
L2:
r2 = r10
r3 = 23
call f1
exit
f1:
r9 = 61
if r9 s>= 30 goto L4
L4:
call f3
exit
f3:
r8 = 19
r9 = r8
r8 = 1
r8 += 1
r8 = 0
L7:
r1 = r8
if r8 < 2 goto L7
exit
