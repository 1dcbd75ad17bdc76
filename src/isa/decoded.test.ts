// Decoding: every table opcode decodes, decode/encode round-trips, and invalid encodings throw only InsnError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodedInsn, decodeInsn, decodeProgram, encodeInsn } from './decoded.js';
import { type Insn, insn } from './insn.js';
import { InsnError } from './insn-error.js';
import { type FieldRule, OPCODE_TABLE, opcodeEntry } from './opcode-table.js';

const int16 = fc.integer({ min: -32768, max: 32767 });
const int32 = fc.integer({ min: -2147483648, max: 2147483647 });

function fieldArbitrary(rule: FieldRule, range: fc.Arbitrary<number>): fc.Arbitrary<number> {
  switch (rule.kind) {
    case 'reg':
      return fc.integer({ min: 0, max: 10 });
    case 'zero':
      return fc.constant(0);
    case 'any':
      return range;
    case 'oneOf':
      return fc.constantFrom(...rule.values);
    case 'zeroUnlessKfunc':
      return fc.constant(0);
  }
}

/** A random valid instruction (1 or 2 slots), drawn field by field from the opcode table. */
const validInsn: fc.Arbitrary<Insn[]> = fc.constantFrom(...OPCODE_TABLE.values()).chain((entry) =>
  fc
    .record({
      dst: fieldArbitrary(entry.dst, fc.integer({ min: 0, max: 10 })),
      src: fieldArbitrary(entry.src, fc.integer({ min: 0, max: 10 })),
      off: fieldArbitrary(entry.off, int16),
      imm: fieldArbitrary(entry.imm, int32),
      hi: int32,
      kfuncOff: int16,
    })
    .map(({ dst, src, off, imm, hi, kfuncOff }) => {
      const first = insn(entry.code, dst, src, entry.kind === 'call' && src === 2 ? kfuncOff : off, imm);
      if (entry.kind !== 'ld_imm64') return [first];
      // Map fd and map idx pseudo loads carry no upper half (kernel: unrecognized bpf_ld_imm64 insn otherwise).
      return [first, insn(0, 0, 0, 0, src === 1 || src === 5 ? 0 : hi)];
    }),
);

const anySlot = fc
  .record({
    code: fc.integer({ min: 0, max: 255 }),
    dst: fc.integer({ min: 0, max: 15 }),
    src: fc.integer({ min: 0, max: 15 }),
    off: int16,
    imm: int32,
  })
  .map(({ code, dst, src, off, imm }) => insn(code, dst, src, off, imm));

