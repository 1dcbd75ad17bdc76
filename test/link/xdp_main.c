/* xdp_main.c: an xdp program using the parser library and the statistics object; defines .rodata used by
 * parse.c and declares flow_stats extern and proto_counts weak (identical to stats.c's). */
#include "link.h"

extern struct flow_stats_map flow_stats SEC(".maps");
#ifndef LINK_ONE_UNIT
struct proto_counts_map proto_counts SEC(".maps") __weak;
#endif

const volatile __u32 min_packet_len = 34;
static __u64 xdp_runs;

static __noinline int fill_cursor(struct xdp_md *ctx, struct pkt_cursor *cur)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = 0;

	/* A bounded copy with a bounds check per byte: packet pointers stay in this frame. */
	for (int i = 0; i < CURSOR_BYTES; i++) {
		__u8 *byte = data + i;

		if ((void *)(byte + 1) > data_end)
			break;
		cur->buf[i] = *byte;
		len++;
	}
	if (len < 1)
		return -1;
	cur->len = len;
	cur->off = 0;
	return 0;
}

SEC("xdp")
int xdp_link_parse(struct xdp_md *ctx)
{
	struct pkt_cursor cur = {};
	struct flow_key key = {};
	struct flow_counters *counters;
	int proto;

	xdp_runs++;
	if (fill_cursor(ctx, &cur) < 0)
		return XDP_ABORTED;
	proto = parse_packet(&cur, &key);
	if (proto < 0)
		return XDP_DROP;
	if (proto == 0)
		return XDP_PASS;
	record_flow(&key, ctx->data_end - ctx->data);
	counters = bpf_map_lookup_elem(&flow_stats, &key);
	if (counters && counters->packets > 1)
		return XDP_TX;
	return key.dport == 53 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
