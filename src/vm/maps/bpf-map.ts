// The BpfMap interface every map type implements, and the base class holding what they share.
import { MAP_KERNEL_STRUCTS, kernelMemberOffset, kernelStructByName } from '../../abi/kernel-structs.js';
import { BPF_F_LOCK } from '../../abi/map-types.js';
import type { MapTypeName } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { fail, MapError } from './map-error.js';

/** A user-space answer: the bytes, or a negative errno (e.g. -ENOENT) as bpf() would return. */
export type MapResult = Uint8Array | number;

export interface MapEntry {
  readonly key: Uint8Array;
  /** In the user-space format: per-CPU maps give every CPU's value, each rounded up to 8 bytes. */
  readonly value: Uint8Array;
}

/** The parts of a map every map type has, resolved at creation. */
export interface MapSpec {
  readonly id: number;
  readonly type: number;
  readonly typeName: MapTypeName;
  readonly name: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  /** The kernel's map_flags: creation flags without BPF_F_RDONLY/BPF_F_WRONLY, which belong to the fd. */
  readonly flags: number;
  readonly cpus: number;
  /** False when created with BPF_F_WRONLY: user-space lookups and iteration fail with -EPERM. */
  readonly userCanRead: boolean;
  /** False when created with BPF_F_RDONLY: user-space updates and deletes fail with -EPERM. */
  readonly userCanWrite: boolean;
}

/**
 * A BPF map. Program-side operations (what helpers call) take the current CPU and return addresses into
 * VmMemory; user-side operations (what bpf() commands do) return copies and negative errnos.
 */
export interface BpfMap extends MapSpec {
  readonly memory: VmMemory;
  /** The map object inside VmMemory: what a map reference (LD_IMM64 map fd) becomes in a program. */
  readonly address: number;
  /** Bytes of a value as user space sees it (per-CPU maps: every CPU's value, each rounded up to 8). */
  readonly userValueSize: number;

  /** bpf_map_lookup_elem from a program: address of the value (this CPU's for per-CPU maps), or undefined. */
  lookup(key: Uint8Array, cpu?: number): number | undefined;
  /** lookup of the key_size bytes at `at` in `bytes`, read in place (maps that can; the helper copies otherwise). */
  lookupInPlace?(bytes: Uint8Array, at: number, cpu: number): number | undefined;
  /** bpf_map_update_elem from a program: `value` is one value (one CPU's for per-CPU maps). 0 or -errno. */
  updateFromProgram(key: Uint8Array, value: Uint8Array, flags: number, cpu?: number): number;
  /**
   * bpf_map_update_elem from a program whose value is the socket it holds at `address` (sockmap, sockhash), not
   * bytes; maps without it take bytes (updateFromProgram). 0 or -errno.
   */
  updateWithSocket?(key: Uint8Array, address: number, flags: number): number;
  /** bpf_map_delete_elem from a program. 0 or -errno. */
  deleteFromProgram(key: Uint8Array): number;
  /** bpf_map_push_elem (queue, stack); user-space update of those maps does the same. 0 or -errno. */
  push(value: Uint8Array, flags: number): number;
  /** bpf_map_pop_elem (queue, stack). */
  pop(): MapResult;
  /** bpf_map_peek_elem (queue, stack). */
  peek(): MapResult;

  /** BPF_MAP_LOOKUP_ELEM. `key` may be omitted for maps with key_size 0. */
  lookupValue(key?: Uint8Array): MapResult;
  /** BPF_MAP_UPDATE_ELEM with BPF_ANY, BPF_NOEXIST or BPF_EXIST. 0 or -errno. */
  update(key: Uint8Array | undefined, value: Uint8Array, flags?: number): number;
  /** BPF_MAP_DELETE_ELEM. 0 or -errno. */
  delete(key?: Uint8Array): number;
  /** BPF_MAP_LOOKUP_AND_DELETE_ELEM (queue/stack pop, hash lookup then delete). */
  lookupAndDelete(key?: Uint8Array): MapResult;
  /** BPF_MAP_GET_NEXT_KEY: the key after `key`, the first key when `key` is undefined, or -errno. */
  getNextKey(key?: Uint8Array): MapResult;
  /** Every entry, in getNextKey order, for dumps. */
  entries(): IterableIterator<MapEntry>;
  /** Frees everything the map holds in VmMemory; the map must not be used afterwards. */
  release(): void;
}

