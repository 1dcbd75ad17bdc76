/* An skb dynptr outlives a shrink of its packet: bpf_skb_change_tail cuts the packet to a length read from it, then
 * slices and reads through the dynptr made before (whose size is the old length) land inside the new end, across
 * it, or wholly past it. Each answer (NULL or the bytes, an errno) is recorded. */
#include <stdbool.h>
#include "../progs.h"

extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;

struct shrink_seen {
  __u32 size_before, size_after, len_after;
  int change;
  __u8 inside_null, across_null, past_null, unbuffered_null;
  __u64 inside, across_buffer;
  int read_inside, read_across, write_across, write_inside;
  __u64 read_bytes;
};
struct shrink_seen shrink_seen;

SEC("tc")
int tc_dynptr_shrink(struct __sk_buff *skb) {
  struct bpf_dynptr ptr;
  __u64 buffer = 0x1111111111111111ULL;
  __u64 *p;
  __u32 cut = skb->len / 2;

  if (cut < 40)
    cut = 40;
  if (bpf_dynptr_from_skb(skb, 0, &ptr))
    return 1;
  shrink_seen.size_before = bpf_dynptr_size(&ptr);
  shrink_seen.change = bpf_skb_change_tail(skb, cut, 0);
  shrink_seen.size_after = bpf_dynptr_size(&ptr);
  shrink_seen.len_after = skb->len;

  p = bpf_dynptr_slice(&ptr, cut - 16, &buffer, sizeof(buffer));
  shrink_seen.inside_null = p == NULL;
  if (p)
    shrink_seen.inside = *p;
  buffer = 0x2222222222222222ULL;
  p = bpf_dynptr_slice(&ptr, cut - 4, &buffer, sizeof(buffer));
  shrink_seen.across_null = p == NULL;
  shrink_seen.across_buffer = buffer;
  p = bpf_dynptr_slice(&ptr, cut + 8, &buffer, sizeof(buffer));
  shrink_seen.past_null = p == NULL;
  p = bpf_dynptr_slice(&ptr, cut - 4, NULL, sizeof(buffer));
  shrink_seen.unbuffered_null = p == NULL;
  shrink_seen.read_inside = bpf_dynptr_read(&shrink_seen.read_bytes, 8, &ptr, cut - 8, 0);
  shrink_seen.read_across = bpf_dynptr_read(&shrink_seen.read_bytes, 8, &ptr, cut - 4, 0);
  shrink_seen.write_across = bpf_dynptr_write(&ptr, cut - 4, &buffer, sizeof(buffer), 0);
  shrink_seen.write_inside = bpf_dynptr_write(&ptr, cut - 8, &buffer, sizeof(buffer), 0);
  return 0;
}

char _license[] SEC("license") = "GPL";
