/* Kernel types outside tsbpf's table, resolved against the kernel's BTF (libbpf: vmlinux; tsbpf: the BTF given as
 * kernelBtf): the packet's Ethernet and IPv4 headers read as `struct ethhdr` / `struct iphdr` through
 * bpf_rdonly_cast (IHL and version bitfields with their CO-RE shifts, the addresses inside an anonymous union);
 * struct sock members tsbpf does not list read through skb->sk; field offsets, sizes and signedness, type ids,
 * existence and sizes, enum values. */
#include "../progs.h"
#include <bpf/bpf_core_read.h>

struct ethhdr___k {
  unsigned char h_source[6];
  __be16 h_proto;
} __attribute__((preserve_access_index));

struct iphdr___k {
  __u8 ihl : 4, version : 4;
  __u8 ttl;
  __u8 protocol;
  __be32 saddr;
  __be32 daddr;
} __attribute__((preserve_access_index));

struct sock___k {
  int sk_err;
  int sk_err_soft;
  int sk_rcvbuf;
  __u32 sk_ack_backlog;
  __u8 sk_pacing_shift;
  int sk_no_such_member;
} __attribute__((preserve_access_index));

/* The kernel's sk_ack_backlog is a u32: libbpf narrows this 8-byte load to 4 bytes. */
struct sock___wide {
  __u64 sk_ack_backlog;
} __attribute__((preserve_access_index));

struct sk_buff___k {
  struct sock___k *sk;
} __attribute__((preserve_access_index));

struct not_in_any_kernel___k {
  int x;
} __attribute__((preserve_access_index));

enum bpf_map_type___k { BPF_MAP_TYPE_ARRAY___k = 99, BPF_MAP_TYPE_NOT_THERE___k = 98 };

/* bpf_core_field_signed is newer than Debian's libbpf headers. */
#define FIELD_SIGNED(type, field) __builtin_preserve_field_info(((type *)0)->field, BPF_FIELD_SIGNED)

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

struct kview {
  __u32 h_proto, version, ihl, ttl, protocol, saddr, daddr, sk_err, sk_ack_backlog, has_sk;
  __u32 rcvbuf_offset, rcvbuf_size, err_signed, ttl_signed, pacing_offset, iphdr_size, eth_id_nonzero;
  __u32 eth_id_low, has_unknown, array_value, has_not_there, has_array_value;
  __u32 no_such_member, unknown_id, not_there_value, wide_backlog;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct kview);
} kview SEC(".maps");

SEC("tc")
int tc_kbtf_core(struct __sk_buff *ctx) {
  __u32 zero = 0;
  struct kview *v = bpf_map_lookup_elem(&kview, &zero);
  if (!v) return TC_ACT_SHOT;
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  if (data + 14 + 20 > data_end) return TC_ACT_SHOT;

  struct ethhdr___k *eth = bpf_rdonly_cast(data, bpf_core_type_id_kernel(struct ethhdr___k));
  v->h_proto = eth->h_proto;
  struct iphdr___k *ip = bpf_rdonly_cast(data + 14, bpf_core_type_id_kernel(struct iphdr___k));
  v->version = BPF_CORE_READ_BITFIELD(ip, version);
  v->ihl = BPF_CORE_READ_BITFIELD(ip, ihl);
  v->ttl = ip->ttl;
  v->protocol = ip->protocol;
  v->saddr = ip->saddr;
  v->daddr = ip->daddr;

  struct sk_buff___k *skb = bpf_cast_to_kern_ctx(ctx);
  struct sock___k *sk = skb->sk;
  if (sk) {
    v->has_sk = 1;
    v->sk_err = sk->sk_err;
    v->sk_ack_backlog = sk->sk_ack_backlog;
    /* No kernel has it: the load is poisoned, and dead code. */
    if (bpf_core_field_exists(sk->sk_no_such_member)) v->no_such_member = sk->sk_no_such_member;
    else v->no_such_member = 0x5eed;
    v->wide_backlog = ((struct sock___wide *)sk)->sk_ack_backlog;
  }

  v->rcvbuf_offset = bpf_core_field_offset(struct sock___k, sk_rcvbuf);
  v->rcvbuf_size = bpf_core_field_size(struct sock___k, sk_rcvbuf);
  v->err_signed = FIELD_SIGNED(struct sock___k, sk_err);
  v->ttl_signed = FIELD_SIGNED(struct iphdr___k, ttl);
  v->pacing_offset = bpf_core_field_offset(struct sock___k, sk_pacing_shift);
  v->iphdr_size = bpf_core_type_size(struct iphdr___k);
  __u32 eth_id = bpf_core_type_id_kernel(struct ethhdr___k);
  v->eth_id_nonzero = eth_id != 0;
  v->eth_id_low = eth_id & 0xff;
  v->has_unknown = bpf_core_type_exists(struct not_in_any_kernel___k);
  v->array_value = bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_ARRAY___k);
  v->has_not_there = bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_NOT_THERE___k);
  v->has_array_value = bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_ARRAY___k);
  v->unknown_id = bpf_core_type_id_kernel(struct not_in_any_kernel___k);
  /* The kernel lacks the value: its relocation is poisoned, in dead code. */
  if (bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_NOT_THERE___k))
    v->not_there_value = bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_NOT_THERE___k);
  else
    v->not_there_value = 0x7777;
  return TC_ACT_OK;
}

/* A cast to a type that is not a struct: the kernel refuses it, with the kernel's BTF tsbpf does too. */
SEC("?tc")
int tc_kbtf_cast_enum(struct __sk_buff *ctx) {
  void *p = bpf_rdonly_cast(ctx, bpf_core_type_id_kernel(enum bpf_map_type___k));
  return p != 0;
}

/* A member no kernel has, read where it is reachable: the poisoned load is refused. */
SEC("?tc")
int tc_kbtf_missing_member(struct __sk_buff *ctx) {
  struct sk_buff___k *skb = bpf_cast_to_kern_ctx(ctx);
  struct sock___k *sk = skb->sk;
  return sk ? sk->sk_no_such_member : 0;
}

char LICENSE[] SEC("license") = "GPL";
