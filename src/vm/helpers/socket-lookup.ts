// Socket helpers over the Vm's namespace (src/vm/network.ts): bpf_sk_lookup_tcp/udp and bpf_skc_lookup_tcp find
// declared sockets by the tuple as the kernel's lookups do; a found socket is a `struct bpf_sock` image that
// bpf_sk_release, bpf_get_listener_sock and bpf_sk_assign take; bpf_get_netns_cookie reports the namespace's.

import { BPF_SOCK_FIELDS, CONTEXT_STRUCTS, fieldOffset } from '../../abi/context-structs.js';
import { PacketState } from '../context/packet.js';
import { ipv4View, type Network, type NetworkSocket, networkOf } from '../network.js';
import type { HelperCall, VmServices } from '../runtime.js';
import { errno, helperFault, pointerArg, s32, u32 } from './helper-call.js';

const BPF_SOCK_SIZE = CONTEXT_STRUCTS.bpf_sock.size;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** Kernel TCP states as struct bpf_sock reports them. */
const TCP_ESTABLISHED = 1;
const TCP_TIME_WAIT = 6;
const TCP_CLOSE = 7;
const TCP_LISTEN = 10;
const TCP_NEW_SYN_RECV = 12;
const LOOPBACK4_IPV6 = Uint8Array.of(127, 0, 0, 6);
/** sizeof(bpf_sock_tuple.ipv4) and .ipv6. */
const TUPLE_IPV4_SIZE = 12;
const TUPLE_IPV6_SIZE = 36;

const offsetOf = (name: string): number => fieldOffset(BPF_SOCK_FIELDS, name, 'struct bpf_sock');

/** The images of one Vm's declared sockets, made on first lookup and kept for the Vm's life (stable pointers). */
interface SocketImages {
  readonly byAddress: Map<number, NetworkSocket>;
  readonly bySocket: Map<NetworkSocket, number>;
}

const imagesByVm = new WeakMap<VmServices, SocketImages>();

function imagesOf(vm: VmServices): SocketImages {
  let images = imagesByVm.get(vm);
  if (images === undefined) {
    images = { byAddress: new Map(), bySocket: new Map() };
    imagesByVm.set(vm, images);
  }
  return images;
}

/** The declared socket at `address`, if it is one a lookup returned. */
export function declaredSocketAt(vm: VmServices, address: number): NetworkSocket | undefined {
  return imagesOf(vm).byAddress.get(address);
}

const STATES: Readonly<Record<NetworkSocket['kind'], number>> = {
  'tcp-listen': TCP_LISTEN,
  'tcp-established': TCP_ESTABLISHED,
  'tcp-request': TCP_NEW_SYN_RECV,
  'tcp-time-wait': TCP_TIME_WAIT,
  udp: TCP_CLOSE,
};

/** The IPv4 address struct bpf_sock's ip4 fields show for one of the socket's addresses. */
function ipv4Field(address: Uint8Array): Uint8Array {
  // Kernel: an IPv6 socket bound or connected to an IPv6 (not mapped) address keeps LOOPBACK4_IPV6 (127.0.0.6)
  // as the IPv4 address, which the ip4 fields show; `::` keeps 0.0.0.0.
  return ipv4View(address, false) ?? LOOPBACK4_IPV6;
}

/**
 * Whether an IPv4 socket's IPv6 fields show its addresses IPv4-mapped: the kernel maps both while connecting
 * (either end of an established connection, a request socket), neither at bind() (listeners, UDP); a time-wait
 * socket's are left unset (shown as zeroes).
 */
function mapsAddresses(socket: NetworkSocket): boolean {
  return (
    socket.localAddress.length === 4 && (socket.kind === 'tcp-established' || socket.kind === 'tcp-request')
  );
}

function mapped(address: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set([0xff, 0xff], 10);
  bytes.set(address, 12);
  return bytes;
}

/**
 * The socket's `struct bpf_sock`, as the kernel's ctx conversion would show the struct sock: what lookups (and
 * sockmap/sockhash lookups) return, one image per socket for the Vm's life.
 */
