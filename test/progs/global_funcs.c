/* global_funcs: global (non-static, noinline) functions, each verified once against its BTF signature and
 * each call checked against that signature: scalar arguments of 8, 16, 32 and 64 bits and an enum, a ctx
 * argument, a struct pointer that may be NULL (checked), a pointer to a scalar out-parameter, a global
 * calling a global and a static, and globals shared by a socket, a tc and an xdp program.
 * libbpf 1.1's headers have no __arg_ctx/__arg_nonnull, so argument tags are not covered here. */
#include "progs.h"

enum port_class {
	PORT_NONE = 0,
	PORT_WELL_KNOWN = 1,
	PORT_REGISTERED = 2,
	PORT_EPHEMERAL = 3,
};

/* What the parser extracts; global functions receive it as a pointer that may be NULL. */
struct flow_summary {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 ttl;
	__u16 ip_len;
};

/* Static callee of a global function: the kernel walks it as part of the global's own verification. */
static __noinline __u32 fold32(__u64 value)
{
	return (__u32)value ^ (__u32)(value >> 32);
}

/* Scalar arguments of every width; the caller only learns that the result is a scalar. */
__noinline int weigh(__u64 bytes, __u32 addr, __u16 port, __u8 ttl, enum port_class class)
{
	__u32 weight = fold32(bytes * 0x9e3779b97f4a7c15ull) & 0xff;

	if (ttl < 16)
		weight += 64;
	if (class == PORT_WELL_KNOWN)
		weight <<= 1;
	return (int)(weight + (port & 0xf) + (addr >> 28));
}

/* An enum result; the argument is a scalar the global must bound itself. */
__noinline enum port_class classify_port(__u16 port)
{
	if (port == 0)
		return PORT_NONE;
	if (port < 1024)
		return PORT_WELL_KNOWN;
	return port < 49152 ? PORT_REGISTERED : PORT_EPHEMERAL;
}

/* ctx argument plus a pointer to a scalar out-parameter, which may be NULL. */
__noinline int load_be16(struct __sk_buff *skb, __u32 offset, __u16 *out)
{
	__u16 raw = 0;

	if (!out)
		return -1;
	if (bpf_skb_load_bytes(skb, offset & 0x7ff, &raw, sizeof(raw)) < 0)
		return -1;
	*out = bpf_ntohs(raw);
	return 0;
}

/* Global calling a global: fills a summary the caller owns; the pointer may be NULL and is checked. */
__noinline int parse_ipv4(struct __sk_buff *skb, __u32 l3_offset, struct flow_summary *sum)
{
	struct iphdr ip;
	__u32 l4;

	if (!sum)
		return -1;
	if (bpf_skb_load_bytes(skb, l3_offset & 0xff, &ip, sizeof(ip)) < 0)
		return -1;
	if (ip.version != 4 || ip.ihl < 5)
		return -1;
	sum->saddr = bpf_ntohl(ip.saddr);
	sum->daddr = bpf_ntohl(ip.daddr);
	sum->proto = ip.protocol;
	sum->ttl = ip.ttl;
	sum->ip_len = bpf_ntohs(ip.tot_len);
	sum->sport = 0;
	sum->dport = 0;
	if (ip.protocol != IPPROTO_TCP && ip.protocol != IPPROTO_UDP)
		return 0;
	l4 = (l3_offset & 0xff) + ip.ihl * 4;
	if (load_be16(skb, l4, &sum->sport) < 0 || load_be16(skb, l4 + 2, &sum->dport) < 0)
		return 1;
	return 2;
}

/* Reads the summary through a pointer that may be NULL (a const struct, so no write); calls a global. */
__noinline int summary_score(const struct flow_summary *sum)
{
	int score;

	if (!sum)
		return 0;
	score = weigh(sum->ip_len, sum->saddr, sum->dport, sum->ttl, classify_port(sum->dport));
	return sum->proto == IPPROTO_TCP ? score * 2 : score;
}

/* Globals must return a scalar (6.18 refuses a void one when it is called), so this reports what it did. */
__noinline int clear_summary(struct flow_summary *sum)
{
	if (!sum)
		return 0;
	__builtin_memset(sum, 0, sizeof(*sum));
	return sizeof(*sum);
}

SEC("socket")
int sock_global_funcs(struct __sk_buff *skb)
{
	struct flow_summary sum;
	int parsed;

	if (clear_summary(&sum) != sizeof(sum))
		return 0;
	/* A socket filter sees the packet from its network header. */
	parsed = parse_ipv4(skb, 0, &sum);
	if (parsed < 0)
		return summary_score(NULL) + (int)(skb->len & 0xff);
	return (summary_score(&sum) << 8 | parsed) & 0xffff;
}

SEC("tc")
int tc_global_funcs(struct __sk_buff *skb)
{
	struct flow_summary sum = {};
	__u16 ethertype = 0;

	if (load_be16(skb, 12, &ethertype) < 0 || load_be16(skb, 12, NULL) != -1)
		return TC_ACT_OK;
	if (ethertype != ETH_P_IP) {
		skb->mark = weigh(skb->len, 0, ethertype, 255, PORT_NONE);
		return TC_ACT_OK;
	}
	if (parse_ipv4(skb, ETH_HLEN, &sum) < 2)
		return TC_ACT_UNSPEC;
	skb->mark = summary_score(&sum);
	skb->priority = classify_port(sum.sport);
	return sum.ttl <= 1 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("xdp")
int xdp_global_funcs(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct flow_summary sum = {};

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	sum.saddr = bpf_ntohl(ip->saddr);
	sum.daddr = bpf_ntohl(ip->daddr);
	sum.proto = ip->protocol;
	sum.ttl = ip->ttl;
	sum.ip_len = bpf_ntohs(ip->tot_len);
	if (summary_score(&sum) > 300)
		return XDP_DROP;
	return weigh(sum.ip_len, sum.daddr, 0, sum.ttl, classify_port(sum.ip_len)) & 1 ? XDP_PASS : XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
