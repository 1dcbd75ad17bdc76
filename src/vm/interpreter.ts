// The interpreter: runs an ExecutableProgram instruction by instruction with RFC 9669's 64-bit semantics,
// one frame per bpf-to-bpf call, helpers by id, tail calls, and a checked mode for unverified programs.

import { MAX_BPF_STACK, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT } from '../abi/limits.js';
import type { DecodedInsn } from '../isa/decoded.js';
import type { ProgArrayMap } from './maps/index.js';
import {
  type ExecutableProgram,
  functionPointerTarget,
  type HelperTable,
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
  /** checked: every access must fall inside a live VmMemory allocation, with an instruction budget. */
  readonly mode: 'checked' | 'fast';
  /** Instructions one run may execute in checked mode (default 1,000,000; callbacks and tail calls count). */
  readonly budget?: number;
  /** Optional names of the program's functions (same order as functionStarts) for fault call stacks. */
  readonly functionNames?: readonly string[];
}

export const DEFAULT_BUDGET = 1_000_000;
const BPF_FUNC_TAIL_CALL = 12;
const MASK64 = 0xffff_ffff_ffff_ffffn;
const MASK32 = 0xffff_ffffn;

/** A frame of the call stack: what to restore when the function returns. */
interface Frame {
  readonly program: ExecutableProgram;
  readonly returnPc: number;
  readonly saved: readonly bigint[];
  /** r10 of the caller. */
  readonly callerFp: bigint;
  /** Function start of the caller's code (for call stacks in faults). */
  readonly functionStart: number;
}

const toSigned64 = (value: bigint): bigint => BigInt.asIntN(64, value);
const toSigned32 = (value: bigint): bigint => BigInt.asIntN(32, value);

function byteSwap(value: bigint, bits: number): bigint {
  let result = 0n;
  let rest = value;
  for (let i = 0; i < bits; i += 8) {
    result = (result << 8n) | (rest & 0xffn);
    rest >>= 8n;
  }
  return result;
}

/** 64-bit (or 32-bit, zero-extended) ALU operation per RFC 9669 §4.1, including division by zero rules. */
function aluOp(op: string, width: 32 | 64, dst: bigint, src: bigint): bigint {
  const mask = width === 64 ? MASK64 : MASK32;
  const shiftMask = width === 64 ? 63n : 31n;
  const a = dst & mask;
  const b = src & mask;
  const signed = (v: bigint) => (width === 64 ? toSigned64(v) : toSigned32(v));
  switch (op) {
    case 'add':
      return (a + b) & mask;
    case 'sub':
      return (a - b) & mask;
    case 'mul':
      return (a * b) & mask;
    case 'div':
      return b === 0n ? 0n : a / b;
    case 'sdiv': {
      if (b === 0n) return 0n;
      return signed(a) === -(1n << BigInt(width - 1)) && signed(b) === -1n
        ? a
        : (signed(a) / signed(b)) & mask;
    }
    case 'mod':
      return b === 0n ? a : a % b;
    case 'smod': {
      if (b === 0n) return a;
      if (signed(b) === -1n) return 0n;
      return (signed(a) % signed(b)) & mask;
    }
    case 'or':
      return a | b;
    case 'and':
      return a & b;
    case 'xor':
      return a ^ b;
    case 'lsh':
      return (a << (b & shiftMask)) & mask;
    case 'rsh':
      return a >> (b & shiftMask);
    case 'arsh':
      return (signed(a) >> (b & shiftMask)) & mask;
    case 'mov':
      return b;
    default:
      throw new Error(`unknown ALU op ${op}`);
  }
}

