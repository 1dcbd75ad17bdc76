// Parses and encodes one instruction statement in LLVM's BPF syntax (llvm-objdump-14 text plus LLVM 17+ cpu v4 forms).

import { type Insn, insn } from './insn.js';
import * as bpf from './opcodes.js';
import { StatementError, type Token } from './asm-lexer.js';

/** A reference to a symbol that the assembler resolves once every label is known. */
export interface Fixup {
  /** `jump16`: `off` of a goto/if; `jump32`: `imm` of gotol; `call`: `imm` of call; `ld64`: LD_IMM64 value. */
  kind: 'jump16' | 'jump32' | 'call' | 'ld64';
  symbol: string;
  addend: number;
  column: number;
}

export interface ParsedInstruction {
  /** One slot, or two for LD_IMM64. */
  slots: Insn[];
  fixup?: Fixup;
}

type RegToken = Extract<Token, { kind: 'reg' }>;

const BPF_JCOND = 0xe0;
const BPF_LOAD_ACQ = 0x100;
const BPF_STORE_REL = 0x110;

const ALU_ASSIGN_OPS: Record<string, { op: number; signed?: boolean }> = {
  '+=': { op: bpf.BPF_ADD },
  '-=': { op: bpf.BPF_SUB },
  '*=': { op: bpf.BPF_MUL },
  '/=': { op: bpf.BPF_DIV },
  's/=': { op: bpf.BPF_DIV, signed: true },
  '|=': { op: bpf.BPF_OR },
  '&=': { op: bpf.BPF_AND },
  '<<=': { op: bpf.BPF_LSH },
  '>>=': { op: bpf.BPF_RSH },
  's>>=': { op: bpf.BPF_ARSH },
  '%=': { op: bpf.BPF_MOD },
  's%=': { op: bpf.BPF_MOD, signed: true },
  '^=': { op: bpf.BPF_XOR },
};

const JUMP_CONDITIONS: Record<string, number> = {
  '==': bpf.BPF_JEQ,
  '!=': bpf.BPF_JNE,
  '>': bpf.BPF_JGT,
  '>=': bpf.BPF_JGE,
  '<': bpf.BPF_JLT,
  '<=': bpf.BPF_JLE,
  's>': bpf.BPF_JSGT,
  's>=': bpf.BPF_JSGE,
  's<': bpf.BPF_JSLT,
  's<=': bpf.BPF_JSLE,
  '&': bpf.BPF_JSET,
};

const LOCK_OPS: Record<string, number> = {
  '+=': bpf.BPF_ADD,
  '&=': bpf.BPF_AND,
  '|=': bpf.BPF_OR,
  '^=': bpf.BPF_XOR,
};

const FETCH_OPS: Record<string, number> = {
  atomic_fetch_add: bpf.BPF_ADD | bpf.BPF_FETCH,
  atomic_fetch_and: bpf.BPF_AND | bpf.BPF_FETCH,
  atomic_fetch_or: bpf.BPF_OR | bpf.BPF_FETCH,
  atomic_fetch_xor: bpf.BPF_XOR | bpf.BPF_FETCH,
};

const SIZES: Record<string, { size: number; bytes: number; signed: boolean }> = {
  u8: { size: bpf.BPF_B, bytes: 1, signed: false },
  u16: { size: bpf.BPF_H, bytes: 2, signed: false },
  u32: { size: bpf.BPF_W, bytes: 4, signed: false },
  u64: { size: bpf.BPF_DW, bytes: 8, signed: false },
  s8: { size: bpf.BPF_B, bytes: 1, signed: true },
  s16: { size: bpf.BPF_H, bytes: 2, signed: true },
  s32: { size: bpf.BPF_W, bytes: 4, signed: true },
};

const BYTE_SWAPS: Record<string, { code: number; bits: number }> = {
  be16: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_BE, bits: 16 },
  be32: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_BE, bits: 32 },
  be64: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_BE, bits: 64 },
  le16: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_LE, bits: 16 },
  le32: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_LE, bits: 32 },
  le64: { code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_LE, bits: 64 },
  bswap16: { code: bpf.BPF_ALU64 | bpf.BPF_END | bpf.BPF_TO_LE, bits: 16 },
  bswap32: { code: bpf.BPF_ALU64 | bpf.BPF_END | bpf.BPF_TO_LE, bits: 32 },
  bswap64: { code: bpf.BPF_ALU64 | bpf.BPF_END | bpf.BPF_TO_LE, bits: 64 },
};

