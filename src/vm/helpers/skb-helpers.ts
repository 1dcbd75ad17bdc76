// skb helpers that reshape the packet or change skb state (net/core/filter.c, Linux 6.18): pull, protocol
// change, head/tail/room adjustment, VLAN tags, checksum level, hash, tunnel metadata, cgroup and cookie.

import { PacketState } from '../context/packet.js';
import {
  CHECKSUM_NONE,
  CHECKSUM_UNNECESSARY,
  ETH_HLEN,
  PACKET_OTHERHOST,
  type SkbContext,
  skbContextOf,
} from '../context/skb.js';
import { hostNetwork } from '../network-state.js';
import type { HelperCall, VmServices } from '../runtime.js';
import { errno, helperFault, pointerArg, readArg, result, s32, u32 } from './helper-call.js';

const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;
const ETH_P_802_3 = 0x0001;
const ETH_P_802_2 = 0x0004;
const ETH_P_802_3_MIN = 0x0600;
const VLAN_HLEN = 4;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
/** Kernel: SKB_MAX_ALLOC (16 KiB less skb_shared_info), the largest skb these helpers grow to. */
const SKB_MAX_ALLOC = 16384 - 320;
/** Kernel: NET_SKB_PAD, the step pskb_expand_head grows the headroom by. */
const NET_SKB_PAD = 64;
const INT_MAX = 0x7fff_ffff;
/** Kernel: SKB_MAX_CSUM_LEVEL. */
const SKB_MAX_CSUM_LEVEL = 3;

const swap16 = (value: number): number => ((value & 0xff) << 8) | ((value >> 8) & 0xff);

function skbOf(call: HelperCall, helper: string): SkbContext {
  const packet = call.run.packet;
  const skb = packet instanceof PacketState ? skbContextOf(packet) : undefined;
  if (skb === undefined) throw helperFault(call, helper, 'needs the __sk_buff context of an skb program');
  return skb;
}

/** Kernel pskb_may_pull on a linear skb: `length` bytes from data exist. */
function mayPull(skb: SkbContext, length: number): boolean {
  return length <= skb.packet.length;
}

/** Kernel skb_cow/skb_cow_head: at least `headroom` bytes in front of data, reallocating in NET_SKB_PAD steps. */
function cow(skb: SkbContext, headroom: number): void {
  const missing = headroom - skb.packet.headroom;
  if (missing > 0) skb.packet.expand(Math.ceil(missing / NET_SKB_PAD) * NET_SKB_PAD, 0);
}

/** Kernel bpf_skb_generic_push + header moves: `length` zero bytes inserted `offset` bytes after data. */
function headerPush(skb: SkbContext, offset: number, length: number): void {
  const packet = skb.packet;
  const transportSame = skb.transportHeader === packet.networkHeader;
  const data = packet.data - length;
  packet.memory.copy(data, data + length, offset);
  packet.memory.fill(data + offset, length);
  packet.macHeader -= length;
  packet.networkHeader -= length;
  if (transportSame) skb.transportHeader = packet.networkHeader;
  packet.move({ data, dataMeta: data });
}

/** Kernel bpf_skb_generic_pop + header moves: `length` bytes removed `offset` bytes after data; -ENOMEM past the end. */
function headerPop(skb: SkbContext, offset: number, length: number): bigint {
  const packet = skb.packet;
  if (!mayPull(skb, offset + length)) return errno('ENOMEM');
  const transportSame = skb.transportHeader === packet.networkHeader;
  const data = packet.data + length;
  packet.memory.copy(data, packet.data, offset);
  packet.macHeader += length;
  packet.networkHeader += length;
  if (transportSame) skb.transportHeader = packet.networkHeader;
  packet.move({ data, dataMeta: data });
  return 0n;
}

/** Kernel bpf_skb_change_protocol (drops a routing dst; the tunnel metadata dst is not one) and skb_clear_hash. */
function changeProtocol(skb: SkbContext, protocol: number, clearHash: boolean): void {
  skb.protocol = protocol;
  if (clearHash) skb.setHash(0, false, false);
}

/** Kernel __skb_reset_checksum_unnecessary. */
function resetChecksumUnnecessary(skb: SkbContext): void {
  if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
    skb.ipSummed = CHECKSUM_NONE;
    skb.csumLevel = 0;
  }
}

/** Kernel bpf_compute_data_pointers: the context follows the packet (and tells the engine the window moved). */
function recompute(skb: SkbContext): void {
  skb.packet.move({});
}

