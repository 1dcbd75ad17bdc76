// Differential test of hash maps' walk order: created with BPF_F_ZERO_SEED, the kernel's buckets are a function of
// the key, so after the same updates and deletes every get_next_key answers as the kernel's does.
import fc from 'fast-check';
import { expect } from 'vitest';
import { BPF_F_ZERO_SEED } from '../../abi/map-types.js';
import { bytesToHex, type OracleMapOp } from '../../../test/oracle/oracle.js';
import { requireOracle } from '../../../test/oracle/require-oracle.js';
import { VmMemory } from '../memory.js';
import { createMap } from './create-map.js';

const oracle = requireOracle();

interface Shape {
  readonly type: 'hash' | 'lru_hash' | 'percpu_hash';
  readonly keySize: number;
  readonly maxEntries: number;
}

/** Whole-word keys (jhash2), odd sizes (jhash), bucket counts from 1 to 128; LRU maps never full (no eviction). */
const SHAPES: readonly Shape[] = [
  { type: 'hash', keySize: 4, maxEntries: 16 },
  { type: 'hash', keySize: 6, maxEntries: 100 },
  { type: 'hash', keySize: 13, maxEntries: 7 },
  { type: 'hash', keySize: 8, maxEntries: 1 },
  { type: 'lru_hash', keySize: 4, maxEntries: 128 },
  { type: 'percpu_hash', keySize: 12, maxEntries: 32 },
];
/** The kernel's possible CPUs on the reference machines: per-CPU values from user space hold two. */
const CPUS = 2;
const VALUE_SIZE = 8;

oracle.describe('hash maps walk in the kernel’s order with BPF_F_ZERO_SEED', () => {
  for (const shape of SHAPES) {
    oracle.it(`${shape.type}, key_size ${shape.keySize}, max_entries ${shape.maxEntries}`, () => {
      const userValueSize = shape.type === 'percpu_hash' ? VALUE_SIZE * CPUS : VALUE_SIZE;
      const keys = fc.sample(fc.uint8Array({ minLength: shape.keySize, maxLength: shape.keySize }), {
        numRuns: 12,
        seed: shape.keySize * 7 + shape.maxEntries,
      });
      // Keys 0-1 stay small so that several share a bucket; the walk is asked from every key and from none.
      keys.push(
        new Uint8Array(shape.keySize),
        Uint8Array.from({ length: shape.keySize }, (_, i) => (i === 0 ? 1 : 0)),
      );
      const value = (n: number) => new Uint8Array(userValueSize).fill(n);
      const mutations: OracleMapOp[] = [];
      const limit = Math.min(keys.length, shape.maxEntries);
      for (let i = 0; i < limit; i++)
        mutations.push({ op: 'update', key: keys[i], value: value(i), flags: 0 });
      // Replacing values (which moves an element to the front of its bucket, but in per-CPU maps), deleting some,
      // inserting again.
      for (let i = 0; i < limit; i += 3)
        mutations.push({ op: 'update', key: keys[i], value: value(99), flags: 0 });
      for (let i = 1; i < limit; i += 4) mutations.push({ op: 'delete', key: keys[i] });
      if (limit > 1) mutations.push({ op: 'update', key: keys[1], value: value(7), flags: 0 });
      const walk: OracleMapOp[] = [{ op: 'next' }, ...keys.map((key) => ({ op: 'next' as const, key }))];
      const ops = [...mutations, ...walk];
      const attrs = {
        type: shape.type,
        keySize: shape.keySize,
        valueSize: VALUE_SIZE,
        maxEntries: shape.maxEntries,
      };
      const kernel = oracle.runMapOps({ ...attrs, flags: BPF_F_ZERO_SEED }, ops);
      expect(kernel.create).toBe(0);
      const map = createMap(new VmMemory(), { ...attrs, flags: BPF_F_ZERO_SEED }, { cpus: CPUS });
      const ours = ops.map((op) => {
        const answer =
          op.op === 'update'
            ? map.update(op.key, op.value, op.flags)
            : op.op === 'delete'
              ? map.delete(op.key)
              : map.getNextKey(op.key);
        if (typeof answer === 'number') return { errno: answer === 0 ? 0 : -answer, value: null };
        return { errno: 0, value: bytesToHex(answer) };
      });
      expect(ours).toEqual(kernel.ops);
      // The walk reached keys (not only ENOENT) and, where buckets are shared, told their order apart.
      expect(ours.slice(mutations.length).filter((answer) => answer.errno === 0).length).toBeGreaterThan(0);
    });
  }
});
