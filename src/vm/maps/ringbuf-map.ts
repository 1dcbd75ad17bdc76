// BPF_MAP_TYPE_RINGBUF: variable-size records with the kernel's 8-byte header, and a consumer for the user.
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec } from './bpf-map.js';
import { fail } from './map-error.js';

/** Kernel: BPF_RINGBUF_BUSY_BIT, BPF_RINGBUF_DISCARD_BIT, BPF_RINGBUF_HDR_SZ. */
export const BPF_RINGBUF_BUSY_BIT = 0x80000000;
export const BPF_RINGBUF_DISCARD_BIT = 0x40000000;
export const BPF_RINGBUF_HDR_SZ = 8;
/** Kernel: BPF_RB_NO_WAKEUP, BPF_RB_FORCE_WAKEUP (output/submit/discard flags). */
export const BPF_RB_NO_WAKEUP = 1;
export const BPF_RB_FORCE_WAKEUP = 2;
/** Kernel: bpf_ringbuf_query flags. */
export const BPF_RB_AVAIL_DATA = 0;
export const BPF_RB_RING_SIZE = 1;
export const BPF_RB_CONS_POS = 2;
export const BPF_RB_PROD_POS = 3;
/** Kernel: RINGBUF_MAX_RECORD_SZ (UINT_MAX / 4). */
const MAX_RECORD_SIZE = Math.floor(0xffffffff / 4);
const PAGE_SIZE = 4096;
/** Kernel: the data area starts after the bpf_ringbuf page, the consumer page and the producer page. */
const DATA_PAGE_OFFSET = 3;

const recordLength = (sampleSize: number): number => Math.ceil((sampleSize + BPF_RINGBUF_HDR_SZ) / 8) * 8;

/**
 * The data area is allocated twice its size: the kernel maps its pages twice so that a record wrapping
 * past the end is contiguous for the program; here the program writes past the end into the second half
 * and commit copies that tail to the start of the ring, so [0, size) always holds the ring's contents.
 * Positions only grow, as in the kernel; offsets are positions masked by size - 1.
 */
