// The uapi context structs of Linux 6.18 (x86-64) as field tables: name, byte offset and size of each member.

export interface ContextField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** The offset of the member `name` of a context struct; a name the struct lacks is a programming error. */
export function fieldOffset(fields: readonly ContextField[], name: string, struct = 'the struct'): number {
  const field = fields.find((f) => f.name === name);
  if (field === undefined) throw new RangeError(`${struct} has no field '${name}'`);
  return field.offset;
}

/** Lays out members one after another from `start`; `at` pins a member whose offset skips padding. */
function layout(
  members: readonly (readonly [string, number] | readonly [string, number, number])[],
): ContextField[] {
  const fields: ContextField[] = [];
  let offset = 0;
  for (const [name, size, at] of members) {
    if (at !== undefined) offset = at;
    fields.push({ name, offset, size });
    offset += size;
  }
  return fields;
}

/** `struct __sk_buff`, 192 bytes (`tstamp_type` is a u8 followed by 24 bits of padding). */
export const SK_BUFF_FIELDS: readonly ContextField[] = layout([
  ['len', 4],
  ['pkt_type', 4],
  ['mark', 4],
  ['queue_mapping', 4],
  ['protocol', 4],
  ['vlan_present', 4],
  ['vlan_tci', 4],
  ['vlan_proto', 4],
  ['priority', 4],
  ['ingress_ifindex', 4],
  ['ifindex', 4],
  ['tc_index', 4],
  ['cb', 20],
  ['hash', 4],
  ['tc_classid', 4],
  ['data', 4],
  ['data_end', 4],
  ['napi_id', 4],
  ['family', 4],
  ['remote_ip4', 4],
  ['local_ip4', 4],
  ['remote_ip6', 16],
  ['local_ip6', 16],
  ['remote_port', 4],
  ['local_port', 4],
  ['data_meta', 4],
  ['flow_keys', 8],
  ['tstamp', 8],
  ['wire_len', 4],
  ['gso_segs', 4],
  ['sk', 8],
  ['gso_size', 4],
  ['tstamp_type', 1],
  ['hwtstamp', 8, 184],
]);

/** `struct xdp_md`, 24 bytes. */
export const XDP_MD_FIELDS: readonly ContextField[] = layout([
  ['data', 4],
  ['data_end', 4],
  ['data_meta', 4],
  ['ingress_ifindex', 4],
  ['rx_queue_index', 4],
  ['egress_ifindex', 4],
]);

/** `struct bpf_sock`, 80 bytes (`dst_port` is a __be16 followed by 16 bits of zero padding). */
export const BPF_SOCK_FIELDS: readonly ContextField[] = layout([
  ['bound_dev_if', 4],
  ['family', 4],
  ['type', 4],
  ['protocol', 4],
  ['mark', 4],
  ['priority', 4],
  ['src_ip4', 4],
  ['src_ip6', 16],
  ['src_port', 4],
  ['dst_port', 2],
  ['dst_ip4', 4, 52],
  ['dst_ip6', 16],
  ['state', 4],
  ['rx_queue_mapping', 4],
]);

/** `struct bpf_tcp_sock`, 112 bytes: read-only u32 fields but for the two u64 byte counters. */
export const BPF_TCP_SOCK_FIELDS: readonly ContextField[] = layout([
  ['snd_cwnd', 4],
  ['srtt_us', 4],
  ['rtt_min', 4],
  ['snd_ssthresh', 4],
  ['rcv_nxt', 4],
  ['snd_nxt', 4],
  ['snd_una', 4],
  ['mss_cache', 4],
  ['ecn_flags', 4],
  ['rate_delivered', 4],
  ['rate_interval_us', 4],
  ['packets_out', 4],
  ['retrans_out', 4],
  ['total_retrans', 4],
  ['segs_in', 4],
  ['data_segs_in', 4],
  ['segs_out', 4],
  ['data_segs_out', 4],
  ['lost_out', 4],
  ['sacked_out', 4],
  ['bytes_received', 8],
  ['bytes_acked', 8],
  ['dsack_dups', 4],
  ['delivered', 4],
  ['delivered_ce', 4],
  ['icsk_retransmits', 4],
]);

/** `struct bpf_sock_addr`, 72 bytes. */
export const BPF_SOCK_ADDR_FIELDS: readonly ContextField[] = layout([
  ['user_family', 4],
  ['user_ip4', 4],
  ['user_ip6', 16],
  ['user_port', 4],
  ['family', 4],
  ['type', 4],
  ['protocol', 4],
  ['msg_src_ip4', 4],
  ['msg_src_ip6', 16],
  ['sk', 8, 64],
]);

/** `struct sk_msg_md`, 80 bytes. */
export const SK_MSG_MD_FIELDS: readonly ContextField[] = layout([
  ['data', 8],
  ['data_end', 8],
  ['family', 4],
  ['remote_ip4', 4],
  ['local_ip4', 4],
  ['remote_ip6', 16],
  ['local_ip6', 16],
  ['remote_port', 4],
  ['local_port', 4],
  ['size', 4],
  ['sk', 8],
]);

