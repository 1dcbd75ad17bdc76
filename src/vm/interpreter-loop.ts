// The interpreter's dispatch loop: one switch per instruction over the compiled code, registers as int32 halves
// in one Int32Array, memory through one DataView. Everything rare (calls, faults, atomics, 64-bit division)
// leaves the loop for the Execution's methods.

import {
  byteSwap16,
  byteSwap32,
  div32,
  mod32,
  mulHighU32,
  sdiv32,
  signExtend,
  smod32,
} from './isa-semantics.js';
import type { Execution } from './interpreter-execution.js';

/**
 * Interpreter opcodes. The loop below spells each as a number literal (its name in a comment, checked by
 * interpreter-loop.test.ts), as it does Source and Fused: V8 turns a switch into a jump table only over literal
 * cases, and tsc's isolatedModules builds emit a const enum's members as property reads, which made the switch
 * a chain of ~40 comparisons per instruction. 32-bit ALU ops are their 64-bit forms + 16; 32-bit jumps theirs
 * + 11.
 */
export const Op = {
  add64: 0,
  sub64: 1,
  mul64: 2,
  div64: 3,
  sdiv64: 4,
  mod64: 5,
  smod64: 6,
  or64: 7,
  and64: 8,
  xor64: 9,
  lsh64: 10,
  rsh64: 11,
  arsh64: 12,
  mov64: 13,
  neg64: 14,
  movsx64: 15,
  add32: 16,
  sub32: 17,
  mul32: 18,
  div32: 19,
  sdiv32: 20,
  mod32: 21,
  smod32: 22,
  or32: 23,
  and32: 24,
  xor32: 25,
  lsh32: 26,
  rsh32: 27,
  arsh32: 28,
  mov32: 29,
  neg32: 30,
  movsx32: 31,
  le: 32,
  swap: 33,
  ja: 34,
  jeq64: 35,
  jne64: 36,
  jgt64: 37,
  jge64: 38,
  jlt64: 39,
  jle64: 40,
  jset64: 41,
  jsgt64: 42,
  jsge64: 43,
  jslt64: 44,
  jsle64: 45,
  jeq32: 46,
  jne32: 47,
  jgt32: 48,
  jge32: 49,
  jlt32: 50,
  jle32: 51,
  jset32: 52,
  jsgt32: 53,
  jsge32: 54,
  jslt32: 55,
  jsle32: 56,
  ldxb: 57,
  ldxh: 58,
  ldxw: 59,
  ldxdw: 60,
  ldxsb: 61,
  ldxsh: 62,
  ldxsw: 63,
  stb: 64,
  sth: 65,
  stw: 66,
  stdw: 67,
  atomic32: 68,
  atomic64: 69,
  ldImm64: 70,
  ldLegacy: 71,
  callLocal: 72,
  callHelper: 73,
  tailCall: 74,
  exit: 75,
  /** Executing this slot is a fault; CompiledCode.faults says why (bad jump or call target, kfunc, ...). */
  fault: 76,
  /** Falls through while the frame's may_goto budget lasts (one taken per pass), then always jumps. */
  mayGoto: 77,
  // Superinstructions (interpreter-fusion): an instruction and the one after it (or two) in one slot.
  /** ALU op, then a conditional jump on its dst: word 2 the jump's destination, word 3 its JumpCondition. */
  add64Jump: 78,
  and64Jump: 79,
  or64Jump: 80,
  /** `rX <<= 32; rX >>= 32` (zero-extend) or `s>>= 32` (sign-extend); the Jump forms with a conditional jump after. */
  zext: 81,
  zextJump: 82,
  sext: 83,
  sextJump: 84,
  /**
   * A load, then an ALU op on the loaded register: word 3 the load's size; word 1 the immediate, or in the register
   * form the ALU's dst and src as register-file indexes (dst | src << 8), one of them the loaded register.
   */
  loadAdd: 85,
  loadOr: 86,
  loadAnd: 87,
  loadLsh: 88,
  /** `rX += operand`, then a load through rX: word 2 the load's offset, word 3 its size (its dst: its own slot). */
  addLoad: 89,
  /**
   * loadAdd's register form, then `rK += imm` (a pointer or counter stepping on): word 1 as loadAdd's, with K (a
   * register-file index) at bit 16 and the immediate, signed 11 bits, at bit 21.
   */
  loadAddStep: 90,
  /**
   * `rX += rY; rZ = rX; rZ += imm`, then a conditional jump on rZ (a bound's end computed and tested): word 1 the
   * immediate, word 2 the jump's destination, word 3 its JumpCondition with Z (a register-file index) at
   * JumpCondition.compareShift.
   */
  addMoveAddJump: 91,
  /**
   * loadAddStep, then the slot after it, a zero-extending copy and its test (`rZ = rK; rZ <<= 32; rZ >>= 32;
   * if rZ <op> ...`: a u32 loop counter's end), in one dispatch: words 1-3 as loadAddStep's; the copy and the
   * jump are read from their own slot (premove and zextJump), three slots on.
   */
  loadAddStepZextJump: 92,
  /**
   * A local call of a pure leaf (pure-leaves.ts), words as callLocal's: made without a frame record, the slot kept
   * in `leafCall` for the leaf's exit; a budget check inside the leaf (a stop, a tracer) makes the frame first.
   */
  callLeaf: 93,
} as const;

/** Atomic operations, in word 1 of atomic slots. */
export const AtomicOp = { add: 0, or: 1, and: 2, xor: 3, xchg: 4, cmpxchg: 5 } as const;

/**
 * Added to an ALU, conditional jump or store opcode whose second operand is its immediate: each such op has a case
 * of its own, so no instruction tests where its operand comes from.
 */
