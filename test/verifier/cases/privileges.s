# case: leak_return_fp
# The frame pointer returned by main.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R0 leaks addr as return value
# insn: 1
# errno: EACCES
r0 = r10
exit
---
# case: leak_return_fp_perfmon
# The frame pointer returned by main.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r0 = r10
exit
---
# case: leak_return_ctx
# The context pointer returned by main.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R0 leaks addr as return value
# insn: 1
# errno: EACCES
r0 = r1
exit
---
# case: leak_return_ctx_perfmon
# The context pointer returned by main.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r0 = r1
exit
---
# case: leak_return_ctx_from_callee
# A callee hands back the context it was given; main returns it.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R0 leaks addr as return value
# insn: 1
# errno: EACCES
call f
exit
f:
r0 = r1
exit
---
# case: leak_return_ctx_from_callee_perfmon
# A callee hands back the context it was given; main returns it.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
exit
f:
r0 = r1
exit
---
# case: callee_returns_ctx_discarded
# A callee may return a pointer to its caller; only main's return value is checked.
# type: socket_filter
# caps: bpf
# expect: accept
call f
r0 = 0
exit
f:
r0 = r1
exit
---
# case: callee_returns_ctx_discarded_perfmon
# A callee may return a pointer to its caller; only main's return value is checked.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r0 = r1
exit
---
# case: callee_returns_caller_stack_used
# The callee returns the caller's stack pointer, which the caller reads through.
# type: socket_filter
# caps: bpf
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 8
# errno: EINVAL
r1 = 7
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r0 + 0)
exit
f:
r0 = r1
exit
---
# case: callee_returns_caller_stack_used_perfmon
# The callee returns the caller's stack pointer, which the caller reads through.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 8
# errno: EINVAL
r1 = 7
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r0 + 0)
exit
f:
r0 = r1
exit
---
# case: leak_return_map_value
# A map value pointer returned by main after the null check.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 leaks addr as return value
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
exit
out:
r0 = 0
exit
---
# case: leak_return_map_value_perfmon
# A map value pointer returned by main after the null check.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
exit
out:
r0 = 0
exit
---
# case: leak_return_map_value_from_callee
# A callee looks the value up and returns it; main returns it as its verdict.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 leaks addr as return value
# insn: 2
# errno: EACCES
call f
if r0 == 0 goto out
exit
out:
r0 = 1
exit
f:
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
exit
---
# case: leak_return_map_value_from_callee_perfmon
# A callee looks the value up and returns it; main returns it as its verdict.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
call f
if r0 == 0 goto out
exit
out:
r0 = 1
exit
f:
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
exit
---
# case: leak_return_map_ptr
# The map pointer itself returned.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 leaks addr as return value
# insn: 2
# errno: EACCES
r0 = map0 ll
exit
---
# case: leak_return_map_ptr_perfmon
# The map pointer itself returned.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r0 = map0 ll
exit
---
# case: leak_fp_into_map_value
# The frame pointer stored into a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R10 leaks addr into map
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r10
out:
r0 = 0
exit
---
# case: leak_fp_into_map_value_perfmon
# The frame pointer stored into a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r10
out:
r0 = 0
exit
---
# case: leak_ctx_into_map_value_in_callee
# A callee stores the context it was given into a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R6 leaks addr into map
# insn: 12
# errno: EACCES
call f
r0 = 0
exit
f:
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 8) = r6
out:
r0 = 0
exit
---
# case: leak_ctx_into_map_value_in_callee_perfmon
# A callee stores the context it was given into a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
call f
r0 = 0
exit
f:
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 8) = r6
out:
r0 = 0
exit
---
# case: leak_map_value_into_itself
# A map value pointer stored into the value it points to.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 leaks addr into map
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r0
out:
r0 = 0
exit
---
# case: leak_map_value_into_itself_perfmon
# A map value pointer stored into the value it points to.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r0
out:
r0 = 0
exit
---
# case: leak_map_ptr_into_map_value
# The map pointer stored into one of its values.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 leaks addr into map
# insn: 10
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = map0 ll
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: leak_map_ptr_into_map_value_perfmon
# The map pointer stored into one of its values.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = map0 ll
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: leak_caller_stack_into_map_value
# The caller's stack pointer, passed down, stored into a map value by the callee.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R6 leaks addr into map
# insn: 14
# errno: EACCES
r1 = r10
r1 += -16
call f
r0 = 0
exit
f:
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r6
out:
r0 = 0
exit
---
# case: leak_caller_stack_into_map_value_perfmon
# The caller's stack pointer, passed down, stored into a map value by the callee.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = r10
r1 += -16
call f
r0 = 0
exit
f:
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r6
out:
r0 = 0
exit
---
# case: leak_fp_into_map_value_u32
# The low half of the frame pointer stored into a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R10 leaks addr into map
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u32 *)(r0 + 4) = r10
out:
r0 = 0
exit
---
# case: leak_fp_into_map_value_u32_perfmon
# The low half of the frame pointer stored into a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u32 *)(r0 + 4) = r10
out:
r0 = 0
exit
---
# case: leak_scalar_into_map_value
# Control: a scalar derived from nothing but constants is no leak.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 42
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: leak_scalar_into_map_value_perfmon
# Control: a scalar derived from nothing but constants is no leak.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 42
*(u64 *)(r0 + 0) = r1
out:
r0 = 0
exit
---
# case: leak_fp_into_ctx_cb
# The frame pointer stored into skb->cb[0].
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 leaks addr into ctx
# insn: 0
# errno: EACCES
*(u32 *)(r1 + 48) = r10
r0 = 0
exit
---
# case: leak_fp_into_ctx_cb_perfmon
# The frame pointer stored into skb->cb[0].
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u32 *)(r1 + 48) = r10
r0 = 0
exit
---
# case: leak_ctx_into_ctx_cb_in_callee
# A callee stores the context pointer into skb->cb[1].
# type: socket_filter
# caps: bpf
# expect: reject
# error: R2 leaks addr into ctx
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = r1
*(u32 *)(r1 + 52) = r2
r0 = 0
exit
---
# case: leak_ctx_into_ctx_cb_in_callee_perfmon
# A callee stores the context pointer into skb->cb[1].
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r2 = r1
*(u32 *)(r1 + 52) = r2
r0 = 0
exit
---
# case: leak_fp_into_packet
# The frame pointer written into the packet after the bounds check.
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R10 leaks addr into packet
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r2 + 0) = r10
out:
r0 = 0
exit
---
# case: leak_fp_into_packet_perfmon
# The frame pointer written into the packet after the bounds check.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r2 + 0) = r10
out:
r0 = 0
exit
---
# case: leak_packet_end_into_packet_in_callee
# A callee writes data_end into the packet.
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R3 leaks addr into packet
# insn: 8
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r2 + 0) = r3
out:
r0 = 0
exit
---
# case: leak_packet_end_into_packet_in_callee_perfmon
# A callee writes data_end into the packet.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
*(u64 *)(r2 + 0) = r3
out:
r0 = 0
exit
---
# case: leak_xdp_data_into_map_value
# An xdp packet pointer stored into a map value.
# type: xdp
# caps: bpf,net_admin
# map: array 4 16 4
# expect: reject
# error: R6 leaks addr into map
# insn: 9
# errno: EACCES
r6 = *(u32 *)(r1 + 0)
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r6
out:
r0 = 2
exit
---
# case: leak_xdp_data_into_map_value_perfmon
# An xdp packet pointer stored into a map value.
# type: xdp
# caps: bpf,net_admin,perfmon
# map: array 4 16 4
# expect: accept
r6 = *(u32 *)(r1 + 0)
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r6
out:
r0 = 2
exit
---
# case: leak_fp_as_update_flags
# The frame pointer as bpf_map_update_elem's flags (ARG_ANYTHING).
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R4 leaks addr into helper function
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 24) = r1
*(u64 *)(r10 - 16) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -24
r4 = r10
call 2
r0 = 0
exit
---
# case: leak_fp_as_update_flags_perfmon
# The frame pointer as bpf_map_update_elem's flags (ARG_ANYTHING).
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 24) = r1
*(u64 *)(r10 - 16) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -24
r4 = r10
call 2
r0 = 0
exit
---
# case: leak_ctx_as_load_bytes_offset_in_callee
# A callee passes the context as bpf_skb_load_bytes' offset.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R2 leaks addr into helper function
# insn: 7
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = r1
r3 = r10
r3 += -8
r4 = 4
call 26
r0 = 0
exit
---
# case: leak_ctx_as_load_bytes_offset_in_callee_perfmon
# A callee passes the context as bpf_skb_load_bytes' offset.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r2 = r1
r3 = r10
r3 += -8
r4 = 4
call 26
r0 = 0
exit
---
# case: leak_map_value_as_tail_call_index
# A map value pointer as bpf_tail_call's index.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# map: prog_array 4 4 1
# expect: reject
# error: R3 leaks addr into helper function
# insn: 13
# errno: EACCES
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = map1 ll
r3 = r0
call 12
out:
r0 = 0
exit
---
# case: leak_map_value_as_tail_call_index_perfmon
# A map value pointer as bpf_tail_call's index.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# map: prog_array 4 4 1
# expect: accept
r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r6
r2 = map1 ll
r3 = r0
call 12
out:
r0 = 0
exit
---
# case: helper_ptr_arg_to_ptr_param
# Control: pointers where the prototype wants pointers.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = r10
r1 += -4
call f
r0 = 0
exit
f:
r2 = 0
*(u32 *)(r1 + 0) = r2
r2 = r1
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: helper_ptr_arg_to_ptr_param_perfmon
# Control: pointers where the prototype wants pointers.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = r10
r1 += -4
call f
r0 = 0
exit
f:
r2 = 0
*(u32 *)(r1 + 0) = r2
r2 = r1
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: cmp_ctx_with_fp
# Two pointers compared: the source register is checked first.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 pointer comparison prohibited
# insn: 0
# errno: EACCES
if r1 == r10 goto out
out:
r0 = 0
exit
---
# case: cmp_ctx_with_fp_perfmon
# Two pointers compared: the source register is checked first.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
if r1 == r10 goto out
out:
r0 = 0
exit
---
# case: cmp_ctx_with_imm
# The context compared with a constant.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer comparison prohibited
# insn: 0
# errno: EACCES
if r1 > 0 goto out
out:
r0 = 0
exit
---
# case: cmp_ctx_with_imm_perfmon
# The context compared with a constant.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
if r1 > 0 goto out
out:
r0 = 0
exit
---
# case: cmp_scalar_with_fp
# A scalar compared with the frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 pointer comparison prohibited
# insn: 1
# errno: EACCES
r2 = 5
if r2 s< r10 goto out
out:
r0 = 0
exit
---
# case: cmp_scalar_with_fp_perfmon
# A scalar compared with the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 5
if r2 s< r10 goto out
out:
r0 = 0
exit
---
# case: cmp_caller_stack_ptr_in_callee
# A callee null-tests the stack pointer it was given.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer comparison prohibited
# insn: 5
# errno: EACCES
r1 = r10
r1 += -8
call f
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = 1
out:
exit
---
# case: cmp_caller_stack_ptr_in_callee_perfmon
# A callee null-tests the stack pointer it was given.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
call f
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = 1
out:
exit
---
# case: cmp_map_value_or_null_with_zero
# Control: the null check of a lookup is allowed to everyone.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 0 goto found
r0 = 0
exit
found:
r0 = 1
exit
---
# case: cmp_map_value_or_null_with_zero_perfmon
# Control: the null check of a lookup is allowed to everyone.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 0 goto found
r0 = 0
exit
found:
r0 = 1
exit
---
# case: cmp_map_value_or_null_with_one
# A lookup result compared with 1 is a pointer comparison.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer comparison prohibited
# insn: 7
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 1 goto out
r0 = 1
out:
r0 = 0
exit
---
# case: cmp_map_value_or_null_with_one_perfmon
# A lookup result compared with 1 is a pointer comparison.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 != 1 goto out
r0 = 1
out:
r0 = 0
exit
---
# case: cmp_map_value_with_imm
# A map value pointer, after the null check, compared with a constant.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer comparison prohibited
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
if r0 > 4096 goto out
out:
r0 = 0
exit
---
# case: cmp_map_value_with_imm_perfmon
# A map value pointer, after the null check, compared with a constant.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
if r0 > 4096 goto out
out:
r0 = 0
exit
---
# case: cmp_two_stack_ptrs_in_callee
# A callee compares the caller's stack pointer with its own.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R2 pointer comparison prohibited
# insn: 7
# errno: EACCES
r1 = r10
r1 += -8
call f
exit
f:
r2 = r10
r2 += -8
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: cmp_two_stack_ptrs_in_callee_perfmon
# A callee compares the caller's stack pointer with its own.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
call f
exit
f:
r2 = r10
r2 += -8
r0 = 0
if r1 > r2 goto out
r0 = 1
out:
exit
---
# case: cmp_fp_jmp32
# A 32-bit comparison of the frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 pointer comparison prohibited
# insn: 1
# errno: EACCES
r0 = 0
if w10 != 0 goto out
r0 = 1
out:
exit
---
# case: cmp_fp_jmp32_perfmon
# A 32-bit comparison of the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r0 = 0
if w10 != 0 goto out
r0 = 1
out:
exit
---
# case: cmp_fp_jset
# JSET on the frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 pointer comparison prohibited
# insn: 1
# errno: EACCES
r0 = 0
if r10 & 7 goto out
r0 = 1
out:
exit
---
# case: cmp_fp_jset_perfmon
# JSET on the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r0 = 0
if r10 & 7 goto out
r0 = 1
out:
exit
---
# case: cmp_packet_ptrs
# Control: packet pointers compared with data_end are allowed to everyone.
# type: sched_cls
# caps: bpf,net_admin
# expect: accept
call f
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r2 += 14
r0 = 0
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: cmp_packet_ptrs_perfmon
# Control: packet pointers compared with data_end are allowed to everyone.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
call f
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r2 += 14
r0 = 0
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: cmp_packet_ptr_with_imm
# A packet pointer compared with a constant.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: R2 pointer comparison prohibited
# insn: 2
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r0 = 2
if r2 == 0 goto out
r0 = 1
out:
exit
---
# case: cmp_packet_ptr_with_imm_perfmon
# A packet pointer compared with a constant.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r0 = 2
if r2 == 0 goto out
r0 = 1
out:
exit
---
# case: alu32_mov_fp
# A 32-bit copy of the frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 partial copy of pointer
# insn: 0
# errno: EACCES
w0 = w10
r0 = 0
exit
---
# case: alu32_mov_fp_perfmon
# A 32-bit copy of the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
w0 = w10
r0 = 0
exit
---
# case: alu32_sub_on_fp
# A 32-bit subtraction on a stack pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 1
# errno: EACCES
r1 = r10
w1 -= 8
r0 = 0
exit
---
# case: alu32_sub_on_fp_perfmon
# A 32-bit subtraction on a stack pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
w1 -= 8
r0 = 0
exit
---
# case: alu32_add_on_fp
# 32-bit addition on a pointer is refused to everyone.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 1
# errno: EACCES
r1 = r10
w1 += 8
r0 = 0
exit
---
# case: alu32_add_on_fp_perfmon
# 32-bit addition on a pointer is refused to everyone.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 1
# errno: EACCES
r1 = r10
w1 += 8
r0 = 0
exit
---
# case: alu32_sub_on_ctx_in_callee
# A callee subtracts in 32 bits from the context pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 32-bit pointer arithmetic prohibited
# insn: 2
# errno: EACCES
call f
exit
f:
w1 -= 4
r0 = 0
exit
---
# case: alu32_sub_on_ctx_in_callee_perfmon
# A callee subtracts in 32 bits from the context pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
exit
f:
w1 -= 4
r0 = 0
exit
---
# case: movsx_from_fp
# A sign-extending copy of the frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 sign-extension part of pointer
# insn: 0
# errno: EACCES
r1 = (s32)r10
r0 = 0
exit
---
# case: movsx_from_fp_perfmon
# A sign-extending copy of the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = (s32)r10
r0 = 0
exit
---
# case: neg_on_fp_copy
# Negating a stack pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer arithmetic prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 = -r1
r0 = 0
exit
---
# case: neg_on_fp_copy_perfmon
# Negating a stack pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 = -r1
r0 = 0
exit
---
# case: bswap_on_ctx
# A byte swap of the context pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer arithmetic prohibited
# insn: 0
# errno: EACCES
r1 = be16 r1
r0 = 0
exit
---
# case: bswap_on_ctx_perfmon
# A byte swap of the context pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = be16 r1
r0 = 0
exit
---
# case: ptr_sub_ptr
# Pointer minus pointer: a scalar for CAP_PERFMON, refused otherwise.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer -= pointer prohibited
# insn: 3
# errno: EACCES
r1 = r10
r2 = r10
r2 += -16
r1 -= r2
r0 = r1
exit
---
# case: ptr_sub_ptr_perfmon
# Pointer minus pointer: a scalar for CAP_PERFMON, refused otherwise.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r2 = r10
r2 += -16
r1 -= r2
r0 = r1
exit
---
# case: ptr_sub_ptr_in_callee
# A callee subtracts its own frame pointer from the caller's stack pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer -= pointer prohibited
# insn: 5
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r1 -= r10
r0 = 0
exit
---
# case: ptr_sub_ptr_in_callee_perfmon
# A callee subtracts its own frame pointer from the caller's stack pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r1 -= r10
r0 = 0
exit
---
# case: ptr_add_ptr
# Pointer plus pointer is refused to everyone.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 pointer += pointer prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 += r10
r0 = 0
exit
---
# case: ptr_add_ptr_perfmon
# Pointer plus pointer is refused to everyone.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: R1 pointer += pointer prohibited
# insn: 1
# errno: EACCES
r1 = r10
r1 += r10
r0 = 0
exit
---
# case: scalar_sub_ptr
# Scalar minus pointer is refused to everyone.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 tried to subtract pointer from scalar
# insn: 1
# errno: EACCES
r1 = 100
r1 -= r10
r0 = 0
exit
---
# case: scalar_sub_ptr_perfmon
# Scalar minus pointer is refused to everyone.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: R1 tried to subtract pointer from scalar
# insn: 1
# errno: EACCES
r1 = 100
r1 -= r10
r0 = 0
exit
---
# case: fp_sub_const
# Subtracting a constant from the frame pointer.
# type: socket_filter
# caps: bpf
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
# case: fp_sub_const_perfmon
# Subtracting a constant from the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
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
# case: fp_add_const_below_stack
# A stack pointer moved below the 512-byte stack, never used.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 stack pointer arithmetic goes out of range, prohibited for !root; off=-520
# insn: 1
# errno: EACCES
r1 = r10
r1 += -520
r0 = 0
exit
---
# case: fp_add_const_below_stack_perfmon
# A stack pointer moved below the 512-byte stack, never used.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -520
r0 = 0
exit
---
# case: fp_add_const_above_stack
# A stack pointer moved above the frame, never used.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 stack pointer arithmetic goes out of range, prohibited for !root; off=8
# insn: 1
# errno: EACCES
r1 = r10
r1 += 8
r0 = 0
exit
---
# case: fp_add_const_above_stack_perfmon
# A stack pointer moved above the frame, never used.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += 8
r0 = 0
exit
---
# case: fp_add_const_far_then_back
# Out of range, then back in range before the access.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 stack pointer arithmetic goes out of range, prohibited for !root; off=-1024
# insn: 1
# errno: EACCES
r1 = r10
r1 += -1024
r1 += 1016
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: fp_add_const_far_then_back_perfmon
# Out of range, then back in range before the access.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -1024
r1 += 1016
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: caller_stack_ptr_out_of_range_in_callee
# A callee moves the caller's stack pointer out of the stack.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 stack pointer arithmetic goes out of range, prohibited for !root; off=8
# insn: 5
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r1 += 16
r0 = 0
exit
---
# case: caller_stack_ptr_out_of_range_in_callee_perfmon
# A callee moves the caller's stack pointer out of the stack.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r1 += 16
r0 = 0
exit
---
# case: fp_add_unknown_bounded
# The frame pointer plus a bounded unknown scalar (variable stack access).
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 variable stack access prohibited for !root, var_off=(0x0; 0x7) off=-16
# insn: 7
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 &= 7
r3 = 0
*(u64 *)(r10 - 16) = r3
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += -16
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: fp_add_unknown_bounded_perfmon
# The frame pointer plus a bounded unknown scalar (variable stack access).
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 7
r3 = 0
*(u64 *)(r10 - 16) = r3
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += -16
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: caller_stack_ptr_plus_unknown_in_callee
# A callee indexes the caller's buffer with an unknown scalar.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 variable stack access prohibited for !root, var_off=(0x0; 0x7) off=-16
# insn: 9
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r2 &= 7
r3 = 0
*(u64 *)(r10 - 16) = r3
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += -16
call f
exit
f:
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: caller_stack_ptr_plus_unknown_in_callee_perfmon
# A callee indexes the caller's buffer with an unknown scalar.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r2 &= 7
r3 = 0
*(u64 *)(r10 - 16) = r3
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += -16
call f
exit
f:
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: fp_add_known_via_register
# The frame pointer plus a constant held in a register.
# type: socket_filter
# caps: bpf
# expect: accept
r2 = -8
r3 = 0
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += r2
r0 = *(u64 *)(r1 + 0)
exit
---
# case: fp_add_known_via_register_perfmon
# The frame pointer plus a constant held in a register.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = -8
r3 = 0
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += r2
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_value_add_const_past_end
# A map value pointer moved past the end of the value, never used.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += 100
out:
r0 = 0
exit
---
# case: map_value_add_const_past_end_perfmon
# A map value pointer moved past the end of the value, never used.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += 100
out:
r0 = 0
exit
---
# case: map_value_add_const_negative
# A map value pointer moved before the value, never used.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += -8
out:
r0 = 0
exit
---
# case: map_value_add_const_negative_perfmon
# A map value pointer moved before the value, never used.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += -8
out:
r0 = 0
exit
---
# case: map_value_add_const_at_end
# A map value pointer moved to one past its last byte.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += 16
out:
r0 = 0
exit
---
# case: map_value_add_const_at_end_perfmon
# A map value pointer moved to one past its last byte.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 += 16
out:
r0 = 0
exit
---
# case: map_value_add_bounded_unknown
# A map value indexed by a masked scalar and read.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 15
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_add_bounded_unknown_perfmon
# A map value indexed by a masked scalar and read.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 15
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_add_unbounded_unknown
# A map value plus an unknown scalar, never used.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 9
# errno: EINVAL
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_unbounded_unknown_perfmon
# A map value plus an unknown scalar, never used.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: reject
# error: math between map_value pointer and register with unbounded min value is not allowed
# insn: 9
# errno: EINVAL
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_signed_range
# A map value plus a scalar in [-4, 4] (mixed signed bounds), never used.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 s> 4 goto out
if r1 s< -4 goto out
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_signed_range_perfmon
# A map value plus a scalar in [-4, 4] (mixed signed bounds), never used.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r0 + 0)
if r1 s> 4 goto out
if r1 s< -4 goto out
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_unknown_in_callee
# A callee gets the map value and an index and adds them.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r2 = *(u32 *)(r0 + 0)
r2 &= 7
r1 = r0
call f
exit
out:
r0 = 0
exit
f:
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: map_value_add_unknown_in_callee_perfmon
# A callee gets the map value and an index and adds them.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r2 = *(u32 *)(r0 + 0)
r2 &= 7
r1 = r0
call f
exit
out:
r0 = 0
exit
f:
r1 += r2
r0 = *(u8 *)(r1 + 0)
exit
---
# case: map_value_sub_unknown
# A masked scalar subtracted from a map value pointer moved to its end.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += 15
r0 -= r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_sub_unknown_perfmon
# A masked scalar subtracted from a map value pointer moved to its end.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: reject
# error: R0 unbounded memory access, make sure to bounds check any such access
# insn: 12
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += 15
r0 -= r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_ptr_add_zero
# Arithmetic on the map pointer itself (adding a known zero).
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
# insn: 3
# errno: EACCES
r1 = map0 ll
r2 = 0
r1 += r2
r0 = 0
exit
---
# case: map_ptr_add_zero_perfmon
# Arithmetic on the map pointer itself (adding a known zero).
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = map0 ll
r2 = 0
r1 += r2
r0 = 0
exit
---
# case: map_value_or_null_add
# Arithmetic on a lookup result before the null check, refused to everyone.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 += 4
r0 = 0
exit
---
# case: map_value_or_null_add_perfmon
# Arithmetic on a lookup result before the null check, refused to everyone.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 += 4
r0 = 0
exit
---
# case: ctx_add_const
# The context pointer plus a constant, never dereferenced.
# type: socket_filter
# caps: bpf
# expect: accept
r1 += 8
r0 = 0
exit
---
# case: ctx_add_const_perfmon
# The context pointer plus a constant, never dereferenced.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 += 8
r0 = 0
exit
---
# case: packet_add_unknown
# A packet pointer plus an unknown scalar (sanitising does not apply to packets).
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R2 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
# insn: 4
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = *(u32 *)(r1 + 0)
r4 &= 15
r2 += r4
r5 = r2
r5 += 1
r0 = 0
if r5 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
exit
---
# case: packet_add_unknown_perfmon
# A packet pointer plus an unknown scalar (sanitising does not apply to packets).
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = *(u32 *)(r1 + 0)
r4 &= 15
r2 += r4
r5 = r2
r5 += 1
r0 = 0
if r5 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
exit
---
# case: uninit_stack_read
# Reading a stack slot never written.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack R10 off=-8 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
---
# case: uninit_stack_read_perfmon
# Reading a stack slot never written.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
---
# case: uninit_stack_read_partial
# The low half written, eight bytes read.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack off -8+4 size 8
# insn: 2
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 8) = r1
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
---
# case: uninit_stack_read_partial_perfmon
# The low half written, eight bytes read.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 0
*(u32 *)(r10 - 8) = r1
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
---
# case: uninit_caller_stack_read_in_callee
# A callee reads the caller's stack slot the caller never wrote.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack R1 off=-8 size=8
# insn: 5
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: uninit_caller_stack_read_in_callee_perfmon
# A callee reads the caller's stack slot the caller never wrote.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: uninit_callee_stack_read
# A callee reads its own unwritten stack.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack R10 off=-4 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r10 - 4)
exit
---
# case: uninit_callee_stack_read_perfmon
# A callee reads its own unwritten stack.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r10 - 4)
exit
---
# case: uninit_stack_as_map_key
# An unwritten stack slot as a lookup key.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: invalid read from stack R2 off=-4 size=4
# insn: 4
# errno: EACCES
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: uninit_stack_as_map_key_perfmon
# An unwritten stack slot as a lookup key.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: uninit_stack_as_map_key_from_callee
# A callee looks up with the caller's unwritten buffer.
# type: socket_filter
# caps: bpf
# map: hash 8 8 4
# expect: reject
# error: invalid read from stack R2 off=-8 size=8
# insn: 8
# errno: EACCES
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = r1
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: uninit_stack_as_map_key_from_callee_perfmon
# A callee looks up with the caller's unwritten buffer.
# type: socket_filter
# caps: bpf,perfmon
# map: hash 8 8 4
# expect: accept
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = r1
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: partly_init_stack_as_update_value
# bpf_map_update_elem reads a value half of which was written.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: invalid read from stack R3 off -24+8 size 16
# insn: 10
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 24) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -24
r4 = 0
call 2
r0 = 0
exit
---
# case: partly_init_stack_as_update_value_perfmon
# bpf_map_update_elem reads a value half of which was written.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 24) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -24
r4 = 0
call 2
r0 = 0
exit
---
# case: uninit_stack_as_load_bytes_buffer
# Control: bpf_skb_load_bytes writes its buffer, so it may be unwritten.
# type: socket_filter
# caps: bpf
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = *(u64 *)(r10 - 8)
exit
---
# case: uninit_stack_as_load_bytes_buffer_perfmon
# Control: bpf_skb_load_bytes writes its buffer, so it may be unwritten.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call 26
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spilled_ptr_partial_overwrite
# Four bytes written over a spilled pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: attempt to corrupt spilled pointer on stack
# insn: 2
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r2 = 0
*(u32 *)(r10 - 8) = r2
r0 = 0
exit
---
# case: spilled_ptr_partial_overwrite_perfmon
# Four bytes written over a spilled pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 0
*(u32 *)(r10 - 8) = r2
r0 = 0
exit
---
# case: spilled_ptr_partial_overwrite_imm
# One byte of a spilled pointer overwritten by an immediate store.
# type: socket_filter
# caps: bpf
# expect: reject
# error: attempt to corrupt spilled pointer on stack
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r10
*(u8 *)(r10 - 5) = 0
r0 = 0
exit
---
# case: spilled_ptr_partial_overwrite_imm_perfmon
# One byte of a spilled pointer overwritten by an immediate store.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r10
*(u8 *)(r10 - 5) = 0
r0 = 0
exit
---
# case: spilled_ptr_full_overwrite
# Control: eight bytes over a spilled pointer replace it.
# type: socket_filter
# caps: bpf
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 0
*(u64 *)(r10 - 8) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spilled_ptr_full_overwrite_perfmon
# Control: eight bytes over a spilled pointer replace it.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 0
*(u64 *)(r10 - 8) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spilled_ptr_partial_overwrite_in_callee
# A callee overwrites half of a pointer the caller spilled.
# type: socket_filter
# caps: bpf
# expect: reject
# error: attempt to corrupt spilled pointer on stack
# insn: 7
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = 0
*(u32 *)(r1 + 4) = r2
r0 = 0
exit
---
# case: spilled_ptr_partial_overwrite_in_callee_perfmon
# A callee overwrites half of a pointer the caller spilled.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = 0
*(u32 *)(r1 + 4) = r2
r0 = 0
exit
---
# case: spilled_ptr_read_u32
# Four bytes read from a spilled pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r0 = *(u32 *)(r10 - 8)
exit
---
# case: spilled_ptr_read_u32_perfmon
# Four bytes read from a spilled pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r0 = *(u32 *)(r10 - 8)
exit
---
# case: spilled_ptr_read_unaligned_half
# The high half of a spilled pointer read.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r10
r0 = *(u32 *)(r10 - 4)
exit
---
# case: spilled_ptr_read_unaligned_half_perfmon
# The high half of a spilled pointer read.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r10
r0 = *(u32 *)(r10 - 4)
exit
---
# case: spilled_ptr_refilled_full
# Control: a spilled pointer filled back whole is a pointer again.
# type: socket_filter
# caps: bpf
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spilled_ptr_refilled_full_perfmon
# Control: a spilled pointer filled back whole is a pointer again.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r1 + 0)
exit
---
# case: spilled_ptr_read_by_callee_and_returned
# A callee fills the caller's spilled stack pointer and main returns it.
# type: socket_filter
# caps: bpf
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 6
# errno: EINVAL
*(u64 *)(r10 - 8) = r10
r1 = r10
r1 += -8
call f
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: spilled_ptr_read_by_callee_and_returned_perfmon
# A callee fills the caller's spilled stack pointer and main returns it.
# type: socket_filter
# caps: bpf,perfmon
# expect: reject
# error: cannot return stack pointer to the caller
# insn: 6
# errno: EINVAL
*(u64 *)(r10 - 8) = r10
r1 = r10
r1 += -8
call f
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: spilled_ptr_as_map_key
# A spilled pointer read by a helper as key bytes.
# type: socket_filter
# caps: bpf
# map: hash 8 8 4
# expect: reject
# error: invalid read from stack R2 off -8+0 size 8
# insn: 5
# errno: EACCES
*(u64 *)(r10 - 8) = r10
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: spilled_ptr_as_map_key_perfmon
# A spilled pointer read by a helper as key bytes.
# type: socket_filter
# caps: bpf,perfmon
# map: hash 8 8 4
# expect: accept
*(u64 *)(r10 - 8) = r10
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: spilled_ptr_as_update_value_in_callee
# A callee passes a buffer holding a spilled pointer as the value to store.
# type: socket_filter
# caps: bpf
# map: array 4 8 4
# expect: reject
# error: invalid read from stack R3 off -16+0 size 8
# insn: 13
# errno: EACCES
call f
r0 = 0
exit
f:
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 16) = r10
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call 2
r0 = 0
exit
---
# case: spilled_ptr_as_update_value_in_callee_perfmon
# A callee passes a buffer holding a spilled pointer as the value to store.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 8 4
# expect: accept
call f
r0 = 0
exit
f:
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 16) = r10
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call 2
r0 = 0
exit
---
# case: atomic_add_into_spilled_ptr
# An atomic add on a stack slot holding a spilled pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: leaking pointer from stack off -8
# insn: 2
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add_into_spilled_ptr_perfmon
# An atomic add on a stack slot holding a spilled pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add_ptr_into_stack
# An atomic add of a pointer into a stack slot.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 leaks addr into mem
# insn: 2
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
lock *(u64 *)(r10 - 8) += r10
r0 = 0
exit
---
# case: atomic_add_ptr_into_stack_perfmon
# An atomic add of a pointer into a stack slot.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
lock *(u64 *)(r10 - 8) += r10
r0 = 0
exit
---
# case: atomic_xchg_ptr_into_map_value
# An atomic exchange stores the frame pointer into a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 leaks addr into mem
# insn: 9
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r10
r1 = xchg_64(r0 + 0, r1)
out:
r0 = 0
exit
---
# case: atomic_xchg_ptr_into_map_value_perfmon
# An atomic exchange stores the frame pointer into a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r10
r1 = xchg_64(r0 + 0, r1)
out:
r0 = 0
exit
---
# case: dead_branch_uninit_read
# A branch on a known constant: the untaken side reads unwritten stack.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r10 - 8)
exit
out:
r0 = 0
exit
---
# case: dead_branch_uninit_read_perfmon
# A branch on a known constant: the untaken side reads unwritten stack.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r10 - 8)
exit
out:
r0 = 0
exit
---
# case: dead_branch_scalar_deref
# The untaken side of a known branch dereferences a scalar.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 0
if r1 != 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: dead_branch_scalar_deref_perfmon
# The untaken side of a known branch dereferences a scalar.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 0
if r1 != 0 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: dead_branch_leak_in_callee
# In a callee, the untaken side of a known branch leaks the frame pointer.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 1
call f
exit
f:
if r1 != 0 goto out
r0 = r10
exit
out:
r0 = 0
exit
---
# case: dead_branch_leak_in_callee_perfmon
# In a callee, the untaken side of a known branch leaks the frame pointer.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 1
call f
exit
f:
if r1 != 0 goto out
r0 = r10
exit
out:
r0 = 0
exit
---
# case: dead_branch_in_callee_bad_return
# The untaken side in a callee leaves r0 unset for the caller.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 1
call f
exit
f:
r0 = 0
if r1 == 1 goto out
r0 = *(u64 *)(r10 - 8)
out:
exit
---
# case: dead_branch_in_callee_bad_return_perfmon
# The untaken side in a callee leaves r0 unset for the caller.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 1
call f
exit
f:
r0 = 0
if r1 == 1 goto out
r0 = *(u64 *)(r10 - 8)
out:
exit
---
# case: dead_branch_map_value_oob
# The untaken side reads past the end of a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 5
if r1 < 8 goto out
r0 = *(u64 *)(r0 + 64)
out:
r0 = 0
exit
---
# case: dead_branch_map_value_oob_perfmon
# The untaken side reads past the end of a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 5
if r1 < 8 goto out
r0 = *(u64 *)(r0 + 64)
out:
r0 = 0
exit
---
# case: dead_branch_after_bounds_check
# A map value index checked twice; the impossible second side reads out of bounds.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
if r1 > 7 goto out
if r1 < 8 goto ok
r0 += r1
r0 += 32
r0 = *(u8 *)(r0 + 0)
exit
ok:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: dead_branch_after_bounds_check_perfmon
# A map value index checked twice; the impossible second side reads out of bounds.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
if r1 > 7 goto out
if r1 < 8 goto ok
r0 += r1
r0 += 32
r0 = *(u8 *)(r0 + 0)
exit
ok:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: dead_branch_div_by_zero_path
# The untaken side calls a helper with a bad argument.
# type: socket_filter
# caps: bpf
# expect: accept
r6 = 3
if r6 > 2 goto out
r1 = 0
r2 = 0
call 1
out:
r0 = 0
exit
---
# case: dead_branch_div_by_zero_path_perfmon
# The untaken side calls a helper with a bad argument.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r6 = 3
if r6 > 2 goto out
r1 = 0
r2 = 0
call 1
out:
r0 = 0
exit
---
# case: dead_branch_infinite_loop_side
# The untaken side of a known branch jumps back to the start.
# type: socket_filter
# caps: bpf
# expect: reject
# error: infinite loop detected at insn 1
# insn: 2
# errno: EINVAL
r1 = 0
l:
if r1 == 0 goto out
goto l
out:
r0 = 0
exit
---
# case: dead_branch_infinite_loop_side_perfmon
# The untaken side of a known branch jumps back to the start.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 0
l:
if r1 == 0 goto out
goto l
out:
r0 = 0
exit
---
# case: helper_trace_printk
# bpf_trace_printk is offered only to CAP_PERFMON loaders.
# type: socket_filter
# caps: bpf
# expect: reject
# error: program of this type cannot use helper bpf_trace_printk#6
# insn: 7
# errno: EINVAL
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_trace_printk_perfmon
# bpf_trace_printk is offered only to CAP_PERFMON loaders.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
call 6
r0 = 0
exit
---
# case: helper_probe_read_kernel
# bpf_probe_read_kernel (perfmon only).
# type: socket_filter
# caps: bpf
# expect: reject
# error: program of this type cannot use helper bpf_probe_read_kernel#113
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
# case: helper_probe_read_kernel_perfmon
# bpf_probe_read_kernel (perfmon only).
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call 113
r0 = 0
exit
---
# case: helper_get_current_task
# bpf_get_current_task (perfmon only).
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: program of this type cannot use helper bpf_get_current_task#35
# insn: 0
# errno: EINVAL
call 35
r0 = 0
exit
---
# case: helper_get_current_task_perfmon
# bpf_get_current_task (perfmon only).
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
call 35
r0 = 0
exit
---
# case: helper_this_cpu_ptr
# bpf_this_cpu_ptr (perfmon only in 6.18).
# type: cgroup_skb
# caps: bpf
# expect: reject
# error: program of this type cannot use helper bpf_this_cpu_ptr#154
# insn: 1
# errno: EINVAL
r1 = 0
call 154
r0 = 1
exit
---
# case: helper_this_cpu_ptr_perfmon
# bpf_this_cpu_ptr (perfmon only in 6.18).
# type: cgroup_skb
# caps: bpf,perfmon
# expect: reject
# error: R1 type=scalar expected=percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_
# insn: 1
# errno: EACCES
r1 = 0
call 154
r0 = 1
exit
---
# case: helper_ktime_get_ns
# Control: bpf_ktime_get_ns needs no capability.
# type: socket_filter
# caps: bpf
# expect: accept
call 5
r0 = 0
exit
---
# case: helper_ktime_get_ns_perfmon
# Control: bpf_ktime_get_ns needs no capability.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call 5
r0 = 0
exit
---
# case: prog_type_xdp_without_net_admin
# xdp needs CAP_NET_ADMIN: EPERM before the verifier runs.
# type: xdp
# caps: bpf
# expect: reject
# error: 
# insn: none
# errno: EPERM
r0 = 2
exit
---
# case: prog_type_sched_cls_without_net_admin
# sched_cls needs CAP_NET_ADMIN.
# type: sched_cls
# caps: bpf
# expect: reject
# error: 
# insn: none
# errno: EPERM
r0 = 0
exit
---
# case: prog_type_cgroup_skb_bpf_only
# cgroup_skb needs CAP_BPF only.
# type: cgroup_skb
# caps: bpf
# expect: accept
r0 = 1
exit
---
# case: prog_type_kprobe_without_perfmon
# kprobe needs CAP_PERFMON.
# type: kprobe
# caps: bpf
# expect: reject
# error: 
# insn: none
# errno: EPERM
r0 = 0
exit
---
# case: prog_type_sk_reuseport_bpf_only
# sk_reuseport needs CAP_BPF only.
# type: sk_reuseport
# caps: bpf
# expect: accept
r0 = 0
exit
---
# case: map_value_add_unknown_limit_at_end
# A masked index added to a pointer already at the last byte of the value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r0 += 15
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_unknown_limit_at_end_perfmon
# A masked index added to a pointer already at the last byte of the value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r0 += 15
r0 += r1
out:
r0 = 0
exit
---
# case: map_value_add_unknown_ptr_past_end
# A pointer past the end of the value gets a masked index added.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R2 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r2 = r0
r2 += 16
r2 += r1
out:
r0 = 0
exit
---
# case: map_value_add_unknown_ptr_past_end_perfmon
# A pointer past the end of the value gets a masked index added.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r2 = r0
r2 += 16
r2 += r1
out:
r0 = 0
exit
---
# case: map_value_sub_negative_unknown
# A negative masked scalar subtracted (the pointer moves right).
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root
# insn: 11
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 = -r1
r0 -= r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_sub_negative_unknown_perfmon
# A negative masked scalar subtracted (the pointer moves right).
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 = -r1
r0 -= r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_add_neg_unknown
# A negative scalar in [-8, -1] added to a pointer in the middle of the value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 pointer arithmetic of map value goes out of range, prohibited for !root
# insn: 12
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 += -8
r0 += 8
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_add_neg_unknown_perfmon
# A negative scalar in [-8, -1] added to a pointer in the middle of the value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: reject
# error: R0 unbounded memory access, make sure to bounds check any such access
# insn: 13
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 += -8
r0 += 8
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_paths_differ
# Two paths reach one addition with different index ranges (different masks).
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R0 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root
# insn: 14
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r2 = *(u32 *)(r0 + 4)
if r2 == 0 goto small
r1 &= 7
goto add
small:
r1 &= 3
add:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_paths_differ_perfmon
# Two paths reach one addition with different index ranges (different masks).
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r2 = *(u32 *)(r0 + 4)
if r2 == 0 goto small
r1 &= 7
goto add
small:
r1 &= 3
add:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_paths_same
# Two paths reach one addition with the same index range.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r2 = *(u32 *)(r0 + 4)
if r2 == 0 goto small
r1 &= 7
goto add
small:
r1 &= 7
add:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_paths_same_perfmon
# Two paths reach one addition with the same index range.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r2 = *(u32 *)(r0 + 4)
if r2 == 0 goto small
r1 &= 7
goto add
small:
r1 &= 7
add:
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_from_two_maps
# One addition on values of two maps of different sizes.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# map: array 4 64 4
# expect: accept
r6 = *(u32 *)(r1 + 0)
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
if r6 == 0 goto lookup
r1 = map1 ll
lookup:
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_from_two_maps_perfmon
# One addition on values of two maps of different sizes.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# map: array 4 64 4
# expect: accept
r6 = *(u32 *)(r1 + 0)
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
if r6 == 0 goto lookup
r1 = map1 ll
lookup:
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 3
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: scalar_plus_map_value
# A scalar register plus a map value pointer (the scalar is the destination).
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 += r0
r0 = *(u8 *)(r1 + 0)
exit
out:
r0 = 0
exit
---
# case: scalar_plus_map_value_perfmon
# A scalar register plus a map value pointer (the scalar is the destination).
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 += r0
r0 = *(u8 *)(r1 + 0)
exit
out:
r0 = 0
exit
---
# case: scalar_plus_fp_const
# A constant in a register plus the frame pointer (the scalar is the destination).
# type: socket_filter
# caps: bpf
# expect: accept
r1 = -8
r1 += r10
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: scalar_plus_fp_const_perfmon
# A constant in a register plus the frame pointer (the scalar is the destination).
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = -8
r1 += r10
r2 = 0
*(u64 *)(r1 + 0) = r2
r0 = *(u64 *)(r10 - 8)
exit
---
# case: ctx_plus_const_register
# The context plus a constant held in a register.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
# insn: 1
# errno: EACCES
r2 = 0
r1 += r2
r0 = *(u32 *)(r1 + 0)
exit
---
# case: ctx_plus_const_register_perfmon
# The context plus a constant held in a register.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 0
r1 += r2
r0 = *(u32 *)(r1 + 0)
exit
---
# case: packet_plus_const_register_in_callee
# A callee moves a packet pointer by a constant held in a register.
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R2 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
# insn: 5
# errno: EACCES
call f
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = 14
r2 += r4
r0 = 0
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: packet_plus_const_register_in_callee_perfmon
# A callee moves a packet pointer by a constant held in a register.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
call f
exit
f:
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = 14
r2 += r4
r0 = 0
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: map_value_index_then_spec_branch
# A masked index, then a branch on a known value whose untaken side reads past the value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += r1
r2 = 1
if r2 == 1 goto read
r0 += 100
read:
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: map_value_index_then_spec_branch_perfmon
# A masked index, then a branch on a known value whose untaken side reads past the value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r0 += r1
r2 = 1
if r2 == 1 goto read
r0 += 100
read:
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
---
# case: spec_branch_then_loop_in_callee
# In a callee, the untaken side of a known branch loops forever.
# type: socket_filter
# caps: bpf
# expect: reject
# error: infinite loop detected at insn 3
# insn: 4
# errno: EINVAL
call f
exit
f:
r1 = 1
l:
if r1 != 0 goto out
goto l
out:
r0 = 0
exit
---
# case: spec_branch_then_loop_in_callee_perfmon
# In a callee, the untaken side of a known branch loops forever.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
exit
f:
r1 = 1
l:
if r1 != 0 goto out
goto l
out:
r0 = 0
exit
---
# case: spec_branch_to_spill_then_uninit
# The untaken side spills a pointer, then reads unwritten stack.
# type: socket_filter
# caps: bpf
# expect: accept
r2 = 0
if r2 == 0 goto out
*(u64 *)(r10 - 8) = r1
r0 = *(u64 *)(r10 - 16)
exit
out:
r0 = 0
exit
---
# case: spec_branch_to_spill_then_uninit_perfmon
# The untaken side spills a pointer, then reads unwritten stack.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 0
if r2 == 0 goto out
*(u64 *)(r10 - 8) = r1
r0 = *(u64 *)(r10 - 16)
exit
out:
r0 = 0
exit
---
# case: spec_branch_pointer_compare_side
# The untaken side compares pointers.
# type: socket_filter
# caps: bpf
# expect: accept
r2 = 3
if r2 > 5 goto bad
r0 = 0
exit
bad:
if r1 > r10 goto out
out:
r0 = 0
exit
---
# case: spec_branch_pointer_compare_side_perfmon
# The untaken side compares pointers.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 3
if r2 > 5 goto bad
r0 = 0
exit
bad:
if r1 > r10 goto out
out:
r0 = 0
exit
---
# case: spec_branch_both_sides_leak
# Both sides of a known branch end at a return of the context.
# type: socket_filter
# caps: bpf
# expect: accept
r2 = 3
if r2 > 5 goto bad
r0 = 0
exit
bad:
r0 = r1
exit
---
# case: spec_branch_both_sides_leak_perfmon
# Both sides of a known branch end at a return of the context.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r2 = 3
if r2 > 5 goto bad
r0 = 0
exit
bad:
r0 = r1
exit
---
# case: spec_branch_helper_unknown_map
# The untaken side calls a helper with a scalar as the map.
# type: socket_filter
# caps: bpf
# expect: accept
r6 = 0
if r6 != 0 goto bad
r0 = 0
exit
bad:
r1 = r6
r2 = r10
r2 += -8
call 1
r0 = 0
exit
---
# case: spec_branch_helper_unknown_map_perfmon
# The untaken side calls a helper with a scalar as the map.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r6 = 0
if r6 != 0 goto bad
r0 = 0
exit
bad:
r1 = r6
r2 = r10
r2 += -8
call 1
r0 = 0
exit
---
# case: spec_nested_known_branches
# Two known branches in a row; the speculative paths nest.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 1
r2 = 2
if r1 != 1 goto bad
if r2 != 2 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spec_nested_known_branches_perfmon
# Two known branches in a row; the speculative paths nest.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 1
r2 = 2
if r1 != 1 goto bad
if r2 != 2 goto bad
r0 = 0
exit
bad:
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spill_pointer_then_overwrite_full_then_read
# A pointer spilled, overwritten whole by a scalar, then read in part.
# type: socket_filter
# caps: bpf
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 7
*(u64 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
exit
---
# case: spill_pointer_then_overwrite_full_then_read_perfmon
# A pointer spilled, overwritten whole by a scalar, then read in part.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 7
*(u64 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
exit
---
# case: spill_scalar_then_partial_overwrite
# Control: a spilled scalar may be overwritten in part.
# type: socket_filter
# caps: bpf
# expect: accept
r1 = 5
*(u64 *)(r10 - 8) = r1
*(u32 *)(r10 - 4) = 0
r0 = *(u64 *)(r10 - 8)
exit
---
# case: spill_scalar_then_partial_overwrite_perfmon
# Control: a spilled scalar may be overwritten in part.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
r1 = 5
*(u64 *)(r10 - 8) = r1
*(u32 *)(r10 - 4) = 0
r0 = *(u64 *)(r10 - 8)
exit
---
# case: caller_spills_ctx_callee_reads_as_map_value
# A callee passes the caller's slot holding the context as a map value to store.
# type: socket_filter
# caps: bpf
# map: array 4 8 4
# expect: reject
# error: invalid read from stack R3 off -8+0 size 8
# insn: 14
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r3 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r4 = 0
call 2
r0 = 0
exit
---
# case: caller_spills_ctx_callee_reads_as_map_value_perfmon
# A callee passes the caller's slot holding the context as a map value to store.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 8 4
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r3 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r4 = 0
call 2
r0 = 0
exit
---
# case: callee_stack_ptr_plus_const_out
# A callee moves its own frame pointer out of its frame.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R1 stack pointer arithmetic goes out of range, prohibited for !root; off=16
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r1 = r10
r1 += 16
r0 = 0
exit
---
# case: callee_stack_ptr_plus_const_out_perfmon
# A callee moves its own frame pointer out of its frame.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
call f
r0 = 0
exit
f:
r1 = r10
r1 += 16
r0 = 0
exit
---
# case: uninit_read_after_partial_slot
# Four bytes written at -8, four read at -4 (the slot is allocated).
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack off -4+0 size 4
# insn: 1
# errno: EACCES
*(u32 *)(r10 - 8) = 0
r0 = *(u32 *)(r10 - 4)
exit
---
# case: uninit_read_after_partial_slot_perfmon
# Four bytes written at -8, four read at -4 (the slot is allocated).
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u32 *)(r10 - 8) = 0
r0 = *(u32 *)(r10 - 4)
exit
---
# case: uninit_read_straddling_allocation
# Eight bytes written at -8, eight read at -16 (below the allocated stack).
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack R10 off=-16 size=8
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = 0
r0 = *(u64 *)(r10 - 16)
exit
---
# case: uninit_read_straddling_allocation_perfmon
# Eight bytes written at -8, eight read at -16 (below the allocated stack).
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 8) = 0
r0 = *(u64 *)(r10 - 16)
exit
---
# case: uninit_read_deep_after_deeper_write
# A slot between two written slots read.
# type: socket_filter
# caps: bpf
# expect: reject
# error: invalid read from stack off -16+0 size 8
# insn: 2
# errno: EACCES
*(u64 *)(r10 - 24) = 0
*(u64 *)(r10 - 8) = 0
r0 = *(u64 *)(r10 - 16)
exit
---
# case: uninit_read_deep_after_deeper_write_perfmon
# A slot between two written slots read.
# type: socket_filter
# caps: bpf,perfmon
# expect: accept
*(u64 *)(r10 - 24) = 0
*(u64 *)(r10 - 8) = 0
r0 = *(u64 *)(r10 - 16)
exit
---
# case: uninit_map_key_straddling
# A key of eight bytes half written at the bottom of the allocated stack.
# type: socket_filter
# caps: bpf
# map: hash 8 8 4
# expect: reject
# error: invalid read from stack R2 off -8+0 size 8
# insn: 5
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: uninit_map_key_straddling_perfmon
# A key of eight bytes half written at the bottom of the allocated stack.
# type: socket_filter
# caps: bpf,perfmon
# map: hash 8 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 0
exit
---
# case: leak_ptr_into_ringbuf_mem
# A pointer stored into ring buffer memory.
# type: socket_filter
# caps: bpf
# map: ringbuf 0 0 4096
# expect: reject
# error: R10 leaks addr into mem
# insn: 6
# errno: EACCES
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r10
r1 = r0
r2 = 0
call 133
out:
r0 = 0
exit
---
# case: leak_ptr_into_ringbuf_mem_perfmon
# A pointer stored into ring buffer memory.
# type: socket_filter
# caps: bpf,perfmon
# map: ringbuf 0 0 4096
# expect: accept
r1 = map0 ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r10
r1 = r0
r2 = 0
call 133
out:
r0 = 0
exit
---
# case: leak_ptr_into_ringbuf_output
# bpf_ringbuf_output reading a buffer with a spilled pointer.
# type: socket_filter
# caps: bpf
# map: ringbuf 0 0 4096
# expect: reject
# error: invalid read from stack R2 off -8+0 size 8
# insn: 7
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r1 = map0 ll
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call 130
r0 = 0
exit
---
# case: leak_ptr_into_ringbuf_output_perfmon
# bpf_ringbuf_output reading a buffer with a spilled pointer.
# type: socket_filter
# caps: bpf,perfmon
# map: ringbuf 0 0 4096
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = map0 ll
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call 130
r0 = 0
exit
---
# case: leak_ctx_into_map_via_callee_return
# A callee returns the context; the caller stores it into a map value.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R7 leaks addr into map
# insn: 11
# errno: EACCES
r6 = r1
call f
r7 = r0
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r7
out:
r0 = 0
exit
f:
r0 = r1
exit
---
# case: leak_ctx_into_map_via_callee_return_perfmon
# A callee returns the context; the caller stores it into a map value.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r6 = r1
call f
r7 = r0
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u64 *)(r0 + 0) = r7
out:
r0 = 0
exit
f:
r0 = r1
exit
---
# case: ptr_cmp_in_loop_in_callee
# A callee loops comparing a moving stack pointer with its frame pointer.
# type: socket_filter
# caps: bpf
# expect: reject
# error: R10 pointer comparison prohibited
# insn: 5
# errno: EACCES
call f
exit
f:
r1 = r10
r1 += -64
l:
r1 += 8
if r1 < r10 goto l
r0 = 0
exit
---
# case: map_value_loop_index
# A bounded loop indexing a map value byte by byte.
# type: socket_filter
# caps: bpf
# map: array 4 16 4
# expect: reject
# error: R1 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root
# insn: 12
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r7 = 0
r8 = 0
l:
r1 = r6
r1 += r7
r2 = *(u8 *)(r1 + 0)
r8 += r2
r7 += 1
if r7 < 16 goto l
r0 = r8
exit
out:
r0 = 0
exit
---
# case: map_value_loop_index_perfmon
# A bounded loop indexing a map value byte by byte.
# type: socket_filter
# caps: bpf,perfmon
# map: array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r7 = 0
r8 = 0
l:
r1 = r6
r1 += r7
r2 = *(u8 *)(r1 + 0)
r8 += r2
r7 += 1
if r7 < 16 goto l
r0 = r8
exit
out:
r0 = 0
exit
---
# case: xdp_meta_vs_data_cmp
# In xdp, the metadata pointer checked against the start of the data (a packet-range check).
# type: xdp
# caps: bpf,net_admin
# expect: accept
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r4 = r2
r4 += 4
r0 = 2
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
r0 = 2
out:
exit
---
# case: xdp_meta_vs_data_cmp_perfmon
# In xdp, the metadata pointer checked against the start of the data (a packet-range check).
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r4 = r2
r4 += 4
r0 = 2
if r4 > r3 goto out
r0 = *(u32 *)(r2 + 0)
r0 = 2
out:
exit
---
# case: xdp_meta_vs_moved_data_cmp
# In xdp, the metadata pointer compared with a data pointer that moved.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: R2 pointer comparison prohibited
# insn: 4
# errno: EACCES
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r3 += 2
r0 = 2
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: xdp_meta_vs_moved_data_cmp_perfmon
# In xdp, the metadata pointer compared with a data pointer that moved.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 0)
r3 += 2
r0 = 2
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_eq_end
# In xdp, data compared for equality with data_end.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: R2 pointer comparison prohibited
# insn: 3
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r0 = 2
if r2 == r3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_eq_end_perfmon
# In xdp, data compared for equality with data_end.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r0 = 2
if r2 == r3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_jmp32_end
# In xdp, a 32-bit comparison of data with data_end.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: R2 pointer comparison prohibited
# insn: 3
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r0 = 2
if w2 > w3 goto out
r0 = 1
out:
exit
---
# case: xdp_data_jmp32_end_perfmon
# In xdp, a 32-bit comparison of data with data_end.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r0 = 2
if w2 > w3 goto out
r0 = 1
out:
exit
---
# case: xdp_packet_ptr_spilled_and_filled_in_callee
# In xdp, a callee spills a packet pointer and reads the packet through the fill.
# type: xdp
# caps: bpf,net_admin
# expect: accept
call f
exit
f:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
r0 = 2
if r4 > r3 goto out
*(u64 *)(r10 - 8) = r2
r5 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r5 + 0)
r0 = 2
out:
exit
---
# case: xdp_packet_ptr_spilled_and_filled_in_callee_perfmon
# In xdp, a callee spills a packet pointer and reads the packet through the fill.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
call f
exit
f:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 4
r0 = 2
if r4 > r3 goto out
*(u64 *)(r10 - 8) = r2
r5 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r5 + 0)
r0 = 2
out:
exit
---
# case: xdp_packet_ptr_leak_to_stack_u32
# In xdp, half of a spilled packet pointer read back.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: invalid size of register fill
# insn: 2
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
r0 = 2
exit
---
# case: xdp_packet_ptr_leak_to_stack_u32_perfmon
# In xdp, half of a spilled packet pointer read back.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: reject
# error: invalid size of register fill
# insn: 2
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r2
r0 = *(u32 *)(r10 - 8)
r0 = 2
exit
---
# case: xdp_packet_ptr_as_map_key
# In xdp, a packet pointer spilled and used as a hash key.
# type: xdp
# caps: bpf,net_admin
# map: hash 8 8 4
# expect: reject
# error: invalid read from stack R2 off -8+0 size 8
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r2
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 2
exit
---
# case: xdp_packet_ptr_as_map_key_perfmon
# In xdp, a packet pointer spilled and used as a hash key.
# type: xdp
# caps: bpf,net_admin,perfmon
# map: hash 8 8 4
# expect: accept
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 8) = r2
r2 = r10
r2 += -8
r1 = map0 ll
call 1
r0 = 2
exit
---
# case: xdp_packet_index_masked
# In xdp, a packet pointer moved by a masked byte of the packet.
# type: xdp
# caps: bpf,net_admin
# expect: reject
# error: R2 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
# insn: 8
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 1
r0 = 2
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 7
r2 += r5
out:
exit
---
# case: xdp_packet_index_masked_perfmon
# In xdp, a packet pointer moved by a masked byte of the packet.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 1
r0 = 2
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 7
r2 += r5
out:
exit
---
# case: xdp_adjust_head_then_compare_in_callee
# In xdp, a callee calls bpf_xdp_adjust_head, then compares fresh packet pointers.
# type: xdp
# caps: bpf,net_admin
# expect: accept
call f
exit
f:
r6 = r1
r2 = -4
call 44
r0 = 2
r2 = *(u32 *)(r6 + 0)
r3 = *(u32 *)(r6 + 4)
r2 += 4
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: xdp_adjust_head_then_compare_in_callee_perfmon
# In xdp, a callee calls bpf_xdp_adjust_head, then compares fresh packet pointers.
# type: xdp
# caps: bpf,net_admin,perfmon
# expect: accept
call f
exit
f:
r6 = r1
r2 = -4
call 44
r0 = 2
r2 = *(u32 *)(r6 + 0)
r3 = *(u32 *)(r6 + 4)
r2 += 4
if r2 > r3 goto out
r0 = 1
out:
exit
---
# case: tc_ctx_ptr_into_cb
# In sched_cls, the packet pointer stored into skb->cb[0].
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R2 leaks addr into ctx
# insn: 1
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
*(u32 *)(r1 + 48) = r2
r0 = 0
exit
---
# case: tc_ctx_ptr_into_cb_perfmon
# In sched_cls, the packet pointer stored into skb->cb[0].
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
r2 = *(u32 *)(r1 + 76)
*(u32 *)(r1 + 48) = r2
r0 = 0
exit
---
# case: tc_map_value_ptr_as_helper_value
# In sched_cls, a map value holding a spilled context passed to bpf_map_update_elem.
# type: sched_cls
# caps: bpf,net_admin
# map: array 4 8 4
# expect: reject
# error: invalid read from stack R3 off -16+0 size 8
# insn: 11
# errno: EACCES
r6 = r1
*(u64 *)(r10 - 16) = r6
r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call 2
r0 = 0
exit
---
# case: tc_map_value_ptr_as_helper_value_perfmon
# In sched_cls, a map value holding a spilled context passed to bpf_map_update_elem.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# map: array 4 8 4
# expect: accept
r6 = r1
*(u64 *)(r10 - 16) = r6
r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map0 ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call 2
r0 = 0
exit
---
# case: tc_skb_load_bytes_over_spill
# In sched_cls, bpf_skb_load_bytes writes over a spilled pointer (byte stores into it).
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: attempt to corrupt spilled pointer on stack
# insn: 5
# errno: EACCES
*(u64 *)(r10 - 8) = r1
r2 = 0
r3 = r10
r3 += -8
r4 = 4
call 26
r0 = 0
exit
---
# case: tc_skb_load_bytes_over_spill_perfmon
# In sched_cls, bpf_skb_load_bytes writes over a spilled pointer (byte stores into it).
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = 0
r3 = r10
r3 += -8
r4 = 4
call 26
r0 = 0
exit
---
# case: tc_return_packet_end
# In sched_cls, data_end returned.
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R0 leaks addr as return value
# insn: 1
# errno: EACCES
r0 = *(u32 *)(r1 + 80)
exit
---
# case: tc_return_packet_end_perfmon
# In sched_cls, data_end returned.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
r0 = *(u32 *)(r1 + 80)
exit
---
# case: tc_cmp_ctx_null_in_callee
# In sched_cls, a callee null-tests the context.
# type: sched_cls
# caps: bpf,net_admin
# expect: reject
# error: R1 pointer comparison prohibited
# insn: 3
# errno: EACCES
call f
exit
f:
r0 = 0
if r1 != 0 goto out
r0 = 1
out:
exit
---
# case: tc_cmp_ctx_null_in_callee_perfmon
# In sched_cls, a callee null-tests the context.
# type: sched_cls
# caps: bpf,net_admin,perfmon
# expect: accept
call f
exit
f:
r0 = 0
if r1 != 0 goto out
r0 = 1
out:
exit
