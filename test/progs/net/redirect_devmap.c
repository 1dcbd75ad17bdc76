/* An XDP redirector over a devmap and a devmap_hash: the port is chosen from the IPv4 destination, protocol and
 * TOS; the egress interface is read back through a (read-only) devmap lookup; a broadcast for ICMP; IPv6 by next
 * header through the devmap_hash; per-verdict counts. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u32);
} tx_ports SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct bpf_devmap_val);
} tx_by_port SEC(".maps");

/* [verdict]: packets; [8 + slot]: the ifindex the devmap lookup saw for that slot. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __u64);
} redirect_stats SEC(".maps");

static __always_inline void count(__u32 slot, __u64 amount) {
  __u64 *value = bpf_map_lookup_elem(&redirect_stats, &slot);
  if (value) *value += amount;
}

SEC("xdp")
int xdp_redirect_devmap(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return XDP_ABORTED;
  long verdict;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end) return XDP_DROP;
    if (ip->protocol == IPPROTO_ICMP) {
      verdict = bpf_redirect_map(&tx_ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
    } else {
      __u32 slot = (bpf_ntohl(ip->daddr) ^ ip->protocol ^ ip->tos) & 7;
      __u32 *ifindex = bpf_map_lookup_elem(&tx_ports, &slot);
      if (ifindex) count(8 + slot, *ifindex);
      /* an empty slot passes the packet up (the default action in the flags' low bits) */
      verdict = bpf_redirect_map(&tx_ports, slot, XDP_PASS);
    }
  } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > data_end) return XDP_DROP;
    __u32 key = ip6->nexthdr;
    struct bpf_devmap_val *val = bpf_map_lookup_elem(&tx_by_port, &key);
    if (val) count(15, val->ifindex);
    verdict = bpf_redirect_map(&tx_by_port, key, XDP_DROP);
  } else {
    /* unknown flags abort */
    verdict = bpf_redirect_map(&tx_ports, 1, 1 << 6);
  }
  count(verdict & 7, 1);
  return verdict;
}

char LICENSE[] SEC("license") = "GPL";
