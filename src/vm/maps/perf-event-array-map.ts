// BPF_MAP_TYPE_PERF_EVENT_ARRAY: bpf_perf_event_output samples, collected per CPU for the user.
import type { VmMemory } from '../memory.js';
import type { MapSpec } from './bpf-map.js';
import { FdArrayMap } from './fd-array-map.js';
import { fail } from './map-error.js';

/** Kernel: BPF_F_INDEX_MASK, BPF_F_CURRENT_CPU and BPF_F_CTXLEN_MASK of bpf_perf_event_output's flags. */
export const BPF_F_INDEX_MASK = 0xffffffffn;
export const BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK;
export const BPF_F_CTXLEN_MASK = 0xfffffn << 32n;

/**
 * Room each CPU's perf buffer has for samples nobody has taken yet: 64 pages, a common perf_buffer__new size.
 * When it is full the kernel's bpf_perf_event_output fails with -ENOSPC and counts the sample as lost.
 */
export const PERF_BUFFER_BYTES_PER_CPU = 64 * 4096;
/** Kernel: a sample record is a perf_event_header (8 bytes) and the u32 size before the padded data. */
const SAMPLE_HEADER_BYTES = 8 + 4;

/** One sample as a perf buffer consumer (libbpf's perf_buffer callback) receives it. */
export interface PerfSample {
  /** The CPU the sample was written on (and the perf event's slot index). */
  readonly cpu: number;
  /** The raw sample: the data, zero-padded so that with its 4-byte size header it fills whole 8 bytes. */
  readonly data: Uint8Array;
}

/**
 * A slot holds a perf event handle, set by user space (libbpf's perf_buffer puts CPU i's event at index i).
 * tsbpf assumes the event in slot i was opened on CPU i, so output to another CPU's slot is -EOPNOTSUPP as
 * the kernel answers for an event that is not on the current CPU.
 */
export class PerfEventArrayMap extends FdArrayMap {
  private readonly samples: PerfSample[] = [];
  /** Bytes held and samples lost, per CPU. */
  private readonly heldBytes = new Map<number, number>();
  private readonly lostSamples = new Map<number, number>();

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly checkPerfEvent: ((handle: number) => number) | undefined,
  ) {
    super(memory, spec);
  }

  protected checkHandle(handle: number): number {
    return this.checkPerfEvent?.(handle) ?? 0;
  }

  /** Kernel: perf_event_array has no map_fd_sys_lookup_elem, so user-space lookup is -ENOTSUPP. */
  protected override lookupElement(): number {
    return fail('ENOTSUPP');
  }

  /** Occupied slots with their handles, for dumps. */
  override *entries(): IterableIterator<{ key: Uint8Array; value: Uint8Array }> {
    for (const [index, handle] of [...this.slots].sort((a, b) => a[0] - b[0])) {
      const key = new Uint8Array(4);
      const value = new Uint8Array(4);
      new DataView(key.buffer).setUint32(0, index, true);
      new DataView(value.buffer).setUint32(0, handle, true);
      yield { key, value };
    }
  }

  /**
   * bpf_perf_event_output(ctx, map, flags, data, size) on `cpu`. `allowContextLength` is for the skb/xdp
   * variants, whose helper appends the packet bytes BPF_F_CTXLEN_MASK asks for to `data` before calling.
   */
  output(data: Uint8Array, flags: bigint, cpu: number, allowContextLength = false): number {
    this.checkCpu(cpu);
    const allowed = allowContextLength ? BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK : BPF_F_INDEX_MASK;
    if ((BigInt.asUintN(64, flags) & ~allowed) !== 0n) return fail('EINVAL');
    const requested = Number(flags & BPF_F_INDEX_MASK);
    const index = requested === Number(BPF_F_CURRENT_CPU) ? cpu : requested;
    if (index >= this.maxEntries) return fail('E2BIG');
    if (!this.slots.has(index)) return fail('ENOENT');
    if (index !== cpu) return fail('EOPNOTSUPP');
    // Kernel: the raw record is u32 size + data, padded with zeros to a multiple of 8.
    const paddedLength = Math.ceil((data.length + 4) / 8) * 8 - 4;
    const cost = SAMPLE_HEADER_BYTES + paddedLength;
    const held = this.heldBytes.get(cpu) ?? 0;
    if (held + cost > PERF_BUFFER_BYTES_PER_CPU) {
      this.lostSamples.set(cpu, (this.lostSamples.get(cpu) ?? 0) + 1);
      return fail('ENOSPC');
    }
    const padded = new Uint8Array(paddedLength);
    padded.set(data);
    this.samples.push({ cpu, data: padded });
    this.heldBytes.set(cpu, held + cost);
    return 0;
  }

  /** Samples not yet taken, oldest first (optionally only one CPU's), removing them (which frees their room). */
  takeSamples(cpu?: number): PerfSample[] {
    if (cpu === undefined) {
      this.heldBytes.clear();
      return this.samples.splice(0);
    }
    this.heldBytes.delete(cpu);
    const taken = this.samples.filter((sample) => sample.cpu === cpu);
    const kept = this.samples.filter((sample) => sample.cpu !== cpu);
    this.samples.splice(0, this.samples.length, ...kept);
    return taken;
  }

  /** Samples dropped because the CPU's buffer was full (PERF_RECORD_LOST), all CPUs' or one's. */
  lost(cpu?: number): number {
    if (cpu !== undefined) return this.lostSamples.get(cpu) ?? 0;
    let total = 0;
    for (const count of this.lostSamples.values()) total += count;
    return total;
  }

  get pendingSamples(): number {
    return this.samples.length;
  }
}
