// bpf_fib_lookup for tc and XDP: the kernel's forwarding lookup over the Vm's namespace (src/vm/network.ts,
// routing.ts) — device and forwarding checks, rules and route, the MTU, the next hop, its source address and its
// neighbour — with the kernel's order of checks and of writes into struct bpf_fib_lookup, so a program sees the
// same partial results on each failure.

import { PacketState } from '../context/packet.js';
import { MAIN_TABLE } from '../network.js';
import {
  type Flow,
  routeLookup,
  lookupTable,
  preferredSource4,
  preferredSource6,
  type RoutingError,
  type RoutingResult,
  selectMultipath,
  tableExists,
} from '../routing.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, pointerArg, s32 } from './helper-call.js';

/** struct bpf_fib_lookup (uapi): size and member offsets. */
const FIB_LOOKUP_SIZE = 64;
const OFF_FAMILY = 0;
const OFF_L4_PROTOCOL = 1;
const OFF_SPORT = 2; // sport and dport, network order
const OFF_DPORT = 4;
const OFF_TOT_LEN = 6; // union with mtu_result
const OFF_IFINDEX = 8;
const OFF_TOS = 12; // IPv4 tos; IPv6 flowinfo (network order); unions with rt_metric
const OFF_RT_METRIC = 12;
const OFF_SRC = 16;
const OFF_DST = 32;
const OFF_VLAN_PROTO = 48; // h_vlan_proto, h_vlan_TCI; union with tbid
const OFF_TBID = 48;
const OFF_MARK = 52; // union with smac
const OFF_SMAC = 52;
const OFF_DMAC = 58;

/** BPF_FIB_LOOKUP_* flags (uapi). */
const LOOKUP_DIRECT = 1n;
const LOOKUP_OUTPUT = 2n;
const LOOKUP_SKIP_NEIGH = 4n;
const LOOKUP_TBID = 8n;
const LOOKUP_SRC = 16n;
const LOOKUP_MARK = 32n;
const LOOKUP_MASK = 0x3fn;

/** BPF_FIB_LKUP_RET_* (uapi). */
const RET = {
  SUCCESS: 0n,
  BLACKHOLE: 1n,
  UNREACHABLE: 2n,
  PROHIBIT: 3n,
  NOT_FWDED: 4n,
  FWD_DISABLED: 5n,
  UNSUPP_LWT: 6n,
  NO_NEIGH: 7n,
  FRAG_NEEDED: 8n,
  NO_SRC_ADDR: 9n,
} as const;

const AF_INET = 2;
const AF_INET6 = 10;
/** Kernel IP_MAX_MTU and IP6_MAX_MTU (65535 + the IPv6 header). */
const IP_MAX_MTU = 0xfff0;
const IP6_MAX_MTU = 65535 + 40;
/** VLAN_HLEN: is_skb_forwardable leaves room for one tag. */
const VLAN_HLEN = 4;
/** LOOPBACK_IFINDEX: the input device of an output lookup. */
const LOOPBACK_IFINDEX = 1;

/** How bpf_ipv4_fib_lookup maps fib_lookup's errors (bpf_ipv6_fib_lookup answers every error NOT_FWDED). */
const ERROR_RESULTS: Record<RoutingError, bigint> = {
  EINVAL: RET.BLACKHOLE,
  EHOSTUNREACH: RET.UNREACHABLE,
  EACCES: RET.PROHIBIT,
  ENETUNREACH: RET.NOT_FWDED,
};

/**
 * The lookup itself: DIRECT looks in one table (main, or params->tbid with TBID, whose field is then zeroed; no
 * such table: `null`); otherwise the policy rules, with params->mark when MARK is set. OUTPUT looks from the
 * egress side: iif lo, oif the params' device (which then must carry the next hop).
 */