export function skbPullData(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_pull_data');
  const length = u32(call.args[1]) || skb.packet.length;
  recompute(skb);
  return mayPull(skb, length) ? 0n : errno('ENOMEM');
}

export function skbChangeType(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_change_type');
  const type = u32(call.args[1]);
  if (skb.getU32('pkt_type') > PACKET_OTHERHOST || type > PACKET_OTHERHOST) return errno('EINVAL');
  skb.set('pkt_type', type);
  return 0n;
}

export function skbChangeProto(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_change_proto');
  if (call.args[2] !== 0n) return errno('EINVAL');
  const to = swap16(Number(call.args[1] & 0xffffn));
  const from = skb.protocol;
  const offset = skb.packet.networkHeader - skb.packet.macHeader;
  const difference = IPV6_HEADER - IPV4_HEADER;
  let ret = errno('ENOTSUPP');
  if (from === ETH_P_IP && to === ETH_P_IPV6) {
    cow(skb, difference);
    headerPush(skb, offset, difference);
    changeProtocol(skb, ETH_P_IPV6, true);
    ret = 0n;
  } else if (from === ETH_P_IPV6 && to === ETH_P_IP) {
    ret = headerPop(skb, offset, difference);
    if (ret === 0n) changeProtocol(skb, ETH_P_IP, true);
  }
  recompute(skb);
  return ret;
}

/** Kernel __bpf_skb_min_len: the tail cannot cut into the network (or a set transport) header. */
function minimumLength(skb: SkbContext): number {
  const packet = skb.packet;
  let minimum = Math.max(0, packet.networkHeader - packet.data);
  if (skb.transportHeader !== undefined && skb.transportHeader - packet.data > 0) {
    minimum = skb.transportHeader - packet.data;
  }
  return minimum;
}

export function skbChangeTail(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_change_tail');
  const newLength = u32(call.args[1]);
  const packet = skb.packet;
  let ret = 0n;
  if (call.args[2] !== 0n || newLength > SKB_MAX_ALLOC || newLength < minimumLength(skb)) {
    ret = errno('EINVAL');
  } else if (skb.encapsulation) {
    ret = errno('ENOTSUPP');
  } else if (newLength > packet.length) {
    const grow = newLength - packet.length;
    if (packet.tailroom < grow) packet.expand(0, grow - packet.tailroom);
    // Kernel bpf_skb_grow_rcsum clears the grown bytes.
    packet.memory.fill(packet.dataEnd, grow);
    packet.move({ dataEnd: packet.dataEnd + grow });
  } else if (newLength < packet.length) {
    packet.move({ dataEnd: packet.data + newLength });
  }
  recompute(skb);
  return ret;
}

export function skbChangeHead(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_change_head');
  const headroom = u32(call.args[1]);
  const packet = skb.packet;
  const newLength = (packet.length + headroom) >>> 0;
  let ret = 0n;
  if (call.args[2] !== 0n || headroom > INT_MAX || newLength > SKB_MAX_ALLOC || newLength < packet.length) {
    ret = errno('EINVAL');
  } else {
    cow(skb, headroom);
    const data = packet.data - headroom;
    packet.memory.fill(data, headroom);
    packet.macHeader = data;
    packet.move({ data, dataMeta: data });
  }
  recompute(skb);
  return ret;
}

/** bpf_skb_adjust_room flags and modes (uapi). */
const ADJ_ROOM_FIXED_GSO = 1n << 0n;
const ADJ_ROOM_ENCAP_L3_IPV4 = 1n << 1n;
const ADJ_ROOM_ENCAP_L3_IPV6 = 1n << 2n;
const ADJ_ROOM_ENCAP_L4_GRE = 1n << 3n;
const ADJ_ROOM_ENCAP_L4_UDP = 1n << 4n;
const ADJ_ROOM_NO_CSUM_RESET = 1n << 5n;
const ADJ_ROOM_ENCAP_L2_ETH = 1n << 6n;
const ADJ_ROOM_DECAP_L3_IPV4 = 1n << 7n;
const ADJ_ROOM_DECAP_L3_IPV6 = 1n << 8n;
const ADJ_ROOM_ENCAP_L2_SHIFT = 56n;
const ADJ_ROOM_ENCAP_L3_MASK = ADJ_ROOM_ENCAP_L3_IPV4 | ADJ_ROOM_ENCAP_L3_IPV6;
const ADJ_ROOM_DECAP_L3_MASK = ADJ_ROOM_DECAP_L3_IPV4 | ADJ_ROOM_DECAP_L3_IPV6;
const ADJ_ROOM_MASK =
  ADJ_ROOM_FIXED_GSO |
  ADJ_ROOM_ENCAP_L3_MASK |
  ADJ_ROOM_ENCAP_L4_GRE |
  ADJ_ROOM_ENCAP_L4_UDP |
  ADJ_ROOM_ENCAP_L2_ETH |
  (0xffn << ADJ_ROOM_ENCAP_L2_SHIFT) |
  ADJ_ROOM_DECAP_L3_MASK;
