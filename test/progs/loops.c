/* loops: bounded for loops (not unrolled) that call subprograms on each iteration, a nested loop,
 * bpf_loop with static callbacks (an LD_IMM64 relocated against .text that the loader makes src 4, a
 * function pointer), and bpf_for_each_map_elem with callbacks over an array and a hash map. */
#include "progs.h"

/* Opaque here: callbacks only receive it. */
struct bpf_map;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} weights SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u32);
} port_hits SEC(".maps");

static __noinline __u32 rotate_mix(__u32 acc, __u32 v)
{
	acc ^= v;
	return (acc << 5) | (acc >> 27);
}

/* State shared with bpf_loop callbacks through the caller's stack. */
struct loop_state {
	struct __sk_buff *skb;
	__u32 hash;
	__u32 zero_bytes;
	__u32 stop_at;
};

/* bpf_loop callback: one packet byte per iteration; returning 1 stops the loop early. */
static int hash_byte_cb(__u32 index, void *data)
{
	struct loop_state *st = data;
	__u8 byte = 0;

	if (index >= st->stop_at)
		return 1;
	if (bpf_skb_load_bytes(st->skb, index, &byte, 1) < 0)
		return 1;
	if (byte == 0)
		st->zero_bytes++;
	st->hash = rotate_mix(st->hash, byte);
	return 0;
}

/* Second callback: a pure counting loop, so a program carries two distinct function pointers. */
static int square_sum_cb(__u32 index, void *data)
{
	__u64 *sum = data;

	*sum += (__u64)index * index;
	return 0;
}

struct weight_sum {
	__u64 total;
	__u32 visited;
	__u32 limit;
};

static __noinline __u64 weight_of(__u32 key, __u64 value)
{
	return value * (key + 1);
}

/* bpf_for_each_map_elem callback over the array: stops after ctx->limit elements. */
static long sum_weights_cb(struct bpf_map *map, __u32 *key, __u64 *value, struct weight_sum *ctx)
{
	ctx->total += weight_of(*key, *value);
	ctx->visited++;
	return ctx->visited >= ctx->limit ? 1 : 0;
}

/* Callback over the hash map: writes to the element through the value pointer. */
static long decay_hits_cb(struct bpf_map *map, __u32 *port, __u32 *hits, __u32 *removed)
{
	*hits >>= 1;
	if (*hits == 0)
		(*removed)++;
	return 0;
}

/* Bounded loop calling a subprogram each time. */
static __noinline __u32 checksum_words(struct __sk_buff *skb, __u32 words)
{
	__u32 sum = 0;

	NO_UNROLL
	for (__u32 i = 0; i < 16 && i < words; i++) {
		__u16 word = 0;

		if (bpf_skb_load_bytes(skb, i * 2, &word, 2) < 0)
			break;
		sum = rotate_mix(sum, word);
	}
	return sum;
}

/* Nested bounded loops: a small bubble sort of a stack array filled from the packet. */
static __noinline __u32 median_of_eight(__u8 *vals)
{
	NO_UNROLL
	for (int i = 0; i < 8; i++) {
		NO_UNROLL
		for (int j = 0; j < 7 - i; j++) {
			if (vals[j] > vals[j + 1]) {
				__u8 tmp = vals[j];

				vals[j] = vals[j + 1];
				vals[j + 1] = tmp;
			}
		}
	}
	return vals[4];
}

SEC("socket")
int sock_bpf_loop(struct __sk_buff *skb)
{
	struct loop_state st = { .skb = skb, .hash = 0x811c9dc5, .stop_at = skb->len };
	__u64 squares = 0;
	long iterations;

	iterations = bpf_loop(64, hash_byte_cb, &st, 0);
	bpf_loop(skb->len & 31, square_sum_cb, &squares, 0);
	return (st.hash ^ (__u32)squares ^ (st.zero_bytes << 24) ^ (__u32)iterations) & 0x7fffffff;
}

SEC("socket")
int sock_for_loops(struct __sk_buff *skb)
{
	__u8 vals[8] = {};

	if (bpf_skb_load_bytes(skb, 6, vals, sizeof(vals)) < 0)
		return 0;
	return (checksum_words(skb, skb->len / 2) & 0xff00) | median_of_eight(vals);
}

SEC("tc")
int tc_for_each_elem(struct __sk_buff *skb)
{
	struct weight_sum ws = { .limit = (skb->len & 15) + 1 };
	__u32 removed = 0, port = skb->len & 0xffff, one = 1;
	__u32 key = skb->len & 15;
	__u64 weight = skb->len;
	long visited;

	bpf_map_update_elem(&weights, &key, &weight, BPF_ANY);
	bpf_map_update_elem(&port_hits, &port, &one, BPF_NOEXIST);
	visited = bpf_for_each_map_elem(&weights, sum_weights_cb, &ws, 0);
	bpf_for_each_map_elem(&port_hits, decay_hits_cb, &removed, 0);
	skb->mark = (__u32)ws.total;
	return visited + removed > 8 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
