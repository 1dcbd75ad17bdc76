// Program types and attach types (Linux 6.18 `enum bpf_prog_type`/`enum bpf_attach_type`) and libbpf 1.1.2's section-name table.

/** Every `enum bpf_prog_type` value; `name` is how libbpf prints it (`libbpf_bpf_prog_type_str`). */
export const PROGRAM_TYPES = [
  { id: 0, name: 'unspec', kernelName: 'BPF_PROG_TYPE_UNSPEC' },
  { id: 1, name: 'socket_filter', kernelName: 'BPF_PROG_TYPE_SOCKET_FILTER' },
  { id: 2, name: 'kprobe', kernelName: 'BPF_PROG_TYPE_KPROBE' },
  { id: 3, name: 'sched_cls', kernelName: 'BPF_PROG_TYPE_SCHED_CLS' },
  { id: 4, name: 'sched_act', kernelName: 'BPF_PROG_TYPE_SCHED_ACT' },
  { id: 5, name: 'tracepoint', kernelName: 'BPF_PROG_TYPE_TRACEPOINT' },
  { id: 6, name: 'xdp', kernelName: 'BPF_PROG_TYPE_XDP' },
  { id: 7, name: 'perf_event', kernelName: 'BPF_PROG_TYPE_PERF_EVENT' },
  { id: 8, name: 'cgroup_skb', kernelName: 'BPF_PROG_TYPE_CGROUP_SKB' },
  { id: 9, name: 'cgroup_sock', kernelName: 'BPF_PROG_TYPE_CGROUP_SOCK' },
  { id: 10, name: 'lwt_in', kernelName: 'BPF_PROG_TYPE_LWT_IN' },
  { id: 11, name: 'lwt_out', kernelName: 'BPF_PROG_TYPE_LWT_OUT' },
  { id: 12, name: 'lwt_xmit', kernelName: 'BPF_PROG_TYPE_LWT_XMIT' },
  { id: 13, name: 'sock_ops', kernelName: 'BPF_PROG_TYPE_SOCK_OPS' },
  { id: 14, name: 'sk_skb', kernelName: 'BPF_PROG_TYPE_SK_SKB' },
  { id: 15, name: 'cgroup_device', kernelName: 'BPF_PROG_TYPE_CGROUP_DEVICE' },
  { id: 16, name: 'sk_msg', kernelName: 'BPF_PROG_TYPE_SK_MSG' },
  { id: 17, name: 'raw_tracepoint', kernelName: 'BPF_PROG_TYPE_RAW_TRACEPOINT' },
  { id: 18, name: 'cgroup_sock_addr', kernelName: 'BPF_PROG_TYPE_CGROUP_SOCK_ADDR' },
  { id: 19, name: 'lwt_seg6local', kernelName: 'BPF_PROG_TYPE_LWT_SEG6LOCAL' },
  { id: 20, name: 'lirc_mode2', kernelName: 'BPF_PROG_TYPE_LIRC_MODE2' },
  { id: 21, name: 'sk_reuseport', kernelName: 'BPF_PROG_TYPE_SK_REUSEPORT' },
  { id: 22, name: 'flow_dissector', kernelName: 'BPF_PROG_TYPE_FLOW_DISSECTOR' },
  { id: 23, name: 'cgroup_sysctl', kernelName: 'BPF_PROG_TYPE_CGROUP_SYSCTL' },
  { id: 24, name: 'raw_tracepoint_writable', kernelName: 'BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE' },
  { id: 25, name: 'cgroup_sockopt', kernelName: 'BPF_PROG_TYPE_CGROUP_SOCKOPT' },
  { id: 26, name: 'tracing', kernelName: 'BPF_PROG_TYPE_TRACING' },
  { id: 27, name: 'struct_ops', kernelName: 'BPF_PROG_TYPE_STRUCT_OPS' },
  { id: 28, name: 'ext', kernelName: 'BPF_PROG_TYPE_EXT' },
  { id: 29, name: 'lsm', kernelName: 'BPF_PROG_TYPE_LSM' },
  { id: 30, name: 'sk_lookup', kernelName: 'BPF_PROG_TYPE_SK_LOOKUP' },
  { id: 31, name: 'syscall', kernelName: 'BPF_PROG_TYPE_SYSCALL' },
  { id: 32, name: 'netfilter', kernelName: 'BPF_PROG_TYPE_NETFILTER' },
] as const;

