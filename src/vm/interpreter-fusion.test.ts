// Fused slots behave exactly like the instructions they cover: each superinstruction (with and without a move before
// it) against the same program run one instruction at a time (a tracer turns fusion off), jumps into a fused pair's
// second instruction, the budget running out inside a fused slot, faults naming the instruction that faulted, and
// random programs dense in the fused patterns.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { buildExecutable } from './executable.js';
import { compileProgram, SLOT_WORDS } from './interpreter-code.js';
import { Fused, Op } from './interpreter-loop.js';
import { interpret } from './interpreter.js';
import { type ExecutableProgram, type HelperTable, RuntimeFault } from './runtime.js';
import { Vm } from './vm.js';

const NO_HELPERS: HelperTable = new Map();

interface Outcome {
  readonly r0?: bigint;
  readonly fault?: { readonly insn: number; readonly reason: string };
}

function runOnce(
  program: ExecutableProgram,
  mode: 'checked' | 'fast',
  options: { budget?: number; trace?: number[] } = {},
): Outcome {
  const { budget, trace } = options;
  try {
    const r0 = interpret(program, { ctx: 0, cpu: 0 }, new Vm(), NO_HELPERS, {
      mode,
      ...(budget === undefined ? {} : { budget }),
      ...(trace === undefined ? {} : { trace: { step: (_program, pc) => trace.push(pc) } }),
    });
    return { r0 };
  } catch (error) {
    if (error instanceof RuntimeFault) return { fault: { insn: error.insn, reason: error.reason } };
    throw error;
  }
}

/** The opcode (register form) of each fused slot, a superinstruction or a fused move, by pc. */
function fusedSlots(program: ExecutableProgram): Map<number, number> {
  const { code } = compileProgram(program);
  const slots = new Map<number, number>();
  for (let pc = 0; pc < program.decoded.length; pc++) {
    const word = code[pc * SLOT_WORDS];
    if ((word & Fused.flag) !== 0) slots.set(pc, word & 127);
  }
  return slots;
}

const isSuperinstruction = (op: number | undefined): boolean =>
  op !== undefined && op >= Op.add64Jump && op <= Op.loadAddStepZextJump;

/** Registers r1-r9 folded into r0, so that a result compares the whole register file. */
const FOLD = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((r) => `r0 *= 31\nr0 ^= r${r}`).join('\n');

function build(body: string): ExecutableProgram {
  return buildExecutable(assembleInsns(`${body}\n${FOLD}\nexit`), { type: 'xdp', name: 'fused' });
}

/** Every register and eight stack words set to distinct values with both halves in use. */
const PROLOGUE = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
    (r) => `r${r} = 0x${(0x9e3779b97f4a7c15n * BigInt(r + 1)).toString(16).slice(-16)} ll`,
  ),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((slot) => `*(u64 *)(r10 - ${8 * slot}) = r${slot}`),
].join('\n');

