// prog_array, array_of_maps, hash_of_maps and the registry's handles; expectations measured on Linux 6.18.
import { kernelMemberOffset } from '../../abi/kernel-structs.js';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_ANY, BPF_EXIST, BPF_F_INNER_MAP, BPF_F_NO_PREALLOC, BPF_NOEXIST } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import type { ArrayOfMapsMap, ProgArrayMap } from './fd-array-map.js';
import type { HashOfMapsMap } from './hash-of-maps-map.js';
import { MapError } from './map-error.js';
import { MapRegistry } from './registry.js';

const createErrno = (action: () => unknown): string | 0 => {
  try {
    action();
    return 0;
  } catch (error) {
    if (error instanceof MapError) return error.code;
    throw error;
  }
};

describe('prog_array map', () => {
  it('stores program handles with BPF_ANY only and reports empty slots', () => {
    const memory = new VmMemory();
    const known = new Set([7]);
    const map = createMap(
      memory,
      { type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 2 },
      { checkProgram: (handle) => (known.has(handle) ? 0 : -ERRNO.EBADF) },
    ) as ProgArrayMap;
    expect(map.lookupValue(u32Bytes(0))).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(0), u32Bytes(1000))).toBe(-ERRNO.EBADF);
    expect(map.update(u32Bytes(0), u32Bytes(1000), BPF_NOEXIST)).toBe(-ERRNO.EINVAL);
    expect(map.update(u32Bytes(9), u32Bytes(1000))).toBe(-ERRNO.E2BIG);
    expect(map.delete(u32Bytes(0))).toBe(-ERRNO.ENOENT);
    expect(map.delete(u32Bytes(9))).toBe(-ERRNO.E2BIG);
    expect(map.update(u32Bytes(1), u32Bytes(7))).toBe(0);
    expect(map.programAt(1)).toBe(7);
    expect(map.programAt(0)).toBeUndefined();
    expect(map.lookupValue(u32Bytes(1))).toEqual(u32Bytes(7));
    expect(map.getNextKey()).toEqual(u32Bytes(0));
    expect(map.getNextKey(u32Bytes(1))).toBe(-ERRNO.ENOENT);
    expect([...map.entries()]).toEqual([{ key: u32Bytes(1), value: u32Bytes(7) }]);
    // Programs only tail-call through it.
    expect(map.lookup(u32Bytes(1))).toBeUndefined();
    expect(map.updateFromProgram(u32Bytes(1), u32Bytes(7), BPF_ANY)).toBe(-ERRNO.EOPNOTSUPP);
    expect(map.delete(u32Bytes(1))).toBe(0);
    expect(map.programAt(1)).toBeUndefined();
  });
});

describe('array_of_maps', () => {
  it('needs an inner map of an allowed type', () => {
    const registry = new MapRegistry(new VmMemory());
    const outer = { type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 2 } as const;
    expect(createErrno(() => registry.create(outer))).toBe('EBADF');
    const progArray = registry.create({ type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 2 });
    expect(createErrno(() => registry.create({ ...outer, type: 'hash_of_maps', innerMap: progArray }))).toBe(
      'ENOTSUPP',
    );
    const inner = registry.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4 });
    const mapOfMaps = registry.create({ ...outer, innerMap: inner });
    expect(createErrno(() => registry.create({ ...outer, innerMap: mapOfMaps }))).toBe('EINVAL');
    const ringbuf = registry.create({ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 });
    expect(createErrno(() => registry.create({ ...outer, type: 'hash_of_maps', innerMap: ringbuf }))).toBe(0);
  });

  it('accepts only inner maps shaped like the template, with BPF_ANY', () => {
    const registry = new MapRegistry(new VmMemory());
    const inner = registry.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4 });
    const outer = registry.create({
      type: 'array_of_maps',
      keySize: 4,
      valueSize: 4,
      maxEntries: 2,
      innerMap: inner,
    }) as ArrayOfMapsMap;
    const otherSize = registry.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 5 });
    const otherType = registry.create({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4 });
    expect(outer.update(u32Bytes(0), u32Bytes(otherSize.id))).toBe(-ERRNO.EINVAL);
    expect(outer.update(u32Bytes(0), u32Bytes(otherType.id))).toBe(-ERRNO.EINVAL);
    expect(outer.update(u32Bytes(0), u32Bytes(999))).toBe(-ERRNO.EBADF);
    expect(outer.update(u32Bytes(0), u32Bytes(inner.id), BPF_NOEXIST)).toBe(-ERRNO.EINVAL);
    expect(outer.update(u32Bytes(0), u32Bytes(inner.id), BPF_EXIST)).toBe(-ERRNO.EINVAL);
    expect(outer.update(u32Bytes(0), u32Bytes(inner.id), BPF_ANY)).toBe(0);
    expect(outer.update(u32Bytes(5), u32Bytes(inner.id), BPF_ANY)).toBe(-ERRNO.E2BIG);
    // User space reads the inner map id; a program gets the inner map itself (its address).
    expect(outer.lookupValue(u32Bytes(0))).toEqual(u32Bytes(inner.id));
    expect(outer.lookupValue(u32Bytes(1))).toBe(-ERRNO.ENOENT);
    expect(outer.lookup(u32Bytes(0))).toBe(inner.address);
    expect(registry.atAddress(outer.lookup(u32Bytes(0))!)).toBe(inner);
    expect(outer.lookup(u32Bytes(1))).toBeUndefined();
    expect(outer.innerMapAt(0)).toBe(inner);
    expect(outer.delete(u32Bytes(1))).toBe(-ERRNO.ENOENT);
    expect(outer.delete(u32Bytes(0))).toBe(0);
    expect(outer.delete(u32Bytes(7))).toBe(-ERRNO.E2BIG);
  });

  it('compares max_entries only for plain arrays without BPF_F_INNER_MAP', () => {
    const registry = new MapRegistry(new VmMemory(), { cpus: 2 });
    const outerOf = (inner: ReturnType<MapRegistry['create']>) =>
      registry.create({ type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1, innerMap: inner });
    const flexible = registry.create({
      type: 'array',
      keySize: 4,
      valueSize: 8,
      maxEntries: 4,
      flags: BPF_F_INNER_MAP,
    });
    const bigFlexible = registry.create({
      type: 'array',
      keySize: 4,
      valueSize: 8,
      maxEntries: 9,
      flags: BPF_F_INNER_MAP,
    });
    const bigPlain = registry.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 9 });
    expect(outerOf(flexible).update(u32Bytes(0), u32Bytes(bigFlexible.id))).toBe(0);
    expect(outerOf(flexible).update(u32Bytes(0), u32Bytes(bigPlain.id))).toBe(-ERRNO.EINVAL);
    const percpu = registry.create({ type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 });
    const bigPercpu = registry.create({ type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 5 });
    expect(outerOf(percpu).update(u32Bytes(0), u32Bytes(bigPercpu.id))).toBe(0);
    const hash = registry.create({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4 });
    const bigHash = registry.create({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 9 });
    const otherFlags = registry.create({
      type: 'hash',
      keySize: 4,
      valueSize: 8,
      maxEntries: 4,
      flags: BPF_F_NO_PREALLOC,
    });
    expect(outerOf(hash).update(u32Bytes(0), u32Bytes(bigHash.id))).toBe(0);
    expect(outerOf(hash).update(u32Bytes(0), u32Bytes(otherFlags.id))).toBe(-ERRNO.EINVAL);
  });
});

