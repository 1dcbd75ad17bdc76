// BPF maps of the VM: one class per map type with the kernel's semantics, created by createMap.
export { ArrayMap } from './array-map.js';
export { BloomFilterMap } from './bloom-filter-map.js';
export { CgroupStorageMap } from './cgroup-storage-map.js';
export type { BpfMap, MapEntry, MapResult, MapSpec } from './bpf-map.js';
export { type CreateMapOptions, createMap, type MapAttrs } from './create-map.js';
export { ArrayOfMapsMap, FdArrayMap, ProgArrayMap } from './fd-array-map.js';
export { CpuMap } from './cpumap-map.js';
export { DevMap, DevMapHash } from './devmap-map.js';
export { HashMap } from './hash-map.js';
export { HashOfMapsMap } from './hash-of-maps-map.js';
export type { InnerMapTemplate } from './inner-map.js';
export { LpmTrieMap } from './lpm-trie-map.js';
export { MapError } from './map-error.js';
export * from './perf-event-array-map.js';
export { QueueStackMap } from './queue-stack-map.js';
export { MapRegistry, type MapRegistryOptions } from './registry.js';
export {
  BPF_F_BROADCAST,
  BPF_F_EXCLUDE_INGRESS,
  type RedirectMapEnvironment,
  RedirectMap,
  type RedirectProgramResolver,
} from './redirect-map.js';
export * from './ringbuf-map.js';
export { BPF_SK_STORAGE_GET_F_CREATE, SkStorageMap } from './sk-storage-map.js';
export { type UserRingbufPeek, UserRingbufMap, type UserRingbufSample } from './user-ringbuf-map.js';
export {
  NO_SOCKETS,
  ReuseportSockArray,
  type SocketMapEnvironment,
  SockHash,
  SockMap,
} from './socket-map.js';
export { XskMap } from './xskmap-map.js';
