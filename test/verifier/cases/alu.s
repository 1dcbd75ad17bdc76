# case: div_by_const_zero_dead_path
# type: socket_filter
# expect: accept
r0 = 1
if r0 == 1 goto out
r0 /= 0
out:
exit
---
# case: div_by_const_zero_live
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 1
# errno: EINVAL
r0 = 1
r0 /= 0
exit
---
# case: mod_by_const_zero_live
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 1
# errno: EINVAL
r0 = 1
r0 %= 0
exit
---
# case: div32_by_const_zero_live
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 1
# errno: EINVAL
w0 = 1
w0 /= 0
exit
---
# case: mod32_by_const_zero_dead_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
w0 = 5
if w0 != 0 goto out
w0 %= 0
out:
exit
---
# case: div_by_zero_register_runtime
# type: socket_filter
# expect: accept
r0 = 1
r1 = 0
r0 /= r1
exit
---
# case: div_by_unknown_register
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r0 = 100
r0 /= r2
exit
---
# case: sdiv_by_const_zero_live
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 1
# errno: EINVAL
r0 = 1
r0 s/= 0
exit
---
# case: sdiv_by_minus_one
# type: socket_filter
# expect: accept
r0 = 5
r0 s/= -1
exit
---
# case: smod_by_const_zero_dead
# type: socket_filter
# expect: accept
r0 = 0
if r0 == 0 goto out
r0 s%= 0
out:
exit
---
# case: shift_by_63
# type: socket_filter
# expect: accept
r0 = 1
r0 <<= 63
r0 = 0
exit
---
# case: shift_by_64
# type: socket_filter
# expect: reject
# error: invalid shift 64
# insn: 1
# errno: EINVAL
r0 = 1
r0 <<= 64
exit
---
# case: shift32_by_32
# type: socket_filter
# expect: reject
# error: invalid shift 32
# insn: 1
# errno: EINVAL
w0 = 1
w0 <<= 32
exit
---
# case: shift32_by_31
# type: socket_filter
# expect: accept
w0 = 1
w0 >>= 31
exit
---
# case: arsh_by_negative
# type: socket_filter
# expect: reject
# error: invalid shift -1
# insn: 1
# errno: EINVAL
r0 = 1
r0 s>>= -1
exit
---
# case: shift_by_unknown_register
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r0 = 1
r0 <<= r2
r0 = 0
exit
---
# case: alu32_zero_extends
# type: socket_filter
# expect: accept
r0 = -1
w0 += 0
r1 = r10
r1 += -8
r0 >>= 32
r1 += r0
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: alu32_result_bounded_index
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 4
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
w2 &= 7
r1 = r10
r1 += -8
r1 -= r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: alu32_mov_truncates_pointer
# type: socket_filter
# expect: accept
w0 = w1
r0 = 0
exit
---
# case: alu32_add_to_pointer
# type: socket_filter
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 1
# errno: EACCES
r1 = r10
w1 += 8
r0 = 0
exit
---
# case: ptr_add_const_to_stack_ptr
# type: socket_filter
# expect: accept
r1 = r10
r1 += -16
r1 += 8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: ptr_sub_const_from_stack_ptr
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 -= 8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ptr_mul
# type: socket_filter
# expect: reject
# error: R1 pointer arithmetic with *= operator prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 *= 2
r0 = 0
exit
---
# case: ptr_or
# type: socket_filter
# expect: reject
# error: R1 bitwise operator |= on pointer prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 |= 1
r0 = 0
exit
---
# case: ptr_and
# type: socket_filter
# expect: reject
# error: R1 bitwise operator &= on pointer prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 &= -8
r0 = 0
exit
---
# case: ptr_lsh
# type: socket_filter
# expect: reject
# error: R1 pointer arithmetic with <<= operator prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 <<= 1
r0 = 0
exit
---
# case: ptr_neg
# type: socket_filter
# expect: accept
r1 = r10
r1 = -r1
r0 = 0
exit
---
# case: ptr_plus_ptr
# type: socket_filter
# expect: reject
# error: R2 pointer += pointer prohibited
# insn: 1
# errno: EACCES
r2 = r10
r2 += r1
r0 = 0
exit
---
# case: ptr_minus_ptr_same_stack
# type: socket_filter
# expect: accept
r1 = r10
r2 = r10
r2 += -8
r1 -= r2
r0 = r1
exit
---
# case: scalar_minus_ptr
# type: socket_filter
# expect: reject
# error: R2 tried to subtract pointer from scalar
# insn: 1
# errno: EACCES
r2 = 8
r2 -= r10
r0 = 0
exit
---
# case: ctx_pointer_add_const
# type: socket_filter
# expect: accept
r1 += 8
r0 = 0
exit
---
# case: ctx_pointer_add_then_load
# type: socket_filter
# expect: reject
# error: dereference of modified ctx ptr R1 off=4 disallowed
# insn: 1
# errno: EACCES
r1 += 4
r0 = *(u32 *)(r1 + 0)
exit
---
# case: ctx_pointer_add_unknown
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r1 += r2
r0 = 0
exit
---
# case: ctx_pointer_sub_const_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
r1 -= 4
r0 = 0
exit
---
# case: ptr_compare_stack_pointers
# type: socket_filter
# expect: accept
r1 = r10
r2 = r10
r2 += -8
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: ptr_compare_with_zero
# type: socket_filter
# expect: accept
r0 = 0
if r1 == 0 goto out
r0 = 1
out:
exit
---
# case: ptr_compare_with_scalar
# type: socket_filter
# expect: accept
r2 = 100
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: return_pointer_priv
# type: socket_filter
# expect: accept
r0 = r10
exit
---
# case: return_ctx_pointer_priv
# type: socket_filter
# expect: accept
r0 = r1
exit
---
# case: mov_imm_sign_extends
# type: socket_filter
# expect: accept
r0 = -1
r0 >>= 63
exit
---
# case: mov32_imm_zero_extends
# type: socket_filter
# expect: accept
w0 = -1
r0 >>= 32
exit
---
# case: bswap_on_scalar
# type: socket_filter
# expect: accept
r0 = 0x1234
r0 = be16 r0
exit
---
# case: bswap_on_pointer
# type: socket_filter
# expect: accept
r0 = r10
r0 = be64 r0
r0 = 0
exit
---
# case: sign_extend_mov_8
# type: socket_filter
# expect: accept
r0 = 0xff
r0 = (s8)r0
r0 += 1
exit
---
# case: sign_extend_mov_on_pointer
# type: socket_filter
# expect: accept
r0 = (s32)r1
r0 = 0
exit
---
# case: sdiv_unknown_by_unknown
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r0 = *(u32 *)(r1 + 4)
r0 s/= r2
exit
---
# case: xor_self_gives_zero_index
# type: socket_filter
# expect: reject
# error: misaligned stack access off (0x0; 0xffffffff)+-8+0 size 8
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 ^= r2
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: sub_self_gives_zero_index
# type: socket_filter
# expect: reject
# error: value -4294967295 makes fp pointer be out of bounds
# insn: 4
# errno: EINVAL
r2 = *(u32 *)(r1 + 0)
r2 -= r2
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: mul_bounds_index
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r2 *= 8
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: mul_bounds_index_too_large
# type: socket_filter
# expect: reject
# error: invalid variable-offset write to stack R1 var_off=(0x0; 0x30) off=-32 size=8
# insn: 7
# errno: EINVAL
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r2 *= 16
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: rsh_bounds_index
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 >>= 29
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: uninit_register_in_alu
# type: socket_filter
# expect: reject
# error: R5 !read_ok
# insn: 1
# errno: EACCES
r0 = 0
r0 += r5
exit
---
# case: uninit_register_mov
# type: socket_filter
# expect: reject
# error: R7 !read_ok
# insn: 0
# errno: EACCES
r0 = r7
exit
---
# case: div_by_const_zero_dead_path_in_subprog
# div_by_const_zero_dead_path run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 1
if r0 == 1 goto out
r0 /= 0
out:
exit
---
# case: div_by_const_zero_live_in_subprog
# div_by_const_zero_live run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
r0 /= 0
exit
---
# case: mod_by_const_zero_live_in_subprog
# mod_by_const_zero_live run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
r0 %= 0
exit
---
# case: div32_by_const_zero_live_in_subprog
# div32_by_const_zero_live run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
w0 = 1
w0 /= 0
exit
---
# case: div_by_zero_register_runtime_in_subprog
# div_by_zero_register_runtime run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 1
r1 = 0
r0 /= r1
exit
---
# case: div_by_unknown_register_in_subprog
# div_by_unknown_register run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r0 = 100
r0 /= r2
exit
---
# case: sdiv_by_const_zero_live_in_subprog
# sdiv_by_const_zero_live run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: div by zero
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
r0 s/= 0
exit
---
# case: sdiv_by_minus_one_in_subprog
# sdiv_by_minus_one run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 5
r0 s/= -1
exit
---
# case: smod_by_const_zero_dead_in_subprog
# smod_by_const_zero_dead run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
if r0 == 0 goto out
r0 s%= 0
out:
exit
---
# case: shift_by_63_in_subprog
# shift_by_63 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 1
r0 <<= 63
r0 = 0
exit
---
# case: shift_by_64_in_subprog
# shift_by_64 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid shift 64
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
r0 <<= 64
exit
---
# case: shift32_by_32_in_subprog
# shift32_by_32 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid shift 32
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
w0 = 1
w0 <<= 32
exit
---
# case: shift32_by_31_in_subprog
# shift32_by_31 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
w0 = 1
w0 >>= 31
exit
---
# case: arsh_by_negative_in_subprog
# arsh_by_negative run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid shift -1
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = 1
r0 s>>= -1
exit
---
# case: shift_by_unknown_register_in_subprog
# shift_by_unknown_register run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r0 = 1
r0 <<= r2
r0 = 0
exit
---
# case: alu32_zero_extends_in_subprog
# alu32_zero_extends run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = -1
w0 += 0
r1 = r10
r1 += -8
r0 >>= 32
r1 += r0
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: alu32_result_bounded_index_in_subprog
# alu32_result_bounded_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
w2 &= 7
r1 = r10
r1 += -8
r1 -= r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: alu32_mov_truncates_pointer_in_subprog
# alu32_mov_truncates_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
w0 = w1
r0 = 0
exit
---
# case: alu32_add_to_pointer_in_subprog
# alu32_add_to_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
w1 += 8
r0 = 0
exit
---
# case: ptr_add_const_to_stack_ptr_in_subprog
# ptr_add_const_to_stack_ptr run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -16
r1 += 8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: ptr_sub_const_from_stack_ptr_in_subprog
# ptr_sub_const_from_stack_ptr run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 -= 8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: ptr_mul_in_subprog
# ptr_mul run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 pointer arithmetic with *= operator prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 *= 2
r0 = 0
exit
---
# case: ptr_or_in_subprog
# ptr_or run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 bitwise operator |= on pointer prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 |= 1
r0 = 0
exit
---
# case: ptr_and_in_subprog
# ptr_and run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 bitwise operator &= on pointer prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 &= -8
r0 = 0
exit
---
# case: ptr_lsh_in_subprog
# ptr_lsh run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 pointer arithmetic with <<= operator prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = r10
r1 <<= 1
r0 = 0
exit
---
# case: ptr_neg_in_subprog
# ptr_neg run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 = -r1
r0 = 0
exit
---
# case: ptr_plus_ptr_in_subprog
# ptr_plus_ptr run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R2 pointer += pointer prohibited
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r2 = r10
r2 += r1
r0 = 0
exit
---
# case: ptr_minus_ptr_same_stack_in_subprog
# ptr_minus_ptr_same_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = r10
r2 = r10
r2 += -8
r1 -= r2
r0 = r1
exit
---
# case: scalar_minus_ptr_in_subprog
# scalar_minus_ptr run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R2 tried to subtract pointer from scalar
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r2 = 8
r2 -= r10
r0 = 0
exit
---
# case: ctx_pointer_add_const_in_subprog
# ctx_pointer_add_const run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 += 8
r0 = 0
exit
---
# case: ctx_pointer_add_then_load_in_subprog
# ctx_pointer_add_then_load run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: dereference of modified ctx ptr R1 off=4 disallowed
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 += 4
r0 = *(u32 *)(r1 + 0)
exit
---
# case: ctx_pointer_add_unknown_in_subprog
# ctx_pointer_add_unknown run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r1 += r2
r0 = 0
exit
---
# case: ptr_compare_stack_pointers_in_subprog
# ptr_compare_stack_pointers run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = r10
r2 = r10
r2 += -8
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: ptr_compare_with_zero_in_subprog
# ptr_compare_with_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0
if r1 == 0 goto out
r0 = 1
out:
exit
---
# case: ptr_compare_with_scalar_in_subprog
# ptr_compare_with_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 100
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: return_pointer_priv_in_subprog
# return_pointer_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 3
# errno: EINVAL
call subprog
exit
subprog:
r0 = r10
exit
---
# case: return_ctx_pointer_priv_in_subprog
# return_ctx_pointer_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = r1
exit
---
# case: mov_imm_sign_extends_in_subprog
# mov_imm_sign_extends run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = -1
r0 >>= 63
exit
---
# case: mov32_imm_zero_extends_in_subprog
# mov32_imm_zero_extends run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
w0 = -1
r0 >>= 32
exit
---
# case: bswap_on_scalar_in_subprog
# bswap_on_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0x1234
r0 = be16 r0
exit
---
# case: bswap_on_pointer_in_subprog
# bswap_on_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = r10
r0 = be64 r0
r0 = 0
exit
---
# case: sign_extend_mov_8_in_subprog
# sign_extend_mov_8 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = 0xff
r0 = (s8)r0
r0 += 1
exit
---
# case: sign_extend_mov_on_pointer_in_subprog
# sign_extend_mov_on_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = (s32)r1
r0 = 0
exit
---
# case: sdiv_unknown_by_unknown_in_subprog
# sdiv_unknown_by_unknown run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r0 = *(u32 *)(r1 + 4)
r0 s/= r2
exit
---
# case: xor_self_gives_zero_index_in_subprog
# xor_self_gives_zero_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off (0x0; 0xffffffff)+-8+0 size 8
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 ^= r2
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: sub_self_gives_zero_index_in_subprog
# sub_self_gives_zero_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: value -4294967295 makes fp pointer be out of bounds
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 -= r2
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: mul_bounds_index_in_subprog
# mul_bounds_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r2 *= 8
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: mul_bounds_index_too_large_in_subprog
# mul_bounds_index_too_large run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid variable-offset write to stack R1 var_off=(0x0; 0x30) off=-32 size=8
# insn: 9
# errno: EINVAL
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r2 *= 16
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: rsh_bounds_index_in_subprog
# rsh_bounds_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 >>= 29
r1 = r10
r1 += -8
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: uninit_register_in_alu_in_subprog
# uninit_register_in_alu run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R5 !read_ok
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r0 = 0
r0 += r5
exit
---
# case: uninit_register_mov_in_subprog
# uninit_register_mov run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R7 !read_ok
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r0 = r7
exit
---
# case: ctx_pointer_add_unknown_then_load
# type: socket_filter
# expect: reject
# error: variable ctx access var_off=(0x0; 0xffffffff) disallowed
# insn: 2
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r1 += r2
r0 = *(u32 *)(r1 + 0)
exit
---
# case: ctx_pointer_add_unknown_then_load_in_callee
# type: socket_filter
# expect: reject
# error: variable ctx access var_off=(0x0; 0xffffffff) disallowed
# insn: 4
# errno: EACCES
call f
exit
f:
r2 = *(u32 *)(r1 + 0)
r1 += r2
r0 = *(u32 *)(r1 + 0)
exit
---
# case: ctx_pointer_variable_offset_passed_to_helper
# type: socket_filter
# expect: reject
# error: variable ctx access var_off=(0x0; 0x4) disallowed
# insn: 7
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 &= 4
r1 += r2
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = 0
exit
---
# case: flow_keys_pointer_add_const
# type: flow_dissector
# expect: accept
r2 = *(u64 *)(r1 + 144)
r2 += 8
r0 = *(u16 *)(r2 + 0)
r0 = 0
exit
---
# case: flow_keys_pointer_add_unknown
# type: flow_dissector
# expect: reject
# error: R2 pointer arithmetic on flow_keys prohibited
# insn: 2
# errno: EACCES
r2 = *(u64 *)(r1 + 144)
r3 = *(u16 *)(r2 + 0)
r2 += r3
r0 = 0
exit
---
# case: flow_keys_pointer_add_unknown_in_callee
# type: flow_dissector
# expect: reject
# error: R2 pointer arithmetic on flow_keys prohibited
# insn: 5
# errno: EACCES
call f
exit
f:
r2 = *(u64 *)(r1 + 144)
r3 = *(u16 *)(r2 + 0)
r3 &= 7
r2 += r3
r0 = 0
exit
---
# case: sock_common_or_null_arithmetic
# type: sched_cls
# expect: reject
# error: R2 pointer arithmetic on sock_common_or_null prohibited, null-check it first
# insn: 1
# errno: EACCES
r2 = *(u64 *)(r1 + 168)
r2 += 8
r0 = 0
exit
---
# case: sock_common_arithmetic_after_null_check
# type: sched_cls
# expect: reject
# error: R2 pointer arithmetic on sock_common prohibited
# insn: 2
# errno: EACCES
r2 = *(u64 *)(r1 + 168)
if r2 == 0 goto out
r2 += 8
out:
r0 = 0
exit
---
# case: sock_common_read_after_null_check_in_callee
# type: sched_cls
# expect: accept
r1 = *(u64 *)(r1 + 168)
if r1 == 0 goto out
call f
out:
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 4)
r0 = 0
exit
---
# case: pkt_end_compare_then_arith_on_pkt_end_in_callee
# type: xdp
# expect: reject
# error: R1 pointer arithmetic on pkt_end prohibited
# insn: 4
# errno: EACCES
r1 = *(u32 *)(r1 + 4)
call f
r0 = 2
exit
f:
r1 -= 1
r0 = 0
exit
---
# case: map_ptr_add_zero
# type: socket_filter
# map: array 4 8 1
# expect: accept
r1 = map0 ll
r1 += 0
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
call 1
r0 = 0
exit
---
# case: movsx_without_sign_extension_links_the_copy
# `r2 = (s32)r1` of a value below 2^31 is a plain copy: a bound learnt on r2 holds for r1.
# type: socket_filter
# expect: accept
r1 = *(u32 *)(r1 + 0)
r1 &= 63
r2 = (s32)r1
if r2 > 10 goto out
r3 = r10
r3 += -16
r3 += r1
*(u8 *)(r3 + 0) = 0
out:
r0 = 0
exit
---
# case: movsx_that_may_sign_extend_does_not_link
# type: socket_filter
# expect: reject
# error: invalid variable-offset write to stack R3 var_off=(0x0; 0xff) off=-16 size=1
# insn: 7
# errno: EINVAL
r1 = *(u32 *)(r1 + 0)
r1 &= 255
r2 = (s8)r1
if r2 > 10 goto out
r3 = r10
r3 += -16
r3 += r1
*(u8 *)(r3 + 0) = 0
out:
r0 = 0
exit
---
# case: mov32_of_a_32bit_value_links_the_copy
# type: socket_filter
# expect: accept
r1 = *(u32 *)(r1 + 0)
r1 &= 63
w2 = w1
if w2 > 10 goto out
r3 = r10
r3 += -16
r3 += r1
*(u8 *)(r3 + 0) = 0
out:
r0 = 0
exit
