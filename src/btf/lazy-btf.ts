// A large BTF (a kernel's vmlinux, ~5 MB and ~150,000 types) read on demand: one pass indexes where each type's
// record starts; a type is decoded the first time it is asked for, names are indexed on the first lookup.

import type { BtfSource } from './btf.js';
import { BtfError } from './btf-error.js';
import {
  BTF_KIND_BY_NUMBER,
  BTF_MODIFIER_KINDS,
  BTF_TYPE_HEADER_SIZE,
  type BtfKind,
  type BtfType,
} from './btf-types.js';
import { decodeBtfRecord, extraRecordSize, parseBtfHeader } from './parse-btf.js';
import { isValidStringTable, readCString } from './string-table.js';

export class LazyBtf {
  readonly file: string | undefined;
  readonly section: string;
  private readonly view: DataView;
  private readonly strings: Uint8Array;
  private readonly typesEnd: number;
  /** Record offset of each id (index 0, void, unused). */
  private readonly offsets: Uint32Array;
  private readonly decoded = new Map<number, BtfType>();
  private idsByName: Map<string, number[]> | undefined;

  constructor(bytes: Uint8Array, source: BtfSource = {}) {
    this.file = source.file;
    this.section = source.section ?? '.BTF';
    const header = parseBtfHeader(bytes, source);
    const typesStart = header.hdrLen + header.typeOff;
    this.typesEnd = typesStart + header.typeLen;
    const stringsStart = header.hdrLen + header.strOff;
    this.strings = bytes.subarray(stringsStart, stringsStart + header.strLen);
    if (!isValidStringTable(this.strings)) throw this.fail(stringsStart, 'Invalid BTF string section');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offsets: number[] = [0];
    let pos = typesStart;
    while (pos < this.typesEnd) {
      const id = offsets.length;
      if (this.typesEnd - pos < BTF_TYPE_HEADER_SIZE)
        throw this.fail(pos, `BTF type [${id}] is malformed`, id);
      const info = this.view.getUint32(pos + 4, true);
      const kind = BTF_KIND_BY_NUMBER[(info >>> 24) & 0x1f];
      if (kind === undefined) throw this.fail(pos + 4, `Unsupported BTF_KIND:${(info >>> 24) & 0x1f}`, id);
      const end = pos + BTF_TYPE_HEADER_SIZE + extraRecordSize(kind, info & 0xffff);
      if (end > this.typesEnd) throw this.fail(pos, `BTF type [${id}] is malformed`, id);
      offsets.push(pos);
      pos = end;
    }
    this.offsets = Uint32Array.from(offsets);
  }

  /** Number of real types (ids 1..typeCount). */
  get typeCount(): number {
    return this.offsets.length - 1;
  }

  typeById(id: number): BtfType {
    if (id === 0) return { kind: 'void', name: '', nameOff: 0 };
    const cached = this.decoded.get(id);
    if (cached !== undefined) return cached;
    if (!Number.isInteger(id) || id < 0 || id > this.typeCount) {
      throw this.fail(0, `type ID ${id} is out of range (last is ${this.typeCount})`);
    }
    const { type } = decodeBtfRecord(
      this.view,
      this.strings,
      this.offsets[id],
      this.typesEnd,
      id,
      (o, r, t) => this.fail(o, r, t),
    );
    this.decoded.set(id, type);
    return type;
  }

  nameOf(id: number): string {
    return this.typeById(id).name;
  }

  /** Every id whose type has this name (and kind, if given), ascending; the index is built on the first call. */
  findAllByName(name: string, kind?: BtfKind): number[] {
    if (this.idsByName === undefined) {
      const index = new Map<string, number[]>();
      const names = new Map<number, string>();
      for (let id = 1; id <= this.typeCount; id++) {
        const nameOff = this.view.getUint32(this.offsets[id], true);
        if (nameOff === 0) continue;
        let text = names.get(nameOff);
        if (text === undefined) {
          text = readCString(this.strings, nameOff);
          if (text === undefined)
            throw this.fail(this.offsets[id], `BTF type [${id}]: invalid name_off ${nameOff}`, id);
          names.set(nameOff, text);
        }
        const ids = index.get(text);
        if (ids === undefined) index.set(text, [id]);
        else ids.push(id);
      }
      this.idsByName = index;
    }
    const ids = this.idsByName.get(name) ?? [];
    return kind === undefined ? [...ids] : ids.filter((id) => this.typeById(id).kind === kind);
  }

  /** Follows typedef/const/volatile/restrict/type_tag to the first type that is none of them. */
  skipModifiers(id: number): number {
    let current = id;
    for (let steps = 0; steps <= this.typeCount; steps++) {
      const type = this.typeById(current);
      if (!BTF_MODIFIER_KINDS.has(type.kind) || !('type' in type)) return current;
      current = type.type;
    }
    throw this.fail(this.offsets[id] ?? 0, `type [${id}] has a loop of modifiers`, id);
  }

  /** Bytes of a value of the type: through modifiers, arrays as nelems × element; 0 for types without a size. */
  resolveSize(id: number): number {
    let multiplier = 1;
    let current = id;
    for (let steps = 0; steps <= this.typeCount; steps++) {
      const type = this.typeById(this.skipModifiers(current));
      switch (type.kind) {
        case 'array':
          multiplier *= type.nelems;
          current = type.type;
          continue;
        case 'int':
        case 'struct':
        case 'union':
        case 'enum':
        case 'enum64':
        case 'float':
          return multiplier * type.size;
        case 'ptr':
          return multiplier * 8;
        default:
          return 0;
      }
    }
    throw this.fail(this.offsets[id] ?? 0, `type [${id}] is an array of itself`, id);
  }

  private fail(offset: number, reason: string, typeId?: number): BtfError {
    return new BtfError({ file: this.file, section: this.section, offset, typeId }, reason);
  }
}
