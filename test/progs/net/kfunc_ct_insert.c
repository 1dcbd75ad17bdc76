/* Creates a conntrack entry from the packet's tuple, configures it (timeout, status, mark), inserts it, then
 * finds it again from both directions and changes it: every conntrack kfunc on the path a NAT-less
 * connection tracker takes. What it sees goes to .bss. */
#include "kfunc_ct.h"

struct seen {
  int alloc_error;
  int set_status;
  unsigned int timeout;
  unsigned int status;
  int inserted;
  int found;
  int found_reply;
  unsigned char dir;
  unsigned char reply_dir;
  unsigned int found_status;
  unsigned int found_mark;
  int change_status;
  int change_status_busy;
  int change_timeout;
  unsigned int status_after;
  int lookup_error;
};
struct seen seen;

SEC("xdp")
int xdp_ct_insert(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
  struct bpf_sock_tuple tuple = {};
  __u8 proto = 0;
  if (!parse_tuple(data, data_end, &tuple, &proto)) return XDP_PASS;
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = proto};
  struct nf_conn___init *fresh = bpf_xdp_ct_alloc(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (!fresh) {
    seen.alloc_error = opts.error;
    return XDP_ABORTED;
  }
  bpf_ct_set_timeout(fresh, 1000);
  seen.set_status = bpf_ct_set_status(fresh, IPS_SEEN_REPLY);
  fresh->ct.mark = 42;
  seen.timeout = fresh->ct.timeout;
  seen.status = fresh->ct.status;
  struct nf_conn *ct = bpf_ct_insert_entry(fresh);
  if (!ct) return XDP_DROP;
  seen.inserted = 1;
  seen.change_status = bpf_ct_change_status(ct, IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED);
  seen.change_status_busy = bpf_ct_change_status(ct, IPS_CONFIRMED | IPS_SEEN_REPLY);
  seen.change_timeout = bpf_ct_change_timeout(ct, 2000);
  seen.status_after = ct->status;
  bpf_ct_release(ct);

  struct bpf_ct_opts again = {.netns_id = -1, .l4proto = proto};
  struct nf_conn *found = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &again, sizeof(again));
  if (found) {
    seen.found = 1;
    seen.dir = again.dir;
    seen.found_status = found->status;
    seen.found_mark = found->mark;
    bpf_ct_release(found);
  }
  struct bpf_sock_tuple reply = {};
  reply.ipv4.saddr = tuple.ipv4.daddr;
  reply.ipv4.daddr = tuple.ipv4.saddr;
  reply.ipv4.sport = tuple.ipv4.dport;
  reply.ipv4.dport = tuple.ipv4.sport;
  struct bpf_ct_opts back = {.netns_id = -1, .l4proto = proto};
  found = bpf_xdp_ct_lookup(ctx, &reply, sizeof(reply.ipv4), &back, sizeof(back));
  if (found) {
    seen.found_reply = 1;
    seen.reply_dir = back.dir;
    bpf_ct_release(found);
  }
  seen.lookup_error = back.error;
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
