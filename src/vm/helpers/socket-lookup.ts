// Socket helpers over the Vm's namespace (src/vm/network.ts): bpf_sk_lookup_tcp/udp and bpf_skc_lookup_tcp find
// declared sockets by the tuple as the kernel's lookups do; a found socket is a `struct bpf_sock` image that
// bpf_sk_release, bpf_get_listener_sock and bpf_sk_assign take; bpf_get_netns_cookie reports the namespace's.

import { BPF_SOCK_FIELDS, CONTEXT_STRUCTS, fieldOffset } from '../../abi/context-structs.js';
import { PacketState } from '../context/packet.js';
import type { NetworkSocket } from '../network.js';
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
const TCP_CLOSE = 7;
const TCP_LISTEN = 10;
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
  put32('family', v6 ? AF_INET6 : AF_INET);
  put32('type', socket.kind === 'udp' ? SOCK_DGRAM : SOCK_STREAM);
  put32('protocol', socket.kind === 'udp' ? IPPROTO_UDP : IPPROTO_TCP);
  memory.write(address + offsetOf(v6 ? 'src_ip6' : 'src_ip4'), socket.localAddress);
  // Kernel: an IPv6 socket bound to an address, or connected, keeps LOOPBACK4_IPV6 (127.0.0.6) as its IPv4
  // receive (and peer) address, which struct bpf_sock's ip4 fields show.
  if (v6 && socket.localAddress.some((byte) => byte !== 0))
    memory.write(address + offsetOf('src_ip4'), LOOPBACK4_IPV6);
  if (v6 && socket.remoteAddress !== undefined) memory.write(address + offsetOf('dst_ip4'), LOOPBACK4_IPV6);
  put32('src_port', socket.localPort);
  if (socket.remoteAddress !== undefined) {
    memory.write(address + offsetOf(v6 ? 'dst_ip6' : 'dst_ip4'), socket.remoteAddress);
  }
  // dst_port is big-endian, as the kernel stores skc_dport.
  const remotePort = socket.remotePort ?? 0;
  memory.write(address + offsetOf('dst_port'), Uint8Array.of(remotePort >> 8, remotePort & 0xff));
  const state =
    socket.kind === 'tcp-listen'
      ? TCP_LISTEN
      : socket.kind === 'tcp-established' || socket.remoteAddress !== undefined
        ? TCP_ESTABLISHED
        : TCP_CLOSE;
  put32('state', state);
  put32('rx_queue_mapping', 0xffff_ffff);
  images.byAddress.set(address, socket);
  images.bySocket.set(socket, address);
  return address;
}

function lookup(call: HelperCall, helper: string, protocol: 'tcp' | 'udp'): bigint {
  if (!(call.run.packet instanceof PacketState))
    throw helperFault(call, helper, 'needs an skb or xdp context');
  const size = u32(call.args[2]);
  if (size !== TUPLE_IPV4_SIZE && size !== TUPLE_IPV6_SIZE) return 0n;
  const tuple = pointerArg(call, helper, 1, size);
  // Kernel: any flag, or a netns id below BPF_F_CURRENT_NETNS (-1), finds nothing; an id >= 0 names a peer
  // namespace, and a Vm has none.
  if (call.args[4] !== 0n || s32(call.args[3]) !== -1) return 0n;
  const memory = call.vm.memory;
  const addressSize = size === TUPLE_IPV4_SIZE ? 4 : 16;
  const remote = memory.read(tuple, addressSize);
  const local = memory.read(tuple + addressSize, addressSize);
  const port = (at: number) => (memory.readU8(at) << 8) | memory.readU8(at + 1);
  const socket = call.vm.network.lookupSocket(
    protocol,
    remote,
    port(tuple + 2 * addressSize),
    local,
    port(tuple + 2 * addressSize + 2),
  );
  return socket === undefined ? 0n : BigInt(socketImage(call.vm, socket));
}

/** bpf_sk_lookup_tcp and bpf_skc_lookup_tcp (no request or time-wait sockets are declared: the same answer). */
export function socketLookupTcp(call: HelperCall): bigint {
  return lookup(call, 'sk_lookup_tcp', 'tcp');
}

export function socketLookupUdp(call: HelperCall): bigint {
  return lookup(call, 'sk_lookup_udp', 'udp');
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
