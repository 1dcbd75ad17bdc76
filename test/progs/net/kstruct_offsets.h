/* Offsets of the kernel structs the kstruct_* programs read, as the reference kernel's vmlinux BTF lays them out
 * (Linux 6.18.44, src/abi/kernel-structs.ts), and a macro reading a member at one: these programs read without
 * CO-RE, at fixed offsets. */
#ifndef KSTRUCT_OFFSETS_H
#define KSTRUCT_OFFSETS_H

#define KREAD(type, base, off) (*(type volatile *)((char *)(base) + (off)))

/* struct sk_buff */
#define SKB_DEV 16
#define SKB_SK 24
#define SKB_LEN 112
#define SKB_DATA_LEN 116
#define SKB_MAC_LEN 120
#define SKB_QUEUE_MAPPING 124
#define SKB_PKT_TYPE_BYTE 128
#define SKB_TC_INDEX 132
#define SKB_PRIORITY 140
#define SKB_IIF 144
#define SKB_HASH 148
#define SKB_VLAN_PROTO 152
#define SKB_VLAN_TCI 154
#define SKB_MARK 164
#define SKB_PROTOCOL 176
#define SKB_TRANSPORT_HEADER 178
#define SKB_NETWORK_HEADER 180
#define SKB_MAC_HEADER 182
#define SKB_TAIL 184
#define SKB_END 188
#define SKB_HEAD 192
#define SKB_DATA 200
#define SKB_SIZE 224

/* struct sock (its struct sock_common __sk_common first) */
#define SK_DADDR 0
#define SK_RCV_SADDR 4
#define SK_HASH 8
#define SK_DPORT 12
#define SK_NUM 14
#define SK_FAMILY 16
#define SK_STATE 18
#define SK_BOUND_DEV_IF 20
#define SK_V6_DADDR 56
#define SK_V6_RCV_SADDR 72
#define SK_PRIORITY 520
#define SK_MARK 524
#define SK_PROTOCOL 532
#define SK_TYPE 534

/* struct net_device */
#define NETDEV_MTU 56
#define NETDEV_IFINDEX 224
#define NETDEV_NAME 280
#define NETDEV_TYPE 536

/* struct xdp_buff and struct xdp_rxq_info, struct xdp_txq_info */
#define XDP_DATA 0
#define XDP_DATA_END 8
#define XDP_DATA_META 16
#define XDP_DATA_HARD_START 24
#define XDP_RXQ 32
#define XDP_TXQ 40
#define XDP_FRAME_SZ 48
#define RXQ_DEV 0
#define RXQ_QUEUE_INDEX 8
#define TXQ_DEV 0

/* struct bpf_map, struct bpf_array */
#define MAP_TYPE 64
#define MAP_KEY_SIZE 68
#define MAP_VALUE_SIZE 72
#define MAP_MAX_ENTRIES 76
#define MAP_FLAGS 88
#define MAP_NAME 136
#define ARRAY_ELEM_SIZE 296
#define ARRAY_INDEX_MASK 300

/* BTF ids in the reference kernel's vmlinux */
#define BTF_ID_SK_BUFF 870
#define BTF_ID_NET_DEVICE 3090

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

#endif