const BPF_ADJ_ROOM_NET = 0;
const BPF_ADJ_ROOM_MAC = 1;

/** Kernel bpf_skb_net_base_len. */
function networkBaseLength(skb: SkbContext): number {
  if (skb.protocol === ETH_P_IP) return IPV4_HEADER;
  if (skb.protocol === ETH_P_IPV6) return IPV6_HEADER;
  return 0xffff_ffff;
}

function netGrow(skb: SkbContext, offset: number, length: number, flags: bigint): bigint {
  const innerMacLength = Number((flags >> ADJ_ROOM_ENCAP_L2_SHIFT) & 0xffn);
  const encap = (flags & ADJ_ROOM_ENCAP_L3_MASK) !== 0n;
  const packet = skb.packet;
  cow(skb, length);
  let macLength = 0;
  if (encap) {
    if (skb.protocol !== ETH_P_IP && skb.protocol !== ETH_P_IPV6) return errno('ENOTSUPP');
    if ((flags & ADJ_ROOM_ENCAP_L3_MASK) === ADJ_ROOM_ENCAP_L3_MASK) return errno('EINVAL');
    if (flags & ADJ_ROOM_ENCAP_L4_GRE && flags & ADJ_ROOM_ENCAP_L4_UDP) return errno('EINVAL');
    if (flags & ADJ_ROOM_ENCAP_L2_ETH && innerMacLength < ETH_HLEN) return errno('EINVAL');
    if (skb.encapsulation) return errno('EALREADY');
    macLength = packet.networkHeader - packet.macHeader;
    if (innerMacLength > length) return errno('EINVAL');
  }
  headerPush(skb, offset, length);
  if (encap) {
    skb.encapsulation = true;
    packet.networkHeader = packet.data + macLength;
    if (flags & (ADJ_ROOM_ENCAP_L4_GRE | ADJ_ROOM_ENCAP_L4_UDP)) {
      skb.transportHeader =
        packet.data + macLength + (flags & ADJ_ROOM_ENCAP_L3_IPV6 ? IPV6_HEADER : IPV4_HEADER);
    }
    if (skb.protocol === ETH_P_IP && flags & ADJ_ROOM_ENCAP_L3_IPV6) changeProtocol(skb, ETH_P_IPV6, false);
    else if (skb.protocol === ETH_P_IPV6 && flags & ADJ_ROOM_ENCAP_L3_IPV4)
      changeProtocol(skb, ETH_P_IP, false);
  }
  return 0n;
}

function netShrink(skb: SkbContext, offset: number, length: number, flags: bigint): bigint {
  if ((flags & ~(ADJ_ROOM_FIXED_GSO | ADJ_ROOM_DECAP_L3_MASK | ADJ_ROOM_NO_CSUM_RESET)) !== 0n) {
    return errno('EINVAL');
  }
  const ret = headerPop(skb, offset, length);
  if (ret !== 0n) return ret;
  if (skb.protocol === ETH_P_IP && flags & ADJ_ROOM_DECAP_L3_IPV6) changeProtocol(skb, ETH_P_IPV6, false);
  else if (skb.protocol === ETH_P_IPV6 && flags & ADJ_ROOM_DECAP_L3_IPV4)
    changeProtocol(skb, ETH_P_IP, false);
  return 0n;
}

