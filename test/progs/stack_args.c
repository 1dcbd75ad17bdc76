/* stack_args: pointers to the caller's stack passed down and written by callees: a struct filled by a
 * parser, an array filled in a loop, a pointer forwarded two levels down, an out-parameter pair, and a
 * global function whose struct pointer argument the kernel treats as possibly NULL (so it checks). */
#include "progs.h"

struct pkt_summary {
	__u16 eth_proto;
	__u8 ip_proto;
	__u8 ttl;
	__u32 saddr;
	__u32 daddr;
	__u32 len;
};

struct byte_histogram {
	__u32 counts[4];
	__u32 total;
};

/* Fills *out from the packet with bpf_skb_load_bytes; returns 0 or a negative error. */
static __noinline int summarize(struct __sk_buff *skb, struct pkt_summary *out)
{
	struct iphdr ip;

	out->len = skb->len;
	out->eth_proto = bpf_ntohs(skb->protocol);
	if (out->eth_proto != ETH_P_IP)
		return -1;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
		return -2;
	out->ip_proto = ip.protocol;
	out->ttl = ip.ttl;
	out->saddr = bpf_ntohl(ip.saddr);
	out->daddr = bpf_ntohl(ip.daddr);
	return 0;
}

/* Second level: writes into the caller's caller's array through a forwarded pointer. */
static __noinline void histogram_add(struct byte_histogram *hist, __u8 byte)
{
	hist->counts[byte >> 6]++;
	hist->total += byte;
}

/* First level: loads packet bytes into its own stack buffer, then feeds the caller's histogram. */
static __noinline int histogram_fill(struct __sk_buff *skb, struct byte_histogram *hist)
{
	__u8 window[16];

	if (bpf_skb_load_bytes(skb, 0, window, sizeof(window)) < 0)
		return -1;
	NO_UNROLL
	for (int i = 0; i < 16; i++)
		histogram_add(hist, window[i]);
	return 0;
}

/* Two out-parameters on the caller's stack. */
static __noinline void split_addr(__u32 addr, __u16 *high, __u16 *low)
{
	*high = addr >> 16;
	*low = addr & 0xffff;
}

/* Global: the kernel only knows hist points to sizeof(struct byte_histogram) bytes or is NULL. */
__noinline int histogram_score(struct byte_histogram *hist)
{
	if (!hist)
		return 0;
	return hist->counts[3] * 4 + hist->counts[2] * 3 + hist->counts[1] * 2 + hist->counts[0];
}

SEC("tc")
int tc_stack_summary(struct __sk_buff *skb)
{
	struct pkt_summary summary = {};
	struct byte_histogram hist = {};
	__u16 high = 0, low = 0;
	int score;

	if (histogram_fill(skb, &hist) < 0)
		return TC_ACT_OK;
	score = histogram_score(&hist);
	if (summarize(skb, &summary) < 0) {
		skb->mark = score;
		return TC_ACT_OK;
	}
	split_addr(summary.saddr ^ summary.daddr, &high, &low);
	skb->mark = ((__u32)high << 16 | low) ^ summary.ttl;
	if (summary.ip_proto == IPPROTO_ICMP && summary.ttl < 2)
		return TC_ACT_SHOT;
	return (score + hist.total + summary.len) & 1 ? TC_ACT_OK : TC_ACT_UNSPEC;
}

/* Same callees from a socket program: the loader appends its own copy of them. */
SEC("socket")
int sock_stack_summary(struct __sk_buff *skb)
{
	struct byte_histogram hist = {};

	if (histogram_fill(skb, &hist) < 0)
		return 0;
	return histogram_score(&hist) + histogram_score(0);
}

char LICENSE[] SEC("license") = "GPL";
