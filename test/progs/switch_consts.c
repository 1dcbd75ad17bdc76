/* switch_consts: switch statements (dense, sparse and fall-through; BPF has no indirect jumps, so clang
 * emits binary trees of compare-and-branch), and 64-bit constants loaded with LD_IMM64 (splitmix64 and
 * xxhash64 primes, masks, magic numbers) compared and mixed with packet bytes. */
#include "progs.h"

/* splitmix64 finalizer: three 64-bit multiplicative constants. */
static __noinline __u64 splitmix64(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* One xxhash64 round. */
static __noinline __u64 xxh64_round(__u64 acc, __u64 input)
{
	acc += input * 0xc2b2ae3d27d4eb4fULL;
	acc = (acc << 31) | (acc >> 33);
	return acc * 0x9e3779b185ebca87ULL;
}

/* Dense switch selecting a value per case. */
static __noinline __u32 ip_proto_weight(__u8 proto)
{
	switch (proto) {
	case IPPROTO_ICMP:
		return 10;
	case IPPROTO_IGMP:
		return 11;
	case 3:
		return 30;
	case IPPROTO_IPIP:
		return 40;
	case 5:
		return 55;
	case IPPROTO_TCP:
		return 60;
	case 7:
		return 70;
	case 8:
		return 85;
	default:
		return 1;
	}
}

/* Sparse switch with side effects and fall-through. */
static __noinline __u64 ether_type_action(__u16 ether_type, __u64 acc)
{
	switch (ether_type) {
	case ETH_P_IP:
		acc ^= 0x0800080008000800ULL;
		/* fall through */
	case ETH_P_IPV6:
		acc = xxh64_round(acc, ether_type);
		break;
	case ETH_P_ARP:
		acc += 0x0806;
		break;
	case ETH_P_8021Q:
	case ETH_P_8021AD:
		acc = splitmix64(acc);
		/* fall through */
	case ETH_P_MPLS_UC:
		acc |= 0x8000000000000000ULL;
		break;
	default:
		acc &= 0x00000000ffffffffULL;
		break;
	}
	return acc;
}

SEC("socket")
int sock_switch_consts(struct __sk_buff *skb)
{
	__u64 head = 0, acc;
	__u8 proto = 0;

	if (bpf_skb_load_bytes(skb, 0, &head, sizeof(head)) < 0)
		return 0;
	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, offsetof(struct iphdr, protocol), &proto, 1);
	acc = splitmix64(head ^ 0xdeadbeefcafebabeULL);
	acc = ether_type_action(bpf_ntohs(skb->protocol), acc);
	acc += ip_proto_weight(proto);
	if (acc == 0x123456789abcdef0ULL)
		return 1;
	if (acc > 0x7fffffffffffffffULL)
		return (__u32)(acc >> 48) | 0x10000;
	return (__u32)(acc >> 40) & 0xffff;
}

char LICENSE[] SEC("license") = "GPL";
