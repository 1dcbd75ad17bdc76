// A program prepared for the JIT on one Vm: its module (and those of its tail-call targets) instantiated once
// against the Vm's memory and shared globals, and the imports compiled code calls out to: helpers, faults,
// rare memory accesses, stack segments, tail calls and callbacks. A run is a direct call of the entry function.

import { MAX_CALL_FRAMES } from '../abi/limits.js';
import { FastHelperSite, legacyLoad, tailCallTargetOf } from '../vm/interpreter-calls.js';
import { frameSizeOf, functionIndexAt } from '../vm/interpreter-code.js';
import { callStackOf, invalidAccessReason } from '../vm/interpreter-faults.js';
import { STACK_SEGMENT_SIZE } from '../vm/interpreter-frames.js';
import { highHalf, lowHalf, TWO_POW_32 } from '../vm/isa-semantics.js';
import { mapLookupElem } from '../vm/helpers/map-helpers.js';
import { ArrayMap } from '../vm/maps/index.js';
import { MemoryError } from '../vm/memory.js';
import {
  type EngineOptions,
  type EngineRun,
  type ExecutableProgram,
  type FaultFrame,
  functionPointerTarget,
  type HelperCall,
  type HelperTable,
  type PreparedProgram,
  ProgramExit,
  type RunState,
  RuntimeFault,
  type VmServices,
} from '../vm/runtime.js';
import {
  type CompiledModule,
  compileModule,
  FaultCode,
  fastFormsKey,
  fastFormsOf,
  GLOBALS,
  Import,
  type InlineArray,
} from './compile.js';
import { type WasmGlobal, type WasmModule, WebAssemblyApi } from './wasm-api.js';

/** Kernel: BPF_FUNC_map_lookup_elem. */
const BPF_FUNC_MAP_LOOKUP_ELEM = 1;

/** The instruction budget of checked runs when none is given (the interpreter's). */
export const DEFAULT_BUDGET = 1_000_000;

type EntryFunction = (r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, r10: bigint) => bigint;

interface Instance {
  readonly program: ExecutableProgram;
  /** The entry with r1 = ctx: returns r0's low half, its high half in the `resultHigh` global. */
  readonly run: (ctx: number, r10: number) => number;
  readonly functions: readonly EntryFunction[];
  readonly enter: (pc: number, callerSize: number, calleeSize: number, r10: bigint) => bigint;
  readonly leave: (r10: bigint) => void;
  readonly frameSizes: readonly number[];
}

/** A fault raised by compiled code, collecting the frames it unwinds through (innermost first). */
interface PendingFault {
  readonly fault: RuntimeFault;
  readonly program: ExecutableProgram;
  readonly frames: FaultFrame[];
}

interface MutableHelperCall {
  args: [bigint, bigint, bigint, bigint, bigint];
  vm: VmServices;
  run: RunState;
  insn: number;
}

const moduleCache = new WeakMap<
  ExecutableProgram,
  Map<string, { module: WasmModule; compiled: CompiledModule }>
>();

/**
 * The compiled module of `program` for a mode, the fast forms of `helpers` and (fast mode) the array maps whose
 * lookups it inlines, made once per program and those.
 */
export function compiledModule(
  program: ExecutableProgram,
  mode: 'checked' | 'fast',
  budgeted: boolean,
  helpers: HelperTable,
  vm: VmServices,
): { module: WasmModule; compiled: CompiledModule } {
  let byOptions = moduleCache.get(program);
  if (byOptions === undefined) {
    byOptions = new Map();
    moduleCache.set(program, byOptions);
  }
  const fastForms = fastFormsOf(program, helpers);
  const inlineArrays =
    mode === 'fast' ? inlineArraysOf(program, vm, helpers) : new Map<number, InlineArray>();
  let key = `${mode}/${budgeted}/${fastFormsKey(fastForms)}/`;
  for (const [address, array] of inlineArrays) {
    key += `${address}=${array.base},${array.maxEntries},${array.elementSize};`;
  }
  let entry = byOptions.get(key);
  if (entry === undefined) {
    const compiled = compileModule(program, { mode, budgeted, fastForms, inlineArrays });
    entry = { module: new WebAssemblyApi.Module(compiled.bytes), compiled };
    byOptions.set(key, entry);
  }
  return entry;
}

