// Random scalar programs and the comparison of the kernel's log with the scalar domain, insn by insn.

import { assembleInsns } from '../../src/isa/assembler.js';
import { type DecodedInsn, decodeInsn } from '../../src/isa/decoded.js';
import type { Insn } from '../../src/isa/insn.js';
import {
  type BranchRefinement,
  branchTaken,
  coerceToSize,
  coerceToSizeSx,
  constant,
  formatScalar,
  refineBranches,
  type ScalarBounds,
  scalarAlu,
  scalarEndian,
  scalarMovsx,
  scalarNeg,
  signMaskSplit,
  unknown,
} from '../../src/verifier/scalar.js';
import { type PrintedState, parseLog, parseScalar, withoutIdentity } from './kernel-log.js';

/** The tests' mulberry32, so every CI run checks the same programs. */
export { seededRandom } from '../seeded-random.js';

/** __sk_buff fields a socket filter may read as u32: len, mark, priority, cb[0..4]. */
const CTX_U32_OFFSETS = [0, 8, 32, 48, 52, 56, 60, 64];
const SCALAR_REGS = [2, 3, 4, 5, 6, 7, 8];
const ALU_OPS = ['+=', '-=', '*=', '/=', '%=', 's/=', 's%=', '&=', '|=', '^=', '<<=', '>>=', 's>>=', '='];
const JUMP_OPS = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<=', '&'];
const INTERESTING = [
  0, 1, 2, 3, 7, 8, 15, 16, 255, 256, 0xfff, 0xffff, 0x7fff, 0x8000, 0x7fffffff, -1, -2, -8, -256, -0x8000,
  -0x80000000,
];

/**
 * A socket filter of straight-line ALU work on r2..r8 with forward conditional jumps: the scalars
 * start as constants or unknown u32 loads from the context, then `ops` random operations follow.
 */
export function randomScalarProgram(random: () => number, ops: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const imm = (): number =>
    random() < 0.6 ? pick(INTERESTING) : (Math.floor(random() * 2 ** 32) | 0) >> Math.floor(random() * 32);
  const lines: string[] = [];
  for (const r of SCALAR_REGS) {
    const k = random();
    if (k < 0.45) lines.push(`r${r} = *(u32 *)(r1 + ${pick(CTX_U32_OFFSETS)})`);
    else if (k < 0.55)
      // A full 64-bit unknown: two context words, r9 as scratch.
      lines.push(
        `r${r} = *(u32 *)(r1 + ${pick(CTX_U32_OFFSETS)})\nr${r} <<= 32\nr9 = *(u32 *)(r1 + ${pick(CTX_U32_OFFSETS)})\nr${r} |= r9`,
      );
    else if (k < 0.75) lines.push(`r${r} = ${imm()}`);
    else if (k < 0.85) lines.push(`w${r} = ${imm()}`);
    else lines.push(`r${r} = ${BigInt.asIntN(64, (BigInt(imm()) << 32n) ^ BigInt(imm() >>> 0))} ll`);
  }
  // Jumps are placed once the body is known: a slot holds a jump whose target is a later label.
  const body: ({ jump: string; width: 'r' | 'w' } | string)[] = [];
  for (let i = 0; i < ops; i++) {
    const d = pick(SCALAR_REGS);
    const s = pick(SCALAR_REGS);
    const w = random() < 0.35 ? 'w' : 'r';
    const k = random();
    if (k < 0.12) {
      // Bounding masks keep ranges small enough to be interesting.
      body.push(`${w}${d} &= ${pick([0xff, 0xf, 0xffff, 0x3ff, 0xfff0, 0x7fffffff, -8, 0x1f])}`);
    } else if (k < 0.55) {
      const op = pick(ALU_OPS);
      const shift = op.includes('<<') || op.includes('>>');
      const useReg = random() < 0.5;
      // A division or modulo by the constant 0 is refused by the kernel ("div by zero").
      const divisor = (): string => String(imm() || 1);
      const source = useReg
        ? `${w}${s}`
        : shift
          ? String(Math.floor(random() * (w === 'w' ? 32 : 64)))
          : op.includes('/') || op.includes('%')
            ? divisor()
            : String(imm());
      body.push(`${w}${d} ${op} ${source}`);
    } else if (k < 0.6) {
      body.push(`${w}${d} = -${w}${d}`);
    } else if (k < 0.65) {
      const bits = pick([16, 32, 64]);
      body.push(`r${d} = ${pick(['le', 'be', 'bswap'])}${bits} r${d}`);
    } else if (k < 0.7) {
      body.push(w === 'r' ? `r${d} = (s${pick([8, 16, 32])})r${s}` : `w${d} = (s${pick([8, 16])})w${s}`);
    } else if (k < 0.73) {
      body.push(`r${d} = *(u32 *)(r1 + ${pick(CTX_U32_OFFSETS)})`);
    } else if (k < 0.75) {
      // Narrow and sign-extending loads of skb->len.
      body.push(`r${d} = *(${pick(['u8', 'u16', 's8', 's16', 's32'])} *)(r1 + 0)`);
    } else {
      const op = pick(JUMP_OPS);
      const source = random() < 0.5 ? `${w}${s}` : String(imm());
      body.push({ jump: `if ${w}${d} ${op} ${source} goto`, width: w });
    }
  }
  body.forEach((entry, i) => {
    if (typeof entry === 'string') lines.push(entry);
    else lines.push(`${entry.jump} L${Math.min(body.length, i + 1 + Math.floor(random() * 4))}`);
  });
  // Labels: every jump target is the start of a body slot or the final `r0 = 0`.
  const out: string[] = lines.slice(0, SCALAR_REGS.length);
  body.forEach((_, i) => {
    out.push(`L${i}:`);
    out.push(lines[SCALAR_REGS.length + i] as string);
  });
  out.push(`L${body.length}:`, 'r0 = 0', 'exit');
  return out.join('\n');
}

