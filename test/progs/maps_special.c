/* maps_special: lpm_trie longest-prefix lookups, queue and stack push/pop/peek, and ringbuf
 * reserve/submit/discard and output, each inside callees; a reserved ringbuf record is passed to a further
 * callee that fills it (a referenced pointer crossing a call). */
#include "progs.h"

struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_lpm_key);
	__type(value, __u32);
} route_classes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16);
	__type(value, __u32);
} recent_lengths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u64);
} undo_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct packet_event {
	__u32 saddr;
	__u32 daddr;
	__u32 len;
	__u32 route_class;
	__u8 head[8];
};

/* Longest-prefix match of an IPv4 address (network order, as the trie stores bytes MSB first). */
static __noinline __u32 route_class_of(__u32 addr_be)
{
	struct ipv4_lpm_key key = { .prefixlen = 32, .addr = addr_be };
	__u32 *cls = bpf_map_lookup_elem(&route_classes, &key);

	return cls ? *cls : 0;
}

/* Queue: push the new length, evicting the oldest when full; returns the oldest seen so far. */
static __noinline __u32 track_length(__u32 len)
{
	__u32 oldest = 0;

	if (bpf_map_push_elem(&recent_lengths, &len, 0) < 0) {
		bpf_map_pop_elem(&recent_lengths, &oldest);
		bpf_map_push_elem(&recent_lengths, &len, 0);
		return oldest;
	}
	if (bpf_map_peek_elem(&recent_lengths, &oldest) < 0)
		return 0;
	return oldest;
}

/* Stack with BPF_EXIST: a full stack drops its oldest entry to make room. */
static __noinline __u64 push_and_pop(__u64 value, int pop)
{
	__u64 top = 0;

	bpf_map_push_elem(&undo_stack, &value, BPF_EXIST);
	if (pop && bpf_map_pop_elem(&undo_stack, &top) == 0)
		return top;
	return 0;
}

static __noinline void fill_event(struct packet_event *ev, struct iphdr *ip, __u32 len, __u32 route_class)
{
	ev->saddr = ip->saddr;
	ev->daddr = ip->daddr;
	ev->len = len;
	ev->route_class = route_class;
	__builtin_memcpy(ev->head, ip, sizeof(ev->head));
}

/* Reserve, fill through another callee, then submit or discard depending on the class. */
static __noinline int emit_event(struct iphdr *ip, __u32 len, __u32 route_class)
{
	struct packet_event *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);

	if (!ev)
		return -1;
	fill_event(ev, ip, len, route_class);
	if (route_class == 0xdead) {
		bpf_ringbuf_discard(ev, 0);
		return 0;
	}
	bpf_ringbuf_submit(ev, 0);
	return 1;
}

SEC("xdp")
int xdp_route_events(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 len, route_class;
	struct iphdr ip_copy;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	len = bpf_ntohs(ip->tot_len);
	route_class = route_class_of(ip->daddr);
	__builtin_memcpy(&ip_copy, ip, sizeof(ip_copy));
	if (emit_event(&ip_copy, len, route_class) < 0)
		return XDP_ABORTED;
	track_length(len);
	if (route_class == 1)
		return XDP_DROP;
	return ip->ttl > 1 ? XDP_PASS : XDP_DROP;
}

SEC("socket")
int sock_length_history(struct __sk_buff *skb)
{
	__u32 oldest = track_length(skb->len);
	__u64 popped = push_and_pop(((__u64)skb->len << 32) | skb->protocol, skb->len & 1);
	__u32 summary[2] = { skb->len, oldest };

	/* bpf_ringbuf_output copies from the stack instead of reserving. */
	bpf_ringbuf_output(&events, summary, sizeof(summary), BPF_RB_NO_WAKEUP);
	return (oldest + (__u32)(popped >> 32)) & 0xffff;
}

char LICENSE[] SEC("license") = "GPL";