/** Each superinstruction, alone and after a move into its first instruction's dst. */
const PATTERNS: Readonly<Record<string, { readonly op: number; readonly body: string }>> = {
  'add + jump (loop counter)': {
    op: Op.add64Jump,
    body: 'r6 = 0\ncounter: r0 += r6\nr6 += 1\nif r6 != 9 goto counter',
  },
  'add + jump, the register as the jump’s operand': {
    op: Op.add64Jump,
    body: 'r5 = r4\nr5 += 2\nif r2 >= r5 goto +1\nr0 = 7',
  },
  'add (register) + signed 32-bit jump': {
    op: Op.add64Jump,
    body: 'r3 += r7\nif w3 s< w1 goto +1\nr0 = 7\nr3 += r1\nif r3 s> 5 goto +1\nr0 += 1',
  },
  'and + jump': {
    op: Op.and64Jump,
    body: 'r2 &= r3\nif r2 == 0 goto +1\nr0 = 3\nr4 &= 0xff\nif r4 < 16 goto +1\nr0 += 4',
  },
  'or + jset': {
    op: Op.or64Jump,
    body: 'r2 |= 8\nif r2 & 8 goto +1\nr0 = 3\nr4 |= r5\nif r4 & r1 goto +1\nr0 += 1',
  },
  'zero-extend pair': { op: Op.zext, body: 'r4 = r3\nr4 <<= 32\nr4 >>= 32\nr0 += r4' },
  'zero-extend pair + jump': {
    op: Op.zextJump,
    body: 'r3 = 0\nwords: r3 += 2\nr4 = r3\nr4 <<= 32\nr4 >>= 32\nif r4 != 1520 goto words',
  },
  'sign-extend pair': { op: Op.sext, body: 'r4 <<= 32\nr4 s>>= 32\nr0 ^= r4' },
  'sign-extend pair + jump': { op: Op.sextJump, body: 'r4 <<= 32\nr4 s>>= 32\nif r4 s< 0 goto +1\nr0 = 1' },
  'load + add into another register': { op: Op.loadAdd, body: 'r4 = *(u16 *)(r10 - 8)\nr0 += r4' },
  'load + add an immediate': { op: Op.loadAdd, body: 'r4 = *(u64 *)(r10 - 16)\nr4 += -5\nr0 ^= r4' },
  'load + add + a step (the checksum loop)': {
    op: Op.loadAddStep,
    body: [
      'r4 = *(u16 *)(r10 - 8)\nr0 += r4\nr3 += 2',
      'r4 = *(u8 *)(r10 - 13)\nr4 += r2\nr4 += -1024',
      'r5 = *(u64 *)(r10 - 24)\nr0 += r5\nr5 += 1023',
      'r1 = r10\nr6 = *(u32 *)(r1 - 32)\nr6 += r6\nr1 += -3',
    ].join('\n'),
  },
  'load + or, and, shift': {
    op: Op.loadOr,
    body: [
      'r4 = *(u8 *)(r10 - 7)\nr0 |= r4',
      'r4 = *(u32 *)(r10 - 24)\nr4 &= 0xf0f0',
      'r5 = *(u8 *)(r10 - 30)\nr5 <<= 8',
      'r6 = *(u64 *)(r10 - 32)\nr6 <<= r1',
      'r7 = *(u16 *)(r10 - 40)\nr7 |= 0x100',
      'r8 = *(u32 *)(r10 - 48)\nr3 &= r8',
    ].join('\n'),
  },
  'load + add + step, then a zero-extended copy of the counter and its test (a u32 loop’s end)': {
    op: Op.loadAddStepZextJump,
    body: [
      'r3 = 0\nsum: r4 = *(u16 *)(r10 - 8)\nr0 += r4\nr3 += 2\nr5 = r3\nr5 <<= 32\nr5 >>= 32\nif r5 != 40 goto sum',
      'r6 = *(u64 *)(r10 - 16)\nr6 += r6\nr7 += -1\nr8 = r7\nr8 <<= 32\nr8 >>= 32\nif r2 > r8 goto +1\nr0 = 9',
    ].join('\n'),
  },
  'add + move + add + jump (a bound’s end and its test)': {
    op: Op.addMoveAddJump,
    body: [
      'r4 = r1\nr4 += r3\nr5 = r4\nr5 += 2\nif r2 >= r5 goto +1\nr0 = 7',
      'r6 += r7\nr8 = r6\nr8 += -1\nif r8 s< 0x7fffffff goto +1\nr0 += 1',
      'r1 += r1\nr1 = r1\nr1 += 1\nif w1 != w2 goto +1\nr0 += 3',
      'r2 += r9\nr3 = r2\nr3 += 0x7fffffff\nif r3 & r2 goto +1\nr0 += 5',
    ].join('\n'),
  },
  'add + load through the sum': {
    op: Op.addLoad,
    body: 'r1 = r10\nr1 += -16\nr2 = *(u8 *)(r1 + 3)\nr3 = -24\nr1 = r10\nr1 += r3\nr4 = *(u64 *)(r1 + 0)',
  },
};

