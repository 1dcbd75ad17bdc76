/* bpf_dynptr_clone: a clone of an xdp/skb dynptr narrowed to the L3 header while the parent keeps the whole
 * frame, and a clone of a ringbuf dynptr that writes and submits the record its parent reserved. */
#include "../progs.h"

extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern int bpf_dynptr_adjust(const struct bpf_dynptr *p, __u32 start, __u32 end) __ksym;
extern int bpf_dynptr_clone(const struct bpf_dynptr *p, struct bpf_dynptr *clone__uninit) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} stats SEC(".maps");

static __always_inline void put(__u32 key, __u64 value) {
  __u64 *slot = bpf_map_lookup_elem(&stats, &key);
  if (slot) *slot = value;
}

static __always_inline int inspect(struct bpf_dynptr *frame) {
  struct bpf_dynptr l3, rb, rb_clone;
  __u8 buf[20];
  put(0, bpf_dynptr_clone(frame, &l3));
  __u32 size = bpf_dynptr_size(frame);
  put(1, bpf_dynptr_adjust(&l3, 14, size));
  put(2, ((__u64)bpf_dynptr_size(frame) << 32) | bpf_dynptr_size(&l3));
  __u8 *ip = bpf_dynptr_slice(&l3, 0, buf, sizeof(buf));
  put(3, ip ? ip[0] | (ip[9] << 8) : 0xffff);

  long err = bpf_ringbuf_reserve_dynptr(&events, 16, 0, &rb);
  put(4, err | ((__u64)bpf_dynptr_clone(&rb, &rb_clone) << 32));
  put(5, bpf_dynptr_write(&rb_clone, 0, &size, sizeof(size), 0));
  __u32 back = 0;
  put(6, bpf_dynptr_read(&back, sizeof(back), &rb, 0, 0) | ((__u64)back << 32));
  bpf_ringbuf_submit_dynptr(&rb_clone, 0);
  put(7, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
  return size & 1;
}

SEC("xdp")
int xdp_dynptr_clone(struct xdp_md *ctx) {
  struct bpf_dynptr frame;
  if (bpf_dynptr_from_xdp(ctx, 0, &frame)) return XDP_ABORTED;
  return inspect(&frame) ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_dynptr_clone(struct __sk_buff *skb) {
  struct bpf_dynptr frame;
  if (bpf_dynptr_from_skb(skb, 0, &frame)) return TC_ACT_SHOT;
  return inspect(&frame);
}

/* The parent used after its clone submitted the record they share. */
SEC("?xdp")
int clone_parent_after_submit(struct xdp_md *ctx) {
  struct bpf_dynptr rb, copy;
  __u64 out = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  bpf_dynptr_clone(&rb, &copy);
  bpf_ringbuf_submit_dynptr(&copy, 0);
  return bpf_dynptr_read(&out, sizeof(out), &rb, 0, 0);
}

/* A clone of a dynptr never made. */
SEC("?xdp")
int clone_uninit(struct xdp_md *ctx) {
  struct bpf_dynptr none, copy;
  return bpf_dynptr_clone(&none, &copy);
}

/* A clone made over a dynptr still holding a record. */
SEC("?xdp")
int clone_over_referenced(struct xdp_md *ctx) {
  struct bpf_dynptr rb, frame;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  bpf_dynptr_from_xdp(ctx, 0, &frame);
  bpf_dynptr_clone(&frame, &rb);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
