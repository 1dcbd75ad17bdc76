/* maps_callees: BTF-defined array, hash, percpu_array (two, one callee serving both) and lru_hash maps looked up and updated inside
 * callees (map pointers as LD_IMM64 src 1 in subprograms, a map passed as an argument), atomic adds
 * (__sync_fetch_and_add, emitted as BPF_ATOMIC add) on map values, and delete/update flags. */
#include "progs.h"

struct proto_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct proto_stats);
} stats_by_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} bytes_by_len SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} percpu_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} percpu_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, __u32);
} recent_heads SEC(".maps");

/* Atomic counter update on an array value: the pointer is non-NULL for in-range keys but the verifier
 * still wants the check. */
static __noinline int count_proto(__u32 proto, __u32 len)
{
	struct proto_stats *st = bpf_map_lookup_elem(&stats_by_proto, &proto);

	if (!st)
		return -1;
	__sync_fetch_and_add(&st->packets, 1);
	__sync_fetch_and_add(&st->bytes, len);
	return 0;
}

/* Insert-or-add on a hash map. */
static __noinline __u64 add_len_bytes(__u32 len_bucket, __u64 bytes)
{
	__u64 *total = bpf_map_lookup_elem(&bytes_by_len, &len_bucket);

	if (total) {
		__sync_fetch_and_add(total, bytes);
		return *total;
	}
	bpf_map_update_elem(&bytes_by_len, &len_bucket, &bytes, BPF_NOEXIST);
	return bytes;
}

/* Called with two different maps, so the map pointer arrives as an argument register (CONST_PTR_TO_MAP). */
static __noinline __u64 bump_slot(void *map, __u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(map, &slot);

	if (!value)
		return 0;
	*value += 1; /* per-CPU value: no atomic needed */
	return *value;
}

/* LRU map: remember the first 8 packet bytes, return how often this head was seen. */
static __noinline __u32 remember_head(struct __sk_buff *skb)
{
	__u64 head = 0;
	__u32 one = 1, *seen;

	if (bpf_skb_load_bytes(skb, 0, &head, sizeof(head)) < 0)
		return 0;
	seen = bpf_map_lookup_elem(&recent_heads, &head);
	if (seen) {
		__sync_fetch_and_add(seen, 1);
		return *seen;
	}
	if (bpf_map_update_elem(&recent_heads, &head, &one, BPF_ANY) < 0)
		return 0;
	return 1;
}

SEC("socket")
int sock_map_counters(struct __sk_buff *skb)
{
	__u32 proto = bpf_ntohs(skb->protocol) & 0xff;
	__u64 total;

	if (count_proto(proto, skb->len) < 0)
		return 0;
	total = add_len_bytes(skb->len >> 6, skb->len);
	bump_slot(&percpu_events, skb->len & 3);
	return (__u32)(total + remember_head(skb)) & 0xffff;
}

SEC("tc")
int tc_map_counters(struct __sk_buff *skb)
{
	__u32 seen = remember_head(skb);
	__u32 key = skb->len >> 6;

	count_proto(skb->protocol & 0xff, skb->len);
	if (seen > 3) {
		bump_slot(&percpu_drops, seen & 3);
		/* Forget heavy hitters in the hash map so they are counted afresh. */
		bpf_map_delete_elem(&bytes_by_len, &key);
		return TC_ACT_SHOT;
	}
	skb->mark = add_len_bytes(key, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
