/* bpf_tcp_sock on the TCP sockets lookups find for the packet's IPv4 or IPv6 tuple and for its reverse (a
 * listener, both ends of a connection on lo): every field of struct bpf_tcp_sock copied to .bss, and whether each socket was
 * found and was TCP. Returns bit 0 set when bpf_tcp_sock gave the first socket, bit 1 the second. Then misuse the
 * verifier refuses. */
#include "../progs.h"

struct end {
  int found;
  int is_tcp;
  struct bpf_tcp_sock tp;
};
/* ends[0]: the socket the packet's tuple finds; [1]: the one its reversed tuple finds (a connection's other end);
 * then what bpf_tcp_sock says of test-run's own socket. One struct, so the layout is fixed. */
struct {
  struct end ends[2];
  __u64 from_skb_sk;
} seen;

static __always_inline int describe(struct __sk_buff *skb, struct bpf_sock_tuple *tuple, __u32 size,
                                    struct end *end) {
  struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, tuple, size, BPF_F_CURRENT_NETNS, 0);
  if (!sk) return 0;
  end->found = 1;
  struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
  int ret = 0;
  if (tp) {
    end->is_tcp = 1;
    /* field by field: the verifier allows only loads of a field's own size */
#define COPY(f) end->tp.f = tp->f
    COPY(snd_cwnd); COPY(srtt_us); COPY(rtt_min); COPY(snd_ssthresh); COPY(rcv_nxt); COPY(snd_nxt);
    COPY(snd_una); COPY(mss_cache); COPY(ecn_flags); COPY(rate_delivered); COPY(rate_interval_us);
    COPY(packets_out); COPY(retrans_out); COPY(total_retrans); COPY(segs_in); COPY(data_segs_in);
    COPY(segs_out); COPY(data_segs_out); COPY(lost_out); COPY(sacked_out); COPY(bytes_received);
    COPY(bytes_acked); COPY(dsack_dups); COPY(delivered); COPY(delivered_ce); COPY(icsk_retransmits);
#undef COPY
    ret = 1;
  }
  bpf_sk_release(sk);
  return ret;
}

/* IPv6: the 36-byte tuple, the same two lookups. */
static __always_inline int tcp_sock6(struct __sk_buff *skb, struct ipv6hdr *ip6, void *data_end) {
  __u16 *ports = (void *)(ip6 + 1);
  if ((void *)(ports + 2) > data_end || ip6->nexthdr != IPPROTO_TCP) return 0;
  struct bpf_sock_tuple tuple = {};
  __builtin_memcpy(tuple.ipv6.saddr, &ip6->saddr, 16);
  __builtin_memcpy(tuple.ipv6.daddr, &ip6->daddr, 16);
  tuple.ipv6.sport = ports[0];
  tuple.ipv6.dport = ports[1];
  int ret = describe(skb, &tuple, sizeof(tuple.ipv6), &seen.ends[0]);
  __builtin_memcpy(tuple.ipv6.saddr, &ip6->daddr, 16);
  __builtin_memcpy(tuple.ipv6.daddr, &ip6->saddr, 16);
  tuple.ipv6.sport = ports[1];
  tuple.ipv6.dport = ports[0];
  return ret + 2 * describe(skb, &tuple, sizeof(tuple.ipv6), &seen.ends[1]);
}

SEC("tc")
int tc_tcp_sock(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return 0;
  /* test-run's own socket is not TCP: NULL */
  struct bpf_sock *own = skb->sk;
  seen.from_skb_sk = own ? (__u64)(long)bpf_tcp_sock(own) : 1;
  if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > data_end) return 0;
    return tcp_sock6(skb, ip6, data_end);
  }
  if (eth->h_proto != bpf_htons(ETH_P_IP)) return 0;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP) return 0;
  __u16 *ports = (void *)(ip + 1);
  if ((void *)(ports + 2) > data_end) return 0;
  struct bpf_sock_tuple tuple = {};
  tuple.ipv4.saddr = ip->saddr;
  tuple.ipv4.daddr = ip->daddr;
  tuple.ipv4.sport = ports[0];
  tuple.ipv4.dport = ports[1];
  int ret = describe(skb, &tuple, sizeof(tuple.ipv4), &seen.ends[0]);
  tuple.ipv4.saddr = ip->daddr;
  tuple.ipv4.daddr = ip->saddr;
  tuple.ipv4.sport = ports[1];
  tuple.ipv4.dport = ports[0];
  return ret + 2 * describe(skb, &tuple, sizeof(tuple.ipv4), &seen.ends[1]);
}

static __always_inline struct bpf_sock *any_socket(struct __sk_buff *skb) {
  struct bpf_sock_tuple tuple = {};
  return bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
}

/* Misuse: bytes_received is a u64, read as a u32. */
SEC("?tc")
int tcp_sock_narrow_u64(struct __sk_buff *skb) {
  struct bpf_sock *sk = any_socket(skb);
  if (!sk) return 0;
  struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
  int ret = 0;
  if (tp) ret = *(volatile __u32 *)&tp->bytes_received;
  bpf_sk_release(sk);
  return ret;
}

/* Misuse: past the last field. */
SEC("?tc")
int tcp_sock_past_end(struct __sk_buff *skb) {
  struct bpf_sock *sk = any_socket(skb);
  if (!sk) return 0;
  struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
  int ret = 0;
  if (tp) ret = *((volatile __u32 *)&tp->icsk_retransmits + 1);
  bpf_sk_release(sk);
  return ret;
}

/* Misuse: a write. */
SEC("?tc")
int tcp_sock_write(struct __sk_buff *skb) {
  struct bpf_sock *sk = any_socket(skb);
  if (!sk) return 0;
  struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
  if (tp) *(volatile __u32 *)&tp->snd_cwnd = 1;
  bpf_sk_release(sk);
  return 0;
}

/* Misuse: used without the NULL check. */
SEC("?tc")
int tcp_sock_maybe_null(struct __sk_buff *skb) {
  struct bpf_sock *sk = any_socket(skb);
  if (!sk) return 0;
  struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
  int ret = *(volatile __u32 *)&tp->snd_cwnd;
  bpf_sk_release(sk);
  return ret;
}

char LICENSE[] SEC("license") = "GPL";
