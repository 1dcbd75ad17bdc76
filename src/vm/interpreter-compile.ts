// Lowers a program's decoded instructions into flat typed arrays the interpreter's loop indexes: one small
// opcode number per slot, operands pre-split, jump and call targets resolved (bad ones become fault slots).

import type { DecodedInsn, Operand } from '../isa/decoded.js';
import type { ExecutableProgram } from './runtime.js';

/** Interpreter opcodes. ALU ops come in 64- and 32-bit forms; `K` operands were folded into the arrays. */
export const Op = {
  // 64-bit ALU
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
  // 32-bit ALU (results zero-extended)
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
  // byte order: `imm` holds the width in bits
  le: 32,
  swap: 33,
  // jumps: `target` holds the absolute destination
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
  // memory: `target` holds the offset
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
  /** Executing this slot is a fault; `faults[pc]` says why (bad jump or call target, kfunc, ...). */
  fault: 76,
} as const;

/** Atomic operations, in `imm` of atomic32/atomic64 slots. */
export const AtomicOp = { add: 0, or: 1, and: 2, xor: 3, xchg: 4, cmpxchg: 5 } as const;
/** Set in `imm` of atomic slots when the old value is returned in src (cmpxchg always returns it in r0). */
export const ATOMIC_FETCH = 8;

export interface CompiledProgram {
  /** One slot per instruction plus a final fault slot, so running off the end needs no bounds check. */
  readonly op: Uint8Array;
  readonly dst: Uint8Array;
  /** Source register; 11 (never a register) when the operand is the immediate. */
  readonly src: Uint8Array;
  /** Low and high halves of the immediate operand, sign-extended to 64 bits (ld_imm64: its value). */
  readonly immLo: Uint32Array;
  readonly immHi: Uint32Array;
  /** Jump/call destination, memory offset, sign-extension bits, byte-swap width or helper id. */
  readonly target: Int32Array;
  /** Why executing a fault slot fails, and the instruction to report (a bad jump faults when it is taken). */
  readonly faults: ReadonlyMap<number, { readonly insn: number; readonly reason: string }>;
}

/** The register number that marks an immediate operand. */
export const IMMEDIATE = 11;

const ALU_OFFSETS: Readonly<Record<string, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  sdiv: 4,
  mod: 5,
  smod: 6,
  or: 7,
  and: 8,
  xor: 9,
  lsh: 10,
  rsh: 11,
  arsh: 12,
  mov: 13,
  neg: 14,
  movsx: 15,
};
const JUMP_OFFSETS: Readonly<Record<string, number>> = {
  jeq: 0,
  jne: 1,
  jgt: 2,
  jge: 3,
  jlt: 4,
  jle: 5,
  jset: 6,
  jsgt: 7,
  jsge: 8,
  jslt: 9,
  jsle: 10,
};
const LOAD_OPS: Readonly<Record<number, number>> = { 1: Op.ldxb, 2: Op.ldxh, 4: Op.ldxw, 8: Op.ldxdw };
const SIGNED_LOAD_OPS: Readonly<Record<number, number>> = { 1: Op.ldxsb, 2: Op.ldxsh, 4: Op.ldxsw };
const STORE_OPS: Readonly<Record<number, number>> = { 1: Op.stb, 2: Op.sth, 4: Op.stw, 8: Op.stdw };

const BPF_FUNC_TAIL_CALL = 12;
const cache = new WeakMap<ExecutableProgram, CompiledProgram>();

/** The compiled form of `program`, made once per program. */
export function compileProgram(program: ExecutableProgram): CompiledProgram {
  let compiled = cache.get(program);
  if (compiled === undefined) {
    compiled = compile(program);
    cache.set(program, compiled);
  }
  return compiled;
}

