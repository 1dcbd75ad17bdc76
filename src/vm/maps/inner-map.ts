// Map-in-map: the template an outer map keeps of its inner map, and the kernel's compatibility rule.
import { BPF_F_INNER_MAP } from '../../abi/map-types.js';
import type { MapTypeName } from '../../abi/map-types.js';
import type { BpfMap } from './bpf-map.js';

/** What the kernel's inner_map_meta keeps of the map given at creation (inner_map_fd). */
export interface InnerMapTemplate {
  readonly typeName: MapTypeName;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
}

/** Types that cannot be inner maps: -EINVAL for maps of maps, -ENOTSUPP for types without map_meta_equal. */
export function innerMapTemplateError(inner: BpfMap): 'EINVAL' | 'ENOTSUPP' | undefined {
  if (inner.typeName === 'array_of_maps' || inner.typeName === 'hash_of_maps') return 'EINVAL';
  if (inner.typeName === 'prog_array') return 'ENOTSUPP';
  return undefined;
}

export function innerMapTemplate(inner: BpfMap): InnerMapTemplate {
  return {
    typeName: inner.typeName,
    keySize: inner.keySize,
    valueSize: inner.valueSize,
    maxEntries: inner.maxEntries,
    flags: inner.flags,
  };
}

/**
 * Kernel: bpf_map_meta_equal compares type, key and value size and map_flags; arrays also compare
 * max_entries unless the template was created with BPF_F_INNER_MAP (per-CPU arrays do not).
 */
export function innerMapMatches(template: InnerMapTemplate, candidate: BpfMap): boolean {
  const sameShape =
    template.typeName === candidate.typeName &&
    template.keySize === candidate.keySize &&
    template.valueSize === candidate.valueSize &&
    template.flags === candidate.flags;
  if (!sameShape) return false;
  if (template.typeName === 'array' && (template.flags & BPF_F_INNER_MAP) === 0)
    return template.maxEntries === candidate.maxEntries;
  return true;
}
