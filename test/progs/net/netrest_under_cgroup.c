/* bpf_skb_under_cgroup over a cgroup_array: every slot of a 4-slot array asked, the index the packet's first byte
 * after the Ethernet header names, and two past the end; each answer goes to .bss. Then misuse the verifier
 * refuses (another map type, a program type without the helper). */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u32);
} cgroups SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u32);
} plain SEC(".maps");

struct {
  long slot[4];
  long named;
  long past_end;
  long far_past_end;
} seen;

SEC("tc")
int tc_under_cgroup(struct __sk_buff *skb) {
  __u8 named = 0;
  if (bpf_skb_load_bytes(skb, ETH_HLEN, &named, 1) < 0) return TC_ACT_SHOT;
  seen.slot[0] = bpf_skb_under_cgroup(skb, &cgroups, 0);
  seen.slot[1] = bpf_skb_under_cgroup(skb, &cgroups, 1);
  seen.slot[2] = bpf_skb_under_cgroup(skb, &cgroups, 2);
  seen.slot[3] = bpf_skb_under_cgroup(skb, &cgroups, 3);
  seen.named = bpf_skb_under_cgroup(skb, &cgroups, named);
  seen.past_end = bpf_skb_under_cgroup(skb, &cgroups, 4);
  seen.far_past_end = bpf_skb_under_cgroup(skb, &cgroups, 0xffffffff);
  return seen.slot[0] == 1 ? TC_ACT_OK : TC_ACT_SHOT;
}

/* Misuse: an array map is no cgroup_array. */
SEC("?tc")
int under_cgroup_wrong_map(struct __sk_buff *skb) {
  return bpf_skb_under_cgroup(skb, &plain, 0);
}

/* Misuse: socket filters do not have the helper. */
SEC("?socket")
int under_cgroup_from_socket(struct __sk_buff *skb) {
  return bpf_skb_under_cgroup(skb, &cgroups, 0);
}

char LICENSE[] SEC("license") = "GPL";
