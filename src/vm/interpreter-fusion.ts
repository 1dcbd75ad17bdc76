// Chooses, once per program, the instruction sequences the interpreter runs in one dispatch (superinstructions and
// register moves fused into the slot of the instruction before), rewriting slots of the compiled code in place.

import type { DecodedInsn, DecodedProgram } from '../isa/decoded.js';
import { Fused, JumpCondition, Op, Source } from './interpreter-loop.js';

/** Words per slot: SLOT_WORDS of interpreter-code, which imports this module. */
const WORDS = 4;

type Alu = Extract<DecodedInsn, { kind: 'alu' }>;
type Jump = Extract<DecodedInsn, { kind: 'jump' }>;
type Load = Extract<DecodedInsn, { kind: 'load' }>;

const ALU_JUMP_OPS: Readonly<Record<string, number>> = {
  add: Op.add64Jump,
  and: Op.and64Jump,
  or: Op.or64Jump,
};
const LOAD_ALU_OPS: Readonly<Record<string, number>> = {
  add: Op.loadAdd,
  or: Op.loadOr,
  and: Op.loadAnd,
  lsh: Op.loadLsh,
};
const { less, equal, greater, signed, narrow, set, operandShift } = JumpCondition;
const CONDITIONS: Readonly<Record<string, number>> = {
  jeq: equal,
  jne: less | greater,
  jgt: greater,
  jge: greater | equal,
  jlt: less,
  jle: less | equal,
  jsgt: signed | greater,
  jsge: signed | greater | equal,
  jslt: signed | less,
  jsle: signed | less | equal,
  jset: set,
};

/**
 * Superinstructions first, then moves: a move fuses into the slot after it whatever that slot became. Both only
 * rewrite the slot of a sequence's first instruction; `plain` keeps every slot unfused.
 */
export function fuseInstructions(decoded: DecodedProgram, code: Int32Array): void {
  fuseSuperinstructions(decoded, code);
  fuseMoves(decoded, code);
  chainCounterTests(code);
}

/**
 * loadAddStep followed by a copy's zero-extension and test (a move fused into zextJump) becomes one slot of 7
 * instructions: a u32 counter's loop end after the body's last load and step (checksums, sums over arrays).
 */
function chainCounterTests(code: Int32Array): void {
  const slots = code.length / WORDS;
  for (let pc = 0; pc + 3 < slots; pc++) {
    const word = code[pc * WORDS];
    if (word >= 0 || (word & 255) !== Op.loadAddStep || (word & Fused.premove) !== 0) continue;
    const after = code[(pc + 3) * WORDS];
    if (after >= 0 || (after & 255) !== Op.zextJump || (after & Fused.premove) === 0) continue;
    code[pc * WORDS] =
      (word & ~(255 | (7 << Fused.extraShift))) | Op.loadAddStepZextJump | (6 << Fused.extraShift);
  }
}

/**
 * The pairs the benchmark and corpus programs execute most, found by profiling: an ALU op and a conditional jump
 * on its result (loop counters, bounds checks), `<<= 32; >>= 32` (zero-extension; then often a jump), a load and an
 * ALU op on the loaded register (checksums, byte assembly; a load and add with the step of a pointer or counter after
 * it in one slot), an add and a load through the sum (array walks), an add, then a copy of the sum stepped by an
 * immediate and tested (a bound's end: 4 instructions in one slot).
 */