export function skbAdjustRoom(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_adjust_room');
  const difference = s32(call.args[1]);
  const mode = u32(call.args[2]);
  const flags = call.args[3];
  const shrink = difference < 0;
  const magnitude = Math.abs(difference);
  let minimum = networkBaseLength(skb);
  if ((flags & ~(ADJ_ROOM_MASK | ADJ_ROOM_NO_CSUM_RESET)) !== 0n) return errno('EINVAL');
  if (magnitude > 0xfff) return errno('EFAULT');
  if (skb.protocol !== ETH_P_IP && skb.protocol !== ETH_P_IPV6) return errno('ENOTSUPP');
  const packet = skb.packet;
  let offset = packet.networkHeader - packet.macHeader;
  if (mode === BPF_ADJ_ROOM_NET) offset += networkBaseLength(skb);
  else if (mode !== BPF_ADJ_ROOM_MAC) return errno('ENOTSUPP');
  const decap = flags & ADJ_ROOM_DECAP_L3_MASK;
  if (decap !== 0n) {
    if (!shrink) return errno('EINVAL');
    if (decap === ADJ_ROOM_DECAP_L3_IPV4) minimum = IPV4_HEADER;
    else if (decap === ADJ_ROOM_DECAP_L3_IPV6) minimum = IPV6_HEADER;
    else return errno('EINVAL');
  }
  const current = packet.length - (packet.networkHeader - packet.data);
  if (
    (shrink && (magnitude >= current || current - magnitude < minimum)) ||
    (!shrink && packet.length + magnitude > SKB_MAX_ALLOC)
  ) {
    return errno('ENOTSUPP');
  }
  const ret = shrink ? netShrink(skb, offset, magnitude, flags) : netGrow(skb, offset, magnitude, flags);
  if (ret === 0n && (flags & ADJ_ROOM_NO_CSUM_RESET) === 0n) resetChecksumUnnecessary(skb);
  recompute(skb);
  return ret;
}

const isVlanType = (protocol: number): boolean => protocol === ETH_P_8021Q || protocol === ETH_P_8021AD;

/**
 * Kernel __vlan_insert_tag (mac_len ETH_HLEN): a tag after the MAC addresses; the EtherType bytes that were
 * there follow it unchanged (found by the random sequences: not skb->protocol).
 */
function insertTag(skb: SkbContext, proto: number, tci: number): void {
  cow(skb, VLAN_HLEN);
  const packet = skb.packet;
  const memory = packet.memory;
  const data = packet.data - VLAN_HLEN;
  memory.copy(data, data + VLAN_HLEN, 12);
  packet.macHeader -= VLAN_HLEN;
  memory.writeU16(data + 12, swap16(proto));
  memory.writeU16(data + 14, swap16(tci));
  packet.move({ data, dataMeta: data });
}

/** Kernel __skb_vlan_pop: removes the tag after the MAC addresses into `tci`; skb->protocol from inside it. */
function removeTag(skb: SkbContext): { tci: number } | { error: bigint } {
  const packet = skb.packet;
  if (packet.data !== packet.macHeader) return { error: errno('EINVAL') };
  if (!mayPull(skb, ETH_HLEN + VLAN_HLEN)) return { error: errno('ENOMEM') };
  const memory = packet.memory;
  const old = packet.data;
  const tci = swap16(memory.readU16(old + 14));
  const inner = swap16(memory.readU16(old + 16));
  memory.copy(old + VLAN_HLEN, old, 12);
  if (inner >= ETH_P_802_3_MIN) skb.protocol = inner;
  else skb.protocol = memory.readU16(old + 18) === 0xffff ? ETH_P_802_3 : ETH_P_802_2;
  const data = old + VLAN_HLEN;
  packet.macHeader += VLAN_HLEN;
  if (packet.networkHeader - data < ETH_HLEN) packet.networkHeader = data + ETH_HLEN;
  packet.move({ data, dataMeta: data });
  return { tci };
}

export function skbVlanPush(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_vlan_push');
  let proto = swap16(Number(call.args[1] & 0xffffn));
  const tci = Number(call.args[2] & 0xffffn);
  if (!isVlanType(proto)) proto = ETH_P_8021Q;
  let ret = 0n;
  if (skb.getU32('vlan_present')) {
    const packet = skb.packet;
    if (packet.data !== packet.macHeader) {
      ret = errno('EINVAL');
    } else {
      insertTag(skb, skb.vlanProto, skb.getU32('vlan_tci'));
      skb.protocol = skb.vlanProto;
      packet.networkHeader -= VLAN_HLEN;
    }
  }
  if (ret === 0n) skb.setVlanTag(proto, tci);
  recompute(skb);
  return ret;
}

export function skbVlanPop(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_vlan_pop');
  const pop = (): bigint => {
    if (skb.getU32('vlan_present')) {
      skb.setVlanTag(0, 0);
    } else {
      if (!isVlanType(skb.protocol)) return 0n;
      const removed = removeTag(skb);
      if ('error' in removed) return removed.error;
    }
    // The next tag in the packet, if any, becomes the accelerated one.
    if (!isVlanType(skb.protocol)) return 0n;
    const proto = skb.protocol;
    const removed = removeTag(skb);
    if ('error' in removed) return removed.error;
    skb.setVlanTag(proto, removed.tci);
    return 0n;
  };
  const ret = pop();
  recompute(skb);
  return ret;
}