const SIGN_EXTEND_MOVES: Record<string, number> = { s8: 8, s16: 16, s32: 32 };

const INT32_MIN = -(2n ** 31n);
const UINT32_MAX = 2n ** 32n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Encodes one statement; throws StatementError (with a column) when it is not a BPF instruction. */
export function parseInstruction(tokens: Token[], endColumn: number): ParsedInstruction {
  const c = new Cursor(tokens, endColumn);
  const first = c.peek();
  let parsed: ParsedInstruction;
  if (first?.kind === 'reg') parsed = parseRegisterStatement(c);
  else if (first?.kind === 'op' && first.text === '*') parsed = parseStore(c);
  else if (first?.kind === 'ident') parsed = parseKeywordStatement(c, first.text);
  else return c.fail('an instruction');
  c.expectEnd();
  return parsed;
}

function parseKeywordStatement(c: Cursor, keyword: string): ParsedInstruction {
  switch (keyword) {
    case 'exit':
      c.next();
      return one(bpf.BPF_EXIT_INSN, 0, 0, 0, 0);
    case 'call': {
      c.next();
      const target = c.peek();
      if (target?.kind === 'ident') {
        c.next();
        return {
          slots: [insn(bpf.BPF_CALL_INSN, 0, bpf.BPF_PSEUDO_CALL, 0, -1)],
          fixup: { kind: 'call', symbol: target.text, addend: 0, column: target.column },
        };
      }
      const imm = c.signedNumber('a helper number or a function name');
      return one(bpf.BPF_CALL_INSN, 0, 0, 0, toImm32(imm, target!.column));
    }
    case 'callx': {
      c.next();
      // LLVM 14 encodes the register in imm (and llvm-objdump-14 prints it from there); later LLVMs and the
      // conformance suite use dst. The kernel accepts neither.
      const reg = c.expectReg(true);
      return one(bpf.BPF_JMP | bpf.BPF_CALL | bpf.BPF_X, 0, 0, 0, reg.index);
    }
    case 'goto':
      c.next();
      return jump(c, bpf.BPF_JMP | bpf.BPF_JA, 0, 0, 0, 'jump16');
    case 'may_goto':
      c.next();
      return jump(c, bpf.BPF_JMP | BPF_JCOND, 0, 0, 0, 'jump16');
    case 'gotol':
      c.next();
      return jump(c, bpf.BPF_JMP32 | bpf.BPF_JA, 0, 0, 0, 'jump32');
    case 'if':
      c.next();
      return parseConditionalJump(c);
    case 'lock':
      c.next();
      return parseLock(c);
    case 'store_release':
      c.next();
      return parseStoreRelease(c);
    case 'ld_pseudo': {
      c.next();
      const dst = c.expectReg(true);
      c.expectOp(',');
      const pseudoToken = c.peek();
      const pseudo = c.signedNumber('a pseudo source number');
      if (pseudo < 0n || pseudo > 15n) c.failAt('pseudo source must be 0..15', pseudoToken);
      c.expectOp(',');
      // llvm-objdump-14 prints the first slot's imm (as unsigned 32 bits) and leaves out the second slot's;
      // a value beyond 32 bits fills both.
      const valueToken = c.peek();
      const value = c.signedNumber('an immediate');
      const fitsFirstSlot = value >= INT32_MIN && value <= UINT32_MAX;
      const bits = fitsFirstSlot ? BigInt.asUintN(32, value) : value;
      return ldImm64(dst.index, Number(pseudo), bits, valueToken!.column);
    }
    default:
      return c.fail('an instruction');
  }
}

