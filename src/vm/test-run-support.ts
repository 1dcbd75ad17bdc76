// What every BPF_PROG_TEST_RUN runner shares: the options and result, refusals, ctx_in as bpf_ctx_init reads it,
// the repeat loop, and data_out/ctx_out as bpf_test_finish and bpf_ctx_finish copy them.

import { ERRNO, type ErrnoName } from '../abi/errno.js';
import {
  type Engine,
  type EngineOptions,
  type EngineRun,
  type ExecutableProgram,
  type ExecutionMode,
  type HelperTable,
  type InstructionTracer,
  RuntimeFault,
  type VmServices,
} from './runtime.js';

/** The kernel's PAGE_SIZE on x86-64: the most ctx_in a test run reads. */
export const PAGE_SIZE = 4096;

export interface TestRunOptions {
  /** data_in: the packet, Ethernet header first (xdp: metadata first when ctx.data > 0); sk_lookup, syscall and raw_tracepoint take none. */
  readonly data?: Uint8Array;
  /**
   * ctx_in: the type's struct (`__sk_buff`, `xdp_md`, `bpf_flow_keys`, `bpf_sk_lookup`; shorter is zero-filled,
   * longer must be zero past it), or the raw buffer of a syscall program or a raw tracepoint's u64 arguments.
   */
  readonly ctx?: Uint8Array;
  /** Ask for ctx_out even without ctx_in (the kernel then starts from a zeroed context). */
  readonly ctxOut?: boolean;
  /** Runs (0 counts as 1), each on the state the previous one left, as the kernel does. */
  readonly repeat?: number;
  /** test.cpu: must be 0 for skb, flow_dissector and sk_lookup; xdp and syscall ignore it; raw_tracepoint runs there with BPF_F_TEST_RUN_ON_CPU. */
  readonly cpu?: number;
  /** test.flags: BPF_F_TEST_RUN_ON_CPU (raw_tracepoint) and friends; the other runners accept none. */
  readonly flags?: number;
  readonly mode?: ExecutionMode;
  readonly budget?: number;
  /**
   * data_size_out: room for data_out. Absent or 0 means no limit (the kernel's reading of 0); smaller than
   * the packet after the run is ENOSPC with the bytes that fit, retval still reported.
   */
  readonly dataSizeOut?: number;
  /** ctx_size_out: room for ctx_out; 0 is EINVAL, smaller than the context is ENOSPC with what fits. */
  readonly ctxSizeOut?: number;
  /** Sees every instruction the runs execute (`tsbpf run --trace`). */
  readonly trace?: InstructionTracer;
}

export interface TestRunError {
  /** Positive errno: what BPF_PROG_TEST_RUN returns; EFAULT for a RuntimeFault (a bad access the verifier would refuse). */
  readonly errno: number;
  readonly code: ErrnoName;
  readonly message: string;
  readonly fault?: RuntimeFault;
}

export interface TestRunResult {
  /** The program's r0 as the kernel reports it (u32); 0 when refused (ENOSPC may still carry it). */
  readonly retval: number;
  /** data_out: the packet after the last run (empty when refused). */
  readonly dataOut: Uint8Array;
  /** ctx_out: only when ctx was given (or `ctxOut` asked for); a syscall program's ctx after the run (written back into ctx_in by the kernel). */
  readonly ctxOut: Uint8Array;
  /** Mean nanoseconds per run. */
  readonly durationNs: number;
  readonly error?: TestRunError;
}

export function refused(code: ErrnoName, message: string, fault?: RuntimeFault): TestRunResult {
  return {
    retval: 0,
    dataOut: new Uint8Array(0),
    ctxOut: new Uint8Array(0),
    durationNs: 0,
    error: { errno: ERRNO[code], code, message, ...(fault === undefined ? {} : { fault }) },
  };
}

/**
 * The context buffer as bpf_ctx_init makes it: `size` bytes; user bytes past it must be zero and the whole
 * ctx_in at most a page (bpf_check_uarg_tail_zero), else E2BIG.
 */
