/* bpf_user_ringbuf_drain callbacks: the sample is a read-only local dynptr (the kernel's CONST_PTR_TO_DYNPTR),
 * read through the dynptr helpers; misuse of it the verifier refuses (autoload off). */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} samples SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

static long read_sample(struct bpf_dynptr *sample, void *ctx) {
  __u64 value = 0;
  bpf_dynptr_read(&value, sizeof(value), sample, 0, 0);
  __u64 *head = bpf_dynptr_data(sample, 0, 8);
  if (head) value += *head;
  *(__u64 *)ctx += value;
  return 0;
}

SEC("?xdp")
int drain_reads_sample(struct xdp_md *ctx) {
  __u64 sum = 0;
  bpf_user_ringbuf_drain(&samples, read_sample, &sum, 0);
  return sum ? XDP_DROP : XDP_PASS;
}

static long load_sample(struct bpf_dynptr *sample, void *ctx) {
  return *(volatile __u64 *)sample & 1;
}

SEC("?xdp")
int drain_loads_from_sample(struct xdp_md *ctx) {
  bpf_user_ringbuf_drain(&samples, load_sample, 0, 0);
  return XDP_PASS;
}

static long submit_sample(struct bpf_dynptr *sample, void *ctx) {
  bpf_ringbuf_submit_dynptr(sample, 0);
  return 0;
}

SEC("?xdp")
int drain_submits_sample(struct xdp_md *ctx) {
  bpf_user_ringbuf_drain(&samples, submit_sample, 0, 0);
  return XDP_PASS;
}

static long reserve_into_sample(struct bpf_dynptr *sample, void *ctx) {
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, sample);
  bpf_ringbuf_discard_dynptr(sample, 0);
  return 0;
}

SEC("?xdp")
int drain_reserves_into_sample(struct xdp_md *ctx) {
  bpf_user_ringbuf_drain(&samples, reserve_into_sample, 0, 0);
  return XDP_PASS;
}

static long write_sample(struct bpf_dynptr *sample, void *ctx) {
  __u64 value = 1;
  return bpf_dynptr_write(sample, 0, &value, sizeof(value), 0) == 0;
}

SEC("?xdp")
int drain_writes_sample(struct xdp_md *ctx) {
  bpf_user_ringbuf_drain(&samples, write_sample, 0, 0);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
