/* xdp_rewrite: header rewriting in subprograms that get bounds-checked packet pointers: MAC swap, IPv4
 * address and UDP port swap, TTL decrement with an incremental checksum update, a full IPv4 header
 * checksum check in a loop; and bpf_xdp_adjust_head in callees to strip an IPIP outer header and to push
 * an 802.1Q tag (packet pointers are re-derived after each call that may move the packet). */
#include "progs.h"

#define VLAN_HLEN 4

/* Folds a 32-bit one's complement sum to 16 bits. */
static __noinline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Verifies the IPv4 header checksum over the fixed 20-byte header (options are refused). */
static __noinline int ipv4_header_ok(struct iphdr *ip)
{
	__u16 *words = (__u16 *)ip;
	__u32 sum = 0;

	if (ip->ihl != 5)
		return 0;
	NO_UNROLL
	for (int i = 0; i < 10; i++)
		sum += words[i];
	return csum_fold(sum) == 0;
}

/* TTL - 1 with an incremental checksum update: the TTL is the high byte of its 16-bit word. */
static __noinline int ipv4_decrement_ttl(struct iphdr *ip)
{
	__u32 check = ip->check;

	if (ip->ttl <= 1)
		return -1;
	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xffff));
	ip->ttl--;
	return ip->ttl;
}

static __noinline void swap_macs(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

/* Swapping both addresses and both ports leaves the IP and UDP checksums unchanged. */
static __noinline void swap_ipv4_udp(struct iphdr *ip, struct udphdr *udp)
{
	__u32 addr = ip->saddr;
	__u16 port = udp->source;

	ip->saddr = ip->daddr;
	ip->daddr = addr;
	udp->source = udp->dest;
	udp->dest = port;
}

/* Reflects UDP echo requests (port 7) back to the sender. */
SEC("xdp")
int xdp_udp_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp = data + sizeof(*eth) + sizeof(*ip);

	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	if (!ipv4_header_ok(ip))
		return XDP_DROP;
	if (udp->dest != bpf_htons(7))
		return XDP_PASS;
	if (ipv4_decrement_ttl(ip) < 0)
		return XDP_DROP;
	swap_macs(eth);
	swap_ipv4_udp(ip, udp);
	return XDP_TX;
}

/* Strips the outer IPv4 header of an IPIP packet and rebuilds the Ethernet header in front of the inner
 * one. Returns 1 when decapsulated, 0 when not IPIP, -1 on error. */
static __noinline int ipip_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, saved;
	struct iphdr *outer = data + sizeof(*eth);

	if ((void *)(outer + 1) > data_end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || outer->protocol != IPPROTO_IPIP || outer->ihl != 5)
		return 0;
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, sizeof(struct iphdr)))
		return -1;
	/* Every packet pointer is stale now. */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return -1;
	__builtin_memcpy(eth, &saved, sizeof(saved));
	return 1;
}

SEC("xdp")
int xdp_ipip_decap(struct xdp_md *ctx)
{
	void *data, *data_end;
	struct iphdr *inner;
	int rc = ipip_decap(ctx);

	if (rc < 0)
		return XDP_ABORTED;
	if (rc == 0)
		return XDP_PASS;
	/* A callee moved the packet start: reload the bounds before touching the inner header. */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	inner = data + sizeof(struct ethhdr);
	if ((void *)(inner + 1) > data_end)
		return XDP_DROP;
	if (ipv4_decrement_ttl(inner) < 0)
		return XDP_DROP;
	return XDP_TX;
}

/* Grows the head by 4 bytes and inserts an 802.1Q tag carrying vlan_id between the MACs and EtherType. */
static __noinline int push_vlan(struct xdp_md *ctx, __u16 vlan_id)
{
	void *data, *data_end;
	__u8 macs[2 * ETH_ALEN];
	__u16 *tag;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) > data_end)
		return -1;
	__builtin_memcpy(macs, data, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, -VLAN_HLEN))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) + VLAN_HLEN > data_end)
		return -1;
	__builtin_memcpy(data, macs, sizeof(macs));
	tag = data + sizeof(macs);
	tag[0] = bpf_htons(ETH_P_8021Q);
	tag[1] = bpf_htons(vlan_id & 0x0fff);
	return 0;
}

SEC("xdp")
int xdp_vlan_push(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u16 vlan_id;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	/* Tags only untagged IP traffic. */
	if (eth->h_proto != bpf_htons(ETH_P_IP) && eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	/* VLAN by the last byte of the source MAC. */
	vlan_id = 100 + eth->h_source[5];
	if (push_vlan(ctx, vlan_id) < 0)
		return XDP_ABORTED;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