/** bpf_csum_level levels (uapi). */
const CSUM_LEVEL_QUERY = 0n;
const CSUM_LEVEL_INC = 1n;
const CSUM_LEVEL_DEC = 2n;
const CSUM_LEVEL_RESET = 3n;

export function csumLevel(call: HelperCall): bigint {
  const skb = skbOf(call, 'csum_level');
  switch (call.args[1]) {
    case CSUM_LEVEL_INC:
      if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
        if (skb.csumLevel < SKB_MAX_CSUM_LEVEL) skb.csumLevel++;
      } else if (skb.ipSummed === CHECKSUM_NONE) {
        skb.ipSummed = CHECKSUM_UNNECESSARY;
        skb.csumLevel = 0;
      }
      return 0n;
    case CSUM_LEVEL_DEC:
      if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
        if (skb.csumLevel === 0) skb.ipSummed = CHECKSUM_NONE;
        else skb.csumLevel--;
      }
      return 0n;
    case CSUM_LEVEL_RESET:
      resetChecksumUnnecessary(skb);
      return 0n;
    case CSUM_LEVEL_QUERY:
      return skb.ipSummed === CHECKSUM_UNNECESSARY ? BigInt(skb.csumLevel) : errno('EACCES');
    default:
      return errno('EINVAL');
  }
}

/** Test-run skbs are never CHECKSUM_COMPLETE, the only state bpf_csum_update works in. */
export function csumUpdate(call: HelperCall): bigint {
  skbOf(call, 'csum_update');
  return errno('ENOTSUPP');
}

export function setHash(call: HelperCall): bigint {
  skbOf(call, 'set_hash').setHash(u32(call.args[1]), true, true);
  return 0n;
}

export function setHashInvalid(call: HelperCall): bigint {
  skbOf(call, 'set_hash_invalid').setHash(0, false, false);
  return 0n;
}

/** The seed of tsbpf's flow hash (the kernel's is random per boot: values cannot match, only their behaviour). */
const FLOW_HASH_SEED = 0x9e37_79b9;

