/* calls_basic: static noinline and global .text functions, a 5-argument function, a diamond call graph
 * (shared_leaf reached through left_path and right_path), legacy LD_ABS/LD_IND packet loads in a subprogram, and
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

/* LLVM intrinsics for the legacy packet loads: LD_ABS with a constant offset, LD_IND with a register one
 * (the skb goes to r6, the result is in host order, and a load past the end ends the program with 0). */
unsigned long long load_byte(void *skb, unsigned long long offset) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long offset) asm("llvm.bpf.load.half");

/* LD_ABS/LD_IND in a subprogram, allowed because the object carries BTF func_info. A socket filter sees
 * the packet from its network header. Returns the IPv4 L4 destination port, or the IPv6 payload length. */
static __noinline __u32 l4_dest_port_legacy(struct __sk_buff *skb)
{
	__u32 version_ihl = load_byte(skb, 0);

	if ((version_ihl >> 4) == 6)
		return load_half(skb, offsetof(struct ipv6hdr, payload_len));
	if ((version_ihl >> 4) != 4)
		return 0;
	return load_half(skb, (version_ihl & 0xf) * 4 + offsetof(struct udphdr, dest));
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
int sock_legacy_loads(struct __sk_buff *skb)
{
	__u32 port = l4_dest_port_legacy(skb);

	if (skb->protocol == bpf_htons(ETH_P_IP))
		return (left_path(port) & 0xff) | port << 8;
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return right_path(port) & 0xff;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
