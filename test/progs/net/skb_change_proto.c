/* skb_change_proto: a tc NAT46/NAT64 translator. bpf_skb_pull_data makes the headers direct-readable, then
 * IPv4 packets become IPv6 (addresses mapped into 64:ff9b::/96) and IPv6 packets to 64:ff9b::/96 become
 * IPv4 with bpf_skb_change_proto; the new header is written with bpf_skb_store_bytes and the L4 checksum
 * follows the pseudo-header change through bpf_csum_diff + bpf_l4_csum_replace. Every helper result and
 * the skb fields after it (len, protocol) go to the `results` array. */
#include "../progs.h"

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

/* Where the L4 checksum of `proto` sits, from the start of its header; 0 for none we rewrite. */
static __always_inline __u32 l4_check_offset(__u8 proto)
{
	if (proto == IPPROTO_TCP)
		return 16;
	if (proto == IPPROTO_UDP)
		return 6;
	return 0;
}

static __noinline int v4_to_v6(struct __sk_buff *skb)
{
	struct iphdr ip;
	struct ipv6hdr ip6 = {};

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0 || ip.ihl != 5)
		return -1;
	ip6.version = 6;
	ip6.priority = ip.tos >> 4;
	ip6.flow_lbl[0] = (ip.tos & 0xf) << 4;
	ip6.payload_len = bpf_htons(bpf_ntohs(ip.tot_len) - sizeof(ip));
	ip6.nexthdr = ip.protocol;
	ip6.hop_limit = ip.ttl;
	ip6.saddr.in6_u.u6_addr32[0] = bpf_htonl(0x0064ff9b);
	ip6.saddr.in6_u.u6_addr32[3] = ip.saddr;
	ip6.daddr.in6_u.u6_addr32[0] = bpf_htonl(0x0064ff9b);
	ip6.daddr.in6_u.u6_addr32[3] = ip.daddr;

	long ret = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0);
	record(1, ret);
	record(2, skb->len);
	record(3, skb->protocol);
	if (ret < 0)
		return -1;
	__be16 type = bpf_htons(ETH_P_IPV6);
	bpf_skb_store_bytes(skb, 12, &type, sizeof(type), 0);
	bpf_skb_store_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6), 0);
	__u32 check = l4_check_offset(ip.protocol);
	if (check) {
		__s64 diff = bpf_csum_diff(&ip.saddr, 8, (__be32 *)&ip6.saddr, 32, 0);
		record(4, bpf_l4_csum_replace(skb, ETH_HLEN + sizeof(ip6) + check, 0, diff, BPF_F_PSEUDO_HDR));
	}
	return 0;
}

static __noinline int v6_to_v4(struct __sk_buff *skb)
{
	struct ipv6hdr ip6;
	struct iphdr ip = {};

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)) < 0)
		return -1;
	if (ip6.daddr.in6_u.u6_addr32[0] != bpf_htonl(0x0064ff9b))
		return -1;
	ip.version = 4;
	ip.ihl = 5;
	ip.tos = (ip6.priority << 4) | (ip6.flow_lbl[0] >> 4);
	ip.tot_len = bpf_htons(bpf_ntohs(ip6.payload_len) + sizeof(ip));
	ip.ttl = ip6.hop_limit;
	ip.protocol = ip6.nexthdr;
	ip.saddr = ip6.saddr.in6_u.u6_addr32[3];
	ip.daddr = ip6.daddr.in6_u.u6_addr32[3];
	__u32 sum = bpf_csum_diff(0, 0, (__be32 *)&ip, sizeof(ip), 0);
	sum = (sum & 0xffff) + (sum >> 16);
	ip.check = ~((sum & 0xffff) + (sum >> 16));

	long ret = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0);
	record(5, ret);
	record(6, skb->len);
	record(7, skb->protocol);
	if (ret < 0)
		return -1;
	__be16 type = bpf_htons(ETH_P_IP);
	bpf_skb_store_bytes(skb, 12, &type, sizeof(type), 0);
	bpf_skb_store_bytes(skb, ETH_HLEN, &ip, sizeof(ip), 0);
	__u32 check = l4_check_offset(ip.protocol);
	if (check) {
		__s64 diff = bpf_csum_diff((__be32 *)&ip6.saddr, 32, &ip.saddr, 8, 0);
		record(8, bpf_l4_csum_replace(skb, ETH_HLEN + sizeof(ip) + check, 0, diff, BPF_F_PSEUDO_HDR));
	}
	return 0;
}

SEC("tc")
int tc_nat46(struct __sk_buff *skb)
{
	/* Refusals first: unknown flags, a protocol pair it cannot translate, a pull past the end. */
	record(9, bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 1));
	record(10, bpf_skb_change_proto(skb, bpf_htons(ETH_P_ARP), 0));
	record(11, bpf_skb_pull_data(skb, skb->len + 1));
	record(0, bpf_skb_pull_data(skb, 0));

	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return TC_ACT_SHOT;
	int done = -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		done = v4_to_v6(skb);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		done = v6_to_v4(skb);
	/* Packet pointers are stale after the change: read the new first header byte through fresh ones. */
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (data + ETH_HLEN + 1 <= data_end)
		record(12, *(__u8 *)(data + ETH_HLEN));
	record(13, skb->len);
	return done == 0 ? TC_ACT_OK : TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
