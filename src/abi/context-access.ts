// Which context (r1 at entry) loads and stores each program type allows, per Linux 6.18's `is_valid_access`, as data.
import {
  BPF_CGROUP_DEV_CTX_FIELDS,
  BPF_PERF_EVENT_DATA_FIELDS,
  BPF_SK_LOOKUP_FIELDS,
  BPF_SOCK_ADDR_FIELDS,
  BPF_SOCK_FIELDS,
  BPF_SOCK_OPS_FIELDS,
  BPF_SOCKOPT_FIELDS,
  BPF_SYSCTL_FIELDS,
  type ContextField,
  type ContextStructName,
  PT_REGS_FIELDS,
  SK_BUFF_FIELDS,
  SK_MSG_MD_FIELDS,
  SK_REUSEPORT_MD_FIELDS,
  XDP_MD_FIELDS,
} from './context-structs.js';
import type { AttachTypeName, ProgramTypeName } from './program-types.js';

export type AccessSize = 1 | 2 | 4 | 8;

/**
 * A family of allowed accesses to one field: each size in `sizes` at every offset that is a multiple
 * of it (counted from the context's start, as the kernel's `off % size` is) and lies inside the first
 * `span` bytes of the field (default: the field's size); with `at: 'start'` only at the field's first byte.
 */
export interface AccessShape {
  readonly sizes: readonly AccessSize[];
  readonly at?: 'start';
  readonly span?: number;
}

/** Register type a context load gives when it is not a scalar (kernel: `bpf_insn_access_aux.reg_type`). */
export type ContextLoadType =
  | 'PTR_TO_PACKET'
  | 'PTR_TO_PACKET_META'
  | 'PTR_TO_PACKET_END'
  | 'PTR_TO_SOCK_COMMON_OR_NULL'
  | 'PTR_TO_SOCKET'
  | 'PTR_TO_SOCKET_OR_NULL'
  | 'PTR_TO_FLOW_KEYS'
  | 'PTR_TO_TP_BUFFER';

/** How the verifier log (level 2) prints each load type: `R2=pkt(r=0)`, `R2=sock_or_null(id=1)`, ... */
export const CONTEXT_LOAD_TYPE_LOG_NAMES: Readonly<Record<ContextLoadType, string>> = {
  PTR_TO_PACKET: 'pkt',
  PTR_TO_PACKET_META: 'pkt_meta',
  PTR_TO_PACKET_END: 'pkt_end',
  PTR_TO_SOCK_COMMON_OR_NULL: 'sock_common_or_null',
  PTR_TO_SOCKET: 'sock',
  PTR_TO_SOCKET_OR_NULL: 'sock_or_null',
  PTR_TO_FLOW_KEYS: 'flow_keys',
  PTR_TO_TP_BUFFER: 'tp_buffer',
};

/** One field (or raw region) of a context and the accesses allowed on it. */
export interface ContextAccessRule {
  readonly field: string;
  readonly offset: number;
  readonly size: number;
  /** Allowed loads; none when absent. */
  readonly read?: readonly AccessShape[];
  /** Allowed stores; none when absent. */
  readonly write?: readonly AccessShape[];
  /** What a load produces when it is a pointer; a scalar otherwise. */
  readonly loadType?: ContextLoadType;
  /** The rule exists only for programs loaded with one of these expected_attach_types. */
  readonly attachTypes?: readonly AttachTypeName[];
  /** The rule exists only when the loader has CAP_BPF (kernel: `bpf_token_capable(..., CAP_BPF)`). */
  readonly requiresCapBpf?: true;
  /**
   * Bytes the kernel keeps the field in when fewer than its uapi slot (skb->protocol is a u16 behind a u32):
   * its convert_ctx_access loads that many, so a narrow load at least this wide gives the whole field
   * wherever in the slot it starts (only narrower ones are shifted to their bytes).
   */
  readonly kernelSize?: 1 | 2;
}

