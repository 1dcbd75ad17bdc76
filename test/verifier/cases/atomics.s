# case: atomic_add_stack_initialised
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = *(u64 *)(r10 - 8)
exit
---
# case: atomic_add_stack_uninit
# type: socket_filter
# expect: accept
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add32_stack
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 4) = 0
w1 = 1
lock *(u32 *)(r10 - 4) += w1
r0 = *(u32 *)(r10 - 4)
exit
---
# case: atomic_add_stack_misaligned
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 4
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 16) = r1
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 12) += r1
r0 = 0
exit
---
# case: atomic_add32_stack_misaligned
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-6 size 4
# insn: 2
# errno: EACCES
*(u64 *)(r10 - 8) = 0
w1 = 1
lock *(u32 *)(r10 - 6) += w1
r0 = 0
exit
---
# case: atomic_fetch_add_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
r0 = r1
exit
---
# case: atomic_fetch_add_result_is_scalar
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
r2 = r10
r2 += r1
r0 = 0
exit
---
# case: atomic_xchg_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 5
r1 = xchg_64(r10 - 8, r1)
r0 = r1
exit
---
# case: atomic_cmpxchg_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = 0
r1 = 5
r0 = cmpxchg_64(r10 - 8, r0, r1)
exit
---
# case: atomic_cmpxchg_r0_uninit
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 3
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 5
r0 = cmpxchg_64(r10 - 8, r0, r1)
exit
---
# case: atomic_add_pointer_operand
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add_on_spilled_pointer
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_xchg_pointer_into_stack
# type: socket_filter
# expect: accept
r2 = 0
*(u64 *)(r10 - 8) = r2
r2 = r1
r2 = xchg_64(r10 - 8, r2)
r0 = 0
exit
---
# case: atomic_add_ctx
# type: socket_filter
# expect: reject
# error: BPF_ATOMIC stores into R1 ctx is not allowed
# insn: 1
# errno: EACCES
r2 = 1
lock *(u32 *)(r1 + 0) += w2
r0 = 0
exit
---
# case: atomic_add_map_value
# type: socket_filter
# map: array 4 8 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 1
lock *(u64 *)(r0 + 0) += r1
out:
r0 = 0
exit
---
# case: atomic_add_map_value_past_end
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: misaligned value access off 0+0+4 size 8
# insn: 8
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 1
lock *(u64 *)(r0 + 4) += r1
out:
r0 = 0
exit
---
# case: atomic_fetch_or_map_value_in_callee
# type: socket_filter
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
r2 = 1
r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)
r0 = 0
exit
---
# case: atomic_cmpxchg_map_value
# type: socket_filter
# map: hash 4 8 1
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r6 = r0
r0 = 0
r1 = 1
r0 = cmpxchg_64(r6 + 0, r0, r1)
out:
r0 = 0
exit
---
# case: atomic_add_map_value_or_null
# type: socket_filter
# map: hash 4 8 1
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r1 = 1
lock *(u64 *)(r0 + 0) += r1
r0 = 0
exit
---
# case: atomic_add_packet_xdp
# type: xdp
# expect: reject
# error: BPF_ATOMIC stores into R2 pkt is not allowed
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r1 = 1
lock *(u64 *)(r2 + 0) += r1
out:
r0 = 2
exit
---
# case: atomic_add_callee_on_caller_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r10 - 8)
exit
f:
r2 = 1
lock *(u64 *)(r1 + 0) += r2
r0 = 0
exit
---
# case: atomic_add_callee_on_caller_uninit_stack
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
r2 = 1
lock *(u64 *)(r1 + 0) += r2
r0 = 0
exit
---
# case: atomic_and_w_stack
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 4) = 7
w1 = 3
lock *(u32 *)(r10 - 4) &= w1
r0 = *(u32 *)(r10 - 4)
exit
---
# case: atomic_fetch_xor_u32_stack
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 4) = 7
w1 = 3
w1 = atomic_fetch_xor((u32 *)(r10 - 4), w1)
r0 = r1
exit
---
# case: atomic_xchg32_stack
# type: socket_filter
# expect: accept
*(u32 *)(r10 - 4) = 7
w1 = 3
w1 = xchg32_32(r10 - 4, w1)
w0 = w1
exit
---
# case: atomic_src_uninit
# type: socket_filter
# expect: reject
# error: R3 !read_ok
# insn: 2
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
lock *(u64 *)(r10 - 8) += r3
r0 = 0
exit
---
# case: load_acquire_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = load_acquire((u64 *)(r10 - 8))
exit
---
# case: store_release_stack
# type: socket_filter
# expect: accept
r1 = 3
store_release((u64 *)(r10 - 8), r1)
r0 = *(u64 *)(r10 - 8)
exit
---
# case: atomic_add_stack_initialised_in_subprog
# atomic_add_stack_initialised run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = *(u64 *)(r10 - 8)
exit
---
# case: atomic_add_stack_uninit_in_subprog
# atomic_add_stack_uninit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add32_stack_in_subprog
# atomic_add32_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 0
w1 = 1
lock *(u32 *)(r10 - 4) += w1
r0 = *(u32 *)(r10 - 4)
exit
---
# case: atomic_add_stack_misaligned_in_subprog
# atomic_add_stack_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-12 size 8
# insn: 6
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 16) = r1
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 12) += r1
r0 = 0
exit
---
# case: atomic_add32_stack_misaligned_in_subprog
# atomic_add32_stack_misaligned run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-6 size 4
# insn: 4
# errno: EACCES
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = 0
w1 = 1
lock *(u32 *)(r10 - 6) += w1
r0 = 0
exit
---
# case: atomic_fetch_add_stack_in_subprog
# atomic_fetch_add_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
r0 = r1
exit
---
# case: atomic_fetch_add_result_is_scalar_in_subprog
# atomic_fetch_add_result_is_scalar run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 1
r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
r2 = r10
r2 += r1
r0 = 0
exit
---
# case: atomic_xchg_stack_in_subprog
# atomic_xchg_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 5
r1 = xchg_64(r10 - 8, r1)
r0 = r1
exit
---
# case: atomic_cmpxchg_stack_in_subprog
# atomic_cmpxchg_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = 0
r1 = 5
r0 = cmpxchg_64(r10 - 8, r0, r1)
exit
---
# case: atomic_cmpxchg_r0_uninit_in_subprog
# atomic_cmpxchg_r0_uninit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 5
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 5
r0 = cmpxchg_64(r10 - 8, r0, r1)
exit
---
# case: atomic_add_pointer_operand_in_subprog
# atomic_add_pointer_operand run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_add_on_spilled_pointer_in_subprog
# atomic_add_on_spilled_pointer run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u64 *)(r10 - 8) = r1
r1 = 1
lock *(u64 *)(r10 - 8) += r1
r0 = 0
exit
---
# case: atomic_xchg_pointer_into_stack_in_subprog
# atomic_xchg_pointer_into_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r2 = 0
*(u64 *)(r10 - 8) = r2
r2 = r1
r2 = xchg_64(r10 - 8, r2)
r0 = 0
exit
---
# case: atomic_add_ctx_in_subprog
# atomic_add_ctx run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: BPF_ATOMIC stores into R1 ctx is not allowed
# insn: 3
# errno: EACCES
call subprog
exit
subprog:
r2 = 1
lock *(u32 *)(r1 + 0) += w2
r0 = 0
exit
---
# case: atomic_add_map_value_in_subprog
# atomic_add_map_value run as the subprogram of a main that only calls it.
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
r1 = 1
lock *(u64 *)(r0 + 0) += r1
out:
r0 = 0
exit
---
# case: atomic_add_map_value_past_end_in_subprog
# atomic_add_map_value_past_end run as the subprogram of a main that only calls it.
# type: socket_filter
# map: array 4 8 1
# expect: reject
# error: misaligned value access off 0+0+4 size 8
# insn: 10
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
r1 = 1
lock *(u64 *)(r0 + 4) += r1
out:
r0 = 0
exit
---
# case: atomic_cmpxchg_map_value_in_subprog
# atomic_cmpxchg_map_value run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 1
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
r0 = 0
r1 = 1
r0 = cmpxchg_64(r6 + 0, r0, r1)
out:
r0 = 0
exit
---
# case: atomic_add_map_value_or_null_in_subprog
# atomic_add_map_value_or_null run as the subprogram of a main that only calls it.
# type: socket_filter
# map: hash 4 8 1
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
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
r1 = 1
lock *(u64 *)(r0 + 0) += r1
r0 = 0
exit
---
# case: atomic_add_packet_xdp_in_subprog
# atomic_add_packet_xdp run as the subprogram of a main that only calls it.
# type: xdp
# expect: reject
# error: BPF_ATOMIC stores into R2 pkt is not allowed
# insn: 8
# errno: EACCES
call subprog
exit
subprog:
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r1 = 1
lock *(u64 *)(r2 + 0) += r1
out:
r0 = 2
exit
---
# case: atomic_and_w_stack_in_subprog
# atomic_and_w_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 7
w1 = 3
lock *(u32 *)(r10 - 4) &= w1
r0 = *(u32 *)(r10 - 4)
exit
---
# case: atomic_fetch_xor_u32_stack_in_subprog
# atomic_fetch_xor_u32_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 7
w1 = 3
w1 = atomic_fetch_xor((u32 *)(r10 - 4), w1)
r0 = r1
exit
---
# case: atomic_xchg32_stack_in_subprog
# atomic_xchg32_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
*(u32 *)(r10 - 4) = 7
w1 = 3
w1 = xchg32_32(r10 - 4, w1)
w0 = w1
exit
---
# case: atomic_src_uninit_in_subprog
# atomic_src_uninit run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: reject
# error: R3 !read_ok
# insn: 4
# errno: EACCES
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
lock *(u64 *)(r10 - 8) += r3
r0 = 0
exit
---
# case: load_acquire_stack_in_subprog
# load_acquire_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = load_acquire((u64 *)(r10 - 8))
exit
---
# case: store_release_stack_in_subprog
# store_release_stack run as the subprogram of a main that only calls it.
# type: socket_filter
# expect: accept
call subprog
exit
subprog:
r1 = 3
store_release((u64 *)(r10 - 8), r1)
r0 = *(u64 *)(r10 - 8)
exit
---
# case: load_acquire_u8_stack
# type: socket_filter
# expect: accept
r1 = 0x1ff
*(u64 *)(r10 - 8) = r1
r0 = load_acquire((u8 *)(r10 - 8))
exit
---
# case: load_acquire_u16_stack
# type: socket_filter
# expect: accept
r1 = 0
*(u64 *)(r10 - 8) = r1
w0 = load_acquire((u16 *)(r10 - 6))
exit
---
# case: load_acquire_u32_stack_misaligned
# Load-acquire checks alignment strictly, whatever the load flags.
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-6 size 4
# insn: 2
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
w0 = load_acquire((u32 *)(r10 - 6))
exit
---
# case: store_release_u8_stack
# type: socket_filter
# expect: accept
r1 = 3
store_release((u8 *)(r10 - 1), w1)
r0 = *(u8 *)(r10 - 1)
exit
---
# case: store_release_u16_stack_misaligned
# type: socket_filter
# expect: reject
# error: misaligned stack access off 0+0+-3 size 2
# insn: 1
# errno: EACCES
r1 = 3
store_release((u16 *)(r10 - 3), w1)
r0 = 0
exit
---
# case: load_acquire_uninit_stack
# Privileged loads may read stack never written.
# type: socket_filter
# expect: accept
r0 = load_acquire((u64 *)(r10 - 8))
exit
---
# case: load_acquire_src_uninit
# type: socket_filter
# expect: reject
# error: R2 !read_ok
# insn: 0
# errno: EACCES
r0 = load_acquire((u64 *)(r2 + 0))
exit
---
# case: store_release_value_uninit
# type: socket_filter
# expect: reject
# error: R2 !read_ok
# insn: 0
# errno: EACCES
store_release((u64 *)(r10 - 8), r2)
r0 = 0
exit
---
# case: load_acquire_into_r10
# type: socket_filter
# expect: reject
# error: frame pointer is read only
# insn: 2
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
r10 = load_acquire((u64 *)(r10 - 8))
r0 = 0
exit
---
# case: load_acquire_scalar_pointer
# type: socket_filter
# expect: reject
# error: R1 invalid mem access 'scalar'
# insn: 1
# errno: EACCES
r1 = 0
r0 = load_acquire((u64 *)(r1 + 0))
exit
---
# case: load_acquire_ctx
# The context is refused before the offset is looked at.
# type: socket_filter
# expect: reject
# error: BPF_ATOMIC loads from R1 ctx is not allowed
# insn: 0
# errno: EACCES
w0 = load_acquire((u32 *)(r1 + 0))
exit
---
# case: load_acquire_ctx_bad_offset
# type: socket_filter
# expect: reject
# error: BPF_ATOMIC loads from R1 ctx is not allowed
# insn: 0
# errno: EACCES
w0 = load_acquire((u32 *)(r1 + 3))
exit
---
# case: store_release_ctx_read_only_field
# A store-release is checked as a store first: socket_filter cannot write len.
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=0 size=4
# insn: 1
# errno: EACCES
r2 = 0
store_release((u32 *)(r1 + 0), w2)
r0 = 0
exit
---
# case: store_release_ctx_writable_field
# mark is writable in sched_cls, but no atomic may touch the context.
# type: sched_cls
# expect: reject
# error: BPF_ATOMIC stores into R1 ctx is not allowed
# insn: 1
# errno: EACCES
r2 = 0
store_release((u32 *)(r1 + 8), w2)
r0 = 0
exit
---
# case: store_release_ctx_misaligned
# type: sched_cls
# expect: reject
# error: misaligned context access off 0+0+10 size 4
# insn: 1
# errno: EACCES
r2 = 0
store_release((u32 *)(r1 + 10), w2)
r0 = 0
exit
---
# case: load_acquire_packet
# type: sched_cls
# expect: reject
# error: BPF_ATOMIC loads from R2 pkt is not allowed
# insn: 5
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
w0 = load_acquire((u32 *)(r2 + 0))
out:
r0 = 0
exit
---
# case: store_release_packet_misaligned
# Packet alignment counts NET_IP_ALIGN (2), strictly for atomics.
# type: sched_cls
# expect: reject
# error: misaligned packet access off 2+0+0+0 size 4
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
r5 = 0
store_release((u32 *)(r2 + 0), w5)
out:
r0 = 0
exit
---
# case: store_release_packet_aligned
# An aligned, in-bounds packet store-release passes the access check and is refused for its pointer type.
# type: sched_cls
# expect: reject
# error: BPF_ATOMIC stores into R2 pkt is not allowed
# insn: 6
# errno: EACCES
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
r4 = r2
r4 += 8
if r4 > r3 goto out
r5 = 0
store_release((u32 *)(r2 + 2), w5)
out:
r0 = 0
exit
---
# case: load_acquire_map_value
# type: socket_filter
# map: array 4 16 1
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = load_acquire((u64 *)(r0 + 8))
exit
out:
r0 = 0
exit
---
# case: load_acquire_map_value_misaligned
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: misaligned value access off 0+0+2 size 4
# insn: 8
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
w0 = load_acquire((u32 *)(r0 + 2))
exit
out:
r0 = 0
exit
---
# case: store_release_map_value_out_of_bounds
# type: socket_filter
# map: array 4 16 1
# expect: reject
# error: R0 min value is outside of the allowed memory range
# insn: 9
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 5
store_release((u64 *)(r0 + 16), r1)
out:
r0 = 0
exit
---
# case: store_release_read_only_map
# type: socket_filter
# map: array 4 16 1 128
# expect: reject
# error: write into map forbidden, value_size=16 off=0 size=8
# insn: 9
# errno: EACCES
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = 5
store_release((u64 *)(r0 + 0), r1)
out:
r0 = 0
exit
---
# case: store_release_pointer_into_map_value
# Privileged programs may store pointers into map values.
# type: socket_filter
# map: array 4 16 1
# expect: accept
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r1 = r10
store_release((u64 *)(r0 + 0), r1)
out:
r0 = 0
exit
---
# case: store_release_spills_pointer
# A store-release of a whole register spills it: the filled pointer can be dereferenced.
# type: socket_filter
# expect: accept
store_release((u64 *)(r10 - 8), r1)
r2 = *(u64 *)(r10 - 8)
w0 = *(u32 *)(r2 + 0)
exit
---
# case: load_acquire_fills_pointer
# type: socket_filter
# expect: accept
*(u64 *)(r10 - 8) = r1
r2 = load_acquire((u64 *)(r10 - 8))
w0 = *(u32 *)(r2 + 0)
exit
---
# case: load_acquire_partial_fill_of_pointer
# type: socket_filter
# expect: reject
# error: invalid size of register fill
# insn: 1
# errno: EACCES
*(u64 *)(r10 - 8) = r1
w0 = load_acquire((u32 *)(r10 - 8))
exit
---
# case: load_acquire_known_constant_bounds_branch
# A filled constant keeps its value: the branch is decided and the dead path is not walked.
# type: socket_filter
# expect: accept
r1 = 4
*(u64 *)(r10 - 8) = r1
r2 = load_acquire((u64 *)(r10 - 8))
if r2 == 4 goto ok
r0 = r3
exit
ok:
r0 = 0
exit
---
# case: load_acquire_caller_stack_from_callee
# type: socket_filter
# expect: accept
r1 = 9
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
exit
f:
r0 = load_acquire((u64 *)(r1 + 0))
exit
---
# case: store_release_caller_stack_from_callee
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call f
r0 = *(u64 *)(r10 - 8)
exit
f:
r2 = 11
store_release((u64 *)(r1 + 0), r2)
exit
---
# case: store_release_past_caller_stack_from_callee
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
r2 = 11
store_release((u64 *)(r1 + 8), r2)
exit
