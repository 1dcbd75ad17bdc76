/* sockmap_sk_lookup: an sk_lookup program that steers a lookup to a socket kept in a sockhash keyed by the
 * local port (falling back to a sockmap slot), records what bpf_sk_assign answers (a listener, a UDP socket, an
 * established socket, the wrong protocol or family, bad flags) and replaces a selection with
 * BPF_SK_LOOKUP_F_REPLACE. Remote port 7 makes it drop after selecting (test-run then reports no socket). */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} by_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} fallback SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

SEC("sk_lookup")
int sk_lookup_sockmap(struct bpf_sk_lookup *ctx)
{
	__u32 port = ctx->local_port;
	__u32 zero = 0;
	struct bpf_sock *sk, *other;

	sk = bpf_map_lookup_elem(&by_port, &port);
	if (!sk) {
		record(0, port);
		return SK_PASS;
	}
	record(1, sk->family | ((__u64)sk->type << 16) | ((__u64)sk->protocol << 32));
	record(2, sk->src_port | ((__u64)sk->state << 32));
	record(3, (__u32)bpf_sk_assign(ctx, sk, 4));
	record(4, (__u32)bpf_sk_assign(ctx, sk, port == 8081 ? BPF_SK_LOOKUP_F_NO_REUSEPORT : 0));
	if (port == 8081) {
		other = bpf_map_lookup_elem(&fallback, &zero);
		if (other) {
			record(5, (__u32)bpf_sk_assign(ctx, other, 0));
			record(6, (__u32)bpf_sk_assign(ctx, other, BPF_SK_LOOKUP_F_REPLACE));
			bpf_sk_release(other);
		}
	}
	if (ctx->sk)
		record(7, ctx->sk->src_port | ((__u64)ctx->sk->protocol << 32));
	bpf_sk_release(sk);
	if (bpf_ntohs(ctx->remote_port) == 7)
		return SK_DROP;
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
