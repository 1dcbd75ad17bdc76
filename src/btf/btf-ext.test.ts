// Unit tests of .BTF.ext: hand-built models round trip, larger records, and each malformed-input error.

import { describe, expect, it } from 'vitest';
import type { Btf } from './btf.js';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import type { BtfExt } from './btf-ext.js';
import { parseBtfExt } from './btf-ext.js';
import { encodeBtfExt } from './encode-btf.js';

interface Fixture {
  btf: Btf;
  ext: BtfExt;
}

/** Two sections with func_info, line_info and core_relo records whose strings live in the BTF. */
function fixture(hdrLen = 32, recordPadding = 0): Fixture {
  const b = new BtfBuilder();
  const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 });
  const proto = b.add({ kind: 'func_proto', name: '', returnType: int, params: [] });
  const main = b.add({ kind: 'func', name: 'main_prog', type: proto, linkage: 'global' });
  const sub = b.add({ kind: 'func', name: 'sub', type: proto, linkage: 'static' });
  const strings = ['xdp', '.text', 'prog.c', 'int main_prog(void)', '  return sub();', '0:1'];
  const off = Object.fromEntries(strings.map((s) => [s, b.addString(s)]));
  const btf = b.build();
  const line = (insnOff: number, text: string, lineNo: number, col: number) => ({
    insnOff,
    fileNameOff: off['prog.c'],
    fileName: 'prog.c',
    lineOff: off[text],
    lineText: text,
    line: lineNo,
    col,
  });
  const ext: BtfExt = {
    version: 1,
    flags: 0,
    hdrLen,
    funcInfo: {
      recordSize: 8 + recordPadding,
      sections: [
        { section: 'xdp', sectionNameOff: off.xdp, records: [{ insnOff: 0, typeId: main }] },
        { section: '.text', sectionNameOff: off['.text'], records: [{ insnOff: 0, typeId: sub }] },
      ],
    },
    lineInfo: {
      recordSize: 16 + recordPadding,
      sections: [
        {
          section: 'xdp',
          sectionNameOff: off.xdp,
          records: [line(0, 'int main_prog(void)', 3, 0), line(8, '  return sub();', 4, 1023)],
        },
        {
          section: '.text',
          sectionNameOff: off['.text'],
          records: [line(0, '  return sub();', 0x3fffff, 5)],
        },
      ],
    },
    coreRelo:
      hdrLen >= 32
        ? {
            recordSize: 16 + recordPadding,
            sections: [
              {
                section: 'xdp',
                sectionNameOff: off.xdp,
                records: [{ insnOff: 8, typeId: int, accessStrOff: off['0:1'], accessStr: '0:1', kind: 0 }],
              },
            ],
          }
        : undefined,
  };
  return { btf, ext };
}

function patchU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

function errorOf(run: () => unknown): BtfError {
  try {
    run();
  } catch (error) {
    if (error instanceof BtfError) return error;
    throw error;
  }
  throw new Error('expected a BtfError');
}

describe('BTF.ext encoding', () => {
  it('round trips func_info, line_info and core_relo with a 32-byte header', () => {
    const { btf, ext } = fixture();
    const bytes = encodeBtfExt(ext);
    expect(parseBtfExt(bytes, btf)).toEqual(ext);
    expect(encodeBtfExt(parseBtfExt(bytes, btf))).toEqual(bytes);
  });

  it('round trips a 24-byte header, which has no core_relo fields', () => {
    const { btf, ext } = fixture(24);
    const bytes = encodeBtfExt(ext);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(24);
    expect(parseBtfExt(bytes, btf)).toEqual(ext);
  });

  it('keeps larger record sizes and reads only the fields it knows', () => {
    const { btf, ext } = fixture(32, 8);
    const bytes = encodeBtfExt(ext);
    // Fill the unknown record tails with junk: newer producers put fields there.
    const view = new DataView(bytes.buffer);
    const funcRecord = 32 + 4 + 8;
    view.setUint32(funcRecord + 8, 0xdeadbeef, true);
    const parsed = parseBtfExt(bytes, btf);
    expect(parsed).toEqual(ext);
    expect(parsed.funcInfo?.recordSize).toBe(16);
  });

  it('decodes line and column from line_col', () => {
    const { btf, ext } = fixture();
    const records = parseBtfExt(encodeBtfExt(ext), btf).lineInfo!.sections.flatMap((s) => s.records);
    expect(records.map((r) => [r.line, r.col])).toEqual([
      [3, 0],
      [4, 1023],
      [0x3fffff, 5],
    ]);
  });

  it('omits blocks of length 0', () => {
    const { btf, ext } = fixture();
    const bare: BtfExt = { ...ext, lineInfo: undefined, coreRelo: undefined };
    const bytes = encodeBtfExt(bare);
    expect(new DataView(bytes.buffer).getUint32(20, true)).toBe(0);
    expect(parseBtfExt(bytes, btf)).toEqual(bare);
  });
});

