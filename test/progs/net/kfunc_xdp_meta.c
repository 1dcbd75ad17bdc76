/* The XDP metadata kfuncs as a program that reads RX metadata calls them: Linux refuses such a program at load
 * unless it is bound to a device, which a test-run program never is. */
#include "../progs.h"

extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;
enum xdp_rss_hash_type { XDP_RSS_TYPE_NONE };
extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash, enum xdp_rss_hash_type *rss_type) __ksym;
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
  __u32 hash = 8;
  enum xdp_rss_hash_type rss_type = XDP_RSS_TYPE_NONE;
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
