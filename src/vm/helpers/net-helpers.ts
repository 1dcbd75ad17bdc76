// Helpers whose answer depends on the host's network state (devices, sockets) of the Vm's namespace
// (src/vm/network.ts): bpf_check_mtu, the socket views bpf_sk_fullsock, bpf_tcp_sock (tcp-sock.ts) and
// bpf_get_listener_sock. Lookups: socket-lookup.ts; bpf_fib_lookup: fib-lookup.ts.

import { PacketState } from '../context/packet.js';
import {
  SKB_GSO_TCPV4,
  SKB_GSO_TCPV6,
  SKB_GSO_UDP_L4,
  type SkbContext,
  skbContextOf,
} from '../context/skb.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, pointerArg, s32, u32 } from './helper-call.js';
import { declaredSocketAt, fullSocket, socketImage } from './socket-lookup.js';
import { tcpSockImage } from './tcp-sock.js';

function packetOf(call: HelperCall, helper: string): PacketState {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState)) throw helperFault(call, helper, 'needs an skb or xdp context');
  return packet;
}

/** bpf_check_mtu return values and flag (uapi). */
const MTU_CHK_RET_SUCCESS = 0n;
const MTU_CHK_RET_FRAG_NEEDED = 1n;
const MTU_CHK_RET_SEGS_TOOBIG = 2n;
const MTU_CHK_SEGS = 1n;

/**
 * bpf_check_mtu: the packet (or *mtu_len as an L3 length) plus len_diff against the device's MTU plus its
 * header; *mtu_len gets the MTU. ifindex 0 is the device the packet is on (test-run: lo).
 */
export function checkMtu(call: HelperCall): bigint {
  const packet = packetOf(call, 'check_mtu');
  const ifindex = u32(call.args[1]);
  const mtuAddress = pointerArg(call, 'check_mtu', 2, 4);
  const lengthDifference = s32(call.args[3]);
  const flags = call.args[4];
  const memory = call.vm.memory;
  const given = memory.readU32(mtuAddress);
  // The xdp variant takes no flags at all (no segment check).
  if (packet.kind === 'xdp' && flags !== 0n) return errno('EINVAL');
  // Measured on Linux 6.18: bad flags and an unknown device return before *mtu_len is written.
  if ((flags & ~MTU_CHK_SEGS) !== 0n || (flags & MTU_CHK_SEGS && (lengthDifference !== 0 || given !== 0))) {
    return errno('EINVAL');
  }
  const dev = call.vm.network.interface(ifindex === 0 ? packet.deviceIfindex : ifindex);
  if (dev === undefined) return errno('ENODEV');
  const length = (given ? given + dev.hardHeaderLength : packet.length) + lengthDifference;
  memory.writeU32(mtuAddress, dev.mtu);
  if (length <= dev.mtu + dev.hardHeaderLength) return MTU_CHK_RET_SUCCESS;
  // A GSO skb over the MTU is segmented on transmit: fine, unless the caller asks about the segments.
  const skb = packet.kind === 'skb' ? skbContextOf(packet) : undefined;
  if (skb === undefined || skb.getU32('gso_size') === 0) return MTU_CHK_RET_FRAG_NEEDED;
  if ((flags & MTU_CHK_SEGS) !== 0n && gsoNetworkSegmentLength(skb) > dev.mtu) return MTU_CHK_RET_SEGS_TOOBIG;
  return MTU_CHK_RET_SUCCESS;
}

/** Kernel: a gso_size that means "as the frag list says"; a test-run skb has no frag list, so it fits. */
const GSO_BY_FRAGS = 0xffff;
/** Kernel: skb->transport_header when unset (test-run sets none). */
const TRANSPORT_HEADER_UNSET = 0xffff;

/**
 * Kernel skb_gso_network_seglen: network header to transport header plus the L4 header gso_type implies plus
 * gso_size, as unsigned ints (an unset transport header counts from ~0).
 */
function gsoNetworkSegmentLength(skb: SkbContext): number {
  const gsoSize = skb.getU32('gso_size');
  if (gsoSize === GSO_BY_FRAGS) return 0;
  const packet = skb.packet;
  const transport =
    skb.transportHeader === undefined ? TRANSPORT_HEADER_UNSET : skb.transportHeader - packet.bufferStart;
  const headers = (transport - (packet.networkHeader - packet.bufferStart)) >>> 0;
  let l4 = 0;
  if (skb.gsoType & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6) && skb.transportHeader !== undefined) {
    l4 = (packet.memory.readU8(skb.transportHeader + 12) >> 4) * 4;
  } else if (skb.gsoType & SKB_GSO_UDP_L4) {
    l4 = 8;
  }
  return headers + l4 + gsoSize;
}

/** `struct bpf_sock` offsets the socket helpers read; kernel TCP states and IPPROTO_TCP. */
const SOCK_PROTOCOL = 12;
const SOCK_STATE = 72;
const TCP_TIME_WAIT = 6;
const TCP_LISTEN = 10;
const TCP_NEW_SYN_RECV = 12;
const IPPROTO_TCP = 6;

function socketArg(call: HelperCall, helper: string): number {
  return pointerArg(call, helper, 0, 80);
}

/** bpf_sk_fullsock: the socket itself unless it is a time-wait or request socket. */
export function skFullsock(call: HelperCall): bigint {
  const sk = socketArg(call, 'sk_fullsock');
  const state = call.vm.memory.readU32(sk + SOCK_STATE);
  return state === TCP_TIME_WAIT || state === TCP_NEW_SYN_RECV ? 0n : BigInt(sk);
}

/** bpf_tcp_sock: NULL for a socket that is not a full TCP one (test-run's has no protocol), else its view. */
export function tcpSock(call: HelperCall): bigint {
  const sk = socketArg(call, 'tcp_sock');
  const memory = call.vm.memory;
  const state = memory.readU32(sk + SOCK_STATE);
  if (state === TCP_TIME_WAIT || state === TCP_NEW_SYN_RECV) return 0n;
  if (memory.readU32(sk + SOCK_PROTOCOL) !== IPPROTO_TCP) return 0n;
  const socket = declaredSocketAt(call.vm, sk);
  // Only lookups hand out TCP sockets, and they are all declared ones.
  if (socket === undefined) throw helperFault(call, 'tcp_sock', 'a TCP socket no lookup returned');
  return BigInt(tcpSockImage(call.vm, socket));
}

/**
 * bpf_get_listener_sock: the full socket (a request socket's listener; none for a time-wait one) when it listens
 * (TCP listeners are RCU-freed), else NULL.
 */
export function getListenerSock(call: HelperCall): bigint {
  const sk = socketArg(call, 'get_listener_sock');
  const socket = declaredSocketAt(call.vm, sk);
  if (socket === undefined) return call.vm.memory.readU32(sk + SOCK_STATE) === TCP_LISTEN ? BigInt(sk) : 0n;
  const full = fullSocket(call.vm, socket);
  return full?.kind === 'tcp-listen' ? BigInt(socketImage(call.vm, full)) : 0n;
}
