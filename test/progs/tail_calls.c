/* tail_calls: a prog_array statically initialised with programs of the same object, and bpf_tail_call
 * made from subprograms (a static one and a global one) rather than from the entry program; the tail-call
 * targets call shared .text subprograms themselves, and a missing slot falls through to the fallback. */
#include "progs.h"

enum {
	SLOT_IPV4 = 0,
	SLOT_IPV6 = 1,
	SLOT_OTHER = 2, /* left empty: bpf_tail_call returns and the caller falls back */
	SLOT_COUNT = 4,
};

static __noinline __u32 header_bytes(struct xdp_md *ctx, __u32 l3_len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + sizeof(struct ethhdr) + l3_len > data_end)
		return 0;
	return sizeof(struct ethhdr) + l3_len;
}

SEC("xdp")
int xdp_handle_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if (!header_bytes(ctx, sizeof(struct iphdr)) || (void *)(ip + 1) > data_end)
		return XDP_DROP;
	return ip->protocol == IPPROTO_UDP ? XDP_TX : XDP_PASS;
}

SEC("xdp")
int xdp_handle_ipv6(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

	if (!header_bytes(ctx, sizeof(struct ipv6hdr)) || (void *)(ip6 + 1) > data_end)
		return XDP_DROP;
	return ip6->hop_limit > 1 ? XDP_PASS : XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SLOT_COUNT);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct xdp_md *));
} dispatch_table SEC(".maps") = {
	.values = {
		[SLOT_IPV4] = (void *)&xdp_handle_ipv4,
		[SLOT_IPV6] = (void *)&xdp_handle_ipv6,
	},
};

/* Tail call from a static subprogram; returns only when the slot is empty. */
static __noinline int jump_to_slot(struct xdp_md *ctx, __u32 slot)
{
	bpf_tail_call(ctx, &dispatch_table, slot);
	return -1;
}

/* Tail call from a global function, which the kernel verifies separately with ctx as its argument. */
__noinline int jump_by_ether_type(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if (!ctx || (void *)(eth + 1) > data_end)
		return -2;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		bpf_tail_call(ctx, &dispatch_table, SLOT_IPV4);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		bpf_tail_call(ctx, &dispatch_table, SLOT_IPV6);
	return -1;
}

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 slot = SLOT_OTHER;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_IP))
		slot = SLOT_IPV4;
	else if (proto == bpf_htons(ETH_P_IPV6))
		slot = SLOT_IPV6;
	jump_to_slot(ctx, slot);
	/* Only reached for other EtherTypes. A subprogram that may tail call invalidates packet pointers
	 * (kernel rule), so the EtherType was kept in a register. PASS for ARP, DROP otherwise. */
	return proto == bpf_htons(ETH_P_ARP) ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int xdp_dispatch_global(struct xdp_md *ctx)
{
	int rc = jump_by_ether_type(ctx);

	return rc == -2 ? XDP_ABORTED : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
