// The .BTF.ext model and decoder: func_info, line_info and CO-RE relocation records per ELF section.

import type { Btf, BtfSource } from './btf.js';
import { BtfError } from './btf-error.js';
import { BTF_MAGIC } from './btf-types.js';
import { readCString } from './string-table.js';

export const BTF_EXT_VERSION = 1;
/** magic, version, flags, hdr_len, then func_info and line_info off/len. */
export const BTF_EXT_MIN_HEADER_SIZE = 24;
/** ...followed by core_relo off/len when hdr_len allows. */
export const BTF_EXT_CORE_HEADER_SIZE = 32;
export const FUNC_INFO_MIN_RECORD_SIZE = 8;
export const LINE_INFO_MIN_RECORD_SIZE = 16;
export const CORE_RELO_MIN_RECORD_SIZE = 16;

export interface BtfFuncInfo {
  /** Byte offset of the function's first instruction in its ELF section, as stored in the .o. */
  insnOff: number;
  /** The FUNC type. */
  typeId: number;
}

export interface BtfLineInfo {
  /** Byte offset of the instruction in its ELF section, as stored in the .o. */
  insnOff: number;
  fileNameOff: number;
  fileName: string;
  lineOff: number;
  /** The source line's text. */
  lineText: string;
  /** line_col >> 10. */
  line: number;
  /** line_col & 0x3ff. */
  col: number;
}

/** bpf_core_relo_kind, named as libbpf names them. */
export const BPF_CORE_RELO_KIND_NAMES: readonly string[] = [
  'byte_off',
  'byte_sz',
  'field_exists',
  'signed',
  'lshift_u64',
  'rshift_u64',
  'local_type_id',
  'target_type_id',
  'type_exists',
  'type_size',
  'enumval_exists',
  'enumval_value',
  'type_matches',
];

export interface BtfCoreRelo {
  insnOff: number;
  /** The root type of the access. */
  typeId: number;
  accessStrOff: number;
  /** e.g. "0:1:0": member and array indexes walked from the root type. */
  accessStr: string;
  /** bpf_core_relo_kind; see BPF_CORE_RELO_KIND_NAMES. */
  kind: number;
}

/** Records of one ELF section. */
export interface BtfExtSection<R> {
  /** The ELF section the records belong to (e.g. "xdp", ".text"). */
  section: string;
  sectionNameOff: number;
  records: R[];
}

/** One info block (func_info, line_info or core_relo). */
export interface BtfExtInfo<R> {
  /** Record size as read; producers may use records larger than the part this model knows. */
  recordSize: number;
  sections: BtfExtSection<R>[];
}

export interface BtfExt {
  version: number;
  flags: number;
  /** 24 (no core_relo fields) or 32 for clang-14; larger headers are read but not kept. */
  hdrLen: number;
  /** undefined when the block's length is 0. */
  funcInfo: BtfExtInfo<BtfFuncInfo> | undefined;
  lineInfo: BtfExtInfo<BtfLineInfo> | undefined;
  coreRelo: BtfExtInfo<BtfCoreRelo> | undefined;
}

interface BlockSpec<R> {
  name: string;
  minRecordSize: number;
  /** Field offset of the header's off/len pair. */
  headerField: number;
  readRecord: (at: number) => R;
}

/**
 * Parses a .BTF.ext section against the object's BTF (which holds its strings). Throws only `BtfError`:
 * bad magic, version or flags, blocks outside the section, record sizes too small, empty or overflowing
 * sections, string offsets or type ids out of range.
 */
