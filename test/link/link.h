/* Shared declarations of the split packet-parser corpus in test/link: one library of global functions,
 * one statistics object owning the maps, and an xdp and a tc object using both. */
#ifndef TSBPF_LINK_H
#define TSBPF_LINK_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define CURSOR_BYTES 64

/* A copy of the packet's first bytes on the caller's stack, parsed by global functions in parse.c. */
struct pkt_cursor {
	__u8 buf[CURSOR_BYTES];
	__u32 off;
	__u32 len;
};

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 proto;
};

struct flow_counters {
	__u64 packets;
	__u64 bytes;
};

/* Named map types so that a definition and its extern declaration share one C type in a unity build. */
struct flow_stats_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, struct flow_counters);
	__uint(max_entries, 64);
};

struct proto_counts_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 256);
};

/* parse.c */
int parse_packet(struct pkt_cursor *cur, struct flow_key *key);
int parse_eth(struct pkt_cursor *cur);
int parse_ipv4(struct pkt_cursor *cur, struct flow_key *key);
/* stats.c */
int note_proto(__u32 proto);
int record_flow(struct flow_key *key, __u32 len);

#endif