/**
 * The plain array maps `program` loads (LD_IMM64), when `helpers` looks maps up as the kernel does: compiled
 * code may look them up itself. (The run's CPU is one the Vm has, as test-run's always is.)
 */
export function inlineArraysOf(
  program: ExecutableProgram,
  vm: VmServices,
  helpers: HelperTable,
): Map<number, InlineArray> {
  const arrays = new Map<number, InlineArray>();
  if (helpers.get(BPF_FUNC_MAP_LOOKUP_ELEM) !== mapLookupElem) return arrays;
  for (const value of program.ldImm64Values) {
    if (value === undefined || value >= 0x1_0000_0000n) continue;
    const map = vm.maps.atAddress(Number(value));
    if (map instanceof ArrayMap && map.typeName === 'array') {
      arrays.set(map.address, { base: map.base, maxEntries: map.maxEntries, elementSize: map.elementSize });
    }
  }
  return arrays;
}

/** What helpers see of a run (`RunState`): one object per prepared program, updated per run. */
class JitRunState implements RunState {
  ctx = 0;
  cpu = 0;
  packet: unknown = undefined;
  constructor(private readonly owner: JitProgram) {}
  get program(): ExecutableProgram {
    return this.owner.siteInstance.program;
  }
  callFunction(pointer: bigint, args: readonly bigint[]): bigint {
    return this.owner.callback(pointer, args);
  }
}

export class JitProgram implements PreparedProgram {
  private readonly checked: boolean;
  private readonly budget: number;
  private readonly budgetValue: bigint;
  private readonly budgeted: boolean;
  /** The last run ended by an exception (a fault or ProgramExit): the shared state needs a reset. */
  private interrupted = true;
  private readonly globals: Record<(typeof GLOBALS)[number][0], WasmGlobal>;
  private readonly segments: number[] = [];
  private readonly segmentBounds: bigint[] = [];
  /** The stack segment the running frame is in. */
  private segment = 0;
  private readonly instances = new Map<ExecutableProgram, Instance>();
  private readonly entryInstance: Instance;
  private readonly runState: JitRunState;
  private readonly helperCalls: MutableHelperCall[] = [];
  /** What fast forms receive (their instruction set per call). */
  private readonly fastSite: FastHelperSite;
  private helperDepth = 0;
  private memoryLength = -1;
  private tailCalls = 0;
  private pending: PendingFault | undefined;
  /** r0 of the last run, as two int32 halves (no BigInt per run). */
  private resultLow = 0;
  private resultHigh = 0;
  /** The last run's high half is still in the `resultHigh` global (read once, after the repeat loop). */
  private highInGlobal = false;
  /** The first stack segment's top: r10 at entry. */
  private stackTop = 0;
  /** The helper call running now: its program's instance, instruction and frame pointer (for callbacks). */
  siteInstance: Instance;
  private sitePc = 0;
  private siteFp = 0n;

  constructor(
    readonly entry: ExecutableProgram,
    private readonly vm: VmServices,
    private readonly helpers: HelperTable,
    private readonly options: EngineOptions,
  ) {
    this.checked = options.mode === 'checked';
    this.budget = options.budget ?? (this.checked ? DEFAULT_BUDGET : Number.POSITIVE_INFINITY);
    this.budgeted = Number.isFinite(this.budget);
    this.budgetValue = this.budgeted ? BigInt(Math.max(0, Math.floor(this.budget))) : 0n;
    const global = (type: 'i32' | 'i64'): WasmGlobal =>
      new WebAssemblyApi.Global({ value: type, mutable: true }, type === 'i64' ? 0n : 0);
    this.globals = Object.fromEntries(
      GLOBALS.map(([name, type]) => [name, global(type === 0x7e ? 'i64' : 'i32')]),
    ) as JitProgram['globals'];
    this.globals.memLow.value = BigInt(vm.memory.guardSize);
    this.runState = new JitRunState(this);
    this.fastSite = new FastHelperSite(vm, this.runState);
    try {
      this.addSegment();
    } catch (error) {
      // No room for the stack: the program cannot run.
      if (error instanceof MemoryError) throw new RuntimeFault(0, error.message);
      throw error;
    }
    this.stackTop = this.segments[0] + STACK_SEGMENT_SIZE;
    this.entryInstance = this.instanceFor(entry);
    this.siteInstance = this.entryInstance;
  }

