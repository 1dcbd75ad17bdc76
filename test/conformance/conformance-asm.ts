// The eBPF conformance suite's test files: their ubpf-style assembly dialect (`mov %r0, 1`, `ldxw %r0, [%r1+4]`) and
// their `-- asm` / `-- raw` / `-- mem` / `-- result` / `-- error` sections.

import { AsmError } from '../../src/isa/asm-error.js';
import { type Insn, insn } from '../../src/isa/insn.js';
import * as bpf from '../../src/isa/opcodes.js';

export { AsmError } from '../../src/isa/asm-error.js';

export interface ConformanceData {
  /** The `-- asm` section, line for line (comments included). */
  asm?: string;
  /** 1-based line of the file where the `-- asm` text starts, to report errors at the file's lines. */
  asmFirstLine?: number;
  /** The `-- raw` section's instruction slots. */
  raw?: Insn[];
  /** Input memory: r1 points to a copy and r2 holds its length. */
  mem: Uint8Array;
  /** Expected r0 (unsigned 64-bit). */
  result?: bigint;
  /** Expected error text (may be empty: "some error"). */
  error?: string;
}

export interface ConformanceOptions {
  fileName?: string;
  /** Line number in the file of the first line of the text (for `-- asm` sections inside a `.data` file). */
  firstLine?: number;
}

/** Sections the suite's runner ignores: the C source of a test, and a flag for its plugins. */
const IGNORED_SECTIONS = new Set(['c', 'no register offset']);

/** Splits a `.data` file into its sections; AsmError on an unknown section or malformed hex. */
export function parseConformanceData(text: string, fileName = '<data>'): ConformanceData {
  const data: ConformanceData = { mem: new Uint8Array(0) };
  const bodies = new Map<string, { lines: string[]; first: number }>();
  let current: { lines: string[]; first: number } | undefined;
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const header = /^--\s*(.*?)\s*$/.exec(line);
    if (header) {
      const name = header[1];
      if (!['asm', 'raw', 'mem', 'result', 'error'].includes(name) && !IGNORED_SECTIONS.has(name)) {
        throw new AsmError(`unknown section '-- ${name}'`, fileName, index + 1, 1);
      }
      if (bodies.has(name)) throw new AsmError(`section '-- ${name}' appears twice`, fileName, index + 1, 1);
      current = { lines: [], first: index + 2 };
      bodies.set(name, current);
      return;
    }
    if (current) current.lines.push(line);
  });
  const hexWords = (name: string) => {
    const body = bodies.get(name)!;
    const words: { word: string; line: number; column: number }[] = [];
    body.lines.forEach((line, i) => {
      const code = line.replace(/#.*/, '');
      for (const match of code.matchAll(/\S+/g)) {
        words.push({ word: match[0], line: body.first + i, column: (match.index ?? 0) + 1 });
      }
    });
    return words;
  };
  const asm = bodies.get('asm');
  if (asm) {
    data.asm = asm.lines.join('\n');
    data.asmFirstLine = asm.first;
  }
  if (bodies.has('raw')) data.raw = parseRaw(hexWords('raw'), fileName);
  if (bodies.has('mem')) {
    data.mem = Uint8Array.from(
      hexWords('mem').map(({ word, line, column }) => {
        if (!/^(0x)?[0-9a-fA-F]{1,2}$/.test(word))
          throw new AsmError(`expected a hex byte, found '${word}'`, fileName, line, column);
        return Number.parseInt(word.replace(/^0x/, ''), 16);
      }),
    );
  }
  if (bodies.has('result')) {
    const words = hexWords('result');
    if (words.length !== 1) {
      throw new AsmError('expected one result value', fileName, bodies.get('result')!.first, 0);
    }
    const { word, line, column } = words[0];
    const value = parseUnsigned(word);
    if (value === undefined || value > 2n ** 64n - 1n) {
      throw new AsmError(`expected a 64-bit result, found '${word}'`, fileName, line, column);
    }
    data.result = value;
  }
  if (bodies.has('error')) data.error = bodies.get('error')!.lines.join('\n').trim();
  return data;
}

