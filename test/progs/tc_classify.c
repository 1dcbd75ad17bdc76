/* tc_classify: a tc classifier that parses with bpf_skb_load_bytes inside callees (IPv4 and IPv6, TCP and
 * UDP ports into a struct on the caller's stack), classifies with a switch on well-known ports, writes
 * skb->mark/priority/tc_classid, and rewrites the IPv4 TTL and DSCP with bpf_skb_store_bytes plus
 * bpf_l3_csum_replace in a callee. */
#include "progs.h"

struct l4_info {
	__u32 l4_offset;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 ttl;
	__u8 tos;
	__u8 is_ipv6;
};

/* Fills info for IPv4/IPv6; returns 0, or -1 when the packet has no L3 header we understand. */
static __noinline int load_l3(struct __sk_buff *skb, struct l4_info *info)
{
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
			return -1;
		info->proto = ip.protocol;
		info->ttl = ip.ttl;
		info->tos = ip.tos;
		info->l4_offset = ETH_HLEN + ip.ihl * 4;
		return 0;
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)) < 0)
			return -1;
		info->proto = ip6.nexthdr;
		info->ttl = ip6.hop_limit;
		info->is_ipv6 = 1;
		info->l4_offset = ETH_HLEN + sizeof(ip6);
		return 0;
	}
	return -1;
}

/* TCP and UDP both start with source and destination ports. */
static __noinline int load_ports(struct __sk_buff *skb, struct l4_info *info)
{
	__u16 ports[2];

	if (info->proto != IPPROTO_TCP && info->proto != IPPROTO_UDP)
		return -1;
	if (bpf_skb_load_bytes(skb, info->l4_offset & 0xff, ports, sizeof(ports)) < 0)
		return -1;
	info->sport = bpf_ntohs(ports[0]);
	info->dport = bpf_ntohs(ports[1]);
	return 0;
}

enum traffic_class {
	CLASS_BULK = 1,
	CLASS_WEB = 2,
	CLASS_INTERACTIVE = 3,
	CLASS_DNS = 4,
	CLASS_VOICE = 5,
};

static __noinline __u32 class_of_port(__u16 port)
{
	switch (port) {
	case 22:
	case 23:
		return CLASS_INTERACTIVE;
	case 53:
		return CLASS_DNS;
	case 80:
	case 443:
	case 8080:
		return CLASS_WEB;
	case 5060:
	case 5061:
		return CLASS_VOICE;
	default:
		return port < 1024 ? CLASS_WEB : CLASS_BULK;
	}
}

/* New TOS and TTL written into the packet; the header checksum is fixed up for the changed 16-bit word. */
static __noinline int rewrite_ttl_tos(struct __sk_buff *skb, struct l4_info *info, __u8 new_tos)
{
	__u16 old_word, new_word;
	__u8 new_ttl;

	if (info->is_ipv6 || info->ttl <= 1)
		return -1;
	new_ttl = info->ttl - 1;
	/* TTL and protocol share a 16-bit word of the header; so do version/IHL and TOS. */
	old_word = bpf_htons(((__u16)info->ttl << 8) | info->proto);
	new_word = bpf_htons(((__u16)new_ttl << 8) | info->proto);
	if (bpf_l3_csum_replace(skb, ETH_HLEN + offsetof(struct iphdr, check), old_word, new_word, 2) < 0)
		return -1;
	if (bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, ttl), &new_ttl, 1, 0) < 0)
		return -1;
	old_word = bpf_htons(info->tos);
	new_word = bpf_htons(new_tos);
	if (bpf_l3_csum_replace(skb, ETH_HLEN + offsetof(struct iphdr, check), old_word, new_word, 2) < 0)
		return -1;
	return bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, tos), &new_tos, 1, 0);
}

SEC("tc")
int tc_port_classifier(struct __sk_buff *skb)
{
	struct l4_info info = {};
	__u32 cls;

	if (load_l3(skb, &info) < 0)
		return TC_ACT_OK;
	if (load_ports(skb, &info) < 0) {
		skb->mark = 0xff00 | info.proto;
		return info.proto == IPPROTO_ICMP ? TC_ACT_OK : TC_ACT_UNSPEC;
	}
	cls = class_of_port(info.dport);
	if (cls == CLASS_BULK)
		cls = class_of_port(info.sport);
	skb->priority = cls;
	skb->tc_classid = 0x10000 | cls;
	skb->mark = ((__u32)info.sport << 16) | info.dport;
	if (cls == CLASS_VOICE && rewrite_ttl_tos(skb, &info, 46 << 2) < 0)
		return TC_ACT_SHOT;
	if (info.ttl <= 1)
		return TC_ACT_SHOT;
	/* Bulk and DNS go on to the next classifier in the chain. */
	return cls == CLASS_BULK || cls == CLASS_DNS ? TC_ACT_PIPE : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
