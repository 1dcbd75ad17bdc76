// The interpreter: runs an ExecutableProgram instruction by instruction with RFC 9669's 64-bit semantics,
// one frame per bpf-to-bpf call, helpers by id, tail calls, and a checked mode for unverified programs.
//
// Public API:
//   interpret(program, run, vm, helpers, options): bigint      r0 of one run (u64)
//   InterpretRun, InterpretOptions, LegacyPacketAccess, DEFAULT_BUDGET
//
// Registers are two Uint32Arrays (low and high halves) so that ALU32, jumps, loads and stores never allocate a
// BigInt; 64-bit multiply uses 16-bit limbs, and only 64-bit division/modulo and helper calls go through BigInt.
// Helpers receive r1-r5 and set r0; r1-r5 keep their values after a call (the verifier makes them unreadable,
// so no verified program can tell). Measured on a loop of ALU/stack/jump instructions (Node 20): ~120 M insn/s,
// six times a BigInt register file's ~20 M.

import { MAX_BPF_STACK, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT } from '../abi/limits.js';
import {
  byteSwap16,
  byteSwap32,
  compareS64,
  compareU64,
  joinHalves,
  mulHighU32,
} from './interpreter-arith.js';
import {
  ATOMIC_FETCH,
  AtomicOp,
  type CompiledProgram,
  compileProgram,
  IMMEDIATE,
  Op,
} from './interpreter-compile.js';
import type { ProgArrayMap } from './maps/index.js';
import { MemoryError } from './memory.js';
import {
  type ExecutableProgram,
  type FaultFrame,
  functionPointerTarget,
  type HelperTable,
  type InstructionTracer,
  ProgramExit,
  type RunState,
  RuntimeFault,
  type VmServices,
} from './runtime.js';

/** Legacy LD_ABS/LD_IND packet reads (skb programs): network-order value, or undefined outside the packet. */
export interface LegacyPacketAccess {
  loadAbsolute(offset: number, size: 1 | 2 | 4): bigint | undefined;
}

export interface InterpretRun {
  /** The address passed in r1. */
  readonly ctx: number;
  readonly cpu: number;
  /** The packet of skb/xdp runs (helpers read it; LD_ABS/LD_IND use `loadAbsolute` when it has one). */
  readonly packet?: unknown;
  /** r1-r5 at entry when a run needs more than the context (default: r1 = ctx, the rest 0). */
  readonly args?: readonly bigint[];
}

export interface InterpretOptions {
  /**
   * checked: every load, store and atomic must fall inside one live VmMemory allocation (stacks, context,
   * packet, map values, ...), calls may nest at most MAX_CALL_FRAMES deep, and runs have an instruction budget.
   * fast (verified programs): accesses are only kept inside the memory, so a stray one is a RuntimeFault.
   */
  readonly mode: 'checked' | 'fast';
  /** Instructions one run may execute (default 1,000,000 in checked mode, unlimited in fast mode); callbacks and
   * tail-called programs count. */
  readonly budget?: number;
  /** Optional names of the program's functions (same order as functionStarts) for fault call stacks. */
  readonly functionNames?: readonly string[];
  /** Sees each instruction before it runs; the budget still applies. */
  readonly trace?: InstructionTracer;
}

export const DEFAULT_BUDGET = 1_000_000;

const U32 = 0x1_0000_0000;
const MASK32 = 0xffff_ffffn;
/** Bytes of one stack segment: a whole verified call chain (kernel: MAX_CALL_FRAMES frames, MAX_BPF_STACK each). */
const STACK_SEGMENT_SIZE = MAX_CALL_FRAMES * MAX_BPF_STACK;
/**
 * Frames one run may stack up: each tail call made from a subprogram keeps its callers' frames (as the kernel's
 * JIT keeps them on the machine stack), so a run holds at most MAX_CALL_FRAMES per program of its tail-call chain.
 */
const MAX_RUN_FRAMES = MAX_CALL_FRAMES * (MAX_TAIL_CALL_CNT + 1);

/** A caller's state, restored when the callee exits. */
interface Frame {
  readonly program: ExecutableProgram;
  readonly code: CompiledProgram;
  readonly returnPc: number;
  /** Low and high halves of r6-r9, then r10. */
  readonly saved: Uint32Array;
  /** First instruction of the caller's function (call stacks in faults). */
  readonly functionStart: number;
  /** Frame index where the caller's program was entered (frames since then count toward MAX_CALL_FRAMES). */
  readonly programBase: number;
}