/** Raw instructions: 64-bit words (`0x5566778800000018`, opcode in the low byte) or 8 hex bytes per slot. */
function parseRaw(words: { word: string; line: number; column: number }[], fileName: string): Insn[] {
  const bytes: number[] = [];
  for (const { word, line, column } of words) {
    if (/^0x[0-9a-fA-F]{1,16}$/.test(word)) {
      if (bytes.length % 8 !== 0)
        throw new AsmError('64-bit word in the middle of an instruction', fileName, line, column);
      let value = BigInt(word);
      for (let i = 0; i < 8; i++) {
        bytes.push(Number(value & 0xffn));
        value >>= 8n;
      }
    } else if (/^[0-9a-fA-F]{2}$/.test(word)) {
      bytes.push(Number.parseInt(word, 16));
    } else {
      throw new AsmError(
        `expected a hex byte or 0x-prefixed 64-bit word, found '${word}'`,
        fileName,
        line,
        column,
      );
    }
  }
  if (bytes.length % 8 !== 0) {
    throw new AsmError(
      `raw section has ${bytes.length} bytes, not whole instructions`,
      fileName,
      words.at(-1)!.line,
      0,
    );
  }
  const insns: Insn[] = [];
  const view = new DataView(Uint8Array.from(bytes).buffer);
  for (let at = 0; at < bytes.length; at += 8) {
    insns.push({
      code: view.getUint8(at),
      dst: view.getUint8(at + 1) & 0xf,
      src: view.getUint8(at + 1) >> 4,
      off: view.getInt16(at + 2, true),
      imm: view.getInt32(at + 4, true),
    });
  }
  return insns;
}

export interface ConformanceTest {
  insns: Insn[];
  mem: Uint8Array;
  result?: bigint;
  error?: string;
}

/**
 * Reads a `.data` file into a runnable test: assembles `-- asm`, or takes `-- raw` when the dialect can express
 * every raw instruction exactly (a raw word with a non-zero unused field is refused, as the suite's negative tests
 * require). AsmError for a file without a program and for anything invalid.
 */
export function loadConformanceTest(text: string, fileName = '<data>'): ConformanceTest {
  const data = parseConformanceData(text, fileName);
  let insns: Insn[];
  if (data.asm !== undefined) {
    insns = assembleConformance(data.asm, { fileName, firstLine: data.asmFirstLine });
    if (data.raw) {
      const same = data.raw.length === insns.length && data.raw.every((r, i) => sameInsn(r, insns[i]));
      if (!same) throw new AsmError('the -- raw section does not match the -- asm section', fileName, 0, 0);
    }
  } else if (data.raw) {
    checkRawInsns(data.raw, fileName);
    insns = data.raw;
  } else {
    throw new AsmError('no program: the file has neither an -- asm nor a -- raw section', fileName, 0, 0);
  }
  if (insns.length === 0) throw new AsmError('no instructions in the program', fileName, 0, 0);
  return { insns, mem: data.mem, result: data.result, error: data.error };
}

/** Refuses raw slots the dialect cannot write back exactly (unknown opcodes, non-zero unused fields). */
export function checkRawInsns(insns: readonly Insn[], fileName = '<raw>') {
  for (let i = 0; i < insns.length; i++) {
    const text = formatConformanceInsn(insns[i], insns[i + 1]);
    const slots = insns[i].code === bpf.BPF_LD_IMM64 ? 2 : 1;
    if (text === undefined) {
      throw new AsmError(
        `raw instruction ${i}: unknown opcode 0x${insns[i].code.toString(16).padStart(2, '0')}`,
        fileName,
        0,
        0,
      );
    }
    let encoded: Insn[];
    try {
      encoded = assembleConformance(text, { fileName });
    } catch (error) {
      if (!(error instanceof AsmError)) throw error;
      throw new AsmError(`raw instruction ${i} (${text}): ${error.reason}`, fileName, 0, 0);
    }
    for (let slot = 0; slot < slots; slot++) {
      const given = insns[i + slot];
      const expected = encoded[slot];
      if (!given)
        throw new AsmError(`raw instruction ${i} (${text}) is missing its second slot`, fileName, 0, 0);
      for (const field of ['code', 'dst', 'src', 'off', 'imm'] as const) {
        if (given[field] !== expected[field]) {
          throw new AsmError(
            `raw instruction ${i + slot} (${text}): unused field ${field} is ${given[field]}, must be zero`,
            fileName,
            0,
            0,
          );
        }
      }
    }
    i += slots - 1;
  }
}

