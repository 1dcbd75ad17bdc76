// Typed decoding of raw instruction slots into the union every engine switches on, and its inverse.
//
// Public API:
//   decodeInsn(insns, index): DecodedInsn        throws InsnError on an invalid encoding
//   decodeProgram(insns): DecodedProgram         index-aligned; the second slot of LD_IMM64 is `undefined`
//   encodeInsn(decoded): Insn[]                  1 slot, or 2 for ld_imm64
//   checkOpcodeStage(insns, index)               the kernel's first per-slot pass (resolve_pseudo_ldimm64)
//   checkFieldStage(insns, index)                the kernel's per-instruction field checks (do_check)
//   DecodedInsn and its members (AluInsn, NegInsn, MovsxInsn, EndianInsn, JumpAlwaysInsn, CondJumpInsn,
//   MayGotoInsn, CallInsn, ExitInsn, LdImm64Insn, LoadInsn, StoreInsn, AtomicInsn, LoadAcquireInsn,
//   StoreReleaseInsn, LdLegacyInsn), Operand
//
// Jump offsets are in slots relative to the next instruction, for `ja` (off) and `gotol` (imm) alike.
// Pseudo kinds of ld_imm64 `src`: 0 plain, 1 map fd, 2 map value, 3 BTF id, 4 func, 5 map idx, 6 map idx value.

import { type Insn, insn } from './insn.js';
import { InsnError } from './insn-error.js';
import {
  ATOMIC_OPS,
  type AtomicOpName,
  type FieldRule,
  type MemSize,
  OPCODE_TABLE,
  type OpcodeEntry,
} from './opcode-table.js';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_ALU64,
  BPF_ATOMIC,
  BPF_B,
  BPF_CALL,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_H,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_K,
  BPF_LD,
  BPF_LD_IMM64,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_MEM,
  BPF_MEMSX,
  BPF_NEG,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_IDX,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_TO_BE,
  BPF_W,
  BPF_X,
  MAX_BPF_REG,
} from './opcodes.js';

export type Operand =
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'imm'; readonly imm: number };

export type AluBinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'sdiv'
  | 'or'
  | 'and'
  | 'lsh'
  | 'rsh'
  | 'mod'
  | 'smod'
  | 'xor'
  | 'mov'
  | 'arsh';

export type CondJumpOp =
  | 'jeq'
  | 'jgt'
  | 'jge'
  | 'jset'
  | 'jne'
  | 'jsgt'
  | 'jsge'
  | 'jlt'
  | 'jle'
  | 'jslt'
  | 'jsle';

export interface AluInsn {
  readonly kind: 'alu';
  readonly width: 32 | 64;
  readonly op: AluBinaryOp;
  readonly dst: number;
  readonly source: Operand;
}
export interface NegInsn {
  readonly kind: 'alu';
  readonly width: 32 | 64;
  readonly op: 'neg';
  readonly dst: number;
}
/** `dst = (sN) src`: sign-extend the low `signExtendBits` of src (cpu v4 MOVSX). */
export interface MovsxInsn {
  readonly kind: 'alu';
  readonly width: 32 | 64;
  readonly op: 'movsx';
  readonly dst: number;
  readonly source: { readonly kind: 'reg'; readonly reg: number };
  readonly signExtendBits: 8 | 16 | 32;
}
/** le/be conversions (ALU class) and unconditional byte swap (ALU64 class, cpu v4). */
export interface EndianInsn {
  readonly kind: 'endian';
  readonly width: 32 | 64;
  readonly to: 'le' | 'be' | 'swap';
  readonly dst: number;
  readonly bits: 16 | 32 | 64;
}
/** `ja` (width 64, offset from off) or `gotol` (width 32, offset from imm). */
export interface JumpAlwaysInsn {
  readonly kind: 'jump';
  readonly width: 32 | 64;
  readonly op: 'ja';
  readonly offset: number;
}
export interface CondJumpInsn {
  readonly kind: 'jump';
  readonly width: 32 | 64;
  readonly op: CondJumpOp;
  readonly dst: number;
  readonly source: Operand;
  readonly offset: number;
}
/**
 * `may_goto +off` (Linux 6.9): falls through while the function's hidden loop budget lasts, then jumps to the
 * target every time; the verifier explores both ways.
 */
