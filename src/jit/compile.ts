// Compiles an ExecutableProgram into one WebAssembly module: one wasm function per BPF function (registers as i64
// locals, control flow as a dispatch loop over basic blocks), helpers, faults and frame bookkeeping as imports,
// and the Vm's memory imported. The semantics (and, in checked mode, the faults) are the interpreter's.

import { BPF_MAX_LOOPS, MAX_CALL_FRAMES } from '../abi/limits.js';
import type { CondJumpInsn, DecodedInsn, MayGotoInsn, Operand } from '../isa/decoded.js';
import { frameSizeOf, functionIndexAt } from '../vm/interpreter-code.js';
import { type PureLeaf, pureLeavesOf } from '../vm/pure-leaves.js';
import { kfuncCallFault, kfuncCallKey } from '../vm/kfuncs/index.js';
import { MAX_RUN_FRAMES, STACK_SEGMENT_SIZE } from '../vm/interpreter-frames.js';
import { DIVISION_CORNERS } from '../vm/isa-semantics.js';
import type { ExecutableProgram, ExecutionMode, FastHelper, HelperTable } from '../vm/runtime.js';
import { type ControlFlowShape, controlFlowShape } from './structure.js';
import { type FunctionCode, ModuleBuilder } from './wasm-module.js';
import { ExternalKind, Opcode, ValueType } from './wasm-opcodes.js';

const I32 = ValueType.i32;
const I64 = ValueType.i64;
const F64 = ValueType.f64;
const BPF_FUNC_TAIL_CALL = 12;
const BPF_FUNC_MAP_LOOKUP_ELEM = 1;

/** What compiled code needs of a helper's fast form: how to pass its arguments and take its result. */
export type FastSignature = Pick<FastHelper, 'args' | 'result'>;

export interface CompileOptions {
  readonly mode: ExecutionMode;
  /** Counts instructions against the run's budget (a finite budget). */
  readonly budgeted: boolean;
  /** Fast forms by helper-table key: those calls are imported (also) as `f<key>`, with number arguments. */
  readonly fastForms?: ReadonlyMap<number, FastSignature>;
  /**
   * Plain array maps by map address whose bpf_map_lookup_elem compiled code does itself in fast mode, where r1
   * is one of them for certain (as the kernel's JIT inlines array lookups).
   */
  readonly inlineArrays?: ReadonlyMap<number, InlineArray>;
}

/** What an inline array lookup needs of the map: element i is at base + i * elementSize when i < maxEntries. */
export interface InlineArray {
  readonly base: number;
  readonly maxEntries: number;
  readonly elementSize: number;
}

/** Why a fault code raised by compiled code fails, and the instruction it reports. */
export interface CompiledFault {
  readonly insn: number;
  readonly reason: string;
}

/** Fault codes the runtime explains itself (the others index `CompiledModule.faults`). */
export const FaultCode = { chainTooDeep: -1, runTooDeep: -2 } as const;

export interface CompiledModule {
  readonly bytes: Uint8Array;
  readonly faults: readonly CompiledFault[];
  /** Helper ids the module imports (as `h<id>`). */
  readonly helperIds: readonly number[];
  /** Those of them also imported as `f<id>`, by their fast form (CompileOptions.fastForms). */
  readonly fastIds: readonly number[];
  /** Functions whose control flow is irreducible, compiled as a dispatch loop (the others are structured). */
  readonly dispatchLoops: number;
}

/** The module's imports, by name ("env" module). The runtime provides them in jit-program.ts. */
export const Import = {
  memory: 'memory',
  /** (pc, code): throws the fault `code` at `pc`. */
  fault: 'fault',
  /** (pc, count): the budget ran out inside the `count` instructions starting at `pc`. */
  budget: 'budget',
  /** (pc, base): the address of the access at `pc` outside the fast path, or throws its fault. */
  access: 'access',
  /** (pc, r1-r5, r10): bpf_tail_call; sets `tailTaken` when the target ran (its r0 is the result). */
  tailCall: 'tail',
  /** (pc, offset): LD_ABS/LD_IND's value. */
  legacy: 'legacy',
  /** (pc, callee frame size): the frame pointer in the next stack segment. */
  nextSegment: 'nextSegment',
  /** (fp): back in the stack segment holding fp. */
  restoreSegment: 'restoreSegment',
  /** (pc): a fault unwinds through the local call at pc. */
  unwind: 'unwind',
} as const;

/** Mutable globals every module of one prepared program shares (imported in this order). */
export const GLOBALS = [
  ['depth', I32],
  ['base', I32],
  ['stackLow', I64],
  ['stackHigh', I64],
  ['remaining', I64],
  ['memLow', I64],
  ['memSpan', I64],
  ['tailTaken', I32],
  ['resultHigh', I32],
] as const;
const G = {
  depth: 0,
  base: 1,
  stackLow: 2,
  stackHigh: 3,
  remaining: 4,
  memLow: 5,
  memSpan: 6,
  tailTaken: 7,
  resultHigh: 8,
};

/** Wasm locals: parameters r1-r5 and r10, then r0 and r6-r9, the dispatch label and scratch. */
const PARAMS = [I64, I64, I64, I64, I64, I64];
const FUNCTION_TYPE = { params: PARAMS, results: [I64] };
const REG_LOCAL = [6, 0, 1, 2, 3, 4, 7, 8, 9, 10, 5];
const LABEL = 11;
const ADDR = 12;
const TEMP = 13;
/** i32: the function's may_goto budget (the interpreter's per-frame count), set on entry. */
const MAY_GOTO = 15;
const FP = 14;
/** i64, fast mode: memLow and memSpan read once on entry (the memory only grows, so a span gone stale after a
 * helper call is only stricter, and the runtime then decides). */
const MEM_LOW = 16;
const MEM_SPAN = 17;

const LOADS: Readonly<Record<number, Opcode>> = {
  1: Opcode.i64_load8_u,
  2: Opcode.i64_load16_u,
  4: Opcode.i64_load32_u,
  8: Opcode.i64_load,
};
const SIGNED_LOADS: Readonly<Record<number, Opcode>> = {
  1: Opcode.i64_load8_s,
  2: Opcode.i64_load16_s,
  4: Opcode.i64_load32_s,
};
const STORES: Readonly<Record<number, Opcode>> = {
  1: Opcode.i64_store8,
  2: Opcode.i64_store16,
  4: Opcode.i64_store32,
  8: Opcode.i64_store,
};

