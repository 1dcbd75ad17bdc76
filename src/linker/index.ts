// Public surface of the static linker: link several BPF objects into one.

export { btfTypeMismatch, mapDefinitionMismatch } from './btf-compat.js';
export { LinkError, type LinkErrorLocation } from './link-error.js';
export { type LinkInput, type LinkOptions, linkObjects } from './link-objects.js';
