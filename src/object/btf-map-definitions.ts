// Reads BTF-defined maps (`struct {...} name SEC(".maps")`) the way libbpf 1.1 interprets their members.

import type { Btf, BtfType } from '../btf/index.js';
import type { MapDefinition } from './bpf-object.js';

/** The parts of a map definition a struct in `.maps` can give; unset members stay undefined. */
interface MapDefinitionFields {
  type?: number;
  keySize?: number;
  valueSize?: number;
  maxEntries?: number;
  flags?: number;
  numaNode?: number;
  pinning?: number;
  mapExtra?: bigint;
  btfKeyTypeId?: number;
  btfValueTypeId?: number;
  inner?: MapDefinitionFields & { name: string };
  /** Byte offset of the `values` member (map-in-map or prog_array with initial slots). */
  valuesOffset?: number;
}

export class MapDefinitionError extends Error {
  override readonly name = 'MapDefinitionError';
}

const PLAIN_INT_FIELDS: Readonly<Record<string, keyof MapDefinitionFields>> = {
  type: 'type',
  max_entries: 'maxEntries',
  map_flags: 'flags',
  numa_node: 'numaNode',
  key_size: 'keySize',
  value_size: 'valueSize',
  pinning: 'pinning',
};

const BPF_MAP_TYPE_PROG_ARRAY = 3;
const BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
const BPF_MAP_TYPE_HASH_OF_MAPS = 13;

function skipModsAndTypedefs(btf: Btf, id: number): { id: number; type: BtfType } {
  let current = id;
  for (let depth = 0; depth < 64; depth++) {
    const type = btf.typeById(current);
    if (
      type.kind === 'typedef' ||
      type.kind === 'const' ||
      type.kind === 'volatile' ||
      type.kind === 'restrict' ||
      type.kind === 'type_tag'
    ) {
      current = type.type;
      continue;
    }
    return { id: current, type };
  }
  throw new MapDefinitionError(`type [${id}] has too many modifiers`);
}

/** `__uint(name, N)` is encoded as `int (*name)[N]`: a pointer to an array of N elements. */
function fieldInt(btf: Btf, mapName: string, member: string, typeId: number): number {
  const pointer = skipModsAndTypedefs(btf, typeId).type;
  if (pointer.kind !== 'ptr') {
    throw new MapDefinitionError(`map '${mapName}': attr '${member}': expected PTR, got ${pointer.kind}.`);
  }
  const array = skipModsAndTypedefs(btf, pointer.type).type;
  if (array.kind !== 'array') {
    throw new MapDefinitionError(
      `map '${mapName}': attr '${member}': type [${pointer.type}] is not an array.`,
    );
  }
  return array.nelems;
}

function parseFields(btf: Btf, mapName: string, defTypeId: number, isInner: boolean): MapDefinitionFields {
  const def = skipModsAndTypedefs(btf, defTypeId).type;
  if (def.kind !== 'struct') {
    throw new MapDefinitionError(`map '${mapName}': unexpected def kind ${def.kind.toUpperCase()}.`);
  }
  const fields: MapDefinitionFields = {};
  for (const member of def.members) {
    const name = member.name;
    if (name === '')
      throw new MapDefinitionError(`map '${mapName}': invalid field #${def.members.indexOf(member)}.`);
    const plain = PLAIN_INT_FIELDS[name];
    if (plain !== undefined) {
      const value = fieldInt(btf, mapName, name, member.type);
      if (plain === 'keySize' && fields.keySize !== undefined && fields.keySize !== value) {
        throw new MapDefinitionError(`map '${mapName}': conflicting key size ${fields.keySize} != ${value}.`);
      }
      if (plain === 'valueSize' && fields.valueSize !== undefined && fields.valueSize !== value) {
        throw new MapDefinitionError(
          `map '${mapName}': conflicting value size ${fields.valueSize} != ${value}.`,
        );
      }
      (fields as Record<string, number>)[plain] = value;
      continue;
    }
    if (name === 'map_extra') {
      fields.mapExtra = BigInt(fieldInt(btf, mapName, name, member.type));
      continue;
    }
    if (name === 'key' || name === 'value') {
      const pointer = skipModsAndTypedefs(btf, member.type).type;
      if (pointer.kind !== 'ptr') {
        throw new MapDefinitionError(
          `map '${mapName}': ${name} spec is not PTR: ${pointer.kind.toUpperCase()}.`,
        );
      }
      let size: number;
      try {
        size = btf.resolveSize(pointer.type);
      } catch {
        throw new MapDefinitionError(
          `map '${mapName}': can't determine ${name} size for type [${pointer.type}].`,
        );
      }
      if (name === 'key') {
        if (fields.keySize !== undefined && fields.keySize !== size) {
          throw new MapDefinitionError(
            `map '${mapName}': conflicting key size ${fields.keySize} != ${size}.`,
          );
        }
        fields.keySize = size;
        fields.btfKeyTypeId = pointer.type;
      } else {
        if (fields.valueSize !== undefined && fields.valueSize !== size) {
          throw new MapDefinitionError(
            `map '${mapName}': conflicting value size ${fields.valueSize} != ${size}.`,
          );
        }
        fields.valueSize = size;
        fields.btfValueTypeId = pointer.type;
      }
      continue;
    }
    if (name === 'values') {
      if (isInner) throw new MapDefinitionError(`map '${mapName}': multi-level inner maps not supported.`);
      const isMapInMap =
        fields.type === BPF_MAP_TYPE_ARRAY_OF_MAPS || fields.type === BPF_MAP_TYPE_HASH_OF_MAPS;
      const isProgArray = fields.type === BPF_MAP_TYPE_PROG_ARRAY;
      if (!isMapInMap && !isProgArray) {
        throw new MapDefinitionError(`map '${mapName}': should be map-in-map or prog-array.`);
      }
      const array = skipModsAndTypedefs(btf, member.type).type;
      if (array.kind !== 'array' || array.nelems !== 0) {
        throw new MapDefinitionError(`map '${mapName}': map-in-map inner type is not a zero-sized array.`);
      }
      const pointer = skipModsAndTypedefs(btf, array.type).type;
      if (pointer.kind !== 'ptr') {
        throw new MapDefinitionError(`map '${mapName}': map-in-map inner def is of unexpected kind.`);
      }
      const target = skipModsAndTypedefs(btf, pointer.type);
      if (isProgArray) {
        if (target.type.kind !== 'func_proto') {
          throw new MapDefinitionError(`map '${mapName}': prog-array value def is of unexpected kind.`);
        }
      } else {
        if (target.type.kind !== 'struct') {
          throw new MapDefinitionError(`map '${mapName}': map-in-map inner def is of unexpected kind.`);
        }
        const innerName = `${mapName}.inner`;
        fields.inner = { ...parseFields(btf, innerName, target.id, true), name: innerName };
      }
      fields.valueSize ??= 4;
      fields.valuesOffset = member.bitOffset / 8;
      continue;
    }
    throw new MapDefinitionError(`map '${mapName}': unknown field '${name}'.`);
  }
  if (fields.type === undefined) throw new MapDefinitionError(`map '${mapName}': map type isn't specified.`);
  return fields;
}