function route(
  call: HelperCall,
  params: number,
  flags: bigint,
  flow: Flow,
  oif: number,
): RoutingResult | undefined | null {
  const network = call.vm.network;
  if (flags & LOOKUP_DIRECT) {
    let table = MAIN_TABLE;
    if (flags & LOOKUP_TBID) {
      table = call.vm.memory.readU32(params + OFF_TBID);
      call.vm.memory.writeU32(params + OFF_TBID, 0);
    }
    if (!tableExists(network, table)) return null;
    return lookupTable(network, table, flow, oif);
  }
  const mark = flags & LOOKUP_MARK ? call.vm.memory.readU32(params + OFF_MARK) : 0;
  return routeLookup(network, { ...flow, mark }, oif);
}

/** rt6_need_strict: multicast, link-local and loopback IPv6 addresses, which are never forwarded. */
function needsStrict(address: Uint8Array): boolean {
  if (address[0] === 0xff) return true;
  if (address[0] === 0xfe && (address[1] & 0xc0) === 0x80) return true;
  return address.subarray(0, 15).every((byte) => byte === 0) && address[15] === 1;
}

function lookupFamily(
  call: HelperCall,
  params: number,
  flags: bigint,
  checkMtu: boolean,
  v6: boolean,
): bigint {
  const memory = call.vm.memory;
  const network = call.vm.network;
  const size = v6 ? 16 : 4;
  const destination = memory.read(params + OFF_DST, size);
  const source = memory.read(params + OFF_SRC, size);
  if (v6 && (needsStrict(destination) || needsStrict(source))) return RET.NOT_FWDED;
  const ifindex = memory.readU32(params + OFF_IFINDEX);
  const device = network.interface(ifindex);
  if (device === undefined) return errno('ENODEV');
  if (!device.forwarding) return RET.FWD_DISABLED;
  const output = (flags & LOOKUP_OUTPUT) !== 0n;
  const word = (offset: number) => (memory.readU8(offset) << 8) | memory.readU8(offset + 1);
  // The flow as bpf_ipv4/6_fib_lookup fill it: the IPv6 traffic class is bits 20..27 of flowinfo; the uid is
  // sock_net_uid(net, NULL), the namespace's root.
  const flow: Flow = {
    destination,
    source,
    iif: output ? LOOPBACK_IFINDEX : ifindex,
    oif: output ? ifindex : 0,
    mark: 0,
    tos: v6 ? (word(params + OFF_TOS) >> 4) & 0xff : memory.readU8(params + OFF_TOS),
    protocol: memory.readU8(params + OFF_L4_PROTOCOL),
    sourcePort: word(params + OFF_SPORT),
    destinationPort: word(params + OFF_DPORT),
    uid: 0,
  };
  // IPv6 hands the params' device to the table lookup either way, as a preference among equal routes.
  const result = route(call, params, flags, flow, v6 ? ifindex : flow.oif);
  if (result === null || result === undefined) return RET.NOT_FWDED;
  if (result.error !== undefined) return v6 ? RET.NOT_FWDED : ERROR_RESULTS[result.error];
  const found = result.route;
  switch (found.type) {
    case 'unicast':
      break;
    case 'blackhole':
      return RET.BLACKHOLE;
    case 'unreachable':
      return RET.UNREACHABLE;
    case 'prohibit':
      return RET.PROHIBIT;
    default:
      return RET.NOT_FWDED;
  }
  // fib_select_path / fib6_select_path: an output lookup keeps the next hop on its device, others hash the flow.
  const nexthop =
    found.nexthops.length > 1 && flow.oif === 0 ? selectMultipath(network, found, flow) : result.nexthop;
  const nextHopDevice = network.interface(nexthop.ifindex);
  if (nextHopDevice === undefined) return RET.NOT_FWDED;
  let mtu = 0;
  if (checkMtu) {
    // A locked route MTU (tsbpf's route mtu) as it is; else the device's, capped.
    mtu = found.mtu ?? Math.min(nextHopDevice.mtu, v6 ? IP6_MAX_MTU : IP_MAX_MTU);
    if (memory.readU16(params + OFF_TOT_LEN) > mtu) {
      memory.writeU16(params + OFF_TOT_LEN, mtu & 0xffff);
      return RET.FRAG_NEEDED;
    }
  }
  // "do not handle lwt encaps right now"
  if (found.encap) return RET.UNSUPP_LWT;
  // IPv6 takes the gateway before the metric and ifindex; IPv4 after (and after the source address).
  if (v6 && nexthop.gateway !== undefined) memory.write(params + OFF_DST, nexthop.gateway);
  memory.writeU32(params + OFF_RT_METRIC, found.metric);
  memory.writeU32(params + OFF_IFINDEX, nextHopDevice.ifindex);
  if (flags & LOOKUP_SRC) {
    if (v6) {
      const chosen = preferredSource6(network, found, nexthop, destination);
      if (chosen === undefined) return RET.NO_SRC_ADDR;
      memory.write(params + OFF_SRC, chosen);
    } else {
      memory.write(params + OFF_SRC, preferredSource4(network, found, nexthop));
    }
  }
  // An IPv4 route through an IPv6 gateway turns the params into IPv6 ones.
  let neighbourAddress = destination;
  if (!v6 && nexthop.gateway !== undefined) {
    if (nexthop.gateway.length === 16) memory.writeU8(params + OFF_FAMILY, AF_INET6);
    memory.write(params + OFF_DST, nexthop.gateway);
  }
  if (nexthop.gateway !== undefined) neighbourAddress = nexthop.gateway;
  if (!(flags & LOOKUP_SKIP_NEIGH)) {
    const neighbour = network.neighbour(nextHopDevice.ifindex, neighbourAddress);
    if (neighbour === undefined) return RET.NO_NEIGH;
    memory.write(params + OFF_DMAC, neighbour.mac);
    memory.write(params + OFF_SMAC, nextHopDevice.mac);
  }
  // bpf_fib_set_fwd_params: 6.18 fills no VLAN (h_vlan_proto and h_vlan_TCI zero); the MTU when it was checked.
  memory.writeU32(params + OFF_VLAN_PROTO, 0);
  if (mtu !== 0) memory.writeU16(params + OFF_TOT_LEN, mtu & 0xffff);
  return RET.SUCCESS;
}

