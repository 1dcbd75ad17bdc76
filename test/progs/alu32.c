/* alu32: 32-bit heavy arithmetic in subprograms: FNV-1a and murmur3 finalizer hashes, rotates, a
 * popcount loop, u32 division and modulo by packet-derived values that may be zero (BPF defines x/0 = 0
 * and x%0 = x), signed 32-bit compares and arithmetic shifts, byte swaps, and 32-bit atomic adds on map
 * values. Built twice: alu32.o with clang-14's default -mcpu (v1: 32-bit ops as 64-bit ops plus masking)
 * and alu32.v3.o with -mcpu=v3 (ALU32 and JMP32 instructions, w registers). */
#include "progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} buckets32 SEC(".maps");

static __noinline __u32 rotl32(__u32 x, __u32 r)
{
	r &= 31;
	return (x << r) | (x >> ((32 - r) & 31));
}

/* murmur3's 32-bit finalizer. */
static __noinline __u32 fmix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static __noinline __u32 fnv1a_step(__u32 hash, __u8 byte)
{
	return (hash ^ byte) * 16777619u;
}

static __noinline __u32 popcount32(__u32 x)
{
	__u32 count = 0;

	NO_UNROLL
	for (int i = 0; i < 32; i++) {
		count += x & 1;
		x >>= 1;
		if (!x)
			break;
	}
	return count;
}

/* Unsigned division and modulo by a divisor that can be zero at run time. */
static __noinline __u32 div_mod_mix(__u32 a, __u32 b)
{
	volatile __u32 divisor = b;

	return a / divisor + a % divisor * 3;
}

/* Signed 32-bit compares and an arithmetic shift; the arguments are deliberately int. */
static __noinline int signed_clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo >> 1;
	if (v > hi)
		return hi >> 2;
	return (v * -7) >> 3;
}

static __noinline void count_bucket(__u32 bucket)
{
	__u32 key = bucket & 15;
	__u32 *slot = bpf_map_lookup_elem(&buckets32, &key);

	if (slot)
		__sync_fetch_and_add(slot, 1);
}

SEC("socket")
int sock_alu32(struct __sk_buff *skb)
{
	__u8 bytes[16] = {};
	__u32 hash = 2166136261u, word = 0;
	int delta;

	if (bpf_skb_load_bytes(skb, 0, bytes, sizeof(bytes)) < 0)
		return 0;
	NO_UNROLL
	for (int i = 0; i < 16; i++)
		hash = fnv1a_step(hash, bytes[i]);
	__builtin_memcpy(&word, &bytes[12], sizeof(word));
	hash = fmix32(hash ^ bpf_ntohl(word));
	hash = rotl32(hash, bytes[0]);
	hash += div_mod_mix(skb->len * 1000, bytes[15]);
	delta = (int)bytes[14] - (int)bytes[13];
	hash ^= (__u32)signed_clamp(delta * 1000, -50000, 50000);
	count_bucket(hash);
	return (hash & 0xffff) ^ (popcount32(hash) << 16);
}

char LICENSE[] SEC("license") = "GPL";
