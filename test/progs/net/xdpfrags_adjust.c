/* Multi-buffer xdp (xdp.frags): up to four bpf_xdp_adjust_tail / bpf_xdp_adjust_head steps read from the packet's
 * first 16 bytes, each followed by what the program then sees (return code, buffer length, linear length, the
 * last 8 bytes through bpf_xdp_load_bytes) and a marker stored at the new end with bpf_xdp_store_bytes. */
#include "../progs.h"

/* A step: `kind` 1 adjust_tail by `amount`, 2 adjust_head by `amount`, 3 adjust_tail to a total of `amount`. */
struct step {
  __u8 kind, pad;
  __s16 amount;
};

struct seen {
  __s64 ret;
  __u32 buff_len, linear_len;
  __s64 load_ret;
  __u8 last[8];
  __s64 store_ret;
};

#define STEPS 4

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, STEPS);
  __type(key, __u32);
  __type(value, struct seen);
} seen SEC(".maps");

/* One step and what follows it; 1 when the adjustment succeeded. */
static __always_inline int do_step(struct xdp_md *ctx, __u32 index, struct step step) {
  struct seen *s = bpf_map_lookup_elem(&seen, &index);
  if (!s || step.kind == 0) return 0;
  long ret;
  if (step.kind == 1)
    ret = bpf_xdp_adjust_tail(ctx, step.amount);
  else if (step.kind == 2)
    ret = bpf_xdp_adjust_head(ctx, step.amount);
  else
    ret = bpf_xdp_adjust_tail(ctx, (int)step.amount - (int)bpf_xdp_get_buff_len(ctx));
  s->ret = ret;
  __u32 len = bpf_xdp_get_buff_len(ctx);
  s->buff_len = len;
  s->linear_len = ctx->data_end - ctx->data;
  s->load_ret = bpf_xdp_load_bytes(ctx, len - 8, s->last, 8);
  __u32 marker = 0xa0a1a2a3 + index;
  s->store_ret = bpf_xdp_store_bytes(ctx, len - 4, &marker, 4);
  return ret == 0;
}

SEC("xdp.frags")
int xdp_frags_adjust(struct xdp_md *ctx) {
  struct step steps[STEPS];
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + sizeof(steps) > data_end) return XDP_ABORTED;
  __builtin_memcpy(steps, data, sizeof(steps));
  int done = do_step(ctx, 0, steps[0]);
  done += do_step(ctx, 1, steps[1]);
  done += do_step(ctx, 2, steps[2]);
  done += do_step(ctx, 3, steps[3]);
  return XDP_PASS + (done << 4);
}

char LICENSE[] SEC("license") = "GPL";
