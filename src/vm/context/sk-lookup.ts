// `struct bpf_sk_lookup` in VmMemory as an sk_lookup program reads it, and the socket it selects (bpf_sk_assign).

import { BPF_SK_LOOKUP_FIELDS } from '../../abi/context-structs.js';
import type { VmMemory } from '../memory.js';

export const BPF_SK_LOOKUP_SIZE = 72;

const FIELD = new Map(BPF_SK_LOOKUP_FIELDS.map((field) => [field.name, field]));
const at = (name: string): number => FIELD.get(name)!.offset;

/** The lookup's inputs as test-run takes them from ctx_in (addresses and remote_port as on the wire). */
export interface SkLookupInput {
  readonly family: number;
  readonly protocol: number;
  readonly remoteIp4: Uint8Array;
  readonly remoteIp6: Uint8Array;
  readonly remotePort: Uint8Array;
  readonly localIp4: Uint8Array;
  readonly localIp6: Uint8Array;
  readonly localPort: number;
}

/**
 * The kernel's bpf_sk_lookup_kern seen through sk_lookup_convert_ctx_access: family and protocol as u16s,
 * remote_port as a __be16 whose upper half reads 0, local_port in host order, no ingress device in a test run,
 * and `sk` the socket selected so far (a declared socket bpf_sk_assign picked, or none).
 */
export class SkLookupContext {
  readonly address: number;
  private readonly memory: VmMemory;
  /** The selected socket's struct bpf_sock (kernel: selected_sk), or 0. */
  selected = 0;
  /** BPF_SK_LOOKUP_F_NO_REUSEPORT of the last assignment. */
  noReuseport = false;
  /** The lookup's family and protocol as the program sees them (what bpf_sk_assign checks a socket against). */
  readonly family: number;
  readonly protocol: number;

  constructor(memory: VmMemory, input: SkLookupInput) {
    this.memory = memory;
    this.address = memory.allocate(BPF_SK_LOOKUP_SIZE, 8);
    this.family = input.family & 0xffff;
    this.protocol = input.protocol & 0xffff;
    const base = this.address;
    memory.writeU32(base + at('family'), input.family & 0xffff);
    memory.writeU32(base + at('protocol'), input.protocol & 0xffff);
    // The kernel keeps only the addresses of the lookup's family.
    if (input.family === 2) {
      memory.write(base + at('remote_ip4'), input.remoteIp4);
      memory.write(base + at('local_ip4'), input.localIp4);
    } else {
      memory.write(base + at('remote_ip6'), input.remoteIp6);
      memory.write(base + at('local_ip6'), input.localIp6);
    }
    memory.write(base + at('remote_port'), input.remotePort);
    memory.writeU32(base + at('local_port'), input.localPort);
  }

  /** bpf_sk_assign: the selection, which the context's `sk` then shows. */
  select(socket: number, noReuseport: boolean): void {
    this.selected = socket;
    this.noReuseport = noReuseport;
    this.memory.writeU64(this.address + at('sk'), BigInt(socket));
  }

  /** Kernel: each run of the test starts with no socket selected. */
  reset(): void {
    this.selected = 0;
    this.noReuseport = false;
    this.memory.writeU64(this.address + at('sk'), 0n);
  }

  release(): void {
    this.memory.free(this.address);
  }
}
