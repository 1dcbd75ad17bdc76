// kfunc implementations by name (src/abi/kfuncs.ts), run by the engines through the helper table under a key of
// their own (kfuncHelperKey) so that a kfunc call costs what a helper call costs.

import { kfuncByBtfId, kfuncByName } from '../../abi/kfuncs.js';
import type { HelperCall, HelperImplementation } from '../runtime.js';
import { errno, helperFault, pointerArg, u32 } from '../helpers/helper-call.js';
import { DYNPTR_KFUNCS } from './dynptr.js';
import { kernelContextAddress } from '../context/kernel-context.js';
import { xdpPullData } from '../helpers/packet-helpers.js';
import { type ConntrackTuple, IPS_DYING, IPS_FIXED_TIMEOUT, msecsToJiffies } from './conntrack.js';

/** Helper-table keys of kfuncs: past every helper id, BTF id added. */
export const KFUNC_KEY_BASE = 0x4000_0000;

export function kfuncHelperKey(btfId: number): number {
  return KFUNC_KEY_BASE + btfId;
}

/**
 * The helper-table key a kfunc call (`call` with src 2: BTF id in imm, BTF fd index in off) runs under, or
 * undefined when tsbpf does not implement it (module BTF, or an id its kfunc table lacks): every engine faults
 * then, with `kfuncCallFault`'s words.
 */
export function kfuncCallKey(btfId: number, btfFdIndex: number): number | undefined {
  return btfFdIndex === 0 && kfuncByBtfId(btfId) !== undefined ? kfuncHelperKey(btfId) : undefined;
}

/** Why a kfunc call tsbpf does not implement stops the run. */
export function kfuncCallFault(btfId: number): string {
  return `kfunc with BTF id ${btfId} is not one tsbpf implements`;
}

const EINVAL = -22;
const ENOENT = -2;
const EPROTO = -71;
const EAFNOSUPPORT = -97;
const ENONET = -64;
const NF_BPF_CT_OPTS_SZ = 16;
const NF_BPF_CT_OPTS_OLD_SZ = 12;
const IPV4_TUPLE = 12;
const IPV6_TUPLE = 36;

/** Writes opts->error when there are opts, as bpf_*_ct_lookup/alloc do on failure; returns NULL. */
function ctFailure(call: HelperCall, name: string, code: number): bigint {
  if (call.args[3] !== 0n) {
    const opts = pointerArg(call, name, 3, 8);
    call.vm.memory.view().setInt32(opts + 4, code, true);
  }
  return 0n;
}

/** The checks __bpf_nf_ct_lookup and __bpf_nf_ct_alloc_entry share, then the tuple (or an errno). */
function ctTuple(call: HelperCall, name: string): ConntrackTuple | number {
  const [, tuplePtr, tupleLen, optsPtr, optsLen] = call.args;
  if (optsPtr === 0n || tuplePtr === 0n) return EINVAL;
  const optsSize = u32(optsLen);
  if (optsSize !== NF_BPF_CT_OPTS_SZ && optsSize !== NF_BPF_CT_OPTS_OLD_SZ) return EINVAL;
  const opts = pointerArg(call, name, 3, optsSize);
  const view = call.vm.memory.view();
  if (
    optsSize === NF_BPF_CT_OPTS_SZ &&
    (view.getUint8(opts + 13) | view.getUint8(opts + 14) | view.getUint8(opts + 15)) !== 0
  ) {
    return EINVAL;
  }
  const netnsId = view.getInt32(opts, true);
  if (netnsId < -1) return EINVAL;
  const proto = view.getUint8(opts + 8);
  if (proto !== 6 && proto !== 17) return EPROTO;
  const length = u32(tupleLen);
  if (length !== IPV4_TUPLE && length !== IPV6_TUPLE) return EAFNOSUPPORT;
  const tuple = pointerArg(call, name, 1, length);
  const addr = length === IPV4_TUPLE ? 4 : 16;
  const bytes = call.vm.memory.read(tuple, length);
  // A test-run's namespace has no peer namespaces with ids.
  if (netnsId >= 0) return ENONET;
  return {
    saddr: bytes.slice(0, addr),
    daddr: bytes.slice(addr, 2 * addr),
    sport: view.getUint16(tuple + 2 * addr, false),
    dport: view.getUint16(tuple + 2 * addr + 2, false),
    proto,
    zone: optsSize === NF_BPF_CT_OPTS_SZ ? view.getUint16(opts + 10, true) : 0,
  };
}

function ctLookup(name: string): HelperImplementation {
  return (call) => {
    const tuple = ctTuple(call, name);
    if (typeof tuple === 'number') return ctFailure(call, name, tuple);
    const found = call.vm.conntrack.lookup(tuple);
    if (found === undefined) return ctFailure(call, name, ENOENT);
    call.vm.memory.view().setUint8(Number(call.args[3]) + 9, found.dir);
    return BigInt(found.address);
  };
}

