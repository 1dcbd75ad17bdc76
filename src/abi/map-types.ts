// Map types (Linux 6.18 `enum bpf_map_type`), their creation rules and user-space operations, and map flags.
import type { ErrnoName } from './errno.js';

/** Every `enum bpf_map_type` value; `name` is how libbpf prints it (`libbpf_bpf_map_type_str`). */
export const MAP_TYPES = [
  { id: 0, name: 'unspec', kernelName: 'BPF_MAP_TYPE_UNSPEC' },
  { id: 1, name: 'hash', kernelName: 'BPF_MAP_TYPE_HASH' },
  { id: 2, name: 'array', kernelName: 'BPF_MAP_TYPE_ARRAY' },
  { id: 3, name: 'prog_array', kernelName: 'BPF_MAP_TYPE_PROG_ARRAY' },
  { id: 4, name: 'perf_event_array', kernelName: 'BPF_MAP_TYPE_PERF_EVENT_ARRAY' },
  { id: 5, name: 'percpu_hash', kernelName: 'BPF_MAP_TYPE_PERCPU_HASH' },
  { id: 6, name: 'percpu_array', kernelName: 'BPF_MAP_TYPE_PERCPU_ARRAY' },
  { id: 7, name: 'stack_trace', kernelName: 'BPF_MAP_TYPE_STACK_TRACE' },
  { id: 8, name: 'cgroup_array', kernelName: 'BPF_MAP_TYPE_CGROUP_ARRAY' },
  { id: 9, name: 'lru_hash', kernelName: 'BPF_MAP_TYPE_LRU_HASH' },
  { id: 10, name: 'lru_percpu_hash', kernelName: 'BPF_MAP_TYPE_LRU_PERCPU_HASH' },
  { id: 11, name: 'lpm_trie', kernelName: 'BPF_MAP_TYPE_LPM_TRIE' },
  { id: 12, name: 'array_of_maps', kernelName: 'BPF_MAP_TYPE_ARRAY_OF_MAPS' },
  { id: 13, name: 'hash_of_maps', kernelName: 'BPF_MAP_TYPE_HASH_OF_MAPS' },
  { id: 14, name: 'devmap', kernelName: 'BPF_MAP_TYPE_DEVMAP' },
  { id: 15, name: 'sockmap', kernelName: 'BPF_MAP_TYPE_SOCKMAP' },
  { id: 16, name: 'cpumap', kernelName: 'BPF_MAP_TYPE_CPUMAP' },
  { id: 17, name: 'xskmap', kernelName: 'BPF_MAP_TYPE_XSKMAP' },
  { id: 18, name: 'sockhash', kernelName: 'BPF_MAP_TYPE_SOCKHASH' },
  { id: 19, name: 'cgroup_storage', kernelName: 'BPF_MAP_TYPE_CGROUP_STORAGE' },
  { id: 20, name: 'reuseport_sockarray', kernelName: 'BPF_MAP_TYPE_REUSEPORT_SOCKARRAY' },
  { id: 21, name: 'percpu_cgroup_storage', kernelName: 'BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE' },
  { id: 22, name: 'queue', kernelName: 'BPF_MAP_TYPE_QUEUE' },
  { id: 23, name: 'stack', kernelName: 'BPF_MAP_TYPE_STACK' },
  { id: 24, name: 'sk_storage', kernelName: 'BPF_MAP_TYPE_SK_STORAGE' },
  { id: 25, name: 'devmap_hash', kernelName: 'BPF_MAP_TYPE_DEVMAP_HASH' },
  { id: 26, name: 'struct_ops', kernelName: 'BPF_MAP_TYPE_STRUCT_OPS' },
  { id: 27, name: 'ringbuf', kernelName: 'BPF_MAP_TYPE_RINGBUF' },
  { id: 28, name: 'inode_storage', kernelName: 'BPF_MAP_TYPE_INODE_STORAGE' },
  { id: 29, name: 'task_storage', kernelName: 'BPF_MAP_TYPE_TASK_STORAGE' },
  { id: 30, name: 'bloom_filter', kernelName: 'BPF_MAP_TYPE_BLOOM_FILTER' },
  { id: 31, name: 'user_ringbuf', kernelName: 'BPF_MAP_TYPE_USER_RINGBUF' },
  { id: 32, name: 'cgrp_storage', kernelName: 'BPF_MAP_TYPE_CGRP_STORAGE' },
  { id: 33, name: 'arena', kernelName: 'BPF_MAP_TYPE_ARENA' },
] as const;

