/* skb_reshape: tc programs that change the packet's shape with the skb helpers: VLAN tags pushed and popped
 * (the first tag the kernel keeps outside the packet, as a hardware-accelerated tag; the next goes into it),
 * bpf_skb_adjust_room growing and shrinking at the MAC and network header with the encapsulation flags and
 * the checksum-level reset, and bpf_skb_change_head/change_tail with their limits. Results and the skb
 * fields after each call go to the `results` array; the output packet shows the bytes. */
#include "../progs.h"

#define SLOTS 48
/* Newer than the uapi headers of libbpf-dev here (Linux 6.3 added them). */
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV4 (1ULL << 7)
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV6 (1ULL << 8)

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

/* vlan_present, vlan_tci, vlan_proto, protocol and len in four slots from `slot`. */
static __noinline void record_vlan(struct __sk_buff *skb, __u32 slot)
{
	record(slot, ((__u64)skb->vlan_present << 32) | skb->vlan_tci);
	record(slot + 1, skb->vlan_proto);
	record(slot + 2, skb->protocol);
	record(slot + 3, skb->len);
}

SEC("tc")
int tc_vlan(struct __sk_buff *skb)
{
	record_vlan(skb, 0);
	record(4, bpf_skb_vlan_pop(skb));
	record_vlan(skb, 5);
	record(9, bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021AD), 100 + skb->len));
	record_vlan(skb, 10);
	/* Not a VLAN protocol: the kernel takes 802.1Q instead. */
	record(14, bpf_skb_vlan_push(skb, bpf_htons(0x1234), 7));
	record_vlan(skb, 15);
	record(19, bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 0xfff));
	record_vlan(skb, 20);
	record(24, bpf_skb_vlan_pop(skb));
	record_vlan(skb, 25);
	if (skb->len & 1) {
		record(29, bpf_skb_vlan_pop(skb));
		record_vlan(skb, 30);
	}
	return TC_ACT_OK;
}

#define MAC BPF_ADJ_ROOM_MAC
#define NET BPF_ADJ_ROOM_NET

SEC("tc")
int tc_adjust_room(struct __sk_buff *skb)
{
	record(0, bpf_skb_adjust_room(skb, 0x1000, MAC, 0));
	record(1, bpf_skb_adjust_room(skb, 8, 7, 0));
	record(2, bpf_skb_adjust_room(skb, 8, MAC, 1ULL << 9));
	record(3, bpf_skb_adjust_room(skb, 8, NET, BPF_F_ADJ_ROOM_DECAP_L3_IPV4));
	record(4, bpf_skb_adjust_room(skb, -(int)skb->len, NET, 0));
	record(5, bpf_skb_adjust_room(skb, 4, MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6));
	record(6, bpf_skb_adjust_room(skb, 4, MAC,
				      BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L2_ETH |
					      BPF_F_ADJ_ROOM_ENCAP_L2(4)));
	record(7, bpf_skb_adjust_room(skb, 4, MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L2(8)));

	/* The checksum level survives a change only with BPF_F_ADJ_ROOM_NO_CSUM_RESET. */
	bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	record(8, bpf_skb_adjust_room(skb, 8, NET, BPF_F_ADJ_ROOM_NO_CSUM_RESET));
	record(9, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(10, bpf_skb_adjust_room(skb, -8, NET, 0));
	record(11, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(12, skb->len);

	/* Encapsulate: room for an outer header after the MAC header; a second encapsulation is refused. */
	__u64 outer = skb->protocol == bpf_htons(ETH_P_IP) ? BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 : BPF_F_ADJ_ROOM_ENCAP_L3_IPV4;
	int room = outer == BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 ? 40 : 20;
	record(13, bpf_skb_adjust_room(skb, room + 8, MAC, outer | BPF_F_ADJ_ROOM_ENCAP_L4_UDP));
	record(14, skb->protocol);
	record(15, skb->len);
	record(16, bpf_skb_adjust_room(skb, 8, MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4));
	record(17, bpf_skb_change_tail(skb, skb->len + 2, 0));
	__u8 marker[4] = { 0xee, 0xee, 0xee, (__u8)room };
	bpf_skb_store_bytes(skb, ETH_HLEN, marker, sizeof(marker), 0);

	/* Decapsulate the same amount again, switching skb->protocol back. */
	__u64 inner = outer == BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 ? BPF_F_ADJ_ROOM_DECAP_L3_IPV4 : BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
	record(18, bpf_skb_adjust_room(skb, -(room + 8), MAC, inner));
	record(19, skb->protocol);
	record(20, skb->len);
	record(21, bpf_skb_adjust_room(skb, -4, MAC, BPF_F_ADJ_ROOM_DECAP_L3_IPV4 | BPF_F_ADJ_ROOM_DECAP_L3_IPV6));
	/* Shrink after the network header: an IPv4 UDP packet loses its UDP header. */
	record(22, bpf_skb_adjust_room(skb, -8, NET, 0));
	record(23, skb->len);
	return TC_ACT_OK;
}

SEC("tc")
int tc_head_tail(struct __sk_buff *skb)
{
	__u32 len = skb->len;
	__u8 last = 0xff;

	record(0, bpf_skb_change_tail(skb, len + 16, 0));
	record(1, skb->len);
	bpf_skb_load_bytes(skb, len + 15, &last, 1);
	record(2, last);
	record(3, bpf_skb_change_tail(skb, len - 4, 0));
	record(4, bpf_skb_change_tail(skb, 20000, 0));
	record(5, bpf_skb_change_tail(skb, len, 1));
	record(6, bpf_skb_change_tail(skb, 13, 0));
	record(7, skb->len);

	record(8, bpf_skb_change_head(skb, 14, 0));
	record(9, skb->len);
	__u8 header[14] = { 0x02, 0, 0, 0, 0, 0x09, 0x02, 0, 0, 0, 0, 0x08, 0x88, 0xb5 };
	bpf_skb_store_bytes(skb, 0, header, sizeof(header), 0);
	record(10, bpf_skb_change_head(skb, 0x80000000, 0));
	record(11, bpf_skb_change_head(skb, 8, 1));
	/* More than the headroom test-run leaves: the kernel reallocates the head. */
	record(12, bpf_skb_change_head(skb, 100, 0));
	record(13, skb->len);
	record(14, bpf_skb_change_tail(skb, 127, 0));
	record(15, bpf_skb_change_tail(skb, 128 + (skb->len & 7), 0));
	record(16, skb->len);
	record(17, bpf_skb_pull_data(skb, 0));

	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	if (data + 129 <= data_end)
		record(18, *(__u8 *)(data + 128));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