describe('parseBtfExt refuses malformed input with BtfError', () => {
  const { btf, ext } = fixture();
  const good = encodeBtfExt(ext);
  const funcStart = 32;
  const lineStart = new DataView(good.buffer).getUint32(16, true) + 32;

  const cases: [string, Uint8Array, RegExp, number][] = [
    ['too short for a header', good.subarray(0, 6), /BTF.ext header not found/, 0],
    ['bad magic', patchU32(good, 0, 0x0001eb9e), /Invalid BTF.ext magic: eb9e/, 0],
    ['big-endian magic', patchU32(good, 0, 0x00019feb), /big-endian BTF is not supported/, 0],
    ['version 2', patchU32(good, 0, 0x0002eb9f), /Unsupported BTF.ext version: 2/, 2],
    ['flags set', patchU32(good, 0, 0x0101eb9f), /Unsupported BTF.ext flags: 1/, 3],
    ['header longer than the data', patchU32(good, 4, good.length + 4), /larger than data size/, 4],
    ['header shorter than 24', patchU32(good, 4, 20), /too small/, 4],
    [
      'func_info beyond the section',
      patchU32(good, 12, good.length),
      /func_info section \(off:0 len:\d+\) is beyond/,
      8,
    ],
    ['unaligned line_info', patchU32(good, 16, 2), /line_info section is not aligned/, 16],
    [
      'record size too small',
      patchU32(good, funcStart, 4),
      /func_info section in .BTF.ext has invalid record size 4/,
      funcStart,
    ],
    [
      'unaligned record size',
      patchU32(good, lineStart, 18),
      /line_info section in .BTF.ext has invalid record size 18/,
      lineStart,
    ],
    [
      'zero records',
      patchU32(good, funcStart + 8, 0),
      /func_info section has incorrect num_records/,
      funcStart + 8,
    ],
    [
      'records overflowing the block',
      patchU32(good, funcStart + 8, 0x10000000),
      /incorrect num_records/,
      funcStart + 8,
    ],
    [
      'section name out of range',
      patchU32(good, funcStart + 4, 0xffff),
      /section name string offset 65535/,
      funcStart + 4,
    ],
    [
      'func type id out of range',
      patchU32(good, funcStart + 16, 77),
      /type ID 77 is out of range/,
      funcStart + 16,
    ],
    [
      'line text out of range',
      patchU32(good, lineStart + 4 + 8 + 8, 0xfffff),
      /line string offset/,
      lineStart + 20,
    ],
    [
      'only a record size',
      patchU32(patchU32(good, 12, 4), 16, 4),
      /func_info section in .BTF.ext has no records/,
      funcStart,
    ],
    ['block shorter than a record size', patchU32(good, 12, 2), /func_info record size not found/, funcStart],
  ];

  for (const [what, bytes, message, offset] of cases) {
    it(what, () => {
      const error = errorOf(() => parseBtfExt(bytes, btf, { file: 'p.o' }));
      expect(error.reason).toMatch(message);
      expect(error.offset).toBe(offset);
      expect(error.section).toBe('.BTF.ext');
      expect(error.message).toContain('p.o: .BTF.ext at offset');
    });
  }
});
