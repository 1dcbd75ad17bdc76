// The verifier's entry point: the kernel's bpf_check for one program — layout, control flow, the path walk,
// the combined stack of every call chain — with the kernel's log, statistics and error.
import { checkKfuncCallsAtLoad } from './kfunc-calls.js';
import {
  BPF_COMPLEXITY_LIMIT_INSNS,
  BPF_LOG_STATS,
  MAX_BPF_STACK,
  MAX_CALL_FRAMES,
  MAY_GOTO_STACK_EXTRA,
} from '../abi/limits.js';
import type { KernelTypes } from '../abi/kernel-structs.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import type { Btf } from '../btf/btf.js';
import type { Insn } from '../isa/insn.js';
import { InsnError } from '../isa/insn-error.js';
import { BPF_CALL, BPF_JMP, BPF_LD_IMM64, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC } from '../isa/opcodes.js';
import { validateInsns } from '../isa/validate.js';
import { type ControlFlow, checkControlFlow, computeScc } from './cfg.js';
import {
  analyzeLiveRegisters,
  helperArgCountFor,
  kfuncArgCountFor,
  liveRegistersLog,
} from './live-registers.js';
import { VerifierLog } from './log.js';
import { StackLiveness } from './stack-liveness.js';
import type { VerifierMap } from './state.js';
import { VerifierError } from './verifier-error.js';
import { type FuncInfoRecord, globalFunctions, staticFunctionPrototypes } from './global-functions.js';
import { Walk, type WalkOptions, type WalkStats } from './walk.js';
import { packetChangingFunctions } from './packet-changing.js';

export { VerifierError } from './verifier-error.js';
export type { VerifierMap } from './state.js';

/** Capabilities of the loading process, as the kernel checks them (bpf_capable, perfmon_capable, ...). */
export interface VerifierCapabilities {
  readonly bpf: boolean;
  readonly perfmon: boolean;
  readonly netAdmin: boolean;
  readonly sysAdmin: boolean;
}

export const ALL_CAPABILITIES: VerifierCapabilities = {
  bpf: true,
  perfmon: true,
  netAdmin: true,
  sysAdmin: true,
};
export const NO_CAPABILITIES: VerifierCapabilities = {
  bpf: false,
  perfmon: false,
  netAdmin: false,
  sysAdmin: false,
};

/** One line_info record: the source line from instruction `insnOff` on. */
export interface LineInfoRecord {
  readonly insnOff: number;
  readonly fileName: string;
  readonly line: number;
  readonly lineText: string;
}

/** For each instruction, the line_info record covering it (the last one at or before it), or -1. */
function lineInfoIndex(insnCount: number, records: readonly LineInfoRecord[]): Int32Array {
  const at = new Int32Array(insnCount).fill(-1);
  let record = -1;
  for (let insn = 0; insn < insnCount; insn++) {
    while (record + 1 < records.length && records[record + 1].insnOff <= insn) record++;
    at[insn] = record;
  }
  return at;
}

/** The end (one past the last instruction) of the function that starts at `start`. */
function functionEnd(cfg: ControlFlow, insnCount: number): (start: number) => number {
  return (start) => {
    const fn = cfg.functionOf[start];
    return fn + 1 < cfg.functionStarts.length ? cfg.functionStarts[fn + 1] : insnCount;
  };
}

/** prog_flags bits the verifier reads. */
export const BPF_F_STRICT_ALIGNMENT = 1 << 0;
export const BPF_F_ANY_ALIGNMENT = 1 << 1;
export const BPF_F_TEST_RND_HI32 = 1 << 2;
export const BPF_F_TEST_STATE_FREQ = 1 << 3;
export const BPF_F_SLEEPABLE = 1 << 4;
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;
export const BPF_F_TEST_REG_INVARIANTS = 1 << 7;

