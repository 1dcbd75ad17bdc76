/* calls_basic: static noinline and global .text functions, a 5-argument function, a diamond call graph
 * (shared_leaf reached through left_path and right_path), legacy LD_ABS packet loads in a subprogram, and
 * .text callees shared by three socket programs, so the loader appends them to each program. */
#include "progs.h"

/* Leaf of the diamond; also called directly by sock_five_args. */
static __noinline __u32 shared_leaf(__u32 x)
{
	return (x * 31) ^ (x >> 3);
}

static __noinline __u32 left_path(__u32 x)
{
	return shared_leaf(x + 1) + 7;
}

static __noinline __u32 right_path(__u32 x)
{
	return shared_leaf(x ^ 0x55) - 3;
}

/* Five arguments: r1-r5, the most a BPF call can pass in registers. */
static __noinline __u64 mix5(__u64 a, __u64 b, __u64 c, __u64 d, __u64 e)
{
	return (a << 1) + (b ^ c) - (d >> 2) + e * 3;
}

/* Global function: the kernel verifies it on its own, knowing only that r1 is the skb context. */
__noinline int skb_byte_at(struct __sk_buff *skb, __u32 offset)
{
	__u8 byte = 0;

	if (!skb)
		return -1;
	if (bpf_skb_load_bytes(skb, offset & 0xff, &byte, 1) < 0)
		return -1;
	return byte;
}

/* Global function with scalar arguments only; its result is an unknown scalar to the caller. */
__noinline int scale_clamped(int value, int shift)
{
	if (shift < 0 || shift > 8)
		return value;
	value <<= shift;
	return value > 100000 ? 100000 : value;
}

/* LLVM intrinsic that emits a legacy LD_ABS|H load (the skb moves to r6, the result is in host order). */
unsigned long long load_half_abs(void *skb, unsigned long long offset) asm("llvm.bpf.load.half");

/* LD_ABS in a subprogram: the kernel allows it because the object carries BTF func_info. */
static __noinline __u32 ether_type_abs(struct __sk_buff *skb)
{
	return load_half_abs(skb, 12);
}

SEC("socket")
int sock_diamond(struct __sk_buff *skb)
{
	__u32 len = skb->len;
	__u32 left = left_path(len);
	__u32 right = right_path(len);
	int first = skb_byte_at(skb, 0);

	if (first < 0)
		return 0;
	return (left ^ right ^ (__u32)first) & 0xffff;
}

SEC("socket")
int sock_five_args(struct __sk_buff *skb)
{
	int last = skb_byte_at(skb, skb->len - 1);
	__u64 mixed = mix5(skb->len, skb->protocol, skb->pkt_type, (__u64)last, skb_byte_at(skb, 6));

	return (shared_leaf((__u32)mixed) + scale_clamped(last, (int)(skb->len & 7))) & 0xfff;
}

SEC("socket")
int sock_ether_type(struct __sk_buff *skb)
{
	__u32 proto = ether_type_abs(skb);

	if (proto == ETH_P_IP)
		return left_path(skb->len) & 0xff;
	if (proto == ETH_P_IPV6)
		return right_path(skb->len) & 0xff;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