type BinaryOps = Record<'add' | 'sub' | 'mul' | 'or' | 'and' | 'xor' | 'lsh' | 'rsh' | 'arsh', Opcode>;
const ALU64: BinaryOps = {
  add: Opcode.i64_add,
  sub: Opcode.i64_sub,
  mul: Opcode.i64_mul,
  or: Opcode.i64_or,
  and: Opcode.i64_and,
  xor: Opcode.i64_xor,
  lsh: Opcode.i64_shl,
  rsh: Opcode.i64_shr_u,
  arsh: Opcode.i64_shr_s,
};
const ALU32: BinaryOps = {
  add: Opcode.i32_add,
  sub: Opcode.i32_sub,
  mul: Opcode.i32_mul,
  or: Opcode.i32_or,
  and: Opcode.i32_and,
  xor: Opcode.i32_xor,
  lsh: Opcode.i32_shl,
  rsh: Opcode.i32_shr_u,
  arsh: Opcode.i32_shr_s,
};
const DIVISION = {
  64: { div: Opcode.i64_div_u, mod: Opcode.i64_rem_u, sdiv: Opcode.i64_div_s, smod: Opcode.i64_rem_s },
  32: { div: Opcode.i32_div_u, mod: Opcode.i32_rem_u, sdiv: Opcode.i32_div_s, smod: Opcode.i32_rem_s },
} as const;
type CompareOps = Record<Exclude<import('../isa/decoded.js').CondJumpOp, 'jset'>, Opcode>;
const COMPARE64: CompareOps = {
  jeq: Opcode.i64_eq,
  jne: Opcode.i64_ne,
  jgt: Opcode.i64_gt_u,
  jge: Opcode.i64_ge_u,
  jlt: Opcode.i64_lt_u,
  jle: Opcode.i64_le_u,
  jsgt: Opcode.i64_gt_s,
  jsge: Opcode.i64_ge_s,
  jslt: Opcode.i64_lt_s,
  jsle: Opcode.i64_le_s,
};
const COMPARE32: CompareOps = {
  jeq: Opcode.i32_eq,
  jne: Opcode.i32_ne,
  jgt: Opcode.i32_gt_u,
  jge: Opcode.i32_ge_u,
  jlt: Opcode.i32_lt_u,
  jle: Opcode.i32_le_u,
  jsgt: Opcode.i32_gt_s,
  jsge: Opcode.i32_ge_s,
  jslt: Opcode.i32_lt_s,
  jsle: Opcode.i32_le_s,
};

/** A part of the program one wasm function runs: its own function, or the whole program when code is shared. */
interface Region {
  readonly low: number;
  readonly high: number;
  readonly entry: number;
}

/** The module for `program`, made once per program and options. */
export function compileModule(program: ExecutableProgram, options: CompileOptions): CompiledModule {
  return new ModuleCompiler(program, options).compile();
}

class ModuleCompiler {
  private readonly builder = new ModuleBuilder();
  private readonly faults: CompiledFault[] = [];
  private readonly decoded: readonly (DecodedInsn | undefined)[];
  private readonly length: number;
  private readonly checked: boolean;
  /** Fault slot of each jump whose destination is invalid (the interpreter's numbering: past the end). */
  private readonly badJumpSlots = new Map<number, number>();
  private readonly frameSizes: number[];
  /** Functions whose calls are compiled as their body in place, by function index (fast mode only). */
  private readonly inlineLeaves: ReadonlyMap<number, PureLeaf>;
  private readonly helperIds: number[] = [];
  private readonly fn = {
    fault: 0,
    budget: 0,
    access: 0,
    tailCall: 0,
    legacy: 0,
    nextSegment: 0,
    restoreSegment: 0,
    unwind: 0,
    enter: 0,
    leave: 0,
    bswap64: 0,
  };
  private readonly helperFunction = new Map<number, number>();
  private readonly fastFunction = new Map<number, { index: number; signature: FastSignature }>();
  private functionIndexes: number[] = [];
  dispatchLoops = 0;

  constructor(
    private readonly program: ExecutableProgram,
    private readonly options: CompileOptions,
  ) {
    this.decoded = program.decoded;
    this.length = program.decoded.length;
    this.checked = options.mode === 'checked';
    this.frameSizes = program.functionStarts.map((_, index) => frameSizeOf(program, index));
    this.inlineLeaves = this.checked || options.budgeted ? new Map() : pureLeavesOf(program);
    let slot = this.length + 1;
    for (let pc = 0; pc < this.length; pc++) {
      const insn = this.decoded[pc];
      if (
        (insn?.kind === 'jump' || insn?.kind === 'may_goto') &&
        !this.validDestination(pc + 1 + insn.offset)
      )
        this.badJumpSlots.set(pc, slot++);
    }
  }

  private validDestination(to: number): boolean {
    return to >= 0 && to < this.length && this.decoded[to] !== undefined;
  }

  private faultCode(insn: number, reason: string): number {
    this.faults.push({ insn, reason });
    return this.faults.length - 1;
  }

  compile(): CompiledModule {
    const b = this.builder;
    const fn = this.fn;
    const none: ValueType[] = [];
    fn.fault = b.importFunction('env', Import.fault, { params: [I32, I32], results: none });
    fn.budget = b.importFunction('env', Import.budget, { params: [I32, I32], results: none });
    fn.access = b.importFunction('env', Import.access, { params: [I32, I64], results: [I32] });
    fn.tailCall = b.importFunction('env', Import.tailCall, { params: [I32, ...PARAMS], results: [I64] });
    fn.legacy = b.importFunction('env', Import.legacy, { params: [I32, I32], results: [I64] });
    fn.nextSegment = b.importFunction('env', Import.nextSegment, { params: [I32, I32], results: [I64] });
    fn.restoreSegment = b.importFunction('env', Import.restoreSegment, { params: [I64], results: none });
    fn.unwind = b.importFunction('env', Import.unwind, { params: [I32], results: none });
    for (const key of helperKeysOf(this.program)) {
      this.helperIds.push(key);
      this.helperFunction.set(
        key,
        b.importFunction('env', `h${key}`, { params: [I32, ...PARAMS], results: [I64] }),
      );
      const fast = this.options.fastForms?.get(key);
      if (fast === undefined) continue;
      // No BigInt crosses: addresses and u32s as i32, u64s as f64, the result as i32 or f64.
      const params = fast.args.map((kind) => (kind === 'u64' ? F64 : I32));
      const results = [fast.result === 's64' ? F64 : I32];
      this.fastFunction.set(key, {
        index: b.importFunction('env', `f${key}`, { params: [I32, ...params], results }),
        signature: fast,
      });
    }
    b.importMemory('env', Import.memory, 1);
    for (const [name, type] of GLOBALS) b.importGlobal('env', name, type, true);

    const starts = this.program.functionStarts;
    const functions = starts.map(() => b.addFunction(FUNCTION_TYPE));
    this.functionIndexes = functions.map((f) => f.index);
    const enter = b.addFunction({ params: [I32, I32, I32, I64], results: [I64] });
    const leave = b.addFunction({ params: [I64], results: [] });
    const bswap64 = b.addFunction({ params: [I64], results: [I64] });
    fn.enter = enter.index;
    fn.leave = leave.index;
    fn.bswap64 = bswap64.index;
    this.emitEnter(enter.code);
    this.emitLeave(leave.code);
    emitByteSwap64(bswap64.code);

    const regular = this.isRegular();
    starts.forEach((start, index) => {
      const region: Region = regular
        ? { low: start, high: starts[index + 1] ?? this.length, entry: start }
        : { low: 0, high: this.length, entry: start };
      if (!new FunctionEmitter(this, functions[index].code, region).emit()) this.dispatchLoops++;
      b.export(`f${index}`, ExternalKind.function, functions[index].index);
    });
    b.export('enter', ExternalKind.function, enter.index);
    b.export('leave', ExternalKind.function, leave.index);
    // run(ctx, r10): the entry with r1 = ctx, r0's low half returned and its high half in `resultHigh`, so
    // that a run passes no BigInt across the JS boundary.
    const run = b.addFunction({ params: [I32, I32], results: [I32] });
    const r0 = run.code.addLocal(I64);
    run.code.localGet(0).op(Opcode.i64_extend_i32_u);
    for (let i = 0; i < 4; i++) run.code.i64ConstSmall(0);
    run.code.localGet(1).op(Opcode.i64_extend_i32_u).call(functions[0].index).localTee(r0);
    run.code.i64ConstSmall(32).op(Opcode.i64_shr_u).op(Opcode.i32_wrap_i64).globalSet(G.resultHigh);
    run.code.localGet(r0).op(Opcode.i32_wrap_i64);
    b.export('run', ExternalKind.function, run.index);
    return {
      bytes: b.encode(),
      faults: this.faults,
      helperIds: this.helperIds,
      fastIds: [...this.fastFunction.keys()],
      dispatchLoops: this.dispatchLoops,
    };
  }

