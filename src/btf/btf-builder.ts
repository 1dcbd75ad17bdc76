// Building BTF: appending types and interning their names in a deduplicated string table.

import { Btf, type BtfLike, type BtfSource } from './btf.js';
import { BtfError } from './btf-error.js';
import type { BtfType, BtfTypeDraft } from './btf-types.js';
import { encodeBtf } from './encode-btf.js';
import { forEachTypeRef } from './type-refs.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * Appends types (ids given in order, from 1) and strings (each text stored once). Starting `from` an
 * existing BTF keeps its ids and its string table byte for byte, so a linker can append a second
 * object's types with ids remapped (see `mapTypeRefs`) and re-interned names.
 */
export class BtfBuilder {
  private readonly typeList: BtfType[] = [{ kind: 'void', name: '', nameOff: 0 }];
  private stringBytes = new Uint8Array(256);
  private stringLength = 1; // offset 0 is the empty string
  private readonly stringOffsets = new Map<string, number>([['', 0]]);

  /** A builder holding `btf`'s types (same ids) and string table (same offsets). */
  static from(btf: BtfLike): BtfBuilder {
    const builder = new BtfBuilder();
    const strings = btf.strings;
    if (strings.length === 0 || strings[0] !== 0 || strings[strings.length - 1] !== 0) {
      throw new BtfError({ section: '.BTF', offset: 0 }, 'Invalid BTF string section');
    }
    builder.reserve(strings.length);
    builder.stringBytes.set(strings, 0);
    builder.stringLength = strings.length;
    for (let start = 0; start < strings.length; ) {
      const end = strings.indexOf(0, start);
      const text = utf8Decoder.decode(strings.subarray(start, end));
      if (!builder.stringOffsets.has(text)) builder.stringOffsets.set(text, start);
      start = end + 1;
    }
    for (let id = 1; id < btf.types.length; id++) builder.typeList.push(btf.types[id]);
    return builder;
  }

  /** Number of types added so far (the last id). */
  get typeCount(): number {
    return this.typeList.length - 1;
  }

  /** The id the next added type will get. */
  get nextId(): number {
    return this.typeList.length;
  }

  get types(): readonly BtfType[] {
    return this.typeList;
  }

  /** Offset of `text` in the string table, adding it if it is not there yet. */
  addString(text: string): number {
    const known = this.stringOffsets.get(text);
    if (known !== undefined) return known;
    const bytes = utf8.encode(text);
    if (bytes.includes(0)) {
      throw new BtfError(
        { section: '.BTF', offset: this.stringLength },
        `string ${JSON.stringify(text)} contains NUL`,
      );
    }
    const offset = this.stringLength;
    this.reserve(offset + bytes.length + 1);
    this.stringBytes.set(bytes, offset);
    this.stringBytes[offset + bytes.length] = 0;
    this.stringLength = offset + bytes.length + 1;
    this.stringOffsets.set(text, offset);
    return offset;
  }

  /** Appends a type, interning every name it holds (any `nameOff` given is ignored); returns its id. */
  add(draft: BtfTypeDraft): number {
    if (draft.kind === 'void')
      throw new BtfError({ section: '.BTF', offset: 0 }, 'void can only be type ID 0');
    const named = <T extends { name: string }>(item: T) => ({ ...item, nameOff: this.addString(item.name) });
    let type: BtfType;
    switch (draft.kind) {
      case 'struct':
      case 'union':
        type = { ...named(draft), members: draft.members.map(named) };
        break;
      case 'enum':
        type = { ...named(draft), values: draft.values.map(named) };
        break;
      case 'enum64':
        type = { ...named(draft), values: draft.values.map(named) };
        break;
      case 'func_proto':
        type = { ...named(draft), params: draft.params.map(named) };
        break;
      case 'datasec':
        type = { ...named(draft), vars: draft.vars.map((v) => ({ ...v })) };
        break;
      default:
        type = named(draft);
    }
    this.typeList.push(type);
    return this.typeList.length - 1;
  }

  /** The string table as built so far. */
  strings(): Uint8Array {
    return this.stringBytes.slice(0, this.stringLength);
  }

  /** A `Btf` over the types and strings added; every referenced id must exist by now. */
  build(source: BtfSource = {}): Btf {
    const lastId = this.typeCount;
    for (let id = 1; id <= lastId; id++) {
      forEachTypeRef(this.typeList[id], (ref) => {
        if (!Number.isInteger(ref) || ref < 0 || ref > lastId) {
          throw new BtfError(
            { file: source.file, section: source.section ?? '.BTF', offset: 0, typeId: id },
            `BTF type [${id}]: invalid referenced type ID ${ref} (last is ${lastId})`,
          );
        }
      });
    }
    return new Btf([...this.typeList], this.strings(), source);
  }

  /** The .BTF section bytes. */
  encode(): Uint8Array {
    return encodeBtf(this.build());
  }

  private reserve(length: number): void {
    if (length <= this.stringBytes.length) return;
    let capacity = this.stringBytes.length;
    while (capacity < length) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.stringBytes.subarray(0, this.stringLength));
    this.stringBytes = grown;
  }
}
