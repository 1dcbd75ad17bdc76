# bpf-to-bpf calls: callee-saved r6-r9 survive calls, r1-r5 carry arguments, a pointer to the caller's stack
# is written by a callee two levels down, and a chain of 7 frames each using its own stack.
# xdp program: results go to the packet (r6 = data, checked against data_end) and into r0.
        .section xdp,"ax",@progbits
        .globl prog
prog:
        r6 = *(u32 *)(r1 + 0)
        r7 = *(u32 *)(r1 + 4)
        r2 = r6
        r2 += 64
        if r2 > r7 goto short
        r9 = 0x1111222233334444 ll
        r8 = 77
        *(u64 *)(r10 - 8) = r8
        r1 = r10
        r1 += -8
        r2 = 5
        r3 = -3
        r4 = 0x7fffffff
        r5 = 9
        call writer
        *(u64 *)(r6 + 0) = r0
        r1 = *(u64 *)(r10 - 8)
        *(u64 *)(r6 + 8) = r1
        *(u64 *)(r6 + 16) = r9
        *(u64 *)(r6 + 24) = r8
        r1 = 1
        call depth1
        *(u64 *)(r6 + 32) = r0
        r0 ^= r9
        r0 ^= r8
        exit
short:
        r0 = 0
        exit

writer:
        r6 = 0x5555
        r7 = r6
        r9 = -1
        r0 = r2
        r0 *= r3
        r0 += r4
        r0 += r5
        call write_through
        r0 += r6
        exit

write_through:
        r2 = *(u64 *)(r1 + 0)
        r2 <<= 3
        r2 |= 1
        *(u64 *)(r1 + 0) = r2
        r0 = r2
        r0 += 1000
        exit

depth1:
        *(u64 *)(r10 - 16) = r1
        r1 += 1
        call depth2
        r1 = *(u64 *)(r10 - 16)
        r0 += r1
        exit
depth2:
        *(u64 *)(r10 - 16) = r1
        r1 *= 3
        call depth3
        r1 = *(u64 *)(r10 - 16)
        r0 += r1
        exit
depth3:
        *(u32 *)(r10 - 4) = r1
        r1 <<= 4
        call depth4
        r1 = *(u32 *)(r10 - 4)
        r0 ^= r1
        exit
depth4:
        r6 = r1
        r1 = -r1
        call depth5
        r0 += r6
        exit
depth5:
        r6 = r1
        r1 s>>= 1
        call depth6
        r0 += r6
        exit
depth6:
        r0 = r1
        r0 s/= 3
        exit
