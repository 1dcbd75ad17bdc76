/* parse.c: the packet parser library. Global functions take a cursor on the caller's stack; parse_packet
 * calls into stats.c (note_proto), so a program in xdp_main.c or tc_main.c crosses objects twice. */
#include "link.h"

/* Defined in xdp_main.c (.rodata): packets shorter than this are not parsed. */
extern const volatile __u32 min_packet_len;

/* .data and .bss of the library. */
__u32 parse_version = 3;
__u64 parse_errors;
static __u64 ipv4_seen;

static __noinline __u32 cursor_u8(struct pkt_cursor *cur, __u64 at)
{
	if (at >= CURSOR_BYTES || at >= cur->len)
		return 0;
	return cur->buf[at];
}

static __noinline __u32 cursor_be16(struct pkt_cursor *cur, __u64 at)
{
	return (cursor_u8(cur, at) << 8) | cursor_u8(cur, at + 1);
}

__noinline int parse_eth(struct pkt_cursor *cur)
{
	if (!cur || cur->len < ETH_HLEN)
		return -1;
	cur->off = ETH_HLEN;
	return cursor_be16(cur, 12);
}

__noinline int parse_ipv4(struct pkt_cursor *cur, struct flow_key *key)
{
	__u32 ihl, off;

	if (!cur || !key)
		return -1;
	off = cur->off;
	if (off > CURSOR_BYTES - 20 || (cursor_u8(cur, off) >> 4) != 4)
		return -1;
	ihl = (cursor_u8(cur, off) & 0xf) * 4;
	if (ihl < 20)
		return -1;
	key->proto = cursor_u8(cur, off + 9);
	key->saddr = (cursor_be16(cur, off + 12) << 16) | cursor_be16(cur, off + 14);
	key->daddr = (cursor_be16(cur, off + 16) << 16) | cursor_be16(cur, off + 18);
	cur->off = off + ihl;
	ipv4_seen++;
	return key->proto;
}

__noinline int parse_packet(struct pkt_cursor *cur, struct flow_key *key)
{
	int proto;

	if (!cur || !key)
		return -1;
	if (cur->len < min_packet_len) {
		parse_errors++;
		return -1;
	}
	if (parse_eth(cur) != ETH_P_IP) {
		note_proto(0);
		return 0;
	}
	proto = parse_ipv4(cur, key);
	if (proto < 0) {
		parse_errors++;
		return -1;
	}
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		key->sport = cursor_be16(cur, cur->off);
		key->dport = cursor_be16(cur, cur->off + 2);
	}
	note_proto(proto);
	return proto;
}
