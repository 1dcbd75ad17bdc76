/* Socket local storage from tc: the test-run skb's socket (skb->sk) is read, given a value with
 * bpf_sk_storage_get(..., BPF_SK_STORAGE_GET_F_CREATE), found again, deleted twice and created anew; every answer
 * goes to an array. */
#include "../progs.h"

struct flow_note {
  __u64 bytes;
  __u32 packets;
  __u32 family;
};

struct {
  __uint(type, BPF_MAP_TYPE_SK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct flow_note);
} notes SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __s64);
} sk_answers SEC(".maps");

static __always_inline void record(__u32 slot, __s64 value) {
  __s64 *entry = bpf_map_lookup_elem(&sk_answers, &slot);
  if (entry) *entry = value;
}

SEC("tc")
int tc_sk_storage(struct __sk_buff *skb) {
  struct bpf_sock *sk = skb->sk;
  if (!sk) {
    record(0, -1);
    return TC_ACT_OK;
  }
  record(0, sk->family);
  record(1, sk->state);
  record(2, sk->src_ip4);
  record(3, sk->dst_ip4);
  record(4, sk->src_ip6[0] ^ sk->dst_ip6[3]);
  record(5, sk->rx_queue_mapping);
  record(6, sk->src_port | ((__u64)sk->dst_port << 16) | ((__u64)sk->bound_dev_if << 32));
  struct flow_note initial = {.packets = 100, .family = sk->family};
  struct flow_note *note = bpf_sk_storage_get(&notes, sk, &initial, BPF_SK_STORAGE_GET_F_CREATE);
  if (!note) return TC_ACT_SHOT;
  note->bytes += skb->len;
  note->packets += 1;
  struct flow_note *again = bpf_sk_storage_get(&notes, sk, 0, 0);
  record(7, again ? (__s64)(again->bytes * 1000 + again->packets) : -1);
  record(8, bpf_sk_storage_get(&notes, sk, 0, 2) == 0);
  record(9, bpf_sk_storage_delete(&notes, sk));
  record(10, bpf_sk_storage_delete(&notes, sk));
  record(11, bpf_sk_storage_get(&notes, sk, 0, 0) == 0);
  note = bpf_sk_storage_get(&notes, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
  record(12, note ? (__s64)(note->bytes + note->packets) : -1);
  return sk->family == 10 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
