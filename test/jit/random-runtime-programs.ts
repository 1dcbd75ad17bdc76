// Random multi-function xdp programs for the interpreter-versus-JIT differential test: ALU of both widths with
// every operator (division by zero and INT_MIN / -1 included), byte swaps, sign extension, 64-bit constants,
// forward branches, bounded loops (some entered in the middle: irreducible), local calls with pointer arguments,
// helper calls, loads, stores and atomics on the stack, a map value and the packet, and now and then an access
// out of bounds, a recursion without end, a jump out of the program or a function running on into the next.

import { type CondJumpInsn, type DecodedInsn, encodeInsn } from '../../src/isa/decoded.js';
import type { Insn } from '../../src/isa/insn.js';
import { seededRandom } from '../seeded-random.js';

/** The map fd the programs' LD_IMM64 (src 1) refers to: an array of 4 values of VALUE_SIZE bytes. */
export const MAP_FD = 1;
export const VALUE_SIZE = 64;
export const PACKET_SIZE = 64;

/** A small deterministic generator (mulberry32). */
export class Random {
  private readonly draw: () => number;
  constructor(seed: number) {
    this.draw = seededRandom(seed);
  }
  next(): number {
    return this.draw();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const SPECIAL_IMMS = [0, 1, -1, 2, 7, 31, 32, 63, 64, 0x7fffffff, -0x80000000, 0xff, 0xffff, -2];
const ALU_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'sdiv',
  'mod',
  'smod',
  'or',
  'and',
  'xor',
  'lsh',
  'rsh',
  'arsh',
  'mov',
] as const;
const JUMP_OPS = ['jeq', 'jne', 'jgt', 'jge', 'jlt', 'jle', 'jset', 'jsgt', 'jsge', 'jslt', 'jsle'] as const;
const ATOMIC_OPS = ['add', 'or', 'and', 'xor', 'xchg', 'cmpxchg'] as const;
/** Scratch registers random instructions write; r6, r7, r9 hold pointers, r8 counts loops. */
const SCRATCH = [0, 1, 2, 3, 4, 5];
const BPF_FUNC_MAP_LOOKUP_ELEM = 1;
const BPF_FUNC_GET_PRANDOM_U32 = 7;
const BPF_FUNC_GET_SMP_PROCESSOR_ID = 8;

type JumpWithoutOffset = Omit<CondJumpInsn, 'offset'>;

/** A piece of a function: instructions, or a jump to another piece resolved once the layout is known. */
type Piece =
  | { readonly insns: DecodedInsn[] }
  | { readonly jump: JumpWithoutOffset; readonly to: number | 'out' }
  | { readonly call: number };

export interface GeneratedProgram {
  readonly insns: Insn[];
  readonly stackDepths: number[];
}

const imm = (value: number) => ({ kind: 'imm', imm: value | 0 }) as const;
const reg = (value: number) => ({ kind: 'reg', reg: value }) as const;
const mov64 = (dst: number, value: number): DecodedInsn => ({
  kind: 'alu',
  width: 64,
  op: 'mov',
  dst,
  source: imm(value),
});
const movReg = (dst: number, src: number): DecodedInsn => ({
  kind: 'alu',
  width: 64,
  op: 'mov',
  dst,
  source: reg(src),
});
const add64 = (dst: number, value: number): DecodedInsn => ({
  kind: 'alu',
  width: 64,
  op: 'add',
  dst,
  source: imm(value),
});
const helper = (id: number): DecodedInsn => ({ kind: 'call', target: 'helper', imm: id, off: 0 });
const ldImm64 = (dst: number, value: bigint, src: 0 | 1 = 0): DecodedInsn => {
  const v = BigInt.asIntN(64, value);
  return {
    kind: 'ld_imm64',
    dst,
    src,
    imm64: v,
    lo: Number(BigInt.asIntN(32, v)),
    hi: Number(BigInt.asIntN(32, v >> 32n)),
  };
};

class FunctionBuilder {
  readonly pieces: Piece[] = [];
  constructor(
    private readonly r: Random,
    readonly index: number,
    readonly functionCount: number,
    readonly frameSize: number,
  ) {}

  add(...insns: DecodedInsn[]): void {
    this.pieces.push({ insns });
  }

  private value(): number {
    return this.r.chance(0.5) ? this.r.pick(SPECIAL_IMMS) : this.r.int(0x1_0000_0000) | 0;
  }

  /** Fresh values in r1-r5 (a call leaves them unknown) and in the registers a function starts without. */
  initScratch(registers: readonly number[]): void {
    for (const register of registers) {
      if (this.r.chance(0.2))
        this.add(ldImm64(register, BigInt(this.value()) * 0x1_0000_0001n + BigInt(this.r.int(1000))));
      else this.add(mov64(register, this.value()));
    }
  }

