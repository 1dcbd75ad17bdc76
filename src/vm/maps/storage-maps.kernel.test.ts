// Differential test of cgroup storage maps from user space: creation rules and the answers of user-space commands
// (no storage is ever linked outside an attached cgroup) equal the kernel's.
import { expect } from 'vitest';
import { bytesToHex, type OracleMapOp } from '../../../test/oracle/oracle.js';
import { requireOracle } from '../../../test/oracle/require-oracle.js';
import { VmMemory } from '../memory.js';
import { createMap } from './create-map.js';
import { MapError } from './map-error.js';

const oracle = requireOracle();

type StorageType = 'cgroup_storage' | 'percpu_cgroup_storage';

oracle.describe('cgroup storage maps equal the kernel', () => {
  oracle.it('creation and user-space commands', () => {
    const shapes: {
      type: StorageType;
      keySize: number;
      valueSize: number;
      maxEntries: number;
      flags: number;
    }[] = [];
    for (const type of ['cgroup_storage', 'percpu_cgroup_storage'] as const) {
      for (const [keySize, valueSize, maxEntries, flags] of [
        [16, 8, 0, 0],
        [8, 8, 0, 0],
        [12, 8, 0, 0],
        [8, 8, 1, 0],
        [8, 0, 0, 0],
        [8, 32768, 0, 0],
        [8, 32769, 0, 0],
        [8, 65407, 0, 0],
        [8, 65408, 0, 0],
        [8, 8, 0, 1],
        [8, 8, 0, 4],
        [8, 8, 0, 8],
        [8, 8, 0, 128],
        [8, 8, 0, 384],
      ]) {
        shapes.push({ type, keySize, valueSize, maxEntries, flags });
      }
    }
    let created = 0;
    for (const shape of shapes) {
      const key = new Uint8Array(shape.keySize);
      const value = new Uint8Array(shape.valueSize);
      // Per-CPU values and large ones are left out of the commands: the creation is what they test.
      const usable: OracleMapOp[] =
        shape.type === 'percpu_cgroup_storage' || shape.valueSize > 64
          ? []
          : [
              { op: 'lookup', key },
              { op: 'next' },
              { op: 'update', key, value },
              { op: 'update', key, value, flags: 1 },
              { op: 'delete', key },
            ];
      const kernel = oracle.runMapOps(shape, usable);
      let map: ReturnType<typeof createMap> | undefined;
      let errno = 0;
      try {
        map = createMap(new VmMemory(), shape, { cpus: 1 });
      } catch (error) {
        if (!(error instanceof MapError)) throw error;
        errno = error.errno;
      }
      expect(errno, JSON.stringify(shape)).toBe(kernel.create);
      if (map === undefined) continue;
      created++;
      expect(map.flags, JSON.stringify(shape)).toBe(kernel.mapFlags);
      const ours = usable.map((op) => {
        const answer =
          op.op === 'lookup'
            ? map.lookupValue(op.key)
            : op.op === 'next'
              ? map.getNextKey(op.key)
              : op.op === 'update'
                ? map.update(op.key, op.value, op.flags ?? 0)
                : map.delete(op.key);
        return typeof answer === 'number'
          ? { errno: answer === 0 ? 0 : -answer, value: null }
          : { errno: 0, value: bytesToHex(answer) };
      });
      expect(ours, JSON.stringify(shape)).toEqual(kernel.ops);
    }
    expect(created).toBeGreaterThan(8);
  });
});
