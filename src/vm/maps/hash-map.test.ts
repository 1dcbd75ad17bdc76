// Hash map semantics (plain, per-CPU, LRU): flags and errors, iteration, stable addresses, a model check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_ANY, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { type BpfMap, u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import { HashMap, hashKeyId, hashKeyIdAt } from './hash-map.js';

const newHash = (
  type: 'hash' | 'percpu_hash' | 'lru_hash' | 'lru_percpu_hash',
  maxEntries: number,
  cpus = 1,
) => {
  const memory = new VmMemory();
  const map = createMap(memory, { type, keySize: 4, valueSize: 4, maxEntries }, { cpus });
  return { memory, map };
};

const keysOf = (map: BpfMap): number[] => [...map.entries()].map((entry) => entry.key[0]);

describe('hash map', () => {
  it('answers update flags as the kernel (NOEXIST, EXIST, full map)', () => {
    const { map } = newHash('hash', 2);
    const value = u32Bytes(1);
    expect(map.update(u32Bytes(1), value, BPF_EXIST)).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(1), value, BPF_ANY)).toBe(0);
    expect(map.update(u32Bytes(1), value, BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(2), value, BPF_ANY)).toBe(0);
    expect(map.update(u32Bytes(3), value, BPF_ANY)).toBe(-ERRNO.E2BIG);
    expect(map.update(u32Bytes(3), value, BPF_EXIST)).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(3), value, BPF_NOEXIST)).toBe(-ERRNO.E2BIG);
    // Replacing in a full map works.
    expect(map.update(u32Bytes(2), u32Bytes(9), BPF_ANY)).toBe(0);
    expect(map.lookupValue(u32Bytes(2))).toEqual(u32Bytes(9));
    expect(map.update(u32Bytes(2), value, 5)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(2), value, BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(2), value, 3)).toBe(-ERRNO.EINVAL);
    expect(map.updateFromProgram(u32Bytes(2), value, BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
  });

  it('deletes, looks up and deletes, and reports missing keys with ENOENT', () => {
    const { map } = newHash('hash', 4);
    map.update(u32Bytes(1), u32Bytes(10));
    expect(map.delete(u32Bytes(9))).toBe(-ERRNO.ENOENT);
    expect(map.lookupValue(u32Bytes(9))).toBe(-ERRNO.ENOENT);
    expect(map.lookupAndDelete(u32Bytes(1))).toEqual(u32Bytes(10));
    expect(map.lookupAndDelete(u32Bytes(1))).toBe(-ERRNO.ENOENT);
    expect(map.deleteFromProgram(u32Bytes(1))).toBe(-ERRNO.ENOENT);
  });

  it('iterates in a stable order; a missing key restarts at the first key; the end is ENOENT', () => {
    const { map } = newHash('hash', 8);
    expect(map.getNextKey()).toBe(-ERRNO.ENOENT);
    for (const key of [5, 3, 8]) map.update(u32Bytes(key), u32Bytes(key));
    expect(map.getNextKey()).toEqual(u32Bytes(5));
    expect(map.getNextKey(u32Bytes(42))).toEqual(u32Bytes(5));
    expect(map.getNextKey(u32Bytes(5))).toEqual(u32Bytes(3));
    expect(map.getNextKey(u32Bytes(8))).toBe(-ERRNO.ENOENT);
    map.delete(u32Bytes(3));
    expect(map.getNextKey(u32Bytes(5))).toEqual(u32Bytes(8));
    expect(keysOf(map)).toEqual([5, 8]);
  });

  it('keeps a looked-up value valid until the run ends, then frees it', () => {
    const { memory, map } = newHash('hash', 4);
    map.update(u32Bytes(1), u32Bytes(77));
    memory.beginRun();
    const pointer = map.lookup(u32Bytes(1))!;
    expect(map.deleteFromProgram(u32Bytes(1))).toBe(0);
    expect(memory.readU32(pointer)).toBe(77);
    expect(memory.allocationSize(pointer)).toBeDefined();
    memory.endRun();
    expect(memory.allocationSize(pointer)).toBeUndefined();
  });

  it('replaces values at a new address, leaving an old pointer with the old bytes (kernel: new element)', () => {
    const { memory, map } = newHash('hash', 4);
    map.update(u32Bytes(1), u32Bytes(1));
    memory.withRun(() => {
      const before = map.lookup(u32Bytes(1))!;
      expect(map.updateFromProgram(u32Bytes(1), u32Bytes(2), BPF_ANY)).toBe(0);
      expect(memory.readU32(before)).toBe(1);
      expect(memory.readU32(map.lookup(u32Bytes(1))!)).toBe(2);
    });
    expect(memory.stats().pendingFrees).toBe(0);
  });

  it('matches a model of a bounded dictionary under random operations', () => {
    const operation = fc.tuple(
      fc.constantFrom('update', 'delete', 'lookup', 'next'),
      fc.integer({ min: 0, max: 7 }),
      fc.constantFrom(BPF_ANY, BPF_NOEXIST, BPF_EXIST),
      fc.nat(),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const { memory, map } = newHash('hash', 4);
        const model = new Map<number, number>();
        for (const [kind, key, flags, value] of operations) {
          const keyBytes = u32Bytes(key);
          if (kind === 'update') {
            let expected = 0;
            if (model.has(key) && flags === BPF_NOEXIST) expected = -ERRNO.EEXIST;
            else if (!model.has(key) && flags === BPF_EXIST) expected = -ERRNO.ENOENT;
            else if (!model.has(key) && model.size >= 4) expected = -ERRNO.E2BIG;
            expect(map.update(keyBytes, u32Bytes(value), flags)).toBe(expected);
            if (expected === 0) model.set(key, value >>> 0);
          } else if (kind === 'delete') {
            expect(map.delete(keyBytes)).toBe(model.delete(key) ? 0 : -ERRNO.ENOENT);
          } else if (kind === 'lookup') {
            const expected = model.has(key) ? u32Bytes(model.get(key)!) : -ERRNO.ENOENT;
            expect(map.lookupValue(keyBytes)).toEqual(expected);
          } else {
            const next = map.getNextKey(keyBytes);
            if (model.size === 0 || (model.has(key) && typeof next === 'number')) continue;
            expect(typeof next).not.toBe('number');
          }
        }
        // Iteration visits every key once.
        expect(keysOf(map).sort()).toEqual([...model.keys()].sort());
        // Memory holds exactly the live values (plus the map object).
        expect(memory.stats().allocatedBlocks).toBe(model.size + 1);
      }),
    );
  });
});