function mix(hash: number, word: number): number {
  let h = (hash ^ word) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Kernel __skb_get_hash: a hash of the flow (addresses, protocol, ports) stored as a software hash, never 0;
 * `l4` when ports were found.
 */
function flowHash(skb: SkbContext): { hash: number; l4: boolean } {
  const packet = skb.packet;
  const memory = packet.memory;
  const network = packet.networkHeader;
  const available = (from: number, size: number) => from >= packet.data && from + size <= packet.dataEnd;
  let hash = mix(FLOW_HASH_SEED, skb.protocol);
  let protocol = -1;
  let transport = -1;
  if (skb.protocol === ETH_P_IP && available(network, IPV4_HEADER)) {
    for (const at of [12, 16]) hash = mix(hash, memory.readU32(network + at));
    protocol = memory.readU8(network + 9);
    transport = network + (memory.readU8(network) & 0xf) * 4;
  } else if (skb.protocol === ETH_P_IPV6 && available(network, IPV6_HEADER)) {
    for (let at = 8; at < 40; at += 4) hash = mix(hash, memory.readU32(network + at));
    protocol = memory.readU8(network + 6);
    transport = network + IPV6_HEADER;
  }
  let l4 = false;
  if (protocol >= 0) hash = mix(hash, protocol);
  if ((protocol === 6 || protocol === 17) && available(transport, 4)) {
    hash = mix(hash, memory.readU32(transport));
    l4 = true;
  }
  return { hash: hash === 0 ? 1 : hash, l4 };
}

export function getHashRecalc(call: HelperCall): bigint {
  const skb = skbOf(call, 'get_hash_recalc');
  if (!skb.l4Hash && !skb.swHash) {
    const { hash, l4 } = flowHash(skb);
    skb.setHash(hash, l4, true);
  }
  return BigInt(skb.getU32('hash'));
}

/** Test-run skbs carry no routing dst, and a tunnel metadata dst has no realm. */
export function getRouteRealm(call: HelperCall): bigint {
  skbOf(call, 'get_route_realm');
  return 0n;
}

export function getCgroupClassid(call: HelperCall): bigint {
  skbOf(call, 'get_cgroup_classid');
  return BigInt(hostNetwork(call.vm).netClassid ?? 0);
}

/** Test-run's skb belongs to a socket made for the run, in the cgroup of the task running it. */
export function skbCgroupId(call: HelperCall): bigint {
  skbOf(call, 'skb_cgroup_id');
  return hostNetwork(call.vm).cgroupId ?? 1n;
}

/** The socket's cgroup `level` steps below the root (0 is the root); 0 past the socket's own cgroup. */
export function skbAncestorCgroupId(call: HelperCall): bigint {
  skbOf(call, 'skb_ancestor_cgroup_id');
  const level = s32(call.args[1]);
  const host = hostNetwork(call.vm);
  const own = host.cgroupId ?? 1n;
  const ancestors = host.cgroupAncestors ?? (own === 1n ? [1n] : [1n, own]);
  return level >= 0 && level < ancestors.length ? ancestors[level] : 0n;
}

const cookieCounters = new WeakMap<VmServices, bigint>();
const socketCookies = new WeakMap<SkbContext, bigint>();

/** Test-run's socket gets a cookie on first use, from a counter (kernel: global and never reused). */
export function getSocketCookie(call: HelperCall): bigint {
  const skb = skbOf(call, 'get_socket_cookie');
  let cookie = socketCookies.get(skb);
  if (cookie === undefined) {
    cookie = (cookieCounters.get(call.vm) ?? 0n) + 1n;
    cookieCounters.set(call.vm, cookie);
    socketCookies.set(skb, cookie);
  }
  return cookie;
}

/** struct bpf_tunnel_key (uapi): its size and the older sizes the kernel still takes. */
const TUNNEL_KEY_SIZE = 44;
const TUNNEL_KEY_OLD_SIZES = new Set([28, 24, 22]);
const TUNNEL_KEY_IPV4_ONLY_SIZE = 8;
const BPF_F_TUNINFO_IPV6 = 1n;
const BPF_F_TUNINFO_FLAGS = 1n << 4n;
const BPF_F_ZERO_CSUM_TX = 1n << 1n;
const BPF_F_DONT_FRAGMENT = 1n << 2n;
const BPF_F_SEQ_NUMBER = 1n << 3n;
const BPF_F_NO_TUNNEL_KEY = 1n << 4n;
/** Kernel TUNNEL_* flag values as bpf_tunnel_key.tunnel_flags reports them. */
const TUNNEL_CSUM = 0x01;
const TUNNEL_KEY = 0x04;
const TUNNEL_SEQ = 0x08;
const TUNNEL_DONT_FRAGMENT = 0x0100;
const TUNNEL_NOCACHE = 0x2000;
const TUNNEL_GENEVE_OPT = 0x0800;
const TUNNEL_VXLAN_OPT = 0x1000;
const TUNNEL_ERSPAN_OPT = 0x4000;
const TUNNEL_GTP_OPT = 0x8000;
const TUNNEL_OPTIONS_PRESENT = TUNNEL_GENEVE_OPT | TUNNEL_VXLAN_OPT | TUNNEL_ERSPAN_OPT | TUNNEL_GTP_OPT;
/** Kernel IP_TUNNEL_OPTS_MAX: options_len is a u8. */
const TUNNEL_OPTS_MAX = 255;

export function skbGetTunnelKey(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_get_tunnel_key');
  const size = u32(call.args[2]);
  const flags = call.args[3];
  const to = pointerArg(call, 'skb_get_tunnel_key', 1, size);
  const memory = call.vm.memory;
  const fail = (code: 'EINVAL' | 'EPROTO'): bigint => {
    memory.fill(to, size);
    return errno(code);
  };
  const info = skb.tunnel;
  if (info === undefined || (flags & ~(BPF_F_TUNINFO_IPV6 | BPF_F_TUNINFO_FLAGS)) !== 0n)
    return fail('EINVAL');
  const ipv6 = (flags & BPF_F_TUNINFO_IPV6) !== 0n;
  if (info.ipv6 !== ipv6) return fail('EPROTO');
  if (size !== TUNNEL_KEY_SIZE && !TUNNEL_KEY_OLD_SIZES.has(size)) {
    if (size !== TUNNEL_KEY_IPV4_ONLY_SIZE || info.ipv6) return fail('EINVAL');
  }
  const key = new Uint8Array(TUNNEL_KEY_SIZE);
  const view = new DataView(key.buffer);
  view.setUint32(0, Number(info.id & 0xffff_ffffn), true);
  key[20] = info.tos;
  key[21] = info.ttl;
  if (flags & BPF_F_TUNINFO_FLAGS) view.setUint16(22, info.flags, false);
  if (ipv6) {
    key.set(info.source, 4);
    key.set(info.destination, 28);
    view.setUint32(24, info.label, true);
  } else {
    view.setUint32(4, new DataView(info.source.buffer).getUint32(0, false), true);
    view.setUint32(28, new DataView(info.destination.buffer).getUint32(0, false), true);
  }
  memory.write(to, key.subarray(0, size));
  return 0n;
}

export function skbSetTunnelKey(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_set_tunnel_key');
  const size = u32(call.args[2]);
  const flags = call.args[3];
  const given = readArg(call, 'skb_set_tunnel_key', 1, size);
  const known =
    BPF_F_TUNINFO_IPV6 | BPF_F_ZERO_CSUM_TX | BPF_F_DONT_FRAGMENT | BPF_F_SEQ_NUMBER | BPF_F_NO_TUNNEL_KEY;
  if ((flags & ~known) !== 0n) return errno('EINVAL');
  if (size !== TUNNEL_KEY_SIZE && !TUNNEL_KEY_OLD_SIZES.has(size) && size !== TUNNEL_KEY_IPV4_ONLY_SIZE) {
    return errno('EINVAL');
  }
  const key = new Uint8Array(TUNNEL_KEY_SIZE);
  key.set(given.subarray(0, Math.min(size, TUNNEL_KEY_SIZE)));
  const view = new DataView(key.buffer);
  const ipv6 = (flags & BPF_F_TUNINFO_IPV6) !== 0n;
  const label = view.getUint32(24, true);
  if ((!ipv6 && label !== 0) || view.getUint16(22, true) !== 0) return errno('EINVAL');
  let tunnelFlags = TUNNEL_NOCACHE;
  if (flags & BPF_F_DONT_FRAGMENT) tunnelFlags |= TUNNEL_DONT_FRAGMENT;
  if (!(flags & BPF_F_ZERO_CSUM_TX)) tunnelFlags |= TUNNEL_CSUM;
  if (flags & BPF_F_SEQ_NUMBER) tunnelFlags |= TUNNEL_SEQ;
  if (!(flags & BPF_F_NO_TUNNEL_KEY)) tunnelFlags |= TUNNEL_KEY;
  const be32 = (value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, false);
    return bytes;
  };
  // Kernel: the key's remote address is stored as the tunnel's destination, local as its source.
  skb.tunnel = {
    ipv6,
    id: BigInt(view.getUint32(0, true)),
    tos: key[20],
    ttl: key[21],
    flags: tunnelFlags,
    destination: ipv6 ? key.slice(4, 20) : be32(view.getUint32(4, true)),
    source: ipv6 ? key.slice(28, 44) : be32(view.getUint32(28, true)),
    label: ipv6 ? label & 0xfffff : 0,
    options: new Uint8Array(0),
  };
  return 0n;
}

