// kfuncs as data: name, BTF id and prototype in the reference kernel's vmlinux BTF (Linux 6.18.44), the kernel's
// KF_* flags and the program types whose kfunc sets hold each one.
import type { ProgramTypeName } from './program-types.js';

/** The kernel's KF_* flags (include/linux/btf.h, 6.18). */
export const KF_ACQUIRE = 1 << 0;
export const KF_RELEASE = 1 << 1;
export const KF_RET_NULL = 1 << 2;
export const KF_TRUSTED_ARGS = 1 << 4;
export const KF_SLEEPABLE = 1 << 5;
export const KF_DESTRUCTIVE = 1 << 6;
export const KF_RCU = 1 << 7;
export const KF_FASTCALL = 1 << 12;

/** One parameter as the kernel's BTF declares it; the name's suffix (`__uninit`, `__szk`, `__k`, ...) has meaning. */
export interface KfuncParam {
  readonly name: string;
  /** The C type as BTF spells it (`struct __sk_buff *`, `u32`, `const struct bpf_dynptr *`). */
  readonly type: string;
}

export interface KfuncDef {
  readonly name: string;
  /** The FUNC's id in the reference kernel's vmlinux BTF: what libbpf puts in `imm` of the call. */
  readonly btfId: number;
  /** Its FUNC_PROTO's id (libbpf names it when a declaration does not match). */
  readonly protoBtfId: number;
  /** The return type as BTF spells it. */
  readonly returns: string;
  readonly params: readonly KfuncParam[];
  readonly flags: number;
  /** Program types whose registered kfunc sets hold it; 'all' for the common set (BPF_PROG_TYPE_UNSPEC). */
  readonly programTypes: readonly ProgramTypeName[] | 'all';
  /** The call may move the packet, so the verifier drops packet pointers after it (kernel is_kfunc_pkt_changing). */
  readonly changesPktData?: boolean;
}

const p = (name: string, type: string): KfuncParam => ({ name, type });

const SKB_TYPES: readonly ProgramTypeName[] = [
  'socket_filter',
  'sched_cls',
  'sched_act',
  'cgroup_skb',
  'lwt_in',
  'lwt_out',
  'lwt_xmit',
  'lwt_seg6local',
  'sk_skb',
  'netfilter',
  'tracing',
];
const CT_TYPES: readonly ProgramTypeName[] = ['xdp', 'sched_cls'];
const CT_LOOKUP_ARGS = (ctx: string): KfuncParam[] => [
  p(ctx === 'xdp_md' ? 'xdp_ctx' : 'skb_ctx', `struct ${ctx} *`),
  p('bpf_tuple', 'struct bpf_sock_tuple *'),
  p('tuple__sz', 'u32'),
  p('opts', 'struct bpf_ct_opts *'),
  p('opts__sz', 'u32'),
];
const DYNPTR = p('p', 'const struct bpf_dynptr *');