describe('superinstructions', () => {
  for (const [name, { op, body }] of Object.entries(PATTERNS)) {
    it(`${name}: the same registers as one instruction at a time`, () => {
      const program = build(`${PROLOGUE}\n${body}`);
      expect([...fusedSlots(program).values()]).toContain(op);
      for (const mode of ['fast', 'checked'] as const) {
        const trace: number[] = [];
        const stepwise = runOnce(program, mode, { trace });
        const fused = runOnce(program, mode);
        expect(fused).toEqual(stepwise);
        expect(stepwise.fault).toBeUndefined();
      }
    });
  }

  it('the checksum loop’s bound (a move, then add + move + add + jump) is one slot of five instructions', () => {
    const program = build(`${PROLOGUE}\nr4 = r1\nr4 += r3\nr5 = r4\nr5 += 2\nif r2 >= r5 goto +0`);
    const { code } = compileProgram(program);
    // The move's slot: after the prologue's 10 ld_imm64 (two slots each) and 8 stores.
    const word = code[28 * SLOT_WORDS];
    expect(word & 255).toBe(Op.addMoveAddJump);
    expect((word >> Fused.extraShift) & 7).toBe(4);
    expect(word & Fused.premove).not.toBe(0);
  });

  it('a jump into the second (or third) instruction of a fused slot runs from there', () => {
    // Each `goto` lands inside a pattern: on the rsh of a zero-extend pair, on the jump after an add, on the ALU op
    // after a load, on the load after an add, on the instruction after a fused move.
    const body = [
      'r4 = r3',
      'if r1 > 0 goto z',
      'r4 <<= 32',
      'z: r4 >>= 32',
      'if r4 != 77 goto +0',
      'if r2 != 0 goto j',
      'r6 += 5',
      'j: if r6 > 3 goto +1',
      'r0 = 1',
      'if r5 != 0 goto a',
      'r7 = *(u32 *)(r10 - 8)',
      'a: r0 += r7',
      'r1 = r10',
      'if r8 != 0 goto b',
      'r1 += -16',
      'b: r2 = *(u8 *)(r1 - 3)',
      'r9 = r3',
      'if r8 != 0 goto c',
      'c: r9 += 1',
      'r4 = r1',
      'if r8 != 0 goto m',
      'r4 += r3',
      'm: r5 = r4',
      'if r7 != 0 goto s',
      'r5 += 2',
      's: if r2 >= r5 goto +1',
      'r0 += 9',
      'r4 += r3',
      'r5 = r4',
      'if r6 != 0 goto t',
      't: r5 += -2',
      'if r2 < r5 goto +0',
    ].join('\n');
    const program = build(`${PROLOGUE}\n${body}`);
    expect(fusedSlots(program).size).toBeGreaterThanOrEqual(4);
    for (const mode of ['fast', 'checked'] as const) {
      const trace: number[] = [];
      const stepwise = runOnce(program, mode, { trace });
      expect(stepwise.fault).toBeUndefined();
      expect(runOnce(program, mode)).toEqual(stepwise);
    }
  });

  it('a budget running out inside a fused slot stops at the same instruction as unfused', () => {
    const body = Object.values(PATTERNS)
      .map(({ body }) => body)
      .join('\n');
    const program = build(`${PROLOGUE}\n${body}`);
    const trace: number[] = [];
    const stepwise = runOnce(program, 'checked', { trace });
    expect(stepwise.fault).toBeUndefined();
    let insideFused = 0;
    const fused = fusedSlots(program);
    for (let budget = 1; budget <= trace.length; budget++) {
      const outcome = runOnce(program, 'checked', { budget });
      if (budget === trace.length) {
        expect(outcome).toEqual(stepwise);
        continue;
      }
      expect(outcome.fault).toEqual({
        insn: trace[budget],
        reason: `instruction budget of ${budget} exhausted`,
      });
      // The budget ran out on an instruction a fused slot covers but does not start.
      if (fused.has(trace[budget - 1]) && trace[budget] === trace[budget - 1] + 1) insideFused++;
    }
    expect(insideFused).toBeGreaterThan(20);
  });

  it('a load that faults inside a fused slot names its own instruction', () => {
    const cases = [
      // add + load: the load (insn 2) faults, after the add.
      { body: 'r1 = r10\nr1 += 64\nr2 = *(u32 *)(r1 + 0)', insn: 2, base: 1, read: 4 },
      // A fused move, then add + load: the load (insn 3).
      { body: 'r3 = 0\nr1 = r3\nr1 += 8\nr2 = *(u64 *)(r1 + 0)', insn: 3, base: 1, read: 8 },
      // load + add: the load (insn 1).
      { body: 'r1 = 16\nr2 = *(u16 *)(r1 + 2)\nr0 += r2', insn: 1, base: 1, read: 2 },
      // A fused move, then load + add + step: the load (insn 2), the step not run.
      { body: 'r3 = 16\nr1 = r3\nr2 = *(u16 *)(r1 + 2)\nr0 += r2\nr1 += 2', insn: 2, base: 1, read: 2 },
    ];
    for (const { body, insn, base, read } of cases) {
      const program = buildExecutable(assembleInsns(`${body}\nexit`), { type: 'xdp', name: 'fault' });
      expect(fusedSlots(program).size).toBeGreaterThan(0);
      const trace: number[] = [];
      const stepwise = runOnce(program, 'checked', { trace });
      expect(stepwise.fault?.insn).toBe(insn);
      expect(stepwise.fault?.reason).toMatch(new RegExp(`^invalid read of ${read} bytes .*\\(r${base}[+-]`));
      expect(runOnce(program, 'checked')).toEqual(stepwise);
    }
  });
});

