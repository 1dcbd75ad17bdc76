/* btf_values: maps and global variables whose BTF types cover what `bpftool map dump` formats: structs with
 * nested structs and anonymous unions, arrays (of structs, of chars: strings and not), enums (signed and
 * unsigned), bitfields, bool, signed and unsigned integers of every width, pointers, typedefs and
 * qualifiers, per-CPU values; the program updates them from the packet so runs change them. */
#include "progs.h"
#include <stdbool.h>

enum proto_kind { PROTO_OTHER = 0, PROTO_IPV4 = 4, PROTO_IPV6 = 6, PROTO_ARP = 0x806 };
enum verdict { VERDICT_DROP = -1, VERDICT_PASS = 1, VERDICT_BIG = 0x7fffffff };

typedef __u16 port_t;
typedef port_t port_pair_t[2];

struct flow_key {
	__u32 addr;
	port_pair_t ports;
	enum proto_kind proto;
};

struct addr_info {
	__u8 mac[6];
	__s16 vlan;
	char label[8];
};

struct flow_stats {
	__u64 packets;
	__s64 delta;
	__s32 min_len;
	__s8 tiny;
	__u8 small;
	unsigned char ttl_hist[4];
	enum verdict verdict;
	unsigned int flags : 3;
	unsigned int level : 5;
	int offset : 12;
	unsigned long long wide : 40;
	bool seen;
	union {
		__u32 word;
		__u8 bytes[4];
	};
	struct addr_info peers[2];
	const volatile port_t last_port;
	char note[6];
	void *cookie;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct counters {
	__u32 seen;
	__u16 by_proto[3];
	enum proto_kind last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct counters);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct counters);
} per_cpu_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, enum proto_kind);
	__type(value, __s64);
} per_cpu_bytes SEC(".maps");

/* Global data: one DATASEC per section. */
const volatile __u32 config_limit = 1500;
const volatile char config_name[12] = "edge-lb";
__s16 adjust = -3;
struct addr_info gateway = { .mac = { 2, 0, 0, 0, 0, 1 }, .vlan = 100, .label = "gw" };
__u64 packets_total;
enum verdict last_verdict;

static __noinline enum proto_kind classify(__u16 ethertype)
{
	if (ethertype == ETH_P_IP)
		return PROTO_IPV4;
	if (ethertype == ETH_P_IPV6)
		return PROTO_IPV6;
	if (ethertype == ETH_P_ARP)
		return PROTO_ARP;
	return PROTO_OTHER;
}

static __noinline void count(enum proto_kind proto, __u32 len)
{
	__u32 index = proto == PROTO_IPV4 ? 0 : proto == PROTO_IPV6 ? 1 : 2;
	struct counters *total = bpf_map_lookup_elem(&totals, &index);
	__s64 bytes = len, *per_cpu;

	if (total) {
		total->seen++;
		total->by_proto[index]++;
		total->last = proto;
	}
	per_cpu = bpf_map_lookup_elem(&per_cpu_bytes, &proto);
	if (per_cpu)
		*per_cpu += bytes;
	else
		bpf_map_update_elem(&per_cpu_bytes, &proto, &bytes, BPF_ANY);
}

SEC("xdp")
int xdp_btf_values(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct flow_key key = {};
	struct flow_stats *stats;
	__u32 len = data_end - data;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	key.proto = classify(bpf_ntohs(eth->h_proto));
	key.addr = eth->h_source[5];
	key.ports[0] = eth->h_dest[5];
	count(key.proto, len);
	packets_total++;
	stats = bpf_map_lookup_elem(&flows, &key);
	if (stats) {
		stats->packets++;
		stats->delta += len + adjust;
		stats->level = len & 31;
		last_verdict = len > config_limit ? VERDICT_DROP : VERDICT_PASS;
		return len > config_limit ? XDP_DROP : XDP_PASS;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
