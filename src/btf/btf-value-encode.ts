// JSON shaped like a BTF type → the bytes of a value of that type (little-endian): what fixture files and API
// callers use to fill maps and global variables without writing hex by hand.

import type { Btf } from './btf.js';
import type { BtfComposite, BtfType } from './btf-types.js';

/** A JSON value that does not fit its BTF type; `path` is where in the JSON (`$.a.b[2]`). */
export class BtfValueError extends Error {
  override readonly name = 'BtfValueError';
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Encodes `value` as the BTF type `typeId`:
 * - integers: JSON numbers (safe integers) or strings in decimal or `0x` hex (needed past 2^53), `true`/`false`
 *   for bool; the value must fit the integer's bits and signedness;
 * - enums: a value name (`"XDP_PASS"`) or a number; floats: numbers;
 * - arrays: a JSON array of exactly `nelems` elements; `char` arrays also take a string (zero-padded);
 * - structs: an object of members by name (missing members are zero; members of anonymous struct/union
 *   members are named directly, as C initialisers do); unions: an object with at most one member;
 * - pointers: integers (the raw 64-bit value).
 */
export function encodeBtfValue(btf: Btf, typeId: number, value: unknown, path = '$'): Uint8Array {
  const bytes = new Uint8Array(btf.resolveSize(typeId));
  writeBtfValue(btf, typeId, value, bytes, 0, path);
  return bytes;
}

/** Writes `value` as BTF type `typeId` into `target` at `byteOffset` (the bytes there are replaced). */
export function writeBtfValue(
  btf: Btf,
  typeId: number,
  value: unknown,
  target: Uint8Array,
  byteOffset: number,
  path = '$',
): void {
  new Encoder(btf, target).write(typeId, value, byteOffset * 8, 0, path);
}

const MAX_DEPTH = 64;

class Encoder {
  private depth = 0;

  constructor(
    private readonly btf: Btf,
    private readonly target: Uint8Array,
  ) {}

  /** `bitfieldSize` 0: the whole type at `bitOffset` (a byte boundary); otherwise a bitfield member. */
  write(typeId: number, value: unknown, bitOffset: number, bitfieldSize: number, path: string): void {
    if (++this.depth > MAX_DEPTH) throw new BtfValueError(path, `type [${typeId}] nests too deeply`);
    try {
      const id = this.btf.skipModifiers(typeId);
      const type = this.btf.typeById(id);
      this.writeResolved(type, id, value, bitOffset, bitfieldSize, path);
    } finally {
      this.depth--;
    }
  }

  private writeResolved(
    type: BtfType,
    id: number,
    value: unknown,
    bitOffset: number,
    bitfieldSize: number,
    path: string,
  ): void {
    switch (type.kind) {
      case 'int': {
        const signed = type.encoding === 'signed';
        const bits = bitfieldSize !== 0 ? bitfieldSize : type.bits;
        const at = bitOffset + (bitfieldSize !== 0 ? 0 : type.bitOffset);
        const number =
          type.encoding === 'bool' && typeof value === 'boolean' ? BigInt(value) : toBigInt(value, path);
        this.writeBits(checkRange(number, bits, signed, path), at, bits);
        return;
      }
      case 'enum':
      case 'enum64': {
        const bits = bitfieldSize !== 0 ? bitfieldSize : type.size * 8;
        let number: bigint;
        if (typeof value === 'string' && !/^-?(\d+|0x[0-9a-f]+)$/i.test(value)) {
          const found = type.values.find((v) => v.name === value);
          if (found === undefined) {
            throw new BtfValueError(
              path,
              `'${value}' is not a value of enum ${type.name || '(anon)'} (${type.values.map((v) => v.name).join(', ')})`,
            );
          }
          number = BigInt(found.value);
        } else {
          number = toBigInt(value, path);
        }
        // An enum's values may be given with either signedness (clang marks enums with negative values signed).
        const signed = type.signed || number < 0n;
        this.writeBits(checkRange(number, bits, signed, path), bitOffset, bits);
        return;
      }
      case 'ptr':
        this.writeBits(checkRange(toBigInt(value, path), 64, false, path), bitOffset, 64);
        return;
      case 'float': {
        if (typeof value !== 'number') throw new BtfValueError(path, `expected a number for ${type.name}`);
        const view = new DataView(this.target.buffer, this.target.byteOffset + bitOffset / 8, type.size);
        if (type.size === 4) view.setFloat32(0, value, true);
        else if (type.size === 8) view.setFloat64(0, value, true);
        else throw new BtfValueError(path, `${type.size}-byte floats are not supported`);
        return;
      }
      case 'array':
        this.writeArray(type.type, type.nelems, value, bitOffset, path);
        return;
      case 'struct':
      case 'union':
        this.writeComposite(type, value, bitOffset, path);
        return;
      default:
        throw new BtfValueError(path, `type [${id}] (${type.kind.toUpperCase()}) cannot hold a value`);
    }
  }