/** Every `enum bpf_attach_type` value; `name` is how libbpf prints it (`libbpf_bpf_attach_type_str`). */
export const ATTACH_TYPES = [
  { id: 0, name: 'cgroup_inet_ingress', kernelName: 'BPF_CGROUP_INET_INGRESS' },
  { id: 1, name: 'cgroup_inet_egress', kernelName: 'BPF_CGROUP_INET_EGRESS' },
  { id: 2, name: 'cgroup_inet_sock_create', kernelName: 'BPF_CGROUP_INET_SOCK_CREATE' },
  { id: 3, name: 'cgroup_sock_ops', kernelName: 'BPF_CGROUP_SOCK_OPS' },
  { id: 4, name: 'sk_skb_stream_parser', kernelName: 'BPF_SK_SKB_STREAM_PARSER' },
  { id: 5, name: 'sk_skb_stream_verdict', kernelName: 'BPF_SK_SKB_STREAM_VERDICT' },
  { id: 6, name: 'cgroup_device', kernelName: 'BPF_CGROUP_DEVICE' },
  { id: 7, name: 'sk_msg_verdict', kernelName: 'BPF_SK_MSG_VERDICT' },
  { id: 8, name: 'cgroup_inet4_bind', kernelName: 'BPF_CGROUP_INET4_BIND' },
  { id: 9, name: 'cgroup_inet6_bind', kernelName: 'BPF_CGROUP_INET6_BIND' },
  { id: 10, name: 'cgroup_inet4_connect', kernelName: 'BPF_CGROUP_INET4_CONNECT' },
  { id: 11, name: 'cgroup_inet6_connect', kernelName: 'BPF_CGROUP_INET6_CONNECT' },
  { id: 12, name: 'cgroup_inet4_post_bind', kernelName: 'BPF_CGROUP_INET4_POST_BIND' },
  { id: 13, name: 'cgroup_inet6_post_bind', kernelName: 'BPF_CGROUP_INET6_POST_BIND' },
  { id: 14, name: 'cgroup_udp4_sendmsg', kernelName: 'BPF_CGROUP_UDP4_SENDMSG' },
  { id: 15, name: 'cgroup_udp6_sendmsg', kernelName: 'BPF_CGROUP_UDP6_SENDMSG' },
  { id: 16, name: 'lirc_mode2', kernelName: 'BPF_LIRC_MODE2' },
  { id: 17, name: 'flow_dissector', kernelName: 'BPF_FLOW_DISSECTOR' },
  { id: 18, name: 'cgroup_sysctl', kernelName: 'BPF_CGROUP_SYSCTL' },
  { id: 19, name: 'cgroup_udp4_recvmsg', kernelName: 'BPF_CGROUP_UDP4_RECVMSG' },
  { id: 20, name: 'cgroup_udp6_recvmsg', kernelName: 'BPF_CGROUP_UDP6_RECVMSG' },
  { id: 21, name: 'cgroup_getsockopt', kernelName: 'BPF_CGROUP_GETSOCKOPT' },
  { id: 22, name: 'cgroup_setsockopt', kernelName: 'BPF_CGROUP_SETSOCKOPT' },
  { id: 23, name: 'trace_raw_tp', kernelName: 'BPF_TRACE_RAW_TP' },
  { id: 24, name: 'trace_fentry', kernelName: 'BPF_TRACE_FENTRY' },
  { id: 25, name: 'trace_fexit', kernelName: 'BPF_TRACE_FEXIT' },
  { id: 26, name: 'modify_return', kernelName: 'BPF_MODIFY_RETURN' },
  { id: 27, name: 'lsm_mac', kernelName: 'BPF_LSM_MAC' },
  { id: 28, name: 'trace_iter', kernelName: 'BPF_TRACE_ITER' },
  { id: 29, name: 'cgroup_inet4_getpeername', kernelName: 'BPF_CGROUP_INET4_GETPEERNAME' },
  { id: 30, name: 'cgroup_inet6_getpeername', kernelName: 'BPF_CGROUP_INET6_GETPEERNAME' },
  { id: 31, name: 'cgroup_inet4_getsockname', kernelName: 'BPF_CGROUP_INET4_GETSOCKNAME' },
  { id: 32, name: 'cgroup_inet6_getsockname', kernelName: 'BPF_CGROUP_INET6_GETSOCKNAME' },
  { id: 33, name: 'xdp_devmap', kernelName: 'BPF_XDP_DEVMAP' },
  { id: 34, name: 'cgroup_inet_sock_release', kernelName: 'BPF_CGROUP_INET_SOCK_RELEASE' },
  { id: 35, name: 'xdp_cpumap', kernelName: 'BPF_XDP_CPUMAP' },
  { id: 36, name: 'sk_lookup', kernelName: 'BPF_SK_LOOKUP' },
  { id: 37, name: 'xdp', kernelName: 'BPF_XDP' },
  { id: 38, name: 'sk_skb_verdict', kernelName: 'BPF_SK_SKB_VERDICT' },
  { id: 39, name: 'sk_reuseport_select', kernelName: 'BPF_SK_REUSEPORT_SELECT' },
  { id: 40, name: 'sk_reuseport_select_or_migrate', kernelName: 'BPF_SK_REUSEPORT_SELECT_OR_MIGRATE' },
  { id: 41, name: 'perf_event', kernelName: 'BPF_PERF_EVENT' },
  { id: 42, name: 'trace_kprobe_multi', kernelName: 'BPF_TRACE_KPROBE_MULTI' },
  { id: 43, name: 'lsm_cgroup', kernelName: 'BPF_LSM_CGROUP' },
  { id: 44, name: 'struct_ops', kernelName: 'BPF_STRUCT_OPS' },
  { id: 45, name: 'netfilter', kernelName: 'BPF_NETFILTER' },
  { id: 46, name: 'tcx_ingress', kernelName: 'BPF_TCX_INGRESS' },
  { id: 47, name: 'tcx_egress', kernelName: 'BPF_TCX_EGRESS' },
  { id: 48, name: 'trace_uprobe_multi', kernelName: 'BPF_TRACE_UPROBE_MULTI' },
  { id: 49, name: 'cgroup_unix_connect', kernelName: 'BPF_CGROUP_UNIX_CONNECT' },
  { id: 50, name: 'cgroup_unix_sendmsg', kernelName: 'BPF_CGROUP_UNIX_SENDMSG' },
  { id: 51, name: 'cgroup_unix_recvmsg', kernelName: 'BPF_CGROUP_UNIX_RECVMSG' },
  { id: 52, name: 'cgroup_unix_getpeername', kernelName: 'BPF_CGROUP_UNIX_GETPEERNAME' },
  { id: 53, name: 'cgroup_unix_getsockname', kernelName: 'BPF_CGROUP_UNIX_GETSOCKNAME' },
  { id: 54, name: 'netkit_primary', kernelName: 'BPF_NETKIT_PRIMARY' },
  { id: 55, name: 'netkit_peer', kernelName: 'BPF_NETKIT_PEER' },
  { id: 56, name: 'trace_kprobe_session', kernelName: 'BPF_TRACE_KPROBE_SESSION' },
  { id: 57, name: 'trace_uprobe_session', kernelName: 'BPF_TRACE_UPROBE_SESSION' },
] as const;

