/* The kernel's sk_buff of a tc test-run read through bpf_cast_to_kern_ctx: its members, the net_device it points
 * to, the packet through skb->data (a probe load), and fields the program wrote through __sk_buff first. */
#include "../progs.h"
#include "kstruct_offsets.h"

struct skb_view {
  __u32 len, data_len, mac_len, queue_mapping, pkt_type, tc_index, priority, skb_iif, hash;
  __u32 vlan_proto, vlan_tci, mark, protocol, transport_header, network_header, mac_header;
  __u32 tail_minus_end, data_minus_head, first_bytes, var_byte, dev_ifindex, dev_mtu, dev_type, has_sk;
  char dev_name[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct skb_view);
} skb_view SEC(".maps");

SEC("tc")
int tc_kstruct_skb(struct __sk_buff *skb) {
  __u32 zero = 0;
  struct skb_view *v = bpf_map_lookup_elem(&skb_view, &zero);
  if (!v) return TC_ACT_SHOT;
  /* Written through __sk_buff before the cast: the kernel struct has them. */
  skb->mark = skb->len * 3;
  skb->priority = skb->len & 7;
  skb->tc_index = 5;
  void *k = bpf_cast_to_kern_ctx(skb);
  /* Written after the cast: the kernel's one sk_buff has it too. */
  skb->queue_mapping = skb->len & 3;
  skb->priority = KREAD(__u32, k, SKB_PRIORITY) + 1;
  v->len = KREAD(__u32, k, SKB_LEN);
  v->data_len = KREAD(__u32, k, SKB_DATA_LEN);
  v->mac_len = KREAD(__u16, k, SKB_MAC_LEN);
  v->queue_mapping = KREAD(__u16, k, SKB_QUEUE_MAPPING);
  v->pkt_type = KREAD(__u8, k, SKB_PKT_TYPE_BYTE) & 7;
  v->tc_index = KREAD(__u16, k, SKB_TC_INDEX);
  v->priority = KREAD(__u32, k, SKB_PRIORITY);
  v->skb_iif = KREAD(__u32, k, SKB_IIF);
  v->hash = KREAD(__u32, k, SKB_HASH);
  v->vlan_proto = KREAD(__u16, k, SKB_VLAN_PROTO);
  v->vlan_tci = KREAD(__u16, k, SKB_VLAN_TCI);
  v->mark = KREAD(__u32, k, SKB_MARK);
  v->protocol = KREAD(__u16, k, SKB_PROTOCOL);
  v->transport_header = KREAD(__u16, k, SKB_TRANSPORT_HEADER);
  v->network_header = KREAD(__u16, k, SKB_NETWORK_HEADER);
  v->mac_header = KREAD(__u16, k, SKB_MAC_HEADER);
  v->tail_minus_end = KREAD(__u32, k, SKB_END) - KREAD(__u32, k, SKB_TAIL);
  unsigned char *head = KREAD(unsigned char *, k, SKB_HEAD);
  unsigned char *data = KREAD(unsigned char *, k, SKB_DATA);
  v->data_minus_head = data - head;
  /* Through read-only untrusted memory: probe loads of the packet's bytes. */
  v->first_bytes = (KREAD(__u8, data, 12) << 8) | KREAD(__u8, data, 13);
  /* At a variable offset: the verifier does not track offsets into untrusted memory. */
  v->var_byte = KREAD(__u8, data + (v->len & 31), 0);
  void *dev = KREAD(void *, k, SKB_DEV);
  v->dev_ifindex = KREAD(__u32, dev, NETDEV_IFINDEX);
  v->dev_mtu = KREAD(__u32, dev, NETDEV_MTU);
  v->dev_type = KREAD(__u16, dev, NETDEV_TYPE);
  *(__u64 *)v->dev_name = KREAD(__u64, dev, NETDEV_NAME);
  *(__u64 *)(v->dev_name + 8) = KREAD(__u64, dev, NETDEV_NAME + 8);
  void *sk = KREAD(void *, k, SKB_SK);
  v->has_sk = sk != 0;
  return v->len == skb->len ? TC_ACT_OK : TC_ACT_SHOT;
}