export interface VerifyOptions {
  readonly programType: ProgramTypeName;
  readonly insns: readonly Insn[];
  readonly expectedAttachType?: string;
  readonly progFlags?: number;
  readonly capabilities?: VerifierCapabilities;
  readonly gplCompatible?: boolean;
  /** 0 none, 1 the path to the error, 2 every state; | 4 statistics (BPF_LOG_STATS). */
  readonly logLevel?: number;
  /** Program BTF and func_info: global functions and callbacks need them. */
  readonly btf?: Btf;
  readonly funcInfo?: readonly FuncInfoRecord[];
  /** line_info (sorted by instruction): the log prints each instruction's source line, as the kernel does. */
  readonly lineInfo?: readonly LineInfoRecord[];
  /** The map an LD_IMM64 with src 1/2 (fd) or 5/6 (index) names. */
  readonly mapFor?: (insn: number, src: number, imm: number) => VerifierMap | undefined;
  /** nr_cpu_ids of the machine the program runs on: bounds bpf_get_smp_processor_id; unknown when absent. */
  readonly possibleCpus?: number;
  /** The kernel's types (a kernel BTF the user gave); tsbpf's table of kernel structs when absent. */
  readonly kernelTypes?: KernelTypes;
}

export interface VerifyResult {
  readonly accepted: boolean;
  readonly error: VerifierError | undefined;
  readonly log: string;
  readonly processedInsns: number;
  /** Bytes of stack per function, entry first (the kernel's `stack depth A+B`). */
  readonly stackDepth: readonly number[];
  readonly functionStarts: readonly number[];
  /** End (off + size) of the furthest context access (kernel: max_ctx_offset, what raw_tp and syscall test-runs need). */
  readonly maxCtxOffset: number;
  /**
   * Context loads the kernel rewrites to read elsewhere than their offset says (a narrow load of a field kept
   * narrower in the kernel gives the whole field): instruction index → the offset engines must read instead.
   */
  readonly contextLoadOffsets: ReadonlyMap<number, number>;
  /** Loads through kernel-struct pointers (instruction indexes): the kernel's probe loads, which read 0 on a fault. */
  readonly probeLoads: ReadonlySet<number>;
  /**
   * Loads of the context's kernel sk_buff (bpf_cast_to_kern_ctx) at members a `__sk_buff` field mirrors:
   * instruction → bytes the load moves to read that field instead, as the kernel's one struct is read; NaN
   * where paths disagree.
   */
  readonly kernelContextLoads: ReadonlyMap<number, number>;
  readonly totalStates: number;
  readonly peakStates: number;
  readonly maxStatesPerInsn: number;
  readonly verificationTimeUs: number;
}

/** Program types that may (or, for syscall, must) be sleepable (kernel: bpf_prog_load_check_attach / check_attach_btf_id). */
const SLEEPABLE_TYPES: ReadonlySet<string> = new Set(['tracing', 'lsm', 'kprobe', 'struct_ops', 'syscall']);

function checkLoadFlags(programType: ProgramTypeName, flags: number): void {
  const sleepable = (flags & BPF_F_SLEEPABLE) !== 0;
  if (sleepable && !SLEEPABLE_TYPES.has(programType)) {
    throw new VerifierError(
      'Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable',
      undefined,
      'EINVAL',
    );
  }
  if (!sleepable && programType === 'syscall') {
    throw new VerifierError('Syscall programs can only be sleepable', undefined, 'EINVAL');
  }
}

/** Kernel round_up_stack_depth with the JIT on: each frame of a chain takes its depth rounded up to 16. */
function frameSize(depth: number): number {
  return Math.ceil(depth / 16) * 16;
}

/**
 * Kernel check_max_stack_depth: every chain of calls from the entry fits in MAX_CALL_FRAMES frames and 512
 * bytes of stack. A function pointer (LD_IMM64 src 4) counts as a call from the function holding it, so a
 * callback's frames add to its caller's chain; only async callbacks (timers) start chains of their own.
 */
