// BPF maps of the VM: one class per map type with the kernel's semantics, created by createMap.
export { ArrayMap } from './array-map.js';
export type { BpfMap, MapEntry, MapResult, MapSpec } from './bpf-map.js';
export { type CreateMapOptions, createMap, type MapAttrs } from './create-map.js';
export { ArrayOfMapsMap, FdArrayMap, ProgArrayMap } from './fd-array-map.js';
export { HashMap } from './hash-map.js';
export { HashOfMapsMap } from './hash-of-maps-map.js';
export type { InnerMapTemplate } from './inner-map.js';
export { LpmTrieMap } from './lpm-trie-map.js';
export { MapError } from './map-error.js';
export * from './perf-event-array-map.js';
export { QueueStackMap } from './queue-stack-map.js';
export { MapRegistry, type MapRegistryOptions } from './registry.js';
export * from './ringbuf-map.js';
