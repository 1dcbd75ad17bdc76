// Queue and stack maps: FIFO/LIFO order, BPF_EXIST overwriting the oldest, and the kernel's errors.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';

const newMap = (type: 'queue' | 'stack', maxEntries: number) =>
  createMap(new VmMemory(), { type, keySize: 0, valueSize: 4, maxEntries });

describe('queue map', () => {
  it('pops in FIFO order and overwrites the oldest with BPF_EXIST when full', () => {
    const queue = newMap('queue', 2);
    expect(queue.update(undefined, u32Bytes(1))).toBe(0);
    expect(queue.push(u32Bytes(2), BPF_ANY)).toBe(0);
    expect(queue.update(undefined, u32Bytes(3))).toBe(-ERRNO.E2BIG);
    expect(queue.update(undefined, u32Bytes(3), BPF_NOEXIST)).toBe(-ERRNO.EINVAL);
    expect(queue.update(undefined, u32Bytes(3), 8)).toBe(-ERRNO.EINVAL);
    expect(queue.update(undefined, u32Bytes(3), BPF_EXIST)).toBe(0);
    expect([...queue.entries()].map((entry) => entry.value[0])).toEqual([2, 3]);
    expect(queue.lookupValue()).toEqual(u32Bytes(2));
    expect(queue.peek()).toEqual(u32Bytes(2));
    expect(queue.lookupAndDelete()).toEqual(u32Bytes(2));
    expect(queue.pop()).toEqual(u32Bytes(3));
    expect(queue.pop()).toBe(-ERRNO.ENOENT);
    expect(queue.lookupValue()).toBe(-ERRNO.ENOENT);
  });

  it('wraps around its ring many times', () => {
    const queue = newMap('queue', 3);
    for (let i = 0; i < 50; i++) {
      expect(queue.push(u32Bytes(i), BPF_ANY)).toBe(0);
      if (i % 2 === 1) {
        expect(queue.pop()).toEqual(u32Bytes(i - 1));
        expect(queue.pop()).toEqual(u32Bytes(i));
      }
    }
  });

  it('has no keys: delete and get_next_key are EINVAL, a key is EINVAL', () => {
    const queue = newMap('queue', 2);
    expect(queue.delete()).toBe(-ERRNO.EINVAL);
    expect(queue.getNextKey()).toBe(-ERRNO.EINVAL);
    expect(queue.lookupValue(u32Bytes(0))).toBe(-ERRNO.EINVAL);
    expect(queue.lookup(new Uint8Array(0))).toBeUndefined();
  });
});

describe('stack map', () => {
  it('pops in LIFO order and drops the oldest with BPF_EXIST when full', () => {
    const stack = newMap('stack', 2);
    stack.push(u32Bytes(1), BPF_ANY);
    stack.push(u32Bytes(2), BPF_ANY);
    expect(stack.push(u32Bytes(3), BPF_ANY)).toBe(-ERRNO.E2BIG);
    expect(stack.push(u32Bytes(3), BPF_EXIST)).toBe(0);
    expect([...stack.entries()].map((entry) => entry.value[0])).toEqual([3, 2]);
    expect(stack.pop()).toEqual(u32Bytes(3));
    expect(stack.pop()).toEqual(u32Bytes(2));
    expect(stack.pop()).toBe(-ERRNO.ENOENT);
  });
});
