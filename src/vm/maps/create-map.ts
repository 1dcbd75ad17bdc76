// createMap: BPF_MAP_CREATE for the VM — the kernel's attribute checks, then the map type's class.
import type { ErrnoName } from '../../abi/errno.js';
import {
  BPF_F_NO_COMMON_LRU,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_WRONLY,
  checkMapCreate,
  type MapTypeName,
  mapTypeById,
  mapTypeByName,
} from '../../abi/map-types.js';
import { MemoryError, type VmMemory } from '../memory.js';
import { LOOPBACK } from '../network.js';
import { CpuMap } from './cpumap-map.js';
import { DevMap, DevMapHash } from './devmap-map.js';
import { ArrayMap } from './array-map.js';
import { BloomFilterMap } from './bloom-filter-map.js';
import { CgroupStorageMap } from './cgroup-storage-map.js';
import type { BpfMap, MapSpec } from './bpf-map.js';
import { ArrayOfMapsMap, ProgArrayMap } from './fd-array-map.js';
import { HashMap } from './hash-map.js';
import { HashOfMapsMap } from './hash-of-maps-map.js';
import { innerMapTemplate, innerMapTemplateError } from './inner-map.js';
import { LpmTrieMap } from './lpm-trie-map.js';
import { MapError } from './map-error.js';
import { PerfEventArrayMap } from './perf-event-array-map.js';
import { CgroupArrayMap } from './cgroup-array-map.js';
import { QueueStackMap } from './queue-stack-map.js';
import type { RedirectMapEnvironment } from './redirect-map.js';
import { RingbufMap } from './ringbuf-map.js';
import { SkStorageMap } from './sk-storage-map.js';
import {
  NO_SOCKETS,
  ReuseportSockArray,
  type SocketMapEnvironment,
  SockHash,
  SockMap,
} from './socket-map.js';
import { UserRingbufMap } from './user-ringbuf-map.js';
import { XskMap } from './xskmap-map.js';

/** What BPF_MAP_CREATE is given (libbpf's bpf_map_create arguments). */
export interface MapAttrs {
  /** Map type by libbpf name ('hash', 'array', ...) or `enum bpf_map_type` id. */
  readonly type: MapTypeName | number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags?: number;
  /** Kernel: map_name, at most 15 characters of [A-Za-z0-9_.]. */
  readonly name?: string;
  /** Map-in-map: the map whose shape every inner map must have (kernel: inner_map_fd). */
  readonly innerMap?: BpfMap;
  /** Kernel: map_extra (a bloom filter's number of hash functions in its low 4 bits). */
  readonly mapExtra?: bigint;
}

export interface CreateMapOptions {
  /** The map's id (what user-space lookups of maps of maps return); default 0. */
  readonly id?: number;
  /** CPUs of the VM, for per-CPU maps; default 1. */
  readonly cpus?: number;
  /** Resolves an inner map handle (maps of maps); without it every inner map update is -EBADF. */
  readonly resolveMap?: (handle: number) => BpfMap | undefined;
  /** Checks a program handle stored in a prog_array: 0, -EBADF or -EINVAL; default accepts all. */
  readonly checkProgram?: (handle: number) => number;
  /** The cgroup id a cgroup_array handle names; without it every update is -EBADF. */
  readonly resolveCgroup?: (handle: number) => bigint | undefined;
  /** Checks a perf event handle stored in a perf_event_array; default accepts all. */
  readonly checkPerfEvent?: (handle: number) => number;
  /** Interfaces and programs devmap/cpumap entries name; default: `lo` alone and no programs. */
  readonly redirect?: RedirectMapEnvironment;
  /** The sockets sockmap/sockhash values and sk_storage keys name; default none (user space gets EBADF). */
  readonly sockets?: SocketMapEnvironment;
}

const DEFAULT_REDIRECT_ENVIRONMENT: RedirectMapEnvironment = {
  interfaceByIndex: (ifindex) => (ifindex === LOOPBACK.ifindex ? LOOPBACK : undefined),
};

