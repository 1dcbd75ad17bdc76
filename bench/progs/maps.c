/* maps: map-heavy work: for each of the first 8 bytes of the packet, a lookup and an update in an array (a
 * counter per byte value) and in a hash map (a counter per 16-bit word, inserted on first sight): 16 lookups
 * and up to 8 updates a run. */
#include "bench.h"

#define COUNTED_BYTES 8

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} byte_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} word_counts SEC(".maps");

static __noinline void count_byte(__u32 byte)
{
	__u64 *count = bpf_map_lookup_elem(&byte_counts, &byte);

	if (count)
		*count += 1;
}

static __noinline void count_word(__u32 word)
{
	__u64 *count = bpf_map_lookup_elem(&word_counts, &word);
	__u64 first = 1;

	if (count)
		*count += 1;
	else
		bpf_map_update_elem(&word_counts, &word, &first, BPF_NOEXIST);
}

SEC("xdp")
int bench_maps(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *bytes = data;
	__u32 i;

	if (data + COUNTED_BYTES + 1 > data_end)
		return XDP_ABORTED;
	NO_UNROLL
	for (i = 0; i < COUNTED_BYTES; i++) {
		count_byte(bytes[i]);
		count_word((__u32)bytes[i] << 8 | bytes[i + 1]);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