export type ProgramTypeName = (typeof PROGRAM_TYPES)[number]['name'];
export type AttachTypeName = (typeof ATTACH_TYPES)[number]['name'];
export type ProgramTypeInfo = (typeof PROGRAM_TYPES)[number];
export type AttachTypeInfo = (typeof ATTACH_TYPES)[number];

const programTypesByName = new Map<string, ProgramTypeInfo>(PROGRAM_TYPES.map((type) => [type.name, type]));
const programTypesById = new Map<number, ProgramTypeInfo>(PROGRAM_TYPES.map((type) => [type.id, type]));
const attachTypesByName = new Map<string, AttachTypeInfo>(ATTACH_TYPES.map((type) => [type.name, type]));
const attachTypesById = new Map<number, AttachTypeInfo>(ATTACH_TYPES.map((type) => [type.id, type]));

export function programTypeByName(name: string): ProgramTypeInfo | undefined {
  return programTypesByName.get(name);
}
export function programTypeById(id: number): ProgramTypeInfo | undefined {
  return programTypesById.get(id);
}
export function attachTypeByName(name: string): AttachTypeInfo | undefined {
  return attachTypesByName.get(name);
}
export function attachTypeById(id: number): AttachTypeInfo | undefined {
  return attachTypesById.get(id);
}

