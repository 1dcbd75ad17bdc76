/* netns_sockets: socket lookups in the namespace's socket tables. For each IPv4 TCP or UDP packet it looks the
 * packet's tuple up (bpf_sk_lookup_tcp / bpf_sk_lookup_udp and bpf_skc_lookup_tcp), records what the found
 * socket shows through struct bpf_sock (family, type, protocol, ports, state, addresses), whether
 * bpf_get_listener_sock gives it back, what bpf_sk_assign and the SYN-cookie helpers (bpf_tcp_gen_syncookie,
 * bpf_tcp_check_syncookie) answer for it, then releases it; lookups with a flag, a
 * foreign netns id or a bad tuple size must find nothing. IPv6 packets are looked up by their 36-byte tuple. Returns 1 when a socket was found, 0 otherwise. */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

static __always_inline void describe(__u32 base, struct bpf_sock *sk)
{
	record(base + 0, sk->family | ((__u64)sk->type << 16) | ((__u64)sk->protocol << 32));
	record(base + 1, sk->src_port | ((__u64)bpf_ntohs(sk->dst_port) << 32));
	record(base + 2, sk->state);
	record(base + 3, sk->src_ip4 | ((__u64)sk->dst_ip4 << 32));
	record(base + 4, sk->bound_dev_if | ((__u64)sk->rx_queue_mapping << 32));
}

/* IPv6: the 36-byte tuple; the socket's IPv6 addresses and the IPv4 ones the kernel gives an IPv6 socket. */
static __always_inline int lookup_ipv6(struct __sk_buff *skb, struct ipv6hdr *ip6, void *data_end)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	__u16 *ports = (void *)(ip6 + 1);

	if ((void *)(ports + 2) > data_end)
		return 0;
	__builtin_memcpy(tuple.ipv6.saddr, &ip6->saddr, 16);
	__builtin_memcpy(tuple.ipv6.daddr, &ip6->daddr, 16);
	tuple.ipv6.sport = ports[0];
	tuple.ipv6.dport = ports[1];
	if (ip6->nexthdr == IPPROTO_TCP)
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv6), BPF_F_CURRENT_NETNS, 0);
	else if (ip6->nexthdr == IPPROTO_UDP)
		sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv6), BPF_F_CURRENT_NETNS, 0);
	else
		return 0;
	if (!sk)
		return 0;
	describe(24, sk);
	record(29, sk->src_ip6[0] | ((__u64)sk->src_ip6[3] << 32));
	record(30, sk->dst_ip6[0] | ((__u64)sk->dst_ip6[3] << 32));
	bpf_sk_release(sk);
	return 1;
}

SEC("tc")
int tc_netns_sockets(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	struct tcphdr *th;
	__u16 *ports;
	int found = 0;

	if ((void *)(eth + 1) > data_end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		return lookup_ipv6(skb, (void *)(eth + 1), data_end);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return 0;
	ports = (void *)(ip + 1);
	if ((void *)(ports + 2) > data_end)
		return 0;
	tuple.ipv4.saddr = ip->saddr;
	tuple.ipv4.daddr = ip->daddr;
	tuple.ipv4.sport = ports[0];
	tuple.ipv4.dport = ports[1];

	if (ip->protocol == IPPROTO_TCP) {
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
		if (sk) {
			found = 1;
			describe(0, sk);
			struct bpf_sock *listener = bpf_get_listener_sock(sk);
			record(5, listener == sk ? 1 : listener ? 2 : 0);
			record(6, (__u32)bpf_sk_assign(skb, sk, 0));
			record(7, (__u32)bpf_sk_assign(skb, sk, 1));
			th = (void *)(ip + 1);
			if ((void *)(th + 1) <= data_end) {
				record(19, bpf_tcp_gen_syncookie(sk, ip, sizeof(*ip), th, sizeof(*th)));
				record(20, (__u32)bpf_tcp_check_syncookie(sk, ip, sizeof(*ip), th, sizeof(*th)));
				record(21, bpf_tcp_gen_syncookie(sk, ip, sizeof(*ip), th, sizeof(*th) - 4));
			}
			bpf_sk_release(sk);
		}
		struct bpf_sock *skc = (struct bpf_sock *)bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4),
									     BPF_F_CURRENT_NETNS, 0);
		if (skc) {
			record(8, skc->state | ((__u64)skc->src_port << 32));
			bpf_sk_release(skc);
		}
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 1);
		record(9, sk != 0);
		if (sk)
			bpf_sk_release(sk);
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), 0, 0);
		record(10, sk != 0);
		if (sk)
			bpf_sk_release(sk);
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4) + 1, BPF_F_CURRENT_NETNS, 0);
		record(11, sk != 0);
		if (sk)
			bpf_sk_release(sk);
	} else if (ip->protocol == IPPROTO_UDP) {
		sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
		if (sk) {
			found = 1;
			describe(12, sk);
			record(17, (__u32)bpf_sk_assign(skb, sk, 0));
			bpf_sk_release(sk);
		}
	}
	record(18, found);
	return found;
}

char LICENSE[] SEC("license") = "GPL";