  /**
   * Code stays inside its function (what compilers emit): no jump crosses a function boundary and no function
   * runs on into the next. Otherwise every wasm function holds the whole program, entered at its start, so
   * that control can go anywhere the interpreter's would.
   */
  private isRegular(): boolean {
    const starts = this.program.functionStarts;
    for (let index = 0; index < starts.length; index++) {
      const low = starts[index];
      const high = starts[index + 1] ?? this.length;
      let last: DecodedInsn | undefined;
      for (let pc = low; pc < high; pc++) {
        const insn = this.decoded[pc];
        if (insn === undefined) continue;
        last = insn;
        if (insn.kind !== 'jump') continue;
        const to = pc + 1 + insn.offset;
        if (this.validDestination(to) && (to < low || to >= high)) return false;
      }
      if (high < this.length && !(last?.kind === 'exit' || (last?.kind === 'jump' && last.op === 'ja')))
        return false;
    }
    return true;
  }

  /**
   * enter(pc, callerFrame, calleeFrame, r10) → the callee's frame pointer, as FrameStack.push computes it:
   * frames lie below the caller's, in the next stack segment when this one is full; depth limits fault.
   */
  private emitEnter(c: FunctionCode): void {
    const [pc, callerSize, calleeSize, r10] = [0, 1, 2, 3];
    const fp = c.addLocal(I64);
    const fault = this.fn.fault;
    if (this.checked) {
      c.globalGet(G.depth).globalGet(G.base).op(Opcode.i32_sub).i32Const(1).op(Opcode.i32_add);
      c.i32Const(MAX_CALL_FRAMES).op(Opcode.i32_ge_s).open(Opcode.if);
      c.localGet(pc).i32Const(FaultCode.chainTooDeep).call(fault).end();
    }
    c.globalGet(G.depth).i32Const(1).op(Opcode.i32_add).i32Const(MAX_RUN_FRAMES).op(Opcode.i32_ge_s);
    c.open(Opcode.if).localGet(pc).i32Const(FaultCode.runTooDeep).call(fault).end();
    // The interpreter computes with r10's low half as an int32.
    c.localGet(r10).op(Opcode.i32_wrap_i64).op(Opcode.i64_extend_i32_s);
    c.localGet(callerSize).op(Opcode.i64_extend_i32_u).op(Opcode.i64_sub).localSet(fp);
    c.localGet(r10).i64ConstSmall(32).op(Opcode.i64_shr_u).i64ConstSmall(0).op(Opcode.i64_ne);
    c.localGet(fp).globalGet(G.stackLow).op(Opcode.i64_lt_s).op(Opcode.i32_or);
    c.localGet(fp).globalGet(G.stackHigh).op(Opcode.i64_gt_s).op(Opcode.i32_or);
    c.open(Opcode.if).globalGet(G.stackHigh).localSet(fp).end();
    c.localGet(fp).localGet(calleeSize).op(Opcode.i64_extend_i32_u).op(Opcode.i64_sub);
    c.globalGet(G.stackLow).op(Opcode.i64_lt_s);
    c.open(Opcode.if).localGet(pc).localGet(calleeSize).call(this.fn.nextSegment).localSet(fp).end();
    c.globalGet(G.depth).i32Const(1).op(Opcode.i32_add).globalSet(G.depth);
    c.localGet(fp);
  }

  /** leave(r10 of the caller): one frame less, back in the caller's stack segment. */
  private emitLeave(c: FunctionCode): void {
    const fp = c.addLocal(I64);
    c.globalGet(G.depth).i32Const(1).op(Opcode.i32_sub).globalSet(G.depth);
    c.localGet(0).op(Opcode.i32_wrap_i64).op(Opcode.i64_extend_i32_s).localTee(fp);
    c.globalGet(G.stackLow).op(Opcode.i64_lt_s);
    c.localGet(fp).globalGet(G.stackHigh).op(Opcode.i64_gt_s).op(Opcode.i32_or);
    c.open(Opcode.if).localGet(fp).call(this.fn.restoreSegment).end();
  }

  // ---- what FunctionEmitter needs from the module ----

  get context() {
    return {
      program: this.program,
      decoded: this.decoded,
      length: this.length,
      checked: this.checked,
      budgeted: this.options.budgeted,
      fn: this.fn,
      frameSizes: this.frameSizes,
      functionIndexes: this.functionIndexes,
      helperFunction: this.helperFunction,
      fastFunction: this.fastFunction,
      inlineArrays: this.options.inlineArrays,
      inlineLeaves: this.inlineLeaves,
      badJumpSlots: this.badJumpSlots,
      validDestination: (to: number) => this.validDestination(to),
      faultCode: (insn: number, reason: string) => this.faultCode(insn, reason),
    };
  }
}

type ModuleContext = ModuleCompiler['context'];

/** How a basic block ends: -1 for no such block (`taken`: a bad jump; `next`: falling off the region). */
interface BlockExit {
  readonly kind: 'return' | 'ja' | 'cond' | 'fall';
  /** The jump or exit instruction (-1 for a block that falls through). */
  readonly last: number;
  readonly successors: number[];
  readonly taken: number;
  readonly next: number;
}

/** Emits one BPF function (a region of the program) as a dispatch loop over its basic blocks. */
class FunctionEmitter {
  private readonly m: ModuleContext;
  /** Basic block index of each leader pc. */
  private readonly blockOf = new Map<number, number>();
  /** Blocks and ifs open around the code being emitted, below the dispatch loop. */
  private depthToLoop = 0;
  private leaderList: number[] = [];
  private segments: Map<number, number> | undefined;
  private shape: ControlFlowShape | undefined;
  private exits: BlockExit[] | undefined;
  /** Structured mode: the wasm constructs open around the code being emitted, innermost last. */
  private readonly frames: { kind: 'loop' | 'block' | 'if'; node: number }[] = [];

  constructor(
    module: ModuleCompiler,
    private readonly c: FunctionCode,
    private readonly region: Region,
  ) {
    this.m = module.context;
  }

  /** Emits the function; false when its graph is irreducible and it became a dispatch loop. */
  emit(): boolean {
    const c = this.c;
    for (let i = 0; i < 5; i++) c.addLocal(I64);
    c.addLocal(I32);
    c.addLocal(I64);
    c.addLocal(I64);
    c.addLocal(I64);
    c.addLocal(I32);
    c.addLocal(I64);
    c.addLocal(I64);
    if (!this.m.checked && this.usesMemoryOffStack())
      c.globalGet(G.memLow).localSet(MEM_LOW).globalGet(G.memSpan).localSet(MEM_SPAN);
    if (this.usesMayGoto()) c.i32Const(BPF_MAX_LOOPS).localSet(MAY_GOTO);
    const leaders = this.leaders();
    for (const [index, pc] of leaders.entries()) this.blockOf.set(pc, index);
    this.leaderList = leaders;
    this.segments = this.m.budgeted ? this.budgetSegments(leaders) : undefined;
    const entryBlock = this.blockOf.get(this.region.entry) ?? 0;
    const exits = leaders.map((low, index) => this.blockExit(low, leaders[index + 1] ?? this.region.high));
    const shape = controlFlowShape(
      exits.map((exit) => exit.successors),
      entryBlock,
    );
    if (shape === null) this.emitDispatchLoop(entryBlock);
    else {
      this.shape = shape;
      this.exits = exits;
      this.emitNode(entryBlock);
    }
    c.op(Opcode.unreachable);
    return shape !== null;
  }

