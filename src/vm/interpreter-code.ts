// Lowers a program's decoded instructions into the one Int32Array the interpreter's loop indexes: four words
// per instruction with the opcode, registers, immediate and target pre-split, jump and call targets resolved,
// and each local call's frame sizes precomputed (bad targets become fault slots).

import { kfuncCallFault, kfuncCallKey } from './kfuncs/index.js';
import { MAX_BPF_STACK } from '../abi/limits.js';
import type { DecodedInsn, Operand } from '../isa/decoded.js';
import { highHalf, lowHalf } from './isa-semantics.js';
import { fuseInstructions } from './interpreter-fusion.js';
import { pureLeavesOf } from './pure-leaves.js';
import { AtomicOp, IMMEDIATE_FORM, Op, Source } from './interpreter-loop.js';

const IMMEDIATE = Source.immediate;
import type { ExecutableProgram } from './runtime.js';

/**
 * Words per instruction slot in `CompiledCode.code`:
 *   [0] op | (2 × dst) << 8 | (2 × src) << 16   registers as indexes into the lo/hi register file; src
 *                                                IMMEDIATE when the second operand is the immediate (and op
 *                                                its immediate form); a fused slot (interpreter-fusion) adds
 *                                                Fused.flag, its extra instructions and a move's source
 *   [1] the immediate's low half (the 64-bit operand is it sign-extended); ld_imm64: low half of the value;
 *       local calls: the caller's frame size; atomics: the AtomicOp, with ATOMIC_FETCH
 *   [2] jump destination (may_goto's too), memory offset, helper id, call target, legacy load size
 *   [3] ld_imm64: high half of the value; movsx and byte order: width in bits; local calls: the callee's
 *       frame size
 */
export const SLOT_WORDS = 4;

export interface CompiledCode {
  /** One slot per instruction, then the fall-off-the-end fault slot and one fault slot per bad jump. */
  readonly code: Int32Array;
  /**
   * The same slots before fusion: what a fused slot runs when the budget (or a tracer) allows one instruction, and
   * where each instruction's own fields are read from outside the loop.
   */
  readonly plain: Int32Array;
  /** Why executing a fault slot fails, and the instruction to report (a bad jump faults when it is taken). */
  readonly faults: ReadonlyMap<number, { readonly insn: number; readonly reason: string }>;
  /** Frame size of each function (its verified stack depth rounded up to 8), in functionStarts order. */
  readonly frameSizes: readonly number[];
}

const ALU_OPS: Readonly<Record<string, number>> = {
  add: Op.add64,
  sub: Op.sub64,
  mul: Op.mul64,
  div: Op.div64,
  sdiv: Op.sdiv64,
  mod: Op.mod64,
  smod: Op.smod64,
  or: Op.or64,
  and: Op.and64,
  xor: Op.xor64,
  lsh: Op.lsh64,
  rsh: Op.rsh64,
  arsh: Op.arsh64,
  mov: Op.mov64,
  neg: Op.neg64,
  movsx: Op.movsx64,
};
/** 32-bit ALU opcodes are the 64-bit ones plus this. */
const ALU32_DELTA = Op.add32 - Op.add64;
const JUMP_OPS: Readonly<Record<string, number>> = {
  jeq: Op.jeq64,
  jne: Op.jne64,
  jgt: Op.jgt64,
  jge: Op.jge64,
  jlt: Op.jlt64,
  jle: Op.jle64,
  jset: Op.jset64,
  jsgt: Op.jsgt64,
  jsge: Op.jsge64,
  jslt: Op.jslt64,
  jsle: Op.jsle64,
};
const JUMP32_DELTA = Op.jeq32 - Op.jeq64;
const LOAD_OPS: Readonly<Record<number, number>> = { 1: Op.ldxb, 2: Op.ldxh, 4: Op.ldxw, 8: Op.ldxdw };
const SIGNED_LOAD_OPS: Readonly<Record<number, number>> = { 1: Op.ldxsb, 2: Op.ldxsh, 4: Op.ldxsw };
const STORE_OPS: Readonly<Record<number, number>> = { 1: Op.stb, 2: Op.sth, 4: Op.stw, 8: Op.stdw };
/** Set in word 1 of atomic slots when the old value is returned in src (cmpxchg always returns it in r0). */
export const ATOMIC_FETCH = 8;

