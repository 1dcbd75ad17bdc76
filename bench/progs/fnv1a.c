/* fnv1a: ALU-heavy hashing: FNV-1a over the first 64 bytes of the packet, one small function call per byte
 * (64 calls in a loop) and one to finish, 65 calls a run. */
#include "bench.h"

#define HASHED_BYTES 64

/* The last hash, so a run's result can be compared beyond its return value. */
__u32 result;

static __noinline __u32 fnv1a_step(__u32 hash, __u32 byte)
{
	return (hash ^ byte) * 0x01000193u;
}

static __noinline __u32 fnv1a_finish(__u32 hash)
{
	hash ^= hash >> 15;
	return hash * 0x2c1b3c6du;
}

SEC("xdp")
int bench_fnv1a(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 hash = 0x811c9dc5u;
	__u32 i;

	if (data + HASHED_BYTES > data_end)
		return XDP_ABORTED;
	NO_UNROLL
	for (i = 0; i < HASHED_BYTES; i++)
		hash = fnv1a_step(hash, ((__u8 *)data)[i]);
	result = fnv1a_finish(hash);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
