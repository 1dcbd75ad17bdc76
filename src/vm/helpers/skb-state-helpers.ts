// skb helpers that report or change skb state beside the bytes (net/core/filter.c, Linux 6.18): packet type,
// checksum level, hash, route realm, cgroup (ids, bpf_skb_under_cgroup) and classid, socket cookie and uid, IPsec state, ECN, timestamp,
// loads relative to a header.

import { CHECKSUM_NONE, CHECKSUM_UNNECESSARY, PACKET_OTHERHOST, type SkbContext } from '../context/skb.js';
import type { HelperCall, VmServices } from '../runtime.js';
import {
  ETH_P_IP,
  ETH_P_IPV6,
  IPV4_HEADER,
  IPV6_HEADER,
  isVlanType,
  resetChecksumUnnecessary,
  skbOf,
  swap16,
  VLAN_HLEN,
} from './skb-common.js';
import { errno, helperFault, mapArg, pointerArg, s32, u32 } from './helper-call.js';
import { CgroupArrayMap } from '../maps/cgroup-array-map.js';

/** Kernel: SKB_MAX_CSUM_LEVEL. */
const SKB_MAX_CSUM_LEVEL = 3;

export function skbChangeType(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_change_type');
  const type = u32(call.args[1]);
  if (skb.getU32('pkt_type') > PACKET_OTHERHOST || type > PACKET_OTHERHOST) return errno('EINVAL');
  skb.set('pkt_type', type);
  return 0n;
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
  return BigInt(call.vm.settings.netClassid ?? 0);
}

/** Test-run's skb belongs to a socket made for the run, in the cgroup of the task running it. */
export function skbCgroupId(call: HelperCall): bigint {
  skbOf(call, 'skb_cgroup_id');
  return call.vm.settings.cgroupId ?? 1n;
}

/** The test-run socket's cgroup and its ancestors, from the root (1) down to it. */
function cgroupPath(call: HelperCall): readonly bigint[] {
  const host = call.vm.settings;
  const own = host.cgroupId ?? 1n;
  return host.cgroupAncestors ?? (own === 1n ? [1n] : [1n, own]);
}

/** The socket's cgroup `level` steps below the root (0 is the root); 0 past the socket's own cgroup. */
export function skbAncestorCgroupId(call: HelperCall): bigint {
  skbOf(call, 'skb_ancestor_cgroup_id');
  const level = s32(call.args[1]);
  const ancestors = cgroupPath(call);
  return level >= 0 && level < ancestors.length ? ancestors[level] : 0n;
}

/**
 * bpf_skb_under_cgroup: whether the skb's socket (test-run's, in the running task's cgroup) is in the cgroup at
 * `index` of a cgroup_array or below it; -E2BIG past the array, -EAGAIN for an empty slot.
 */
export function skbUnderCgroup(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_under_cgroup');
  const map = mapArg(call, 'skb_under_cgroup', 1);
  if (!(map instanceof CgroupArrayMap)) {
    throw helperFault(call, 'skb_under_cgroup', `map type ${map.typeName} is not a cgroup_array`);
  }
  // Kernel skb_to_full_sk: an skb without a full socket is -ENOENT (test-run's always has one).
  if (skb.get('sk') === 0n) return errno('ENOENT');
  const index = u32(call.args[2]);
  if (index >= map.maxEntries) return errno('E2BIG');
  const cgroup = map.cgroupAt(index);
  if (cgroup === undefined) return errno('EAGAIN');
  const own = call.vm.settings.cgroupId ?? 1n;
  return cgroup === own || cgroupPath(call).includes(cgroup) ? 1n : 0n;
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
  return BigInt(call.vm.settings.netClassid ?? 0);
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
