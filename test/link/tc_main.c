/* tc_main.c: a tc program using the parser library; reads stats.c's .bss and parse.c's .data through extern
 * variables and proto_counts through an extern map declaration. */
#include "link.h"

extern struct proto_counts_map proto_counts SEC(".maps");
extern __u64 stats_calls;
extern __u32 parse_version;

__u32 tc_marks_set;

static __noinline int fill_skb_cursor(struct __sk_buff *skb, struct pkt_cursor *cur)
{
	__u64 len = skb->len;

	if (len < 1)
		return -1;
	if (len > CURSOR_BYTES)
		len = CURSOR_BYTES;
	/* Keeps the clamped value in the register the helper gets (clang would recompute it from the unclamped one). */
	asm volatile("" : "+r"(len));
	cur->len = len;
	cur->off = 0;
	return bpf_skb_load_bytes(skb, 0, cur->buf, len);
}

SEC("tc")
int tc_link_parse(struct __sk_buff *skb)
{
	struct pkt_cursor cur = {};
	struct flow_key key = {};
	__u32 slot = IPPROTO_UDP;
	__u64 *udp_count;
	int proto;

	if (fill_skb_cursor(skb, &cur) < 0)
		return TC_ACT_SHOT;
	proto = parse_packet(&cur, &key);
	if (proto <= 0)
		return proto < 0 ? TC_ACT_SHOT : TC_ACT_OK;
	skb->mark = (key.sport ^ key.dport) + parse_version;
	tc_marks_set++;
	udp_count = bpf_map_lookup_elem(&proto_counts, &slot);
	if (udp_count && *udp_count > 0 && stats_calls > 0)
		return TC_ACT_RECLASSIFY;
	return TC_ACT_OK;
}

#ifndef LINK_ONE_UNIT
char LICENSE[] SEC("license") = "GPL";
#endif