function condition(op: string, width: 32 | 64, dst: bigint, src: bigint): boolean {
  const mask = width === 64 ? MASK64 : MASK32;
  const a = dst & mask;
  const b = src & mask;
  const sa = width === 64 ? toSigned64(a) : toSigned32(a);
  const sb = width === 64 ? toSigned64(b) : toSigned32(b);
  switch (op) {
    case 'jeq':
      return a === b;
    case 'jne':
      return a !== b;
    case 'jgt':
      return a > b;
    case 'jge':
      return a >= b;
    case 'jlt':
      return a < b;
    case 'jle':
      return a <= b;
    case 'jset':
      return (a & b) !== 0n;
    case 'jsgt':
      return sa > sb;
    case 'jsge':
      return sa >= sb;
    case 'jslt':
      return sa < sb;
    case 'jsle':
      return sa <= sb;
    default:
      throw new Error(`unknown jump op ${op}`);
  }
}

/** Runs one program from its entry; the state of one `interpret` call. */
class Execution {
  readonly regs = new BigUint64Array(11);
  readonly frames: Frame[] = [];
  program: ExecutableProgram;
  executed = 0;
  tailCalls = 0;
  /** The instruction being executed (for faults raised from helpers and callbacks). */
  currentPc = 0;
  private readonly stackBase: number;
  private readonly stackSize: number;
  private view: DataView;
  private readonly checked: boolean;
  private readonly budget: number;
  private readonly runState: RunState;

  constructor(
    entry: ExecutableProgram,
    private readonly run: InterpretRun,
    private readonly vm: VmServices,
    private readonly helpers: HelperTable,
    private readonly options: InterpretOptions,
  ) {
    this.program = entry;
    this.checked = options.mode === 'checked';
    this.budget = options.budget ?? DEFAULT_BUDGET;
    // Frames are laid out contiguously downwards from the top of one region; the kernel bounds the chain
    // to MAX_CALL_FRAMES frames of MAX_BPF_STACK bytes combined, tsbpf gives every frame its own depth here.
    this.stackSize = MAX_CALL_FRAMES * MAX_BPF_STACK;
    this.stackBase = vm.memory.allocate(this.stackSize, 16);
    this.view = vm.memory.view();
    const execution = this;
    this.runState = {
      program: entry,
      ctx: run.ctx,
      cpu: run.cpu,
      ...(run.packet === undefined ? {} : { packet: run.packet }),
      callFunction(pointer: bigint, args: readonly bigint[]): bigint {
        return execution.callback(pointer, args);
      },
    };
  }

  release(): void {
    this.vm.memory.free(this.stackBase);
  }

  /** Runs the entry program with r1 = ctx. */
  start(): bigint {
    const args = this.run.args ?? [BigInt(this.run.ctx)];
    for (let i = 0; i < 5; i++) this.regs[i + 1] = args[i] ?? 0n;
    this.regs[10] = BigInt(this.stackBase + this.stackSize);
    return this.execute(0, true);
  }

  private fault(pc: number, reason: string): RuntimeFault {
    return new RuntimeFault(pc, reason, this.callStack(pc));
  }

  private functionName(program: ExecutableProgram, start: number): string {
    const index = program.functionStarts.indexOf(start);
    const name = program === this.program ? this.options.functionNames?.[index] : undefined;
    if (name !== undefined) return name;
    if (start === 0 && program.name !== '') return program.name;
    return `func@${start}`;
  }

  private functionStartOf(program: ExecutableProgram, pc: number): number {
    let start = 0;
    for (const candidate of program.functionStarts) if (candidate <= pc) start = candidate;
    return start;
  }

  private callStack(pc: number): string[] {
    const stack = this.frames.map((frame) => this.functionName(frame.program, frame.functionStart));
    const current = this.functionName(this.program, this.functionStartOf(this.program, pc));
    if (stack.length === 0 || stack[stack.length - 1] !== current) stack.push(current);
    return stack;
  }

  private refreshView(): void {
    const buffer = this.vm.memory.memory.buffer;
    if (this.view.buffer !== buffer) this.view = this.vm.memory.view();
  }

  private address(pc: number, base: bigint, off: number, size: number, what: 'read' | 'write'): number {
    const address = Number(BigInt.asUintN(64, base + BigInt(off)));
    const inRange = address + size <= this.view.byteLength && address >= 0;
    if (this.checked) {
      if (!inRange || !this.vm.memory.isAllocated(address, size)) {
        throw this.fault(pc, `invalid ${what} of ${size} bytes at address 0x${address.toString(16)}`);
      }
    } else if (!inRange || address < this.vm.memory.guardSize) {
      throw this.fault(pc, `${what} of ${size} bytes outside memory at address 0x${address.toString(16)}`);
    }
    return address;
  }

