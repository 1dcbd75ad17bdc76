// The socket bpf_prog_test_run_skb hangs on every test skb (sk_alloc + sock_init_data): what cgroup_skb reads
// through __sk_buff's family and address fields, and what skb->sk points to (a struct bpf_sock, and the kernel's
// struct sock behind the kernel sk_buff).

import { BPF_SOCK_FIELDS, CONTEXT_STRUCTS, fieldOffset } from '../../abi/context-structs.js';
import { kernelMemberOffset, kernelStructByName } from '../../abi/kernel-structs.js';
import { ETH_HLEN } from './skb.js';

const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
/** Kernel: AF_INET, AF_INET6. */
const AF_INET = 2;
const AF_INET6 = 10;
/** Kernel: TCP_CLOSE, the state sock_init_data leaves a socket in. */
const TCP_CLOSE = 7;
const BPF_SOCK_SIZE = CONTEXT_STRUCTS.bpf_sock.size;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;

/** The dummy socket: the packet's family, its source as the local address and its destination as the remote one. */
export interface DummySocket {
  /** AF_INET or AF_INET6 for IPv4/IPv6 packets, AF_UNSPEC (0) otherwise. */
  readonly family: number;
  /** 4 bytes (IPv4) or 16 (IPv6), as on the wire; empty for other protocols. */
  readonly local: Uint8Array;
  readonly remote: Uint8Array;
}

/** The socket for a frame whose EtherType (host order) is `protocol`; its network header fits (test-run checks that first). */
export function dummySocket(frame: Uint8Array, protocol: number): DummySocket {
  const ip = frame.subarray(ETH_HLEN);
  const none = new Uint8Array(0);
  // The kernel takes the addresses only when the whole network header is in the packet.
  if (protocol === ETH_P_IP) {
    const whole = ip.length >= IPV4_HEADER;
    return {
      family: AF_INET,
      local: whole ? ip.slice(12, 16) : none,
      remote: whole ? ip.slice(16, 20) : none,
    };
  }
  if (protocol === ETH_P_IPV6) {
    const whole = ip.length >= IPV6_HEADER;
    return {
      family: AF_INET6,
      local: whole ? ip.slice(8, 24) : none,
      remote: whole ? ip.slice(24, 40) : none,
    };
  }
  return { family: 0, local: none, remote: none };
}

/** The __sk_buff fields the socket gives (cgroup_skb: family, local_ip4/6, remote_ip4/6; the ports are 0). */
export function dummySocketSkbFields(socket: DummySocket): Record<string, number | Uint8Array> {
  if (socket.local.length === 0) return socket.family === 0 ? {} : { family: socket.family };
  if (socket.family === AF_INET)
    return { family: AF_INET, local_ip4: socket.local, remote_ip4: socket.remote };
  if (socket.family === AF_INET6)
    return { family: AF_INET6, local_ip6: socket.local, remote_ip6: socket.remote };
  return {};
}

/** The struct bpf_sock skb->sk reads: family, addresses, state TCP_CLOSE, no receive queue (-1), the rest 0. */
export function dummySocketBpfSock(socket: DummySocket): Uint8Array {
  const bytes = new Uint8Array(BPF_SOCK_SIZE);
  const view = new DataView(bytes.buffer);
  const at = (name: string) => fieldOffset(BPF_SOCK_FIELDS, name, 'struct bpf_sock');
  view.setUint32(at('family'), socket.family, true);
  const ipv4 = socket.family === AF_INET;
  if (socket.local.length > 0) {
    bytes.set(socket.local, at(ipv4 ? 'src_ip4' : 'src_ip6'));
    bytes.set(socket.remote, at(ipv4 ? 'dst_ip4' : 'dst_ip6'));
  }
  view.setUint32(at('state'), TCP_CLOSE, true);
  view.setInt32(at('rx_queue_mapping'), -1, true);
  return bytes;
}

/** Byte offset of a struct sock member the image fills; a missing one is a bug in the table. */
function sockAt(path: string): number {
  const offset = kernelMemberOffset('sock', path);
  if (offset === undefined) throw new Error(`kernel-structs: struct sock has no member ${path}`);
  return offset;
}

/**
 * The kernel's struct sock of the socket, as far as tsbpf models it: family, addresses (IPv4 in skc_rcv_saddr and
 * skc_daddr, IPv6 in skc_v6_*), state TCP_CLOSE; ports, bound device, mark, priority, protocol and type 0.
 */
export function dummySocketKernelSock(socket: DummySocket): Uint8Array {
  const bytes = new Uint8Array(kernelStructByName('sock')?.size ?? 0);
  const view = new DataView(bytes.buffer);
  view.setUint16(sockAt('__sk_common.skc_family'), socket.family, true);
  view.setUint8(sockAt('__sk_common.skc_state'), TCP_CLOSE);
  if (socket.local.length > 0) {
    const ipv4 = socket.family === AF_INET;
    bytes.set(socket.local, sockAt(ipv4 ? '__sk_common.skc_rcv_saddr' : '__sk_common.skc_v6_rcv_saddr'));
    bytes.set(socket.remote, sockAt(ipv4 ? '__sk_common.skc_daddr' : '__sk_common.skc_v6_daddr'));
  }
  return bytes;
}
