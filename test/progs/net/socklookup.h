/* socklookup: the shared body of socklookup_tc.c and socklookup_xdp.c. For each IPv4 or IPv6 TCP/UDP packet it
 * looks the packet's tuple up with bpf_sk_lookup_tcp/udp and (TCP) bpf_skc_lookup_tcp, records what the found
 * socket shows through struct bpf_sock (family, state, bound device, ports, IPv4 and IPv6 addresses: not an IPv4
 * time-wait socket's IPv6 ones, which the kernel leaves unset), what
 * bpf_sk_fullsock, bpf_tcp_sock and bpf_get_listener_sock give for it (tc: SOCKLOOKUP_VIEWS), and which netns ids
 * find it. Returns bit 0: sk_lookup found a socket, bit 1: skc_lookup_tcp did; -1 for a packet it cannot parse. */
#ifndef SOCKLOOKUP_H
#define SOCKLOOKUP_H
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 24);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

#define AF_INET6 10

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

/* Fields struct bpf_sock shows for any socket (a request or time-wait socket has no type or protocol). */
static __always_inline void describe(__u32 base, struct bpf_sock *sk)
{
	record(base + 0, sk->family | ((__u64)sk->state << 16) | ((__u64)sk->bound_dev_if << 32));
	record(base + 1, sk->src_port | ((__u64)bpf_ntohs(sk->dst_port) << 32));
	record(base + 2, sk->src_ip4 | ((__u64)sk->dst_ip4 << 32));
	if (sk->family != AF_INET6 && sk->state == BPF_TCP_TIME_WAIT)
		return;
	record(base + 3, sk->src_ip6[0] | ((__u64)sk->src_ip6[3] << 32));
	record(base + 4, sk->dst_ip6[0] | ((__u64)sk->dst_ip6[3] << 32));
}

#ifdef SOCKLOOKUP_VIEWS
/* What the views of a socket give: a full socket, a TCP socket, the listener (1: itself, 2: another). */
static __always_inline void views(__u32 slot, struct bpf_sock *sk)
{
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	struct bpf_sock *listener = bpf_get_listener_sock(sk);
	__u64 seen = (full != 0) | ((__u64)(tp != 0) << 1) | ((__u64)(listener == sk ? 1 : listener ? 2 : 0) << 2);

	if (full)
		seen |= ((__u64)full->type << 8) | ((__u64)full->protocol << 16);
	if (listener)
		seen |= ((__u64)listener->src_port << 32) | ((__u64)listener->state << 48);
	record(slot, seen);
}
#else
#define views(slot, sk)
#endif

#define LOOKUP(ctx, tcp, tuple, size, netns)                                                                       \
	((tcp) ? bpf_sk_lookup_tcp(ctx, tuple, size, netns, 0) : bpf_sk_lookup_udp(ctx, tuple, size, netns, 0))

/* Netns ids tried besides BPF_F_CURRENT_NETNS: bit i of slot 16 says whether ids[i] found a socket. */
static const __u64 netns_ids[] = { 0xfffffffffffffffeULL, 0xfffffffeULL, 0, 1, 5, 7, 0x100000000ULL, 0x1ffffffffULL };

static __always_inline int socklookup(void *ctx, void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	__u32 size;
	__u16 *ports;
	int tcp, found = 0;

	if ((void *)(eth + 1) > data_end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end || ip->ihl != 5)
			return -1;
		tuple.ipv4.saddr = ip->saddr;
		tuple.ipv4.daddr = ip->daddr;
		tcp = ip->protocol == IPPROTO_TCP;
		ports = (void *)(ip + 1);
		size = sizeof(tuple.ipv4);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end)
			return -1;
		__builtin_memcpy(tuple.ipv6.saddr, &ip6->saddr, 16);
		__builtin_memcpy(tuple.ipv6.daddr, &ip6->daddr, 16);
		tcp = ip6->nexthdr == IPPROTO_TCP;
		ports = (void *)(ip6 + 1);
		size = sizeof(tuple.ipv6);
	} else {
		return -1;
	}
	if ((void *)(ports + 2) > data_end)
		return -1;
	if (size == sizeof(tuple.ipv4)) {
		tuple.ipv4.sport = ports[0];
		tuple.ipv4.dport = ports[1];
	} else {
		tuple.ipv6.sport = ports[0];
		tuple.ipv6.dport = ports[1];
	}

	sk = LOOKUP(ctx, tcp, &tuple, size, BPF_F_CURRENT_NETNS);
	if (sk) {
		found |= 1;
		describe(0, sk);
		views(5, sk);
		bpf_sk_release(sk);
	}
	if (tcp) {
		sk = (struct bpf_sock *)bpf_skc_lookup_tcp(ctx, &tuple, size, BPF_F_CURRENT_NETNS, 0);
		if (sk) {
			found |= 2;
			describe(8, sk);
			views(13, sk);
			bpf_sk_release(sk);
		}
	}
	__u64 by_id = 0;
	for (int i = 0; i < sizeof(netns_ids) / sizeof(netns_ids[0]); i++) {
		sk = LOOKUP(ctx, tcp, &tuple, size, netns_ids[i]);
		if (sk) {
			by_id |= 1ULL << i;
			bpf_sk_release(sk);
		}
	}
	record(16, by_id);
	return found;
}

#endif