function sameInsn(a: Insn, b: Insn): boolean {
  return a.code === b.code && a.dst === b.dst && a.src === b.src && a.off === b.off && a.imm === b.imm;
}

type Form =
  | { kind: 'alu'; code: number; off: number; unary: boolean }
  | { kind: 'movsx'; code: number; off: number }
  | { kind: 'endian'; code: number; bits: number }
  | { kind: 'ldx'; code: number }
  | { kind: 'st'; code: number }
  | { kind: 'stx'; code: number }
  | { kind: 'lddw' }
  | { kind: 'jcond'; code: number }
  | { kind: 'ja'; code: number }
  | { kind: 'call' }
  | { kind: 'exit' };

const ALU_NAMES: [string, number, number][] = [
  ['add', bpf.BPF_ADD, 0],
  ['sub', bpf.BPF_SUB, 0],
  ['mul', bpf.BPF_MUL, 0],
  ['div', bpf.BPF_DIV, 0],
  ['sdiv', bpf.BPF_DIV, 1],
  ['or', bpf.BPF_OR, 0],
  ['and', bpf.BPF_AND, 0],
  ['lsh', bpf.BPF_LSH, 0],
  ['rsh', bpf.BPF_RSH, 0],
  ['neg', bpf.BPF_NEG, 0],
  ['mod', bpf.BPF_MOD, 0],
  ['smod', bpf.BPF_MOD, 1],
  ['xor', bpf.BPF_XOR, 0],
  ['mov', bpf.BPF_MOV, 0],
  ['arsh', bpf.BPF_ARSH, 0],
];

const JUMP_NAMES: [string, number][] = [
  ['jeq', bpf.BPF_JEQ],
  ['jgt', bpf.BPF_JGT],
  ['jge', bpf.BPF_JGE],
  ['jset', bpf.BPF_JSET],
  ['jne', bpf.BPF_JNE],
  ['jsgt', bpf.BPF_JSGT],
  ['jsge', bpf.BPF_JSGE],
  ['jlt', bpf.BPF_JLT],
  ['jle', bpf.BPF_JLE],
  ['jslt', bpf.BPF_JSLT],
  ['jsle', bpf.BPF_JSLE],
];

const SIZE_SUFFIXES: [string, number][] = [
  ['b', bpf.BPF_B],
  ['h', bpf.BPF_H],
  ['w', bpf.BPF_W],
  ['dw', bpf.BPF_DW],
];