export interface MayGotoInsn {
  readonly kind: 'may_goto';
  readonly offset: number;
}
export interface CallInsn {
  readonly kind: 'call';
  readonly target: 'helper' | 'local' | 'kfunc';
  /** Helper id, pc-relative slot offset (local), or BTF id (kfunc). */
  readonly imm: number;
  /** For kfunc calls: index of the BTF fd in fd_array (0 = vmlinux); 0 otherwise. */
  readonly off: number;
}
export interface ExitInsn {
  readonly kind: 'exit';
}
export interface LdImm64Insn {
  readonly kind: 'ld_imm64';
  readonly dst: number;
  readonly src: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  /** The 64-bit value `hi:lo` as signed. */
  readonly imm64: bigint;
  /** imm of the first slot (int32). */
  readonly lo: number;
  /** imm of the second slot (int32). */
  readonly hi: number;
}
export interface LoadInsn {
  readonly kind: 'load';
  readonly size: MemSize;
  /** Sign-extending load (cpu v4 MEMSX). */
  readonly signed: boolean;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
}
export interface StoreInsn {
  readonly kind: 'store';
  readonly size: MemSize;
  readonly dst: number;
  readonly source: Operand;
  readonly off: number;
}
export interface AtomicInsn {
  readonly kind: 'atomic';
  readonly size: 4 | 8;
  readonly op: AtomicOpName;
  /** Whether the old value is returned (in src; in r0 for cmpxchg). Always true for xchg and cmpxchg. */
  readonly fetch: boolean;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
}
/** `dst = load_acquire((uN *)(src + off))` (Linux 6.15): a zero-extending load with acquire ordering. */
export interface LoadAcquireInsn {
  readonly kind: 'load_acquire';
  readonly size: MemSize;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
}
/** `store_release((uN *)(dst + off), src)` (Linux 6.15): a store with release ordering. */
export interface StoreReleaseInsn {
  readonly kind: 'store_release';
  readonly size: MemSize;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
}
/** Legacy packet loads `r0 = *(uN *)skb[imm]` / `skb[src + imm]`. */
export interface LdLegacyInsn {
  readonly kind: 'ld_legacy';
  readonly mode: 'abs' | 'ind';
  readonly size: 1 | 2 | 4;
  /** Index register for `ind`; 0 for `abs`. */
  readonly src: number;
  readonly imm: number;
}

export type DecodedInsn =
  | AluInsn
  | NegInsn
  | MovsxInsn
  | EndianInsn
  | JumpAlwaysInsn
  | CondJumpInsn
  | MayGotoInsn
  | CallInsn
  | ExitInsn
  | LdImm64Insn
  | LoadInsn
  | StoreInsn
  | AtomicInsn
  | LoadAcquireInsn
  | StoreReleaseInsn
  | LdLegacyInsn;

/** Decoded instructions indexed like the raw slots; the second slot of each LD_IMM64 holds `undefined`. */
export type DecodedProgram = readonly (DecodedInsn | undefined)[];

const SIZE_BITS: Readonly<Record<MemSize, number>> = { 1: BPF_B, 2: BPF_H, 4: BPF_W, 8: BPF_DW };

function sizeOf(code: number): MemSize {
  return ([4, 2, 1, 8] as const)[(code >> 3) & 0x03];
}

function hex2(value: number): string {
  return (value >>> 0).toString(16).padStart(2, '0');
}

function fieldAllowed(rule: FieldRule, value: number, ins: Insn): boolean {
  switch (rule.kind) {
    case 'reg':
    case 'any':
      return true;
    case 'zero':
      return value === 0;
    case 'oneOf':
      return rule.values.includes(value);
    case 'zeroUnlessKfunc':
      return value === 0 || ins.src === 2;
  }
}

function slotAt(insns: readonly Insn[], index: number): Insn {
  const ins = insns[index];
  if (!ins) throw new InsnError(index, `no instruction at index ${index} (program has ${insns.length})`);
  return ins;
}

/**
 * The kernel's first pass over every slot (resolve_pseudo_ldimm64, before any control flow is looked at):
 * LDX reserved fields, the LD_IMM64 pair, the pseudo kind of LD_IMM64, then `unknown opcode`.
 */
