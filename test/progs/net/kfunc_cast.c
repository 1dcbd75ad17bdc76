/* bpf_cast_to_kern_ctx and bpf_rdonly_cast: the kernel's sk_buff read through a cast context (its len at the
 * reference kernel's offset). The kernel and tsbpf accept both (kfunc-cast-kernel.test.ts). */
#include "../progs.h"

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

/* struct sk_buff's len in the reference kernel's vmlinux BTF. */
#define SKB_LEN_OFFSET 112

SEC("?tc")
int tc_cast_to_kern_ctx(struct __sk_buff *skb) {
  void *kskb = bpf_cast_to_kern_ctx(skb);
  return *(__u32 *)((char *)kskb + SKB_LEN_OFFSET) == skb->len ? TC_ACT_OK : TC_ACT_SHOT;
}

SEC("?tc")
int tc_rdonly_cast(struct __sk_buff *skb) {
  /* btf_id 0 is void: the kernel gives read-only memory of unknown size, unreadable past offset 0. */
  void *p = bpf_rdonly_cast(skb, 0);
  return p != 0 ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
