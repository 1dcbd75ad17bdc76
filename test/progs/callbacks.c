/* callbacks: bpf_loop callbacks that call further static functions and write through the callback ctx into the
 * caller's stack, a bpf_loop nested in a callback, bpf_for_each_map_elem over an array and a hash with a ctx
 * struct on the caller's stack and an early stop, and callbacks shared by a socket and a tc program.
 * Timers and spin locks are left out: they need map value BTF that tsbpf's verifier does not model yet. */
#include "progs.h"

/* Opaque here: for_each callbacks only receive it. */
struct bpf_map;

/* Per-bucket traffic statistics, keyed by a packet byte. */
struct bucket_stat {
	__u64 bytes;
	__u32 packets;
	__u32 last_len;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bucket_stat);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bucket_stat);
} peers SEC(".maps");

/* FNV-1a step: a static function called from inside callbacks. */
static __noinline __u32 fnv_step(__u32 hash, __u8 byte)
{
	return (hash ^ byte) * 16777619u;
}

/* Second static level below a callback: classifies a byte for the run counter. */
static __noinline int is_printable(__u8 byte)
{
	return byte >= 0x20 && byte < 0x7f;
}

/* One row of the nested scan: the inner callback's ctx lives on the outer callback's stack. */
struct row_scan {
	struct __sk_buff *skb;
	__u32 base;
	__u32 hash;
	__u32 printable;
};

/* Inner bpf_loop callback: one byte of a row; stops at the end of the packet. */
static int row_byte_cb(__u32 index, void *data)
{
	struct row_scan *row = data;
	__u8 byte = 0;

	if (bpf_skb_load_bytes(row->skb, row->base + index, &byte, 1) < 0)
		return 1;
	row->hash = fnv_step(row->hash, byte);
	row->printable += is_printable(byte);
	return 0;
}

/* Whole-packet scan state on the program's stack, written by the outer callback. */
struct packet_scan {
	struct __sk_buff *skb;
	__u32 hash;
	__u32 printable;
	__u32 rows;
	__u32 row_hash[4];
};

/* Outer bpf_loop callback: scans one 8-byte row with a nested bpf_loop, records the first rows' hashes in the
 * caller's array and stops once a row comes back short (the packet ended). */
static int packet_row_cb(__u32 index, void *data)
{
	struct packet_scan *scan = data;
	struct row_scan row = { .skb = scan->skb, .base = index * 8, .hash = scan->hash };
	long bytes = bpf_loop(8, row_byte_cb, &row, 0);

	scan->hash = row.hash;
	scan->printable += row.printable;
	scan->rows++;
	if (index < 4)
		scan->row_hash[index] = row.hash;
	return bytes < 8 ? 1 : 0;
}

/* Shared by both skb programs: the scan through nested bpf_loop calls. */
static __noinline __u32 scan_packet(struct __sk_buff *skb, __u32 max_rows)
{
	struct packet_scan scan = { .skb = skb, .hash = 2166136261u };

	bpf_loop(max_rows, packet_row_cb, &scan, 0);
	return scan.hash ^ scan.row_hash[0] ^ (scan.row_hash[3] >> 7) ^ (scan.printable << 20) ^ scan.rows;
}

/* Walk state for bpf_for_each_map_elem, on the caller's stack. */
struct walk_budget {
	__u64 bytes;
	__u32 visited;
	__u32 budget;
	__u32 busiest_key;
	__u32 busiest_packets;
};

/* Static helper below the map callbacks: keeps the busiest entry. */
static __noinline void note_busiest(struct walk_budget *walk, __u32 key, __u32 packets)
{
	if (packets > walk->busiest_packets) {
		walk->busiest_packets = packets;
		walk->busiest_key = key;
	}
}

/* Map callback used for both the array and the hash: returning 1 stops the walk once the budget is spent. */
static long sum_bucket_cb(struct bpf_map *map, __u32 *key, struct bucket_stat *stat, struct walk_budget *walk)
{
	walk->bytes += stat->bytes;
	note_busiest(walk, *key, stat->packets);
	walk->visited++;
	return walk->visited >= walk->budget ? 1 : 0;
}

/* Hash callback that ages entries in place through the value pointer and never stops early. */
static long age_peer_cb(struct bpf_map *map, __u32 *key, struct bucket_stat *stat, __u32 *aged)
{
	if (stat->packets > 1) {
		stat->packets >>= 1;
		(*aged)++;
	}
	return 0;
}

/* Records the packet in both maps under a key taken from the packet. */
static __noinline void account(struct __sk_buff *skb, __u32 key)
{
	struct bucket_stat fresh = { .bytes = skb->len, .packets = 1, .last_len = skb->len };
	__u32 slot = key & 7;
	struct bucket_stat *stat = bpf_map_lookup_elem(&buckets, &slot);

	if (stat) {
		__sync_fetch_and_add(&stat->bytes, skb->len);
		__sync_fetch_and_add(&stat->packets, 1);
		stat->last_len = skb->len;
	}
	stat = bpf_map_lookup_elem(&peers, &key);
	if (stat) {
		stat->bytes += skb->len;
		stat->packets++;
	} else {
		bpf_map_update_elem(&peers, &key, &fresh, BPF_NOEXIST);
	}
}

SEC("socket")
int sock_nested_loops(struct __sk_buff *skb)
{
	__u8 first = 0;

	if (bpf_skb_load_bytes(skb, 0, &first, 1) < 0)
		return 0;
	account(skb, first);
	return scan_packet(skb, (skb->len + 7) / 8) & 0x7fffffff;
}

SEC("tc")
int tc_walk_maps(struct __sk_buff *skb)
{
	struct walk_budget walk = { .budget = (skb->len & 3) + 2 };
	__u32 aged = 0, key = 0;
	long array_visits, hash_visits;

	bpf_skb_load_bytes(skb, 12, &key, 2);
	account(skb, key);
	array_visits = bpf_for_each_map_elem(&buckets, sum_bucket_cb, &walk, 0);
	walk.visited = 0;
	hash_visits = bpf_for_each_map_elem(&peers, sum_bucket_cb, &walk, 0);
	bpf_for_each_map_elem(&peers, age_peer_cb, &aged, 0);
	skb->mark = scan_packet(skb, 3) ^ walk.busiest_key;
	skb->priority = (__u32)walk.bytes;
	if (array_visits + hash_visits + aged > 5)
		return TC_ACT_SHOT;
	return skb->mark & 1 ? TC_ACT_PIPE : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