const BPF_FUNC_TAIL_CALL = 12;
const cache = new WeakMap<ExecutableProgram, CompiledCode>();

/** The compiled form of `program`, made once per program. */
export function compileProgram(program: ExecutableProgram): CompiledCode {
  let compiled = cache.get(program);
  if (compiled === undefined) {
    compiled = compile(program);
    cache.set(program, compiled);
  }
  return compiled;
}

/** Kernel: each function's frame is its stack depth rounded up to 8 (unknown depths get the whole 512). */
export function frameSizeOf(program: ExecutableProgram, functionIndex: number): number {
  const depth = program.stackDepths[functionIndex] ?? MAX_BPF_STACK;
  return Math.ceil(Math.max(depth, 0) / 8) * 8;
}

/** Index (in functionStarts) of the function holding instruction `pc`. */
export function functionIndexAt(program: ExecutableProgram, pc: number): number {
  let index = 0;
  const starts = program.functionStarts;
  for (let i = 0; i < starts.length; i++) if (starts[i] <= pc) index = i;
  return index;
}

function compile(program: ExecutableProgram): CompiledCode {
  const length = program.decoded.length;
  const starts = program.functionStarts;
  // A jump may land on any instruction but the second slot of an LD_IMM64, and never outside the program.
  const validDestination = (to: number): boolean =>
    to >= 0 && to < length && program.decoded[to] !== undefined;
  const badJumps = program.decoded.filter(
    (insn, pc) =>
      (insn?.kind === 'jump' || insn?.kind === 'may_goto') && !validDestination(pc + 1 + insn.offset),
  ).length;
  // Slots past the program: the fall-off-the-end fault, then one fault slot per bad jump (its destination).
  const slots = length + 1 + badJumps;
  const code = new Int32Array(slots * SLOT_WORDS);
  for (let pc = 0; pc < slots; pc++) code[pc * SLOT_WORDS] = Op.fault;
  const faults = new Map<number, { insn: number; reason: string }>();
  faults.set(length, {
    insn: length - 1,
    reason: `execution fell off the end of the program (insn ${length - 1} is not an exit or jump)`,
  });
  let nextFaultSlot = length + 1;
  const frameSizes = starts.map((_, index) => frameSizeOf(program, index));
  // Calls of these functions are made without a frame record (Op.callLeaf).
  const leaves = pureLeavesOf(program);

  // An immediate second operand selects the op's immediate form (but for legacy loads, where it means "no index").
  const set = (pc: number, op: number, dst: number, src: number): void => {
    const form = src === IMMEDIATE && op !== Op.ldLegacy ? IMMEDIATE_FORM : 0;
    code[pc * SLOT_WORDS] = op | form | ((2 * dst) << 8) | ((src === IMMEDIATE ? IMMEDIATE : 2 * src) << 16);
  };
  const word = (pc: number, index: 1 | 2 | 3, value: number): void => {
    code[pc * SLOT_WORDS + index] = value;
  };
  const operandSource = (pc: number, source: Operand): number => {
    if (source.kind === 'reg') return source.reg;
    word(pc, 1, source.imm | 0);
    return IMMEDIATE;
  };
  // Word 2 of a jump: its destination, or a fault slot when it has none (the fault comes when it is taken).
  const jumpTo = (pc: number, offset: number): void => {
    const to = pc + 1 + offset;
    if (validDestination(to)) {
      word(pc, 2, to);
      return;
    }
    const intoLdImm64 = program.decoded[to] === undefined && to >= 0 && to < length;
    faults.set(nextFaultSlot, {
      insn: pc,
      reason: intoLdImm64
        ? `jump into the middle of an LD_IMM64 at insn ${to}`
        : `jump out of range to insn ${to}`,
    });
    word(pc, 2, nextFaultSlot++);
  };
  const setFault = (pc: number, reason: string): void => {
    code[pc * SLOT_WORDS] = Op.fault;
    faults.set(pc, { insn: pc, reason });
  };

  for (let pc = 0; pc < length; pc++) {
    const insn = program.decoded[pc] as DecodedInsn | undefined;
    if (insn === undefined) {
      setFault(pc, 'jump into the middle of an LD_IMM64');
      continue;
    }
    switch (insn.kind) {
      case 'alu': {
        const op = ALU_OPS[insn.op] + (insn.width === 64 ? 0 : ALU32_DELTA);
        if (insn.op === 'movsx') {
          set(pc, op, insn.dst, insn.source.reg);
          word(pc, 3, insn.signExtendBits);
        } else if (insn.op === 'neg') {
          set(pc, op, insn.dst, 0);
        } else {
          set(pc, op, insn.dst, operandSource(pc, insn.source));
        }
        break;
      }
      case 'endian':
        set(pc, insn.to === 'le' ? Op.le : Op.swap, insn.dst, 0);
        word(pc, 3, insn.bits);
        break;
      case 'may_goto':
        jumpTo(pc, insn.offset);
        set(pc, Op.mayGoto, 0, 0);
        break;
      case 'jump': {
        jumpTo(pc, insn.offset);
        if (insn.op === 'ja') {
          set(pc, Op.ja, 0, 0);
          break;
        }
        const op = JUMP_OPS[insn.op] + (insn.width === 64 ? 0 : JUMP32_DELTA);
        set(pc, op, insn.dst, operandSource(pc, insn.source));
        break;
      }
      case 'load':
        set(pc, insn.signed ? SIGNED_LOAD_OPS[insn.size] : LOAD_OPS[insn.size], insn.dst, insn.src);
        word(pc, 2, insn.off);
        break;
      case 'store':
        set(pc, STORE_OPS[insn.size], insn.dst, operandSource(pc, insn.source));
        word(pc, 2, insn.off);
        break;
      // Load-acquire and store-release order memory only; one thread runs a program, so they are plain
      // (zero-extending) loads and stores, faulting in checked mode like any other access.
      case 'load_acquire':
        set(pc, LOAD_OPS[insn.size], insn.dst, insn.src);
        word(pc, 2, insn.off);
        break;
      case 'store_release':
        set(pc, STORE_OPS[insn.size], insn.dst, insn.src);
        word(pc, 2, insn.off);
        break;
      case 'atomic':
        set(pc, insn.size === 8 ? Op.atomic64 : Op.atomic32, insn.dst, insn.src);
        word(pc, 1, AtomicOp[insn.op] | (insn.fetch ? ATOMIC_FETCH : 0));
        word(pc, 2, insn.off);
        break;
      case 'ld_imm64': {
        const value = program.ldImm64Values[pc];
        if (value === undefined) {
          setFault(pc, `LD_IMM64 with src ${insn.src} was not resolved at load`);
          break;
        }
        set(pc, Op.ldImm64, insn.dst, 0);
        word(pc, 1, lowHalf(value));
        word(pc, 3, highHalf(value));
        break;
      }
      case 'ld_legacy':
        // abs: no index register (IMMEDIATE); ind: src + imm.
        set(pc, Op.ldLegacy, 0, insn.mode === 'ind' ? insn.src : IMMEDIATE);
        word(pc, 1, insn.imm | 0);
        word(pc, 2, insn.size);
        break;
      case 'call':
        if (insn.target === 'local') {
          const to = pc + insn.imm + 1;
          const callee = starts.indexOf(to);
          if (callee < 0) {
            setFault(pc, `call to insn ${to}, which does not start a function`);
            break;
          }
          set(pc, leaves.has(callee) ? Op.callLeaf : Op.callLocal, 0, 0);
          word(pc, 1, frameSizes[functionIndexAt(program, pc)]);
          word(pc, 2, to);
          word(pc, 3, frameSizes[callee]);
        } else if (insn.target === 'kfunc') {
          // A kfunc runs as a helper under its own key; one tsbpf does not know stops the run here.
          const key = kfuncCallKey(insn.imm, insn.off);
          if (key === undefined) {
            setFault(pc, kfuncCallFault(insn.imm));
          } else {
            set(pc, Op.callHelper, 0, 0);
            word(pc, 2, key);
          }
        } else {
          set(pc, insn.imm === BPF_FUNC_TAIL_CALL ? Op.tailCall : Op.callHelper, 0, 0);
          word(pc, 2, insn.imm);
        }
        break;
      case 'exit':
        set(pc, Op.exit, 0, 0);
        break;
      default: {
        const unreachable: never = insn;
        setFault(pc, `unknown instruction ${JSON.stringify(unreachable)}`);
      }
    }
  }
  const plain = code.slice();
  fuseInstructions(program.decoded, code);
  return { code, plain, faults, frameSizes };
}
