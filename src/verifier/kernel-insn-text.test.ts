// Instruction text and state padding against lines copied from Linux 6.18 verifier logs (level 2).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Insn, insn } from '../isa/insn.js';
import { kernelInsnLine, kernelInsnText, padInsnForState, vlogAlignment } from './kernel-insn-text.js';

/** `[code, dst, src, off, imm]`, the kernel's text; from the logs of the corpus and the every-opcode program. */
const FROM_KERNEL_LOGS: readonly [readonly [number, number, number, number, number], string][] = [
  [[0xbf, 9, 1, 0, 0], '(bf) r9 = r1'],
  [[0x61, 7, 9, 0, 0], '(61) r7 = *(u32 *)(r9 +0)'],
  [[0x85, 0, 1, 0, 18], '(85) call pc+18'],
  [[0x85, 0, 1, 0, -12], '(85) call pc-12'],
  [[0x85, 0, 0, 0, 26], '(85) call bpf_skb_load_bytes#26'],
  [[0x85, 0, 0, 0, 0], '(85) call bpf_unspec#0'],
  [[0x85, 0, 0, 0, 212], '(85) call unknown#212'],
  [[0x85, 0, 0, 0, 999], '(85) call unknown#999'],
  [[0x85, 0, 0, 0, -1], '(85) call unknown#-1'],
  [[0x2d, 4, 3, 2, 0], '(2d) if r4 > r3 goto pc+2'],
  [[0x07, 3, 0, 0, -8], '(07) r3 += -8'],
  [[0xb4, 0, 0, 0, 1], '(b4) w0 = 1'],
  [[0xc3, 10, 1, -8, 0x00], '(c3) lock *(u32 *)(r10 -8) += r1'],
  [[0xdb, 10, 5, -8, 0x50], '(db) lock *(u64 *)(r10 -8) &= r5'],
  [[0xc3, 10, 5, -8, 0x41], '(c3) r5 = atomic_fetch_or((u32 *)(r10 -8), r5)'],
  [[0xdb, 10, 5, -8, 0xa1], '(db) r5 = atomic64_fetch_xor((u64 *)(r10 -8), r5)'],
  [[0xdb, 10, 5, -8, 0xe1], '(db) r5 = atomic64_xchg((u64 *)(r10 -8), r5)'],
  [[0xc3, 10, 5, -8, 0xf1], '(c3) r0 = atomic_cmpxchg((u32 *)(r10 -8), r0, r5)'],
  [[0xd3, 3, 10, -8, 0x100], '(d3) r3 = load_acquire((u8 *)(r10 -8))'],
  [[0xcb, 10, 3, -8, 0x110], '(cb) store_release((u16 *)(r10 -8), r3)'],
  [[0xdc, 6, 0, 0, 16], '(dc) r6 = be16 r6'],
  [[0xd4, 3, 0, 0, 64], '(d4) r3 = le64 r3'],
  [[0xd7, 3, 0, 0, 32], '(d7) r3 = bswap32 r3'],
  [[0xbf, 1, 2, 8, 0], '(bf) r1 = (s8)r2'],
  [[0xbc, 1, 2, 16, 0], '(bc) w1 = (s16)w2'],
  [[0xbf, 1, 2, 32, 0], '(bf) r1 = (s32)r2'],
  [[0xbf, 1, 2, 1, 0x10000], '(bf) r1 = addr_space_cast(r2, 1, 0)'],
  [[0x3f, 1, 2, 1, 0], '(3f) r1 s/= r2'],
  [[0x94, 9, 0, 1, -1], '(94) w9 s%= -1'],
  [[0x87, 9, 0, 0, 0], '(87) r9 = -r9'],
  [[0x84, 1, 0, 0, 0], '(84) w1 = -w1'],
  [[0xc7, 0, 0, 0, 32], '(c7) r0 s>>= 32'],
  [[0x06, 0, 0, 0, 1], '(06) gotol pc+1'],
  [[0x05, 0, 0, -12, 0], '(05) goto pc-12'],
  [[0x05, 0, 0, 0, 0], '(05) goto pc+0'],
  [[0xe5, 0, 0, 0, 0], '(e5) may_goto pc+0'],
  [[0x95, 0, 0, 0, 0], '(95) exit'],
  [[0x65, 0, 0, -25, -1], '(65) if r0 s> 0xffffffff goto pc-25'],
  [[0xc6, 1, 0, 5, -50000], '(c6) if w1 s< 0xffff3cb0 goto pc+5'],
  [[0x5e, 4, 3, 0, 0], '(5e) if w4 != w3 goto pc+0'],
  [[0x30, 0, 0, 0, 12], '(30) r0 = *(u8 *)skb[12]'],
  [[0x48, 0, 4, 0, -3], '(48) r0 = *(u16 *)skb[r4 + -3]'],
  [[0x91, 7, 10, -32768, 0], '(91) r7 = *(s8 *)(r10 -32768)'],
  [[0x89, 7, 10, 32767, 0], '(89) r7 = *(s16 *)(r10 +32767)'],
  [[0x62, 10, 0, -16, 0x7fffffff], '(62) *(u32 *)(r10 -16) = 2147483647'],
  [[0x7b, 10, 6, -8, 0], '(7b) *(u64 *)(r10 -8) = r6'],
  [[0xbf, 11, 12, 0, 0], '(bf) r11 = r12'],
];

