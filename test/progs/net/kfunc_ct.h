/* The conntrack kfuncs and the parts of struct nf_conn the programs read, at Linux 6.18's offsets (no CO-RE:
 * the layout is written out so that the object loads the same in tsbpf and in the kernel). */
#ifndef KFUNC_CT_H
#define KFUNC_CT_H
#include "../progs.h"

struct nf_conn {
  char head[8];
  unsigned int timeout; /* offset 8 */
  char zone_and_tuples[116];
  unsigned long status; /* offset 128 */
  char net_nat_master[32];
  unsigned int mark; /* offset 168 */
  unsigned int secmark;
  char tail[72];
};

struct nf_conn___init {
  struct nf_conn ct;
};

struct bpf_ct_opts {
  int netns_id;
  int error;
  unsigned char l4proto;
  unsigned char dir;
  unsigned short ct_zone_id;
  unsigned char ct_zone_dir;
  unsigned char reserved[3];
};

enum { NF_NAT_MANIP_SRC, NF_NAT_MANIP_DST };

#define IPS_SEEN_REPLY 2
#define IPS_ASSURED 4
#define IPS_CONFIRMED 8
#define IPS_SRC_NAT 16
#define IPS_SRC_NAT_DONE 128

extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *, struct bpf_sock_tuple *, __u32, struct bpf_ct_opts *,
                                         __u32) __ksym;
extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *, struct bpf_sock_tuple *, __u32, struct bpf_ct_opts *,
                                         __u32) __ksym;
extern struct nf_conn___init *bpf_xdp_ct_alloc(struct xdp_md *, struct bpf_sock_tuple *, __u32,
                                               struct bpf_ct_opts *, __u32) __ksym;
extern struct nf_conn___init *bpf_skb_ct_alloc(struct __sk_buff *, struct bpf_sock_tuple *, __u32,
                                               struct bpf_ct_opts *, __u32) __ksym;
extern struct nf_conn *bpf_ct_insert_entry(struct nf_conn___init *) __ksym;
extern void bpf_ct_release(struct nf_conn *) __ksym;
extern void bpf_ct_set_timeout(struct nf_conn___init *, __u32) __ksym;
extern int bpf_ct_change_timeout(struct nf_conn *, __u32) __ksym;
extern int bpf_ct_set_status(const struct nf_conn___init *, __u32) __ksym;
extern int bpf_ct_change_status(struct nf_conn *, __u32) __ksym;

/* The IPv4 TCP/UDP 5-tuple of an Ethernet frame in [data, data_end); 0 when it has none. */
static __always_inline int parse_tuple(void *data, void *data_end, struct bpf_sock_tuple *tuple, __u8 *proto) {
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) return 0;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5) return 0;
  if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) return 0;
  struct udphdr *ports = (void *)(ip + 1);
  if ((void *)(ports + 1) > data_end) return 0;
  tuple->ipv4.saddr = ip->saddr;
  tuple->ipv4.daddr = ip->daddr;
  tuple->ipv4.sport = ports->source;
  tuple->ipv4.dport = ports->dest;
  *proto = ip->protocol;
  return 1;
}
#endif