function ctAlloc(name: string): HelperImplementation {
  return (call) => {
    const tuple = ctTuple(call, name);
    if (typeof tuple === 'number') return ctFailure(call, name, tuple);
    const address = call.vm.conntrack.allocate(tuple);
    // Kernel: a new entry times out 10 seconds after it is inserted unless the program says otherwise.
    call.vm.conntrack.setTimeout(address, 10 * 250);
    return BigInt(address);
  };
}

/** The nf_conn a kfunc argument points to (the verifier made sure it is one). */
function conn(call: HelperCall, name: string): number {
  return pointerArg(call, name, 0, 1);
}

const signed = (value: number): bigint => BigInt.asUintN(64, BigInt(value));

/** Kernel kfunc name → implementation. */
export const KFUNC_IMPLEMENTATIONS: Readonly<Record<string, HelperImplementation>> = {
  ...DYNPTR_KFUNCS,
  bpf_xdp_ct_lookup: ctLookup('xdp_ct_lookup'),
  bpf_skb_ct_lookup: ctLookup('skb_ct_lookup'),
  bpf_xdp_ct_alloc: ctAlloc('xdp_ct_alloc'),
  bpf_skb_ct_alloc: ctAlloc('skb_ct_alloc'),
  bpf_ct_insert_entry: (call) => {
    const address = conn(call, 'ct_insert_entry');
    return call.vm.conntrack.insert(address) ? BigInt(address) : 0n;
  },
  bpf_ct_release: (call) => {
    call.vm.conntrack.release(conn(call, 'ct_release'));
    return 0n;
  },
  bpf_ct_set_timeout: (call) => {
    call.vm.conntrack.setTimeout(conn(call, 'ct_set_timeout'), msecsToJiffies(u32(call.args[1])));
    return 0n;
  },
  bpf_ct_change_timeout: (call) => {
    const address = conn(call, 'ct_change_timeout');
    const status = call.vm.conntrack.status(address);
    if ((status & BigInt(IPS_FIXED_TIMEOUT)) !== 0n) return errno('EPERM');
    call.vm.conntrack.setTimeout(address, msecsToJiffies(u32(call.args[1])));
    return (status & BigInt(IPS_DYING)) !== 0n ? errno('ETIME') : 0n;
  },
  bpf_ct_set_status: (call) =>
    signed(call.vm.conntrack.changeStatus(conn(call, 'ct_set_status'), u32(call.args[1]))),
  bpf_ct_change_status: (call) =>
    signed(call.vm.conntrack.changeStatus(conn(call, 'ct_change_status'), u32(call.args[1]))),
  bpf_ct_set_nat_info: (call) => {
    const address = conn(call, 'ct_set_nat_info');
    const addr = call.vm.memory.read(pointerArg(call, 'ct_set_nat_info', 1, 16), 16);
    const port = Number(BigInt.asIntN(32, call.args[2]));
    return signed(call.vm.conntrack.setNatInfo(address, addr, port, u32(call.args[3])));
  },
  bpf_xdp_pull_data: xdpPullData,
  // The kernel struct behind the context, written from the context as it is now (src/vm/context/kernel-context.ts).
  bpf_cast_to_kern_ctx: (call) => {
    const address = kernelContextAddress(call.vm, call.run);
    if (address === undefined) throw helperFault(call, 'bpf_cast_to_kern_ctx', 'needs an skb or xdp context');
    return BigInt(address);
  },
  // A cast only: the verifier's view of the pointer changes, its value does not. The kernel's context pointer is
  // its sk_buff or xdp_buff; tsbpf's points at the UAPI struct, so the cast of it gives the kernel struct.
  bpf_rdonly_cast: (call) => {
    if (call.run.ctx === 0 || call.args[0] !== BigInt(call.run.ctx)) return call.args[0];
    return BigInt(kernelContextAddress(call.vm, call.run) ?? call.run.ctx);
  },
  // Reached only by programs loaded unverified (the kernel refuses them at load unless the program is bound
  // to a device): the kernel's default implementations, for a device without the hook, answer -EOPNOTSUPP.
  bpf_xdp_metadata_rx_timestamp: () => errno('EOPNOTSUPP'),
  bpf_xdp_metadata_rx_hash: () => errno('EOPNOTSUPP'),
  bpf_xdp_metadata_rx_vlan_tag: () => errno('EOPNOTSUPP'),
};

/** Every implemented kfunc under its helper-table key. */
export function kfuncHelperEntries(): [number, HelperImplementation][] {
  return Object.entries(KFUNC_IMPLEMENTATIONS).map(([name, implementation]) => {
    const kfunc = kfuncByName(name);
    if (kfunc === undefined) throw new RangeError(`no kfunc named '${name}' in abi/kfuncs.ts`);
    return [kfuncHelperKey(kfunc.btfId), implementation];
  });
}
