/* Draining a user ring buffer from XDP: a first drain stops after two records (the callback returns 1), a second
 * takes the rest, a third finds nothing, a fourth has a flag the kernel does not know; each result, and what the
 * callbacks saw, goes to an array. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} commands SEC(".maps");

/* [0..3]: each drain's result; [4]: callbacks run; [5]: callbacks of the first drain. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __s64);
} drain_results SEC(".maps");

/* The callbacks count in the array (a value the verifier cannot know, so its walk of the callback converges). */
static long count_record(struct bpf_dynptr *record, void *ctx) {
  __u64 *stop_after = ctx;
  __u32 slot = 4;
  __s64 *calls = bpf_map_lookup_elem(&drain_results, &slot);
  if (!calls) return 1;
  *calls += 1;
  slot = 5;
  __s64 *first = bpf_map_lookup_elem(&drain_results, &slot);
  if (!first) return 1;
  if (!*stop_after) return 0;
  *first += 1;
  return *first >= *stop_after;
}

static __always_inline void record(__u32 slot, __s64 value) {
  __s64 *entry = bpf_map_lookup_elem(&drain_results, &slot);
  if (entry) *entry = value;
}

SEC("xdp")
int xdp_drain(struct xdp_md *ctx) {
  __u64 stop_after = 2;
  record(0, bpf_user_ringbuf_drain(&commands, count_record, &stop_after, 0));
  stop_after = 0;
  record(1, bpf_user_ringbuf_drain(&commands, count_record, &stop_after, BPF_RB_NO_WAKEUP));
  record(2, bpf_user_ringbuf_drain(&commands, count_record, &stop_after, BPF_RB_FORCE_WAKEUP));
  record(3, bpf_user_ringbuf_drain(&commands, count_record, &stop_after, 4));
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
