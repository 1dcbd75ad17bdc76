// A seeded generator of random multi-function BPF programs in the case-suite assembly, mostly valid, for the
// differential fuzz of tsbpf's verifier against the kernel's (fuzz-differential.test.ts).
//
// Programs are built from structured blocks (scalar ALU, stack buffers, map lookups, packet and context
// accesses, helpers, branches, bounded loops, bpf-to-bpf calls) so that most of them get deep into the
// verifier; each block makes one plausible mistake with a small per-program probability (missing null or
// bounds check, off-by-one, misaligned or out-of-frame stack access, r1-r5 read after a call, pointer
// returned, a loop that never ends, a frame too big for the call chain, ...).
//
// Register convention inside every function, which keeps blocks composable: r6 the context (when the
// function has it), r7 a pointer into a caller's stack (when it takes one), r8 a scalar that bounded loops
// use as their counter, r9 the scalar accumulator every block feeds; r0-r5 are scratch for one block.

import type { VerifierCase } from './cases.js';
import { seededRandom } from '../seeded-random.js';

/** Deterministic PRNG (mulberry32): the same seed gives the same program on every machine. */
export class Rng {
  private readonly draw: () => number;
  constructor(seed: number) {
    this.draw = seededRandom(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.draw();
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0 && weight > 0) return key;
    }
    return entries.filter(([, w]) => w > 0)[0][0];
  }
}

/** What a generated program contains, counted by the test's floors. */
export interface ProgramFeatures {
  functions: number;
  /** Deepest chain of frames main → ... (main alone is 1). */
  callDepth: number;
  stackPointerPassed: boolean;
  mapLookup: boolean;
  packetAccess: boolean;
  ctxAccess: boolean;
  loop: boolean;
  branch: boolean;
  /** The mistakes deliberately made (a program may still be valid: some are harmless on some paths). */
  mistakes: string[];
}

export interface RandomProgram {
  /** A case (without expectations) for cases.ts's loaders; its name carries the seed. */
  case: VerifierCase;
  features: ProgramFeatures;
}

type ProgType = 'xdp' | 'sched_cls' | 'socket_filter';

interface ContextLayout {
  /** Offsets of the u32 fields holding packet start and end, when the program type has direct packet access. */
  data?: number;
  dataEnd?: number;
  /** Scalar u32 fields a program of this type may read. */
  scalarFields: readonly number[];
  /** Helper that may move the packet (invalidating packet pointers), with r1 = ctx and r2 = 0. */
  packetChanger?: number;
  returnValue: () => number;
}

const LAYOUTS: Readonly<Record<ProgType, ContextLayout>> = {
  // struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex
  xdp: { data: 0, dataEnd: 4, scalarFields: [12, 16], packetChanger: 44, returnValue: () => 2 },
  // struct __sk_buff: len, mark, protocol, priority, cb[0..4], hash, data at 76, data_end at 80
  sched_cls: {
    data: 76,
    dataEnd: 80,
    scalarFields: [0, 8, 16, 32, 48, 52, 56, 60, 64, 68],
    packetChanger: 39,
    returnValue: () => 0,
  },
  socket_filter: { scalarFields: [0, 4, 8, 16, 32, 40, 48, 52], returnValue: () => 0 },
};

const MAX_FUNCTIONS = 8;
const SIZES = ['u8', 'u16', 'u32', 'u64'] as const;
const SIZE_BYTES: Readonly<Record<(typeof SIZES)[number], number>> = { u8: 1, u16: 2, u32: 4, u64: 8 };

interface MapSpec {
  type: 'array' | 'hash';
  keySize: number;
  valueSize: number;
  maxEntries: number;
}

interface FunctionSpec {
  index: number;
  label: string;
  hasCtx: boolean;
  /** Bytes of caller stack the r2 argument points to; 0 when the function takes no pointer. */
  ptrSize: number;
  hasScalar: boolean;
  /** Bytes of the function's own buffer at [fp - bufSize, fp); the key and spill slots sit below it. */
  bufSize: number;
  callees: number[];
}

