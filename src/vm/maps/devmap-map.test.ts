import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_F_RDONLY_PROG } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { Network } from '../network.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import type { DevMapHash } from './devmap-map.js';

const words = (...values: number[]) => {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((value, i) => {
    new DataView(bytes.buffer).setUint32(i * 4, value >>> 0, true);
  });
  return bytes;
};
const network = new Network({
  interfaces: [{ ifindex: 3, name: 'eth0', mtu: 1500, mac: Uint8Array.of(2, 0, 0, 0, 0, 3) }],
});
const redirect = {
  interfaceByIndex: (ifindex: number) => network.interface(ifindex),
  resolveProgram: (handle: number, attachType: string) =>
    handle === 9 && attachType === 'xdp_devmap' ? 9 : -ERRNO.EINVAL,
};

describe('devmap', () => {
  it('is read-only for programs and stores ifindex then program id', () => {
    const memory = new VmMemory();
    const map = createMap(memory, { type: 'devmap', keySize: 4, valueSize: 8, maxEntries: 4 }, { redirect });
    expect(map.flags & BPF_F_RDONLY_PROG).toBe(BPF_F_RDONLY_PROG);
    expect(map.update(u32Bytes(0), words(3, -1))).toBe(0);
    expect(map.update(u32Bytes(1), words(1, 9))).toBe(0);
    expect(map.lookupValue(u32Bytes(1))).toEqual(words(1, 9));
    expect(map.lookupValue(u32Bytes(0))).toEqual(words(3, 0));
    // A program's lookup points at the same stored value.
    expect(memory.readU32(map.lookup(u32Bytes(0))!)).toBe(3);
    expect(map.update(u32Bytes(2), words(4, 0))).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(2), words(3, 8))).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(2), words(0, 9))).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(0), words(0, 0))).toBe(0);
    expect(map.lookupValue(u32Bytes(0))).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(4), words(1, 0))).toBe(-ERRNO.E2BIG);
    expect(map.update(u32Bytes(3), words(1, 0), 1)).toBe(-ERRNO.EEXIST);
    expect(map.delete(u32Bytes(3))).toBe(0);
    expect(map.delete(u32Bytes(4))).toBe(-ERRNO.EINVAL);
    expect([...map.entries()].map((e) => e.key[0])).toEqual([1]);
  });

  it('without declared interfaces only lo (ifindex 1) exists', () => {
    const map = createMap(new VmMemory(), { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 2 });
    expect(map.update(u32Bytes(0), words(1))).toBe(0);
    expect(map.update(u32Bytes(1), words(2))).toBe(-ERRNO.EINVAL);
  });
});

describe('devmap_hash', () => {
  it('walks buckets in order, newest first within a bucket, and caps entries at max_entries', () => {
    const map = createMap(
      new VmMemory(),
      { type: 'devmap_hash', keySize: 4, valueSize: 4, maxEntries: 3 },
      { redirect },
    ) as DevMapHash;
    // 4 buckets: 5 and 1 share bucket 1, 2 is bucket 2.
    for (const key of [2, 1, 5]) expect(map.update(u32Bytes(key), words(1))).toBe(0);
    expect(map.update(u32Bytes(7), words(1))).toBe(-ERRNO.E2BIG);
    expect(map.update(u32Bytes(1), words(3), 1)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(1), words(0))).toBe(-ERRNO.EINVAL);
    const order: number[] = [];
    let key: Uint8Array | undefined;
    for (;;) {
      const next = map.getNextKey(key);
      if (typeof next === 'number') break;
      order.push(next[0]);
      key = next;
    }
    expect(order).toEqual([5, 1, 2]);
    // An unknown key restarts from the first.
    expect(map.getNextKey(u32Bytes(42))).toEqual(u32Bytes(5));
    expect(map.delete(u32Bytes(42))).toBe(-ERRNO.ENOENT);
    expect(map.delete(u32Bytes(5))).toBe(0);
    expect(map.update(u32Bytes(7), words(3), 2)).toBe(0);
  });
});
