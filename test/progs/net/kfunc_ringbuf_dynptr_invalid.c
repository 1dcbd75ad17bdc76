/* Ringbuf dynptr misuse the verifier must refuse as Linux 6.18 does, one program each (autoload off). */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} values SEC(".maps");

/* A reserved record never submitted nor discarded. */
SEC("?xdp")
int rb_dynptr_leak(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  return XDP_PASS;
}

/* Submitted twice. */
SEC("?xdp")
int rb_dynptr_double_submit(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  bpf_ringbuf_submit_dynptr(&rb, 0);
  bpf_ringbuf_submit_dynptr(&rb, 0);
  return XDP_PASS;
}

/* A local dynptr given to the ring buffer. */
SEC("?xdp")
int rb_dynptr_local_submit(struct xdp_md *ctx) {
  struct bpf_dynptr ptr;
  __u32 key = 0;
  __u64 *value = bpf_map_lookup_elem(&values, &key);
  if (!value) return XDP_PASS;
  bpf_dynptr_from_mem(value, sizeof(*value), 0, &ptr);
  bpf_ringbuf_submit_dynptr(&ptr, 0);
  return XDP_PASS;
}

/* The dynptr's bytes overwritten while it holds the record. */
SEC("?xdp")
int rb_dynptr_overwrite(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  *(volatile __u64 *)&rb = 0;
  bpf_ringbuf_discard_dynptr(&rb, 0);
  return XDP_PASS;
}

/* A slice of the record written after the record was submitted. */
SEC("?xdp")
int rb_dynptr_slice_after_submit(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  __u8 *rec = bpf_dynptr_data(&rb, 0, 8);
  bpf_ringbuf_submit_dynptr(&rb, 0);
  if (rec) *rec = 1;
  return XDP_PASS;
}

/* A ringbuf dynptr reserved in an array. */
SEC("?xdp")
int rb_dynptr_wrong_map(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  bpf_ringbuf_reserve_dynptr(&values, 8, 0, &rb);
  bpf_ringbuf_discard_dynptr(&rb, 0);
  return XDP_PASS;
}

/* The record read through a slice once the dynptr was discarded, with the slice kept in a callee-saved reg. */
SEC("?xdp")
int rb_dynptr_use_after_discard(struct xdp_md *ctx) {
  struct bpf_dynptr rb;
  __u64 out = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &rb);
  bpf_ringbuf_discard_dynptr(&rb, 0);
  return bpf_dynptr_read(&out, sizeof(out), &rb, 0, 0);
}

char LICENSE[] SEC("license") = "GPL";
