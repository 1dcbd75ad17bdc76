// BPF helper functions as data: id, name and the verifier prototype (Linux 6.18), plus where each may be called.
import type { MapTypeName } from './map-types.js';
import type { ProgramTypeName } from './program-types.js';

/** Base argument kinds of the kernel's `enum bpf_arg_type` (flags are kept apart, as the kernel does). */
export type ArgBaseType =
  | 'ARG_DONTCARE'
  | 'ARG_CONST_MAP_PTR'
  | 'ARG_PTR_TO_MAP_KEY'
  | 'ARG_PTR_TO_MAP_VALUE'
  | 'ARG_PTR_TO_MEM'
  | 'ARG_PTR_TO_ARENA'
  | 'ARG_CONST_SIZE'
  | 'ARG_CONST_SIZE_OR_ZERO'
  | 'ARG_PTR_TO_CTX'
  | 'ARG_ANYTHING'
  | 'ARG_PTR_TO_SPIN_LOCK'
  | 'ARG_PTR_TO_SOCK_COMMON'
  | 'ARG_PTR_TO_SOCKET'
  | 'ARG_PTR_TO_BTF_ID'
  | 'ARG_PTR_TO_RINGBUF_MEM'
  | 'ARG_CONST_ALLOC_SIZE_OR_ZERO'
  | 'ARG_PTR_TO_BTF_ID_SOCK_COMMON'
  | 'ARG_PTR_TO_PERCPU_BTF_ID'
  | 'ARG_PTR_TO_FUNC'
  | 'ARG_PTR_TO_STACK'
  | 'ARG_PTR_TO_CONST_STR'
  | 'ARG_PTR_TO_TIMER'
  | 'ARG_KPTR_XCHG_DEST'
  | 'ARG_PTR_TO_DYNPTR';

/** Base return kinds of the kernel's `enum bpf_return_type`. */
export type RetBaseType =
  | 'RET_INTEGER'
  | 'RET_VOID'
  | 'RET_PTR_TO_MAP_VALUE'
  | 'RET_PTR_TO_SOCKET'
  | 'RET_PTR_TO_TCP_SOCK'
  | 'RET_PTR_TO_SOCK_COMMON'
  | 'RET_PTR_TO_MEM'
  | 'RET_PTR_TO_MEM_OR_BTF_ID'
  | 'RET_PTR_TO_BTF_ID';

/** Modifier bits of the kernel's `enum bpf_type_flag`, shared by argument and return types. */
export type TypeFlag =
  | 'PTR_MAYBE_NULL'
  | 'MEM_RDONLY'
  | 'MEM_RINGBUF'
  | 'MEM_USER'
  | 'MEM_PERCPU'
  | 'OBJ_RELEASE'
  | 'PTR_UNTRUSTED'
  | 'MEM_UNINIT'
  | 'DYNPTR_TYPE_LOCAL'
  | 'DYNPTR_TYPE_RINGBUF'
  | 'MEM_FIXED_SIZE'
  | 'MEM_ALLOC'
  | 'PTR_TRUSTED'
  | 'MEM_RCU'
  | 'NON_OWN_REF'
  | 'DYNPTR_TYPE_SKB'
  | 'DYNPTR_TYPE_XDP'
  | 'MEM_ALIGNED'
  | 'MEM_WRITE'
  | 'DYNPTR_TYPE_SKB_META';