  run(run: EngineRun, repeat = 1): bigint {
    const memory = this.vm.memory;
    for (let i = 0; i < repeat; i++) {
      // Each run is one RCU read section: map values deleted during it stay valid until it ends.
      memory.beginRun();
      try {
        this.runOnce(run);
      } catch (error) {
        throw this.asFault(error);
      } finally {
        memory.endRun();
      }
    }
    const high = this.highInGlobal ? (this.globals.resultHigh.value as number) : this.resultHigh;
    return (BigInt(high >>> 0) << 32n) | BigInt(this.resultLow >>> 0);
  }

  release(): void {
    for (const segment of this.segments.splice(0)) this.vm.memory.free(segment);
  }

  private runOnce(run: EngineRun): void {
    const g = this.globals;
    if (this.interrupted) {
      // A run that ended by an exception left frames behind; a run that returned unwound them all.
      g.depth.value = 0;
      g.base.value = 0;
      this.useSegment(0);
      this.pending = undefined;
      this.helperDepth = 0;
      this.siteInstance = this.entryInstance;
      this.interrupted = false;
    }
    if (this.budgeted) g.remaining.value = this.budgetValue;
    this.refreshMemory();
    this.tailCalls = 0;
    const state = this.runState;
    state.ctx = run.ctx;
    state.cpu = run.cpu;
    state.packet = run.packet;
    try {
      if (run.args === undefined) {
        this.resultLow = this.entryInstance.run(run.ctx, this.stackTop);
        this.highInGlobal = true;
      } else {
        const a = run.args;
        const r0 = this.entryInstance.functions[0](
          a[0] ?? 0n,
          a[1] ?? 0n,
          a[2] ?? 0n,
          a[3] ?? 0n,
          a[4] ?? 0n,
          this.segmentBounds[1],
        );
        this.setResult(r0);
      }
    } catch (error) {
      this.interrupted = true;
      if (!(error instanceof ProgramExit)) throw error;
      // The program ended at once with r0 (a helper's abort, an out-of-packet legacy load).
      this.setResult(error.r0);
    }
  }

  private setResult(r0: bigint): void {
    this.resultLow = lowHalf(r0);
    this.resultHigh = highHalf(r0);
    this.highInGlobal = false;
  }

  /** The fault as the interpreter reports it: with the frames it unwound through, outermost first. */
  private asFault(error: unknown): unknown {
    const pending = this.pending;
    if (pending !== undefined && error === pending.fault) {
      const frames = [...pending.frames].reverse();
      frames.push({ program: pending.program, insn: pending.fault.insn });
      const { insn, reason } = pending.fault;
      return new RuntimeFault(insn, reason, callStackOf(frames, this.options.functionNames), frames);
    }
    if (error instanceof RuntimeFault) return error;
    if (error instanceof MemoryError) return this.fault(this.entry, 0, error.message);
    if (
      error instanceof RangeError ||
      error instanceof TypeError ||
      error instanceof WebAssemblyApi.RuntimeError
    ) {
      return new RuntimeFault(0, `internal fault: ${(error as Error).message}`);
    }
    return error;
  }

  private fault(program: ExecutableProgram, insn: number, reason: string): RuntimeFault {
    const fault = new RuntimeFault(insn, reason);
    this.pending = { fault, program, frames: [] };
    return fault;
  }

