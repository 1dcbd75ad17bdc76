/* Misuse of kernel-struct pointers the verifier refuses: stores through them, reads past a struct or a member, a
 * pointer member read narrow, an RCU pointer used without its NULL check, a map pointer written, the cast of
 * something that is not the context. Each is loaded on its own (`?` sections). */
#include "../progs.h"
#include "kstruct_offsets.h"

#define KWRITE(type, base, off) (*(type volatile *)((char *)(base) + (off)))

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} values SEC(".maps");

SEC("?tc")
int tc_kctx_store(struct __sk_buff *skb) {
  void *k = bpf_cast_to_kern_ctx(skb);
  KWRITE(__u32, k, SKB_MARK) = 1;
  return TC_ACT_OK;
}

SEC("?tc")
int tc_kctx_beyond_struct(struct __sk_buff *skb) {
  void *k = bpf_cast_to_kern_ctx(skb);
  return KREAD(__u32, k, SKB_SIZE);
}

SEC("?tc")
int tc_kctx_beyond_member(struct __sk_buff *skb) {
  void *k = bpf_cast_to_kern_ctx(skb);
  void *dev = KREAD(void *, k, SKB_DEV);
  return KREAD(__u64, dev, NETDEV_IFINDEX) != 0;
}

SEC("?tc")
int tc_kctx_sk_unchecked(struct __sk_buff *skb) {
  void *k = bpf_cast_to_kern_ctx(skb);
  void *sk = KREAD(void *, k, SKB_SK);
  return KREAD(__u32, sk, 16);
}

SEC("?xdp")
int xdp_kctx_narrow_ptr(struct xdp_md *ctx) {
  void *k = bpf_cast_to_kern_ctx(ctx);
  return KREAD(__u32, k, XDP_RXQ) != 0;
}

SEC("?tc")
int tc_kctx_packet_write(struct __sk_buff *skb) {
  void *k = bpf_cast_to_kern_ctx(skb);
  unsigned char *data = KREAD(unsigned char *, k, SKB_DATA);
  KWRITE(__u8, data, 0) = 0;
  return TC_ACT_OK;
}

SEC("?tc")
int tc_map_pointer_write(struct __sk_buff *skb) {
  KWRITE(__u32, &values, MAP_MAX_ENTRIES) = skb->len;
  return TC_ACT_OK;
}

SEC("?tc")
int tc_cast_not_ctx(struct __sk_buff *skb) {
  __u32 zero = 0;
  __u64 *value = bpf_map_lookup_elem(&values, &zero);
  if (!value) return TC_ACT_OK;
  void *k = bpf_cast_to_kern_ctx(value);
  return KREAD(__u32, k, SKB_LEN);
}

SEC("?tc")
int tc_rdonly_store(struct __sk_buff *skb) {
  void *k = bpf_rdonly_cast(skb, BTF_ID_SK_BUFF);
  KWRITE(__u32, k, SKB_MARK) = 1;
  return TC_ACT_OK;
}

SEC("?tc")
int tc_rdonly_variable_id(struct __sk_buff *skb) {
  void *k = bpf_rdonly_cast(skb, skb->len);
  return k != 0;
}

char LICENSE[] SEC("license") = "GPL";