// ---- random programs made of the fused patterns ----

const REGS = [0, 1, 2, 3, 4, 5];
const JUMPS = ['==', '!=', '>', '>=', '<', '<=', '&', 's>', 's>=', 's<', 's<='];
const SIZES = ['u8', 'u16', 'u32', 'u64'];

interface Piece {
  readonly lines: readonly string[];
}

const reg = fc.constantFrom(...REGS);
const imm = fc.oneof(fc.constantFrom(0, 1, 2, 8, 32, -1, 0x7fffffff, -0x80000000), fc.integer());
const operand = fc.oneof(
  reg.map((r) => `r${r}`),
  imm.map(String),
);
const stackOffset = fc.integer({ min: 1, max: 64 });

/** One pattern instance; `goto +N` jumps are patched to land on a random later instruction. */
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('+=', '&=', '|='),
      reg,
      operand,
      fc.constantFrom(...JUMPS),
      fc.boolean(),
      reg,
      operand,
    )
    .map(([alu, d, source, jump, narrow, other, jumpOperand]) => {
      const w = narrow ? 'w' : 'r';
      const compareOperand = jumpOperand.startsWith('r') ? `${w}${jumpOperand.slice(1)}` : jumpOperand;
      const compare =
        other % 2 === 0
          ? `if ${w}${d} ${jump} ${compareOperand} goto +J`
          : `if ${w}${other} ${jump} ${w}${d} goto +J`;
      return { lines: [`r${d} ${alu} ${source}`, compare] };
    }),
  fc
    .tuple(reg, fc.boolean(), fc.boolean(), fc.constantFrom(...JUMPS), operand)
    .map(([d, zero, jump, op, jumpOperand]) => ({
      lines: [
        `r${d} <<= 32`,
        `r${d} ${zero ? '>>=' : 's>>='} 32`,
        ...(jump ? [`if r${d} ${op} ${jumpOperand} goto +J`] : []),
      ],
    })),
  fc
    .tuple(
      fc.constantFrom(...SIZES),
      reg,
      stackOffset,
      fc.constantFrom('+=', '|=', '&=', '<<='),
      reg,
      fc.boolean(),
      imm,
    )
    .map(([size, d, off, alu, other, intoOther, value]) => {
      const second = intoOther
        ? `r${other} ${alu} r${d}`
        : `r${d} ${alu} ${alu === '<<=' ? String(value & 63) : String(value)}`;
      return { lines: [`r${d} = *(${size} *)(r10 - ${off})`, second] };
    }),
  // load + add, then a step: of either register or a third, by an immediate in range of loadAddStep or not.
  fc
    .tuple(
      fc.constantFrom(...SIZES),
      reg,
      stackOffset,
      reg,
      reg,
      fc.oneof(fc.integer({ min: -1025, max: 1024 }), imm),
    )
    .map(([size, d, off, other, stepped, step]) => ({
      lines: [`r${d} = *(${size} *)(r10 - ${off})`, `r${other} += r${d}`, `r${stepped} += ${step}`],
    })),
  fc
    .tuple(
      reg,
      fc.oneof(
        imm.map(String),
        reg.map((r) => `r${r}`),
      ),
      fc.constantFrom(...SIZES),
      reg,
      fc.integer({ min: -64, max: 64 }),
    )
    .map(([d, addend, size, target, off]) => ({
      lines: [
        `r${d} = r10`,
        `r${d} += ${addend}`,
        `r${target} = *(${size} *)(r${d} ${off < 0 ? '-' : '+'} ${Math.abs(off)})`,
      ],
    })),
  // add, move of the sum, step of the copy, a jump on the copy (as the jump's dst or its operand).
  fc
    .tuple(reg, reg, reg, imm, fc.constantFrom(...JUMPS), fc.boolean(), reg, operand)
    .map(([d, s, z, step, jump, narrow, other, jumpOperand]) => {
      const w = narrow ? 'w' : 'r';
      const compareOperand = jumpOperand.startsWith('r') ? `${w}${jumpOperand.slice(1)}` : jumpOperand;
      const compare =
        other % 2 === 0
          ? `if ${w}${z} ${jump} ${compareOperand} goto +J`
          : `if ${w}${other} ${jump} ${w}${z} goto +J`;
      return { lines: [`r${d} += r${s}`, `r${z} = r${d}`, `r${z} += ${step}`, compare] };
    }),
  // load + add + step, then a copy of a register zero-extended and tested (loadAddStepZextJump when it follows).
  fc
    .tuple(fc.constantFrom(...SIZES), reg, stackOffset, reg, reg, fc.integer({ min: -1024, max: 1023 }))
    .chain(([size, d, off, other, stepped, step]) =>
      fc.tuple(reg, reg, fc.constantFrom(...JUMPS), operand).map(([copy, source, jump, jumpOperand]) => ({
        lines: [
          `r${d} = *(${size} *)(r10 - ${off})`,
          `r${other} += r${d}`,
          `r${stepped} += ${step}`,
          `r${copy} = r${source}`,
          `r${copy} <<= 32`,
          `r${copy} >>= 32`,
          `if r${copy} ${jump} ${jumpOperand} goto +J`,
        ],
      })),
    ),
  fc.tuple(reg, reg).map(([d, s]) => ({ lines: [`r${d} = r${s}`] })),
);

