// A flow dissector's context in VmMemory: the packet (read-only to the program), a `struct __sk_buff` whose only
// readable fields are data, data_end and flow_keys, and the `struct bpf_flow_keys` the program fills.

import { fieldOffset, SK_BUFF_FIELDS } from '../../abi/context-structs.js';
import type { VmMemory } from '../memory.js';
import { ETH_HLEN, SK_BUFF_SIZE } from './skb.js';

/** sizeof(struct bpf_flow_keys) (uapi). */
export const FLOW_KEYS_SIZE = 56;

/** Byte offsets of the struct bpf_flow_keys members the kernel sets or clamps around a run. */
export const FLOW_KEYS = {
  nhoff: 0,
  thoff: 2,
  n_proto: 10,
  flags: 48,
} as const;

const offsetOf = (name: string): number => fieldOffset(SK_BUFF_FIELDS, name, 'struct __sk_buff');

export interface FlowDissectorContextOptions {
  /** The frame, Ethernet header first. */
  readonly frame: Uint8Array;
  /** flow_keys->flags the caller passed (BPF_FLOW_DISSECTOR_F_*). */
  readonly flags: number;
}

/**
 * The kernel's bpf_flow_dissect around each run: flow keys zeroed, then n_proto (as on the wire), nhoff and
 * thoff at the Ethernet header's end and the caller's flags; afterwards nhoff and thoff clamped to the packet.
 */
export class FlowDissectorContext {
  readonly address: number;
  readonly keys: number;
  readonly packet: number;
  private readonly memory: VmMemory;
  private readonly length: number;
  private readonly nProto: number;
  private readonly flags: number;

  constructor(memory: VmMemory, options: FlowDissectorContextOptions) {
    this.memory = memory;
    this.length = options.frame.length;
    this.nProto = options.frame[12] | (options.frame[13] << 8);
    this.flags = options.flags;
    this.packet = memory.allocate(Math.max(this.length, 1), 64);
    memory.write(this.packet, options.frame);
    this.keys = memory.allocate(FLOW_KEYS_SIZE, 8);
    this.address = memory.allocate(SK_BUFF_SIZE, 8);
    memory.writeU32(this.address + offsetOf('data'), this.packet);
    memory.writeU32(this.address + offsetOf('data_end'), this.packet + this.length);
    memory.writeU64(this.address + offsetOf('flow_keys'), this.keys);
  }

  /** Kernel bpf_flow_dissect before the program runs. */
  reset(): void {
    this.memory.fill(this.keys, FLOW_KEYS_SIZE);
    this.memory.writeU16(this.keys + FLOW_KEYS.n_proto, this.nProto);
    this.memory.writeU16(this.keys + FLOW_KEYS.nhoff, ETH_HLEN);
    this.memory.writeU16(this.keys + FLOW_KEYS.thoff, ETH_HLEN);
    this.memory.writeU32(this.keys + FLOW_KEYS.flags, this.flags);
  }

  /** Kernel bpf_flow_dissect after the run: nhoff within [ETH_HLEN, length], thoff within [nhoff, length], as u16s. */
  clamp(): void {
    const high = this.length & 0xffff;
    const clampU16 = (value: number, low: number): number => Math.min(Math.max(value, low), high);
    const nhoff = clampU16(this.memory.readU16(this.keys + FLOW_KEYS.nhoff), ETH_HLEN);
    this.memory.writeU16(this.keys + FLOW_KEYS.nhoff, nhoff);
    this.memory.writeU16(
      this.keys + FLOW_KEYS.thoff,
      clampU16(this.memory.readU16(this.keys + FLOW_KEYS.thoff), nhoff),
    );
  }

  /** What test-run returns as data_out: the flow keys. */
  flowKeys(): Uint8Array {
    return this.memory.read(this.keys, FLOW_KEYS_SIZE);
  }

  release(): void {
    this.memory.free(this.address);
    this.memory.free(this.keys);
    this.memory.free(this.packet);
  }
}