/** The state of one `interpret` call. */
class Execution {
  readonly lo = new Uint32Array(12);
  readonly hi = new Uint32Array(12);
  readonly frames: Frame[] = [];
  program: ExecutableProgram;
  code: CompiledProgram;
  /** Frame index where the running program was entered (by the run or by a tail call). */
  programBase = 0;
  /**
   * Instructions left before the budget check fires. A tracer keeps it at 0, so that the budget check, the one
   * test every instruction already makes, also calls the tracer: tracing costs nothing when off.
   */
  remaining: number;
  /** The real instructions left while a tracer is attached. */
  private tracedRemaining: number;
  private readonly tracer: InstructionTracer | undefined;
  tailCalls = 0;
  /** The instruction being executed (for faults raised from helpers and callbacks). */
  currentPc = 0;
  view: DataView;
  private readonly checked: boolean;
  private readonly budget: number;
  private readonly guardSize: number;
  /** Stack segments (each one VmMemory allocation), the current one last. */
  private readonly segments: number[] = [];
  private stackLow = 0;
  private stackHigh = 0;
  private readonly runState: RunState;

  constructor(
    entry: ExecutableProgram,
    private readonly run: InterpretRun,
    private readonly vm: VmServices,
    private readonly helpers: HelperTable,
    private readonly options: InterpretOptions,
  ) {
    this.program = entry;
    this.code = compileProgram(entry);
    this.checked = options.mode === 'checked';
    this.budget = options.budget ?? (this.checked ? DEFAULT_BUDGET : Number.POSITIVE_INFINITY);
    this.tracer = options.trace;
    this.remaining = this.tracer === undefined ? this.budget : 0;
    this.tracedRemaining = this.budget;
    this.guardSize = vm.memory.guardSize;
    this.addStackSegment();
    this.view = vm.memory.view();
    const execution = this;
    this.runState = {
      get program() {
        return execution.program;
      },
      ctx: run.ctx,
      cpu: run.cpu,
      ...(run.packet === undefined ? {} : { packet: run.packet }),
      callFunction(pointer: bigint, args: readonly bigint[]): bigint {
        return execution.callback(pointer, args);
      },
    };
  }

  release(): void {
    for (const segment of this.segments) this.vm.memory.free(segment);
  }

  /** Runs the entry program with r1 = ctx (or the run's args). */
  start(): bigint {
    const args = this.run.args ?? [BigInt(this.run.ctx)];
    for (let i = 0; i < 5; i++) this.setReg(i + 1, args[i] ?? 0n);
    this.lo[10] = this.stackHigh;
    this.hi[10] = 0;
    return this.execute(0, true);
  }

  private addStackSegment(): void {
    const base = this.vm.memory.allocate(STACK_SEGMENT_SIZE, 16);
    this.segments.push(base);
    this.stackLow = base;
    this.stackHigh = base + STACK_SEGMENT_SIZE;
    this.view = this.vm.memory.view();
  }

  /** Moves frames on to the segment after the current one, allocating it the first time. */
  private useNextStackSegment(): void {
    const next = this.segments[this.segments.indexOf(this.stackLow) + 1];
    if (next === undefined) {
      this.addStackSegment();
    } else {
      this.stackLow = next;
      this.stackHigh = next + STACK_SEGMENT_SIZE;
    }
  }

  reg(index: number): bigint {
    return joinHalves(this.lo[index], this.hi[index]);
  }

  setReg(index: number, value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    this.lo[index] = Number(unsigned & MASK32);
    this.hi[index] = Number(unsigned >> 32n);
  }

  fault(pc: number, reason: string): RuntimeFault {
    return new RuntimeFault(pc, reason, this.callStack(pc), this.faultFrames(pc));
  }

  /** The budget ran out, or a tracer is attached: count the instruction against the budget and trace it. */
  budgetCheck(pc: number): number {
    if (this.tracer === undefined || --this.tracedRemaining < 0) {
      throw this.fault(pc, `instruction budget of ${this.budget} exhausted`);
    }
    this.tracer.step(this.program, pc, this.frames.length, this.lo, this.hi);
    return 0;
  }

  /** Outermost first: each caller's program at its call instruction, then the running program at `pc`. */
  faultFrames(pc: number): FaultFrame[] {
    const frames = this.frames.map((frame) => ({ program: frame.program, insn: frame.returnPc - 1 }));
    frames.push({ program: this.program, insn: pc });
    return frames;
  }

