import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import type { XskMap } from './xskmap-map.js';

describe('xskmap', () => {
  it('keeps opaque socket handles user space cannot read back; programs see a bpf_xdp_sock', () => {
    const memory = new VmMemory();
    const map = createMap(memory, { type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 2 }) as XskMap;
    expect(map.update(u32Bytes(0), u32Bytes(77), 2)).toBe(-ERRNO.ENOENT);
    expect(map.update(u32Bytes(0), u32Bytes(77))).toBe(0);
    expect(map.update(u32Bytes(0), u32Bytes(77), 1)).toBe(0);
    expect(map.update(u32Bytes(0), u32Bytes(78), 1)).toBe(-ERRNO.EEXIST);
    expect(map.update(u32Bytes(2), u32Bytes(78))).toBe(-ERRNO.E2BIG);
    expect(map.socketAt(0)).toBe(77);
    expect(map.lookupValue(u32Bytes(0))).toBe(-ERRNO.EOPNOTSUPP);
    expect(memory.readU32(map.lookup(u32Bytes(0))!)).toBe(0);
    expect(map.lookup(u32Bytes(1))).toBeUndefined();
    expect(map.getNextKey()).toEqual(u32Bytes(0));
    expect(map.delete(u32Bytes(0))).toBe(0);
    expect(map.socketAt(0)).toBeUndefined();
    expect(map.delete(u32Bytes(2))).toBe(-ERRNO.EINVAL);
  });
});
