// Encoding the BTF model back to .BTF and .BTF.ext bytes, in the layout clang and libbpf write.

import type { BtfLike } from './btf.js';
import { BtfError } from './btf-error.js';
import type { BtfExt, BtfExtInfo } from './btf-ext.js';
import { BTF_EXT_CORE_HEADER_SIZE, BTF_EXT_MIN_HEADER_SIZE, BTF_EXT_VERSION } from './btf-ext.js';
import type { BtfType } from './btf-types.js';
import {
  BTF_HEADER_SIZE,
  BTF_INT_ENCODING_BITS,
  BTF_KIND_NUMBERS,
  BTF_LINKAGE_NUMBERS,
  BTF_MAGIC,
  BTF_MAX_VLEN,
  BTF_TYPE_HEADER_SIZE,
  BTF_VERSION,
} from './btf-types.js';

/** Size in bytes of a type's record in the type section (0 for void, which has none). */
export function btfRecordSize(type: BtfType): number {
  switch (type.kind) {
    case 'void':
      return 0;
    case 'int':
    case 'var':
    case 'decl_tag':
      return BTF_TYPE_HEADER_SIZE + 4;
    case 'array':
      return BTF_TYPE_HEADER_SIZE + 12;
    case 'struct':
    case 'union':
      return BTF_TYPE_HEADER_SIZE + 12 * type.members.length;
    case 'datasec':
      return BTF_TYPE_HEADER_SIZE + 12 * type.vars.length;
    case 'enum64':
      return BTF_TYPE_HEADER_SIZE + 12 * type.values.length;
    case 'enum':
      return BTF_TYPE_HEADER_SIZE + 8 * type.values.length;
    case 'func_proto':
      return BTF_TYPE_HEADER_SIZE + 8 * type.params.length;
    default:
      return BTF_TYPE_HEADER_SIZE;
  }
}

/**
 * Encodes types and strings as a .BTF section: 24-byte header, type section at offset 0, string table
 * right after it. For BTF parsed from clang output this reproduces the input byte for byte.
 */
export function encodeBtf(btf: BtfLike): Uint8Array {
  const { types, strings } = btf;
  let typeLen = 0;
  for (let id = 1; id < types.length; id++) typeLen += btfRecordSize(types[id]);
  const out = new Uint8Array(BTF_HEADER_SIZE + typeLen + strings.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, BTF_MAGIC, true);
  view.setUint8(2, BTF_VERSION);
  view.setUint8(3, 0);
  view.setUint32(4, BTF_HEADER_SIZE, true);
  view.setUint32(8, 0, true);
  view.setUint32(12, typeLen, true);
  view.setUint32(16, typeLen, true);
  view.setUint32(20, strings.length, true);

  let pos = BTF_HEADER_SIZE;
  const u32 = (value: number) => {
    view.setUint32(pos, value, true);
    pos += 4;
  };
  for (let id = 1; id < types.length; id++) {
    const type = types[id];
    const fail = (reason: string) => new BtfError({ section: '.BTF', offset: pos, typeId: id }, reason);
    const nameOff = (off: number) => {
      if (!Number.isInteger(off) || off < 0 || off >= strings.length) {
        throw fail(`BTF type [${id}]: invalid name_off ${off}`);
      }
      return off;
    };
    if (type.kind === 'void') throw fail('void can only be type ID 0');
    const kind = type.kind;
    const header = (vlen: number, kindFlag: boolean, sizeOrType: number) => {
      if (vlen > BTF_MAX_VLEN) throw fail(`BTF type [${id}]: vlen ${vlen} does not fit in 16 bits`);
      u32(nameOff(type.nameOff));
      u32(((kindFlag ? 0x80000000 : 0) | (BTF_KIND_NUMBERS[kind] << 24) | vlen) >>> 0);
      u32(sizeOrType);
    };
    switch (type.kind) {
      case 'int':
        header(0, false, type.size);
        u32(
          (BTF_INT_ENCODING_BITS[type.encoding] << 24) | ((type.bitOffset & 0xff) << 16) | (type.bits & 0xff),
        );
        break;
      case 'ptr':
      case 'typedef':
      case 'volatile':
      case 'const':
      case 'restrict':
        header(0, false, type.type);
        break;
      case 'type_tag':
        header(0, type.attribute === true, type.type);
        break;
      case 'array':
        header(0, false, 0);
        u32(type.type);
        u32(type.indexType);
        u32(type.nelems);
        break;
      case 'struct':
      case 'union':
        header(type.members.length, type.kindFlag, type.size);
        for (const member of type.members) {
          u32(nameOff(member.nameOff));
          u32(member.type);
          if (type.kindFlag) {
            if (member.bitOffset > 0xffffff || member.bitfieldSize > 0xff) {
              throw fail(`member '${member.name}': bit offset or bitfield size too large`);
            }
            u32(((member.bitfieldSize << 24) | member.bitOffset) >>> 0);
          } else {
            if (member.bitfieldSize !== 0) throw fail(`member '${member.name}': a bitfield needs kindFlag`);
            u32(member.bitOffset);
          }
        }
        break;
      case 'enum':
        header(type.values.length, type.signed, type.size);
        for (const value of type.values) {
          u32(nameOff(value.nameOff));
          u32(value.value >>> 0);
        }
        break;
      case 'enum64':
        header(type.values.length, type.signed, type.size);
        for (const value of type.values) {
          const raw = BigInt.asUintN(64, value.value);
          u32(nameOff(value.nameOff));
          u32(Number(raw & 0xffffffffn));
          u32(Number(raw >> 32n));
        }
        break;
      case 'fwd':
        header(0, type.fwdKind === 'union', 0);
        break;
      case 'func':
        header(BTF_LINKAGE_NUMBERS[type.linkage], false, type.type);
        break;
      case 'func_proto':
        header(type.params.length, false, type.returnType);
        for (const param of type.params) {
          u32(nameOff(param.nameOff));
          u32(param.type);
        }
        break;
      case 'var':
        header(0, false, type.type);
        u32(BTF_LINKAGE_NUMBERS[type.linkage]);
        break;
      case 'datasec':
        header(type.vars.length, false, type.size);
        for (const secinfo of type.vars) {
          u32(secinfo.type);
          u32(secinfo.offset);
          u32(secinfo.size);
        }
        break;
      case 'float':
        header(0, false, type.size);
        break;
      case 'decl_tag':
        header(0, type.attribute === true, type.type);
        u32(type.componentIdx >>> 0);
        break;
    }
  }
  out.set(strings, pos);
  return out;
}