  private alu(): void {
    const r = this.r;
    const dst = r.pick(SCRATCH);
    const width = r.chance(0.5) ? 64 : 32;
    const roll = r.int(20);
    if (roll === 0) this.add({ kind: 'alu', width, op: 'neg', dst });
    else if (roll === 1) {
      const bits = width === 64 ? r.pick([8, 16, 32] as const) : r.pick([8, 16] as const);
      this.add({ kind: 'alu', width, op: 'movsx', dst, source: reg(r.pick(SCRATCH)), signExtendBits: bits });
    } else if (roll === 2) {
      const to = r.pick(['le', 'be', 'swap'] as const);
      this.add({
        kind: 'endian',
        width: to === 'swap' ? 64 : 32,
        to,
        dst,
        bits: r.pick([16, 32, 64] as const),
      });
    } else if (roll === 3) {
      this.add(ldImm64(dst, BigInt.asIntN(64, (BigInt(this.value()) << 32n) | BigInt(this.value() >>> 0))));
    } else {
      const op = r.pick(ALU_OPS);
      const source = r.chance(0.5) ? reg(r.pick(SCRATCH)) : imm(this.value());
      this.add({ kind: 'alu', width, op, dst, source });
    }
  }

  /** A base register with the bytes it may touch: [low, high) relative to it. */
  private pointer(): { base: number; low: number; high: number } {
    const r = this.r;
    const roll = r.int(3);
    if (roll === 0) return { base: 10, low: -this.frameSize, high: 0 };
    if (roll === 1) return { base: this.index === 0 ? 7 : 6, low: 0, high: VALUE_SIZE };
    return { base: 9, low: 0, high: PACKET_SIZE };
  }

  private offset(size: number, low: number, high: number): number {
    const r = this.r;
    if (r.chance(0.015)) return r.pick([high, high + 8, low - 8, 4096, -4096, 20000]);
    if (high - low < size) return low;
    return low + r.int(high - low - size + 1);
  }

  private memory(): void {
    const r = this.r;
    const { base, low, high } = this.pointer();
    const size = r.pick([1, 2, 4, 8] as const);
    const off = this.offset(size, low, high);
    const roll = r.int(10);
    if (roll < 4) {
      const signed = size !== 8 && r.chance(0.3);
      this.add({ kind: 'load', size, signed, dst: r.pick(SCRATCH), src: base, off });
    } else if (roll < 8) {
      const source = r.chance(0.6) ? reg(r.pick(SCRATCH)) : imm(this.value());
      this.add({ kind: 'store', size, dst: base, source, off });
    } else {
      const op = r.pick(ATOMIC_OPS);
      const wide = r.chance(0.5) ? 8 : 4;
      const fetch = op === 'xchg' || op === 'cmpxchg' || r.chance(0.5);
      this.add({
        kind: 'atomic',
        size: wide,
        op,
        fetch,
        dst: base,
        src: r.pick([1, 2, 3, 4, 5]),
        off: this.offset(wide, low, high),
      });
    }
  }

  private condition(): JumpWithoutOffset {
    const r = this.r;
    const source = r.chance(0.5) ? reg(r.pick(SCRATCH)) : imm(this.value());
    return {
      kind: 'jump',
      width: r.chance(0.5) ? 64 : 32,
      op: r.pick(JUMP_OPS),
      dst: r.pick(SCRATCH),
      source,
    };
  }

  /** Random straight-line pieces, with forward branches inside them. */
  private straight(count: number, calls: boolean): void {
    const r = this.r;
    const pending: number[] = [];
    for (let i = 0; i < count; i++) {
      const roll = r.int(100);
      if (roll < 50) this.alu();
      else if (roll < 80) this.memory();
      else if (roll < 88) {
        pending.push(this.pieces.length);
        this.pieces.push({ jump: this.condition(), to: -1 });
      } else if (roll < 93 && calls) this.call();
      else if (roll < 96 && calls) {
        this.add(helper(r.pick([BPF_FUNC_GET_PRANDOM_U32, BPF_FUNC_GET_SMP_PROCESSOR_ID])));
        this.initScratch([1, 2, 3, 4, 5]);
      } else if (roll === 96 && r.chance(0.3)) {
        // A jump out of the program: a fault when taken.
        this.pieces.push({ jump: this.condition(), to: 'out' });
      } else this.alu();
    }
    // Forward branches land on a later piece of this run (or just after it).
    const end = this.pieces.length;
    for (const at of pending) {
      const piece = this.pieces[at] as Extract<Piece, { jump: unknown }>;
      this.pieces[at] = { jump: piece.jump, to: at + 1 + r.int(Math.max(1, end - at)) };
    }
  }

  private call(): void {
    const r = this.r;
    // Calls go to later functions (no recursion), except a rare call to itself, which never ends: too deep.
    const callee = r.chance(0.02) ? this.index : this.index + 1 + r.int(this.functionCount - this.index - 1);
    if (callee < this.functionCount) this.callFunction(callee);
  }

