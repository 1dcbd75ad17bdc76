import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { fakeRun, signed } from './test-support.js';

describe('bpf_loop', () => {
  it('calls back with the index and context, stops after a non-zero return, returns the calls made', () => {
    const f = fakeRun();
    const seen: bigint[][] = [];
    f.onCallback((pointer, args) => {
      seen.push([pointer, ...args.slice(0, 2)]);
      return args[0] === 2n ? 1n : 0n;
    });
    expect(f.call('loop', 10, 77, 0x1000, 0)).toBe(3n);
    expect(seen).toEqual([
      [77n, 0n, 0x1000n],
      [77n, 1n, 0x1000n],
      [77n, 2n, 0x1000n],
    ]);
    f.onCallback(() => 0n);
    expect(f.call('loop', 5, 77, 0, 0)).toBe(5n);
    expect(signed(f.call('loop', 1, 77, 0, 1))).toBe(-ERRNO.EINVAL);
    expect(signed(f.call('loop', (1 << 23) + 1, 77, 0, 0))).toBe(-ERRNO.E2BIG);
  });
});

describe('bpf_for_each_map_elem', () => {
  it('visits every array element with key and value pointers until the callback says stop', () => {
    const f = fakeRun();
    const map = f.vm.maps.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4 });
    const visits: [number, bigint][] = [];
    f.onCallback((_pointer, [mapAddress, key, value]) => {
      expect(mapAddress).toBe(BigInt(map.address));
      visits.push([f.vm.memory.readU32(Number(key)), f.vm.memory.readU64(Number(value))]);
      f.vm.memory.writeU64(Number(value), 5n);
      return visits.length === 3 ? 1n : 0n;
    });
    expect(f.call('for_each_map_elem', map.address, 1, 0, 0)).toBe(3n);
    expect(visits).toEqual([
      [0, 0n],
      [1, 0n],
      [2, 0n],
    ]);
    expect(map.lookupValue(Uint8Array.from([1, 0, 0, 0]))).toEqual(Uint8Array.from([5, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('walks hash maps even when the callback deletes what it visits', () => {
    const f = fakeRun();
    const map = f.vm.maps.create({ type: 'hash', keySize: 4, valueSize: 4, maxEntries: 8 });
    for (let k = 0; k < 5; k++) map.update(Uint8Array.from([k, 0, 0, 0]), Uint8Array.from([k, 0, 0, 0]));
    f.onCallback((_p, [, key]) => {
      map.deleteFromProgram(f.vm.memory.read(Number(key), 4));
      return 0n;
    });
    expect(f.call('for_each_map_elem', map.address, 1, 0, 0)).toBe(5n);
    expect([...map.entries()]).toEqual([]);
    expect(signed(f.call('for_each_map_elem', map.address, 1, 0, 2))).toBe(-ERRNO.EINVAL);
    const queue = f.vm.maps.create({ type: 'queue', keySize: 0, valueSize: 4, maxEntries: 2 });
    expect(() => f.call('for_each_map_elem', queue.address, 1, 0, 0)).toThrow(/cannot be iterated/);
  });
});
