# case: r0_from_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 3
exit
---
# case: callee_without_r0
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 1
# errno: EACCES
call f
exit
f:
exit
---
# case: callee_r0_unset_but_unused
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
exit
---
# case: r1_clobbered_after_call
# type: socket_filter
# expect: reject
# error: R1 !read_ok
# insn: 2
# errno: EACCES
r1 = 1
call f
r0 = r1
exit
f:
r0 = 0
exit
---
# case: r2_clobbered_after_call
# type: socket_filter
# expect: reject
# error: R2 !read_ok
# insn: 2
# errno: EACCES
r2 = 1
call f
r0 = r2
exit
f:
r0 = 0
exit
---
# case: r3_clobbered_after_call
# type: socket_filter
# expect: reject
# error: R3 !read_ok
# insn: 2
# errno: EACCES
r3 = 1
call f
r0 = r3
exit
f:
r0 = 0
exit
---
# case: r4_clobbered_after_call
# type: socket_filter
# expect: reject
# error: R4 !read_ok
# insn: 2
# errno: EACCES
r4 = 1
call f
r0 = r4
exit
f:
r0 = 0
exit
---
# case: r5_clobbered_after_call
# type: socket_filter
# expect: reject
# error: R5 !read_ok
# insn: 2
# errno: EACCES
r5 = 1
call f
r0 = r5
exit
f:
r0 = 0
exit
---
# case: r6_preserved_across_call
# type: socket_filter
# expect: accept
r6 = 1
call f
r0 = r6
exit
f:
r6 = 5
r0 = 0
exit
---
# case: r7_preserved_across_call
# type: socket_filter
# expect: accept
r7 = 2
call f
r0 = r7
exit
f:
r0 = 0
exit
---
# case: r8_preserved_across_call
# type: socket_filter
# expect: accept
r8 = r1
call f
r0 = *(u32 *)(r8 + 0)
exit
f:
r8 = 0
r0 = 0
exit
---
# case: r9_preserved_ctx_pointer
# type: socket_filter
# expect: accept
r9 = r1
call f
r1 = r9
r0 = *(u32 *)(r1 + 0)
exit
f:
r0 = 0
exit
---
# case: r1_clobbered_after_helper
# type: socket_filter
# expect: reject
# error: R1 !read_ok
# insn: 2
# errno: EACCES
r1 = 1
call 5
r0 = r1
exit
---
# case: r6_preserved_after_helper
# type: socket_filter
# expect: accept
r6 = 1
call 5
r0 = r6
exit
---
# case: callee_reads_unset_r6
# type: socket_filter
# expect: reject
# error: R6 !read_ok
# insn: 2
# errno: EACCES
call f
exit
f:
r0 = r6
exit
---
# case: callee_reads_unset_r2
# type: socket_filter
# expect: reject
# error: R2 !read_ok
# insn: 3
# errno: EACCES
r1 = 0
call f
exit
f:
r0 = r2
exit
---
# case: callee_gets_args_r1_to_r5
# type: socket_filter
# expect: accept
r1 = 1
r2 = 2
r3 = 3
r4 = 4
r5 = 5
call f
exit
f:
r0 = r1
r0 += r2
r0 += r3
r0 += r4
r0 += r5
exit
---
# case: callee_gets_ctx_pointer
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = *(u32 *)(r1 + 0)
exit
---
# case: callee_writes_caller_stack
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r10 - 8)
exit
f:
r2 = 42
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: callee_writes_caller_stack_oob
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=8
# insn: 6
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = 42
*(u64 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: callee_writes_caller_stack_below_frame
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=-520 size=8
# insn: 6
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = 42
*(u64 *)(r1 - 512) = r2
r0 = 0
exit
---
# case: callee_reads_caller_initialised_stack
# type: socket_filter
# expect: accept
r2 = 7
*(u64 *)(r10 - 16) = r2
r1 = r10
r1 += -16
call f
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: callee_reads_caller_uninit_stack_priv
# type: socket_filter
# expect: accept
r1 = r10
r1 += -16
call f
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: callee_returns_caller_stack_pointer
# type: socket_filter
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 8
# errno: EINVAL
r1 = r10
r1 += -8
call f
r1 = 1
*(u64 *)(r0 + 0) = r1
r0 = 0
exit
f:
r0 = r1
exit
---
# case: callee_returns_own_stack_pointer
# type: socket_filter
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 5
# errno: EINVAL
call f
r0 = 0
exit
f:
r0 = r10
r0 += -8
exit
---
# case: callee_returns_own_stack_pointer_used
# type: socket_filter
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 8
# errno: EINVAL
call f
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
f:
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = r10
r0 += -8
exit
---
# case: callee_pointer_to_caller_spilled_pointer
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
exit
f:
r1 = *(u64 *)(r1 + 0)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: two_level_stack_pointer_pass
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r10 - 8)
exit
f:
call g
r0 = 0
exit
g:
r2 = 9
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: frames_8_ok
# type: socket_filter
# expect: accept
call f1
exit
f1:
call f2
exit
f2:
call f3
exit
f3:
call f4
exit
f4:
call f5
exit
f5:
call f6
exit
f6:
call f7
exit
f7:
r0 = 0
exit
---
# case: frames_9_too_deep
# type: socket_filter
# expect: reject
# error: the call stack of 9 frames is too deep
# insn: 14
# errno: E2BIG
call f1
exit
f1:
call f2
exit
f2:
call f3
exit
f3:
call f4
exit
f4:
call f5
exit
f5:
call f6
exit
f6:
call f7
exit
f7:
call f8
exit
f8:
r0 = 0
exit
---
# case: combined_stack_under_512
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 256) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 248) = r1
r0 = 0
exit
---
# case: combined_stack_exactly_512
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 256) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 256) = r1
r0 = 0
exit
---
# case: combined_stack_too_large
# type: socket_filter
# expect: reject
# error: combined stack size of 2 calls is 528. Too large
# insn: none
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 256) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 264) = r1
r0 = 0
exit
---
# case: combined_stack_three_frames_too_large
# type: socket_filter
# expect: reject
# error: combined stack size of 3 calls is 624. Too large
# insn: none
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 200) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 200) = r1
call g
exit
g:
r1 = 0
*(u64 *)(r10 - 200) = r1
r0 = 0
exit
---
# case: combined_stack_deep_chain_just_under
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 64) = r1
call f1
exit
f1:
*(u64 *)(r10 - 64) = r1
call f2
exit
f2:
*(u64 *)(r10 - 64) = r1
call f3
exit
f3:
*(u64 *)(r10 - 64) = r1
call f4
exit
f4:
*(u64 *)(r10 - 64) = r1
call f5
exit
f5:
*(u64 *)(r10 - 64) = r1
call f6
exit
f6:
*(u64 *)(r10 - 64) = r1
call f7
exit
f7:
*(u64 *)(r10 - 64) = r1
r0 = 0
exit
---
# case: combined_stack_deep_chain_just_over
# type: socket_filter
# expect: reject
# error: combined stack size of 8 calls is 528. Too large
# insn: none
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 64) = r1
call f1
exit
f1:
*(u64 *)(r10 - 64) = r1
call f2
exit
f2:
*(u64 *)(r10 - 64) = r1
call f3
exit
f3:
*(u64 *)(r10 - 64) = r1
call f4
exit
f4:
*(u64 *)(r10 - 64) = r1
call f5
exit
f5:
*(u64 *)(r10 - 64) = r1
call f6
exit
f6:
*(u64 *)(r10 - 64) = r1
call f7
exit
f7:
*(u64 *)(r10 - 72) = r1
r0 = 0
exit
---
# case: combined_stack_sibling_calls_not_summed
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 256) = r1
call f
call g
exit
f:
r1 = 0
*(u64 *)(r10 - 256) = r1
r0 = 0
exit
g:
r1 = 0
*(u64 *)(r10 - 256) = r1
r0 = 0
exit
---
# case: combined_stack_rounding_to_32
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 488) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = 0
exit
---
# case: combined_stack_rounding_over
# type: socket_filter
# expect: reject
# error: combined stack size of 2 calls is 544. Too large
# insn: none
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 488) = r1
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 40) = r1
r0 = 0
exit
---
# case: combined_stack_on_dead_path_callee
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 400) = r1
r0 = 0
if r0 == 0 goto out
call f
out:
exit
f:
r1 = 0
*(u64 *)(r10 - 400) = r1
r0 = 0
exit
---
# case: callee_modifies_r10
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call f
exit
f:
r10 = 0
r0 = 0
exit
---
# case: callee_clobbers_arg_then_caller_reads_r1
# type: socket_filter
# expect: reject
# error: R1 !read_ok
# insn: 2
# errno: EACCES
r1 = 5
call f
r1 += 1
r0 = 0
exit
f:
r0 = r1
exit
---
# case: caller_uses_r0_before_call_after
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 2
# errno: EACCES
r0 = 1
call f
exit
f:
exit
---
# case: callee_result_bounds_used_as_index
# type: socket_filter
# expect: accept
call f
r0 &= 7
r1 = r10
r1 += -8
r1 += r0
r2 = 0
*(u8 *)(r1 - 8) = r2
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 0)
exit
---
# case: callee_precise_return_used_as_index
# type: socket_filter
# expect: accept
call f
r1 = r10
r1 += -16
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
f:
r0 = 15
exit
---
# case: callee_precise_return_out_of_bounds
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=1
# insn: 5
# errno: EACCES
call f
r1 = r10
r1 += -16
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
f:
r0 = 16
exit
---
# case: callee_return_two_values_index
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=1
# insn: 5
# errno: EACCES
call f
r1 = r10
r1 += -16
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 0)
if r0 == 0 goto small
r0 = 16
exit
small:
r0 = 8
exit
---
# case: callee_with_many_args_unused
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r0 = 0
exit
---
# case: ctx_passed_two_levels
# type: socket_filter
# expect: accept
call f
exit
f:
call g
exit
g:
r0 = *(u32 *)(r1 + 4)
exit
---
# case: ctx_arithmetic_in_callee
# type: socket_filter
# expect: reject
# error: dereference of modified ctx ptr R1 off=4 disallowed
# insn: 3
# errno: EACCES
call f
exit
f:
r1 += 4
r0 = *(u32 *)(r1 + 0)
exit
---
# case: helper_inside_callee
# type: socket_filter
# expect: accept
call f
exit
f:
call 5
exit
---
# case: caller_stack_via_r6_after_call
# type: socket_filter
# expect: accept
r6 = r10
r6 += -8
r1 = 3
*(u64 *)(r10 - 8) = r1
call f
r0 = *(u64 *)(r6 + 0)
exit
f:
r0 = 0
exit