function fuseSuperinstructions(decoded: DecodedProgram, code: Int32Array): void {
  for (let pc = 0; pc + 1 < decoded.length; pc++) {
    const first = decoded[pc];
    const second = decoded[pc + 1];
    if (first === undefined || second === undefined || (code[pc * WORDS] & 255) === Op.fault) continue;
    if (first.kind === 'alu' && first.width === 64) {
      if (isShift32(first, 'lsh') && second.kind === 'alu' && second.dst === first.dst) {
        const zero = isShift32(second, 'rsh');
        if (!zero && !isShift32(second, 'arsh')) continue;
        const condition = jumpCondition(decoded[pc + 2], first.dst);
        if (condition === undefined) {
          head(code, pc, zero ? Op.zext : Op.sext, 1);
        } else {
          head(code, pc, zero ? Op.zextJump : Op.sextJump, 2);
          code[pc * WORDS + 2] = code[(pc + 2) * WORDS + 2];
          code[pc * WORDS + 3] = condition;
        }
        continue;
      }
      const aluJump = ALU_JUMP_OPS[first.op];
      const condition = jumpCondition(second, first.dst);
      if (aluJump !== undefined && condition !== undefined) {
        head(code, pc, aluJump, 1);
        code[pc * WORDS + 2] = code[(pc + 1) * WORDS + 2];
        code[pc * WORDS + 3] = condition;
        continue;
      }
      const bound =
        first.op === 'add' ? boundJump(first, second, decoded[pc + 2], decoded[pc + 3]) : undefined;
      if (bound !== undefined) {
        head(code, pc, Op.addMoveAddJump, 3);
        code[pc * WORDS + 1] = bound.imm;
        code[pc * WORDS + 2] = code[(pc + 3) * WORDS + 2];
        code[pc * WORDS + 3] = bound.condition;
        continue;
      }
      if (first.op === 'add' && isPlainLoad(second) && second.src === first.dst) {
        head(code, pc, Op.addLoad, 1);
        code[pc * WORDS + 2] = second.off;
        code[pc * WORDS + 3] = second.size;
      }
      continue;
    }
    if (isPlainLoad(first) && second.kind === 'alu' && second.width === 64) {
      const loadAlu = LOAD_ALU_OPS[second.op];
      if (loadAlu === undefined || !('source' in second)) continue;
      const source = second.source;
      if (source.kind === 'reg' && (source.reg === first.dst || second.dst === first.dst)) {
        const step = loadAlu === Op.loadAdd ? stepImmediate(decoded[pc + 2]) : undefined;
        head(code, pc, step === undefined ? loadAlu : Op.loadAddStep, step === undefined ? 1 : 2);
        code[pc * WORDS + 1] = (2 * second.dst) | ((2 * source.reg) << 8) | (step ?? 0);
      } else if (source.kind === 'imm' && second.dst === first.dst) {
        head(code, pc, loadAlu, 1);
        code[pc * WORDS] |= 128; // IMMEDIATE_FORM
        code[pc * WORDS + 1] = source.imm | 0;
      } else {
        continue;
      }
      code[pc * WORDS + 3] = first.size;
    }
  }
}

/**
 * Makes slot `pc` a superinstruction head: its dst and src fields and word 1 stay the first instruction's, and so
 * does its immediate form where the superinstruction has one for it (the shift pairs have none: theirs is 32).
 */
function head(code: Int32Array, pc: number, op: number, extra: number): void {
  const word = code[pc * WORDS];
  const form = op === Op.zext || op === Op.zextJump || op === Op.sext || op === Op.sextJump ? 0 : word & 128;
  code[pc * WORDS] = (word & ~255) | op | form | Fused.flag | (extra << Fused.extraShift);
}

/**
 * Word 1's high bits for loadAddStep when `insn` is `rK += imm` (64-bit) with imm in signed 11 bits (the steps of
 * pointers and counters over packets), else undefined.
 */
function stepImmediate(insn: DecodedInsn | undefined): number | undefined {
  if (insn?.kind !== 'alu' || insn.op !== 'add' || insn.width !== 64 || !('source' in insn)) return undefined;
  const source = insn.source;
  if (source.kind !== 'imm' || source.imm < -1024 || source.imm > 1023) return undefined;
  return ((2 * insn.dst) << 16) | (source.imm << 21);
}

/**
 * For `rX += rY; rZ = rX; rZ += imm; if rZ <op> ...` (a bound's end, then its test: `r5 = r4; r5 += 2; if r2 >= r5`),
 * addMoveAddJump's immediate and word 3; else undefined.
 */
