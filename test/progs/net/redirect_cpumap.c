/* An XDP load spreader over a cpumap: IPv4 flows go to a CPU chosen from their addresses, others stay on this CPU
 * (XDP_PASS when the CPU has no queue); counts per CPU slot and per verdict. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_CPUMAP);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} cpu_stats SEC(".maps");

SEC("xdp")
int xdp_redirect_cpumap(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return XDP_ABORTED;
  __u32 cpu = 3;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end) return XDP_DROP;
    __u32 mix = ip->saddr ^ ip->daddr ^ ip->protocol;
    cpu = (mix ^ (mix >> 16) ^ (mix >> 8)) & 3;
  }
  long verdict = bpf_redirect_map(&cpus, cpu, XDP_PASS);
  /* broadcast is a devmap flag: a cpumap aborts */
  long broadcast = bpf_redirect_map(&cpus, cpu, BPF_F_BROADCAST);
  __u32 slot = cpu;
  __u64 *value = bpf_map_lookup_elem(&cpu_stats, &slot);
  if (value) *value += 1;
  slot = 4 + (verdict & 3);
  value = bpf_map_lookup_elem(&cpu_stats, &slot);
  if (value) *value += 1 + broadcast;
  return verdict;
}

char LICENSE[] SEC("license") = "GPL";