describe('hash_of_maps', () => {
  it('has hash semantics for keys and resolves inner maps', () => {
    const registry = new MapRegistry(new VmMemory());
    const inner = registry.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4 });
    const outer = registry.create({
      type: 'hash_of_maps',
      keySize: 4,
      valueSize: 4,
      maxEntries: 1,
      innerMap: inner,
    }) as HashOfMapsMap;
    expect(outer.update(u32Bytes(0), u32Bytes(inner.id))).toBe(0);
    expect(outer.update(u32Bytes(1), u32Bytes(inner.id))).toBe(-ERRNO.E2BIG);
    expect(outer.update(u32Bytes(0), u32Bytes(inner.id), BPF_NOEXIST)).toBe(-ERRNO.EEXIST);
    expect(outer.update(u32Bytes(0), u32Bytes(12345))).toBe(-ERRNO.EBADF);
    expect(outer.lookupValue(u32Bytes(0))).toEqual(u32Bytes(inner.id));
    expect(outer.lookup(u32Bytes(0))).toBe(inner.address);
    expect(outer.innerMapFor(u32Bytes(0))).toBe(inner);
    expect(outer.lookup(u32Bytes(3))).toBeUndefined();
    // In place (what bpf_map_lookup_elem uses) it is the inner map too.
    const at = registry.memory.allocate(8);
    registry.memory.write(at, u32Bytes(0));
    expect(outer.lookupInPlace(registry.memory.bytes(), at, 0)).toBe(inner.address);
    registry.memory.write(at, u32Bytes(3));
    expect(outer.lookupInPlace(registry.memory.bytes(), at, 0)).toBeUndefined();
    expect(outer.lookupAndDelete(u32Bytes(0))).toBe(-ERRNO.ENOTSUPP);
    expect(outer.updateFromProgram(u32Bytes(0), u32Bytes(inner.id), BPF_ANY)).toBe(-ERRNO.EOPNOTSUPP);
    expect(outer.delete(u32Bytes(0))).toBe(0);
  });
});

describe('MapRegistry', () => {
  it('hands out ids from 1, finds maps by id and address, and releases their memory on close', () => {
    const memory = new VmMemory();
    const registry = new MapRegistry(memory);
    const first = registry.create({ type: 'hash', keySize: 4, valueSize: 4, maxEntries: 8 });
    const second = registry.create({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 8 });
    expect([first.id, second.id]).toEqual([1, 2]);
    // The map object is the map type's kernel struct: struct bpf_map's id, as programs read it.
    expect(memory.readU32(first.address + kernelMemberOffset('bpf_map', 'id')!)).toBe(1);
    expect(registry.get(2)).toBe(second);
    expect(registry.atAddress(second.address)).toBe(second);
    first.update(u32Bytes(1), u32Bytes(1));
    expect(registry.close(1)).toBe(true);
    expect(registry.close(1)).toBe(false);
    registry.close(2);
    expect(memory.stats().allocatedBlocks).toBe(0);
    expect([...registry]).toEqual([]);
  });
});
