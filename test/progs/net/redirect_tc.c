/* A tc forwarder: by IPv4 protocol and port it redirects with bpf_redirect (egress or ingress),
 * bpf_redirect_peer or bpf_redirect_neigh (with and without a next hop), and tries bad flags. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} tc_redirect_stats SEC(".maps");

SEC("tc")
int tc_redirect(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return TC_ACT_SHOT;
  long verdict;
  __u32 slot;
  if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct bpf_redir_neigh nh = {.nh_family = 10};
    verdict = bpf_redirect_neigh(1, &nh, sizeof(nh), 0);
    slot = 0;
  } else if (eth->h_proto != bpf_htons(ETH_P_IP)) {
    verdict = bpf_redirect(1, 4);
    slot = 1;
  } else {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end) return TC_ACT_SHOT;
    if (ip->protocol == IPPROTO_TCP) {
      verdict = bpf_redirect(1, BPF_F_INGRESS);
      slot = 2;
    } else if (ip->protocol == IPPROTO_UDP) {
      verdict = bpf_redirect_peer(1, 0);
      slot = 3;
      if (ip->tos) {
        verdict += bpf_redirect_peer(1, 1) << 8;
        slot = 4;
      }
    } else {
      struct bpf_redir_neigh nh = {.nh_family = 2, .ipv4_nh = ip->daddr};
      verdict = bpf_redirect_neigh(1, 0, 0, 0) + (bpf_redirect_neigh(1, &nh, 8, 0) << 8);
      slot = 5;
    }
  }
  __u64 *value = bpf_map_lookup_elem(&tc_redirect_stats, &slot);
  if (value) *value += verdict;
  return verdict & 0xff;
}

char LICENSE[] SEC("license") = "GPL";
