// BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: preallocated, zeroed values indexed by a u32 key.
import { BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapResult, type MapSpec, readU32, roundUp8, u32Bytes } from './bpf-map.js';
import { fail } from './map-error.js';

/** Array indexes walk 0..max_entries-1 (kernel: array_map_get_next_key). */
export function arrayNextKey(key: Uint8Array | undefined, maxEntries: number): MapResult {
  const index = key === undefined ? maxEntries : readU32(key);
  if (index >= maxEntries) return u32Bytes(0);
  if (index === maxEntries - 1) return fail('ENOENT');
  return u32Bytes(index + 1);
}

/**
 * Values live contiguously in VmMemory at stable addresses, each element rounded up to 8 bytes as in the
 * kernel. A plain array also backs global data (.data/.rodata/.bss: one element).
 */
export class ArrayMap extends BaseMap {
  readonly elementSize: number;
  /** Address of element 0; element i (CPU c for per-CPU arrays) is at base + (i * cpus + c) * elementSize. */
  readonly base: number;
  private readonly percpu: boolean;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.percpu = spec.typeName === 'percpu_array';
    this.elementSize = roundUp8(spec.valueSize);
    const copies = this.percpu ? spec.cpus : 1;
    try {
      this.base = memory.allocate(spec.maxEntries * copies * this.elementSize);
    } catch (error) {
      memory.free(this.address);
      throw error;
    }
  }

  protected override isPercpu(): boolean {
    return this.typeName === 'percpu_array';
  }

  /** Address of an element's value for a CPU, or undefined when the index is out of range. */
  elementAddress(index: number, cpu = 0): number | undefined {
    if (index >= this.maxEntries) return undefined;
    const copies = this.percpu ? this.cpus : 1;
    return this.base + (index * copies + cpu) * this.elementSize;
  }

  override lookup(key: Uint8Array, cpu = 0): number | undefined {
    return this.lookupIndex(readU32(key), cpu);
  }

  lookupInPlace(bytes: Uint8Array, at: number, cpu: number): number | undefined {
    return this.lookupIndex(readU32(bytes, at), cpu);
  }

  /** lookup by the key's u32, for callers that read it straight from memory instead of copying the key. */
  lookupIndex(index: number, cpu = 0): number | undefined {
    this.checkCpu(cpu);
    return this.elementAddress(index, this.percpu ? cpu : 0);
  }

  override updateFromProgram(key: Uint8Array, value: Uint8Array, flags: number, cpu = 0): number {
    this.checkCpu(cpu);
    return this.store(key, value, flags, this.percpu ? cpu : 0, false);
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const address = this.elementAddress(readU32(key));
    if (address === undefined) return fail('ENOENT');
    // Kernel: per-CPU copies go out whole (value rounded up to 8) for every CPU; plain values as value_size.
    return this.memory.read(address, this.userValueSize);
  }

  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number, fromUser = false): number {
    return this.store(key, value, flags, 0, fromUser);
  }

  private store(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, fromUser: boolean): number {
    // Kernel: bpf_percpu_array_update rejects every flag above BPF_EXIST, BPF_F_LOCK included.
    const allowedLock = this.percpu && fromUser ? 0 : BPF_F_LOCK;
    if ((flags & ~allowedLock) > BPF_EXIST) return fail('EINVAL');
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('E2BIG');
    if (flags & BPF_NOEXIST) return fail('EEXIST');
    if (flags & BPF_F_LOCK) return fail('EINVAL');
    const address = this.elementAddress(index, cpu)!;
    if (this.percpu && fromUser) this.memory.write(address, value.subarray(0, this.userValueSize));
    else this.memory.write(address, value.subarray(0, this.valueSize));
    return 0;
  }

  protected deleteElement(_key: Uint8Array): number {
    return fail('EINVAL');
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    return arrayNextKey(key, this.maxEntries);
  }

  protected releaseStorage(): void {
    this.memory.free(this.base);
  }
}