function checkCombinedStack(
  insns: readonly Insn[],
  cfg: ControlFlow,
  depth: readonly number[],
  asyncCallbacks: ReadonlySet<number>,
): void {
  const calls: number[][] = cfg.functionStarts.map(() => []);
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (ins.code === (BPF_JMP | BPF_CALL) && ins.src === BPF_PSEUDO_CALL) {
      calls[cfg.functionOf[i]].push(cfg.functionOf[i + ins.imm + 1]);
    } else if (ins.code === BPF_LD_IMM64 && ins.src === BPF_PSEUDO_FUNC) {
      const callback = cfg.functionOf[i + ins.imm + 1];
      if (!asyncCallbacks.has(callback)) calls[cfg.functionOf[i]].push(callback);
    }
  }
  for (const root of [0, ...asyncCallbacks]) {
    const walkChain = (fn: number, frames: number, total: number, onPath: Set<number>): void => {
      const here = total + frameSize(depth[fn]);
      if (here > MAX_BPF_STACK) {
        throw new VerifierError(`combined stack size of ${frames} calls is ${here}. Too large`, undefined);
      }
      for (const callee of calls[fn]) {
        if (onPath.has(callee)) continue;
        if (frames + 1 > MAX_CALL_FRAMES) {
          throw new VerifierError(`the call stack of ${frames + 1} frames is too deep !`, undefined, 'E2BIG');
        }
        onPath.add(callee);
        walkChain(callee, frames + 1, here, onPath);
        onPath.delete(callee);
      }
    };
    walkChain(root, 1, 0, new Set([root]));
  }
}

/**
 * The same VerifierMap object for every reference to one map during a load: pruning compares map pointers by
 * identity, as the kernel compares the addresses of its struct bpf_map.
 */
function oneObjectPerMap(mapFor: VerifyOptions['mapFor']): WalkOptions['mapFor'] {
  const byFd = new Map<number, VerifierMap>();
  return (insn, src, imm) => {
    const map = mapFor?.(insn, src, imm);
    if (map === undefined) return undefined;
    const seen = byFd.get(map.fd);
    if (seen !== undefined) return seen;
    byFd.set(map.fd, map);
    return map;
  };
}

/**
 * Kernel check_abnormal_return: without BTF, subprograms may not end a program another way than `exit`
 * (LD_ABS/LD_IND can, and so can a tail call).
 */
function checkAbnormalReturns(insns: readonly Insn[], cfg: ControlFlow): void {
  for (let fn = 1; fn < cfg.functionStarts.length; fn++) {
    const end = fn + 1 < cfg.functionStarts.length ? cfg.functionStarts[fn + 1] : insns.length;
    let ldAbs = false;
    let tailCall = false;
    for (let i = cfg.functionStarts[fn]; i < end; i++) {
      const ins = insns[i];
      if ((ins.code & 0x07) === 0 && ((ins.code & 0xe0) === 0x20 || (ins.code & 0xe0) === 0x40)) ldAbs = true;
      if (ins.code === (BPF_JMP | BPF_CALL) && ins.src === 0 && ins.imm === 12) tailCall = true;
    }
    if (ldAbs) throw new VerifierError('LD_ABS is not allowed in subprogs without BTF', undefined, 'EINVAL');
    if (tailCall)
      throw new VerifierError('tail_call is not allowed in subprogs without BTF', undefined, 'EINVAL');
  }
}

/** The kernel's last log line: `processed N insns (limit 1000000) ...` (no walk: all zero). */
export function processedLine(
  result: Pick<VerifyResult, 'processedInsns' | 'maxStatesPerInsn' | 'totalStates' | 'peakStates'> = {
    processedInsns: 0,
    maxStatesPerInsn: 0,
    totalStates: 0,
    peakStates: 0,
  },
): string {
  return (
    `processed ${result.processedInsns} insns (limit ${BPF_COMPLEXITY_LIMIT_INSNS}) max_states_per_insn ` +
    `${result.maxStatesPerInsn} total_states ${result.totalStates} peak_states ${result.peakStates} mark_read 0\n`
  );
}

function statsLines(
  result: Omit<
    VerifyResult,
    | 'log'
    | 'accepted'
    | 'error'
    | 'functionStarts'
    | 'maxCtxOffset'
    | 'contextLoadOffsets'
    | 'probeLoads'
    | 'kernelContextLoads'
  >,
  level: number,
): string {
  let text = '';
  if (level & BPF_LOG_STATS) {
    text += `verification time ${result.verificationTimeUs} usec\n`;
    text += `stack depth ${result.stackDepth.join('+')}\n`;
  }
  if (level > 0) text += processedLine(result);
  return text;
}

