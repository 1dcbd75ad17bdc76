// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: keys to values at stable VmMemory addresses.
import { BPF_EXIST, BPF_F_LOCK, BPF_F_ZERO_SEED, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapResult, type MapSpec, readU32, roundUp8, roundUpPowerOfTwo } from './bpf-map.js';
import { jhash, jhash2 } from './jhash.js';
import { fail } from './map-error.js';

/**
 * A key as a JS Map key: its exact little-endian value (a non-negative integer) when it fits a double, else a
 * 30-bit hash of its bytes made negative (a small integer V8 keeps unboxed), shared by the keys that collide.
 */
type HashKeyId = number;

/**
 * The id of the `keySize`-byte key at `at` in `bytes`: keys of up to 4 bytes, and of 5-8 bytes whose upper half
 * is below 2^21, are their value; other keys -1 - (a hash of their bytes), so exact ids and hashes never meet.
 * Equal keys have equal ids; keys with a hash id are told apart by their bytes (HashElement.sameId).
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
  // FNV-style over 32-bit words (then the odd bytes), with a final avalanche so every bit reaches the low 30.
  let hash = 0x811c9dc5 ^ keySize;
  let i = 0;
  for (; i + 4 <= keySize; i += 4) hash = Math.imul(hash ^ readU32(bytes, at + i), 0x01000193);
  for (; i < keySize; i++) hash = Math.imul(hash ^ bytes[at + i], 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return -1 - (hash & 0x3fff_ffff);
}

/** hashKeyIdAt of a key held in its own array. */
export function hashKeyId(key: Uint8Array, keySize: number): HashKeyId {
  return hashKeyIdAt(key, 0, keySize);
}

interface HashElement {
  readonly key: Uint8Array;
  /** The key's whole u32 words (keys with a hash id are compared by them). */
  readonly keyWords: Uint32Array;
  /** hashKeyId of the key, kept so removal need not rebuild it. */
  readonly id: HashKeyId;
  /** The next element with the same (hash) id: keys whose hashes collide, in a chain from the Map's entry. */
  sameId: HashElement | undefined;
  /** Value block: value_size bytes, or for per-CPU maps one value rounded up to 8 per CPU. */
  address: number;
  /** The kernel's bucket of the key (BPF_F_ZERO_SEED maps), else 0. */
  readonly bucket: number;
  previous: HashElement | undefined;
  next: HashElement | undefined;
}

/**
 * The kernel's order of a hash map seeded with 0 (BPF_F_ZERO_SEED): buckets in index order, each from its newest
 * element, the bucket being the key's jhash (jhash2 for whole u32 words) under seed 0, modulo max_entries rounded
 * up to a power of two. Without the flag the kernel seeds each map at random, so no order is its.
 */
class BucketOrder {
  /** The first element (in walk order) of each non-empty bucket. */
  private readonly heads = new Map<number, HashElement>();
  /** Non-empty buckets, ascending. */
  private readonly buckets: number[] = [];

  constructor(private readonly mask: number) {}

  bucketOf(key: Uint8Array, keySize: number): number {
    const bytes = key.subarray(0, keySize);
    return ((keySize & 3) === 0 ? jhash2(bytes, 0) : jhash(bytes, 0)) & this.mask;
  }

  /** Where `element` goes: before the head of its bucket, else before the next non-empty bucket's head (undefined: last). */
  placeBefore(element: HashElement): HashElement | undefined {
    const bucket = element.bucket;
    const head = this.heads.get(bucket);
    this.heads.set(bucket, element);
    if (head !== undefined) return head;
    const at = this.position(bucket);
    this.buckets.splice(at, 0, bucket);
    const following = this.buckets[at + 1];
    return following === undefined ? undefined : this.heads.get(following);
  }

  /** Where `bucket` is, or would go, in the ascending list of non-empty buckets (a binary search). */
  private position(bucket: number): number {
    let low = 0;
    let high = this.buckets.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.buckets[middle] < bucket) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** `element` leaves the walk (its successor, still linked, may head its bucket now). */
  removed(element: HashElement): void {
    const bucket = element.bucket;
    if (this.heads.get(bucket) !== element) return;
    const next = element.next;
    if (next !== undefined && next.bucket === bucket) {
      this.heads.set(bucket, next);
      return;
    }
    this.heads.delete(bucket);
    this.buckets.splice(this.position(bucket), 1);
  }

  clear(): void {
    this.heads.clear();
    this.buckets.length = 0;
  }
}

/** The element of `first`'s chain whose key is the `keySize` bytes at `at` (exact ids: `first` itself). */
function chainFind(
  first: HashElement | undefined,
  bytes: Uint8Array,
  at: number,
  keySize: number,
): HashElement | undefined {
  if (first === undefined || first.id >= 0) return first;
  const wordBytes = keySize & ~3;
  for (let element: HashElement | undefined = first; element !== undefined; element = element.sameId) {
    // Word by word (a quarter of the compares), then the bytes past the last whole word.
    const words = element.keyWords;
    let i = 0;
    while (i < wordBytes && words[i >> 2] === readU32(bytes, at + i)) i += 4;
    if (i < wordBytes) continue;
    const key = element.key;
    while (i < keySize && key[i] === bytes[at + i]) i++;
    if (i === keySize) return element;
  }
  return undefined;
}

