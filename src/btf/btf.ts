// The parsed (or built) BTF of one object: types by id, the string table and the lookups loaders need.

import { BtfError } from './btf-error.js';
import type { BtfKind, BtfType } from './btf-types.js';
import { BTF_MODIFIER_KINDS, BTF_POINTER_SIZE } from './btf-types.js';
import { readCString } from './string-table.js';

/** What encoding needs: types indexed by id (slot 0 is void) and the raw string table. */
export interface BtfLike {
  readonly types: readonly BtfType[];
  readonly strings: Uint8Array;
}

export interface BtfSource {
  file?: string;
  section?: string;
}

export interface BtfLayout {
  /** Offset of the string table inside the section, for error offsets. */
  stringsOffset: number;
  /** Offset of each type's record inside the section (index = id; 0 for void). */
  typeOffsets: readonly number[];
}

const UINT32_MAX = 0xffffffff;

export class Btf implements BtfLike {
  readonly types: readonly BtfType[];
  readonly strings: Uint8Array;
  readonly file: string | undefined;
  readonly section: string;
  private readonly layout: BtfLayout | undefined;
  private readonly decodedStrings = new Map<number, string>();
  private idsByName: Map<string, number[]> | undefined;

  constructor(types: readonly BtfType[], strings: Uint8Array, source: BtfSource = {}, layout?: BtfLayout) {
    this.types = types;
    this.strings = strings;
    this.file = source.file;
    this.section = source.section ?? '.BTF';
    this.layout = layout;
  }

  /** Number of real types (ids 1..typeCount). */
  get typeCount(): number {
    return this.types.length - 1;
  }

  typeById(id: number): BtfType {
    const type = Number.isInteger(id) && id >= 0 ? this.types[id] : undefined;
    if (type === undefined) throw this.error(0, `type ID ${id} is out of range (last is ${this.typeCount})`);
    return type;
  }

  /** The type's name, '' for anonymous types and void. */
  nameOf(id: number): string {
    return this.typeById(id).name;
  }

  /** The first id whose type has this name (and kind, if given). */
  findByName(name: string, kind?: BtfKind): number | undefined {
    return this.findAllByName(name, kind)[0];
  }

  /** Every id whose type has this name (and kind, if given), ascending. */
  findAllByName(name: string, kind?: BtfKind): number[] {
    if (this.idsByName === undefined) {
      this.idsByName = new Map();
      for (let id = 1; id < this.types.length; id++) {
        const typeName = this.types[id].name;
        if (typeName === '') continue;
        const ids = this.idsByName.get(typeName);
        if (ids === undefined) this.idsByName.set(typeName, [id]);
        else ids.push(id);
      }
    }
    const ids = this.idsByName.get(name) ?? [];
    return kind === undefined ? [...ids] : ids.filter((id) => this.types[id].kind === kind);
  }

  /** Follows typedef/const/volatile/restrict/type_tag to the first type that is none of them. */
  skipModifiers(id: number): number {
    const seen = new Set<number>();
    let current = id;
    for (;;) {
      const type = this.typeById(current);
      if (!BTF_MODIFIER_KINDS.has(type.kind) || !('type' in type)) return current;
      if (seen.has(current))
        throw this.error(current, `type [${id}] has a loop of modifiers through [${current}]`);
      seen.add(current);
      current = type.type;
    }
  }

  /**
   * Size in bytes of a value of type `id`, as libbpf's btf__resolve_size computes it: through modifiers,
   * VAR and DECL_TAG; arrays are nelems × element size; pointers are 8. void, FWD, FUNC and FUNC_PROTO
   * have no size.
   */
  resolveSize(id: number): number {
    const seen = new Set<number>();
    let multiplier = 1;
    let current = id;
    for (;;) {
      const type = this.typeById(current);
      if (seen.has(current)) throw this.error(current, `type [${id}] refers to itself through [${current}]`);
      seen.add(current);
      let size: number;
      switch (type.kind) {
        case 'int':
        case 'struct':
        case 'union':
        case 'enum':
        case 'enum64':
        case 'datasec':
        case 'float':
          size = type.size;
          break;
        case 'ptr':
          size = BTF_POINTER_SIZE;
          break;
        case 'typedef':
        case 'volatile':
        case 'const':
        case 'restrict':
        case 'type_tag':
        case 'var':
        case 'decl_tag':
          current = type.type;
          continue;
        case 'array':
          if (type.nelems !== 0 && multiplier > UINT32_MAX / type.nelems) {
            throw this.error(current, `size of type [${id}] overflows 32 bits`);
          }
          multiplier *= type.nelems;
          current = type.type;
          continue;
        default:
          throw this.error(current, `type [${id}] (${type.kind.toUpperCase()}) has no size`);
      }
      if (size !== 0 && multiplier > UINT32_MAX / size) {
        throw this.error(current, `size of type [${id}] overflows 32 bits`);
      }
      return multiplier * size;
    }
  }

  /** The string at offset `offset` of the string table. */
  stringAt(offset: number): string {
    const cached = this.decodedStrings.get(offset);
    if (cached !== undefined) return cached;
    const text = readCString(this.strings, offset);
    if (text === undefined) {
      throw new BtfError(
        {
          file: this.file,
          section: this.section,
          offset: (this.layout?.stringsOffset ?? 0) + Math.max(0, offset),
        },
        `invalid string offset ${offset} (string section is ${this.strings.length} bytes)`,
      );
    }
    this.decodedStrings.set(offset, text);
    return text;
  }

  private error(typeId: number, reason: string): BtfError {
    const offset = this.layout?.typeOffsets[typeId] ?? 0;
    return new BtfError({ file: this.file, section: this.section, offset, typeId }, reason);
  }
}
