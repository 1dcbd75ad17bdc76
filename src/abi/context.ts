// Context layouts (`struct __sk_buff`, `struct xdp_md`) and the kernel's access rules for the program types tsbpf runs.
import type { ProgramTypeName } from './program-types.js';

/** How a field may be accessed, following the kernel's `*_is_valid_access` size rules. */
export type ContextFieldKind =
  /** u32: full-width writes, reads of 1, 2 or 4 bytes at any aligned offset inside it (narrow loads). */
  | 'u32'
  /** u32 that must be accessed whole (IP addresses). */
  | 'u32Whole'
  /** `cb[5]`: any aligned access of 1..8 bytes that stays inside the array. */
  | 'scratch'
  /** u32 holding a packet pointer: 4-byte reads only, never sign-extending. */
  | 'packetPointer'
  /** u64 accessed whole. */
  | 'u64'
  /** 64-bit pointer member (`__bpf_md_ptr`). */
  | 'pointer'
  /** One byte (`tstamp_type`). */
  | 'u8'
  /** Padding that may never be accessed. */
  | 'padding';

export interface ContextField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: ContextFieldKind;
}

/** Register type a context load produces when it is not a plain scalar (kernel: `info->reg_type`). */
export type ContextLoadType =
  | 'PTR_TO_PACKET'
  | 'PTR_TO_PACKET_META'
  | 'PTR_TO_PACKET_END'
  | 'PTR_TO_SOCK_COMMON_OR_NULL';

/** `struct __sk_buff` (uapi), 192 bytes. */
export const SK_BUFF_FIELDS: readonly ContextField[] = [
  { name: 'len', offset: 0, size: 4, kind: 'u32' },
  { name: 'pkt_type', offset: 4, size: 4, kind: 'u32' },
  { name: 'mark', offset: 8, size: 4, kind: 'u32' },
  { name: 'queue_mapping', offset: 12, size: 4, kind: 'u32' },
  { name: 'protocol', offset: 16, size: 4, kind: 'u32' },
  { name: 'vlan_present', offset: 20, size: 4, kind: 'u32' },
  { name: 'vlan_tci', offset: 24, size: 4, kind: 'u32' },
  { name: 'vlan_proto', offset: 28, size: 4, kind: 'u32' },
  { name: 'priority', offset: 32, size: 4, kind: 'u32' },
  { name: 'ingress_ifindex', offset: 36, size: 4, kind: 'u32' },
  { name: 'ifindex', offset: 40, size: 4, kind: 'u32' },
  { name: 'tc_index', offset: 44, size: 4, kind: 'u32' },
  { name: 'cb', offset: 48, size: 20, kind: 'scratch' },
  { name: 'hash', offset: 68, size: 4, kind: 'u32' },
  { name: 'tc_classid', offset: 72, size: 4, kind: 'u32' },
  { name: 'data', offset: 76, size: 4, kind: 'packetPointer' },
  { name: 'data_end', offset: 80, size: 4, kind: 'packetPointer' },
  { name: 'napi_id', offset: 84, size: 4, kind: 'u32' },
  { name: 'family', offset: 88, size: 4, kind: 'u32' },
  { name: 'remote_ip4', offset: 92, size: 4, kind: 'u32Whole' },
  { name: 'local_ip4', offset: 96, size: 4, kind: 'u32Whole' },
  { name: 'remote_ip6', offset: 100, size: 16, kind: 'u32Whole' },
  { name: 'local_ip6', offset: 116, size: 16, kind: 'u32Whole' },
  { name: 'remote_port', offset: 132, size: 4, kind: 'u32' },
  { name: 'local_port', offset: 136, size: 4, kind: 'u32' },
  { name: 'data_meta', offset: 140, size: 4, kind: 'packetPointer' },
  { name: 'flow_keys', offset: 144, size: 8, kind: 'pointer' },
  { name: 'tstamp', offset: 152, size: 8, kind: 'u64' },
  { name: 'wire_len', offset: 160, size: 4, kind: 'u32' },
  { name: 'gso_segs', offset: 164, size: 4, kind: 'u32' },
  { name: 'sk', offset: 168, size: 8, kind: 'pointer' },
  { name: 'gso_size', offset: 176, size: 4, kind: 'u32' },
  { name: 'tstamp_type', offset: 180, size: 1, kind: 'u8' },
  { name: '(padding)', offset: 181, size: 3, kind: 'padding' },
  { name: 'hwtstamp', offset: 184, size: 8, kind: 'u64' },
];

