/* A GSO skb in test-run (gso_size/gso_segs from ctx_in; the kernel gives it no GSO type): what bpf_check_mtu,
 * bpf_skb_adjust_room and bpf_skb_change_proto answer for it, next to the same calls on a plain skb. Every answer
 * goes to .bss with the gso fields and length seen before and after. */
#include "../progs.h"

struct {
  __u32 gso_size;
  __u32 gso_segs;
  long mtu_plain;
  __u32 mtu_plain_len;
  long mtu_over_by_diff;
  long mtu_over_by_len;
  long mtu_segs;
  long grow;
  long grow_fixed_gso;
  long grow_encap;
  long shrink;
  long shrink_bad_flag;
  long shrink_decap_grow;
  long to_ipv6;
  long to_ipv4;
  __u32 len_after;
  __u32 gso_size_after;
  __u32 gso_segs_after;
} seen;

SEC("tc")
int tc_gso(struct __sk_buff *skb) {
  __u32 mtu = 0;
  seen.gso_size = skb->gso_size;
  seen.gso_segs = skb->gso_segs;
  seen.mtu_plain = bpf_check_mtu(skb, 0, &mtu, 0, 0);
  seen.mtu_plain_len = mtu;
  mtu = 0;
  seen.mtu_over_by_diff = bpf_check_mtu(skb, 0, &mtu, 70000, 0);
  mtu = 70000;
  seen.mtu_over_by_len = bpf_check_mtu(skb, 0, &mtu, 0, 0);
  mtu = 0;
  seen.mtu_segs = bpf_check_mtu(skb, 0, &mtu, 0, BPF_MTU_CHK_SEGS);
  seen.grow = bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_NET, 0);
  seen.grow_fixed_gso = bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_FIXED_GSO);
  seen.grow_encap = bpf_skb_adjust_room(skb, 20, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4);
  seen.shrink = bpf_skb_adjust_room(skb, -8, BPF_ADJ_ROOM_NET, 0);
  seen.shrink_bad_flag = bpf_skb_adjust_room(skb, -8, BPF_ADJ_ROOM_NET, BPF_F_ADJ_ROOM_ENCAP_L4_GRE);
  seen.shrink_decap_grow = bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_NET, 1ULL << 7 /* BPF_F_ADJ_ROOM_DECAP_L3_IPV4, newer than the headers */);
  seen.to_ipv6 = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0);
  seen.to_ipv4 = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0);
  seen.len_after = skb->len;
  seen.gso_size_after = skb->gso_size;
  seen.gso_segs_after = skb->gso_segs;
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
