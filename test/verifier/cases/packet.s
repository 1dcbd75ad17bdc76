# case: xdp_read_with_check
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 13)
out:
r0 = 2
exit
---
# case: xdp_read_without_check
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 1
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r0 = *(u8 *)(r2 + 0)
r0 = 2
exit
---
# case: xdp_read_one_past_check
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u16 *)(r2 + 13)
out:
r0 = 2
exit
---
# case: xdp_read_on_wrong_branch
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 <= r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_check_reversed_operands
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r3 < r4 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_check_ge
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r3 >= r4 goto ok
r0 = 1
exit
ok:
r0 = *(u64 *)(r2 + 0)
r0 = 2
exit
---
# case: xdp_write_with_check
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
*(u32 *)(r2 + 0) = 0
out:
r0 = 2
exit
---
# case: xdp_check_in_callee_access_in_caller
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 3
# errno: EACCES
r6 = r1
call f
r2 = *(u32 *)(r6 + 0)
r0 = *(u8 *)(r2 + 0)
r0 = 2
exit
f:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 1
r0 = 0
if r4 > r3 goto out
r0 = 1
out:
exit
---
# case: xdp_pkt_pointers_passed_to_callee
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r1 = r2
r2 = r3
call f
r0 = 2
exit
f:
r3 = r1
r3 += 4
if r3 > r2 goto out
r0 = *(u32 *)(r1 + 0)
out:
r0 = 0
exit
---
# case: xdp_checked_pointer_passed_to_callee
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
r1 = r2
call f
out:
r0 = 2
exit
f:
r0 = *(u32 *)(r1 + 0)
r0 = 0
exit
---
# case: xdp_checked_pointer_callee_reads_past
# type: xdp
# expect: reject
# error: R1 offset is outside of the packet
# insn: 9
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
r1 = r2
call f
out:
r0 = 2
exit
f:
r0 = *(u32 *)(r1 + 1)
r0 = 0
exit
---
# case: xdp_pkt_end_arithmetic
# type: xdp
# expect: reject
# error: R3 pointer arithmetic on pkt_end prohibited
# insn: 1
# errno: EACCES
r3 = *(u32 *)(r1 + 4)
r3 += -4
r0 = 2
exit
---
# case: xdp_pkt_end_deref
# type: xdp
# expect: reject
# error: R3 invalid mem access 'pkt_end'
# insn: 1
# errno: EACCES
r3 = *(u32 *)(r1 + 4)
r0 = *(u8 *)(r3 + 0)
r0 = 2
exit
---
# case: xdp_variable_offset_bounded
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 7
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_variable_offset_unchecked
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 8
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u64 *)(r2 + 8)
out:
r0 = 2
exit
---
# case: xdp_variable_offset_too_big
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r5 = *(u32 *)(r1 + 12)
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_pointer_compare_pkt_pkt
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 0)
r0 = 2
if r2 == r3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_meta_with_check
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r4 = r2
r4 += 4
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_data_meta_against_data_end
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_adjust_head_invalidates_pointer
# type: xdp
# expect: reject
# error: R7 invalid mem access 'scalar'
# insn: 8
# errno: EACCES
r6 = r1
r7 = *(u32 *)(r1 + 0)
r8 = *(u32 *)(r1 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
r2 = 0
call 44
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
---
# case: xdp_adjust_head_reload_pointers
# type: xdp
# expect: accept
r6 = r1
r2 = 0
call 44
r7 = *(u32 *)(r6 + 0)
r8 = *(u32 *)(r6 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
---
# case: xdp_callee_adjust_head_invalidates_caller_pointer
# type: xdp
# expect: reject
# error: R7 invalid mem access 'scalar'
# insn: 7
# errno: EACCES
r6 = r1
r7 = *(u32 *)(r1 + 0)
r8 = *(u32 *)(r1 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
call f
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
f:
r2 = 0
call 44
r0 = 0
exit
---
# case: xdp_callee_no_helper_keeps_pointer
# type: xdp
# expect: accept
r7 = *(u32 *)(r1 + 0)
r8 = *(u32 *)(r1 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
call f
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
f:
r0 = 0
exit
---
# case: tc_read_with_check
# type: sched_cls
# expect: accept
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u16 *)(r2 + 12)
out:
r0 = 0
exit
---
# case: tc_read_without_check
# type: sched_cls
# expect: reject
# error: R2 offset is outside of the packet
# insn: 1
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r0 = *(u16 *)(r2 + 12)
r0 = 0
exit
---
# case: tc_write_with_check
# type: sched_cls
# expect: accept
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 14
if r4 > r3 goto out
*(u16 *)(r2 + 12) = 0
out:
r0 = 0
exit
---
# case: tc_pull_data_invalidates
# type: sched_cls
# expect: reject
# error: R7 invalid mem access 'scalar'
# insn: 9
# errno: EACCES
r6 = r1
r7 = *(u32 *)(r1 + 76)
r8 = *(u32 *)(r1 + 80)
r2 = r7
r2 += 14
if r2 > r8 goto out
r1 = r6
r2 = 14
call 39
r0 = *(u16 *)(r7 + 12)
out:
r0 = 0
exit
---
# case: cgroup_skb_read_with_check
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 1
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 1
exit
---
# case: cgroup_skb_write_with_check
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: cannot write into packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 1
if r4 > r3 goto out
*(u8 *)(r2 + 0) = 0
out:
r0 = 1
exit
---
# case: xdp_read_negative_offset
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u8 *)(r2 - 1)
out:
r0 = 2
exit
---
# case: xdp_range_from_constant_larger_than_max
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 0xffff
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_pointer_spill_fill_keeps_range
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r10 - 8) = r2
r5 = *(u64 *)(r10 - 8)
r0 = *(u64 *)(r5 + 0)
out:
r0 = 2
exit
---
# case: xdp_pkt_pointer_return
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 + 0)
exit
---
# case: xdp_check_with_jmp32
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if w4 > w3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_strict_alignment_packet_read
# type: xdp
# flags: strict_alignment
# expect: reject
# error: misaligned packet access off 2+0+0+1 size 4
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 1)
out:
r0 = 2
exit
---
# case: xdp_strict_alignment_packet_read_ip_aligned
# type: xdp
# flags: strict_alignment
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 18
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 14)
out:
r0 = 2
exit
---
# case: xdp_read_with_check_in_subprog
# xdp_read_with_check run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 13)
out:
r0 = 2
exit
---
# case: xdp_read_without_check_in_subprog
# xdp_read_without_check run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r0 = *(u8 *)(r2 + 0)
r0 = 2
exit
---
# case: xdp_read_one_past_check_in_subprog
# xdp_read_one_past_check run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u16 *)(r2 + 13)
out:
r0 = 2
exit
---
# case: xdp_read_on_wrong_branch_in_subprog
# xdp_read_on_wrong_branch run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 <= r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_check_reversed_operands_in_subprog
# xdp_check_reversed_operands run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r3 < r4 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_check_ge_in_subprog
# xdp_check_ge run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r3 >= r4 goto ok
r0 = 1
exit
ok:
r0 = *(u64 *)(r2 + 0)
r0 = 2
exit
---
# case: xdp_write_with_check_in_subprog
# xdp_write_with_check run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
*(u32 *)(r2 + 0) = 0
out:
r0 = 2
exit
---
# case: xdp_pkt_end_arithmetic_in_subprog
# xdp_pkt_end_arithmetic run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R3 pointer arithmetic on pkt_end prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r3 = *(u32 *)(r1 + 4)
r3 += -4
r0 = 2
exit
---
# case: xdp_pkt_end_deref_in_subprog
# xdp_pkt_end_deref run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R3 invalid mem access 'pkt_end'
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r3 = *(u32 *)(r1 + 4)
r0 = *(u8 *)(r3 + 0)
r0 = 2
exit
---
# case: xdp_variable_offset_bounded_in_subprog
# xdp_variable_offset_bounded run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 7
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_variable_offset_unchecked_in_subprog
# xdp_variable_offset_unchecked run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 10
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u64 *)(r2 + 8)
out:
r0 = 2
exit
---
# case: xdp_variable_offset_too_big_in_subprog
# xdp_variable_offset_too_big run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r5 = *(u32 *)(r1 + 12)
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_pointer_compare_pkt_pkt_in_subprog
# xdp_pointer_compare_pkt_pkt run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 0)
r0 = 2
if r2 == r3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_meta_with_check_in_subprog
# xdp_data_meta_with_check run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r4 = r2
r4 += 4
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_data_meta_against_data_end_in_subprog
# xdp_data_meta_against_data_end run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_adjust_head_invalidates_pointer_in_subprog
# xdp_adjust_head_invalidates_pointer run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R7 invalid mem access 'scalar'
# insn: 10
# errno: EACCES
call subprog
exit
subprog:
r6 = r1
r7 = *(u32 *)(r1 + 0)
r8 = *(u32 *)(r1 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
r2 = 0
call 44
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
---
# case: xdp_adjust_head_reload_pointers_in_subprog
# xdp_adjust_head_reload_pointers run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r6 = r1
r2 = 0
call 44
r7 = *(u32 *)(r6 + 0)
r8 = *(u32 *)(r6 + 4)
r2 = r7
r2 += 4
if r2 > r8 goto out
r0 = *(u32 *)(r7 + 0)
out:
r0 = 2
exit
---
# case: tc_read_with_check_in_subprog
# tc_read_with_check run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u16 *)(r2 + 12)
out:
r0 = 0
exit
---
# case: tc_read_without_check_in_subprog
# tc_read_without_check run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: reject
# error: R2 offset is outside of the packet
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 76)
r0 = *(u16 *)(r2 + 12)
r0 = 0
exit
---
# case: tc_write_with_check_in_subprog
# tc_write_with_check run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 14
if r4 > r3 goto out
*(u16 *)(r2 + 12) = 0
out:
r0 = 0
exit
---
# case: tc_pull_data_invalidates_in_subprog
# tc_pull_data_invalidates run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: reject
# error: R7 invalid mem access 'scalar'
# insn: 11
# errno: EACCES
call subprog
exit
subprog:
r6 = r1
r7 = *(u32 *)(r1 + 76)
r8 = *(u32 *)(r1 + 80)
r2 = r7
r2 += 14
if r2 > r8 goto out
r1 = r6
r2 = 14
call 39
r0 = *(u16 *)(r7 + 12)
out:
r0 = 0
exit
---
# case: cgroup_skb_read_with_check_in_subprog
# cgroup_skb_read_with_check run as the subprogram of a main that only calls it.
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 1
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 1
exit
---
# case: cgroup_skb_write_with_check_in_subprog
# cgroup_skb_write_with_check run as the subprogram of a main that only calls it.
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: cannot write into packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 1
if r4 > r3 goto out
*(u8 *)(r2 + 0) = 0
out:
r0 = 1
exit
---
# case: xdp_read_negative_offset_in_subprog
# xdp_read_negative_offset run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r0 = *(u8 *)(r2 - 1)
out:
r0 = 2
exit
---
# case: xdp_range_from_constant_larger_than_max_in_subprog
# xdp_range_from_constant_larger_than_max run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 0xffff
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_pointer_spill_fill_keeps_range_in_subprog
# xdp_pointer_spill_fill_keeps_range run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r10 - 8) = r2
r5 = *(u64 *)(r10 - 8)
r0 = *(u64 *)(r5 + 0)
out:
r0 = 2
exit
---
# case: xdp_pkt_pointer_return_in_subprog
# xdp_pkt_pointer_return run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r0 = *(u32 *)(r1 + 0)
exit
---
# case: xdp_check_with_jmp32_in_subprog
# xdp_check_with_jmp32 run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if w4 > w3 goto out
r0 = *(u64 *)(r2 + 0)
out:
r0 = 2
exit
---
# case: xdp_strict_alignment_packet_read_in_subprog
# xdp_strict_alignment_packet_read run as the subprogram of a main that only calls it.
# type: xdp
# flags: strict_alignment
# expect: reject
# error: misaligned packet access off 2+0+0+1 size 4
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 16
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 1)
out:
r0 = 2
exit
---
# case: xdp_strict_alignment_packet_read_ip_aligned_in_subprog
# xdp_strict_alignment_packet_read_ip_aligned run as the subprogram of a main that only calls it.
# type: xdp
# flags: strict_alignment
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 18
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 14)
out:
r0 = 2
exit
---
# case: xdp_check_strict_ge_covers_one_more
# `if pkt + 8 >= end` falls through with pkt + 8 < end: nine bytes are in the packet.
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 >= r3 goto out
r0 = *(u8 *)(r2 + 8)
out:
r0 = 2
exit
---
# case: xdp_check_strict_ge_not_two_more
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 >= r3 goto out
r0 = *(u8 *)(r2 + 9)
out:
r0 = 2
exit
---
# case: xdp_check_strict_lt_taken_covers_one_more
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 < r3 goto ok
r0 = 2
exit
ok:
r0 = *(u64 *)(r2 + 1)
r0 = 2
exit
---
# case: xdp_check_strict_ge_at_offset_zero
# `pkt < end` with no offset proves nothing the kernel records.
# type: xdp
# expect: reject
# error: R2 offset is outside of the packet
# insn: 4
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
if r4 >= r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
