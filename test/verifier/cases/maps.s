# case: lookup_with_null_check
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_without_null_check
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 6
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: lookup_null_check_ne
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 0 goto found
exit
found:
r1 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: lookup_deref_on_null_branch
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'scalar'
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 0 goto out
r1 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_read_last_byte
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u8 *)(r0 + 7)
out:
r0 = 0
exit
---
# case: lookup_value_read_past_end
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u8 *)(r0 + 8)
out:
r0 = 0
exit
---
# case: lookup_value_u64_read_straddles_end
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 4)
out:
r0 = 0
exit
---
# case: lookup_value_negative_offset
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u8 *)(r0 - 1)
out:
r0 = 0
exit
---
# case: lookup_value_write
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 5
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_bounded
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_too_wide
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 max value is outside of the allowed memory range
# insn: 10
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 15
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_unbounded
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 unbounded memory access, make sure to bounds check any such access
# insn: 9
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_signed_bound_only
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 9
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 s> 7 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_signed_both_bounds
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 s> 7 goto out
if r1 s< 0 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_unsigned_bound
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 > 7 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_unsigned_bound_off_by_one
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 max value is outside of the allowed memory range
# insn: 10
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 > 8 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_pointer_passed_to_callee
# type: socket_filter
# map: hash 4 8 16
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
r2 = 1
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: lookup_or_null_passed_to_callee
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 invalid mem access 'map_value_or_null'
# insn: 10
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r1 = r0
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: lookup_in_callee_returns_or_null
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 1
# errno: EACCES
call f
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
f:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
exit
---
# case: lookup_in_callee_checked_in_caller
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call f
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
f:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
exit
---
# case: lookup_key_uninit_priv
# type: socket_filter
# map: hash 4 8 16
# expect: accept
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_key_out_of_stack
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: invalid read from stack R2 off=-2 size=4
# insn: 4
# errno: EINVAL
r2 = r10
r2 += -2
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_key_is_scalar
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# insn: 3
# errno: EACCES
r2 = 0
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_map_arg_is_scalar
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 type=scalar expected=map_ptr
# insn: 4
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = 0
call 1
r0 = 0
exit
---
# case: lookup_map_arg_is_ctx
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 type=ctx expected=map_ptr
# insn: 3
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
call 1
r0 = 0
exit
---
# case: lookup_key_from_map_value
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r2 = r0
r1 = map0 ll
call 1
out:
r0 = 0
exit
---
# case: update_value_on_stack
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r1 = 0
*(u64 *)(r10 - 16) = r1
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
# case: update_value_too_short
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: invalid read from stack R3 off=-4 size=8
# insn: 8
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -4
r4 = 0
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: update_missing_flags_arg
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R4 !read_ok
# insn: 9
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r1 = 0
*(u64 *)(r10 - 16) = r1
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: delete_elem
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 3
r0 = 0
exit
---
# case: array_lookup_const_key
# type: socket_filter
# map: array 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: array_lookup_without_null_check
# type: socket_filter
# map: array 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: array_lookup_key_spilled_as_u32
# A constant spilled as 4 bytes, as wide as the key: the lookup cannot fail (kernel get_constant_map_key).
# type: socket_filter
# map: array 4 8 4
# expect: accept
r1 = 3
*(u32 *)(r10 - 8) = r1
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: array_lookup_key_spilled_as_u64
# A constant spilled as 8 bytes is no constant key for a 4-byte key (the spill must be exactly as wide), so
# the lookup may fail and the value needs a null check.
# type: socket_filter
# map: array 4 8 4
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 7
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: array_lookup_key_in_upper_half_of_u64_spill
# The key in the upper half of an 8-byte spill: four spilled bytes from the key on, so the kernel takes the
# whole spilled value (here 1 << 32, beyond max_entries) as the key, and the lookup may fail.
# type: socket_filter
# map: array 4 8 4
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 8
# errno: EACCES
r1 = 1
r1 <<= 32
*(u64 *)(r10 - 8) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: array_lookup_key_in_upper_half_of_small_u64_spill
# The same with 2 spilled: the key's bytes hold 0, the kernel takes 2, in range either way: no null check.
# type: socket_filter
# map: array 4 8 4
# expect: accept
r1 = 2
*(u64 *)(r10 - 8) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: map_value_direct_load
# type: socket_filter
# map: array 4 8 1
# expect: accept
r1 = mapval0 + 0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_value_direct_offset_past_end
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: invalid access to map value pointer, value_size=8 off=8
# insn: none
# errno: EINVAL
r1 = mapval0 + 8 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_value_direct_load_in_callee
# type: socket_filter
# map: array 4 8 1
# expect: accept
call f
exit
f:
r1 = mapval0 + 4 ll
r0 = *(u32 *)(r1 + 0)
exit
---
# case: map_value_direct_hash_refused
# type: socket_filter
# map: hash 4 8 1
# expect: reject
# error: no direct value access support for this map type
# insn: none
# errno: EINVAL
r1 = mapval0 + 0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_reference_bad_index
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: fd -1 is not pointing to valid bpf_map
# insn: none
# errno: EBADF
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
r0 = 0
exit
---
# case: map_pointer_deref
# type: socket_filter
# map: hash 4 8 16
# expect: accept
r1 = map0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_pointer_arithmetic
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 pointer arithmetic on map_ptr prohibited
# insn: 2
# errno: EACCES
r1 = map0 ll
r1 += 8
r0 = 0
exit
---
# case: map_pointer_spill_fill
# type: socket_filter
# map: hash 4 8 16
# expect: accept
r1 = map0 ll
*(u64 *)(r10 - 8) = r1
r1 = *(u64 *)(r10 - 8)
*(u32 *)(r10 - 12) = 0
r2 = r10
r2 += -12
call 1
r0 = 0
exit
---
# case: map_pointer_passed_to_callee
# type: socket_filter
# map: hash 4 8 16
# expect: accept
r1 = map0 ll
call f
r0 = 0
exit
f:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
call 1
r0 = 0
exit
---
# case: two_maps_lookup_both
# type: socket_filter
# map: hash 4 8 16
# map: array 4 16 2
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r1 = *(u64 *)(r6 + 0)
r2 = *(u32 *)(r0 + 12)
out:
r0 = 0
exit
---
# case: two_maps_second_value_oob
# type: socket_filter
# map: hash 4 8 16
# map: array 4 16 2
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 15
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r1 = *(u64 *)(r6 + 0)
r2 = *(u32 *)(r0 + 16)
out:
r0 = 0
exit
---
# case: null_check_copy_propagates
# type: socket_filter
# map: hash 4 8 16
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
if r0 == 0 goto out
r0 = *(u64 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: null_check_after_arith
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 pointer arithmetic on map_value_or_null prohibited, null-check it first
# insn: 6
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 += 4
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: ringbuf_reserve_submit
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: accept
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
r1 = 0
*(u64 *)(r0 + 0) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 0
exit
---
# case: ringbuf_reserve_leak
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: BPF_EXIT instruction in main prog would lead to reference leak
# insn: 6
# errno: EINVAL
r1 = map0 ll
r2 = 8
r3 = 0
call 131
r0 = 0
exit
---
# case: ringbuf_reserve_not_null_checked
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R1 type=ringbuf_mem_or_null expected=ringbuf_mem
# insn: 7
# errno: EACCES
r1 = map0 ll
r2 = 8
r3 = 0
call 131
r1 = r0
r2 = 0
call 132
r0 = 0
exit
---
# case: ringbuf_reserve_write_past_size
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 7
# errno: EACCES
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
r1 = 0
*(u64 *)(r0 + 4) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 0
exit
---
# case: ringbuf_reserve_size_not_const
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R2 is not a known constant'
# insn: 5
# errno: EACCES
r6 = *(u32 *)(r1 + 0)
r1 = map0 ll
r2 = r6
r3 = 0
call 131
if r0 == 0 goto out
r1 = r0
r2 = 0
call 133
out:
r0 = 0
exit
---
# case: ringbuf_submit_in_callee
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: accept
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
r1 = r0
call f
out:
r0 = 0
exit
f:
r2 = 0
call 132
r0 = 0
exit
---
# case: percpu_array_lookup
# type: socket_filter
# map: percpu_array 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_wrong_map_type_prog_array
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: cannot pass map_type 3 into func bpf_map_lookup_elem#1
# insn: 5
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: queue_push_elem
# type: socket_filter
# map: queue 0 8 16
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = r10
r2 += -8
r3 = 0
r1 = map0 ll
call 87
r0 = 0
exit
---
# case: queue_lookup_refused
# type: socket_filter
# map: queue 0 8 16
# expect: reject
# error: invalid zero-sized read
# insn: 5
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_with_null_check_in_subprog
# lookup_with_null_check run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_without_null_check_in_subprog
# lookup_without_null_check run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: lookup_null_check_ne_in_subprog
# lookup_null_check_ne run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 0 goto found
exit
found:
r1 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: lookup_deref_on_null_branch_in_subprog
# lookup_deref_on_null_branch run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'scalar'
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
if r0 != 0 goto out
r1 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_read_last_byte_in_subprog
# lookup_value_read_last_byte run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r1 = *(u8 *)(r0 + 7)
out:
r0 = 0
exit
---
# case: lookup_value_read_past_end_in_subprog
# lookup_value_read_past_end run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
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
r1 = *(u8 *)(r0 + 8)
out:
r0 = 0
exit
---
# case: lookup_value_u64_read_straddles_end_in_subprog
# lookup_value_u64_read_straddles_end run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
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
r1 = *(u64 *)(r0 + 4)
out:
r0 = 0
exit
---
# case: lookup_value_negative_offset_in_subprog
# lookup_value_negative_offset run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 min value is outside of the allowed memory range
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
r1 = *(u8 *)(r0 - 1)
out:
r0 = 0
exit
---
# case: lookup_value_write_in_subprog
# lookup_value_write run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r1 = 5
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_bounded_in_subprog
# lookup_value_variable_offset_bounded run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_too_wide_in_subprog
# lookup_value_variable_offset_too_wide run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 max value is outside of the allowed memory range
# insn: 12
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
r1 = *(u32 *)(r0 + 0)
r1 &= 15
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_variable_offset_unbounded_in_subprog
# lookup_value_variable_offset_unbounded run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 unbounded memory access, make sure to bounds check any such access
# insn: 11
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
r1 = *(u32 *)(r0 + 0)
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_signed_bound_only_in_subprog
# lookup_value_signed_bound_only run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 11
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
r1 = *(u64 *)(r0 + 0)
if r1 s> 7 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_signed_both_bounds_in_subprog
# lookup_value_signed_both_bounds run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r1 = *(u64 *)(r0 + 0)
if r1 s> 7 goto out
if r1 s< 0 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_unsigned_bound_in_subprog
# lookup_value_unsigned_bound run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r1 = *(u64 *)(r0 + 0)
if r1 > 7 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_value_unsigned_bound_off_by_one_in_subprog
# lookup_value_unsigned_bound_off_by_one run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 max value is outside of the allowed memory range
# insn: 12
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
r1 = *(u64 *)(r0 + 0)
if r1 > 8 goto out
r0 += r1
r1 = *(u8 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_key_uninit_priv_in_subprog
# lookup_key_uninit_priv run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_key_out_of_stack_in_subprog
# lookup_key_out_of_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: invalid read from stack R2 off=-2 size=4
# insn: 6
# errno: EINVAL
call subprog
exit
subprog:
r2 = r10
r2 += -2
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_key_is_scalar_in_subprog
# lookup_key_is_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r2 = 0
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: lookup_map_arg_is_scalar_in_subprog
# lookup_map_arg_is_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 type=scalar expected=map_ptr
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = 0
call 1
r0 = 0
exit
---
# case: lookup_map_arg_is_ctx_in_subprog
# lookup_map_arg_is_ctx run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 type=ctx expected=map_ptr
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
call 1
r0 = 0
exit
---
# case: lookup_key_from_map_value_in_subprog
# lookup_key_from_map_value run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
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
r2 = r0
r1 = map0 ll
call 1
out:
r0 = 0
exit
---
# case: update_value_on_stack_in_subprog
# update_value_on_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r1 = 0
*(u64 *)(r10 - 16) = r1
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
# case: update_value_too_short_in_subprog
# update_value_too_short run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: invalid read from stack R3 off=-4 size=8
# insn: 10
# errno: EINVAL
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -4
r4 = 0
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: update_missing_flags_arg_in_subprog
# update_missing_flags_arg run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R4 !read_ok
# insn: 11
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r1 = 0
*(u64 *)(r10 - 16) = r1
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r1 = map0 ll
call 2
r0 = 0
exit
---
# case: delete_elem_in_subprog
# delete_elem run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 3
r0 = 0
exit
---
# case: array_lookup_const_key_in_subprog
# array_lookup_const_key run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 4
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
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: array_lookup_without_null_check_in_subprog
# array_lookup_without_null_check run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 4
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: map_value_direct_load_in_subprog
# map_value_direct_load run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: accept
call subprog
exit
subprog:
r1 = mapval0 + 0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_value_direct_offset_past_end_in_subprog
# map_value_direct_offset_past_end run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: invalid access to map value pointer, value_size=8 off=8
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r1 = mapval0 + 8 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_value_direct_hash_refused_in_subprog
# map_value_direct_hash_refused run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 1
# expect: reject
# error: no direct value access support for this map type
# insn: none
# errno: EINVAL
call subprog
exit
subprog:
r1 = mapval0 + 0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_reference_bad_index_in_subprog
# map_reference_bad_index run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: fd -1 is not pointing to valid bpf_map
# insn: none
# errno: EBADF
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
r0 = 0
exit
---
# case: map_pointer_deref_in_subprog
# map_pointer_deref run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
r1 = map0 ll
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_pointer_arithmetic_in_subprog
# map_pointer_arithmetic run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 pointer arithmetic on map_ptr prohibited
# insn: 4
# errno: EACCES
call subprog
exit
subprog:
r1 = map0 ll
r1 += 8
r0 = 0
exit
---
# case: map_pointer_spill_fill_in_subprog
# map_pointer_spill_fill run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
r1 = map0 ll
*(u64 *)(r10 - 8) = r1
r1 = *(u64 *)(r10 - 8)
*(u32 *)(r10 - 12) = 0
r2 = r10
r2 += -12
call 1
r0 = 0
exit
---
# case: two_maps_lookup_both_in_subprog
# two_maps_lookup_both run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# map: array 4 16 2
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r1 = *(u64 *)(r6 + 0)
r2 = *(u32 *)(r0 + 12)
out:
r0 = 0
exit
---
# case: two_maps_second_value_oob_in_subprog
# two_maps_second_value_oob run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# map: array 4 16 2
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 17
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
r2 = r10
r2 += -4
r1 = map1 ll
call 1
if r6 == 0 goto out
if r0 == 0 goto out
r1 = *(u64 *)(r6 + 0)
r2 = *(u32 *)(r0 + 16)
out:
r0 = 0
exit
---
# case: null_check_copy_propagates_in_subprog
# null_check_copy_propagates run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r6 = r0
if r0 == 0 goto out
r0 = *(u64 *)(r6 + 0)
out:
r0 = 0
exit
---
# case: null_check_after_arith_in_subprog
# null_check_after_arith run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 pointer arithmetic on map_value_or_null prohibited, null-check it first
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 += 4
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: ringbuf_reserve_submit_in_subprog
# ringbuf_reserve_submit run as the subprogram of a main that only calls it.
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: accept
call subprog
exit
subprog:
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
r1 = 0
*(u64 *)(r0 + 0) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 0
exit
---
# case: ringbuf_reserve_leak_in_subprog
# ringbuf_reserve_leak run as the subprogram of a main that only calls it.
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: BPF_EXIT instruction in main prog would lead to reference leak
# insn: 1
# errno: EINVAL
call subprog
exit
subprog:
r1 = map0 ll
r2 = 8
r3 = 0
call 131
r0 = 0
exit
---
# case: ringbuf_reserve_not_null_checked_in_subprog
# ringbuf_reserve_not_null_checked run as the subprogram of a main that only calls it.
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R1 type=ringbuf_mem_or_null expected=ringbuf_mem
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
r1 = map0 ll
r2 = 8
r3 = 0
call 131
r1 = r0
r2 = 0
call 132
r0 = 0
exit
---
# case: ringbuf_reserve_write_past_size_in_subprog
# ringbuf_reserve_write_past_size run as the subprogram of a main that only calls it.
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 9
# errno: EACCES
call subprog
exit
subprog:
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
r1 = 0
*(u64 *)(r0 + 4) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 0
exit
---
# case: ringbuf_reserve_size_not_const_in_subprog
# ringbuf_reserve_size_not_const run as the subprogram of a main that only calls it.
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: reject
# error: R2 is not a known constant'
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
r6 = *(u32 *)(r1 + 0)
r1 = map0 ll
r2 = r6
r3 = 0
call 131
if r0 == 0 goto out
r1 = r0
r2 = 0
call 133
out:
r0 = 0
exit
---
# case: percpu_array_lookup_in_subprog
# percpu_array_lookup run as the subprogram of a main that only calls it.
# type: socket_filter
# map: percpu_array 4 8 4
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
r0 = *(u64 *)(r0 + 0)
out:
r0 = 0
exit
---
# case: lookup_wrong_map_type_prog_array_in_subprog
# lookup_wrong_map_type_prog_array run as the subprogram of a main that only calls it.
# type: socket_filter
# map: prog_array 4 4 4
# expect: reject
# error: cannot pass map_type 3 into func bpf_map_lookup_elem#1
# insn: 7
# errno: EINVAL
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: queue_push_elem_in_subprog
# queue_push_elem run as the subprogram of a main that only calls it.
# type: socket_filter
# map: queue 0 8 16
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r2 = r10
r2 += -8
r3 = 0
r1 = map0 ll
call 87
r0 = 0
exit
---
# case: queue_lookup_refused_in_subprog
# queue_lookup_refused run as the subprogram of a main that only calls it.
# type: socket_filter
# map: queue 0 8 16
# expect: reject
# error: invalid zero-sized read
# insn: 7
# errno: EACCES
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: map_pointer_read_max_entries
# A map pointer reads as the map type's kernel struct: bpf_array's map.max_entries.
# type: socket_filter
# map: array 4 8 16
# expect: accept
r1 = map0 ll
r0 = *(u32 *)(r1 + 76)
exit
---
# case: map_pointer_read_through_member
# A pointer member of bpf_map (inner_map_meta, NULL here) is an untrusted BTF pointer: loads through it are probe
# loads, no NULL check needed.
# type: socket_filter
# map: hash 4 8 16
# expect: accept
r1 = map0 ll
r1 = *(u64 *)(r1 + 48)
r0 = *(u32 *)(r1 + 76)
exit
---
# case: map_pointer_read_ringbuf
# type: socket_filter
# map: ringbuf 0 0 4096
# expect: accept
r1 = map0 ll
r0 = *(u32 *)(r1 + 68)
exit
---
# case: map_pointer_write
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: only read from bpf_htab is supported
# insn: 2
# errno: EACCES
r1 = map0 ll
*(u32 *)(r1 + 76) = 0
r0 = 0
exit
---
# case: map_pointer_beyond_struct
# type: socket_filter
# map: array 4 8 16
# expect: reject
# error: access beyond struct bpf_array at off 400 size 4
# insn: 2
# errno: EACCES
r1 = map0 ll
r0 = *(u32 *)(r1 + 400)
exit
---
# case: map_pointer_ptr_member_narrow
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: cannot access ptr member ops with moff 40 in struct bpf_map with off 40 size 4
# insn: 2
# errno: EACCES
r1 = map0 ll
r0 = *(u32 *)(r1 + 40)
exit
---
# case: map_pointer_beyond_member
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: access beyond the end of member max_entries (mend:80) in struct bpf_map with off 76 size 8
# insn: 2
# errno: EACCES
r1 = map0 ll
r0 = *(u64 *)(r1 + 76)
exit
---
# case: map_pointer_negative
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R1 is bpf_htab invalid negative access: off=-4
# insn: 2
# errno: EACCES
r1 = map0 ll
r0 = *(u32 *)(r1 - 4)
exit
---
# case: map_pointer_hole
# bpf_map has a hole after excl (off 36..40).
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: struct bpf_map doesn't have field at offset 36
# insn: 2
# errno: EINVAL
r1 = map0 ll
r0 = *(u32 *)(r1 + 36)
exit
---
# case: bloom_peek_value_from_read_only_map
# A bloom filter's peek only reads the value it is given (kernel resolve_map_arg_type), so the value may sit in
# a map the program may only read (BPF_F_RDONLY_PROG), where a queue's peek, which writes it, is refused.
# type: socket_filter
# map: bloom_filter 0 8 16
# map: array 4 8 1 128
# expect: accept
r1 = map0 ll
r2 = mapval1 + 0 ll
call 89
r0 = 0
exit
