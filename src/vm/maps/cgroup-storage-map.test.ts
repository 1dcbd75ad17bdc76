import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { fakeRun } from '../helpers/test-support.js';
import { Vm } from '../vm.js';
import type { CgroupStorageMap } from './cgroup-storage-map.js';

describe('cgroup storage', () => {
  it("gives each test run fresh zeroed storage, shared by that run's calls, one value per CPU when per-CPU", () => {
    const vm = new Vm({ cpus: 2 });
    const shared = vm.maps.create({ type: 'cgroup_storage', keySize: 16, valueSize: 12, maxEntries: 0 });
    const percpu = vm.maps.create({ type: 'percpu_cgroup_storage', keySize: 8, valueSize: 4, maxEntries: 0 });
    const first = fakeRun({ vm, type: 'cgroup_skb' });
    const address = Number(first.call('get_local_storage', shared.address, 0));
    vm.memory.writeU32(address, 41);
    expect(Number(first.call('get_local_storage', shared.address, 0))).toBe(address);
    expect(vm.memory.readU32(address)).toBe(41);
    const second = fakeRun({ vm, type: 'cgroup_skb' });
    const fresh = Number(second.call('get_local_storage', shared.address, 0));
    expect(vm.memory.readU32(fresh)).toBe(0);
    const owner = {};
    const storage = percpu as CgroupStorageMap;
    expect(storage.runStorage(owner, 1) - storage.runStorage(owner, 0)).toBe(8);
  });

  it('user space sees no storage: lookups and updates miss, deletes are refused', () => {
    const vm = new Vm();
    const map = vm.maps.create({
      type: 'cgroup_storage',
      keySize: 8,
      valueSize: 8,
      maxEntries: 0,
    }) as CgroupStorageMap;
    const key = new Uint8Array(8);
    expect(map.lookupValue(key)).toBe(-ERRNO.ENOENT);
    expect(map.update(key, new Uint8Array(8))).toBe(-ERRNO.ENOENT);
    expect(map.update(key, new Uint8Array(8), 1)).toBe(-ERRNO.EINVAL);
    expect(map.delete(key)).toBe(-ERRNO.EINVAL);
    expect(map.getNextKey()).toBe(-ERRNO.ENOENT);
  });
});