/** Every mnemonic of the dialect with what it encodes (the suite's own assembler is the reference). */
const MNEMONICS: ReadonlyMap<string, Form> = (() => {
  const table = new Map<string, Form>();
  for (const [name, op, off] of ALU_NAMES) {
    const unary = op === bpf.BPF_NEG;
    table.set(name, { kind: 'alu', code: bpf.BPF_ALU64 | op, off, unary });
    table.set(`${name}64`, { kind: 'alu', code: bpf.BPF_ALU64 | op, off, unary });
    table.set(`${name}32`, { kind: 'alu', code: bpf.BPF_ALU | op, off, unary });
  }
  for (const bits of [8, 16, 32]) {
    table.set(`movsx${bits}64`, { kind: 'movsx', code: bpf.BPF_ALU64 | bpf.BPF_MOV | bpf.BPF_X, off: bits });
    if (bits < 32)
      table.set(`movsx${bits}32`, { kind: 'movsx', code: bpf.BPF_ALU | bpf.BPF_MOV | bpf.BPF_X, off: bits });
  }
  for (const bits of [16, 32, 64]) {
    table.set(`be${bits}`, { kind: 'endian', code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_BE, bits });
    table.set(`le${bits}`, { kind: 'endian', code: bpf.BPF_ALU | bpf.BPF_END | bpf.BPF_TO_LE, bits });
    const swap: Form = { kind: 'endian', code: bpf.BPF_ALU64 | bpf.BPF_END | bpf.BPF_TO_LE, bits };
    table.set(`bswap${bits}`, swap);
    table.set(`swap${bits}`, swap);
  }
  for (const [suffix, size] of SIZE_SUFFIXES) {
    table.set(`ldx${suffix}`, { kind: 'ldx', code: bpf.BPF_LDX | bpf.BPF_MEM | size });
    if (size !== bpf.BPF_DW)
      table.set(`ldxs${suffix}`, { kind: 'ldx', code: bpf.BPF_LDX | bpf.BPF_MEMSX | size });
    table.set(`st${suffix}`, { kind: 'st', code: bpf.BPF_ST | bpf.BPF_MEM | size });
    table.set(`stx${suffix}`, { kind: 'stx', code: bpf.BPF_STX | bpf.BPF_MEM | size });
  }
  table.set('lddw', { kind: 'lddw' });
  for (const [name, op] of JUMP_NAMES) {
    table.set(name, { kind: 'jcond', code: bpf.BPF_JMP | op });
    table.set(`${name}32`, { kind: 'jcond', code: bpf.BPF_JMP32 | op });
  }
  table.set('ja', { kind: 'ja', code: bpf.BPF_JMP | bpf.BPF_JA });
  table.set('ja32', { kind: 'ja', code: bpf.BPF_JMP32 | bpf.BPF_JA });
  table.set('call', { kind: 'call' });
  table.set('exit', { kind: 'exit' });
  return table;
})();

/** Atomic operations after `lock [fetch]`; the `32` suffix selects the 32-bit width. */
const ATOMIC_OPS: Record<string, { imm: number; fetchOnly: boolean }> = {
  add: { imm: bpf.BPF_ADD, fetchOnly: false },
  and: { imm: bpf.BPF_AND, fetchOnly: false },
  or: { imm: bpf.BPF_OR, fetchOnly: false },
  xor: { imm: bpf.BPF_XOR, fetchOnly: false },
  xchg: { imm: bpf.BPF_XCHG, fetchOnly: true },
  cmpxchg: { imm: bpf.BPF_CMPXCHG, fetchOnly: true },
};

interface Operand {
  text: string;
  column: number;
}

interface PendingJump {
  index: number;
  label: string;
  field: 'off' | 'imm';
  line: number;
  column: number;
}

