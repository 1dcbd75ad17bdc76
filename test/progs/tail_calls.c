/* tail_calls: a prog_array statically initialised with programs of the same object, and bpf_tail_call
 * made from subprograms (a static one and a global one) rather than from the entry program. A successful
 * tail call from a subprogram ends only that subprogram: the target program's return value comes back to
 * the subprogram's caller, which decides the verdict. The targets call a shared .text subprogram
 * themselves, and an empty slot makes bpf_tail_call return, so the subprogram returns its fallback. */
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

/* clang models bpf_tail_call as an ordinary call that returns, so it would fold a subprogram's result
 * into its callers; an empty asm makes the returned value opaque to it. */
#define OPAQUE_TO_COMPILER(value) asm volatile("" : "+r"(value))

/* Tail call from a static subprogram: returns the target's verdict, or fallback when the slot is empty. */
static __noinline int jump_to_slot(struct xdp_md *ctx, __u32 slot, int fallback)
{
	bpf_tail_call(ctx, &dispatch_table, slot);
	OPAQUE_TO_COMPILER(fallback);
	return fallback;
}

/* Tail call from a global function, which the kernel verifies separately with ctx as its argument. */
__noinline int jump_by_ether_type(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	int rc = -2;

	if (!ctx || (void *)(eth + 1) > data_end)
		goto out;
	rc = -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		bpf_tail_call(ctx, &dispatch_table, SLOT_IPV4);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		bpf_tail_call(ctx, &dispatch_table, SLOT_IPV6);
out:
	OPAQUE_TO_COMPILER(rc);
	return rc;
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
	/* A subprogram that may tail call invalidates packet pointers (kernel rule), so the EtherType stays in
	 * a register. Empty slot: PASS for ARP, DROP otherwise; a handler's verdict is passed on unchanged. */
	return jump_to_slot(ctx, slot, proto == bpf_htons(ETH_P_ARP) ? XDP_PASS : XDP_DROP);
}

SEC("xdp")
int xdp_dispatch_global(struct xdp_md *ctx)
{
	int rc = jump_by_ether_type(ctx);

	/* A non-negative result is the verdict of the program the global function tail-called. */
	if (rc >= 0)
		return rc;
	return rc == -2 ? XDP_ABORTED : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