export type MapTypeName = (typeof MAP_TYPES)[number]['name'];
export type MapTypeInfo = (typeof MAP_TYPES)[number];

const mapTypesByName = new Map<string, MapTypeInfo>(MAP_TYPES.map((type) => [type.name, type]));
const mapTypesById = new Map<number, MapTypeInfo>(MAP_TYPES.map((type) => [type.id, type]));

export function mapTypeByName(name: string): MapTypeInfo | undefined {
  return mapTypesByName.get(name);
}
export function mapTypeById(id: number): MapTypeInfo | undefined {
  return mapTypesById.get(id);
}

/** `map_flags` bits of BPF_MAP_CREATE. */
export const BPF_F_NO_PREALLOC = 1 << 0;
export const BPF_F_NO_COMMON_LRU = 1 << 1;
export const BPF_F_NUMA_NODE = 1 << 2;
export const BPF_F_RDONLY = 1 << 3;
export const BPF_F_WRONLY = 1 << 4;
export const BPF_F_STACK_BUILD_ID = 1 << 5;
export const BPF_F_ZERO_SEED = 1 << 6;
export const BPF_F_RDONLY_PROG = 1 << 7;
export const BPF_F_WRONLY_PROG = 1 << 8;
export const BPF_F_CLONE = 1 << 9;
export const BPF_F_MMAPABLE = 1 << 10;
export const BPF_F_PRESERVE_ELEMS = 1 << 11;
export const BPF_F_INNER_MAP = 1 << 12;
export const BPF_F_LINK = 1 << 13;
export const BPF_F_PATH_FD = 1 << 14;
export const BPF_F_VTYPE_BTF_OBJ_FD = 1 << 15;
export const BPF_F_TOKEN_FD = 1 << 16;
export const BPF_F_SEGV_ON_FAULT = 1 << 17;
export const BPF_F_NO_USER_CONV = 1 << 18;
/** Kernel: BPF_F_ACCESS_MASK, the read/write restriction bits. */
export const BPF_F_ACCESS_MASK = BPF_F_RDONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY | BPF_F_WRONLY_PROG;

/** `flags` of BPF_MAP_UPDATE_ELEM and bpf_map_update_elem(). */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;

/** Size of `struct bpf_lpm_trie_key_u8`'s prefixlen; LPM keys carry 1..256 bytes of data after it. */
const LPM_PREFIXLEN_SIZE = 4;
/** Kernel: PCPU_MIN_UNIT_SIZE, the cap on a per-CPU value rounded up to 8. */
export const PCPU_MIN_UNIT_SIZE = 32768;
const PAGE_SIZE = 4096;

/** What BPF_MAP_CREATE is given. */
export interface MapCreateAttr {
  readonly mapType: MapTypeName;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly mapFlags: number;
  readonly mapExtra?: bigint;
}

/** A failed creation: the errno the kernel returns and why (our words: the kernel logs nothing). */
export interface MapCreateRejection {
  readonly errno: ErrnoName;
  readonly reason: string;
}

/** A user-space map command the type supports (true) or the errno its map ops answer with. */
export type UserMapOp = true | ErrnoName;

export interface MapTypeRules {
  readonly percpu: boolean;
  /** Map-type creation checks (`map_alloc_check`/`map_alloc`), in the kernel's order. */
  readonly check: (attr: MapCreateAttr) => MapCreateRejection | undefined;
  /** BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY from user space. */
  readonly userLookup: UserMapOp;
  readonly userUpdate: UserMapOp;
  readonly userDelete: UserMapOp;
  readonly userIterate: UserMapOp;
}

