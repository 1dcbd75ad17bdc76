# case: straight_line_exit
# type: socket_filter
# expect: accept
r0 = 0
exit
---
# case: unreachable_after_exit
# type: socket_filter
# expect: reject
# error: unreachable insn 2
# insn: 2
# errno: EINVAL
r0 = 0
exit
r0 = 1
exit
---
# case: unreachable_jumped_over
# type: socket_filter
# expect: reject
# error: unreachable insn 2
# insn: 2
# errno: EINVAL
r0 = 0
goto out
r0 = 1
out:
exit
---
# case: unreachable_in_callee
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call f
exit
f:
r0 = 0
exit
r0 = 2
exit
---
# case: jump_over_nothing
# type: socket_filter
# expect: accept
r0 = 0
goto +0
exit
---
# case: both_branches_reachable
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 0)
if r0 == 0 goto zero
r0 = 1
exit
zero:
r0 = 2
exit
---
# case: fall_off_end
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
r0 = 0
---
# case: fall_off_end_after_branch
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
r0 = *(u32 *)(r1 + 0)
if r0 == 0 goto out
exit
out:
r0 = 1
---
# case: jump_out_of_range_forward
# type: socket_filter
# expect: reject
# error: jump out of range from insn 1 to 7
# insn: 1
# errno: EINVAL
r0 = 0
goto +5
exit
---
# case: jump_out_of_range_backward
# type: socket_filter
# expect: reject
# error: jump out of range from insn 1 to -3
# insn: 1
# errno: EINVAL
r0 = 0
goto -5
exit
---
# case: cond_jump_out_of_range
# type: socket_filter
# expect: reject
# error: jump out of range from insn 1 to 9
# insn: 1
# errno: EINVAL
r0 = 0
if r0 == 0 goto +7
exit
---
# case: jump_into_ld_imm64
# type: socket_filter
# expect: reject
# error: unreachable insn 1
# insn: 1
# errno: EINVAL
goto +1
r0 = 0x123456789 ll
r0 = 0
exit
---
# case: jump_to_last_insn
# type: socket_filter
# expect: accept
r0 = 0
if r0 == 1 goto last
r0 = 1
last:
exit
---
# case: back_edge_unbounded_priv
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 0
# insn: 0
# errno: EINVAL
l:
goto l
---
# case: back_edge_self_loop_exit
# type: socket_filter
# expect: reject
# error: unreachable insn 2
# insn: 2
# errno: EINVAL
r0 = 0
l:
goto l
exit
---
# case: jump_from_main_into_callee
# type: socket_filter
# expect: reject
# error: jump out of range from insn 1 to 4
# insn: 1
# errno: EINVAL
r0 = 0
if r0 == 0 goto f
call f
exit
f:
r0 = 1
exit
---
# case: jump_from_callee_into_main
# type: socket_filter
# expect: reject
# error: unreachable insn 5
# insn: 5
# errno: EINVAL
call f
r0 = 0
exit
f:
r0 = 1
goto +1
exit
exit
---
# case: jump_from_callee_back_into_main
# type: socket_filter
# expect: reject
# error: jump out of range from insn 4 to 1
# insn: 4
# errno: EINVAL
call f
main_tail:
r0 = 0
exit
f:
r0 = 1
if r0 == 1 goto main_tail
exit
---
# case: callee_does_not_end_in_exit
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
call f
exit
f:
r0 = 0
exit
r0 = 1
---
# case: main_ends_in_goto_back
# type: socket_filter
# expect: accept
r0 = 0
l:
r0 += 1
if r0 > 3 goto out
goto l
out:
exit
---
# case: callee_ends_in_ja_back
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 0
l:
r0 += 1
if r0 > 3 goto out
goto l
out:
exit
---
# case: callee_last_insn_is_cond_jump
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
call f
exit
f:
r0 = 0
l:
r0 += 1
if r0 < 4 goto l
---
# case: helper_call_negative_id
# type: socket_filter
# expect: reject
# error: invalid func unknown#-5
# insn: 0
# errno: EINVAL
call -5
r0 = 0
exit
---
# case: call_past_end
# type: socket_filter
# expect: reject
# error: call to invalid destination
# insn: none
# errno: EINVAL
call l
exit
l:
---
# case: call_self_recursion
# type: socket_filter
# expect: reject
# error: the call stack of 9 frames is too deep
# insn: 3
# errno: E2BIG
call f
exit
f:
r0 = 0
call f
exit
---
# case: call_mutual_recursion
# type: socket_filter
# expect: reject
# error: the call stack of 9 frames is too deep
# insn: 2
# errno: E2BIG
call f
exit
f:
call g
exit
g:
call f
r0 = 0
exit
---
# case: call_after_untaken_branch
# type: socket_filter
# expect: accept
r0 = 0
if r0 != 0 goto skip
call callee
skip:
exit
callee:
r0 = 0
exit
---
# case: callee_unreachable_never_called
# type: socket_filter
# expect: reject
# error: unreachable insn 2
# insn: 2
# errno: EINVAL
r0 = 0
exit
f:
r0 = 1
exit
---
# case: callee_called_on_dead_branch
# type: socket_filter
# expect: accept
r0 = 0
if r0 != 0 goto +1
exit
call f
exit
f:
r0 = 1
exit
---
# case: two_callees_in_sequence
# type: socket_filter
# expect: accept
call f
r6 = r0
call g
r0 += r6
exit
f:
r0 = 1
exit
g:
r0 = 2
exit
---
# case: callee_calls_callee
# type: socket_filter
# expect: accept
call f
exit
f:
call g
r0 += 1
exit
g:
r0 = 1
exit
---
# case: same_callee_twice
# type: socket_filter
# expect: accept
call f
r6 = r0
call f
r0 += r6
exit
f:
r0 = 7
exit
---
# case: ld_imm64_zero_value
# type: socket_filter
# expect: accept
r0 = 0
ld_pseudo r0, 0, 0
exit
---
# case: exit_in_middle_both_paths
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 0)
if r0 > 5 goto big
r0 = 0
exit
big:
r0 = 1
exit
---
# case: goto_into_subprog_start_from_main
# type: socket_filter
# expect: accept
r0 = 0
goto f
f:
r0 = 1
exit
---
# case: jmp32_out_of_range
# type: socket_filter
# expect: reject
# error: jump out of range from insn 1 to 5
# insn: 1
# errno: EINVAL
w0 = 0
if w0 == 0 goto +3
exit
---
# case: empty_callee_body
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
exit
---
# case: straight_line_exit_in_subprog
# straight_line_exit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
exit
---
# case: unreachable_after_exit_in_subprog
# unreachable_after_exit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
exit
r0 = 1
exit
---
# case: unreachable_jumped_over_in_subprog
# unreachable_jumped_over run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
goto out
r0 = 1
out:
exit
---
# case: jump_over_nothing_in_subprog
# jump_over_nothing run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
goto +0
exit
---
# case: both_branches_reachable_in_subprog
# both_branches_reachable run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = *(u32 *)(r1 + 0)
if r0 == 0 goto zero
r0 = 1
exit
zero:
r0 = 2
exit
---
# case: fall_off_end_in_subprog
# fall_off_end run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
---
# case: fall_off_end_after_branch_in_subprog
# fall_off_end_after_branch run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: last insn is not an exit or jmp
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r0 = *(u32 *)(r1 + 0)
if r0 == 0 goto out
exit
out:
r0 = 1
---
# case: jump_out_of_range_forward_in_subprog
# jump_out_of_range_forward run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: jump out of range from insn 3 to 9
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
goto +5
exit
---
# case: jump_out_of_range_backward_in_subprog
# jump_out_of_range_backward run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: jump out of range from insn 3 to -1
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
goto -5
exit
---
# case: cond_jump_out_of_range_in_subprog
# cond_jump_out_of_range run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: jump out of range from insn 3 to 11
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
if r0 == 0 goto +7
exit
---
# case: jump_into_ld_imm64_in_subprog
# jump_into_ld_imm64 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 3
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
goto +1
r0 = 0x123456789 ll
r0 = 0
exit
---
# case: jump_to_last_insn_in_subprog
# jump_to_last_insn run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
if r0 == 1 goto last
r0 = 1
last:
exit
---
# case: back_edge_unbounded_priv_in_subprog
# back_edge_unbounded_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 2
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
l:
goto l
---
# case: back_edge_self_loop_exit_in_subprog
# back_edge_self_loop_exit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
l:
goto l
exit
---
# case: main_ends_in_goto_back_in_subprog
# main_ends_in_goto_back run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
l:
r0 += 1
if r0 > 3 goto out
goto l
out:
exit
---
# case: helper_call_negative_id_in_subprog
# helper_call_negative_id run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid func unknown#-5
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
call -5
r0 = 0
exit
---
# case: callee_unreachable_never_called_in_subprog
# callee_unreachable_never_called run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
exit
f:
r0 = 1
exit
---
# case: ld_imm64_zero_value_in_subprog
# ld_imm64_zero_value run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
ld_pseudo r0, 0, 0
exit
---
# case: exit_in_middle_both_paths_in_subprog
# exit_in_middle_both_paths run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = *(u32 *)(r1 + 0)
if r0 > 5 goto big
r0 = 0
exit
big:
r0 = 1
exit
---
# case: goto_into_subprog_start_from_main_in_subprog
# goto_into_subprog_start_from_main run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
goto f
f:
r0 = 1
exit
---
# case: jmp32_out_of_range_in_subprog
# jmp32_out_of_range run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: jump out of range from insn 3 to 7
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
w0 = 0
if w0 == 0 goto +3
exit
---
# case: maybe_null_pointer_equal_to_non_null_one
# A socket lookup's result compared with a socket known not to be null: where they are equal the result is
# not null either, so it is read without its own null check (kernel check_cond_jmp_op).
# type: sched_cls
# expect: accept
r6 = r1
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r1 = r6
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r7 = r0
r1 = r6
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
r8 = r0
if r8 != r7 goto skip
r0 = *(u32 *)(r8 + 0)
skip:
if r8 == 0 goto release_first
r1 = r8
call 86
release_first:
r1 = r7
call 86
out:
r0 = 0
exit