describe('decodeInsn', () => {
  it('round-trips every valid instruction through encodeInsn', () => {
    fc.assert(
      fc.property(validInsn, (slots) => {
        expect(encodeInsn(decodeInsn(slots, 0))).toEqual(slots);
      }),
      { numRuns: 5000 },
    );
  });

  it('throws only InsnError on arbitrary slots, and what it accepts re-encodes identically', () => {
    fc.assert(
      fc.property(fc.array(anySlot, { minLength: 1, maxLength: 3 }), (slots) => {
        let decoded: DecodedInsn;
        try {
          decoded = decodeInsn(slots, 0);
        } catch (error) {
          expect(error).toBeInstanceOf(InsnError);
          expect((error as InsnError).index).toBe(0);
          expect((error as InsnError).message).toBe(`insn 0: ${(error as InsnError).reason}`);
          return;
        }
        const encoded = encodeInsn(decoded);
        expect(encoded).toEqual(slots.slice(0, encoded.length));
      }),
      { numRuns: 20000 },
    );
  });

  it('decodes representative instructions into the documented shapes', () => {
    expect(decodeInsn([insn(0x3f, 1, 2, 1, 0)], 0)).toEqual({
      kind: 'alu',
      width: 64,
      op: 'sdiv',
      dst: 1,
      source: { kind: 'reg', reg: 2 },
    });
    expect(decodeInsn([insn(0x94, 1, 0, 0, 7)], 0)).toEqual({
      kind: 'alu',
      width: 32,
      op: 'mod',
      dst: 1,
      source: { kind: 'imm', imm: 7 },
    });
    expect(decodeInsn([insn(0xbc, 1, 2, 16, 0)], 0)).toEqual({
      kind: 'alu',
      width: 32,
      op: 'movsx',
      dst: 1,
      source: { kind: 'reg', reg: 2 },
      signExtendBits: 16,
    });
    expect(decodeInsn([insn(0x87, 3, 0, 0, 0)], 0)).toEqual({ kind: 'alu', width: 64, op: 'neg', dst: 3 });
    expect(decodeInsn([insn(0xdc, 1, 0, 0, 32)], 0)).toEqual({
      kind: 'endian',
      width: 32,
      to: 'be',
      dst: 1,
      bits: 32,
    });
    expect(decodeInsn([insn(0xd7, 1, 0, 0, 64)], 0)).toEqual({
      kind: 'endian',
      width: 64,
      to: 'swap',
      dst: 1,
      bits: 64,
    });
    expect(decodeInsn([insn(0x06, 0, 0, 0, 100000)], 0)).toEqual({
      kind: 'jump',
      width: 32,
      op: 'ja',
      offset: 100000,
    });
    expect(decodeInsn([insn(0x05, 0, 0, -3, 0)], 0)).toEqual({
      kind: 'jump',
      width: 64,
      op: 'ja',
      offset: -3,
    });
    expect(decodeInsn([insn(0x2e, 1, 2, 4, 0)], 0)).toEqual({
      kind: 'jump',
      width: 32,
      op: 'jgt',
      dst: 1,
      source: { kind: 'reg', reg: 2 },
      offset: 4,
    });
    expect(decodeInsn([insn(0x85, 0, 1, 0, 5)], 0)).toEqual({
      kind: 'call',
      target: 'local',
      imm: 5,
      off: 0,
    });
    expect(decodeInsn([insn(0x85, 0, 2, 3, 77)], 0)).toEqual({
      kind: 'call',
      target: 'kfunc',
      imm: 77,
      off: 3,
    });
    expect(decodeInsn([insn(0x95, 0, 0, 0, 0)], 0)).toEqual({ kind: 'exit' });
    expect(decodeInsn([insn(0x18, 1, 0, 0, -1), insn(0, 0, 0, 0, 0x7fffffff)], 0)).toEqual({
      kind: 'ld_imm64',
      dst: 1,
      src: 0,
      imm64: 0x7fffffffffffffffn,
      lo: -1,
      hi: 0x7fffffff,
    });
    expect(decodeInsn([insn(0x18, 1, 0, 0, 0), insn(0, 0, 0, 0, -1)], 0)).toMatchObject({
      imm64: -(1n << 32n),
    });
    expect(decodeInsn([insn(0x89, 1, 2, -2, 0)], 0)).toEqual({
      kind: 'load',
      size: 2,
      signed: true,
      dst: 1,
      src: 2,
      off: -2,
    });
    expect(decodeInsn([insn(0x72, 10, 0, -1, 9)], 0)).toEqual({
      kind: 'store',
      size: 1,
      dst: 10,
      source: { kind: 'imm', imm: 9 },
      off: -1,
    });
    expect(decodeInsn([insn(0xdb, 1, 2, 8, 0xf1)], 0)).toEqual({
      kind: 'atomic',
      size: 8,
      op: 'cmpxchg',
      fetch: true,
      dst: 1,
      src: 2,
      off: 8,
    });
    expect(decodeInsn([insn(0xc3, 1, 2, 0, 0x50)], 0)).toEqual({
      kind: 'atomic',
      size: 4,
      op: 'and',
      fetch: false,
      dst: 1,
      src: 2,
      off: 0,
    });
    expect(decodeInsn([insn(0x48, 0, 3, 0, 14)], 0)).toEqual({
      kind: 'ld_legacy',
      mode: 'ind',
      size: 2,
      src: 3,
      imm: 14,
    });
  });

  it('decodes may_goto, load-acquire and store-release into kinds of their own', () => {
    expect(decodeInsn([insn(0xe5, 0, 0, -3, 0)], 0)).toEqual({ kind: 'may_goto', offset: -3 });
    expect(decodeInsn([insn(0xd3, 0, 1, 2, 0x100)], 0)).toEqual({
      kind: 'load_acquire',
      size: 1,
      dst: 0,
      src: 1,
      off: 2,
    });
    expect(decodeInsn([insn(0xdb, 10, 3, -8, 0x110)], 0)).toEqual({
      kind: 'store_release',
      size: 8,
      dst: 10,
      src: 3,
      off: -8,
    });
    // Every size exists for both; the read-modify-write atomics of B and H do not.
    for (const [code, size] of [
      [0xd3, 1],
      [0xcb, 2],
      [0xc3, 4],
      [0xdb, 8],
    ] as const) {
      expect(decodeInsn([insn(code, 1, 2, 0, 0x100)], 0)).toMatchObject({ kind: 'load_acquire', size });
      expect(decodeInsn([insn(code, 1, 2, 0, 0x110)], 0)).toMatchObject({ kind: 'store_release', size });
    }
    expect(() => decodeInsn([insn(0xcb, 1, 2, 0, 0x01)], 0)).toThrow('invalid atomic operand size');
    expect(() => decodeInsn([insn(0xe5, 0, 0, 1, 5)], 0)).toThrow('invalid may_goto imm 5');
  });

  it('covers every opcode family the brief lists', () => {
    const names = [...OPCODE_TABLE.values()].map((entry) => entry.name);
    expect(OPCODE_TABLE.size).toBe(names.length);
    for (const expected of [
      'ldxsb',
      'ldxsh',
      'ldxsw',
      'gotol',
      'bswap',
      'le',
      'be',
      'ldabsb',
      'ldindw',
      'atomicw',
      'atomicdw',
      'stdw',
      'lddw',
      'may_goto',
      'atomicb',
      'atomich',
    ]) {
      expect(names).toContain(expected);
    }
    expect(opcodeEntry(0x9f)?.off).toEqual({ kind: 'oneOf', values: [0, 1] });
    expect(opcodeEntry(0xbf)?.off).toEqual({ kind: 'oneOf', values: [0, 8, 16, 32] });
    expect(opcodeEntry(0xbc)?.off).toEqual({ kind: 'oneOf', values: [0, 8, 16] });
    expect(opcodeEntry(0xdf)).toBeUndefined(); // ALU64|END|X does not exist
    expect(opcodeEntry(0x8c)).toBeUndefined(); // neg has no register form
    expect(opcodeEntry(0x99)).toBeUndefined(); // no 64-bit sign-extending load
  });
});

describe('decodeProgram', () => {
  it('is index-aligned with the slots and leaves the LD_IMM64 second slot empty', () => {
    const program = decodeProgram([insn(0x18, 0, 0, 0, 1), insn(0, 0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)]);
    expect(program.map((d) => d?.kind)).toEqual(['ld_imm64', undefined, 'exit']);
  });

  it('reports an unknown opcode anywhere before a reserved field earlier in the program', () => {
    const insns = [insn(0x07, 0, 1, 0, 0), insn(0xff, 0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)];
    expect(() => decodeProgram(insns)).toThrow('insn 1: unknown opcode ff');
    expect(() => decodeInsn(insns, 0)).toThrow('insn 0: BPF_ALU uses reserved fields');
  });
});
