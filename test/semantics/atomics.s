# Every atomic, 32 and 64 bit, with and without fetch, xchg and cmpxchg (success and failure), on the stack.
        .section xdp,"ax",@progbits
        .globl prog
prog:
        r6 = *(u32 *)(r1 + 0)
        r7 = *(u32 *)(r1 + 4)
        r2 = r6
        r2 += 256
        if r2 > r7 goto short
        r1 = 0x0123456789abcdef ll
        *(u64 *)(r10 - 8) = r1
        *(u64 *)(r10 - 16) = r1
        r2 = 0xf0f0f0f0f0f0f0f0 ll
        lock *(u64 *)(r10 - 8) += r2
        lock *(u32 *)(r10 - 16) += w2
        r3 = *(u64 *)(r10 - 8)
        *(u64 *)(r6 + 0) = r3
        r3 = *(u64 *)(r10 - 16)
        *(u64 *)(r6 + 8) = r3
        r2 = 0x00ff00ff00ff00ff ll
        r2 = atomic_fetch_or((u64 *)(r10 - 8), r2)
        *(u64 *)(r6 + 16) = r2
        r2 = 0x0fff0fff0fff0fff ll
        r2 = atomic_fetch_and((u64 *)(r10 - 8), r2)
        *(u64 *)(r6 + 24) = r2
        r2 = -1
        r2 = atomic_fetch_xor((u64 *)(r10 - 8), r2)
        *(u64 *)(r6 + 32) = r2
        r2 = 12345
        r2 = atomic_fetch_add((u64 *)(r10 - 8), r2)
        *(u64 *)(r6 + 40) = r2
        r2 = 0x7777 ll
        r2 = xchg_64(r10 - 8, r2)
        *(u64 *)(r6 + 48) = r2
        r0 = 0x7777
        r2 = 99
        r0 = cmpxchg_64(r10 - 8, r0, r2)
        *(u64 *)(r6 + 56) = r0
        r0 = 5
        r2 = 100
        r0 = cmpxchg_64(r10 - 8, r0, r2)
        *(u64 *)(r6 + 64) = r0
        r3 = *(u64 *)(r10 - 8)
        *(u64 *)(r6 + 72) = r3
        w2 = -1
        lock *(u32 *)(r10 - 16) |= w2
        lock *(u32 *)(r10 - 16) &= w2
        lock *(u32 *)(r10 - 16) ^= w2
        r3 = *(u64 *)(r10 - 16)
        *(u64 *)(r6 + 80) = r3
        r2 = 0xfeedface ll
        w2 = xchg32_32(r10 - 16, w2)
        *(u64 *)(r6 + 88) = r2
        w0 = 0xfeedface
        w2 = 7
        w0 = cmpxchg32_32(r10 - 16, w0, w2)
        *(u64 *)(r6 + 96) = r0
        r3 = *(u64 *)(r10 - 16)
        *(u64 *)(r6 + 104) = r3
        r0 = r3
        exit
short:
        r0 = 0
        exit