export function checkOpcodeStage(insns: readonly Insn[], index: number): void {
  const ins = slotAt(insns, index);
  const code = ins.code;
  if (
    (code & 0x07) === BPF_LDX &&
    (((code & 0xe0) !== BPF_MEM && (code & 0xe0) !== BPF_MEMSX) || ins.imm !== 0)
  ) {
    throw new InsnError(index, 'BPF_LDX uses reserved fields');
  }
  if (code === BPF_LD_IMM64) {
    const next = insns[index + 1];
    const secondSlotBlank =
      next !== undefined && next.code === 0 && next.dst === 0 && next.src === 0 && next.off === 0;
    if (!secondSlotBlank) throw new InsnError(index, 'invalid bpf_ld_imm64 insn');
    const pseudoKindValid =
      ins.src <= 6 && !((ins.src === BPF_PSEUDO_MAP_FD || ins.src === BPF_PSEUDO_MAP_IDX) && next.imm !== 0);
    if (!pseudoKindValid) throw new InsnError(index, 'unrecognized bpf_ld_imm64 insn');
    return;
  }
  if (!OPCODE_TABLE.has(code)) throw new InsnError(index, `unknown opcode ${hex2(code)}`);
}

/**
 * The kernel's per-instruction field checks (do_check: check_alu_op, check_cond_jmp_op, check_atomic, ...):
 * reserved fields first, then registers in the kernel's order. Assumes checkOpcodeStage passed.
 */
export function checkFieldStage(insns: readonly Insn[], index: number): OpcodeEntry {
  const ins = slotAt(insns, index);
  const entry = OPCODE_TABLE.get(ins.code);
  if (!entry) throw new InsnError(index, `unknown opcode ${hex2(ins.code)}`);
  // kernel check_atomic_rmw: a read-modify-write atomic of B or H is refused for its size, not its opcode.
  if (entry.kind === 'atomic' && ATOMIC_OPS.has(ins.imm) && !fieldAllowed(entry.imm, ins.imm, ins)) {
    throw new InsnError(index, 'invalid atomic operand size');
  }
  for (const field of ['dst', 'src', 'off', 'imm'] as const) {
    if (!fieldAllowed(entry[field], ins[field], ins)) {
      throw new InsnError(
        index,
        entry.reserved.replace('%02x', hex2(ins.imm)).replace('%d', String(ins.imm)),
      );
    }
  }
  for (const field of entry.registerOrder) {
    if (ins[field] >= MAX_BPF_REG) throw new InsnError(index, `R${ins[field]} is invalid`);
  }
  return entry;
}

const COND_OPS: Readonly<Record<number, CondJumpOp>> = {
  16: 'jeq',
  32: 'jgt',
  48: 'jge',
  64: 'jset',
  80: 'jne',
  96: 'jsgt',
  112: 'jsge',
  160: 'jlt',
  176: 'jle',
  192: 'jslt',
  208: 'jsle',
};
const COND_CODES = Object.fromEntries(
  Object.entries(COND_OPS).map(([code, op]) => [op, Number(code)]),
) as Record<CondJumpOp, number>;

const ALU_OPS: Readonly<Record<number, AluBinaryOp>> = {
  0: 'add',
  16: 'sub',
  32: 'mul',
  48: 'div',
  64: 'or',
  80: 'and',
  96: 'lsh',
  112: 'rsh',
  144: 'mod',
  160: 'xor',
  176: 'mov',
  192: 'arsh',
};
const ALU_CODES: Readonly<Record<AluBinaryOp, number>> = {
  add: 0x00,
  sub: 0x10,
  mul: 0x20,
  div: 0x30,
  sdiv: 0x30,
  or: 0x40,
  and: 0x50,
  lsh: 0x60,
  rsh: 0x70,
  mod: 0x90,
  smod: 0x90,
  xor: 0xa0,
  mov: 0xb0,
  arsh: 0xc0,
};

function sourceOf(ins: Insn): Operand {
  return ins.code & BPF_X ? { kind: 'reg', reg: ins.src } : { kind: 'imm', imm: ins.imm };
}

/** Decodes the instruction at `index` (both slots for LD_IMM64); throws InsnError on an invalid encoding. */
export function decodeInsn(insns: readonly Insn[], index: number): DecodedInsn {
  checkOpcodeStage(insns, index);
  const entry = checkFieldStage(insns, index);
  return build(insns, index, entry);
}

