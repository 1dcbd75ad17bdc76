/* skb_state_helpers: a tc program calling the skb helpers that change or report skb state rather than bytes:
 * bpf_skb_change_type, bpf_csum_level, bpf_csum_update, the hash helpers, route realm, cgroup classid and id,
 * socket cookie, tunnel key and options (absent in test-run until set), bpf_check_mtu, bpf_fib_lookup and the
 * socket lookups. Each result, and the skb field it should change, goes to the `results` array; values the
 * kernel randomises (hash, cookie, cgroup id) are recorded as facts about them, not as values. */
#include "../progs.h"

#define SLOTS 80
#define PACKET_OTHERHOST 3
#define AF_INET 2
#define AF_INET6 10

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void record(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

static __noinline void type_and_checksum(struct __sk_buff *skb)
{
	record(0, skb->pkt_type);
	record(1, bpf_skb_change_type(skb, PACKET_OTHERHOST));
	record(2, skb->pkt_type);
	record(3, bpf_skb_change_type(skb, 4));
	record(4, bpf_skb_change_type(skb, skb->len & 3));
	record(5, skb->pkt_type);

	record(6, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(7, bpf_csum_level(skb, BPF_CSUM_LEVEL_INC));
	record(8, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	record(9, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(10, bpf_csum_level(skb, BPF_CSUM_LEVEL_DEC));
	record(11, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(12, bpf_csum_level(skb, BPF_CSUM_LEVEL_RESET));
	record(13, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(14, bpf_csum_level(skb, 9));
	record(15, bpf_csum_update(skb, 0x1234));
}

static __noinline void hashes(struct __sk_buff *skb)
{
	record(16, skb->hash);
	__u32 first = bpf_get_hash_recalc(skb);
	record(17, first != 0);
	record(18, first == skb->hash);
	record(19, first == bpf_get_hash_recalc(skb));
	record(20, bpf_set_hash(skb, 0xabcd0000 | skb->len));
	record(21, skb->hash);
	record(22, bpf_get_hash_recalc(skb));
	bpf_set_hash_invalid(skb);
	record(24, skb->hash);
	__u32 again = bpf_get_hash_recalc(skb);
	record(25, again == first);
	__u8 byte = 0;
	bpf_skb_load_bytes(skb, 0, &byte, 1);
	bpf_skb_store_bytes(skb, 0, &byte, 1, BPF_F_INVALIDATE_HASH);
	record(26, skb->hash);
}

static __noinline void host_facts(struct __sk_buff *skb)
{
	record(27, bpf_get_route_realm(skb));
	record(28, bpf_get_cgroup_classid(skb));
	record(29, bpf_skb_cgroup_id(skb) != 0);
	/* The root cgroup is 1 at level 0; nothing is 100 levels deep. */
	record(79, bpf_skb_ancestor_cgroup_id(skb, 0) | (bpf_skb_ancestor_cgroup_id(skb, 100) << 8) |
			   (bpf_skb_ancestor_cgroup_id(skb, -1) << 16));
	__u64 cookie = bpf_get_socket_cookie(skb);
	record(30, cookie != 0);
	record(31, cookie == bpf_get_socket_cookie(skb));
}

static __noinline void tunnels(struct __sk_buff *skb)
{
	struct bpf_tunnel_key key;
	__u8 opt[16];

	__builtin_memset(&key, 0xff, sizeof(key));
	record(32, bpf_skb_get_tunnel_key(skb, &key, sizeof(key), 0));
	record(33, key.tunnel_id | key.remote_ipv4 | key.local_ipv4);
	__builtin_memset(opt, 0xff, sizeof(opt));
	record(34, bpf_skb_get_tunnel_opt(skb, opt, sizeof(opt)));
	record(35, *(__u64 *)opt);
	record(36, bpf_skb_set_tunnel_opt(skb, opt, 8));

	__builtin_memset(&key, 0, sizeof(key));
	key.tunnel_id = 0x42 + skb->len;
	key.remote_ipv4 = 0x0a000001;
	key.local_ipv4 = 0x0a000002;
	key.tunnel_tos = 0x10;
	key.tunnel_ttl = 64;
	record(37, bpf_skb_set_tunnel_key(skb, &key, sizeof(key), 1ULL << 9));
	record(38, bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX | BPF_F_SEQ_NUMBER));
	__builtin_memset(&key, 0xff, sizeof(key));
	record(39, bpf_skb_get_tunnel_key(skb, &key, sizeof(key), 0));
	record(40, key.tunnel_id);
	record(41, ((__u64)key.remote_ipv4 << 32) | key.local_ipv4);
	record(42, ((__u64)key.tunnel_tos << 8) | key.tunnel_ttl);
	record(43, ((__u64)key.tunnel_ext << 32) | key.tunnel_label);
	record(44, bpf_skb_get_tunnel_key(skb, &key, sizeof(key), BPF_F_TUNINFO_IPV6));
	record(45, bpf_skb_get_tunnel_key(skb, &key, sizeof(key), BPF_F_TUNINFO_FLAGS));
	record(46, key.tunnel_flags);

	for (int i = 0; i < 8; i++)
		opt[i] = i + 1;
	record(47, bpf_skb_set_tunnel_opt(skb, opt, 6));
	record(48, bpf_skb_set_tunnel_opt(skb, opt, 8));
	__builtin_memset(opt, 0xff, sizeof(opt));
	record(49, bpf_skb_get_tunnel_opt(skb, opt, sizeof(opt)));
	record(50, *(__u64 *)opt ^ *(__u64 *)(opt + 8));
	record(51, bpf_skb_get_tunnel_opt(skb, opt, 4));
}

static __noinline void network(struct __sk_buff *skb)
{
	__u32 mtu = 0;

	record(52, bpf_check_mtu(skb, 0, &mtu, 0, 0));
	record(53, mtu);
	mtu = 0;
	record(54, bpf_check_mtu(skb, 0, &mtu, 65600 - skb->len, 0));
	mtu = 1400;
	record(55, bpf_check_mtu(skb, 1, &mtu, 0, BPF_MTU_CHK_SEGS));
	record(56, mtu);
	mtu = 7;
	record(57, bpf_check_mtu(skb, 7, &mtu, 0, 0));
	record(58, mtu);

	struct bpf_fib_lookup fib = {};
	fib.family = skb->len & 1 ? AF_INET : AF_INET6;
	fib.ifindex = 1;
	fib.tot_len = 100;
	record(59, bpf_fib_lookup(skb, &fib, sizeof(fib), 0));
	fib.ifindex = 9;
	record(60, bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_OUTPUT));
	fib.family = 1;
	record(61, bpf_fib_lookup(skb, &fib, sizeof(fib), 0));
	record(62, bpf_fib_lookup(skb, &fib, sizeof(fib), 1 << 12));
}

static __noinline int sockets(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple = {};
	int found = 0;

	tuple.ipv4.saddr = bpf_htonl(0x7f000001);
	tuple.ipv4.daddr = bpf_htonl(0x7f000001);
	tuple.ipv4.sport = bpf_htons(40000);
	tuple.ipv4.dport = bpf_htons(80 + (skb->len & 7));
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		found |= 1;
		bpf_sk_release(sk);
	}
	sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv6), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		found |= 2;
		bpf_sk_release(sk);
	}
	sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		found |= 4;
		bpf_sk_release(sk);
	}
	sk = bpf_sk_lookup_tcp(skb, &tuple, 5, BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		found |= 8;
		bpf_sk_release(sk);
	}
	return found;
}