function boundJump(
  add: Alu,
  move: DecodedInsn,
  step: DecodedInsn | undefined,
  jump: DecodedInsn | undefined,
): { imm: number; condition: number } | undefined {
  if (!('source' in add) || add.source.kind !== 'reg') return undefined;
  if (move.kind !== 'alu' || move.op !== 'mov' || move.width !== 64 || !('source' in move)) return undefined;
  if (move.source.kind !== 'reg' || move.source.reg !== add.dst) return undefined;
  if (step?.kind !== 'alu' || step.op !== 'add' || step.width !== 64 || step.dst !== move.dst)
    return undefined;
  if (!('source' in step) || step.source.kind !== 'imm') return undefined;
  const condition = jumpCondition(jump, move.dst);
  if (condition === undefined) return undefined;
  return { imm: step.source.imm | 0, condition: condition | ((2 * move.dst) << JumpCondition.compareShift) };
}

function isShift32(insn: Alu, op: 'lsh' | 'rsh' | 'arsh'): boolean {
  if (insn.op !== op || insn.width !== 64 || !('source' in insn)) return false;
  return insn.source.kind === 'imm' && insn.source.imm === 32;
}

/** Zero-extending loads (the signed ones and load-acquire stay as they are). */
function isPlainLoad(insn: DecodedInsn): insn is Load {
  return insn.kind === 'load' && !insn.signed;
}

/**
 * Word 3 for `insn` when it is a conditional jump that compares `reg` (as its dst, or as its register operand: the
 * comparison turned around), else undefined.
 */
function jumpCondition(insn: DecodedInsn | undefined, reg: number): number | undefined {
  if (insn?.kind !== 'jump' || insn.op === 'ja') return undefined;
  const jump: Jump = insn;
  let condition = CONDITIONS[jump.op] | (jump.width === 32 ? narrow : 0);
  const source = jump.source;
  if (jump.dst === reg) {
    const operand = source.kind === 'imm' ? Source.immediate : 2 * source.reg;
    return condition | (operand << operandShift);
  }
  if (source.kind !== 'reg' || source.reg !== reg) return undefined;
  // `if rY < rX` is `if rX > rY`: less and greater swap.
  const order = condition & (less | greater);
  if (order === less || order === greater) condition ^= less | greater;
  return condition | ((2 * jump.dst) << operandShift);
}

/**
 * `rX = rY` followed by an ALU, endian, jump, load or store instruction whose dst is rX (or a superinstruction
 * starting with one), a call or an exit, becomes one slot doing both (compilers emit such pairs for nearly every
 * three-operand operation and call).
 */
function fuseMoves(decoded: DecodedProgram, code: Int32Array): void {
  for (let pc = 0; pc + 1 < decoded.length; pc++) {
    const move = decoded[pc];
    const next = decoded[pc + 1];
    if (move?.kind !== 'alu' || move.op !== 'mov' || move.width !== 64 || move.source.kind !== 'reg')
      continue;
    const at = (pc + 1) * WORDS;
    let word = code[at];
    const op = word & 255;
    if (next === undefined || op === Op.fault) continue;
    if (op === Op.callLocal || op === Op.callLeaf || op === Op.callHelper || op === Op.exit) {
      // No dst of their own: the slot's dst field names the move's.
      word = (word & ~(31 << 8)) | ((2 * move.dst) << 8);
    } else {
      const withDst =
        next.kind === 'alu' ||
        next.kind === 'endian' ||
        (next.kind === 'jump' && next.op !== 'ja') ||
        next.kind === 'load' ||
        next.kind === 'store';
      if (!withDst || ((word >> 8) & 31) !== 2 * move.dst) continue;
    }
    const extra = (word < 0 ? (word >> Fused.extraShift) & 7 : 0) + 1;
    word = (word & ~(7 << Fused.extraShift)) | (extra << Fused.extraShift);
    code[pc * WORDS] = word | Fused.flag | Fused.premove | ((2 * move.source.reg) << Fused.premoveShift);
    code[pc * WORDS + 1] = code[at + 1];
    code[pc * WORDS + 2] = code[at + 2];
    code[pc * WORDS + 3] = code[at + 3];
  }
}