const reject = (errno: ErrnoName, reason: string): MapCreateRejection => ({ errno, reason });
const flagsOutside = (flags: number, allowed: number): boolean => (flags & ~allowed) !== 0;
/** Kernel: bpf_map_flags_access_ok — not both read-only and write-only for the same side. */
const accessFlagsOk = (flags: number): boolean =>
  !((flags & BPF_F_RDONLY_PROG) !== 0 && (flags & BPF_F_WRONLY_PROG) !== 0) &&
  !((flags & BPF_F_RDONLY) !== 0 && (flags & BPF_F_WRONLY) !== 0);

const ARRAY_FLAGS =
  BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_ACCESS_MASK | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP;
const HASH_FLAGS =
  BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK | BPF_F_ZERO_SEED;
const QUEUE_STACK_FLAGS = BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const LPM_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const BLOOM_FLAGS = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_ACCESS_MASK;
const RINGBUF_FLAGS = BPF_F_NUMA_NODE;

const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Kernel: array_map_alloc_check (array, percpu_array, and via fd_array_map_alloc_check the fd arrays). */
function checkArray(attr: MapCreateAttr): MapCreateRejection | undefined {
  const percpu = attr.mapType === 'percpu_array';
  if (attr.maxEntries === 0) return reject('EINVAL', 'max_entries must not be 0');
  if (attr.keySize !== 4) return reject('EINVAL', 'array key_size must be 4');
  if (attr.valueSize === 0) return reject('EINVAL', 'value_size must not be 0');
  if (flagsOutside(attr.mapFlags, ARRAY_FLAGS) || !accessFlagsOk(attr.mapFlags))
    return reject('EINVAL', 'unsupported map_flags');
  if (percpu && attr.mapFlags & BPF_F_NUMA_NODE)
    return reject('EINVAL', 'percpu array cannot take a NUMA node');
  if (attr.mapType !== 'array' && attr.mapFlags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP))
    return reject('EINVAL', 'BPF_F_MMAPABLE and BPF_F_INNER_MAP are for plain arrays only');
  if (attr.mapType !== 'perf_event_array' && attr.mapFlags & BPF_F_PRESERVE_ELEMS)
    return reject('EINVAL', 'BPF_F_PRESERVE_ELEMS is for perf_event_array only');
  if (attr.valueSize > 0x7fffffff) return reject('E2BIG', 'value_size too large');
  if (percpu && roundUp8(attr.valueSize) > PCPU_MIN_UNIT_SIZE)
    return reject('E2BIG', 'per-CPU value too large');
  return undefined;
}

/** Kernel: fd_array_map_alloc_check (prog_array, perf_event_array, cgroup_array, array_of_maps). */
function checkFdArray(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (attr.valueSize !== 4) return reject('EINVAL', 'value_size of an fd array must be 4');
  if (attr.mapFlags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
    return reject('EINVAL', 'fd arrays cannot be read- or write-only for programs');
  return checkArray(attr);
}

/** Kernel: htab_map_alloc_check (hash, percpu_hash, lru_hash, lru_percpu_hash). */
function checkHash(attr: MapCreateAttr): MapCreateRejection | undefined {
  const percpu = attr.mapType === 'percpu_hash' || attr.mapType === 'lru_percpu_hash';
  const lru = attr.mapType === 'lru_hash' || attr.mapType === 'lru_percpu_hash';
  const percpuLru = (attr.mapFlags & BPF_F_NO_COMMON_LRU) !== 0;
  const prealloc = (attr.mapFlags & BPF_F_NO_PREALLOC) === 0;
  if (flagsOutside(attr.mapFlags, HASH_FLAGS) || !accessFlagsOk(attr.mapFlags))
    return reject('EINVAL', 'unsupported map_flags');
  if (!lru && percpuLru) return reject('EINVAL', 'BPF_F_NO_COMMON_LRU needs an LRU map');
  if (lru && !prealloc) return reject('ENOTSUPP', 'LRU maps are always preallocated');
  if (attr.mapFlags & BPF_F_NUMA_NODE && (percpu || percpuLru))
    return reject('EINVAL', 'per-CPU maps cannot take a NUMA node');
  if (attr.maxEntries === 0 || attr.keySize === 0 || attr.valueSize === 0)
    return reject('EINVAL', 'max_entries, key_size and value_size must not be 0');
  if (percpu && roundUp8(attr.valueSize) > PCPU_MIN_UNIT_SIZE)
    return reject('E2BIG', 'per-CPU value too large');
  return undefined;
}

/** Kernel: queue_stack_map_alloc_check. */
function checkQueueStack(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize !== 0 ||
    attr.valueSize === 0 ||
    flagsOutside(attr.mapFlags, QUEUE_STACK_FLAGS) ||
    !accessFlagsOk(attr.mapFlags)
  )
    return reject('EINVAL', 'queue/stack need key_size 0, value_size > 0, max_entries > 0');
  return undefined;
}

