/* packet_loops: loops whose trip count comes from the packet: while loops over TCP options (bounded by the
 * header's data offset and the packet's end) and IPv6 extension headers (by their next-header chain), nested
 * bounded loops with a call in the inner body, and loops whose bound the verifier learns from a branch on a
 * packet value (a count clamped to 12, an IHL checked against 5 and masked to 15). */
#include "progs.h"

/* Static callee in the inner loop body. */
static __noinline __u32 mix_pair(__u32 acc, __u8 a, __u8 b)
{
	acc = (acc << 3 | acc >> 29) ^ ((__u32)a << 8 | b);
	return acc * 0x01000193u;
}

/* Parsed TCP option summary on the program's stack. */
struct tcp_opts {
	__u16 mss;
	__u8 wscale;
	__u8 sack_ok;
	__u8 seen;
	__u8 nops;
	__u8 bad;
	__u8 pad;
};

/* Walks the TCP options with a while loop: it ends at the end of the option area (from the packet's data
 * offset) or of the packet, on an end-of-list option or a malformed length, and after at most 10 options. */
static __noinline void parse_tcp_options(struct __sk_buff *skb, __u32 offset, __u32 end, struct tcp_opts *out)
{
	int count = 0;

	while (offset < end && count < 10) {
		__u8 head[4] = {};

		count++;
		if (bpf_skb_load_bytes(skb, offset, head, 1) < 0)
			break;
		if (head[0] == 0)
			break;
		if (head[0] == 1) {
			out->nops++;
			offset++;
			continue;
		}
		if (bpf_skb_load_bytes(skb, offset, head, 2) < 0 || head[1] < 2 || head[1] > 40) {
			out->bad = 1;
			break;
		}
		if (head[0] == 2 && head[1] == 4 && bpf_skb_load_bytes(skb, offset, head, 4) == 0)
			out->mss = (__u16)head[2] << 8 | head[3];
		else if (head[0] == 3 && head[1] == 3 && bpf_skb_load_bytes(skb, offset, head, 3) == 0)
			out->wscale = head[2];
		else if (head[0] == 4)
			out->sack_ok = 1;
		out->seen++;
		offset += head[1];
	}
}

SEC("tc")
int tc_tcp_options(struct __sk_buff *skb)
{
	struct tcp_opts opts = {};
	struct iphdr ip;
	__u8 doff_byte = 0;
	__u32 l4, doff;

	if (skb->protocol != bpf_htons(ETH_P_IP) || bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
		return TC_ACT_OK;
	if (ip.protocol != IPPROTO_TCP || ip.ihl < 5)
		return TC_ACT_OK;
	l4 = ETH_HLEN + ip.ihl * 4;
	if (bpf_skb_load_bytes(skb, l4 + 12, &doff_byte, 1) < 0)
		return TC_ACT_SHOT;
	doff = (doff_byte >> 4) * 4;
	if (doff < sizeof(struct tcphdr))
		return TC_ACT_SHOT;
	parse_tcp_options(skb, l4 + sizeof(struct tcphdr), l4 + doff, &opts);
	skb->mark = (__u32)opts.mss << 16 | opts.wscale << 8 | opts.seen;
	if (opts.bad || (opts.mss && opts.mss < 536))
		return TC_ACT_SHOT;
	if (!opts.seen)
		return TC_ACT_OK;
	/* Options were seen: the choice depends on what they said. */
	return opts.wscale > 6 && opts.sack_ok && opts.nops > 1 ? TC_ACT_PIPE : TC_ACT_RECLASSIFY;
}

/* Walks IPv6 extension headers (hop-by-hop, routing, destination options) until the next header is an
 * upper-layer protocol: how many times it runs is up to the packet, at most 4 here. */
SEC("xdp")
int xdp_ipv6_ext_walk(struct xdp_md *ctx)
{
	struct ipv6hdr ip6;
	__u32 offset = ETH_HLEN + sizeof(ip6), hops = 0;
	__u8 next;

	if (bpf_xdp_load_bytes(ctx, ETH_HLEN, &ip6, sizeof(ip6)) < 0 || ip6.version != 6)
		return XDP_PASS;
	next = ip6.nexthdr;
	while ((next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) && hops < 4) {
		__u8 ext[2];

		if (bpf_xdp_load_bytes(ctx, offset, ext, sizeof(ext)) < 0)
			return XDP_DROP;
		next = ext[0];
		offset += (ext[1] + 1) * 8;
		hops++;
	}
	if (next == IPPROTO_TCP || next == IPPROTO_UDP)
		return hops ? XDP_TX : XDP_PASS;
	return next == IPPROTO_ICMPV6 ? XDP_PASS : XDP_DROP;
}

/* Nested bounded loops: a 4x4 block of packet bytes, with a call in the inner body. */
static __noinline __u32 block_digest(const __u8 *block)
{
	__u32 acc = 0x811c9dc5;

	NO_UNROLL
	for (int row = 0; row < 4; row++) {
		NO_UNROLL
		for (int col = 0; col < 3; col++)
			acc = mix_pair(acc, block[row * 4 + col], block[row * 4 + col + 1]);
	}
	return acc;
}

/* The verifier learns the loop's bound from the branch that clamps a count taken from the packet. */
static __noinline __u32 sum_words_clamped(struct __sk_buff *skb, __u32 words)
{
	__u32 sum = 0;

	if (words > 12)
		words = 12;
	NO_UNROLL
	for (__u32 i = 0; i < words; i++) {
		__u16 word = 0;

		if (bpf_skb_load_bytes(skb, i * 2, &word, sizeof(word)) < 0)
			break;
		sum += word;
	}
	return sum;
}

SEC("socket")
int sock_nested_block(struct __sk_buff *skb)
{
	__u8 block[16];
	__u8 ttl;

	if (bpf_skb_load_bytes(skb, 0, block, sizeof(block)) < 0)
		return 0;
	/* IPv4 TTL, or the IPv6 traffic class byte: the count depends on the packet. */
	ttl = block[8];
	return (block_digest(block) ^ sum_words_clamped(skb, ttl & 0x1f)) & 0x7fffffff;
}

/* Counts up to a packet-derived bound the verifier only knows from a branch (the IHL checked against 15). */
SEC("tc")
int tc_ip_option_words(struct __sk_buff *skb)
{
	__u8 version_ihl = 0;
	__u32 ihl, acc = 0;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &version_ihl, 1) < 0 || (version_ihl >> 4) != 4)
		return TC_ACT_OK;
	ihl = version_ihl & 0xf;
	if (ihl <= 5)
		return TC_ACT_OK;
	for (__u32 i = 5; i < ihl; i++) {
		__u32 word = 0;

		if (bpf_skb_load_bytes(skb, ETH_HLEN + i * 4, &word, sizeof(word)) < 0)
			return TC_ACT_SHOT;
		acc = mix_pair(acc, (__u8)word, (__u8)(word >> 24));
	}
	skb->mark = acc;
	/* Only packets with IPv4 options get here: which action depends on their words. */
	return acc & 0x400 ? TC_ACT_PIPE : TC_ACT_RECLASSIFY;
}

char LICENSE[] SEC("license") = "GPL";
