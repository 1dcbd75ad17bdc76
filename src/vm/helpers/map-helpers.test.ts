import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { fakeRun, signed } from './test-support.js';

const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

describe('map helpers', () => {
  it('lookup returns the value address that update wrote, NULL for a missing key', () => {
    const f = fakeRun();
    const map = f.vm.maps.create({ type: 'hash', keySize: 4, valueSize: 4, maxEntries: 2 });
    const key = f.put(u32(7));
    expect(f.call('map_lookup_elem', map.address, key)).toBe(0n);
    expect(f.call('map_update_elem', map.address, key, f.put(u32(99)), 0)).toBe(0n);
    const address = Number(f.call('map_lookup_elem', map.address, key));
    expect(f.vm.memory.readU32(address)).toBe(99);
    // BPF_NOEXIST on an existing key, then a full map.
    expect(signed(f.call('map_update_elem', map.address, key, f.put(u32(1)), 1))).toBe(-ERRNO.EEXIST);
    f.call('map_update_elem', map.address, f.put(u32(8)), f.put(u32(1)), 0);
    expect(signed(f.call('map_update_elem', map.address, f.put(u32(9)), f.put(u32(1)), 0))).toBe(
      -ERRNO.E2BIG,
    );
    expect(f.call('map_delete_elem', map.address, key)).toBe(0n);
    expect(signed(f.call('map_delete_elem', map.address, key))).toBe(-ERRNO.ENOENT);
    // Flags beyond 32 bits are unknown flags.
    expect(signed(f.call('map_update_elem', map.address, key, f.put(u32(1)), 1n << 40n))).toBe(-ERRNO.EINVAL);
  });

  it('per-CPU lookups give the running CPU its own value', () => {
    const vm = fakeRun({ cpus: 2 }).vm;
    const map = vm.maps.create({ type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 });
    const cpu0 = fakeRun({ vm, cpu: 0 });
    const cpu1 = fakeRun({ vm, cpu: 1 });
    const key = cpu0.put(u32(0));
    expect(cpu0.call('map_lookup_elem', map.address, key)).not.toBe(
      cpu1.call('map_lookup_elem', map.address, key),
    );
  });

  it('push/pop/peek follow queue order, and an empty pop zeroes the buffer with -ENOENT', () => {
    const f = fakeRun();
    const queue = f.vm.maps.create({ type: 'queue', keySize: 0, valueSize: 4, maxEntries: 2 });
    for (const value of [1, 2]) expect(f.call('map_push_elem', queue.address, f.put(u32(value)), 0)).toBe(0n);
    expect(signed(f.call('map_push_elem', queue.address, f.put(u32(3)), 0))).toBe(-ERRNO.E2BIG);
    const out = f.put(u32(0xdeadbeef));
    expect(f.call('map_peek_elem', queue.address, out)).toBe(0n);
    expect(f.vm.memory.readU32(out)).toBe(1);
    f.call('map_pop_elem', queue.address, out);
    f.call('map_pop_elem', queue.address, out);
    expect(f.vm.memory.readU32(out)).toBe(2);
    f.vm.memory.writeU32(out, 0xdeadbeef);
    expect(signed(f.call('map_pop_elem', queue.address, out))).toBe(-ERRNO.ENOENT);
    expect(f.vm.memory.readU32(out)).toBe(0);
  });

  it('a value that is no map pointer is a RuntimeFault naming the helper', () => {
    const f = fakeRun();
    expect(() => f.call('map_lookup_elem', 12345, 0)).toThrow(/bpf_map_lookup_elem: R1 is not a map pointer/);
    const map = f.vm.maps.create({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(() => f.call('map_lookup_elem', map.address, 8)).toThrow(/R2 is not a pointer/);
  });
});
