// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: keys to values at stable VmMemory addresses.
import { BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapResult, type MapSpec, readU32, roundUp8 } from './bpf-map.js';
import { fail } from './map-error.js';

/** A key as a JS Map key: a number when it fits exactly (most keys of up to 8 bytes), else a string. */
type HashKeyId = number | string;

/** Reused arrays of 16-bit units by their count, for String.fromCharCode (one array per length). */
const unitArrays: number[][] = [];

/**
 * The id of the `keySize`-byte key at `at` in `bytes`. Keys of up to 4 bytes, and of 5-8 bytes whose upper half
 * is below 2^21, are their little-endian value (exact in a double); others a string of the key's 16-bit
 * little-endian units (the last one a lone byte for odd sizes), half as many characters as bytes. Numbers and
 * strings never compare equal, and all keys of a map have one size, so ids of different keys never collide.
 */
export function hashKeyIdAt(bytes: Uint8Array, at: number, keySize: number): HashKeyId {
  if (keySize <= 4) {
    let value = 0;
    for (let i = keySize - 1; i >= 0; i--) value = value * 256 + bytes[at + i];
    return value;
  }
  if (keySize <= 8) {
    let high = 0;
    for (let i = keySize - 1; i >= 4; i--) high = high * 256 + bytes[at + i];
    if (high < 0x20_0000) return high * 0x1_0000_0000 + readU32(bytes, at);
  }
  const count = (keySize + 1) >> 1;
  let units = unitArrays[count];
  if (units === undefined) {
    units = new Array<number>(count).fill(0);
    unitArrays[count] = units;
  }
  for (let i = 0; i < count; i++) {
    const offset = at + 2 * i;
    units[i] = 2 * i + 1 < keySize ? bytes[offset] | (bytes[offset + 1] << 8) : bytes[offset];
  }
  return String.fromCharCode.apply(null, units);
}

/** hashKeyIdAt of a key held in its own array. */
export function hashKeyId(key: Uint8Array, keySize: number): HashKeyId {
  return hashKeyIdAt(key, 0, keySize);
}

interface HashElement {
  readonly key: Uint8Array;
  /** hashKeyId of the key, kept so LRU bookkeeping and removal need not rebuild it. */
  readonly id: HashKeyId;
  /** Value block: value_size bytes, or for per-CPU maps one value rounded up to 8 per CPU. */
  address: number;
  previous: HashElement | undefined;
  next: HashElement | undefined;
}

/**
 * Iteration order is insertion order (the kernel's is bucket order: any stable order is allowed), and
 * getNextKey of a missing key restarts at the first key as the kernel does.
 *
 * Deviations from the kernel, by design:
 * - Values are allocated on insert rather than preallocated, so a huge max_entries only costs what is used.
 * - LRU maps evict the exact least recently used element, only when an insert finds the map full. The kernel
 *   approximates LRU with per-CPU free lists and may evict earlier (e.g. 976 of 1000 entries kept after
 *   1000 distinct inserts on 2 CPUs) and may evict before an update then fails with -EEXIST.
 * - Replacing a value (non-per-CPU maps) allocates a new one and retires the old one as the kernel does,
 *   so a pointer a program got earlier keeps the old bytes until the run ends.
 */
