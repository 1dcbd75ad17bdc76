/* AF_XDP steering: UDP to port 53 or 5060 goes to the socket of the packet's receive queue when one is there
 * (looked up first, as xdpsock does), everything else to the stack; counts what it saw. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_XSKMAP);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u32);
} xsks SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u64);
} xsk_stats SEC(".maps");

static __always_inline void count(__u32 slot) {
  __u64 *value = bpf_map_lookup_elem(&xsk_stats, &slot);
  if (value) *value += 1;
}

SEC("xdp")
int xdp_steer_xsk(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return XDP_ABORTED;
  if (eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP) return XDP_PASS;
  struct udphdr *udp = (void *)(ip + 1);
  if ((void *)(udp + 1) > data_end) return XDP_PASS;
  if (udp->dest != bpf_htons(53) && udp->dest != bpf_htons(5060)) return XDP_PASS;
  count(0);
  __u32 queue = ctx->rx_queue_index;
  struct bpf_xdp_sock *xsk = bpf_map_lookup_elem(&xsks, &queue);
  if (xsk) {
    count(1);
    if (xsk->queue_id != queue) return XDP_ABORTED;
  }
  long verdict = bpf_redirect_map(&xsks, queue, udp->dest == bpf_htons(53) ? XDP_PASS : XDP_DROP);
  count(2 + (verdict == XDP_REDIRECT));
  return verdict;
}

char LICENSE[] SEC("license") = "GPL";