/** Assembles the dialect; AsmError (in the suite's words where it has them) on anything invalid. */
export function assembleConformance(text: string, options: ConformanceOptions = {}): Insn[] {
  const fileName = options.fileName ?? '<asm>';
  const firstLine = options.firstLine ?? 1;
  const insns: Insn[] = [];
  const labels = new Map<string, number>();
  const jumps: PendingJump[] = [];
  let firstExit: number | undefined;

  for (const [lineIndex, rawLine] of text.split('\n').entries()) {
    const line = firstLine + lineIndex;
    const code = rawLine.replace(/#.*/, '').replace(/\r$/, '');
    // Errors without an operand to point at point at the statement.
    const statementColumn = code.length - code.trimStart().length + 1;
    const fail = (message: string, column = statementColumn): never => {
      throw new AsmError(message, fileName, line, column);
    };
    if (code.trim() === '') continue;
    if (/^\s*--/.test(code)) fail(`unknown section '${code.trim()}'`, code.indexOf('--') + 1);
    const words = splitOperands(code);
    if (words.length === 0) fail('expected a mnemonic');
    const [head, ...operands] = words;
    if (head.text.endsWith(':')) {
      const label = head.text.slice(0, -1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) fail(`Invalid label: ${label}`, head.column);
      if (labels.has(label)) fail(`Duplicate label (${label})`, head.column);
      if (operands.length > 0) fail(`unexpected '${operands[0].text}' after label`, operands[0].column);
      labels.set(label, insns.length);
      continue;
    }
    const mnemonic = head.text;
    const context: EncodeContext = { operands, fail, line, insnIndex: insns.length, jumps };
    if (mnemonic === 'lock') {
      insns.push(encodeLock(context));
      continue;
    }
    const form = MNEMONICS.get(mnemonic);
    if (!form) throw new AsmError(`Invalid mnemonic: ${mnemonic}`, fileName, line, head.column);
    if (form.kind === 'exit') firstExit ??= insns.length;
    insns.push(...encode(mnemonic, form, context));
  }

  for (const jump of jumps) {
    let target = labels.get(jump.label);
    if (target === undefined && jump.label === 'exit') target = firstExit;
    if (target === undefined)
      throw new AsmError(`Invalid label: ${jump.label}`, fileName, jump.line, jump.column);
    const delta = target - (jump.index + 1);
    if (jump.field === 'off' && (delta < -32768 || delta > 32767)) {
      throw new AsmError(`jump to ${jump.label} is out of 16-bit range`, fileName, jump.line, jump.column);
    }
    insns[jump.index] = { ...insns[jump.index], [jump.field]: delta };
  }
  return insns;
}

interface EncodeContext {
  operands: Operand[];
  fail: (message: string, column?: number) => never;
  line: number;
  insnIndex: number;
  jumps: PendingJump[];
}

function encode(mnemonic: string, form: Form, c: EncodeContext): Insn[] {
  const count = (expected: number) => {
    if (c.operands.length !== expected) c.fail(`Invalid number of operands for mnemonic: ${mnemonic}`);
  };
  const ops = c.operands;
  switch (form.kind) {
    case 'alu': {
      if (form.unary) {
        count(1);
        return [insn(form.code | bpf.BPF_K, register(ops[0], c), 0, 0, 0)];
      }
      count(2);
      const dst = register(ops[0], c);
      if (ops[1].text.startsWith('%'))
        return [insn(form.code | bpf.BPF_X, dst, register(ops[1], c), form.off, 0)];
      return [insn(form.code | bpf.BPF_K, dst, 0, form.off, imm32(ops[1], c))];
    }
    case 'movsx':
      count(2);
      return [insn(form.code, register(ops[0], c), register(ops[1], c), form.off, 0)];
    case 'endian':
      count(1);
      return [insn(form.code, register(ops[0], c), 0, 0, form.bits)];
    case 'ldx': {
      count(2);
      const dst = register(ops[0], c);
      const mem = memory(ops[1], c);
      return [insn(form.code, dst, mem.reg, mem.off, 0)];
    }
    case 'st': {
      count(2);
      const mem = memory(ops[0], c);
      return [insn(form.code, mem.reg, 0, mem.off, imm32(ops[1], c))];
    }
    case 'stx': {
      count(2);
      const mem = memory(ops[0], c);
      return [insn(form.code, mem.reg, register(ops[1], c), mem.off, 0)];
    }
    case 'lddw': {
      count(2);
      const dst = register(ops[0], c);
      const value = number(ops[1], c, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n - 1n, '64-bit immediate');
      const bits = BigInt.asUintN(64, value);
      return [
        insn(bpf.BPF_LD_IMM64, dst, 0, 0, Number(BigInt.asIntN(32, bits))),
        insn(0, 0, 0, 0, Number(BigInt.asIntN(32, bits >> 32n))),
      ];
    }
    case 'jcond': {
      count(3);
      const dst = register(ops[0], c);
      const viaRegister = ops[1].text.startsWith('%');
      const src = viaRegister ? register(ops[1], c) : 0;
      const imm = viaRegister ? 0 : imm32(ops[1], c);
      const off = jumpTarget(ops[2], 'off', c);
      return [insn(form.code | (viaRegister ? bpf.BPF_X : bpf.BPF_K), dst, src, off, imm)];
    }
    case 'ja': {
      count(1);
      const field = form.code === (bpf.BPF_JMP | bpf.BPF_JA) ? 'off' : 'imm';
      const target = jumpTarget(ops[0], field, c);
      return [field === 'off' ? insn(form.code, 0, 0, target, 0) : insn(form.code, 0, 0, 0, target)];
    }
    case 'call': {
      // `call 5` and `call helper 5` call helper 5; `call local f` is a pc-relative call; `call %r2` calls a register.
      if (ops.length === 1 && ops[0].text.startsWith('%')) {
        return [insn(bpf.BPF_JMP | bpf.BPF_CALL | bpf.BPF_X, register(ops[0], c), 0, 0, 0)];
      }
      if (ops.length < 1 || ops.length > 2) c.fail('Invalid number of operands for mnemonic: call');
      const [mode, target] = ops.length === 1 ? [{ text: 'helper', column: 0 }, ops[0]] : ops;
      if (mode.text === 'helper') return [insn(bpf.BPF_CALL_INSN, 0, 0, 0, imm32(target, c))];
      if (mode.text === 'runtime')
        return [insn(bpf.BPF_CALL_INSN, 0, bpf.BPF_PSEUDO_KFUNC_CALL, 0, imm32(target, c))];
      if (mode.text === 'local') {
        return [insn(bpf.BPF_CALL_INSN, 0, bpf.BPF_PSEUDO_CALL, 0, jumpTarget(target, 'imm', c))];
      }
      return c.fail('Invalid call mode', mode.column);
    }
    case 'exit':
      count(0);
      return [insn(bpf.BPF_EXIT_INSN, 0, 0, 0, 0)];
  }
}

/** `lock [fetch] op[32] [%rD+off], %rS`. */
function encodeLock(c: EncodeContext): Insn {
  const ops = [...c.operands];
  const fetch = ops[0]?.text === 'fetch';
  if (fetch) ops.shift();
  if (ops.length !== 3) c.fail('Invalid number of operands for lock');
  const name = ops[0].text;
  const wide = !name.endsWith('32');
  const op = ATOMIC_OPS[wide ? name : name.slice(0, -2)];
  if (!op) return c.fail(`Invalid mnemonic: lock ${name}`, ops[0].column);
  const mem = memory(ops[1], c);
  const src = register(ops[2], c);
  const imm = op.imm | (fetch ? bpf.BPF_FETCH : 0);
  return insn(bpf.BPF_STX | bpf.BPF_ATOMIC | (wide ? bpf.BPF_DW : bpf.BPF_W), mem.reg, src, mem.off, imm);
}

function register(operand: Operand, c: EncodeContext): number {
  const match = /^%r(\d+)$/.exec(operand.text);
  if (!match || Number(match[1]) > 10) return c.fail(`Invalid register: ${operand.text}`, operand.column);
  return Number(match[1]);
}

/** `[%r1+4]`, `[%r10-8]`, `[%r1]`, `[%r1+0x10]`. */
function memory(operand: Operand, c: EncodeContext): { reg: number; off: number } {
  const match = /^\[(%?\w+)(?:([+-])(\S+))?\]$/.exec(operand.text);
  if (!match) return c.fail(`Failed to decode register and offset: ${operand.text}`, operand.column);
  const reg = register({ text: match[1], column: operand.column + 1 }, c);
  if (!match[2]) return { reg, off: 0 };
  // Decimal offsets are signed 16-bit; hex ones may also spell the 16-bit pattern (+0xfff8 is -8).
  const magnitude = /^(0x[0-9a-fA-F]+|\d+)$/.test(match[3]) ? BigInt(match[3]) : undefined;
  if (magnitude === undefined) return c.fail(`Invalid offset: ${operand.text}`, operand.column);
  const value = match[2] === '-' ? -magnitude : magnitude;
  const max = match[3].startsWith('0x') && match[2] === '+' ? 0xffffn : 32767n;
  if (value < -32768n || value > max)
    c.fail(`Invalid offset: ${operand.text} is out of 16-bit range`, operand.column);
  return { reg, off: Number(BigInt.asIntN(16, value)) };
}

/** 32-bit immediates: signed decimal, or hex up to 0xffffffff (the bit pattern). */
function imm32(operand: Operand, c: EncodeContext): number {
  const value = number(operand, c, -(2n ** 31n), 2n ** 31n - 1n, 2n ** 32n - 1n, '32-bit immediate');
  return Number(BigInt.asIntN(32, value));
}

/** A decimal or 0x-hex integer with optional sign; decimal and hex have their own upper limits. */
function number(
  operand: Operand,
  c: EncodeContext,
  min: bigint,
  decimalMax: bigint,
  hexMax: bigint,
  what: string,
): bigint {
  const match = /^([+-]?)(0x[0-9a-fA-F]+|\d+)$/.exec(operand.text);
  if (!match) return c.fail(`Invalid ${what}: ${operand.text}`, operand.column);
  const hex = match[2].startsWith('0x');
  const magnitude = BigInt(match[2]);
  const value = match[1] === '-' ? -magnitude : magnitude;
  if (value < min || value > (hex ? hexMax : decimalMax)) {
    c.fail(`Invalid ${what}: ${operand.text} is out of range`, operand.column);
  }
  return value;
}

/** `+3`, `-1` or a label (resolved after the last line). */
function jumpTarget(operand: Operand, field: 'off' | 'imm', c: EncodeContext): number {
  if (/^[+-]/.test(operand.text)) {
    const bits = field === 'off' ? 15n : 31n;
    return Number(number(operand, c, -(2n ** bits), 2n ** bits - 1n, 2n ** bits - 1n, 'jump offset'));
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(operand.text))
    return c.fail(`Invalid label: ${operand.text}`, operand.column);
  c.jumps.push({ index: c.insnIndex, label: operand.text, field, line: c.line, column: operand.column });
  return 0;
}

/** Splits `mnemonic op1, op2` on spaces and commas, keeping `[...]` together (spaces inside removed). */
function splitOperands(code: string): Operand[] {
  const out: Operand[] = [];
  let i = 0;
  while (i < code.length) {
    if (/[\s,]/.test(code[i])) {
      i++;
      continue;
    }
    const start = i;
    let text = '';
    if (code[i] === '[') {
      while (i < code.length && code[i] !== ']') {
        if (!/\s/.test(code[i])) text += code[i];
        i++;
      }
      if (i < code.length) text += code[i++];
    } else {
      while (i < code.length && !/[\s,]/.test(code[i])) text += code[i++];
    }
    out.push({ text, column: start + 1 });
  }
  return out;
}

/**
 * Writes one instruction in the dialect (LD_IMM64 takes `next`, its second slot), or undefined when the dialect
 * has no form for it. Jumps and local calls are written as relative offsets.
 */
export function formatConformanceInsn(ins: Insn, next?: Insn): string | undefined {
  const cls = ins.code & 0x07;
  const r = (n: number) => `%r${n}`;
  const signed = (n: number) => (n < 0 ? `${n}` : `+${n}`);
  const mem = (reg: number, off: number) => `[${r(reg)}${off < 0 ? `-${-off}` : `+${off}`}]`;
  const hex32 = (n: number) => `0x${(n >>> 0).toString(16)}`;
  if (cls === bpf.BPF_ALU || cls === bpf.BPF_ALU64) {
    const op = ins.code & 0xf0;
    const width = cls === bpf.BPF_ALU ? '32' : '';
    if (op === bpf.BPF_END) {
      if (cls === bpf.BPF_ALU64)
        return (ins.code & bpf.BPF_X) === 0 ? `bswap${ins.imm} ${r(ins.dst)}` : undefined;
      return `${(ins.code & bpf.BPF_X) === 0 ? 'le' : 'be'}${ins.imm} ${r(ins.dst)}`;
    }
    if (op === bpf.BPF_MOV && [8, 16, 32].includes(ins.off) && (ins.code & bpf.BPF_X) !== 0) {
      return `movsx${ins.off}${cls === bpf.BPF_ALU ? '32' : '64'} ${r(ins.dst)}, ${r(ins.src)}`;
    }
    const signedOp = (op === bpf.BPF_DIV || op === bpf.BPF_MOD) && ins.off === 1;
    const entry = ALU_NAMES.find(([, value, off]) => value === op && off === (signedOp ? 1 : 0));
    if (!entry) return undefined;
    if (op === bpf.BPF_NEG) return `${entry[0]}${width} ${r(ins.dst)}`;
    const source = (ins.code & bpf.BPF_X) !== 0 ? r(ins.src) : `${ins.imm}`;
    return `${entry[0]}${width} ${r(ins.dst)}, ${source}`;
  }
  const sizeName = SIZE_SUFFIXES.find(([, size]) => size === (ins.code & 0x18))![0];
  const mode = ins.code & 0xe0;
  if (cls === bpf.BPF_LDX && (mode === bpf.BPF_MEM || mode === bpf.BPF_MEMSX)) {
    return `ldx${mode === bpf.BPF_MEMSX ? 's' : ''}${sizeName} ${r(ins.dst)}, ${mem(ins.src, ins.off)}`;
  }
  if (cls === bpf.BPF_ST && mode === bpf.BPF_MEM) return `st${sizeName} ${mem(ins.dst, ins.off)}, ${ins.imm}`;
  if (cls === bpf.BPF_STX && mode === bpf.BPF_MEM)
    return `stx${sizeName} ${mem(ins.dst, ins.off)}, ${r(ins.src)}`;
  if (cls === bpf.BPF_STX && mode === bpf.BPF_ATOMIC && (sizeName === 'w' || sizeName === 'dw')) {
    const fetch = (ins.imm & bpf.BPF_FETCH) !== 0;
    const name = Object.entries(ATOMIC_OPS).find(
      ([, op]) => op.imm === ins.imm || (!op.fetchOnly && (op.imm | bpf.BPF_FETCH) === ins.imm),
    );
    if (!name) return undefined;
    const prefix = fetch && !name[1].fetchOnly ? 'fetch ' : '';
    return `lock ${prefix}${name[0]}${sizeName === 'w' ? '32' : ''} ${mem(ins.dst, ins.off)}, ${r(ins.src)}`;
  }
  if (ins.code === bpf.BPF_LD_IMM64) {
    if (!next) return undefined;
    const value = (BigInt(next.imm >>> 0) << 32n) | BigInt(ins.imm >>> 0);
    return `lddw ${r(ins.dst)}, 0x${value.toString(16)}`;
  }
  if (cls === bpf.BPF_JMP || cls === bpf.BPF_JMP32) {
    const op = ins.code & 0xf0;
    const width = cls === bpf.BPF_JMP32 ? '32' : '';
    if (op === bpf.BPF_JA && (ins.code & bpf.BPF_X) === 0) {
      return cls === bpf.BPF_JMP ? `ja ${signed(ins.off)}` : `ja32 ${signed(ins.imm)}`;
    }
    if (cls === bpf.BPF_JMP && op === bpf.BPF_EXIT && (ins.code & bpf.BPF_X) === 0) return 'exit';
    if (cls === bpf.BPF_JMP && op === bpf.BPF_CALL) {
      if ((ins.code & bpf.BPF_X) !== 0) return `call ${r(ins.dst)}`;
      if (ins.src === bpf.BPF_PSEUDO_CALL) return `call local ${signed(ins.imm)}`;
      if (ins.src === bpf.BPF_PSEUDO_KFUNC_CALL) return `call runtime ${ins.imm}`;
      return `call ${ins.imm}`;
    }
    const entry = JUMP_NAMES.find(([, value]) => value === op);
    if (!entry) return undefined;
    const source = (ins.code & bpf.BPF_X) !== 0 ? r(ins.src) : hex32(ins.imm);
    return `${entry[0]}${width} ${r(ins.dst)}, ${source}, ${signed(ins.off)}`;
  }
  return undefined;
}

/** `0x`-hex or decimal, unsigned. */
function parseUnsigned(word: string): bigint | undefined {
  if (/^0x[0-9a-fA-F]+$/.test(word) || /^\d+$/.test(word)) return BigInt(word);
  return undefined;
}