/** A program type's context: what r1 points to at entry and every access the verifier lets through. */
export interface ProgramContext {
  /** The uapi struct, or what the raw buffer is (`u64 args[]`, the trace record, the syscall ctx). */
  readonly struct: ContextStructName | 'u64 args[]' | 'trace record' | 'syscall ctx';
  /** sizeof the struct, or the end of the accessible buffer. */
  readonly size: number;
  readonly rules: readonly ContextAccessRule[];
}

const NARROW: readonly AccessShape[] = [{ sizes: [1, 2, 4] }];
const NARROW_64: readonly AccessShape[] = [{ sizes: [1, 2, 4, 8] }];
const WORD: readonly AccessShape[] = [{ sizes: [4] }];
const WORD_OR_WIDE: readonly AccessShape[] = [{ sizes: [4, 8] }];
const DWORD: readonly AccessShape[] = [{ sizes: [8] }];
const BYTE: readonly AccessShape[] = [{ sizes: [1] }];
/** 1, 2 or 4 bytes, always at the field's first byte (bpf_sock's family, type, ...). */
const AT_START: readonly AccessShape[] = [{ sizes: [1, 2, 4], at: 'start' }];

type RuleSpec = Omit<ContextAccessRule, 'field' | 'offset' | 'size'>;

/** Builds rules from `field: spec` over a struct's field table (one place resolves names to offsets). */
function rulesFor(
  fields: readonly ContextField[],
  specs: readonly (readonly [string, RuleSpec])[],
): ContextAccessRule[] {
  return specs.map(([name, spec]) => {
    const field = fields.find((candidate) => candidate.name === name);
    if (field === undefined) throw new Error(`context rule names unknown field ${name}`);
    return { field: name, offset: field.offset, size: field.size, ...spec };
  });
}

const readOnly = (read: readonly AccessShape[], extra: RuleSpec = {}): RuleSpec => ({ read, ...extra });
const readWrite = (read: readonly AccessShape[], write: readonly AccessShape[]): RuleSpec => ({
  read,
  write,
});
const each = (names: readonly string[], spec: RuleSpec): (readonly [string, RuleSpec])[] =>
  names.map((name) => [name, spec] as const);

// ---- struct __sk_buff ----

/** Scalars every skb program type reads with narrow loads (kernel: bpf_skb_is_valid_access). */
const SKB_SCALARS = [
  'len',
  'pkt_type',
  'queue_mapping',
  'protocol',
  'vlan_present',
  'vlan_tci',
  'vlan_proto',
  'priority',
  'ingress_ifindex',
  'ifindex',
  'tc_index',
  'hash',
  'napi_id',
  'gso_segs',
  'gso_size',
];
const SKB_SOCKET_FIELDS: (readonly [string, RuleSpec])[] = [
  ['family', readOnly(NARROW)],
  ...each(['remote_ip4', 'local_ip4', 'remote_ip6', 'local_ip6'], readOnly(WORD)),
  ...each(['remote_port', 'local_port'], readOnly(NARROW)),
];
const SKB_SK: readonly [string, RuleSpec] = [
  'sk',
  readOnly(DWORD, { loadType: 'PTR_TO_SOCK_COMMON_OR_NULL' }),
];
const SKB_DATA: (readonly [string, RuleSpec])[] = [
  ['data', readOnly(WORD, { loadType: 'PTR_TO_PACKET' })],
  ['data_end', readOnly(WORD, { loadType: 'PTR_TO_PACKET_END' })],
];

/** Like rulesFor, but a later entry for the same field replaces an earlier one. */
function mergedRules(
  fields: readonly ContextField[],
  specs: readonly (readonly [string, RuleSpec])[],
): ContextAccessRule[] {
  const byField = new Map<string, RuleSpec>();
  for (const [name, spec] of specs) byField.set(name, spec);
  return rulesFor(fields, [...byField]);
}
/**
 * __sk_buff fields whose kernel storage is narrower than 4 bytes (kernel: bpf_convert_ctx_access's load widths),
 * among those a test run can make non-zero.
 */
