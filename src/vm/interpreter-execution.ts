// The state of a program prepared to run in the interpreter, made once and reused by every run: the register
// file, the frames and stack, the budget, and what the dispatch loop hands off (calls, faults, atomics,
// 64-bit division). A run only resets registers and frames.

import {
  FastHelperSite,
  fastRegister,
  fitsFastForm,
  HelperCallRecords,
  legacyLoad,
  registerValue,
  setFastResult,
  setRegisterValue,
  tailCallTarget,
} from './interpreter-calls.js';
import { ATOMIC_FETCH, type CompiledCode, compileProgram, functionIndexAt } from './interpreter-code.js';
import { invalidAccessReason, runtimeFault } from './interpreter-faults.js';
import { CHAIN_TOO_DEEP, FrameStack, MAX_RUN_FRAMES, RUN_TOO_DEEP } from './interpreter-frames.js';
import { AtomicOp, execute, Op, Source } from './interpreter-loop.js';
import { addCarry, type Division64, divide64, joinHalves, TWO_POW_32 } from './isa-semantics.js';
import { MemoryError } from './memory.js';
import {
  type ExecutableProgram,
  type FastHelper,
  functionPointerTarget,
  type HelperTable,
  type InstructionTracer,
  ProgramExit,
  type RunState,
  RuntimeFault,
  type VmServices,
} from './runtime.js';
import { BPF_MAX_LOOPS, MAX_CALL_FRAMES } from '../abi/limits.js';

export interface ExecutionSettings {
  readonly checked: boolean;
  /** Instructions one run may execute; Infinity for none. */
  readonly budget: number;
  readonly trace: InstructionTracer | undefined;
  readonly functionNames: readonly string[] | undefined;
}

/** What a run starts from: r1 = the context (or `args` as r1-r5), on `cpu`, with the run's packet. */
export interface ExecutionRun {
  readonly ctx: number;
  readonly cpu: number;
  readonly packet?: unknown;
  readonly args?: readonly bigint[];
}

/** The budget counter's refill when a run has no budget: large, and still a small integer for V8. */
const UNLIMITED_CHUNK = 0x3fff_ffff;
const DIVISIONS: Readonly<Record<number, Division64>> = {
  [Op.div64]: 'div',
  [Op.mod64]: 'mod',
  [Op.sdiv64]: 'sdiv',
  [Op.smod64]: 'smod',
};

/** Mutable run state helpers see (`RunState`): one object per execution, updated per run. */
class ExecutionRunState implements RunState {
  ctx = 0;
  cpu = 0;
  packet: unknown = undefined;
  constructor(private readonly execution: Execution) {}
  get program(): ExecutableProgram {
    return this.execution.program;
  }
  callFunction(pointer: bigint, args: readonly bigint[]): bigint {
    return this.execution.callback(pointer, args);
  }
}

export class Execution {
  /** r0-r10 as int32 halves: r(n) low at 2n, high at 2n + 1. */
  readonly regs = new Int32Array(24);
  readonly frames: FrameStack;
  program: ExecutableProgram;
  /** The running program's number in frames.programs (what a call records of its caller). */
  programNumber = 0;
  compiled: CompiledCode;
  code: Int32Array;
  /** The running program's code without fused slots (CompiledCode.plain). */
  plain: Int32Array;
  view: DataView;
  /** Bytes in the memory (the view's length), refreshed with the view. */
  memoryEnd = 0;
  /**
   * Addresses the loop lets an access reach without calling access(): fast mode, the memory past its guard;
   * checked mode, the live allocation the last checked access fell in (allocations change only in helpers, after
   * which it is emptied).
   */
  okLow = 0;
  okHigh = 0;
  /**
   * Instructions left before the budget check fires. A tracer keeps it at 0, so that the budget check, the one
   * test every instruction already makes, also calls the tracer: tracing costs nothing when off.
   */
  remaining = 0;
  /** The instruction being executed (for faults raised from helpers and callbacks). */
  currentPc = 0;
  readonly checked: boolean;
  /** Bytes at address 0 no access may touch (VmMemory's guard). */
  readonly guardSize: number;
  private tailCalls = 0;
  /** Instructions this run may still execute while the counter above is refilled (no budget, or a tracer). */
  private budgetLeft = 0;
  private readonly entryCode: CompiledCode;
  private readonly runState: ExecutionRunState;
  private readonly helperCalls: HelperCallRecords;
  private readonly fastSite: FastHelperSite;
  /** r0-r5 saved around callbacks, 12 words per frame depth. */
  private readonly callbackSaves = new Int32Array(MAX_RUN_FRAMES * 12);
  /** The callback last resolved: its pointer, the program and helper call it came from, and its frame. */
  private readonly callbackSite = {
    pointer: -1n,
    program: undefined as ExecutableProgram | undefined,
    pc: -1,
    target: 0,
    callerFrameSize: 0,
    calleeFrameSize: 0,
  };