export interface Mismatch {
  /** The operands before the instruction, as the kernel printed them. */
  before?: string;
  index: number;
  insn: string;
  what: string;
  kernel: string;
  domain: string;
}

export interface Comparison {
  mismatches: Mismatch[];
  /** Registers compared (ALU results, branch operands on both sides). */
  compared: number;
  /** Branches the domain decided / left open. */
  decided: number;
  undecided: number;
}

interface Expectation {
  reg: string;
  bounds: ScalarBounds;
}

interface PendingBranch {
  from: number;
  to: number;
  expect: Expectation[];
  /** An operand was unknown to the comparison: the kernel may or may not have pushed this. */
  maybe?: boolean;
}

function scalarOf(state: PrintedState, reg: number): ScalarBounds | undefined {
  const text = state.get(`R${reg}`);
  return text === undefined ? undefined : parseScalar(text)?.bounds;
}

/**
 * The kernel copies a branch's refinement into every register sharing an operand's id
 * (sync_linked_regs) without printing them: forget those until the log shows them again.
 */
function forgetLinked(regs: PrintedState, operands: PrintedState, dst: number, src: number): void {
  for (const reg of [dst, src]) {
    const id = reg >= 0 ? idOf(operands, reg) : 0;
    if (id === 0) continue;
    for (const [name, text] of [...regs])
      if (name !== `R${dst}` && name !== `R${src}` && parseScalar(text)?.id === id) regs.delete(name);
  }
}

function idOf(state: PrintedState, reg: number): number {
  const text = state.get(`R${reg}`);
  return text === undefined ? 0 : (parseScalar(text)?.id ?? 0);
}

function operandsOf(d: DecodedInsn): number[] {
  if (d.kind === 'alu' || (d.kind === 'jump' && d.op !== 'ja')) {
    const src = 'source' in d && d.source.kind === 'reg' ? [d.source.reg] : [];
    return [d.dst, ...src];
  }
  return d.kind === 'endian' ? [d.dst] : [];
}

