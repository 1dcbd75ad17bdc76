// The socket a test-run skb belongs to: the kernel's bpf_prog_test_run_skb gives every skb a fresh socket whose
// family and addresses follow the packet (dummy-socket.ts); programs see it as `struct bpf_sock` through skb->sk,
// and as the kernel's `struct sock` through the kernel sk_buff's sk (bpf_cast_to_kern_ctx).
import type { VmMemory } from '../memory.js';
import { dummySocket, dummySocketBpfSock, dummySocketKernelSock } from './dummy-socket.js';
import { ETH_HLEN } from './skb.js';

/** Each memory's test-run sockets: the struct bpf_sock address → the kernel struct sock's. */
const kernelSocks = new WeakMap<VmMemory, Map<number, number>>();

/** The kernel `struct sock` image of the test-run socket whose `struct bpf_sock` is at `address`, if it is one. */
export function kernelSockOf(memory: VmMemory, address: number): number | undefined {
  return kernelSocks.get(memory)?.get(address);
}

/** The test run's socket in VmMemory, for all repetitions of one test run; sk_storage keys on its address. */
export class TestRunSocket {
  readonly address: number;
  /** The same socket laid out as the kernel's struct sock. */
  readonly kernelAddress: number;

  constructor(
    private readonly memory: VmMemory,
    frame: Uint8Array,
  ) {
    const etherType = frame.length >= ETH_HLEN ? (frame[12] << 8) | frame[13] : 0;
    const socket = dummySocket(frame, etherType);
    const bytes = dummySocketBpfSock(socket);
    this.address = memory.allocate(bytes.length, 8);
    memory.write(this.address, bytes);
    const kernel = dummySocketKernelSock(socket);
    this.kernelAddress = memory.allocate(kernel.length, 8);
    memory.write(this.kernelAddress, kernel);
    let socks = kernelSocks.get(memory);
    if (socks === undefined) {
      socks = new Map();
      kernelSocks.set(memory, socks);
    }
    socks.set(this.address, this.kernelAddress);
  }

  release(): void {
    kernelSocks.get(this.memory)?.delete(this.address);
    this.memory.free(this.kernelAddress);
    this.memory.free(this.address);
  }
}