const SKB_KERNEL_SIZES: Readonly<Record<string, 1 | 2>> = {
  pkt_type: 1,
  queue_mapping: 2,
  protocol: 2,
  tc_index: 2,
  tc_classid: 2,
  family: 2,
  gso_segs: 2,
  gso_size: 2,
};

const withKernelSizes = (
  rules: ContextAccessRule[],
  sizes: Readonly<Record<string, 1 | 2>>,
): ContextAccessRule[] =>
  rules.map((rule) => {
    const kernelSize = rule.read === undefined ? undefined : sizes[rule.field];
    return kernelSize === undefined ? rule : { ...rule, kernelSize };
  });

const skbRules = (specs: readonly (readonly [string, RuleSpec])[]) =>
  withKernelSizes(mergedRules(SK_BUFF_FIELDS, specs), SKB_KERNEL_SIZES);

/** Kernel: sk_filter_is_valid_access. */
const SOCKET_FILTER_RULES = skbRules([
  ...each(SKB_SCALARS, readOnly(NARROW)),
  ['mark', readOnly(NARROW)],
  ['cb', readWrite(NARROW_64, NARROW_64)],
  SKB_SK,
]);

/** Kernel: tc_cls_act_is_valid_access. */
const TC_RULES = skbRules([
  ...each(SKB_SCALARS, readOnly(NARROW)),
  ...each(['mark', 'queue_mapping', 'priority', 'tc_index', 'tc_classid'], readWrite(NARROW, WORD)),
  ['cb', readWrite(NARROW_64, NARROW_64)],
  ...SKB_DATA,
  ['data_meta', readOnly(WORD, { loadType: 'PTR_TO_PACKET_META' })],
  ['tstamp', readWrite(DWORD, DWORD)],
  ['wire_len', readOnly(NARROW)],
  SKB_SK,
  ['tstamp_type', readOnly(BYTE)],
  ['hwtstamp', readOnly(DWORD)],
]);

/** Kernel: cg_skb_is_valid_access; packet pointers and tstamp stores need CAP_BPF. */
const CGROUP_SKB_RULES = [
  ...skbRules([
    ...each(SKB_SCALARS, readOnly(NARROW)),
    ...each(['mark', 'priority'], readWrite(NARROW, WORD)),
    ['cb', readWrite(NARROW_64, NARROW_64)],
    ['data', readOnly(WORD, { loadType: 'PTR_TO_PACKET', requiresCapBpf: true })],
    ['data_end', readOnly(WORD, { loadType: 'PTR_TO_PACKET_END', requiresCapBpf: true })],
    ...SKB_SOCKET_FIELDS,
    ['tstamp', readOnly(DWORD)],
    SKB_SK,
    ['hwtstamp', readOnly(DWORD)],
  ]),
  ...rulesFor(SK_BUFF_FIELDS, [['tstamp', { write: DWORD, requiresCapBpf: true }]]),
];

/** Kernel: sk_skb_is_valid_access (mark unreadable, cb read-only). */
const SK_SKB_RULES = skbRules([
  ...each(SKB_SCALARS, readOnly(NARROW)),
  ...each(['priority', 'tc_index'], readWrite(NARROW, WORD)),
  ['cb', readOnly(NARROW_64)],
  ...SKB_DATA,
  ...SKB_SOCKET_FIELDS,
  SKB_SK,
]);

/** Kernel: lwt_is_valid_access (the same for lwt_in, lwt_out, lwt_xmit and lwt_seg6local). */
const LWT_RULES = skbRules([
  ...each(SKB_SCALARS, readOnly(NARROW)),
  ...each(['mark', 'priority'], readWrite(NARROW, WORD)),
  ['cb', readWrite(NARROW_64, NARROW_64)],
  ...SKB_DATA,
  SKB_SK,
]);

/** Kernel: flow_dissector_is_valid_access. */
const FLOW_DISSECTOR_RULES = skbRules([
  ...SKB_DATA,
  ['flow_keys', readOnly(DWORD, { loadType: 'PTR_TO_FLOW_KEYS' })],
]);

