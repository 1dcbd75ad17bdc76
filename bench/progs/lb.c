/* lb: a small layer-4 load balancer in direct-server-return style: parse Ethernet/IPv4/TCP-or-UDP, find the
 * virtual service (a table in .rodata), look the connection up in an LRU hash (a new one gets a backend by
 * hash), count it per backend in an array, rewrite the MAC addresses and the DSCP (with the IPv4 checksum
 * updated incrementally) and send it back out (XDP_TX). The rewrite is idempotent, so repeated runs on one
 * packet take the same path. */
#include "bench.h"

#define VIPS 2
#define BACKENDS 4

struct vip {
	__u32 addr; /* network order */
	__u16 port; /* network order */
	__u8 proto;
	__u8 backend_count;
	__u32 first_backend;
};

struct backend {
	__u8 mac[ETH_ALEN];
	__u8 dscp;
	__u8 pad;
};

struct conn_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct backend_stats {
	__u64 packets;
	__u64 bytes;
};

const volatile struct vip vips[VIPS] = {
	{ .addr = 0x0200000a, .port = 0x5000, .proto = IPPROTO_TCP, .backend_count = 3, .first_backend = 0 },
	{ .addr = 0x0300000a, .port = 0x3500, .proto = IPPROTO_UDP, .backend_count = 1, .first_backend = 3 },
};

const volatile struct backend backends[BACKENDS] = {
	{ .mac = { 0x02, 0, 0, 0, 0x10, 0x01 }, .dscp = 10 },
	{ .mac = { 0x02, 0, 0, 0, 0x10, 0x02 }, .dscp = 12 },
	{ .mac = { 0x02, 0, 0, 0, 0x10, 0x03 }, .dscp = 14 },
	{ .mac = { 0x02, 0, 0, 0, 0x10, 0x04 }, .dscp = 18 },
};

const volatile __u8 router_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xfe };

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512);
	__type(key, struct conn_key);
	__type(value, __u32);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BACKENDS);
	__type(key, __u32);
	__type(value, struct backend_stats);
} stats SEC(".maps");

/* The connection's 5-tuple from an Ethernet/IPv4 (no options)/TCP or UDP frame; -1 for anything else. */
static __noinline int parse_conn(void *data, void *data_end, struct conn_key *key)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *ports = data + sizeof(*eth) + sizeof(*ip);

	if ((void *)(ports + 1) > data_end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || (ip->frag_off & bpf_htons(0x3fff)))
		return -1;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
		return -1;
	key->saddr = ip->saddr;
	key->daddr = ip->daddr;
	key->sport = ports->source;
	key->dport = ports->dest;
	key->proto = ip->protocol;
	return 0;
}

static __noinline int find_vip(const struct conn_key *key)
{
	int i;

	NO_UNROLL
	for (i = 0; i < VIPS; i++) {
		if (vips[i].addr == key->daddr && vips[i].port == key->dport && vips[i].proto == key->proto)
			return i;
	}
	return -1;
}

static __noinline __u32 conn_hash(const struct conn_key *key)
{
	__u32 hash = key->saddr * 0x9e3779b1u;

	hash ^= key->daddr + 0x7f4a7c15u + (hash << 6) + (hash >> 2);
	hash ^= ((__u32)key->sport << 16 | key->dport) + 0x7f4a7c15u + (hash << 6) + (hash >> 2);
	return hash ^ key->proto;
}

/* The connection's backend: from the LRU table, else chosen by hash among the service's and remembered. */
static __noinline __u32 pick_backend(const struct conn_key *key, __u32 vip)
{
	__u32 *known = bpf_map_lookup_elem(&conns, key);
	__u32 chosen;

	if (known)
		return *known & (BACKENDS - 1);
	vip &= VIPS - 1;
	chosen = vips[vip].first_backend + conn_hash(key) % (vips[vip].backend_count | 1);
	chosen &= BACKENDS - 1;
	bpf_map_update_elem(&conns, key, &chosen, BPF_ANY);
	return chosen;
}

/* RFC 1624: the checksum after one 16-bit word of the header changed from `old` to `new`. */
static __noinline __u16 csum_replace2(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

SEC("xdp")
int bench_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct conn_key key = {};
	struct backend_stats *counters;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u16 old_word, new_word;
	__u32 index;
	int vip;

	if (parse_conn(data, data_end, &key) < 0)
		return XDP_PASS;
	vip = find_vip(&key);
	if (vip < 0)
		return XDP_PASS;
	index = pick_backend(&key, vip);
	counters = bpf_map_lookup_elem(&stats, &index);
	if (counters) {
		counters->packets += 1;
		counters->bytes += data_end - data;
	}
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	__builtin_memcpy(eth->h_source, (const void *)router_mac, ETH_ALEN);
	/* The mask again: the map key's stack slot went through the helper, so its bounds are not known here. */
	index &= BACKENDS - 1;
	__builtin_memcpy(eth->h_dest, (const void *)backends[index].mac, ETH_ALEN);
	old_word = *(__u16 *)ip;
	ip->tos = backends[index].dscp << 2 | (ip->tos & 3);
	new_word = *(__u16 *)ip;
	ip->check = csum_replace2(ip->check, old_word, new_word);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
