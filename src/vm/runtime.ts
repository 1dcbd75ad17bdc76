// The contract between the engines (interpreter, later the JIT), helper implementations, program contexts and
// test-run: what a program to run looks like, what a helper receives, and the fault a run can end with.

import type { ConntrackTable } from './kfuncs/conntrack.js';
import type { TraceBuffer } from './trace-buffer.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import type { DecodedProgram } from '../isa/decoded.js';
import type { Insn } from '../isa/insn.js';
import type { MapRegistry } from './maps/index.js';
import type { VmMemory } from './memory.js';
import type { Network } from './network.js';

/** The execution engines: the interpreter, and the WebAssembly JIT once it exists. */
export type EngineName = 'interp' | 'jit';
/** checked: every access bounds-checked (programs no verifier has seen); fast: for verified programs. */
export type ExecutionMode = 'checked' | 'fast';

/** What one run needs: the context address passed in r1, the CPU, and the packet of skb and xdp programs. */
export interface EngineRun {
  readonly ctx: number;
  readonly cpu: number;
  /** Program-type state helpers read (the PacketState of skb and xdp runs; LD_ABS/LD_IND use it too). */
  readonly packet?: unknown;
  /** r1-r5 at entry when a run needs more than the context (default: r1 = ctx, the rest 0). */
  readonly args?: readonly bigint[];
}

export interface EngineOptions {
  readonly mode: ExecutionMode;
  /** Instructions one run may execute (default 1,000,000 in checked mode, unlimited in fast mode). */
  readonly budget?: number;
  /** Sees every executed instruction (engines that cannot trace refuse it). */
  readonly trace?: InstructionTracer;
  /** Names of the program's functions (functionStarts order), for the call stacks of faults. */
  readonly functionNames?: readonly string[];
}

/**
 * A program made ready to run on one Vm with one helper table: decoded tables, register file, frames and stack
 * are set up once, so a run is a direct call that allocates nothing.
 */
export interface PreparedProgram {
  /**
   * Runs the program `repeat` times (default 1; test-run's loop), each on the state the previous run left in
   * memory, and returns the last run's r0 (u64). Throws RuntimeFault when a run cannot go on.
   */
  run(run: EngineRun, repeat?: number): bigint;
  /** Gives back what prepare() allocated in the Vm's memory; the prepared program cannot run afterwards. */
  release(): void;
}

/** An execution engine: prepares programs, which then run as often as needed. */
export interface Engine {
  readonly name: EngineName;
  prepare(
    program: ExecutableProgram,
    vm: VmServices,
    helpers: HelperTable,
    options: EngineOptions,
  ): PreparedProgram;
}

/** A loaded program an engine can run: decoded once, with everything resolved that does not change per run. */
export interface ExecutableProgram {
  readonly name: string;
  /** A kernel program type, or the name of a user-defined one (embedding tsbpf as an extension language). */
  readonly type: ProgramTypeName | string;
  readonly insns: readonly Insn[];
  /** Index-aligned with `insns`; the second slot of an LD_IMM64 is undefined. */
  readonly decoded: DecodedProgram;
  /** First instruction of every function, entry (0) first, ascending. */
  readonly functionStarts: readonly number[];
  /** Stack bytes of each function (same order as functionStarts): the verifier's depth once it exists. */
  readonly stackDepths: readonly number[];
  /**
   * The 64-bit value each LD_IMM64 loads, index-aligned with `insns` (undefined elsewhere): the plain
   * constant, a map's address (src 1), a map value's address plus offset (src 2), or a function pointer
   * (src 4, see `functionPointer`). Resolved at load, so engines never look maps up by fd.
   */
  readonly ldImm64Values: readonly (bigint | undefined)[];
  /** expected_attach_type of the load (libbpf name), when one was given. */
  readonly expectedAttachType?: string;
  /**
   * End of the furthest context access the verifier let through (kernel: prog->aux->max_ctx_offset); raw_tp
   * and syscall test-runs refuse a smaller ctx. 0 for unverified programs (their runs are bounds-checked).
   */
  readonly maxCtxOffset?: number;
  /**
   * Loads through kernel-struct pointers (the verifier's probeLoads): the kernel's BPF_PROBE_MEM, which reads 0
   * where nothing is mapped instead of faulting. Engines read such a load at address 0 then: the memory's guard,
   * which no allocation covers and nothing writes, so it stays zero.
   */
  readonly probeLoads?: ReadonlySet<number>;
}

