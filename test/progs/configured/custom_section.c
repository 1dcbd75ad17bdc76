/* Programs whose sections libbpf cannot type, as tools that attach by hand name them (`xdp_drop_vlan_4`,
 * after the xdp-tutorial style): loading needs an explicit program type (tsbpf --type, bpf_program__set_type). */
#include "../progs.h"

struct vlan_hdr {
  __be16 tci;
  __be16 encapsulated_proto;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u64);
  __uint(max_entries, 5);
} verdicts SEC(".maps");

static __attribute__((noinline)) int count_verdict(int verdict) {
  __u32 key = verdict;
  __u64 *count = bpf_map_lookup_elem(&verdicts, &key);
  if (count) __sync_fetch_and_add(count, 1);
  return verdict;
}

SEC("xdp_drop_vlan_4")
int xdp_vlan_filter(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return count_verdict(XDP_ABORTED);
  if (eth->h_proto != bpf_htons(ETH_P_8021Q)) return count_verdict(XDP_PASS);
  struct vlan_hdr *vlan = (void *)(eth + 1);
  if ((void *)(vlan + 1) > data_end) return count_verdict(XDP_ABORTED);
  return count_verdict((bpf_ntohs(vlan->tci) & 0x0fff) == 4 ? XDP_DROP : XDP_PASS);
}

/* A sibling with a section libbpf knows: it loads without --type, and without its broken-for-libbpf neighbour. */
SEC("xdp")
int xdp_count_only(struct xdp_md *ctx) {
  return count_verdict(ctx->data_end - ctx->data > 64 ? XDP_PASS : XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