export function skbGetTunnelOpt(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_get_tunnel_opt');
  const size = u32(call.args[2]);
  const to = pointerArg(call, 'skb_get_tunnel_opt', 1, size);
  const memory = call.vm.memory;
  const info = skb.tunnel;
  if (info === undefined || !(info.flags & TUNNEL_OPTIONS_PRESENT) || size < info.options.length) {
    memory.fill(to, size);
    return errno(info === undefined || !(info.flags & TUNNEL_OPTIONS_PRESENT) ? 'ENOENT' : 'ENOMEM');
  }
  memory.fill(to, size);
  memory.write(to, info.options);
  return result(info.options.length);
}

export function skbSetTunnelOpt(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_set_tunnel_opt');
  const size = u32(call.args[2]);
  const options = readArg(call, 'skb_set_tunnel_opt', 1, size);
  const info = skb.tunnel;
  if (info === undefined || size & 3) return errno('EINVAL');
  if (size > TUNNEL_OPTS_MAX) return errno('ENOMEM');
  info.options = options;
  skb.tunnel = { ...info, flags: info.flags | TUNNEL_OPTIONS_PRESENT };
  return 0n;
}

/** bpf_skb_load_bytes_relative start headers (uapi). */
const BPF_HDR_START_MAC = 0;
const BPF_HDR_START_NET = 1;

/** bpf_skb_load_bytes_relative: `len` bytes at `offset` from the MAC or network header, up to the packet's end. */
export function skbLoadBytesRelative(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_load_bytes_relative');
  const offset = u32(call.args[1]);
  const length = u32(call.args[3]);
  const to = pointerArg(call, 'skb_load_bytes_relative', 2, length);
  const start = u32(call.args[4]);
  const packet = skb.packet;
  const base =
    start === BPF_HDR_START_MAC
      ? packet.macHeader
      : start === BPF_HDR_START_NET
        ? packet.networkHeader
        : undefined;
  if (offset > 0xffff || base === undefined || base + offset + length > packet.dataEnd) {
    call.vm.memory.fill(to, length);
    return errno('EFAULT');
  }
  call.vm.memory.copy(to, base + offset, length);
  return 0n;
}