function build(insns: readonly Insn[], index: number, entry: OpcodeEntry): DecodedInsn {
  const ins = insns[index];
  const code = ins.code;
  const cls = code & 0x07;
  switch (entry.kind) {
    case 'alu': {
      const width = cls === BPF_ALU64 ? 64 : 32;
      const opBits = code & 0xf0;
      if (opBits === BPF_NEG) return { kind: 'alu', width, op: 'neg', dst: ins.dst };
      const base = ALU_OPS[opBits];
      if (base === 'mov' && code & BPF_X && ins.off !== 0) {
        return {
          kind: 'alu',
          width,
          op: 'movsx',
          dst: ins.dst,
          source: { kind: 'reg', reg: ins.src },
          signExtendBits: ins.off as 8 | 16 | 32,
        };
      }
      let op = base;
      if (ins.off === 1 && base === 'div') op = 'sdiv';
      if (ins.off === 1 && base === 'mod') op = 'smod';
      return { kind: 'alu', width, op, dst: ins.dst, source: sourceOf(ins) };
    }
    case 'endian': {
      const width = cls === BPF_ALU64 ? 64 : 32;
      const to = cls === BPF_ALU64 ? 'swap' : code & BPF_TO_BE ? 'be' : 'le';
      return { kind: 'endian', width, to, dst: ins.dst, bits: ins.imm as 16 | 32 | 64 };
    }
    case 'jump': {
      const width = cls === BPF_JMP32 ? 32 : 64;
      if ((code & 0xf0) === BPF_JA)
        return { kind: 'jump', width, op: 'ja', offset: width === 32 ? ins.imm : ins.off };
      return {
        kind: 'jump',
        width,
        op: COND_OPS[code & 0xf0],
        dst: ins.dst,
        source: sourceOf(ins),
        offset: ins.off,
      };
    }
    case 'may_goto':
      return { kind: 'may_goto', offset: ins.off };
    case 'call': {
      const target = ins.src === 1 ? 'local' : ins.src === 2 ? 'kfunc' : 'helper';
      return { kind: 'call', target, imm: ins.imm, off: ins.off };
    }
    case 'exit':
      return { kind: 'exit' };
    case 'ld_imm64': {
      const hi = insns[index + 1].imm;
      const imm64 = (BigInt(hi) << 32n) | BigInt(ins.imm >>> 0);
      return { kind: 'ld_imm64', dst: ins.dst, src: ins.src as LdImm64Insn['src'], imm64, lo: ins.imm, hi };
    }
    case 'load':
      return {
        kind: 'load',
        size: sizeOf(code),
        signed: (code & 0xe0) === BPF_MEMSX,
        dst: ins.dst,
        src: ins.src,
        off: ins.off,
      };
    case 'store':
      return {
        kind: 'store',
        size: sizeOf(code),
        dst: ins.dst,
        source: cls === BPF_STX ? { kind: 'reg', reg: ins.src } : { kind: 'imm', imm: ins.imm },
        off: ins.off,
      };
    case 'atomic': {
      if (ins.imm === BPF_LOAD_ACQ || ins.imm === BPF_STORE_REL) {
        const kind = ins.imm === BPF_LOAD_ACQ ? 'load_acquire' : 'store_release';
        return { kind, size: sizeOf(code), dst: ins.dst, src: ins.src, off: ins.off };
      }
      const { op, fetch } = ATOMIC_OPS.get(ins.imm)!;
      return {
        kind: 'atomic',
        size: sizeOf(code) as 4 | 8,
        op,
        fetch,
        dst: ins.dst,
        src: ins.src,
        off: ins.off,
      };
    }
    case 'ld_legacy':
      return {
        kind: 'ld_legacy',
        mode: (code & 0xe0) === BPF_ABS ? 'abs' : 'ind',
        size: sizeOf(code) as 1 | 2 | 4,
        src: ins.src,
        imm: ins.imm,
      };
  }
}

/**
 * Decodes a whole program, index-aligned with the raw slots. As the kernel does, unknown opcodes and
 * malformed LD_IMM64 pairs anywhere are reported before any per-instruction field problem.
 */
export function decodeProgram(insns: readonly Insn[]): DecodedProgram {
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) checkOpcodeStage(insns, i);
  const out: (DecodedInsn | undefined)[] = new Array(insns.length).fill(undefined);
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) {
    out[i] = build(insns, i, checkFieldStage(insns, i));
  }
  return out;
}