/** One program being generated: the plan, the emitted lines and the features seen. */
class Generator {
  readonly lines: string[] = [];
  private labels = 0;
  readonly features: ProgramFeatures;
  readonly layout: ContextLayout;
  readonly functions: FunctionSpec[] = [];
  readonly maps: MapSpec[] = [];

  constructor(
    readonly rng: Rng,
    readonly type: ProgType,
    readonly mistakeRate: number,
  ) {
    this.layout = LAYOUTS[type];
    this.features = {
      functions: 0,
      callDepth: 1,
      stackPointerPassed: false,
      mapLookup: false,
      packetAccess: false,
      ctxAccess: false,
      loop: false,
      branch: false,
      mistakes: [],
    };
  }

  /** Whether to make the named mistake here (recorded when made). */
  mistake(name: string, weight = 1): boolean {
    if (!this.rng.chance(this.mistakeRate * weight)) return false;
    this.features.mistakes.push(name);
    return true;
  }

  label(): string {
    return `L${this.labels++}`;
  }

  emit(...lines: string[]): void {
    this.lines.push(...lines);
  }

  plan(): void {
    const rng = this.rng;
    const count = rng.chance(0.15) ? rng.int(6, MAX_FUNCTIONS) : rng.int(2, 5);
    for (let index = 0; index < count; index++) {
      const main = index === 0;
      // a frame too big for a deep chain is one of the mistakes: 512 bytes is the combined limit
      const bufSize = this.mistake('big frame', 0.5)
        ? rng.pick([192, 256, 320, 448])
        : rng.pick([32, 40, 48]);
      this.functions.push({
        index,
        label: main ? 'main' : `f${index}`,
        hasCtx: main || rng.chance(0.6),
        ptrSize: main ? 0 : rng.chance(0.65) ? rng.pick([8, 16, 24, 32]) : 0,
        hasScalar: !main && rng.chance(0.5),
        bufSize,
        callees: [],
      });
    }
    // every function is called by an earlier one (no recursion, no unreachable code): chains when the caller is
    // the previous function, trees otherwise, diamonds with the extra edges below
    for (let j = 1; j < count; j++) {
      const callee = this.functions[j];
      const callers = this.functions.slice(0, j).filter((f) => f.hasCtx || !callee.hasCtx);
      const caller =
        rng.chance(0.5) && callers.includes(this.functions[j - 1])
          ? this.functions[j - 1]
          : rng.pick(callers);
      caller.callees.push(j);
      for (const other of callers) if (other !== caller && rng.chance(0.12)) other.callees.push(j);
    }
    const depth = (f: FunctionSpec): number =>
      1 + Math.max(0, ...f.callees.map((c) => depth(this.functions[c])));
    this.features.functions = count;
    this.features.callDepth = depth(this.functions[0]);
    const mapCount = rng.weighted({ 0: 1, 1: 3, 2: 2 } as Record<string, number>);
    for (let i = 0; i < Number(mapCount); i++) {
      const type = rng.chance(0.55) ? 'array' : 'hash';
      this.maps.push({
        type,
        keySize: type === 'array' ? 4 : rng.pick([4, 8]),
        valueSize: rng.pick([8, 16, 24, 48]),
        maxEntries: rng.pick([1, 4, 16]),
      });
    }
  }

  generate(): void {
    this.plan();
    for (const f of this.functions) new FunctionWriter(this, f).write();
  }
}

type BlockKind =
  | 'alu'
  | 'stack'
  | 'spill'
  | 'varStack'
  | 'map'
  | 'packet'
  | 'ldAbs'
  | 'packetChange'
  | 'ctx'
  | 'helper'
  | 'pointerArg'
  | 'branch'
  | 'loop'
  | 'call';

/** Writes one function: its entry, blocks, planned calls and return. */
class FunctionWriter {
  private readonly pending: number[];
  private readonly rng: Rng;

  constructor(
    private readonly g: Generator,
    private readonly f: FunctionSpec,
  ) {
    this.rng = g.rng;
    this.pending = [...f.callees];
  }

  private get main(): boolean {
    return this.f.index === 0;
  }

  private get keyOffset(): number {
    return this.f.bufSize + 8;
  }

  private get spillOffset(): number {
    return this.f.bufSize + 16;
  }

