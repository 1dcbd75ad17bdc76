// Array and per-CPU array semantics: indexes, update flags, errors, iteration, per-CPU value layout.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_ANY, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import type { ArrayMap } from './array-map.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';

const newArray = (type: 'array' | 'percpu_array', valueSize: number, maxEntries: number, cpus = 1) => {
  const memory = new VmMemory();
  const map = createMap(memory, { type, keySize: 4, valueSize, maxEntries }, { cpus }) as ArrayMap;
  return { memory, map };
};

describe('array map', () => {
  it('starts zeroed, stores values, and keeps each element at one address', () => {
    const { memory, map } = newArray('array', 4, 3);
    expect(map.lookupValue(u32Bytes(2))).toEqual(new Uint8Array(4));
    const address = map.lookup(u32Bytes(1))!;
    expect(map.update(u32Bytes(1), Uint8Array.of(1, 2, 3, 4), BPF_ANY)).toBe(0);
    expect(memory.read(address, 4)).toEqual(Uint8Array.of(1, 2, 3, 4));
    // A program's write through the pointer is what user space reads.
    memory.writeU32(address, 0xaabbccdd);
    expect(map.lookupValue(u32Bytes(1))).toEqual(Uint8Array.of(0xdd, 0xcc, 0xbb, 0xaa));
    expect(map.lookup(u32Bytes(1))).toBe(address);
    // Elements are 8-byte aligned and value_size rounded up to 8 apart.
    expect(map.lookup(u32Bytes(2))! - map.lookup(u32Bytes(1))!).toBe(8);
    expect(address % 8).toBe(0);
  });

  it('answers update flags and bad indexes as the kernel', () => {
    const { map } = newArray('array', 4, 3);
    const value = Uint8Array.of(1, 0, 0, 0);
    expect(map.update(u32Bytes(0), value, BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(0), value, BPF_EXIST)).toBe(0);
    expect(map.update(u32Bytes(0), value, 3)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(0), value, BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(3), value, BPF_ANY)).toBe(-ERRNO.E2BIG);
    expect(map.lookupValue(u32Bytes(3))).toBe(-ERRNO.ENOENT);
    expect(map.lookup(u32Bytes(3))).toBeUndefined();
    expect(map.delete(u32Bytes(0))).toBe(-ERRNO.EINVAL);
    expect(map.lookupAndDelete(u32Bytes(0))).toBe(-ERRNO.ENOTSUPP);
    expect(map.update(u32Bytes(0), new Uint8Array(2))).toBe(-ERRNO.EFAULT);
    expect(map.lookupValue(new Uint8Array(2))).toBe(-ERRNO.EFAULT);
  });

  it('walks keys 0..max-1: undefined or out of range gives 0, the last gives ENOENT', () => {
    const { map } = newArray('array', 4, 3);
    expect(map.getNextKey()).toEqual(u32Bytes(0));
    expect(map.getNextKey(u32Bytes(1))).toEqual(u32Bytes(2));
    expect(map.getNextKey(u32Bytes(2))).toBe(-ERRNO.ENOENT);
    expect(map.getNextKey(u32Bytes(7))).toEqual(u32Bytes(0));
    expect([...map.entries()].map((entry) => entry.key[0])).toEqual([0, 1, 2]);
  });

  it('lets programs update and writes value_size bytes only', () => {
    const { memory, map } = newArray('array', 3, 2);
    const address = map.lookup(u32Bytes(0))!;
    memory.fill(address, 8, 0xee);
    expect(map.updateFromProgram(u32Bytes(0), Uint8Array.of(1, 2, 3, 4), BPF_ANY)).toBe(0);
    expect(memory.read(address, 4)).toEqual(Uint8Array.of(1, 2, 3, 0xee));
    expect(map.deleteFromProgram(u32Bytes(0))).toBe(-ERRNO.EINVAL);
  });
});

describe('percpu_array map', () => {
  it('gives each CPU its own value and user space all of them, each rounded up to 8', () => {
    const { memory, map } = newArray('percpu_array', 4, 2, 3);
    expect(map.userValueSize).toBe(24);
    const cpu0 = map.lookup(u32Bytes(1), 0)!;
    const cpu2 = map.lookup(u32Bytes(1), 2)!;
    expect(cpu2 - cpu0).toBe(16);
    memory.writeU32(cpu2, 7);
    expect(map.updateFromProgram(u32Bytes(1), u32Bytes(5), BPF_ANY, 0)).toBe(0);
    const all = map.lookupValue(u32Bytes(1)) as Uint8Array;
    expect([...all]).toEqual([5, 0, 0, 0, 0, 0, 0, 0, ...new Array(8).fill(0), 7, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('copies the whole rounded slot from user space, padding included, as the kernel does', () => {
    const { map } = newArray('percpu_array', 4, 1, 2);
    const value = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    expect(map.update(u32Bytes(0), value)).toBe(0);
    expect(map.lookupValue(u32Bytes(0))).toEqual(value);
    expect(map.update(u32Bytes(0), value, BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(0), value, BPF_F_LOCK)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(0), new Uint8Array(8))).toBe(-ERRNO.EFAULT);
  });

  it('rejects a CPU outside the map', () => {
    const { map } = newArray('percpu_array', 4, 1, 2);
    expect(() => map.lookup(u32Bytes(0), 2)).toThrowError(/cpu 2 out of range/);
  });
});