/** Test-run's socket has no `struct socket`, so its uid is 0 in the namespace's user namespace. */
export function getSocketUid(call: HelperCall): bigint {
  skbOf(call, 'get_socket_uid');
  return 0n;
}

/** The net_cls classid of test-run's socket: the task's, as for bpf_get_cgroup_classid. */
export function skbCgroupClassid(call: HelperCall): bigint {
  skbOf(call, 'skb_cgroup_classid');
  return BigInt(hostNetwork(call.vm).netClassid ?? 0);
}

/** Test-run skbs carry no IPsec state: -EINVAL and the buffer cleared. */
export function skbGetXfrmState(call: HelperCall): bigint {
  skbOf(call, 'skb_get_xfrm_state');
  const size = u32(call.args[3]);
  call.vm.memory.fill(pointerArg(call, 'skb_get_xfrm_state', 2, size), size);
  return errno('EINVAL');
}

/** Kernel INET_ECN_* codepoints (the low two bits of the TOS / traffic class). */
const ECN_NOT_ECT = 0;
const ECN_CE = 3;

/**
 * bpf_skb_ecn_set_ce: marks an ECN-capable IPv4 or IPv6 packet Congestion Experienced (the IPv4 header
 * checksum updated); 1 when the packet is (now) CE, 0 otherwise. VLAN tags in front are skipped.
 */
export function skbEcnSetCe(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_ecn_set_ce');
  const packet = skb.packet;
  const memory = packet.memory;
  let protocol = skb.protocol;
  // Kernel skb_protocol(skb, true): the protocol under any VLAN tags in the packet.
  if (isVlanType(protocol)) {
    let at = packet.macHeader + 12;
    while (at + 4 <= packet.dataEnd && isVlanType(swap16(memory.readU16(at)))) at += VLAN_HLEN;
    protocol = at + 2 <= packet.dataEnd ? swap16(memory.readU16(at)) : 0;
  }
  const headerLength = protocol === ETH_P_IP ? IPV4_HEADER : protocol === ETH_P_IPV6 ? IPV6_HEADER : 0;
  if (headerLength === 0 || packet.length < headerLength) return 0n;
  // INET_ECN_set_ce switches on the same protocol but works on the network header, wherever it is
  // (measured: under VLAN tags test-run leaves it on the first tag).
  const network = packet.networkHeader;
  if (network + headerLength > packet.dataEnd) return 0n;
  if (protocol === ETH_P_IP) {
    const tos = memory.readU8(network + 1);
    const ecn = (tos + 1) & 3;
    if (!(ecn & 2)) return ecn === 0 ? 1n : 0n;
    // RFC 1624: the checksum follows the TOS byte gaining the CE bits.
    const check = swap16(memory.readU16(network + 10));
    let sum = check + (0xfffb + ecn);
    sum = (sum & 0xffff) + (sum >>> 16);
    memory.writeU16(network + 10, swap16(sum & 0xffff));
    memory.writeU8(network + 1, tos | ECN_CE);
    return 1n;
  }
  if (protocol === ETH_P_IPV6) {
    const word = memory.readU8(network) * 256 + memory.readU8(network + 1);
    const dsfield = (word >> 4) & 0xff;
    if ((dsfield & 3) === ECN_NOT_ECT) return 0n;
    memory.writeU8(network + 1, memory.readU8(network + 1) | (ECN_CE << 4));
    return 1n;
  }
  return 0n;
}

/** bpf_skb_set_tstamp clock ids (uapi) and the kernel's skb tstamp_type values they set. */
const BPF_SKB_CLOCK_REALTIME = 0;
const BPF_SKB_CLOCK_MONOTONIC = 1;
const BPF_SKB_CLOCK_TAI = 2;

export function skbSetTstamp(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_set_tstamp');
  const tstamp = call.args[1];
  const type = u32(call.args[2]);
  if (skb.protocol !== ETH_P_IP && skb.protocol !== ETH_P_IPV6) return errno('EOPNOTSUPP');
  if (type !== BPF_SKB_CLOCK_REALTIME && type !== BPF_SKB_CLOCK_MONOTONIC && type !== BPF_SKB_CLOCK_TAI) {
    return errno('EINVAL');
  }
  if (type !== BPF_SKB_CLOCK_REALTIME && tstamp === 0n) return errno('EINVAL');
  skb.set('tstamp', tstamp);
  skb.set('tstamp_type', type);
  return 0n;
}