/** Types tsbpf implements. */
const IMPLEMENTED = new Set<MapTypeName>([
  'hash',
  'array',
  'prog_array',
  'perf_event_array',
  'cgroup_array',
  'percpu_hash',
  'percpu_array',
  'lru_hash',
  'lru_percpu_hash',
  'lpm_trie',
  'array_of_maps',
  'hash_of_maps',
  'queue',
  'stack',
  'ringbuf',
  'devmap',
  'devmap_hash',
  'cpumap',
  'xskmap',
  'bloom_filter',
  'user_ringbuf',
  'sk_storage',
  'cgroup_storage',
  'percpu_cgroup_storage',
  'sockmap',
  'sockhash',
  'reuseport_sockarray',
]);

/** Why each map type tsbpf does not implement is refused: what it would need that a Vm does not have. */
const NOT_IMPLEMENTED_BECAUSE: Partial<Record<MapTypeName, string>> = {
  stack_trace: 'it stores kernel and user stack traces, and a Vm has no stacks to walk',
  struct_ops: 'it implements kernel structures of function pointers, which need the kernel',
  inode_storage: 'its values belong to inodes, and a Vm has no files',
  task_storage: 'its values belong to tasks, and a Vm has no tasks',
  cgrp_storage: 'its values belong to cgroups, and a Vm has no cgroups',
  arena:
    "it maps pages shared with user space at the program's own addresses (BPF_ADDR_SPACE_CAST), which tsbpf's single memory does not model",
};

/** Kernel: KMALLOC_MAX_SIZE on x86-64 (4 MiB), which bounds hash elements, trie values and queue values. */
const KMALLOC_MAX_SIZE = 1 << 22;
/** Kernel: sizeof(struct htab_elem) and sizeof(struct lpm_trie_node) on x86-64. */
const HTAB_ELEM_SIZE = 48;
const LPM_TRIE_NODE_SIZE = 24;
const LPM_DATA_SIZE_MAX = 256;
/** Kernel: sizeof(struct bucket); n_buckets * this must fit in a u32. */
const HTAB_BUCKET_SIZE = 16;

type Rejection = { errno: ErrnoName; reason: string } | undefined;

const isU32 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 0xffffffff;

/**
 * Creation checks the kernel makes that `abi/map-types.ts` does not (yet) hold; measured against Linux 6.18
 * (bpf_map_create on the running kernel) and the kernel source.
 */
function checkTypeLimits(typeName: MapTypeName, attrs: MapAttrs, flags: number): Rejection {
  if (typeName === 'hash_of_maps') {
    // Kernel: fd_htab_map_alloc_check, then the hash checks (abi has no rules for hash_of_maps yet).
    if (attrs.valueSize !== 4) return { errno: 'EINVAL', reason: 'value_size of a map of maps must be 4' };
    const hashRejection = checkMapCreate({
      mapType: 'hash',
      keySize: attrs.keySize,
      valueSize: attrs.valueSize,
      maxEntries: attrs.maxEntries,
      mapFlags: flags,
    });
    if (hashRejection !== undefined) return hashRejection;
  }
  const isHash = ['hash', 'percpu_hash', 'lru_hash', 'lru_percpu_hash', 'hash_of_maps'].includes(typeName);
  if (isHash) {
    // Kernel: htab_map_alloc_check bounds key + value by what kmalloc can hold with the element header.
    if (attrs.keySize + attrs.valueSize >= KMALLOC_MAX_SIZE - HTAB_ELEM_SIZE) {
      return { errno: 'E2BIG', reason: 'key_size + value_size too large' };
    }
    // Kernel: htab_map_alloc needs max_entries <= 2^31 and a bucket array whose size fits in a u32.
    let buckets = 1;
    while (buckets < attrs.maxEntries) buckets *= 2;
    if (attrs.maxEntries > 2 ** 31 || buckets > Math.floor(0xffffffff / HTAB_BUCKET_SIZE)) {
      return { errno: 'E2BIG', reason: 'max_entries too large for a hash table' };
    }
  }
  if (
    typeName === 'lpm_trie' &&
    attrs.valueSize > KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - LPM_TRIE_NODE_SIZE
  ) {
    return { errno: 'EINVAL', reason: 'lpm_trie value_size too large' };
  }
  if ((typeName === 'queue' || typeName === 'stack') && attrs.valueSize > KMALLOC_MAX_SIZE) {
    return { errno: 'E2BIG', reason: 'value_size too large' };
  }
  return undefined;
}

