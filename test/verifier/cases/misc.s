# case: ld_imm64_unknown_pseudo_src
# type: socket_filter
# expect: reject
# error: unrecognized bpf_ld_imm64 insn
# insn: none
# errno: EINVAL
ld_pseudo r1, 7, 0
r0 = 0
exit
---
# case: ld_imm64_btf_id_without_btf
# type: socket_filter
# expect: reject
# error: pseudo btf_id 1 in ldimm64 isn't KIND_VAR or KIND_FUNC
# insn: none
# errno: EINVAL
ld_pseudo r1, 3, 1
r0 = 0
exit
---
# case: ld_imm64_in_callee_constant
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 0x123456789 ll
r0 >>= 32
exit
---
# case: ld_imm64_func_in_callee_without_btf
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 2
# errno: EINVAL
call f
exit
f:
r1 = g ll
r0 = 0
exit
g:
r0 = 0
exit
---
# case: map_update_value_uninit_priv
# type: socket_filter
# map: hash 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: map_update_value_uninit_in_callee_priv
# type: socket_filter
# map: hash 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -16
call f
r0 = 0
exit
f:
r4 = 0
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: csum_diff_reads_uninit_stack_priv
# type: sched_cls
# expect: accept
r1 = r10
r1 += -8
r2 = 8
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: csum_diff_size_not_multiple_of_4
# type: sched_cls
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 6
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: any_alignment_flag_stack_misaligned
# type: socket_filter
# flags: any_alignment
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 12) = r1
r0 = 0
exit
---
# case: any_alignment_flag_map_value_misaligned
# type: socket_filter
# flags: any_alignment
# map: array 4 8 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 2)
out:
r0 = 0
exit
---
# case: strict_alignment_map_value_misaligned
# type: socket_filter
# flags: strict_alignment
# map: array 4 8 1
# expect: reject
# error: misaligned value access off 0+0+2 size 4
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 2)
out:
r0 = 0
exit
---
# case: strict_alignment_map_value_aligned_in_callee
# type: socket_filter
# flags: strict_alignment
# map: array 4 8 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r0
call f
out:
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 4)
exit
---
# case: unknown_prog_flag_bit
# type: socket_filter
# flags: 1024
# expect: reject
# error: 
# insn: none
# errno: EINVAL
r0 = 0
exit
---
# case: sleepable_flag_socket_filter
# type: socket_filter
# flags: sleepable
# expect: reject
# error: Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable
# insn: none
# errno: EINVAL
r0 = 0
exit
---
# case: xdp_has_frags_flag
# type: xdp
# flags: xdp_has_frags
# expect: accept
r0 = 2
exit
---
# case: kprobe_license_mit_plain
# type: kprobe
# license: MIT
# expect: accept
r0 = 0
exit
---
# case: callx_register_call
# type: socket_filter
# expect: reject
# error: unknown opcode 8d
# insn: none
# errno: EINVAL
r1 = 0
callx r1
r0 = 0
exit
---
# case: may_goto_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 0
l:
may_goto +2
r0 += 1
goto l
exit
---
# case: gotol_long_jump
# type: socket_filter
# expect: reject
# error: unreachable insn 2
# insn: 2
# errno: EINVAL
r0 = 0
gotol out
r0 = 1
out:
exit
---
# case: nop_jump_ja_zero_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 1
goto +0
exit
---
# case: many_functions_chain_of_calls
# type: socket_filter
# expect: accept
call f0
exit
f0:
call f1
r0 += 1
exit
f1:
call f2
r0 += 1
exit
f2:
call f3
r0 += 1
exit
f3:
call f4
r0 += 1
exit
f4:
call f5
r0 += 1
exit
f5:
call f6
r0 += 1
exit
f6:
r0 = 0
r0 = 1
exit
---
# case: callee_ends_with_unconditional_jump_to_exit
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 0
goto done
done:
exit
---
# case: sign_extend_load_s32_from_stack
# type: socket_filter
# expect: accept
r1 = -1
*(u64 *)(r10 - 8) = r1
r0 = *(s32 *)(r10 - 8)
exit
---
# case: sign_extend_load_from_ctx
# type: socket_filter
# expect: accept
r0 = *(s32 *)(r1 + 0)
exit
---
# case: sign_extend_load_from_ctx_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = *(s16 *)(r1 + 16)
exit
---
# case: sdiv_mod_32_bit
# type: socket_filter
# expect: accept
w0 = -7
w0 s/= 2
w0 s%= 3
exit
---
# case: bswap64_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r0 = 1
r0 = bswap64 r0
exit
---
# case: ld_imm64_unknown_pseudo_src_in_subprog
# ld_imm64_unknown_pseudo_src run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unrecognized bpf_ld_imm64 insn
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
ld_pseudo r1, 7, 0
r0 = 0
exit
---
# case: ld_imm64_btf_id_without_btf_in_subprog
# ld_imm64_btf_id_without_btf run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: pseudo btf_id 1 in ldimm64 isn't KIND_VAR or KIND_FUNC
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
ld_pseudo r1, 3, 1
r0 = 0
exit
---
# case: map_update_value_uninit_priv_in_subprog
# map_update_value_uninit_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 4
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: csum_diff_reads_uninit_stack_priv_in_subprog
# csum_diff_reads_uninit_stack_priv run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 8
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: csum_diff_size_not_multiple_of_4_in_subprog
# csum_diff_size_not_multiple_of_4 run as the subprogram of a main that only calls it.
# type: sched_cls
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 6
r3 = 0
r4 = 0
r5 = 0
call 28
r0 = 0
exit
---
# case: any_alignment_flag_stack_misaligned_in_subprog
# any_alignment_flag_stack_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: any_alignment
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 12) = r1
r0 = 0
exit
---
# case: any_alignment_flag_map_value_misaligned_in_subprog
# any_alignment_flag_map_value_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: any_alignment
# map: array 4 8 1
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 2)
out:
r0 = 0
exit
---
# case: strict_alignment_map_value_misaligned_in_subprog
# strict_alignment_map_value_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: strict_alignment
# map: array 4 8 1
# expect: reject
# error: misaligned value access off 0+0+2 size 4
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 2)
out:
r0 = 0
exit
---
# case: unknown_prog_flag_bit_in_subprog
# unknown_prog_flag_bit run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: 1024
# expect: reject
# error: 
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
exit
---
# case: sleepable_flag_socket_filter_in_subprog
# sleepable_flag_socket_filter run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: sleepable
# expect: reject
# error: Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
exit
---
# case: xdp_has_frags_flag_in_subprog
# xdp_has_frags_flag run as the subprogram of a main that only calls it.
# type: xdp
# flags: xdp_has_frags
# expect: accept
call subprog
exit
subprog:
r0 = 2
exit
---
# case: kprobe_license_mit_plain_in_subprog
# kprobe_license_mit_plain run as the subprogram of a main that only calls it.
# type: kprobe
# license: MIT
# expect: accept
call subprog
exit
subprog:
r0 = 0
exit
---
# case: callx_register_call_in_subprog
# callx_register_call run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unknown opcode 8d
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r1 = 0
callx r1
r0 = 0
exit
---
# case: gotol_long_jump_in_subprog
# gotol_long_jump run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: unreachable insn 4
# insn: 4
# errno: EINVAL
call subprog
exit
subprog:
r0 = 0
gotol out
r0 = 1
out:
exit
---
# case: sign_extend_load_s32_from_stack_in_subprog
# sign_extend_load_s32_from_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = -1
*(u64 *)(r10 - 8) = r1
r0 = *(s32 *)(r10 - 8)
exit
---
# case: sign_extend_load_from_ctx_in_subprog
# sign_extend_load_from_ctx run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = *(s32 *)(r1 + 0)
exit
---
# case: sdiv_mod_32_bit_in_subprog
# sdiv_mod_32_bit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
w0 = -7
w0 s/= 2
w0 s%= 3
exit
---
# case: kernel_verifier_bug_stack_slot_count
# Found by the differential fuzz: Linux 6.18 refuses this valid program with an internal error (EFAULT,
# "verifier bug: stack slot ..."), a bug of its stack liveness; tsbpf accepts it (docs/verifier-differences.md).
# type: xdp
# expect: reject
# error: verifier bug: stack slot 1, total slots 0 (i >= func->allocated_stack / BPF_REG_SIZE)
# insn: 12
# errno: EFAULT
r6 = r1
r8 = 25
r9 = r8
r1 = 210
r9 %= r1
if r9 == 10 goto L1
*(u64 *)(r10 - 16) = r9
goto L2
L1:
r1 = r10
r1 += -8
*(u64 *)(r10 - 56) = r1
r2 = *(u64 *)(r10 - 56)
r1 = *(u8 *)(r2 + 0)
L2:
r2 = r10
r2 += -32
call f1
r9 ^= r0
r1 = r6
r2 = r10
r2 += -32
r3 = 21
call f2
exit
f1:
r7 = r2
r9 = 63
r1 = *(u64 *)(r7 + 16)
r9 += r1
r1 = r9
if r1 > 24 goto L6
r2 += r1
L6:
r0 = r9
exit
f2:
r8 = r3
r9 = 39
r9 += r1
*(u16 *)(r10 - 6) = 0
r0 = r9
exit