/** Kernel: ringbuf_map_alloc (ringbuf and user_ringbuf). */
function checkRingbuf(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (flagsOutside(attr.mapFlags, RINGBUF_FLAGS)) return reject('EINVAL', 'unsupported map_flags');
  const size = attr.maxEntries;
  const powerOfTwo = size > 0 && (size & (size - 1)) === 0;
  if (attr.keySize !== 0 || attr.valueSize !== 0 || !powerOfTwo || size % PAGE_SIZE !== 0)
    return reject(
      'EINVAL',
      'ring buffer needs key/value size 0 and max_entries a power of 2 multiple of the page size',
    );
  return undefined;
}

/** Kernel: trie_alloc. */
function checkLpmTrie(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    (attr.mapFlags & BPF_F_NO_PREALLOC) === 0 ||
    flagsOutside(attr.mapFlags, LPM_FLAGS) ||
    !accessFlagsOk(attr.mapFlags) ||
    attr.keySize < LPM_PREFIXLEN_SIZE + 1 ||
    attr.keySize > LPM_PREFIXLEN_SIZE + 256 ||
    attr.valueSize < 1
  )
    return reject('EINVAL', 'lpm_trie needs BPF_F_NO_PREALLOC, key_size 5..260, value_size >= 1');
  return undefined;
}

/** Kernel: bloom_map_alloc. */
function checkBloomFilter(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.keySize !== 0 ||
    attr.valueSize === 0 ||
    attr.maxEntries === 0 ||
    flagsOutside(attr.mapFlags, BLOOM_FLAGS) ||
    !accessFlagsOk(attr.mapFlags) ||
    ((attr.mapExtra ?? 0n) & ~0xfn) !== 0n
  )
    return reject(
      'EINVAL',
      'bloom filter needs key_size 0, value_size > 0, max_entries > 0, map_extra <= 15',
    );
  return undefined;
}

/** Kernel: DEV_CREATE_FLAG_MASK (devmap, devmap_hash) and xsk_map_alloc's flags. */
const DEVMAP_FLAGS = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;
/** Kernel: NR_CPUS of a Debian x86-64 kernel, cpu_map_alloc's cap on max_entries. */
export const NR_CPUS = 8192;

/** Kernel: dev_map_init_map. Values are `struct bpf_devmap_val`: ifindex, then optionally a program fd. */
function checkDevmap(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize !== 4 ||
    (attr.valueSize !== 4 && attr.valueSize !== 8) ||
    flagsOutside(attr.mapFlags, DEVMAP_FLAGS)
  )
    return reject('EINVAL', 'devmap needs key_size 4, value_size 4 or 8, max_entries > 0');
  if (attr.mapType === 'devmap_hash' && attr.maxEntries > 2 ** 31)
    return reject('EINVAL', 'devmap_hash max_entries above 2^31');
  return undefined;
}

