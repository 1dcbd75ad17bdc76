// Ring buffer: record headers, alignment, space accounting, wrap-around, discard, and the consumer.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { createMap } from './create-map.js';
import {
  BPF_RB_AVAIL_DATA,
  BPF_RB_CONS_POS,
  BPF_RB_FORCE_WAKEUP,
  BPF_RB_PROD_POS,
  BPF_RB_RING_SIZE,
  BPF_RINGBUF_BUSY_BIT,
  BPF_RINGBUF_DISCARD_BIT,
  type RingbufMap,
} from './ringbuf-map.js';

const newRing = (size = 4096) => {
  const memory = new VmMemory();
  const ring = createMap(memory, {
    type: 'ringbuf',
    keySize: 0,
    valueSize: 0,
    maxEntries: size,
  }) as RingbufMap;
  return { memory, ring };
};

describe('ringbuf map', () => {
  it('writes the kernel record header (busy, then length; page offset) and aligns records to 8', () => {
    const { memory, ring } = newRing();
    const sample = ring.reserve(5);
    expect(sample).toBe(ring.data + 8);
    expect(memory.readU32(ring.data)).toBe((5 | BPF_RINGBUF_BUSY_BIT) >>> 0);
    expect(memory.readU32(ring.data + 4)).toBe(3);
    expect(ring.consume()).toEqual([]);
    memory.write(sample, Uint8Array.of(1, 2, 3, 4, 5));
    expect(ring.submit(sample)).toBe(0);
    expect(memory.readU32(ring.data)).toBe(5);
    expect(ring.query(BPF_RB_PROD_POS)).toBe(16n);
    expect(ring.query(BPF_RB_AVAIL_DATA)).toBe(16n);
    expect(ring.query(BPF_RB_RING_SIZE)).toBe(4096n);
    expect(ring.query(99)).toBe(0n);
    expect(ring.consume()).toEqual([Uint8Array.of(1, 2, 3, 4, 5)]);
    expect(ring.query(BPF_RB_CONS_POS)).toBe(16n);
    expect(ring.query(BPF_RB_AVAIL_DATA)).toBe(0n);
  });

  it('stops the consumer at a record still being written and skips discarded ones', () => {
    const { memory, ring } = newRing();
    const first = ring.reserve(8);
    const second = ring.reserve(8);
    const third = ring.reserve(8);
    memory.writeU32(third, 3);
    ring.submit(third);
    expect(ring.consume()).toEqual([]);
    ring.discard(first);
    expect(memory.readU32(first - 8)).toBe((8 | BPF_RINGBUF_DISCARD_BIT) >>> 0);
    expect(ring.consume()).toEqual([]);
    memory.writeU32(second, 2);
    ring.submit(second);
    expect(ring.consume().map((sample) => sample[0])).toEqual([2, 3]);
    expect(ring.submit(second)).toBe(-ERRNO.EINVAL);
  });

  it('refuses records that would leave the producer size or more ahead of the consumer', () => {
    const { ring } = newRing(4096);
    expect(ring.reserve(4096)).toBe(0);
    expect(ring.reserve(8, 1)).toBe(0);
    const big = ring.reserve(4096 - 16);
    expect(big).not.toBe(0);
    // 4080 + 8 header = 4088 used; 8 more bytes would make 4096 > size - 1.
    expect(ring.reserve(0)).toBe(0);
    expect(ring.output(new Uint8Array(1))).toBe(-ERRNO.EAGAIN);
    ring.submit(big);
    expect(ring.consume()).toHaveLength(1);
    expect(ring.reserve(0)).not.toBe(0);
  });

  it('keeps a record that wraps past the end contiguous for the program and whole for the consumer', () => {
    const { memory, ring } = newRing(4096);
    expect(ring.output(new Uint8Array(4000))).toBe(0);
    ring.consume();
    const sample = ring.reserve(200);
    expect(sample).toBe(ring.data + 4008 + 8);
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => i);
    memory.write(sample, bytes);
    ring.submit(sample);
    // The part past the end is also at the start of the ring, where the kernel's pages hold it.
    expect(memory.read(ring.data, 200 - 80)).toEqual(bytes.subarray(80));
    expect(ring.consume()).toEqual([bytes]);
    expect(ring.output(Uint8Array.of(9), 7)).toBe(-ERRNO.EINVAL);
    expect(ring.output(Uint8Array.of(9), BPF_RB_FORCE_WAKEUP)).toBe(0);
    expect(ring.consume()).toEqual([Uint8Array.of(9)]);
  });

  it('holds the consumer at a busy record, so the ring fills behind it', () => {
    const { ring } = newRing(4096);
    const pending = ring.reserve(2000);
    expect(ring.output(new Uint8Array(1000))).toBe(0);
    expect(ring.consume()).toEqual([]);
    // Consumer is still at 0 because the first record is busy: nothing more than size - 1 ahead.
    expect(ring.reserve(1100)).toBe(0);
    ring.submit(pending);
    expect(ring.consume()).toHaveLength(2);
    expect(ring.reserve(1100)).not.toBe(0);
  });

  it('has no elements for bpf(): everything is ENOTSUPP, a key is EINVAL', () => {
    const { ring } = newRing();
    expect(ring.lookupValue()).toBe(-ERRNO.ENOTSUPP);
    expect(ring.lookupValue(Uint8Array.of(0))).toBe(-ERRNO.EINVAL);
    expect(ring.update(undefined, new Uint8Array(0))).toBe(-ERRNO.ENOTSUPP);
    expect(ring.delete()).toBe(-ERRNO.ENOTSUPP);
    expect(ring.getNextKey()).toBe(-ERRNO.ENOTSUPP);
  });
});
