// libbpf 1.1.2's section-name conventions (`section_defs`): which program type and expected attach type a
// `SEC("...")` name gives, and the load flags it implies. A libbpf convention, not kernel ABI.

import {
  type AttachTypeName,
  attachTypeByName,
  BPF_F_SLEEPABLE,
  BPF_F_XDP_HAS_FRAGS,
  type ProgramTypeName,
  programTypeByName,
} from '../abi/program-types.js';

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
export function programTypeForSection(section: string): SectionProgramType | undefined {
  // libbpf: `SEC("?xdp")` is an xdp program with autoload off.
  const sectionName = section.startsWith('?') ? section.slice(1) : section;
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