function compile(program: ExecutableProgram): CompiledProgram {
  const length = program.decoded.length;
  const starts = new Set(program.functionStarts);
  // A jump may land on any instruction but the second slot of an LD_IMM64, and never outside the program.
  const validDestination = (to: number): boolean =>
    to >= 0 && to < length && program.decoded[to] !== undefined;
  const badJumps = program.decoded.filter(
    (insn, pc) => insn?.kind === 'jump' && !validDestination(pc + 1 + insn.offset),
  ).length;
  // Slots past the program: the fall-off-the-end fault, then one fault slot per bad jump (its destination).
  const slots = length + 1 + badJumps;
  const op = new Uint8Array(slots).fill(Op.fault);
  const dst = new Uint8Array(slots);
  const src = new Uint8Array(slots);
  const immLo = new Uint32Array(slots);
  const immHi = new Uint32Array(slots);
  const target = new Int32Array(slots);
  const faults = new Map<number, { insn: number; reason: string }>();
  faults.set(length, {
    insn: length - 1,
    reason: `execution fell off the end of the program (insn ${length - 1} is not an exit or jump)`,
  });
  let nextFaultSlot = length + 1;

  const setOperand = (pc: number, source: Operand): void => {
    if (source.kind === 'reg') {
      src[pc] = source.reg;
    } else {
      src[pc] = IMMEDIATE;
      immLo[pc] = source.imm >>> 0;
      immHi[pc] = source.imm < 0 ? 0xffff_ffff : 0;
    }
  };
  const setFault = (pc: number, reason: string): void => {
    op[pc] = Op.fault;
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
        const base = insn.width === 64 ? Op.add64 : Op.add32;
        op[pc] = base + ALU_OFFSETS[insn.op];
        dst[pc] = insn.dst;
        if (insn.op === 'movsx') {
          src[pc] = insn.source.reg;
          target[pc] = insn.signExtendBits;
        } else if (insn.op !== 'neg') {
          setOperand(pc, insn.source);
        }
        break;
      }
      case 'endian':
        op[pc] = insn.to === 'le' ? Op.le : Op.swap;
        dst[pc] = insn.dst;
        target[pc] = insn.bits;
        break;
      case 'jump': {
        const to = pc + 1 + insn.offset;
        if (validDestination(to)) {
          target[pc] = to;
        } else {
          const reason = program.decoded[to] === undefined && to >= 0 && to < length;
          faults.set(nextFaultSlot, {
            insn: pc,
            reason: reason
              ? `jump into the middle of an LD_IMM64 at insn ${to}`
              : `jump out of range to insn ${to}`,
          });
          target[pc] = nextFaultSlot++;
        }
        if (insn.op === 'ja') {
          op[pc] = Op.ja;
          break;
        }
        op[pc] = (insn.width === 64 ? Op.jeq64 : Op.jeq32) + JUMP_OFFSETS[insn.op];
        dst[pc] = insn.dst;
        setOperand(pc, insn.source);
        break;
      }
      case 'load':
        op[pc] = insn.signed ? SIGNED_LOAD_OPS[insn.size] : LOAD_OPS[insn.size];
        dst[pc] = insn.dst;
        src[pc] = insn.src;
        target[pc] = insn.off;
        break;
      case 'store':
        op[pc] = STORE_OPS[insn.size];
        dst[pc] = insn.dst;
        setOperand(pc, insn.source);
        target[pc] = insn.off;
        break;
      case 'atomic':
        op[pc] = insn.size === 8 ? Op.atomic64 : Op.atomic32;
        dst[pc] = insn.dst;
        src[pc] = insn.src;
        target[pc] = insn.off;
        immLo[pc] = AtomicOp[insn.op] | (insn.fetch ? ATOMIC_FETCH : 0);
        break;
      case 'ld_imm64': {
        const value = program.ldImm64Values[pc];
        if (value === undefined) {
          setFault(pc, `LD_IMM64 with src ${insn.src} was not resolved at load`);
          break;
        }
        const unsigned = BigInt.asUintN(64, value);
        op[pc] = Op.ldImm64;
        dst[pc] = insn.dst;
        immLo[pc] = Number(unsigned & 0xffff_ffffn);
        immHi[pc] = Number(unsigned >> 32n);
        break;
      }
      case 'ld_legacy':
        op[pc] = Op.ldLegacy;
        // abs: no index register (IMMEDIATE); ind: src + imm.
        src[pc] = insn.mode === 'ind' ? insn.src : IMMEDIATE;
        target[pc] = insn.size;
        immLo[pc] = insn.imm >>> 0;
        break;
      case 'call':
        if (insn.target === 'local') {
          const to = pc + insn.imm + 1;
          if (!starts.has(to)) {
            setFault(pc, `call to insn ${to}, which does not start a function`);
            break;
          }
          op[pc] = Op.callLocal;
          target[pc] = to;
        } else if (insn.target === 'kfunc') {
          setFault(pc, 'kfunc calls need the running kernel');
        } else {
          op[pc] = insn.imm === BPF_FUNC_TAIL_CALL ? Op.tailCall : Op.callHelper;
          target[pc] = insn.imm;
        }
        break;
      case 'exit':
        op[pc] = Op.exit;
        break;
      default: {
        const unreachable: never = insn;
        setFault(pc, `unknown instruction ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { op, dst, src, immLo, immHi, target, faults };
}