  constructor(
    readonly entry: ExecutableProgram,
    private readonly vm: VmServices,
    private readonly helpers: HelperTable,
    private readonly settings: ExecutionSettings,
  ) {
    this.checked = settings.checked;
    this.guardSize = vm.memory.guardSize;
    this.program = entry;
    this.entryCode = compileProgram(entry);
    this.compiled = this.entryCode;
    this.code = this.compiled.code;
    this.plain = this.compiled.plain;
    this.frames = new FrameStack(vm.memory);
    this.frames.programNumber(entry, this.entryCode);
    this.view = vm.memory.view();
    this.memoryEnd = vm.memory.byteLength;
    this.runState = new ExecutionRunState(this);
    this.helperCalls = new HelperCallRecords(vm, this.runState);
    this.fastSite = new FastHelperSite(vm, this.runState);
  }

  release(): void {
    this.frames.release();
  }

  /** One run: r1 = ctx (or the run's args), r10 = the stack top, everything else zero; r0 is left in regs. */
  run(run: ExecutionRun): void {
    const regs = this.regs;
    regs.fill(0);
    const state = this.runState;
    state.ctx = run.ctx;
    state.cpu = run.cpu;
    state.packet = run.packet;
    if (run.args === undefined) {
      regs[2] = run.ctx;
    } else {
      for (let i = 0; i < 5; i++) setRegisterValue(regs, 2 * (i + 1), run.args[i] ?? 0n);
    }
    this.frames.reset();
    regs[20] = this.frames.stackHigh;
    this.program = this.entry;
    this.programNumber = 0;
    this.compiled = this.entryCode;
    this.code = this.entryCode.code;
    this.plain = this.entryCode.plain;
    this.refreshView();
    this.tailCalls = 0;
    this.currentPc = 0;
    this.helperCalls.reset();
    const { budget, trace } = this.settings;
    if (trace === undefined && budget <= UNLIMITED_CHUNK) {
      this.remaining = budget;
      this.budgetLeft = 0;
    } else {
      this.remaining = trace === undefined ? UNLIMITED_CHUNK : 0;
      this.budgetLeft = budget - this.remaining;
    }
    try {
      execute(this, 0, 0);
    } catch (error) {
      if (!(error instanceof ProgramExit)) throw error;
      // The program ended at once with r0 (a helper's abort, an out-of-packet legacy load).
      setRegisterValue(regs, 0, error.r0);
    }
  }

  /** r0 (u64) after the last run. */
  result(): bigint {
    return registerValue(this.regs, 0);
  }

  /** The memory may have grown (helpers allocate, a call may need a new stack segment): a current view. */
  refreshView(): void {
    this.view = this.vm.memory.view();
    this.memoryEnd = this.vm.memory.byteLength;
    this.okLow = this.checked ? 0 : this.guardSize;
    this.okHigh = this.checked ? 0 : this.memoryEnd;
  }

  fault(pc: number, reason: string): RuntimeFault {
    return runtimeFault(
      { frames: this.frames, program: this.program, pc, functionNames: this.settings.functionNames },
      reason,
    );
  }

  /** A fault slot was executed (bad jump, bad call, off the end). */
  faultSlot(pc: number): RuntimeFault {
    const fault = this.compiled.faults.get(pc);
    return this.fault(
      fault?.insn ?? pc,
      fault?.reason ?? `unknown interpreter opcode ${this.code[pc << 2] & 255}`,
    );
  }