export function socketImage(vm: VmServices, socket: NetworkSocket): number {
  const images = imagesOf(vm);
  const known = images.bySocket.get(socket);
  if (known !== undefined) return known;
  const memory = vm.memory;
  const address = memory.allocate(BPF_SOCK_SIZE, 8);
  memory.fill(address, BPF_SOCK_SIZE);
  const v6 = socket.localAddress.length === 16;
  const put32 = (name: string, value: number) => memory.writeU32(address + offsetOf(name), value >>> 0);
  put32('bound_dev_if', socket.boundDevice);
  put32('family', v6 ? AF_INET6 : AF_INET);
  put32('type', socket.kind === 'udp' ? SOCK_DGRAM : SOCK_STREAM);
  put32('protocol', socket.kind === 'udp' ? IPPROTO_UDP : IPPROTO_TCP);
  memory.write(address + offsetOf('src_ip4'), ipv4Field(socket.localAddress));
  if (v6) memory.write(address + offsetOf('src_ip6'), socket.localAddress);
  put32('src_port', socket.localPort);
  if (socket.remoteAddress !== undefined) {
    memory.write(address + offsetOf('dst_ip4'), ipv4Field(socket.remoteAddress));
    if (v6) memory.write(address + offsetOf('dst_ip6'), socket.remoteAddress);
    if (mapsAddresses(socket)) {
      memory.write(address + offsetOf('src_ip6'), mapped(socket.localAddress));
      memory.write(address + offsetOf('dst_ip6'), mapped(socket.remoteAddress));
    }
  }
  // dst_port is big-endian, as the kernel stores skc_dport.
  const remotePort = socket.remotePort ?? 0;
  memory.write(address + offsetOf('dst_port'), Uint8Array.of(remotePort >> 8, remotePort & 0xff));
  put32(
    'state',
    socket.kind === 'udp' && socket.remoteAddress !== undefined ? TCP_ESTABLISHED : STATES[socket.kind],
  );
  put32('rx_queue_mapping', 0xffff_ffff);
  images.byAddress.set(address, socket);
  images.bySocket.set(socket, address);
  return address;
}

/** Kernel: netns ids above S32_MAX are reserved; a negative s32 is the caller's namespace. */
const S32_MAX = 0x7fff_ffffn;

/**
 * Kernel __bpf_skc_lookup: the socket the tuple names in the namespace the netns id chooses (a negative s32: the
 * packet's; an id: the namespace the packet's knows by it, itself or a peer), matched against the packet's device
 * (skb->dev, the xdp rxq's device); sdif is 0 without VRF devices. XDP takes the id as a u32.
 */
function lookup(call: HelperCall, helper: string, protocol: 'tcp' | 'udp'): NetworkSocket | undefined {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState)) throw helperFault(call, helper, 'needs an skb or xdp context');
  const size = u32(call.args[2]);
  if (size !== TUPLE_IPV4_SIZE && size !== TUPLE_IPV6_SIZE) return undefined;
  const tuple = pointerArg(call, helper, 1, size);
  const netnsId = packet.kind === 'xdp' ? call.args[3] & 0xffff_ffffn : call.args[3];
  if (call.args[4] !== 0n) return undefined;
  let network: Network | undefined = call.vm.network;
  if (s32(netnsId) >= 0) network = netnsId > S32_MAX ? undefined : network.namespaceById(Number(netnsId));
  if (network === undefined) return undefined;
  const memory = call.vm.memory;
  const addressSize = size === TUPLE_IPV4_SIZE ? 4 : 16;
  const remote = memory.read(tuple, addressSize);
  const local = memory.read(tuple + addressSize, addressSize);
  const port = (at: number) => (memory.readU8(at) << 8) | memory.readU8(at + 1);
  return network.lookupSocket(
    protocol,
    remote,
    port(tuple + 2 * addressSize),
    local,
    port(tuple + 2 * addressSize + 2),
    packet.deviceIfindex,
  );
}

/**
 * bpf_sk_lookup_tcp: a full socket only (kernel sk_to_full_sk): a request socket's listener in its place, nothing
 * for a time-wait socket.
 */
export function socketLookupTcp(call: HelperCall): bigint {
  const socket = lookup(call, 'sk_lookup_tcp', 'tcp');
  const full = socket === undefined ? undefined : fullSocket(call.vm, socket);
  return full === undefined ? 0n : BigInt(socketImage(call.vm, full));
}

/** bpf_skc_lookup_tcp: any socket of the tables, request and time-wait ones included. */
export function socketCommonLookupTcp(call: HelperCall): bigint {
  const socket = lookup(call, 'skc_lookup_tcp', 'tcp');
  return socket === undefined ? 0n : BigInt(socketImage(call.vm, socket));
}

export function socketLookupUdp(call: HelperCall): bigint {
  const socket = lookup(call, 'sk_lookup_udp', 'udp');
  return socket === undefined ? 0n : BigInt(socketImage(call.vm, socket));
}