export class HashMap extends BaseMap {
  private readonly elements = new Map<HashKeyId, HashElement>();
  private first: HashElement | undefined;
  private last: HashElement | undefined;
  /** LRU maps: elements from least to most recently used (JS Maps iterate in insertion order). */
  private readonly recency: Map<HashKeyId, HashElement> | undefined;
  /** LRU maps: the last element of `recency` when known, so touching it again costs no Map operations. */
  private newest: HashElement | undefined;
  private readonly percpu: boolean;
  private readonly slotSize: number;
  private readonly blockSize: number;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.percpu = spec.typeName === 'percpu_hash' || spec.typeName === 'lru_percpu_hash';
    const lru = spec.typeName === 'lru_hash' || spec.typeName === 'lru_percpu_hash';
    this.recency = lru ? new Map() : undefined;
    this.slotSize = this.percpu ? roundUp8(spec.valueSize) : spec.valueSize;
    this.blockSize = this.percpu ? this.slotSize * spec.cpus : spec.valueSize;
  }

  protected override isPercpu(): boolean {
    return this.typeName === 'percpu_hash' || this.typeName === 'lru_percpu_hash';
  }

  get size(): number {
    return this.elements.size;
  }

  private find(key: Uint8Array): HashElement | undefined {
    return this.elements.get(hashKeyId(key, this.keySize));
  }

  private touch(element: HashElement): void {
    if (this.recency === undefined || element === this.newest) return;
    const id = element.id;
    this.recency.delete(id);
    this.recency.set(id, element);
    this.newest = element;
  }

  override lookup(key: Uint8Array, cpu = 0): number | undefined {
    return this.valueAddressAt(key, 0, cpu);
  }

  lookupInPlace(bytes: Uint8Array, at: number, cpu: number): number | undefined {
    return this.valueAddressAt(bytes, at, cpu);
  }

  /** The value of the key at `at` in `bytes` (lookup's semantics, which subclasses may change). */
  protected valueAddressAt(bytes: Uint8Array, at: number, cpu: number): number | undefined {
    this.checkCpu(cpu);
    const element = this.elements.get(hashKeyIdAt(bytes, at, this.keySize));
    if (element === undefined) return undefined;
    // Kernel: a program's lookup marks an LRU element referenced; lookups from user space do not.
    this.touch(element);
    return this.percpu ? element.address + cpu * this.slotSize : element.address;
  }

  override updateFromProgram(key: Uint8Array, value: Uint8Array, flags: number, cpu = 0): number {
    this.checkCpu(cpu);
    return this.store(key, value, flags, cpu, false);
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const element = this.find(key);
    if (element === undefined) return fail('ENOENT');
    return this.memory.read(element.address, this.blockSize);
  }

  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number, fromUser = false): number {
    return this.store(key, value, flags, 0, fromUser);
  }

  private store(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, fromUser: boolean): number {
    // Kernel: htab_map_update_elem allows BPF_F_LOCK only beside ANY/EXIST; the per-CPU variants not at all.
    if ((flags & ~(this.percpu ? 0 : BPF_F_LOCK)) > BPF_EXIST) return fail('EINVAL');
    // A spin lock in the value needs BTF, which tsbpf maps never carry.
    if (flags & BPF_F_LOCK) return fail('EINVAL');
    const old = this.find(key);
    if (old !== undefined && flags & BPF_NOEXIST) return fail('EEXIST');
    if (old === undefined && flags & BPF_EXIST) return fail('ENOENT');

    if (old !== undefined && this.percpu) {
      this.writeValue(old.address, value, cpu, fromUser);
      this.touch(old);
      return 0;
    }
    if (old === undefined && this.elements.size >= this.maxEntries) {
      if (this.recency === undefined) return fail('E2BIG');
      this.evictLeastRecentlyUsed();
    }
    let address: number;
    try {
      address = this.memory.allocate(this.blockSize);
    } catch {
      return fail('ENOMEM');
    }
    this.writeValue(address, value, cpu, fromUser);
    if (old !== undefined) {
      this.memory.retire(old.address);
      old.address = address;
      this.touch(old);
    } else {
      this.append(key, address);
    }
    return 0;
  }

  /** Writes a new or replacing value; a program's per-CPU update writes only its CPU's copy. */
  private writeValue(address: number, value: Uint8Array, cpu: number, fromUser: boolean): void {
    if (this.percpu && fromUser) this.memory.write(address, value.subarray(0, this.blockSize));
    else if (this.percpu) this.memory.write(address + cpu * this.slotSize, value.subarray(0, this.valueSize));
    else this.memory.write(address, value.subarray(0, this.valueSize));
  }

  private append(key: Uint8Array, address: number): void {
    const id = hashKeyId(key, this.keySize);
    const element: HashElement = {
      key: key.slice(0, this.keySize),
      id,
      address,
      previous: this.last,
      next: undefined,
    };
    if (this.last !== undefined) this.last.next = element;
    else this.first = element;
    this.last = element;
    this.elements.set(id, element);
    if (this.recency !== undefined) {
      this.recency.set(id, element);
      this.newest = element;
    }
  }

  private remove(element: HashElement): void {
    const id = element.id;
    this.elements.delete(id);
    this.recency?.delete(id);
    if (element === this.newest) this.newest = undefined;
    if (element.previous !== undefined) element.previous.next = element.next;
    else this.first = element.next;
    if (element.next !== undefined) element.next.previous = element.previous;
    else this.last = element.previous;
    this.memory.retire(element.address);
  }

  private evictLeastRecentlyUsed(): void {
    const victim = this.recency?.values().next().value;
    if (victim !== undefined) this.remove(victim);
  }

  protected deleteElement(key: Uint8Array): number {
    const element = this.find(key);
    if (element === undefined) return fail('ENOENT');
    this.remove(element);
    return 0;
  }

  protected override lookupAndDeleteElement(key: Uint8Array): MapResult {
    const element = this.find(key);
    if (element === undefined) return fail('ENOENT');
    const value = this.memory.read(element.address, this.blockSize);
    this.remove(element);
    return value;
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    const element = key === undefined ? undefined : this.find(key);
    // Kernel: a missing key (or none) restarts the walk at the first element.
    const next = element === undefined ? this.first : element.next;
    return next === undefined ? fail('ENOENT') : next.key.slice();
  }

  protected releaseStorage(): void {
    for (const element of this.elements.values()) this.memory.retire(element.address);
    this.elements.clear();
    this.recency?.clear();
    this.newest = undefined;
    this.first = undefined;
    this.last = undefined;
  }
}
