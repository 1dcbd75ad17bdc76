# case: unknown_helper_999
# type: socket_filter
# expect: reject
# error: invalid func unknown#999
# insn: 0
# errno: EINVAL
call 999
r0 = 0
exit
---
# case: unknown_helper_999_in_callee
# type: socket_filter
# expect: reject
# error: invalid func unknown#999
# insn: 2
# errno: EINVAL
call f
exit
f:
call 999
r0 = 0
exit
---
# case: helper_id_zero
# type: socket_filter
# expect: reject
# error: program of this type cannot use helper bpf_unspec#0
# insn: 0
# errno: EINVAL
call 0
r0 = 0
exit
---
# case: helper_id_last_plus_one
# type: socket_filter
# expect: reject
# error: invalid func unknown#212
# insn: 0
# errno: EINVAL
call 212
r0 = 0
exit
---
# case: helper_ktime_socket_filter
# type: socket_filter
# expect: accept
call 5
r0 = 0
exit
---
# case: helper_prandom_socket_filter
# type: socket_filter
# expect: accept
call 7
exit
---
# case: helper_xdp_adjust_head_in_socket_filter
# type: socket_filter
# expect: reject
# error: program of this type cannot use helper bpf_xdp_adjust_head#44
# insn: 1
# errno: EINVAL
r2 = 0
call 44
r0 = 0
exit
---
# case: helper_xdp_adjust_head_in_xdp
# type: xdp
# expect: accept
r2 = 0
call 44
r0 = 2
exit
---
# case: helper_skb_load_bytes_in_xdp
# type: xdp
# expect: reject
# error: program of this type cannot use helper bpf_skb_load_bytes#26
# insn: 4
# errno: EINVAL
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 2
exit
---
# case: helper_get_current_pid_tgid_socket_filter
# type: socket_filter
# expect: accept
call 14
r0 = 0
exit
---
# case: helper_get_current_pid_tgid_kprobe
# type: kprobe
# expect: accept
call 14
r0 = 0
exit
---
# case: helper_get_current_pid_tgid_kprobe_in_callee
# type: kprobe
# expect: accept
call f
r0 = 0
exit
f:
call 14
exit
---
# case: helper_skb_load_bytes
# type: socket_filter
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_in_callee_ctx_passed
# type: socket_filter
# expect: accept
r2 = 0
call f
r0 = 0
exit
f:
r3 = r10
r3 += -8
r4 = 8
call 26
exit
---
# case: helper_skb_load_bytes_size_not_const
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,4294967295]
# insn: 4
# errno: EACCES
r4 = *(u32 *)(r1 + 0)
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_bounded
# type: socket_filter
# expect: accept
r4 = *(u32 *)(r1 + 0)
r4 &= 7
r4 += 1
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_may_be_zero
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,7]
# insn: 5
# errno: EACCES
r4 = *(u32 *)(r1 + 0)
r4 &= 7
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_too_big
# type: socket_filter
# expect: reject
# error: invalid write to stack R3 off=-8 size=16
# insn: 4
# errno: EINVAL
r2 = 0
r3 = r10
r3 += -8
r4 = 16
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_negative
# type: socket_filter
# expect: reject
# error: R4 min value is negative, either use unsigned or 'var &= const'
# insn: 4
# errno: EACCES
r2 = 0
r3 = r10
r3 += -8
r4 = -1
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_zero
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,0]
# insn: 4
# errno: EACCES
r2 = 0
r3 = r10
r3 += -8
r4 = 0
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_ctx
# type: socket_filter
# expect: reject
# error: R3 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# insn: 3
# errno: EACCES
r2 = 0
r3 = r1
r4 = 4
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_map_value
# type: socket_filter
# map: array 4 8 1
# expect: accept
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = 0
r3 = r0
r4 = 8
call 26
out:
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_map_value_too_long
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: R3 min value is outside of the allowed memory range
# insn: 12
# errno: EACCES
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = 0
r3 = r0
r4 = 9
call 26
out:
r0 = 0
exit
---
# case: helper_skb_load_bytes_ctx_arg_wrong
# type: socket_filter
# expect: reject
# error: R1 type=fp expected=ctx
# insn: 5
# errno: EACCES
r1 = r10
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 0
exit
---
# case: helper_probe_read_kernel_stack_dst
# type: kprobe
# expect: accept
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_probe_read_kernel_dst_uninit_size_const
# type: kprobe
# expect: accept
r1 = r10
r1 += -16
r2 = 16
r3 = 0
call 113
r0 = *(u64 *)(r10 - 8)
exit
---
# case: helper_probe_read_kernel_dst_too_small
# type: kprobe
# expect: reject
# error: invalid write to stack R1 off=-8 size=16
# insn: 4
# errno: EINVAL
r1 = r10
r1 += -8
r2 = 16
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_probe_read_kernel_license_mit
# type: kprobe
# license: MIT
# expect: reject
# error: cannot call GPL-restricted function from non-GPL compatible program
# insn: 4
# errno: EINVAL
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_trace_printk_license_mit
# type: kprobe
# license: MIT
# expect: reject
# error: cannot call GPL-restricted function from non-GPL compatible program
# insn: 5
# errno: EINVAL
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_trace_printk_gpl
# type: kprobe
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_get_current_comm
# type: kprobe
# expect: accept
r1 = r10
r1 += -16
r2 = 16
call 16
r0 = 0
exit
---
# case: helper_get_current_comm_in_callee_caller_buffer
# type: kprobe
# expect: accept
r1 = r10
r1 += -16
call f
r0 = *(u64 *)(r10 - 16)
r0 = 0
exit
f:
r2 = 16
call 16
r0 = 0
exit
---
# case: helper_get_current_comm_buffer_beyond_frame
# type: kprobe
# expect: reject
# error: invalid write to stack R1 off=-8 size=16
# insn: 3
# errno: EINVAL
r1 = r10
r1 += -8
r2 = 16
call 16
r0 = 0
exit
---
# case: helper_arg_uninit_register
# type: kprobe
# expect: reject
# error: R2 !read_ok
# insn: 2
# errno: EACCES
r1 = r10
r1 += -16
call 16
r0 = 0
exit
---
# case: helper_arg_pointer_where_scalar
# type: kprobe
# expect: reject
# error: R2 type=fp expected=scalar
# insn: 3
# errno: EACCES
r1 = r10
r1 += -16
r2 = r10
call 16
r0 = 0
exit
---
# case: helper_csum_diff_zero_sizes
# type: sched_cls
# expect: accept
r1 = 0
r2 = 0
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: helper_csum_diff_null_with_size
# type: sched_cls
# expect: reject
# error: R1 type=scalar expected=fp
# insn: 5
# errno: EACCES
r1 = 0
r2 = 4
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: helper_get_smp_processor_id_xdp
# type: xdp
# expect: accept
call 8
r0 = 2
exit
---
# case: helper_get_smp_processor_id_is_a_cpu_id
# The kernel bounds the result by nr_cpu_ids, so it is never negative (on any machine): the branch is dead.
# type: xdp
# expect: accept
call 8
if r0 s< 0 goto bad
r0 = 2
exit
bad:
r0 = *(u8 *)(r0 + 0)
exit
---
# case: helper_redirect_xdp
# type: xdp
# expect: accept
r1 = 1
r2 = 0
call 23
exit
---
# case: helper_redirect_map_xdp
# type: xdp
# map: devmap 4 4 4
# expect: accept
r1 = map0 ll
r2 = 0
r3 = 0
call 51
exit
---
# case: helper_redirect_map_wrong_map
# type: xdp
# map: hash 4 4 4
# expect: reject
# error: cannot pass map_type 1 into func bpf_redirect_map#51
# insn: 4
# errno: EINVAL
r1 = map0 ll
r2 = 0
r3 = 0
call 51
exit
---
# case: helper_perf_event_output
# type: kprobe
# map: perf_event_array 4 4 4
# expect: accept
r6 = r1
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r6
r2 = map0 ll
r3 = 0xffffffff ll
r4 = r10
r4 += -8
r5 = 8
call 25
r0 = 0
exit
---
# case: helper_perf_event_output_wrong_ctx
# type: kprobe
# map: perf_event_array 4 4 4
# expect: reject
# error: R1 type=fp expected=ctx
# insn: 9
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r2 = map0 ll
r3 = 0
r4 = r10
r4 += -8
r5 = 8
call 25
r0 = 0
exit
---
# case: tail_call_from_main
# type: socket_filter
# map: prog_array 4 4 4
# expect: accept
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_from_subprog
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call f
r0 = 0
exit
f:
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_from_subprog_with_stack
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
r1 = 0
*(u64 *)(r10 - 8) = r1
call f
r0 = 0
exit
f:
r6 = 0
*(u64 *)(r10 - 8) = r6
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_from_subprog_big_stack
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
r2 = 0
*(u64 *)(r10 - 256) = r2
call f
r0 = 0
exit
f:
r6 = 0
*(u64 *)(r10 - 8) = r6
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_wrong_map
# type: socket_filter
# map: array 4 4 4
# expect: reject
# error: expected prog array map for tail call
# insn: 3
# errno: EINVAL
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_ctx_not_passed
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: R1 type=scalar expected=ctx
# insn: 4
# errno: EACCES
r1 = 0
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_r1_clobbered_after
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: R1 !read_ok
# insn: 5
# errno: EACCES
r6 = r1
r2 = map0 ll
r3 = 0
call 12
r0 = r1
exit
---
# case: tail_call_in_subprog_then_caller_continues
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
r6 = r1
call f
r1 = r6
r0 = *(u32 *)(r1 + 0)
exit
f:
r2 = map0 ll
r3 = 1
call 12
r0 = 0
exit
---
# case: bpf_loop_callback_without_btf
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 1
# errno: EINVAL
r1 = 4
r2 = cb ll
r3 = 0
r4 = 0
call 181
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: bpf_loop_callback_arg_scalar
# type: socket_filter
# expect: reject
# error: R2 type=scalar expected=func
# insn: 4
# errno: EACCES
r1 = 4
r2 = 0
r3 = 0
r4 = 0
call 181
r0 = 0
exit
---
# case: for_each_map_elem_without_btf
# type: socket_filter
# map: array 4 8 4
# expect: reject
# error: missing btf func_info
# insn: 2
# errno: EINVAL
r1 = map0 ll
r2 = cb ll
r3 = 0
r4 = 0
call 164
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: func_pointer_in_register_unused
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 0
# errno: EINVAL
r2 = cb ll
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: spin_lock_without_btf
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: map 'map_0' has to have BTF in order to use bpf_spin_lock
# insn: 8
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r0
call 93
out:
r0 = 0
exit
---
# case: helper_map_update_elem_in_callee_map_from_caller
# type: socket_filter
# map: hash 8 8 4
# expect: accept
r1 = map0 ll
r2 = r10
r2 += -8
*(u64 *)(r10 - 8) = 0
call f
r0 = 0
exit
f:
r3 = r2
r4 = 0
call 2
r0 = 0
exit
---
# case: helper_snprintf_without_const_fmt
# type: kprobe
# expect: reject
# error: R3 type=fp expected=map_value
# insn: 7
# errno: EACCES
r1 = r10
r1 += -16
r2 = 16
r3 = r10
r3 += -32
r4 = 0
r5 = 0
call 165
r0 = 0
exit
---
# case: helper_strncmp_const_string_required
# type: kprobe
# expect: reject
# error: R3 type=fp expected=map_value
# insn: 7
# errno: EACCES
r1 = r10
r1 += -8
*(u64 *)(r10 - 8) = 0
r2 = 8
r3 = r10
r3 += -16
*(u64 *)(r10 - 16) = 0
call 182
r0 = 0
exit
---
# case: helper_get_stack_buffer
# type: kprobe
# expect: accept
r6 = r1
r2 = r10
r2 += -64
r3 = 64
r4 = 0
call 67
r0 = 0
exit
---
# case: helper_get_stack_size_var_bounded
# type: kprobe
# expect: accept
r6 = r1
r3 = *(u64 *)(r1 + 112)
r3 &= 63
r2 = r10
r2 += -64
r4 = 0
call 67
r0 = 0
exit
---
# case: helper_get_stack_size_var_unbounded
# type: kprobe
# expect: reject
# error: R3 min value is negative, either use unsigned or 'var &= const'
# insn: 5
# errno: EACCES
r6 = r1
r3 = *(u64 *)(r1 + 112)
r2 = r10
r2 += -64
r4 = 0
call 67
r0 = 0
exit
---
# case: unknown_helper_999_in_subprog
# unknown_helper_999 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid func unknown#999
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
call 999
r0 = 0
exit
---
# case: helper_id_zero_in_subprog
# helper_id_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: program of this type cannot use helper bpf_unspec#0
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
call 0
r0 = 0
exit
---
# case: helper_id_last_plus_one_in_subprog
# helper_id_last_plus_one run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid func unknown#212
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
call 212
r0 = 0
exit
---
# case: helper_ktime_socket_filter_in_subprog
# helper_ktime_socket_filter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
call 5
r0 = 0
exit
---
# case: helper_prandom_socket_filter_in_subprog
# helper_prandom_socket_filter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
call 7
exit
---
# case: helper_xdp_adjust_head_in_socket_filter_in_subprog
# helper_xdp_adjust_head_in_socket_filter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: program of this type cannot use helper bpf_xdp_adjust_head#44
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r2 = 0
call 44
r0 = 0
exit
---
# case: helper_xdp_adjust_head_in_xdp_in_subprog
# helper_xdp_adjust_head_in_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r2 = 0
call 44
r0 = 2
exit
---
# case: helper_skb_load_bytes_in_xdp_in_subprog
# helper_skb_load_bytes_in_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: program of this type cannot use helper bpf_skb_load_bytes#26
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 2
exit
---
# case: helper_get_current_pid_tgid_socket_filter_in_subprog
# helper_get_current_pid_tgid_socket_filter run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
call 14
r0 = 0
exit
---
# case: helper_get_current_pid_tgid_kprobe_in_subprog
# helper_get_current_pid_tgid_kprobe run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
call 14
r0 = 0
exit
---
# case: helper_skb_load_bytes_in_subprog
# helper_skb_load_bytes run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_not_const_in_subprog
# helper_skb_load_bytes_size_not_const run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,4294967295]
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r4 = *(u32 *)(r1 + 0)
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_bounded_in_subprog
# helper_skb_load_bytes_size_bounded run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r4 = *(u32 *)(r1 + 0)
r4 &= 7
r4 += 1
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_may_be_zero_in_subprog
# helper_skb_load_bytes_size_may_be_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,7]
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r4 = *(u32 *)(r1 + 0)
r4 &= 7
r2 = 0
r3 = r10
r3 += -8
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_too_big_in_subprog
# helper_skb_load_bytes_size_too_big run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R3 off=-8 size=16
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r2 = 0
r3 = r10
r3 += -8
r4 = 16
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_negative_in_subprog
# helper_skb_load_bytes_size_negative run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R4 min value is negative, either use unsigned or 'var &= const'
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r2 = 0
r3 = r10
r3 += -8
r4 = -1
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_size_zero_in_subprog
# helper_skb_load_bytes_size_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R4 invalid zero-sized read: u64=[0,0]
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r2 = 0
r3 = r10
r3 += -8
r4 = 0
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_ctx_in_subprog
# helper_skb_load_bytes_into_ctx run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R3 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r2 = 0
r3 = r1
r4 = 4
call 26
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_map_value_in_subprog
# helper_skb_load_bytes_into_map_value run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: accept
call subprog
exit
subprog:
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = 0
r3 = r0
r4 = 8
call 26
out:
r0 = 0
exit
---
# case: helper_skb_load_bytes_into_map_value_too_long_in_subprog
# helper_skb_load_bytes_into_map_value_too_long run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: R3 min value is outside of the allowed memory range
# insn: 14
# errno: EACCES
call subprog
exit
subprog:
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = 0
r3 = r0
r4 = 9
call 26
out:
r0 = 0
exit
---
# case: helper_skb_load_bytes_ctx_arg_wrong_in_subprog
# helper_skb_load_bytes_ctx_arg_wrong run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 type=fp expected=ctx
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 0
exit
---
# case: helper_probe_read_kernel_stack_dst_in_subprog
# helper_probe_read_kernel_stack_dst run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_probe_read_kernel_dst_uninit_size_const_in_subprog
# helper_probe_read_kernel_dst_uninit_size_const run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -16
r2 = 16
r3 = 0
call 113
r0 = *(u64 *)(r10 - 8)
exit
---
# case: helper_probe_read_kernel_dst_too_small_in_subprog
# helper_probe_read_kernel_dst_too_small run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: invalid write to stack R1 off=-8 size=16
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 16
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_probe_read_kernel_license_mit_in_subprog
# helper_probe_read_kernel_license_mit run as the subprogram of a main that only calls it.
# type: kprobe
# license: MIT
# expect: reject
# error: cannot call GPL-restricted function from non-GPL compatible program
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_trace_printk_license_mit_in_subprog
# helper_trace_printk_license_mit run as the subprogram of a main that only calls it.
# type: kprobe
# license: MIT
# expect: reject
# error: cannot call GPL-restricted function from non-GPL compatible program
# insn: 7
# errno: EINVAL
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_trace_printk_gpl_in_subprog
# helper_trace_printk_gpl run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_get_current_comm_in_subprog
# helper_get_current_comm run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -16
r2 = 16
call 16
r0 = 0
exit
---
# case: helper_get_current_comm_buffer_beyond_frame_in_subprog
# helper_get_current_comm_buffer_beyond_frame run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: invalid write to stack R1 off=-8 size=16
# insn: 5
# errno: EINVAL
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 16
call 16
r0 = 0
exit
---
# case: helper_arg_uninit_register_in_subprog
# helper_arg_uninit_register run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: R2 !read_ok
# insn: 4
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 += -16
call 16
r0 = 0
exit
---
# case: helper_arg_pointer_where_scalar_in_subprog
# helper_arg_pointer_where_scalar run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: R2 type=fp expected=scalar
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 += -16
r2 = r10
call 16
r0 = 0
exit
---
# case: helper_csum_diff_zero_sizes_in_subprog
# helper_csum_diff_zero_sizes run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: accept
call subprog
exit
subprog:
r1 = 0
r2 = 0
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: helper_csum_diff_null_with_size_in_subprog
# helper_csum_diff_null_with_size run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: reject
# error: R1 type=scalar expected=fp
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
r2 = 4
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: helper_get_smp_processor_id_xdp_in_subprog
# helper_get_smp_processor_id_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
call 8
r0 = 2
exit
---
# case: helper_redirect_xdp_in_subprog
# helper_redirect_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: accept
call subprog
exit
subprog:
r1 = 1
r2 = 0
call 23
exit
---
# case: helper_redirect_map_xdp_in_subprog
# helper_redirect_map_xdp run as the subprogram of a main that only calls it.
# type: xdp
# map: devmap 4 4 4
# expect: accept
call subprog
exit
subprog:
r1 = map0 ll
r2 = 0
r3 = 0
call 51
exit
---
# case: helper_redirect_map_wrong_map_in_subprog
# helper_redirect_map_wrong_map run as the subprogram of a main that only calls it.
# type: xdp
# map: hash 4 4 4
# expect: reject
# error: cannot pass map_type 1 into func bpf_redirect_map#51
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r1 = map0 ll
r2 = 0
r3 = 0
call 51
exit
---
# case: helper_perf_event_output_in_subprog
# helper_perf_event_output run as the subprogram of a main that only calls it.
# type: kprobe
# map: perf_event_array 4 4 4
# expect: accept
call subprog
exit
subprog:
r6 = r1
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r6
r2 = map0 ll
r3 = 0xffffffff ll
r4 = r10
r4 += -8
r5 = 8
call 25
r0 = 0
exit
---
# case: helper_perf_event_output_wrong_ctx_in_subprog
# helper_perf_event_output_wrong_ctx run as the subprogram of a main that only calls it.
# type: kprobe
# map: perf_event_array 4 4 4
# expect: reject
# error: R1 type=fp expected=ctx
# insn: 11
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r2 = map0 ll
r3 = 0
r4 = r10
r4 += -8
r5 = 8
call 25
r0 = 0
exit
---
# case: tail_call_from_main_in_subprog
# tail_call_from_main run as the subprogram of a main that only calls it.
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_wrong_map_in_subprog
# tail_call_wrong_map run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_ctx_not_passed_in_subprog
# tail_call_ctx_not_passed run as the subprogram of a main that only calls it.
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r1 = 0
r2 = map0 ll
r3 = 0
call 12
r0 = 0
exit
---
# case: tail_call_r1_clobbered_after_in_subprog
# tail_call_r1_clobbered_after run as the subprogram of a main that only calls it.
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: tail_call is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r2 = map0 ll
r3 = 0
call 12
r0 = r1
exit
---
# case: bpf_loop_callback_without_btf_in_subprog
# bpf_loop_callback_without_btf run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r1 = 4
r2 = cb ll
r3 = 0
r4 = 0
call 181
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: bpf_loop_callback_arg_scalar_in_subprog
# bpf_loop_callback_arg_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R2 type=scalar expected=func
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r1 = 4
r2 = 0
r3 = 0
r4 = 0
call 181
r0 = 0
exit
---
# case: for_each_map_elem_without_btf_in_subprog
# for_each_map_elem_without_btf run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 4
# expect: reject
# error: missing btf func_info
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r1 = map0 ll
r2 = cb ll
r3 = 0
r4 = 0
call 164
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: func_pointer_in_register_unused_in_subprog
# func_pointer_in_register_unused run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 2
# errno: EINVAL
call subprog
exit
subprog:
r2 = cb ll
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: spin_lock_without_btf_in_subprog
# spin_lock_without_btf run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: map 'map_0' has to have BTF in order to use bpf_spin_lock
# insn: 10
# errno: EINVAL
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r0
call 93
out:
r0 = 0
exit
---
# case: helper_snprintf_without_const_fmt_in_subprog
# helper_snprintf_without_const_fmt run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: R3 type=fp expected=map_value
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 += -16
r2 = 16
r3 = r10
r3 += -32
r4 = 0
r5 = 0
call 165
r0 = 0
exit
---
# case: helper_strncmp_const_string_required_in_subprog
# helper_strncmp_const_string_required run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: R3 type=fp expected=map_value
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 += -8
*(u64 *)(r10 - 8) = 0
r2 = 8
r3 = r10
r3 += -16
*(u64 *)(r10 - 16) = 0
call 182
r0 = 0
exit
---
# case: helper_get_stack_buffer_in_subprog
# helper_get_stack_buffer run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r6 = r1
r2 = r10
r2 += -64
r3 = 64
r4 = 0
call 67
r0 = 0
exit
---
# case: helper_get_stack_size_var_bounded_in_subprog
# helper_get_stack_size_var_bounded run as the subprogram of a main that only calls it.
# type: kprobe
# expect: accept
call subprog
exit
subprog:
r6 = r1
r3 = *(u64 *)(r1 + 112)
r3 &= 63
r2 = r10
r2 += -64
r4 = 0
call 67
r0 = 0
exit
---
# case: helper_get_stack_size_var_unbounded_in_subprog
# helper_get_stack_size_var_unbounded run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: R3 min value is negative, either use unsigned or 'var &= const'
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r6 = r1
r3 = *(u64 *)(r1 + 112)
r2 = r10
r2 += -64
r4 = 0
call 67
r0 = 0
exit
---
# case: helper_mem_write_arg_clobbers_stack
# bpf_check_mtu's mtu_len is read and written (MEM_WRITE): the zero stored there before the call is unknown
# after it, so the branch on it goes both ways and the path past it reaches the bad load.
# type: sched_cls
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 12
# errno: EACCES
r6 = r1
*(u32 *)(r10 - 8) = 0
r1 = r6
r2 = 0
r3 = r10
r3 += -8
r4 = 0
r5 = 0
call 163
r1 = *(u32 *)(r10 - 8)
if r1 == 0 goto ok
r1 = 0
r0 = *(u8 *)(r1 + 0)
ok:
r0 = 0
exit
---
# case: helper_mem_write_arg_into_read_only_map
# The same argument pointing into a map the program may only read (BPF_F_RDONLY_PROG): the helper writes it.
# type: sched_cls
# map: array 4 8 1 128
# expect: reject
# error: write into map forbidden, value_size=8 off=0 size=4
# insn: 7
# errno: EACCES
r6 = r1
r3 = mapval0 + 0 ll
r1 = r6
r2 = 0
r4 = 0
r5 = 0
call 163
r0 = 0
exit
