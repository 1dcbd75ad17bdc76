/* bpf_ct_set_nat_info on an allocated entry: the packet's IP TOS byte picks the NAT set-up (DNAT with a port,
 * SNAT without one, both, a no-op, a negative port, an address with bytes past the IPv4 word), then the entry is
 * inserted and looked up by its original tuple, by the reply a NAT'd peer sends and by the un-NAT'd reply.
 * What it sees goes to .bss. */
#include "kfunc_ct.h"

union nf_inet_addr {
  __u32 all[4];
  __be32 ip;
  __be32 ip6[4];
};

/* The kernel's prototype takes the enum (libbpf checks the kind); kfunc_ct.h's constants are the same values. */
enum nf_nat_manip_type { MANIP_SRC = NF_NAT_MANIP_SRC, MANIP_DST = NF_NAT_MANIP_DST };

extern int bpf_ct_set_nat_info(struct nf_conn___init *, union nf_inet_addr *, int, enum nf_nat_manip_type) __ksym;

struct seen {
  int nat_src;
  int nat_dst;
  unsigned int status;
  int inserted;
  unsigned int status_after;
  int found_original;
  unsigned char original_dir;
  int original_error;
  int found_nat_reply;
  unsigned char nat_reply_dir;
  int nat_reply_error;
  int found_plain_reply;
  unsigned char plain_reply_dir;
  int plain_reply_error;
};
struct seen seen;

static __always_inline int ct_find(struct xdp_md *ctx, __be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
                                   __u8 proto, unsigned char *dir, int *error) {
  struct bpf_sock_tuple t = {};
  t.ipv4.saddr = saddr;
  t.ipv4.daddr = daddr;
  t.ipv4.sport = sport;
  t.ipv4.dport = dport;
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = proto};
  struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &t, sizeof(t.ipv4), &opts, sizeof(opts));
  *error = opts.error;
  if (!ct) return 0;
  *dir = opts.dir;
  bpf_ct_release(ct);
  return 1;
}

SEC("xdp")
int xdp_ct_nat(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct bpf_sock_tuple tuple = {};
  __u8 proto = 0;
  if (!parse_tuple(data, data_end, &tuple, &proto)) return XDP_PASS;
  struct iphdr *ip = data + sizeof(struct ethhdr);
  __u8 mode = ip->tos;
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = proto};
  struct nf_conn___init *fresh = bpf_xdp_ct_alloc(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (!fresh) return XDP_ABORTED;

  union nf_inet_addr snat = {.ip = bpf_htonl(0x0a000001)}; /* 10.0.0.1 */
  union nf_inet_addr dnat = {.ip = bpf_htonl(0x0a000002)}; /* 10.0.0.2 */
  __be32 reply_saddr = tuple.ipv4.daddr, reply_daddr = tuple.ipv4.saddr;
  __be16 reply_sport = tuple.ipv4.dport, reply_dport = tuple.ipv4.sport;
  seen.nat_src = seen.nat_dst = 1000;
  switch (mode) {
  case 0: /* DNAT to 10.0.0.2:8080 */
    seen.nat_dst = bpf_ct_set_nat_info(fresh, &dnat, 8080, MANIP_DST);
    reply_saddr = dnat.ip;
    reply_sport = bpf_htons(8080);
    break;
  case 1: /* SNAT to 10.0.0.1, source port kept */
    seen.nat_src = bpf_ct_set_nat_info(fresh, &snat, 0, MANIP_SRC);
    reply_daddr = snat.ip;
    break;
  case 2: /* both, SNAT with a port */
    seen.nat_src = bpf_ct_set_nat_info(fresh, &snat, 5555, MANIP_SRC);
    seen.nat_dst = bpf_ct_set_nat_info(fresh, &dnat, -1, MANIP_DST);
    reply_saddr = dnat.ip;
    reply_daddr = snat.ip;
    reply_dport = bpf_htons(5555);
    break;
  case 3: /* DNAT to the address and port the packet already has: nothing changes */
    dnat.ip = tuple.ipv4.daddr;
    seen.nat_dst = bpf_ct_set_nat_info(fresh, &dnat, bpf_ntohs(tuple.ipv4.dport), MANIP_DST);
    break;
  case 4: /* SNAT to the packet's own source: nothing changes either */
    snat.ip = tuple.ipv4.saddr;
    seen.nat_src = bpf_ct_set_nat_info(fresh, &snat, 0, MANIP_SRC);
    break;
  case 5: /* DNAT to an address with bytes past the IPv4 word: only the first word counts */
    dnat.all[1] = 7;
    seen.nat_dst = bpf_ct_set_nat_info(fresh, &dnat, 0, MANIP_DST);
    reply_saddr = dnat.ip;
    break;
  default:
    break;
  }
  seen.status = fresh->ct.status;
  struct nf_conn *ct = bpf_ct_insert_entry(fresh);
  if (!ct) return XDP_DROP;
  seen.inserted = 1;
  seen.status_after = ct->status;
  bpf_ct_release(ct);

  seen.found_original = ct_find(ctx, tuple.ipv4.saddr, tuple.ipv4.daddr, tuple.ipv4.sport, tuple.ipv4.dport, proto,
                                &seen.original_dir, &seen.original_error);
  seen.found_nat_reply = ct_find(ctx, reply_saddr, reply_daddr, reply_sport, reply_dport, proto, &seen.nat_reply_dir,
                                 &seen.nat_reply_error);
  seen.found_plain_reply = ct_find(ctx, tuple.ipv4.daddr, tuple.ipv4.saddr, tuple.ipv4.dport, tuple.ipv4.sport, proto,
                                   &seen.plain_reply_dir, &seen.plain_reply_error);
  return XDP_TX;
}

/* Misuse the verifier refuses: NAT set-up on an entry already in the table. */
SEC("?xdp")
int ct_nat_on_inserted(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (!ct) return XDP_PASS;
  union nf_inet_addr addr = {};
  int err = bpf_ct_set_nat_info((struct nf_conn___init *)ct, &addr, 0, MANIP_DST);
  bpf_ct_release(ct);
  return err ? XDP_DROP : XDP_PASS;
}

/* Misuse the verifier refuses: no address. */
SEC("?xdp")
int ct_nat_null_addr(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn___init *fresh = bpf_xdp_ct_alloc(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (!fresh) return XDP_PASS;
  int err = bpf_ct_set_nat_info(fresh, (union nf_inet_addr *)0, 0, MANIP_DST);
  struct nf_conn *ct = bpf_ct_insert_entry(fresh);
  if (ct) bpf_ct_release(ct);
  return err ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
