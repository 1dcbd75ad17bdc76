// skb helpers that reshape the packet (net/core/filter.c, Linux 6.18): pull, protocol change, head and tail,
// room at the MAC or network header with its encapsulation flags, VLAN tags.

import { ETH_HLEN, SKB_GSO_TCPV4, SKB_GSO_TCPV6, SKB_GSO_UDP_L4, type SkbContext } from '../context/skb.js';
import type { HelperCall } from '../runtime.js';
import {
  changeProtocol,
  cow,
  ETH_P_8021Q,
  ETH_P_IP,
  ETH_P_IPV6,
  IPV4_HEADER,
  IPV6_HEADER,
  isVlanType,
  mayPull,
  recompute,
  resetChecksumUnnecessary,
  skbOf,
  swap16,
  VLAN_HLEN,
} from './skb-common.js';
import { errno, s32, u32 } from './helper-call.js';

const ETH_P_802_3 = 0x0001;
const ETH_P_802_2 = 0x0004;
const ETH_P_802_3_MIN = 0x0600;
/** Kernel: SKB_MAX_ALLOC (16 KiB less skb_shared_info), the largest skb these helpers grow to. */
const SKB_MAX_ALLOC = 16384 - 320;
const INT_MAX = 0x7fff_ffff;

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

export function skbPullData(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_pull_data');
  const length = u32(call.args[1]) || skb.packet.length;
  recompute(skb);
  return mayPull(skb, length) ? 0n : errno('ENOMEM');
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

/**
 * Kernel bpf_skb_net_grow/shrink: a GSO skb must be TCP, or UDP with a fixed gso_size. Test-run's GSO skbs have no
 * type, so they are always refused (and the gso_size/gso_segs updates after a resize are never reached).
 */
function gsoRefused(skb: SkbContext, flags: bigint): boolean {
  if (skb.getU32('gso_size') === 0 || skb.gsoType & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) return false;
  return !(skb.gsoType & SKB_GSO_UDP_L4) || (flags & ADJ_ROOM_FIXED_GSO) === 0n;
}

function netGrow(skb: SkbContext, offset: number, length: number, flags: bigint): bigint {
  const innerMacLength = Number((flags >> ADJ_ROOM_ENCAP_L2_SHIFT) & 0xffn);
  const encap = (flags & ADJ_ROOM_ENCAP_L3_MASK) !== 0n;
  const packet = skb.packet;
  if (gsoRefused(skb, flags)) return errno('ENOTSUPP');
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
  if (gsoRefused(skb, flags)) return errno('ENOTSUPP');
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
    (!shrink && packet.length + magnitude > SKB_MAX_ALLOC && skb.getU32('gso_size') === 0)
  ) {
    return errno('ENOTSUPP');
  }
  const ret = shrink ? netShrink(skb, offset, magnitude, flags) : netGrow(skb, offset, magnitude, flags);
  if (ret === 0n && (flags & ADJ_ROOM_NO_CSUM_RESET) === 0n) resetChecksumUnnecessary(skb);
  recompute(skb);
  return ret;
}

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
