/* can_loop: loops whose only bound for the verifier is may_goto (the kernel selftests' can_loop), in the main
 * program, in a static callee walking the packet, in a global function and inside a bpf_loop callback. clang-14
 * has no may_goto, so the macro writes its bytes; at run time every loop ends on its own condition long before
 * the budget does, so results depend on the packet only. */
#include "../progs.h"

/* may_goto +N to the break label, as raw bytes: code 0xe5, registers 0, off, imm 0. */
#define can_loop                                                                                   \
	({                                                                                         \
		__label__ l_break, l_continue;                                                     \
		int ret = 1;                                                                       \
		asm volatile goto("1:.byte 0xe5;"                                                  \
				  ".byte 0;"                                                       \
				  ".long ((%l[l_break] - 1b - 8) / 8) & 0xffff;"                   \
				  ".short 0" :: ::l_break);                                        \
		goto l_continue;                                                                   \
	l_break:                                                                                   \
		ret = 0;                                                                           \
	l_continue:;                                                                               \
		ret;                                                                               \
	})

/* Sums up to 64 bytes of the packet after an offset; the index bounds the walk, may_goto bounds the loop. */
static __noinline __u32 sum_bytes(void *data, void *data_end, __u32 skip)
{
	__u8 *start = (__u8 *)data + (skip & 63);
	__u32 sum = 0;
	__u32 i = 0;

	while (can_loop) {
		if (i >= 64 || (void *)(start + i + 1) > data_end)
			break;
		sum = sum * 31 + start[i];
		i++;
	}
	return sum;
}

/* Collatz steps of a packet-derived start: no bound the verifier could prove, may_goto is the way out. */
__noinline int collatz_steps(__u32 start)
{
	__u32 n = start | 1;
	int steps = 0;

	while (can_loop) {
		if (n == 1)
			break;
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

struct fold_ctx {
	__u32 seed;
	__u32 acc;
};

/* bpf_loop callback: a may_goto loop of its own per call, counting the seed's set bits above the index. */
static int fold_bits(__u32 index, void *ctx)
{
	struct fold_ctx *fold = ctx;
	__u32 bits = fold->seed >> (index & 31);
	__u32 count = 0;

	while (can_loop) {
		if (!bits)
			break;
		count += bits & 1;
		bits >>= 1;
	}
	fold->acc = fold->acc * 3 + count;
	return 0;
}

SEC("tc")
int tc_can_loop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct fold_ctx fold = { .seed = skb->len * 2654435761u, .acc = 0 };
	__u32 total = 0;
	__u32 i = 0;

	/* A main-program loop over the first bytes, left through its own test. */
	while (can_loop) {
		if (i >= 4 || data + i + 1 > data_end)
			break;
		total += ((__u8 *)data)[i] << (i * 2);
		i++;
	}
	total ^= sum_bytes(data, data_end, total);
	total += collatz_steps(skb->len + total);
	bpf_loop(6, fold_bits, &fold, 0);
	return (total ^ fold.acc) & 0xffff;
}

char _license[] SEC("license") = "GPL";
