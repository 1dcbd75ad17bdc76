/* An xdp dynptr made before bpf_xdp_adjust_tail resizes a multi-buffer packet: its size stays, reads and writes
 * past the packet's new end are refused, within it they see the adjusted packet, and a slice across the old end
 * copies only what is left. The adjustment is the packet's first two bytes (s16). */
#include "../progs.h"

extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;

struct result {
  __s64 adjust, read_old_end, write_old_end, read_new_end, write_new_end;
  __u32 size_before, size_after, buff_len;
  __u8 old_end[8], new_end[8], slice_old_end[8];
  __u32 slice_null;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct result);
} results SEC(".maps");

SEC("xdp.frags")
int xdp_frags_dynptr(struct xdp_md *ctx) {
  __u32 zero = 0;
  struct result *r = bpf_map_lookup_elem(&results, &zero);
  if (!r) return XDP_ABORTED;
  struct bpf_dynptr ptr;
  if (bpf_dynptr_from_xdp(ctx, 0, &ptr)) return XDP_ABORTED;
  __s16 amount = 0;
  if (bpf_dynptr_read(&amount, sizeof(amount), &ptr, 0, 0)) return XDP_ABORTED;
  __u32 before = bpf_xdp_get_buff_len(ctx);
  r->size_before = bpf_dynptr_size(&ptr);
  r->adjust = bpf_xdp_adjust_tail(ctx, amount);
  r->size_after = bpf_dynptr_size(&ptr);
  __u32 after = bpf_xdp_get_buff_len(ctx);
  r->buff_len = after;
  __u8 marker[8] = {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7};
  r->read_old_end = bpf_dynptr_read(r->old_end, 8, &ptr, before - 8, 0);
  r->write_old_end = bpf_dynptr_write(&ptr, before - 8, marker, 8, 0);
  r->read_new_end = bpf_dynptr_read(r->new_end, 8, &ptr, after - 8, 0);
  r->write_new_end = bpf_dynptr_write(&ptr, after - 12, marker, 8, 0);
  /* A slice across the old end: the bytes past the new one are left as the buffer had them. */
  __u8 buffer[8] = {0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7};
  __u8 *slice = bpf_dynptr_slice(&ptr, before - 8, buffer, 8);
  if (slice)
    __builtin_memcpy(r->slice_old_end, slice, 8);
  else
    r->slice_null = 1;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
