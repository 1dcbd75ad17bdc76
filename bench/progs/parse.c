/* parse: a multi-protocol parser in nested functions: Ethernet, an optional VLAN tag, IPv4 (with options) or
 * IPv6, then TCP or UDP, each header in its own function, a cursor on the stack carrying the position: up to
 * 4 nested calls deep (parse_eth > parse_ipv6 > parse_l4 > parse_tcp). */
#include "bench.h"

#define ETH_P_8021Q_BE bpf_htons(0x8100)
#define ETH_P_8021AD_BE bpf_htons(0x88a8)

struct cursor {
	void *pos;
	void *end;
};

struct flow {
	__u32 src;
	__u32 dst;
	__u16 sport;
	__u16 dport;
	__u16 vlan;
	__u8 proto;
	__u8 family;
};

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

/* The parsed flow folded into one number, so a run's result can be compared beyond its return value. */
__u64 result;

static __noinline int parse_tcp(struct cursor *c, struct flow *f)
{
	struct tcphdr *tcp = c->pos;

	if ((void *)(tcp + 1) > c->end || tcp->doff < 5)
		return -1;
	f->sport = bpf_ntohs(tcp->source);
	f->dport = bpf_ntohs(tcp->dest);
	c->pos = tcp + 1;
	return 0;
}

static __noinline int parse_udp(struct cursor *c, struct flow *f)
{
	struct udphdr *udp = c->pos;

	if ((void *)(udp + 1) > c->end)
		return -1;
	f->sport = bpf_ntohs(udp->source);
	f->dport = bpf_ntohs(udp->dest);
	c->pos = udp + 1;
	return 0;
}

static __noinline int parse_l4(struct cursor *c, struct flow *f)
{
	if (f->proto == IPPROTO_TCP)
		return parse_tcp(c, f);
	if (f->proto == IPPROTO_UDP)
		return parse_udp(c, f);
	return 0;
}

static __noinline int parse_ipv4(struct cursor *c, struct flow *f)
{
	struct iphdr *ip = c->pos;
	__u32 header_length;

	if ((void *)(ip + 1) > c->end || ip->ihl < 5)
		return -1;
	header_length = ip->ihl * 4;
	f->family = 4;
	f->proto = ip->protocol;
	f->src = bpf_ntohl(ip->saddr);
	f->dst = bpf_ntohl(ip->daddr);
	c->pos = (void *)ip + header_length;
	return parse_l4(c, f);
}

static __noinline int parse_ipv6(struct cursor *c, struct flow *f)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end)
		return -1;
	f->family = 6;
	f->proto = ip6->nexthdr;
	f->src = bpf_ntohl(ip6->saddr.in6_u.u6_addr32[3]) ^ bpf_ntohl(ip6->saddr.in6_u.u6_addr32[0]);
	f->dst = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[3]) ^ bpf_ntohl(ip6->daddr.in6_u.u6_addr32[0]);
	c->pos = ip6 + 1;
	return parse_l4(c, f);
}

static __noinline int parse_eth(struct cursor *c, struct flow *f)
{
	struct ethhdr *eth = c->pos;
	__be16 proto;

	if ((void *)(eth + 1) > c->end)
		return -1;
	proto = eth->h_proto;
	c->pos = eth + 1;
	if (proto == ETH_P_8021Q_BE || proto == ETH_P_8021AD_BE) {
		struct vlan_tag *tag = c->pos;

		if ((void *)(tag + 1) > c->end)
			return -1;
		f->vlan = bpf_ntohs(tag->tci) & 0xfff;
		proto = tag->proto;
		c->pos = tag + 1;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return parse_ipv4(c, f);
	if (proto == bpf_htons(ETH_P_IPV6))
		return parse_ipv6(c, f);
	return -1;
}

SEC("xdp")
int bench_parse(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct flow f = {};

	if (parse_eth(&c, &f) < 0)
		return XDP_DROP;
	result = ((__u64)f.src << 32 | f.dst) ^ ((__u64)f.sport << 48 | (__u64)f.dport << 32 |
						 (__u64)f.vlan << 16 | f.proto << 8 | f.family);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
