/* An XDP layer-4 load balancer in the style of small DNAT balancers: a VIP table and a backend table that
 * user space fills before traffic arrives (here from a tsbpf fixture, or the oracle's --map-init). */
#include "../progs.h"

struct vip_key {
  __u32 addr; /* network order */
  __u16 port; /* network order */
  __u8 proto;
  __u8 pad;
};

enum vip_flags { VIP_F_NONE = 0, VIP_F_DROP = 1, VIP_F_KEEP_SOURCE_MAC = 2 };

struct vip_meta {
  enum vip_flags flags;
  __u32 first_backend;
  __u32 backend_count;
};

struct backend {
  __u32 addr; /* network order */
  __u8 mac[6];
  __u16 weight;
};

struct lb_stats {
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct vip_key);
  __type(value, struct vip_meta);
  __uint(max_entries, 64);
} vips SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, struct backend);
  __uint(max_entries, 256);
} backends SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __type(key, __u32);
  __type(value, struct lb_stats);
  __uint(max_entries, 256);
} backend_stats SEC(".maps");

/* Picks a backend for a flow: the same client address and port always land on the same backend. */
static __attribute__((noinline)) __u32 flow_hash(__u32 saddr, __u32 sport) {
  __u32 h = saddr * 2654435761u ^ sport;
  h ^= h >> 15;
  return h * 2246822519u;
}

/* The IPv4 header checksum over an option-less header (ten 16-bit words). */
static __attribute__((noinline)) __u16 ipv4_checksum(struct iphdr *ip) {
  __u16 *words = (__u16 *)ip;
  __u32 sum = 0;
  ip->check = 0;
  NO_UNROLL for (int i = 0; i < 10; i++) sum += words[i];
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (__u16)~sum;
}

SEC("xdp")
int xdp_lb(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5) return XDP_PASS;
  if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) return XDP_PASS;
  /* TCP and UDP both start with the source and destination ports */
  struct udphdr *l4 = (void *)(ip + 1);
  if ((void *)(l4 + 1) > data_end) return XDP_PASS;

  struct vip_key key = {.addr = ip->daddr, .port = l4->dest, .proto = ip->protocol};
  struct vip_meta *vip = bpf_map_lookup_elem(&vips, &key);
  if (!vip) return XDP_PASS;
  if (vip->flags & VIP_F_DROP || vip->backend_count == 0) return XDP_DROP;

  __u32 index = vip->first_backend + flow_hash(ip->saddr, l4->source) % vip->backend_count;
  struct backend *backend = bpf_map_lookup_elem(&backends, &index);
  if (!backend || backend->addr == 0) return XDP_DROP;

  ip->daddr = backend->addr;
  ip->check = ipv4_checksum(ip);
  if (!(vip->flags & VIP_F_KEEP_SOURCE_MAC)) __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, backend->mac, ETH_ALEN);

  struct lb_stats *stats = bpf_map_lookup_elem(&backend_stats, &index);
  if (stats) {
    stats->packets += 1;
    stats->bytes += data_end - data;
  }
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
