// BPF_MAP_TYPE_USER_RINGBUF: a ring buffer user space produces into (libbpf's user_ring_buffer) and programs drain
// with bpf_user_ringbuf_drain, record by record (kernel: kernel/bpf/ringbuf.c).
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec } from './bpf-map.js';
import { fail } from './map-error.js';
import { BPF_RINGBUF_BUSY_BIT, BPF_RINGBUF_DISCARD_BIT, BPF_RINGBUF_HDR_SZ } from './ringbuf-map.js';

/** Kernel: the largest size a dynptr can describe (bpf_dynptr_check_size). */
const DYNPTR_MAX_SIZE = 0xff_ffff;

/** A record user space reserved and has not submitted or discarded yet. */
export interface UserRingbufSample {
  /** Producer position of the record's header. */
  readonly position: number;
  readonly size: number;
}

/** One record as bpf_user_ringbuf_drain peeks it: its bytes' address, or why the drain stops or skips. */
export type UserRingbufPeek =
  | { readonly address: number; readonly size: number }
  | 'empty'
  | 'discarded'
  | { readonly errno: 'EINVAL' | 'E2BIG' };

const recordLength = (size: number): number => Math.ceil((size + BPF_RINGBUF_HDR_SZ) / 8) * 8;

/**
 * The data area is allocated twice its size, as RingbufMap's, so that a record wrapping past the end is
 * contiguous for the program; the producer writes the wrapped part to both places.
 */
export class UserRingbufMap extends BaseMap {
  readonly ringSize: number;
  readonly data: number;
  private consumerPosition = 0;
  private producerPosition = 0;
  /** A drain in progress (kernel: rb->busy): a nested drain gets -EBUSY. */
  draining = false;

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

  private offset(position: number): number {
    return position & (this.ringSize - 1);
  }

  private writeWrapped(position: number, bytes: Uint8Array): void {
    const at = this.offset(position);
    this.memory.write(this.data + at, bytes);
    const overflow = at + bytes.length - this.ringSize;
    if (overflow > 0) this.memory.write(this.data, bytes.subarray(bytes.length - overflow));
  }

  private writeHeader(position: number, length: number): void {
    const header = new Uint8Array(BPF_RINGBUF_HDR_SZ);
    new DataView(header.buffer).setUint32(0, length >>> 0, true);
    this.writeWrapped(position, header);
  }

  /**
   * libbpf user_ring_buffer__reserve: room for `size` bytes, or E2BIG (the size has a flag bit set, or the record
   * is larger than the ring) or ENOSPC (not enough free room now). The record is busy until submitted.
   */
  reserve(size: number): UserRingbufSample | 'E2BIG' | 'ENOSPC' {
    if (!Number.isInteger(size) || size < 0 || size & (BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT))
      return 'E2BIG';
    const length = recordLength(size);
    if (length > this.ringSize) return 'E2BIG';
    if (this.ringSize - (this.producerPosition - this.consumerPosition) < length) return 'ENOSPC';
    const sample = { position: this.producerPosition, size };
    this.writeHeader(sample.position, size | BPF_RINGBUF_BUSY_BIT);
    this.producerPosition += length;
    return sample;
  }

  /** Writes a reserved record's bytes (at most its size). */
  write(sample: UserRingbufSample, bytes: Uint8Array): void {
    this.writeWrapped(sample.position + BPF_RINGBUF_HDR_SZ, bytes.subarray(0, sample.size));
  }

  /** libbpf user_ring_buffer__submit: the record becomes visible to drains. */
  submit(sample: UserRingbufSample, bytes?: Uint8Array): void {
    if (bytes !== undefined) this.write(sample, bytes);
    this.writeHeader(sample.position, sample.size);
  }

  /** libbpf user_ring_buffer__discard: drains skip the record. */
  discard(sample: UserRingbufSample): void {
    this.writeHeader(sample.position, (sample.size | BPF_RINGBUF_DISCARD_BIT) >>> 0);
  }

  /** Reserves, writes and submits `bytes` in one go: 0, -E2BIG or -ENOSPC. */
  produce(bytes: Uint8Array): number {
    const sample = this.reserve(bytes.length);
    if (typeof sample === 'string') return fail(sample);
    this.submit(sample, bytes);
    return 0;
  }

  /** Records produced and not yet drained (submitted, discarded or still busy). */
  get pendingBytes(): number {
    return this.producerPosition - this.consumerPosition;
  }

  /** Kernel __bpf_user_ringbuf_peek: the record at the consumer position; a discarded one is consumed here. */
  peekRecord(): UserRingbufPeek {
    if (this.consumerPosition >= this.producerPosition) return 'empty';
    const header = this.memory.readU32(this.data + this.offset(this.consumerPosition));
    const flags = (header & (BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) >>> 0;
    const size = (header & ~flags) >>> 0;
    const length = recordLength(size);
    if (length > this.producerPosition - this.consumerPosition) return { errno: 'EINVAL' };
    if (length > this.ringSize || size > DYNPTR_MAX_SIZE) return { errno: 'E2BIG' };
    if (flags & BPF_RINGBUF_DISCARD_BIT) {
      this.consumerPosition += length;
      return 'discarded';
    }
    if (flags & BPF_RINGBUF_BUSY_BIT) return 'empty';
    return { address: this.data + this.offset(this.consumerPosition + BPF_RINGBUF_HDR_SZ), size };
  }

  /** Kernel __bpf_user_ringbuf_sample_release: the record at the consumer position is done. */
  releaseSample(size: number): void {
    this.consumerPosition += recordLength(size);
  }

  // User space cannot look up, update, delete or iterate a ring buffer (the syscall commands answer -ENOTSUPP).

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