  /**
   * The counter ran out: refill it from what is left of the budget, or fault; with a tracer attached, count
   * one instruction and trace it. Returns the new counter.
   */
  budgetCheck(pc: number, remaining: number): number {
    const trace = this.settings.trace;
    if (trace === undefined) {
      if (this.budgetLeft <= 0)
        throw this.fault(pc, `instruction budget of ${this.settings.budget} exhausted`);
      const refill = Math.min(this.budgetLeft, UNLIMITED_CHUNK);
      this.budgetLeft -= refill;
      return remaining + refill;
    }
    if (--this.budgetLeft < 0)
      throw this.fault(pc, `instruction budget of ${this.settings.budget} exhausted`);
    trace.step(this.program, pc, this.frames.depth, this.unsignedLows(), this.unsignedHighs());
    return 0;
  }

  private unsignedLows(): Uint32Array {
    const lows = new Uint32Array(11);
    for (let i = 0; i < 11; i++) lows[i] = this.regs[2 * i];
    return lows;
  }

  private unsignedHighs(): Uint32Array {
    const highs = new Uint32Array(11);
    for (let i = 0; i < 11; i++) highs[i] = this.regs[2 * i + 1];
    return highs;
  }

  /**
   * The address of a `size`-byte access outside the stack, or a RuntimeFault. checked: inside one live VmMemory
   * allocation; fast (verified programs): inside the memory past its guard.
   */
  access(pc: number, base: number, size: number, write: number): number {
    const regs = this.regs;
    const off = this.plain[(pc << 2) + 2];
    let at = (regs[base] >>> 0) + off;
    const high = regs[base + 1];
    // A base with high bits set reaches a 32-bit address only by wrapping past 2^64.
    if (high !== 0) at = high === -1 && at >= TWO_POW_32 ? at - TWO_POW_32 : -1;
    const stack = this.frames;
    if (at >= stack.stackLow && at + size <= stack.stackHigh) return at;
    if (this.checked) {
      const memory = this.vm.memory;
      if (at >= 0 && memory.isAllocated(at, size)) {
        this.okLow = memory.hitStart;
        this.okHigh = memory.hitEnd;
        return at;
      }
    } else if (at >= this.guardSize && at + size <= this.memoryEnd) {
      return at;
    }
    // Kernel BPF_PROBE_MEM: a load through a kernel-struct pointer reads 0 where nothing is (the guard at 0).
    if (write === 0 && this.program.probeLoads?.has(pc)) return 0;
    throw this.fault(
      pc,
      invalidAccessReason(write !== 0, size, base >> 1, off, this.regs[base], this.regs[base + 1]),
    );
  }

  /** 64-bit division and modulo that need 64 bits (isa-semantics' corners), into dst. */
  divide64(op: number, dst: number, blo: number, bhi: number): void {
    const result = divide64(DIVISIONS[op], registerValue(this.regs, dst), joinHalves(blo, bhi));
    setRegisterValue(this.regs, dst, result);
  }