const slots = ([code, dst, src, off, imm]: readonly number[]): Insn[] => [insn(code, dst, src, off, imm)];

describe('kernelInsnText', () => {
  it.each(FROM_KERNEL_LOGS)('%j prints %s', (fields, text) => {
    expect(kernelInsnText(slots(fields), 0)).toBe(text);
  });

  it('prints LD_IMM64 as the 64-bit value, both slots joined', () => {
    const load = (lo: number, hi: number, src = 0) => [insn(0x18, 1, src, 0, lo), insn(0, 0, 0, 0, hi)];
    expect(kernelInsnText(load(-8, 0), 0)).toBe('(18) r1 = 0xfffffff8');
    expect(kernelInsnText(load(0x23456789, 1), 0)).toBe('(18) r1 = 0x123456789');
    expect(kernelInsnText(load(-1, -1), 0)).toBe('(18) r1 = 0xffffffffffffffff');
    // a callback (src 4) prints its relative offset, as the kernel does
    expect(kernelInsnText(load(0x15, 0, 4), 0)).toBe('(18) r1 = 0x15');
  });

  it('prints map loads as the value the verifier resolved, hidden from unprivileged logs', () => {
    const mapLoad = [insn(0x18, 1, 1, 0, 3), insn(0, 0, 0, 0, 0)];
    const resolved = { ldImm64Value: (index: number) => (index === 0 ? 0xffff888262a89e00n : undefined) };
    expect(kernelInsnText(mapLoad, 0)).toBe('(18) r1 = 0x3');
    expect(kernelInsnText(mapLoad, 0, resolved)).toBe('(18) r1 = 0xffff888262a89e00');
    expect(kernelInsnText(mapLoad, 0, { ...resolved, allowPtrLeaks: false })).toBe('(18) r1 = 0x0');
  });

  it('names kfuncs through the caller and says kernel-function otherwise', () => {
    const call = [insn(0x85, 0, 2, 0, 52133)];
    expect(kernelInsnText(call, 0)).toBe('(85) call kernel-function#52133');
    expect(kernelInsnText(call, 0, { kfuncName: () => 'bpf_rcu_read_lock' })).toBe(
      '(85) call bpf_rcu_read_lock#52133',
    );
    expect(kernelInsnText([insn(0x85, 0, 0, 0, 1)], 0, { helperName: () => undefined })).toBe(
      '(85) call unknown#1',
    );
  });

  // Not seen in logs (the kernel refuses these opcodes before printing): disasm.c's fallbacks, so nothing throws.
  it("prints the disassembler's BUG forms for modes it has no syntax for", () => {
    expect(kernelInsnText(slots([0x23, 1, 2, 0, 0]), 0)).toBe('BUG_23');
    expect(kernelInsnText(slots([0x22, 1, 0, 0, 0]), 0)).toBe('BUG_st_22');
    expect(kernelInsnText(slots([0x21, 1, 2, 0, 0]), 0)).toBe('BUG_ldx_21');
  });

  it('answers for any field values, as the kernel prints anything it is given', () => {
    let printed = 0;
    const field = (bits: number) => fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 });
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 255 }), fc.nat(15), fc.nat(15), field(16), field(32), field(32)),
        ([code, dst, src, off, imm, hi]) => {
          const text = kernelInsnText([insn(code, dst, src, off, imm), insn(0, 0, 0, 0, hi)], 0);
          expect(text).toMatch(/^(\([0-9a-f]{2}\) \S|BUG_)/);
          printed++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(printed).toBe(2000);
  });

  it('refuses an index outside the program', () => {
    expect(() => kernelInsnText([], 0)).toThrow(RangeError);
  });
});

describe('padInsnForState', () => {
  // Everything up to the `;` of real state lines: a 40-column minimum, else the next multiple of 8.
  it.each([
    '0: (bf) r6 = r1                       ;',
    '10: (7b) *(u64 *)(r10 -56) = r7       ;',
    '113: (65) if r2 s> 0xc350 goto pc+5   ;',
    '24: (85) call bpf_get_current_pid_tgid#14     ;',
    '94: (c6) if w1 s< 0xffff3cb0 goto pc+5        ;',
    '126: (85) call bpf_map_lookup_elem#1          ;',
  ])('%s', (kernelLine) => {
    const insnLine = kernelLine.slice(0, kernelLine.lastIndexOf(';')).trimEnd();
    expect(`${padInsnForState(insnLine)};`).toBe(kernelLine);
  });

  it('is the kernel line of an instruction, padded', () => {
    expect(padInsnForState(kernelInsnLine([insn(0xbf, 9, 1, 0, 0)], 0))).toBe(
      '0: (bf) r9 = r1                       ',
    );
    expect(vlogAlignment(16)).toBe(23);
    expect(vlogAlignment(37)).toBe(10);
  });
});