function splitOf(d: DecodedInsn, regs: PrintedState): ReturnType<typeof signMaskSplit> {
  if (d.kind !== 'alu' || d.op === 'neg' || d.op === 'movsx') return undefined;
  const dst = scalarOf(regs, d.dst);
  const src = d.source.kind === 'imm' ? constant(BigInt(d.source.imm)) : scalarOf(regs, d.source.reg);
  return dst && src ? signMaskSplit(d.op, d.width, dst, src) : undefined;
}

/** What the domain says insn `d` leaves in its destination (undefined: not a scalar operation). */
function predictAlu(d: DecodedInsn, regs: PrintedState): Expectation | undefined {
  if (d.kind === 'ld_imm64' && d.src === 0) return { reg: `R${d.dst}`, bounds: constant(d.imm64) };
  if (d.kind === 'load' && d.src === 1 && d.size < 8) {
    const size = d.size as 1 | 2 | 4;
    return {
      reg: `R${d.dst}`,
      bounds: d.signed ? coerceToSizeSx(unknown(), size) : coerceToSize(unknown(), size),
    };
  }
  if (d.kind === 'endian') {
    const dst = scalarOf(regs, d.dst);
    return dst && { reg: `R${d.dst}`, bounds: scalarEndian(d.to, d.bits, dst) };
  }
  if (d.kind !== 'alu') return undefined;
  if (d.op === 'neg') {
    const dst = scalarOf(regs, d.dst);
    return dst && { reg: `R${d.dst}`, bounds: scalarNeg(d.width, dst) };
  }
  if (d.op === 'movsx') {
    const src = scalarOf(regs, d.source.reg);
    return src && { reg: `R${d.dst}`, bounds: scalarMovsx(d.width, d.signExtendBits, src) };
  }
  const src = d.source.kind === 'imm' ? constant(BigInt(d.source.imm)) : scalarOf(regs, d.source.reg);
  const dst = d.op === 'mov' ? src : scalarOf(regs, d.dst);
  if (!src || !dst) return undefined;
  return { reg: `R${d.dst}`, bounds: scalarAlu(d.op, d.width, dst, src) };
}

/**
 * Walks the kernel's log of `insns` and checks, at every scalar instruction, that the domain gives
 * the state the kernel printed (id= and precision marks aside), that branches are decided alike,
 * and that the refined operands of both sides of undecided branches agree.
 */
