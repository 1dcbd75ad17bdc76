# case: zero_store_reads_back_zero_as_divisor_guard
# A stored zero reads back as known zero: the dead division path is pruned.
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = *(u64 *)(r10 - 8)
r0 = 1
if r2 != 0 goto out
r0 = 0
out:
exit
---
# case: zero_imm_store_reads_back_zero_index
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = 0
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: zero_u32_imm_store_reads_back_zero_index
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 8) = 0
r2 = *(u32 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: zero_byte_store_reads_back_zero
# type: socket_filter
# expect: accept
*(u8 *)(r10 - 1) = 0
r2 = *(u8 *)(r10 - 1)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: nonzero_imm_store_read_back_unknown
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 8) = 8
r2 = *(u32 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: spilled_constant_reads_back_exact
# type: socket_filter
# expect: accept
r2 = 8
*(u64 *)(r10 - 8) = r2
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: zero_from_callee_stack_used_as_divisor_dead
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r2 = *(u64 *)(r10 - 8)
r0 = 100
if r2 == 0 goto out
r0 /= r2
out:
exit
f:
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: zero_written_by_callee_reads_known_zero
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
f:
*(u64 *)(r1 + 0) = 0
r0 = 0
exit
---
# case: partial_spill_u32_of_u64_reg
# type: socket_filter
# expect: accept
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
exit
---
# case: partial_spill_read_wider
# type: socket_filter
# expect: accept
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: partial_spill_read_other_half
# type: socket_filter
# expect: accept
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 4)
exit
---
# case: spill_fill_ctx_pointer
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = 0
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_ctx_pointer_fill_u32
# type: socket_filter
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r2 = *(u32 *)(r10 - 8)
r0 = 0
exit
---
# case: spill_ctx_pointer_fill_u32_deref
# type: socket_filter
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r1 = *(u32 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_ctx_pointer_32bit_store
# type: socket_filter
# expect: reject
# error: invalid size of register spill
# insn: 0
# errno: EACCES
*(u32 *)(r10 - 8) = r1
r0 = 0
exit
---
# case: spill_pointer_misaligned
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 0
# errno: EACCES
*(u64 *)(r10 - 12) = r1
r0 = 0
exit
---
# case: spill_pointer_overwrite_byte_then_fill
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 3
# errno: EACCES
*(u64 *)(r10 - 8) = r1
*(u8 *)(r10 - 8) = 0
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_fill_stack_pointer
# type: socket_filter
# expect: accept
r2 = r10
r2 += -16
*(u64 *)(r10 - 8) = r2
r3 = *(u64 *)(r10 - 8)
r4 = 5
*(u64 *)(r3 + 0) = r4
r0 = *(u64 *)(r10 - 16)
exit
---
# case: spill_fill_scalar_bounds_kept
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 7
*(u64 *)(r10 - 8) = r2
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: spill_fill_scalar_bounds_across_call
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 7
*(u64 *)(r10 - 24) = r2
call f
r2 = *(u64 *)(r10 - 24)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
f:
r0 = 0
exit
---
# case: stack_write_off_minus_512
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 512) = r1
r0 = 0
exit
---
# case: stack_write_off_minus_520
# type: socket_filter
# expect: reject
# error: invalid write to stack R10 off=-520 size=8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 520) = r1
r0 = 0
exit
---
# case: stack_write_off_minus_516
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-516 size 8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 516) = r1
r0 = 0
exit
---
# case: stack_write_off_zero
# type: socket_filter
# expect: reject
# error: invalid write to stack R10 off=0 size=8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 + 0) = r1
r0 = 0
exit
---
# case: stack_write_straddles_fp
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-4 size 8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 4) = r1
r0 = 0
exit
---
# case: stack_read_positive_offset
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r10 + 8)
exit
---
# case: stack_read_below_512
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=-520 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r10 - 520)
exit
---
# case: stack_read_uninit_priv
# type: socket_filter
# expect: accept
r0 = *(u64 *)(r10 - 8)
exit
---
# case: stack_write_oob_in_callee
# type: socket_filter
# expect: reject
# error: invalid write to stack R10 off=-520 size=8
# insn: 3
# errno: EACCES
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 520) = r1
r0 = 0
exit
---
# case: stack_misaligned_u64_write
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 12) = r1
r0 = *(u32 *)(r10 - 12)
exit
---
# case: stack_misaligned_u32_write_strict
# type: socket_filter
# flags: strict_alignment
# expect: reject
# error: misaligned stack access off 0+0+-6 size 4
# insn: 1
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 6) = r1
r0 = 0
exit
---
# case: stack_misaligned_u64_write_strict
# type: socket_filter
# flags: strict_alignment
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 1
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 12) = r1
r0 = 0
exit
---
# case: stack_aligned_write_strict
# type: socket_filter
# flags: strict_alignment
# expect: accept
r1 = 0
*(u64 *)(r10 - 16) = r1
r0 = *(u64 *)(r10 - 16)
exit
---
# case: stack_misaligned_u16_read_strict
# type: socket_filter
# flags: strict_alignment
# expect: reject
# error: misaligned stack access off 0+0+-7 size 2
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = 0
r0 = *(u16 *)(r10 - 7)
exit
---
# case: r10_write_mov
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 0
# errno: EACCES
r10 = 0
r0 = 0
exit
---
# case: r10_write_add
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 0
# errno: EACCES
r10 += 8
r0 = 0
exit
---
# case: r10_write_w
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 0
# errno: EACCES
w10 = 1
r0 = 0
exit
---
# case: r10_as_load_dst
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 0
# errno: EACCES
r10 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: r10_neg
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 0
# errno: EACCES
r10 = -r10
r0 = 0
exit
---
# case: r10_copied_and_modified
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: stack_variable_offset_write_priv
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 24
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: stack_variable_offset_read_priv
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 24
r1 = r10
r1 += -32
r1 += r2
r0 = *(u64 *)(r1 + 0)
exit
---
# case: stack_variable_offset_unbounded
# type: socket_filter
# expect: reject
# error: misaligned stack access off (0x0; 0xffffffff)+-32+0 size 8
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: narrow_imm_store_reads_back_exact
# A 2-byte immediate at the start of a slot is a spill the kernel keeps: the fill is the constant.
# type: socket_filter
# expect: accept
*(u16 *)(r10 - 8) = 149
r1 = *(u16 *)(r10 - 8)
if r1 == 149 goto ok
r0 = *(u8 *)(r1 + 0)
ok:
r0 = 0
exit
---
# case: narrow_register_spill_reads_back_exact
# type: socket_filter
# expect: accept
r1 = 5
*(u8 *)(r10 - 16) = r1
r2 = *(u8 *)(r10 - 16)
if r2 == 5 goto ok
r0 = *(u8 *)(r2 + 0)
ok:
r0 = 0
exit
---
# case: zero_spill_upper_half_reads_zero
# Reading part of a spilled zero (not from the slot's start) is still zero.
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = *(u32 *)(r10 - 4)
if r2 == 0 goto ok
r0 = *(u8 *)(r2 + 0)
ok:
r0 = 0
exit
---
# case: narrow_spill_of_wide_value_fills_narrowed
# A 4-byte spill of a 64-bit constant: the slot keeps the register, the fill keeps its low 32 bits.
# type: socket_filter
# expect: accept
r1 = 0x100000007 ll
*(u32 *)(r10 - 8) = r1
r2 = *(u32 *)(r10 - 8)
if r2 == 7 goto ok
r0 = *(u8 *)(r2 + 0)
ok:
r0 = 0
exit
---
# case: stack_variable_offset_unbounded_byte
# An aligned access with an index of up to 2^32: refused as unbounded before the bounds are compared.
# type: socket_filter
# expect: reject
# error: invalid unbounded variable-offset write to stack R1
# insn: 4
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -32
r1 += r2
*(u8 *)(r1 + 0) = 0
r0 = 0
exit
---
# case: stack_variable_offset_runs_past_fp
# The first byte is in the stack, the last may be past the frame pointer: EINVAL, not EACCES.
# type: socket_filter
# expect: reject
# error: invalid variable-offset write to stack R1 var_off=(0x0; 0x3f) off=-32 size=1
# insn: 5
# errno: EINVAL
r2 = *(u32 *)(r1 + 0)
r2 &= 63
r1 = r10
r1 += -32
r1 += r2
*(u8 *)(r1 + 0) = 0
r0 = 0
exit
---
# case: stack_variable_offset_starts_below_512
# type: socket_filter
# expect: reject
# error: invalid variable-offset read from stack R1 var_off=(0x0; 0x3f) off=-540 size=1
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 &= 63
r1 = r10
r1 += -540
r1 += r2
r0 = *(u8 *)(r1 + 0)
r0 = 0
exit
---
# case: stack_pointer_subtract_unknown
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 3
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 &= 15
r1 = r10
r1 -= r2
r3 = 0
*(u8 *)(r1 - 1) = r3
r0 = 0
exit
---
# case: stack_store_imm_u64_min_offset
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 512) = 1
r0 = *(u64 *)(r10 - 512)
exit
---
# case: stack_spill_in_callee_used_in_callee
# type: socket_filter
# expect: accept
call f
exit
f:
*(u64 *)(r10 - 8) = r1
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: callee_stack_independent_of_caller
# type: socket_filter
# expect: accept
r1 = 1
*(u64 *)(r10 - 8) = r1
call f
r0 = *(u64 *)(r10 - 8)
exit
f:
r1 = 2
*(u64 *)(r10 - 8) = r1
r0 = 0
exit
---
# case: stack_u8_writes_then_u32_read
# type: socket_filter
# expect: accept
*(u8 *)(r10 - 4) = 1
*(u8 *)(r10 - 3) = 2
*(u8 *)(r10 - 2) = 3
*(u8 *)(r10 - 1) = 4
r0 = *(u32 *)(r10 - 4)
exit
---
# case: stack_pointer_in_map_value_store
# type: socket_filter
# map: array 4 8 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r10
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: zero_store_reads_back_zero_as_divisor_guard_in_subprog
# zero_store_reads_back_zero_as_divisor_guard run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = *(u64 *)(r10 - 8)
r0 = 1
if r2 != 0 goto out
r0 = 0
out:
exit
---
# case: zero_imm_store_reads_back_zero_index_in_subprog
# zero_imm_store_reads_back_zero_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = 0
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: zero_u32_imm_store_reads_back_zero_index_in_subprog
# zero_u32_imm_store_reads_back_zero_index run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 8) = 0
r2 = *(u32 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: zero_byte_store_reads_back_zero_in_subprog
# zero_byte_store_reads_back_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u8 *)(r10 - 1) = 0
r2 = *(u8 *)(r10 - 1)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: nonzero_imm_store_read_back_unknown_in_subprog
# nonzero_imm_store_read_back_unknown run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 8) = 8
r2 = *(u32 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: spilled_constant_reads_back_exact_in_subprog
# spilled_constant_reads_back_exact run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 8
*(u64 *)(r10 - 8) = r2
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: partial_spill_u32_of_u64_reg_in_subprog
# partial_spill_u32_of_u64_reg run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
exit
---
# case: partial_spill_read_wider_in_subprog
# partial_spill_read_wider run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: partial_spill_read_other_half_in_subprog
# partial_spill_read_other_half run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 7
*(u32 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 4)
exit
---
# case: spill_fill_ctx_pointer_in_subprog
# spill_fill_ctx_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
r1 = 0
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_ctx_pointer_fill_u32_in_subprog
# spill_ctx_pointer_fill_u32 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid size of register fill
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
r2 = *(u32 *)(r10 - 8)
r0 = 0
exit
---
# case: spill_ctx_pointer_fill_u32_deref_in_subprog
# spill_ctx_pointer_fill_u32_deref run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid size of register fill
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
r1 = *(u32 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_ctx_pointer_32bit_store_in_subprog
# spill_ctx_pointer_32bit_store run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid size of register spill
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 8) = r1
r0 = 0
exit
---
# case: spill_pointer_misaligned_in_subprog
# spill_pointer_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 12) = r1
r0 = 0
exit
---
# case: spill_pointer_overwrite_byte_then_fill_in_subprog
# spill_pointer_overwrite_byte_then_fill run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
*(u8 *)(r10 - 8) = 0
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spill_fill_stack_pointer_in_subprog
# spill_fill_stack_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = r10
r2 += -16
*(u64 *)(r10 - 8) = r2
r3 = *(u64 *)(r10 - 8)
r4 = 5
*(u64 *)(r3 + 0) = r4
r0 = *(u64 *)(r10 - 16)
exit
---
# case: spill_fill_scalar_bounds_kept_in_subprog
# spill_fill_scalar_bounds_kept run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 7
*(u64 *)(r10 - 8) = r2
r2 = *(u64 *)(r10 - 8)
r1 = r10
r1 += -16
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: stack_write_off_minus_512_in_subprog
# stack_write_off_minus_512 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 512) = r1
r0 = 0
exit
---
# case: stack_write_off_minus_520_in_subprog
# stack_write_off_minus_520 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R10 off=-520 size=8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 520) = r1
r0 = 0
exit
---
# case: stack_write_off_minus_516_in_subprog
# stack_write_off_minus_516 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-516 size 8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 516) = r1
r0 = 0
exit
---
# case: stack_write_off_zero_in_subprog
# stack_write_off_zero run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid write to stack R10 off=0 size=8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 + 0) = r1
r0 = 0
exit
---
# case: stack_write_straddles_fp_in_subprog
# stack_write_straddles_fp run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-4 size 8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 4) = r1
r0 = 0
exit
---
# case: stack_read_positive_offset_in_subprog
# stack_read_positive_offset run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: stack_read_below_512_in_subprog
# stack_read_below_512 run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=-520 size=8
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r0 = *(u64 *)(r10 - 520)
exit
---
# case: stack_read_uninit_priv_in_subprog
# stack_read_uninit_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r0 = *(u64 *)(r10 - 8)
exit
---
# case: stack_misaligned_u64_write_in_subprog
# stack_misaligned_u64_write run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 12) = r1
r0 = *(u32 *)(r10 - 12)
exit
---
# case: stack_misaligned_u32_write_strict_in_subprog
# stack_misaligned_u32_write_strict run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: strict_alignment
# expect: reject
# error: misaligned stack access off 0+0+-6 size 4
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u32 *)(r10 - 6) = r1
r0 = 0
exit
---
# case: stack_misaligned_u64_write_strict_in_subprog
# stack_misaligned_u64_write_strict run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: strict_alignment
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
# case: stack_aligned_write_strict_in_subprog
# stack_aligned_write_strict run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: strict_alignment
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 16) = r1
r0 = *(u64 *)(r10 - 16)
exit
---
# case: stack_misaligned_u16_read_strict_in_subprog
# stack_misaligned_u16_read_strict run as the subprogram of a main that only calls it.
# type: socket_filter
# flags: strict_alignment
# expect: reject
# error: misaligned stack access off 0+0+-7 size 2
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = 0
r0 = *(u16 *)(r10 - 7)
exit
---
# case: r10_write_mov_in_subprog
# r10_write_mov run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r10 = 0
r0 = 0
exit
---
# case: r10_write_add_in_subprog
# r10_write_add run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r10 += 8
r0 = 0
exit
---
# case: r10_write_w_in_subprog
# r10_write_w run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
w10 = 1
r0 = 0
exit
---
# case: r10_as_load_dst_in_subprog
# r10_as_load_dst run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r10 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: r10_neg_in_subprog
# r10_neg run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
call subprog
exit
subprog:
r10 = -r10
r0 = 0
exit
---
# case: r10_copied_and_modified_in_subprog
# r10_copied_and_modified run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = r10
r1 += -8
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: stack_variable_offset_write_priv_in_subprog
# stack_variable_offset_write_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 24
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: stack_variable_offset_read_priv_in_subprog
# stack_variable_offset_read_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 24
r1 = r10
r1 += -32
r1 += r2
r0 = *(u64 *)(r1 + 0)
exit
---
# case: stack_variable_offset_unbounded_in_subprog
# stack_variable_offset_unbounded run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off (0x0; 0xffffffff)+-32+0 size 8
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -32
r1 += r2
r3 = 0
*(u64 *)(r1 + 0) = r3
r0 = 0
exit
---
# case: stack_pointer_subtract_unknown_in_subprog
# stack_pointer_subtract_unknown run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R1 subtraction from stack pointer prohibited
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r2 &= 15
r1 = r10
r1 -= r2
r3 = 0
*(u8 *)(r1 - 1) = r3
r0 = 0
exit
---
# case: stack_store_imm_u64_min_offset_in_subprog
# stack_store_imm_u64_min_offset run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u64 *)(r10 - 512) = 1
r0 = *(u64 *)(r10 - 512)
exit
---
# case: stack_u8_writes_then_u32_read_in_subprog
# stack_u8_writes_then_u32_read run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u8 *)(r10 - 4) = 1
*(u8 *)(r10 - 3) = 2
*(u8 *)(r10 - 2) = 3
*(u8 *)(r10 - 1) = 4
r0 = *(u32 *)(r10 - 4)
exit
---
# case: stack_pointer_in_map_value_store_in_subprog
# stack_pointer_in_map_value_store run as the subprogram of a main that only calls it.
# type: socket_filter
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
r1 = r10
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: narrow_zero_spill_beside_zero_bytes_reads_unknown
# An aligned 4-byte store of a zero register is a 4-byte spill of 0 (not zero bytes), so an 8-byte read over it
# and the zero bytes above it is an unknown scalar.
# type: socket_filter
# expect: reject
# error: R2 invalid mem access 'scalar'
# insn: 6
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 8) = r1
*(u32 *)(r10 - 4) = r1
r2 = *(u64 *)(r10 - 8)
r0 = 0
if r2 == 0 goto +1
r0 = *(u64 *)(r2 + 0)
exit
---
# case: narrow_zero_spill_inner_read_is_zero
# A read inside a spilled constant 0 that is not a fill from its start still gives 0.
# type: socket_filter
# expect: accept
r1 = 0
*(u32 *)(r10 - 8) = r1
r2 = *(u16 *)(r10 - 6)
r0 = 0
if r2 == 0 goto +1
r0 = *(u64 *)(r2 + 0)
exit
---
# case: helper_write_into_spill_scrubs_zero_bytes
# A helper writing into a slot that holds a spill turns the whole slot into unknown data, zero bytes included.
# type: socket_filter
# expect: reject
# error: R2 invalid mem access 'scalar'
# insn: 13
# errno: EACCES
r6 = r1
*(u32 *)(r10 - 4) = 0
r2 = 5
*(u32 *)(r10 - 8) = r2
r1 = r6
r2 = 0
r3 = r10
r3 += -8
r4 = 2
call 26
r2 = *(u32 *)(r10 - 4)
r0 = 0
if r2 == 0 goto +1
r0 = *(u64 *)(r2 + 0)
exit
---
# case: misaligned_write_into_spill_scrubs_zero_bytes
# A store that only partly overwrites a spill turns the whole slot into unknown data, zero bytes included.
# type: socket_filter
# expect: reject
# error: R2 invalid mem access 'scalar'
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = 5
*(u32 *)(r10 - 8) = r2
*(u16 *)(r10 - 6) = r2
r2 = *(u16 *)(r10 - 2)
r0 = 0
if r2 == 0 goto +1
r0 = *(u64 *)(r2 + 0)
exit