/** Kernel sk_to_full_sk: a request socket's listener, nothing for a time-wait socket, else the socket. */
export function fullSocket(vm: VmServices, socket: NetworkSocket): NetworkSocket | undefined {
  if (socket.kind === 'tcp-time-wait') return undefined;
  if (socket.kind === 'tcp-request') return (networkOf(socket) ?? vm.network).listenerOf(socket);
  return socket;
}

/** bpf_sk_release: drops the reference a lookup took (the verifier pairs them); declared sockets stay. */
export function socketRelease(call: HelperCall): bigint {
  const address = Number(call.args[0]);
  if (declaredSocketAt(call.vm, address) === undefined)
    throw helperFault(call, 'sk_release', 'R1 is not a socket a lookup returned');
  return 0n;
}

/** bpf_get_netns_cookie: the namespace's cookie; a NULL context asks for the initial namespace's (1). */
export function getNetnsCookie(call: HelperCall): bigint {
  return call.args[0] === 0n ? 1n : call.vm.network.cookie;
}

/**
 * bpf_sk_assign (tc): flags must be 0, then the skb must be at tc ingress, which a test-run skb never is (Linux
 * 6.18 answers EOPNOTSUPP for test-run's own socket and for any other): so no socket is ever assigned.
 */
export function skAssign(call: HelperCall): bigint {
  if (call.args[2] !== 0n) return errno('EINVAL');
  pointerArg(call, 'sk_assign', 1, BPF_SOCK_SIZE);
  return errno('EOPNOTSUPP');
}

/** TCP header flag bits (byte 13) and the header's fixed size. */
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
const TCP_HEADER = 20;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;

/** The socket argument's protocol and state, read from its struct bpf_sock. */
function socketFacts(call: HelperCall, helper: string): { protocol: number; state: number; family: number } {
  const sk = pointerArg(call, helper, 0, BPF_SOCK_SIZE);
  const memory = call.vm.memory;
  return {
    protocol: memory.readU32(sk + offsetOf('protocol')),
    state: memory.readU32(sk + offsetOf('state')),
    family: memory.readU32(sk + offsetOf('family')),
  };
}

/**
 * bpf_tcp_gen_syncookie: after the kernel's argument checks (a listening TCP socket, a SYN alone, whole headers,
 * the listener's family), the kernel makes a cookie only when syncookies are forced (net.ipv4.tcp_syncookies=2)
 * or the listener's SYN queue is full. A namespace keeps the default (1) and a test-run fills no queue: ENOENT.
 */
export function tcpGenSyncookie(call: HelperCall): bigint {
  const ipLength = u32(call.args[2]);
  const thLength = u32(call.args[4]);
  const sk = socketFacts(call, 'tcp_gen_syncookie');
  const memory = call.vm.memory;
  if (thLength < TCP_HEADER) return errno('EINVAL');
  const th = pointerArg(call, 'tcp_gen_syncookie', 3, TCP_HEADER);
  if (thLength !== (memory.readU8(th + 12) >> 4) * 4) return errno('EINVAL');
  if (sk.protocol !== IPPROTO_TCP || sk.state !== TCP_LISTEN) return errno('EINVAL');
  const flags = memory.readU8(th + 13);
  if (!(flags & TCP_SYN) || flags & (TCP_ACK | TCP_FIN | TCP_RST)) return errno('EINVAL');
  if (ipLength < IPV4_HEADER) return errno('EINVAL');
  const version = memory.readU8(pointerArg(call, 'tcp_gen_syncookie', 1, IPV4_HEADER)) >> 4;
  if (version === 6) {
    if (ipLength < IPV6_HEADER || sk.family !== AF_INET6) return errno('EINVAL');
  } else if (version !== 4) {
    return errno('EPROTONOSUPPORT');
  }
  return errno('ENOENT');
}

/**
 * bpf_tcp_check_syncookie: after the argument checks, an ACK is checked only when the listener's SYN queue
 * overflowed recently (tcp_synq_no_recent_overflow), which a declared listener's never did: ENOENT.
 */
export function tcpCheckSyncookie(call: HelperCall): bigint {
  const thLength = u32(call.args[4]);
  const sk = socketFacts(call, 'tcp_check_syncookie');
  if (thLength < TCP_HEADER) return errno('EINVAL');
  if (sk.protocol !== IPPROTO_TCP || sk.state !== TCP_LISTEN) return errno('EINVAL');
  const th = pointerArg(call, 'tcp_check_syncookie', 3, TCP_HEADER);
  const flags = call.vm.memory.readU8(th + 13);
  if (!(flags & TCP_ACK) || flags & (TCP_RST | TCP_SYN)) return errno('ENOENT');
  if (u32(call.args[2]) < IPV4_HEADER) return errno('EINVAL');
  return errno('ENOENT');
}
