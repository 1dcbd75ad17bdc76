// Runs one program in the interpreter and in the JIT on fresh, identical Vms and returns what each run left:
// retval, output packet, the fault (kind, reason, instruction, call stack) and map contents, for the
// differential tests of test/jit.

import { jitEngine } from '../../src/jit/index.js';
import type { Insn } from '../../src/isa/insn.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { KERNEL_HELPERS } from '../../src/vm/helpers/index.js';
import { interpreter } from '../../src/vm/interpreter.js';
import type { Engine, ExecutionMode } from '../../src/vm/runtime.js';
import { testRun } from '../../src/vm/test-run.js';
import { Vm } from '../../src/vm/vm.js';

export const ENGINES: readonly Engine[] = [interpreter, jitEngine];

export interface RunOutcome {
  readonly retval: number;
  readonly dataOut: string;
  readonly error: string | undefined;
  readonly fault: { insn: number; reason: string; callStack: readonly string[] } | undefined;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** An xdp (or other test-runnable type) program from raw instructions, run once in `engine`. */
export function runInsns(
  engine: Engine,
  insns: readonly Insn[],
  options: { type?: string; data: Uint8Array; mode: ExecutionMode; budget?: number; stackDepths?: number[] },
): RunOutcome {
  const vm = new Vm();
  const program = buildExecutable(insns, {
    type: options.type ?? 'xdp',
    name: 'prog',
    ...(options.stackDepths === undefined ? {} : { stackDepths: options.stackDepths }),
  });
  const result = testRun(engine, program, vm, KERNEL_HELPERS, {
    data: options.data,
    mode: options.mode,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const fault = result.error?.fault;
  return {
    retval: result.retval,
    dataOut: hex(result.dataOut),
    error: result.error?.code,
    fault:
      fault === undefined
        ? undefined
        : { insn: fault.insn, reason: fault.reason, callStack: fault.callStack },
  };
}
