// BPF_MAP_TYPE_DEVMAP and BPF_MAP_TYPE_DEVMAP_HASH: network interfaces (and an optional devmap program) that
// bpf_redirect_map sends XDP frames to (kernel: kernel/bpf/devmap.c).
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { type MapResult, type MapSpec, readU32, u32Bytes } from './bpf-map.js';
import { fail } from './map-error.js';
import {
  BPF_F_BROADCAST,
  BPF_F_EXCLUDE_INGRESS,
  IndexedRedirectMap,
  RedirectMap,
  type RedirectMapEnvironment,
  readS32,
} from './redirect-map.js';

/**
 * Kernel __dev_map_alloc_node: the interface must exist; a program fd (> 0) must be an XDP program loaded for
 * BPF_XDP_DEVMAP. Every failure is -EINVAL. Gives the stored words (ifindex, program id) or -errno.
 */
function devmapEntry(
  env: RedirectMapEnvironment,
  value: Uint8Array,
  valueSize: number,
): [number, number] | number {
  const ifindex = readU32(value, 0);
  const progFd = valueSize === 8 ? readS32(value, 4) : -1;
  if (env.interfaceByIndex(ifindex) === undefined) return fail('EINVAL');
  if (progFd <= 0) return [ifindex, 0];
  const id = env.resolveProgram?.(progFd, 'xdp_devmap') ?? fail('EINVAL');
  return id > 0 ? [ifindex, id] : fail('EINVAL');
}

/** BPF_MAP_TYPE_DEVMAP: an array of interfaces; lookups (user and program) give `struct bpf_devmap_val`. */
export class DevMap extends IndexedRedirectMap {
  readonly redirectFlags = BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS;

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly env: RedirectMapEnvironment,
  ) {
    super(memory, spec);
  }

  /** Kernel __dev_map_update_elem: no BPF_NOEXIST (slots always "exist"), ifindex 0 empties the slot. */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const index = readU32(key);
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (index >= this.maxEntries) return fail('E2BIG');
    if (flags === BPF_NOEXIST) return fail('EEXIST');
    if (readU32(value, 0) === 0) {
      if (this.valueSize === 8 && readS32(value, 4) > 0) return fail('EINVAL');
      this.clear(index);
      return 0;
    }
    const entry = devmapEntry(this.env, value, this.valueSize);
    if (typeof entry === 'number') return entry;
    this.store(index, entry[0], entry[1]);
    return 0;
  }

  /** Kernel dev_map_delete_elem: an index in range is deleted whether or not it held an interface. */
  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('EINVAL');
    this.clear(index);
    return 0;
  }
}

/**
 * BPF_MAP_TYPE_DEVMAP_HASH: interfaces under any u32 key, at most max_entries of them. Keys hash to
 * `key & (buckets - 1)` with buckets = max_entries rounded up to a power of two, newest first in a bucket, which
 * is the order get_next_key walks (kernel dev_map_hash_get_next_key).
 */
export class DevMapHash extends RedirectMap {
  readonly redirectFlags = BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS;
  private readonly bucketMask: number;
  /** Non-empty buckets: keys, newest first. */
  private readonly buckets = new Map<number, number[]>();

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly env: RedirectMapEnvironment,
  ) {
    super(memory, spec);
    let buckets = 1;
    while (buckets < spec.maxEntries) buckets *= 2;
    this.bucketMask = buckets - 1;
  }

  private bucketOf(key: number): number {
    return (key & this.bucketMask) >>> 0;
  }

  /** Kernel __dev_map_hash_update_elem. */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const index = readU32(key);
    if (flags > BPF_EXIST || readU32(value, 0) === 0) return fail('EINVAL');
    const exists = this.slots.has(index);
    if (exists && flags & BPF_NOEXIST) return fail('EEXIST');
    const entry = devmapEntry(this.env, value, this.valueSize);
    if (typeof entry === 'number') return entry;
    if (exists) this.unlink(index);
    else if (this.slots.size >= this.maxEntries) return fail('E2BIG');
    this.store(index, entry[0], entry[1]);
    const bucket = this.bucketOf(index);
    this.buckets.set(bucket, [index, ...(this.buckets.get(bucket) ?? [])]);
    return 0;
  }

  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    if (!this.slots.has(index)) return fail('ENOENT');
    this.unlink(index);
    this.clear(index);
    return 0;
  }

  private unlink(index: number): void {
    const bucket = this.bucketOf(index);
    const keys = (this.buckets.get(bucket) ?? []).filter((k) => k !== index);
    if (keys.length === 0) this.buckets.delete(bucket);
    else this.buckets.set(bucket, keys);
  }

  /** The first key of the first non-empty bucket at or after `from`. */
  private firstFrom(from: number): MapResult {
    let best: number | undefined;
    for (const bucket of this.buckets.keys())
      if (bucket >= from && (best === undefined || bucket < best)) best = bucket;
    return best === undefined ? fail('ENOENT') : u32Bytes(this.buckets.get(best)![0]);
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    if (key === undefined) return this.firstFrom(0);
    const index = readU32(key);
    if (!this.slots.has(index)) return this.firstFrom(0);
    const bucket = this.bucketOf(index);
    const keys = this.buckets.get(bucket)!;
    const at = keys.indexOf(index);
    if (at + 1 < keys.length) return u32Bytes(keys[at + 1]);
    return this.firstFrom(bucket + 1);
  }

  protected override releaseStorage(): void {
    super.releaseStorage();
    this.buckets.clear();
  }
}