// ---- other structs ----

/** Kernel: xdp_is_valid_access; egress_ifindex only for BPF_XDP_DEVMAP programs. */
const XDP_RULES = rulesFor(XDP_MD_FIELDS, [
  ['data', readOnly(WORD, { loadType: 'PTR_TO_PACKET' })],
  ['data_end', readOnly(WORD, { loadType: 'PTR_TO_PACKET_END' })],
  ['data_meta', readOnly(WORD, { loadType: 'PTR_TO_PACKET_META' })],
  ['ingress_ifindex', readOnly(WORD)],
  ['rx_queue_index', readOnly(WORD)],
  ['egress_ifindex', readOnly(WORD, { attachTypes: ['xdp_devmap'] })],
]);

/** Kernel: sock_filter_is_valid_access with __sock_filter_check_attach_type. */
const CGROUP_SOCK_RULES = rulesFor(BPF_SOCK_FIELDS, [
  ...each(['bound_dev_if', 'mark', 'priority'], {
    read: WORD,
    write: WORD,
    attachTypes: ['cgroup_inet_sock_create', 'cgroup_inet_sock_release'],
  }),
  ...each(['family', 'type', 'protocol'], readOnly(AT_START)),
  ['src_ip4', readOnly(NARROW, { attachTypes: ['cgroup_inet4_post_bind'] })],
  ['src_ip6', readOnly(NARROW, { attachTypes: ['cgroup_inet6_post_bind'] })],
  ['src_port', readOnly(AT_START, { attachTypes: ['cgroup_inet4_post_bind', 'cgroup_inet6_post_bind'] })],
  // a __be16 read narrowly, or as the u32 it shares with its padding
  ['dst_port', readOnly([{ sizes: [1, 2] }, { sizes: [4], at: 'start' }])],
  ...each(['dst_ip4', 'dst_ip6'], readOnly(NARROW)),
  ...each(['state', 'rx_queue_mapping'], readOnly(AT_START)),
]);

const INET4_SOCK_ADDR: readonly AttachTypeName[] = [
  'cgroup_inet4_bind',
  'cgroup_inet4_connect',
  'cgroup_udp4_sendmsg',
  'cgroup_udp4_recvmsg',
  'cgroup_inet4_getpeername',
  'cgroup_inet4_getsockname',
];
const INET6_SOCK_ADDR: readonly AttachTypeName[] = [
  'cgroup_inet6_bind',
  'cgroup_inet6_connect',
  'cgroup_udp6_sendmsg',
  'cgroup_udp6_recvmsg',
  'cgroup_inet6_getpeername',
  'cgroup_inet6_getsockname',
];

/** Kernel: sock_addr_is_valid_access; the address fields exist per attach type, ip6 stores may be 8 bytes wide. */
const CGROUP_SOCK_ADDR_RULES = rulesFor(BPF_SOCK_ADDR_FIELDS, [
  ['user_family', readOnly(WORD)],
  ['user_ip4', { read: NARROW, write: WORD, attachTypes: INET4_SOCK_ADDR }],
  ['user_ip6', { read: NARROW_64, write: WORD_OR_WIDE, attachTypes: INET6_SOCK_ADDR }],
  ['user_port', readWrite(NARROW, WORD)],
  ...each(['family', 'type', 'protocol'], readOnly(WORD)),
  ['msg_src_ip4', { read: NARROW, write: WORD, attachTypes: ['cgroup_udp4_sendmsg'] }],
  ['msg_src_ip6', { read: NARROW_64, write: WORD_OR_WIDE, attachTypes: ['cgroup_udp6_sendmsg'] }],
  ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET' })],
]);

/** Kernel: sk_msg_is_valid_access (no narrow loads). */
const SK_MSG_RULES = rulesFor(SK_MSG_MD_FIELDS, [
  ['data', readOnly(DWORD, { loadType: 'PTR_TO_PACKET' })],
  ['data_end', readOnly(DWORD, { loadType: 'PTR_TO_PACKET_END' })],
  ...each(
    ['family', 'remote_ip4', 'local_ip4', 'remote_ip6', 'local_ip6', 'remote_port', 'local_port', 'size'],
    readOnly(WORD),
  ),
  ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET' })],
]);

