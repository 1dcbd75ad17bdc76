/* Bloom filters seen from XDP: source addresses (4-byte values, jhash2) and MAC addresses (6-byte values, jhash)
 * are pushed, then neighbours of them tested; every answer, false positives included, goes to an array. The
 * filters are small and use BPF_F_ZERO_SEED, so the kernel's and tsbpf's answers can be compared. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
  __uint(max_entries, 2);
  __uint(map_flags, BPF_F_ZERO_SEED);
  __uint(map_extra, 2);
  __type(value, __u32);
} seen_addrs SEC(".maps");

struct mac {
  __u8 bytes[6];
};

struct {
  __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
  __uint(max_entries, 3);
  __uint(map_flags, BPF_F_ZERO_SEED);
  __type(value, struct mac);
} seen_macs SEC(".maps");

/* [i]: 0 when test i said "maybe present", else its negative errno; [31]: pushes that failed. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 32);
  __type(key, __u32);
  __type(value, __s64);
} bloom_answers SEC(".maps");

static __always_inline void record(__u32 slot, __s64 answer) {
  __s64 *value = bpf_map_lookup_elem(&bloom_answers, &slot);
  if (value) *value = answer;
}

SEC("xdp")
int xdp_bloom(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return XDP_ABORTED;
  struct mac mac;
  __builtin_memcpy(mac.bytes, eth->h_source, 6);
  __s64 failed = bpf_map_push_elem(&seen_macs, &mac, BPF_ANY) != 0;
  /* a bloom filter takes BPF_ANY only */
  failed += bpf_map_push_elem(&seen_macs, &mac, BPF_EXIST) != 0;
  __u32 slot = 0;
  for (int i = 0; i < 6; i++) {
    mac.bytes[5] += 1;
    record(slot++, bpf_map_peek_elem(&seen_macs, &mac));
  }
  __builtin_memcpy(mac.bytes, eth->h_dest, 6);
  record(slot++, bpf_map_peek_elem(&seen_macs, &mac));
  if (eth->h_proto != bpf_htons(ETH_P_IP)) {
    record(31, failed);
    return XDP_PASS;
  }
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end) return XDP_DROP;
  __u32 addr = ip->saddr;
  failed += bpf_map_push_elem(&seen_addrs, &addr, BPF_ANY) != 0;
  addr = ip->daddr;
  failed += bpf_map_push_elem(&seen_addrs, &addr, BPF_ANY) != 0;
  for (__u32 i = 0; i < 20; i++) {
    addr = ip->saddr + bpf_htonl(i);
    record(8 + i, bpf_map_peek_elem(&seen_addrs, &addr));
  }
  record(31, failed);
  addr = ip->daddr ^ bpf_htonl(0xff);
  return bpf_map_peek_elem(&seen_addrs, &addr) == 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
