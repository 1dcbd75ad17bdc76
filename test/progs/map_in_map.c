/* map_in_map: array_of_maps and hash_of_maps, statically initialised with inner maps of the same object,
 * with the outer lookup and the inner lookup/update in different callees (an inner map pointer returned
 * by one function and used by another). */
#include "progs.h"

struct inner_counters {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner_counters counters_tcp SEC(".maps");
struct inner_counters counters_udp SEC(".maps");
struct inner_counters counters_other SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner_counters);
} counters_by_proto SEC(".maps") = {
	.values = { &counters_tcp, &counters_udp, &counters_other },
};

struct inner_flags {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner_flags flags_even SEC(".maps");
struct inner_flags flags_odd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_flags);
} flags_by_parity SEC(".maps") = {
	.values = { [0] = &flags_even, [1] = &flags_odd },
};

/* Outer lookup: returns the inner map (or NULL) for an IP protocol number. */
static __noinline void *counters_for(__u8 ip_proto)
{
	__u32 outer_key = ip_proto == IPPROTO_TCP ? 0 : ip_proto == IPPROTO_UDP ? 1 : 2;

	return bpf_map_lookup_elem(&counters_by_proto, &outer_key);
}

/* Inner lookup on a map pointer that came from the outer map. */
static __noinline __u64 bump_inner(void *inner, __u32 slot)
{
	__u64 *count = bpf_map_lookup_elem(inner, &slot);

	if (!count)
		return 0;
	__sync_fetch_and_add(count, 1);
	return *count;
}

/* hash_of_maps: the outer key may be absent; the inner map is updated in place. */
static __noinline __u32 toggle_flag(__u32 parity, __u32 flag_key)
{
	void *inner = bpf_map_lookup_elem(&flags_by_parity, &parity);
	__u32 *flag, one = 1;

	if (!inner)
		return 0xff;
	flag = bpf_map_lookup_elem(inner, &flag_key);
	if (!flag) {
		bpf_map_update_elem(inner, &flag_key, &one, BPF_NOEXIST);
		return 1;
	}
	*flag ^= 1;
	return *flag;
}

SEC("socket")
int sock_map_in_map(struct __sk_buff *skb)
{
	__u8 ip_proto = 0;
	void *inner;
	__u64 count;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, offsetof(struct iphdr, protocol), &ip_proto, 1);
	inner = counters_for(ip_proto);
	if (!inner)
		return 0;
	count = bump_inner(inner, skb->len & 7);
	return (__u32)count + (toggle_flag(skb->len & 1, skb->len >> 4) << 8) + ip_proto;
}

char LICENSE[] SEC("license") = "GPL";