function parseRegisterStatement(c: Cursor): ParsedInstruction {
  const dst = c.expectReg(false);
  const operator = c.next();
  if (operator?.kind !== 'op') return c.fail("an assignment operator such as '=' or '+='", operator);
  const alu = ALU_ASSIGN_OPS[operator.text];
  if (alu) {
    const cls = dst.wide ? bpf.BPF_ALU64 : bpf.BPF_ALU;
    const off = alu.signed ? 1 : 0;
    const src = c.peek();
    if (src?.kind === 'reg') {
      c.next();
      sameWidth(c, dst, src);
      return one(cls | alu.op | bpf.BPF_X, dst.index, src.index, off, 0);
    }
    const imm = c.signedNumber('a register or an immediate');
    return one(cls | alu.op | bpf.BPF_K, dst.index, 0, off, toImm32(imm, src!.column));
  }
  if (operator.text !== '=') return c.fail("an assignment operator such as '=' or '+='", operator);
  return parseAssignment(c, dst);
}

function parseAssignment(c: Cursor, dst: RegToken): ParsedInstruction {
  const cls = dst.wide ? bpf.BPF_ALU64 : bpf.BPF_ALU;
  const rhs = c.peek();
  if (!rhs) return c.fail('a register, an immediate, a load or an operation');
  if (rhs.kind === 'reg') {
    c.next();
    sameWidth(c, dst, rhs);
    return one(cls | bpf.BPF_MOV | bpf.BPF_X, dst.index, rhs.index, 0, 0);
  }
  if (rhs.kind === 'op' && rhs.text === '-' && c.peek(1)?.kind === 'reg') {
    c.next();
    const src = c.expectReg(false);
    if (src.text !== dst.text) c.failAt('operand is not the same as the dst register', src);
    return one(cls | bpf.BPF_NEG, dst.index, 0, 0, 0);
  }
  if (rhs.kind === 'num' || (rhs.kind === 'op' && (rhs.text === '-' || rhs.text === '+'))) {
    const value = c.signedNumber('an immediate');
    if (c.acceptIdent('ll')) {
      if (!dst.wide) c.failAt('a 64-bit immediate needs a 64-bit register', dst);
      return ldImm64(dst.index, 0, value, rhs.column);
    }
    return one(cls | bpf.BPF_MOV | bpf.BPF_K, dst.index, 0, 0, toImm32(value, rhs.column));
  }
  if (rhs.kind === 'op' && rhs.text === '*') return parseLoad(c, dst);
  if (rhs.kind === 'op' && rhs.text === '(') {
    // Sign-extending move: r1 = (s8)r2.
    c.next();
    const kind = c.expectIdentOf(Object.keys(SIGN_EXTEND_MOVES), 's8, s16 or s32');
    c.expectOp(')');
    const src = c.expectReg(false);
    sameWidth(c, dst, src);
    if (!dst.wide && kind.text === 's32') c.failAt('(s32) needs 64-bit registers', kind);
    return one(cls | bpf.BPF_MOV | bpf.BPF_X, dst.index, src.index, SIGN_EXTEND_MOVES[kind.text], 0);
  }
  if (rhs.kind !== 'ident') return c.fail('a register, an immediate, a load or an operation', rhs);
  const swap = BYTE_SWAPS[rhs.text];
  if (swap) {
    c.next();
    if (!dst.wide) c.failAt('byte swaps operate on 64-bit registers', dst);
    const src = c.expectReg(true);
    if (src.text !== dst.text) c.failAt('operand is not the same as the dst register', src);
    return one(swap.code, dst.index, 0, 0, swap.bits);
  }
  const fetchOp = FETCH_OPS[rhs.text];
  if (fetchOp !== undefined) {
    c.next();
    c.expectOp('(');
    const size = parseSizeCast(c);
    const mem = parseMemory(c);
    c.expectOp(',');
    const src = c.expectReg(false);
    c.expectOp(')');
    if (src.text !== dst.text) c.failAt('operand is not the same as the dst register', src);
    return atomic(c, size, mem, src, fetchOp);
  }
  if (rhs.text === 'xchg_64' || rhs.text === 'xchg32_32') {
    c.next();
    const wide = rhs.text === 'xchg_64';
    c.expectOp('(');
    const mem = parseMemoryBody(c);
    c.expectOp(',');
    const src = c.expectReg(false);
    c.expectOp(')');
    if (src.text !== dst.text) c.failAt('operand is not the same as the dst register', src);
    return atomic(c, wide ? SIZES.u64 : SIZES.u32, mem, src, bpf.BPF_XCHG);
  }
  if (rhs.text === 'cmpxchg_64' || rhs.text === 'cmpxchg32_32') {
    c.next();
    const wide = rhs.text === 'cmpxchg_64';
    if (dst.index !== 0) c.failAt('cmpxchg returns its result in r0', dst);
    c.expectOp('(');
    const mem = parseMemoryBody(c);
    c.expectOp(',');
    const expected = c.expectReg(false);
    if (expected.index !== 0) c.failAt('cmpxchg compares with r0', expected);
    c.expectOp(',');
    const src = c.expectReg(false);
    c.expectOp(')');
    return atomic(c, wide ? SIZES.u64 : SIZES.u32, mem, src, bpf.BPF_CMPXCHG);
  }
  if (rhs.text === 'load_acquire') {
    c.next();
    c.expectOp('(');
    const size = parseSizeCast(c);
    const mem = parseMemory(c);
    c.expectOp(')');
    if (size.signed) c.failAt('load_acquire takes an unsigned size', rhs);
    if (size.bytes === 8 && !dst.wide) c.failAt('a 64-bit load needs a 64-bit register', dst);
    return one(bpf.BPF_STX | bpf.BPF_ATOMIC | size.size, dst.index, mem.base, mem.off, BPF_LOAD_ACQ);
  }
  // Anything else is a symbol: r1 = map ll, r1 = .L.str + 8 ll.
  if (/^[rw]\d+$/.test(rhs.text))
    c.failAt(`invalid register '${rhs.text}' (registers are r0..r10 and w0..w10)`, rhs);
  c.next();
  let addend = 0n;
  if (c.acceptOp('+')) addend = c.number('an addend');
  else if (c.acceptOp('-')) addend = -c.number('an addend');
  if (!c.acceptIdent('ll')) return c.fail("'ll' after a symbol (r1 = symbol ll)");
  if (!dst.wide) c.failAt('a 64-bit immediate needs a 64-bit register', dst);
  const loaded = ldImm64(dst.index, 0, 0n, rhs.column);
  return {
    slots: loaded.slots,
    fixup: {
      kind: 'ld64',
      symbol: rhs.text,
      addend: Number(toImm32(addend, rhs.column)),
      column: rhs.column,
    },
  };
}