  callFunction(callee: number): void {
    // r1 = the map value (or stack), r2 = this frame's stack, r3 = the packet.
    this.add(movReg(1, this.index === 0 ? 7 : 6), movReg(2, 10), add64(2, -VALUE_SIZE), movReg(3, 9));
    this.pieces.push({ call: callee });
    this.initScratch([1, 2, 3, 4, 5]);
  }

  /** A bounded loop counting down r8; sometimes entered in its middle (irreducible control flow). */
  private loop(): void {
    const r = this.r;
    const intoMiddle = r.chance(0.2);
    const entryJump = this.pieces.length;
    if (intoMiddle) this.pieces.push({ jump: this.condition(), to: -1 });
    this.add(mov64(8, 1 + r.int(4)));
    const head = this.pieces.length;
    this.straight(2 + r.int(5), false);
    const middle = this.pieces.length;
    this.straight(1 + r.int(3), false);
    this.add(add64(8, -1));
    this.pieces.push({ jump: { kind: 'jump', width: 64, op: 'jne', dst: 8, source: imm(0) }, to: head });
    if (intoMiddle)
      this.pieces[entryJump] = {
        jump: (this.pieces[entryJump] as { jump: JumpWithoutOffset }).jump,
        to: middle,
      };
  }

  body(): void {
    const r = this.r;
    const parts = 1 + r.int(4);
    for (let i = 0; i < parts; i++) {
      if (r.chance(0.4)) this.loop();
      else this.straight(3 + r.int(10), true);
    }
  }
}

/** One random program: `functions` functions, the entry first. */
export function randomRuntimeProgram(seed: number): GeneratedProgram {
  const r = new Random(seed);
  const functionCount = 1 + r.int(4);
  const frames = Array.from({ length: functionCount }, () => 8 * (8 + r.int(57)));
  const builders = frames.map((frame, index) => new FunctionBuilder(r, index, functionCount, frame));
  const main = builders[0];
  // r9 = the packet, r7 = a map value (its key from the packet's first byte: 4 of 5 keys exist) or the stack.
  main.add({ kind: 'load', size: 4, signed: false, dst: 9, src: 1, off: 0 });
  main.add(mov64(2, r.int(5)), { kind: 'store', size: 4, dst: 10, source: reg(2), off: -4 });
  main.add(
    ldImm64(1, BigInt(MAP_FD), 1),
    movReg(2, 10),
    add64(2, -4),
    helper(BPF_FUNC_MAP_LOOKUP_ELEM),
    movReg(7, 0),
  );
  main.pieces.push({
    jump: { kind: 'jump', width: 64, op: 'jne', dst: 7, source: imm(0) },
    to: main.pieces.length + 2,
  });
  main.add(movReg(7, 10), add64(7, -VALUE_SIZE));
  main.initScratch([0, 1, 2, 3, 4, 5, 8]);
  for (const builder of builders.slice(1)) {
    builder.add(movReg(6, 1), movReg(7, 2), movReg(9, 3));
    builder.initScratch([0, 1, 2, 3, 4, 5, 8]);
  }
  // The entry calls the next function at least once, so most programs have calls.
  if (functionCount > 1) main.callFunction(1);
  for (const builder of builders) {
    builder.body();
    builder.add(movReg(0, r.pick(SCRATCH)));
    // Rarely a function has no exit: it runs on into the next function, or off the end of the program.
    if (!r.chance(0.03)) builder.add({ kind: 'exit' });
  }
  return { insns: layout(builders), stackDepths: frames };
}

/** Places the functions one after the other and resolves jumps and calls to slot offsets. */
function layout(builders: readonly FunctionBuilder[]): Insn[] {
  const pieceStart: number[][] = [];
  const functionStart: number[] = [];
  let at = 0;
  for (const builder of builders) {
    functionStart.push(at);
    const starts: number[] = [];
    for (const piece of builder.pieces) {
      starts.push(at);
      at += 'insns' in piece ? piece.insns.reduce((n, insn) => n + (insn.kind === 'ld_imm64' ? 2 : 1), 0) : 1;
    }
    starts.push(at);
    pieceStart.push(starts);
  }
  const total = at;
  const out: Insn[] = [];
  builders.forEach((builder, f) => {
    builder.pieces.forEach((piece, p) => {
      const here = pieceStart[f][p];
      if ('insns' in piece) {
        for (const insn of piece.insns) out.push(...encodeInsn(insn));
      } else if ('jump' in piece) {
        const target =
          piece.to === 'out' ? total + 5 : pieceStart[f][Math.min(piece.to as number, builder.pieces.length)];
        out.push(...encodeInsn({ ...piece.jump, offset: target - here - 1 } as DecodedInsn));
      } else {
        out.push(
          ...encodeInsn({ kind: 'call', target: 'local', imm: functionStart[piece.call] - here - 1, off: 0 }),
        );
      }
    });
  });
  return out;
}