  private functionName(program: ExecutableProgram, start: number): string {
    const index = program.functionStarts.indexOf(start);
    const name = program === this.programAtEntry() ? this.options.functionNames?.[index] : undefined;
    if (name !== undefined) return name;
    if (start === 0 && program.name !== '') return program.name;
    return `func@${start}`;
  }

  private programAtEntry(): ExecutableProgram {
    return this.frames[0]?.program ?? this.program;
  }

  private functionStartOf(program: ExecutableProgram, pc: number): number {
    let start = 0;
    for (const candidate of program.functionStarts) if (candidate <= pc) start = candidate;
    return start;
  }

  /** Outermost function first, the faulting function last. */
  callStack(pc: number): string[] {
    const stack = this.frames.map((frame) => this.functionName(frame.program, frame.functionStart));
    stack.push(this.functionName(this.program, this.functionStartOf(this.program, pc)));
    return stack;
  }

  /** The address of a `size`-byte access at base register + off, or a RuntimeFault. */
  address(pc: number, base: number, off: number, size: number, what: 'read' | 'write'): number {
    const high = this.hi[base];
    let address = this.lo[base] + off;
    // A base with high bits set reaches a 32-bit address only by wrapping past 2^64.
    if (high !== 0) address = high === 0xffff_ffff && address >= U32 ? address - U32 : -1;
    if (address >= this.stackLow && address + size <= this.stackHigh) return address;
    if (this.checked) {
      if (address < 0 || !this.vm.memory.isAllocated(address, size)) {
        throw this.fault(pc, this.invalidAccess(what, size, base, off));
      }
    } else if (address < this.guardSize || address + size > this.view.byteLength) {
      throw this.fault(pc, this.invalidAccess(what, size, base, off));
    }
    return address;
  }

  private invalidAccess(what: string, size: number, base: number, off: number): string {
    const pointer = BigInt.asUintN(64, this.reg(base) + BigInt(off));
    return `invalid ${what} of ${size} bytes at address 0x${pointer.toString(16)} (r${base}${off < 0 ? '' : '+'}${off})`;
  }

  /** A callback (bpf_loop, for_each_map_elem) called from a helper: a new frame, r1-r5 = args, returns r0. */
  private callback(pointer: bigint, args: readonly bigint[]): bigint {
    const target = functionPointerTarget(pointer);
    const pc = this.currentPc;
    if (target === undefined || !this.program.functionStarts.includes(target)) {
      throw this.fault(pc, `callback 0x${pointer.toString(16)} is not a function of the program`);
    }
    const savedLo = this.lo.slice();
    const savedHi = this.hi.slice();
    this.pushFrame(pc, target);
    for (let i = 0; i < 5; i++) this.setReg(i + 1, args[i] ?? 0n);
    const result = this.execute(target, false);
    // The helper's frame continues with its registers as they were.
    this.lo.set(savedLo);
    this.hi.set(savedHi);
    this.currentPc = pc;
    return result;
  }

  pushFrame(pc: number, target: number): void {
    const depth = this.frames.length - this.programBase + 1;
    if (depth >= MAX_CALL_FRAMES && this.checked) {
      throw this.fault(pc, `the call stack of ${depth + 1} frames is too deep (at most ${MAX_CALL_FRAMES})`);
    }
    if (this.frames.length + 1 >= MAX_RUN_FRAMES) {
      throw this.fault(pc, `the call stack of ${this.frames.length + 2} frames is too deep for one run`);
    }
    const program = this.program;
    const callerStart = this.functionStartOf(program, pc);
    const callerDepth = program.stackDepths[program.functionStarts.indexOf(callerStart)] ?? MAX_BPF_STACK;
    const calleeDepth = program.stackDepths[program.functionStarts.indexOf(target)] ?? MAX_BPF_STACK;
    const saved = new Uint32Array(10);
    for (let i = 0; i < 5; i++) {
      saved[2 * i] = this.lo[6 + i];
      saved[2 * i + 1] = this.hi[6 + i];
    }
    this.frames.push({
      program,
      code: this.code,
      returnPc: pc + 1,
      saved,
      functionStart: callerStart,
      programBase: this.programBase,
    });
    // Frames lie contiguously below the caller's (kernel: each function's own depth, rounded up to 8).
    let fp = this.lo[10] - alignUp8(callerDepth);
    if (this.hi[10] !== 0 || fp < this.stackLow || fp > this.stackHigh) fp = this.stackHigh;
    if (fp - alignUp8(calleeDepth) < this.stackLow) {
      // Tail calls from subprograms keep frames beyond one chain's 512 bytes: continue in a new segment.
      if (alignUp8(calleeDepth) > STACK_SEGMENT_SIZE) {
        throw this.fault(pc, `stack depth ${calleeDepth} of the called function is too large`);
      }
      this.useNextStackSegment();
      fp = this.stackHigh;
    }
    this.lo[10] = fp;
    this.hi[10] = 0;
  }