  /** The memory may have grown (helpers allocate): fast mode's bound follows it. */
  private refreshMemory(): void {
    const length = this.vm.memory.byteLength;
    if (length === this.memoryLength) return;
    this.memoryLength = length;
    this.globals.memSpan.value = BigInt(length - this.vm.memory.guardSize);
  }

  private addSegment(): void {
    const base = this.vm.memory.allocate(STACK_SEGMENT_SIZE, 16);
    this.segments.push(base);
    this.segmentBounds.push(BigInt(base), BigInt(base + STACK_SEGMENT_SIZE));
  }

  private useSegment(index: number): void {
    this.segment = index;
    this.globals.stackLow.value = this.segmentBounds[2 * index];
    this.globals.stackHigh.value = this.segmentBounds[2 * index + 1];
  }

  private instanceFor(program: ExecutableProgram): Instance {
    const existing = this.instances.get(program);
    if (existing !== undefined) return existing;
    const mode = this.checked ? 'checked' : 'fast';
    const { module, compiled } = compiledModule(
      program,
      mode,
      Number.isFinite(this.budget),
      this.helpers,
      this.vm,
    );
    const env: Record<string, unknown> = { memory: this.vm.memory.memory, ...this.globals };
    const instance: Instance = { program } as Instance;
    this.bindImports(env, instance, compiled);
    const exports = new WebAssemblyApi.Instance(module, { env }).exports;
    const made: Instance = {
      program,
      functions: program.functionStarts.map((_, index) => exports[`f${index}`] as EntryFunction),
      run: exports['run'] as Instance['run'],
      enter: exports['enter'] as Instance['enter'],
      leave: exports['leave'] as Instance['leave'],
      frameSizes: program.functionStarts.map((_, index) => frameSizeOf(program, index)),
    };
    Object.assign(instance, made);
    this.instances.set(program, instance);
    return instance;
  }

  private bindImports(env: Record<string, unknown>, instance: Instance, compiled: CompiledModule): void {
    const program = instance.program;
    const g = this.globals;
    env[Import.fault] = (pc: number, code: number): never => {
      if (code === FaultCode.chainTooDeep) {
        const depth = (g.depth.value as number) - (g.base.value as number) + 1;
        throw this.fault(
          program,
          pc,
          `the call stack of ${depth + 1} frames is too deep (at most ${MAX_CALL_FRAMES})`,
        );
      }
      if (code === FaultCode.runTooDeep) {
        throw this.fault(
          program,
          pc,
          `the call stack of ${(g.depth.value as number) + 2} frames is too deep for one run`,
        );
      }
      const fault = compiled.faults[code];
      throw this.fault(program, fault.insn, fault.reason);
    };
    env[Import.budget] = (pc: number, count: number): never => {
      // The run had `before` instructions left at the segment's start: the next one is where it ends.
      let insn = pc;
      for (let before = Number(g.remaining.value) + count; before > 0; before--) {
        insn += program.decoded[insn]?.kind === 'ld_imm64' ? 2 : 1;
      }
      throw this.fault(program, insn, `instruction budget of ${this.budget} exhausted`);
    };
    env[Import.access] = (pc: number, base: bigint): number => this.access(program, pc, base);
    env[Import.tailCall] = (
      pc: number,
      r1: bigint,
      r2: bigint,
      r3: bigint,
      r4: bigint,
      r5: bigint,
      r10: bigint,
    ) => this.tailCall(program, pc, r1, r2, r3, r4, r5, r10);
    env[Import.legacy] = (pc: number, offset: number): bigint => {
      const insn = program.decoded[pc];
      const size = insn?.kind === 'ld_legacy' ? insn.size : 1;
      const value = legacyLoad(this.runState.packet, offset, size);
      if (value === null) throw this.fault(program, pc, 'LD_ABS/LD_IND need a socket buffer (skb) context');
      // Kernel: an out-of-packet legacy load ends the whole program with r0 = 0.
      if (value === undefined) throw new ProgramExit(0n);
      return value;
    };
    env[Import.nextSegment] = (pc: number, calleeSize: number): bigint => {
      if (calleeSize > STACK_SEGMENT_SIZE)
        throw this.fault(program, pc, 'stack depth of the called function is too large');
      // Tail calls from subprograms keep frames beyond one chain's 512 bytes: continue in a new segment.
      const next = this.segment + 1;
      if (next >= this.segments.length) {
        this.addSegment();
        this.refreshMemory();
      }
      this.useSegment(next);
      return g.stackHigh.value as bigint;
    };
    env[Import.restoreSegment] = (fp: bigint): void => {
      const at = Number(fp);
      this.segments.forEach((segment, index) => {
        if (at > segment && at <= segment + STACK_SEGMENT_SIZE) this.useSegment(index);
      });
    };
    env[Import.unwind] = (pc: number): void => {
      this.pending?.frames.push({ program, insn: pc });
    };
    for (const id of compiled.helperIds) env[`h${id}`] = this.helperImport(instance, id);
    for (const id of compiled.fastIds) env[`f${id}`] = this.fastImport(instance, id);
  }

