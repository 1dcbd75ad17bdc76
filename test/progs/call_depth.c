/* call_depth: deep bpf-to-bpf call chains. sock_depth8 reaches the kernel's limit of 8 frames (main plus 7
 * nested calls), each frame with its own stack buffer, so the combined stack depth of the chain matters;
 * xdp_depth6 is a 6-frame chain whose frames pass pointers to their own stack down the chain. */
#include "progs.h"

/* Each level keeps a small stack array, mixes it and calls the next level. volatile keeps the stack use. */
static __noinline __u32 level7(__u32 seed)
{
	volatile __u32 scratch[4];

	scratch[0] = seed;
	scratch[1] = seed >> 8;
	scratch[2] = seed * 3;
	scratch[3] = scratch[0] ^ scratch[1];
	return scratch[2] + scratch[3] + 7;
}

static __noinline __u32 level6(__u32 seed)
{
	volatile __u64 scratch[3];

	scratch[0] = seed;
	scratch[1] = (__u64)seed << 4;
	scratch[2] = level7(seed + 6);
	return (__u32)(scratch[0] + scratch[1] + scratch[2]);
}

static __noinline __u32 level5(__u32 seed)
{
	volatile __u32 scratch[6];

	for (int i = 0; i < 6; i++)
		scratch[i] = seed + i;
	return level6(scratch[5] ^ scratch[2]) + scratch[0];
}

static __noinline __u32 level4(__u32 seed)
{
	volatile __u8 bytes[8];

	for (int i = 0; i < 8; i++)
		bytes[i] = (__u8)(seed >> i);
	return level5(seed ^ bytes[3]) + bytes[7];
}

static __noinline __u32 level3(__u32 seed)
{
	volatile __u64 scratch[2];

	scratch[0] = seed * 2654435761u;
	scratch[1] = level4(seed + 3);
	return (__u32)(scratch[0] >> 16) ^ (__u32)scratch[1];
}

static __noinline __u32 level2(__u32 seed)
{
	volatile __u32 scratch[2];

	scratch[0] = seed;
	scratch[1] = level3(seed | 1);
	return scratch[0] + scratch[1];
}

static __noinline __u32 level1(__u32 seed)
{
	volatile __u16 scratch[4];

	scratch[0] = (__u16)seed;
	scratch[3] = (__u16)(seed >> 16);
	return level2(seed - 1) ^ scratch[0] ^ scratch[3];
}

SEC("socket")
int sock_depth8(struct __sk_buff *skb)
{
	volatile __u32 local[2];

	local[0] = skb->len;
	local[1] = skb->protocol;
	return level1(local[0] * 257 + local[1]) & 0x7fff;
}

/* Accumulator passed by pointer through every level of the xdp chain. */
struct chain_acc {
	__u64 sum;
	__u32 depth;
	__u32 last;
};

static __noinline void chain_e(struct chain_acc *acc, __u32 v)
{
	acc->depth++;
	acc->last = v;
	acc->sum += v * 5;
}

static __noinline void chain_d(struct chain_acc *acc, __u32 v)
{
	acc->depth++;
	acc->sum += v;
	chain_e(acc, v >> 1);
}

static __noinline void chain_c(struct chain_acc *acc, __u32 v)
{
	__u32 local[2] = { v, v ^ 0xa5 };

	acc->depth++;
	chain_d(acc, local[0] + local[1]);
}

static __noinline void chain_b(struct chain_acc *acc, __u32 v)
{
	acc->depth++;
	chain_c(acc, v * 3);
}

static __noinline void chain_a(struct chain_acc *acc, __u32 v)
{
	acc->depth++;
	chain_b(acc, v + 11);
}

SEC("xdp")
int xdp_depth6(struct xdp_md *ctx)
{
	struct chain_acc acc = {};
	__u32 len = ctx->data_end - ctx->data;

	chain_a(&acc, len);
	/* ABORTED, DROP and PASS are all reachable, depending on the packet length. */
	return (acc.sum + acc.depth + acc.last) % 3;
}

char LICENSE[] SEC("license") = "GPL";
