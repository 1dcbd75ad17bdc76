/* bpf_xdp_pull_data (kfunc, Linux 6.18) on multi-buffer xdp: two pulls whose lengths the packet's first 8 bytes give
 * (after optional metadata its 9th byte asks for), each followed by what the program then sees (return code, buffer
 * and linear lengths, metadata length, the last pulled byte read directly and overwritten with a marker). The `?`
 * programs read a packet pointer checked before the pull, which the verifier no longer trusts after it: the pull
 * called directly, from a global function, or a packet-changing helper called from one. */
#include "../progs.h"

extern int bpf_xdp_pull_data(struct xdp_md *x, __u32 len) __ksym;

struct pulled {
  __s64 ret;
  __u32 buff_len, linear_len, meta_len, last;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct pulled);
} pulled SEC(".maps");

/* One pull and what follows it; 1 when it succeeded. */
static __always_inline int pull(struct xdp_md *ctx, __u32 index, __u32 len) {
  struct pulled *p = bpf_map_lookup_elem(&pulled, &index);
  if (!p) return 0;
  int ret = bpf_xdp_pull_data(ctx, len);
  p->ret = ret;
  p->buff_len = bpf_xdp_get_buff_len(ctx);
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  p->linear_len = data_end - data;
  p->meta_len = data - (__u8 *)(long)ctx->data_meta;
  /* The last byte pulled, now in the linear part (lengths bounded for direct access). */
  if (ret == 0 && len > 0) {
    __u8 *last = data + ((len - 1) & 0x3fff);
    if (last + 1 <= data_end) {
      p->last = *last;
      *last = 0xe0 + index;
    }
  }
  return ret == 0;
}

SEC("xdp.frags")
int xdp_pull(struct xdp_md *ctx) {
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  if (data + 9 > data_end) return XDP_ABORTED;
  __u32 first = *(__u32 *)data;
  __u32 second = *(__u32 *)(data + 4);
  __u8 meta = data[8];
  if (meta && bpf_xdp_adjust_meta(ctx, -(int)(meta & 0xfc))) return XDP_DROP;
  int done = pull(ctx, 0, first);
  done += pull(ctx, 1, second);
  return XDP_PASS + 16 * done;
}

SEC("?xdp.frags")
int xdp_pull_stale(struct xdp_md *ctx) {
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  if (data + 4 > data_end) return XDP_ABORTED;
  bpf_xdp_pull_data(ctx, 64);
  return data[3];
}

__attribute__((noinline)) int pull_global(struct xdp_md *ctx) {
  return bpf_xdp_pull_data(ctx, 64);
}

__attribute__((noinline)) int adjust_global(struct xdp_md *ctx) {
  return bpf_xdp_adjust_head(ctx, 0);
}

__attribute__((noinline)) int no_change_global(struct xdp_md *ctx) {
  return bpf_xdp_get_buff_len(ctx) > 100;
}

SEC("?xdp.frags")
int xdp_pull_stale_global(struct xdp_md *ctx) {
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  if (data + 4 > data_end) return XDP_ABORTED;
  pull_global(ctx);
  return data[3];
}

SEC("?xdp.frags")
int xdp_adjust_stale_global(struct xdp_md *ctx) {
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  if (data + 4 > data_end) return XDP_ABORTED;
  adjust_global(ctx);
  return data[3];
}

/* A global function that does not move the packet keeps the caller's pointers. */
SEC("?xdp.frags")
int xdp_pointer_kept_global(struct xdp_md *ctx) {
  __u8 *data = (void *)(long)ctx->data;
  __u8 *data_end = (void *)(long)ctx->data_end;
  if (data + 4 > data_end) return XDP_ABORTED;
  no_change_global(ctx);
  return data[3];
}

char LICENSE[] SEC("license") = "GPL";
