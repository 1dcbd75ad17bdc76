/* A flow dissector for test-run: fills struct bpf_flow_keys from Ethernet/IPv4/IPv6 and TCP/UDP headers read
 * directly from the packet (it may only read it), honours the caller's flags, and records what
 * bpf_skb_load_bytes answers (a test-run has no skb behind the context). */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __s64);
} fd_stats SEC(".maps");

static __always_inline void record(__u32 slot, __s64 value) {
  __s64 *entry = bpf_map_lookup_elem(&fd_stats, &slot);
  if (entry)
    *entry = value;
}

static __always_inline int ports(struct bpf_flow_keys *keys, void *transport, void *data_end) {
  if (keys->ip_proto != IPPROTO_TCP && keys->ip_proto != IPPROTO_UDP)
    return BPF_OK;
  struct udphdr *l4 = transport;
  if ((void *)(l4 + 1) > data_end)
    return BPF_DROP;
  keys->sport = l4->source;
  keys->dport = l4->dest;
  return BPF_OK;
}

SEC("flow_dissector")
int dissect(struct __sk_buff *skb) {
  struct bpf_flow_keys *keys = skb->flow_keys;
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  __u8 probe[4] = {1, 2, 3, 4};
  record(0, bpf_skb_load_bytes(skb, 0, probe, sizeof(probe)));
  record(1, probe[0] | probe[3]);
  record(2, keys->nhoff | ((__u32)keys->thoff << 16) | ((__s64)keys->flags << 32));
  if (keys->nhoff != ETH_HLEN)
    return BPF_DROP;
  if (keys->n_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > data_end)
      return BPF_DROP;
    if (ip->ihl < 5)
      return BPF_DROP;
    keys->addr_proto = ETH_P_IP;
    keys->ipv4_src = ip->saddr;
    keys->ipv4_dst = ip->daddr;
    keys->ip_proto = ip->protocol;
    keys->thoff = keys->nhoff + ip->ihl * 4;
    if (ip->frag_off & bpf_htons(0x3fff)) {
      keys->is_frag = 1;
      keys->is_first_frag = !(ip->frag_off & bpf_htons(0x1fff));
      if (!keys->is_first_frag || (keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG) == 0)
        return BPF_OK;
    }
    if (ip->ihl != 5)
      return BPF_OK; /* options: stop at the network layer */
    return ports(keys, ip + 1, data_end);
  }
  if (keys->n_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = data + ETH_HLEN;
    if ((void *)(ip6 + 1) > data_end)
      return BPF_DROP;
    keys->addr_proto = ETH_P_IPV6;
    __builtin_memcpy(keys->ipv6_src, &ip6->saddr, 16);
    __builtin_memcpy(keys->ipv6_dst, &ip6->daddr, 16);
    keys->ip_proto = ip6->nexthdr;
    keys->flow_label = *(__be32 *)ip6 & bpf_htonl(0xfffff);
    keys->thoff = keys->nhoff + sizeof(*ip6);
    if (keys->flow_label && (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL))
      return BPF_OK;
    return ports(keys, ip6 + 1, data_end);
  }
  /* unknown protocol: move the transport offset past the end to see the kernel clamp it */
  keys->thoff = 0xffff;
  keys->nhoff = 3;
  record(3, keys->n_proto);
  return BPF_DROP;
}

char LICENSE[] SEC("license") = "GPL";
