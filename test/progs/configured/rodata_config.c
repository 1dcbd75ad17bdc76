/* A tc classifier configured the libbpf-skeleton way: `const volatile` settings in .rodata that user space
 * writes before load (skel->rodata->cfg_port = ...), a .data counter with a start value and .bss state. */
#include "../progs.h"

enum policy_mode { MODE_OBSERVE = 0, MODE_MARK = 1, MODE_ENFORCE = 2 };

struct dscp_rewrite {
  __u8 enabled;
  __u8 dscp;
  __u16 reserved;
};

const volatile __u16 cfg_port = 0; /* host order; 0: match nothing */
const volatile __u32 cfg_mark = 0;
const volatile enum policy_mode cfg_mode = MODE_OBSERVE;
const volatile struct dscp_rewrite cfg_dscp = {};
const volatile __u64 cfg_byte_limit = 0xffffffffffffffffULL;

__u64 generation = 7;  /* .data */
__u64 matched_bytes;   /* .bss */
__u32 matched_packets; /* .bss */

static __attribute__((noinline)) int matches(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) return 0;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5) return 0;
  if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) return 0;
  struct udphdr *l4 = (void *)(ip + 1);
  if ((void *)(l4 + 1) > data_end) return 0;
  if (cfg_port == 0 || bpf_ntohs(l4->dest) != cfg_port) return 0;
  if (cfg_dscp.enabled) {
    __u8 old_tos = ip->tos;
    __u8 new_tos = (cfg_dscp.dscp << 2) | (old_tos & 3);
    bpf_l3_csum_replace(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, check), bpf_htons(old_tos),
                        bpf_htons(new_tos), 2);
    bpf_skb_store_bytes(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, tos), &new_tos, 1, 0);
  }
  return 1;
}

SEC("tc")
int tc_configured_policy(struct __sk_buff *skb) {
  if (!matches(skb)) return TC_ACT_OK;
  matched_packets += 1;
  matched_bytes += skb->len;
  generation += 1;
  if (cfg_mode >= MODE_MARK) skb->mark = cfg_mark;
  if (cfg_mode == MODE_ENFORCE && matched_bytes > cfg_byte_limit) return TC_ACT_SHOT;
  return matched_packets + generation * 16;
}

char LICENSE[] SEC("license") = "GPL";