/** Kernel: cpu_map_alloc. Values are `struct bpf_cpumap_val`: queue size, then optionally a program fd. */
function checkCpumap(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize !== 4 ||
    (attr.valueSize !== 4 && attr.valueSize !== 8) ||
    flagsOutside(attr.mapFlags, BPF_F_NUMA_NODE)
  )
    return reject('EINVAL', 'cpumap needs key_size 4, value_size 4 or 8, max_entries > 0');
  if (attr.maxEntries > NR_CPUS) return reject('E2BIG', `cpumap max_entries above NR_CPUS (${NR_CPUS})`);
  return undefined;
}

/** Kernel: xsk_map_alloc. Values are AF_XDP socket fds. */
function checkXskmap(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize !== 4 ||
    attr.valueSize !== 4 ||
    flagsOutside(attr.mapFlags, DEVMAP_FLAGS)
  )
    return reject('EINVAL', 'xskmap needs key_size 4, value_size 4, max_entries > 0');
  return undefined;
}

/** Kernel: SOCK_CREATE_FLAG_MASK. */
const SOCK_MAP_FLAGS = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;
/** Kernel: MAX_BPF_STACK bounds a sockhash key; sizeof(struct bpf_shtab_bucket) bounds its bucket array. */
const SOCKHASH_MAX_KEY_SIZE = 512;
const SOCKHASH_BUCKET_SIZE = 16;

/** Kernel: sock_map_alloc. Values are socket fds (4 or 8 bytes). */
function checkSockmap(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize !== 4 ||
    (attr.valueSize !== 4 && attr.valueSize !== 8) ||
    flagsOutside(attr.mapFlags, SOCK_MAP_FLAGS)
  )
    return reject('EINVAL', 'sockmap needs key_size 4, value_size 4 or 8, max_entries > 0');
  return undefined;
}

/** Kernel: reuseport_array_alloc_check. Values are socket fds (4 or 8 bytes); the rest is an array's. */
function checkReuseportSockarray(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (attr.valueSize !== 4 && attr.valueSize !== 8)
    return reject('EINVAL', 'reuseport_sockarray value_size must be 4 or 8');
  return checkArray(attr);
}

/** Kernel: sock_hash_alloc. */
function checkSockhash(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    attr.maxEntries === 0 ||
    attr.keySize === 0 ||
    (attr.valueSize !== 4 && attr.valueSize !== 8) ||
    flagsOutside(attr.mapFlags, SOCK_MAP_FLAGS)
  )
    return reject('EINVAL', 'sockhash needs key_size > 0, value_size 4 or 8, max_entries > 0');
  if (attr.keySize > SOCKHASH_MAX_KEY_SIZE) return reject('E2BIG', 'sockhash key_size above 512');
  let buckets = 1;
  while (buckets < attr.maxEntries) buckets *= 2;
  if (buckets > Math.floor(0xffff_ffff / SOCKHASH_BUCKET_SIZE))
    return reject('EINVAL', 'max_entries too large for a sockhash');
  return undefined;
}

/** Kernel: BPF_LOCAL_STORAGE_CREATE_FLAG_MASK. */
const LOCAL_STORAGE_FLAGS = BPF_F_NO_PREALLOC | BPF_F_CLONE;
/** Kernel: BPF_LOCAL_STORAGE_MAX_VALUE_SIZE on x86-64 (U16_MAX less a 128-byte bpf_local_storage_elem). */
const LOCAL_STORAGE_MAX_VALUE_SIZE = 0xffff - 128;

/**
 * Kernel: bpf_local_storage_map_alloc_check (sk_storage and the other local storages). The kernel also wants the
 * map's BTF key and value types (for dumps), which tsbpf does not check.
 */
function checkLocalStorage(attr: MapCreateAttr): MapCreateRejection | undefined {
  if (
    flagsOutside(attr.mapFlags, LOCAL_STORAGE_FLAGS) ||
    (attr.mapFlags & BPF_F_NO_PREALLOC) === 0 ||
    attr.maxEntries !== 0 ||
    attr.keySize !== 4 ||
    attr.valueSize === 0
  )
    return reject(
      'EINVAL',
      'local storage needs BPF_F_NO_PREALLOC, max_entries 0, key_size 4, value_size > 0',
    );
  if (attr.valueSize > LOCAL_STORAGE_MAX_VALUE_SIZE) return reject('E2BIG', 'value_size too large');
  return undefined;
}