export function compareLog(insns: readonly Insn[], log: string): Comparison {
  const result: Comparison = { mismatches: [], compared: 0, decided: 0, undecided: 0 };
  let regs: PrintedState = new Map();
  const pending: PendingBranch[] = [];
  let expectNext: { index: number; from: number } | null = null;
  let before: PrintedState = new Map();
  let operands: number[] = [];
  const check = (index: number, insn: string, state: PrintedState, e: Expectation, what: string): void => {
    const printed = state.get(e.reg);
    const domain = formatScalar(e.bounds);
    result.compared++;
    if (printed === undefined || withoutIdentity(printed) !== domain)
      result.mismatches.push({
        before: operands.map((r) => `R${r}=${before.get(`R${r}`)}`).join(' '),
        index,
        insn,
        what: `${what} ${e.reg}`,
        kernel: printed ?? '(not printed)',
        domain,
      });
  };
  for (const ev of parseLog(log)) {
    if (ev.kind === 'state') {
      for (const [k, v] of ev.state) regs.set(k, v);
      continue;
    }
    if (ev.kind === 'from') {
      expectNext = null;
      let p = pending.pop();
      while (p?.maybe && (p.from !== ev.from || p.to !== ev.to)) p = pending.pop();
      if (!p || p.from !== ev.from || p.to !== ev.to) {
        result.mismatches.push({
          index: ev.from,
          insn: '',
          what: 'branch exploration',
          kernel: `from ${ev.from} to ${ev.to}`,
          domain: p ? `from ${p.from} to ${p.to}` : 'no undecided branch pending',
        });
        continue;
      }
      if (ev.state) {
        regs = new Map(ev.state);
        operands = [];
        for (const e of p.expect) check(ev.from, `(taken side)`, regs, e, 'taken');
      }
      continue;
    }
    if (ev.kind === 'safe') {
      expectNext = null;
      continue;
    }
    if (expectNext && ev.index !== expectNext.index)
      result.mismatches.push({
        index: expectNext.from,
        insn: '',
        what: 'decided branch target',
        kernel: `went to ${ev.index}`,
        domain: `goes to ${expectNext.index}`,
      });
    expectNext = null;
    before = regs;
    regs = new Map(regs);
    for (const [k, v] of ev.state) regs.set(k, v);
    let d: DecodedInsn;
    try {
      d = decodeInsn(insns, ev.index);
    } catch {
      continue;
    }
    operands = operandsOf(d);
    if (d.kind === 'jump' && d.op !== 'ja') {
      const dst = scalarOf(before, d.dst);
      const srcReg = d.source.kind === 'reg' ? d.source.reg : -1;
      const src = d.source.kind === 'imm' ? constant(BigInt(d.source.imm)) : scalarOf(before, d.source.reg);
      const target: number = ev.index + d.offset + 1;
      if (!dst || !src) {
        forgetLinked(regs, ev.state, d.dst, srcReg);
        pending.push({ from: ev.index, to: target, expect: [], maybe: true });
        continue;
      }
      const taken = branchTaken(d.op, d.width, dst, src);
      if (taken !== -1) {
        result.decided++;
        expectNext = { index: taken === 1 ? target : ev.index + 1, from: ev.index };
        continue;
      }
      result.undecided++;
      const refined: BranchRefinement = refineBranches(d.op, d.width, dst, src, {
        sameRegister: srcReg === d.dst,
        immediate: srcReg < 0,
      });
      for (const f of refined.failures) {
        if (!log.includes(f.message))
          result.mismatches.push({
            index: ev.index,
            insn: ev.text,
            what: 'invariant failure',
            kernel: '',
            domain: f.message,
          });
      }
      forgetLinked(regs, before, d.dst, srcReg);
      // Registers linked to each other by id are re-synced by the kernel after refinement: not ours.
      const linked =
        srcReg >= 0 &&
        srcReg !== d.dst &&
        idOf(before, d.dst) !== 0 &&
        idOf(before, d.dst) === idOf(before, srcReg);
      const side = (r: BranchRefinement['taken']): Expectation[] =>
        linked
          ? []
          : [
              { reg: `R${d.dst}`, bounds: r.dst },
              ...(srcReg >= 0 ? [{ reg: `R${srcReg}`, bounds: r.src }] : []),
            ];
      if (ev.state.size > 0)
        for (const e of side(refined.fallthrough)) check(ev.index, ev.text, ev.state, e, 'fallthrough');
      pending.push({ from: ev.index, to: target, expect: side(refined.taken) });
      continue;
    }
    // An and/or of a [-1, 0] register forks the walk: this path has -1, a pushed one 0.
    const split = splitOf(d, before);
    let inputs = before;
    if (split && d.kind === 'alu') {
      inputs = new Map(before).set(`R${d.dst}`, formatScalar(split.current));
      pending.push({ from: ev.index, to: ev.index, expect: [{ reg: `R${d.dst}`, bounds: split.pushed }] });
    }
    // Nothing printed: the next instruction was pruned before the state was shown.
    if (ev.state.size === 0) continue;
    const e = predictAlu(d, inputs);
    if (e) check(ev.index, ev.text, ev.state, e, 'result');
  }
  return result;
}

/** Assembles a generated program. */
export function assembleProgram(text: string): Insn[] {
  return assembleInsns(text);
}