export const IMMEDIATE_FORM = 128;

/** The src field of an instruction whose second operand is its immediate (registers are 0, 2, ..., 20). */
export const Source = { immediate: 22 } as const;

/**
 * A slot whose word 0 is negative (flag) does more than one instruction: `extra` (at extraShift, 3 bits) beyond its
 * first. A superinstruction's opcode says which; with `premove` set, a register move comes first, the slot holding
 * the instruction after the move (or the superinstruction starting there) and the move's source register (as a
 * register-file index) at premoveShift, the move's dst being the slot's dst. Every instruction a slot covers but
 * the first keeps its own slot, so jumps into it land on its own work.
 */
export const Fused = { premoveShift: 24, flag: -2147483648, premove: 8192, extraShift: 21 } as const;

/**
 * Word 3 of a slot ending in a fused conditional jump: which outcomes of comparing the register with the operand
 * take it (less 1, equal 2, greater 4), signed, 32-bit, or a jset; the operand register (register-file index, or
 * Source.immediate for the jump's own immediate, in word 1 of its slot) at operandShift.
 */
export const JumpCondition = {
  less: 1,
  equal: 2,
  greater: 4,
  signed: 8,
  narrow: 16,
  set: 32,
  operandShift: 8,
  compareShift: 16,
} as const;

/**
 * Runs from `startPc` until the function that `stopDepth` frames sit under returns, and returns r0 (as its
 * low half; the caller reads the register file). The run's entry is stopDepth 0; a callback's is the depth of
 * the frame pushed for it.
 */