/** Kernel: cgroup storage's LOCAL_STORAGE_CREATE_FLAG_MASK. */
const CGROUP_STORAGE_FLAGS = BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
/** Kernel: sizeof(struct bpf_cgroup_storage_key) (u64 cgroup id, u32 attach type, padded) or a u64 cgroup id. */
const CGROUP_STORAGE_KEY_SIZES = [16, 8];

/** Kernel: cgroup_storage_map_alloc. */
function checkCgroupStorage(attr: MapCreateAttr): MapCreateRejection | undefined {
  const maxValueSize =
    attr.mapType === 'percpu_cgroup_storage'
      ? Math.min(LOCAL_STORAGE_MAX_VALUE_SIZE, PCPU_MIN_UNIT_SIZE)
      : LOCAL_STORAGE_MAX_VALUE_SIZE;
  if (!CGROUP_STORAGE_KEY_SIZES.includes(attr.keySize))
    return reject('EINVAL', 'cgroup storage key_size must be 16 or 8');
  if (attr.valueSize === 0) return reject('EINVAL', 'value_size must not be 0');
  if (attr.valueSize > maxValueSize) return reject('E2BIG', 'value_size too large');
  if (flagsOutside(attr.mapFlags, CGROUP_STORAGE_FLAGS) || !accessFlagsOk(attr.mapFlags))
    return reject('EINVAL', 'unsupported map_flags');
  if (attr.maxEntries !== 0) return reject('EINVAL', 'cgroup storage needs max_entries 0');
  return undefined;
}

const hashOps = { userLookup: true, userUpdate: true, userDelete: true, userIterate: true } as const;
const arrayOps = { userLookup: true, userUpdate: true, userDelete: 'EINVAL', userIterate: true } as const;
const fdArrayOps = { userLookup: true, userUpdate: true, userDelete: true, userIterate: true } as const;
/** Queue/stack: lookup peeks, update pushes (kernel: map_peek_elem/map_push_elem from the syscall). */
const queueOps = { userLookup: true, userUpdate: true, userDelete: 'EINVAL', userIterate: 'EINVAL' } as const;
const ringbufOps = {
  userLookup: 'ENOTSUPP',
  userUpdate: 'ENOTSUPP',
  userDelete: 'ENOTSUPP',
  userIterate: 'ENOTSUPP',
} as const;
const bloomOps = {
  userLookup: true,
  userUpdate: true,
  userDelete: 'EOPNOTSUPP',
  userIterate: 'EOPNOTSUPP',
} as const;

/** Creation rules and user-space behaviour of the map types tsbpf models; the others are not modeled. */
export const MAP_TYPE_RULES: Partial<Record<MapTypeName, MapTypeRules>> = {
  hash: { percpu: false, check: checkHash, ...hashOps },
  percpu_hash: { percpu: true, check: checkHash, ...hashOps },
  lru_hash: { percpu: false, check: checkHash, ...hashOps },
  lru_percpu_hash: { percpu: true, check: checkHash, ...hashOps },
  array: { percpu: false, check: checkArray, ...arrayOps },
  percpu_array: { percpu: true, check: checkArray, ...arrayOps },
  prog_array: { percpu: false, check: checkFdArray, ...fdArrayOps },
  perf_event_array: { percpu: false, check: checkFdArray, ...fdArrayOps },
  cgroup_array: { percpu: false, check: checkFdArray, ...fdArrayOps },
  array_of_maps: { percpu: false, check: checkFdArray, ...fdArrayOps },
  queue: { percpu: false, check: checkQueueStack, ...queueOps },
  stack: { percpu: false, check: checkQueueStack, ...queueOps },
  ringbuf: { percpu: false, check: checkRingbuf, ...ringbufOps },
  user_ringbuf: { percpu: false, check: checkRingbuf, ...ringbufOps },
  lpm_trie: { percpu: false, check: checkLpmTrie, ...hashOps },
  bloom_filter: { percpu: false, check: checkBloomFilter, ...bloomOps },
  devmap: { percpu: false, check: checkDevmap, ...hashOps },
  devmap_hash: { percpu: false, check: checkDevmap, ...hashOps },
  cpumap: { percpu: false, check: checkCpumap, ...hashOps },
  /** Kernel: xsk_map_lookup_elem_sys_only refuses user-space lookups. */
  xskmap: { percpu: false, check: checkXskmap, ...hashOps, userLookup: 'EOPNOTSUPP' },
  sk_storage: { percpu: false, check: checkLocalStorage, ...hashOps, userIterate: 'ENOTSUPP' },
  sockmap: { percpu: false, check: checkSockmap, ...hashOps },
  sockhash: { percpu: false, check: checkSockhash, ...hashOps },
  reuseport_sockarray: { percpu: false, check: checkReuseportSockarray, ...hashOps },
  cgroup_storage: { percpu: false, check: checkCgroupStorage, ...hashOps, userDelete: 'EINVAL' },
  percpu_cgroup_storage: { percpu: true, check: checkCgroupStorage, ...hashOps, userDelete: 'EINVAL' },
};

