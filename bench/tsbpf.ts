// tsbpf's side of the benchmark: time Bpf.testRun in the interpreter, and count the instructions one run
// executes by searching the smallest instruction budget that lets the run finish.

import { Bpf, type ProgramHandle } from '../src/api/bpf.js';
import { engineByName } from '../src/api/engines.js';
import { KERNEL_HELPERS } from '../src/vm/helpers/index.js';
import { DEFAULT_BUDGET } from '../src/vm/interpreter.js';
import type { Engine, EngineName } from '../src/vm/runtime.js';
import { type TestRunResult, testRun } from '../src/vm/test-run.js';
import type { BenchProgram } from './corpus.js';

export interface TsbpfTiming {
  /** Median over the samples of the mean ns per run that testRun reports. */
  readonly nsPerRun: number;
  readonly samplesNs: readonly number[];
  /** The program's r0 (u32) after the last run of the last sample. */
  readonly retval: number;
}

export interface InsnCount {
  /** Instructions the first run on a freshly loaded object executes. */
  readonly first: number;
  /** Instructions the last run of a timed sample executes (where repeated runs settle). */
  readonly last: number;
}

/** Why a run could not be measured: testRun refused it or it faulted. */
export class BenchRunError extends Error {
  override readonly name = 'BenchRunError';
  constructor(
    readonly program: string,
    readonly packet: string,
    readonly errno: number,
    message: string,
  ) {
    super(`${program} on ${packet}: ${message}`);
  }
}

/** A test-run session on a freshly loaded copy of the object: maps start as the object declares them. */
class FreshProgram {
  private readonly bpf: Bpf;
  private readonly fd: number;
  private readonly handle: ProgramHandle;

  constructor(
    private readonly target: BenchProgram,
    private readonly packetName: string,
    private readonly data: Uint8Array,
    cpus: number,
    private readonly engine: EngineName,
  ) {
    this.bpf = new Bpf({ cpus });
    const loaded = this.bpf.openObject(target.bytes, target.objectPath).load({ engine: this.engine });
    this.handle = loaded.program(target.program).handle;
    this.fd = this.handle.fd;
  }

  /**
   * One test run of `repeat` runs in which only run number `budgetedRun` (1-based) gets an instruction budget.
   * The interpreter is wrapped rather than called by Bpf.testRun, which gives every run the same budget; the
   * rest is what Bpf.testRun does (same engine, helpers, VM and mode), so the runs are the ones timed.
   */
  runBudgetedAt(repeat: number, budgetedRun: number, budget: number): TestRunResult {
    const interpreter = engineByName('interp');
    if (typeof interpreter === 'string') throw new Error(interpreter);
    const oneRunBudgeted: Engine = {
      name: 'interp',
      prepare: (program, vm, helpers, options) => {
        const plain = interpreter.prepare(program, vm, helpers, options);
        const budgeted = interpreter.prepare(program, vm, helpers, { ...options, budget });
        return {
          run: (run, runs = 1) => {
            let r0 = 0n;
            for (let i = 1; i <= runs; i++) r0 = (i === budgetedRun ? budgeted : plain).run(run);
            return r0;
          },
          release: () => {
            plain.release();
            budgeted.release();
          },
        };
      },
    };
    return testRun(oneRunBudgeted, this.handle.executable, this.bpf.vm, KERNEL_HELPERS, {
      mode: this.handle.mode,
      data: this.data,
      repeat,
    });
  }

  run(repeat: number): TestRunResult {
    return this.bpf.testRun(this.fd, { data: this.data, repeat });
  }

  /** Runs and throws BenchRunError when the run did not complete. */
  runOrThrow(repeat: number): TestRunResult {
    const result = this.run(repeat);
    if (result.error !== undefined) {
      throw new BenchRunError(this.target.program, this.packetName, result.error.errno, result.error.message);
    }
    return result;
  }
}

