// Bytes of a value + its BTF type → the JSON bpftool prints for it (`bpftool map dump`'s `formatted`), as a tree
// that keeps bpftool's member order, duplicate names and exact 64-bit numbers, and its JSON/plain-text writers.

import type { Btf } from './btf.js';
import { BtfError } from './btf-error.js';
import type { BtfComposite, BtfDatasec, BtfInt, BtfType } from './btf-types.js';

/**
 * A formatted value. `number` holds the literal exactly as printed (64-bit integers stay exact; in plain-text
 * mode also bpftool's bare `0x..` tokens); `object` keeps members in order, duplicates included (anonymous
 * members are all named "").
 */
export type BtfValueNode =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'array'; readonly items: readonly BtfValueNode[] }
  | { readonly kind: 'object'; readonly members: readonly (readonly [string, BtfValueNode])[] };

export interface BtfValueFormatOptions {
  /**
   * bpftool's plain-text mode (`map dump` without -j): bitfields, 128-bit integers and unprintable chars as bare
   * hex, pointers as `%p`. Default false: the JSON mode of `-j`.
   */
  readonly plainText?: boolean;
}

const MAX_DEPTH = 64;

/**
 * Formats `bytes` (at `offset`) as BTF type `typeId` the way bpftool 7.1's btf_dumper does. Throws BtfError
 * for a type bpftool cannot format either (void, FWD, FUNC, FUNC_PROTO) or bytes too short for the type.
 * Differs from bpftool on purpose: FLOAT is printed as a number (bpftool prints an invalid token).
 */
