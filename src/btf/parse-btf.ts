// Decoding a .BTF section (header, type records, string table) into a validated `Btf`.

import { Btf, type BtfSource } from './btf.js';
import { BtfError } from './btf-error.js';
import type {
  BtfEnum64Value,
  BtfEnumValue,
  BtfIntEncoding,
  BtfLinkage,
  BtfMember,
  BtfParam,
  BtfType,
  BtfVarSecinfo,
} from './btf-types.js';
import {
  BTF_HEADER_SIZE,
  BTF_KIND_BY_NUMBER,
  BTF_LINKAGE_BY_NUMBER,
  BTF_MAGIC,
  BTF_TYPE_HEADER_SIZE,
  BTF_VERSION,
} from './btf-types.js';
import { isValidStringTable, readCString } from './string-table.js';
import { forEachTypeRef } from './type-refs.js';

/** The fixed part of the .BTF header, as read. */
export interface BtfHeader {
  magic: number;
  version: number;
  flags: number;
  hdrLen: number;
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
}

const BIG_ENDIAN_MAGIC = 0x9feb;
const INT_ENCODINGS: Readonly<Record<number, BtfIntEncoding>> = {
  0: 'none',
  1: 'signed',
  2: 'char',
  4: 'bool',
};

/** Bytes each kind adds after the common 12-byte header, given its vlen (libbpf's btf_type_size). */
export function extraRecordSize(kind: BtfType['kind'], vlen: number): number {
  switch (kind) {
    case 'int':
    case 'var':
    case 'decl_tag':
      return 4;
    case 'array':
      return 12;
    case 'struct':
    case 'union':
    case 'datasec':
    case 'enum64':
      return 12 * vlen;
    case 'enum':
    case 'func_proto':
      return 8 * vlen;
    default:
      return 0;
  }
}

function hasVlenRecords(kind: BtfType['kind']): boolean {
  return ['struct', 'union', 'enum', 'enum64', 'func_proto', 'datasec'].includes(kind);
}

/** Where a decoding error is: section offset, reason, type id. */
export type BtfRecordFail = (offset: number, reason: string, typeId?: number) => BtfError;

/**
 * Decodes the type record of id `id` starting at `pos` (its references are not checked) and says where the next
 * one starts; `fail` builds the error for a malformed record.
 */
