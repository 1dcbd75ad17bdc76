/* Dynptr misuse the verifier must refuse as Linux 6.18 does, one program each (autoload off). */
#include "../progs.h"

extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt,
                                   __u32 buffer__szk) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;

/* A slice used without checking it is not NULL. */
SEC("?xdp")
int dynptr_slice_maybe_null(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  __u8 *eth = bpf_dynptr_slice(&ptr, 0, NULL, 14);
  return eth[12];
}

/* A read past the slice's size. */
SEC("?xdp")
int dynptr_slice_past_end(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  __u8 *eth = bpf_dynptr_slice(&ptr, 0, NULL, 14);
  if (!eth) return XDP_PASS;
  return eth[14];
}

/* A write through a read-only slice. */
SEC("?xdp")
int dynptr_slice_write(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  __u8 *eth = bpf_dynptr_slice(&ptr, 0, NULL, 14);
  if (!eth) return XDP_PASS;
  eth[0] = 1;
  return XDP_PASS;
}

/* A dynptr never made by a constructor. */
SEC("?xdp")
int dynptr_uninit(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  return bpf_dynptr_size(&ptr) ? XDP_PASS : XDP_DROP;
}

/* The dynptr's own bytes read as data. */
SEC("?xdp")
int dynptr_read_bytes(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  return *(volatile __u32 *)&ptr;
}

/* A dynptr overwritten: it is gone, and so is the slice made from it. */
SEC("?xdp")
int dynptr_overwritten(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  __u8 *eth = bpf_dynptr_slice(&ptr, 0, NULL, 14);
  if (!eth) return XDP_PASS;
  *(volatile __u64 *)&ptr = 0;
  return eth[0];
}

/* The slice size must be a constant. */
SEC("?xdp")
int dynptr_slice_variable_size(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  __u8 buffer[16] = {};
  bpf_dynptr_from_xdp(ctx, 0, &ptr);
  __u32 len = bpf_dynptr_size(&ptr) & 15;
  __u8 *p = bpf_dynptr_slice(&ptr, 0, buffer, len);
  return p ? XDP_PASS : XDP_DROP;
}

/* A writable slice: the reference kernel refuses every bpf_dynptr_slice_rdwr call (EPERM). */
SEC("?tc")
int dynptr_slice_rdwr(struct __sk_buff *skb) {
  struct bpf_dynptr ptr;
  bpf_dynptr_from_skb(skb, 0, &ptr);
  __u8 *eth = bpf_dynptr_slice_rdwr(&ptr, 0, NULL, 14);
  if (eth) eth[0] = 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