/**
 * The value of a function pointer (LD_IMM64 src 4) to the function starting at `insnIndex`: callbacks
 * of bpf_loop and bpf_for_each_map_elem receive it as an argument and call it through `RunState.callFunction`.
 */
export const FUNCTION_POINTER_TAG = 0x7fff_0000_0000_0000n;
export function functionPointer(insnIndex: number): bigint {
  return FUNCTION_POINTER_TAG | BigInt(insnIndex);
}
export function functionPointerTarget(value: bigint): number | undefined {
  return (value & 0xffff_0000_0000_0000n) === FUNCTION_POINTER_TAG ? Number(value & 0xffff_ffffn) : undefined;
}

/** Settable facts of the simulated machine, so tests get deterministic helper results. */
export interface MachineSettings {
  /** bpf_ktime_get_ns / bpf_ktime_get_boot_ns; default: a monotonic clock. */
  ktimeNs: () => bigint;
  /** bpf_get_prandom_u32; default: a seeded generator. */
  prandomU32: () => number;
  /** bpf_get_current_pid_tgid: tgid << 32 | pid. */
  pidTgid: bigint;
  /** bpf_get_current_uid_gid: gid << 32 | uid. */
  uidGid: bigint;
  /** bpf_get_current_comm. */
  comm: string;
  numaNode: number;
  /** The cgroup v2 id of the task running the test (bpf_skb_cgroup_id of test-run's socket); default 1, the root. */
  cgroupId?: bigint;
  /**
   * The ids of that cgroup's ancestors from the root (1) down to it, for bpf_skb_ancestor_cgroup_id; default
   * [1, cgroupId] (or [1] for the root).
   */
  cgroupAncestors?: readonly bigint[];
  /** The task's net_cls classid (bpf_get_cgroup_classid); default 0, the root's. */
  netClassid?: number;
}

/** What every run on one VM shares: memory, maps, machine settings and the outputs users read. */
export interface VmServices {
  readonly memory: VmMemory;
  readonly maps: MapRegistry;
  readonly settings: MachineSettings;
  /** Where bpf_trace_printk writes: bounded like the kernel's trace ring buffer. */
  readonly trace: TraceBuffer;
  /** The network namespace: devices, routes and neighbours helpers consult. */
  readonly network: Network;
  /** Resolves a prog_array slot value (a program handle) to a program, for tail calls. */
  programByHandle(handle: number): ExecutableProgram | undefined;
  /** The connections the conntrack kfuncs see (empty unless the user or a program adds some). */
  readonly conntrack: ConntrackTable;
}

/** One run of a program (one test-run repetition): its context and the per-run state helpers need. */
export interface RunState {
  readonly program: ExecutableProgram;
  /** The address passed in r1 (the context), 0 for none. */
  readonly ctx: number;
  readonly cpu: number;
  /**
   * Calls a function of the running program (a callback given as a function pointer) in a new frame, with
   * r1-r5 = args; returns its r0. Provided by the engine.
   */
  callFunction(pointer: bigint, args: readonly bigint[]): bigint;
  /** Program-type specific state (the packet of skb and xdp programs), owned by the context module. */
  readonly packet?: unknown;
}

/** Where a helper runs: what a helper's fast form receives beside its number arguments. */
export interface HelperSite {
  readonly vm: VmServices;
  readonly run: RunState;
  /** Index of the call instruction, for faults. */
  readonly insn: number;
  /** r1-r5 as u64 when the general form runs (undefined on the fast path, where each fits its kind). */
  readonly args?: readonly bigint[];
}

