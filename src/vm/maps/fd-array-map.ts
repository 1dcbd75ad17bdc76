// Arrays whose values are handles of other objects: PROG_ARRAY, ARRAY_OF_MAPS, PERF_EVENT_ARRAY.
import { BPF_ANY } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { arrayNextKey } from './array-map.js';
import { BaseMap, type BpfMap, type MapResult, type MapSpec, readU32, u32Bytes } from './bpf-map.js';
import { type InnerMapTemplate, innerMapMatches } from './inner-map.js';
import { fail } from './map-error.js';

/**
 * Values are u32 handles (where the kernel takes an fd). The runtime owns what handles mean; a check hook
 * stands for the kernel's fd resolution (-EBADF for no such object, -EINVAL for the wrong kind).
 */
export abstract class FdArrayMap extends BaseMap {
  protected readonly slots = new Map<number, number>();

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
  }

  /** The handle stored at an index, or undefined when the slot is empty. */
  handleAt(index: number): number | undefined {
    return this.slots.get(index);
  }

  /** 0 when `handle` names a suitable object, else -errno. */
  protected abstract checkHandle(handle: number): number;

  /** Kernel: programs may only look up (array_of_maps) or use the map through type-specific helpers. */
  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu = 0): number {
    return fail('EOPNOTSUPP');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EOPNOTSUPP');
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const handle = this.slots.get(readU32(key));
    return handle === undefined ? fail('ENOENT') : u32Bytes(handle);
  }

  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    // Kernel: bpf_fd_array_map_update_elem takes only BPF_ANY, checks the index, then resolves the fd.
    if (flags !== BPF_ANY) return fail('EINVAL');
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('E2BIG');
    const handle = readU32(value);
    const status = this.checkHandle(handle);
    if (status !== 0) return status;
    this.slots.set(index, handle);
    return 0;
  }

  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('E2BIG');
    return this.slots.delete(index) ? 0 : fail('ENOENT');
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    return arrayNextKey(key, this.maxEntries);
  }

  /** Only occupied slots (the walk over every index would be max_entries long for nothing). */
  override *entries(): IterableIterator<{ key: Uint8Array; value: Uint8Array }> {
    const indexes = [...this.slots.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const value = this.lookupElement(u32Bytes(index));
      if (typeof value !== 'number') yield { key: u32Bytes(index), value };
    }
  }

  protected releaseStorage(): void {
    this.slots.clear();
  }
}

/** BPF_MAP_TYPE_PROG_ARRAY: program handles for bpf_tail_call; user-space lookup returns the handle. */
export class ProgArrayMap extends FdArrayMap {
  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly checkProgram: ((handle: number) => number) | undefined,
  ) {
    super(memory, spec);
  }

  /** The program a tail call through `index` jumps to, or undefined (the tail call falls through). */
  programAt(index: number): number | undefined {
    return this.slots.get(index);
  }

  protected checkHandle(handle: number): number {
    return this.checkProgram?.(handle) ?? 0;
  }
}

/** BPF_MAP_TYPE_ARRAY_OF_MAPS: inner map handles; a program's lookup yields the inner map's address. */
export class ArrayOfMapsMap extends FdArrayMap {
  constructor(
    memory: VmMemory,
    spec: MapSpec,
    readonly innerTemplate: InnerMapTemplate,
    private readonly resolveMap: ((handle: number) => BpfMap | undefined) | undefined,
  ) {
    super(memory, spec);
  }

  /** The inner map at an index, resolved through the runtime's handles. */
  innerMapAt(index: number): BpfMap | undefined {
    const handle = this.slots.get(index);
    return handle === undefined ? undefined : this.resolveMap?.(handle);
  }

  override lookup(key: Uint8Array, _cpu = 0): number | undefined {
    return this.innerMapAt(readU32(key))?.address;
  }

  protected checkHandle(handle: number): number {
    const inner = this.resolveMap?.(handle);
    if (inner === undefined) return fail('EBADF');
    return innerMapMatches(this.innerTemplate, inner) ? 0 : fail('EINVAL');
  }
}