describe('percpu_hash map', () => {
  it('stores one slot per CPU; a program writes its CPU and a new element zeroes the others', () => {
    const { memory, map } = newHash('percpu_hash', 4, 2);
    expect(map.userValueSize).toBe(16);
    expect(map.updateFromProgram(u32Bytes(1), u32Bytes(0x11), BPF_ANY, 1)).toBe(0);
    expect([...(map.lookupValue(u32Bytes(1)) as Uint8Array)]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const cpu0 = map.lookup(u32Bytes(1), 0)!;
    expect(map.lookup(u32Bytes(1), 1)! - cpu0).toBe(8);
    // An update of an existing per-CPU element is in place (kernel: pcpu_copy_value).
    expect(map.updateFromProgram(u32Bytes(1), u32Bytes(0x22), BPF_ANY, 0)).toBe(0);
    expect(map.lookup(u32Bytes(1), 0)).toBe(cpu0);
    expect(memory.readU32(cpu0)).toBe(0x22);
    const all = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(map.update(u32Bytes(2), all)).toBe(0);
    expect(map.lookupValue(u32Bytes(2))).toEqual(all);
    expect(map.update(u32Bytes(2), all, BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
  });
});

describe('lru_hash map', () => {
  it('evicts the least recently used element when an insert finds the map full', () => {
    const { map } = newHash('lru_hash', 4);
    for (const key of [1, 2, 3, 4]) expect(map.update(u32Bytes(key), u32Bytes(key))).toBe(0);
    // Updating 1 makes 2 the least recently used (kernel result for this sequence: {1, 3, 4, 5}).
    expect(map.update(u32Bytes(1), u32Bytes(11))).toBe(0);
    expect(map.update(u32Bytes(5), u32Bytes(5))).toBe(0);
    expect(keysOf(map).sort()).toEqual([1, 3, 4, 5]);
    // A program's lookup counts as a use; a user-space lookup does not.
    map.lookup(u32Bytes(3));
    map.lookupValue(u32Bytes(4));
    expect(map.update(u32Bytes(6), u32Bytes(6), BPF_NOEXIST)).toBe(0);
    expect(keysOf(map).sort()).toEqual([1, 3, 5, 6].sort());
    expect(map.update(u32Bytes(99), u32Bytes(0), BPF_EXIST)).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(6), u32Bytes(0), BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
  });

  it('evicts as a model of exact LRU order under random lookups, updates and deletes', () => {
    const operation = fc.tuple(
      fc.constantFrom('update', 'update', 'lookup', 'lookup', 'delete'),
      fc.integer({ min: 0, max: 5 }),
    );
    let reached = 0;
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 80 }), (operations) => {
        const { map } = newHash('lru_hash', 4);
        const order: number[] = []; // least to most recently used
        const use = (key: number) => {
          order.splice(order.indexOf(key), 1);
          order.push(key);
        };
        for (const [kind, key] of operations) {
          reached++;
          if (kind === 'lookup') {
            expect(map.lookup(u32Bytes(key)) !== undefined).toBe(order.includes(key));
            if (order.includes(key)) use(key);
          } else if (kind === 'delete') {
            expect(map.delete(u32Bytes(key))).toBe(order.includes(key) ? 0 : -ERRNO.ENOENT);
            if (order.includes(key)) order.splice(order.indexOf(key), 1);
          } else {
            expect(map.updateFromProgram(u32Bytes(key), u32Bytes(key), BPF_ANY, 0)).toBe(0);
            if (order.includes(key)) use(key);
            else {
              if (order.length === 4) order.shift();
              order.push(key);
            }
          }
          expect(keysOf(map).sort()).toEqual([...order].sort());
        }
      }),
      { numRuns: 1000 },
    );
    expect(reached).toBeGreaterThan(5000);
  });

  it('keeps per-CPU LRU values per CPU', () => {
    const { map } = newHash('lru_percpu_hash', 1, 2);
    expect(map.updateFromProgram(u32Bytes(1), u32Bytes(3), BPF_ANY, 1)).toBe(0);
    expect(map.updateFromProgram(u32Bytes(2), u32Bytes(4), BPF_ANY, 0)).toBe(0);
    expect(keysOf(map)).toEqual([2]);
    expect((map.lookupValue(u32Bytes(2)) as Uint8Array)[0]).toBe(4);
  });
});

