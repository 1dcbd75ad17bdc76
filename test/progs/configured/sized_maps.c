/* Maps declared with max_entries 0, sized by their user-space tool before load (as xdp-tools' programs are):
 * a port filter whose table and counters only exist once someone says how big they are. */
#include "../progs.h"

enum port_action { PORT_ALLOW = 0, PORT_DROP = 1, PORT_COUNT = 2 };

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, __u16); /* destination port, host order */
  __type(value, enum port_action);
  __uint(max_entries, 0);
} filter_ports SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u64);
  __uint(max_entries, 0);
} action_counters SEC(".maps");

static __attribute__((noinline)) __u32 destination_port(void *data, void *data_end) {
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) return 0;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5) return 0;
  if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) return 0;
  struct udphdr *l4 = (void *)(ip + 1);
  if ((void *)(l4 + 1) > data_end) return 0;
  return bpf_ntohs(l4->dest);
}

SEC("xdp")
int xdp_port_filter(struct xdp_md *ctx) {
  __u16 port = destination_port((void *)(long)ctx->data, (void *)(long)ctx->data_end);
  enum port_action *action = bpf_map_lookup_elem(&filter_ports, &port);
  __u32 index = action ? *action : PORT_ALLOW;
  /* the counters array may be smaller than the actions: a missing slot is simply not counted */
  __u64 *count = bpf_map_lookup_elem(&action_counters, &index);
  if (count) __sync_fetch_and_add(count, 1);
  return index == PORT_DROP ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