/** The kernel's named combinations of a base type and flags (`ARG_PTR_TO_UNINIT_MEM`, ...). */
const ARG_ALIASES = {
  ARG_PTR_TO_MAP_VALUE_OR_NULL: ['ARG_PTR_TO_MAP_VALUE', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_MEM_OR_NULL: ['ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_CTX_OR_NULL: ['ARG_PTR_TO_CTX', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_SOCKET_OR_NULL: ['ARG_PTR_TO_SOCKET', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_STACK_OR_NULL: ['ARG_PTR_TO_STACK', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_BTF_ID_OR_NULL: ['ARG_PTR_TO_BTF_ID', 'PTR_MAYBE_NULL'],
  ARG_PTR_TO_UNINIT_MEM: ['ARG_PTR_TO_MEM', 'MEM_UNINIT', 'MEM_WRITE'],
  ARG_PTR_TO_FIXED_SIZE_MEM: ['ARG_PTR_TO_MEM', 'MEM_FIXED_SIZE'],
} as const satisfies Record<string, readonly [ArgBaseType, ...TypeFlag[]]>;

const RET_ALIASES = {
  RET_PTR_TO_MAP_VALUE_OR_NULL: ['RET_PTR_TO_MAP_VALUE', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_SOCKET_OR_NULL: ['RET_PTR_TO_SOCKET', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_TCP_SOCK_OR_NULL: ['RET_PTR_TO_TCP_SOCK', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_SOCK_COMMON_OR_NULL: ['RET_PTR_TO_SOCK_COMMON', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_RINGBUF_MEM_OR_NULL: ['RET_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RINGBUF'],
  RET_PTR_TO_DYNPTR_MEM_OR_NULL: ['RET_PTR_TO_MEM', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_BTF_ID_OR_NULL: ['RET_PTR_TO_BTF_ID', 'PTR_MAYBE_NULL'],
  RET_PTR_TO_BTF_ID_TRUSTED: ['RET_PTR_TO_BTF_ID', 'PTR_TRUSTED'],
} as const satisfies Record<string, readonly [RetBaseType, ...TypeFlag[]]>;

export type ArgTypeName = ArgBaseType | keyof typeof ARG_ALIASES;
export type RetTypeName = RetBaseType | keyof typeof RET_ALIASES;

/** One argument register (r1..r5) of a helper, as `check_func_arg` sees it. */
export interface HelperArg {
  readonly type: ArgBaseType;
  readonly flags: readonly TypeFlag[];
  /** The kernel's spelling, e.g. `ARG_PTR_TO_MEM | MEM_RDONLY`, for logs and errors. */
  readonly kernelName: string;
  /** Byte size for `MEM_FIXED_SIZE` memory (the proto's `argN_size`). */
  readonly size?: number;
  /** Kernel struct the pointer must point to, for `ARG_PTR_TO_BTF_ID` and friends (`argN_btf_id`). */
  readonly btfType?: string;
}

export interface HelperRet {
  readonly type: RetBaseType;
  readonly flags: readonly TypeFlag[];
  readonly kernelName: string;
  /** Kernel struct of a returned BTF pointer (`ret_btf_id`); `'dynamic'` where the verifier takes it from an argument. */
  readonly btfType?: string;
  /** Index (0-based) of the `ARG_CONST_ALLOC_SIZE_OR_ZERO` argument giving the size of returned memory. */
  readonly sizeArg?: number;
}

/** A `struct bpf_func_proto`. */
export interface HelperProto {
  /** Name of the kernel's `bpf_func_proto` variable this was read from. */
  readonly kernelProto: string;
  readonly ret: HelperRet;
  /** r1.. in order; trailing `ARG_DONTCARE` arguments are left out. */
  readonly args: readonly HelperArg[];
  readonly gplOnly: boolean;
  /** The helper may be given packet pointers directly (`pkt_access`). */
  readonly pktAccess: boolean;
  /** Only callable from sleepable programs (`might_sleep`). */
  readonly mightSleep: boolean;
  /** The proto has an `allowed()` callback that the verifier consults ("helper call is not allowed in probe"). */
  readonly hasAllowedCheck: boolean;
}

/** A different prototype the kernel hands out for some program types. */
export interface HelperVariant {
  readonly programTypes: readonly ProgramTypeName[];
  readonly proto: HelperProto;
}

export type Capability = 'CAP_BPF' | 'CAP_PERFMON' | 'CAP_SYS_ADMIN';

export interface HelperDef {
  /** `enum bpf_func_id` value, the `imm` of `call`. */
  readonly id: number;
  /** Name without the `bpf_` prefix, as in the kernel's `FN(name, id)` list. */
  readonly name: string;
  /** Prototype the kernel uses for most program types; undefined where this kernel configuration has none. */
  readonly proto?: HelperProto;
  readonly variants: readonly HelperVariant[];
  /** Of `HELPER_PROBED_PROGRAM_TYPES`, the ones whose `get_func_proto` returns a prototype (as root). */
  readonly programTypes: readonly ProgramTypeName[];
  /** Capability the kernel's `bpf_base_func_proto` asks for before offering the helper, if any. */
  readonly requires?: Capability;
  /** Invalidates packet pointers after the call (kernel: `bpf_helper_changes_pkt_data`). */
  readonly changesPktData: boolean;
  /** Map types accepted for its `ARG_CONST_MAP_PTR` argument when the helper restricts them. */
  readonly mapTypes?: readonly MapTypeName[];
}

function splitKernelName(parts: readonly string[]): string {
  return parts.join(' | ');
}

/** Build an argument from the kernel's name (alias or base) and extra flags: `arg('ARG_PTR_TO_MEM', 'MEM_RDONLY')`. */
export function arg(
  name: ArgTypeName,
  ...rest: (TypeFlag | { size?: number; btfType?: string })[]
): HelperArg {
  const flagsGiven = rest.filter((item): item is TypeFlag => typeof item === 'string');
  const extra = rest.find((item) => typeof item === 'object') as
    | { size?: number; btfType?: string }
    | undefined;
  const expansion: readonly string[] =
    name in ARG_ALIASES ? ARG_ALIASES[name as keyof typeof ARG_ALIASES] : [name];
  const flags = [...(expansion.slice(1) as TypeFlag[]), ...flagsGiven];
  return {
    type: expansion[0] as ArgBaseType,
    flags,
    kernelName: splitKernelName([name, ...flagsGiven]),
    ...(extra?.size !== undefined ? { size: extra.size } : {}),
    ...(extra?.btfType !== undefined ? { btfType: extra.btfType } : {}),
  };
}

/** Build a return type from the kernel's name and extra flags. */
export function ret(name: RetTypeName, ...rest: (TypeFlag | { btfType?: string })[]): HelperRet {
  const flagsGiven = rest.filter((item): item is TypeFlag => typeof item === 'string');
  const extra = rest.find((item) => typeof item === 'object') as { btfType?: string } | undefined;
  const expansion: readonly string[] =
    name in RET_ALIASES ? RET_ALIASES[name as keyof typeof RET_ALIASES] : [name];
  return {
    type: expansion[0] as RetBaseType,
    flags: [...(expansion.slice(1) as TypeFlag[]), ...flagsGiven],
    kernelName: splitKernelName([name, ...flagsGiven]),
    ...(extra?.btfType !== undefined ? { btfType: extra.btfType } : {}),
  };
}

interface ProtoFields {
  gplOnly?: boolean;
  pktAccess?: boolean;
  mightSleep?: boolean;
  hasAllowedCheck?: boolean;
}

function proto(
  kernelProto: string,
  r: HelperRet,
  args: readonly HelperArg[],
  fields: ProtoFields = {},
): HelperProto {
  const sizeArg = args.findIndex((a) => a.type === 'ARG_CONST_ALLOC_SIZE_OR_ZERO');
  const withSize = r.type === 'RET_PTR_TO_MEM' && sizeArg >= 0 ? { ...r, sizeArg } : r;
  return {
    kernelProto,
    ret: withSize,
    args,
    gplOnly: fields.gplOnly ?? false,
    pktAccess: fields.pktAccess ?? false,
    mightSleep: fields.mightSleep ?? false,
    hasAllowedCheck: fields.hasAllowedCheck ?? false,
  };
}

/**
 * Program types whose helper sets were read from the running 6.18 kernel (as root, by loading a call to every
 * helper id and looking for "program of this type cannot use helper"). Types needing a BTF attach target
 * (tracing, lsm, struct_ops, ext) and lirc_mode2 are not covered: `programTypes` never lists them.
 */
export const HELPER_PROBED_PROGRAM_TYPES = [
  'socket_filter',
  'kprobe',
  'sched_cls',
  'sched_act',
  'tracepoint',
  'xdp',
  'perf_event',
  'cgroup_skb',
  'cgroup_sock',
  'lwt_in',
  'lwt_out',
  'lwt_xmit',
  'sock_ops',
  'sk_skb',
  'cgroup_device',
  'sk_msg',
  'raw_tracepoint',
  'cgroup_sock_addr',
  'lwt_seg6local',
  'sk_reuseport',
  'flow_dissector',
  'cgroup_sysctl',
  'raw_tracepoint_writable',
  'cgroup_sockopt',
  'sk_lookup',
  'syscall',
  'netfilter',
] as const satisfies readonly ProgramTypeName[];

const ALL: readonly ProgramTypeName[] = HELPER_PROBED_PROGRAM_TYPES;
const allExcept = (...excluded: ProgramTypeName[]): readonly ProgramTypeName[] =>
  ALL.filter((type) => !excluded.includes(type));
export const HELPERS: readonly HelperDef[] = [
  {
    id: 1,
    name: 'map_lookup_elem',
    proto: proto(
      'bpf_map_lookup_elem_proto',
      ret('RET_PTR_TO_MAP_VALUE_OR_NULL'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 2,
    name: 'map_update_elem',
    proto: proto(
      'bpf_map_update_elem_proto',
      ret('RET_INTEGER'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY'), arg('ARG_PTR_TO_MAP_VALUE'), arg('ARG_ANYTHING')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 3,
    name: 'map_delete_elem',
    proto: proto(
      'bpf_map_delete_elem_proto',
      ret('RET_INTEGER'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 4,
    name: 'probe_read',
    proto: proto(
      'bpf_probe_read_compat_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [
      'kprobe',
      'tracepoint',
      'perf_event',
      'raw_tracepoint',
      'raw_tracepoint_writable',
      'syscall',
    ],
    changesPktData: false,
  },
  {
    id: 5,
    name: 'ktime_get_ns',
    proto: proto('bpf_ktime_get_ns_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 6,
    name: 'trace_printk',
    proto: proto(
      'bpf_trace_printk_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'), arg('ARG_CONST_SIZE')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 7,
    name: 'get_prandom_u32',
    proto: proto('bpf_get_prandom_u32_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 8,
    name: 'get_smp_processor_id',
    proto: proto('bpf_get_raw_smp_processor_id_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 9,
    name: 'skb_store_bytes',
    proto: proto('bpf_skb_store_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit', 'sk_skb'],
    changesPktData: true,
  },
  {
    id: 10,
    name: 'l3_csum_replace',
    proto: proto('bpf_l3_csum_replace_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: true,
  },
  {
    id: 11,
    name: 'l4_csum_replace',
    proto: proto('bpf_l4_csum_replace_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: true,
  },
  {
    id: 12,
    name: 'tail_call',
    proto: proto('bpf_tail_call_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: true,
    mapTypes: ['prog_array'],
  },
  {
    id: 13,
    name: 'clone_redirect',
    proto: proto('bpf_clone_redirect_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: true,
  },
  {
    id: 14,
    name: 'get_current_pid_tgid',
    proto: proto('bpf_get_current_pid_tgid_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 15,
    name: 'get_current_uid_gid',
    proto: proto('bpf_get_current_uid_gid_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 16,
    name: 'get_current_comm',
    proto: proto('bpf_get_current_comm_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 17,
    name: 'get_cgroup_classid',
    proto: proto('bpf_get_cgroup_classid_curr_proto', ret('RET_INTEGER'), []),
    variants: [
      {
        programTypes: ['sched_cls', 'sched_act'],
        proto: proto('bpf_get_cgroup_classid_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
      },
    ],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 18,
    name: 'skb_vlan_push',
    proto: proto('bpf_skb_vlan_push_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: true,
  },
  {
    id: 19,
    name: 'skb_vlan_pop',
    proto: proto('bpf_skb_vlan_pop_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: true,
  },
  {
    id: 20,
    name: 'skb_get_tunnel_key',
    proto: proto('bpf_skb_get_tunnel_key_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 21,
    name: 'skb_set_tunnel_key',
    proto: proto('bpf_skb_set_tunnel_key_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 22,
    name: 'perf_event_read',
    proto: proto(
      'bpf_perf_event_read_proto',
      ret('RET_INTEGER'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
    mapTypes: ['perf_event_array'],
  },
  {
    id: 23,
    name: 'redirect',
    proto: proto('bpf_redirect_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 24,
    name: 'get_route_realm',
    proto: proto('bpf_get_route_realm_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'],
    changesPktData: false,
  },
  {
    id: 25,
    name: 'perf_event_output',
    proto: proto(
      'bpf_perf_event_output_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_CONST_MAP_PTR'),
        arg('ARG_ANYTHING'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: allExcept('sk_reuseport', 'flow_dissector', 'netfilter'),
    changesPktData: true,
    mapTypes: ['perf_event_array'],
  },
  {
    id: 26,
    name: 'skb_load_bytes',
    proto: proto('bpf_skb_load_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: [
      'socket_filter',
      'sched_cls',
      'sched_act',
      'cgroup_skb',
      'lwt_in',
      'lwt_out',
      'lwt_xmit',
      'sk_skb',
      'lwt_seg6local',
      'sk_reuseport',
      'flow_dissector',
    ],
    changesPktData: false,
  },
  {
    id: 27,
    name: 'get_stackid',
    proto: proto(
      'bpf_get_stackid_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_CONST_MAP_PTR'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [
      {
        programTypes: ['perf_event'],
        proto: proto('bpf_get_stackid_proto_pe', ret('RET_INTEGER'), [
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_CONST_MAP_PTR'),
          arg('ARG_ANYTHING'),
        ]),
      },
    ],
    programTypes: [
      'kprobe',
      'tracepoint',
      'perf_event',
      'raw_tracepoint',
      'raw_tracepoint_writable',
      'syscall',
    ],
    changesPktData: false,
    mapTypes: ['stack_trace'],
  },
  {
    id: 28,
    name: 'csum_diff',
    proto: proto(
      'bpf_csum_diff_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
      ],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'],
    changesPktData: false,
  },
  {
    id: 29,
    name: 'skb_get_tunnel_opt',
    proto: proto('bpf_skb_get_tunnel_opt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 30,
    name: 'skb_set_tunnel_opt',
    proto: proto('bpf_skb_set_tunnel_opt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 31,
    name: 'skb_change_proto',
    proto: proto('bpf_skb_change_proto_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: true,
  },
  {
    id: 32,
    name: 'skb_change_type',
    proto: proto('bpf_skb_change_type_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 33,
    name: 'skb_under_cgroup',
    proto: proto('bpf_skb_under_cgroup_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'],
    changesPktData: false,
    mapTypes: ['cgroup_array'],
  },
  {
    id: 34,
    name: 'get_hash_recalc',
    proto: proto('bpf_get_hash_recalc_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'],
    changesPktData: false,
  },
  {
    id: 35,
    name: 'get_current_task',
    proto: proto('bpf_get_current_task_proto', ret('RET_INTEGER'), [], { gplOnly: true }),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 36,
    name: 'probe_write_user',
    proto: proto(
      'bpf_probe_write_user_proto',
      ret('RET_INTEGER'),
      [arg('ARG_ANYTHING'), arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'), arg('ARG_CONST_SIZE')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    requires: 'CAP_SYS_ADMIN',
    changesPktData: false,
  },
  {
    id: 37,
    name: 'current_task_under_cgroup',
    proto: proto('bpf_current_task_under_cgroup_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['cgroup_array'],
  },
  {
    id: 38,
    name: 'skb_change_tail',
    proto: proto('bpf_skb_change_tail_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit', 'sk_skb'],
    changesPktData: true,
  },
  {
    id: 39,
    name: 'skb_pull_data',
    proto: proto('bpf_skb_pull_data_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'sk_skb', 'lwt_seg6local'],
    changesPktData: true,
  },
  {
    id: 40,
    name: 'csum_update',
    proto: proto('bpf_csum_update_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 41,
    name: 'set_hash_invalid',
    proto: proto('bpf_set_hash_invalid_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 42,
    name: 'get_numa_node_id',
    proto: proto('bpf_get_numa_node_id_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 43,
    name: 'skb_change_head',
    proto: proto('bpf_skb_change_head_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit', 'sk_skb'],
    changesPktData: true,
  },
  {
    id: 44,
    name: 'xdp_adjust_head',
    proto: proto('bpf_xdp_adjust_head_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: true,
  },
  {
    id: 45,
    name: 'probe_read_str',
    proto: proto(
      'bpf_probe_read_compat_str_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [
      'kprobe',
      'tracepoint',
      'perf_event',
      'raw_tracepoint',
      'raw_tracepoint_writable',
      'syscall',
    ],
    changesPktData: false,
  },
  {
    id: 46,
    name: 'get_socket_cookie',
    proto: proto('bpf_get_socket_cookie_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [
      {
        programTypes: ['sk_reuseport', 'syscall'],
        proto: proto('bpf_get_socket_ptr_cookie_proto', ret('RET_INTEGER'), [
          arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON', 'PTR_MAYBE_NULL'),
        ]),
      },
    ],
    programTypes: [
      'socket_filter',
      'sched_cls',
      'sched_act',
      'cgroup_skb',
      'cgroup_sock',
      'sock_ops',
      'sk_skb',
      'cgroup_sock_addr',
      'sk_reuseport',
      'syscall',
    ],
    changesPktData: true,
  },
  {
    id: 47,
    name: 'get_socket_uid',
    proto: proto('bpf_get_socket_uid_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['socket_filter', 'sched_cls', 'sched_act', 'cgroup_skb', 'sk_skb'],
    changesPktData: false,
  },
  {
    id: 48,
    name: 'set_hash',
    proto: proto('bpf_set_hash_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 49,
    name: 'setsockopt',
    proto: proto('bpf_sock_ops_setsockopt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['sock_ops', 'cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 50,
    name: 'skb_adjust_room',
    proto: proto('bpf_skb_adjust_room_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'sk_skb'],
    changesPktData: true,
  },
  {
    id: 51,
    name: 'redirect_map',
    proto: proto('bpf_xdp_redirect_map_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: false,
    mapTypes: ['devmap', 'devmap_hash', 'cpumap', 'xskmap'],
  },
  {
    id: 52,
    name: 'sk_redirect_map',
    proto: proto('bpf_sk_redirect_map_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_skb'],
    changesPktData: false,
    mapTypes: ['sockmap'],
  },
  {
    id: 53,
    name: 'sock_map_update',
    proto: proto(
      'bpf_sock_map_update_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY'), arg('ARG_ANYTHING')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: false,
    mapTypes: ['sockmap'],
  },
  {
    id: 54,
    name: 'xdp_adjust_meta',
    proto: proto('bpf_xdp_adjust_meta_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: true,
  },
  {
    id: 55,
    name: 'perf_event_read_value',
    proto: proto(
      'bpf_perf_event_read_value_proto',
      ret('RET_INTEGER'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_ANYTHING'), arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
    mapTypes: ['perf_event_array'],
  },
  {
    id: 56,
    name: 'perf_prog_read_value',
    proto: proto(
      'bpf_perf_prog_read_value_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['perf_event'],
    changesPktData: false,
  },
  {
    id: 57,
    name: 'getsockopt',
    proto: proto('bpf_sock_ops_getsockopt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['sock_ops', 'cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 58,
    name: 'override_return',
    proto: proto(
      'bpf_override_return_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 59,
    name: 'sock_ops_cb_flags_set',
    proto: proto('bpf_sock_ops_cb_flags_set_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: false,
  },
  {
    id: 60,
    name: 'msg_redirect_map',
    proto: proto('bpf_msg_redirect_map_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: false,
    mapTypes: ['sockmap'],
  },
  {
    id: 61,
    name: 'msg_apply_bytes',
    proto: proto('bpf_msg_apply_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: false,
  },
  {
    id: 62,
    name: 'msg_cork_bytes',
    proto: proto('bpf_msg_cork_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: false,
  },
  {
    id: 63,
    name: 'msg_pull_data',
    proto: proto('bpf_msg_pull_data_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: true,
  },
  {
    id: 64,
    name: 'bind',
    proto: proto('bpf_bind_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 65,
    name: 'xdp_adjust_tail',
    proto: proto('bpf_xdp_adjust_tail_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: true,
  },
  {
    id: 66,
    name: 'skb_get_xfrm_state',
    proto: proto('bpf_skb_get_xfrm_state_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 67,
    name: 'get_stack',
    proto: proto(
      'bpf_get_stack_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_PTR_TO_UNINIT_MEM'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [
      'kprobe',
      'tracepoint',
      'perf_event',
      'raw_tracepoint',
      'raw_tracepoint_writable',
      'syscall',
    ],
    changesPktData: false,
  },
  {
    id: 68,
    name: 'skb_load_bytes_relative',
    proto: proto('bpf_skb_load_bytes_relative_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['socket_filter', 'sched_cls', 'sched_act', 'cgroup_skb', 'sk_reuseport'],
    changesPktData: false,
  },
  {
    id: 69,
    name: 'fib_lookup',
    proto: proto(
      'bpf_skb_fib_lookup_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_PTR_TO_MEM', 'MEM_WRITE'), arg('ARG_CONST_SIZE'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 70,
    name: 'sock_hash_update',
    proto: proto(
      'bpf_sock_hash_update_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY'), arg('ARG_ANYTHING')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: false,
    mapTypes: ['sockhash'],
  },
  {
    id: 71,
    name: 'msg_redirect_hash',
    proto: proto('bpf_msg_redirect_hash_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MAP_KEY'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: false,
    mapTypes: ['sockhash'],
  },
  {
    id: 72,
    name: 'sk_redirect_hash',
    proto: proto('bpf_sk_redirect_hash_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MAP_KEY'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_skb'],
    changesPktData: false,
    mapTypes: ['sockhash'],
  },
  {
    id: 73,
    name: 'lwt_push_encap',
    proto: proto('bpf_lwt_in_push_encap_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['lwt_in', 'lwt_xmit'],
    changesPktData: true,
  },
  {
    id: 74,
    name: 'lwt_seg6_store_bytes',
    proto: proto('bpf_lwt_seg6_store_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['lwt_seg6local'],
    changesPktData: true,
  },
  {
    id: 75,
    name: 'lwt_seg6_adjust_srh',
    proto: proto('bpf_lwt_seg6_adjust_srh_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['lwt_seg6local'],
    changesPktData: true,
  },
  {
    id: 76,
    name: 'lwt_seg6_action',
    proto: proto('bpf_lwt_seg6_action_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['lwt_seg6local'],
    changesPktData: true,
  },
  {
    id: 77,
    name: 'rc_repeat',
    proto: proto('rc_repeat_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')], { gplOnly: true }),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 78,
    name: 'rc_keydown',
    proto: proto(
      'rc_keydown_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING'), arg('ARG_ANYTHING'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 79,
    name: 'skb_cgroup_id',
    proto: proto('bpf_skb_cgroup_id_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 80,
    name: 'get_current_cgroup_id',
    proto: proto('bpf_get_current_cgroup_id_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 81,
    name: 'get_local_storage',
    proto: proto('bpf_get_local_storage_proto', ret('RET_PTR_TO_MAP_VALUE'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: [
      'cgroup_skb',
      'cgroup_sock',
      'sock_ops',
      'cgroup_device',
      'cgroup_sock_addr',
      'cgroup_sysctl',
      'cgroup_sockopt',
    ],
    changesPktData: false,
    mapTypes: ['cgroup_storage', 'percpu_cgroup_storage'],
  },
  {
    id: 82,
    name: 'sk_select_reuseport',
    proto: proto('sk_select_reuseport_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MAP_KEY'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_reuseport'],
    changesPktData: false,
    mapTypes: ['reuseport_sockarray', 'sockmap', 'sockhash'],
  },
  {
    id: 83,
    name: 'skb_ancestor_cgroup_id',
    proto: proto('bpf_skb_ancestor_cgroup_id_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 84,
    name: 'sk_lookup_tcp',
    proto: proto(
      'bpf_sk_lookup_tcp_proto',
      ret('RET_PTR_TO_SOCKET_OR_NULL'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
        arg('ARG_ANYTHING'),
      ],
      { pktAccess: true },
    ),
    variants: [
      {
        programTypes: ['cgroup_sock_addr'],
        proto: proto('bpf_sock_addr_sk_lookup_tcp_proto', ret('RET_PTR_TO_SOCKET_OR_NULL'), [
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
          arg('ARG_CONST_SIZE_OR_ZERO'),
          arg('ARG_ANYTHING'),
          arg('ARG_ANYTHING'),
        ]),
      },
    ],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'cgroup_skb', 'sk_skb', 'cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 85,
    name: 'sk_lookup_udp',
    proto: proto(
      'bpf_sk_lookup_udp_proto',
      ret('RET_PTR_TO_SOCKET_OR_NULL'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
        arg('ARG_ANYTHING'),
      ],
      { pktAccess: true },
    ),
    variants: [
      {
        programTypes: ['cgroup_sock_addr'],
        proto: proto('bpf_sock_addr_sk_lookup_udp_proto', ret('RET_PTR_TO_SOCKET_OR_NULL'), [
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
          arg('ARG_CONST_SIZE_OR_ZERO'),
          arg('ARG_ANYTHING'),
          arg('ARG_ANYTHING'),
        ]),
      },
    ],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'cgroup_skb', 'sk_skb', 'cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 86,
    name: 'sk_release',
    proto: proto('bpf_sk_release_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON', 'OBJ_RELEASE'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'cgroup_skb', 'sk_skb', 'cgroup_sock_addr', 'sk_lookup'],
    changesPktData: false,
  },
  {
    id: 87,
    name: 'map_push_elem',
    proto: proto(
      'bpf_map_push_elem_proto',
      ret('RET_INTEGER'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_VALUE'), arg('ARG_ANYTHING')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['queue', 'stack', 'bloom_filter'],
  },
  {
    id: 88,
    name: 'map_pop_elem',
    proto: proto('bpf_map_pop_elem_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MAP_VALUE', 'MEM_UNINIT', 'MEM_WRITE'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['queue', 'stack'],
  },
  {
    id: 89,
    name: 'map_peek_elem',
    proto: proto('bpf_map_peek_elem_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MAP_VALUE', 'MEM_UNINIT', 'MEM_WRITE'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['queue', 'stack', 'bloom_filter'],
  },
  {
    id: 90,
    name: 'msg_push_data',
    proto: proto('bpf_msg_push_data_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: true,
  },
  {
    id: 91,
    name: 'msg_pop_data',
    proto: proto('bpf_msg_pop_data_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sk_msg'],
    changesPktData: true,
  },
  {
    id: 92,
    name: 'rc_pointer_rel',
    proto: proto(
      'rc_pointer_rel_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 93,
    name: 'spin_lock',
    proto: proto('bpf_spin_lock_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_SPIN_LOCK', { btfType: 'dynamic' }),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 94,
    name: 'spin_unlock',
    proto: proto('bpf_spin_unlock_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_SPIN_LOCK', { btfType: 'dynamic' }),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 95,
    name: 'sk_fullsock',
    proto: proto('bpf_sk_fullsock_proto', ret('RET_PTR_TO_SOCKET_OR_NULL'), [arg('ARG_PTR_TO_SOCK_COMMON')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 96,
    name: 'tcp_sock',
    proto: proto('bpf_tcp_sock_proto', ret('RET_PTR_TO_TCP_SOCK_OR_NULL'), [arg('ARG_PTR_TO_SOCK_COMMON')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb', 'sock_ops', 'cgroup_sockopt'],
    changesPktData: false,
  },
  {
    id: 97,
    name: 'skb_ecn_set_ce',
    proto: proto('bpf_skb_ecn_set_ce_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 98,
    name: 'get_listener_sock',
    proto: proto('bpf_get_listener_sock_proto', ret('RET_PTR_TO_SOCKET_OR_NULL'), [
      arg('ARG_PTR_TO_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 99,
    name: 'skc_lookup_tcp',
    proto: proto(
      'bpf_skc_lookup_tcp_proto',
      ret('RET_PTR_TO_SOCK_COMMON_OR_NULL'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
        arg('ARG_ANYTHING'),
      ],
      { pktAccess: true },
    ),
    variants: [
      {
        programTypes: ['cgroup_sock_addr'],
        proto: proto('bpf_sock_addr_skc_lookup_tcp_proto', ret('RET_PTR_TO_SOCK_COMMON_OR_NULL'), [
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
          arg('ARG_CONST_SIZE_OR_ZERO'),
          arg('ARG_ANYTHING'),
          arg('ARG_ANYTHING'),
        ]),
      },
    ],
    programTypes: ['sched_cls', 'sched_act', 'xdp', 'cgroup_skb', 'sk_skb', 'cgroup_sock_addr'],
    changesPktData: false,
  },
  {
    id: 100,
    name: 'tcp_check_syncookie',
    proto: proto(
      'bpf_tcp_check_syncookie_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 101,
    name: 'sysctl_get_name',
    proto: proto('bpf_sysctl_get_name_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_WRITE'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['cgroup_sysctl'],
    changesPktData: false,
  },
  {
    id: 102,
    name: 'sysctl_get_current_value',
    proto: proto('bpf_sysctl_get_current_value_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['cgroup_sysctl'],
    changesPktData: false,
  },
  {
    id: 103,
    name: 'sysctl_get_new_value',
    proto: proto('bpf_sysctl_get_new_value_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['cgroup_sysctl'],
    changesPktData: false,
  },
  {
    id: 104,
    name: 'sysctl_set_new_value',
    proto: proto('bpf_sysctl_set_new_value_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['cgroup_sysctl'],
    changesPktData: false,
  },
  {
    id: 105,
    name: 'strtol',
    proto: proto('bpf_strtol_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED', { size: 8 }),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 106,
    name: 'strtoul',
    proto: proto('bpf_strtoul_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED', { size: 8 }),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 107,
    name: 'sk_storage_get',
    proto: proto('bpf_sk_storage_get_proto', ret('RET_PTR_TO_MAP_VALUE_OR_NULL'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
      arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [
      {
        programTypes: ['cgroup_sock'],
        proto: proto('bpf_sk_storage_get_cg_sock_proto', ret('RET_PTR_TO_MAP_VALUE_OR_NULL'), [
          arg('ARG_CONST_MAP_PTR'),
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
          arg('ARG_ANYTHING'),
        ]),
      },
      {
        programTypes: ['syscall'],
        proto: proto(
          'bpf_sk_storage_get_tracing_proto',
          ret('RET_PTR_TO_MAP_VALUE_OR_NULL'),
          [
            arg('ARG_CONST_MAP_PTR'),
            arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'sock_common' }),
            arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
            arg('ARG_ANYTHING'),
          ],
          { hasAllowedCheck: true },
        ),
      },
    ],
    programTypes: [
      'sched_cls',
      'sched_act',
      'cgroup_skb',
      'cgroup_sock',
      'sock_ops',
      'sk_msg',
      'cgroup_sock_addr',
      'cgroup_sockopt',
      'syscall',
    ],
    changesPktData: false,
    mapTypes: ['sk_storage'],
  },
  {
    id: 108,
    name: 'sk_storage_delete',
    proto: proto('bpf_sk_storage_delete_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
    ]),
    variants: [
      {
        programTypes: ['syscall'],
        proto: proto(
          'bpf_sk_storage_delete_tracing_proto',
          ret('RET_INTEGER'),
          [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'sock_common' })],
          { hasAllowedCheck: true },
        ),
      },
    ],
    programTypes: [
      'sched_cls',
      'sched_act',
      'cgroup_skb',
      'sock_ops',
      'sk_msg',
      'cgroup_sock_addr',
      'cgroup_sockopt',
      'syscall',
    ],
    changesPktData: false,
    mapTypes: ['sk_storage'],
  },
  {
    id: 109,
    name: 'send_signal',
    proto: proto('bpf_send_signal_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 110,
    name: 'tcp_gen_syncookie',
    proto: proto(
      'bpf_tcp_gen_syncookie_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 111,
    name: 'skb_output',
    proto: proto(
      'bpf_skb_output_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'sk_buff' }),
        arg('ARG_CONST_MAP_PTR'),
        arg('ARG_ANYTHING'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
    mapTypes: ['perf_event_array'],
  },
  {
    id: 112,
    name: 'probe_read_user',
    proto: proto(
      'bpf_probe_read_user_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 113,
    name: 'probe_read_kernel',
    proto: proto(
      'bpf_probe_read_kernel_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 114,
    name: 'probe_read_user_str',
    proto: proto(
      'bpf_probe_read_user_str_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 115,
    name: 'probe_read_kernel_str',
    proto: proto(
      'bpf_probe_read_kernel_str_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 116,
    name: 'tcp_send_ack',
    proto: proto('bpf_tcp_send_ack_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID', { btfType: 'tcp_sock' }),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 117,
    name: 'send_signal_thread',
    proto: proto('bpf_send_signal_thread_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 118,
    name: 'jiffies64',
    proto: proto('bpf_jiffies64_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 119,
    name: 'read_branch_records',
    proto: proto(
      'bpf_read_branch_records_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_PTR_TO_MEM_OR_NULL', 'MEM_WRITE'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['perf_event'],
    changesPktData: false,
  },
  {
    id: 120,
    name: 'get_ns_current_pid_tgid',
    proto: proto('bpf_get_ns_current_pid_tgid_proto', ret('RET_INTEGER'), [
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 121,
    name: 'xdp_output',
    proto: proto(
      'bpf_xdp_output_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'xdp_buff' }),
        arg('ARG_CONST_MAP_PTR'),
        arg('ARG_ANYTHING'),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
    mapTypes: ['perf_event_array'],
  },
  {
    id: 122,
    name: 'get_netns_cookie',
    proto: proto('bpf_get_netns_cookie_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX_OR_NULL')]),
    variants: [],
    programTypes: [
      'socket_filter',
      'sched_cls',
      'sched_act',
      'cgroup_skb',
      'cgroup_sock',
      'sock_ops',
      'sk_msg',
      'cgroup_sock_addr',
      'cgroup_sockopt',
    ],
    changesPktData: true,
  },
  {
    id: 123,
    name: 'get_current_ancestor_cgroup_id',
    proto: proto('bpf_get_current_ancestor_cgroup_id_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 124,
    name: 'sk_assign',
    proto: proto('bpf_sk_assign_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [
      {
        programTypes: ['sk_lookup'],
        proto: proto('bpf_sk_lookup_assign_proto', ret('RET_INTEGER'), [
          arg('ARG_PTR_TO_CTX'),
          arg('ARG_PTR_TO_SOCKET_OR_NULL'),
          arg('ARG_ANYTHING'),
        ]),
      },
    ],
    programTypes: ['sched_cls', 'sched_act', 'sk_lookup'],
    changesPktData: false,
  },
  {
    id: 125,
    name: 'ktime_get_boot_ns',
    proto: proto('bpf_ktime_get_boot_ns_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 126,
    name: 'seq_printf',
    proto: proto(
      'bpf_seq_printf_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'seq_file' }),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
        arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 127,
    name: 'seq_write',
    proto: proto(
      'bpf_seq_write_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'seq_file' }),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 128,
    name: 'sk_cgroup_id',
    proto: proto('bpf_sk_cgroup_id_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON')]),
    variants: [],
    programTypes: ['cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 129,
    name: 'sk_ancestor_cgroup_id',
    proto: proto('bpf_sk_ancestor_cgroup_id_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['cgroup_skb'],
    changesPktData: false,
  },
  {
    id: 130,
    name: 'ringbuf_output',
    proto: proto('bpf_ringbuf_output_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 131,
    name: 'ringbuf_reserve',
    proto: proto('bpf_ringbuf_reserve_proto', ret('RET_PTR_TO_RINGBUF_MEM_OR_NULL'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_CONST_ALLOC_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 132,
    name: 'ringbuf_submit',
    proto: proto('bpf_ringbuf_submit_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_RINGBUF_MEM', 'OBJ_RELEASE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 133,
    name: 'ringbuf_discard',
    proto: proto('bpf_ringbuf_discard_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_RINGBUF_MEM', 'OBJ_RELEASE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 134,
    name: 'ringbuf_query',
    proto: proto('bpf_ringbuf_query_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 135,
    name: 'csum_level',
    proto: proto('bpf_csum_level_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'lwt_xmit'],
    changesPktData: false,
  },
  {
    id: 136,
    name: 'skc_to_tcp6_sock',
    proto: proto('bpf_skc_to_tcp6_sock_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'tcp6_sock' }), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 137,
    name: 'skc_to_tcp_sock',
    proto: proto('bpf_skc_to_tcp_sock_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'tcp_sock' }), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 138,
    name: 'skc_to_tcp_timewait_sock',
    proto: proto(
      'bpf_skc_to_tcp_timewait_sock_proto',
      ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'tcp_timewait_sock' }),
      [arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON')],
    ),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 139,
    name: 'skc_to_tcp_request_sock',
    proto: proto(
      'bpf_skc_to_tcp_request_sock_proto',
      ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'tcp_request_sock' }),
      [arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON')],
    ),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 140,
    name: 'skc_to_udp6_sock',
    proto: proto('bpf_skc_to_udp6_sock_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'udp6_sock' }), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 141,
    name: 'get_task_stack',
    proto: proto('bpf_get_task_stack_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID', { btfType: 'task_struct' }),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 142,
    name: 'load_hdr_opt',
    proto: proto('bpf_sock_ops_load_hdr_opt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_WRITE'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: false,
  },
  {
    id: 143,
    name: 'store_hdr_opt',
    proto: proto('bpf_sock_ops_store_hdr_opt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: true,
  },
  {
    id: 144,
    name: 'reserve_hdr_opt',
    proto: proto('bpf_sock_ops_reserve_hdr_opt_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sock_ops'],
    changesPktData: false,
  },
  {
    id: 145,
    name: 'inode_storage_get',
    proto: proto('bpf_inode_storage_get_proto', ret('RET_PTR_TO_MAP_VALUE_OR_NULL'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'inode' }),
      arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
    mapTypes: ['inode_storage'],
  },
  {
    id: 146,
    name: 'inode_storage_delete',
    proto: proto('bpf_inode_storage_delete_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'inode' }),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
    mapTypes: ['inode_storage'],
  },
  {
    id: 147,
    name: 'd_path',
    proto: proto(
      'bpf_d_path_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'path' }),
        arg('ARG_PTR_TO_MEM', 'MEM_WRITE'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { hasAllowedCheck: true },
    ),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 148,
    name: 'copy_from_user',
    proto: proto(
      'bpf_copy_from_user_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO'), arg('ARG_ANYTHING')],
      { mightSleep: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 149,
    name: 'snprintf_btf',
    proto: proto('bpf_snprintf_btf_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_WRITE'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 150,
    name: 'seq_printf_btf',
    proto: proto(
      'bpf_seq_printf_btf_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'seq_file' }),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 151,
    name: 'skb_cgroup_classid',
    proto: proto('bpf_skb_cgroup_classid_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 152,
    name: 'redirect_neigh',
    proto: proto('bpf_redirect_neigh_proto', ret('RET_INTEGER'), [
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 153,
    name: 'per_cpu_ptr',
    proto: proto('bpf_per_cpu_ptr_proto', ret('RET_PTR_TO_MEM_OR_BTF_ID', 'PTR_MAYBE_NULL', 'MEM_RDONLY'), [
      arg('ARG_PTR_TO_PERCPU_BTF_ID'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 154,
    name: 'this_cpu_ptr',
    proto: proto('bpf_this_cpu_ptr_proto', ret('RET_PTR_TO_MEM_OR_BTF_ID', 'MEM_RDONLY'), [
      arg('ARG_PTR_TO_PERCPU_BTF_ID'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 155,
    name: 'redirect_peer',
    proto: proto('bpf_redirect_peer_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING'), arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 156,
    name: 'task_storage_get',
    proto: proto('bpf_task_storage_get_proto', ret('RET_PTR_TO_MAP_VALUE_OR_NULL'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'task_struct' }),
      arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['task_storage'],
  },
  {
    id: 157,
    name: 'task_storage_delete',
    proto: proto('bpf_task_storage_delete_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'task_struct' }),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['task_storage'],
  },
  {
    id: 158,
    name: 'get_current_task_btf',
    proto: proto(
      'bpf_get_current_task_btf_proto',
      ret('RET_PTR_TO_BTF_ID_TRUSTED', { btfType: 'task_struct' }),
      [],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 159,
    name: 'bprm_opts_set',
    proto: proto('bpf_bprm_opts_set_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID', { btfType: 'linux_binprm' }),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 160,
    name: 'ktime_get_coarse_ns',
    proto: proto('bpf_ktime_get_coarse_ns_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_device',
      'raw_tracepoint',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'syscall',
      'netfilter',
    ),
    changesPktData: false,
  },
  {
    id: 161,
    name: 'ima_inode_hash',
    proto: proto(
      'bpf_ima_inode_hash_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_BTF_ID', { btfType: 'inode' }), arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE')],
      { mightSleep: true, hasAllowedCheck: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 162,
    name: 'sock_from_file',
    proto: proto('bpf_sock_from_file_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'socket' }), [
      arg('ARG_PTR_TO_BTF_ID', { btfType: 'file' }),
    ]),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 163,
    name: 'check_mtu',
    proto: proto(
      'bpf_skb_check_mtu_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_CTX'),
        arg('ARG_ANYTHING'),
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_WRITE', 'MEM_ALIGNED', { size: 4 }),
        arg('ARG_ANYTHING'),
        arg('ARG_ANYTHING'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 164,
    name: 'for_each_map_elem',
    proto: proto('bpf_for_each_map_elem_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_FUNC'),
      arg('ARG_PTR_TO_STACK_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 165,
    name: 'snprintf',
    proto: proto(
      'bpf_snprintf_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_MEM_OR_NULL', 'MEM_WRITE'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_PTR_TO_CONST_STR'),
        arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 166,
    name: 'sys_bpf',
    proto: proto('bpf_sys_bpf_proto', ret('RET_INTEGER'), [
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 167,
    name: 'btf_find_by_name_kind',
    proto: proto('bpf_btf_find_by_name_kind_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 168,
    name: 'sys_close',
    proto: proto('bpf_sys_close_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 169,
    name: 'timer_init',
    proto: proto(
      'bpf_timer_init_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_TIMER'), arg('ARG_CONST_MAP_PTR'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 170,
    name: 'timer_set_callback',
    proto: proto(
      'bpf_timer_set_callback_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_TIMER'), arg('ARG_PTR_TO_FUNC')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 171,
    name: 'timer_start',
    proto: proto(
      'bpf_timer_start_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_TIMER'), arg('ARG_ANYTHING'), arg('ARG_ANYTHING')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 172,
    name: 'timer_cancel',
    proto: proto('bpf_timer_cancel_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_TIMER')], { gplOnly: true }),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 173,
    name: 'get_func_ip',
    proto: proto('bpf_get_func_ip_proto_kprobe', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')], {
      gplOnly: true,
    }),
    variants: [],
    programTypes: ['kprobe'],
    changesPktData: false,
  },
  {
    id: 174,
    name: 'get_attach_cookie',
    proto: proto('bpf_get_attach_cookie_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: ['kprobe', 'tracepoint', 'perf_event', 'raw_tracepoint', 'raw_tracepoint_writable'],
    changesPktData: false,
  },
  {
    id: 175,
    name: 'task_pt_regs',
    proto: proto(
      'bpf_task_pt_regs_proto',
      ret('RET_PTR_TO_BTF_ID', { btfType: 'pt_regs' }),
      [arg('ARG_PTR_TO_BTF_ID', { btfType: 'task_struct' })],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 176,
    name: 'get_branch_snapshot',
    proto: proto(
      'bpf_get_branch_snapshot_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE_OR_ZERO')],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 177,
    name: 'trace_vprintk',
    proto: proto(
      'bpf_trace_vprintk_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE'),
        arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 178,
    name: 'skc_to_unix_sock',
    proto: proto('bpf_skc_to_unix_sock_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'unix_sock' }), [
      arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 179,
    name: 'kallsyms_lookup_name',
    proto: proto('bpf_kallsyms_lookup_name_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED', { size: 8 }),
    ]),
    variants: [],
    programTypes: ['syscall'],
    changesPktData: false,
  },
  {
    id: 180,
    name: 'find_vma',
    proto: proto('bpf_find_vma_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_BTF_ID', { btfType: 'task_struct' }),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FUNC'),
      arg('ARG_PTR_TO_STACK_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 181,
    name: 'loop',
    proto: proto('bpf_loop_proto', ret('RET_INTEGER'), [
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FUNC'),
      arg('ARG_PTR_TO_STACK_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 182,
    name: 'strncmp',
    proto: proto('bpf_strncmp_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
      arg('ARG_PTR_TO_CONST_STR'),
    ]),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 183,
    name: 'get_func_arg',
    proto: proto('bpf_get_func_arg_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED', { size: 8 }),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 184,
    name: 'get_func_ret',
    proto: proto('bpf_get_func_ret_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED', { size: 8 }),
    ]),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 185,
    name: 'get_func_arg_cnt',
    proto: proto('bpf_get_func_arg_cnt_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 186,
    name: 'get_retval',
    proto: proto('bpf_get_retval_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ['cgroup_sock', 'cgroup_device', 'cgroup_sock_addr', 'cgroup_sysctl', 'cgroup_sockopt'],
    changesPktData: false,
  },
  {
    id: 187,
    name: 'set_retval',
    proto: proto('bpf_set_retval_proto', ret('RET_INTEGER'), [arg('ARG_ANYTHING')]),
    variants: [],
    programTypes: ['cgroup_sock', 'cgroup_device', 'cgroup_sock_addr', 'cgroup_sysctl', 'cgroup_sockopt'],
    changesPktData: false,
  },
  {
    id: 188,
    name: 'xdp_get_buff_len',
    proto: proto('bpf_xdp_get_buff_len_proto', ret('RET_INTEGER'), [arg('ARG_PTR_TO_CTX')]),
    variants: [
      {
        programTypes: ['syscall'],
        proto: proto('bpf_xdp_get_buff_len_trace_proto', ret('RET_INTEGER'), [
          arg('ARG_PTR_TO_BTF_ID', { btfType: 'xdp_buff' }),
        ]),
      },
    ],
    programTypes: ['xdp', 'syscall'],
    changesPktData: false,
  },
  {
    id: 189,
    name: 'xdp_load_bytes',
    proto: proto('bpf_xdp_load_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: false,
  },
  {
    id: 190,
    name: 'xdp_store_bytes',
    proto: proto('bpf_xdp_store_bytes_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE'),
    ]),
    variants: [],
    programTypes: ['xdp'],
    changesPktData: false,
  },
  {
    id: 191,
    name: 'copy_from_user_task',
    proto: proto(
      'bpf_copy_from_user_task_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_UNINIT_MEM'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
        arg('ARG_ANYTHING'),
        arg('ARG_PTR_TO_BTF_ID', { btfType: 'task_struct' }),
        arg('ARG_ANYTHING'),
      ],
      { gplOnly: true, mightSleep: true },
    ),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 192,
    name: 'skb_set_tstamp',
    proto: proto('bpf_skb_set_tstamp_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_CTX'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ['sched_cls', 'sched_act'],
    changesPktData: false,
  },
  {
    id: 193,
    name: 'ima_file_hash',
    proto: proto(
      'bpf_ima_file_hash_proto',
      ret('RET_INTEGER'),
      [arg('ARG_PTR_TO_BTF_ID', { btfType: 'file' }), arg('ARG_PTR_TO_UNINIT_MEM'), arg('ARG_CONST_SIZE')],
      { mightSleep: true, hasAllowedCheck: true },
    ),
    variants: [],
    programTypes: [],
    changesPktData: false,
  },
  {
    id: 194,
    name: 'kptr_xchg',
    proto: proto('bpf_kptr_xchg_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'dynamic' }), [
      arg('ARG_KPTR_XCHG_DEST'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', 'OBJ_RELEASE', { btfType: 'dynamic' }),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 195,
    name: 'map_lookup_percpu_elem',
    proto: proto(
      'bpf_map_lookup_percpu_elem_proto',
      ret('RET_PTR_TO_MAP_VALUE_OR_NULL'),
      [arg('ARG_CONST_MAP_PTR'), arg('ARG_PTR_TO_MAP_KEY'), arg('ARG_ANYTHING')],
      { pktAccess: true },
    ),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
    mapTypes: ['percpu_array', 'percpu_hash', 'lru_percpu_hash'],
  },
  {
    id: 196,
    name: 'skc_to_mptcp_sock',
    proto: proto('bpf_skc_to_mptcp_sock_proto', ret('RET_PTR_TO_BTF_ID_OR_NULL', { btfType: 'mptcp_sock' }), [
      arg('ARG_PTR_TO_SOCK_COMMON'),
    ]),
    variants: [],
    programTypes: allExcept(
      'kprobe',
      'tracepoint',
      'perf_event',
      'cgroup_sock',
      'cgroup_device',
      'raw_tracepoint',
      'sk_reuseport',
      'cgroup_sysctl',
      'raw_tracepoint_writable',
      'cgroup_sockopt',
      'netfilter',
    ),
    requires: 'CAP_PERFMON',
    changesPktData: false,
  },
  {
    id: 197,
    name: 'dynptr_from_mem',
    proto: proto('bpf_dynptr_from_mem_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_LOCAL', 'MEM_UNINIT', 'MEM_WRITE'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 198,
    name: 'ringbuf_reserve_dynptr',
    proto: proto('bpf_ringbuf_reserve_dynptr_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_RINGBUF', 'MEM_UNINIT', 'MEM_WRITE'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 199,
    name: 'ringbuf_submit_dynptr',
    proto: proto('bpf_ringbuf_submit_dynptr_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_RINGBUF', 'OBJ_RELEASE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 200,
    name: 'ringbuf_discard_dynptr',
    proto: proto('bpf_ringbuf_discard_dynptr_proto', ret('RET_VOID'), [
      arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_RINGBUF', 'OBJ_RELEASE'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['ringbuf'],
  },
  {
    id: 201,
    name: 'dynptr_read',
    proto: proto('bpf_dynptr_read_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_UNINIT_MEM'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_PTR_TO_DYNPTR', 'MEM_RDONLY'),
      arg('ARG_ANYTHING'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 202,
    name: 'dynptr_write',
    proto: proto('bpf_dynptr_write_proto', ret('RET_INTEGER'), [
      arg('ARG_PTR_TO_DYNPTR', 'MEM_RDONLY'),
      arg('ARG_ANYTHING'),
      arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
      arg('ARG_CONST_SIZE_OR_ZERO'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 203,
    name: 'dynptr_data',
    proto: proto('bpf_dynptr_data_proto', ret('RET_PTR_TO_DYNPTR_MEM_OR_NULL'), [
      arg('ARG_PTR_TO_DYNPTR', 'MEM_RDONLY'),
      arg('ARG_ANYTHING'),
      arg('ARG_CONST_ALLOC_SIZE_OR_ZERO'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
  },
  {
    id: 204,
    name: 'tcp_raw_gen_syncookie_ipv4',
    proto: proto(
      'bpf_tcp_raw_gen_syncookie_ipv4_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 20 }),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 205,
    name: 'tcp_raw_gen_syncookie_ipv6',
    proto: proto(
      'bpf_tcp_raw_gen_syncookie_ipv6_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 40 }),
        arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
        arg('ARG_CONST_SIZE_OR_ZERO'),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 206,
    name: 'tcp_raw_check_syncookie_ipv4',
    proto: proto(
      'bpf_tcp_raw_check_syncookie_ipv4_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 20 }),
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 20 }),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 207,
    name: 'tcp_raw_check_syncookie_ipv6',
    proto: proto(
      'bpf_tcp_raw_check_syncookie_ipv6_proto',
      ret('RET_INTEGER'),
      [
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 40 }),
        arg('ARG_PTR_TO_FIXED_SIZE_MEM', 'MEM_RDONLY', { size: 20 }),
      ],
      { gplOnly: true, pktAccess: true },
    ),
    variants: [],
    programTypes: ['sched_cls', 'sched_act', 'xdp'],
    changesPktData: false,
  },
  {
    id: 208,
    name: 'ktime_get_tai_ns',
    proto: proto('bpf_ktime_get_tai_ns_proto', ret('RET_INTEGER'), []),
    variants: [],
    programTypes: ALL,
    changesPktData: false,
  },
  {
    id: 209,
    name: 'user_ringbuf_drain',
    proto: proto('bpf_user_ringbuf_drain_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_FUNC'),
      arg('ARG_PTR_TO_STACK_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['user_ringbuf'],
  },
  {
    id: 210,
    name: 'cgrp_storage_get',
    proto: proto('bpf_cgrp_storage_get_proto', ret('RET_PTR_TO_MAP_VALUE_OR_NULL'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'cgroup' }),
      arg('ARG_PTR_TO_MAP_VALUE_OR_NULL'),
      arg('ARG_ANYTHING'),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['cgrp_storage'],
  },
  {
    id: 211,
    name: 'cgrp_storage_delete',
    proto: proto('bpf_cgrp_storage_delete_proto', ret('RET_INTEGER'), [
      arg('ARG_CONST_MAP_PTR'),
      arg('ARG_PTR_TO_BTF_ID_OR_NULL', { btfType: 'cgroup' }),
    ]),
    variants: [],
    programTypes: ALL,
    requires: 'CAP_BPF',
    changesPktData: false,
    mapTypes: ['cgrp_storage'],
  },
];

const helpersById = new Map(HELPERS.map((helper) => [helper.id, helper]));
const helpersByName = new Map(HELPERS.map((helper) => [helper.name, helper]));

/** The helper with this `enum bpf_func_id` value, or undefined. */
export function helperById(id: number): HelperDef | undefined {
  return helpersById.get(id);
}

/** The helper with this name, with or without the `bpf_` prefix. */
export function helperByName(name: string): HelperDef | undefined {
  return helpersByName.get(name) ?? (name.startsWith('bpf_') ? helpersByName.get(name.slice(4)) : undefined);
}

/** How the kernel names a helper in verifier messages: `bpf_map_lookup_elem#1`. */
export function helperLabel(helper: HelperDef): string {
  return `bpf_${helper.name}#${helper.id}`;
}

/** Highest helper id (`__BPF_FUNC_MAX_ID - 1`); larger ids get "invalid func". */
export const LAST_HELPER_ID = HELPERS[HELPERS.length - 1].id;

/**
 * The prototype the kernel's `get_func_proto` gives this helper in a program type, or undefined when the
 * program type may not call it ("program of this type cannot use helper"). Only program types in
 * `HELPER_PROBED_PROGRAM_TYPES` are known; others answer undefined.
 */
export function helperProtoFor(helper: HelperDef, programType: ProgramTypeName): HelperProto | undefined {
  if (!helper.programTypes.includes(programType)) return undefined;
  return helper.variants.find((variant) => variant.programTypes.includes(programType))?.proto ?? helper.proto;
}