/** The program's text: each `goto +J` becomes a forward jump to a random later instruction, inside a pattern or not. */
function programText(pieces: readonly Piece[], seeds: readonly number[]): string {
  const lines = pieces.flatMap((p) => p.lines);
  let seed = 0;
  return lines
    .map((line, index) => {
      if (!line.endsWith('goto +J')) return line;
      const room = lines.length - index - 1;
      const offset = room === 0 ? 0 : seeds[seed++ % seeds.length] % (room + 1);
      return line.replace('+J', `+${offset}`);
    })
    .join('\n');
}

describe('random programs dense in fused patterns', () => {
  it('run as they do one instruction at a time (registers, faults, the budget)', () => {
    let ranFused = 0;
    let ranBound = 0;
    let ranCounterTest = 0;
    let faulted = 0;
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 4, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('fast', 'checked') as fc.Arbitrary<'fast' | 'checked'>,
        fc.nat(),
        (pieces, seeds, mode, budgetSeed) => {
          const program = build(`${PROLOGUE}\n${programText(pieces, seeds)}`);
          const trace: number[] = [];
          const stepwise = runOnce(program, mode, { trace });
          const fused = fusedSlots(program);
          expect(runOnce(program, mode)).toEqual(stepwise);
          if (trace.some((pc) => isSuperinstruction(fused.get(pc)))) ranFused++;
          if (trace.some((pc) => fused.get(pc) === Op.addMoveAddJump)) ranBound++;
          if (trace.some((pc) => fused.get(pc) === Op.loadAddStepZextJump)) ranCounterTest++;
          if (stepwise.fault !== undefined) faulted++;
          // A budget that runs out somewhere in the run: at the same instruction either way.
          if (mode === 'checked' && trace.length > 1) {
            const budget = 1 + (budgetSeed % (trace.length - 1));
            const expected = runOnce(program, mode, { budget, trace: [] });
            expect(runOnce(program, mode, { budget })).toEqual(expected);
          }
        },
      ),
      { numRuns: 400 },
    );
    // Most programs execute a superinstruction; some fault (a load through a register the program overwrote).
    expect(ranFused).toBeGreaterThan(300);
    expect(ranBound).toBeGreaterThan(100);
    expect(ranCounterTest).toBeGreaterThan(60);
    expect(faulted).toBeGreaterThan(0);
  });
});