/** `prog_flags` bits that a section name implies. */
export const BPF_F_SLEEPABLE = 1 << 4;
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;

/**
 * How a libbpf section prefix matches an ELF section name:
 * `exact` — the whole name (`SEC("socket")`, `SEC("xdp")`, `SEC("tc")`);
 * `exactOrSlash` — libbpf's `"type+"`: the name alone or followed by `/` and anything (`kprobe/do_sys_open`);
 * `prefix` — libbpf's `"type/"`: must be followed by `/` (no such entry in 1.1.2, kept for custom tables).
 */
export type SectionMatch = 'exact' | 'exactOrSlash' | 'prefix';

/** One entry of libbpf's `section_defs` (flags are libbpf's `SEC_*` cookie bits). */
export interface SectionDef {
  readonly prefix: string;
  readonly match: SectionMatch;
  readonly programType: ProgramTypeName;
  /** Undefined where libbpf passes 0 without meaning an attach type. */
  readonly expectedAttachType: AttachTypeName | undefined;
  /** SEC_ATTACHABLE: reported by `libbpf_attach_type_by_name` (legacy BPF_PROG_ATTACH targets). */
  readonly attachable?: true;
  /** SEC_EXP_ATTACH_OPT: expected_attach_type dropped on kernels that do not know it. */
  readonly expectedAttachTypeOptional?: true;
  /** SEC_ATTACH_BTF: the target is a BTF id named after the `/`. */
  readonly attachBtf?: true;
  /** SEC_SLEEPABLE: loaded with BPF_F_SLEEPABLE. */
  readonly sleepable?: true;
  /** SEC_XDP_FRAGS: loaded with BPF_F_XDP_HAS_FRAGS. */
  readonly xdpFrags?: true;
  /** libbpf can attach it by itself (`bpf_program__attach`). */
  readonly autoAttach?: true;
}