/** Kernel: bpf_obj_name_cpy accepts alphanumerics, '_' and '.', NUL-terminated within 16 bytes. */
function nameError(name: string): string | undefined {
  if (name.length > 15) return `map name '${name}' is longer than 15 characters`;
  if (!/^[A-Za-z0-9_.]*$/.test(name)) return `map name '${name}' has characters other than [A-Za-z0-9_.]`;
  return undefined;
}

/**
 * Creates a map in `memory` as BPF_MAP_CREATE would, or throws MapError with the kernel's errno.
 * Kernel order: generic attribute checks, the type's alloc checks, then allocation (-ENOMEM).
 */
export function createMap(memory: VmMemory, attrs: MapAttrs, options: CreateMapOptions = {}): BpfMap {
  const name = attrs.name ?? '';
  const typeInfo = typeof attrs.type === 'number' ? mapTypeById(attrs.type) : mapTypeByName(attrs.type);
  const typeLabel = typeInfo?.name ?? String(attrs.type);
  const reject = (errno: ErrnoName, reason: string): never => {
    throw new MapError(errno, `map '${name}' (${typeLabel}): failed to create: ${reason}`, name, typeLabel);
  };
  if (typeInfo === undefined || typeInfo.name === 'unspec') return reject('EINVAL', 'unknown map type');
  const typeName = typeInfo.name;
  const flags = attrs.flags ?? 0;
  const cpus = options.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 4096) return reject('EINVAL', `bad CPU count ${cpus}`);
  for (const [field, value] of [
    ['key_size', attrs.keySize],
    ['value_size', attrs.valueSize],
    ['max_entries', attrs.maxEntries],
    ['map_flags', flags],
  ] as const) {
    if (!isU32(value)) return reject('EINVAL', `${field} ${value} is not a u32`);
  }
  // Kernel: bpf_get_file_flag — an fd cannot be both read-only and write-only.
  if (flags & BPF_F_RDONLY && flags & BPF_F_WRONLY) return reject('EINVAL', 'BPF_F_RDONLY with BPF_F_WRONLY');
  const mapExtra = attrs.mapExtra ?? 0n;
  if (mapExtra < 0n || mapExtra > 0xffff_ffff_ffff_ffffn)
    return reject('EINVAL', `map_extra ${mapExtra} is not a u64`);
  // Kernel map_create: only bloom filters and arenas take map_extra.
  if (mapExtra !== 0n && typeName !== 'bloom_filter' && typeName !== 'arena')
    return reject('EINVAL', 'map_extra is for bloom filters and arenas only');
  if (!IMPLEMENTED.has(typeName)) {
    const because = NOT_IMPLEMENTED_BECAUSE[typeName];
    return reject(
      'ENOTSUPP',
      `map type ${typeName} is not supported by tsbpf${because ? `: ${because}` : ''}`,
    );
  }

  const abiRejection =
    typeName === 'hash_of_maps'
      ? undefined
      : checkMapCreate({
          mapType: typeName,
          keySize: attrs.keySize,
          valueSize: attrs.valueSize,
          maxEntries: attrs.maxEntries,
          mapFlags: flags,
          mapExtra: attrs.mapExtra ?? 0n,
        });
  const rejection = abiRejection ?? checkTypeLimits(typeName, attrs, flags);
  if (rejection !== undefined) return reject(rejection.errno, rejection.reason);

  const isMapOfMaps = typeName === 'array_of_maps' || typeName === 'hash_of_maps';
  if (isMapOfMaps) {
    if (attrs.innerMap === undefined) return reject('EBADF', 'a map of maps needs an inner map');
    const innerError = innerMapTemplateError(attrs.innerMap);
    if (innerError !== undefined) {
      return reject(innerError, `map type ${attrs.innerMap.typeName} cannot be an inner map`);
    }
  }
  const nameProblem = nameError(name);
  if (nameProblem !== undefined) return reject('EINVAL', nameProblem);

  let maxEntries = attrs.maxEntries;
  if ((typeName === 'lru_hash' || typeName === 'lru_percpu_hash') && flags & BPF_F_NO_COMMON_LRU) {
    // Kernel: with per-CPU LRU lists every CPU gets the same share, so max_entries becomes a multiple of CPUs.
    maxEntries = Math.ceil(maxEntries / cpus) * cpus;
    if (maxEntries > 0xffffffff) maxEntries = Math.floor(attrs.maxEntries / cpus) * cpus;
  }
  const spec: MapSpec = {
    id: options.id ?? 0,
    type: typeInfo.id,
    typeName,
    name,
    keySize: attrs.keySize,
    valueSize: attrs.valueSize,
    maxEntries,
    // Kernel dev_map_init_map: a devmap lookup points at the kernel's own entry, so programs may only read it.
    flags:
      (flags & ~(BPF_F_RDONLY | BPF_F_WRONLY)) |
      (typeName === 'devmap' || typeName === 'devmap_hash' ? BPF_F_RDONLY_PROG : 0),
    cpus,
    userCanRead: (flags & BPF_F_WRONLY) === 0,
    userCanWrite: (flags & BPF_F_RDONLY) === 0,
  };
  try {
    return instantiate(memory, spec, attrs, options);
  } catch (error) {
    if (error instanceof MemoryError && error.code === 'ENOMEM') {
      throw new MapError(
        'ENOMEM',
        `map '${name}' (${typeLabel}): failed to create: ${error.message}`,
        name,
        typeLabel,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

function instantiate(memory: VmMemory, spec: MapSpec, attrs: MapAttrs, options: CreateMapOptions): BpfMap {
  switch (spec.typeName) {
    case 'array':
    case 'percpu_array':
      return new ArrayMap(memory, spec);
    case 'hash':
    case 'percpu_hash':
    case 'lru_hash':
    case 'lru_percpu_hash':
      return new HashMap(memory, spec);
    case 'prog_array':
      return new ProgArrayMap(memory, spec, options.checkProgram);
    case 'perf_event_array':
      return new PerfEventArrayMap(memory, spec, options.checkPerfEvent);
    case 'cgroup_array':
      return new CgroupArrayMap(memory, spec, options.resolveCgroup);
    case 'array_of_maps':
      return new ArrayOfMapsMap(memory, spec, innerMapTemplate(attrs.innerMap!), options.resolveMap);
    case 'hash_of_maps':
      return new HashOfMapsMap(memory, spec, innerMapTemplate(attrs.innerMap!), options.resolveMap);
    case 'lpm_trie':
      return new LpmTrieMap(memory, spec);
    case 'queue':
    case 'stack':
      return new QueueStackMap(memory, spec);
    case 'ringbuf':
      return new RingbufMap(memory, spec);
    case 'sk_storage':
      return new SkStorageMap(memory, spec, options.sockets ?? NO_SOCKETS);
    case 'cgroup_storage':
    case 'percpu_cgroup_storage':
      return new CgroupStorageMap(memory, spec);
    case 'user_ringbuf':
      return new UserRingbufMap(memory, spec);
    case 'devmap':
      return new DevMap(memory, spec, options.redirect ?? DEFAULT_REDIRECT_ENVIRONMENT);
    case 'devmap_hash':
      return new DevMapHash(memory, spec, options.redirect ?? DEFAULT_REDIRECT_ENVIRONMENT);
    case 'cpumap':
      return new CpuMap(memory, spec, options.redirect ?? DEFAULT_REDIRECT_ENVIRONMENT);
    case 'xskmap':
      return new XskMap(memory, spec);
    case 'sockmap':
      return new SockMap(memory, spec, options.sockets ?? NO_SOCKETS);
    case 'sockhash':
      return new SockHash(memory, spec, options.sockets ?? NO_SOCKETS);
    case 'reuseport_sockarray':
      return new ReuseportSockArray(memory, spec, options.sockets ?? NO_SOCKETS);
    case 'bloom_filter':
      return new BloomFilterMap(memory, spec, attrs.mapExtra ?? 0n);
    default:
      throw new MapError(
        'ENOTSUPP',
        `map type ${spec.typeName} is not supported by tsbpf`,
        spec.name,
        spec.typeName,
      );
  }
}
