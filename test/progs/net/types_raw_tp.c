/* raw_tracepoint programs for test-run: arguments from ctx_in, the CPU a run is pinned to, a per-CPU counter. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} by_cpu SEC(".maps");

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx) {
  __u64 id = ctx->args[1];
  __u32 cpu = bpf_get_smp_processor_id();
  __u32 slot = cpu & 7;
  __u64 *count = bpf_map_lookup_elem(&by_cpu, &slot);
  if (count)
    *count += id;
  return (__u32)(id & 0xff) | (cpu << 8);
}

/* Reads args[0..3]: needs a ctx of at least 32 bytes. */
SEC("raw_tp/sched_switch")
int on_switch(struct bpf_raw_tracepoint_args *ctx) {
  /* a context pointer cannot be offset by a variable: one load per argument */
  __u64 sum = ctx->args[0];
  sum = sum * 31 + ctx->args[1];
  sum = sum * 31 + ctx->args[2];
  sum = sum * 31 + ctx->args[3];
  return (__u32)(sum ^ (sum >> 32));
}

char LICENSE[] SEC("license") = "GPL";