export function formatBtfValue(
  btf: Btf,
  typeId: number,
  bytes: Uint8Array,
  options: BtfValueFormatOptions = {},
  offset = 0,
): BtfValueNode {
  const size = btf.resolveSize(typeId);
  if (offset < 0 || offset + size > bytes.length) {
    throw formatError(
      btf,
      typeId,
      `value of ${bytes.length - offset} bytes is shorter than the type's ${size} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return new Formatter(btf, bytes, view, options.plainText ?? false).format(typeId, 0, offset);
  } catch (error) {
    // Members or variables placed past the type's own size (malformed BTF) read outside the bytes.
    if (error instanceof RangeError)
      throw formatError(btf, typeId, `a member lies outside the value's ${size} bytes`);
    throw error;
  }
}

function formatError(btf: Btf, typeId: number, reason: string): BtfError {
  return new BtfError({ file: btf.file, section: btf.section, offset: 0, typeId }, reason);
}

const num = (text: string | number | bigint): BtfValueNode => ({ kind: 'number', text: String(text) });

class Formatter {
  private depth = 0;

  constructor(
    private readonly btf: Btf,
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private readonly plainText: boolean,
  ) {}

  /** `bitOffset` (0..7) is the offset of an integer inside its first byte, as bpftool passes it down. */
  format(typeId: number, bitOffset: number, at: number): BtfValueNode {
    if (++this.depth > MAX_DEPTH) throw formatError(this.btf, typeId, 'types nest too deeply');
    try {
      const type = this.btf.typeById(typeId);
      return this.formatType(type, typeId, bitOffset, at);
    } finally {
      this.depth--;
    }
  }

  private formatType(type: BtfType, typeId: number, bitOffset: number, at: number): BtfValueNode {
    switch (type.kind) {
      case 'int':
        return this.formatInt(type, bitOffset, at);
      case 'struct':
      case 'union':
        return this.formatComposite(type, at);
      case 'array':
        return this.formatArray(type.type, type.nelems, at);
      case 'enum': {
        // bpftool compares the value, sign-extended from its size, with each value as an s32.
        const value = this.signedAt(at, type.size);
        const match = type.values.find((entry) => BigInt(entry.value | 0) === value);
        return match === undefined ? num(value) : { kind: 'string', value: match.name };
      }
      case 'enum64': {
        const raw = this.view.getBigUint64(at, true);
        const match = type.values.find((entry) => BigInt.asUintN(64, entry.value) === raw);
        // bpftool prints an unnamed 64-bit enum value through jsonw_int: signed.
        return match === undefined ? num(BigInt.asIntN(64, raw)) : { kind: 'string', value: match.name };
      }
      case 'ptr': {
        const value = this.view.getBigUint64(at, true);
        if (!this.plainText) return num(value);
        return num(value === 0n ? '(nil)' : `0x${value.toString(16)}`);
      }
      case 'typedef':
      case 'volatile':
      case 'const':
      case 'restrict':
      case 'type_tag':
        return this.format(this.btf.skipModifiers(typeId), bitOffset, at);
      case 'var':
        return { kind: 'object', members: [[type.name, this.format(type.type, bitOffset, at)]] };
      case 'datasec':
        return this.formatDatasec(type, at);
      case 'float':
        return num(type.size === 4 ? this.view.getFloat32(at, true) : this.view.getFloat64(at, true));
      default:
        throw formatError(this.btf, typeId, `a ${type.kind.toUpperCase()} has no value to format`);
    }
  }

  private formatInt(type: BtfInt, bitOffset: number, at: number): BtfValueNode {
    if (bitOffset !== 0 || type.bitOffset !== 0 || type.bits % 8 !== 0) {
      return this.bitfield(type.bits, bitOffset + type.bitOffset, at);
    }
    if (type.bits === 128) return this.hexToken(this.unsignedBits(at, 0, 128));
    const view = this.view;
    switch (type.encoding) {
      case 'none':
      case 'signed': {
        const signed = type.encoding === 'signed';
        switch (type.bits) {
          case 64:
            return num(signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
          case 32:
            return num(signed ? view.getInt32(at, true) : view.getUint32(at, true));
          case 16:
            return num(signed ? view.getInt16(at, true) : view.getUint16(at, true));
          case 8:
            return num(signed ? view.getInt8(at) : view.getUint8(at));
          default:
            return this.bitfield(type.bits, bitOffset, at);
        }
      }
      case 'char': {
        const code = this.bytes[at];
        if (code >= 0x20 && code < 0x7f) return { kind: 'string', value: String.fromCharCode(code) };
        if (this.plainText) return num(`0x${code.toString(16)}`);
        return { kind: 'string', value: String.fromCharCode(code) };
      }
      case 'bool':
        return { kind: 'bool', value: this.bytes[at] !== 0 };
    }
  }

  /** A bitfield as bpftool prints it: the bits as an unsigned hex string ("0x1f"), never sign-extended. */
  private bitfield(bits: number, bitOffset: number, at: number): BtfValueNode {
    return this.hexToken(this.unsignedBits(at, bitOffset, bits));
  }

  private hexToken(value: bigint): BtfValueNode {
    const text = `0x${value.toString(16)}`;
    return this.plainText ? num(text) : { kind: 'string', value: text };
  }

  /** `bits` bits starting `bitOffset` bits into the little-endian bytes at `at`. */
  private unsignedBits(at: number, bitOffset: number, bits: number): bigint {
    const byteCount = Math.ceil((bitOffset + bits) / 8);
    let value = 0n;
    for (let i = byteCount - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[at + i] ?? 0);
    return (value >> BigInt(bitOffset)) & ((1n << BigInt(bits)) - 1n);
  }

  private signedAt(at: number, size: number): bigint {
    switch (size) {
      case 8:
        return this.view.getBigInt64(at, true);
      case 4:
        return BigInt(this.view.getInt32(at, true));
      case 2:
        return BigInt(this.view.getInt16(at, true));
      case 1:
        return BigInt(this.view.getInt8(at));
      default:
        throw formatError(this.btf, 0, `an enum of ${size} bytes has no value to format`);
    }
  }

  private formatComposite(type: BtfComposite, at: number): BtfValueNode {
    const members: (readonly [string, BtfValueNode])[] = [];
    for (const member of type.members) {
      const memberAt = at + Math.floor(member.bitOffset / 8);
      const value =
        member.bitfieldSize !== 0
          ? this.bitfield(member.bitfieldSize, member.bitOffset % 8, memberAt)
          : this.format(member.type, member.bitOffset % 8, memberAt);
      members.push([member.name, value]);
    }
    return { kind: 'object', members };
  }

  private formatArray(elementType: number, nelems: number, at: number): BtfValueNode {
    const text = this.stringArray(elementType, nelems, at);
    if (text !== undefined) return { kind: 'string', value: text };
    const elementSize = this.btf.resolveSize(elementType);
    const items: BtfValueNode[] = [];
    for (let i = 0; i < nelems; i++) items.push(this.format(elementType, 0, at + i * elementSize));
    return { kind: 'array', items };
  }

  /**
   * bpftool prints an array of `char` (or CHAR-encoded bytes) as a string when its bytes up to a NUL are all
   * printable ASCII; a typedef of char does not count.
   */
  private stringArray(elementType: number, nelems: number, at: number): string | undefined {
    if (nelems === 0) return undefined;
    let element = this.btf.typeById(elementType);
    const seen = new Set<number>();
    let id = elementType;
    while (
      (element.kind === 'volatile' ||
        element.kind === 'const' ||
        element.kind === 'restrict' ||
        element.kind === 'type_tag') &&
      !seen.has(id)
    ) {
      seen.add(id);
      id = element.type;
      element = this.btf.typeById(id);
    }
    if (element.kind !== 'int' || element.size !== 1) return undefined;
    if (element.encoding !== 'char' && element.name !== 'char') return undefined;
    for (let i = 0; i < nelems; i++) {
      const code = this.bytes[at + i];
      if (code === 0) return String.fromCharCode(...this.bytes.subarray(at, at + i));
      if (code <= 0x1f || code >= 0x7f) return undefined;
    }
    return undefined;
  }

  private formatDatasec(type: BtfDatasec, at: number): BtfValueNode {
    const vars = type.vars.map((entry) => this.format(entry.type, 0, at + entry.offset));
    return { kind: 'object', members: [[type.name, { kind: 'array', items: vars }]] };
  }
}

/** The node as compact JSON text, exactly as `bpftool -j` writes it. */
export function btfValueToJson(node: BtfValueNode): string {
  switch (node.kind) {
    case 'number':
      return node.text;
    case 'string':
      return jsonString(node.value);
    case 'bool':
      return node.value ? 'true' : 'false';
    case 'array':
      return `[${node.items.map(btfValueToJson).join(',')}]`;
    case 'object':
      return `{${node.members.map(([name, value]) => `${jsonString(name)}:${btfValueToJson(value)}`).join(',')}}`;
  }
}

/**
 * A JSON string as bpftool's json_writer escapes it, except a backslash: bpftool 7.1 writes it as `\n` (a bug
 * that turns `a\b` into a newline for JSON readers); tsbpf writes `\\`.
 */
function jsonString(text: string): string {
  let out = '"';
  for (const char of text) {
    switch (char) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\b':
        out += '\\b';
        break;
      default: {
        const code = char.charCodeAt(0);
        // Unprintable bytes (only a CHAR-encoded int gives them): bpftool's "\u00xx".
        out += code < 0x20 || code >= 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
      }
    }
  }
  return `${out}"`;
}

/**
 * The node as a plain JavaScript value: numbers that fit a double exactly become numbers, others decimal
 * strings (as fixture files write 64-bit integers); duplicate member names keep the last value.
 */
export function btfValueToJs(node: BtfValueNode): unknown {
  switch (node.kind) {
    case 'number': {
      if (!/^-?\d+$/.test(node.text)) return node.text.startsWith('0x') ? node.text : Number(node.text);
      const value = BigInt(node.text);
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : node.text;
    }
    case 'string':
    case 'bool':
      return node.value;
    case 'array':
      return node.items.map(btfValueToJs);
    case 'object':
      return Object.fromEntries(node.members.map(([name, value]) => [name, btfValueToJs(value)]));
  }
}

/**
 * The node as bpftool's pretty json_writer lays it out (4 spaces a level, arrays of scalars kept on the line
 * of their opening bracket): what `bpftool map dump` prints without -j for maps with BTF. `indent` is the
 * level the node starts at.
 */
export function btfValueToPretty(node: BtfValueNode, indent: number): string {
  return new PrettyWriter().value(node, indent);
}

/** Mirrors json_writer's pretty mode: a newline and indentation before each object member and array element
 * that is an object or array; scalars in arrays follow a comma directly. */
class PrettyWriter {
  value(node: BtfValueNode, level: number): string {
    switch (node.kind) {
      case 'array': {
        if (node.items.length === 0) return '[]';
        let out = '[';
        node.items.forEach((item, i) => {
          if (i > 0) out += ',';
          out += this.value(item, level + 1);
        });
        return `${out}\n${'    '.repeat(level)}]`;
      }
      case 'object': {
        if (node.members.length === 0) return '{}';
        let out = '{';
        node.members.forEach(([name, value], i) => {
          if (i > 0) out += ',';
          out += `\n${'    '.repeat(level + 1)}${jsonString(name)}: ${this.value(value, level + 1)}`;
        });
        return `${out}\n${'    '.repeat(level)}}`;
      }
      default:
        return btfValueToJson(node);
    }
  }
}
