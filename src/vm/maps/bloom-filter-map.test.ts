import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { type BloomFilterMap, bloomBitsetMask } from './bloom-filter-map.js';
import { createMap } from './create-map.js';
import { jhash, jhash2 } from './jhash.js';

const bloom = (valueSize: number, maxEntries: number, mapExtra = 0n) =>
  createMap(new VmMemory(), {
    type: 'bloom_filter',
    keySize: 0,
    valueSize,
    maxEntries,
    mapExtra,
  }) as BloomFilterMap;

describe('bloom filter', () => {
  it('sizes the bitset as the kernel: n * k * 7 / 5 bits, a power of two, at least 64, at most 2^32', () => {
    expect(bloomBitsetMask(1, 5)).toBe(63);
    expect(bloomBitsetMask(100, 5)).toBe(1023);
    expect(bloomBitsetMask(1 << 28, 8)).toBe(0xffff_ffff);
    expect(bloomBitsetMask(0xffff_ffff, 2)).toBe(0xffff_ffff);
    expect(bloom(4, 10).hashFunctions).toBe(5);
    expect(bloom(4, 10, 15n).hashFunctions).toBe(15);
  });

  it('finds every pushed value; takes BPF_ANY only; has no keys to delete or walk', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 7, maxLength: 7 }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const map = bloom(7, 16, 3n);
          for (const value of values) expect(map.update(undefined, value)).toBe(0);
          for (const value of values) expect(map.contains(value)).toBe(0);
          checked++;
        },
      ),
      { numRuns: 50 },
    );
    expect(checked).toBe(50);
    const map = bloom(4, 4);
    expect(map.contains(Uint8Array.of(1, 2, 3, 4))).toBe(-ERRNO.ENOENT);
    expect(map.update(undefined, Uint8Array.of(1, 2, 3, 4), 1)).toBe(-ERRNO.EINVAL);
    expect(map.delete()).toBe(-ERRNO.EOPNOTSUPP);
    expect(map.getNextKey()).toBe(-ERRNO.EOPNOTSUPP);
    expect(map.update(Uint8Array.of(0), Uint8Array.of(1, 2, 3, 4))).toBe(-ERRNO.EINVAL);
  });

  it('jhash and jhash2 agree where both apply, and start from the lookup3 initial value', () => {
    expect(jhash(new Uint8Array(0), 0)).toBe(0xdeadbeef);
    const bytes = Uint8Array.from({ length: 24 }, (_, i) => i * 37);
    for (const length of [4, 8, 12, 16, 24]) {
      expect(jhash2(bytes.subarray(0, length), 7)).toBe(jhash(bytes.subarray(0, length), 7));
    }
  });
});