const clock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Verify one program the way Linux 6.18 does; never throws for a bad program (the verdict is in the result). */
export function verifyProgram(options: VerifyOptions): VerifyResult {
  const started = clock();
  const level = options.logLevel ?? 0;
  const caps = options.capabilities ?? ALL_CAPABILITIES;
  const flags = options.progFlags ?? 0;
  const log = new VerifierLog(level & 3);
  let walk: Walk | undefined;
  let stats: WalkStats | undefined;
  let cfg: ControlFlow | undefined;
  let error: VerifierError | undefined;
  try {
    checkLoadFlags(options.programType, flags);
    try {
      validateInsns(options.insns, { layoutOnly: true });
    } catch (cause) {
      if (cause instanceof InsnError) throw new VerifierError(cause.reason, cause.index, 'EINVAL');
      throw cause;
    }
    checkKfuncCallsAtLoad(options.insns, options.gplCompatible ?? true);
    cfg = checkControlFlow(options.insns, caps.bpf || caps.sysAdmin);
    const live = analyzeLiveRegisters(options.insns, {
      helperArgCount: helperArgCountFor(options.programType),
      kfuncArgCount: kfuncArgCountFor(options.programType),
    });
    if (log.level > 1) {
      for (const [index, start] of cfg.functionStarts.entries()) log.print(`func#${index} @${start}\n`);
      log.print(liveRegistersLog(options.insns, live));
    }
    if (options.funcInfo === undefined || options.funcInfo.length === 0)
      checkAbnormalReturns(options.insns, cfg);
    const globals = globalFunctions(options.btf, options.funcInfo, cfg.functionStarts, options.programType);
    const walkOptions: WalkOptions = {
      programType: options.programType,
      ...(options.expectedAttachType !== undefined ? { expectedAttachType: options.expectedAttachType } : {}),
      // Kernel: CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON (bpf_token_capable, perfmon_capable).
      bpfCapable: caps.bpf || caps.sysAdmin,
      perfmonCapable: caps.perfmon || caps.sysAdmin,
      allowPtrLeaks: caps.perfmon || caps.sysAdmin,
      allowUninitStack: caps.perfmon || caps.sysAdmin,
      bypassSpecV1: caps.perfmon || caps.sysAdmin,
      bypassSpecV4: caps.perfmon || caps.sysAdmin,
      strictAlignment: (flags & BPF_F_STRICT_ALIGNMENT) !== 0 && (flags & BPF_F_ANY_ALIGNMENT) === 0,
      gplCompatible: options.gplCompatible ?? true,
      testStateFreq: (flags & BPF_F_TEST_STATE_FREQ) !== 0,
      testRegInvariants: (flags & BPF_F_TEST_REG_INVARIANTS) !== 0,
      mapFor: oneObjectPerMap(options.mapFor),
      liveRegs: live.liveBefore,
      scc: computeScc(options.insns, cfg.callbackCalls),
      stackLiveness: new StackLiveness(options.insns, cfg, log, functionEnd(cfg, options.insns.length)),
      ...(options.lineInfo !== undefined && options.lineInfo.length > 0 && log.level > 0
        ? { lineInfo: options.lineInfo, lineInfoAt: lineInfoIndex(options.insns.length, options.lineInfo) }
        : {}),
      globalFunctions: globals,
      packetChangingFunctions: packetChangingFunctions(options.insns, cfg.functionOf),
      staticPrototypes: staticFunctionPrototypes(
        options.btf,
        options.funcInfo,
        cfg.functionStarts,
        options.programType,
      ),
      hasFuncInfo: (options.funcInfo?.length ?? 0) > 0,
      ...(options.possibleCpus !== undefined ? { possibleCpus: options.possibleCpus } : {}),
      ...(options.kernelTypes !== undefined ? { kernelTypes: options.kernelTypes } : {}),
    };
    stats = {
      processedInsns: 0,
      totalStates: 0,
      peakStates: 0,
      maxStatesPerInsn: 0,
      liveStates: 0,
      stackDepth: cfg.functionStarts.map(() => 0),
      lastId: 0,
      maxCtxOffset: 0,
      contextLoadOffsets: new Map(),
      probeLoads: new Set(),
      kernelContextLoads: new Map(),
      jumpsProcessed: 0,
      lastCheckpointJumps: 0,
      lastCheckpointInsns: 0,
    };
    walk = new Walk(options.insns, cfg, walkOptions, log, stats);
    // Level 1 keeps the path that failed: a walk that succeeds leaves nothing of its paths in the log.
    const beforeMain = log.position;
    walk.run();
    if (log.level === 1) log.reset(beforeMain);
    const asyncCallbacks = new Set(walk.asyncCallbacks);
    const mayGotoFunctions = new Set(walk.mayGotoFunctions);
    // Kernel do_check_subprogs: each global function a verified path calls, verified on its own.
    const verified = new Set<number>();
    for (let again = true; again; ) {
      again = false;
      for (const index of [...globals.keys()].sort((a, b) => a - b)) {
        if (verified.has(index) || !walk.calledGlobals.has(index)) continue;
        const name = globals.get(index)?.name ?? '';
        log.print(`Validating ${name}() func#${index}...\n`);
        const sub = new Walk(options.insns, cfg, walkOptions, log, stats, index);
        const beforeSub = log.position;
        sub.run();
        if (log.level === 1) log.reset(beforeSub);
        for (const callback of sub.asyncCallbacks) asyncCallbacks.add(callback);
        for (const fn of sub.mayGotoFunctions) mayGotoFunctions.add(fn);
        for (const called of sub.calledGlobals) walk.calledGlobals.add(called);
        log.print(`Func#${index} ('${name}') is safe for any args that match its prototype\n`);
        verified.add(index);
        again = true;
      }
    }
    checkCombinedStack(options.insns, cfg, stats.stackDepth, asyncCallbacks);
    // Kernel convert_ctx_accesses, after the walks: a load it has no rewrite for is a verifier bug (EFAULT).
    if (stats.unconvertedContextLoad) {
      throw new VerifierError('verifier bug: error during ctx access conversion (0)', undefined, 'EFAULT');
    }
    // Kernel optimize_bpf_loop: an inlined bpf_loop keeps its state in 3 extra stack slots of the caller.
    const inlined = new Set<number>();
    for (const [insn, state] of walk.loopInlining) if (state.fits) inlined.add(cfg.functionOf[insn]);
    for (const fn of inlined) stats.stackDepth[fn] += 24;
    // Kernel do_misc_fixups: a function using may_goto keeps its loop budget in extra slots below its stack.
    for (const fn of mayGotoFunctions) stats.stackDepth[fn] += MAY_GOTO_STACK_EXTRA;
  } catch (cause) {
    if (!(cause instanceof VerifierError)) throw cause;
    error = cause;
    log.print(`${cause.message}\n${cause.details}`);
  }
  const base = {
    processedInsns: stats?.processedInsns ?? 0,
    stackDepth: stats?.stackDepth ?? (cfg ? cfg.functionStarts.map(() => 0) : [0]),
    totalStates: stats?.totalStates ?? 0,
    peakStates: stats?.peakStates ?? 0,
    maxStatesPerInsn: stats?.maxStatesPerInsn ?? 0,
    verificationTimeUs: Math.round((clock() - started) * 1000),
  };
  const text = `${log.toString()}${statsLines(base, level)}`;
  return {
    accepted: error === undefined,
    error,
    log: text,
    functionStarts: cfg?.functionStarts ?? [0],
    maxCtxOffset: stats?.maxCtxOffset ?? 0,
    contextLoadOffsets: stats?.contextLoadOffsets ?? new Map(),
    probeLoads: stats?.probeLoads ?? new Set(),
    kernelContextLoads: stats?.kernelContextLoads ?? new Map(),
    ...base,
  };
}