  popFrame(): Frame {
    const frame = this.frames.pop()!;
    const saved = frame.saved;
    for (let i = 0; i < 5; i++) {
      this.lo[6 + i] = saved[2 * i];
      this.hi[6 + i] = saved[2 * i + 1];
    }
    this.program = frame.program;
    this.code = frame.code;
    this.programBase = frame.programBase;
    const fp = this.lo[10];
    // Back in an earlier stack segment: later segments stay allocated (pointers into them die with the run).
    if (fp < this.stackLow || fp > this.stackHigh) {
      for (const segment of this.segments) {
        if (fp > segment && fp <= segment + STACK_SEGMENT_SIZE) {
          this.stackLow = segment;
          this.stackHigh = segment + STACK_SEGMENT_SIZE;
        }
      }
    }
    return frame;
  }

  /** bpf_tail_call(ctx, prog_array, index): the program to continue with, or undefined to fall through. */
  tailCall(pc: number): ExecutableProgram | undefined {
    const map = this.hi[2] === 0 ? this.vm.maps.atAddress(this.lo[2]) : undefined;
    if (map === undefined || map.typeName !== 'prog_array') {
      throw this.fault(pc, 'bpf_tail_call needs a prog_array map in r2');
    }
    // Kernel: the index is a u32; out of range, past MAX_TAIL_CALL_CNT or an empty slot falls through, and
    // only tail calls that happen count (measured on Linux 6.18: calls into empty slots use none of the 33).
    const index = this.lo[3];
    if (index >= map.maxEntries || this.tailCalls >= MAX_TAIL_CALL_CNT) return undefined;
    const handle = (map as ProgArrayMap).programAt(index);
    const target = handle === undefined ? undefined : this.vm.programByHandle(handle);
    if (target === undefined) return undefined;
    this.tailCalls++;
    return target;
  }

  /** Calls helper `id` with r1-r5 and sets r0; errors a helper throws become faults at this instruction. */
  callHelper(pc: number, id: number): void {
    const helper = this.helpers.get(id);
    if (helper === undefined) throw this.fault(pc, `unknown helper ${id}`);
    const args = [this.reg(1), this.reg(2), this.reg(3), this.reg(4), this.reg(5)] as const;
    let result: bigint;
    try {
      result = helper({ args, vm: this.vm, run: this.runState, insn: pc });
    } catch (error) {
      if (error instanceof RuntimeFault) {
        // Faults raised inside a callback already carry their stack; a helper's own fault gets this one.
        throw error.callStack.length > 0
          ? error
          : new RuntimeFault(error.insn, error.reason, this.callStack(pc), this.faultFrames(pc));
      }
      if (error instanceof MemoryError) throw this.fault(pc, `helper ${id}: ${error.message}`);
      throw error;
    }
    this.setReg(0, result);
    this.view = this.vm.memory.view();
  }

  /** Legacy packet load: r0 = the value, or the whole program ends with r0 = 0 outside the packet. */
  legacyLoad(pc: number, indexReg: number, imm: number, size: 1 | 2 | 4): void {
    const packet = this.run.packet as Partial<LegacyPacketAccess> | undefined;
    if (packet?.loadAbsolute === undefined) {
      throw this.fault(pc, 'LD_ABS/LD_IND need a socket buffer (skb) context');
    }
    const offset = indexReg === IMMEDIATE ? imm | 0 : (this.lo[indexReg] + imm) | 0;
    const value = packet.loadAbsolute(offset, size);
    // Kernel: an out-of-packet legacy load ends the whole program with r0 = 0.
    if (value === undefined) throw new ProgramExit(0n);
    this.setReg(0, value);
  }

