/* The kernel's xdp_buff of an xdp test-run read through bpf_cast_to_kern_ctx: ctx->rxq->dev->ifindex, the queue
 * index, the packet pointers, and txq->dev read with no NULL check (txq is NULL: a probe load reads 0). */
#include "../progs.h"
#include "kstruct_offsets.h"

struct xdp_view {
  __u32 ifindex, queue_index, len, meta_len, headroom, frame_sz, dev_mtu, txq_dev_ifindex, txq_null;
  char dev_name[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct xdp_view);
} xdp_view SEC(".maps");

SEC("xdp")
int xdp_kstruct(struct xdp_md *ctx) {
  __u32 zero = 0;
  struct xdp_view *v = bpf_map_lookup_elem(&xdp_view, &zero);
  if (!v) return XDP_ABORTED;
  void *k = bpf_cast_to_kern_ctx(ctx);
  void *rxq = KREAD(void *, k, XDP_RXQ);
  void *dev = KREAD(void *, rxq, RXQ_DEV);
  v->ifindex = KREAD(__u32, dev, NETDEV_IFINDEX);
  v->queue_index = KREAD(__u32, rxq, RXQ_QUEUE_INDEX);
  unsigned char *data = KREAD(unsigned char *, k, XDP_DATA);
  unsigned char *end = KREAD(unsigned char *, k, XDP_DATA_END);
  unsigned char *meta = KREAD(unsigned char *, k, XDP_DATA_META);
  unsigned char *hard = KREAD(unsigned char *, k, XDP_DATA_HARD_START);
  v->len = end - data;
  v->meta_len = data - meta;
  v->headroom = meta - hard;
  v->frame_sz = KREAD(__u32, k, XDP_FRAME_SZ);
  v->dev_mtu = KREAD(__u32, dev, NETDEV_MTU);
  *(__u64 *)v->dev_name = KREAD(__u64, dev, NETDEV_NAME);
  *(__u64 *)(v->dev_name + 8) = KREAD(__u64, dev, NETDEV_NAME + 8);
  void *txq = KREAD(void *, k, XDP_TXQ);
  v->txq_null = txq == 0;
  v->txq_dev_ifindex = KREAD(__u32, KREAD(void *, txq, TXQ_DEV), NETDEV_IFINDEX);
  return v->len > 60 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