function operandFields(source: Operand): { code: number; src: number; imm: number } {
  return source.kind === 'reg'
    ? { code: BPF_X, src: source.reg, imm: 0 }
    : { code: BPF_K, src: 0, imm: source.imm };
}

/** The raw slots of a decoded instruction (inverse of decodeInsn). */
export function encodeInsn(decoded: DecodedInsn): Insn[] {
  switch (decoded.kind) {
    case 'alu': {
      const cls = decoded.width === 64 ? BPF_ALU64 : BPF_ALU;
      if (decoded.op === 'neg') return [insn(cls | BPF_NEG | BPF_K, decoded.dst, 0, 0, 0)];
      if (decoded.op === 'movsx') {
        return [
          insn(cls | ALU_CODES.mov | BPF_X, decoded.dst, decoded.source.reg, decoded.signExtendBits, 0),
        ];
      }
      const { code, src, imm } = operandFields(decoded.source);
      const off = decoded.op === 'sdiv' || decoded.op === 'smod' ? 1 : 0;
      return [insn(cls | ALU_CODES[decoded.op] | code, decoded.dst, src, off, imm)];
    }
    case 'endian': {
      const cls = decoded.to === 'swap' ? BPF_ALU64 : BPF_ALU;
      const direction = decoded.to === 'be' ? BPF_TO_BE : 0;
      return [insn(cls | BPF_END | direction, decoded.dst, 0, 0, decoded.bits)];
    }
    case 'jump': {
      const cls = decoded.width === 32 ? BPF_JMP32 : BPF_JMP;
      if (decoded.op === 'ja') {
        return decoded.width === 32
          ? [insn(cls | BPF_JA, 0, 0, 0, decoded.offset)]
          : [insn(cls | BPF_JA, 0, 0, decoded.offset, 0)];
      }
      const { code, src, imm } = operandFields(decoded.source);
      return [insn(cls | COND_CODES[decoded.op] | code, decoded.dst, src, decoded.offset, imm)];
    }
    case 'may_goto':
      return [insn(BPF_JMP | BPF_JCOND, 0, 0, decoded.offset, 0)];
    case 'call': {
      const src = decoded.target === 'local' ? 1 : decoded.target === 'kfunc' ? 2 : 0;
      return [insn(BPF_JMP | BPF_CALL, 0, src, decoded.off, decoded.imm)];
    }
    case 'exit':
      return [insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)];
    case 'ld_imm64':
      return [insn(BPF_LD_IMM64, decoded.dst, decoded.src, 0, decoded.lo), insn(0, 0, 0, 0, decoded.hi)];
    case 'load': {
      const mode = decoded.signed ? BPF_MEMSX : BPF_MEM;
      return [insn(BPF_LDX | mode | SIZE_BITS[decoded.size], decoded.dst, decoded.src, decoded.off, 0)];
    }
    case 'store': {
      if (decoded.source.kind === 'reg') {
        return [
          insn(BPF_STX | BPF_MEM | SIZE_BITS[decoded.size], decoded.dst, decoded.source.reg, decoded.off, 0),
        ];
      }
      return [
        insn(BPF_ST | BPF_MEM | SIZE_BITS[decoded.size], decoded.dst, 0, decoded.off, decoded.source.imm),
      ];
    }
    case 'atomic': {
      let imm = -1;
      for (const [value, meaning] of ATOMIC_OPS)
        if (meaning.op === decoded.op && meaning.fetch === decoded.fetch) imm = value;
      if (imm < 0) throw new InsnError(0, `atomic ${decoded.op} without fetch does not exist`);
      return [
        insn(BPF_STX | BPF_ATOMIC | SIZE_BITS[decoded.size], decoded.dst, decoded.src, decoded.off, imm),
      ];
    }
    case 'load_acquire':
    case 'store_release': {
      const imm = decoded.kind === 'load_acquire' ? BPF_LOAD_ACQ : BPF_STORE_REL;
      return [
        insn(BPF_STX | BPF_ATOMIC | SIZE_BITS[decoded.size], decoded.dst, decoded.src, decoded.off, imm),
      ];
    }
    case 'ld_legacy': {
      const mode = decoded.mode === 'abs' ? BPF_ABS : BPF_IND;
      return [
        insn(
          BPF_LD | mode | SIZE_BITS[decoded.size],
          0,
          decoded.mode === 'ind' ? decoded.src : 0,
          0,
          decoded.imm,
        ),
      ];
    }
  }
}