export function contextIn(options: TestRunOptions, size: number): Uint8Array | undefined | 'E2BIG' {
  if (options.ctx === undefined) return options.ctxOut ? new Uint8Array(size) : undefined;
  if (options.ctx.length > PAGE_SIZE) return 'E2BIG';
  if (options.ctx.subarray(size).some((byte) => byte !== 0)) return 'E2BIG';
  const ctx = new Uint8Array(size);
  ctx.set(options.ctx.subarray(0, size));
  return ctx;
}

/** What a type's runner does around each run when the kernel resets state per run (flow keys, sk_lookup's pick). */
export interface PerRun {
  before(): void;
  after(): void;
}

/**
 * The kernel's bpf_test_run: the program prepared once, then `repeat` runs on one context inside the engine
 * (or one by one around `perRun`); the mean time per run covers the runs only, as the kernel's timer does.
 */
export function runRepeated(
  engine: Engine,
  program: ExecutableProgram,
  run: EngineRun,
  vm: VmServices,
  helpers: HelperTable,
  options: TestRunOptions,
  perRun?: PerRun,
): { retval: number; durationNs: number } | RuntimeFault {
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  const engineOptions: EngineOptions = {
    mode: options.mode ?? 'checked',
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  };
  let retval = 0n;
  let elapsed: number;
  try {
    const prepared = engine.prepare(program, vm, helpers, engineOptions);
    try {
      const start = globalThis.performance.now();
      if (perRun === undefined) retval = prepared.run(run, repeat);
      else {
        for (let i = 0; i < repeat; i++) {
          perRun.before();
          retval = prepared.run(run, 1);
          perRun.after();
        }
      }
      elapsed = (globalThis.performance.now() - start) * 1e6;
    } finally {
      prepared.release();
    }
  } catch (error) {
    if (error instanceof RuntimeFault) return error;
    throw error;
  }
  return {
    retval: Number(retval & 0xffff_ffffn),
    durationNs: Math.min(0xffff_ffff, Math.round(elapsed / repeat)),
  };
}

export interface RunOutputs {
  readonly retval: number;
  readonly durationNs: number;
  readonly dataOut: Uint8Array;
  /** undefined when no ctx_out was asked for. */
  readonly ctxOut: Uint8Array | undefined;
}

/**
 * Copies the outputs out as the kernel's bpf_test_finish then bpf_ctx_finish do: data first, each stopping
 * at ENOSPC with the bytes that fit and the retval still reported; an ENOSPC on data skips ctx_out (measured
 * on Linux 6.18 for skb and xdp).
 */
export function finish(out: RunOutputs, options: TestRunOptions): TestRunResult {
  const empty = new Uint8Array(0);
  const result = {
    retval: out.retval,
    dataOut: out.dataOut,
    ctxOut: out.ctxOut ?? empty,
    durationNs: out.durationNs,
  };
  const noSpace = (what: string, needed: number, room: number): TestRunError => ({
    errno: ERRNO.ENOSPC,
    code: 'ENOSPC',
    message: `${what} needs ${needed} bytes, ${room} given`,
  });
  const dataRoom = options.dataSizeOut ?? 0;
  if (dataRoom !== 0 && out.dataOut.length > dataRoom) {
    return {
      ...result,
      dataOut: out.dataOut.slice(0, dataRoom),
      ctxOut: empty,
      error: noSpace('data_out', out.dataOut.length, dataRoom),
    };
  }
  const ctxRoom = options.ctxSizeOut;
  if (out.ctxOut !== undefined && ctxRoom !== undefined && out.ctxOut.length > ctxRoom) {
    return {
      ...result,
      ctxOut: out.ctxOut.slice(0, ctxRoom),
      error: noSpace('ctx_out', out.ctxOut.length, ctxRoom),
    };
  }
  return result;
}

export function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}
