/* same_section: three programs in one "xdp" section plus a "tc" program, all sharing .text callees: a
 * global function taking the xdp context, a static helper called by every xdp program, and a subprogram
 * reached from programs of two types. The second and third xdp programs start past offset 0 of their
 * section, so call offsets must be resolved relative to each program's own position. */
#include "progs.h"

/* Packet length bucket shared by every program of the object, whatever its type. */
static __noinline __u32 length_bucket(__u32 len)
{
	if (len < 64)
		return 0;
	if (len < 128)
		return 1;
	if (len < 512)
		return 2;
	return 3;
}

/* Global function with the xdp context: verified once on its own, then reused by each xdp program. */
__noinline int xdp_packet_len(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = 0;

	/* Walk in 64-byte steps with bounds checks instead of subtracting pointers. */
	NO_UNROLL
	for (int i = 0; i < 32; i++) {
		if (data + len + 64 > data_end)
			break;
		len += 64;
	}
	NO_UNROLL
	for (int i = 0; i < 64; i++) {
		if (data + len + 1 > data_end)
			break;
		len += 1;
	}
	return len;
}

/* Reads the EtherType if the packet holds a full Ethernet header; 0 otherwise. */
static __noinline __u16 ether_type_of(void *data, void *data_end)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	return bpf_ntohs(eth->h_proto);
}

SEC("xdp")
int xdp_drop_small(struct xdp_md *ctx)
{
	return length_bucket(xdp_packet_len(ctx)) == 0 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_drop_large(struct xdp_md *ctx)
{
	return length_bucket(xdp_packet_len(ctx)) >= 2 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_ipv6_only(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u16 proto = ether_type_of(data, data_end);

	if (proto == ETH_P_IPV6)
		return XDP_PASS;
	if (proto == ETH_P_IP && length_bucket(xdp_packet_len(ctx)) == 3)
		return XDP_ABORTED;
	return XDP_DROP;
}

SEC("tc")
int tc_length_class(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	skb->priority = length_bucket(skb->len);
	if (ether_type_of(data, data_end) == ETH_P_ARP)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
