// struct bpf_tcp_sock of a declared TCP socket (bpf_tcp_sock): the values the reference kernel reports for a
// fresh socket on lo (MTU 65536, default sysctls) — a listener, the end that connected, the end a listener
// accepted — with the sequence numbers and round-trip times a real handshake would have drawn made up.

import { BPF_TCP_SOCK_FIELDS, CONTEXT_STRUCTS } from '../../abi/context-structs.js';
import { type NetworkSocket, networkOf } from '../network.js';
import type { VmServices } from '../runtime.js';

const SIZE = CONTEXT_STRUCTS.bpf_tcp_sock.size;

/** What a socket's fields depend on: listening, or which side of the handshake it was. */
type Role = 'listener' | 'active' | 'passive';

/**
 * Measured through the oracle (`--netns-socket tcp-listen:P`, `tcp-connect:S:P`): fields not named are 0. The
 * active end has sent SYN and ACK and received SYN-ACK; the passive end received SYN and ACK (its SYN-ACK went out
 * from the request socket); the MSS is bounded by half of the peer's first window.
 */
const FIELDS: Readonly<Record<Role, Readonly<Record<string, number>>>> = {
  listener: { snd_cwnd: 10, rtt_min: 0xffff_ffff, snd_ssthresh: 0x7fff_ffff, mss_cache: 536 },
  active: {
    snd_cwnd: 10,
    snd_ssthresh: 0x7fff_ffff,
    mss_cache: 32741,
    segs_in: 1,
    segs_out: 2,
    bytes_acked: 1,
    delivered: 1,
  },
  passive: { snd_cwnd: 10, snd_ssthresh: 0x7fff_ffff, mss_cache: 32768, segs_in: 2, delivered: 1 },
};

/**
 * The handshake's round trip on lo in microseconds: the kernel measures one (tens of µs, varying by run) and keeps
 * it as rtt_min and, shifted by 3, as srtt_us.
 */
const HANDSHAKE_RTT_US = 20;

const imagesByVm = new WeakMap<VmServices, Map<NetworkSocket, number>>();

function roleOf(vm: VmServices, socket: NetworkSocket): Role {
  if (socket.kind === 'tcp-listen') return 'listener';
  // The kernel's accepted end shares its local port with a listener on that address (or the wildcard).
  const accepted = (networkOf(socket) ?? vm.network)
    .sockets()
    .some(
      (other) =>
        other.kind === 'tcp-listen' &&
        other.localPort === socket.localPort &&
        other.localAddress.length === socket.localAddress.length &&
        (other.localAddress.every((b) => b === 0) ||
          other.localAddress.every((b, i) => b === socket.localAddress[i])),
    );
  return accepted ? 'passive' : 'active';
}

/** A stand-in initial sequence number for one end: a hash of its ports, so both ends of a pair agree. */
function initialSequence(localPort: number, remotePort: number): number {
  let h = 0x811c9dc5;
  for (const byte of [localPort >> 8, localPort & 0xff, remotePort >> 8, remotePort & 0xff]) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h;
}

/** The socket's bpf_tcp_sock in the Vm's memory, made on first use and kept for the Vm's life. */
export function tcpSockImage(vm: VmServices, socket: NetworkSocket): number {
  let images = imagesByVm.get(vm);
  if (images === undefined) {
    images = new Map();
    imagesByVm.set(vm, images);
  }
  const known = images.get(socket);
  if (known !== undefined) return known;
  const memory = vm.memory;
  const address = memory.allocate(SIZE, 8);
  memory.fill(address, SIZE);
  const view = memory.view();
  const put = (name: string, value: number) => {
    const field = BPF_TCP_SOCK_FIELDS.find((f) => f.name === name);
    if (field === undefined) throw new RangeError(`struct bpf_tcp_sock has no field '${name}'`);
    if (field.size === 8) view.setBigUint64(address + field.offset, BigInt(value), true);
    else view.setUint32(address + field.offset, value >>> 0, true);
  };
  const role = roleOf(vm, socket);
  for (const [name, value] of Object.entries(FIELDS[role])) put(name, value);
  if (role !== 'listener') {
    // Both SYNs are acknowledged: each end's next byte to send is its ISN + 1, to receive the peer's ISN + 1.
    const remotePort = socket.remotePort ?? 0;
    const own = (initialSequence(socket.localPort, remotePort) + 1) >>> 0;
    put('snd_nxt', own);
    put('snd_una', own);
    put('rcv_nxt', (initialSequence(remotePort, socket.localPort) + 1) >>> 0);
    put('rtt_min', HANDSHAKE_RTT_US);
    put('srtt_us', HANDSHAKE_RTT_US << 3);
  }
  images.set(socket, address);
  return address;
}