/* A socket filter's sk_buff: the packet from its network header, the Ethernet header in front of it. */
SEC("socket")
int sock_kstruct_skb(struct __sk_buff *skb) {
  __u32 one = 1;
  struct skb_view *v = bpf_map_lookup_elem(&skb_view, &one);
  if (!v) return 0;
  void *k = bpf_cast_to_kern_ctx(skb);
  v->len = KREAD(__u32, k, SKB_LEN);
  v->data_len = KREAD(__u32, k, SKB_DATA_LEN);
  v->pkt_type = KREAD(__u8, k, SKB_PKT_TYPE_BYTE) & 7;
  v->protocol = KREAD(__u16, k, SKB_PROTOCOL);
  v->network_header = KREAD(__u16, k, SKB_NETWORK_HEADER);
  v->mac_header = KREAD(__u16, k, SKB_MAC_HEADER);
  v->tail_minus_end = KREAD(__u32, k, SKB_END) - KREAD(__u32, k, SKB_TAIL);
  unsigned char *head = KREAD(unsigned char *, k, SKB_HEAD);
  unsigned char *data = KREAD(unsigned char *, k, SKB_DATA);
  v->data_minus_head = data - head;
  v->first_bytes = (KREAD(__u8, data, 0) << 8) | KREAD(__u8, data, 9);
  void *dev = KREAD(void *, k, SKB_DEV);
  v->dev_ifindex = KREAD(__u32, dev, NETDEV_IFINDEX);
  v->has_sk = KREAD(void *, k, SKB_SK) != 0;
  return v->len;
}

/* bpf_rdonly_cast: the context pointer as the kernel's sk_buff (an untrusted pointer), and NULL as one (probe
 * loads read 0). */
SEC("tc")
int tc_kstruct_rdonly(struct __sk_buff *skb) {
  struct sk_buff *k = bpf_rdonly_cast(skb, BTF_ID_SK_BUFF);
  struct sk_buff *none = bpf_rdonly_cast(0, BTF_ID_SK_BUFF);
  __u32 len = KREAD(__u32, k, SKB_LEN);
  void *dev = KREAD(void *, k, SKB_DEV);
  __u32 ifindex = KREAD(__u32, dev, NETDEV_IFINDEX);
  __u32 nothing = KREAD(__u32, none, SKB_LEN);
  return (len == skb->len) + 2 * (ifindex == skb->ifindex) + 4 * (nothing == 0) + 8 * (len & 0xff);
}

struct sock_view {
  __u32 daddr, rcv_saddr, hash, dport, num, family, state, bound_dev_if;
  __u32 v6_daddr[4], v6_rcv_saddr[4];
  __u32 priority, mark, protocol, type, v6_byte, v6_half;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sock_view);
} sock_view SEC(".maps");

/* The test-run socket behind the kernel sk_buff's sk (an RCU pointer that may be NULL): its struct sock_common
 * and a few struct sock members. */
SEC("tc")
int tc_kstruct_sock(struct __sk_buff *skb) {
  __u32 zero = 0;
  struct sock_view *v = bpf_map_lookup_elem(&sock_view, &zero);
  if (!v) return TC_ACT_SHOT;
  void *k = bpf_cast_to_kern_ctx(skb);
  void *sk = KREAD(void *, k, SKB_SK);
  if (!sk) return TC_ACT_UNSPEC;
  v->daddr = KREAD(__u32, sk, SK_DADDR);
  v->rcv_saddr = KREAD(__u32, sk, SK_RCV_SADDR);
  v->hash = KREAD(__u32, sk, SK_HASH);
  v->dport = KREAD(__u16, sk, SK_DPORT);
  v->num = KREAD(__u16, sk, SK_NUM);
  v->family = KREAD(__u16, sk, SK_FAMILY);
  v->state = KREAD(__u8, sk, SK_STATE);
  v->bound_dev_if = KREAD(__u32, sk, SK_BOUND_DEV_IF);
  for (int i = 0; i < 4; i++) {
    v->v6_daddr[i] = KREAD(__u32, sk, SK_V6_DADDR + 4 * i);
    v->v6_rcv_saddr[i] = KREAD(__u32, sk, SK_V6_RCV_SADDR + 4 * i);
  }
  v->v6_byte = KREAD(__u8, sk, SK_V6_RCV_SADDR + 15);
  v->v6_half = KREAD(__u16, sk, SK_V6_DADDR + 2);
  v->priority = KREAD(__u32, sk, SK_PRIORITY);
  v->mark = KREAD(__u32, sk, SK_MARK);
  v->protocol = KREAD(__u16, sk, SK_PROTOCOL);
  v->type = KREAD(__u16, sk, SK_TYPE);
  return v->family + v->state;
}

char LICENSE[] SEC("license") = "GPL";