/** Kernel: sock_ops_is_valid_access (whole-field loads; stores only to reply and sk_txhash). */
const SOCK_OPS_RULES = mergedRules(BPF_SOCK_OPS_FIELDS, [
  ...BPF_SOCK_OPS_FIELDS.filter((field) => field.size === 4 || field.name.endsWith('_ip6')).map(
    (field) => [field.name, readOnly(WORD)] as const,
  ),
  ['args', { read: WORD, write: [{ sizes: [4], at: 'start' }] }],
  ['sk_txhash', readWrite(WORD, WORD)],
  ['skb_tcp_flags', readOnly(AT_START)],
  ...each(['bytes_received', 'bytes_acked', 'skb_hwtstamp'], readOnly(DWORD)),
  ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET_OR_NULL' })],
  ['skb_data', readOnly(DWORD, { loadType: 'PTR_TO_PACKET' })],
  ['skb_data_end', readOnly(DWORD, { loadType: 'PTR_TO_PACKET_END' })],
]);

/** Kernel: sk_lookup_is_valid_access (read-only; remote_port narrow over its u32 slot). */
const SK_LOOKUP_RULES = withKernelSizes(
  rulesFor(BPF_SK_LOOKUP_FIELDS, [
    ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET_OR_NULL' })],
    ...each(
      [
        'family',
        'protocol',
        'remote_ip4',
        'remote_ip6',
        'local_ip4',
        'local_ip6',
        'local_port',
        'ingress_ifindex',
      ],
      readOnly(NARROW),
    ),
    ['remote_port', readOnly([{ sizes: [1, 2, 4], span: 4 }])],
  ]),
  { family: 2, protocol: 2, local_port: 2 },
);

/** Kernel: cgroup_dev_is_valid_access (read-only, narrow only on access_type). */
const CGROUP_DEVICE_RULES = rulesFor(BPF_CGROUP_DEV_CTX_FIELDS, [
  ['access_type', readOnly(NARROW)],
  ...each(['major', 'minor'], readOnly(WORD)),
]);

/** Kernel: sysctl_is_valid_access (file_pos is the one writable field). */
const CGROUP_SYSCTL_RULES = rulesFor(BPF_SYSCTL_FIELDS, [
  ['write', readOnly(NARROW)],
  ['file_pos', readWrite(NARROW, WORD)],
]);

/** Kernel: cg_sockopt_is_valid_access; which fields are writable depends on get/set. */
const CGROUP_SOCKOPT_RULES = rulesFor(BPF_SOCKOPT_FIELDS, [
  ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET' })],
  ['optval', readOnly(DWORD, { loadType: 'PTR_TO_PACKET' })],
  ['optval_end', readOnly(DWORD, { loadType: 'PTR_TO_PACKET_END' })],
  ...each(['level', 'optname'], readOnly(WORD, { attachTypes: ['cgroup_getsockopt'] })),
  ...each(['level', 'optname'], { read: WORD, write: WORD, attachTypes: ['cgroup_setsockopt'] }),
  ['optlen', readWrite(WORD, WORD)],
  ['retval', { read: WORD, write: WORD, attachTypes: ['cgroup_getsockopt'] }],
]);

/** Kernel: sk_reuseport_is_valid_access (read-only). */
const SK_REUSEPORT_RULES = rulesFor(SK_REUSEPORT_MD_FIELDS, [
  ['data', readOnly(DWORD, { loadType: 'PTR_TO_PACKET' })],
  ['data_end', readOnly(DWORD, { loadType: 'PTR_TO_PACKET_END' })],
  ...each(['len', 'ip_protocol', 'bind_inany'], readOnly(NARROW)),
  ['eth_protocol', readOnly([{ sizes: [2, 4] }])],
  ['hash', readOnly(WORD)],
  ['sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCKET' })],
  ['migrating_sk', readOnly(DWORD, { loadType: 'PTR_TO_SOCK_COMMON_OR_NULL' })],
]);

