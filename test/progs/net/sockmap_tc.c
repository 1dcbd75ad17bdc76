/* sockmap_tc: a tc program that reads sockets out of a sockmap and a sockhash (the slot named by the packet's
 * first byte), records their struct bpf_sock fields and releases them; then stores the socket of slot 0 at slot
 * 6 with BPF_NOEXIST (twice: the second is EEXIST), replaces it with BPF_EXIST, deletes an empty slot (EINVAL)
 * and a sockhash key that is not there (ENOENT); stores listeners it looks up by tuple, one of which a
 * reuseport_sockarray holds (EBUSY), and test-run's own socket (skb->sk, which no socket map takes). Returns 1
 * when the slot held a socket. */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u32);
} named SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} reuse SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 17);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

/* The listener on 127.0.0.1:port stored at `slot` of the sockmap: the update's result, or 1 when none listens. */
static __always_inline __u64 store_listener(struct __sk_buff *skb, __u16 port, __u32 slot)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	long err;

	tuple.ipv4.saddr = bpf_htonl(0x7f000001);
	tuple.ipv4.daddr = bpf_htonl(0x7f000001);
	tuple.ipv4.sport = bpf_htons(40000);
	tuple.ipv4.dport = bpf_htons(port);
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return 1;
	err = bpf_map_update_elem(&sockets, &slot, sk, BPF_ANY);
	bpf_sk_release(sk);
	return (__u32)err;
}

static __always_inline void describe(__u32 base, struct bpf_sock *sk)
{
	record(base + 0, sk->family | ((__u64)sk->type << 16) | ((__u64)sk->protocol << 32));
	record(base + 1, sk->src_port | ((__u64)bpf_ntohs(sk->dst_port) << 32));
	record(base + 2, sk->state | ((__u64)sk->bound_dev_if << 32));
	record(base + 3, sk->src_ip4 | ((__u64)sk->dst_ip4 << 32));
}

SEC("tc")
int tc_sockmap(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u8 *first = data;
	__u32 slot, zero = 0, six = 6, seven = 7;
	__u64 name;
	struct bpf_sock *sk;
	int found = 0;

	if ((void *)(first + 1) > data_end)
		return 0;
	slot = *first;
	sk = bpf_map_lookup_elem(&sockets, &slot);
	if (sk) {
		found = 1;
		describe(0, sk);
		bpf_sk_release(sk);
	}
	name = slot;
	sk = bpf_map_lookup_elem(&named, &name);
	if (sk) {
		describe(4, sk);
		bpf_sk_release(sk);
	}
	sk = bpf_map_lookup_elem(&sockets, &zero);
	if (sk) {
		record(8, (__u32)bpf_map_update_elem(&sockets, &six, sk, BPF_NOEXIST));
		record(9, (__u32)bpf_map_update_elem(&sockets, &six, sk, BPF_NOEXIST));
		record(10, (__u32)bpf_map_update_elem(&sockets, &six, sk, BPF_EXIST));
		record(11, (__u32)bpf_map_update_elem(&sockets, &six, sk, 4));
		bpf_sk_release(sk);
	}
	record(12, (__u32)bpf_map_delete_elem(&sockets, &seven));
	name = 99;
	record(13, (__u32)bpf_map_delete_elem(&named, &name));
	record(14, store_listener(skb, 8082, 5));
	record(15, store_listener(skb, 8081, 2));
	if (skb->sk) {
		sk = bpf_sk_fullsock(skb->sk);
		if (sk)
			record(16, (__u32)bpf_map_update_elem(&sockets, &seven, sk, BPF_ANY));
	}
	return found;
}

char LICENSE[] SEC("license") = "GPL";