  /** The address of an access the inline check did not accept, or its fault (the interpreter's Execution.access). */
  private access(program: ExecutableProgram, pc: number, base: bigint): number {
    const insn = program.decoded[pc];
    let size = 1;
    let off = 0;
    let register = 0;
    let write = false;
    if (insn?.kind === 'load' || insn?.kind === 'load_acquire') {
      [size, off, register] = [insn.size, insn.off, insn.src];
    } else if (insn?.kind === 'store' || insn?.kind === 'atomic' || insn?.kind === 'store_release') {
      [size, off, register, write] = [insn.size, insn.off, insn.dst, true];
    }
    const lo = lowHalf(base);
    const hi = highHalf(base);
    let at = (lo >>> 0) + off;
    // A base with high bits set reaches a 32-bit address only by wrapping past 2^64.
    if (hi !== 0) at = hi === -1 && at >= TWO_POW_32 ? at - TWO_POW_32 : -1;
    const g = this.globals;
    if (at >= Number(g.stackLow.value) && at + size <= Number(g.stackHigh.value)) return at;
    const memory = this.vm.memory;
    if (this.checked) {
      if (at >= 0 && memory.isAllocated(at, size)) return at;
    } else if (at >= memory.guardSize && at + size <= memory.byteLength) {
      return at;
    }
    // Kernel BPF_PROBE_MEM: a load through a kernel-struct pointer reads 0 where nothing is (the guard at 0).
    if (!write && program.probeLoads?.has(pc)) return 0;
    throw this.fault(program, pc, invalidAccessReason(write, size, register, off, lo, hi));
  }

  private tailCall(
    program: ExecutableProgram,
    pc: number,
    r1: bigint,
    r2: bigint,
    r3: bigint,
    r4: bigint,
    r5: bigint,
    r10: bigint,
  ): bigint {
    const g = this.globals;
    const target = tailCallTargetOf(this.vm, lowHalf(r2), highHalf(r2), lowHalf(r3), this.tailCalls);
    if (target === null) throw this.fault(program, pc, 'bpf_tail_call needs a prog_array map in r2');
    if (target === undefined) {
      // Falls through like a helper call that returned an error; r0 is left as it was.
      g.tailTaken.value = 0;
      return 0n;
    }
    this.tailCalls++;
    // The target replaces the running function in its frame: r1-r5 and r10 stay, its call chain starts here.
    const base = g.base.value;
    g.base.value = g.depth.value;
    const r0 = this.instanceFor(target).functions[0](r1, r2, r3, r4, r5, r10);
    g.base.value = base;
    g.tailTaken.value = 1;
    return r0;
  }