  write(): void {
    const { g, f, rng } = this;
    if (!this.main) g.emit(`${f.label}:`);
    if (f.hasCtx) g.emit('r6 = r1');
    if (f.ptrSize > 0) g.emit('r7 = r2');
    if (f.hasScalar) g.emit('r8 = r3');
    else g.emit(`r8 = ${rng.int(0, 100)}`);
    g.emit(rng.chance(0.5) ? `r9 = ${rng.int(0, 64)}` : 'r9 = r8');
    const blocks = this.main ? rng.int(2, 6) : rng.int(1, 4);
    for (let i = 0; i < blocks; i++) this.block(0, false);
    // calls not placed by the blocks above happen at the end, so that every planned edge exists
    while (this.pending.length > 0) this.call(false);
    this.ret();
  }

  private block(depth: number, inLoop: boolean): void {
    const { g, f, rng } = this;
    const hasPacket = g.layout.data !== undefined && f.hasCtx;
    const kind = rng.weighted<BlockKind>({
      alu: 3,
      stack: 2,
      spill: 1,
      varStack: 1,
      map: g.maps.length > 0 ? 2.5 : 0,
      packet: hasPacket ? 2.5 : 0,
      ldAbs: this.main && f.hasCtx && g.type !== 'xdp' ? 0.7 : 0,
      packetChange: hasPacket ? 0.4 : 0,
      ctx: f.hasCtx ? 1 : 0,
      helper: 1,
      pointerArg: f.ptrSize > 0 ? 2.5 : 0,
      branch: depth < 2 ? 2 : 0,
      loop: !inLoop && depth < 2 ? 1.2 : 0,
      call: this.pending.length > 0 ? 2 : 0,
    });
    switch (kind) {
      case 'alu':
        this.alu(inLoop);
        return;
      case 'stack':
        this.stack();
        return;
      case 'spill':
        this.spill();
        return;
      case 'varStack':
        this.varStack(inLoop);
        return;
      case 'map':
        this.mapLookup();
        return;
      case 'packet':
        this.packet(inLoop);
        return;
      case 'ldAbs':
        this.ldAbs();
        return;
      case 'packetChange':
        this.packetChange();
        return;
      case 'ctx':
        this.ctx();
        return;
      case 'helper':
        this.helper(inLoop);
        return;
      case 'pointerArg':
        this.pointerArg();
        return;
      case 'branch':
        this.branch(depth, inLoop);
        return;
      case 'loop':
        this.loop(depth);
        return;
      case 'call':
        this.call(inLoop);
        return;
    }
  }

  /** A scalar source: an immediate, r8 or a scratch register loaded with one. */
  private scalarOperand(inLoop: boolean, bits: 32 | 64): string {
    const { rng } = this;
    const prefix = bits === 32 ? 'w' : 'r';
    if (rng.chance(0.5)) return String(rng.chance(0.8) ? rng.int(-8, 64) : rng.int(-0x7fffffff, 0x7fffffff));
    if (rng.chance(0.5) || inLoop) {
      this.g.emit(`r1 = ${rng.int(0, 255)}`);
      return `${prefix}1`;
    }
    return `${prefix}8`;
  }