describe('hash map key identity (exact numbers for short keys, hashes otherwise)', () => {
  it('keeps keys of every size 1-9 apart, including 8-byte keys above 2^53', () => {
    for (const keySize of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const map = createMap(new VmMemory(), { type: 'hash', keySize, valueSize: 1, maxEntries: 64 });
      const keys: Uint8Array[] = [];
      for (let b = 0; b < keySize; b++) {
        for (const v of [1, 0x80, 0xff]) {
          const key = new Uint8Array(keySize);
          key[b] = v;
          keys.push(key);
        }
      }
      keys.push(new Uint8Array(keySize));
      if (keySize > 1) keys.push(new Uint8Array(keySize).fill(0xff));
      for (const [i, key] of keys.entries()) {
        expect(map.updateFromProgram(key, Uint8Array.of(i), BPF_NOEXIST, 0)).toBe(0);
      }
      expect([...map.entries()].length).toBe(keys.length);
      for (const [i, key] of keys.entries()) expect((map.lookupValue(key) as Uint8Array)[0]).toBe(i);
      expect([...map.entries()].map((entry) => [...entry.key])).toEqual(keys.map((key) => [...key]));
    }
  });

  it('gives keys of 9-20 bytes equal ids exactly when their bytes are equal, read in place or copied', () => {
    let compared = 0;
    const keyPair = fc
      .integer({ min: 9, max: 20 })
      .chain((size) =>
        fc.tuple(
          fc.uint8Array({ minLength: size, maxLength: size }),
          fc.uint8Array({ minLength: size, maxLength: size }),
          fc.integer({ min: 0, max: size - 1 }),
          fc.nat({ max: 7 }),
        ),
      );
    fc.assert(
      fc.property(keyPair, ([a, b, flip, offset]) => {
        // Half the pairs differ in one byte only (random pairs almost never collide by chance).
        const other = offset % 2 === 0 ? b : Uint8Array.from(a, (byte, i) => (i === flip ? byte ^ 1 : byte));
        const equal = a.every((byte, i) => byte === other[i]);
        expect(hashKeyId(a, a.length) === hashKeyId(other, a.length)).toBe(equal);
        const placed = new Uint8Array(offset + a.length);
        placed.set(a, offset);
        expect(hashKeyIdAt(placed, offset, a.length)).toBe(hashKeyId(a, a.length));
        compared++;
      }),
      { numRuns: 300 },
    );
    expect(compared).toBe(300);
  });

  it('finds a 16-byte key in place as lookup finds its copy', () => {
    const memory = new VmMemory();
    const map = createMap(memory, { type: 'lru_hash', keySize: 16, valueSize: 4, maxEntries: 4 });
    const key = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(map.updateFromProgram(key, u32Bytes(7), BPF_ANY, 0)).toBe(0);
    const at = memory.allocate(32);
    memory.write(at + 3, key);
    expect(map).toBeInstanceOf(HashMap);
    expect((map as HashMap).lookupInPlace(memory.bytes(), at + 3, 0)).toBe(map.lookup(key));
    memory.write(at + 3 + 15, Uint8Array.of(0));
    expect((map as HashMap).lookupInPlace(memory.bytes(), at + 3, 0)).toBeUndefined();
  });

  it('keeps keys whose hash ids collide apart (an LRU model over three colliding pairs)', () => {
    // Birthday search over 12-byte keys: 30-bit hash ids collide after some 40,000 keys.
    const keyOf = (i: number) => {
      const key = new Uint8Array(12);
      const view = new DataView(key.buffer);
      view.setUint32(0, i, true);
      view.setUint32(4, Math.imul(i, 7), true);
      view.setUint32(8, 0xabcdef, true);
      return key;
    };
    const firstWithId = new Map<number, number>();
    const keys: Uint8Array[] = [];
    for (let i = 0; keys.length < 6; i++) {
      const id = hashKeyId(keyOf(i), 12);
      const earlier = firstWithId.get(id);
      if (earlier === undefined) firstWithId.set(id, i);
      else keys.push(keyOf(earlier), keyOf(i));
    }
    for (let pair = 0; pair < 3; pair++) {
      expect(hashKeyId(keys[2 * pair], 12)).toBe(hashKeyId(keys[2 * pair + 1], 12));
    }
    const operation = fc.tuple(
      fc.constantFrom('update', 'update', 'lookup', 'lookup', 'delete'),
      fc.integer({ min: 0, max: 5 }),
    );
    let reached = 0;
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 60 }), (operations) => {
        const memory = new VmMemory();
        const map = createMap(memory, { type: 'lru_hash', keySize: 12, valueSize: 4, maxEntries: 4 });
        const order: number[] = []; // least to most recently used
        const use = (key: number) => {
          order.splice(order.indexOf(key), 1);
          order.push(key);
        };
        for (const [kind, key] of operations) {
          reached++;
          if (kind === 'lookup') {
            const address = map.lookup(keys[key]);
            expect(address === undefined ? undefined : memory.readU32(address)).toBe(
              order.includes(key) ? key : undefined,
            );
            if (order.includes(key)) use(key);
          } else if (kind === 'delete') {
            expect(map.delete(keys[key])).toBe(order.includes(key) ? 0 : -ERRNO.ENOENT);
            if (order.includes(key)) order.splice(order.indexOf(key), 1);
          } else {
            expect(map.updateFromProgram(keys[key], u32Bytes(key), BPF_ANY, 0)).toBe(0);
            if (order.includes(key)) use(key);
            else {
              if (order.length === 4) order.shift();
              order.push(key);
            }
          }
          const stored = [...map.entries()].map((entry) =>
            keys.findIndex((k) => k.every((b, i) => b === entry.key[i])),
          );
          expect(stored.sort()).toEqual([...order].sort());
        }
        map.release();
        expect(memory.stats().allocatedBlocks).toBe(0);
      }),
      { numRuns: 300 },
    );
    expect(reached).toBeGreaterThan(1000);
  });
});