  private load(pc: number, base: bigint, off: number, size: number, signed: boolean): bigint {
    const at = this.address(pc, base, off, size, 'read');
    const view = this.view;
    switch (size) {
      case 1:
        return signed ? BigInt.asUintN(64, BigInt(view.getInt8(at))) : BigInt(view.getUint8(at));
      case 2:
        return signed
          ? BigInt.asUintN(64, BigInt(view.getInt16(at, true)))
          : BigInt(view.getUint16(at, true));
      case 4:
        return signed
          ? BigInt.asUintN(64, BigInt(view.getInt32(at, true)))
          : BigInt(view.getUint32(at, true));
      default:
        return view.getBigUint64(at, true);
    }
  }

  private store(pc: number, base: bigint, off: number, size: number, value: bigint): void {
    const at = this.address(pc, base, off, size, 'write');
    const view = this.view;
    switch (size) {
      case 1:
        view.setUint8(at, Number(value & 0xffn));
        break;
      case 2:
        view.setUint16(at, Number(value & 0xffffn), true);
        break;
      case 4:
        view.setUint32(at, Number(value & MASK32), true);
        break;
      default:
        view.setBigUint64(at, value & MASK64, true);
    }
  }

  private operand(source: { kind: 'reg'; reg: number } | { kind: 'imm'; imm: number }): bigint {
    // Immediates are sign-extended to 64 bits (RFC 9669 §4.1); 32-bit operations then use the low half.
    return source.kind === 'reg' ? this.regs[source.reg] : BigInt.asUintN(64, BigInt(source.imm));
  }

  /** A callback (bpf_loop, for_each_map_elem) called from a helper: a new frame, r1-r5 = args, returns r0. */
  private callback(pointer: bigint, args: readonly bigint[]): bigint {
    const target = functionPointerTarget(pointer);
    const pc = this.currentPc;
    if (target === undefined || !this.program.functionStarts.includes(target)) {
      throw this.fault(pc, `callback 0x${pointer.toString(16)} is not a function of the program`);
    }
    const saved = Array.from(this.regs);
    this.pushFrame(pc, target);
    for (let i = 0; i < 5; i++) this.regs[i + 1] = args[i] ?? 0n;
    const result = this.execute(target, false);
    // The helper's own frame continues: its registers are as they were (the helper clobbers r0-r5 anyway).
    for (let i = 0; i <= 10; i++) this.regs[i] = saved[i];
    return result;
  }

  private pushFrame(pc: number, target: number): void {
    if (this.frames.length + 1 >= MAX_CALL_FRAMES) {
      throw this.fault(pc, `the call stack of ${MAX_CALL_FRAMES + 1} frames is too deep`);
    }
    const calleeIndex = this.program.functionStarts.indexOf(target);
    const callerIndex = this.program.functionStarts.indexOf(this.functionStartOf(this.program, pc));
    const callerDepth = this.program.stackDepths[callerIndex] ?? MAX_BPF_STACK;
    const calleeDepth = this.program.stackDepths[calleeIndex] ?? MAX_BPF_STACK;
    const fp = this.regs[10];
    const newFp = fp - BigInt(Math.max(callerDepth, 0));
    if (newFp - BigInt(calleeDepth) < BigInt(this.stackBase)) {
      throw this.fault(pc, `combined stack of the call chain is larger than ${this.stackSize} bytes`);
    }
    this.frames.push({
      program: this.program,
      returnPc: pc + 1,
      saved: [this.regs[6], this.regs[7], this.regs[8], this.regs[9]],
      callerFp: fp,
      functionStart: this.functionStartOf(this.program, pc),
    });
    this.regs[10] = newFp;
  }

