// Redirect helpers (net/core/filter.c): bpf_redirect, bpf_redirect_map, bpf_redirect_peer, bpf_redirect_neigh,
// bpf_clone_redirect. Test-run only reports what the program returns; where the packet would go is kept for users
// to inspect.

import { PacketState } from '../context/packet.js';
import { RedirectMap } from '../maps/redirect-map.js';
import { BPF_F_BROADCAST } from '../maps/redirect-map.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, mapArg, readArg, u32 } from './helper-call.js';
import { skbOf } from './skb-common.js';

/** Kernel: BPF_F_INGRESS; TC_ACT_SHOT, TC_ACT_REDIRECT; XDP_ABORTED, XDP_REDIRECT; the XDP actions below it. */
const BPF_F_INGRESS = 1n;
const TC_ACT_SHOT = 2n;
const TC_ACT_REDIRECT = 7n;
const XDP_ABORTED = 0n;
const XDP_REDIRECT = 4n;
/** Kernel: XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX, the default action bpf_redirect_map takes in its flags. */
const XDP_ACTION_MASK = 3n;
/** Kernel: sizeof(struct bpf_redir_neigh), the next hop bpf_redirect_neigh may be given. */
const REDIR_NEIGH_SIZE = 20;

/** Where the packet was last sent by a successful redirect helper (kernel: struct bpf_redirect_info). */
export interface RedirectTarget {
  /** The interface (bpf_redirect*, a devmap entry's ifindex); 0 for cpumap, xskmap and broadcasts. */
  readonly ifindex: number;
  readonly flags: bigint;
  /** bpf_redirect_peer or bpf_redirect_neigh (with the next hop it was given, if any). */
  readonly via?: 'peer' | 'neigh';
  readonly nextHop?: Uint8Array;
  /** bpf_redirect_map: the map (by name and type) and the key. */
  readonly map?: { readonly name: string; readonly typeName: string; readonly key: number };
}

const redirects = new WeakMap<PacketState, RedirectTarget>();

/** The redirect a program asked for during its run, if any. */
export function redirectOf(packet: PacketState): RedirectTarget | undefined {
  return redirects.get(packet);
}

function packetOf(call: HelperCall, helper: string, kind?: 'skb' | 'xdp'): PacketState {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState) || (kind !== undefined && packet.kind !== kind)) {
    const needs = kind === undefined ? 'an skb or xdp' : kind === 'skb' ? 'the __sk_buff' : 'the xdp_md';
    throw helperFault(call, helper, `needs ${needs} context`);
  }
  return packet;
}

/** bpf_redirect: tc programs get TC_ACT_REDIRECT (TC_ACT_SHOT for unknown flags), xdp XDP_REDIRECT (XDP_ABORTED). */
export function redirect(call: HelperCall): bigint {
  const packet = packetOf(call, 'redirect');
  const ifindex = u32(call.args[0]);
  const flags = call.args[1];
  if (packet.kind === 'xdp') {
    if (flags !== 0n) return XDP_ABORTED;
    redirects.set(packet, { ifindex, flags });
    return XDP_REDIRECT;
  }
  if ((flags & ~BPF_F_INGRESS) !== 0n) return TC_ACT_SHOT;
  redirects.set(packet, { ifindex, flags });
  return TC_ACT_REDIRECT;
}

const clones = new WeakMap<PacketState, RedirectTarget[]>();

/** The clones bpf_clone_redirect handed to a device during the run, in order. */
export function clonesOf(packet: PacketState): readonly RedirectTarget[] {
  return clones.get(packet) ?? [];
}

/** Kernel: NET_XMIT_CN from the noop qdisc of a device that is down; NET_RX_DROP from a down device's rx. */
const NET_XMIT_CN = 2n;
const NET_RX_DROP = 1n;

