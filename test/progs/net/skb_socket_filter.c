/* skb_socket_filter: a socket filter using the skb helpers socket filters may call: bpf_skb_load_bytes and
 * bpf_skb_load_bytes_relative from the MAC header test-run keeps in front of the data and from the network
 * header, bpf_get_socket_uid and bpf_get_socket_cookie of the socket test-run makes. It keeps the bytes it
 * read in `results` and accepts as many bytes as the IPv4 total length says (0 for anything else). */
#include "../progs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 12);
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

char LICENSE[] SEC("license") = "GPL";
