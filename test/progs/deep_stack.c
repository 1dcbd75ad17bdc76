/* deep_stack: call chains whose combined stack comes close to the kernel's 512-byte limit after its per-frame
 * rounding (16 bytes with the JIT on): an 8-frame chain of static functions with a different stack size in
 * every frame, a call tree whose deepest path is not its largest-stack path, and a bpf_loop callback that
 * adds its own frames (and their stack) below a caller that already holds a large buffer. */
#include "progs.h"

/* Mixes a buffer the frame keeps on its stack; volatile keeps the stores, so the frame size stays. */
#define FILL(buf, n, seed)                                 \
	do {                                               \
		NO_UNROLL                                  \
		for (int i_ = 0; i_ < (n); i_++)           \
			(buf)[i_] = (seed) + i_ * 0x9e37u; \
	} while (0)

static __noinline __u32 chain7(__u32 seed)
{
	volatile __u32 buf[20];

	FILL(buf, 20, seed);
	return buf[2] ^ buf[19];
}

static __noinline __u32 chain6(__u32 seed)
{
	volatile __u64 buf[5];

	FILL(buf, 5, seed);
	return chain7((__u32)buf[4] ^ seed) + (__u32)buf[2];
}

static __noinline __u32 chain5(__u32 seed)
{
	volatile __u32 buf[18];

	FILL(buf, 18, seed);
	return chain6(buf[17] + 5) ^ buf[2];
}

static __noinline __u32 chain4(__u32 seed)
{
	volatile __u16 buf[12];

	FILL(buf, 12, seed);
	return chain5(seed * 3 + buf[11]) - buf[2];
}

static __noinline __u32 chain3(__u32 seed)
{
	volatile __u64 buf[9];

	FILL(buf, 9, seed);
	return chain4((__u32)buf[8] >> 1) + (__u32)buf[2];
}

static __noinline __u32 chain2(__u32 seed)
{
	volatile __u8 buf[56];

	FILL(buf, 56, seed);
	return chain3(seed ^ buf[55]) + buf[2];
}

static __noinline __u32 chain1(__u32 seed)
{
	volatile __u32 buf[16];

	FILL(buf, 16, seed);
	return chain2(buf[15] | 1) ^ buf[2];
}

/* Entry frame with its own buffer: 8 frames in all, the kernel's limit. */
SEC("socket")
int sock_deep_chain(struct __sk_buff *skb)
{
	volatile __u32 head[12];

	if (bpf_skb_load_bytes(skb, 0, (void *)head, 20) < 0)
		return 0;
	head[11] = skb->len;
	return chain1(head[0] ^ head[4] ^ head[11]) & 0x7fffffff;
}

/* A tree: the wide branch has one frame with a big buffer; the deep branch has five small frames. The
 * kernel's limit applies to each path, so both come close to 512 on their own. */
static __noinline __u32 twig3(__u32 seed)
{
	volatile __u64 buf[16];

	FILL(buf, 16, seed);
	return (__u32)(buf[15] ^ buf[2]);
}

static __noinline __u32 twig2(__u32 seed)
{
	volatile __u64 buf[8];

	FILL(buf, 8, seed);
	return twig3((__u32)buf[7]) + (__u32)buf[2];
}

static __noinline __u32 twig1(__u32 seed)
{
	volatile __u32 buf[36];

	FILL(buf, 36, seed);
	return twig2(buf[35]) ^ buf[2];
}

static __noinline __u32 deep_branch(__u32 seed)
{
	volatile __u64 buf[9];

	FILL(buf, 9, seed);
	return twig1((__u32)buf[8] + 1) + (__u32)buf[2];
}

static __noinline __u32 wide_branch(__u32 seed)
{
	volatile __u64 buf[52];

	FILL(buf, 52, seed);
	return (__u32)(buf[51] ^ buf[2]);
}

SEC("tc")
int tc_stack_tree(struct __sk_buff *skb)
{
	volatile __u64 frame[10];
	__u32 seed = skb->len;

	FILL(frame, 10, seed);
	skb->mark = deep_branch((__u32)frame[9]) ^ wide_branch(seed ^ (__u32)frame[3]);
	return skb->mark & 1 ? TC_ACT_OK : TC_ACT_PIPE;
}

/* Callback path: the program's frame, the bpf_loop callback's and two static frames below it all count
 * towards one chain. */
struct stack_walk {
	struct __sk_buff *skb;
	__u32 acc;
};

static __noinline __u32 cb_leaf(__u32 seed)
{
	volatile __u64 buf[12];

	FILL(buf, 12, seed);
	return (__u32)(buf[11] ^ buf[2]);
}

static __noinline __u32 cb_mid(__u32 seed)
{
	volatile __u32 buf[24];

	FILL(buf, 24, seed);
	return cb_leaf(buf[23]) + buf[2];
}

static int stack_walk_cb(__u32 index, void *data)
{
	struct stack_walk *walk = data;
	volatile __u8 bytes[48];

	if (bpf_skb_load_bytes(walk->skb, index * 4, (void *)bytes, 4) < 0)
		return 1;
	walk->acc = cb_mid(walk->acc ^ bytes[0] ^ bytes[3] << 8);
	return 0;
}

SEC("socket")
int sock_callback_depth(struct __sk_buff *skb)
{
	struct stack_walk walk = { .skb = skb, .acc = skb->len };
	volatile __u64 window[26];

	FILL(window, 26, skb->len);
	bpf_loop((skb->len & 7) + 1, stack_walk_cb, &walk, 0);
	return (walk.acc ^ (__u32)window[7]) & 0x7fffffff;
}

char LICENSE[] SEC("license") = "GPL";
