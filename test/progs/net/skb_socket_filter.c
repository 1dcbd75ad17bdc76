/* skb_socket_filter: a socket filter using the skb helpers socket filters may call: bpf_skb_load_bytes and
 * bpf_skb_load_bytes_relative from the MAC header test-run keeps in front of the data and from the network
 * header, bpf_get_socket_uid and bpf_get_socket_cookie of the socket test-run makes. It keeps the bytes it
 * read in `results` and accepts as many bytes as the IPv4 total length says (0 for anything else).
 * tc_skb_socket reads that socket through skb->sk (family, addresses, state) and bpf_sk_fullsock, and asks
 * bpf_tcp_sock and bpf_get_listener_sock about it. */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

SEC("socket")
int sock_skb_helpers(struct __sk_buff *skb)
{
	__u8 mac[14];
	struct iphdr ip;

	record(0, bpf_skb_load_bytes_relative(skb, 0, mac, sizeof(mac), BPF_HDR_START_MAC));
	record(1, *(__u64 *)mac);
	record(2, *(__u32 *)(mac + 8) | ((__u64)mac[12] << 32) | ((__u64)mac[13] << 40));
	record(3, bpf_skb_load_bytes_relative(skb, 0, &ip, sizeof(ip), BPF_HDR_START_NET));
	record(4, bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)));
	record(5, bpf_skb_load_bytes_relative(skb, skb->len, mac, 1, BPF_HDR_START_NET));
	record(6, bpf_skb_load_bytes_relative(skb, skb->len + 13, mac, 1, BPF_HDR_START_MAC));
	record(7, bpf_skb_load_bytes_relative(skb, skb->len + 14, mac, 1, BPF_HDR_START_MAC));
	record(8, bpf_get_socket_uid(skb));
	__u64 cookie = bpf_get_socket_cookie(skb);
	record(9, cookie != 0 && cookie == bpf_get_socket_cookie(skb));
	record(10, skb->len);
	if (skb->protocol != bpf_htons(ETH_P_IP) || ip.version != 4)
		return 0;
	return bpf_ntohs(ip.tot_len);
}

SEC("tc")
int tc_skb_socket(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk) {
		record(16, 0xdead);
		return TC_ACT_OK;
	}
	record(16, sk->family);
	record(17, sk->src_ip4);
	record(18, sk->dst_ip4);
	record(19, sk->src_ip6[0] ^ sk->src_ip6[3]);
	record(20, sk->dst_ip6[0] ^ sk->dst_ip6[3]);
	record(21, sk->state);
	record(22, sk->src_port | ((__u64)sk->dst_port << 32));
	record(23, (__u32)sk->rx_queue_mapping | ((__u64)sk->bound_dev_if << 32));
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	if (!full)
		return TC_ACT_SHOT;
	record(24, full->type | ((__u64)full->protocol << 32));
	record(25, full->mark | full->priority);
	record(26, bpf_tcp_sock(full) != 0);
	record(27, bpf_get_listener_sock(full) != 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