  private helperImport(instance: Instance, id: number) {
    const helper = this.helpers.get(id);
    const program = instance.program;
    return (pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, r10: bigint): bigint => {
      if (helper === undefined) throw this.fault(program, pc, `unknown helper ${id}`);
      const depth = this.helperDepth;
      let call = this.helperCalls[depth];
      if (call === undefined) {
        call = { args: [0n, 0n, 0n, 0n, 0n], vm: this.vm, run: this.runState, insn: pc };
        this.helperCalls[depth] = call;
      }
      // wasm passes i64 as signed BigInts; helpers take the u64 (converted only when negative).
      const args = call.args;
      args[0] = r1 < 0n ? BigInt.asUintN(64, r1) : r1;
      args[1] = r2 < 0n ? BigInt.asUintN(64, r2) : r2;
      args[2] = r3 < 0n ? BigInt.asUintN(64, r3) : r3;
      args[3] = r4 < 0n ? BigInt.asUintN(64, r4) : r4;
      args[4] = r5 < 0n ? BigInt.asUintN(64, r5) : r5;
      call.insn = pc;
      const savedInstance = this.siteInstance;
      const savedPc = this.sitePc;
      const savedFp = this.siteFp;
      this.siteInstance = instance;
      this.sitePc = pc;
      this.siteFp = r10;
      this.helperDepth = depth + 1;
      let result: bigint;
      try {
        result = helper(call as HelperCall);
      } catch (error) {
        throw this.helperError(program, pc, id, error);
      } finally {
        this.helperDepth = depth;
        this.siteInstance = savedInstance;
        this.sitePc = savedPc;
        this.siteFp = savedFp;
      }
      this.refreshMemory();
      return result;
    };
  }

  /**
   * The import of a helper's fast form: numbers in and out (compiled code passes only registers that fit its
   * kinds). It runs no callbacks, so only the running program (RunState.program) is recorded around it.
   */
  private fastImport(instance: Instance, id: number) {
    const program = instance.program;
    const run = this.helpers.get(id)!.fast!.run;
    const site = this.fastSite;
    return (pc: number, a1: number, a2: number, a3: number, a4: number, a5: number): number => {
      site.insn = pc;
      const savedInstance = this.siteInstance;
      this.siteInstance = instance;
      let result: number;
      try {
        result = run(site, a1, a2, a3, a4, a5);
      } catch (error) {
        throw this.helperError(program, pc, id, error);
      } finally {
        this.siteInstance = savedInstance;
      }
      this.refreshMemory();
      return result;
    };
  }

  /** What a helper threw, as the fault the interpreter reports at the call (other errors pass through). */
  private helperError(program: ExecutableProgram, pc: number, id: number, error: unknown): unknown {
    // Faults raised inside a callback already unwind with their frames; a helper's own fault gets this one.
    if (this.pending !== undefined && error === this.pending.fault) return error;
    if (error instanceof RuntimeFault) {
      return error.callStack.length > 0 ? error : this.fault(program, error.insn, error.reason);
    }
    if (error instanceof MemoryError) return this.fault(program, pc, `helper ${id}: ${error.message}`);
    return error;
  }

  /** A callback (bpf_loop, for_each_map_elem) called from the running helper: a new frame, r1-r5 = args. */
  callback(pointer: bigint, args: readonly bigint[]): bigint {
    const instance = this.siteInstance;
    const program = instance.program;
    const pc = this.sitePc;
    const r10 = this.siteFp;
    const target = functionPointerTarget(pointer);
    const callee = target === undefined ? -1 : program.functionStarts.indexOf(target);
    if (callee < 0) {
      throw this.fault(program, pc, `callback 0x${pointer.toString(16)} is not a function of the program`);
    }
    const sizes = instance.frameSizes;
    const fp = instance.enter(pc, sizes[functionIndexAt(program, pc)], sizes[callee], r10);
    let r0: bigint;
    try {
      r0 = instance.functions[callee](
        args[0] ?? 0n,
        args[1] ?? 0n,
        args[2] ?? 0n,
        args[3] ?? 0n,
        args[4] ?? 0n,
        fp,
      );
    } catch (error) {
      if (this.pending !== undefined && error === this.pending.fault)
        this.pending.frames.push({ program, insn: pc });
      throw error;
    }
    instance.leave(r10);
    this.refreshMemory();
    return BigInt.asUintN(64, r0);
  }
}