static __noinline void marks(struct __sk_buff *skb)
{
	struct bpf_xfrm_state xfrm;
	__u8 bytes[4];

	__builtin_memset(&xfrm, 0xff, sizeof(xfrm));
	record(64, bpf_skb_get_xfrm_state(skb, 0, &xfrm, sizeof(xfrm), 0));
	record(65, xfrm.reqid | xfrm.spi);
	record(66, bpf_skb_cgroup_classid(skb));
	record(67, bpf_get_socket_uid(skb));
	record(68, bpf_skb_load_bytes_relative(skb, 0, bytes, 4, BPF_HDR_START_NET));
	record(69, *(__u32 *)bytes);
	record(70, bpf_skb_load_bytes_relative(skb, 10, bytes, 4, BPF_HDR_START_MAC));
	record(71, *(__u32 *)bytes);
	record(72, bpf_skb_load_bytes_relative(skb, skb->len - 2, bytes, 4, BPF_HDR_START_MAC));
	record(73, bpf_skb_load_bytes_relative(skb, 0, bytes, 4, 2));
	record(74, bpf_skb_set_tstamp(skb, 0, BPF_SKB_TSTAMP_DELIVERY_MONO));
	record(75, bpf_skb_set_tstamp(skb, 1000 + skb->len, BPF_SKB_TSTAMP_DELIVERY_MONO));
	record(76, bpf_skb_set_tstamp(skb, 5, 3));
	record(77, skb->tstamp);
	/* Marking CE last: it rewrites the TOS (and the IPv4 checksum) of ECN-capable packets. */
	record(78, bpf_skb_ecn_set_ce(skb));
}

SEC("tc")
int tc_state_helpers(struct __sk_buff *skb)
{
	marks(skb);
	type_and_checksum(skb);
	hashes(skb);
	host_facts(skb);
	tunnels(skb);
	network(skb);
	record(63, sockets(skb));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