/** Runs per sample at most (the kernel's repeat is a u32; this keeps a trivial program's sample bounded too). */
const MAX_REPEAT = 1 << 26;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export class TsbpfBench {
  constructor(
    private readonly cpus: number,
    /** Wall time one sample should take. */
    private readonly sampleMs: number,
    private readonly samples: number,
    /** The engine the programs are loaded with (instruction counts always come from the interpreter). */
    private readonly engine: EngineName = 'interp',
  ) {}

  /**
   * The repeat count that makes one sample last about `sampleMs`, found on a throwaway object: grow the repeat
   * ×4 until a run takes an eighth of that, then run the estimate in full (warming V8 up on the program's path)
   * and estimate again from that warm run, since the first, cold runs overstate the cost; up to three more
   * rounds while the estimate still moves by more than a quarter (optimised code can arrive late on a busy machine).
   */
  calibrate(target: BenchProgram, packetName: string, data: Uint8Array): number {
    const session = new FreshProgram(target, packetName, data, this.cpus, this.engine);
    const repeatFor = (repeat: number): number => {
      const started = performance.now();
      session.runOrThrow(repeat);
      const nsPerRun = ((performance.now() - started) * 1e6) / repeat;
      return Math.max(1, Math.min(MAX_REPEAT, Math.round((this.sampleMs * 1e6) / nsPerRun)));
    };
    let repeat = 1;
    for (;;) {
      const started = performance.now();
      session.runOrThrow(repeat);
      if (performance.now() - started >= this.sampleMs / 8 || repeat >= MAX_REPEAT / 4) break;
      repeat *= 4;
    }
    let estimate = repeatFor(repeatFor(repeat));
    for (let round = 0; round < 3; round++) {
      const next = repeatFor(estimate);
      const settled = next < estimate * 1.25 && next > estimate / 1.25;
      estimate = next;
      if (settled) break;
    }
    return estimate;
  }

  /** Runs one program for about `ms` before anything is measured, so the first row is not V8's cold start. */
  warmUp(target: BenchProgram, packetName: string, data: Uint8Array, ms: number): void {
    const session = new FreshProgram(target, packetName, data, this.cpus, this.engine);
    const started = performance.now();
    while (performance.now() - started < ms) session.runOrThrow(64);
  }

  /**
   * Each sample test-runs a freshly loaded object `repeat` times, as the kernel oracle does, so both sides
   * start from the same map contents and the last retval is comparable.
   */
  time(target: BenchProgram, packetName: string, data: Uint8Array, repeat: number): TsbpfTiming {
    const samplesNs: number[] = [];
    let retval = 0;
    for (let i = 0; i < this.samples; i++) {
      const result = new FreshProgram(target, packetName, data, this.cpus, this.engine).runOrThrow(repeat);
      samplesNs.push(result.durationNs);
      retval = result.retval;
    }
    return { nsPerRun: median(samplesNs), samplesNs, retval };
  }

  /**
   * Engine.prepare of the program (decoding for the interpreter, compiling for the JIT), `count` times on one
   * freshly loaded object, each prepared program released again: the ns of each.
   */
  prepareTimes(target: BenchProgram, count: number): number[] {
    const engine = engineByName(this.engine);
    if (typeof engine === 'string') throw new Error(engine);
    const bpf = new Bpf({ cpus: this.cpus });
    const handle = bpf
      .openObject(target.bytes, target.objectPath)
      .load({ engine: this.engine })
      .program(target.program).handle;
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const prepared = engine.prepare(handle.executable, bpf.vm, KERNEL_HELPERS, { mode: handle.mode });
      times.push((performance.now() - started) * 1e6);
      prepared.release();
    }
    return times;
  }

  /**
   * Instructions of the first and of the last run of a sample (run `repeat`). Repeats share state: maps, and
   * for xdp the packet (adjust_head's result carries from one repeat to the next, as in the kernel), so a
   * program may settle on another path than its first run took; the last run shows where it settled.
   */
  countInsns(target: BenchProgram, packetName: string, data: Uint8Array, repeat: number): InsnCount {
    const first = this.countRun(target, packetName, data, 1, 1);
    const last = repeat === 1 ? first : this.countRun(target, packetName, data, repeat, first);
    return { first, last };
  }

  /**
   * The checked interpreter faults once a run executes more than its budget of instructions, so the smallest
   * budget under which run number `run` completes is the number it executed (tail-call targets and callbacks
   * included). Every probe is a test run of `run` runs on its own fresh object with only the last budgeted:
   * packet programs of the corpus read no clock or random number, so every probe replays the same runs.
   * Exponential search outwards from `guess`, then bisection.
   */
  private countRun(
    target: BenchProgram,
    packetName: string,
    data: Uint8Array,
    run: number,
    guess: number,
  ): number {
    const completes = (budget: number): boolean => {
      const session = new FreshProgram(target, packetName, data, this.cpus, 'interp');
      const result = session.runBudgetedAt(run, run, budget);
      if (result.error === undefined) return true;
      // The interpreter's only fault that a larger budget can cure.
      if (result.error.fault?.reason.startsWith('instruction budget of ')) return false;
      throw new BenchRunError(target.program, packetName, result.error.errno, result.error.message);
    };
    // Once found: the run does not complete with `low` (no run executes 0 instructions) and does with `high`.
    let low: number;
    let high: number;
    const start = Math.min(Math.max(1, guess), DEFAULT_BUDGET);
    if (completes(start)) {
      high = start;
      let step = 1;
      low = Math.max(0, high - step);
      while (low > 0 && completes(low)) {
        high = low;
        step *= 2;
        low = Math.max(0, high - step);
      }
    } else {
      low = start;
      let step = 1;
      high = Math.min(DEFAULT_BUDGET, low + step);
      while (!completes(high)) {
        if (high === DEFAULT_BUDGET) {
          throw new BenchRunError(
            target.program,
            packetName,
            0,
            `runs more than ${DEFAULT_BUDGET} instructions`,
          );
        }
        low = high;
        step *= 2;
        high = Math.min(DEFAULT_BUDGET, low + step);
      }
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (completes(middle)) high = middle;
      else low = middle;
    }
    return high;
  }
}
