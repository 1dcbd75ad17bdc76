/* calls: call-heavy code three levels deep: each of 8 packet bytes goes through mix_outer, which calls mix_middle
 * twice, which calls mix_inner twice each: 7 calls per byte, 56 a run, little work in each. */
#include "bench.h"

#define MIXED_BYTES 8

__u64 result;

static __noinline __u64 mix_inner(__u64 acc, __u64 value)
{
	return (acc << 5 | acc >> 59) + value;
}

static __noinline __u64 mix_middle(__u64 acc, __u64 value)
{
	acc = mix_inner(acc, value);
	return mix_inner(acc ^ 0x9e3779b97f4a7c15ull, value + 1);
}

static __noinline __u64 mix_outer(__u64 acc, __u64 value)
{
	acc = mix_middle(acc, value);
	return mix_middle(acc, value * 3);
}

SEC("xdp")
int bench_calls(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 acc = 0;
	__u32 i;

	if (data + MIXED_BYTES > data_end)
		return XDP_ABORTED;
	NO_UNROLL
	for (i = 0; i < MIXED_BYTES; i++)
		acc = mix_outer(acc, ((__u8 *)data)[i]);
	result = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