function parseLoad(c: Cursor, dst: RegToken): ParsedInstruction {
  c.expectOp('*');
  const size = parseSizeCast(c);
  if (c.peek()?.kind === 'ident' && c.peek()?.text === 'skb') {
    // Legacy packet access: r0 = *(u8 *)skb[4] and r0 = *(u16 *)skb[r1].
    c.next();
    if (!dst.wide || dst.index !== 0) c.failAt('packet loads write r0', dst);
    if (size.signed || size.bytes === 8) c.failAt('packet loads take u8, u16 or u32', dst);
    c.expectOp('[');
    const index = c.peek();
    let result: ParsedInstruction;
    if (index?.kind === 'reg') {
      c.next();
      if (!index.wide) c.failAt('expected a 64-bit register', index);
      result = one(bpf.BPF_LD | bpf.BPF_IND | size.size, 0, index.index, 0, 0);
    } else {
      const imm = c.signedNumber('a register or an offset');
      result = one(bpf.BPF_LD | bpf.BPF_ABS | size.size, 0, 0, 0, toImm32(imm, index!.column));
    }
    c.expectOp(']');
    return result;
  }
  const mem = parseMemory(c);
  if (size.bytes === 8 && !dst.wide) c.failAt('a 64-bit load needs a 64-bit register', dst);
  if (size.signed && !dst.wide) c.failAt('sign-extending loads need a 64-bit register', dst);
  const mode = size.signed ? bpf.BPF_MEMSX : bpf.BPF_MEM;
  return one(bpf.BPF_LDX | mode | size.size, dst.index, mem.base, mem.off, 0);
}

function parseStore(c: Cursor): ParsedInstruction {
  c.expectOp('*');
  const size = parseSizeCast(c);
  if (size.signed) c.fail('an unsigned size (u8, u16, u32 or u64)');
  const mem = parseMemory(c);
  c.expectOp('=');
  const src = c.peek();
  if (src?.kind === 'reg') {
    c.next();
    if (size.bytes === 8 && !src.wide) c.failAt('a 64-bit store needs a 64-bit register', src);
    return one(bpf.BPF_STX | bpf.BPF_MEM | size.size, mem.base, src.index, mem.off, 0);
  }
  const imm = c.signedNumber('a register or an immediate');
  return one(bpf.BPF_ST | bpf.BPF_MEM | size.size, mem.base, 0, mem.off, toImm32(imm, src!.column));
}