/** libbpf 1.1.2's `section_defs`, in its order: the first entry that matches wins. */
export const SECTION_DEFS: readonly SectionDef[] = [
  { prefix: 'socket', match: 'exact', programType: 'socket_filter', expectedAttachType: undefined },
  {
    prefix: 'sk_reuseport/migrate',
    match: 'exact',
    programType: 'sk_reuseport',
    expectedAttachType: 'sk_reuseport_select_or_migrate',
    attachable: true,
  },
  {
    prefix: 'sk_reuseport',
    match: 'exact',
    programType: 'sk_reuseport',
    expectedAttachType: 'sk_reuseport_select',
    attachable: true,
  },
  {
    prefix: 'kprobe',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'uprobe',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'uprobe.s',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'kretprobe',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'uretprobe',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'uretprobe.s',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'kprobe.multi',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: 'trace_kprobe_multi',
    autoAttach: true,
  },
  {
    prefix: 'kretprobe.multi',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: 'trace_kprobe_multi',
    autoAttach: true,
  },
  {
    prefix: 'ksyscall',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'kretsyscall',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'usdt',
    match: 'exactOrSlash',
    programType: 'kprobe',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  { prefix: 'tc', match: 'exact', programType: 'sched_cls', expectedAttachType: undefined },
  { prefix: 'classifier', match: 'exact', programType: 'sched_cls', expectedAttachType: undefined },
  { prefix: 'action', match: 'exact', programType: 'sched_act', expectedAttachType: undefined },
  {
    prefix: 'tracepoint',
    match: 'exactOrSlash',
    programType: 'tracepoint',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'tp',
    match: 'exactOrSlash',
    programType: 'tracepoint',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'raw_tracepoint',
    match: 'exactOrSlash',
    programType: 'raw_tracepoint',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'raw_tp',
    match: 'exactOrSlash',
    programType: 'raw_tracepoint',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'raw_tracepoint.w',
    match: 'exactOrSlash',
    programType: 'raw_tracepoint_writable',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'raw_tp.w',
    match: 'exactOrSlash',
    programType: 'raw_tracepoint_writable',
    expectedAttachType: undefined,
    autoAttach: true,
  },
  {
    prefix: 'tp_btf',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_raw_tp',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'fentry',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_fentry',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'fmod_ret',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'modify_return',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'fexit',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_fexit',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'fentry.s',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_fentry',
    attachBtf: true,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'fmod_ret.s',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'modify_return',
    attachBtf: true,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'fexit.s',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_fexit',
    attachBtf: true,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'freplace',
    match: 'exactOrSlash',
    programType: 'ext',
    expectedAttachType: undefined,
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'lsm',
    match: 'exactOrSlash',
    programType: 'lsm',
    expectedAttachType: 'lsm_mac',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'lsm.s',
    match: 'exactOrSlash',
    programType: 'lsm',
    expectedAttachType: 'lsm_mac',
    attachBtf: true,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'lsm_cgroup',
    match: 'exactOrSlash',
    programType: 'lsm',
    expectedAttachType: 'lsm_cgroup',
    attachBtf: true,
  },
  {
    prefix: 'iter',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_iter',
    attachBtf: true,
    autoAttach: true,
  },
  {
    prefix: 'iter.s',
    match: 'exactOrSlash',
    programType: 'tracing',
    expectedAttachType: 'trace_iter',
    attachBtf: true,
    sleepable: true,
    autoAttach: true,
  },
  {
    prefix: 'syscall',
    match: 'exact',
    programType: 'syscall',
    expectedAttachType: undefined,
    sleepable: true,
  },
  {
    prefix: 'xdp.frags/devmap',
    match: 'exact',
    programType: 'xdp',
    expectedAttachType: 'xdp_devmap',
    xdpFrags: true,
  },
  {
    prefix: 'xdp/devmap',
    match: 'exact',
    programType: 'xdp',
    expectedAttachType: 'xdp_devmap',
    attachable: true,
  },
  {
    prefix: 'xdp.frags/cpumap',
    match: 'exact',
    programType: 'xdp',
    expectedAttachType: 'xdp_cpumap',
    xdpFrags: true,
  },
  {
    prefix: 'xdp/cpumap',
    match: 'exact',
    programType: 'xdp',
    expectedAttachType: 'xdp_cpumap',
    attachable: true,
  },
  { prefix: 'xdp.frags', match: 'exact', programType: 'xdp', expectedAttachType: 'xdp', xdpFrags: true },
  {
    prefix: 'xdp',
    match: 'exact',
    programType: 'xdp',
    expectedAttachType: 'xdp',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  { prefix: 'perf_event', match: 'exact', programType: 'perf_event', expectedAttachType: undefined },
  { prefix: 'lwt_in', match: 'exact', programType: 'lwt_in', expectedAttachType: undefined },
  { prefix: 'lwt_out', match: 'exact', programType: 'lwt_out', expectedAttachType: undefined },
  { prefix: 'lwt_xmit', match: 'exact', programType: 'lwt_xmit', expectedAttachType: undefined },
  { prefix: 'lwt_seg6local', match: 'exact', programType: 'lwt_seg6local', expectedAttachType: undefined },
  {
    prefix: 'sockops',
    match: 'exact',
    programType: 'sock_ops',
    expectedAttachType: 'cgroup_sock_ops',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'sk_skb/stream_parser',
    match: 'exact',
    programType: 'sk_skb',
    expectedAttachType: 'sk_skb_stream_parser',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'sk_skb/stream_verdict',
    match: 'exact',
    programType: 'sk_skb',
    expectedAttachType: 'sk_skb_stream_verdict',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  { prefix: 'sk_skb', match: 'exact', programType: 'sk_skb', expectedAttachType: undefined },
  {
    prefix: 'sk_msg',
    match: 'exact',
    programType: 'sk_msg',
    expectedAttachType: 'sk_msg_verdict',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'lirc_mode2',
    match: 'exact',
    programType: 'lirc_mode2',
    expectedAttachType: 'lirc_mode2',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'flow_dissector',
    match: 'exact',
    programType: 'flow_dissector',
    expectedAttachType: 'flow_dissector',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'cgroup_skb/ingress',
    match: 'exact',
    programType: 'cgroup_skb',
    expectedAttachType: 'cgroup_inet_ingress',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'cgroup_skb/egress',
    match: 'exact',
    programType: 'cgroup_skb',
    expectedAttachType: 'cgroup_inet_egress',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  { prefix: 'cgroup/skb', match: 'exact', programType: 'cgroup_skb', expectedAttachType: undefined },
  {
    prefix: 'cgroup/sock_create',
    match: 'exact',
    programType: 'cgroup_sock',
    expectedAttachType: 'cgroup_inet_sock_create',
    attachable: true,
  },
  {
    prefix: 'cgroup/sock_release',
    match: 'exact',
    programType: 'cgroup_sock',
    expectedAttachType: 'cgroup_inet_sock_release',
    attachable: true,
  },
  {
    prefix: 'cgroup/sock',
    match: 'exact',
    programType: 'cgroup_sock',
    expectedAttachType: 'cgroup_inet_sock_create',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  {
    prefix: 'cgroup/post_bind4',
    match: 'exact',
    programType: 'cgroup_sock',
    expectedAttachType: 'cgroup_inet4_post_bind',
    attachable: true,
  },
  {
    prefix: 'cgroup/post_bind6',
    match: 'exact',
    programType: 'cgroup_sock',
    expectedAttachType: 'cgroup_inet6_post_bind',
    attachable: true,
  },
  {
    prefix: 'cgroup/bind4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet4_bind',
    attachable: true,
  },
  {
    prefix: 'cgroup/bind6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet6_bind',
    attachable: true,
  },
  {
    prefix: 'cgroup/connect4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet4_connect',
    attachable: true,
  },
  {
    prefix: 'cgroup/connect6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet6_connect',
    attachable: true,
  },
  {
    prefix: 'cgroup/sendmsg4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_udp4_sendmsg',
    attachable: true,
  },
  {
    prefix: 'cgroup/sendmsg6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_udp6_sendmsg',
    attachable: true,
  },
  {
    prefix: 'cgroup/recvmsg4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_udp4_recvmsg',
    attachable: true,
  },
  {
    prefix: 'cgroup/recvmsg6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_udp6_recvmsg',
    attachable: true,
  },
  {
    prefix: 'cgroup/getpeername4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet4_getpeername',
    attachable: true,
  },
  {
    prefix: 'cgroup/getpeername6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet6_getpeername',
    attachable: true,
  },
  {
    prefix: 'cgroup/getsockname4',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet4_getsockname',
    attachable: true,
  },
  {
    prefix: 'cgroup/getsockname6',
    match: 'exact',
    programType: 'cgroup_sock_addr',
    expectedAttachType: 'cgroup_inet6_getsockname',
    attachable: true,
  },
  {
    prefix: 'cgroup/sysctl',
    match: 'exact',
    programType: 'cgroup_sysctl',
    expectedAttachType: 'cgroup_sysctl',
    attachable: true,
  },
  {
    prefix: 'cgroup/getsockopt',
    match: 'exact',
    programType: 'cgroup_sockopt',
    expectedAttachType: 'cgroup_getsockopt',
    attachable: true,
  },
  {
    prefix: 'cgroup/setsockopt',
    match: 'exact',
    programType: 'cgroup_sockopt',
    expectedAttachType: 'cgroup_setsockopt',
    attachable: true,
  },
  {
    prefix: 'cgroup/dev',
    match: 'exact',
    programType: 'cgroup_device',
    expectedAttachType: 'cgroup_device',
    attachable: true,
    expectedAttachTypeOptional: true,
  },
  { prefix: 'struct_ops', match: 'exactOrSlash', programType: 'struct_ops', expectedAttachType: undefined },
  {
    prefix: 'sk_lookup',
    match: 'exact',
    programType: 'sk_lookup',
    expectedAttachType: 'sk_lookup',
    attachable: true,
  },
];

/** libbpf's `sec_def_matches`. */
export function sectionDefMatches(def: SectionDef, sectionName: string): boolean {
  switch (def.match) {
    case 'exact':
      return sectionName === def.prefix;
    case 'prefix':
      return sectionName.startsWith(def.prefix);
    case 'exactOrSlash': {
      if (!sectionName.startsWith(def.prefix)) return false;
      const rest = sectionName.slice(def.prefix.length);
      return rest === '' || rest.startsWith('/');
    }
    default: {
      const unreachable: never = def.match;
      return unreachable;
    }
  }
}

export interface SectionProgramType {
  readonly def: SectionDef;
  readonly programType: ProgramTypeName;
  readonly programTypeId: number;
  readonly expectedAttachType: AttachTypeName | undefined;
  /** What libbpf puts in `expected_attach_type` (0 when the entry names none). */
  readonly expectedAttachTypeId: number;
  /** `prog_flags` libbpf adds for this section (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS). */
  readonly progFlags: number;
}

/**
 * The program type libbpf 1.1 gives an ELF section name (`libbpf_prog_type_by_name`), or undefined when no
 * entry matches (libbpf: "failed to guess program type from ELF section '%s'"; since 1.0 there is no legacy
 * fallback, so such a program cannot be loaded without an explicit type).
 */
export function programTypeForSection(sectionName: string): SectionProgramType | undefined {
  const def = SECTION_DEFS.find((candidate) => sectionDefMatches(candidate, sectionName));
  if (def === undefined) return undefined;
  const attach = def.expectedAttachType === undefined ? undefined : attachTypeByName(def.expectedAttachType);
  let progFlags = 0;
  if (def.sleepable) progFlags |= BPF_F_SLEEPABLE;
  if (def.xdpFrags && def.programType === 'xdp') progFlags |= BPF_F_XDP_HAS_FRAGS;
  return {
    def,
    programType: def.programType,
    programTypeId: programTypeByName(def.programType)?.id ?? 0,
    expectedAttachType: def.expectedAttachType,
    expectedAttachTypeId: attach?.id ?? 0,
    progFlags,
  };
}

/** libbpf's `libbpf_attach_type_by_name`: the attach type of an attachable section, else undefined. */
export function attachTypeForSection(sectionName: string): AttachTypeName | undefined {
  const def = SECTION_DEFS.find((candidate) => sectionDefMatches(candidate, sectionName));
  if (def === undefined || !def.attachable) return undefined;
  return def.expectedAttachType ?? 'cgroup_inet_ingress';
}