/** What a helper implementation receives: r1-r5 and where it runs. It returns r0. */
export interface HelperCall extends HelperSite {
  readonly args: readonly [bigint, bigint, bigint, bigint, bigint];
}

/**
 * How a fast form takes an argument register, as a JS number:
 * - `map`, `ptr`: a 32-bit VM address (its 32 bits, signed or not: read it with `>>> 0`); an engine calls the
 *   fast form only when the register's upper half is 0, else the general form, which passes the low half and
 *   keeps the register in `HelperSite.args` so the fault names it;
 * - `u32`: the low 32 bits (signed or not);
 * - `u64`: the register's value as the nearest double (exact below 2^53; for arguments, like flags, whose large
 *   values all mean the same).
 */
export type FastArgKind = 'map' | 'ptr' | 'u32' | 'u64';
/** What a fast form returns: `ptr`/`u32` a u32 (zero-extended), `s32` an int32 (sign-extended), `s64` an integer
 * with |value| < 2^53 (sign-extended). */
export type FastResultKind = 'ptr' | 'u32' | 's32' | 's64';

/**
 * A helper's number-based form: engines call `run` with the argument registers converted by `args` (r1 first;
 * unused parameters undefined), so no BigInt is made per call. It must not run program code (no callbacks).
 */
export interface FastHelper {
  readonly args: readonly FastArgKind[];
  readonly result: FastResultKind;
  readonly run: (site: HelperSite, a1: number, a2: number, a3: number, a4: number, a5: number) => number;
}

/** A helper: the general form over BigInt registers, and optionally its fast form (the general wraps it). */
export interface HelperImplementation {
  (call: HelperCall): bigint;
  readonly fast?: FastHelper;
}

/** Helper implementations by helper id (src/abi/helpers.ts ids). */
export type HelperTable = ReadonlyMap<number, HelperImplementation>;

/**
 * Sees every instruction a run executes (`tsbpf run --trace`): called before the instruction at `pc` of `program`
 * runs, with the registers as they are then (`lo`/`hi`: the low and high 32 bits of r0-r10, read-only; they change
 * after the call returns) and the number of frames under the running one. Engines pay nothing when none is given.
 */
export interface InstructionTracer {
  step(program: ExecutableProgram, pc: number, depth: number, lo: Uint32Array, hi: Uint32Array): void;
}

/** One frame of a fault's call stack: the program running in it and the instruction it was at (a call, or the fault). */
export interface FaultFrame {
  readonly program: ExecutableProgram;
  readonly insn: number;
}

/** A run that cannot go on: a bad access in checked mode, the instruction budget, a helper refusing. */
export class RuntimeFault extends Error {
  override readonly name = 'RuntimeFault';
  /** Instruction index where the fault happened (in the function's program). */
  readonly insn: number;
  /** Innermost frame last: function names (or `func@<start>`) with the call instruction index. */
  readonly callStack: readonly string[];
  readonly reason: string;
  /** Outermost first, the faulting instruction last; tools map them to functions and source lines. */
  readonly frames: readonly FaultFrame[];

  constructor(
    insn: number,
    reason: string,
    callStack: readonly string[] = [],
    frames: readonly FaultFrame[] = [],
  ) {
    super(`insn ${insn}: ${reason}${callStack.length > 0 ? ` (call stack: ${callStack.join(' > ')})` : ''}`);
    this.insn = insn;
    this.reason = reason;
    this.callStack = callStack;
    this.frames = frames;
  }
}

/**
 * Thrown by a helper to end the whole program at once with `r0` as its result (the conformance suite's
 * "unwind" helper; an extension's abort). Engines catch it and return `r0`; it is not a fault.
 */
export class ProgramExit extends Error {
  override readonly name = 'ProgramExit';
  readonly r0: bigint;

  constructor(r0: bigint) {
    super(`program exited with r0 = ${r0}`);
    this.r0 = r0;
  }
}
