/* cgroup_skb programs (ingress and egress) for test-run: context reads and writes, the socket fields the
 * test-run skb carries, direct packet reads and bpf_skb_load_bytes, a per-direction byte counter. */
#include "../progs.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} cg_stats SEC(".maps");

static __always_inline void add(__u32 slot, __u64 amount) {
  __u64 *value = bpf_map_lookup_elem(&cg_stats, &slot);
  if (value)
    __sync_fetch_and_add(value, amount);
}

/* The first byte of the network header read directly (when data_end allows) and through the helper. */
static __always_inline __u32 first_byte(struct __sk_buff *skb, __u32 *direct) {
  void *data = (void *)(long)skb->data;
  void *data_end = (void *)(long)skb->data_end;
  __u8 byte = 0;
  *direct = 0;
  if (data + 1 <= data_end) {
    *direct = 1;
    byte = *(__u8 *)data;
  }
  __u8 loaded = 0;
  if (bpf_skb_load_bytes(skb, 0, &loaded, 1) < 0)
    return 0x100 | byte;
  return ((__u32)loaded << 8) | byte;
}

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb) {
  __u32 direct;
  __u32 bytes = first_byte(skb, &direct);
  add(0, skb->len);
  add(1, direct);
  add(2, skb->family);
  add(3, skb->remote_ip4 ^ skb->local_ip4);
  add(4, skb->protocol | ((__u64)skb->pkt_type << 16) | ((__u64)skb->ifindex << 24));
  skb->mark = skb->mark + bytes;
  skb->cb[1] = skb->len;
  skb->priority = skb->cb[0] + 1;
  /* let IPv4 through, drop everything else */
  return (bytes & 0xf0) == 0x40;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb) {
  __u32 direct;
  __u32 bytes = first_byte(skb, &direct);
  add(5, skb->len);
  add(6, skb->remote_port | ((__u64)skb->local_port << 32));
  add(7, skb->local_ip6[0] ^ skb->remote_ip6[3] ^ skb->ingress_ifindex ^ skb->hash);
  skb->cb[4] = bytes;
  skb->mark = skb->gso_segs + (__u32)skb->tstamp;
  /* bit 0 allows, bit 1 asks for congestion notification (egress only) */
  if (skb->len > 100)
    return 3;
  return (bytes & 0xf0) == 0x60 ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