function toDefinition(
  name: string,
  fields: MapDefinitionFields,
  where: { section: string; sectionIndex: number; sectionOffset: number },
): MapDefinition {
  const inner = fields.inner === undefined ? undefined : toDefinition(fields.inner.name, fields.inner, where);
  return {
    name,
    origin: 'btf',
    type: fields.type ?? 0,
    keySize: fields.keySize ?? 0,
    valueSize: fields.valueSize ?? 0,
    maxEntries: fields.maxEntries ?? 0,
    flags: fields.flags ?? 0,
    numaNode: fields.numaNode ?? 0,
    pinning: fields.pinning ?? 0,
    mapExtra: fields.mapExtra ?? 0n,
    section: where.section,
    sectionIndex: where.sectionIndex,
    sectionOffset: where.sectionOffset,
    btfKeyTypeId: fields.btfKeyTypeId ?? 0,
    btfValueTypeId: fields.btfValueTypeId ?? 0,
    ...(inner === undefined ? {} : { inner }),
  };
}

/** A map read from `.maps`, with where its `values` slots start (for `.rel.maps` initial values). */
export interface BtfMapDefinition {
  definition: MapDefinition;
  /** Byte offset of the `values` array inside the definition, when it has one. */
  valuesOffset?: number;
}

/**
 * Every map of the `.maps` DATASEC, in the order of its variables (libbpf's order). Throws
 * MapDefinitionError with libbpf's message for definitions libbpf refuses. `offsetOf` gives a variable's
 * offset in the section from the ELF symbol table (libbpf fixes DATASEC offsets the same way).
 */
export function readBtfMapDefinitions(
  btf: Btf,
  sectionName: string,
  sectionIndex: number,
  offsetOf: (name: string) => number | undefined,
): BtfMapDefinition[] {
  const datasecId = btf.findByName(sectionName, 'datasec');
  if (datasecId === undefined) {
    throw new MapDefinitionError(`DATASEC '${sectionName}' not found.`);
  }
  const datasec = btf.typeById(datasecId);
  if (datasec.kind !== 'datasec') throw new MapDefinitionError(`DATASEC '${sectionName}' not found.`);
  const maps: BtfMapDefinition[] = [];
  for (const secinfo of datasec.vars) {
    const variable = btf.typeById(secinfo.type);
    if (variable.kind !== 'var') {
      throw new MapDefinitionError(
        `map #${maps.length}: unexpected var kind ${variable.kind.toUpperCase()}.`,
      );
    }
    const mapName = variable.name;
    if (variable.linkage !== 'global' && variable.linkage !== 'static') {
      throw new MapDefinitionError(`map '${mapName}': unsupported map linkage ${variable.linkage}.`);
    }
    const fields = parseFields(btf, mapName, variable.type, false);
    const sectionOffset = offsetOf(mapName) ?? secinfo.offset;
    const definition = toDefinition(mapName, fields, { section: sectionName, sectionIndex, sectionOffset });
    maps.push(
      fields.valuesOffset === undefined ? { definition } : { definition, valuesOffset: fields.valuesOffset },
    );
  }
  return maps;
}