export function decodeBtfRecord(
  view: DataView,
  strings: Uint8Array,
  pos: number,
  typesEnd: number,
  id: number,
  fail: BtfRecordFail,
): { type: BtfType; end: number } {
  const u32 = (at: number) => view.getUint32(at, true);
  const i32 = (at: number) => view.getInt32(at, true);
  const name = (nameOff: number, at: number): string => {
    const text = readCString(strings, nameOff);
    if (text === undefined) throw fail(at, `BTF type [${id}]: invalid name_off ${nameOff}`, id);
    return text;
  };
  if (typesEnd - pos < BTF_TYPE_HEADER_SIZE) throw fail(pos, `BTF type [${id}] is malformed`, id);
  const nameOff = u32(pos);
  const info = u32(pos + 4);
  const sizeOrType = u32(pos + 8);
  const kindNumber = (info >>> 24) & 0x1f;
  const kind = BTF_KIND_BY_NUMBER[kindNumber];
  if (kind === undefined) throw fail(pos + 4, `Unsupported BTF_KIND:${kindNumber}`, id);
  const vlen = info & 0xffff;
  const kindFlag = info >>> 31 === 1;
  const extra = extraRecordSize(kind, vlen);
  if (typesEnd - pos - BTF_TYPE_HEADER_SIZE < extra) {
    const detail = hasVlenRecords(kind)
      ? `: ${kind.toUpperCase()} vlen ${vlen} overflows the type section`
      : '';
    throw fail(pos, `BTF type [${id}] is malformed${detail}`, id);
  }
  const typeName = name(nameOff, pos);
  const body = pos + BTF_TYPE_HEADER_SIZE;
  const linkage = (value: number, at: number, what: string): BtfLinkage => {
    const known = BTF_LINKAGE_BY_NUMBER[value];
    if (known === undefined) throw fail(at, `BTF type [${id}]: invalid ${what} linkage ${value}`, id);
    return known;
  };
  let type: BtfType;
  switch (kind) {
    case 'int': {
      const data = u32(body);
      const encodingBits = (data >>> 24) & 0x0f;
      const encoding = INT_ENCODINGS[encodingBits];
      if (encoding === undefined)
        throw fail(body, `BTF type [${id}]: unsupported int encoding ${encodingBits}`, id);
      type = {
        kind,
        name: typeName,
        nameOff,
        size: sizeOrType,
        encoding,
        bitOffset: (data >>> 16) & 0xff,
        bits: data & 0xff,
      };
      break;
    }
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
      type = { kind, name: typeName, nameOff, type: sizeOrType };
      break;
    case 'type_tag':
      type = { kind, name: typeName, nameOff, type: sizeOrType };
      if (kindFlag) type.attribute = true;
      break;
    case 'array':
      type = {
        kind,
        name: typeName,
        nameOff,
        type: u32(body),
        indexType: u32(body + 4),
        nelems: u32(body + 8),
      };
      break;
    case 'struct':
    case 'union': {
      const members: BtfMember[] = new Array(vlen);
      for (let i = 0; i < vlen; i++) {
        const at = body + i * 12;
        const memberNameOff = u32(at);
        const offset = u32(at + 8);
        members[i] = {
          name: name(memberNameOff, at),
          nameOff: memberNameOff,
          type: u32(at + 4),
          bitOffset: kindFlag ? offset & 0xffffff : offset,
          bitfieldSize: kindFlag ? offset >>> 24 : 0,
        };
      }
      type = { kind, name: typeName, nameOff, size: sizeOrType, kindFlag, members };
      break;
    }
    case 'enum': {
      const values: BtfEnumValue[] = new Array(vlen);
      for (let i = 0; i < vlen; i++) {
        const at = body + i * 8;
        const valueNameOff = u32(at);
        values[i] = {
          name: name(valueNameOff, at),
          nameOff: valueNameOff,
          value: kindFlag ? i32(at + 4) : u32(at + 4),
        };
      }
      type = { kind, name: typeName, nameOff, size: sizeOrType, signed: kindFlag, values };
      break;
    }
    case 'enum64': {
      const values: BtfEnum64Value[] = new Array(vlen);
      for (let i = 0; i < vlen; i++) {
        const at = body + i * 12;
        const valueNameOff = u32(at);
        const raw = (BigInt(u32(at + 8)) << 32n) | BigInt(u32(at + 4));
        values[i] = {
          name: name(valueNameOff, at),
          nameOff: valueNameOff,
          value: kindFlag ? BigInt.asIntN(64, raw) : raw,
        };
      }
      type = { kind, name: typeName, nameOff, size: sizeOrType, signed: kindFlag, values };
      break;
    }
    case 'fwd':
      type = { kind, name: typeName, nameOff, fwdKind: kindFlag ? 'union' : 'struct' };
      break;
    case 'func':
      type = { kind, name: typeName, nameOff, type: sizeOrType, linkage: linkage(vlen, pos + 4, 'func') };
      break;
    case 'func_proto': {
      const params: BtfParam[] = new Array(vlen);
      for (let i = 0; i < vlen; i++) {
        const at = body + i * 8;
        const paramNameOff = u32(at);
        params[i] = { name: name(paramNameOff, at), nameOff: paramNameOff, type: u32(at + 4) };
      }
      type = { kind, name: typeName, nameOff, returnType: sizeOrType, params };
      break;
    }
    case 'var':
      type = { kind, name: typeName, nameOff, type: sizeOrType, linkage: linkage(u32(body), body, 'var') };
      break;
    case 'datasec': {
      const vars: BtfVarSecinfo[] = new Array(vlen);
      for (let i = 0; i < vlen; i++) {
        const at = body + i * 12;
        vars[i] = { type: u32(at), offset: u32(at + 4), size: u32(at + 8) };
      }
      type = { kind, name: typeName, nameOff, size: sizeOrType, vars };
      break;
    }
    case 'float':
      type = { kind, name: typeName, nameOff, size: sizeOrType };
      break;
    case 'decl_tag':
      type = { kind, name: typeName, nameOff, type: sizeOrType, componentIdx: i32(body) };
      if (kindFlag) type.attribute = true;
      break;
  }
  return { type, end: body + extra };
}