/** Offsets of struct bpf_map's members tsbpf fills in a map object. */
export const BPF_MAP = {
  mapType: kernelMemberOffset('bpf_map', 'map_type') ?? 0,
  keySize: kernelMemberOffset('bpf_map', 'key_size') ?? 0,
  valueSize: kernelMemberOffset('bpf_map', 'value_size') ?? 0,
  maxEntries: kernelMemberOffset('bpf_map', 'max_entries') ?? 0,
  mapFlags: kernelMemberOffset('bpf_map', 'map_flags') ?? 0,
  id: kernelMemberOffset('bpf_map', 'id') ?? 0,
  name: kernelMemberOffset('bpf_map', 'name') ?? 0,
};
const BPF_ARRAY_ELEM_SIZE = kernelMemberOffset('bpf_array', 'elem_size') ?? 0;
const BPF_ARRAY_INDEX_MASK = kernelMemberOffset('bpf_array', 'index_mask') ?? 0;

/**
 * The map object a program's map reference points to: the map type's kernel struct (bpf_array, bpf_htab, ...,
 * src/abi/kernel-structs.ts), which programs may read (check_ptr_to_map_access), with struct bpf_map's
 * type, sizes, flags, id and name filled in (and bpf_array's elem_size and index_mask); the rest stays zero.
 */
function writeMapObject(memory: VmMemory, spec: MapSpec): number {
  const struct = kernelStructByName(MAP_KERNEL_STRUCTS[spec.typeName] ?? 'bpf_map');
  const address = memory.allocate(struct?.size ?? 8);
  memory.writeU32(address + BPF_MAP.mapType, spec.type);
  memory.writeU32(address + BPF_MAP.keySize, spec.keySize);
  memory.writeU32(address + BPF_MAP.valueSize, spec.valueSize);
  memory.writeU32(address + BPF_MAP.maxEntries, spec.maxEntries);
  memory.writeU32(address + BPF_MAP.mapFlags, spec.flags);
  memory.writeU32(address + BPF_MAP.id, spec.id);
  memory.write(address + BPF_MAP.name, new TextEncoder().encode(spec.name).subarray(0, 15));
  if (struct?.name === 'bpf_array') {
    memory.writeU32(address + BPF_ARRAY_ELEM_SIZE, roundUp8(spec.valueSize));
    // Kernel array_map_alloc: max_entries rounded up to a power of two, less one (2^32 and up: all ones).
    const mask = roundUpPowerOfTwo(spec.maxEntries) - 1;
    memory.writeU32(address + BPF_ARRAY_INDEX_MASK, mask >>> 0);
  }
  return address;
}

export const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Kernel roundup_pow_of_two (of a u32; 0 and 1 give 1): a hashed map's bucket count, an array's index range. */
export function roundUpPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

/** Little-endian u32 at the start of `bytes` (array indexes, handles, LPM prefix lengths). */
export const readU32 = (bytes: Uint8Array, offset = 0): number =>
  (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;

export const u32Bytes = (value: number): Uint8Array => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
};

/** Map key as a string usable as a JS Map key (one char per byte). */
export function keyString(key: Uint8Array, length: number): string {
  // One call builds a short key's string; concatenating char by char allocated a string per byte.
  if (key.length === length && length <= 64)
    return String.fromCharCode.apply(null, key as unknown as number[]);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(key[i]);
  return text;
}

/**
 * What the map types share: the map object in memory, user-space permission and argument checks
 * (kernel: map_lookup_elem and friends in syscall.c), and defaults for operations a type lacks.
 */
export abstract class BaseMap implements BpfMap {
  readonly id: number;
  readonly type: number;
  readonly typeName: MapTypeName;
  readonly name: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly cpus: number;
  readonly userCanRead: boolean;
  readonly userCanWrite: boolean;
  readonly address: number;
  readonly userValueSize: number;
  protected released = false;

  constructor(
    readonly memory: VmMemory,
    spec: MapSpec,
  ) {
    this.id = spec.id;
    this.type = spec.type;
    this.typeName = spec.typeName;
    this.name = spec.name;
    this.keySize = spec.keySize;
    this.valueSize = spec.valueSize;
    this.maxEntries = spec.maxEntries;
    this.flags = spec.flags;
    this.cpus = spec.cpus;
    this.userCanRead = spec.userCanRead;
    this.userCanWrite = spec.userCanWrite;
    this.userValueSize = this.isPercpu() ? roundUp8(spec.valueSize) * spec.cpus : spec.valueSize;
    this.address = writeMapObject(memory, spec);
  }

  protected isPercpu(): boolean {
    return false;
  }