  private writeArray(
    elementId: number,
    count: number,
    value: unknown,
    bitOffset: number,
    path: string,
  ): void {
    const elementSize = this.btf.resolveSize(elementId);
    if (typeof value === 'string' && this.isChar(elementId)) {
      const bytes = new TextEncoder().encode(value);
      if (bytes.length > count) {
        throw new BtfValueError(path, `string of ${bytes.length} bytes does not fit char[${count}]`);
      }
      const start = bitOffset / 8;
      this.target.fill(0, start, start + count);
      this.target.set(bytes, start);
      return;
    }
    if (!Array.isArray(value)) throw new BtfValueError(path, `expected an array of ${count} elements`);
    if (value.length !== count) {
      throw new BtfValueError(path, `expected ${count} elements, got ${value.length}`);
    }
    for (let i = 0; i < count; i++) {
      this.write(elementId, value[i], bitOffset + i * elementSize * 8, 0, `${path}[${i}]`);
    }
  }

  private isChar(id: number): boolean {
    const type = this.btf.typeById(this.btf.skipModifiers(id));
    return type.kind === 'int' && type.size === 1;
  }

  private writeComposite(type: BtfComposite, value: unknown, bitOffset: number, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BtfValueError(path, `expected an object with the members of ${describe(type)}`);
    }
    const given = value as Record<string, unknown>;
    const start = bitOffset / 8;
    this.target.fill(0, start, start + type.size);
    const used = new Set<string>();
    this.writeMembers(type, given, bitOffset, path, used);
    const unknown = Object.keys(given).filter((name) => !used.has(name));
    if (unknown.length > 0) {
      const names = this.memberNames(type);
      throw new BtfValueError(
        `${path}.${unknown[0]}`,
        `${describe(type)} has no member '${unknown[0]}' (members: ${names.join(', ')})`,
      );
    }
  }

  /** Writes the members of `type` found in `given`; anonymous members take their fields from `given` too. */
  private writeMembers(
    type: BtfComposite,
    given: Record<string, unknown>,
    bitOffset: number,
    path: string,
    used: Set<string>,
  ): void {
    let unionMembers = 0;
    for (const member of type.members) {
      const memberOffset = bitOffset + member.bitOffset;
      if (member.name === '') {
        const inner = this.btf.typeById(this.btf.skipModifiers(member.type));
        if (inner.kind === 'struct' || inner.kind === 'union') {
          const before = used.size;
          this.writeMembers(inner, given, memberOffset, path, used);
          if (type.kind === 'union' && used.size > before) unionMembers++;
        }
        continue;
      }
      if (!Object.hasOwn(given, member.name)) continue;
      used.add(member.name);
      if (type.kind === 'union' && ++unionMembers > 1) {
        throw new BtfValueError(`${path}.${member.name}`, `${describe(type)}: give one member of a union`);
      }
      if (member.bitfieldSize === 0 && memberOffset % 8 !== 0) {
        throw new BtfValueError(`${path}.${member.name}`, `member is not byte-aligned`);
      }
      this.write(
        member.type,
        given[member.name],
        memberOffset,
        member.bitfieldSize,
        `${path}.${member.name}`,
      );
    }
  }

  private memberNames(type: BtfComposite): string[] {
    return type.members.flatMap((member) => {
      if (member.name !== '') return [member.name];
      const inner = this.btf.typeById(this.btf.skipModifiers(member.type));
      return inner.kind === 'struct' || inner.kind === 'union' ? this.memberNames(inner) : [];
    });
  }

  /** Little-endian: bit `at` of the buffer is bit 0 of `value`. */
  private writeBits(value: bigint, at: number, bits: number): void {
    const mask = (1n << BigInt(bits)) - 1n;
    const unsigned = value & mask;
    for (let bit = 0; bit < bits; ) {
      const index = (at + bit) >> 3;
      const shift = (at + bit) & 7;
      const take = Math.min(8 - shift, bits - bit);
      const part = Number((unsigned >> BigInt(bit)) & ((1n << BigInt(take)) - 1n));
      const partMask = ((1 << take) - 1) << shift;
      this.target[index] = (this.target[index] & ~partMask) | (part << shift);
      bit += take;
    }
  }
}

function describe(type: BtfComposite): string {
  return `${type.kind} ${type.name || '(anon)'}`;
}

/** Little-endian bytes of an unsigned integer of `size` bytes, range-checked. */
export function encodeUnsigned(value: unknown, size: number, path: string): Uint8Array {
  let number = checkRange(toBigInt(value, path), size * 8, false, path);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++, number >>= 8n) bytes[i] = Number(number & 0xffn);
  return bytes;
}

function toBigInt(value: unknown, path: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new BtfValueError(path, `${value} is not an exact integer (write integers past 2^53 as strings)`);
    }
    return BigInt(value);
  }
  // No leading zeros: "0200" is more likely hex bytes of the wrong length than the number 200.
  if (typeof value === 'string' && /^-?(0|[1-9]\d*|0x[0-9a-f]+)$/i.test(value)) {
    const negative = value.startsWith('-');
    const magnitude = BigInt(negative ? value.slice(1) : value);
    return negative ? -magnitude : magnitude;
  }
  throw new BtfValueError(
    path,
    `expected an integer (a number or a decimal string), got ${JSON.stringify(value)}`,
  );
}

function checkRange(value: bigint, bits: number, signed: boolean, path: string): bigint {
  const low = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const high = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (value < low || value > high) {
    throw new BtfValueError(path, `${value} does not fit ${signed ? 's' : 'u'}${bits} (${low}..${high})`);
  }
  return value;
}
