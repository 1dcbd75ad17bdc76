// BPF_MAP_TYPE_HASH_OF_MAPS: a hash map whose values are inner map handles.
import type { VmMemory } from '../memory.js';
import { type BpfMap, type MapResult, type MapSpec, readU32 } from './bpf-map.js';
import { HashMap } from './hash-map.js';
import { type InnerMapTemplate, innerMapMatches } from './inner-map.js';
import { fail } from './map-error.js';

/** Hash semantics (flags, -E2BIG when full, iteration) with values checked against the inner map template. */
export class HashOfMapsMap extends HashMap {
  constructor(
    memory: VmMemory,
    spec: MapSpec,
    readonly innerTemplate: InnerMapTemplate,
    private readonly resolveMap: ((handle: number) => BpfMap | undefined) | undefined,
  ) {
    super(memory, spec);
  }

  /** The inner map stored under `key`, resolved through the runtime's handles. */
  innerMapFor(key: Uint8Array): BpfMap | undefined {
    const slot = super.lookup(key);
    return slot === undefined ? undefined : this.resolveMap?.(this.memory.readU32(slot));
  }

  /** A program's lookup yields the inner map (its address), as the kernel returns the inner map pointer. */
  override lookup(key: Uint8Array, _cpu = 0): number | undefined {
    return this.innerMapFor(key)?.address;
  }

  override lookupInPlace(bytes: Uint8Array, at: number, _cpu: number): number | undefined {
    const slot = this.valueAddressAt(bytes, at, 0);
    return slot === undefined ? undefined : this.resolveMap?.(this.memory.readU32(slot))?.address;
  }

  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu = 0): number {
    return fail('EOPNOTSUPP');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EOPNOTSUPP');
  }

  protected override updateElement(
    key: Uint8Array,
    value: Uint8Array,
    flags: number,
    fromUser = false,
  ): number {
    const inner = this.resolveMap?.(readU32(value));
    if (inner === undefined) return fail('EBADF');
    if (!innerMapMatches(this.innerTemplate, inner)) return fail('EINVAL');
    return super.updateElement(key, value, flags, fromUser);
  }

  /** Kernel: lookup-and-delete is for the plain hash types only. */
  protected override lookupAndDeleteElement(): MapResult {
    return fail('ENOTSUPP');
  }
}
