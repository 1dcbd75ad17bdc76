# case: tcp_sock_u64_counter
# struct bpf_tcp_sock: bytes_received is read as the u64 it is.
# type: sched_cls
# expect: accept
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r6 = r0
r1 = r0
call 96
if r0 == 0 goto release
r7 = *(u64 *)(r0 + 80)
release:
r1 = r6
call 86
out:
r0 = 0
exit
---
# case: tcp_sock_counter_upper_half
# A u32 read of the upper half of bytes_received passes the access check (only offsets 80 and 88 must be 8
# bytes), but the kernel's ctx rewrite has no case for it: a verifier bug after verification (EFAULT).
# type: sched_cls
# expect: reject
# error: verifier bug: error during ctx access conversion (0)
# insn: none
# errno: EFAULT
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r6 = r0
r1 = r0
call 96
if r0 == 0 goto release
r7 = *(u32 *)(r0 + 84)
release:
r1 = r6
call 86
out:
r0 = 0
exit
---
# case: tcp_sock_u64_misaligned
# An 8-byte read at offset 84.
# type: sched_cls
# expect: reject
# error: R0 invalid tcp_sock access off=84 size=8
# insn: 13
# errno: EACCES
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r6 = r0
r1 = r0
call 96
if r0 == 0 goto release
r7 = *(u64 *)(r0 + 84)
release:
r1 = r6
call 86
out:
r0 = 0
exit
---
# case: tcp_sock_past_end
# icsk_retransmits is the last field (offset 108).
# type: sched_cls
# expect: reject
# error: R0 invalid tcp_sock access off=112 size=4
# insn: 13
# errno: EACCES
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r6 = r0
r1 = r0
call 96
if r0 == 0 goto release
r7 = *(u32 *)(r0 + 112)
release:
r1 = r6
call 86
out:
r0 = 0
exit
---
# case: sock_write
# No socket pointer may be written.
# type: sched_cls
# expect: reject
# error: R0 cannot write into sock
# insn: 10
# errno: EACCES
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 84
if r0 == 0 goto out
r6 = r0
*(u32 *)(r0 + 16) = 1
goto release
release:
r1 = r6
call 86
out:
r0 = 0
exit
---
# case: sock_common_write
# bpf_skc_lookup_tcp gives a sock_common, read-only too.
# type: sched_cls
# expect: reject
# error: R0 cannot write into sock_common
# insn: 10
# errno: EACCES
*(u64 *)(r10 - 8) = 0
*(u64 *)(r10 - 16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = -1
r5 = 0
call 99
if r0 == 0 goto out
r6 = r0
*(u32 *)(r0 + 16) = 1
goto release
release:
r1 = r6
call 86
out:
r0 = 0
exit