  private alu(inLoop: boolean): void {
    const { g, rng } = this;
    const ops = rng.int(1, 4);
    for (let i = 0; i < ops; i++) {
      // the loop counter r8 is only read inside a loop
      const dst = !inLoop && rng.chance(0.25) ? 8 : 9;
      const bits = rng.chance(0.3) ? 32 : 64;
      const reg = `${bits === 32 ? 'w' : 'r'}${dst}`;
      const op = rng.pick([
        '+=',
        '-=',
        '*=',
        '&=',
        '|=',
        '^=',
        '<<=',
        '>>=',
        's>>=',
        '/=',
        '%=',
        'neg',
        'mov',
        'swap',
        'sext',
      ]);
      if (op === 'neg') g.emit(`${reg} = -${reg}`);
      else if (op === 'mov') g.emit(`${reg} = ${reg}`);
      else if (op === 'swap') g.emit(`r${dst} = ${rng.pick(['be16', 'be32', 'le64', 'be64'])} r${dst}`);
      else if (op === 'sext') g.emit(`r${dst} = (${rng.pick(['s8', 's16', 's32'])})r${dst === 9 ? 8 : 9}`);
      else if (op.includes('<') || op.includes('>')) {
        // a constant shift must be below the width; a shift by a register is anything
        if (rng.chance(0.7)) {
          const tooWide = this.g.mistake('shift by the width or more', 0.5);
          g.emit(`${reg} ${op} ${rng.int(0, bits - 1) + (tooWide ? bits : 0)}`);
        } else {
          g.emit(`r1 = ${rng.int(0, 255)}`, `${reg} ${op} ${bits === 32 ? 'w1' : 'r1'}`);
        }
      } else {
        const operand = this.scalarOperand(inLoop, bits);
        if ((op === '/=' || op === '%=') && operand === '0') g.emit(`${reg} ${op} 3`);
        else g.emit(`${reg} ${op} ${operand}`);
      }
    }
    if (this.g.mistake('pointer arithmetic', 0.4)) {
      g.emit('r1 = r10', `r1 ${rng.pick(['*=', '|=', '<<=', '&='])} 3`, 'r9 += r1');
    }
  }

  /** A stack slot of the function's buffer: [-bufSize, 0), aligned to `size`. */
  private slot(size: number): number {
    return -this.rng.int(1, this.f.bufSize / size) * size;
  }

  private stack(): void {
    const { g, rng } = this;
    const size = rng.pick(SIZES);
    const bytes = SIZE_BYTES[size];
    let off = this.slot(bytes);
    if (this.g.mistake('stack out of frame', 0.5)) off = rng.pick([0, 8, -520, -512 - bytes + 8]);
    else if (bytes > 1 && this.g.mistake('misaligned stack', 0.5)) off += 1;
    // zero stores read back are how clang spills constants: the verifier must remember the zeroes
    if (rng.chance(0.4)) g.emit(`*(${size} *)(r10 ${sign(off)}) = 0`);
    else if (rng.chance(0.3)) g.emit(`*(${size} *)(r10 ${sign(off)}) = ${rng.int(-5, 300)}`);
    else g.emit(`*(${size} *)(r10 ${sign(off)}) = r9`);
    if (rng.chance(0.8)) {
      // read back, maybe narrower or from a neighbouring slot
      const readSize = rng.chance(0.7) ? size : rng.pick(SIZES);
      const readBytes = SIZE_BYTES[readSize];
      const readOff = rng.chance(0.7) ? Math.floor(off / readBytes) * readBytes : this.slot(readBytes);
      g.emit(`r1 = *(${readSize} *)(r10 ${sign(readOff)})`);
      if (rng.chance(0.4)) {
        // a value read back used as an index into the buffer: precise only when the zero or constant was kept
        g.emit('r1 &= 7', 'r2 = r10', `r2 += ${-this.f.bufSize}`, 'r2 += r1', 'r1 = *(u8 *)(r2 + 0)');
      }
      g.emit('r9 += r1');
    }
  }

  /** A pointer spilled to the stack and filled back, across a helper call. */
  private spill(): void {
    const { g, f, rng } = this;
    const off = -this.spillOffset;
    const source = f.hasCtx && rng.chance(0.5) ? 'r6' : 'r10';
    if (source === 'r10') g.emit('r1 = r10', `r1 += ${this.slot(8)}`, `*(u64 *)(r10 ${sign(off)}) = r1`);
    else g.emit(`*(u64 *)(r10 ${sign(off)}) = r6`);
    if (rng.chance(0.5)) g.emit(`call ${rng.pick([5, 7])}`);
    // a narrow fill of a spilled pointer gives a scalar, which cannot be dereferenced
    const fill = this.g.mistake('narrow pointer fill') ? 'u32' : 'u64';
    g.emit(`r2 = *(${fill} *)(r10 ${sign(off)})`);
    if (source === 'r6') {
      g.emit(`r1 = *(u32 *)(r2 + ${rng.pick(this.g.layout.scalarFields)})`, 'r9 += r1');
    } else {
      g.emit('r1 = *(u8 *)(r2 + 0)', 'r9 += r1');
    }
  }

