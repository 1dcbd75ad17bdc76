# case: map_index_unsigned_lt_16
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 >= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_unsigned_lt_17_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 18
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 >= 17 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_unsigned_le_15
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_unsigned_reverse_const_first_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r2 = 16
if r2 <= r1 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_signed_lt_16_only
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 10
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s>= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_signed_range_0_15_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 s>= 16 goto done
if r1 s< 0 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_signed_range_minus1_15
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 min value is negative, either use unsigned index or do a if (index >=0) check.
# insn: 12
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s>= 16 goto out
if r1 s< -1 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_unsigned_then_signed_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 > 100 goto done
if r1 s> 15 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_signed_ge_0_then_unsigned
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s< 0 goto out
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_jmp32_unsigned_lt_16_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 17
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if w1 >= 16 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_jmp32_after_zext
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
w1 = w1
if w1 >= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_jmp32_signed_range_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
w1 = w1
if w1 s>= 16 goto done
if w1 s< 0 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_and_mask_15
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 &= 15
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_and_mask_31_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 18
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r1 &= 31
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_mod_16
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 10
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 %= 16
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_mod_17_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 17
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r1 %= 17
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_rsh_60
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 >>= 60
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_rsh_59_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 18
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r1 >>= 59
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_eq_const
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 != 7 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_ne_const_not_enough_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 17
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 == 7 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_lower_bound_only
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 10
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 < 4 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_upper_from_register_compare_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r2 = 15
if r1 > r2 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_upper_from_unknown_register
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 11
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = *(u64 *)(r6 + 8)
if r1 > r2 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_both_unknown_then_mask_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r2 = *(u64 *)(r6 + 8)
if r1 > r2 goto done
r1 &= 7
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_jset_clears_bits
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 & -16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_sub_brings_into_range_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 > 20 goto done
if r1 < 5 goto done
r1 -= 5
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_add_pushes_out_of_range
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 12
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 > 15 goto out
r1 += 1
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_neg_of_bounded_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
if r1 > 15 goto done
r1 = -r1
r1 += 15
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_u32_load_is_bounded_32bit
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 = *(u32 *)(r6 + 0)
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_u8_load_too_big_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 18
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r1 = *(u8 *)(r6 + 0)
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_u8_load_shifted_in_range
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 = *(u8 *)(r6 + 0)
r1 >>= 4
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_signed_load_s8_negative_in_callee
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = r1
r1 = r6
call f
out:
r0 = 0
exit
f:
r6 = r1
r1 = r2
r1 = *(s8 *)(r6 + 0)
if r1 > 15 goto done
r6 += r1
r0 = *(u8 *)(r6 + 0)
done:
r0 = 0
exit
---
# case: map_index_jmp32_signed_on_64bit_value
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 11
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
if w1 s> 15 goto out
if w1 s< 0 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_bounds_across_callee_check
# type: socket_filter
# map: array 4 16 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r1 = *(u64 *)(r6 + 0)
r7 = r1
r1 = r7
call check
if r0 == 0 goto out
r1 = r7
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
check:
r0 = 1
exit
---
# case: stack_index_bounded_in_callee_of_caller_buffer
# type: socket_filter
# map: array 4 16 1
# expect: accept
r6 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = r6
call f
r0 = 0
exit
f:
if r2 > 15 goto done
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
done:
r0 = 0
exit
---
# case: stack_index_off_by_one_in_callee_of_caller_buffer
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: invalid variable-offset write to stack R1 var_off=(0x0; 0x1f) off=-16 size=1
# insn: 10
# errno: EINVAL
r6 = *(u32 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = r6
call f
r0 = 0
exit
f:
if r2 > 16 goto done
r1 += r2
r3 = 0
*(u8 *)(r1 + 0) = r3
done:
r0 = 0
exit
---
# case: dead_branch_from_const_compare
# type: socket_filter
# expect: accept
r1 = 5
if r1 > 10 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: dead_branch_from_range_compare
# type: socket_filter
# expect: accept
r1 = *(u32 *)(r1 + 0)
r1 &= 3
if r1 > 3 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: live_branch_from_range_compare
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 5
# errno: EACCES
r1 = *(u32 *)(r1 + 0)
r1 &= 7
if r1 > 3 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: dead_branch_jmp32_upper_bits_ignored
# type: socket_filter
# expect: accept
r1 = 0x100000000 ll
if w1 != 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: live_branch_jmp64_upper_bits
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 3
# errno: EACCES
r1 = 0x100000000 ll
if r1 == 0 goto good
r0 = *(u64 *)(r10 + 8)
good:
r0 = 0
exit
---
# case: dead_branch_in_callee_from_const_arg
# type: socket_filter
# expect: accept
r1 = 2
call f
exit
f:
if r1 == 2 goto ok
r0 = *(u64 *)(r10 + 8)
ok:
r0 = 0
exit
---
# case: live_branch_in_callee_from_two_callers
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 7
# errno: EACCES
r1 = 2
call f
r1 = 3
call f
r0 = 0
exit
f:
if r1 == 2 goto ok
r0 = *(u64 *)(r10 + 8)
ok:
r0 = 0
exit
---
# case: signed_compare_negative_const_dead
# type: socket_filter
# expect: accept
r1 = -1
if r1 s> 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: unsigned_compare_negative_const_live
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 4
# errno: EACCES
r1 = -1
if r1 > 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: map_index_unsigned_lt_16_in_subprog
# map_index_unsigned_lt_16 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 >= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_unsigned_le_15_in_subprog
# map_index_unsigned_le_15 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_signed_lt_16_only_in_subprog
# map_index_signed_lt_16_only run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 12
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s>= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_signed_range_minus1_15_in_subprog
# map_index_signed_range_minus1_15 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 min value is negative, either use unsigned index or do a if (index >=0) check.
# insn: 14
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s>= 16 goto out
if r1 s< -1 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_signed_ge_0_then_unsigned_in_subprog
# map_index_signed_ge_0_then_unsigned run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 s< 0 goto out
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_jmp32_after_zext_in_subprog
# map_index_jmp32_after_zext run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
w1 = w1
if w1 >= 16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_and_mask_15_in_subprog
# map_index_and_mask_15 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 &= 15
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_mod_16_in_subprog
# map_index_mod_16 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 12
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 %= 16
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_rsh_60_in_subprog
# map_index_rsh_60 run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 >>= 60
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_eq_const_in_subprog
# map_index_eq_const run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 != 7 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_lower_bound_only_in_subprog
# map_index_lower_bound_only run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 12
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 < 4 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_upper_from_unknown_register_in_subprog
# map_index_upper_from_unknown_register run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 13
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r2 = *(u64 *)(r6 + 8)
if r1 > r2 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_jset_clears_bits_in_subprog
# map_index_jset_clears_bits run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 & -16 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_add_pushes_out_of_range_in_subprog
# map_index_add_pushes_out_of_range run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R6 max value is outside of the allowed memory range
# insn: 14
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if r1 > 15 goto out
r1 += 1
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_u32_load_is_bounded_32bit_in_subprog
# map_index_u32_load_is_bounded_32bit run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 = *(u32 *)(r6 + 0)
if r1 > 15 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_u8_load_shifted_in_range_in_subprog
# map_index_u8_load_shifted_in_range run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
r1 = *(u8 *)(r6 + 0)
r1 >>= 4
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: map_index_jmp32_signed_on_64bit_value_in_subprog
# map_index_jmp32_signed_on_64bit_value run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 13
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
r6 = r0
r1 = *(u64 *)(r6 + 0)
if w1 s> 15 goto out
if w1 s< 0 goto out
r6 += r1
r0 = *(u8 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: dead_branch_from_const_compare_in_subprog
# dead_branch_from_const_compare run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 5
if r1 > 10 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: dead_branch_from_range_compare_in_subprog
# dead_branch_from_range_compare run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = *(u32 *)(r1 + 0)
r1 &= 3
if r1 > 3 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: live_branch_from_range_compare_in_subprog
# live_branch_from_range_compare run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r1 = *(u32 *)(r1 + 0)
r1 &= 7
if r1 > 3 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: dead_branch_jmp32_upper_bits_ignored_in_subprog
# dead_branch_jmp32_upper_bits_ignored run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0x100000000 ll
if w1 != 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: live_branch_jmp64_upper_bits_in_subprog
# live_branch_jmp64_upper_bits run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r1 = 0x100000000 ll
if r1 == 0 goto good
r0 = *(u64 *)(r10 + 8)
good:
r0 = 0
exit
---
# case: signed_compare_negative_const_dead_in_subprog
# signed_compare_negative_const_dead run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = -1
if r1 s> 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
---
# case: unsigned_compare_negative_const_live_in_subprog
# unsigned_compare_negative_const_live run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: invalid read from stack R10 off=8 size=8
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r1 = -1
if r1 > 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 + 8)
exit