/** Reads the .BTF header and checks every offset against the buffer (libbpf's btf_parse_hdr rules). */
export function parseBtfHeader(bytes: Uint8Array, where: BtfSource = {}): BtfHeader {
  const section = where.section ?? '.BTF';
  const fail = (offset: number, reason: string) =>
    new BtfError({ file: where.file, section, offset }, reason);
  if (bytes.length < BTF_HEADER_SIZE) throw fail(0, 'BTF header not found');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint16(0, true);
  if (magic === BIG_ENDIAN_MAGIC) throw fail(0, 'big-endian BTF is not supported');
  if (magic !== BTF_MAGIC) throw fail(0, `Invalid BTF magic: ${magic.toString(16)}`);
  const header: BtfHeader = {
    magic,
    version: view.getUint8(2),
    flags: view.getUint8(3),
    hdrLen: view.getUint32(4, true),
    typeOff: view.getUint32(8, true),
    typeLen: view.getUint32(12, true),
    strOff: view.getUint32(16, true),
    strLen: view.getUint32(20, true),
  };
  if (header.version !== BTF_VERSION) throw fail(2, `Unsupported BTF version: ${header.version}`);
  if (header.hdrLen < BTF_HEADER_SIZE) throw fail(4, `BTF header len ${header.hdrLen} is too small`);
  if (header.hdrLen > bytes.length) {
    throw fail(4, `BTF header len ${header.hdrLen} larger than data size ${bytes.length}`);
  }
  const dataLeft = bytes.length - header.hdrLen;
  if (header.strOff + header.strLen > dataLeft) throw fail(16, `Invalid BTF total size: ${bytes.length}`);
  if (header.typeOff + header.typeLen > header.strOff) {
    throw fail(
      8,
      `Invalid BTF data sections layout: type data at ${header.typeOff} + ${header.typeLen}, ` +
        `strings data at ${header.strOff} + ${header.strLen}`,
    );
  }
  if (header.typeOff % 4 !== 0) throw fail(8, 'BTF type section is not aligned to 4 bytes');
  return header;
}

/**
 * Parses a .BTF section. Throws only `BtfError`: bad magic or layout, bad string table, unknown kinds,
 * records running past the type section, string offsets or type ids out of range.
 */
export function parseBtf(bytes: Uint8Array, where: BtfSource = {}): Btf {
  const section = where.section ?? '.BTF';
  const header = parseBtfHeader(bytes, where);
  const typesStart = header.hdrLen + header.typeOff;
  const typesEnd = typesStart + header.typeLen;
  const stringsStart = header.hdrLen + header.strOff;
  const strings = bytes.slice(stringsStart, stringsStart + header.strLen);
  const fail = (offset: number, reason: string, typeId?: number) =>
    new BtfError({ file: where.file, section, offset, typeId }, reason);
  if (!isValidStringTable(strings)) throw fail(stringsStart, 'Invalid BTF string section');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: BtfType[] = [{ kind: 'void', name: '', nameOff: 0 }];
  const typeOffsets: number[] = [0];
  let pos = typesStart;
  while (pos < typesEnd) {
    const id = types.length;
    const { type, end } = decodeBtfRecord(view, strings, pos, typesEnd, id, fail);
    types.push(type);
    typeOffsets.push(pos);
    pos = end;
  }

  // References may point forward, so they are checked once every type is known.
  const lastId = types.length - 1;
  for (let id = 1; id <= lastId; id++) {
    forEachTypeRef(types[id], (ref) => {
      if (ref > lastId) {
        throw fail(
          typeOffsets[id],
          `BTF type [${id}]: invalid referenced type ID ${ref} (last is ${lastId})`,
          id,
        );
      }
    });
  }

  return new Btf(types, strings, { file: where.file, section }, { stringsOffset: stringsStart, typeOffsets });
}