function parseLock(c: Cursor): ParsedInstruction {
  c.expectOp('*');
  const size = parseSizeCast(c);
  const mem = parseMemory(c);
  const operator = c.next();
  const op = operator?.kind === 'op' ? LOCK_OPS[operator.text] : undefined;
  if (op === undefined) return c.fail("'+=', '&=', '|=' or '^='", operator);
  const src = c.expectReg(false);
  return atomic(c, size, mem, src, op);
}

function parseStoreRelease(c: Cursor): ParsedInstruction {
  c.expectOp('(');
  const size = parseSizeCast(c);
  if (size.signed) c.fail('an unsigned size');
  const mem = parseMemory(c);
  c.expectOp(',');
  const src = c.expectReg(false);
  c.expectOp(')');
  if (size.bytes === 8 && !src.wide) c.failAt('a 64-bit store needs a 64-bit register', src);
  return one(bpf.BPF_STX | bpf.BPF_ATOMIC | size.size, mem.base, src.index, mem.off, BPF_STORE_REL);
}

function atomic(
  c: Cursor,
  size: { size: number; bytes: number; signed: boolean },
  mem: { base: number; off: number },
  src: RegToken,
  imm: number,
): ParsedInstruction {
  if (size.signed || (size.bytes !== 4 && size.bytes !== 8)) c.fail('an atomic size of u32 or u64');
  if (size.bytes === 8 && !src.wide) c.failAt('a 64-bit atomic needs a 64-bit register', src);
  return one(bpf.BPF_STX | bpf.BPF_ATOMIC | size.size, mem.base, src.index, mem.off, imm);
}

function parseConditionalJump(c: Cursor): ParsedInstruction {
  const left = c.expectReg(false);
  const condition = c.next();
  const op = condition?.kind === 'op' ? JUMP_CONDITIONS[condition.text] : undefined;
  if (op === undefined) return c.fail('a comparison such as ==, !=, >, s<= or &', condition);
  const cls = left.wide ? bpf.BPF_JMP : bpf.BPF_JMP32;
  const right = c.peek();
  let code: number;
  let src = 0;
  let imm = 0;
  if (right?.kind === 'reg') {
    c.next();
    sameWidth(c, left, right);
    code = cls | op | bpf.BPF_X;
    src = right.index;
  } else {
    code = cls | op | bpf.BPF_K;
    imm = toImm32(c.signedNumber('a register or an immediate'), right!.column);
  }
  c.expectIdent('goto');
  return jump(c, code, left.index, src, imm, 'jump16');
}

/** The target of goto/if/gotol: `+3`, `-1`, `3` or a label. */
function jump(c: Cursor, code: number, dst: number, src: number, imm: number, kind: 'jump16' | 'jump32') {
  const target = c.peek();
  if (target?.kind === 'ident') {
    c.next();
    return {
      slots: [insn(code, dst, src, 0, imm)],
      fixup: { kind, symbol: target.text, addend: 0, column: target.column } satisfies Fixup,
    };
  }
  const offset = c.signedNumber('a label or a relative offset such as +3');
  if (kind === 'jump32') return one(code, dst, src, 0, toImm32(offset, target!.column, true));
  return one(code, dst, src, toOff16(offset, target!.column), imm);
}

function parseSizeCast(c: Cursor) {
  c.expectOp('(');
  const name = c.expectIdentOf(Object.keys(SIZES), 'a size (u8, u16, u32, u64, s8, s16 or s32)');
  c.expectOp('*');
  c.expectOp(')');
  return SIZES[name.text];
}

/** `(r1 + 8)`, `(r10 - 8)`, `(r1)`. */
function parseMemory(c: Cursor): { base: number; off: number } {
  c.expectOp('(');
  const mem = parseMemoryBody(c);
  c.expectOp(')');
  return mem;
}

function parseMemoryBody(c: Cursor): { base: number; off: number } {
  const base = c.expectReg(true);
  const signToken = c.peek();
  if (signToken?.kind === 'op' && (signToken.text === '+' || signToken.text === '-')) {
    c.next();
    const numberToken = c.peek();
    let value = c.signedNumber('an offset');
    if (signToken.text === '-') value = -value;
    return { base: base.index, off: toOff16(value, numberToken!.column) };
  }
  return { base: base.index, off: 0 };
}