/** `struct xdp_md` (uapi), 24 bytes. */
export const XDP_MD_FIELDS: readonly ContextField[] = [
  { name: 'data', offset: 0, size: 4, kind: 'packetPointer' },
  { name: 'data_end', offset: 4, size: 4, kind: 'packetPointer' },
  { name: 'data_meta', offset: 8, size: 4, kind: 'packetPointer' },
  { name: 'ingress_ifindex', offset: 12, size: 4, kind: 'u32' },
  { name: 'rx_queue_index', offset: 16, size: 4, kind: 'u32' },
  { name: 'egress_ifindex', offset: 20, size: 4, kind: 'u32' },
];

export interface FieldPermission {
  readonly read: boolean;
  readonly write: boolean;
  /** Register type a read gives, where it is a pointer. */
  readonly loadType?: ContextLoadType;
}

/** A program type's context: its struct, field permissions, and what BPF_PROG_TEST_RUN accepts as ctx_in. */
export interface ContextLayout {
  readonly structName: '__sk_buff' | 'xdp_md';
  readonly size: number;
  readonly fields: readonly ContextField[];
  readonly permissions: Readonly<Record<string, FieldPermission>>;
  /** Largest ctx_size_in test-run copies; bytes past it must be zero (else E2BIG). */
  readonly testRunCtxSize: number;
  /** Fields that may be non-zero in test-run's ctx_in (others give EINVAL). */
  readonly testRunCtxFields: readonly string[];
}

const readOnly: FieldPermission = { read: true, write: false };
const readWrite: FieldPermission = { read: true, write: true };
const denied: FieldPermission = { read: false, write: false };

const SK_BUFF_SOCKET_FIELDS = [
  'family',
  'remote_ip4',
  'local_ip4',
  'remote_ip6',
  'local_ip6',
  'remote_port',
  'local_port',
];

function permissionsFor(
  fields: readonly ContextField[],
  rule: (field: ContextField) => FieldPermission,
): Readonly<Record<string, FieldPermission>> {
  return Object.fromEntries(fields.map((field) => [field.name, rule(field)]));
}

/** Kernel: sk_filter_is_valid_access on top of bpf_skb_is_valid_access. */
const socketFilterPermissions = permissionsFor(SK_BUFF_FIELDS, (field) => {
  const hidden = [
    'tc_classid',
    'data',
    'data_meta',
    'data_end',
    'tstamp',
    'wire_len',
    'hwtstamp',
    'flow_keys',
  ];
  if (hidden.includes(field.name) || SK_BUFF_SOCKET_FIELDS.includes(field.name)) return denied;
  if (field.kind === 'padding' || field.kind === 'u8') return denied;
  if (field.name === 'cb') return readWrite;
  if (field.name === 'sk') return { read: true, write: false, loadType: 'PTR_TO_SOCK_COMMON_OR_NULL' };
  return readOnly;
});

const PACKET_LOAD_TYPES: Readonly<Record<string, ContextLoadType>> = {
  data: 'PTR_TO_PACKET',
  data_meta: 'PTR_TO_PACKET_META',
  data_end: 'PTR_TO_PACKET_END',
};

/** Kernel: tc_cls_act_is_valid_access on top of bpf_skb_is_valid_access. */
const tcPermissions = permissionsFor(SK_BUFF_FIELDS, (field) => {
  const writable = ['mark', 'tc_index', 'priority', 'tc_classid', 'cb', 'tstamp', 'queue_mapping'];
  if (SK_BUFF_SOCKET_FIELDS.includes(field.name) || field.name === 'flow_keys' || field.kind === 'padding')
    return denied;
  const loadType = PACKET_LOAD_TYPES[field.name];
  if (loadType) return { read: true, write: false, loadType };
  if (field.name === 'sk') return { read: true, write: false, loadType: 'PTR_TO_SOCK_COMMON_OR_NULL' };
  return { read: true, write: writable.includes(field.name) };
});

/** Kernel: xdp_is_valid_access; egress_ifindex only for BPF_XDP_DEVMAP programs, writes only when offloaded. */
const xdpPermissions = permissionsFor(XDP_MD_FIELDS, (field) => {
  const loadType = PACKET_LOAD_TYPES[field.name];
  if (loadType) return { read: true, write: false, loadType };
  return readOnly;
});