/**
 * bpf_clone_redirect (tc, lwt_xmit): a clone goes to the device at once, and the helper returns what the device
 * said: 0 when it is up, NET_XMIT_CN (egress) or NET_RX_DROP (ingress) when it is down. -EINVAL for any flag but
 * BPF_F_INGRESS or an unknown ifindex; -EBADMSG for a GSO skb without a GSO type (test-run's, given a gso_size).
 */
export function cloneRedirect(call: HelperCall): bigint {
  const skb = skbOf(call, 'clone_redirect');
  const ifindex = u32(call.args[1]);
  const flags = call.args[2];
  if ((flags & ~BPF_F_INGRESS) !== 0n) return errno('EINVAL');
  if (skb.getU32('gso_size') !== 0 && skb.gsoType === 0) return errno('EBADMSG');
  const device = call.vm.network.interface(ifindex);
  if (device === undefined) return errno('EINVAL');
  if (!device.up) return flags & BPF_F_INGRESS ? NET_RX_DROP : NET_XMIT_CN;
  const sent = clones.get(skb.packet) ?? [];
  sent.push({ ifindex, flags });
  clones.set(skb.packet, sent);
  return 0n;
}

/** bpf_redirect_peer (tc): no flags are defined, any is TC_ACT_SHOT. */
export function redirectPeer(call: HelperCall): bigint {
  const packet = packetOf(call, 'redirect_peer', 'skb');
  if (call.args[1] !== 0n) return TC_ACT_SHOT;
  redirects.set(packet, { ifindex: u32(call.args[0]), flags: 0n, via: 'peer' });
  return TC_ACT_REDIRECT;
}

/** bpf_redirect_neigh (tc): a next hop, when given, is a whole `struct bpf_redir_neigh`; no flags are defined. */
export function redirectNeigh(call: HelperCall): bigint {
  const packet = packetOf(call, 'redirect_neigh', 'skb');
  const length = u32(call.args[2]);
  if ((length !== 0 && length < REDIR_NEIGH_SIZE) || call.args[3] !== 0n) return TC_ACT_SHOT;
  const target: RedirectTarget = { ifindex: u32(call.args[0]), flags: 0n, via: 'neigh' };
  redirects.set(
    packet,
    length === 0 ? target : { ...target, nextHop: readArg(call, 'redirect_neigh', 1, REDIR_NEIGH_SIZE) },
  );
  return TC_ACT_REDIRECT;
}

/**
 * bpf_redirect_map (xdp; kernel __bpf_xdp_redirect_map): flags other than the map type's and the default action
 * give XDP_ABORTED; a key with no entry gives the default action (the low two bits of flags) and forgets any
 * earlier redirect, unless BPF_F_BROADCAST (devmaps) redirects to the whole map regardless.
 */
export function redirectMap(call: HelperCall): bigint {
  const packet = packetOf(call, 'redirect_map', 'xdp');
  const map = mapArg(call, 'redirect_map', 0);
  if (!(map instanceof RedirectMap)) {
    throw helperFault(call, 'redirect_map', `map type ${map.typeName} is not a devmap, cpumap or xskmap`);
  }
  const flags = call.args[2];
  if ((flags & ~(XDP_ACTION_MASK | BigInt(map.redirectFlags))) !== 0n) return XDP_ABORTED;
  // The kernel's lookup takes a u32 key.
  const key = u32(call.args[1]);
  const entry = map.storedWords(key);
  const broadcast = (flags & BigInt(BPF_F_BROADCAST)) !== 0n;
  if (entry === undefined && !broadcast) {
    redirects.delete(packet);
    return flags & XDP_ACTION_MASK;
  }
  const isDevmap = map.typeName === 'devmap' || map.typeName === 'devmap_hash';
  redirects.set(packet, {
    ifindex: isDevmap && !broadcast && entry !== undefined ? entry[0] : 0,
    flags: broadcast ? flags : 0n,
    map: { name: map.name, typeName: map.typeName, key },
  });
  return XDP_REDIRECT;
}