/**
 * Helpers a program may pass a map of this type to (kernel: check_map_func_compatibility, map side). Types not
 * listed accept any helper that takes a map. Sockmap/sockhash also accept map updates/deletes in some program
 * types (kernel: may_update_sockmap), not listed here.
 */
export const MAP_TYPE_HELPERS: Partial<Record<MapTypeName, readonly string[]>> = {
  prog_array: ['tail_call'],
  perf_event_array: [
    'perf_event_read',
    'perf_event_output',
    'skb_output',
    'perf_event_read_value',
    'xdp_output',
  ],
  ringbuf: [
    'ringbuf_output',
    'ringbuf_reserve',
    'ringbuf_query',
    'ringbuf_reserve_dynptr',
    'ringbuf_submit_dynptr',
    'ringbuf_discard_dynptr',
  ],
  user_ringbuf: ['user_ringbuf_drain'],
  stack_trace: ['get_stackid'],
  cgroup_array: ['skb_under_cgroup', 'current_task_under_cgroup'],
  cgroup_storage: ['get_local_storage'],
  percpu_cgroup_storage: ['get_local_storage'],
  devmap: ['redirect_map', 'map_lookup_elem'],
  devmap_hash: ['redirect_map', 'map_lookup_elem'],
  cpumap: ['redirect_map'],
  xskmap: ['redirect_map', 'map_lookup_elem'],
  array_of_maps: ['map_lookup_elem'],
  hash_of_maps: ['map_lookup_elem'],
  sockmap: [
    'sk_redirect_map',
    'sock_map_update',
    'msg_redirect_map',
    'sk_select_reuseport',
    'map_lookup_elem',
  ],
  sockhash: [
    'sk_redirect_hash',
    'sock_hash_update',
    'msg_redirect_hash',
    'sk_select_reuseport',
    'map_lookup_elem',
  ],
  reuseport_sockarray: ['sk_select_reuseport'],
  queue: ['map_peek_elem', 'map_pop_elem', 'map_push_elem'],
  stack: ['map_peek_elem', 'map_pop_elem', 'map_push_elem'],
  sk_storage: ['sk_storage_get', 'sk_storage_delete', 'kptr_xchg'],
  inode_storage: ['inode_storage_get', 'inode_storage_delete', 'kptr_xchg'],
  task_storage: ['task_storage_get', 'task_storage_delete', 'kptr_xchg'],
  cgrp_storage: ['cgrp_storage_get', 'cgrp_storage_delete', 'kptr_xchg'],
  bloom_filter: ['map_peek_elem', 'map_push_elem'],
};

/** Run the creation checks of a modeled map type; undefined when it is accepted (or not modeled). */
export function checkMapCreate(attr: MapCreateAttr): MapCreateRejection | undefined {
  return MAP_TYPE_RULES[attr.mapType]?.check(attr);
}