  /** A variable-offset access into the function's buffer, the index bounded by a mask or a branch. */
  private varStack(inLoop: boolean): void {
    const { g, f, rng } = this;
    const size = rng.pick(['u8', 'u16', 'u32', 'u64'] as const);
    const bytes = SIZE_BYTES[size];
    let limit = f.bufSize - bytes; // largest valid index from the buffer's start
    if (this.g.mistake('variable stack off-by-one')) limit += rng.pick([1, bytes, f.bufSize]);
    const skip = this.g.label();
    if (inLoop && rng.chance(0.6)) {
      // index from the loop counter, scaled by the access size
      g.emit('r1 = r8', `r1 *= ${bytes}`);
    } else {
      g.emit('r1 = r9');
    }
    if (rng.chance(0.5) && isPowerOfTwo(limit + bytes)) {
      // a mask that also keeps the index a multiple of the size: stack accesses must be aligned
      g.emit(`r1 &= ${limit & -bytes}`);
    } else if (this.g.mistake('signed bound only', 0.5)) {
      g.emit(`if r1 s> ${limit} goto ${skip}`);
    } else if (!this.g.mistake('unbounded stack index', 0.5)) {
      g.emit(`if r1 > ${limit} goto ${skip}`);
    }
    if (bytes > 1 && !this.g.mistake('misaligned variable stack index', 0.5)) g.emit(`r1 &= ${-bytes}`);
    g.emit('r2 = r10', `r2 += ${-f.bufSize}`, 'r2 += r1');
    if (rng.chance(0.5)) g.emit(`*(${size} *)(r2 + 0) = r9`);
    else g.emit(`r1 = *(${size} *)(r2 + 0)`, 'r9 ^= r1');
    g.emit(`${skip}:`);
  }

  private mapLookup(): void {
    const { g, rng } = this;
    this.g.features.mapLookup = true;
    const index = rng.int(0, g.maps.length - 1);
    const map = g.maps[index];
    const key = -this.keyOffset;
    // constant keys in range let the kernel drop the null check of an array lookup; others do not
    const keyValue = rng.chance(0.7)
      ? rng.int(0, map.maxEntries - 1)
      : rng.chance(0.5)
        ? map.maxEntries
        : null;
    const keySize = map.keySize === 8 ? 'u64' : 'u32';
    if (keyValue === null) g.emit(`*(${keySize} *)(r10 ${sign(key)}) = r9`);
    else g.emit(`*(${keySize} *)(r10 ${sign(key)}) = ${keyValue}`);
    g.emit(`r1 = map${index} ll`, 'r2 = r10', `r2 += ${key}`, 'call 1');
    const out = this.g.label();
    if (!this.g.mistake('missing null check', 1.5)) g.emit(`if r0 == 0 goto ${out}`);
    const size = rng.pick(SIZES);
    const bytes = SIZE_BYTES[size];
    let off = rng.int(0, (map.valueSize - bytes) / bytes) * bytes;
    if (this.g.mistake('map value off-by-one')) off = map.valueSize - bytes + rng.pick([1, bytes]);
    if (rng.chance(0.5)) g.emit(`r1 = *(${size} *)(r0 + ${off})`, 'r9 += r1');
    else g.emit(`*(${size} *)(r0 + ${off}) = r9`);
    if (rng.chance(0.35)) {
      // variable offset into the value
      let limit = map.valueSize - 1;
      if (this.g.mistake('map index off-by-one')) limit += 1;
      g.emit('r1 = r9');
      if (isPowerOfTwo(limit + 1) && rng.chance(0.5)) g.emit(`r1 &= ${limit}`);
      else g.emit(`if r1 > ${limit} goto ${out}`);
      g.emit('r0 += r1', 'r1 = *(u8 *)(r0 + 0)', 'r9 += r1');
    } else if (rng.chance(0.3)) {
      // the value pointer kept in the stack across a helper call
      g.emit(`*(u64 *)(r10 - ${this.spillOffset}) = r0`, `call ${rng.pick([5, 7, 8])}`);
      g.emit(`r1 = *(u64 *)(r10 - ${this.spillOffset})`, `r0 = *(${size} *)(r1 + ${off})`, 'r9 += r0');
    }
    g.emit(`${out}:`);
  }