/**
 * bpf_fib_lookup (skb and xdp variants). XDP always checks params->tot_len against the route's MTU; tc does when
 * tot_len is set, and otherwise checks the skb against the egress device and reports that device's MTU.
 */
export function fibLookup(call: HelperCall): bigint {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState)) throw helperFault(call, 'fib_lookup', 'needs an skb or xdp context');
  const size = s32(call.args[2]);
  const flags = call.args[3];
  if (size < FIB_LOOKUP_SIZE) return errno('EINVAL');
  if ((flags & ~LOOKUP_MASK) !== 0n) return errno('EINVAL');
  const params = pointerArg(call, 'fib_lookup', 1, FIB_LOOKUP_SIZE);
  const memory = call.vm.memory;
  const family = memory.readU8(params + OFF_FAMILY);
  if (family !== AF_INET && family !== AF_INET6) return errno('EAFNOSUPPORT');
  const checkMtu = packet.kind === 'xdp' || memory.readU16(params + OFF_TOT_LEN) !== 0;
  const result = lookupFamily(call, params, flags, checkMtu, family === AF_INET6);
  if (result === RET.SUCCESS && !checkMtu) {
    const device = call.vm.network.interface(memory.readU32(params + OFF_IFINDEX));
    if (device === undefined) throw helperFault(call, 'fib_lookup', 'the egress device vanished');
    memory.writeU16(params + OFF_TOT_LEN, device.mtu & 0xffff);
    // is_skb_forwardable: room for the MTU, the device's header and one VLAN tag.
    if (packet.length > device.mtu + device.hardHeaderLength + VLAN_HLEN) return RET.FRAG_NEEDED;
  }
  return result;
}