/** The kfuncs tsbpf knows: what libbpf resolves `__ksym` function externs against. */
export const KFUNCS: readonly KfuncDef[] = [
  {
    name: 'bpf_cast_to_kern_ctx',
    btfId: 62973,
    protoBtfId: 62972,
    returns: 'void *',
    params: [p('obj', 'void *')],
    flags: KF_FASTCALL,
    programTypes: 'all',
  },
  {
    name: 'bpf_rdonly_cast',
    btfId: 64911,
    protoBtfId: 64910,
    returns: 'void *',
    params: [p('obj__ign', 'const void *'), p('btf_id__k', 'u32')],
    flags: KF_FASTCALL,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_from_skb',
    btfId: 63293,
    protoBtfId: 63292,
    returns: 'int',
    params: [p('s', 'struct __sk_buff *'), p('flags', 'u64'), p('ptr__uninit', 'struct bpf_dynptr *')],
    flags: 0,
    programTypes: SKB_TYPES,
  },
  {
    name: 'bpf_dynptr_from_xdp',
    btfId: 63301,
    protoBtfId: 63300,
    returns: 'int',
    params: [p('x', 'struct xdp_md *'), p('flags', 'u64'), p('ptr__uninit', 'struct bpf_dynptr *')],
    flags: 0,
    programTypes: ['xdp'],
  },
  {
    name: 'bpf_xdp_pull_data',
    btfId: 65597,
    protoBtfId: 65596,
    returns: 'int',
    params: [p('x', 'struct xdp_md *'), p('len', 'u32')],
    flags: 0,
    programTypes: ['xdp'],
    changesPktData: true,
  },
  {
    name: 'bpf_dynptr_slice',
    btfId: 63322,
    protoBtfId: 63321,
    returns: 'void *',
    params: [DYNPTR, p('offset', 'u32'), p('buffer__opt', 'void *'), p('buffer__szk', 'u32')],
    flags: KF_RET_NULL,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_slice_rdwr',
    btfId: 63324,
    protoBtfId: 63321,
    returns: 'void *',
    params: [DYNPTR, p('offset', 'u32'), p('buffer__opt', 'void *'), p('buffer__szk', 'u32')],
    flags: KF_RET_NULL,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_adjust',
    btfId: 63278,
    protoBtfId: 63277,
    returns: 'int',
    params: [DYNPTR, p('start', 'u32'), p('end', 'u32')],
    flags: 0,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_clone',
    btfId: 63283,
    protoBtfId: 63282,
    returns: 'int',
    params: [DYNPTR, p('clone__uninit', 'struct bpf_dynptr *')],
    flags: 0,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_size',
    btfId: 63319,
    protoBtfId: 63318,
    returns: '__u32',
    params: [DYNPTR],
    flags: 0,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_is_null',
    btfId: 63306,
    protoBtfId: 63305,
    returns: 'bool',
    params: [DYNPTR],
    flags: 0,
    programTypes: 'all',
  },
  {
    name: 'bpf_dynptr_is_rdonly',
    btfId: 63308,
    protoBtfId: 63305,
    returns: 'bool',
    params: [DYNPTR],
    flags: 0,
    programTypes: 'all',
  },
  {
    name: 'bpf_xdp_ct_lookup',
    btfId: 65562,
    protoBtfId: 65561,
    returns: 'struct nf_conn *',
    params: CT_LOOKUP_ARGS('xdp_md'),
    flags: KF_ACQUIRE | KF_RET_NULL,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_skb_ct_lookup',
    btfId: 65096,
    protoBtfId: 65095,
    returns: 'struct nf_conn *',
    params: CT_LOOKUP_ARGS('__sk_buff'),
    flags: KF_ACQUIRE | KF_RET_NULL,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_xdp_ct_alloc',
    btfId: 65559,
    protoBtfId: 65558,
    returns: 'struct nf_conn___init *',
    params: CT_LOOKUP_ARGS('xdp_md'),
    flags: KF_ACQUIRE | KF_RET_NULL,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_skb_ct_alloc',
    btfId: 65093,
    protoBtfId: 65092,
    returns: 'struct nf_conn___init *',
    params: CT_LOOKUP_ARGS('__sk_buff'),
    flags: KF_ACQUIRE | KF_RET_NULL,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_insert_entry',
    btfId: 63213,
    protoBtfId: 63212,
    returns: 'struct nf_conn *',
    params: [p('nfct_i', 'struct nf_conn___init *')],
    flags: KF_ACQUIRE | KF_RET_NULL | KF_RELEASE,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_release',
    btfId: 63216,
    protoBtfId: 63215,
    returns: 'void',
    params: [p('nfct', 'struct nf_conn *')],
    flags: KF_RELEASE,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_set_timeout',
    btfId: 63225,
    protoBtfId: 63224,
    returns: 'void',
    params: [p('nfct', 'struct nf_conn___init *'), p('timeout', 'u32')],
    flags: KF_TRUSTED_ARGS,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_change_timeout',
    btfId: 63210,
    protoBtfId: 63209,
    returns: 'int',
    params: [p('nfct', 'struct nf_conn *'), p('timeout', 'u32')],
    flags: KF_TRUSTED_ARGS,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_set_status',
    btfId: 63222,
    protoBtfId: 63221,
    returns: 'int',
    params: [p('nfct', 'const struct nf_conn___init *'), p('status', 'u32')],
    flags: KF_TRUSTED_ARGS,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_change_status',
    btfId: 63207,
    protoBtfId: 63206,
    returns: 'int',
    params: [p('nfct', 'struct nf_conn *'), p('status', 'u32')],
    flags: KF_TRUSTED_ARGS,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_ct_set_nat_info',
    btfId: 63219,
    protoBtfId: 63218,
    returns: 'int',
    params: [
      p('nfct', 'struct nf_conn___init *'),
      p('addr', 'union nf_inet_addr *'),
      p('port', 'int'),
      p('manip', 'enum nf_nat_manip_type'),
    ],
    flags: KF_TRUSTED_ARGS,
    programTypes: CT_TYPES,
  },
  {
    name: 'bpf_xdp_metadata_rx_timestamp',
    btfId: 65589,
    protoBtfId: 65588,
    returns: 'int',
    params: [p('ctx', 'const struct xdp_md *'), p('timestamp', 'u64 *')],
    flags: KF_TRUSTED_ARGS,
    programTypes: ['xdp'],
  },
  {
    name: 'bpf_xdp_metadata_rx_hash',
    btfId: 65586,
    protoBtfId: 65585,
    returns: 'int',
    params: [
      p('ctx', 'const struct xdp_md *'),
      p('hash', 'u32 *'),
      p('rss_type', 'enum xdp_rss_hash_type *'),
    ],
    flags: KF_TRUSTED_ARGS,
    programTypes: ['xdp'],
  },
  {
    name: 'bpf_xdp_metadata_rx_vlan_tag',
    btfId: 65592,
    protoBtfId: 65591,
    returns: 'int',
    params: [p('ctx', 'const struct xdp_md *'), p('vlan_proto', '__be16 *'), p('vlan_tci', 'u16 *')],
    flags: KF_TRUSTED_ARGS,
    programTypes: ['xdp'],
  },
];

/** Program types that may write packet data (the kernel's may_access_direct_pkt_data for a write). */
export const PACKET_WRITING_PROGRAM_TYPES: ReadonlySet<string> = new Set([
  'sched_cls',
  'sched_act',
  'xdp',
  'lwt_xmit',
  'sk_skb',
]);

const BY_NAME = new Map(KFUNCS.map((k) => [k.name, k]));
const BY_BTF_ID = new Map(KFUNCS.map((k) => [k.btfId, k]));

/** The kfunc of that name, if tsbpf knows it. */
export function kfuncByName(name: string): KfuncDef | undefined {
  return BY_NAME.get(name);
}

/** The kfunc a call's `imm` names (vmlinux BTF, `off` 0), if tsbpf knows it. */
export function kfuncByBtfId(btfId: number): KfuncDef | undefined {
  return BY_BTF_ID.get(btfId);
}

/** Whether a program of `type` may call the kfunc (its set is registered for that type). */
export function kfuncAllowed(kfunc: KfuncDef, type: ProgramTypeName): boolean {
  return kfunc.programTypes === 'all' || kfunc.programTypes.includes(type);
}