  private packet(inLoop: boolean): void {
    const { g, rng } = this;
    const layout = g.layout;
    if (layout.data === undefined || layout.dataEnd === undefined) return;
    this.g.features.packetAccess = true;
    const out = this.g.label();
    g.emit(`r2 = *(u32 *)(r6 + ${layout.data})`, `r3 = *(u32 *)(r6 + ${layout.dataEnd})`);
    if (rng.chance(0.3)) g.emit('r1 = r9', `r1 &= ${rng.pick([3, 7, 15])}`, 'r2 += r1');
    const size = rng.pick(SIZES);
    const bytes = SIZE_BYTES[size];
    const checked = rng.pick([8, 14, 20, 34]);
    let off = rng.int(0, (checked - bytes) / 1);
    off -= off % bytes; // aligned to the access: unaligned packet access is only refused with strict alignment
    if (this.g.mistake('packet off-by-one')) off = checked - bytes + 1;
    g.emit('r4 = r2', `r4 += ${checked}`);
    if (this.g.mistake('missing packet check')) {
      // nothing
    } else if (this.g.mistake('packet check on the wrong branch', 0.5)) {
      g.emit(`if r4 <= r3 goto ${out}`);
    } else {
      g.emit(rng.pick([`if r4 > r3 goto ${out}`, `if r3 < r4 goto ${out}`, `if r4 >= r3 goto ${out}`]));
    }
    if (
      layout.packetChanger !== undefined &&
      this.g.mistake('packet pointer used after a packet change', 0.7)
    ) {
      g.emit(`*(u64 *)(r10 - ${this.spillOffset}) = r2`, 'r1 = r6', 'r2 = 0', `call ${layout.packetChanger}`);
      g.emit(`r2 = *(u64 *)(r10 - ${this.spillOffset})`);
    }
    if (this.pending.length > 0 && !inLoop && rng.chance(0.3)) {
      // the checked pointer kept in the stack across a call: gone if the callee may move the packet
      this.g.features.mistakes.push('packet pointer kept across a call');
      g.emit(`*(u64 *)(r10 - ${this.spillOffset}) = r2`);
      this.call(inLoop);
      g.emit(`r2 = *(u64 *)(r10 - ${this.spillOffset})`);
    }
    if (rng.chance(0.6)) g.emit(`r1 = *(${size} *)(r2 + ${off})`, 'r9 += r1');
    else g.emit(`*(${size} *)(r2 + ${off}) = r9`);
    g.emit(`${out}:`);
  }

  /** A helper that may move the packet (xdp_adjust_head, skb_pull_data by 0): packet pointers are void after it. */
  private packetChange(): void {
    const { g } = this;
    if (g.layout.packetChanger === undefined) return;
    g.emit('r1 = r6', 'r2 = 0', `call ${g.layout.packetChanger}`, 'r9 += r0');
  }

  /** Legacy packet loads (socket filters and tc): main only; in a subprogram without BTF they are refused. */
  private ldAbs(): void {
    const { g, rng } = this;
    this.g.features.packetAccess = true;
    const size = rng.pick(['u8', 'u16', 'u32'] as const);
    if (rng.chance(0.5)) g.emit(`r0 = *(${size} *)skb[${rng.int(0, 40)}]`);
    else g.emit('r7 = r9', 'r7 &= 15', `r0 = *(${size} *)skb[r7]`);
    g.emit('r9 += r0');
  }

  private ctx(): void {
    const { g, rng } = this;
    this.g.features.ctxAccess = true;
    let off = rng.pick(g.layout.scalarFields);
    let size = 'u32';
    if (this.g.mistake('bad context access')) {
      const bad = rng.int(0, 2);
      if (bad === 0) off += 2;
      else if (bad === 1) off = 400;
      else size = 'u64';
    }
    // socket filters and tc programs may write their cb[] words; other fields are read-only
    const writable = off >= 48 && off < 68 && g.type !== 'xdp';
    if ((writable && rng.chance(0.3)) || this.g.mistake('write to a read-only context field', 0.5)) {
      g.emit(`*(${size} *)(r6 + ${off}) = r9`);
    } else {
      g.emit(`r1 = *(${size} *)(r6 + ${off})`, 'r9 += r1');
    }
  }

