// The kernel ABI as data: program/attach/map types, section names, contexts, helpers, limits, errno.
export * from './context.js';
export * from './context-access.js';
export * from './context-structs.js';
export * from './errno.js';
export * from './helpers.js';
export * from './limits.js';
export * from './map-types.js';
export * from './program-types.js';
export * from './return-ranges.js';
