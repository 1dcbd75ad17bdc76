// BPF_MAP_TYPE_BLOOM_FILTER: values pushed set k bits of a bitset; a peek answers "maybe present" (0) or
// "surely absent" (-ENOENT). Sizes and hashes are the kernel's, so with BPF_F_ZERO_SEED the same values give
// the same false positives as in the kernel (kernel: kernel/bpf/bloom_filter.c).
import { BPF_ANY, BPF_F_ZERO_SEED } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec } from './bpf-map.js';
import { jhash, jhash2 } from './jhash.js';
import { fail } from './map-error.js';

/** Kernel: the number of hash functions when map_extra leaves it 0. */
const DEFAULT_HASH_FUNCTIONS = 5;
const BITS_PER_LONG = 64;

/**
 * Kernel bloom_map_alloc: max_entries * k / ln 2 bits (7/5 for 1/ln 2), rounded up to a power of two and at least
 * a long; past 2^31 bits (or on u32 overflow), 2^32 bits. Returns the mask of a bit index.
 */
export function bloomBitsetMask(maxEntries: number, hashFunctions: number): number {
  const product = maxEntries * hashFunctions;
  const scaled = Math.floor(product / 5) * 7;
  if (product > 0xffff_ffff || scaled > 0xffff_ffff || scaled > 2 ** 31) return 0xffff_ffff;
  let bits = BITS_PER_LONG;
  while (bits < scaled) bits *= 2;
  return bits - 1;
}

export class BloomFilterMap extends BaseMap {
  readonly hashFunctions: number;
  readonly bitsetMask: number;
  /**
   * The kernel seeds its hashes with a random u32 unless BPF_F_ZERO_SEED; tsbpf uses `seed` (default 0), so
   * without BPF_F_ZERO_SEED which values collide differs from any one kernel map, as it does between kernel maps.
   */
  readonly hashSeed: number;
  /** Set bits (the kernel's bitset can be 2^32 bits: only the set ones are kept). */
  private readonly bits = new Set<number>();

  constructor(memory: VmMemory, spec: MapSpec, mapExtra: bigint, seed = 0) {
    super(memory, spec);
    this.hashFunctions = Number(mapExtra & 0xfn) || DEFAULT_HASH_FUNCTIONS;
    this.bitsetMask = bloomBitsetMask(spec.maxEntries, this.hashFunctions);
    this.hashSeed = spec.flags & BPF_F_ZERO_SEED ? 0 : seed >>> 0;
  }

  /** Bit `index` of the k hash functions for `value` (kernel: jhash2 for whole words, jhash otherwise). */
  private bitFor(value: Uint8Array, index: number): number {
    const initval = (this.hashSeed + index) >>> 0;
    const hash = this.valueSize % 4 === 0 ? jhash2(value, initval) : jhash(value, initval);
    return (hash & this.bitsetMask) >>> 0;
  }

  /** bpf_map_push_elem and user-space update: only BPF_ANY. */
  override push(value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return fail('EINVAL');
    const bytes = value.subarray(0, this.valueSize);
    for (let i = 0; i < this.hashFunctions; i++) this.bits.add(this.bitFor(bytes, i));
    return 0;
  }

  /** bpf_map_peek_elem and user-space lookup: 0 when `value` may have been pushed, -ENOENT when it was not. */
  contains(value: Uint8Array): number {
    const bytes = value.subarray(0, this.valueSize);
    for (let i = 0; i < this.hashFunctions; i++)
      if (!this.bits.has(this.bitFor(bytes, i))) return fail('ENOENT');
    return 0;
  }

  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu = 0): number {
    return fail('EOPNOTSUPP');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EOPNOTSUPP');
  }

  /** User space tests a value through BPF_MAP_LOOKUP_ELEM's value buffer: see Bpf.mapLookup. */
  protected lookupElement(): MapResult {
    return fail('EINVAL');
  }

  protected updateElement(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }

  protected deleteElement(): number {
    return fail('EOPNOTSUPP');
  }

  protected nextKey(): MapResult {
    return fail('EOPNOTSUPP');
  }

  /** Nothing to list: a bloom filter keeps bits, not values. */
  override *entries(): IterableIterator<MapEntry> {}

  protected releaseStorage(): void {
    this.bits.clear();
  }
}
