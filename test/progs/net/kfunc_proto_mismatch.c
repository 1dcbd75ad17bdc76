/* A kfunc declared with a prototype the kernel's does not match (rss_type is an enum pointer in the kernel, a
 * __u32 pointer here): libbpf refuses the object before anything reaches the kernel. */
#include "../progs.h"

extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;
extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash, __u32 *rss_type) __ksym;
extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md *ctx, __be16 *vlan_proto, __u16 *vlan_tci) __ksym;

struct seen {
  __u64 timestamp;
  __u32 hash, rss_type;
  __u16 vlan_proto, vlan_tci;
  int ret_timestamp, ret_hash, ret_vlan;
};
struct seen seen;

SEC("xdp")
int xdp_metadata(struct xdp_md *ctx) {
  __u64 timestamp = 7;
  __u32 hash = 8, rss_type = 9;
  __be16 vlan_proto = 10;
  __u16 vlan_tci = 11;
  seen.ret_timestamp = bpf_xdp_metadata_rx_timestamp(ctx, &timestamp);
  seen.ret_hash = bpf_xdp_metadata_rx_hash(ctx, &hash, &rss_type);
  seen.ret_vlan = bpf_xdp_metadata_rx_vlan_tag(ctx, &vlan_proto, &vlan_tci);
  seen.timestamp = timestamp;
  seen.hash = hash;
  seen.rss_type = rss_type;
  seen.vlan_proto = vlan_proto;
  seen.vlan_tci = vlan_tci;
  return seen.ret_timestamp < 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
