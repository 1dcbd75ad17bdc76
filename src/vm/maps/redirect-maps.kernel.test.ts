// Differential test of the redirect maps (devmap, devmap_hash, cpumap, xskmap) from user space: creation rules and
// random command sequences in the kernel (oracle mapops) and in tsbpf give the same errno, bytes and contents.
import fc from 'fast-check';
import { expect } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { bytesToHex, oracleAvailability, type OracleMapOp } from '../../../test/oracle/oracle.js';
import { requireOracle } from '../../../test/oracle/require-oracle.js';
import { VmMemory } from '../memory.js';
import { type BpfMap, u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import { MapError } from './map-error.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 2;

interface Attrs {
  type: 'devmap' | 'devmap_hash' | 'cpumap' | 'xskmap';
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
}

function createInTsbpf(attrs: Attrs): BpfMap | number {
  try {
    return createMap(new VmMemory(), { ...attrs, name: 'mapops' }, { cpus });
  } catch (error) {
    if (error instanceof MapError) return error.errno;
    throw error;
  }
}

function runInTsbpf(map: BpfMap, ops: readonly OracleMapOp[]) {
  return ops.map((op) => {
    const answer =
      op.op === 'update'
        ? map.update(op.key, op.value, op.flags ?? 0)
        : op.op === 'delete'
          ? map.delete(op.key)
          : op.op === 'lookup'
            ? map.lookupValue(op.key)
            : op.op === 'next'
              ? map.getNextKey(op.key)
              : map.lookupAndDelete(op.key);
    return typeof answer === 'number'
      ? { errno: answer === 0 ? 0 : -answer, value: null }
      : { errno: 0, value: answer.length === 0 ? null : bytesToHex(answer) };
  });
}

const CREATIONS: Attrs[] = [
  { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 8 },
  { type: 'devmap', keySize: 4, valueSize: 8, maxEntries: 8 },
  { type: 'devmap', keySize: 4, valueSize: 12, maxEntries: 8 },
  { type: 'devmap', keySize: 8, valueSize: 4, maxEntries: 8 },
  { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 0 },
  { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 8, flags: 1 << 3 },
  { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 8, flags: 1 << 7 },
  { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 8, flags: 1 },
  { type: 'devmap_hash', keySize: 4, valueSize: 8, maxEntries: 5 },
  { type: 'devmap_hash', keySize: 4, valueSize: 4, maxEntries: 2 ** 31 + 1 },
  { type: 'devmap_hash', keySize: 2, valueSize: 4, maxEntries: 5 },
  { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: 4 },
  { type: 'cpumap', keySize: 4, valueSize: 8, maxEntries: 4 },
  { type: 'cpumap', keySize: 4, valueSize: 6, maxEntries: 4 },
  { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: 4, flags: 1 << 3 },
  { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: 8193 },
  { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: 0 },
  { type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 4 },
  { type: 'xskmap', keySize: 4, valueSize: 8, maxEntries: 4 },
  { type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 4, flags: 1 << 4 },
  { type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 4, flags: 1 << 7 },
];

const u32s = (...words: number[]): Uint8Array => {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, word] of words.entries()) view.setUint32(i * 4, word >>> 0, true);
  return bytes;
};

/** Keys around max_entries, values naming lo (1), no interface (99) or none (0); program fds 0 and -1 only. */
function opArbitrary(attrs: Attrs): fc.Arbitrary<OracleMapOp> {
  const key = fc
    .oneof(fc.integer({ min: 0, max: attrs.maxEntries + 1 }), fc.constant(0x10000 + 3))
    .map(u32Bytes);
  const first =
    attrs.type === 'cpumap' ? fc.constantFrom(0, 64, 256, 16384, 16385) : fc.constantFrom(0, 1, 1, 1, 99);
  const value = fc
    .tuple(first, fc.constantFrom(0, -1))
    .map(([word, fd]) => (attrs.valueSize === 8 ? u32s(word, fd) : u32s(word)));
  const flags = fc.constantFrom(0, 0, 0, 1, 2, 3);
  const update = fc.record({ op: fc.constant('update' as const), key, value, flags });
  // Kernel xsk_map_update_elem resolves the socket fd after the flag and index checks; tsbpf has no sockets.
  const xskUpdate = fc.record({
    op: fc.constant('update' as const),
    key: fc.integer({ min: attrs.maxEntries, max: attrs.maxEntries + 2 }).map(u32Bytes),
    value: fc.constant(u32s(0x7fff_ffff)),
    flags: fc.constantFrom(0, 2, 4),
  });
  const keyed = fc.record({
    op: fc.constantFrom('delete' as const, 'lookup' as const, 'next' as const),
    key,
  });
  return fc.oneof(
    { arbitrary: attrs.type === 'xskmap' ? xskUpdate : update, weight: 3 },
    { arbitrary: keyed, weight: 2 },
    { arbitrary: fc.constant({ op: 'next' as const }), weight: 1 },
  );
}

oracle.describe('redirect maps from user space equal the kernel', () => {
  oracle.it('creation: the same errno, and the same map_flags once created', () => {
    for (const attrs of CREATIONS) {
      const kernel = oracle.runMapOps(attrs, []);
      const ours = createInTsbpf(attrs);
      expect(typeof ours === 'number' ? ours : 0, JSON.stringify(attrs)).toBe(kernel.create);
      if (typeof ours !== 'number') expect(ours.flags, JSON.stringify(attrs)).toBe(kernel.mapFlags);
    }
  });

  const shapes: Attrs[] = [
    { type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 4 },
    { type: 'devmap', keySize: 4, valueSize: 8, maxEntries: 3 },
    { type: 'devmap_hash', keySize: 4, valueSize: 4, maxEntries: 3 },
    { type: 'devmap_hash', keySize: 4, valueSize: 8, maxEntries: 6 },
    { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: cpus + 1 },
    { type: 'cpumap', keySize: 4, valueSize: 8, maxEntries: cpus },
    { type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 3 },
  ];
  for (const attrs of shapes) {
    oracle.it(`${attrs.type} value_size ${attrs.valueSize}: random command sequences`, () => {
      const sequences = fc.sample(fc.array(opArbitrary(attrs), { minLength: 15, maxLength: 40 }), {
        numRuns: 5,
        seed: 13,
      });
      let succeeded = 0;
      for (const ops of sequences) {
        const kernel = oracle.runMapOps(attrs, ops);
        expect(kernel.create).toBe(0);
        const map = createInTsbpf(attrs) as BpfMap;
        const ours = runInTsbpf(map, ops);
        expect(ours, JSON.stringify(ops.map((op) => ({ ...op, key: op.key && bytesToHex(op.key) })))).toEqual(
          kernel.ops,
        );
        succeeded += ours.filter((answer) => answer.errno === 0).length;
        if (kernel.entries !== null) {
          const entries = [...map.entries()].map((e) => ({
            key: bytesToHex(e.key),
            value: bytesToHex(e.value),
          }));
          expect(entries).toEqual(kernel.entries);
        } else {
          expect(kernel.notIterable).toBe(`lookup: EOPNOTSUPP`);
        }
      }
      // Enough commands must get past the argument checks to exercise the stored entries.
      expect(succeeded).toBeGreaterThan(attrs.type === 'xskmap' ? 5 : 20);
      expect(ERRNO.EOPNOTSUPP).toBe(95);
    });
  }
});
