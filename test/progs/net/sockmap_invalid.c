/* sockmap/sockhash misuse the verifier must refuse as Linux 6.18 does, one program each (autoload off, loaded
 * one by one by the tests): updates from a program type that may hold a locked socket, a value that is not a
 * socket, a socket never released or used after release, a value argument no socket map takes; and the one
 * thing sock_ops may do with bpf_map_* (delete; it stores through bpf_sock_map_update). */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} by_port SEC(".maps");

/* cgroup_skb programs may look sockets up, not store or delete them. */
SEC("?cgroup_skb/ingress")
int cgroup_skb_update(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&sockets, &key);

	if (sk) {
		bpf_map_update_elem(&by_port, &key, sk, BPF_ANY);
		bpf_sk_release(sk);
	}
	return 1;
}

SEC("?cgroup_skb/ingress")
int cgroup_skb_delete(struct __sk_buff *skb)
{
	__u32 key = 0;

	bpf_map_delete_elem(&sockets, &key);
	return 1;
}

/* A socket map's value is a socket, not bytes on the stack. */
SEC("?tc")
int tc_update_bytes(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 value = 3;

	return bpf_map_update_elem(&sockets, &key, &value, BPF_ANY);
}

/* A looked-up socket is a reference the program must release. */
SEC("?tc")
int tc_leak(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&by_port, &key);

	return sk ? sk->protocol : 0;
}

/* And it is gone once released. */
SEC("?tc")
int tc_use_after_release(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&sockets, &key);

	if (!sk)
		return 0;
	bpf_sk_release(sk);
	return sk->protocol;
}

/* Released before checking it is not NULL. */
SEC("?tc")
int tc_release_maybe_null(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&sockets, &key);

	bpf_sk_release(sk);
	return 0;
}

/* Peek writes a value, which no socket map has. */
SEC("?tc")
int tc_peek(struct __sk_buff *skb)
{
	__u64 value;

	return bpf_map_peek_elem(&sockets, &value);
}

/* Push takes a value to store: a socket map's must be a socket, and push is not for socket maps anyway. */
SEC("?xdp")
int xdp_push(struct xdp_md *ctx)
{
	__u64 value = 0;

	return bpf_map_push_elem(&sockets, &value, 0);
}

SEC("?sockops")
int sockops_update(struct bpf_sock_ops *ops)
{
	__u32 key = 0;
	struct bpf_sock *sk = ops->sk;

	if (sk)
		bpf_map_update_elem(&sockets, &key, sk, BPF_ANY);
	return 1;
}

SEC("?sockops")
int sockops_delete(struct bpf_sock_ops *ops)
{
	__u32 key = 0;

	return bpf_map_delete_elem(&by_port, &key) == 0;
}

char LICENSE[] SEC("license") = "GPL";