/** The whole little-endian u32 words of a key, for chainFind. */
function keyWordsOf(key: Uint8Array, keySize: number): Uint32Array {
  const words = new Uint32Array(keySize >> 2);
  for (let j = 0; j < words.length; j++) words[j] = readU32(key, 4 * j);
  return words;
}

/**
 * Iteration order (get_next_key, bpf_for_each_map_elem, dumps) is the kernel's for maps created with
 * BPF_F_ZERO_SEED (BucketOrder: a replaced value puts its element first in its bucket, as the kernel links the new
 * element in before unlinking the old, except in per-CPU maps, which update in place); without the flag the
 * kernel's order follows a random per-map seed, and tsbpf's is insertion order. getNextKey of a missing key
 * restarts at the first key as the kernel does.
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
  /** Elements by id (the first of a chain of colliding hash ids). */
  private readonly elements = new Map<HashKeyId, HashElement>();
  private count = 0;
  private first: HashElement | undefined;
  private last: HashElement | undefined;
  /** LRU maps: elements from least to most recently used (JS Sets iterate in insertion order). */
  private readonly recency: Set<HashElement> | undefined;
  /** LRU maps: the last element of `recency` when known, so touching it again costs no Set operations. */
  private newest: HashElement | undefined;
  private readonly percpu: boolean;
  private readonly slotSize: number;
  private readonly blockSize: number;
  private readonly order: BucketOrder | undefined;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.order =
      spec.flags & BPF_F_ZERO_SEED ? new BucketOrder(roundUpPowerOfTwo(spec.maxEntries) - 1) : undefined;
    this.percpu = spec.typeName === 'percpu_hash' || spec.typeName === 'lru_percpu_hash';
    const lru = spec.typeName === 'lru_hash' || spec.typeName === 'lru_percpu_hash';
    this.recency = lru ? new Set() : undefined;
    this.slotSize = this.percpu ? roundUp8(spec.valueSize) : spec.valueSize;
    this.blockSize = this.percpu ? this.slotSize * spec.cpus : spec.valueSize;
  }

  protected override isPercpu(): boolean {
    return this.typeName === 'percpu_hash' || this.typeName === 'lru_percpu_hash';
  }

  get size(): number {
    return this.count;
  }

  private find(key: Uint8Array): HashElement | undefined {
    return this.findAt(key, 0);
  }

  private findAt(bytes: Uint8Array, at: number): HashElement | undefined {
    const keySize = this.keySize;
    return chainFind(this.elements.get(hashKeyIdAt(bytes, at, keySize)), bytes, at, keySize);
  }

  private touch(element: HashElement): void {
    if (this.recency === undefined || element === this.newest) return;
    this.recency.delete(element);
    this.recency.add(element);
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
    const element = this.findAt(bytes, at);
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
    if (old === undefined && this.count >= this.maxEntries) {
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
      if (this.order !== undefined) {
        this.order.removed(old);
        this.unlink(old);
        this.link(old, this.order.placeBefore(old));
      }
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
      keyWords: keyWordsOf(key, id >= 0 ? 0 : this.keySize),
      id,
      sameId: this.elements.get(id),
      address,
      bucket: this.order?.bucketOf(key, this.keySize) ?? 0,
      previous: undefined,
      next: undefined,
    };
    this.link(element, this.order?.placeBefore(element));
    this.elements.set(id, element);
    this.count++;
    if (this.recency !== undefined) {
      this.recency.add(element);
      this.newest = element;
    }
  }

  /** Puts `element` into the walk before `before` (undefined: at the end). */
  private link(element: HashElement, before: HashElement | undefined): void {
    const previous = before === undefined ? this.last : before.previous;
    element.previous = previous;
    element.next = before;
    if (previous !== undefined) previous.next = element;
    else this.first = element;
    if (before !== undefined) before.previous = element;
    else this.last = element;
  }

  private unlink(element: HashElement): void {
    if (element.previous !== undefined) element.previous.next = element.next;
    else this.first = element.next;
    if (element.next !== undefined) element.next.previous = element.previous;
    else this.last = element.previous;
  }

  private remove(element: HashElement): void {
    const id = element.id;
    const head = this.elements.get(id);
    if (head === element) {
      if (element.sameId === undefined) this.elements.delete(id);
      else this.elements.set(id, element.sameId);
    } else {
      let before = head;
      while (before !== undefined && before.sameId !== element) before = before.sameId;
      if (before !== undefined) before.sameId = element.sameId;
    }
    this.count--;
    this.recency?.delete(element);
    if (element === this.newest) this.newest = undefined;
    this.order?.removed(element);
    this.unlink(element);
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
    for (let element = this.first; element !== undefined; element = element.next) {
      this.memory.retire(element.address);
    }
    this.elements.clear();
    this.count = 0;
    this.recency?.clear();
    this.newest = undefined;
    this.order?.clear();
    this.first = undefined;
    this.last = undefined;
  }
}