function ldImm64(dst: number, src: number, value: bigint, column: number): ParsedInstruction {
  if (value < INT64_MIN || value > UINT64_MAX) {
    throw new StatementError(`immediate ${value} does not fit in 64 bits`, column);
  }
  const bits = BigInt.asUintN(64, value);
  const lo = Number(BigInt.asIntN(32, bits));
  const hi = Number(BigInt.asIntN(32, bits >> 32n));
  return { slots: [insn(bpf.BPF_LD_IMM64, dst, src, 0, lo), insn(0, 0, 0, 0, hi)] };
}

function one(code: number, dst: number, src: number, off: number, imm: number): ParsedInstruction {
  return { slots: [insn(code, dst, src, off, imm)] };
}

function sameWidth(c: Cursor, a: RegToken, b: RegToken) {
  if (a.wide !== b.wide) {
    c.failAt(`expected ${a.wide ? 'r' : 'w'}${b.index}: both operands must have the same width`, b);
  }
}

/** 32-bit immediates: any value that fits as signed or unsigned 32 bits (llvm-mc would silently truncate). */
export function toImm32(value: bigint, column: number, signedOnly = false): number {
  if (value < INT32_MIN || value > (signedOnly ? 2n ** 31n - 1n : UINT32_MAX)) {
    throw new StatementError(`immediate ${value} does not fit in 32 bits`, column);
  }
  return Number(BigInt.asIntN(32, value));
}

export function toOff16(value: bigint, column: number): number {
  if (value < -32768n || value > 32767n) {
    throw new StatementError(`offset ${value} does not fit in 16 bits (-32768..32767)`, column);
  }
  return Number(value);
}

class Cursor {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly endColumn: number,
  ) {}

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.position + ahead];
  }

  next(): Token | undefined {
    return this.tokens[this.position++];
  }

  fail(expected: string, token: Token | undefined = this.peek()): never {
    const found = token ? `, found '${token.text}'` : ' at end of line';
    throw new StatementError(`expected ${expected}${found}`, token?.column ?? this.endColumn);
  }

  failAt(message: string, token: Token | undefined): never {
    throw new StatementError(message, token?.column ?? this.endColumn);
  }

  expectEnd() {
    const extra = this.peek();
    if (extra) this.failAt(`unexpected '${extra.text}' after the instruction`, extra);
  }

  acceptOp(text: string): boolean {
    const token = this.peek();
    if (token?.kind === 'op' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  expectOp(text: string) {
    if (!this.acceptOp(text)) this.fail(`'${text}'`);
  }

  acceptIdent(text: string): boolean {
    const token = this.peek();
    if (token?.kind === 'ident' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  expectIdent(text: string) {
    if (!this.acceptIdent(text)) this.fail(`'${text}'`);
  }

  expectIdentOf(options: string[], description: string): Token {
    const token = this.peek();
    if (token?.kind === 'ident' && options.includes(token.text)) {
      this.position++;
      return token;
    }
    return this.fail(description);
  }

  /** A register; `wideOnly` refuses w registers (addresses and 64-bit-only forms). */
  expectReg(wideOnly: boolean): RegToken {
    const token = this.peek();
    if (token?.kind === 'reg') {
      if (wideOnly && !token.wide) this.failAt(`expected a 64-bit register, found '${token.text}'`, token);
      this.position++;
      return token;
    }
    if (token?.kind === 'ident' && /^[rw]\d+$/.test(token.text)) {
      this.failAt(`invalid register '${token.text}' (registers are r0..r10 and w0..w10)`, token);
    }
    return this.fail(wideOnly ? 'a register r0..r10' : 'a register');
  }

  /** An unsigned number token. */
  number(description: string): bigint {
    const token = this.peek();
    if (token?.kind !== 'num') return this.fail(description);
    this.position++;
    return token.value;
  }

  /** A number with an optional leading `+` or `-`. */
  signedNumber(description: string): bigint {
    if (this.acceptOp('-')) return -this.number(description);
    this.acceptOp('+');
    return this.number(description);
  }
}
