// Differential test: the stack-liveness lines of the level-2 log (`+live`, `+written`) for stores whose slot
// changes between visits equal the kernel's, including its 32-bit must-write intersection below fp-256.
import { expect } from 'vitest';
import { assembleInsns } from '../../src/isa/assembler.js';
import { verifyProgram } from '../../src/verifier/index.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

/** A loop storing to fp+base, fp+base+8, ... through one instruction; the last slot is read after it. */
function slotLoop(base: number): string {
  return `
    r2 = 0
    r3 = r10
    r3 += ${base}
    r3 += r2
    r1 = 0
    *(u64 *)(r3 + 0) = r1
    r2 += 8
    if r2 != 16 goto -7
    r0 = *(u64 *)(r10 ${base + 8})
    exit
  `;
}

/** The stack-liveness lines of a level-2 log. */
function livenessLines(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => /^\(\d+(,\d+)*\) (frame \d+ insn \d+ [+-]|live stack update)/.test(line));
}

oracle.describe('stack liveness of a store whose slot changes with the iteration', () => {
  for (const base of [-272, -264, -32]) {
    oracle.it(`gives the kernel's +live/+written lines (slots from fp${base})`, () => {
      const insns = assembleInsns(slotLoop(base));
      const kernel = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
      const ours = verifyProgram({ programType: 'socket_filter', insns, logLevel: 2 });
      expect(kernel.verdict).toBe('accepted');
      expect(ours.accepted).toBe(true);
      const expected = livenessLines(kernel.log);
      expect(expected.length).toBeGreaterThan(0);
      expect(livenessLines(ours.log)).toEqual(expected);
    });
  }
});

oracle.describe('stack liveness of a helper writing a variable-size range', () => {
  oracle.it("gives the kernel's lines: the whole range is read before the helper writes it", () => {
    const insns = assembleInsns(`
      r6 = r1
      r1 = 0
      *(u64 *)(r10 - 8) = r1
      *(u64 *)(r10 - 16) = r1
      *(u64 *)(r10 - 24) = r1
      r4 = *(u32 *)(r6 + 0)
      r4 &= 15
      if r4 == 0 goto out
      r1 = r6
      r2 = 0
      r3 = r10
      r3 += -24
      call 26
    out:
      r0 = *(u64 *)(r10 - 8)
      r0 = 0
      exit
    `);
    const kernel = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
    const ours = verifyProgram({ programType: 'socket_filter', insns, logLevel: 2 });
    expect(kernel.verdict).toBe('accepted');
    expect(ours.accepted).toBe(true);
    const expected = livenessLines(kernel.log);
    expect(expected.some((line) => / insn 12 \+live /.test(line))).toBe(true);
    expect(livenessLines(ours.log)).toEqual(expected);
  });
});
