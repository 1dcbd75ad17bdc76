/* Conntrack and metadata kfunc misuse the verifier must refuse as Linux 6.18 does, one program each (autoload
 * off, loaded one by one by the tests). */
#include "kfunc_ct.h"

extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;

#define LOOKUP(ctx, tuple, opts) bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts))

/* A looked-up entry never released. */
SEC("?xdp")
int ct_leak(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = LOOKUP(ctx, tuple, opts);
  return ct ? XDP_DROP : XDP_PASS;
}

/* Released before checking it is not NULL. */
SEC("?xdp")
int ct_release_maybe_null(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = LOOKUP(ctx, tuple, opts);
  bpf_ct_release(ct);
  return XDP_PASS;
}

/* An allocated entry must be inserted, not released. */
SEC("?xdp")
int ct_alloc_release(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn___init *ct = bpf_xdp_ct_alloc(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (!ct) return XDP_PASS;
  bpf_ct_release((struct nf_conn *)ct);
  return XDP_PASS;
}

/* Only mark is writable. */
SEC("?xdp")
int ct_write_status(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = LOOKUP(ctx, tuple, opts);
  if (!ct) return XDP_PASS;
  ct->status = 0;
  bpf_ct_release(ct);
  return XDP_PASS;
}

/* The entry read after its release. */
SEC("?xdp")
int ct_use_after_release(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = LOOKUP(ctx, tuple, opts);
  if (!ct) return XDP_PASS;
  bpf_ct_release(ct);
  return ct->mark;
}

/* Released twice. */
SEC("?xdp")
int ct_double_release(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = LOOKUP(ctx, tuple, opts);
  if (!ct) return XDP_PASS;
  bpf_ct_release(ct);
  bpf_ct_release(ct);
  return XDP_PASS;
}

/* A tuple size past the buffer on the stack. */
SEC("?xdp")
int ct_tuple_too_long(struct xdp_md *ctx) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, 64, &opts, sizeof(opts));
  if (ct) bpf_ct_release(ct);
  return XDP_PASS;
}

/* The conntrack kfuncs are registered for xdp and tc only. */
SEC("?socket")
int ct_in_socket_filter(struct __sk_buff *skb) {
  struct bpf_sock_tuple tuple = {};
  struct bpf_ct_opts opts = {.netns_id = -1, .l4proto = IPPROTO_TCP};
  struct nf_conn *ct = bpf_skb_ct_lookup(skb, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
  if (ct) bpf_ct_release(ct);
  return 0;
}

/* Any metadata kfunc call: test-run programs are never bound to a device, so the kernel refuses it at load. */
SEC("?xdp")
int meta_not_ctx(struct xdp_md *ctx) {
  __u64 fake[4] = {}, timestamp = 0;
  return bpf_xdp_metadata_rx_timestamp((const struct xdp_md *)fake, &timestamp) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
