// Tests of the conformance-suite dialect against every vector of the public eBPF conformance suite.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AsmError,
  assembleConformance,
  formatConformanceInsn,
  loadConformanceTest,
  parseConformanceData,
} from './conformance-asm.js';
import { requireConformanceVectors } from '../conformance-data.js';
import type { Insn } from '../../src/isa/insn.js';

const vectors = requireConformanceVectors();
const suite = vectors.dir;
const dataFiles = (folder: string) =>
  vectors.available ? readdirSync(join(suite, folder)).filter((f) => f.endsWith('.data')) : [];
const testFiles = dataFiles('tests');
const negativeFiles = dataFiles('negative');

function read(folder: string, file: string): string {
  return readFileSync(join(suite, folder, file), 'utf8');
}

vectors.describe('conformance suite vectors', () => {
  it('has the suite in place', () => {
    expect(testFiles.length).toBeGreaterThan(300);
    expect(negativeFiles.length).toBeGreaterThan(50);
  });

  it.each(testFiles)('tests/%s assembles', (file) => {
    const text = read('tests', file);
    const data = parseConformanceData(text, file);
    expect(data.asm).toBeDefined();
    const test = loadConformanceTest(text, file);
    expect(test.insns.length).toBeGreaterThan(0);
    if (data.raw) expect(test.insns).toEqual(data.raw);
    expect(data.result !== undefined || data.error !== undefined).toBe(true);
    // The formatter writes every instruction of the suite back in the dialect, to the same encoding.
    for (let i = 0; i < test.insns.length; i++) {
      const textOfInsn = formatConformanceInsn(test.insns[i], test.insns[i + 1]);
      expect(textOfInsn, `${file}[${i}]`).toBeDefined();
      const slots = assembleConformance(textOfInsn!);
      expect(relocatable(slots), textOfInsn).toEqual(relocatable(test.insns.slice(i, i + slots.length)));
      i += slots.length - 1;
    }
  });

  // Negative vectors that are not assembly errors: the suite uses them to check that its runner reports a failing
  // test. `or %r0, %r10` is valid BPF whose test expects an error; the other expects a wrong result.
  const NOT_ASSEMBLY_ERRORS = new Set(['error.data', 'incorrect_return_value_high_bits.data']);
  // Expected texts written for the suite's own assembler that say nothing about the input.
  const UNMATCHABLE_ERROR_TEXT = new Set(['invalid_unknown_directive.data']);
  const MESSAGES: Record<string, RegExp> = {
    'empty.data': /no program/,
    'empty_instructions.data': /no program/,
    'invalid_imm32_dec_range.data': /Invalid 32-bit immediate: 2147483648 is out of range/,
    'invalid_imm32_hex_range.data': /Invalid 32-bit immediate: 0x100000000 is out of range/,
    'invalid_label.data': /Invalid label: NOT_A_LABEL/,
    'invalid_mnemonic.data': /Invalid mnemonic: ldxq/,
    'invalid_offset.data': /Failed to decode register and offset: %r1/,
    'invalid_offset_range.data': /out of 16-bit range/,
    'invalid_operand_count.data': /Invalid number of operands for mnemonic: lddw/,
    'invalid_unknown_directive.data': /unknown section '-- Unknown directive'/,
  };

  it.each(negativeFiles)('negative/%s is refused', (file) => {
    const text = read('negative', file);
    if (NOT_ASSEMBLY_ERRORS.has(file)) {
      expect(loadConformanceTest(text, file).insns.length).toBeGreaterThan(0);
      return;
    }
    let error: unknown;
    try {
      loadConformanceTest(text, file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AsmError);
    const message = (error as AsmError).message;
    expect((error as AsmError).file).toBe(file);
    if (file.startsWith('unused-'))
      expect(message).toMatch(/unused field (off|src|dst|imm) is \d+, must be zero/);
    if (MESSAGES[file]) expect(message).toMatch(MESSAGES[file]);
    const expectedText = /-- error\n([^\n]*)/.exec(text)?.[1]?.trim();
    if (expectedText && !UNMATCHABLE_ERROR_TEXT.has(file)) expect(message).toContain(expectedText);
  });
});

/** Equality ignoring nothing; kept as a function so failures print both sides. */
function relocatable(insns: Insn[]) {
  return insns.map(({ code, dst, src, off, imm }) => ({ code, dst, src, off, imm }));
}

describe('dialect details', () => {
  it('reports errors at the line and column of the .data file', () => {
    const text = '# header\n-- asm\nmov %r0, 1\n  or %r0, %r50\nexit\n-- result\n0x1\n';
    try {
      loadConformanceTest(text, 'x.data');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AsmError);
      expect(error).toMatchObject({ file: 'x.data', line: 4, column: 11, reason: 'Invalid register: %r50' });
    }
  });

  it('encodes the forms the suite writes', () => {
    const cases: [string, Insn[]][] = [
      ['mov32 %r0, 0xffffffff', [{ code: 0xb4, dst: 0, src: 0, off: 0, imm: -1 }]],
      ['mov %r0, -1', [{ code: 0xb7, dst: 0, src: 0, off: 0, imm: -1 }]],
      ['sdiv32 %r1, %r2', [{ code: 0x3c, dst: 1, src: 2, off: 1, imm: 0 }]],
      ['smod %r1, 3', [{ code: 0x97, dst: 1, src: 0, off: 1, imm: 3 }]],
      ['movsx1632 %r1, %r2', [{ code: 0xbc, dst: 1, src: 2, off: 16, imm: 0 }]],
      ['movsx3264 %r1, %r2', [{ code: 0xbf, dst: 1, src: 2, off: 32, imm: 0 }]],
      ['ldxsh %r0, [%r10-2]', [{ code: 0x89, dst: 0, src: 10, off: -2, imm: 0 }]],
      ['stdw [%r1+0x10], 0x7fffffff', [{ code: 0x7a, dst: 1, src: 0, off: 16, imm: 0x7fffffff }]],
      ['ldxw %r0, [%r1+0xfffc]', [{ code: 0x61, dst: 0, src: 1, off: -4, imm: 0 }]],
      ['lock fetch xor32 [%r10-4], %r1', [{ code: 0xc3, dst: 10, src: 1, off: -4, imm: 0xa1 }]],
      ['lock cmpxchg [%r1+0], %r2', [{ code: 0xdb, dst: 1, src: 2, off: 0, imm: 0xf1 }]],
      ['be16 %r3', [{ code: 0xdc, dst: 3, src: 0, off: 0, imm: 16 }]],
      ['swap64 %r3', [{ code: 0xd7, dst: 3, src: 0, off: 0, imm: 64 }]],
      ['call %r2', [{ code: 0x8d, dst: 2, src: 0, off: 0, imm: 0 }]],
      ['call runtime 7', [{ code: 0x85, dst: 0, src: 2, off: 0, imm: 7 }]],
      ['ja32 +70000', [{ code: 0x06, dst: 0, src: 0, off: 0, imm: 70000 }]],
      [
        'lddw %r0, -1',
        [
          { code: 0x18, dst: 0, src: 0, off: 0, imm: -1 },
          { code: 0, dst: 0, src: 0, off: 0, imm: -1 },
        ],
      ],
    ];
    for (const [text, expected] of cases) expect(assembleConformance(text), text).toEqual(expected);
  });

  it('resolves labels, the implicit exit label and local calls', () => {
    const insns = assembleConformance(
      [
        '  jeq %r1, 0, done',
        '  call local f',
        '  ja exit',
        'done:',
        '  exit',
        'f:',
        '  mov %r0, 1',
        '  exit',
      ].join('\n'),
    );
    expect(insns.map((i) => [i.code, i.src, i.off, i.imm])).toEqual([
      [0x15, 0, 2, 0],
      [0x85, 1, 0, 2],
      [0x05, 0, 0, 0],
      [0x95, 0, 0, 0],
      [0xb7, 0, 0, 1],
      [0x95, 0, 0, 0],
    ]);
  });

  it('reads raw words and bytes', () => {
    const data = parseConformanceData(
      '-- raw\n0x0000000100000007\n95 00 00 00 00 00 00 00\n-- mem\naa 0b\n-- result\n0x10\n',
    );
    expect(data.raw).toEqual([
      { code: 0x07, dst: 0, src: 0, off: 0, imm: 1 },
      { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
    ]);
    expect([...data.mem]).toEqual([0xaa, 0x0b]);
    expect(data.result).toBe(0x10n);
  });
});

/** Random instructions the dialect can express, built from RFC 9669's fields. */
const register = fc.integer({ min: 0, max: 10 });
const off16 = fc.integer({ min: -32768, max: 32767 });
const imm32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const one = (code: number, dst: number, src: number, off: number, imm: number): Insn[] => [
  { code, dst, src, off, imm },
];

const validInsn: fc.Arbitrary<Insn[]> = fc.oneof(
  // ALU and ALU64 binary ops (sdiv/smod carry off 1), K and X.
  fc
    .tuple(
      fc.constantFrom(0x04, 0x07),
      fc.constantFrom(0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0),
      fc.boolean(),
      fc.boolean(),
      register,
      register,
      imm32,
    )
    .map(([cls, op, x, signed, dst, src, imm]) => {
      const off = signed && (op === 0x30 || op === 0x90) ? 1 : 0;
      return x ? one(cls | op | 0x08, dst, src, off, 0) : one(cls | op, dst, 0, off, imm);
    }),
  fc.tuple(fc.constantFrom(0x84, 0x87), register).map(([code, dst]) => one(code, dst, 0, 0, 0)),
  fc
    .tuple(fc.constantFrom([0xbc, 8], [0xbc, 16], [0xbf, 8], [0xbf, 16], [0xbf, 32]), register, register)
    .map(([[code, off], dst, src]) => one(code, dst, src, off, 0)),
  fc
    .tuple(fc.constantFrom(0xd4, 0xdc, 0xd7), fc.constantFrom(16, 32, 64), register)
    .map(([code, bits, dst]) => one(code, dst, 0, 0, bits)),
  fc
    .tuple(fc.constantFrom(0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91), register, register, off16)
    .map(([code, dst, src, off]) => one(code, dst, src, off, 0)),
  fc
    .tuple(fc.constantFrom(0x62, 0x6a, 0x72, 0x7a), register, off16, imm32)
    .map(([code, dst, off, imm]) => one(code, dst, 0, off, imm)),
  fc
    .tuple(fc.constantFrom(0x63, 0x6b, 0x73, 0x7b), register, register, off16)
    .map(([code, dst, src, off]) => one(code, dst, src, off, 0)),
  fc
    .tuple(
      fc.constantFrom(0xc3, 0xdb),
      fc.constantFrom(0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1),
      register,
      register,
      off16,
    )
    .map(([code, imm, dst, src, off]) => one(code, dst, src, off, imm)),
  fc.tuple(register, imm32, imm32).map(([dst, lo, hi]) => [
    { code: 0x18, dst, src: 0, off: 0, imm: lo },
    { code: 0, dst: 0, src: 0, off: 0, imm: hi },
  ]),
  fc
    .tuple(
      fc.constantFrom(0x05, 0x06),
      fc.constantFrom(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0),
      fc.boolean(),
      register,
      register,
      off16,
      imm32,
    )
    .map(([cls, op, x, dst, src, off, imm]) =>
      x ? one(cls | op | 0x08, dst, src, off, 0) : one(cls | op, dst, 0, off, imm),
    ),
  off16.map((off) => one(0x05, 0, 0, off, 0)),
  imm32.map((imm) => one(0x06, 0, 0, 0, imm)),
  fc.tuple(fc.constantFrom(0, 1, 2), imm32).map(([src, imm]) => one(0x85, 0, src, 0, imm)),
  register.map((dst) => one(0x8d, dst, 0, 0, 0)),
  fc.constant(one(0x95, 0, 0, 0, 0)),
);

describe('formatConformanceInsn', () => {
  it('round-trips every valid instruction through the dialect', () => {
    fc.assert(
      fc.property(validInsn, (slots) => {
        const text = formatConformanceInsn(slots[0], slots[1]);
        expect(text).toBeDefined();
        expect(assembleConformance(text!)).toEqual(slots);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('robustness', () => {
  it('refuses arbitrary text only with AsmError', () => {
    const pieces = fc.constantFrom(
      '-- asm\n',
      '-- raw\n',
      '-- mem\n',
      '-- result\n',
      '-- error\n',
      'mov %r0, 1\n',
      'lock fetch add [%r1+4], %r2\n',
      'ja lbl\n',
      'lbl:\n',
      '0x18\n',
      '00 11 22\n',
      'call local x\n',
      ' ',
      ',',
      '[',
      ']',
      '%r',
      '99999999999999999999',
      '-',
      '+',
      'exit\n',
      '#',
      'lddw %r1,',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        try {
          loadConformanceTest(parts.join(''));
        } catch (error) {
          if (!(error instanceof AsmError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
