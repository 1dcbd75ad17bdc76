// The interpreter engine: runs an ExecutableProgram instruction by instruction with RFC 9669's 64-bit semantics,
// one frame per bpf-to-bpf call, helpers by id, tail calls, and a checked mode for unverified programs.
//
// Public API:
//   interpreter: Engine                                   prepare once, then run (test-run's repeat loop inside)
//   interpret(program, run, vm, helpers, options): bigint  r0 of one run (u64), prepared and released around it
//   InterpretRun, InterpretOptions, LegacyPacketAccess, DEFAULT_BUDGET
//
// The parts, one concern each: interpreter-code (instructions lowered to one Int32Array), interpreter-fusion (the
// sequences run in one dispatch: superinstructions, fused moves), interpreter-loop (the dispatch loop), interpreter-execution (per-program state and what the loop hands off), interpreter-frames
// (calls and stack), interpreter-calls (helpers, legacy loads, tail calls), interpreter-faults (RuntimeFault
// texts), isa-semantics (the ISA's corners every engine shares). Registers are int32 halves, so no instruction
// allocates; only 64-bit division and helper arguments go through BigInt.

import { Execution } from './interpreter-execution.js';
import { MemoryError } from './memory.js';
import {
  type Engine,
  type EngineOptions,
  type EngineRun,
  type ExecutableProgram,
  type HelperTable,
  type PreparedProgram,
  RuntimeFault,
  type VmServices,
} from './runtime.js';

export type { LegacyPacketAccess } from './interpreter-calls.js';

export type InterpretRun = EngineRun;

export interface InterpretOptions extends EngineOptions {
  /**
   * checked: every load, store and atomic must fall inside one live VmMemory allocation (stacks, context,
   * packet, map values, ...), calls may nest at most MAX_CALL_FRAMES deep, and runs have an instruction budget.
   * fast (verified programs): accesses are only kept inside the memory, so a stray one is a RuntimeFault.
   */
  readonly mode: 'checked' | 'fast';
}

export const DEFAULT_BUDGET = 1_000_000;

/** A program prepared for the interpreter on one Vm. */
class InterpretedProgram implements PreparedProgram {
  private readonly execution: Execution;

  constructor(
    program: ExecutableProgram,
    private readonly vm: VmServices,
    helpers: HelperTable,
    options: EngineOptions,
  ) {
    const checked = options.mode === 'checked';
    try {
      this.execution = new Execution(program, vm, helpers, {
        checked,
        budget: options.budget ?? (checked ? DEFAULT_BUDGET : Number.POSITIVE_INFINITY),
        trace: options.trace,
        functionNames: options.functionNames,
      });
    } catch (error) {
      // No room for the stack: the program cannot run.
      if (error instanceof MemoryError) throw new RuntimeFault(0, error.message);
      throw error;
    }
  }

  run(run: EngineRun, repeat = 1): bigint {
    const memory = this.vm.memory;
    const execution = this.execution;
    for (let i = 0; i < repeat; i++) {
      // Each run is one RCU read section: map values deleted during it stay valid until it ends.
      memory.beginRun();
      try {
        execution.run(run);
      } catch (error) {
        throw this.asFault(error);
      } finally {
        memory.endRun();
      }
    }
    return execution.result();
  }

  release(): void {
    this.execution.release();
  }

  /** RuntimeFaults pass; a host-level failure (a wasm memory access past its end, no memory left) names the insn. */
  private asFault(error: unknown): unknown {
    if (error instanceof RuntimeFault) return error;
    const execution = this.execution;
    if (error instanceof MemoryError) return execution.fault(execution.currentPc, error.message);
    if (error instanceof RangeError || error instanceof TypeError) {
      return execution.fault(execution.currentPc, `internal fault: ${error.message}`);
    }
    return error;
  }
}

export const interpreter: Engine = {
  name: 'interp',
  prepare: (program, vm, helpers, options) => new InterpretedProgram(program, vm, helpers, options),
};

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
  const prepared = interpreter.prepare(program, vm, helpers, options);
  try {
    return prepared.run(run);
  } finally {
    prepared.release();
  }
}
