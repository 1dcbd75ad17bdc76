/* Kernel structs read through CO-RE: local views of sk_buff, net_device, xdp_buff and xdp_rxq_info with only the
 * members used (preserve_access_index), relocated to the kernel's offsets at load (libbpf against vmlinux BTF,
 * tsbpf against its table); BPF_CORE_READ through bpf_rdonly_cast(..., bpf_core_type_id_kernel(struct sk_buff));
 * field and type existence and sizes. */
#include "../progs.h"
#include <bpf/bpf_core_read.h>

struct net_device {
  int ifindex;
  unsigned int mtu;
  char name[16];
} __attribute__((preserve_access_index));

struct sk_buff {
  unsigned int len;
  __u16 protocol;
  __u32 mark;
  __u32 priority;
  struct net_device *dev;
  unsigned char *data;
  __u32 no_such_member;
} __attribute__((preserve_access_index));

struct xdp_rxq_info {
  struct net_device *dev;
  __u32 queue_index;
} __attribute__((preserve_access_index));

struct xdp_buff {
  void *data;
  void *data_end;
  struct xdp_rxq_info *rxq;
} __attribute__((preserve_access_index));

struct not_in_the_kernel {
  int x;
} __attribute__((preserve_access_index));

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

struct core_view {
  __u32 len, protocol, mark, ifindex, mtu, rd_len, rd_ifindex, first_byte;
  __u32 has_no_such_member, has_mark, mark_size, name_size, skb_size, has_unknown_type, skb_id_nonzero;
  char name[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct core_view);
} core_view SEC(".maps");

SEC("tc")
int tc_core_skb(struct __sk_buff *ctx) {
  __u32 zero = 0;
  struct core_view *v = bpf_map_lookup_elem(&core_view, &zero);
  if (!v) return TC_ACT_SHOT;
  ctx->mark = 0x5eed;
  struct sk_buff *skb = bpf_cast_to_kern_ctx(ctx);
  v->len = skb->len;
  v->protocol = skb->protocol;
  v->mark = skb->mark;
  v->ifindex = skb->dev->ifindex;
  v->mtu = skb->dev->mtu;
  __builtin_memcpy(v->name, skb->dev->name, sizeof(v->name));
  v->first_byte = skb->data[0];
  struct sk_buff *rd = bpf_rdonly_cast(skb, bpf_core_type_id_kernel(struct sk_buff));
  v->rd_len = BPF_CORE_READ(rd, len);
  v->rd_ifindex = BPF_CORE_READ(rd, dev, ifindex);
  v->has_no_such_member = bpf_core_field_exists(skb->no_such_member);
  v->has_mark = bpf_core_field_exists(skb->mark);
  v->mark_size = bpf_core_field_size(skb->mark);
  v->name_size = bpf_core_field_size(skb->dev->name);
  v->skb_size = bpf_core_type_size(struct sk_buff);
  v->has_unknown_type = bpf_core_type_exists(struct not_in_the_kernel);
  v->skb_id_nonzero = bpf_core_type_id_kernel(struct sk_buff) != 0;
  return skb->len > 100 ? TC_ACT_OK : TC_ACT_SHOT;
}

SEC("xdp")
int xdp_core(struct xdp_md *ctx) {
  __u32 one = 1;
  struct core_view *v = bpf_map_lookup_elem(&core_view, &one);
  if (!v) return XDP_ABORTED;
  struct xdp_buff *xdp = bpf_cast_to_kern_ctx(ctx);
  v->len = (char *)xdp->data_end - (char *)xdp->data;
  v->ifindex = xdp->rxq->dev->ifindex;
  v->mtu = xdp->rxq->queue_index;
  __builtin_memcpy(v->name, xdp->rxq->dev->name, sizeof(v->name));
  return v->len > 100 ? XDP_PASS : XDP_DROP;
}

/* sk_rcvbuf (a sysctl's value) is not in tsbpf's table of struct sock: tsbpf refuses the relocation, the kernel
 * loads it. */
struct sock_common {
  unsigned short skc_family;
} __attribute__((preserve_access_index));

struct sock {
  struct sock_common __sk_common;
  int sk_rcvbuf;
} __attribute__((preserve_access_index));

struct sk_buff___with_sk {
  struct sock *sk;
} __attribute__((preserve_access_index));

SEC("?tc")
int tc_core_unmodelled(struct __sk_buff *ctx) {
  struct sk_buff___with_sk *skb = bpf_cast_to_kern_ctx(ctx);
  struct sock *sk = skb->sk;
  if (!sk) return TC_ACT_OK;
  return sk->sk_rcvbuf;
}

char LICENSE[] SEC("license") = "GPL";