  /** Atomic read-modify-write of 4 or 8 bytes at dst + off. */
  atomic(pc: number, size: 4 | 8): void {
    const code = this.code;
    const dst = code.dst[pc];
    const src = code.src[pc];
    const kind = code.immLo[pc] & ~ATOMIC_FETCH;
    const fetch = (code.immLo[pc] & ATOMIC_FETCH) !== 0;
    const at = this.address(pc, dst, code.target[pc], size, 'write');
    const view = this.view;
    const lo = this.lo;
    const hi = this.hi;
    const oldLo = view.getUint32(at, true);
    const oldHi = size === 8 ? view.getUint32(at + 4, true) : 0;
    const valueLo = lo[src];
    const valueHi = size === 8 ? hi[src] : 0;
    let newLo: number;
    let newHi: number;
    switch (kind) {
      case AtomicOp.add: {
        const sum = oldLo + valueLo;
        newLo = sum >>> 0;
        newHi = (oldHi + valueHi + (sum >= U32 ? 1 : 0)) >>> 0;
        break;
      }
      case AtomicOp.or:
        newLo = (oldLo | valueLo) >>> 0;
        newHi = (oldHi | valueHi) >>> 0;
        break;
      case AtomicOp.and:
        newLo = (oldLo & valueLo) >>> 0;
        newHi = (oldHi & valueHi) >>> 0;
        break;
      case AtomicOp.xor:
        newLo = (oldLo ^ valueLo) >>> 0;
        newHi = (oldHi ^ valueHi) >>> 0;
        break;
      case AtomicOp.xchg:
        newLo = valueLo;
        newHi = valueHi;
        break;
      default: {
        // cmpxchg: store src when the memory equals r0 (its low half for 32 bits); r0 = the old value.
        const equal = oldLo === lo[0] && (size === 4 || oldHi === hi[0]);
        newLo = equal ? valueLo : oldLo;
        newHi = equal ? valueHi : oldHi;
        lo[0] = oldLo;
        hi[0] = oldHi;
      }
    }
    view.setUint32(at, newLo, true);
    if (size === 8) view.setUint32(at + 4, newHi, true);
    if (fetch && kind !== AtomicOp.cmpxchg) {
      lo[src] = oldLo;
      hi[src] = oldHi;
    }
  }

  /** 64-bit division and modulo (RFC 9669: x / 0 = 0, x % 0 = x; signed INT_MIN / -1 = INT_MIN, % -1 = 0). */
  divide64(operation: number, dst: number, blo: number, bhi: number): void {
    const a = this.reg(dst);
    const b = joinHalves(blo, bhi);
    let result: bigint;
    if (b === 0n) {
      result = operation === Op.div64 || operation === Op.sdiv64 ? 0n : a;
    } else if (operation === Op.div64) {
      result = a / b;
    } else if (operation === Op.mod64) {
      result = a % b;
    } else {
      const sa = BigInt.asIntN(64, a);
      const sb = BigInt.asIntN(64, b);
      result = operation === Op.sdiv64 ? sa / sb : sa % sb;
    }
    this.setReg(dst, result);
  }