  /** Atomic read-modify-write of 4 or 8 bytes at dst + off. */
  atomic(pc: number, size: 4 | 8): void {
    const i = pc << 2;
    const word = this.plain[i];
    const dst = (word >> 8) & 31;
    const src = (word >> 16) & 31;
    const kind = this.plain[i + 1] & ~ATOMIC_FETCH;
    const fetch = (this.plain[i + 1] & ATOMIC_FETCH) !== 0;
    const regs = this.regs;
    const at = this.access(pc, dst, size, 1);
    const view = this.view;
    const oldLo = view.getInt32(at, true);
    const oldHi = size === 8 ? view.getInt32(at + 4, true) : 0;
    const valueLo = regs[src];
    const valueHi = size === 8 ? regs[src + 1] : 0;
    let newLo: number;
    let newHi: number;
    switch (kind) {
      case AtomicOp.add: {
        newLo = (oldLo + valueLo) | 0;
        newHi = (oldHi + valueHi + addCarry(oldLo, newLo)) | 0;
        break;
      }
      case AtomicOp.or:
        newLo = oldLo | valueLo;
        newHi = oldHi | valueHi;
        break;
      case AtomicOp.and:
        newLo = oldLo & valueLo;
        newHi = oldHi & valueHi;
        break;
      case AtomicOp.xor:
        newLo = oldLo ^ valueLo;
        newHi = oldHi ^ valueHi;
        break;
      case AtomicOp.xchg:
        newLo = valueLo;
        newHi = valueHi;
        break;
      default: {
        // cmpxchg: store src when the memory equals r0 (its low half for 32 bits); r0 = the old value.
        const equal = oldLo === regs[0] && (size === 4 || oldHi === regs[1]);
        newLo = equal ? valueLo : oldLo;
        newHi = equal ? valueHi : oldHi;
        regs[0] = oldLo;
        regs[1] = oldHi;
      }
    }
    view.setInt32(at, newLo, true);
    if (size === 8) view.setInt32(at + 4, newHi, true);
    if (fetch && kind !== AtomicOp.cmpxchg) {
      regs[src] = oldLo;
      regs[src + 1] = oldHi;
    }
  }

  /** Legacy packet load: r0 = the value, or the whole program ends with r0 = 0 outside the packet. */
  legacyLoad(pc: number, indexReg: number, imm: number, size: number): void {
    const offset = indexReg === Source.immediate ? imm : (this.regs[indexReg] + imm) | 0;
    const value = legacyLoad(this.runState.packet, offset, size);
    if (value === null) throw this.fault(pc, 'LD_ABS/LD_IND need a socket buffer (skb) context');
    // Kernel: an out-of-packet legacy load ends the whole program with r0 = 0.
    if (value === undefined) throw new ProgramExit(0n);
    setRegisterValue(this.regs, 0, value);
  }

  private pushFrame(pc: number, callerFrameSize: number, calleeFrameSize: number): void {
    const fp = this.frames.push(
      this.regs,
      this.programNumber,
      pc + 1,
      callerFrameSize,
      calleeFrameSize,
      this.checked,
    );
    if (fp < 0) throw this.callFault(pc, fp);
    this.regs[20] = fp;
    this.regs[21] = 0;
  }

  /** Why FrameStack.push refused a call at `pc` (its negative result), as a fault. */
  callFault(pc: number, refusal: number): RuntimeFault {
    const frames = this.frames;
    if (refusal === CHAIN_TOO_DEEP) {
      const depth = frames.depth - frames.programBase + 1;
      return this.fault(pc, `the call stack of ${depth + 1} frames is too deep (at most ${MAX_CALL_FRAMES})`);
    }
    if (refusal === RUN_TOO_DEEP) {
      return this.fault(pc, `the call stack of ${frames.depth + 2} frames is too deep for one run`);
    }
    return this.fault(pc, 'stack depth of the called function is too large');
  }

  /** exit from a called function: back to the caller's program, registers r6-r10 and return pc. */
  returnFromCall(): number {
    const frames = this.frames;
    const returnPc = frames.pop(this.regs);
    const number = frames.returnProgram;
    // Unless a tail call ran in the callee's frame, the caller's program is the one running.
    if (number !== this.programNumber) {
      this.programNumber = number;
      this.program = frames.programs[number];
      this.compiled = frames.codes[number];
      this.code = this.compiled.code;
      this.plain = this.compiled.plain;
    }
    return returnPc;
  }

  /** Calls helper `id` with r1-r5 and sets r0; errors a helper throws become faults at this instruction. */
  callHelper(pc: number, id: number): void {
    const helper = this.helpers.get(id);
    if (helper === undefined) throw this.fault(pc, `unknown helper ${id}`);
    const fast = helper.fast;
    if (fast !== undefined && fitsFastForm(fast.args, this.regs)) {
      this.callFastForm(pc, id, fast);
      return;
    }
    const call = this.helperCalls.enter(this.regs, pc);
    let result: bigint;
    try {
      result = helper(call);
    } catch (error) {
      throw this.helperError(pc, id, error);
    } finally {
      this.helperCalls.leave();
    }
    setRegisterValue(this.regs, 0, result);
    this.refreshView();
  }