export function parseBtfExt(bytes: Uint8Array, btf: Btf, where: BtfSource = {}): BtfExt {
  const section = where.section ?? '.BTF.ext';
  const fail = (offset: number, reason: string) =>
    new BtfError({ file: where.file, section, offset }, reason);
  if (bytes.length < 8) throw fail(0, 'BTF.ext header not found');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const magic = view.getUint16(0, true);
  if (magic === 0x9feb) throw fail(0, 'big-endian BTF is not supported');
  if (magic !== BTF_MAGIC) throw fail(0, `Invalid BTF.ext magic: ${magic.toString(16)}`);
  const version = view.getUint8(2);
  if (version !== BTF_EXT_VERSION) throw fail(2, `Unsupported BTF.ext version: ${version}`);
  const flags = view.getUint8(3);
  if (flags !== 0) throw fail(3, `Unsupported BTF.ext flags: ${flags.toString(16)}`);
  const hdrLen = u32(4);
  if (hdrLen < BTF_EXT_MIN_HEADER_SIZE) throw fail(4, `BTF.ext header len ${hdrLen} is too small`);
  if (hdrLen > bytes.length)
    throw fail(4, `BTF.ext header len ${hdrLen} larger than data size ${bytes.length}`);

  const str = (offset: number, at: number, what: string): string => {
    const text = readCString(btf.strings, offset);
    if (text === undefined) throw fail(at, `${what} string offset ${offset} is out of range`);
    return text;
  };
  const typeId = (id: number, at: number): number => {
    if (id > btf.typeCount) throw fail(at, `type ID ${id} is out of range (last is ${btf.typeCount})`);
    return id;
  };

  const readBlock = <R>(spec: BlockSpec<R>): BtfExtInfo<R> | undefined => {
    const off = u32(spec.headerField);
    const len = u32(spec.headerField + 4);
    if (len === 0) return undefined;
    if (off % 4 !== 0)
      throw fail(spec.headerField, `.BTF.ext ${spec.name} section is not aligned to 4 bytes`);
    const start = hdrLen + off;
    const end = start + len;
    if (end > bytes.length) {
      throw fail(
        spec.headerField,
        `${spec.name} section (off:${off} len:${len}) is beyond the end of the ELF section .BTF.ext`,
      );
    }
    if (len < 4) throw fail(start, `.BTF.ext ${spec.name} record size not found`);
    const recordSize = u32(start);
    if (recordSize < spec.minRecordSize || recordSize % 4 !== 0) {
      throw fail(start, `${spec.name} section in .BTF.ext has invalid record size ${recordSize}`);
    }
    let pos = start + 4;
    if (pos === end) throw fail(start, `${spec.name} section in .BTF.ext has no records`);
    const sections: BtfExtSection<R>[] = [];
    while (pos < end) {
      if (end - pos < 8) throw fail(pos, `${spec.name} section header is not found in .BTF.ext`);
      const sectionNameOff = u32(pos);
      const count = u32(pos + 4);
      if (count === 0) throw fail(pos + 4, `${spec.name} section has incorrect num_records in .BTF.ext`);
      const sectionName = str(sectionNameOff, pos, 'section name');
      pos += 8;
      if (count * recordSize > end - pos) {
        throw fail(pos - 4, `${spec.name} section has incorrect num_records in .BTF.ext`);
      }
      const records: R[] = new Array(count);
      for (let i = 0; i < count; i++) records[i] = spec.readRecord(pos + i * recordSize);
      pos += count * recordSize;
      sections.push({ section: sectionName, sectionNameOff, records });
    }
    return { recordSize, sections };
  };

  const funcInfo = readBlock<BtfFuncInfo>({
    name: 'func_info',
    minRecordSize: FUNC_INFO_MIN_RECORD_SIZE,
    headerField: 8,
    readRecord: (at) => ({ insnOff: u32(at), typeId: typeId(u32(at + 4), at + 4) }),
  });
  const lineInfo = readBlock<BtfLineInfo>({
    name: 'line_info',
    minRecordSize: LINE_INFO_MIN_RECORD_SIZE,
    headerField: 16,
    readRecord: (at) => {
      const fileNameOff = u32(at + 4);
      const lineOff = u32(at + 8);
      const lineCol = u32(at + 12);
      return {
        insnOff: u32(at),
        fileNameOff,
        fileName: str(fileNameOff, at + 4, 'file name'),
        lineOff,
        lineText: str(lineOff, at + 8, 'line'),
        line: lineCol >>> 10,
        col: lineCol & 0x3ff,
      };
    },
  });
  const coreRelo =
    hdrLen >= BTF_EXT_CORE_HEADER_SIZE
      ? readBlock<BtfCoreRelo>({
          name: 'core_relo',
          minRecordSize: CORE_RELO_MIN_RECORD_SIZE,
          headerField: 24,
          readRecord: (at) => {
            const accessStrOff = u32(at + 8);
            return {
              insnOff: u32(at),
              typeId: typeId(u32(at + 4), at + 4),
              accessStrOff,
              accessStr: str(accessStrOff, at + 8, 'access'),
              kind: u32(at + 12),
            };
          },
        })
      : undefined;

  return { version, flags, hdrLen, funcInfo, lineInfo, coreRelo };
}
