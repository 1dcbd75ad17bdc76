/* A dynptr-based parser (XDP and tc): Ethernet, IPv4 or IPv6, then TCP or UDP ports read through slices of the
 * packet dynptr (a stack buffer for bytes outside the linear part), flows counted per protocol. Plus the small
 * dynptr kfuncs: size, adjust, is_null, is_rdonly, and a constructor given bad flags. (The reference kernel
 * refuses every call of bpf_dynptr_slice_rdwr: see kfunc_dynptr_invalid.c.) */
#include <stdbool.h>
#include "../progs.h"

extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern int bpf_dynptr_adjust(const struct bpf_dynptr *p, __u32 start, __u32 end) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;
extern bool bpf_dynptr_is_null(const struct bpf_dynptr *p) __ksym;
extern bool bpf_dynptr_is_rdonly(const struct bpf_dynptr *p) __ksym;

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} protocols SEC(".maps");

struct seen {
  __u32 size, size_after_adjust, size_after_bad_adjust;
  int adjust, bad_adjust, bad_flags;
  __u8 is_null, is_rdonly, bad_is_null, proto;
  __u16 sport, dport;
  __u32 l4_offset;
};
struct seen seen;

static __always_inline void count(__u32 slot) {
  __u64 *n = bpf_map_lookup_elem(&protocols, &slot);
  if (n) *n += 1;
}

/* Parses the packet of `ptr`; returns the L4 protocol (0 when there is none) and fills seen. */
static __always_inline int parse(struct bpf_dynptr *ptr) {
  __u8 buffer[40] = {};
  struct ethhdr *eth = bpf_dynptr_slice(ptr, 0, buffer, sizeof(*eth));
  if (!eth) return 0;
  __u32 offset = sizeof(*eth);
  __u8 proto;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = bpf_dynptr_slice(ptr, offset, buffer, sizeof(*ip));
    if (!ip) return 0;
    proto = ip->protocol;
    offset += ip->ihl * 4;
  } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = bpf_dynptr_slice(ptr, offset, buffer, sizeof(*ip6));
    if (!ip6) return 0;
    proto = ip6->nexthdr;
    offset += sizeof(*ip6);
  } else {
    return 0;
  }
  seen.proto = proto;
  seen.l4_offset = offset;
  if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) return proto;
  struct udphdr *ports = bpf_dynptr_slice(ptr, offset, buffer, sizeof(*ports));
  if (!ports) return 255;
  seen.sport = bpf_ntohs(ports->source);
  seen.dport = bpf_ntohs(ports->dest);
  return proto;
}

static __always_inline void small_kfuncs(struct bpf_dynptr *ptr) {
  seen.size = bpf_dynptr_size(ptr);
  seen.is_null = bpf_dynptr_is_null(ptr);
  seen.is_rdonly = bpf_dynptr_is_rdonly(ptr);
  seen.bad_adjust = bpf_dynptr_adjust(ptr, 10, seen.size + 1);
  seen.size_after_bad_adjust = bpf_dynptr_size(ptr);
  seen.adjust = bpf_dynptr_adjust(ptr, 14, seen.size);
  seen.size_after_adjust = bpf_dynptr_size(ptr);
}

SEC("xdp")
int xdp_dynptr_parse(struct xdp_md *ctx) {
  struct bpf_dynptr ptr, bad;
  seen.bad_flags = bpf_dynptr_from_xdp(ctx, 1, &bad);
  seen.bad_is_null = bpf_dynptr_is_null(&bad);
  if (bpf_dynptr_from_xdp(ctx, 0, &ptr)) return XDP_ABORTED;
  int proto = parse(&ptr);
  count(proto == IPPROTO_TCP ? 0 : proto == IPPROTO_UDP ? 1 : proto ? 2 : 3);
  small_kfuncs(&ptr);
  return proto ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int tc_dynptr_parse(struct __sk_buff *skb) {
  struct bpf_dynptr ptr;
  if (bpf_dynptr_from_skb(skb, 0, &ptr)) return TC_ACT_SHOT;
  int proto = parse(&ptr);
  count(proto == IPPROTO_TCP ? 4 : proto == IPPROTO_UDP ? 5 : proto ? 6 : 7);
  small_kfuncs(&ptr);
  return proto ? TC_ACT_OK : TC_ACT_SHOT;
}

/* The dynptr helpers: the MAC addresses swapped through bpf_dynptr_read/write, a local dynptr over a global
 * array, reads and writes past the end and with bad flags. */
struct rewrite {
  int results[8];
  __u8 scratch[24];
};
struct rewrite rewrite;

static __always_inline int swap_macs(struct bpf_dynptr *ptr) {
  __u8 macs[12];
  struct bpf_dynptr local;
  int err = bpf_dynptr_read(macs, sizeof(macs), ptr, 0, 0);
  rewrite.results[0] = err;
  if (err) return err;
  rewrite.results[1] = bpf_dynptr_write(ptr, 0, macs + 6, 6, 0);
  rewrite.results[2] = bpf_dynptr_write(ptr, 6, macs, 6, 0);
  rewrite.results[3] = bpf_dynptr_read(macs, 4, ptr, bpf_dynptr_size(ptr) - 2, 0);
  rewrite.results[4] = bpf_dynptr_write(ptr, 0, macs, 4, 8);
  rewrite.results[5] = bpf_dynptr_from_mem(rewrite.scratch, sizeof(rewrite.scratch), 0, &local);
  rewrite.results[6] = bpf_dynptr_write(&local, 10, macs, 12, 0);
  rewrite.results[7] = bpf_dynptr_write(&local, 20, macs, 12, 0);
  __u8 *view = bpf_dynptr_slice(&local, 8, NULL, 4);
  return view ? view[2] : -1;
}

SEC("xdp")
int xdp_dynptr_rewrite(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  if (bpf_dynptr_from_xdp(ctx, 0, &ptr)) return XDP_ABORTED;
  return swap_macs(&ptr) < 0 ? XDP_DROP : XDP_TX;
}

SEC("tc")
int tc_dynptr_rewrite(struct __sk_buff *skb) {
  struct bpf_dynptr ptr;
  if (bpf_dynptr_from_skb(skb, 0, &ptr)) return TC_ACT_SHOT;
  return swap_macs(&ptr) < 0 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
