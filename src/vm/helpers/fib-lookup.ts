// bpf_fib_lookup for tc and XDP: the kernel's forwarding lookup over the Vm's namespace (src/vm/network.ts) —
// device and forwarding checks, the route, the MTU, the next hop and its neighbour — with the kernel's order of
// checks and of writes into struct bpf_fib_lookup, so a program sees the same partial results on each failure.

import { PacketState } from '../context/packet.js';
import { MAIN_TABLE, type Network, type Route } from '../network.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, pointerArg, s32 } from './helper-call.js';

/** struct bpf_fib_lookup (uapi): size and member offsets. */
const FIB_LOOKUP_SIZE = 64;
const OFF_FAMILY = 0;
const OFF_TOT_LEN = 6; // union with mtu_result
const OFF_IFINDEX = 8;
const OFF_RT_METRIC = 12;
const OFF_SRC = 16;
const OFF_DST = 32;
const OFF_VLAN_PROTO = 48; // h_vlan_proto, h_vlan_TCI; union with tbid
const OFF_TBID = 48;
const OFF_SMAC = 52;
const OFF_DMAC = 58;

/** BPF_FIB_LOOKUP_* flags (uapi). */
const LOOKUP_DIRECT = 1n;
const LOOKUP_SKIP_NEIGH = 4n;
const LOOKUP_TBID = 8n;
const LOOKUP_SRC = 16n;
const LOOKUP_MASK = 0x3fn;

/** BPF_FIB_LKUP_RET_* (uapi). */
const RET = {
  SUCCESS: 0n,
  BLACKHOLE: 1n,
  UNREACHABLE: 2n,
  PROHIBIT: 3n,
  NOT_FWDED: 4n,
  FWD_DISABLED: 5n,
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
/** RT_TABLE_LOCAL and RT_TABLE_DEFAULT: with the main table, the tables the default policy rules consult. */
const LOCAL_TABLE = 255;
const DEFAULT_TABLE = 253;

/**
 * The route for `destination`: DIRECT looks in one table (main, or params->tbid with TBID, whose field is then
 * zeroed), otherwise the default policy rules' tables in order (local, main, default). `null`: no such table.
 */
function findRoute(
  network: Network,
  destination: Uint8Array,
  flags: bigint,
  call: HelperCall,
  params: number,
): Route | undefined | null {
  if (flags & LOOKUP_DIRECT) {
    let table = MAIN_TABLE;
    if (flags & LOOKUP_TBID) {
      table = call.vm.memory.readU32(params + OFF_TBID);
      call.vm.memory.writeU32(params + OFF_TBID, 0);
    }
    // fib_get_table: main and local always exist; another exists once a route was added to it.
    const exists =
      table === MAIN_TABLE ||
      table === LOCAL_TABLE ||
      network.routes().some((route) => route.table === table);
    if (!exists) return null;
    return network.lookupRoute(destination, table);
  }
  for (const table of [LOCAL_TABLE, MAIN_TABLE, DEFAULT_TABLE]) {
    const route = network.lookupRoute(destination, table);
    if (route !== undefined) return route;
  }
  return undefined;
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
  if (v6 && (needsStrict(destination) || needsStrict(memory.read(params + OFF_SRC, 16)))) {
    return RET.NOT_FWDED;
  }
  const device = network.interface(memory.readU32(params + OFF_IFINDEX));
  if (device === undefined) return errno('ENODEV');
  if (!device.forwarding) return RET.FWD_DISABLED;
  const route = findRoute(network, destination, flags, call, params);
  // No table, or no route (fib_lookup's -ENETUNREACH), is "not forwarded".
  if (route === null || route === undefined) return RET.NOT_FWDED;
  switch (route.type) {
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
  const nextHopDevice = network.interface(route.ifindex);
  if (nextHopDevice === undefined) return RET.NOT_FWDED;
  let mtu = 0;
  if (checkMtu) {
    mtu = route.mtu ?? Math.min(nextHopDevice.mtu, v6 ? IP6_MAX_MTU : IP_MAX_MTU);
    if (memory.readU16(params + OFF_TOT_LEN) > mtu) {
      memory.writeU16(params + OFF_TOT_LEN, mtu & 0xffff);
      return RET.FRAG_NEEDED;
    }
  }
  // IPv6 takes the gateway before the metric and ifindex; IPv4 after (and after the source address).
  if (v6 && route.gateway !== undefined) memory.write(params + OFF_DST, route.gateway);
  memory.writeU32(params + OFF_RT_METRIC, route.metric);
  memory.writeU32(params + OFF_IFINDEX, nextHopDevice.ifindex);
  // Devices carry no addresses in tsbpf, so there is never a preferred source to give.
  if (flags & LOOKUP_SRC) return RET.NO_SRC_ADDR;
  if (!v6 && route.gateway !== undefined) memory.write(params + OFF_DST, route.gateway);
  if (!(flags & LOOKUP_SKIP_NEIGH)) {
    const neighbour = network.neighbour(nextHopDevice.ifindex, memory.read(params + OFF_DST, size));
    if (neighbour === undefined) return RET.NO_NEIGH;
    memory.write(params + OFF_DMAC, neighbour.mac);
    memory.write(params + OFF_SMAC, nextHopDevice.mac);
  }
  // bpf_fib_set_fwd_params: no VLAN on the egress device; the MTU when it was checked.
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
