// What the skb helpers share: the __sk_buff of a call and the kernel's skb primitives they are built on
// (pskb_may_pull, skb_cow, bpf_compute_data_pointers, checksum-level reset).

import { PacketState } from '../context/packet.js';
import { CHECKSUM_NONE, CHECKSUM_UNNECESSARY, type SkbContext, skbContextOf } from '../context/skb.js';
import type { HelperCall } from '../runtime.js';
import { helperFault } from './helper-call.js';

export const ETH_P_IP = 0x0800;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;
export const IPV4_HEADER = 20;
export const IPV6_HEADER = 40;
export const VLAN_HLEN = 4;
/** Kernel: NET_SKB_PAD, the step pskb_expand_head grows the headroom by. */
const NET_SKB_PAD = 64;

/** A 16-bit value in the other byte order (__be16 arguments and fields as numbers). */
export const swap16 = (value: number): number => ((value & 0xff) << 8) | ((value >> 8) & 0xff);

export const isVlanType = (protocol: number): boolean =>
  protocol === ETH_P_8021Q || protocol === ETH_P_8021AD;

export function skbOf(call: HelperCall, helper: string): SkbContext {
  const packet = call.run.packet;
  const skb = packet instanceof PacketState ? skbContextOf(packet) : undefined;
  if (skb === undefined) throw helperFault(call, helper, 'needs the __sk_buff context of an skb program');
  return skb;
}

/** Kernel pskb_may_pull on a linear skb: `length` bytes from data exist. */
export function mayPull(skb: SkbContext, length: number): boolean {
  return length <= skb.packet.length;
}

/** Kernel skb_cow/skb_cow_head: at least `headroom` bytes in front of data, reallocating in NET_SKB_PAD steps. */
export function cow(skb: SkbContext, headroom: number): void {
  const missing = headroom - skb.packet.headroom;
  if (missing > 0) skb.packet.expand(Math.ceil(missing / NET_SKB_PAD) * NET_SKB_PAD, 0);
}

/** Kernel bpf_skb_change_protocol (drops a routing dst; the tunnel metadata dst is not one) and skb_clear_hash. */
export function changeProtocol(skb: SkbContext, protocol: number, clearHash: boolean): void {
  skb.protocol = protocol;
  if (clearHash) skb.setHash(0, false, false);
}

/** Kernel __skb_reset_checksum_unnecessary. */
export function resetChecksumUnnecessary(skb: SkbContext): void {
  if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
    skb.ipSummed = CHECKSUM_NONE;
    skb.csumLevel = 0;
  }
}

/** Kernel bpf_compute_data_pointers: the context follows the packet (and tells the engine the window moved). */
export function recompute(skb: SkbContext): void {
  skb.packet.move({});
}
