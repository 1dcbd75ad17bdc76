# case: ld_abs_byte
# type: socket_filter
# expect: accept
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_half
# type: socket_filter
# expect: accept
r6 = r1
r0 = *(u16 *)skb[12]
exit
---
# case: ld_abs_word
# type: socket_filter
# expect: accept
r6 = r1
r0 = *(u32 *)skb[26]
exit
---
# case: ld_abs_r6_not_ctx
# type: socket_filter
# expect: reject
# error: at the time of BPF_LD_ABS|IND R6 != pointer to skb
# insn: 1
# errno: EINVAL
r6 = 0
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_r6_uninit
# type: socket_filter
# expect: reject
# error: R6 !read_ok
# insn: 0
# errno: EACCES
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_r6_stack_pointer
# type: socket_filter
# expect: reject
# error: at the time of BPF_LD_ABS|IND R6 != pointer to skb
# insn: 1
# errno: EINVAL
r6 = r10
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_clobbers_r1
# type: socket_filter
# expect: reject
# error: R1 !read_ok
# insn: 2
# errno: EACCES
r6 = r1
r0 = *(u8 *)skb[0]
r0 = r1
exit
---
# case: ld_abs_clobbers_r5
# type: socket_filter
# expect: reject
# error: R5 !read_ok
# insn: 3
# errno: EACCES
r6 = r1
r5 = 1
r0 = *(u8 *)skb[0]
r0 = r5
exit
---
# case: ld_abs_keeps_r7
# type: socket_filter
# expect: accept
r6 = r1
r7 = 1
r0 = *(u8 *)skb[0]
r0 += r7
exit
---
# case: ld_abs_negative_offset
# type: socket_filter
# expect: accept
r6 = r1
r0 = *(u8 *)skb[-1]
exit
---
# case: ld_abs_in_xdp
# type: xdp
# expect: reject
# error: BPF_LD_[ABS|IND] instructions not allowed for this program type
# insn: 1
# errno: EINVAL
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_in_sched_cls
# type: sched_cls
# expect: accept
r6 = r1
r0 = *(u16 *)skb[12]
r0 = 0
exit
---
# case: ld_abs_in_kprobe
# type: kprobe
# expect: reject
# error: BPF_LD_[ABS|IND] instructions not allowed for this program type
# insn: 1
# errno: EINVAL
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_in_cgroup_skb
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: BPF_LD_[ABS|IND] instructions not allowed for this program type
# insn: 1
# errno: EINVAL
r6 = r1
r0 = *(u8 *)skb[0]
r0 = 1
exit
---
# case: ld_ind_register
# type: socket_filter
# expect: accept
r6 = r1
r7 = 14
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_register_uninit
# type: socket_filter
# expect: reject
# error: R7 !read_ok
# insn: 1
# errno: EACCES
r6 = r1
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_register_pointer
# type: socket_filter
# expect: accept
r6 = r1
r7 = r10
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_unknown_index
# type: socket_filter
# expect: accept
r6 = r1
r7 = *(u32 *)(r1 + 0)
r0 = *(u16 *)skb[r7]
exit
---
# case: ld_abs_with_subprog_call
# type: socket_filter
# expect: accept
r6 = r1
r0 = *(u8 *)skb[0]
call f
exit
f:
r0 = 0
exit
---
# case: ld_abs_inside_subprog
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call f
exit
f:
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_result_bounded
# type: socket_filter
# expect: reject
# error: math between fp pointer and register with unbounded min value is not allowed
# insn: 4
# errno: EINVAL
r6 = r1
r0 = *(u8 *)skb[0]
r1 = r10
r1 += -256
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ld_abs_half_result_too_big_for_stack
# type: socket_filter
# expect: reject
# error: math between fp pointer and register with unbounded min value is not allowed
# insn: 4
# errno: EINVAL
r6 = r1
r0 = *(u16 *)skb[0]
r1 = r10
r1 += -256
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ld_abs_after_helper_r6_kept
# type: socket_filter
# expect: accept
r6 = r1
call 7
r0 = *(u8 *)skb[1]
exit
---
# case: ld_abs_r6_spilled_and_filled
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = r1
r6 = *(u64 *)(r10 - 8)
r0 = *(u32 *)skb[0]
exit
---
# case: ld_abs_byte_in_subprog
# ld_abs_byte run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_half_in_subprog
# ld_abs_half run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u16 *)skb[12]
exit
---
# case: ld_abs_word_in_subprog
# ld_abs_word run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u32 *)skb[26]
exit
---
# case: ld_abs_r6_not_ctx_in_subprog
# ld_abs_r6_not_ctx run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = 0
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_r6_uninit_in_subprog
# ld_abs_r6_uninit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_r6_stack_pointer_in_subprog
# ld_abs_r6_stack_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r10
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_clobbers_r1_in_subprog
# ld_abs_clobbers_r1 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
r0 = r1
exit
---
# case: ld_abs_clobbers_r5_in_subprog
# ld_abs_clobbers_r5 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r5 = 1
r0 = *(u8 *)skb[0]
r0 = r5
exit
---
# case: ld_abs_keeps_r7_in_subprog
# ld_abs_keeps_r7 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r7 = 1
r0 = *(u8 *)skb[0]
r0 += r7
exit
---
# case: ld_abs_negative_offset_in_subprog
# ld_abs_negative_offset run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[-1]
exit
---
# case: ld_abs_in_xdp_in_subprog
# ld_abs_in_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_in_sched_cls_in_subprog
# ld_abs_in_sched_cls run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u16 *)skb[12]
r0 = 0
exit
---
# case: ld_abs_in_kprobe_in_subprog
# ld_abs_in_kprobe run as the subprogram of a main that only calls it.
# type: kprobe
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
exit
---
# case: ld_abs_in_cgroup_skb_in_subprog
# ld_abs_in_cgroup_skb run as the subprogram of a main that only calls it.
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
r0 = 1
exit
---
# case: ld_ind_register_in_subprog
# ld_ind_register run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r7 = 14
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_register_uninit_in_subprog
# ld_ind_register_uninit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_register_pointer_in_subprog
# ld_ind_register_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r7 = r10
r0 = *(u8 *)skb[r7]
exit
---
# case: ld_ind_unknown_index_in_subprog
# ld_ind_unknown_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r7 = *(u32 *)(r1 + 0)
r0 = *(u16 *)skb[r7]
exit
---
# case: ld_abs_result_bounded_in_subprog
# ld_abs_result_bounded run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u8 *)skb[0]
r1 = r10
r1 += -256
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ld_abs_half_result_too_big_for_stack_in_subprog
# ld_abs_half_result_too_big_for_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
r0 = *(u16 *)skb[0]
r1 = r10
r1 += -256
r1 += r0
r2 = 0
*(u8 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ld_abs_after_helper_r6_kept_in_subprog
# ld_abs_after_helper_r6_kept run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r6 = r1
call 7
r0 = *(u8 *)skb[1]
exit
---
# case: ld_abs_r6_spilled_and_filled_in_subprog
# ld_abs_r6_spilled_and_filled run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: LD_ABS is not allowed in subprogs without BTF
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
r6 = *(u64 *)(r10 - 8)
r0 = *(u32 *)skb[0]
exit
