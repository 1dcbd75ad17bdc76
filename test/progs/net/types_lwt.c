/* Lightweight-tunnel programs (lwt_in, lwt_out, lwt_xmit, lwt_seg6local) for test-run: they see the packet
 * from its network header; reads of the context and the packet, mark/cb writes, and lwt_xmit's packet
 * writes (direct, bpf_skb_store_bytes, bpf_l3_csum_replace). */
#include "../progs.h"

#ifndef BPF_LWT_REROUTE
#define BPF_LWT_REROUTE 128
#endif

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __u64);
} lwt_seen SEC(".maps");

static __always_inline void count(__u32 key, __u64 amount) {
  __u64 *value = bpf_map_lookup_elem(&lwt_seen, &key);
  if (value) {
    __sync_fetch_and_add(value, amount);
    return;
  }
  bpf_map_update_elem(&lwt_seen, &key, &amount, BPF_NOEXIST);
}

/* The IPv4 protocol byte (or IPv6 next header) by direct access; 0 when the packet is too short. */
static __always_inline __u8 l4_protocol(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  if (data + sizeof(struct ipv6hdr) > data_end)
    return 0;
  __u8 version = *(__u8 *)data >> 4;
  if (version == 4)
    return ((struct iphdr *)data)->protocol;
  if (version == 6)
    return ((struct ipv6hdr *)data)->nexthdr;
  return 0;
}

SEC("lwt_in")
int lwt_ingress(struct __sk_buff *skb) {
  __u8 proto = l4_protocol(skb);
  count(0x100 | proto, skb->len);
  skb->mark = proto | (skb->protocol << 8);
  skb->cb[2] = skb->pkt_type;
  return proto == IPPROTO_ICMP ? BPF_DROP : BPF_OK;
}

SEC("lwt_out")
int lwt_egress(struct __sk_buff *skb) {
  __u8 ttl = 0;
  if (bpf_skb_load_bytes(skb, 8, &ttl, 1) < 0)
    return BPF_DROP;
  count(0x200 | ttl, 1);
  skb->priority = ttl;
  skb->cb[0] = skb->cb[0] + skb->len;
  return ttl < 2 ? BPF_DROP : BPF_OK;
}

SEC("lwt_xmit")
int lwt_transmit(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct iphdr *ip = data;
  if ((void *)(ip + 1) > data_end)
    return BPF_OK;
  if (ip->version != 4)
    return BPF_DROP;
  count(0x300 | ip->protocol, skb->len);
  /* rewrite the TOS byte directly, then the TTL with the helper, fixing the checksum for both */
  __u16 old_word = *(__u16 *)ip;
  ip->tos = 0x28;
  __u16 new_word = *(__u16 *)ip;
  if (bpf_l3_csum_replace(skb, offsetof(struct iphdr, check), old_word, new_word, 2) < 0)
    return BPF_DROP;
  data = (void *)(long)skb->data;
  data_end = (void *)(long)skb->data_end;
  ip = data;
  if ((void *)(ip + 1) > data_end)
    return BPF_DROP;
  __u16 old_ttl = *(__u16 *)&ip->ttl;
  __u8 ttl = ip->ttl - 1;
  if (bpf_skb_store_bytes(skb, offsetof(struct iphdr, ttl), &ttl, 1, 0) < 0)
    return BPF_DROP;
  data = (void *)(long)skb->data;
  data_end = (void *)(long)skb->data_end;
  ip = data;
  if ((void *)(ip + 1) > data_end)
    return BPF_DROP;
  bpf_l3_csum_replace(skb, offsetof(struct iphdr, check), old_ttl, *(__u16 *)&ip->ttl, 2);
  skb->mark = ttl;
  return ttl == 0 ? BPF_DROP : BPF_OK;
}

SEC("lwt_seg6local")
int lwt_seg6(struct __sk_buff *skb) {
  __u8 header[8] = {};
  if (bpf_skb_load_bytes(skb, 0, header, sizeof(header)) < 0)
    return BPF_DROP;
  count(0x400 | header[6], skb->len);
  skb->cb[3] = header[7];
  /* IPv6 with a routing header next: keep it; anything else: drop */
  return (header[0] >> 4) == 6 && header[6] == 43 ? BPF_OK : BPF_DROP;
}

char LICENSE[] SEC("license") = "GPL";