  /** How a basic block ends: its last instruction and the blocks control goes to next. */
  private blockExit(low: number, high: number): BlockExit {
    let last = high - 1;
    if (this.m.decoded[last] === undefined && last > low && this.m.decoded[last - 1]?.kind === 'ld_imm64')
      last--;
    const insn = this.m.decoded[last];
    const fallsOff = high >= this.region.high;
    const next = fallsOff ? -1 : this.blockOf.get(high)!;
    if (insn?.kind === 'exit') return { kind: 'return', last, successors: [], taken: -1, next: -1 };
    if (insn?.kind === 'jump' || insn?.kind === 'may_goto') {
      const to = last + 1 + insn.offset;
      const bad = this.m.badJumpSlots.has(last);
      const taken = bad ? -1 : this.blockOf.get(to)!;
      if (insn.kind === 'jump' && insn.op === 'ja')
        return { kind: 'ja', last, successors: bad ? [] : [taken], taken, next: -1 };
      if (!bad && to === last + 1)
        return { kind: 'fall', last: -1, successors: next < 0 ? [] : [next], taken: -1, next };
      const successors = [...(bad ? [] : [taken]), ...(next < 0 ? [] : [next])];
      return { kind: 'cond', last, successors, taken, next };
    }
    return { kind: 'fall', last: -1, successors: next < 0 ? [] : [next], taken: -1, next };
  }

  /** The instructions of a basic block but a jump at its end, each after its budget check. */
  private emitBody(low: number, high: number, skip: number): void {
    for (let pc = low; pc < high; pc++) {
      const insn = this.m.decoded[pc];
      const count = this.segments?.get(pc);
      if (count !== undefined) this.budgetCheck(pc, count);
      if (insn === undefined) {
        // Only reached by falling into the second slot of an LD_IMM64 (never: it advances by two).
        if (pc > low && this.m.decoded[pc - 1]?.kind === 'ld_imm64') continue;
        this.fault(pc, 'jump into the middle of an LD_IMM64');
        continue;
      }
      if (pc !== skip) this.instruction(pc, insn);
    }
  }

  /** Falling off the end of the program: a fault slot of its own (it counts against the budget). */
  private fallOffEnd(): void {
    if (this.m.budgeted) this.budgetCheck(this.m.length, 1);
    const last = this.m.length - 1;
    this.fault(last, `execution fell off the end of the program (insn ${last} is not an exit or jump)`);
  }

  /** Every block in one loop, entered through a br_table on the label local: for irreducible graphs. */
  private emitDispatchLoop(entryBlock: number): void {
    const c = this.c;
    const leaders = this.leaderList;
    const n = leaders.length;
    if (entryBlock !== 0) c.i32Const(entryBlock).localSet(LABEL);
    c.open(Opcode.loop);
    for (let i = 0; i < n; i++) c.open(Opcode.block);
    c.localGet(LABEL).brTable(
      leaders.map((_, index) => index),
      n - 1,
    );
    for (let block = 0; block < n; block++) {
      c.end();
      this.depthToLoop = n - 1 - block;
      this.emitBody(leaders[block], leaders[block + 1] ?? this.region.high, -1);
    }
    if (this.region.high >= this.m.length) this.fallOffEnd();
    c.end();
  }

  // ---- structured control flow (Ramsey's dominator-tree translation) ----

  /** A block with its loop (if a back edge goes to it) and the blocks its dominator-tree children that merge. */
  private emitNode(node: number): void {
    const shape = this.shape!;
    const merges = shape.children[node].filter((child) => shape.merge[child] === 1);
    if (shape.loopHeader[node] === 1) {
      this.c.open(Opcode.loop);
      this.frames.push({ kind: 'loop', node });
      this.emitWithin(node, merges, merges.length);
      this.frames.pop();
      this.c.end();
    } else {
      this.emitWithin(node, merges, merges.length);
    }
  }

  /** The node's code inside one wasm block per merge child; each merge child's code follows its block's end. */
  private emitWithin(node: number, merges: readonly number[], count: number): void {
    if (count === 0) {
      this.emitBlock(node);
      return;
    }
    const follower = merges[count - 1];
    this.c.open(Opcode.block);
    this.frames.push({ kind: 'block', node: follower });
    this.emitWithin(node, merges, count - 1);
    this.frames.pop();
    this.c.end();
    this.emitNode(follower);
  }

  private emitBlock(node: number): void {
    const exit = this.exits![node];
    const low = this.leaderList[node];
    const high = this.leaderList[node + 1] ?? this.region.high;
    const isJump = exit.kind === 'ja' || exit.kind === 'cond';
    this.emitBody(low, high, isJump ? exit.last : -1);
    const c = this.c;
    switch (exit.kind) {
      case 'return':
        return;
      case 'fall':
        if (exit.next < 0) this.fallOffEnd();
        else this.branch(node, exit.next);
        return;
      case 'ja':
        if (exit.taken < 0) this.badJump(exit.last);
        else this.branch(node, exit.taken);
        return;
      case 'cond': {
        this.condition(this.m.decoded[exit.last] as CondJumpInsn | MayGotoInsn);
        c.open(Opcode.if);
        this.frames.push({ kind: 'if', node });
        if (exit.taken < 0) this.badJump(exit.last);
        else this.branch(node, exit.taken);
        c.op(Opcode.else);
        if (exit.next < 0) this.fallOffEnd();
        else this.branch(node, exit.next);
        this.frames.pop();
        c.end();
      }
    }
  }

  /** Control goes from `from` to `to`: back to a loop, forward to a merge block's end, or on into `to`'s code. */
  private branch(from: number, to: number): void {
    const shape = this.shape!;
    if (shape.rpo[to] <= shape.rpo[from] || shape.merge[to] === 1) {
      const kind = shape.rpo[to] <= shape.rpo[from] ? 'loop' : 'block';
      const frames = this.frames;
      for (let i = frames.length - 1; i >= 0; i--) {
        if (frames[i].kind === kind && frames[i].node === to) {
          this.c.br(frames.length - 1 - i);
          return;
        }
      }
      throw new Error(`no enclosing ${kind} for block ${to}`);
    }
    this.emitNode(to);
  }

  /** Region start, entry, jump destinations and instructions after jumps (all inside the region). */
  private leaders(): number[] {
    const { low, high, entry } = this.region;
    const set = new Set<number>([low, entry]);
    for (let pc = low; pc < high; pc++) {
      const insn = this.m.decoded[pc];
      if (insn?.kind !== 'jump' && insn?.kind !== 'may_goto') continue;
      const to = pc + 1 + insn.offset;
      if (this.m.validDestination(to) && to >= low && to < high) set.add(to);
      if (pc + 1 < high) set.add(pc + 1);
    }
    return [...set].sort((a, b) => a - b);
  }

  /**
   * Where the budget is counted: runs of instructions inside one basic block that only the last may leave or
   * fault in, each charged at its start (so a budget fault lands on the same instruction as in the interpreter).
   */
  private budgetSegments(leaders: readonly number[]): Map<number, number> {
    const segments = new Map<number, number>();
    const isLeader = new Set(leaders);
    const { low, high } = this.region;
    let start = -1;
    let count = 0;
    for (let pc = low; pc < high; pc++) {
      const insn = this.m.decoded[pc];
      if (isLeader.has(pc) && start >= 0) {
        segments.set(start, count);
        start = -1;
      }
      if (insn === undefined && pc > low && this.m.decoded[pc - 1]?.kind === 'ld_imm64') continue;
      if (start < 0) {
        start = pc;
        count = 0;
      }
      count++;
      if (insn === undefined || endsSegment(insn, this.m.program.ldImm64Values[pc])) {
        segments.set(start, count);
        start = -1;
      }
    }
    if (start >= 0) segments.set(start, count);
    return segments;
  }