  private helper(inLoop: boolean): void {
    const { g, rng } = this;
    g.emit(`call ${rng.pick([5, 7, 8])}`);
    if (!inLoop && rng.chance(0.3)) g.emit('r8 = r0');
    else g.emit(`r9 ${rng.pick(['+=', '^=', '|='])} r0`);
    if (this.g.mistake('r1-r5 read after a call')) g.emit(`r9 += r${rng.int(1, 5)}`);
  }

  /** Reads and writes through the pointer into a caller's stack. */
  private pointerArg(): void {
    const { g, f, rng } = this;
    const size = rng.pick(SIZES.filter((s) => SIZE_BYTES[s] <= f.ptrSize));
    const bytes = SIZE_BYTES[size];
    let off = rng.int(0, (f.ptrSize - bytes) / bytes) * bytes;
    if (this.g.mistake('pointer argument off-by-one')) off = f.ptrSize - bytes + rng.pick([bytes, 8, 16]);
    const zero = rng.chance(0.3);
    if (rng.chance(0.6)) g.emit(zero ? `*(${size} *)(r7 + ${off}) = 0` : `*(${size} *)(r7 + ${off}) = r9`);
    if (rng.chance(0.7)) g.emit(`r1 = *(${size} *)(r7 + ${off})`, 'r9 += r1');
  }

  private branch(depth: number, inLoop: boolean): void {
    const { g, rng } = this;
    this.g.features.branch = true;
    const other = this.g.label();
    const end = this.g.label();
    const reg = rng.chance(0.3) ? 'w9' : 'r9';
    const op = rng.pick(['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<=', '&']);
    const rhs = rng.chance(0.7) ? String(rng.int(-4, 80)) : reg[0] === 'w' ? 'w8' : 'r8';
    g.emit(`if ${reg} ${op} ${rhs} goto ${other}`);
    const thenBlocks = rng.int(1, 2);
    for (let i = 0; i < thenBlocks; i++) this.block(depth + 1, inLoop);
    const hasElse = rng.chance(0.5);
    if (hasElse) g.emit(`goto ${end}`);
    g.emit(`${other}:`);
    if (hasElse) {
      this.block(depth + 1, inLoop);
      g.emit(`${end}:`);
    }
  }

  /** A counter loop the verifier walks iteration by iteration (r8 counts; bodies never write it). */
  private loop(depth: number): void {
    const { g, rng } = this;
    this.g.features.loop = true;
    const head = this.g.label();
    const trips = rng.int(1, 5);
    if (this.g.mistake('loop without progress', 0.5)) {
      // the increment lands in a copy: the state at the head repeats, which the kernel reports at once
      g.emit('r8 = 0', `${head}:`, 'r1 = r8', 'r1 += 1', `if r8 < ${trips} goto ${head}`);
      return;
    }
    g.emit(`r8 = ${rng.chance(0.8) ? 0 : rng.int(0, trips - 1)}`, `${head}:`);
    const body = rng.int(1, 2);
    for (let i = 0; i < body; i++) this.block(depth + 1, true);
    g.emit('r8 += 1');
    if (rng.chance(0.25)) {
      // a bound that is unknown but small
      g.emit('r1 = r9', 'r1 &= 3', `if r8 < r1 goto ${head}`);
    } else {
      g.emit(
        rng.pick([
          `if r8 < ${trips} goto ${head}`,
          `if r8 != ${trips} goto ${head}`,
          `if w8 < ${trips} goto ${head}`,
        ]),
      );
    }
  }