/** `struct bpf_sock_ops`, 224 bytes in 6.18 (`skb_hwtstamp` is newer than Debian's 6.1 headers); `args` is the args/reply/replylong union. */
export const BPF_SOCK_OPS_FIELDS: readonly ContextField[] = layout([
  ['op', 4],
  ['args', 16],
  ['family', 4],
  ['remote_ip4', 4],
  ['local_ip4', 4],
  ['remote_ip6', 16],
  ['local_ip6', 16],
  ['remote_port', 4],
  ['local_port', 4],
  ['is_fullsock', 4],
  ['snd_cwnd', 4],
  ['srtt_us', 4],
  ['bpf_sock_ops_cb_flags', 4],
  ['state', 4],
  ['rtt_min', 4],
  ['snd_ssthresh', 4],
  ['rcv_nxt', 4],
  ['snd_nxt', 4],
  ['snd_una', 4],
  ['mss_cache', 4],
  ['ecn_flags', 4],
  ['rate_delivered', 4],
  ['rate_interval_us', 4],
  ['packets_out', 4],
  ['retrans_out', 4],
  ['total_retrans', 4],
  ['segs_in', 4],
  ['data_segs_in', 4],
  ['segs_out', 4],
  ['data_segs_out', 4],
  ['lost_out', 4],
  ['sacked_out', 4],
  ['sk_txhash', 4],
  ['bytes_received', 8],
  ['bytes_acked', 8],
  ['sk', 8],
  ['skb_data', 8],
  ['skb_data_end', 8],
  ['skb_len', 4],
  ['skb_tcp_flags', 4],
  ['skb_hwtstamp', 8],
]);

/** `struct bpf_sk_lookup`, 72 bytes (`sk` shares its slot with `cookie`; `remote_port` is a __be16 plus padding). */
export const BPF_SK_LOOKUP_FIELDS: readonly ContextField[] = layout([
  ['sk', 8],
  ['family', 4],
  ['protocol', 4],
  ['remote_ip4', 4],
  ['remote_ip6', 16],
  ['remote_port', 2],
  ['local_ip4', 4, 40],
  ['local_ip6', 16],
  ['local_port', 4],
  ['ingress_ifindex', 4],
]);

/** `struct bpf_flow_keys`, 56 bytes (the IPv4 and IPv6 addresses share a union). */
export const BPF_FLOW_KEYS_FIELDS: readonly ContextField[] = layout([
  ['nhoff', 2],
  ['thoff', 2],
  ['addr_proto', 2],
  ['is_frag', 1],
  ['is_first_frag', 1],
  ['is_encap', 1],
  ['ip_proto', 1],
  ['n_proto', 2],
  ['sport', 2],
  ['dport', 2],
  ['ipv4_src', 4],
  ['ipv4_dst', 4],
  ['ipv6_src', 16, 16],
  ['ipv6_dst', 16],
  ['flags', 4],
  ['flow_label', 4],
]);

/** `struct pt_regs` of x86-64 (uapi names), 168 bytes: 21 u64 registers. */
export const PT_REGS_FIELDS: readonly ContextField[] = layout(
  'r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss'
    .split(' ')
    .map((name) => [name, 8] as const),
);

/** `struct bpf_perf_event_data`, 184 bytes (x86-64 pt_regs first). */
export const BPF_PERF_EVENT_DATA_FIELDS: readonly ContextField[] = layout([
  ['regs', 168],
  ['sample_period', 8],
  ['addr', 8],
]);

/** `struct bpf_cgroup_dev_ctx`, 12 bytes. */
export const BPF_CGROUP_DEV_CTX_FIELDS: readonly ContextField[] = layout([
  ['access_type', 4],
  ['major', 4],
  ['minor', 4],
]);

/** `struct bpf_sysctl`, 8 bytes. */
export const BPF_SYSCTL_FIELDS: readonly ContextField[] = layout([
  ['write', 4],
  ['file_pos', 4],
]);

/** `struct bpf_sockopt`, 40 bytes. */
export const BPF_SOCKOPT_FIELDS: readonly ContextField[] = layout([
  ['sk', 8],
  ['optval', 8],
  ['optval_end', 8],
  ['level', 4],
  ['optname', 4],
  ['optlen', 4],
  ['retval', 4],
]);

/** `struct sk_reuseport_md`, 56 bytes. */
export const SK_REUSEPORT_MD_FIELDS: readonly ContextField[] = layout([
  ['data', 8],
  ['data_end', 8],
  ['len', 4],
  ['eth_protocol', 4],
  ['ip_protocol', 4],
  ['bind_inany', 4],
  ['hash', 4],
  ['sk', 8, 40],
  ['migrating_sk', 8],
]);

/** Every context struct by its uapi name, with its sizeof. */
export const CONTEXT_STRUCTS = {
  __sk_buff: { size: 192, fields: SK_BUFF_FIELDS },
  xdp_md: { size: 24, fields: XDP_MD_FIELDS },
  bpf_sock: { size: 80, fields: BPF_SOCK_FIELDS },
  bpf_tcp_sock: { size: 112, fields: BPF_TCP_SOCK_FIELDS },
  bpf_sock_addr: { size: 72, fields: BPF_SOCK_ADDR_FIELDS },
  sk_msg_md: { size: 80, fields: SK_MSG_MD_FIELDS },
  bpf_sock_ops: { size: 224, fields: BPF_SOCK_OPS_FIELDS },
  bpf_sk_lookup: { size: 72, fields: BPF_SK_LOOKUP_FIELDS },
  bpf_flow_keys: { size: 56, fields: BPF_FLOW_KEYS_FIELDS },
  pt_regs: { size: 168, fields: PT_REGS_FIELDS },
  bpf_perf_event_data: { size: 184, fields: BPF_PERF_EVENT_DATA_FIELDS },
  bpf_cgroup_dev_ctx: { size: 12, fields: BPF_CGROUP_DEV_CTX_FIELDS },
  bpf_sysctl: { size: 8, fields: BPF_SYSCTL_FIELDS },
  bpf_sockopt: { size: 40, fields: BPF_SOCKOPT_FIELDS },
  sk_reuseport_md: { size: 56, fields: SK_REUSEPORT_MD_FIELDS },
} as const satisfies Record<string, { size: number; fields: readonly ContextField[] }>;

export type ContextStructName = keyof typeof CONTEXT_STRUCTS;