/** Kernel: pe_prog_is_valid_access (registers whole, sample_period and addr narrow). */
const PERF_EVENT_RULES = rulesFor(BPF_PERF_EVENT_DATA_FIELDS, [
  ['regs', readOnly(DWORD)],
  ...each(['sample_period', 'addr'], readOnly(NARROW_64)),
]);

const region = (field: string, offset: number, size: number, spec: RuleSpec): ContextAccessRule => ({
  field,
  offset,
  size,
  ...spec,
});

/** Kernel: MAX_BPF_FUNC_ARGS u64 arguments. */
const RAW_TRACEPOINT_ARGS_SIZE = 12 * 8;
/** Kernel: PERF_MAX_TRACE_SIZE. */
const PERF_MAX_TRACE_SIZE = 8192;
/** Kernel: U16_MAX, the bound of a syscall program's ctx. */
const SYSCALL_CTX_SIZE = 0xffff;
/** The most negative offset an instruction can encode (s16). */
const MIN_INSN_OFFSET = -0x8000;

const skb = (rules: readonly ContextAccessRule[]): ProgramContext => ({
  struct: '__sk_buff',
  size: 192,
  rules,
});

/** Every program type the verifier handles, with its context. */
export const PROGRAM_CONTEXTS: Partial<Record<ProgramTypeName, ProgramContext>> = {
  socket_filter: skb(SOCKET_FILTER_RULES),
  sched_cls: skb(TC_RULES),
  sched_act: skb(TC_RULES),
  cgroup_skb: skb(CGROUP_SKB_RULES),
  sk_skb: skb(SK_SKB_RULES),
  lwt_in: skb(LWT_RULES),
  lwt_out: skb(LWT_RULES),
  lwt_xmit: skb(LWT_RULES),
  lwt_seg6local: skb(LWT_RULES),
  flow_dissector: skb(FLOW_DISSECTOR_RULES),
  xdp: { struct: 'xdp_md', size: 24, rules: XDP_RULES },
  cgroup_sock: { struct: 'bpf_sock', size: 80, rules: CGROUP_SOCK_RULES },
  cgroup_sock_addr: { struct: 'bpf_sock_addr', size: 72, rules: CGROUP_SOCK_ADDR_RULES },
  sk_msg: { struct: 'sk_msg_md', size: 80, rules: SK_MSG_RULES },
  sock_ops: { struct: 'bpf_sock_ops', size: 224, rules: SOCK_OPS_RULES },
  sk_lookup: { struct: 'bpf_sk_lookup', size: 72, rules: SK_LOOKUP_RULES },
  cgroup_device: { struct: 'bpf_cgroup_dev_ctx', size: 12, rules: CGROUP_DEVICE_RULES },
  cgroup_sysctl: { struct: 'bpf_sysctl', size: 8, rules: CGROUP_SYSCTL_RULES },
  cgroup_sockopt: { struct: 'bpf_sockopt', size: 40, rules: CGROUP_SOCKOPT_RULES },
  sk_reuseport: { struct: 'sk_reuseport_md', size: 56, rules: SK_REUSEPORT_RULES },
  perf_event: { struct: 'bpf_perf_event_data', size: 184, rules: PERF_EVENT_RULES },
  // Kernel: kprobe_prog_is_valid_access — any aligned load inside pt_regs, no stores.
  kprobe: {
    struct: 'pt_regs',
    size: 168,
    rules: rulesFor(
      PT_REGS_FIELDS,
      PT_REGS_FIELDS.map((field) => [field.name, readOnly(NARROW_64)] as const),
    ),
  },
  // Kernel: raw_tp_prog_is_valid_access — loads of the u64 args, any aligned size.
  raw_tracepoint: {
    struct: 'u64 args[]',
    size: RAW_TRACEPOINT_ARGS_SIZE,
    rules: [region('args', 0, RAW_TRACEPOINT_ARGS_SIZE, readOnly(NARROW_64))],
  },
  // Kernel: raw_tp_writable_prog_is_valid_access — args[0] is the writable buffer, loaded whole.
  raw_tracepoint_writable: {
    struct: 'u64 args[]',
    size: RAW_TRACEPOINT_ARGS_SIZE,
    rules: [
      region('args[0]', 0, 8, readOnly(DWORD, { loadType: 'PTR_TO_TP_BUFFER' })),
      // only offset 0 is the buffer: narrow loads at offsets 1..7 are plain raw_tracepoint loads
      region('args[0] (past its first byte)', 1, 7, readOnly(NARROW)),
      region('args', 8, RAW_TRACEPOINT_ARGS_SIZE - 8, readOnly(NARROW_64)),
    ],
  },
  // Kernel: tp_prog_is_valid_access — the record after its 8-byte common header. Its lower bound compares
  // the signed offset with an unsigned sizeof, so every negative offset passes too (measured on 6.18).
  tracepoint: {
    struct: 'trace record',
    size: PERF_MAX_TRACE_SIZE,
    rules: [
      region('record', 8, PERF_MAX_TRACE_SIZE - 8, readOnly(NARROW_64)),
      region('(negative offsets)', MIN_INSN_OFFSET, -MIN_INSN_OFFSET, readOnly(NARROW_64)),
    ],
  },
  // Kernel: syscall_prog_is_valid_access — any aligned load or store below U16_MAX.
  syscall: {
    struct: 'syscall ctx',
    size: SYSCALL_CTX_SIZE,
    rules: [region('ctx', 0, SYSCALL_CTX_SIZE, readWrite(NARROW_64, NARROW_64))],
  },
};

