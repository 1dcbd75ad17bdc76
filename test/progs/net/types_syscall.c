/* A syscall program for test-run: a user context of its own shape, read and written back, and a map it
 * fills (what loaders written as BPF programs do). */
#include "../progs.h"

struct request {
  __u32 op;
  __u32 key;
  __u64 value;
  __u64 result;
  __s32 status;
  __u32 calls;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} store SEC(".maps");

SEC("syscall")
int handle(struct request *req) {
  __u32 key = req->key;
  req->calls += 1;
  switch (req->op) {
  case 1: {
    __u64 value = req->value; /* helpers take no pointer into a syscall context */
    req->status = bpf_map_update_elem(&store, &key, &value, BPF_ANY);
    break;
  }
  case 2: {
    __u64 *found = bpf_map_lookup_elem(&store, &key);
    req->result = found ? *found : ~0ULL;
    req->status = found ? 0 : -2;
    break;
  }
  case 3:
    req->status = bpf_map_delete_elem(&store, &key);
    break;
  default:
    req->status = -22;
  }
  return req->op * 100 + (req->status < 0);
}

/* Touches nothing past the first 4 bytes: a context of 4 bytes (or none, when it reads nothing) is enough. */
SEC("syscall")
int first_word(__u32 *word) {
  __u32 value = *word;
  *word = value * 2 + 1;
  return value;
}

char LICENSE[] SEC("license") = "GPL";