/** Kernel test_run: convert___skb_to_skb keeps these and wants every other byte zero. */
const SKB_TEST_RUN_FIELDS = [
  'mark',
  'priority',
  'ingress_ifindex',
  'ifindex',
  'cb',
  'tstamp',
  'wire_len',
  'gso_segs',
  'gso_size',
  'hwtstamp',
];

const SK_BUFF_SIZE = 192;
const XDP_MD_SIZE = 24;

const skbLayout = (permissions: Readonly<Record<string, FieldPermission>>): ContextLayout => ({
  structName: '__sk_buff',
  size: SK_BUFF_SIZE,
  fields: SK_BUFF_FIELDS,
  permissions,
  testRunCtxSize: SK_BUFF_SIZE,
  testRunCtxFields: SKB_TEST_RUN_FIELDS,
});

export const CONTEXT_LAYOUTS: Partial<Record<ProgramTypeName, ContextLayout>> = {
  socket_filter: skbLayout(socketFilterPermissions),
  sched_cls: skbLayout(tcPermissions),
  sched_act: skbLayout(tcPermissions),
  xdp: {
    structName: 'xdp_md',
    size: XDP_MD_SIZE,
    fields: XDP_MD_FIELDS,
    permissions: xdpPermissions,
    testRunCtxSize: XDP_MD_SIZE,
    // data_meta must be 0; data (metadata length, a multiple of 4) <= data_end <= data_size_in; ifindexes need a device.
    testRunCtxFields: ['data', 'data_end', 'ingress_ifindex', 'rx_queue_index'],
  },
};

export interface ContextAccess {
  readonly field: ContextField;
  readonly loadType?: ContextLoadType;
}

export interface ContextAccessOptions {
  /** BPF_MEMSX load (sign-extending): never allowed on packet pointers. */
  readonly signExtend?: boolean;
  /** The program's expected_attach_type is BPF_XDP_DEVMAP (unlocks xdp_md.egress_ifindex). */
  readonly xdpDevmap?: boolean;
}

/**
 * Whether a ctx access of `size` bytes at `offset` is valid for the program type, as the kernel's
 * `is_valid_access` decides; undefined means the verifier says "invalid bpf_context access".
 */
export function checkContextAccess(
  programType: ProgramTypeName,
  offset: number,
  size: number,
  kind: 'read' | 'write',
  options: ContextAccessOptions = {},
): ContextAccess | undefined {
  const layout = CONTEXT_LAYOUTS[programType];
  if (layout === undefined || offset < 0 || offset >= layout.size || size <= 0 || offset % size !== 0)
    return undefined;
  const field = layout.fields.find(
    (candidate) => offset >= candidate.offset && offset < candidate.offset + candidate.size,
  );
  if (field === undefined) return undefined;
  const permission = layout.permissions[field.name];
  if (!(kind === 'read' ? permission.read : permission.write)) return undefined;
  if (layout.structName === 'xdp_md') {
    if (field.name === 'egress_ifindex' && !options.xdpDevmap) return undefined;
    if (size !== 4 || (field.kind === 'packetPointer' && options.signExtend)) return undefined;
    return permission.loadType ? { field, loadType: permission.loadType } : { field };
  }
  if (!sizeFitsSkbField(field, offset, size, kind, options.signExtend ?? false)) return undefined;
  return permission.loadType ? { field, loadType: permission.loadType } : { field };
}

/** Kernel: the size checks of bpf_skb_is_valid_access (and tc's tstamp_type rule). */
function sizeFitsSkbField(
  field: ContextField,
  offset: number,
  size: number,
  kind: 'read' | 'write',
  signExtend: boolean,
): boolean {
  switch (field.kind) {
    case 'scratch':
      return offset + size <= field.offset + field.size;
    case 'packetPointer':
      return size === 4 && !signExtend;
    case 'u32Whole':
      return size === 4;
    case 'u64':
    case 'pointer':
      return size === 8 && offset === field.offset;
    case 'u8':
      return size === 1;
    case 'padding':
      return false;
    case 'u32':
      return kind === 'write' ? size === 4 : size <= 4 && (size & (size - 1)) === 0;
    default: {
      const unreachable: never = field.kind;
      return unreachable;
    }
  }
}
