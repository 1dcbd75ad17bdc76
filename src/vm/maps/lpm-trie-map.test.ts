// LPM trie: longest-prefix match against brute force, update/delete errors, the kernel's iteration order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_ANY, BPF_EXIST, BPF_F_LOCK, BPF_F_NO_PREALLOC, BPF_NOEXIST } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { createMap } from './create-map.js';
import type { LpmTrieMap } from './lpm-trie-map.js';

/** An IPv4-style key: u32 prefix length (little-endian) then 4 data bytes. */
const lpmKey = (prefixLength: number, ...data: number[]): Uint8Array => {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setUint32(0, prefixLength, true);
  key.set(data.slice(0, 4), 4);
  return key;
};

const newTrie = (maxEntries = 16) => {
  const memory = new VmMemory();
  const map = createMap(memory, {
    type: 'lpm_trie',
    keySize: 8,
    valueSize: 4,
    maxEntries,
    flags: BPF_F_NO_PREALLOC,
  }) as LpmTrieMap;
  return { memory, map };
};

const value = (n: number) => Uint8Array.of(n, 0, 0, 0);

/** Brute force: the first `length` bits of two 32-bit values agree. */
const prefixMatches = (a: number, b: number, length: number): boolean =>
  length === 0 || (a ^ b) >>> (32 - length) === 0;

describe('lpm_trie map', () => {
  it('finds the longest stored prefix no longer than the key’s', () => {
    const { map } = newTrie();
    map.update(lpmKey(8, 10), value(1));
    map.update(lpmKey(16, 10, 1), value(2));
    map.update(lpmKey(24, 10, 1, 2), value(3));
    expect(map.lookupValue(lpmKey(32, 10, 1, 2, 3))).toEqual(value(3));
    expect(map.lookupValue(lpmKey(32, 10, 1, 9, 9))).toEqual(value(2));
    expect(map.lookupValue(lpmKey(32, 10, 9, 9, 9))).toEqual(value(1));
    expect(map.lookupValue(lpmKey(20, 10, 1, 2, 3))).toEqual(value(2));
    expect(map.lookupValue(lpmKey(32, 11))).toBe(-ERRNO.ENOENT);
    expect(map.lookupValue(lpmKey(33, 10, 1, 2, 3))).toBe(-ERRNO.ENOENT);
    expect(map.lookup(lpmKey(32, 10, 1, 2, 3))).toBeDefined();
  });

  it('agrees with brute force on random prefixes', () => {
    const prefix = fc.record({
      length: fc.integer({ min: 0, max: 32 }),
      bits: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(
      fc.property(
        fc.array(prefix, { maxLength: 20 }),
        fc.array(prefix, { maxLength: 20 }),
        (stored, queries) => {
          const { map } = newTrie(64);
          const model = new Map<string, { length: number; bits: number; value: number }>();
          stored.forEach(({ length, bits }, i) => {
            const masked = length === 0 ? 0 : (bits >>> (32 - length)) << (32 - length);
            const data = [bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff];
            expect(map.update(lpmKey(length, ...data), value(i))).toBe(0);
            model.set(`${length}/${masked >>> 0}`, { length, bits, value: i });
          });
          for (const { length, bits } of queries) {
            const data = [bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff];
            let best: { length: number; value: number } | undefined;
            for (const entry of model.values()) {
              if (entry.length <= length && prefixMatches(entry.bits, bits, entry.length)) {
                if (best === undefined || entry.length > best.length) best = entry;
              }
            }
            const expected = best === undefined ? -ERRNO.ENOENT : value(best.value);
            expect(map.lookupValue(lpmKey(length, ...data))).toEqual(expected);
          }
        },
      ),
    );
  });

  it('answers flags, prefix length and capacity errors as the kernel', () => {
    const { map } = newTrie(2);
    expect(map.update(lpmKey(33, 1), value(1))).toBe(-ERRNO.EINVAL);
    expect(map.update(lpmKey(8, 1), value(1), BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
    expect(map.updateFromProgram(lpmKey(8, 1), value(1), 3)).toBe(-ERRNO.EINVAL);
    expect(map.update(lpmKey(8, 1), value(1), BPF_EXIST)).toBe(-ERRNO.ENOENT);
    expect(map.update(lpmKey(8, 1), value(1), BPF_ANY)).toBe(0);
    // Bits past the prefix length do not make a different entry.
    expect(map.update(lpmKey(8, 1, 77), value(2), BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
    expect(map.update(lpmKey(8, 1, 77), value(2), BPF_EXIST)).toBe(0);
    expect(map.getNextKey()).toEqual(lpmKey(8, 1, 77));
    expect(map.update(lpmKey(16, 1, 2), value(3))).toBe(0);
    expect(map.update(lpmKey(24, 1, 2, 3), value(4))).toBe(-ERRNO.ENOSPC);
    expect(map.delete(lpmKey(24, 1, 2, 3))).toBe(-ERRNO.ENOENT);
    expect(map.delete(lpmKey(33, 1))).toBe(-ERRNO.EINVAL);
    expect(map.delete(lpmKey(16, 1, 2, 99))).toBe(0);
    expect(map.size).toBe(1);
    expect(map.lookupAndDelete(lpmKey(8, 1))).toBe(-ERRNO.ENOTSUPP);
  });

  it('iterates in post order: longer prefixes before the prefixes containing them, 0 branches first', () => {
    const { map } = newTrie();
    const keys = [
      lpmKey(0),
      lpmKey(8, 192),
      lpmKey(16, 192, 168),
      lpmKey(16, 192, 0),
      lpmKey(1, 0),
      lpmKey(24, 10, 0, 0),
    ];
    for (const key of keys) expect(map.update(key, value(key[0]))).toBe(0);
    const walk: string[] = [];
    let key: Uint8Array | undefined;
    for (;;) {
      const next = map.getNextKey(key);
      if (typeof next === 'number') {
        expect(next).toBe(-ERRNO.ENOENT);
        break;
      }
      walk.push(`${next[4]}.${next[5]}/${next[0]}`);
      key = next;
    }
    expect(walk).toEqual(['10.0/24', '0.0/1', '192.0/16', '192.168/16', '192.0/8', '0.0/0']);
    // A key not in the trie restarts the walk.
    expect(map.getNextKey(lpmKey(32, 1, 2, 3, 4))).toEqual(lpmKey(24, 10, 0, 0));
  });

  it('retires replaced and deleted values only when the run ends', () => {
    const { memory, map } = newTrie();
    map.update(lpmKey(8, 1), value(1));
    memory.withRun(() => {
      const pointer = map.lookup(lpmKey(32, 1, 2, 3, 4))!;
      expect(map.deleteFromProgram(lpmKey(8, 1))).toBe(0);
      expect(memory.read(pointer, 4)).toEqual(value(1));
    });
    expect(memory.stats().allocatedBlocks).toBe(1);
  });
});
