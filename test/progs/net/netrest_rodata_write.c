/* Writes into .rodata, which libbpf creates read-only for programs (BPF_F_RDONLY_PROG) and freezes: a store, an
 * atomic add and a helper filling it are refused at load; reading it is fine. */
#include "../progs.h"

const volatile __u32 limits[4] = {1, 2, 3, 4};

SEC("?tc")
int rodata_read(struct __sk_buff *skb) {
  return limits[skb->len & 3];
}

SEC("?tc")
int rodata_store(struct __sk_buff *skb) {
  *(volatile __u32 *)&limits[1] = skb->len;
  return 0;
}

SEC("?tc")
int rodata_atomic(struct __sk_buff *skb) {
  __sync_fetch_and_add((__u32 *)&limits[2], 1);
  return 0;
}

SEC("?tc")
int rodata_helper_write(struct __sk_buff *skb) {
  return bpf_skb_load_bytes(skb, 0, (void *)limits, sizeof(limits));
}

char LICENSE[] SEC("license") = "GPL";