  protected checkCpu(cpu: number): void {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) {
      throw new MapError(
        'EINVAL',
        `cpu ${cpu} out of range: map has ${this.cpus} CPUs`,
        this.name,
        this.typeName,
      );
    }
  }

  /**
   * The key as the kernel copies it from user space: nothing for key_size 0 (a key there is -EINVAL),
   * else key_size bytes (a missing or short buffer would fault: -EFAULT).
   */
  protected userKey(key: Uint8Array | undefined): Uint8Array | number {
    if (this.keySize === 0) return key === undefined || key.length === 0 ? new Uint8Array(0) : fail('EINVAL');
    if (key === undefined || key.length < this.keySize) return fail('EFAULT');
    return key.length === this.keySize ? key : key.subarray(0, this.keySize);
  }

  // ---- program side: defaults for types that do not support an operation ----

  lookup(_key: Uint8Array, _cpu = 0): number | undefined {
    return undefined;
  }

  updateFromProgram(key: Uint8Array, value: Uint8Array, flags: number, _cpu = 0): number {
    return this.updateElement(key, value, flags);
  }

  deleteFromProgram(key: Uint8Array): number {
    return this.deleteElement(key);
  }

  push(_value: Uint8Array, _flags: number): number {
    return fail('ENOTSUPP');
  }

  pop(): MapResult {
    return fail('ENOTSUPP');
  }

  peek(): MapResult {
    return fail('ENOTSUPP');
  }

  // ---- user side: permission and argument checks, then the type's operation ----

  lookupValue(key?: Uint8Array): MapResult {
    if (!this.userCanRead) return fail('EPERM');
    const checkedKey = this.userKey(key);
    if (typeof checkedKey === 'number') return checkedKey;
    return this.lookupElement(checkedKey);
  }

  update(key: Uint8Array | undefined, value: Uint8Array, flags = 0): number {
    if (!this.userCanWrite) return fail('EPERM');
    // Kernel: BPF_F_LOCK needs a bpf_spin_lock in the value, which tsbpf maps never have (no BTF records).
    if (flags & BPF_F_LOCK) return fail('EINVAL');
    const checkedKey = this.userKey(key);
    if (typeof checkedKey === 'number') return checkedKey;
    if (value.length < this.userValueSize) return fail('EFAULT');
    return this.updateElement(checkedKey, value.subarray(0, this.userValueSize), flags, true);
  }

  delete(key?: Uint8Array): number {
    if (!this.userCanWrite) return fail('EPERM');
    const checkedKey = this.userKey(key);
    if (typeof checkedKey === 'number') return checkedKey;
    return this.deleteElement(checkedKey);
  }

  lookupAndDelete(key?: Uint8Array): MapResult {
    if (!this.userCanRead || !this.userCanWrite) return fail('EPERM');
    const checkedKey = this.userKey(key);
    if (typeof checkedKey === 'number') return checkedKey;
    return this.lookupAndDeleteElement(checkedKey);
  }

  getNextKey(key?: Uint8Array): MapResult {
    if (!this.userCanRead) return fail('EPERM');
    if (key === undefined) return this.nextKey(undefined);
    const checkedKey = this.userKey(key);
    if (typeof checkedKey === 'number') return checkedKey;
    return this.nextKey(this.keySize === 0 ? undefined : checkedKey);
  }

  *entries(): IterableIterator<MapEntry> {
    let key: Uint8Array | undefined;
    for (;;) {
      const next = this.nextKey(key);
      if (typeof next === 'number') return;
      const value = this.lookupElement(next);
      if (typeof value !== 'number') yield { key: next, value };
      key = next;
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.releaseStorage();
    this.memory.free(this.address);
  }

  // ---- what each type implements ----

  /** User-space lookup of a checked key. */
  protected abstract lookupElement(key: Uint8Array): MapResult;
  /** Update; `fromUser` selects the user-space value format (all CPUs for per-CPU maps). */
  protected abstract updateElement(
    key: Uint8Array,
    value: Uint8Array,
    flags: number,
    fromUser?: boolean,
  ): number;
  protected abstract deleteElement(key: Uint8Array): number;
  protected abstract nextKey(key: Uint8Array | undefined): MapResult;
  protected abstract releaseStorage(): void;

  /** Kernel: only queue/stack (pop) and the hash types support BPF_MAP_LOOKUP_AND_DELETE_ELEM. */
  protected lookupAndDeleteElement(_key: Uint8Array): MapResult {
    return fail('ENOTSUPP');
  }
}
