/* skb_syncookie: an XDP SYN-cookie responder. A SYN (IPv4 or IPv6) gets a cookie from
 * bpf_tcp_raw_gen_syncookie_ipv4/6 and is turned into the SYN-ACK carrying it (MACs, addresses and ports
 * swapped, the TCP checksum updated with bpf_csum_diff) and sent back with XDP_TX; the program checks its own
 * cookie on the ACK the client would answer with, and a forged one. An ACK arriving is passed only when its
 * cookie checks out. The headers are copied to the stack with bpf_xdp_load_bytes so the helpers get sizes
 * the verifier can bound. Also: bpf_check_mtu, bpf_fib_lookup and bpf_sk_lookup_tcp from XDP. */
#include "../progs.h"

#define SLOTS 24
#define AF_INET6 10

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

struct headers {
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
	};
	struct tcphdr tcp;
	__u8 options[40];
};

static __noinline void network(struct xdp_md *ctx)
{
	__u32 mtu = 0;

	record(16, bpf_check_mtu(ctx, 0, &mtu, 0, 0));
	record(17, mtu);
	mtu = 9;
	record(18, bpf_check_mtu(ctx, 0, &mtu, 70000, 0) | ((__u64)mtu << 32));
	mtu = 9;
	record(19, bpf_check_mtu(ctx, 0, &mtu, 0, BPF_MTU_CHK_SEGS) | ((__u64)mtu << 32));
	record(20, bpf_check_mtu(ctx, 3, &mtu, 0, 0) | ((__u64)mtu << 32));

	struct bpf_fib_lookup fib = {};
	fib.family = AF_INET6;
	fib.ifindex = 1;
	record(21, bpf_fib_lookup(ctx, &fib, sizeof(fib), 0));

	struct bpf_sock_tuple tuple = {};
	tuple.ipv4.dport = bpf_htons(22);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(ctx, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	record(22, sk != 0);
	if (sk)
		bpf_sk_release(sk);
}

static __always_inline long gen(struct headers *h, int ipv6, __u32 len)
{
	if (ipv6)
		return bpf_tcp_raw_gen_syncookie_ipv6(&h->ip6, &h->tcp, len);
	return bpf_tcp_raw_gen_syncookie_ipv4(&h->ip, &h->tcp, len);
}

static __always_inline long check(struct headers *h, int ipv6)
{
	if (ipv6)
		return bpf_tcp_raw_check_syncookie_ipv6(&h->ip6, &h->tcp);
	return bpf_tcp_raw_check_syncookie_ipv4(&h->ip, &h->tcp);
}

/* The TCP checksum after `from` (4-byte words) became `to`, in place at `check_at`. */
static __always_inline int update_check(struct xdp_md *ctx, __u32 check_at, __be32 *from, __be32 *to, __u32 size)
{
	__u16 check;

	if (bpf_xdp_load_bytes(ctx, check_at, &check, sizeof(check)))
		return -1;
	__u32 sum = bpf_csum_diff(from, size, to, size, (__u16)~check);
	sum = (sum & 0xffff) + (sum >> 16);
	check = ~((sum & 0xffff) + (sum >> 16));
	return bpf_xdp_store_bytes(ctx, check_at, &check, sizeof(check));
}

SEC("xdp")
int xdp_syncookie(struct xdp_md *ctx)
{
	struct headers h = {};
	struct ethhdr eth;
	int ipv6;
	__u32 ip_len;

	network(ctx);
	if (bpf_xdp_load_bytes(ctx, 0, &eth, sizeof(eth)))
		return XDP_ABORTED;
	if (eth.h_proto == bpf_htons(ETH_P_IP)) {
		ipv6 = 0;
		ip_len = sizeof(struct iphdr);
	} else if (eth.h_proto == bpf_htons(ETH_P_IPV6)) {
		ipv6 = 1;
		ip_len = sizeof(struct ipv6hdr);
	} else {
		return XDP_PASS;
	}
	if (bpf_xdp_load_bytes(ctx, sizeof(eth), &h, ip_len))
		return XDP_PASS;
	if (ipv6 ? h.ip6.nexthdr != IPPROTO_TCP : (h.ip.protocol != IPPROTO_TCP || h.ip.ihl != 5))
		return XDP_PASS;
	__u32 tcp_at = sizeof(eth) + ip_len;
	if (bpf_xdp_load_bytes(ctx, tcp_at, &h.tcp, sizeof(h.tcp)))
		return XDP_PASS;
	__u32 tcp_len = h.tcp.doff * 4;
	if (tcp_len < sizeof(h.tcp) || tcp_len > sizeof(h.tcp) + sizeof(h.options))
		return XDP_DROP;
	/* The header again with its options: tcp and options are contiguous in `h`. */
	if (bpf_xdp_load_bytes(ctx, tcp_at, &h.tcp, tcp_len))
		return XDP_DROP;

	record(0, gen(&h, ipv6, 19));
	record(1, gen(&h, ipv6, tcp_len == 20 ? 24 : 20));
	if (h.tcp.ack && !h.tcp.syn) {
		long ok = check(&h, ipv6);
		record(2, ok);
		return ok == 0 ? XDP_PASS : XDP_DROP;
	}
	if (!h.tcp.syn)
		return XDP_PASS;

	long cookie = gen(&h, ipv6, tcp_len & 63);
	record(3, cookie < 0 ? cookie : cookie >> 32);
	if (cookie < 0)
		return XDP_DROP;

	/* The client's answer: seq + 1, the cookie + 1 acknowledged. */
	struct tcphdr syn = h.tcp;
	h.tcp.seq = bpf_htonl(bpf_ntohl(syn.seq) + 1);
	h.tcp.ack_seq = bpf_htonl((__u32)cookie + 1);
	h.tcp.syn = 0;
	h.tcp.ack = 1;
	record(4, check(&h, ipv6));
	h.tcp.ack_seq = bpf_htonl((__u32)cookie + 5);
	record(5, check(&h, ipv6));

	/* Reply: swap addresses and ports (neither changes the checksum), then seq, ack_seq and flags. */
	struct tcphdr reply = syn;
	reply.source = syn.dest;
	reply.dest = syn.source;
	reply.seq = bpf_htonl((__u32)cookie);
	reply.ack_seq = bpf_htonl(bpf_ntohl(syn.seq) + 1);
	reply.ack = 1;
	if (update_check(ctx, tcp_at + 16, (__be32 *)&syn, (__be32 *)&reply, 16))
		return XDP_ABORTED;
	__u16 check_field;
	if (bpf_xdp_load_bytes(ctx, tcp_at + 16, &check_field, sizeof(check_field)))
		return XDP_ABORTED;
	reply.check = check_field;
	if (bpf_xdp_store_bytes(ctx, tcp_at, &reply, sizeof(reply)))
		return XDP_ABORTED;
	if (ipv6) {
		struct in6_addr saddr = h.ip6.saddr;
		h.ip6.saddr = h.ip6.daddr;
		h.ip6.daddr = saddr;
	} else {
		__be32 saddr = h.ip.saddr;
		h.ip.saddr = h.ip.daddr;
		h.ip.daddr = saddr;
	}
	bpf_xdp_store_bytes(ctx, sizeof(eth), &h, ip_len & 63);
	struct ethhdr out = eth;
	__builtin_memcpy(out.h_dest, eth.h_source, ETH_ALEN);
	__builtin_memcpy(out.h_source, eth.h_dest, ETH_ALEN);
	bpf_xdp_store_bytes(ctx, 0, &out, sizeof(out));
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
