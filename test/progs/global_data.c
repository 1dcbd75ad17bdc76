/* global_data: global variables used inside callees: .data (initialised, writable), .rodata (const
 * tables indexed by packet bytes), .bss (zeroed counters, updated atomically), and custom .data.tuning /
 * .rodata.names sections, which libbpf turns into maps of their own; a global function reads .rodata. */
#include "progs.h"

/* .rodata: a const table read with a packet-dependent index, so the load stays in the program. */
const volatile __u8 dscp_to_class[64] = {
	[0] = 0, [8] = 1, [10] = 1, [16] = 2, [18] = 2, [24] = 3,
	[26] = 3, [32] = 4, [34] = 4, [40] = 5, [46] = 6, [48] = 7,
};
const __u32 crc_nibble_table[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

/* .data: initialised and writable. */
__u32 sample_every = 4;
__u64 last_seen_len = 0xffffffffffffffffULL;

/* .bss: zero-initialised counters. */
__u64 packets_seen;
__u64 class_counts[8];

/* Custom sections: libbpf makes one map per section. */
__u32 drop_threshold SEC(".data.tuning") = 1400;
__u32 ttl_floor SEC(".data.tuning") = 2;
const char class_names[8][8] SEC(".rodata.names") = {
	"be", "cs1", "af1", "af2", "af3", "af4", "ef", "cs6",
};

/* CRC-32 (reflected, nibble at a time) over one byte, from the .rodata table. */
static __noinline __u32 crc32_byte(__u32 crc, __u8 byte)
{
	crc ^= byte;
	crc = (crc >> 4) ^ crc_nibble_table[crc & 15];
	crc = (crc >> 4) ^ crc_nibble_table[crc & 15];
	return crc;
}

/* Traffic class from the IPv4 DSCP field; counts it in .bss. */
static __noinline __u32 classify_tos(__u8 tos)
{
	__u32 cls = dscp_to_class[tos >> 2] & 7;

	__sync_fetch_and_add(&class_counts[cls], 1);
	return cls;
}

/* Writes .data and reads .data.tuning. */
static __noinline int over_threshold(__u32 len)
{
	last_seen_len = len;
	return len > drop_threshold;
}

/* Global function reading a string table in .rodata.names: first character of the class name. */
__noinline int class_initial(__u32 cls)
{
	return class_names[cls & 7][0];
}

SEC("socket")
int sock_global_data(struct __sk_buff *skb)
{
	__u8 head[8] = {};
	__u8 tos = 0;
	__u32 crc = 0xffffffff, cls;

	__sync_fetch_and_add(&packets_seen, 1);
	if (bpf_skb_load_bytes(skb, 0, head, sizeof(head)) < 0)
		return 0;
	NO_UNROLL
	for (int i = 0; i < 8; i++)
		crc = crc32_byte(crc, head[i]);
	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, offsetof(struct iphdr, tos), &tos, 1);
	cls = classify_tos(tos);
	if (over_threshold(skb->len))
		return 0;
	if (packets_seen % sample_every == 0)
		crc ^= 0x5a5a;
	return ((~crc) & 0xffff) + (cls << 16) + class_initial(cls);
}

SEC("tc")
int tc_ttl_floor(struct __sk_buff *skb)
{
	__u8 ttl = 0xff;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, ttl), &ttl, 1);
	skb->mark = classify_tos(ttl);
	if (ttl < ttl_floor || over_threshold(skb->len))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
