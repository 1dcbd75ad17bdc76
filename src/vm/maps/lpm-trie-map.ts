// BPF_MAP_TYPE_LPM_TRIE: longest-prefix match over keys of a u32 prefix length and big-endian data bytes.
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, keyString, type MapResult, type MapSpec, readU32 } from './bpf-map.js';
import { fail } from './map-error.js';

interface Prefix {
  readonly prefixLength: number;
  /** The key as last stored (the kernel keeps the data bytes past the prefix as given). */
  key: Uint8Array;
  address: number;
}

/** Bit `index` of the data (most significant bit of byte 0 first, as the kernel's extract_bit). */
const bitAt = (data: Uint8Array, index: number): number => (data[index >> 3] >> (7 - (index & 7))) & 1;

/**
 * The kernel's iteration order is a post-order walk of its binary trie: for two prefixes, the one whose
 * first differing bit is 0 comes first, and a prefix comes after every longer prefix it contains.
 */
function compareTrieOrder(a: Prefix, b: Prefix): number {
  const common = Math.min(a.prefixLength, b.prefixLength);
  for (let bit = 0; bit < common; bit++) {
    const difference = bitAt(a.key.subarray(4), bit) - bitAt(b.key.subarray(4), bit);
    if (difference !== 0) return difference;
  }
  return b.prefixLength - a.prefixLength;
}

/**
 * Entries are kept by (prefix length, masked data) for exact matches, with the set of prefix lengths in
 * use for longest-prefix lookups, and a list sorted in the kernel's iteration order for getNextKey.
 * A lookup finds the longest stored prefix P <= the key's prefix length whose first P bits match.
 */
export class LpmTrieMap extends BaseMap {
  readonly maxPrefixLength: number;
  private readonly dataSize: number;
  private readonly prefixes = new Map<string, Prefix>();
  /** Distinct prefix lengths in use, longest first, with how many entries have each. */
  private prefixLengths: number[] = [];
  private readonly lengthCounts = new Map<number, number>();
  private readonly ordered: Prefix[] = [];

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.dataSize = spec.keySize - 4;
    this.maxPrefixLength = this.dataSize * 8;
  }

  get size(): number {
    return this.prefixes.size;
  }

  /** Identity of a prefix: its length and its data with the bits past the length cleared. */
  private prefixId(prefixLength: number, key: Uint8Array): string {
    const masked = key.slice(4, 4 + this.dataSize);
    const fullBytes = prefixLength >> 3;
    if (fullBytes < masked.length) {
      masked[fullBytes] &= (0xff00 >> (prefixLength & 7)) & 0xff;
      masked.fill(0, fullBytes + 1);
    }
    return `${prefixLength}:${keyString(masked, masked.length)}`;
  }

  private findExact(key: Uint8Array): Prefix | undefined {
    const prefixLength = readU32(key);
    if (prefixLength > this.maxPrefixLength) return undefined;
    return this.prefixes.get(this.prefixId(prefixLength, key));
  }

  private findLongestMatch(key: Uint8Array): Prefix | undefined {
    const limit = readU32(key);
    if (limit > this.maxPrefixLength) return undefined;
    for (const prefixLength of this.prefixLengths) {
      if (prefixLength > limit) continue;
      const match = this.prefixes.get(this.prefixId(prefixLength, key));
      if (match !== undefined) return match;
    }
    return undefined;
  }

  override lookup(key: Uint8Array, _cpu = 0): number | undefined {
    return this.findLongestMatch(key)?.address;
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const match = this.findLongestMatch(key);
    return match === undefined ? fail('ENOENT') : this.memory.read(match.address, this.valueSize);
  }

  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    // Kernel: trie_update_elem takes ANY/NOEXIST/EXIST only, and at most max_prefixlen bits.
    if (flags > BPF_EXIST) return fail('EINVAL');
    const prefixLength = readU32(key);
    if (prefixLength > this.maxPrefixLength) return fail('EINVAL');
    const existing = this.findExact(key);
    if (existing !== undefined && flags === BPF_NOEXIST) return fail('EEXIST');
    if (existing === undefined) {
      if (flags === BPF_EXIST) return fail('ENOENT');
      if (this.prefixes.size >= this.maxEntries) return fail('ENOSPC');
    }
    let address: number;
    try {
      address = this.memory.allocate(this.valueSize);
    } catch {
      return fail('ENOMEM');
    }
    this.memory.write(address, value.subarray(0, this.valueSize));
    if (existing !== undefined) {
      // Kernel: the node is replaced by a new one (new value address, the new key's trailing bits).
      this.memory.retire(existing.address);
      existing.address = address;
      existing.key = key.slice(0, this.keySize);
      return 0;
    }
    const entry: Prefix = { prefixLength, key: key.slice(0, this.keySize), address };
    this.prefixes.set(this.prefixId(prefixLength, key), entry);
    this.addLength(prefixLength);
    this.ordered.splice(this.orderedIndex(entry), 0, entry);
    return 0;
  }

  /** Index at which `entry` sits (or would sit) in iteration order. */
  private orderedIndex(entry: Prefix): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareTrieOrder(this.ordered[mid], entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private addLength(prefixLength: number): void {
    const count = this.lengthCounts.get(prefixLength) ?? 0;
    this.lengthCounts.set(prefixLength, count + 1);
    if (count === 0) this.prefixLengths = [...this.lengthCounts.keys()].sort((a, b) => b - a);
  }

  private removeLength(prefixLength: number): void {
    const count = this.lengthCounts.get(prefixLength)! - 1;
    if (count > 0) {
      this.lengthCounts.set(prefixLength, count);
      return;
    }
    this.lengthCounts.delete(prefixLength);
    this.prefixLengths = this.prefixLengths.filter((length) => length !== prefixLength);
  }

  protected deleteElement(key: Uint8Array): number {
    const prefixLength = readU32(key);
    if (prefixLength > this.maxPrefixLength) return fail('EINVAL');
    const entry = this.findExact(key);
    if (entry === undefined) return fail('ENOENT');
    this.prefixes.delete(this.prefixId(prefixLength, key));
    this.removeLength(prefixLength);
    this.ordered.splice(this.orderedIndex(entry), 1);
    this.memory.retire(entry.address);
    return 0;
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    if (this.ordered.length === 0) return fail('ENOENT');
    const entry = key === undefined ? undefined : this.findExact(key);
    // Kernel: no key, a too long prefix or a key not in the trie restart at the first entry.
    if (entry === undefined) return this.ordered[0].key.slice();
    const next = this.ordered[this.orderedIndex(entry) + 1];
    return next === undefined ? fail('ENOENT') : next.key.slice();
  }

  protected releaseStorage(): void {
    for (const entry of this.prefixes.values()) this.memory.retire(entry.address);
    this.prefixes.clear();
    this.ordered.length = 0;
    this.lengthCounts.clear();
    this.prefixLengths = [];
  }
}