/** The kinds of instruction that reach a context pointer. */
export type ContextAccessSource =
  /** BPF_LDX | BPF_MEM */
  | 'ldx'
  /** BPF_LDX | BPF_MEMSX (sign-extending, sizes 1, 2, 4) */
  | 'ldxsx'
  /** BPF_STX | BPF_MEM */
  | 'stx'
  /** BPF_ST | BPF_MEM (store of an immediate) */
  | 'st'
  /** BPF_STX | BPF_ATOMIC read-modify-write (add, and, or, xor, xchg, cmpxchg, with or without fetch) */
  | 'atomic'
  /** BPF_STX | BPF_ATOMIC with BPF_LOAD_ACQ */
  | 'load_acquire'
  /** BPF_STX | BPF_ATOMIC with BPF_STORE_REL */
  | 'store_release';

export interface ContextAccessRequest {
  /** Byte offset from the context's start (the instruction's off; a ctx pointer never carries its own). */
  readonly offset: number;
  readonly size: AccessSize;
  readonly source: ContextAccessSource;
  readonly expectedAttachType?: AttachTypeName;
  /** Whether the loader has CAP_BPF; default true (as root). */
  readonly capBpf?: boolean;
  /** The register holding the context, for the atomic messages; default 1. */
  readonly register?: number;
}

export type ContextAccessResult =
  | {
      readonly ok: true;
      readonly rule: ContextAccessRule;
      /** Set for loads that give a pointer; other loads give a scalar. */
      readonly loadType?: ContextLoadType;
    }
  | { readonly ok: false; readonly message: string };

const isRead = (source: ContextAccessSource): boolean =>
  source === 'ldx' || source === 'ldxsx' || source === 'load_acquire';

function shapeAllows(rule: ContextAccessRule, shape: AccessShape, offset: number, size: AccessSize): boolean {
  if (!shape.sizes.includes(size)) return false;
  if (shape.at === 'start') return offset === rule.offset;
  const end = rule.offset + (shape.span ?? rule.size);
  return offset % size === 0 && offset >= rule.offset && offset + size <= end;
}

