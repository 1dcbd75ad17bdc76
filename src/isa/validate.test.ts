// Validation messages and their order, as Linux 6.18's BPF_PROG_LOAD reported them for the same programs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Insn, insn } from './insn.js';
import { InsnError } from './insn-error.js';
import { jumpTarget, subprogramStarts, validateInsns } from './validate.js';

/** Programs written as the kernel experiment fed them: `code dst src off imm` per slot, `;` between slots. */
function program(text: string): Insn[] {
  return text.split(';').map((slot) => {
    const [code, dst, src, off, imm] = slot.trim().split(/\s+/);
    return insn(Number.parseInt(code, 16), Number(dst), Number(src), Number(off), Number(imm));
  });
}

function failure(insns: Insn[], options = {}): { index: number; reason: string } {
  try {
    validateInsns(insns, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InsnError);
    const { index, reason } = error as InsnError;
    return { index, reason };
  }
  throw new Error('expected validateInsns to throw');
}

// Each row: program, index tsbpf names, the kernel's log message for it (observed on Linux 6.18).
const KERNEL_CASES: [string, number, string][] = [
  ['18 0 0 0 1', 0, 'last insn is not an exit or jmp'],
  ['18 0 0 0 1;95 0 0 0 0', 0, 'invalid bpf_ld_imm64 insn'],
  ['18 0 0 0 1;1 0 0 0 0;95 0 0 0 0', 0, 'invalid bpf_ld_imm64 insn'],
  ['b7 0 0 0 0;18 0 0 0 1;ff 0 0 0 0;95 0 0 0 0', 1, 'invalid bpf_ld_imm64 insn'],
  ['b7 0 0 0 0;ff 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode ff'],
  ['b7 0 0 0 0;5 0 0 5 0;ff 0 0 0 0;95 0 0 0 0', 1, 'jump out of range from insn 1 to 7'],
  ['b7 0 0 0 0;ff 0 0 0 0;5 0 0 9 0;95 0 0 0 0', 2, 'jump out of range from insn 2 to 12'],
  ['b7 0 0 0 0;ff 0 0 0 0;b7 0 0 0 0', 2, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0', 0, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0;b7 0 1 0 0;95 0 0 0 0', 1, 'BPF_MOV uses reserved fields'],
  ['b7 0 0 0 0;4 0 0 1 0;95 0 0 0 0', 1, 'BPF_ALU uses reserved fields'],
  ['b7 0 0 0 0;c 0 0 1 0;95 0 0 0 0', 1, 'BPF_ALU uses reserved fields'],
  ['b7 0 0 0 0;3f 0 0 2 0;95 0 0 0 0', 1, 'BPF_ALU uses reserved fields'],
  ['b7 0 0 0 0;61 1 10 0 1;95 0 0 0 0', 1, 'BPF_LDX uses reserved fields'],
  ['b7 0 0 0 0;61 1 10 0 1;ff 0 0 0 0;95 0 0 0 0', 1, 'BPF_LDX uses reserved fields'],
  ['b7 0 0 0 0;01 1 10 0 0;95 0 0 0 0', 1, 'BPF_LDX uses reserved fields'],
  ['b7 0 0 0 0;99 1 10 0 0;95 0 0 0 0', 1, 'unknown opcode 99'],
  ['b7 0 0 0 0;b7 11 0 0 0;95 0 0 0 0', 1, 'R11 is invalid'],
  ['b7 0 0 0 0;b7 11 0 1 0;95 0 0 0 0', 1, 'BPF_MOV uses reserved fields'],
  ['b7 0 0 0 0;b7 10 0 0 0;95 0 0 0 0', 1, 'frame pointer is read only'],
  ['b7 0 0 0 0;bf 0 11 0 0;95 0 0 0 0', 1, 'R11 is invalid'],
  ['b7 0 0 0 0;bf 0 12 0 0;95 0 0 0 0', 1, 'R12 is invalid'],
  ['b7 0 0 0 0;bf 12 1 0 0;95 0 0 0 0', 1, 'R12 is invalid'],
  ['b7 0 0 0 0;15 0 1 0 0;95 0 0 0 0', 1, 'BPF_JMP/JMP32 uses reserved fields'],
  ['b7 0 0 0 0;1d 0 1 0 1;95 0 0 0 0', 1, 'BPF_JMP/JMP32 uses reserved fields'],
  ['b7 0 0 0 0;5 0 0 0 1;95 0 0 0 0', 1, 'BPF_JA uses reserved fields'],
  ['b7 0 0 0 0;6 0 0 1 0;95 0 0 0 0', 1, 'BPF_JA uses reserved fields'],
  ['b7 0 0 0 0;85 1 0 0 5;95 0 0 0 0', 1, 'BPF_CALL uses reserved fields'],
  ['b7 0 0 0 0;85 0 0 1 5;95 0 0 0 0', 1, 'BPF_CALL uses reserved fields'],
  ['b7 0 0 0 0;85 0 3 0 5;95 0 0 0 0', 1, 'BPF_CALL uses reserved fields'],
  ['b7 0 0 0 0;95 0 0 0 1', 1, 'BPF_EXIT uses reserved fields'],
  ['b7 0 0 0 0;95 1 0 0 0', 1, 'BPF_EXIT uses reserved fields'],
  ['b7 0 0 0 0;62 10 1 -8 0;95 0 0 0 0', 1, 'BPF_ST uses reserved fields'],
  ['b7 0 0 0 0;63 10 0 -8 1;95 0 0 0 0', 1, 'BPF_STX uses reserved fields'],
  ['b7 0 0 0 0;7b 10 0 -8 0;db 10 0 -8 2;95 0 0 0 0', 2, 'BPF_ATOMIC uses invalid atomic opcode 02'],
  ['b7 0 0 0 0;db 10 0 -8 -1;95 0 0 0 0', 1, 'BPF_ATOMIC uses invalid atomic opcode ffffffff'],
  ['b7 0 0 0 0;7b 10 0 -8 0;d3 10 0 -8 0;95 0 0 0 0', 2, 'invalid atomic operand size'],
  ['b7 0 0 0 0;db 10 10 -8 1;95 0 0 0 0', 1, 'frame pointer is read only'],
  ['b7 0 0 0 0;d4 0 0 0 8;95 0 0 0 0', 1, 'BPF_END uses reserved fields'],
  ['b7 0 0 0 0;dc 0 1 0 16;95 0 0 0 0', 1, 'BPF_END uses reserved fields'],
  ['b7 0 0 0 0;df 0 0 0 16;95 0 0 0 0', 1, 'unknown opcode df'],
  ['b7 0 0 0 0;87 0 1 0 0;95 0 0 0 0', 1, 'BPF_NEG uses reserved fields'],
  ['b7 0 0 0 0;84 0 0 0 1;95 0 0 0 0', 1, 'BPF_NEG uses reserved fields'],
  ['b7 0 0 0 0;8c 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode 8c'],
  ['b7 0 0 0 0;8d 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode 8d'],
  ['b7 0 0 0 0;86 0 0 0 1;95 0 0 0 0', 1, 'unknown opcode 86'],
  ['b7 0 0 0 0;0d 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode 0d'],
  ['b7 0 0 0 0;18 0 0 1 0;0 0 0 0 0;95 0 0 0 0', 1, 'BPF_LD_IMM64 uses reserved fields'],
  ['b7 0 0 0 0;18 11 0 0 0;0 0 0 0 0;95 0 0 0 0', 1, 'R11 is invalid'],
  ['b7 0 0 0 0;18 0 7 0 0;0 0 0 0 0;95 0 0 0 0', 1, 'unrecognized bpf_ld_imm64 insn'],
  ['b7 0 0 0 0;18 0 1 0 0;0 0 0 0 1;95 0 0 0 0', 1, 'unrecognized bpf_ld_imm64 insn'],
  ['b7 0 0 0 0;10 0 0 0 0;0 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode 10'],
  ['bf 6 1 0 0;20 1 0 0 0;95 0 0 0 0', 1, 'BPF_LD_[ABS|IND] uses reserved fields'],
  ['bf 6 1 0 0;20 0 0 1 0;95 0 0 0 0', 1, 'BPF_LD_[ABS|IND] uses reserved fields'],
  ['bf 6 1 0 0;38 0 0 0 0;95 0 0 0 0', 1, 'unknown opcode 38'],
  ['b7 0 0 0 0;15 0 0 1 0;18 0 0 0 0;0 0 0 0 0;95 0 0 0 0', 1, 'jump into the middle of ldimm64 insn 2'],
  ['15 0 0 2 0;b7 0 0 0 0;18 0 0 0 0;0 0 0 0 0;95 0 0 0 0', 0, 'jump into the middle of ldimm64 insn 2'],
  ['b7 0 0 0 0;37 0 0 0 0;95 0 0 0 0', 1, 'div by zero'],
  ['b7 0 0 0 0;37 0 0 1 0;95 0 0 0 0', 1, 'div by zero'],
  ['b7 0 0 0 0;67 0 0 0 64;95 0 0 0 0', 1, 'invalid shift 64'],
  ['b7 0 0 0 0;64 0 0 0 -1;95 0 0 0 0', 1, 'invalid shift -1'],
  ['b7 0 0 0 0;bc 0 1 32 0;95 0 0 0 0', 1, 'BPF_MOV uses reserved fields'],
  ['b7 0 0 0 0;85 0 1 0 5;95 0 0 0 0', 1, 'call to invalid destination'],
  ['b7 0 0 0 0;85 0 1 0 -5;95 0 0 0 0', 1, 'call to invalid destination'],
  ['b7 0 0 0 0;18 0 4 0 9;0 0 0 0 0;95 0 0 0 0;95 0 0 0 0', 1, 'call to invalid destination'],
  ['b7 0 0 0 0;18 0 4 0 1;0 0 0 0 0;95 0 0 0 0;95 0 0 0 0', 2, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0;85 0 1 0 0;95 0 0 0 0', 1, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0;85 0 1 0 -1;95 0 0 0 0', 0, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0;5 0 0 -3 0;95 0 0 0 0', 1, 'jump out of range from insn 1 to -1'],
  ['b7 0 0 0 0;95 0 0 0 0;b7 0 0 0 0', 2, 'last insn is not an exit or jmp'],
  ['b7 0 0 0 0;5 0 0 2 0;95 0 0 0 0;95 0 0 0 0', 1, 'jump out of range from insn 1 to 4'],
  ['b7 0 0 0 0;85 0 1 0 1;95 0 0 0 0;5 0 0 1 0;95 0 0 0 0', 3, 'jump out of range from insn 3 to 5'],
  ['b7 0 0 0 0;85 0 1 0 1;5 0 0 1 0;95 0 0 0 0;95 0 0 0 0', 2, 'jump out of range from insn 2 to 4'],
];

describe('validateInsns gives the kernel verdict', () => {
  it.each(KERNEL_CASES)('%s -> insn %i: %s', (text, index, reason) => {
    expect(failure(program(text))).toEqual({ index, reason });
  });

  it('accepts what the kernel accepted', () => {
    for (const text of [
      'b7 0 0 0 0;95 0 0 0 0',
      'b7 0 0 0 0;6 0 0 0 0;95 0 0 0 0',
      'b7 0 0 0 0;d7 0 0 0 16;95 0 0 0 0',
      'b7 0 0 0 0;1e 0 0 0 0;95 0 0 0 0',
      'b7 0 0 0 0;18 0 0 0 0;0 0 0 0 7;95 0 0 0 0',
      'b7 0 0 0 0;85 0 1 0 1;95 0 0 0 0;b7 0 0 0 1;95 0 0 0 0',
    ]) {
      expect(() => validateInsns(program(text))).not.toThrow();
    }
  });

  it('skips the static refusals of well-formed instructions with encodingOnly', () => {
    expect(() =>
      validateInsns(program('b7 0 0 0 0;37 0 0 0 0;95 0 0 0 0'), { encodingOnly: true }),
    ).not.toThrow();
    expect(() => validateInsns(program('b7 10 0 0 0;95 0 0 0 0'), { encodingOnly: true })).not.toThrow();
    expect(failure(program('b7 0 0 0 0;37 0 1 0 0;95 0 0 0 0'), { encodingOnly: true })).toEqual({
      index: 1,
      reason: 'BPF_ALU uses reserved fields',
    });
  });

  it('checks may_goto, load-acquire and store-release as Linux 6.18 does', () => {
    // Recorded from the kernel: may_goto takes only its offset, and only in the JMP class.
    expect(validateInsns(program('b7 0 0 0 0;e5 0 0 0 0;95 0 0 0 0'))).toBeUndefined();
    expect(failure(program('e5 0 0 0 1;b7 0 0 0 0;95 0 0 0 0'))).toEqual({
      index: 0,
      reason: 'invalid may_goto imm 1',
    });
    expect(failure(program('e5 0 1 0 0;b7 0 0 0 0;95 0 0 0 0')).reason).toBe('invalid may_goto imm 0');
    expect(failure(program('e5 11 0 0 0;b7 0 0 0 0;95 0 0 0 0')).reason).toBe('invalid may_goto imm 0');
    expect(failure(program('e6 0 0 0 0;b7 0 0 0 0;95 0 0 0 0')).reason).toBe('unknown opcode e6');
    expect(failure(program('ed 0 0 0 0;b7 0 0 0 0;95 0 0 0 0')).reason).toBe('unknown opcode ed');
    expect(failure(program('b7 0 0 0 0;e5 0 0 -2 0')).reason).toBe('last insn is not an exit or jmp');
    // Load-acquire (imm 0x100) and store-release (0x110) exist for every size; the others only for W and DW.
    for (const code of ['d3', 'cb', 'c3', 'db']) {
      expect(
        validateInsns(program(`b7 1 0 0 0;${code} 10 1 -8 272;${code} 0 10 -8 256;95 0 0 0 0`)),
      ).toBeUndefined();
    }
    expect(failure(program('b7 1 0 0 0;d3 10 1 -8 0;95 0 0 0 0')).reason).toBe('invalid atomic operand size');
    expect(failure(program('b7 1 0 0 0;d3 10 1 -8 257;95 0 0 0 0')).reason).toBe(
      'BPF_ATOMIC uses invalid atomic opcode 101',
    );
    expect(failure(program('b7 1 0 0 0;db 10 1 -8 273;95 0 0 0 0')).reason).toBe(
      'BPF_ATOMIC uses invalid atomic opcode 111',
    );
    expect(failure(program('b7 1 0 0 0;cb 10 11 -8 272;95 0 0 0 0')).reason).toBe('R11 is invalid');
    expect(failure(program('b7 1 0 0 0;cb 11 10 -8 256;95 0 0 0 0')).reason).toBe('R11 is invalid');
    expect(failure(program('7a 10 0 -8 0;db 10 10 -8 256;95 0 0 0 0')).reason).toBe(
      'frame pointer is read only',
    );
  });

  it('refuses an empty program', () => {
    expect(failure([])).toEqual({ index: 0, reason: 'program has no instructions' });
  });

  it('throws only InsnError on random programs and never hangs', () => {
    const slot = fc
      .record({
        code: fc.constantFrom(0x05, 0x06, 0x15, 0x18, 0x85, 0x95, 0xb7, 0x0f, 0x61, 0xdb, 0x00, 0xff),
        dst: fc.integer({ min: 0, max: 15 }),
        src: fc.integer({ min: 0, max: 15 }),
        off: fc.integer({ min: -4, max: 4 }),
        imm: fc.integer({ min: -4, max: 4 }),
      })
      .map(({ code, dst, src, off, imm }) => insn(code, dst, src, off, imm));
    fc.assert(
      fc.property(fc.array(slot, { maxLength: 12 }), (insns) => {
        try {
          validateInsns(insns);
        } catch (error) {
          expect(error).toBeInstanceOf(InsnError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('helpers', () => {
  it('finds function starts and jump targets', () => {
    const insns = program('85 0 1 0 1;95 0 0 0 0;6 0 0 0 -1;95 0 0 0 0');
    expect(subprogramStarts(insns)).toEqual([0, 2]);
    expect(jumpTarget(insns[2], 2)).toBe(2);
    expect(jumpTarget(insns[0], 0)).toBeUndefined();
  });
});
