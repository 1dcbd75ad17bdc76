/* Ringbuf dynptrs as a packet logger would use them: a record reserved as a dynptr, filled through a slice
 * and bpf_dynptr_write, read back, then submitted or discarded; reservations the helper refuses (too big for
 * the ring, past the dynptr size limit, unknown flags) leave a NULL dynptr that the release helpers accept. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 12);
  __type(key, __u32);
  __type(value, __u64);
} stats SEC(".maps");

static __always_inline void put(__u32 key, __u64 value) {
  __u64 *slot = bpf_map_lookup_elem(&stats, &key);
  if (slot) *slot = value;
}

static __always_inline int record(void *data, void *end) {
  struct bpf_dynptr rb, big;
  __u32 len = end - data;
  long err = bpf_ringbuf_reserve_dynptr(&events, 32, 0, &rb);
  put(0, err);
  if (err) {
    bpf_ringbuf_discard_dynptr(&rb, 0);
    return 1;
  }
  __u8 *rec = bpf_dynptr_data(&rb, 0, 16);
  if (rec && data + 16 <= end) __builtin_memcpy(rec, data, 16);
  put(1, bpf_dynptr_write(&rb, 16, &len, sizeof(len), 0));
  put(2, bpf_dynptr_write(&rb, 30, &len, sizeof(len), 0));
  __u64 first = 0;
  put(3, bpf_dynptr_read(&first, sizeof(first), &rb, 0, 0));
  put(4, first);
  put(5, bpf_dynptr_data(&rb, 24, 16) != 0);
  if (len & 1)
    bpf_ringbuf_submit_dynptr(&rb, 0);
  else
    bpf_ringbuf_discard_dynptr(&rb, 0);

  err = bpf_ringbuf_reserve_dynptr(&events, len * 40, 0, &big);
  put(6, err);
  put(7, bpf_dynptr_write(&big, 0, &len, sizeof(len), 0));
  bpf_ringbuf_submit_dynptr(&big, 0);
  err = bpf_ringbuf_reserve_dynptr(&events, 0x1000000 + len, 0, &big);
  put(8, err);
  bpf_ringbuf_discard_dynptr(&big, 0);
  err = bpf_ringbuf_reserve_dynptr(&events, 8, 1, &big);
  put(9, err);
  bpf_ringbuf_discard_dynptr(&big, BPF_RB_NO_WAKEUP);
  put(10, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
  put(11, bpf_ringbuf_query(&events, BPF_RB_PROD_POS));
  return len & 3;
}

SEC("xdp")
int xdp_ringbuf_dynptr(struct xdp_md *ctx) {
  return record((void *)(long)ctx->data, (void *)(long)ctx->data_end) ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_ringbuf_dynptr(struct __sk_buff *skb) {
  return record((void *)(long)skb->data, (void *)(long)skb->data_end);
}

char LICENSE[] SEC("license") = "GPL";