export function execute(x: Execution, startPc: number, stopDepth: number): void {
  const R = x.regs;
  const frames = x.frames;
  let code = x.code;
  let view = x.view;
  let stackLow = frames.stackLow;
  let stackHigh = frames.stackHigh;
  // Accesses inside [okLow, okHigh) need no call (Execution.okLow says what the range is in each mode).
  const checked = x.checked;
  let okLow = x.okLow;
  let okHigh = x.okHigh;
  // Values from calls are made int32 (`| 0`) so that V8 keeps pc and the counter untagged through the loop.
  let pc = startPc | 0;
  let remaining = x.remaining | 0;
  // The callLeaf slot (its word index) whose leaf runs now without a frame record, or -1; the pc it returns to.
  let leafCall = -1;
  let leafReturn = 0;
  try {
    for (;;) {
      remaining = (remaining - 1) | 0;
      if (remaining < 0) {
        if (leafCall >= 0) {
          // What is seen at a budget check (a stop, a tracer) is the leaf's frame, as a real call makes it.
          const fp = frames.push(
            R,
            x.programNumber,
            leafReturn,
            code[leafCall + 1],
            code[leafCall + 3],
            checked,
          );
          if (fp < 0) throw x.callFault(leafReturn - 1, fp);
          R[20] = fp;
          R[21] = 0;
          leafCall = -1;
          if (frames.stackLow !== stackLow) {
            x.refreshView();
            view = x.view;
            okLow = x.okLow;
            okHigh = x.okHigh;
          }
          stackLow = frames.stackLow;
          stackHigh = frames.stackHigh;
        }
        remaining = x.budgetCheck(pc, remaining) | 0;
      }
      let i = pc << 2;
      let w = code[i];
      // The pc after the slot's first instruction (after its move, when it has one).
      let next = (pc + 1) | 0;
      if (w < 0) {
        // A fused slot: its instructions in one dispatch, a register move first if it has one; with too little
        // budget left for all of them (or a tracer attached, which keeps none), the first alone from the unfused
        // code. Cases that report their own instruction (faults, calls) name next - 1.
        const extra = (w >> 21) /* Fused.extraShift */ & 7;
        if (remaining >= extra) {
          remaining = (remaining - extra) | 0;
          if ((w & 8192) /* Fused.premove */ !== 0) {
            const m = (w >> 8) & 31;
            const p = (w >> 24) /* Fused.premoveShift */ & 31;
            R[m] = R[p];
            R[m + 1] = R[p + 1];
            next = (pc + 2) | 0;
          }
        } else {
          w = x.plain[i];
        }
      }
      const d = (w >> 8) & 31;
      const s = (w >> 16) & 31;
      // The register a fused conditional jump compares: d, but for addMoveAddJump.
      let c = d;
      // Each case reads its second operand (blo, bhi): a register, or in the immediate form (the opcode + 128)
      // the sign-extended immediate. Superinstructions ending in a conditional jump leave the switch with `next` at
      // the jump; every other case continues, returns or throws.
      switch (w & 255) {
        case 0 /* add64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + bhi + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            pc = next;
            continue;
          }
        case 128 /* add64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + bhi + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            pc = next;
            continue;
          }
        case 1 /* sub64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            const a = R[d];
            R[d] = (a - blo) | 0;
            R[d + 1] = (R[d + 1] - bhi - (a >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            pc = next;
            continue;
          }
        case 129 /* sub64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            const a = R[d];
            R[d] = (a - blo) | 0;
            R[d + 1] = (R[d + 1] - bhi - (a >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            pc = next;
            continue;
          }
        case 2 /* mul64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            const a = R[d];
            R[d] = Math.imul(a, blo);
            R[d + 1] = (mulHighU32(a, blo) + Math.imul(a, bhi) + Math.imul(R[d + 1], blo)) | 0;
            pc = next;
            continue;
          }
        case 130 /* mul64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            const a = R[d];
            R[d] = Math.imul(a, blo);
            R[d + 1] = (mulHighU32(a, blo) + Math.imul(a, bhi) + Math.imul(R[d + 1], blo)) | 0;
            pc = next;
            continue;
          }
        case 3 /* div64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            if (R[d + 1] === 0 && bhi === 0 && blo !== 0) R[d] = div32(R[d], blo);
            else x.divide64(3 /* div64 */, d, blo, bhi);
            pc = next;
            continue;
          }
        case 131 /* div64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            if (R[d + 1] === 0 && bhi === 0 && blo !== 0) R[d] = div32(R[d], blo);
            else x.divide64(3 /* div64 */, d, blo, bhi);
            pc = next;
            continue;
          }
        case 5 /* mod64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            if (R[d + 1] === 0 && bhi === 0 && blo !== 0) R[d] = mod32(R[d], blo);
            else x.divide64(5 /* mod64 */, d, blo, bhi);
            pc = next;
            continue;
          }
        case 133 /* mod64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            if (R[d + 1] === 0 && bhi === 0 && blo !== 0) R[d] = mod32(R[d], blo);
            else x.divide64(5 /* mod64 */, d, blo, bhi);
            pc = next;
            continue;
          }
        case 4 /* sdiv64 */:
        case 6 /* smod64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            x.divide64(w & 127, d, blo, bhi);
            pc = next;
            continue;
          }
        case 132 /* sdiv64, immediate */:
        case 134 /* smod64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            x.divide64(w & 127, d, blo, bhi);
            pc = next;
            continue;
          }
        case 7 /* or64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            R[d] |= blo;
            R[d + 1] |= bhi;
            pc = next;
            continue;
          }
        case 135 /* or64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            R[d] |= blo;
            R[d + 1] |= bhi;
            pc = next;
            continue;
          }
        case 8 /* and64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            R[d] &= blo;
            R[d + 1] &= bhi;
            pc = next;
            continue;
          }
        case 136 /* and64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            R[d] &= blo;
            R[d + 1] &= bhi;
            pc = next;
            continue;
          }
        case 9 /* xor64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            R[d] ^= blo;
            R[d + 1] ^= bhi;
            pc = next;
            continue;
          }
        case 137 /* xor64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            R[d] ^= blo;
            R[d + 1] ^= bhi;
            pc = next;
            continue;
          }
        case 10 /* lsh64 */:
          {
            const blo = R[s];
            const n = blo & 63;
            if (n >= 32) {
              R[d + 1] = R[d] << (n - 32);
              R[d] = 0;
            } else if (n > 0) {
              R[d + 1] = (R[d + 1] << n) | (R[d] >>> (32 - n));
              R[d] <<= n;
            }
            pc = next;
            continue;
          }
        case 138 /* lsh64, immediate */:
          {
            const blo = code[i + 1];
            const n = blo & 63;
            if (n >= 32) {
              R[d + 1] = R[d] << (n - 32);
              R[d] = 0;
            } else if (n > 0) {
              R[d + 1] = (R[d + 1] << n) | (R[d] >>> (32 - n));
              R[d] <<= n;
            }
            pc = next;
            continue;
          }
        case 11 /* rsh64 */:
          {
            const blo = R[s];
            const n = blo & 63;
            if (n >= 32) {
              R[d] = R[d + 1] >>> (n - 32);
              R[d + 1] = 0;
            } else if (n > 0) {
              R[d] = (R[d] >>> n) | (R[d + 1] << (32 - n));
              R[d + 1] >>>= n;
            }
            pc = next;
            continue;
          }
        case 139 /* rsh64, immediate */:
          {
            const blo = code[i + 1];
            const n = blo & 63;
            if (n >= 32) {
              R[d] = R[d + 1] >>> (n - 32);
              R[d + 1] = 0;
            } else if (n > 0) {
              R[d] = (R[d] >>> n) | (R[d + 1] << (32 - n));
              R[d + 1] >>>= n;
            }
            pc = next;
            continue;
          }
        case 12 /* arsh64 */:
          {
            const blo = R[s];
            const n = blo & 63;
            const high = R[d + 1];
            if (n >= 32) {
              R[d] = high >> (n - 32);
              R[d + 1] = high >> 31;
            } else if (n > 0) {
              R[d] = (R[d] >>> n) | (high << (32 - n));
              R[d + 1] = high >> n;
            }
            pc = next;
            continue;
          }
        case 140 /* arsh64, immediate */:
          {
            const blo = code[i + 1];
            const n = blo & 63;
            const high = R[d + 1];
            if (n >= 32) {
              R[d] = high >> (n - 32);
              R[d + 1] = high >> 31;
            } else if (n > 0) {
              R[d] = (R[d] >>> n) | (high << (32 - n));
              R[d + 1] = high >> n;
            }
            pc = next;
            continue;
          }
        case 13 /* mov64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            R[d] = blo;
            R[d + 1] = bhi;
            pc = next;
            continue;
          }
        case 141 /* mov64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            R[d] = blo;
            R[d + 1] = bhi;
            pc = next;
            continue;
          }
        case 14 /* neg64 */:
          {
            const low = R[d];
            R[d] = -low;
            R[d + 1] = ~R[d + 1] + (low === 0 ? 1 : 0);
            pc = next;
            continue;
          }
        case 15 /* movsx64 */:
          {
            const blo = R[s];
            const value = signExtend(blo, code[i + 3]);
            R[d] = value;
            R[d + 1] = value >> 31;
            pc = next;
            continue;
          }
        case 16 /* add32 */:
          {
            const blo = R[s];
            R[d] += blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 144 /* add32, immediate */:
          {
            const blo = code[i + 1];
            R[d] += blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 17 /* sub32 */:
          {
            const blo = R[s];
            R[d] -= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 145 /* sub32, immediate */:
          {
            const blo = code[i + 1];
            R[d] -= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 18 /* mul32 */:
          {
            const blo = R[s];
            R[d] = Math.imul(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 146 /* mul32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = Math.imul(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 19 /* div32 */:
          {
            const blo = R[s];
            R[d] = div32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 147 /* div32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = div32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 20 /* sdiv32 */:
          {
            const blo = R[s];
            R[d] = sdiv32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 148 /* sdiv32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = sdiv32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 21 /* mod32 */:
          {
            const blo = R[s];
            R[d] = mod32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 149 /* mod32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = mod32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 22 /* smod32 */:
          {
            const blo = R[s];
            R[d] = smod32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 150 /* smod32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = smod32(R[d], blo);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 23 /* or32 */:
          {
            const blo = R[s];
            R[d] |= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 151 /* or32, immediate */:
          {
            const blo = code[i + 1];
            R[d] |= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 24 /* and32 */:
          {
            const blo = R[s];
            R[d] &= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 152 /* and32, immediate */:
          {
            const blo = code[i + 1];
            R[d] &= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 25 /* xor32 */:
          {
            const blo = R[s];
            R[d] ^= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 153 /* xor32, immediate */:
          {
            const blo = code[i + 1];
            R[d] ^= blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 26 /* lsh32 */:
          {
            const blo = R[s];
            R[d] <<= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 154 /* lsh32, immediate */:
          {
            const blo = code[i + 1];
            R[d] <<= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 27 /* rsh32 */:
          {
            const blo = R[s];
            R[d] >>>= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 155 /* rsh32, immediate */:
          {
            const blo = code[i + 1];
            R[d] >>>= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 28 /* arsh32 */:
          {
            const blo = R[s];
            R[d] >>= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 156 /* arsh32, immediate */:
          {
            const blo = code[i + 1];
            R[d] >>= blo & 31;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 29 /* mov32 */:
          {
            const blo = R[s];
            R[d] = blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 157 /* mov32, immediate */:
          {
            const blo = code[i + 1];
            R[d] = blo;
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 30 /* neg32 */:
          R[d] = -R[d];
          R[d + 1] = 0;
          pc = next;
          continue;
        case 31 /* movsx32 */:
          {
            const blo = R[s];
            R[d] = signExtend(blo, code[i + 3]);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 32 /* le */:
          {
            const bits = code[i + 3];
            if (bits === 16) R[d] &= 0xffff;
            if (bits !== 64) R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 33 /* swap */:
          {
            const bits = code[i + 3];
            if (bits === 16) {
              R[d] = byteSwap16(R[d]);
              R[d + 1] = 0;
            } else if (bits === 32) {
              R[d] = byteSwap32(R[d]);
              R[d + 1] = 0;
            } else {
              const low = R[d];
              R[d] = byteSwap32(R[d + 1]);
              R[d + 1] = byteSwap32(low);
            }
            pc = next;
            continue;
          }
        case 77 /* mayGoto */:
          {
            const budgets = frames.mayGotoBudgets;
            const depth = frames.depth;
            if (budgets[depth] === 0) {
              pc = code[i + 2];
            } else {
              budgets[depth]--;
              pc++;
            }
            continue;
          }
        case 34 /* ja */:
          pc = code[i + 2];
          continue;
        case 35 /* jeq64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = R[d] === blo && R[d + 1] === bhi ? code[i + 2] : next;
            continue;
          }
        case 163 /* jeq64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = R[d] === blo && R[d + 1] === bhi ? code[i + 2] : next;
            continue;
          }
        case 36 /* jne64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = R[d] !== blo || R[d + 1] !== bhi ? code[i + 2] : next;
            continue;
          }
        case 164 /* jne64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = R[d] !== blo || R[d + 1] !== bhi ? code[i + 2] : next;
            continue;
          }
        case 37 /* jgt64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 > bhi >>> 0 : R[d] >>> 0 > blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 165 /* jgt64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 > bhi >>> 0 : R[d] >>> 0 > blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 38 /* jge64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 >= bhi >>> 0 : R[d] >>> 0 >= blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 166 /* jge64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 >= bhi >>> 0 : R[d] >>> 0 >= blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 39 /* jlt64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 < bhi >>> 0 : R[d] >>> 0 < blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 167 /* jlt64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 < bhi >>> 0 : R[d] >>> 0 < blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 40 /* jle64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 <= bhi >>> 0 : R[d] >>> 0 <= blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 168 /* jle64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] >>> 0 <= bhi >>> 0 : R[d] >>> 0 <= blo >>> 0)
              ? code[i + 2]
              : next;
            continue;
          }
        case 41 /* jset64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d] & blo) !== 0 || (R[d + 1] & bhi) !== 0 ? code[i + 2] : next;
            continue;
          }
        case 169 /* jset64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d] & blo) !== 0 || (R[d + 1] & bhi) !== 0 ? code[i + 2] : next;
            continue;
          }
        case 42 /* jsgt64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] > bhi : R[d] >>> 0 > blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 170 /* jsgt64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] > bhi : R[d] >>> 0 > blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 43 /* jsge64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] >= bhi : R[d] >>> 0 >= blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 171 /* jsge64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] >= bhi : R[d] >>> 0 >= blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 44 /* jslt64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] < bhi : R[d] >>> 0 < blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 172 /* jslt64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] < bhi : R[d] >>> 0 < blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 45 /* jsle64 */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            pc = (R[d + 1] !== bhi ? R[d + 1] <= bhi : R[d] >>> 0 <= blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 173 /* jsle64, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            pc = (R[d + 1] !== bhi ? R[d + 1] <= bhi : R[d] >>> 0 <= blo >>> 0) ? code[i + 2] : next;
            continue;
          }
        case 46 /* jeq32 */:
          {
            const blo = R[s];
            pc = R[d] === blo ? code[i + 2] : next;
            continue;
          }
        case 174 /* jeq32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] === blo ? code[i + 2] : next;
            continue;
          }
        case 47 /* jne32 */:
          {
            const blo = R[s];
            pc = R[d] !== blo ? code[i + 2] : next;
            continue;
          }
        case 175 /* jne32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] !== blo ? code[i + 2] : next;
            continue;
          }
        case 48 /* jgt32 */:
          {
            const blo = R[s];
            pc = R[d] >>> 0 > blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 176 /* jgt32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] >>> 0 > blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 49 /* jge32 */:
          {
            const blo = R[s];
            pc = R[d] >>> 0 >= blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 177 /* jge32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] >>> 0 >= blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 50 /* jlt32 */:
          {
            const blo = R[s];
            pc = R[d] >>> 0 < blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 178 /* jlt32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] >>> 0 < blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 51 /* jle32 */:
          {
            const blo = R[s];
            pc = R[d] >>> 0 <= blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 179 /* jle32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] >>> 0 <= blo >>> 0 ? code[i + 2] : next;
            continue;
          }
        case 52 /* jset32 */:
          {
            const blo = R[s];
            pc = (R[d] & blo) !== 0 ? code[i + 2] : next;
            continue;
          }
        case 180 /* jset32, immediate */:
          {
            const blo = code[i + 1];
            pc = (R[d] & blo) !== 0 ? code[i + 2] : next;
            continue;
          }
        case 53 /* jsgt32 */:
          {
            const blo = R[s];
            pc = R[d] > blo ? code[i + 2] : next;
            continue;
          }
        case 181 /* jsgt32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] > blo ? code[i + 2] : next;
            continue;
          }
        case 54 /* jsge32 */:
          {
            const blo = R[s];
            pc = R[d] >= blo ? code[i + 2] : next;
            continue;
          }
        case 182 /* jsge32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] >= blo ? code[i + 2] : next;
            continue;
          }
        case 55 /* jslt32 */:
          {
            const blo = R[s];
            pc = R[d] < blo ? code[i + 2] : next;
            continue;
          }
        case 183 /* jslt32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] < blo ? code[i + 2] : next;
            continue;
          }
        case 56 /* jsle32 */:
          {
            const blo = R[s];
            pc = R[d] <= blo ? code[i + 2] : next;
            continue;
            // Loads: the stack is checked inline; anything else goes through Execution.access (checked or fast).
          }
        case 184 /* jsle32, immediate */:
          {
            const blo = code[i + 1];
            pc = R[d] <= blo ? code[i + 2] : next;
            continue;
            // Loads: the stack is checked inline; anything else goes through Execution.access (checked or fast).
          }
        case 57 /* ldxb */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 1 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 1 > okHigh)
            ) {
              at = x.access(next - 1, s, 1, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            R[d] = view.getUint8(at);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 58 /* ldxh */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 2 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 2 > okHigh)
            ) {
              at = x.access(next - 1, s, 2, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            R[d] = view.getUint16(at, true);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 59 /* ldxw */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 4 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 4 > okHigh)
            ) {
              at = x.access(next - 1, s, 4, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            R[d] = view.getInt32(at, true);
            R[d + 1] = 0;
            pc = next;
            continue;
          }
        case 60 /* ldxdw */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 8 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 8 > okHigh)
            ) {
              at = x.access(next - 1, s, 8, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            R[d] = view.getInt32(at, true);
            R[d + 1] = view.getInt32(at + 4, true);
            pc = next;
            continue;
          }
        case 61 /* ldxsb */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 1 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 1 > okHigh)
            ) {
              at = x.access(next - 1, s, 1, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            const value = view.getInt8(at);
            R[d] = value;
            R[d + 1] = value >> 31;
            pc = next;
            continue;
          }
        case 62 /* ldxsh */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 2 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 2 > okHigh)
            ) {
              at = x.access(next - 1, s, 2, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            const value = view.getInt16(at, true);
            R[d] = value;
            R[d + 1] = value >> 31;
            pc = next;
            continue;
          }
        case 63 /* ldxsw */:
          {
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + 4 > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + 4 > okHigh)
            ) {
              at = x.access(next - 1, s, 4, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            const value = view.getInt32(at, true);
            R[d] = value;
            R[d + 1] = value >> 31;
            pc = next;
            continue;
          }
        // Stores: dst is the base register, the operand the value.
        case 64 /* stb */:
          {
            const blo = R[s];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 1 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 1 > okHigh)
            ) {
              at = x.access(next - 1, d, 1, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setUint8(at, blo);
            pc = next;
            continue;
          }
        case 192 /* stb, immediate */:
          {
            const blo = code[i + 1];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 1 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 1 > okHigh)
            ) {
              at = x.access(next - 1, d, 1, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setUint8(at, blo);
            pc = next;
            continue;
          }
        case 65 /* sth */:
          {
            const blo = R[s];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 2 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 2 > okHigh)
            ) {
              at = x.access(next - 1, d, 2, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setUint16(at, blo, true);
            pc = next;
            continue;
          }
        case 193 /* sth, immediate */:
          {
            const blo = code[i + 1];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 2 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 2 > okHigh)
            ) {
              at = x.access(next - 1, d, 2, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setUint16(at, blo, true);
            pc = next;
            continue;
          }
        case 66 /* stw */:
          {
            const blo = R[s];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 4 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 4 > okHigh)
            ) {
              at = x.access(next - 1, d, 4, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setInt32(at, blo, true);
            pc = next;
            continue;
          }
        case 194 /* stw, immediate */:
          {
            const blo = code[i + 1];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 4 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 4 > okHigh)
            ) {
              at = x.access(next - 1, d, 4, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setInt32(at, blo, true);
            pc = next;
            continue;
          }
        case 67 /* stdw */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 8 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 8 > okHigh)
            ) {
              at = x.access(next - 1, d, 8, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setInt32(at, blo, true);
            view.setInt32(at + 4, bhi, true);
            pc = next;
            continue;
          }
        case 195 /* stdw, immediate */:
          {
            const blo = code[i + 1];
            const bhi = blo >> 31;
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + 8 > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + 8 > okHigh)
            ) {
              at = x.access(next - 1, d, 8, 1 /* write */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            view.setInt32(at, blo, true);
            view.setInt32(at + 4, bhi, true);
            pc = next;
            continue;
          }
        case 68 /* atomic32 */:
          x.atomic(pc, 4);
          pc = next;
          continue;
        case 69 /* atomic64 */:
          x.atomic(pc, 8);
          pc = next;
          continue;
        case 70 /* ldImm64 */:
          R[d] = code[i + 1];
          R[d + 1] = code[i + 3];
          pc += 2;
          continue;
        case 71 /* ldLegacy */:
          x.currentPc = pc;
          x.legacyLoad(pc, s, code[i + 1], code[i + 2]);
          pc = next;
          continue;
        case 93 /* callLeaf */:
        case 72 /* callLocal */:
          // A pure leaf's call makes no frame record while the depth limits a real call meets are not reached.
          if (
            (w & 255) === 93 /* callLeaf */ &&
            frames.depth + 1 < 272 /* MAX_RUN_FRAMES */ &&
            (!checked || frames.depth - frames.programBase + 1 < 8) /* MAX_CALL_FRAMES */
          ) {
            leafCall = i;
            leafReturn = next;
            pc = code[i + 2];
            continue;
          }
          {
            x.currentPc = next - 1;
            const depth = frames.depth;
            let fp = R[20] - code[i + 1];
            if (
              R[21] === 0 &&
              fp - code[i + 3] >= stackLow &&
              fp <= stackHigh &&
              depth + 1 < 272 /* MAX_RUN_FRAMES */ &&
              (!checked || depth - frames.programBase + 1 < 8) /* MAX_CALL_FRAMES */
            ) {
              // The common call, as FrameStack.push makes it (V8 would not always inline that): the caller's
              // record, and the callee's frame right below the caller's.
              const records = frames.records;
              const at = depth * 13 /* FRAME_RECORD */;
              records[at] = next;
              records[at + 1] = frames.programBase;
              records[at + 2] = R[12];
              records[at + 3] = R[13];
              records[at + 4] = R[14];
              records[at + 5] = R[15];
              records[at + 6] = R[16];
              records[at + 7] = R[17];
              records[at + 8] = R[18];
              records[at + 9] = R[19];
              records[at + 10] = R[20];
              records[at + 11] = 0;
              records[at + 12] = x.programNumber;
              frames.depth = depth + 1;
              frames.mayGotoBudgets[depth + 1] = 8388608 /* BPF_MAX_LOOPS */;
              R[20] = fp;
              pc = code[i + 2];
              continue;
            }
            fp = frames.push(R, x.programNumber, next, code[i + 1], code[i + 3], checked);
            if (fp < 0) throw x.callFault(next - 1, fp);
            R[20] = fp;
            R[21] = 0;
            pc = code[i + 2];
            if (frames.stackLow !== stackLow) {
              // A new stack segment may have grown the memory, which detaches the view.
              x.refreshView();
              view = x.view;
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            stackLow = frames.stackLow;
            stackHigh = frames.stackHigh;
            continue;
          }
        case 73 /* callHelper */:
          x.currentPc = next - 1;
          x.remaining = remaining;
          x.callHelper(next - 1, code[i + 2]);
          remaining = x.remaining | 0;
          view = x.view;
          okLow = x.okLow;
          okHigh = x.okHigh;
          pc = next;
          continue;
        case 74 /* tailCall */:
          x.currentPc = pc;
          if (x.tailCall(pc)) {
            // The target replaces the running function in its frame: r1 (the context) and r10 stay.
            code = x.code;
            pc = 0;
          } else {
            // Falls through like a helper call that returned an error; r0 is left as it was.
            pc++;
          }
          continue;
        case 75 /* exit */:
          if (leafCall >= 0) {
            pc = leafReturn;
            leafCall = -1;
            continue;
          }
          {
            const depth = frames.depth;
            if (depth === stopDepth) return;
            // The common return, as FrameStack.pop makes it: to the same program, in the same stack segment.
            const records = frames.records;
            const at = (depth - 1) * 13 /* FRAME_RECORD */;
            const fp = records[at + 10];
            if (records[at + 12] === x.programNumber && fp >= stackLow && fp <= stackHigh) {
              R[12] = records[at + 2];
              R[13] = records[at + 3];
              R[14] = records[at + 4];
              R[15] = records[at + 5];
              R[16] = records[at + 6];
              R[17] = records[at + 7];
              R[18] = records[at + 8];
              R[19] = records[at + 9];
              R[20] = fp;
              R[21] = records[at + 11];
              frames.programBase = records[at + 1];
              frames.depth = depth - 1;
              pc = records[at];
              continue;
            }
          }
          pc = x.returnFromCall() | 0;
          code = x.code;
          stackLow = frames.stackLow;
          stackHigh = frames.stackHigh;
          continue;
        // Superinstructions (interpreter-fusion). An ALU op and the conditional jump on its dst after it: the op
        // here, the jump after the switch.
        case 78 /* add64Jump */:
          {
            const blo = R[s];
            const bhi = R[s + 1];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + bhi + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            break;
          }
        case 206 /* add64Jump, immediate */:
          {
            const blo = code[i + 1];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + (blo >> 31) + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            break;
          }
        case 79 /* and64Jump */:
          {
            R[d] &= R[s];
            R[d + 1] &= R[s + 1];
            break;
          }
        case 207 /* and64Jump, immediate */:
          {
            const blo = code[i + 1];
            R[d] &= blo;
            R[d + 1] &= blo >> 31;
            break;
          }
        case 80 /* or64Jump */:
          {
            R[d] |= R[s];
            R[d + 1] |= R[s + 1];
            break;
          }
        case 208 /* or64Jump, immediate */:
          {
            const blo = code[i + 1];
            R[d] |= blo;
            R[d + 1] |= blo >> 31;
            break;
          }
        case 81 /* zext */:
          R[d + 1] = 0;
          pc = next + 1;
          continue;
        case 82 /* zextJump */:
          R[d + 1] = 0;
          next++;
          break;
        case 83 /* sext */:
          R[d + 1] = R[d] >> 31;
          pc = next + 1;
          continue;
        case 84 /* sextJump */:
          R[d + 1] = R[d] >> 31;
          next++;
          break;
        // A load, then an ALU op on the loaded register (the load faults as itself, at next - 1).
        case 85 /* loadAdd */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const z = code[i + 1];
            const dz = z & 31;
            const sz = z >> 8;
            const blo = R[sz];
            const a = R[dz];
            const sum = (a + blo) | 0;
            R[dz] = sum;
            R[dz + 1] = (R[dz + 1] + R[sz + 1] + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            pc = next + 1;
            continue;
          }
        case 213 /* loadAdd, immediate */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const blo = code[i + 1];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + (blo >> 31) + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            pc = next + 1;
            continue;
          }
        case 86 /* loadOr */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const z = code[i + 1];
            const dz = z & 31;
            const sz = z >> 8;
            R[dz] |= R[sz];
            R[dz + 1] |= R[sz + 1];
            pc = next + 1;
            continue;
          }
        case 214 /* loadOr, immediate */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const blo = code[i + 1];
            R[d] |= blo;
            R[d + 1] |= blo >> 31;
            pc = next + 1;
            continue;
          }
        case 87 /* loadAnd */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const z = code[i + 1];
            const dz = z & 31;
            const sz = z >> 8;
            R[dz] &= R[sz];
            R[dz + 1] &= R[sz + 1];
            pc = next + 1;
            continue;
          }
        case 215 /* loadAnd, immediate */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const blo = code[i + 1];
            R[d] &= blo;
            R[d + 1] &= blo >> 31;
            pc = next + 1;
            continue;
          }
        case 88 /* loadLsh */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const z = code[i + 1];
            const dz = z & 31;
            const n = R[z >> 8] & 63;
            if (n >= 32) {
              R[dz + 1] = R[dz] << (n - 32);
              R[dz] = 0;
            } else if (n > 0) {
              R[dz + 1] = (R[dz + 1] << n) | (R[dz] >>> (32 - n));
              R[dz] <<= n;
            }
            pc = next + 1;
            continue;
          }
        case 216 /* loadLsh, immediate */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const n = code[i + 1] & 63;
            if (n >= 32) {
              R[d + 1] = R[d] << (n - 32);
              R[d] = 0;
            } else if (n > 0) {
              R[d + 1] = (R[d + 1] << n) | (R[d] >>> (32 - n));
              R[d] <<= n;
            }
            pc = next + 1;
            continue;
          }
        case 90 /* loadAddStep */:
        case 92 /* loadAddStepZextJump */:
          {
            const size = code[i + 3];
            let at = R[s] + code[i + 2];
            if (
              (R[s + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[s + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next - 1, s, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[d] = view.getUint8(at);
              R[d + 1] = 0;
            } else if (size === 2) {
              R[d] = view.getUint16(at, true);
              R[d + 1] = 0;
            } else {
              R[d] = view.getInt32(at, true);
              R[d + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
          }
          {
            const z = code[i + 1];
            const dz = z & 31;
            const sz = (z >> 8) & 31;
            const blo = R[sz];
            const a = R[dz];
            const sum = (a + blo) | 0;
            R[dz] = sum;
            R[dz + 1] = (R[dz + 1] + R[sz + 1] + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            const k = (z >> 16) & 31;
            const step = z >> 21;
            const b = R[k];
            const stepped = (b + step) | 0;
            R[k] = stepped;
            R[k + 1] = (R[k + 1] + (step >> 31) + (stepped >>> 0 < b >>> 0 ? 1 : 0)) | 0;
            if ((w & 255) === 90 /* loadAddStep */) {
              pc = next + 2;
              continue;
            }
            // loadAddStepZextJump: the copy's slot, three on: rZ = the low half of its source, then its jump (at
            // next + 5), a 64-bit one compared here on the value in hand (its high half 0), others after the switch.
            i = (next + 2) << 2;
            const v = code[i];
            c = (v >> 8) & 31;
            const copied = R[(v >> 24) /* Fused.premoveShift */ & 31];
            R[c] = copied;
            R[c + 1] = 0;
            next = (next + 5) | 0;
            const jk = code[i + 3];
            if ((jk & 32) /* JumpCondition.set */ !== 0 || (jk & 16) /* JumpCondition.narrow */ !== 0) break;
            const r = (jk >> 8) /* JumpCondition.operandShift */ & 31;
            const olo = r === 22 /* Source.immediate */ ? code[(next << 2) + 1] : R[r];
            const ohi = r === 22 /* Source.immediate */ ? olo >> 31 : R[r + 1];
            let order: number;
            if (ohi !== 0) {
              order = ((jk & 8) /* JumpCondition.signed */ !== 0 ? 0 < ohi : 0 < ohi >>> 0) ? 1 : 4;
            } else {
              order = copied === olo ? 2 : copied >>> 0 < olo >>> 0 ? 1 : 4;
            }
            pc = (jk & order) !== 0 ? code[i + 2] : next + 1;
            continue;
          }
        // rX += rY; rZ = rX; rZ += imm, then the jump on rZ after the switch.
        case 91 /* addMoveAddJump */:
          {
            const a = R[d];
            const sum = (a + R[s]) | 0;
            R[d] = sum;
            const hi = (R[d + 1] + R[s + 1] + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            R[d + 1] = hi;
            const blo = code[i + 1];
            const stepped = (sum + blo) | 0;
            const k = code[i + 3];
            c = (k >> 16) /* JumpCondition.compareShift */ & 31;
            const steppedHi = (hi + (blo >> 31) + (stepped >>> 0 < sum >>> 0 ? 1 : 0)) | 0;
            R[c] = stepped;
            R[c + 1] = steppedHi;
            next = (next + 2) | 0;
            if ((k & 32) /* JumpCondition.set */ !== 0 || (k & 16) /* JumpCondition.narrow */ !== 0) break;
            // A 64-bit comparison (a bound's test, as in the loops this slot comes from) on the values in hand. It
            // repeats the jump tail's on purpose: one function for the three cost 5-9% in these loops (V8 did not
            // inline it into this loop).
            const r = (k >> 8) /* JumpCondition.operandShift */ & 31;
            const olo = r === 22 /* Source.immediate */ ? code[(next << 2) + 1] : R[r];
            const ohi = r === 22 /* Source.immediate */ ? olo >> 31 : R[r + 1];
            let order: number;
            if (steppedHi !== ohi) {
              order = (
                (k & 8) /* JumpCondition.signed */ !== 0
                  ? steppedHi < ohi
                  : steppedHi >>> 0 < ohi >>> 0
              )
                ? 1
                : 4;
            } else {
              order = stepped === olo ? 2 : stepped >>> 0 < olo >>> 0 ? 1 : 4;
            }
            pc = (k & order) !== 0 ? code[i + 2] : next + 1;
            continue;
          }
        // rX += operand, then a load through rX (which faults as itself, at next).
        case 89 /* addLoad */:
          {
            const blo = R[s];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + R[s + 1] + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
          }
          {
            const t = (code[next << 2] >> 8) & 31;
            const size = code[i + 3];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next, d, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[t] = view.getUint8(at);
              R[t + 1] = 0;
            } else if (size === 2) {
              R[t] = view.getUint16(at, true);
              R[t + 1] = 0;
            } else {
              R[t] = view.getInt32(at, true);
              R[t + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
            pc = next + 1;
            continue;
          }
        case 217 /* addLoad, immediate */:
          {
            const blo = code[i + 1];
            const a = R[d];
            const sum = (a + blo) | 0;
            R[d] = sum;
            R[d + 1] = (R[d + 1] + (blo >> 31) + (sum >>> 0 < a >>> 0 ? 1 : 0)) | 0;
          }
          {
            const t = (code[next << 2] >> 8) & 31;
            const size = code[i + 3];
            let at = R[d] + code[i + 2];
            if (
              (R[d + 1] !== 0 || at < stackLow || at + size > stackHigh) &&
              (R[d + 1] !== 0 || at < okLow || at + size > okHigh)
            ) {
              at = x.access(next, d, size, 0 /* read */);
              okLow = x.okLow;
              okHigh = x.okHigh;
            }
            if (size === 1) {
              R[t] = view.getUint8(at);
              R[t + 1] = 0;
            } else if (size === 2) {
              R[t] = view.getUint16(at, true);
              R[t + 1] = 0;
            } else {
              R[t] = view.getInt32(at, true);
              R[t + 1] = size === 8 ? view.getInt32(at + 4, true) : 0;
            }
            pc = next + 1;
            continue;
          }
        default:
          throw x.faultSlot(pc);
      }
      // The conditional jump a superinstruction ends in, at next, on c: word 3 says when it is taken (JumpCondition)
      // and what d is compared with, word 2 where it goes.
      const k = code[i + 3];
      const r = (k >> 8) /* JumpCondition.operandShift */ & 31;
      const blo = r === 22 /* Source.immediate */ ? code[(next << 2) + 1] : R[r];
      const bhi = r === 22 /* Source.immediate */ ? blo >> 31 : R[r + 1];
      const alo = R[c];
      const ahi = R[c + 1];
      let taken: boolean;
      if ((k & 32) /* JumpCondition.set */ !== 0) {
        taken = (alo & blo) !== 0 || ((k & 16) /* JumpCondition.narrow */ === 0 && (ahi & bhi) !== 0);
      } else {
        // 1 less, 2 equal, 4 greater: by the high halves when they differ (64-bit), else by the low ones.
        let order: number;
        if ((k & 16) /* JumpCondition.narrow */ === 0 && ahi !== bhi) {
          order = ((k & 8) /* JumpCondition.signed */ !== 0 ? ahi < bhi : ahi >>> 0 < bhi >>> 0) ? 1 : 4;
        } else if (alo === blo) {
          order = 2;
        } else if ((k & 8) /* JumpCondition.signed */ !== 0 && (k & 16) /* JumpCondition.narrow */ !== 0) {
          order = alo < blo ? 1 : 4;
        } else {
          order = alo >>> 0 < blo >>> 0 ? 1 : 4;
        }
        taken = (k & order) !== 0;
      }
      pc = taken ? code[i + 2] : next + 1;
    }
  } finally {
    x.remaining = remaining;
    x.currentPc = pc;
  }
}
