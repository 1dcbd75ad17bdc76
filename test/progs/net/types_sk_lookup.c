/* An sk_lookup program for test-run: reads every field of struct bpf_sk_lookup, counts lookups per
 * protocol and port, and calls bpf_sk_assign with no socket (the only one a test-run can offer). */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 32);
  __type(key, __u32);
  __type(value, __u64);
} lookups SEC(".maps");

static __always_inline void bump(__u32 key, __u64 amount) {
  __u64 *value = bpf_map_lookup_elem(&lookups, &key);
  if (value) {
    *value += amount;
    return;
  }
  bpf_map_update_elem(&lookups, &key, &amount, BPF_ANY);
}

SEC("sk_lookup")
int steer(struct bpf_sk_lookup *ctx) {
  __u32 port = ctx->local_port;
  __u32 remote = bpf_ntohs(ctx->remote_port);
  bump((ctx->protocol << 16) | port, 1);
  if (ctx->family == 2 /* AF_INET */)
    bump(0x10000000 | (ctx->local_ip4 & 0xffff), ctx->remote_ip4);
  else
    bump(0x20000000 | (ctx->local_ip6[3] & 0xffff), ctx->remote_ip6[0] ^ ctx->remote_ip6[3]);
  bump(0x30000000, remote + ((__u64)ctx->ingress_ifindex << 32) + (ctx->sk ? 1000000 : 0));
  long none = bpf_sk_assign(ctx, NULL, 0);
  long bad_flags = bpf_sk_assign(ctx, NULL, 0x80);
  bump(0x40000000, (__u64)(none & 0xffff) | ((__u64)(bad_flags & 0xffff) << 16));
  if (port == 22 || remote < 1024)
    return SK_DROP;
  return SK_PASS;
}

/* Narrow loads the kernel rewrites: bytes of family and local_port (u16s inside u32 slots), their upper halves
 * (which give the whole field: the kernel shifts only loads narrower than the field), the zero upper half of
 * remote_port, bytes of an address; folded into counters. */
SEC("sk_lookup")
int narrow(struct bpf_sk_lookup *ctx) {
  __u64 family_high = *(volatile __u8 *)((char *)ctx + 9);
  __u64 port_pad = *(volatile __u16 *)((char *)ctx + 38);
  __u64 local_high = *(volatile __u8 *)((char *)ctx + 61);
  __u64 remote_byte = *(volatile __u8 *)((char *)ctx + 17);
  __u64 remote_word = *(volatile __u32 *)((char *)ctx + 36);
  __u64 protocol_low = *(volatile __u16 *)((char *)ctx + 12);
  bump(0x50000000, family_high | port_pad << 8 | local_high << 24 | remote_byte << 40);
  bump(0x60000000, remote_word | protocol_low << 32);
  __u64 local_upper = *(volatile __u16 *)((char *)ctx + 62);
  __u64 family_upper = *(volatile __u16 *)((char *)ctx + 10);
  __u64 protocol_upper = *(volatile __u16 *)((char *)ctx + 14);
  bump(0x70000000, local_upper | family_upper << 16 | protocol_upper << 32);
  return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
