import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { TestRunSocket } from '../context/test-run-socket.js';
import { fakeRun, signed } from '../helpers/test-support.js';
import { Vm } from '../vm.js';
import { MapError } from './map-error.js';
import type { SkStorageMap } from './sk-storage-map.js';

const storage = (vm: Vm) =>
  vm.maps.create({ type: 'sk_storage', keySize: 4, valueSize: 8, maxEntries: 0, flags: 1 }) as SkStorageMap;

describe('sk_storage', () => {
  it('is created with BPF_F_NO_PREALLOC, max_entries 0 and an int key only', () => {
    const vm = new Vm();
    for (const attrs of [
      { keySize: 4, valueSize: 8, maxEntries: 0, flags: 0 },
      { keySize: 4, valueSize: 8, maxEntries: 1, flags: 1 },
      { keySize: 8, valueSize: 8, maxEntries: 0, flags: 1 },
      { keySize: 4, valueSize: 0, maxEntries: 0, flags: 1 },
    ]) {
      expect(() => vm.maps.create({ type: 'sk_storage', ...attrs })).toThrow(MapError);
    }
    expect(() =>
      vm.maps.create({ type: 'sk_storage', keySize: 4, valueSize: 65408, maxEntries: 0, flags: 1 }),
    ).toThrow(/too large/);
    const map = storage(vm);
    expect(map.lookupValue(Uint8Array.of(3, 0, 0, 0))).toBe(-ERRNO.EBADF);
    expect(map.getNextKey()).toBe(-ERRNO.ENOTSUPP);
  });

  it('bpf_sk_storage_get/delete keep one value per socket', () => {
    const vm = new Vm();
    const map = storage(vm);
    const f = fakeRun({ vm, type: 'sched_cls' });
    const socket = new TestRunSocket(vm.memory, new Uint8Array(64));
    expect(f.call('sk_storage_get', map.address, socket.address, 0, 0)).toBe(0n);
    const initial = f.put(Uint8Array.of(7, 0, 0, 0, 0, 0, 0, 0));
    const value = Number(f.call('sk_storage_get', map.address, socket.address, initial, 1));
    expect(vm.memory.readU8(value)).toBe(7);
    expect(Number(f.call('sk_storage_get', map.address, socket.address, 0, 1))).toBe(value);
    expect(f.call('sk_storage_get', map.address, socket.address, 0, 2)).toBe(0n);
    expect(f.call('sk_storage_get', map.address, 0, 0, 1)).toBe(0n);
    expect(map.size).toBe(1);
    expect(f.call('sk_storage_delete', map.address, socket.address)).toBe(0n);
    expect(signed(f.call('sk_storage_delete', map.address, socket.address))).toBe(-ERRNO.ENOENT);
    expect(signed(f.call('sk_storage_delete', map.address, 0))).toBe(-ERRNO.EINVAL);
    f.call('sk_storage_get', map.address, socket.address, 0, 1);
    map.dropSocket(socket.address);
    expect(map.size).toBe(0);
  });

  it("the test-run socket follows the packet's family and addresses", () => {
    const vm = new Vm();
    const frame = new Uint8Array(34);
    frame.set([0x08, 0x00], 12);
    frame.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
    const socket = new TestRunSocket(vm.memory, frame);
    expect(vm.memory.readU32(socket.address + 4)).toBe(2);
    expect([...vm.memory.read(socket.address + 24, 4)]).toEqual([10, 0, 0, 1]);
    expect(vm.memory.readU32(socket.address + 72)).toBe(7);
    expect(vm.memory.readU32(socket.address + 76)).toBe(0xffff_ffff);
    socket.release();
  });
});