  /**
   * Runs from `pc` until the function `execute` was entered for returns. `entry` marks the outermost call,
   * whose exit ends the run; a callback's frame was pushed by `callback`, and its exit pops it and returns.
   */
  private execute(startPc: number, entry: boolean): bigint {
    const regs = this.regs;
    let pc = startPc;
    const baseDepth = this.frames.length;
    for (;;) {
      let program = this.program;
      const decoded = program.decoded;
      if (pc < 0 || pc >= decoded.length) {
        throw this.fault(pc, `jump out of range to insn ${pc}`);
      }
      if (this.checked && ++this.executed > this.budget) {
        throw this.fault(pc, `instruction budget of ${this.budget} exhausted`);
      }
      const insn = decoded[pc] as DecodedInsn | undefined;
      if (insn === undefined) throw this.fault(pc, 'jump into the middle of an LD_IMM64');
      this.currentPc = pc;
      switch (insn.kind) {
        case 'alu': {
          if (insn.op === 'neg') {
            const mask = insn.width === 64 ? MASK64 : MASK32;
            regs[insn.dst] = -(regs[insn.dst] & mask) & mask;
          } else if (insn.op === 'movsx') {
            const bits = BigInt(insn.signExtendBits);
            const value = BigInt.asIntN(Number(bits), regs[insn.source.reg]);
            regs[insn.dst] = insn.width === 64 ? BigInt.asUintN(64, value) : BigInt.asUintN(32, value);
          } else {
            regs[insn.dst] = aluOp(insn.op, insn.width, regs[insn.dst], this.operand(insn.source));
          }
          pc++;
          break;
        }
        case 'endian': {
          const bits = insn.bits;
          const value = regs[insn.dst] & ((1n << BigInt(bits)) - 1n);
          regs[insn.dst] = insn.to === 'le' ? value : byteSwap(value, bits);
          pc++;
          break;
        }
        case 'jump': {
          if (insn.op === 'ja') {
            pc += 1 + insn.offset;
          } else {
            const taken = condition(insn.op, insn.width, regs[insn.dst], this.operand(insn.source));
            pc += taken ? 1 + insn.offset : 1;
          }
          break;
        }
        case 'ld_imm64': {
          const value = program.ldImm64Values[pc];
          if (value === undefined)
            throw this.fault(pc, `LD_IMM64 with src ${insn.src} was not resolved at load`);
          regs[insn.dst] = BigInt.asUintN(64, value);
          pc += 2;
          break;
        }
        case 'load':
          regs[insn.dst] = this.load(pc, regs[insn.src], insn.off, insn.size, insn.signed);
          pc++;
          break;
        case 'store':
          this.store(pc, regs[insn.dst], insn.off, insn.size, this.operand(insn.source));
          pc++;
          break;
        case 'atomic':
          this.atomic(pc, insn);
          pc++;
          break;
        case 'ld_legacy': {
          const packet = this.run.packet as Partial<LegacyPacketAccess> | undefined;
          if (packet?.loadAbsolute === undefined) {
            throw this.fault(pc, 'LD_ABS/LD_IND need a socket buffer (skb) context');
          }
          const offset =
            insn.mode === 'abs' ? insn.imm : Number(BigInt.asIntN(32, regs[insn.src] + BigInt(insn.imm)));
          const value = packet.loadAbsolute(offset, insn.size);
          // Kernel: an out-of-packet legacy load ends the whole program with r0 = 0.
          if (value === undefined) throw new ProgramExit(0n);
          regs[0] = value;
          pc++;
          break;
        }
        case 'call': {
          if (insn.target === 'local') {
            const target = pc + insn.imm + 1;
            if (!program.functionStarts.includes(target)) {
              throw this.fault(pc, `call to insn ${target}, which does not start a function`);
            }
            this.pushFrame(pc, target);
            pc = target;
            break;
          }
          if (insn.target === 'kfunc') throw this.fault(pc, 'kfunc calls need the running kernel');
          if (insn.imm === BPF_FUNC_TAIL_CALL) {
            const next = this.tailCall(pc);
            if (next === undefined) {
              pc++;
            } else {
              program = next;
              this.program = next;
              pc = 0;
            }
            break;
          }
          const helper = this.helpers.get(insn.imm);
          if (helper === undefined) throw this.fault(pc, `unknown helper ${insn.imm}`);
          const args = [regs[1], regs[2], regs[3], regs[4], regs[5]] as const;
          const result = helper({ args, vm: this.vm, run: this.runState, insn: pc });
          this.refreshView();
          regs[0] = BigInt.asUintN(64, result);
          pc++;
          break;
        }
        case 'exit': {
          if (entry && this.frames.length === baseDepth) return regs[0];
          const frame = this.frames.pop()!;
          regs[6] = frame.saved[0];
          regs[7] = frame.saved[1];
          regs[8] = frame.saved[2];
          regs[9] = frame.saved[3];
          regs[10] = frame.callerFp;
          this.program = frame.program;
          if (this.frames.length < baseDepth) return regs[0];
          pc = frame.returnPc;
          break;
        }
        default: {
          const unreachable: never = insn;
          throw this.fault(pc, `unknown instruction ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  private tailCall(pc: number): ExecutableProgram | undefined {
    const map = this.vm.maps.atAddress(Number(this.regs[2] & MASK32));
    if (map === undefined || map.typeName !== 'prog_array') {
      throw this.fault(pc, 'bpf_tail_call needs a prog_array map in r2');
    }
    const index = Number(this.regs[3] & MASK32);
    if (index >= map.maxEntries) return undefined;
    if (this.tailCalls >= MAX_TAIL_CALL_CNT) return undefined;
    const handle = (map as ProgArrayMap).programAt(index);
    if (handle === undefined) return undefined;
    const target = this.vm.programByHandle(handle);
    if (target === undefined) return undefined;
    this.tailCalls++;
    // The target replaces the current function in its frame: r1 (the context) stays, r10 is reused.
    return target;
  }

  private atomic(pc: number, insn: Extract<DecodedInsn, { kind: 'atomic' }>): void {
    const regs = this.regs;
    const size = insn.size;
    const mask = size === 8 ? MASK64 : MASK32;
    const old = this.load(pc, regs[insn.dst], insn.off, size, false);
    const operand = regs[insn.src] & mask;
    let stored: bigint;
    switch (insn.op) {
      case 'add':
        stored = (old + operand) & mask;
        break;
      case 'or':
        stored = old | operand;
        break;
      case 'and':
        stored = old & operand;
        break;
      case 'xor':
        stored = old ^ operand;
        break;
      case 'xchg':
        stored = operand;
        break;
      case 'cmpxchg': {
        const expected = regs[0] & mask;
        stored = old === expected ? operand : old;
        regs[0] = old;
        this.store(pc, regs[insn.dst], insn.off, size, stored);
        return;
      }
      default:
        throw this.fault(pc, `atomic operation ${insn.op} is not supported`);
    }
    this.store(pc, regs[insn.dst], insn.off, size, stored);
    if (insn.fetch) regs[insn.src] = old;
  }
}

/**
 * Runs `program` once with r1 = run.ctx and returns r0. Throws RuntimeFault when the run cannot go on (in
 * checked mode: any access outside the live allocations of VmMemory, the budget, a bad call); never another
 * exception for anything the program does.
 */
export function interpret(
  program: ExecutableProgram,
  run: InterpretRun,
  vm: VmServices,
  helpers: HelperTable,
  options: InterpretOptions,
): bigint {
  vm.memory.beginRun();
  const execution = new Execution(program, run, vm, helpers, options);
  try {
    return execution.start();
  } catch (error) {
    if (error instanceof ProgramExit) return error.r0;
    if (error instanceof RuntimeFault) throw error;
    // A host-level failure (e.g. a BigInt to Number conversion) still names the instruction.
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new RuntimeFault(execution.currentPc, `internal fault: ${error.message}`);
    }
    throw error;
  } finally {
    execution.release();
    vm.memory.endRun();
  }
}
