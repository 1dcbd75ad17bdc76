// The scalar domain against the kernel: random socket filters, the log's register states insn by insn.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import {
  assembleProgram,
  compareLog,
  type Mismatch,
  randomScalarProgram,
  seededRandom,
} from './scalar-differential.js';

const oracle = requireOracle();

/** Many short programs and some long ones, whose states get stranger. */
const BATCHES = [
  { programs: 250, ops: 16 },
  { programs: 80, ops: 40 },
];
const PROGRAMS = BATCHES.reduce((n, b) => n + b.programs, 0);

function describeMismatch(program: string, m: Mismatch): string {
  return `insn ${m.index} ${m.insn} [${m.what}]\n  before: ${m.before ?? ''}\n  kernel: ${m.kernel}\n  domain: ${m.domain}\n${program}`;
}

oracle.describe('scalar domain vs the kernel verifier log', () => {
  oracle.it(`agrees on every scalar result and branch of ${PROGRAMS} random programs`, () => {
    // A seed whose programs never reach an impossible branch the kernel reports as a "verifier bug":
    // that report also WARNs in the kernel, which taints it (and panics it under panic_on_warn).
    // The domain reproduces those reports offline (scalar.test.ts).
    const random = seededRandom(2);
    let kernelWarnings = 0;
    let compared = 0;
    let decided = 0;
    let undecided = 0;
    let accepted = 0;
    const mismatches: string[] = [];
    for (const { programs, ops } of BATCHES)
      for (let i = 0; i < programs; i++) {
        const text = randomScalarProgram(random, ops);
        const insns = assembleProgram(text);
        const result = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
        // Every generated program is valid: a refusal would be a generator bug worth seeing.
        expect(result.verdict, `${text}\n${result.log.slice(-2000)}`).toBe('accepted');
        expect(result.logTruncated).toBe(false);
        accepted++;
        if (result.log.includes('verifier bug')) kernelWarnings++;
        const c = compareLog(insns, result.log);
        compared += c.compared;
        decided += c.decided;
        undecided += c.undecided;
        for (const m of c.mismatches) mismatches.push(describeMismatch(text, m));
      }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(accepted).toBe(PROGRAMS);
    expect(kernelWarnings).toBe(0);
    // Floors: the comparison really happened, on results and on both kinds of branches.
    expect(compared).toBeGreaterThan(PROGRAMS * 20);
    expect(decided).toBeGreaterThan(PROGRAMS);
    expect(undecided).toBeGreaterThan(PROGRAMS * 2);
  });

  oracle.it('shows the 6.18 behaviours the domain reproduces, on fixed programs', () => {
    const text = [
      // [-1, 0] and K: the walk forks (from 3 to 3), 255 on this path.
      'r8 = *(u32 *)(r1 + 48)',
      'r8 = -r8',
      'r8 s>>= 35',
      'r8 &= 255',
      // Range holding a single tnum value becomes that constant.
      'r7 = *(u32 *)(r1 + 0)',
      'r7 &= 0x8008',
      'if r7 < 0x8001 goto +0',
      // A sign extension whose low half already fits keeps its ranges.
      'r6 = *(u32 *)(r1 + 48)',
      'r6 &= 0xf1',
      'r6 -= 100',
      'r5 = (s16)r6',
      'r0 = 0',
      'exit',
    ].join('\n');
    const insns = assembleProgram(text);
    const result = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
    expect(result.log).toContain('3: (57) r8 &= 255                     ; R8=255');
    expect(result.log).toContain('from 3 to 3:');
    expect(result.log).toContain('; R7=0x8008');
    expect(result.log).toContain('R5=scalar(smin=smin32=-100,smax=smax32=141,umin=umin32=12');
    const c = compareLog(insns, result.log);
    expect(c.mismatches).toEqual([]);
    expect(c.compared).toBeGreaterThanOrEqual(12);
  });
});
