// The socket a test-run skb belongs to: the kernel's bpf_prog_test_run_skb gives every skb a fresh socket whose
// family and addresses follow the packet; programs see it as `struct bpf_sock` through skb->sk.
import { BPF_SOCK_FIELDS } from '../../abi/context-structs.js';
import type { VmMemory } from '../memory.js';

const BPF_SOCK_SIZE = 80;
const ETH_HLEN = 14;
const AF_INET = 2;
const AF_INET6 = 10;
/** Kernel: TCP_CLOSE, the state of a socket that was never connected. */
const TCP_CLOSE = 7;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;

const offsetOf = (name: string): number => {
  const field = BPF_SOCK_FIELDS.find((f) => f.name === name);
  if (field === undefined) throw new RangeError(`struct bpf_sock has no field '${name}'`);
  return field.offset;
};

/**
 * Kernel bpf_prog_test_run_skb: an AF_UNSPEC socket that becomes AF_INET/AF_INET6 for IPv4/IPv6 packets, with the
 * packet's source and destination as its receive and peer addresses when the whole header is there; ports 0,
 * state TCP_CLOSE, no receive queue (-1). Lives for one test run (all its repetitions).
 */
export class TestRunSocket {
  readonly address: number;

  constructor(
    private readonly memory: VmMemory,
    frame: Uint8Array,
  ) {
    this.address = memory.allocate(BPF_SOCK_SIZE, 8);
    memory.fill(this.address, BPF_SOCK_SIZE);
    const etherType = frame.length >= ETH_HLEN ? (frame[12] << 8) | frame[13] : 0;
    const network = frame.subarray(ETH_HLEN);
    const put = (name: string, bytes: Uint8Array) => memory.write(this.address + offsetOf(name), bytes);
    if (etherType === 0x0800) {
      memory.writeU32(this.address + offsetOf('family'), AF_INET);
      if (network.length >= IPV4_HEADER) {
        put('src_ip4', network.subarray(12, 16));
        put('dst_ip4', network.subarray(16, 20));
      }
    } else if (etherType === 0x86dd) {
      memory.writeU32(this.address + offsetOf('family'), AF_INET6);
      if (network.length >= IPV6_HEADER) {
        put('src_ip6', network.subarray(8, 24));
        put('dst_ip6', network.subarray(24, 40));
      }
    }
    memory.writeU32(this.address + offsetOf('state'), TCP_CLOSE);
    memory.writeU32(this.address + offsetOf('rx_queue_mapping'), 0xffff_ffff);
  }

  release(): void {
    this.memory.free(this.address);
  }
}
