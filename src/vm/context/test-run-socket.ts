// The socket a test-run skb belongs to: the kernel's bpf_prog_test_run_skb gives every skb a fresh socket whose
// family and addresses follow the packet (dummy-socket.ts); programs see it as `struct bpf_sock` through skb->sk.
import type { VmMemory } from '../memory.js';
import { dummySocket, dummySocketBpfSock } from './dummy-socket.js';
import { ETH_HLEN } from './skb.js';

/** The test run's socket in VmMemory, for all repetitions of one test run; sk_storage keys on its address. */
export class TestRunSocket {
  readonly address: number;

  constructor(
    private readonly memory: VmMemory,
    frame: Uint8Array,
  ) {
    const etherType = frame.length >= ETH_HLEN ? (frame[12] << 8) | frame[13] : 0;
    const bytes = dummySocketBpfSock(dummySocket(frame, etherType));
    this.address = memory.allocate(bytes.length, 8);
    memory.write(this.address, bytes);
  }

  release(): void {
    this.memory.free(this.address);
  }
}
