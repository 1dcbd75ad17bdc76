// BPF_MAP_TYPE_CGROUP_ARRAY: cgroups by index, for bpf_skb_under_cgroup. User space stores cgroup handles (the
// kernel takes fds of cgroup2 directories; tsbpf's name cgroup ids, Bpf.cgroupOpen); the slot keeps the cgroup.
import type { VmMemory } from '../memory.js';
import type { MapSpec } from './bpf-map.js';
import { FdArrayMap } from './fd-array-map.js';
import { fail } from './map-error.js';
import { readU32 } from './bpf-map.js';

export class CgroupArrayMap extends FdArrayMap {
  /** The cgroup id each occupied slot holds (the kernel holds the cgroup, whatever happens to the fd). */
  private readonly cgroups = new Map<number, bigint>();

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly resolveCgroup: ((handle: number) => bigint | undefined) | undefined,
  ) {
    super(memory, spec);
  }

  /** The cgroup id at `index`, or undefined for an empty slot. */
  cgroupAt(index: number): bigint | undefined {
    return this.cgroups.get(index);
  }

  /** Kernel cgroup_fd_array_get_ptr: an fd that is no cgroup2 directory is -EBADF. */
  protected checkHandle(handle: number): number {
    return this.resolveCgroup?.(handle) === undefined ? fail('EBADF') : 0;
  }

  /** Kernel: cgroup_array has no map_fd_sys_lookup_elem, so user-space lookup is -ENOTSUPP. */
  protected override lookupElement(): number {
    return fail('ENOTSUPP');
  }

  protected override updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const status = super.updateElement(key, value, flags);
    if (status === 0) this.cgroups.set(readU32(key), this.resolveCgroup!(readU32(value))!);
    return status;
  }

  protected override deleteElement(key: Uint8Array): number {
    const status = super.deleteElement(key);
    if (status === 0) this.cgroups.delete(readU32(key));
    return status;
  }

  protected override releaseStorage(): void {
    super.releaseStorage();
    this.cgroups.clear();
  }
}