  private budgetCheck(pc: number, count: number): void {
    const c = this.c;
    c.globalGet(G.remaining).i64ConstSmall(count).op(Opcode.i64_sub).globalSet(G.remaining);
    c.globalGet(G.remaining).i64ConstSmall(0).op(Opcode.i64_lt_s);
    c.open(Opcode.if).i32Const(pc).i32Const(count).call(this.m.fn.budget).end();
  }

  private fault(insn: number, reason: string): void {
    this.c.i32Const(insn).i32Const(this.m.faultCode(insn, reason)).call(this.m.fn.fault);
  }

  private get(reg: number): void {
    this.c.localGet(REG_LOCAL[reg]);
  }

  private set(reg: number): void {
    this.c.localSet(REG_LOCAL[reg]);
  }

  /** The second operand as an i64 (immediates sign-extended) or, for 32-bit operations, an i32. */
  private operand(source: Operand, width: 32 | 64): void {
    if (source.kind === 'reg') {
      this.get(source.reg);
      if (width === 32) this.c.op(Opcode.i32_wrap_i64);
    } else if (width === 64) {
      this.c.i64ConstSmall(source.imm | 0);
    } else {
      this.c.i32Const(source.imm | 0);
    }
  }

  private instruction(pc: number, insn: DecodedInsn): void {
    const c = this.c;
    switch (insn.kind) {
      case 'alu':
        this.alu(insn);
        return;
      case 'endian': {
        const get = (): void => this.get(insn.dst);
        if (insn.to === 'le') {
          get();
          if (insn.bits === 16) c.i64ConstSmall(0xffff).op(Opcode.i64_and);
          else if (insn.bits === 32) c.i64Const(0xffff_ffffn).op(Opcode.i64_and);
        } else if (insn.bits === 64) {
          get();
          c.call(this.m.fn.bswap64);
        } else {
          // 16 and 32 bits inline (ntohs/ntohl in packet parsers): a call costs more than the swap.
          (insn.bits === 16 ? emitSwap16 : emitSwap32)(c, get);
        }
        this.set(insn.dst);
        return;
      }
      case 'jump':
      case 'may_goto':
        this.jump(pc, insn);
        return;
      // Load-acquire and store-release only order memory, and one thread runs a program: plain accesses.
      case 'load_acquire':
        this.address(pc, insn.src, insn.off, insn.size);
        c.memory(LOADS[insn.size]);
        this.set(insn.dst);
        return;
      case 'store_release':
        this.address(pc, insn.dst, insn.off, insn.size);
        this.get(insn.src);
        c.memory(STORES[insn.size]);
        return;
      case 'load': {
        this.address(pc, insn.src, insn.off, insn.size);
        c.memory(insn.signed ? SIGNED_LOADS[insn.size] : LOADS[insn.size]);
        this.set(insn.dst);
        return;
      }
      case 'store':
        this.address(pc, insn.dst, insn.off, insn.size);
        this.operand(insn.source, 64);
        c.memory(STORES[insn.size]);
        return;
      case 'atomic':
        this.atomic(pc, insn);
        return;
      case 'ld_imm64': {
        const value = this.m.program.ldImm64Values[pc];
        if (value === undefined) {
          this.fault(pc, `LD_IMM64 with src ${insn.src} was not resolved at load`);
          return;
        }
        c.i64Const(value);
        this.set(insn.dst);
        return;
      }
      case 'ld_legacy':
        c.i32Const(pc);
        if (insn.mode === 'ind') {
          this.get(insn.src);
          c.op(Opcode.i32_wrap_i64)
            .i32Const(insn.imm | 0)
            .op(Opcode.i32_add);
        } else {
          c.i32Const(insn.imm | 0);
        }
        c.call(this.m.fn.legacy);
        this.set(0);
        return;
      case 'call':
        this.call(pc, insn);
        return;
      case 'exit':
        this.get(0);
        c.op(Opcode.return);
        return;
      default: {
        const unreachable: never = insn;
        this.fault(pc, `unknown instruction ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private alu(insn: Extract<DecodedInsn, { kind: 'alu' }>): void {
    const c = this.c;
    const w64 = insn.width === 64;
    const dst = insn.dst;
    switch (insn.op) {
      case 'neg':
        c.i64ConstSmall(0);
        this.get(dst);
        if (w64) c.op(Opcode.i64_sub);
        else c.op(Opcode.i64_sub).op(Opcode.i32_wrap_i64).op(Opcode.i64_extend_i32_u);
        this.set(dst);
        return;
      case 'mov':
        if (insn.source.kind === 'imm') {
          if (w64 || insn.source.imm >= 0) c.i64ConstSmall(insn.source.imm | 0);
          else c.i64Const(BigInt(insn.source.imm >>> 0));
        } else {
          this.get(insn.source.reg);
          if (!w64) c.op(Opcode.i32_wrap_i64).op(Opcode.i64_extend_i32_u);
        }
        this.set(dst);
        return;
      case 'movsx': {
        this.get(insn.source.reg);
        const bits = insn.signExtendBits;
        if (w64) {
          c.op(
            bits === 8 ? Opcode.i64_extend8_s : bits === 16 ? Opcode.i64_extend16_s : Opcode.i64_extend32_s,
          );
        } else {
          c.op(Opcode.i32_wrap_i64);
          if (bits !== 32) c.op(bits === 8 ? Opcode.i32_extend8_s : Opcode.i32_extend16_s);
          c.op(Opcode.i64_extend_i32_u);
        }
        this.set(dst);
        return;
      }
      case 'div':
      case 'mod':
      case 'sdiv':
      case 'smod':
        this.division(insn.op, insn.width, dst, insn.source);
        return;
      default: {
        const op = insn.op;
        this.get(dst);
        if (w64) {
          this.operand(insn.source, 64);
          c.op(ALU64[op]);
        } else {
          c.op(Opcode.i32_wrap_i64);
          this.operand(insn.source, 32);
          c.op(ALU32[op]).op(Opcode.i64_extend_i32_u);
        }
        this.set(dst);
      }
    }
  }

  /** Division and modulo with isa-semantics' corners: a zero divisor and a signed -1 divisor never reach wasm. */
  private division(op: 'div' | 'mod' | 'sdiv' | 'smod', width: 32 | 64, dst: number, source: Operand): void {
    const c = this.c;
    const corners = DIVISION_CORNERS[op];
    const wide = width === 64;
    const type = wide ? I64 : I32;
    const eqz = wide ? Opcode.i64_eqz : Opcode.i32_eqz;
    const sub = wide ? Opcode.i64_sub : Opcode.i32_sub;
    const dividend = (): void => {
      this.get(dst);
      if (!wide) c.op(Opcode.i32_wrap_i64);
    };
    const zero = (): void => {
      if (wide) c.i64ConstSmall(0);
      else c.i32Const(0);
    };
    const byZero = (): void => (corners.byZero === 'zero' ? zero() : dividend());
    const byMinusOne = (): void => {
      if (corners.byMinusOne === 'zero') zero();
      else {
        zero();
        dividend();
        c.op(sub);
      }
    };
    const divide = (): void => {
      dividend();
      this.operand(source, width);
      c.op(DIVISION[width][op]);
    };
    if (source.kind === 'imm') {
      const divisor = wide ? source.imm | 0 : source.imm | 0;
      if (divisor === 0) byZero();
      else if (divisor === -1 && corners.byMinusOne !== 'divide') byMinusOne();
      else divide();
    } else {
      this.operand(source, width);
      c.op(eqz).open(Opcode.if, type);
      byZero();
      c.op(Opcode.else);
      if (corners.byMinusOne !== 'divide') {
        this.operand(source, width);
        if (wide) c.i64ConstSmall(-1).op(Opcode.i64_eq);
        else c.i32Const(-1).op(Opcode.i32_eq);
        c.open(Opcode.if, type);
        byMinusOne();
        c.op(Opcode.else);
        divide();
        c.end();
      } else {
        divide();
      }
      c.end();
    }
    if (!wide) c.op(Opcode.i64_extend_i32_u);
    this.set(dst);
  }

  /** Branches to the block starting at `to` from inside `extra` open constructs. */
  private branchTo(to: number, extra: number): void {
    const block = this.blockOf.get(to);
    if (block === undefined) throw new Error(`jump target ${to} is not a block start`);
    this.c
      .i32Const(block)
      .localSet(LABEL)
      .br(this.depthToLoop + extra);
  }

  /** A jump whose destination is invalid faults when taken (a fault slot of its own, counted by the budget). */
  private badJump(pc: number): void {
    const insn = this.m.decoded[pc] as Extract<DecodedInsn, { kind: 'jump' }>;
    const to = pc + 1 + insn.offset;
    if (this.m.budgeted) this.budgetCheck(this.m.badJumpSlots.get(pc)!, 1);
    const intoLdImm64 = this.m.decoded[to] === undefined && to >= 0 && to < this.m.length;
    this.fault(
      pc,
      intoLdImm64 ? `jump into the middle of an LD_IMM64 at insn ${to}` : `jump out of range to insn ${to}`,
    );
  }

  /**
   * Leaves the i32 condition of a conditional jump. may_goto's is "the budget is spent"; while it is not, one
   * pass is taken from it (the interpreter's rule).
   */
  private condition(insn: CondJumpInsn | MayGotoInsn): void {
    const c = this.c;
    if (insn.kind === 'may_goto') {
      c.localGet(MAY_GOTO).op(Opcode.i32_eqz);
      this.spendMayGoto();
      return;
    }
    const w64 = insn.width === 64;
    this.get(insn.dst);
    if (!w64) c.op(Opcode.i32_wrap_i64);
    this.operand(insn.source, insn.width);
    if (insn.op === 'jset') {
      if (w64) c.op(Opcode.i64_and).i64ConstSmall(0).op(Opcode.i64_ne);
      else c.op(Opcode.i32_and);
    } else {
      c.op((w64 ? COMPARE64 : COMPARE32)[insn.op]);
    }
  }

  /** budget -= (budget != 0): a pass is taken while any is left. */
  private spendMayGoto(): void {
    const c = this.c;
    c.localGet(MAY_GOTO)
      .localGet(MAY_GOTO)
      .i32Const(0)
      .op(Opcode.i32_ne)
      .op(Opcode.i32_sub)
      .localSet(MAY_GOTO);
  }

  /** Whether the function's region accesses memory through a register other than r10 (fast mode guards those). */
  private usesMemoryOffStack(): boolean {
    for (let pc = this.region.low; pc < this.region.high; pc++) {
      const insn = this.m.decoded[pc];
      if (insn === undefined) continue;
      if ((insn.kind === 'load' || insn.kind === 'load_acquire') && insn.src !== 10) return true;
      if (
        (insn.kind === 'store' || insn.kind === 'store_release' || insn.kind === 'atomic') &&
        insn.dst !== 10
      )
        return true;
    }
    return false;
  }

  /** Whether the function's region holds a may_goto (its budget local is then set on entry). */
  private usesMayGoto(): boolean {
    for (let pc = this.region.low; pc < this.region.high; pc++)
      if (this.m.decoded[pc]?.kind === 'may_goto') return true;
    return false;
  }

  /** A jump in the dispatch loop: set the label and go round. */
  private jump(pc: number, insn: CondJumpInsn | MayGotoInsn | Extract<DecodedInsn, { kind: 'jump' }>): void {
    const c = this.c;
    const to = pc + 1 + insn.offset;
    const bad = this.m.badJumpSlots.has(pc);
    if (insn.kind === 'jump' && insn.op === 'ja') {
      if (bad) this.badJump(pc);
      else if (to !== pc + 1) this.branchTo(to, 0);
      return;
    }
    if (!bad && to === pc + 1) {
      // Either way is the next instruction; may_goto still takes a pass from the budget.
      if (insn.kind === 'may_goto') this.spendMayGoto();
      return;
    }
    this.condition(insn as CondJumpInsn | MayGotoInsn);
    c.open(Opcode.if);
    if (bad) this.badJump(pc);
    else this.branchTo(to, 1);
    c.end();
  }

  /**
   * Leaves the i32 address of a `size`-byte access at base + off. The fast path is the stack segment (checked
   * mode) or the memory past its guard (fast mode); anything else asks the runtime, which faults as the
   * interpreter does.
   */
  private address(pc: number, base: number, off: number, size: number): void {
    const c = this.c;
    if (!this.m.checked && base === 10) {
      // Fast mode runs verified programs: the verifier proved r10 + off inside the frame. The memory is the
      // Vm's own, so wasm's bounds check stays the second wall.
      this.get(10);
      c.op(Opcode.i32_wrap_i64).i32Const(off).op(Opcode.i32_add);
      return;
    }
    this.get(base);
    if (off !== 0) c.i64ConstSmall(off).op(Opcode.i64_add);
    c.localTee(ADDR);
    if (this.m.checked) {
      c.globalGet(G.stackLow)
        .op(Opcode.i64_sub)
        .i64ConstSmall(STACK_SEGMENT_SIZE - size)
        .op(Opcode.i64_le_u);
    } else {
      // Outside the memory past its guard the runtime faults (or, if a helper grew the memory, returns it) off
      // the hot path: no value merges out of the branch, so the fast path stays straight-line code.
      c.localGet(MEM_LOW).op(Opcode.i64_sub).localGet(MEM_SPAN).i64ConstSmall(size).op(Opcode.i64_sub);
      c.op(Opcode.i64_gt_u).open(Opcode.if).i32Const(pc);
      this.get(base);
      c.call(this.m.fn.access).op(Opcode.i64_extend_i32_u).localSet(ADDR).end();
      c.localGet(ADDR).op(Opcode.i32_wrap_i64);
      return;
    }
    c.open(Opcode.if, I32).localGet(ADDR).op(Opcode.i32_wrap_i64).op(Opcode.else);
    c.i32Const(pc);
    this.get(base);
    c.call(this.m.fn.access).end();
  }

  private atomic(pc: number, insn: Extract<DecodedInsn, { kind: 'atomic' }>): void {
    const c = this.c;
    const wide = insn.size === 8;
    const load = wide ? Opcode.i64_load : Opcode.i64_load32_u;
    const store = wide ? Opcode.i64_store : Opcode.i64_store32;
    const addr32 = FP;
    // The address (as i64 scratch holding an i32), the old value in TEMP.
    this.address(pc, insn.dst, insn.off, insn.size);
    c.op(Opcode.i64_extend_i32_u).localSet(addr32);
    c.localGet(addr32).op(Opcode.i32_wrap_i64).memory(load).localSet(TEMP);
    c.localGet(addr32).op(Opcode.i32_wrap_i64);
    const value = (): void => {
      this.get(insn.src);
      if (!wide) c.i64Const(0xffff_ffffn).op(Opcode.i64_and);
    };
    switch (insn.op) {
      case 'add':
        c.localGet(TEMP);
        value();
        c.op(Opcode.i64_add);
        break;
      case 'or':
        c.localGet(TEMP);
        value();
        c.op(Opcode.i64_or);
        break;
      case 'and':
        c.localGet(TEMP);
        value();
        c.op(Opcode.i64_and);
        break;
      case 'xor':
        c.localGet(TEMP);
        value();
        c.op(Opcode.i64_xor);
        break;
      case 'xchg':
        value();
        break;
      case 'cmpxchg':
        // Stores src when memory equals r0 (its low half for 32 bits); r0 = the old value either way.
        value();
        c.localGet(TEMP);
        c.localGet(TEMP);
        this.get(0);
        if (!wide) c.i64Const(0xffff_ffffn).op(Opcode.i64_and);
        c.op(Opcode.i64_eq).op(Opcode.select);
        c.memory(store);
        c.localGet(TEMP);
        this.set(0);
        return;
      default: {
        const unknown: never = insn.op;
        throw new Error(`unknown atomic ${String(unknown)}`);
      }
    }
    c.memory(store);
    if (insn.fetch) {
      c.localGet(TEMP);
      this.set(insn.src);
    }
  }

  /**
   * `enter` without leaving the function when nothing is rare: the callee's frame fits below the caller's in the
   * current stack segment and no depth limit is reached. Anything else (r10 outside the segment, a new segment,
   * a depth fault) calls `enter`, which decides as before. Leaves the callee's frame pointer in FP.
   */
  private enterInline(pc: number, callerSize: number, calleeSize: number): void {
    const c = this.c;
    // fp = r10 - callerSize; fast when stackLow <= fp - calleeSize and fp <= stackHigh (then r10's high half
    // is 0 and its low half positive, so this fp is the one `enter` computes from the sign-extended low half).
    this.get(10);
    c.i64ConstSmall(callerSize).op(Opcode.i64_sub).localTee(FP);
    c.i64ConstSmall(calleeSize).op(Opcode.i64_sub).globalGet(G.stackLow).op(Opcode.i64_ge_s);
    c.localGet(FP).globalGet(G.stackHigh).op(Opcode.i64_le_s).op(Opcode.i32_and);
    c.globalGet(G.depth)
      .i32Const(MAX_RUN_FRAMES - 1)
      .op(Opcode.i32_lt_s)
      .op(Opcode.i32_and);
    if (this.m.checked) {
      c.globalGet(G.depth).globalGet(G.base).op(Opcode.i32_sub);
      c.i32Const(MAX_CALL_FRAMES - 1)
        .op(Opcode.i32_lt_s)
        .op(Opcode.i32_and);
    }
    c.open(Opcode.if).globalGet(G.depth).i32Const(1).op(Opcode.i32_add).globalSet(G.depth);
    c.op(Opcode.else).i32Const(pc).i32Const(callerSize).i32Const(calleeSize);
    this.get(10);
    c.call(this.m.fn.enter).localSet(FP).end();
  }

  /** `leave` inline when the caller's r10 is in the current stack segment (no segment to restore). */
  private leaveInline(): void {
    const c = this.c;
    this.get(10);
    c.globalGet(G.stackLow).op(Opcode.i64_ge_s);
    this.get(10);
    c.globalGet(G.stackHigh).op(Opcode.i64_le_s).op(Opcode.i32_and);
    c.open(Opcode.if).globalGet(G.depth).i32Const(1).op(Opcode.i32_sub).globalSet(G.depth);
    c.op(Opcode.else);
    this.get(10);
    c.call(this.m.fn.leave).end();
  }

  /**
   * A call of a pure leaf (`pureLeavesOf`) as its body in place: it can neither fault nor see its frame, so
   * only the depth limit a real call would meet is kept (`enter` faults there); r1-r5 and r0 are the caller's
   * locals, which the callee may overwrite as a call clobbers them.
   */
  private inlineLeaf(pc: number, callerSize: number, calleeSize: number, leaf: PureLeaf): void {
    const c = this.c;
    c.globalGet(G.depth)
      .i32Const(MAX_RUN_FRAMES - 1)
      .op(Opcode.i32_ge_s);
    c.open(Opcode.if).i32Const(pc).i32Const(callerSize).i32Const(calleeSize);
    this.get(10);
    c.call(this.m.fn.enter).op(Opcode.drop).end();
    for (let at = leaf.start; at < leaf.exit; at++) {
      const insn = this.m.decoded[at];
      if (insn !== undefined) this.instruction(at, insn);
    }
  }

  private call(pc: number, insn: Extract<DecodedInsn, { kind: 'call' }>): void {
    const c = this.c;
    const m = this.m;
    const kfuncKey = insn.target === 'kfunc' ? knownKfuncKey(insn) : undefined;
    if (insn.target === 'kfunc' && kfuncKey === undefined) {
      this.fault(pc, kfuncCallFault(insn.imm));
      return;
    }
    if (insn.target === 'local') {
      const to = pc + insn.imm + 1;
      const callee = m.program.functionStarts.indexOf(to);
      if (callee < 0) {
        this.fault(pc, `call to insn ${to}, which does not start a function`);
        return;
      }
      const callerSize = m.frameSizes[functionIndexAt(m.program, pc)];
      const calleeSize = m.frameSizes[callee];
      const leaf = m.inlineLeaves.get(callee);
      if (leaf !== undefined) {
        this.inlineLeaf(pc, callerSize, calleeSize, leaf);
        return;
      }
      this.enterInline(pc, callerSize, calleeSize);
      c.open(Opcode.try, I64);
      for (let reg = 1; reg <= 5; reg++) this.get(reg);
      c.localGet(FP).call(m.functionIndexes[callee]);
      c.op(Opcode.catch_all).i32Const(pc).call(m.fn.unwind).rethrow(0).end();
      this.set(0);
      this.leaveInline();
      return;
    }
    if (insn.imm === BPF_FUNC_TAIL_CALL) {
      c.i32Const(pc);
      for (let reg = 1; reg <= 5; reg++) this.get(reg);
      this.get(10);
      c.call(m.fn.tailCall).localSet(TEMP);
      // Taken: the target ran in this frame and its exit is this function's.
      c.globalGet(G.tailTaken).open(Opcode.if).localGet(TEMP).op(Opcode.return).end();
      return;
    }
    const key = kfuncKey ?? insn.imm;
    if (insn.target === 'helper' && key === BPF_FUNC_MAP_LOOKUP_ELEM && !m.checked) {
      const array = this.knownArrayInR1(pc);
      if (array !== undefined) {
        this.inlineArrayLookup(pc, key, array);
        return;
      }
    }
    const fast = m.fastFunction.get(key);
    if (fast === undefined) {
      this.generalHelperCall(pc, key);
      this.set(0);
      return;
    }
    // The fast form only where every address argument fits in 32 bits; otherwise the general form decides.
    const kinds = fast.signature.args;
    let addresses = 0;
    kinds.forEach((kind, index) => {
      if (kind !== 'map' && kind !== 'ptr') return;
      this.get(index + 1);
      c.i64ConstSmall(32).op(Opcode.i64_shr_u);
      if (addresses++ > 0) c.op(Opcode.i64_or);
    });
    if (addresses > 0) c.op(Opcode.i64_eqz).open(Opcode.if, I64);
    c.i32Const(pc);
    kinds.forEach((kind, index) => {
      this.get(index + 1);
      c.op(kind === 'u64' ? Opcode.f64_convert_i64_u : Opcode.i32_wrap_i64);
    });
    c.call(fast.index);
    const result = fast.signature.result;
    if (result === 's64') c.op(Opcode.i64_trunc_f64_s);
    else c.op(result === 's32' ? Opcode.i64_extend_i32_s : Opcode.i64_extend_i32_u);
    if (addresses > 0) {
      c.op(Opcode.else);
      this.generalHelperCall(pc, key);
      c.end();
    }
    this.set(0);
  }

  /**
   * The inline array map r1 holds at the call at `pc`: an LD_IMM64 of its address earlier in the same basic
   * block, with nothing between that may write r1.
   */
  private knownArrayInR1(pc: number): InlineArray | undefined {
    const arrays = this.m.inlineArrays;
    if (arrays === undefined) return undefined;
    // Back from the call until the start of its block (where control may come from elsewhere).
    for (let at = pc; !this.blockOf.has(at); ) {
      at--;
      if (at < this.region.low) return undefined;
      const insn = this.m.decoded[at];
      if (insn !== undefined && mayWriteR1(insn)) {
        const value = this.m.program.ldImm64Values[at];
        if (insn.kind !== 'ld_imm64' || insn.dst !== 1 || value === undefined) return undefined;
        return value < 0x1_0000_0000n ? arrays.get(Number(value)) : undefined;
      }
    }
    return undefined;
  }

  /**
   * bpf_map_lookup_elem on a plain array in compiled code (kernel: array_map_gen_lookup): the u32 key at r2,
   * the element's address or 0 past the end. A key pointer outside the memory takes the helper, which faults.
   */
  private inlineArrayLookup(pc: number, key: number, array: InlineArray): void {
    const c = this.c;
    this.get(2);
    c.globalGet(G.memLow).op(Opcode.i64_sub).globalGet(G.memSpan).i64ConstSmall(4).op(Opcode.i64_sub);
    c.op(Opcode.i64_le_u).open(Opcode.if, I64);
    this.get(2);
    c.op(Opcode.i32_wrap_i64).memory(Opcode.i64_load32_u).localTee(TEMP);
    c.i64Const(BigInt(array.elementSize)).op(Opcode.i64_mul).i64Const(BigInt(array.base)).op(Opcode.i64_add);
    c.i64ConstSmall(0);
    c.localGet(TEMP).i64Const(BigInt(array.maxEntries)).op(Opcode.i64_lt_u);
    c.op(Opcode.select);
    c.op(Opcode.else);
    this.generalHelperCall(pc, key);
    c.end();
    this.set(0);
  }

  /** The general helper import with r1-r5 and r10 as i64 (its result left on the stack). */
  private generalHelperCall(pc: number, key: number): void {
    const c = this.c;
    c.i32Const(pc);
    for (let reg = 1; reg <= 5; reg++) this.get(reg);
    this.get(10);
    c.call(this.m.helperFunction.get(key)!);
  }
}

/** The fast forms `helpers` has for the calls of `program`, by key (what CompileOptions.fastForms takes). */
export function fastFormsOf(program: ExecutableProgram, helpers: HelperTable): Map<number, FastHelper> {
  const forms = new Map<number, FastHelper>();
  for (const key of helperKeysOf(program)) {
    const fast = helpers.get(key)?.fast;
    if (fast !== undefined) forms.set(key, fast);
  }
  return forms;
}

/** Text naming the signatures of `forms`: modules compiled with equal texts are interchangeable. */
export function fastFormsKey(forms: ReadonlyMap<number, FastSignature>): string {
  let key = '';
  for (const [id, form] of forms) key += `${id}:${form.args.join(',')}>${form.result};`;
  return key;
}

/** The instruction may change r1 (calls clobber r1-r5; atomics and legacy loads are taken as doing so). */
function mayWriteR1(insn: DecodedInsn): boolean {
  switch (insn.kind) {
    case 'alu':
    case 'endian':
    case 'load':
    case 'load_acquire':
    case 'ld_imm64':
      return insn.dst === 1;
    case 'store':
    case 'store_release':
    case 'jump':
    case 'may_goto':
    case 'exit':
      return false;
    case 'call':
    case 'atomic':
    case 'ld_legacy':
      return true;
    default: {
      const unreachable: never = insn;
      return unreachable;
    }
  }
}

const helperKeysCache = new WeakMap<ExecutableProgram, readonly number[]>();

/**
 * The helper-table keys `program` calls, each once in order of first call: helper ids, and the keys of kfuncs
 * tsbpf implements (which run as helpers, the interpreter's rule); tail calls are not among them.
 */
export function helperKeysOf(program: ExecutableProgram): readonly number[] {
  let keys = helperKeysCache.get(program);
  if (keys !== undefined) return keys;
  const found = new Set<number>();
  for (const insn of program.decoded) {
    if (insn?.kind !== 'call' || insn.target === 'local' || insn.imm === BPF_FUNC_TAIL_CALL) continue;
    const key = insn.target === 'kfunc' ? knownKfuncKey(insn) : insn.imm;
    if (key !== undefined) found.add(key);
  }
  keys = [...found];
  helperKeysCache.set(program, keys);
  return keys;
}

/** The helper-table key of a kfunc call tsbpf implements, or undefined (the call then faults). */
function knownKfuncKey(insn: Extract<DecodedInsn, { kind: 'call' }>): number | undefined {
  return kfuncCallKey(insn.imm, insn.off);
}

/** Instructions after which the budget is counted anew: those that may fault, call out or leave. */
function endsSegment(insn: DecodedInsn, ldImm64Value: bigint | undefined): boolean {
  switch (insn.kind) {
    case 'load':
    case 'store':
    case 'atomic':
    case 'call':
    case 'ld_legacy':
    case 'jump':
    case 'may_goto':
    case 'load_acquire':
    case 'store_release':
    case 'exit':
      return true;
    case 'ld_imm64':
      return ldImm64Value === undefined;
    case 'alu':
    case 'endian':
      return false;
    default: {
      const unreachable: never = insn;
      return unreachable;
    }
  }
}

/** bswap16 of the low 16 bits of the i64 that `get` pushes, zero-extended (wasm has no byte swap). */
function emitSwap16(c: FunctionCode, get: () => void): void {
  get();
  c.op(Opcode.i32_wrap_i64).i32Const(8).op(Opcode.i32_shl).i32Const(0xff00).op(Opcode.i32_and);
  get();
  c.op(Opcode.i32_wrap_i64).i32Const(8).op(Opcode.i32_shr_u).i32Const(0xff).op(Opcode.i32_and);
  c.op(Opcode.i32_or).op(Opcode.i64_extend_i32_u);
}

/** bswap32 of the low 32 bits of the i64 that `get` pushes, zero-extended. */
function emitSwap32(c: FunctionCode, get: () => void): void {
  // rotl(x, 8) & 0x00ff00ff | rotr(x, 8) & 0xff00ff00, on the i32.
  get();
  c.op(Opcode.i32_wrap_i64).i32Const(8).op(Opcode.i32_rotl).i32Const(0x00ff00ff).op(Opcode.i32_and);
  get();
  c.op(Opcode.i32_wrap_i64)
    .i32Const(8)
    .op(Opcode.i32_rotr)
    .i32Const(0xff00ff00 | 0)
    .op(Opcode.i32_and);
  c.op(Opcode.i32_or).op(Opcode.i64_extend_i32_u);
}

/** The bswap64 function: the two swapped halves exchanged. */
function emitByteSwap64(swap64: FunctionCode): void {
  emitSwap32(swap64, () => swap64.localGet(0));
  swap64.i64ConstSmall(32).op(Opcode.i64_shl);
  emitSwap32(swap64, () => swap64.localGet(0).i64ConstSmall(32).op(Opcode.i64_shr_u));
  swap64.op(Opcode.i64_or);
}