export class RingbufMap extends BaseMap {
  readonly ringSize: number;
  /** Address of the data area (ringSize * 2 bytes). */
  readonly data: number;
  private consumerPosition = 0;
  private producerPosition = 0;
  /** Oldest record not yet committed (kernel: pending_pos). */
  private pendingPosition = 0;
  /** Sample address → producer position of its header, for records reserved and not yet committed. */
  private readonly reserved = new Map<number, number>();
  /** Wake-ups a real consumer would have received (commits at the consumer position or forced). */
  wakeups = 0;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.ringSize = spec.maxEntries;
    try {
      this.data = memory.allocate(this.ringSize * 2, 8);
    } catch (error) {
      memory.free(this.address);
      throw error;
    }
  }

  private get mask(): number {
    return this.ringSize - 1;
  }

  private headerAddress(position: number): number {
    return this.data + (position & this.mask);
  }

  /** bpf_ringbuf_reserve: address of `size` bytes for a record, or 0 (NULL) when it does not fit. */
  reserve(size: number, flags: number | bigint = 0): number {
    if (BigInt(flags) !== 0n) return 0;
    if (!Number.isInteger(size) || size < 0 || size > MAX_RECORD_SIZE) return 0;
    const length = recordLength(size);
    if (length > this.ringSize) return 0;
    this.advancePending();
    const next = this.producerPosition + length;
    // Kernel: the producer may not get more than size - 1 ahead of the consumer, nor of the oldest
    // record still being written.
    if (next - this.consumerPosition > this.mask || next - this.pendingPosition > this.mask) return 0;
    const header = this.headerAddress(this.producerPosition);
    this.memory.writeU32(header, (size | BPF_RINGBUF_BUSY_BIT) >>> 0);
    this.memory.writeU32(
      header + 4,
      DATA_PAGE_OFFSET + Math.floor((this.producerPosition & this.mask) / PAGE_SIZE),
    );
    const sample = header + BPF_RINGBUF_HDR_SZ;
    this.reserved.set(sample, this.producerPosition);
    this.producerPosition = next;
    return sample;
  }

  /** Moves the pending position past records already committed. */
  private advancePending(): void {
    while (this.pendingPosition < this.producerPosition) {
      const header = this.memory.readU32(this.headerAddress(this.pendingPosition));
      if (header & BPF_RINGBUF_BUSY_BIT) break;
      this.pendingPosition += recordLength(header & ~BPF_RINGBUF_DISCARD_BIT);
    }
  }

  /** bpf_ringbuf_submit. Returns -EINVAL for an address that is not a reserved record (the verifier prevents it). */
  submit(sample: number, flags: number | bigint = 0): number {
    return this.commit(sample, Number(BigInt.asUintN(32, BigInt(flags))), false);
  }

  /** bpf_ringbuf_discard: the record stays in the ring, marked discarded; consumers skip it. */
  discard(sample: number, flags: number | bigint = 0): number {
    return this.commit(sample, Number(BigInt.asUintN(32, BigInt(flags))), true);
  }

  private commit(sample: number, flags: number, discard: boolean): number {
    const position = this.reserved.get(sample);
    if (position === undefined) return fail('EINVAL');
    this.reserved.delete(sample);
    const header = sample - BPF_RINGBUF_HDR_SZ;
    const size = this.memory.readU32(header) & ~BPF_RINGBUF_BUSY_BIT;
    const offset = position & this.mask;
    const end = offset + recordLength(size);
    if (end > this.ringSize) this.memory.copy(this.data, this.data + this.ringSize, end - this.ringSize);
    this.memory.writeU32(header, (size | (discard ? BPF_RINGBUF_DISCARD_BIT : 0)) >>> 0);
    const consumerWaiting = (this.consumerPosition & this.mask) === offset;
    if (flags & BPF_RB_FORCE_WAKEUP || (consumerWaiting && !(flags & BPF_RB_NO_WAKEUP))) this.wakeups++;
    return 0;
  }

  /** bpf_ringbuf_output: 0, -EINVAL for unknown flags, -EAGAIN when the record does not fit. */
  output(bytes: Uint8Array, flags: number | bigint = 0): number {
    const wakeupFlags = BigInt(flags);
    if ((wakeupFlags & ~BigInt(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) !== 0n) return fail('EINVAL');
    const sample = this.reserve(bytes.length);
    if (sample === 0) return fail('EAGAIN');
    this.memory.write(sample, bytes);
    return this.commit(sample, Number(wakeupFlags), false);
  }

  /** bpf_ringbuf_query. */
  query(flags: number | bigint): bigint {
    switch (BigInt.asUintN(64, BigInt(flags))) {
      case BigInt(BPF_RB_AVAIL_DATA):
        return BigInt(this.producerPosition - this.consumerPosition);
      case BigInt(BPF_RB_RING_SIZE):
        return BigInt(this.ringSize);
      case BigInt(BPF_RB_CONS_POS):
        return BigInt(this.consumerPosition);
      case BigInt(BPF_RB_PROD_POS):
        return BigInt(this.producerPosition);
      default:
        return 0n;
    }
  }

  /**
   * The user's consumer (as libbpf's ring_buffer__consume): returns committed samples in order, skipping
   * discarded ones, stopping at a record still being written, and advances the consumer position.
   */
  consume(limit = Number.POSITIVE_INFINITY): Uint8Array[] {
    const samples: Uint8Array[] = [];
    while (this.consumerPosition < this.producerPosition && samples.length < limit) {
      const headerAddress = this.headerAddress(this.consumerPosition);
      const header = this.memory.readU32(headerAddress);
      if (header & BPF_RINGBUF_BUSY_BIT) break;
      const size = header & ~BPF_RINGBUF_DISCARD_BIT;
      if (!(header & BPF_RINGBUF_DISCARD_BIT)) {
        samples.push(this.memory.read(headerAddress + BPF_RINGBUF_HDR_SZ, size));
      }
      this.consumerPosition += recordLength(size);
    }
    return samples;
  }

  get consumerPos(): number {
    return this.consumerPosition;
  }

  get producerPos(): number {
    return this.producerPosition;
  }

  // Kernel: a ring buffer has no elements for bpf(): lookup, update, delete and get_next_key are -ENOTSUPP.
  protected lookupElement(): MapResult {
    return fail('ENOTSUPP');
  }

  protected updateElement(): number {
    return fail('ENOTSUPP');
  }

  protected deleteElement(): number {
    return fail('ENOTSUPP');
  }

  protected nextKey(): MapResult {
    return fail('ENOTSUPP');
  }

  override *entries(): IterableIterator<MapEntry> {}

  protected releaseStorage(): void {
    this.memory.free(this.data);
  }
}