  private call(inLoop: boolean): void {
    const { g, f, rng } = this;
    const calleeIndex = this.pending.shift();
    if (calleeIndex === undefined) return;
    const callee = g.functions[calleeIndex];
    const pointerArg: string[] = [];
    let skip: string | undefined;
    const bigValues = g.maps.flatMap((m, index) => (m.valueSize >= callee.ptrSize ? [index] : []));
    if (callee.ptrSize > 0 && bigValues.length > 0 && rng.chance(0.2)) {
      // a map value stands in for the caller's stack: the callee reads and writes it the same way
      this.g.features.mapLookup = true;
      const index = rng.pick(bigValues);
      skip = this.g.label();
      g.emit(`*(u32 *)(r10 - ${this.keyOffset}) = 0`, `r1 = map${index} ll`, 'r2 = r10');
      g.emit(`r2 += -${this.keyOffset}`, 'call 1');
      if (!this.g.mistake('missing null check')) g.emit(`if r0 == 0 goto ${skip}`);
      pointerArg.push('r2 = r0');
    } else if (callee.ptrSize > 0) {
      this.g.features.stackPointerPassed = true;
      if (this.g.mistake('scalar passed for a pointer')) {
        pointerArg.push('r2 = r9');
      } else if (f.ptrSize >= callee.ptrSize && rng.chance(0.4)) {
        // pass down the pointer this function got: the callee reaches a frame two or more levels up
        pointerArg.push('r2 = r7');
        if (f.ptrSize - callee.ptrSize >= 8 && rng.chance(0.5)) pointerArg.push('r2 += 8');
      } else {
        const slack = rng.chance(0.7) ? 0 : 8 * rng.int(0, (f.bufSize - callee.ptrSize) / 8);
        pointerArg.push('r2 = r10', `r2 += ${-(callee.ptrSize + slack)}`);
      }
    }
    if (callee.hasCtx && !this.g.mistake('context argument missing')) g.emit('r1 = r6');
    g.emit(...pointerArg);
    if (callee.hasScalar) g.emit(rng.chance(0.5) ? 'r3 = r9' : `r3 = ${rng.int(0, 32)}`);
    g.emit(`call ${callee.label}`);
    if (!inLoop && rng.chance(0.2)) g.emit('r8 = r0');
    else g.emit(`r9 ${rng.pick(['+=', '^=', '-='])} r0`);
    if (this.g.mistake('r1-r5 read after a call')) g.emit(`r9 += r${rng.int(1, 5)}`);
    if (skip !== undefined) g.emit(`${skip}:`);
  }

  private ret(): void {
    const { g, rng } = this;
    if (this.main) {
      if (this.g.mistake('pointer returned', 0.5)) g.emit(rng.pick(['r0 = r10', 'r0 = r6']));
      else if (this.g.mistake('r0 not set', 0.5)) {
        // r0 is whatever the last block left
      } else if (rng.chance(0.5)) g.emit(`r0 = ${g.layout.returnValue()}`);
      else g.emit('r0 = r9', 'r0 &= 1');
    } else if (this.g.mistake('stack pointer returned', 0.5)) {
      g.emit('r0 = r10', `r0 += ${-8}`);
    } else {
      g.emit('r0 = r9');
    }
    g.emit('exit');
  }
}

function sign(offset: number): string {
  return offset < 0 ? `- ${-offset}` : `+ ${offset}`;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** The seed of the index-th program of a run with the given base seed (so any one can be regenerated). */
export function programSeed(baseSeed: number, index: number): number {
  return (Math.imul(baseSeed >>> 0, 0x9e3779b1) + index) >>> 0;
}

/** The program of one seed: same seed, same program. */
export function randomProgram(seed: number): RandomProgram {
  const rng = new Rng(seed);
  const type = rng.weighted<ProgType>({ xdp: 4, sched_cls: 3.5, socket_filter: 2.5 });
  // most programs are meant to be valid; the others make a mistake at a few of their chances
  const mistakeRate = rng.chance(0.45) ? 0 : rng.pick([0.03, 0.06, 0.1]);
  const g = new Generator(rng, type, mistakeRate);
  g.generate();
  return {
    case: {
      file: 'random-programs',
      line: 0,
      name: `random_${seed}`,
      type,
      unpriv: false,
      maps: g.maps.map((m) => ({ ...m })),
      notes: [`generated by test/verifier/random-programs.ts from seed ${seed}`],
      body: g.lines.join('\n'),
    },
    features: g.features,
  };
}
