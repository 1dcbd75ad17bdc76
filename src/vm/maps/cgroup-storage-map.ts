// BPF_MAP_TYPE_CGROUP_STORAGE and PERCPU_CGROUP_STORAGE: a value per (cgroup, attach type) a program reaches with
// bpf_get_local_storage (kernel: kernel/bpf/local_storage.c). tsbpf has no cgroups to attach to; what it has is the
// kernel's test-run case: every test run gets fresh zeroed storage, never linked to the map (user space sees none).
import { BPF_EXIST, BPF_F_LOCK } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec, roundUp8 } from './bpf-map.js';
import { fail } from './map-error.js';

export class CgroupStorageMap extends BaseMap {
  /** The test run whose storage is allocated now (its context object), and the storage. */
  private owner: object | undefined;
  private storage = 0;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
  }

  protected override isPercpu(): boolean {
    return this.typeName === 'percpu_cgroup_storage';
  }

  /**
   * bpf_get_local_storage: this CPU's value of the storage of the test run `owner` (kernel
   * bpf_cgroup_storages_alloc: allocated zeroed once per BPF_PROG_TEST_RUN, shared by its repetitions).
   */
  runStorage(owner: object, cpu: number): number {
    if (this.owner !== owner) {
      this.dropStorage();
      const copies = this.isPercpu() ? this.cpus : 1;
      this.storage = this.memory.allocate(Math.max(roundUp8(this.valueSize) * copies, 8), 8);
      this.memory.fill(this.storage, roundUp8(this.valueSize) * copies);
      this.owner = owner;
    }
    return this.storage + (this.isPercpu() ? cpu * roundUp8(this.valueSize) : 0);
  }

  private dropStorage(): void {
    if (this.owner === undefined) return;
    this.memory.retire(this.storage);
    this.owner = undefined;
    this.storage = 0;
  }

  /** Kernel: no storage is linked to the map outside an attached cgroup, so every key is missing. */
  protected lookupElement(): MapResult {
    return fail('ENOENT');
  }

  /** Kernel cgroup_storage_update_elem: flags first, then the (missing) storage. */
  protected updateElement(_key: Uint8Array, _value: Uint8Array, flags: number): number {
    if (flags & ~(BPF_EXIST | BPF_F_LOCK)) return fail('EINVAL');
    return fail('ENOENT');
  }

  protected deleteElement(): number {
    return fail('EINVAL');
  }

  protected nextKey(): MapResult {
    return fail('ENOENT');
  }

  override *entries(): IterableIterator<MapEntry> {}

  protected releaseStorage(): void {
    this.dropStorage();
  }
}
