// Differential test of the bloom filter: with BPF_F_ZERO_SEED the kernel's and tsbpf's filters hash alike, so the
// same pushes give the same answers to every test, false positives included; creation rules agree too.
import fc from 'fast-check';
import { expect } from 'vitest';
import { BPF_F_ZERO_SEED } from '../../abi/map-types.js';
import { bytesToHex, type OracleMapOp } from '../../../test/oracle/oracle.js';
import { requireOracle } from '../../../test/oracle/require-oracle.js';
import { VmMemory } from '../memory.js';
import type { BloomFilterMap } from './bloom-filter-map.js';
import { createMap } from './create-map.js';
import { MapError } from './map-error.js';

const oracle = requireOracle();

interface Shape {
  valueSize: number;
  maxEntries: number;
  mapExtra: bigint;
}

const shapes: Shape[] = [
  { valueSize: 4, maxEntries: 4, mapExtra: 0n },
  { valueSize: 6, maxEntries: 2, mapExtra: 1n },
  { valueSize: 16, maxEntries: 8, mapExtra: 3n },
  { valueSize: 13, maxEntries: 40, mapExtra: 15n },
  { valueSize: 12, maxEntries: 100, mapExtra: 2n },
];

oracle.describe('bloom filter equals the kernel', () => {
  oracle.it('creation: the same errno', () => {
    const cases = [
      { type: 'bloom_filter', keySize: 0, valueSize: 4, maxEntries: 4, mapExtra: 16n },
      { type: 'bloom_filter', keySize: 4, valueSize: 4, maxEntries: 4, mapExtra: 0n },
      { type: 'bloom_filter', keySize: 0, valueSize: 0, maxEntries: 4, mapExtra: 0n },
      { type: 'bloom_filter', keySize: 0, valueSize: 4, maxEntries: 0, mapExtra: 0n },
      { type: 'bloom_filter', keySize: 0, valueSize: 4, maxEntries: 4, flags: 1, mapExtra: 0n },
      {
        type: 'bloom_filter',
        keySize: 0,
        valueSize: 4,
        maxEntries: 4,
        flags: BPF_F_ZERO_SEED,
        mapExtra: 15n,
      },
      { type: 'hash', keySize: 4, valueSize: 4, maxEntries: 4, mapExtra: 1n },
    ];
    for (const attrs of cases) {
      const kernel = oracle.runMapOps(attrs, []);
      let ours = 0;
      try {
        createMap(new VmMemory(), { ...attrs, type: attrs.type as 'bloom_filter' });
      } catch (error) {
        if (!(error instanceof MapError)) throw error;
        ours = error.errno;
      }
      expect(
        ours,
        JSON.stringify(attrs, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
      ).toBe(kernel.create);
    }
  });

  for (const shape of shapes) {
    oracle.it(
      `value_size ${shape.valueSize}, max_entries ${shape.maxEntries}, map_extra ${shape.mapExtra}`,
      () => {
        const value = fc.uint8Array({ minLength: shape.valueSize, maxLength: shape.valueSize });
        const [pushed, tested] = fc.sample(
          fc.tuple(
            fc.array(value, { minLength: 1, maxLength: 12 }),
            fc.array(value, { minLength: 60, maxLength: 60 }),
          ),
          { numRuns: 1, seed: shape.valueSize * 31 + shape.maxEntries },
        )[0];
        const ops: OracleMapOp[] = [
          ...pushed.map((v) => ({ op: 'update' as const, value: v, flags: 0 })),
          { op: 'update', value: pushed[0], flags: 1 },
          ...pushed.map((v) => ({ op: 'lookup' as const, value: v })),
          ...tested.map((v) => ({ op: 'lookup' as const, value: v })),
          { op: 'delete' },
          { op: 'next' },
        ];
        const attrs = {
          type: 'bloom_filter',
          keySize: 0,
          valueSize: shape.valueSize,
          maxEntries: shape.maxEntries,
        };
        const kernel = oracle.runMapOps({ ...attrs, flags: BPF_F_ZERO_SEED, mapExtra: shape.mapExtra }, ops);
        expect(kernel.create).toBe(0);
        const map = createMap(new VmMemory(), {
          type: 'bloom_filter',
          keySize: 0,
          valueSize: shape.valueSize,
          maxEntries: shape.maxEntries,
          flags: BPF_F_ZERO_SEED,
          mapExtra: shape.mapExtra,
        }) as BloomFilterMap;
        const ours = ops.map((op) => {
          const answer =
            op.op === 'update'
              ? map.update(undefined, op.value, op.flags)
              : op.op === 'lookup' && 'value' in op
                ? map.contains(op.value)
                : op.op === 'delete'
                  ? map.delete()
                  : map.getNextKey();
          // The kernel copies the tested value back unchanged.
          const copied = op.op === 'lookup' && 'value' in op && answer === 0 ? bytesToHex(op.value) : null;
          return { errno: answer === 0 ? 0 : -(answer as number), value: copied };
        });
        expect(ours).toEqual(kernel.ops);
        // Pushed values are always found; some never-pushed values are found too in the small filters.
        expect(ours.slice(pushed.length + 1, 2 * pushed.length + 1).every((a) => a.errno === 0)).toBe(true);
        const falsePositives = ours.slice(2 * pushed.length + 1, -2).filter((a) => a.errno === 0).length;
        if (shape.maxEntries <= 4) expect(falsePositives).toBeGreaterThan(0);
      },
    );
  }
});