/** Kernel: bpf_prog_load_fixup_attach_type — a cgroup_sock program loaded without one is a sock_create program. */
export function effectiveAttachType(
  programType: ProgramTypeName,
  expectedAttachType: AttachTypeName | undefined,
): AttachTypeName | undefined {
  if (
    programType === 'cgroup_sock' &&
    (expectedAttachType ?? 'cgroup_inet_ingress') === 'cgroup_inet_ingress'
  )
    return 'cgroup_inet_sock_create';
  return expectedAttachType;
}

function ruleApplies(
  rule: ContextAccessRule,
  capBpf: boolean,
  attachType: AttachTypeName | undefined,
): boolean {
  if (rule.requiresCapBpf && !capBpf) return false;
  return (
    rule.attachTypes === undefined || (attachType !== undefined && rule.attachTypes.includes(attachType))
  );
}

/** The kernel's `is_valid_access` for one load or store: the rule it matches, or undefined. */
function findRule(
  programType: ProgramTypeName,
  context: ProgramContext,
  request: ContextAccessRequest,
  write: boolean,
): ContextAccessRule | undefined {
  const attachType = effectiveAttachType(programType, request.expectedAttachType);
  return context.rules.find((rule) => {
    const shapes = write ? rule.write : rule.read;
    return (
      shapes !== undefined &&
      ruleApplies(rule, request.capBpf ?? true, attachType) &&
      shapes.some((shape) => shapeAllows(rule, shape, request.offset, request.size))
    );
  });
}

/**
 * Whether the verifier lets a context access through, and what a load gives, as Linux 6.18 decides
 * (check_mem_access → check_ctx_access → the type's is_valid_access, and check_atomic before it).
 * Program types without a context table refuse everything.
 */
export function contextAccess(
  programType: ProgramTypeName,
  request: ContextAccessRequest,
): ContextAccessResult {
  const { offset, size, source } = request;
  const register = request.register ?? 1;
  const invalid = { ok: false, message: `invalid bpf_context access off=${offset} size=${size}` } as const;
  // Kernel: atomics never reach ctx; load-acquire is refused before any offset check.
  if (source === 'atomic')
    return { ok: false, message: `BPF_ATOMIC stores into R${register} ctx is not allowed` };
  if (source === 'load_acquire')
    return { ok: false, message: `BPF_ATOMIC loads from R${register} ctx is not allowed` };
  // Kernel: store-release checks strict alignment, then the access as a store, and only then refuses ctx.
  if (source === 'store_release' && offset % size !== 0)
    return { ok: false, message: `misaligned context access off 0+0+${offset} size ${size}` };
  const context = PROGRAM_CONTEXTS[programType];
  if (context === undefined) return invalid;
  const write = !isRead(source);
  const rule = findRule(programType, context, request, write);
  if (rule === undefined) return invalid;
  if (source === 'store_release')
    return { ok: false, message: `BPF_ATOMIC stores into R${register} ctx is not allowed` };
  if (write) return { ok: true, rule };
  // Kernel: a sign-extending load of a field that holds a pointer is refused (info->is_ldsx).
  if (rule.loadType !== undefined && source === 'ldxsx') return invalid;
  return rule.loadType === undefined ? { ok: true, rule } : { ok: true, rule, loadType: rule.loadType };
}

/**
 * Where a context load allowed by `rule` reads in a context laid out as plain uapi memory, to give what the
 * kernel's rewrite gives: a narrow load at least as wide as the field's kernel storage reads the whole field
 * (kernel convert_ctx_accesses: it shifts only loads narrower than the converted one), so it moves to the
 * field's start; every other load stays where it is.
 */
export function contextLoadOffset(rule: ContextAccessRule, offset: number, size: AccessSize): number {
  const narrower = size < rule.size;
  return rule.kernelSize !== undefined && narrower && size >= rule.kernelSize ? rule.offset : offset;
}

/** sizeof the program type's context struct (or the end of its raw buffer); undefined without a table. */
export function contextSize(programType: ProgramTypeName): number | undefined {
  return PROGRAM_CONTEXTS[programType]?.size;
}