  /** A helper's fast form on r1-r5 as numbers (the registers fit its kinds): no BigInt made. */
  private callFastForm(pc: number, id: number, fast: FastHelper): void {
    const regs = this.regs;
    const kinds = fast.args;
    const site = this.fastSite;
    site.insn = pc;
    let result: number;
    try {
      result = fast.run(
        site,
        fastRegister(kinds[0], regs, 2),
        fastRegister(kinds[1], regs, 4),
        fastRegister(kinds[2], regs, 6),
        fastRegister(kinds[3], regs, 8),
        fastRegister(kinds[4], regs, 10),
      );
    } catch (error) {
      throw this.helperError(pc, id, error);
    }
    setFastResult(regs, fast.result, result);
    this.refreshView();
  }

  /** What a helper threw, as the run's fault at `pc` (other errors pass through). */
  private helperError(pc: number, id: number, error: unknown): unknown {
    if (error instanceof RuntimeFault) {
      // Faults raised inside a callback already carry their stack; a helper's own fault gets this one.
      return error.callStack.length > 0 ? error : this.fault(error.insn, error.reason);
    }
    if (error instanceof MemoryError) return this.fault(pc, `helper ${id}: ${error.message}`);
    return error;
  }

  /** bpf_tail_call: true when the run continues in another program (now `this.program`), false to fall through. */
  tailCall(pc: number): boolean {
    const target = tailCallTarget(this.vm, this.regs, this.tailCalls);
    if (target === null) throw this.fault(pc, 'bpf_tail_call needs a prog_array map in r2');
    if (target === undefined) return false;
    this.tailCalls++;
    this.program = target;
    this.compiled = compileProgram(target);
    this.programNumber = this.frames.programNumber(target, this.compiled);
    this.code = this.compiled.code;
    this.plain = this.compiled.plain;
    this.frames.programBase = this.frames.depth;
    // The target starts as at its entry: its own may_goto budget (the kernel sets it in the target's prologue).
    this.frames.mayGotoBudgets[this.frames.depth] = BPF_MAX_LOOPS;
    return true;
  }

  /** A callback (bpf_loop, for_each_map_elem) called from a helper: a new frame, r1-r5 = args, returns r0. */
  callback(pointer: bigint, args: readonly bigint[]): bigint {
    const pc = this.currentPc;
    const site = this.callbackSite;
    // bpf_loop calls one callback from one helper call many times: resolve it once for the pair.
    if (pointer !== site.pointer || this.program !== site.program || pc !== site.pc)
      this.resolveCallback(pointer, pc);
    const regs = this.regs;
    const depth = this.frames.depth;
    // The helper's r0-r5 come back after the callback (r6-r10 come back with its frame).
    const saves = this.callbackSaves;
    const base = depth * 12;
    for (let i = 0; i < 12; i++) saves[base + i] = regs[i];
    this.pushFrame(pc, site.callerFrameSize, site.calleeFrameSize);
    this.refreshView();
    for (let i = 0; i < 5; i++) setRegisterValue(regs, 2 * (i + 1), args[i] ?? 0n);
    execute(this, site.target, depth + 1);
    const result = registerValue(regs, 0);
    this.returnFromCall();
    for (let i = 0; i < 12; i++) regs[i] = saves[base + i];
    this.refreshView();
    this.currentPc = pc;
    return result;
  }

  private resolveCallback(pointer: bigint, pc: number): void {
    const program = this.program;
    const target = functionPointerTarget(pointer);
    const callee = target === undefined ? -1 : program.functionStarts.indexOf(target);
    if (target === undefined || callee < 0) {
      throw this.fault(pc, `callback 0x${pointer.toString(16)} is not a function of the program`);
    }
    const frameSizes = this.compiled.frameSizes;
    const site = this.callbackSite;
    site.pointer = pointer;
    site.program = program;
    site.pc = pc;
    site.target = target;
    site.callerFrameSize = frameSizes[functionIndexAt(program, pc)];
    site.calleeFrameSize = frameSizes[callee];
  }
}
