/* xdp_flow: Ethernet (with one optional 802.1Q tag) / IPv4 (with options) / IPv6 / TCP / UDP parsing in
 * static subprograms that receive packet pointers and a cursor on the caller's stack and do their own
 * bounds checks, then a per-flow counter in a hash map keyed by the 5-tuple. The verdict depends on the
 * protocol, TCP flags, fragments and how often the flow was seen. */
#include "progs.h"

#define VLAN_HLEN 4
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

/* Position of the next unparsed header; lives on the entry program's stack. */
struct cursor {
	void *pos;
	void *end;
};

struct flow_key {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 proto;
	__u16 pad;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u32 tcp_flags_seen;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

enum parse_result {
	PARSE_OK = 0,
	PARSE_SHORT = -1,
	PARSE_UNSUPPORTED = -2,
};

/* Ethernet plus at most one VLAN tag; *eth_proto gets the inner EtherType in host order. */
static __noinline int parse_eth(struct cursor *c, __u16 *eth_proto)
{
	struct ethhdr *eth = c->pos;
	__u16 proto;

	if ((void *)(eth + 1) > c->end)
		return PARSE_SHORT;
	proto = bpf_ntohs(eth->h_proto);
	c->pos = eth + 1;
	if (proto == ETH_P_8021Q || proto == ETH_P_8021AD) {
		__u16 *vlan = c->pos;

		if ((void *)vlan + VLAN_HLEN > c->end)
			return PARSE_SHORT;
		proto = bpf_ntohs(vlan[1]);
		c->pos += VLAN_HLEN;
	}
	*eth_proto = proto;
	return PARSE_OK;
}

/* IPv4 with a variable header length (options); non-first fragments have no L4 header. */
static __noinline int parse_ipv4(struct cursor *c, struct flow_key *key)
{
	struct iphdr *ip = c->pos;
	__u32 hdr_len;

	if ((void *)(ip + 1) > c->end)
		return PARSE_SHORT;
	hdr_len = ip->ihl * 4;
	if (hdr_len < sizeof(*ip))
		return PARSE_UNSUPPORTED;
	if (c->pos + hdr_len > c->end)
		return PARSE_SHORT;
	key->family = 4;
	key->proto = ip->protocol;
	key->src[0] = ip->saddr;
	key->dst[0] = ip->daddr;
	c->pos += hdr_len;
	if (ip->frag_off & bpf_htons(IP_OFFSET))
		return PARSE_UNSUPPORTED;
	return PARSE_OK;
}

static __noinline int parse_ipv6(struct cursor *c, struct flow_key *key)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end)
		return PARSE_SHORT;
	key->family = 6;
	key->proto = ip6->nexthdr;
	__builtin_memcpy(key->src, &ip6->saddr, sizeof(key->src));
	__builtin_memcpy(key->dst, &ip6->daddr, sizeof(key->dst));
	c->pos = ip6 + 1;
	return PARSE_OK;
}

/* TCP or UDP ports; *tcp_flags gets the TCP flag byte (0 for UDP). */
static __noinline int parse_l4(struct cursor *c, struct flow_key *key, __u8 *tcp_flags)
{
	if (key->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = c->pos;

		if ((void *)(tcp + 1) > c->end)
			return PARSE_SHORT;
		key->sport = bpf_ntohs(tcp->source);
		key->dport = bpf_ntohs(tcp->dest);
		/* The flag byte follows the data-offset byte at offset 13. */
		*tcp_flags = ((__u8 *)tcp)[13];
		return PARSE_OK;
	}
	if (key->proto == IPPROTO_UDP) {
		struct udphdr *udp = c->pos;

		if ((void *)(udp + 1) > c->end)
			return PARSE_SHORT;
		key->sport = bpf_ntohs(udp->source);
		key->dport = bpf_ntohs(udp->dest);
		*tcp_flags = 0;
		return PARSE_OK;
	}
	return PARSE_UNSUPPORTED;
}

/* Counts the packet in its flow; returns how many packets the flow has had, this one included. */
static __noinline __u64 count_flow(struct flow_key *key, __u32 bytes, __u8 tcp_flags)
{
	struct flow_stats *st = bpf_map_lookup_elem(&flows, key);
	struct flow_stats fresh = { .packets = 1, .bytes = bytes, .tcp_flags_seen = tcp_flags };

	if (st) {
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, bytes);
		st->tcp_flags_seen |= tcp_flags;
		return st->packets;
	}
	bpf_map_update_elem(&flows, key, &fresh, BPF_ANY);
	return 1;
}

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04

SEC("xdp")
int xdp_flow_count(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct flow_key key = {};
	__u8 tcp_flags = 0;
	__u16 eth_proto = 0;
	__u64 packets;
	int rc;

	if (parse_eth(&c, &eth_proto) < 0)
		return XDP_DROP;
	if (eth_proto == ETH_P_IP)
		rc = parse_ipv4(&c, &key);
	else if (eth_proto == ETH_P_IPV6)
		rc = parse_ipv6(&c, &key);
	else
		return XDP_PASS;
	if (rc == PARSE_SHORT)
		return XDP_DROP;
	if (rc == PARSE_OK) {
		rc = parse_l4(&c, &key, &tcp_flags);
		if (rc == PARSE_SHORT)
			return XDP_DROP;
	}
	/* Christmas-tree style scans: SYN together with FIN or RST. */
	if ((tcp_flags & TCP_FLAG_SYN) && (tcp_flags & (TCP_FLAG_FIN | TCP_FLAG_RST)))
		return XDP_DROP;
	packets = count_flow(&key, ctx->data_end - ctx->data, tcp_flags);
	if (packets > 1000)
		return XDP_DROP;
	return key.proto == IPPROTO_UDP && key.dport == 53 ? XDP_TX : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