  /**
   * Runs from `startPc` until the function it belongs to returns. `entry` marks the outermost call, whose exit
   * ends the run; a callback's frame was pushed by `callback`, and its exit pops it and returns r0.
   */
  execute(startPc: number, entry: boolean): bigint {
    const lo = this.lo;
    const hi = this.hi;
    const baseDepth = this.frames.length;
    let code = this.code;
    let view = this.view;
    let pc = startPc;
    let remaining = this.remaining;
    try {
      for (;;) {
        if (--remaining < 0) remaining = this.budgetCheck(pc);
        const op = code.op[pc];
        const d = code.dst[pc];
        const s = code.src[pc];
        // The second operand: a register or the sign-extended immediate.
        let blo: number;
        let bhi: number;
        if (s === IMMEDIATE) {
          blo = code.immLo[pc];
          bhi = code.immHi[pc];
        } else {
          blo = lo[s];
          bhi = hi[s];
        }
        switch (op) {
          case Op.add64: {
            const sum = lo[d] + blo;
            lo[d] = sum;
            hi[d] = hi[d] + bhi + (sum >= U32 ? 1 : 0);
            pc++;
            continue;
          }
          case Op.sub64: {
            const difference = lo[d] - blo;
            lo[d] = difference;
            hi[d] = hi[d] - bhi - (difference < 0 ? 1 : 0);
            pc++;
            continue;
          }
          case Op.mul64: {
            const alo = lo[d];
            lo[d] = Math.imul(alo, blo);
            hi[d] = mulHighU32(alo, blo) + Math.imul(alo, bhi) + Math.imul(hi[d], blo);
            pc++;
            continue;
          }
          case Op.div64:
          case Op.mod64:
            if (hi[d] === 0 && bhi === 0 && blo !== 0) {
              // Both operands fit in 32 bits: exact in doubles.
              lo[d] = op === Op.div64 ? Math.floor(lo[d] / blo) : lo[d] % blo;
            } else {
              this.divide64(op, d, blo, bhi);
            }
            pc++;
            continue;
          case Op.sdiv64:
          case Op.smod64:
            this.divide64(op, d, blo, bhi);
            pc++;
            continue;
          case Op.or64:
            lo[d] |= blo;
            hi[d] |= bhi;
            pc++;
            continue;
          case Op.and64:
            lo[d] &= blo;
            hi[d] &= bhi;
            pc++;
            continue;
          case Op.xor64:
            lo[d] ^= blo;
            hi[d] ^= bhi;
            pc++;
            continue;
          case Op.lsh64: {
            const n = blo & 63;
            if (n >= 32) {
              hi[d] = lo[d] << (n - 32);
              lo[d] = 0;
            } else if (n > 0) {
              hi[d] = (hi[d] << n) | (lo[d] >>> (32 - n));
              lo[d] = lo[d] << n;
            }
            pc++;
            continue;
          }
          case Op.rsh64: {
            const n = blo & 63;
            if (n >= 32) {
              lo[d] = hi[d] >>> (n - 32);
              hi[d] = 0;
            } else if (n > 0) {
              lo[d] = (lo[d] >>> n) | (hi[d] << (32 - n));
              hi[d] = hi[d] >>> n;
            }
            pc++;
            continue;
          }
          case Op.arsh64: {
            const n = blo & 63;
            const high = hi[d] | 0;
            if (n >= 32) {
              lo[d] = high >> (n - 32);
              hi[d] = high >> 31;
            } else if (n > 0) {
              lo[d] = (lo[d] >>> n) | (high << (32 - n));
              hi[d] = high >> n;
            }
            pc++;
            continue;
          }
          case Op.mov64:
            lo[d] = blo;
            hi[d] = bhi;
            pc++;
            continue;
          case Op.neg64: {
            const low = lo[d];
            lo[d] = -low;
            hi[d] = -hi[d] - (low !== 0 ? 1 : 0);
            pc++;
            continue;
          }
          case Op.movsx64: {
            const bits = code.target[pc];
            const value = bits === 32 ? blo | 0 : (blo << (32 - bits)) >> (32 - bits);
            lo[d] = value;
            hi[d] = value >> 31;
            pc++;
            continue;
          }
          case Op.add32:
            lo[d] = lo[d] + blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.sub32:
            lo[d] = lo[d] - blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.mul32:
            lo[d] = Math.imul(lo[d], blo);
            hi[d] = 0;
            pc++;
            continue;
          case Op.div32:
            lo[d] = blo === 0 ? 0 : Math.floor(lo[d] / blo);
            hi[d] = 0;
            pc++;
            continue;
          case Op.sdiv32: {
            const a = lo[d] | 0;
            const b = blo | 0;
            // INT_MIN / -1 overflows back to INT_MIN (truncation of 2^31 to 32 bits gives the same).
            lo[d] = b === 0 ? 0 : Math.trunc(a / b);
            hi[d] = 0;
            pc++;
            continue;
          }
          case Op.mod32:
            if (blo !== 0) lo[d] = lo[d] % blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.smod32: {
            const b = blo | 0;
            if (b === -1) lo[d] = 0;
            else if (b !== 0) lo[d] = (lo[d] | 0) % b;
            hi[d] = 0;
            pc++;
            continue;
          }
          case Op.or32:
            lo[d] |= blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.and32:
            lo[d] &= blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.xor32:
            lo[d] ^= blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.lsh32:
            lo[d] = lo[d] << (blo & 31);
            hi[d] = 0;
            pc++;
            continue;
          case Op.rsh32:
            lo[d] = lo[d] >>> (blo & 31);
            hi[d] = 0;
            pc++;
            continue;
          case Op.arsh32:
            lo[d] = (lo[d] | 0) >> (blo & 31);
            hi[d] = 0;
            pc++;
            continue;
          case Op.mov32:
            lo[d] = blo;
            hi[d] = 0;
            pc++;
            continue;
          case Op.neg32:
            lo[d] = -lo[d];
            hi[d] = 0;
            pc++;
            continue;
          case Op.movsx32: {
            const shift = 32 - code.target[pc];
            lo[d] = (blo << shift) >> shift;
            hi[d] = 0;
            pc++;
            continue;
          }
          case Op.le: {
            const bits = code.target[pc];
            if (bits === 16) lo[d] &= 0xffff;
            if (bits !== 64) hi[d] = 0;
            pc++;
            continue;
          }
          case Op.swap: {
            const bits = code.target[pc];
            if (bits === 16) {
              lo[d] = byteSwap16(lo[d]);
              hi[d] = 0;
            } else if (bits === 32) {
              lo[d] = byteSwap32(lo[d]);
              hi[d] = 0;
            } else {
              const low = lo[d];
              lo[d] = byteSwap32(hi[d]);
              hi[d] = byteSwap32(low);
            }
            pc++;
            continue;
          }
          case Op.ja:
            pc = code.target[pc];
            continue;
          case Op.jeq64:
            pc = lo[d] === blo && hi[d] === bhi ? code.target[pc] : pc + 1;
            continue;
          case Op.jne64:
            pc = lo[d] !== blo || hi[d] !== bhi ? code.target[pc] : pc + 1;
            continue;
          case Op.jgt64:
            pc = compareU64(lo[d], hi[d], blo, bhi) > 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jge64:
            pc = compareU64(lo[d], hi[d], blo, bhi) >= 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jlt64:
            pc = compareU64(lo[d], hi[d], blo, bhi) < 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jle64:
            pc = compareU64(lo[d], hi[d], blo, bhi) <= 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jset64:
            pc = (lo[d] & blo) !== 0 || (hi[d] & bhi) !== 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jsgt64:
            pc = compareS64(lo[d], hi[d], blo, bhi) > 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jsge64:
            pc = compareS64(lo[d], hi[d], blo, bhi) >= 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jslt64:
            pc = compareS64(lo[d], hi[d], blo, bhi) < 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jsle64:
            pc = compareS64(lo[d], hi[d], blo, bhi) <= 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jeq32:
            pc = lo[d] === blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jne32:
            pc = lo[d] !== blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jgt32:
            pc = lo[d] > blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jge32:
            pc = lo[d] >= blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jlt32:
            pc = lo[d] < blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jle32:
            pc = lo[d] <= blo ? code.target[pc] : pc + 1;
            continue;
          case Op.jset32:
            pc = (lo[d] & blo) !== 0 ? code.target[pc] : pc + 1;
            continue;
          case Op.jsgt32:
            pc = (lo[d] | 0) > (blo | 0) ? code.target[pc] : pc + 1;
            continue;
          case Op.jsge32:
            pc = (lo[d] | 0) >= (blo | 0) ? code.target[pc] : pc + 1;
            continue;
          case Op.jslt32:
            pc = (lo[d] | 0) < (blo | 0) ? code.target[pc] : pc + 1;
            continue;
          case Op.jsle32:
            pc = (lo[d] | 0) <= (blo | 0) ? code.target[pc] : pc + 1;
            continue;
          case Op.ldxb:
            lo[d] = view.getUint8(this.address(pc, s, code.target[pc], 1, 'read'));
            hi[d] = 0;
            pc++;
            continue;
          case Op.ldxh:
            lo[d] = view.getUint16(this.address(pc, s, code.target[pc], 2, 'read'), true);
            hi[d] = 0;
            pc++;
            continue;
          case Op.ldxw:
            lo[d] = view.getUint32(this.address(pc, s, code.target[pc], 4, 'read'), true);
            hi[d] = 0;
            pc++;
            continue;
          case Op.ldxdw: {
            const at = this.address(pc, s, code.target[pc], 8, 'read');
            lo[d] = view.getUint32(at, true);
            hi[d] = view.getUint32(at + 4, true);
            pc++;
            continue;
          }
          case Op.ldxsb: {
            const value = view.getInt8(this.address(pc, s, code.target[pc], 1, 'read'));
            lo[d] = value;
            hi[d] = value >> 31;
            pc++;
            continue;
          }
          case Op.ldxsh: {
            const value = view.getInt16(this.address(pc, s, code.target[pc], 2, 'read'), true);
            lo[d] = value;
            hi[d] = value >> 31;
            pc++;
            continue;
          }
          case Op.ldxsw: {
            const value = view.getInt32(this.address(pc, s, code.target[pc], 4, 'read'), true);
            lo[d] = value;
            hi[d] = value >> 31;
            pc++;
            continue;
          }
          case Op.stb:
            view.setUint8(this.address(pc, d, code.target[pc], 1, 'write'), blo & 0xff);
            pc++;
            continue;
          case Op.sth:
            view.setUint16(this.address(pc, d, code.target[pc], 2, 'write'), blo & 0xffff, true);
            pc++;
            continue;
          case Op.stw:
            view.setUint32(this.address(pc, d, code.target[pc], 4, 'write'), blo, true);
            pc++;
            continue;
          case Op.stdw: {
            const at = this.address(pc, d, code.target[pc], 8, 'write');
            view.setUint32(at, blo, true);
            view.setUint32(at + 4, bhi, true);
            pc++;
            continue;
          }
          case Op.atomic32:
          case Op.atomic64:
            this.atomic(pc, op === Op.atomic64 ? 8 : 4);
            pc++;
            continue;
          case Op.ldImm64:
            lo[d] = code.immLo[pc];
            hi[d] = code.immHi[pc];
            pc += 2;
            continue;
          case Op.ldLegacy:
            this.currentPc = pc;
            this.legacyLoad(pc, s, code.immLo[pc], code.target[pc] as 1 | 2 | 4);
            pc++;
            continue;
          case Op.callLocal:
            this.currentPc = pc;
            this.pushFrame(pc, code.target[pc]);
            view = this.view;
            pc = code.target[pc];
            continue;
          case Op.callHelper:
            this.currentPc = pc;
            this.remaining = remaining;
            this.callHelper(pc, code.target[pc]);
            remaining = this.remaining;
            view = this.view;
            pc++;
            continue;
          case Op.tailCall: {
            this.currentPc = pc;
            const next = this.tailCall(pc);
            if (next === undefined) {
              // Falls through like a helper call that returned an error; r0 is left as it was.
              pc++;
              continue;
            }
            // The target replaces the running function in its frame: r1 (the context) and r10 stay.
            this.program = next;
            this.code = compileProgram(next);
            this.programBase = this.frames.length;
            code = this.code;
            pc = 0;
            continue;
          }
          case Op.exit: {
            if (entry && this.frames.length === baseDepth) return joinHalves(lo[0], hi[0]);
            const frame = this.popFrame();
            code = this.code;
            if (this.frames.length < baseDepth) return joinHalves(lo[0], hi[0]);
            pc = frame.returnPc;
            continue;
          }
          default: {
            const fault = code.faults.get(pc);
            throw this.fault(fault?.insn ?? pc, fault?.reason ?? `unknown interpreter opcode ${op}`);
          }
        }
      }
    } finally {
      this.remaining = remaining;
      this.currentPc = pc;
    }
  }
}

