import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import { MapError } from './map-error.js';

const words = (...values: number[]) => {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((value, i) => {
    new DataView(bytes.buffer).setUint32(i * 4, value >>> 0, true);
  });
  return bytes;
};

describe('cpumap', () => {
  it('holds a queue size per possible CPU; qsize 0 deletes', () => {
    const map = createMap(
      new VmMemory(),
      { type: 'cpumap', keySize: 4, valueSize: 8, maxEntries: 4 },
      { cpus: 2 },
    );
    expect(map.update(u32Bytes(1), words(256, 0))).toBe(0);
    expect(map.lookupValue(u32Bytes(1))).toEqual(words(256, 0));
    expect(map.update(u32Bytes(2), words(256, 0))).toBe(-ERRNO.ENODEV);
    expect(map.update(u32Bytes(4), words(256, 0))).toBe(-ERRNO.E2BIG);
    expect(map.update(u32Bytes(0), words(16385, 0))).toBe(-ERRNO.EOVERFLOW);
    expect(map.update(u32Bytes(0), words(1, 0), 1)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(0), words(1, 0), 3)).toBe(-ERRNO.EINVAL);
    // A program fd that is no cpumap program: the kernel's entry allocation fails (-ENOMEM).
    expect(map.update(u32Bytes(0), words(1, 5))).toBe(-ERRNO.ENOMEM);
    expect(map.update(u32Bytes(1), words(0, 0))).toBe(0);
    expect(map.lookupValue(u32Bytes(1))).toBe(-ERRNO.ENOENT);
    expect(map.delete(u32Bytes(3))).toBe(0);
    expect(map.delete(u32Bytes(4))).toBe(-ERRNO.EINVAL);
  });

  it('refuses more entries than NR_CPUS and flags other than BPF_F_NUMA_NODE', () => {
    const create =
      (maxEntries: number, flags = 0) =>
      () =>
        createMap(new VmMemory(), { type: 'cpumap', keySize: 4, valueSize: 4, maxEntries, flags });
    expect(create(8193)).toThrow(MapError);
    expect(create(8193)).toThrow(/NR_CPUS/);
    expect(create(4, 1 << 3)).toThrow(/cpumap needs/);
  });
});
