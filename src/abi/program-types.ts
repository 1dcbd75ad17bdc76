// Program types and attach types (Linux 6.18 `enum bpf_prog_type`/`enum bpf_attach_type`) and the prog_flags sections imply.

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

/** Program types any loader may load without CAP_BPF (where unprivileged bpf is allowed at all). */
export const UNPRIVILEGED_PROGRAM_TYPES: ReadonlySet<string> = new Set(['socket_filter', 'cgroup_skb']);

/** Program types BPF_PROG_LOAD refuses with EPERM without CAP_NET_ADMIN (the kernel's is_net_admin_prog_type). */
export const NET_ADMIN_PROGRAM_TYPES: ReadonlySet<string> = new Set([
  'sched_cls',
  'sched_act',
  'xdp',
  'lwt_in',
  'lwt_out',
  'lwt_xmit',
  'lwt_seg6local',
  'sk_skb',
  'sk_msg',
  'lirc_mode2',
  'flow_dissector',
  'cgroup_device',
  'cgroup_sock',
  'cgroup_sock_addr',
  'cgroup_sockopt',
  'cgroup_sysctl',
  'sock_ops',
  'ext',
  'netfilter',
]);

/** Program types BPF_PROG_LOAD refuses with EPERM without CAP_PERFMON (the kernel's is_perfmon_prog_type). */
export const PERFMON_PROGRAM_TYPES: ReadonlySet<string> = new Set([
  'kprobe',
  'tracepoint',
  'perf_event',
  'raw_tracepoint',
  'raw_tracepoint_writable',
  'tracing',
  'lsm',
  'struct_ops',
  'ext',
]);

/** `prog_flags` bits of BPF_PROG_LOAD (libbpf sets them from section names, see src/object/section-names.ts). */
export const BPF_F_SLEEPABLE = 1 << 4;
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;
