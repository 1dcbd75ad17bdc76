/* bpf_clone_redirect from tc: clones to lo (egress, ingress), to the ifindex and flags the packet's first two bytes
 * after the Ethernet header name, with a flag the kernel keeps for itself and an unknown one; every answer goes to
 * .bss with the packet's length and first byte read again afterwards (the helper may move the packet). The
 * program's verdict stays TC_ACT_OK: the original goes on. Then misuse the verifier refuses. */
#include "../progs.h"

struct {
  long to_lo;
  long to_lo_ingress;
  long to_named;
  long flag_internal;
  long flag_unknown;
  __u32 len_after;
  __u32 first_byte_after;
} seen;

SEC("tc")
int tc_clone_redirect(struct __sk_buff *skb) {
  __u8 named[2] = {};
  if (bpf_skb_load_bytes(skb, ETH_HLEN, named, sizeof(named)) < 0) return TC_ACT_SHOT;
  seen.to_lo = bpf_clone_redirect(skb, 1, 0);
  seen.to_lo_ingress = bpf_clone_redirect(skb, 1, BPF_F_INGRESS);
  seen.to_named = bpf_clone_redirect(skb, named[0], named[1]);
  seen.flag_internal = bpf_clone_redirect(skb, 1, 1ULL << 63);
  seen.flag_unknown = bpf_clone_redirect(skb, 1, 1ULL << 16);
  seen.len_after = skb->len;
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  if (data + 1 <= data_end) seen.first_byte_after = *(__u8 *)data;
  return TC_ACT_OK;
}

/* Misuse: a packet pointer checked before the call and used after it. */
SEC("?tc")
int clone_stale_packet(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  if (data + 1 > data_end) return TC_ACT_OK;
  bpf_clone_redirect(skb, 1, 0);
  return *(__u8 *)data;
}

/* Misuse: XDP has no clone_redirect. */
SEC("?xdp")
int clone_from_xdp(struct xdp_md *ctx) {
  return bpf_clone_redirect((void *)ctx, 1, 0) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