/**
 * Encodes a .BTF.ext section: blocks in the order func_info, line_info, core_relo, each right after the
 * previous one; records keep their `recordSize` (bytes past the known fields are written as zero).
 * String offsets and type ids are written as the model holds them.
 */
export function encodeBtfExt(ext: BtfExt): Uint8Array {
  const hdrLen =
    ext.hdrLen >= BTF_EXT_CORE_HEADER_SIZE || ext.coreRelo
      ? BTF_EXT_CORE_HEADER_SIZE
      : BTF_EXT_MIN_HEADER_SIZE;
  const blockLength = <R>(block: BtfExtInfo<R> | undefined): number => {
    if (block === undefined) return 0;
    let length = 4;
    for (const section of block.sections) length += 8 + section.records.length * block.recordSize;
    return length;
  };
  const funcLen = blockLength(ext.funcInfo);
  const lineLen = blockLength(ext.lineInfo);
  const coreLen = blockLength(ext.coreRelo);
  const out = new Uint8Array(hdrLen + funcLen + lineLen + coreLen);
  const view = new DataView(out.buffer);
  view.setUint16(0, BTF_MAGIC, true);
  view.setUint8(2, BTF_EXT_VERSION);
  view.setUint8(3, 0);
  view.setUint32(4, hdrLen, true);
  view.setUint32(8, 0, true);
  view.setUint32(12, funcLen, true);
  view.setUint32(16, funcLen, true);
  view.setUint32(20, lineLen, true);
  if (hdrLen >= BTF_EXT_CORE_HEADER_SIZE) {
    view.setUint32(24, funcLen + lineLen, true);
    view.setUint32(28, coreLen, true);
  }

  let pos = hdrLen;
  const writeBlock = <R>(
    block: BtfExtInfo<R> | undefined,
    knownSize: number,
    writeRecord: (record: R, at: number) => void,
  ) => {
    if (block === undefined) return;
    if (block.recordSize < knownSize || block.recordSize % 4 !== 0) {
      throw new BtfError({ section: '.BTF.ext', offset: pos }, `invalid record size ${block.recordSize}`);
    }
    view.setUint32(pos, block.recordSize, true);
    pos += 4;
    for (const section of block.sections) {
      view.setUint32(pos, section.sectionNameOff, true);
      view.setUint32(pos + 4, section.records.length, true);
      pos += 8;
      for (const record of section.records) {
        writeRecord(record, pos);
        pos += block.recordSize;
      }
    }
  };
  writeBlock(ext.funcInfo, 8, (record, at) => {
    view.setUint32(at, record.insnOff, true);
    view.setUint32(at + 4, record.typeId, true);
  });
  writeBlock(ext.lineInfo, 16, (record, at) => {
    view.setUint32(at, record.insnOff, true);
    view.setUint32(at + 4, record.fileNameOff, true);
    view.setUint32(at + 8, record.lineOff, true);
    view.setUint32(at + 12, ((record.line << 10) | (record.col & 0x3ff)) >>> 0, true);
  });
  writeBlock(ext.coreRelo, 16, (record, at) => {
    view.setUint32(at, record.insnOff, true);
    view.setUint32(at + 4, record.typeId, true);
    view.setUint32(at + 8, record.accessStrOff, true);
    view.setUint32(at + 12, record.kind, true);
  });
  return out;
}
