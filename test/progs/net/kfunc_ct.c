/* A conntrack-checking firewall (XDP and tc): packets of connections conntrack knows pass, others are counted
 * by the lookup's error and pass only when they open a connection (UDP, or TCP SYN); plus a program that
 * creates an entry from the packet, configures and inserts it, and looks it up again. */
#include "kfunc_ct.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, __u64);
} verdicts SEC(".maps");

/* What the last run saw: the lookup's error and the entry's fields. */
struct seen {
  int lookup_error;
  int insert_ok;
  unsigned int timeout;
  unsigned int mark;
  unsigned long status;
  int set_status;
  int change_status;
  int change_timeout;
  unsigned long status_after;
  unsigned int mark_after;
  int found_again;
  unsigned char dir;
};
struct seen seen;

static __always_inline void count(__u32 slot) {
  __u64 *n = bpf_map_lookup_elem(&verdicts, &slot);
  if (n) *n += 1;
}

static __always_inline int opens_connection(void *data, void *data_end, __u8 proto) {
  if (proto == IPPROTO_UDP) return 1;
  struct tcphdr *tcp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
  if ((void *)(tcp + 1) > data_end) return 0;
  return tcp->syn && !tcp->ack;
}

SEC("xdp")
int xdp_ct_firewall(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct bpf_sock_tuple tuple = {};
  __u8 proto = 0;
  if (!parse_tuple(data, data_end, &tuple, &proto)) return XDP_PASS;
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = proto};
  struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) {
    unsigned long status = ct->status;
    seen.mark = ct->mark;
    bpf_ct_release(ct);
    count(0);
    return status & IPS_CONFIRMED ? XDP_PASS : XDP_DROP;
  }
  seen.lookup_error = opts.error;
  count(opts.error == -2 ? 1 : 2);
  return opens_connection(data, data_end, proto) ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int tc_ct_firewall(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  struct bpf_sock_tuple tuple = {};
  __u8 proto = 0;
  if (!parse_tuple(data, data_end, &tuple, &proto)) return TC_ACT_OK;
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = proto};
  struct nf_conn *ct = bpf_skb_ct_lookup(skb, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) {
    unsigned long status = ct->status;
    bpf_ct_release(ct);
    count(3);
    return status & IPS_CONFIRMED ? TC_ACT_OK : TC_ACT_SHOT;
  }
  seen.lookup_error = opts.error;
  count(opts.error == -2 ? 4 : 5);
  return opens_connection(data, data_end, proto) ? TC_ACT_OK : TC_ACT_SHOT;
}

/* Lookup with options the kernel refuses: a bad size, a protocol it does not track, reserved bytes set. */
SEC("xdp")
int xdp_ct_bad_opts(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  int errors = 0;
  struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, 8);
  if (ct) bpf_ct_release(ct);
  errors = errors * 256 + (-opts.error & 0xff);
  opts.error = 0;
  opts.l4proto = 1;
  ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) bpf_ct_release(ct);
  errors = errors * 256 + (-opts.error & 0xff);
  opts.error = 0;
  opts.l4proto = IPPROTO_UDP;
  opts.reserved[1] = 1;
  ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) bpf_ct_release(ct);
  errors = errors * 256 + (-opts.error & 0xff);
  opts.error = 0;
  opts.reserved[1] = 0;
  opts.netns_id = -2;
  ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) bpf_ct_release(ct);
  errors = errors * 256 + (-opts.error & 0xff);
  seen.lookup_error = errors;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