const alignUp8 = (value: number): number => Math.ceil(Math.max(value, 0) / 8) * 8;

/**
 * Runs `program` once with r1 = run.ctx and returns r0. Throws RuntimeFault when the run cannot go on (in
 * checked mode: any access outside the live allocations of VmMemory, the budget, a bad call); never another
 * exception for anything the program does. The run is wrapped in vm.memory.beginRun()/endRun().
 */
export function interpret(
  program: ExecutableProgram,
  run: InterpretRun,
  vm: VmServices,
  helpers: HelperTable,
  options: InterpretOptions,
): bigint {
  vm.memory.beginRun();
  let execution: Execution | undefined;
  try {
    execution = new Execution(program, run, vm, helpers, options);
    return execution.start();
  } catch (error) {
    if (error instanceof ProgramExit) return BigInt.asUintN(64, error.r0);
    if (error instanceof RuntimeFault) throw error;
    if (error instanceof MemoryError) {
      // No room for the stack: the run cannot start.
      throw new RuntimeFault(execution?.currentPc ?? 0, error.message);
    }
    // A host-level failure (e.g. a wasm memory access past its end) still names the instruction.
    if (error instanceof RangeError || error instanceof TypeError) {
      const pc = execution?.currentPc ?? 0;
      throw new RuntimeFault(
        pc,
        `internal fault: ${error.message}`,
        execution?.callStack(pc) ?? [],
        execution?.faultFrames(pc) ?? [],
      );
    }
    throw error;
  } finally {
    execution?.release();
    vm.memory.endRun();
  }
}
