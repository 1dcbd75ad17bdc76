/* sk_storage on the namespace's sockets: a tc program looks the packet's IPv4 TCP destination up
 * (bpf_sk_lookup_tcp), reads the socket's value (which user space may have stored by the socket's fd), counts the
 * packet in it, creates one or deletes it when the packet's first payload byte asks ('c', 'd'), and records what
 * it saw. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_SK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, __u64);
} per_socket SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __s64);
} seen SEC(".maps");

static __always_inline void record(__u32 slot, __s64 value) {
  __s64 *entry = bpf_map_lookup_elem(&seen, &slot);
  if (entry) *entry = value;
}

SEC("tc")
int tc_skstorage_sockets(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  struct iphdr *ip = (void *)(eth + 1);
  struct tcphdr *th = (void *)(ip + 1);
  __u8 *payload = (void *)(th + 1);
  struct bpf_sock_tuple tuple = {};
  struct bpf_sock *sk;
  __u64 *value;

  if ((void *)(payload + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
      ip->protocol != IPPROTO_TCP)
    return TC_ACT_OK;
  tuple.ipv4.saddr = ip->saddr;
  tuple.ipv4.daddr = ip->daddr;
  tuple.ipv4.sport = th->source;
  tuple.ipv4.dport = th->dest;
  sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
  if (!sk) {
    record(0, -1);
    return TC_ACT_OK;
  }
  record(0, sk->src_port);
  value = bpf_sk_storage_get(&per_socket, sk, 0, 0);
  if (*payload == 'd') {
    record(1, bpf_sk_storage_delete(&per_socket, sk));
  } else if (value) {
    record(1, *value);
    *value += 1;
  } else if (*payload == 'c') {
    value = bpf_sk_storage_get(&per_socket, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
    if (value) *value = 1000 + sk->src_port;
    record(1, value ? -2 : -3);
  } else {
    record(1, -4);
  }
  bpf_sk_release(sk);
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
