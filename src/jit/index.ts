// The WebAssembly JIT engine: each program compiled once into a wasm module (one wasm function per BPF function)
// that runs on the Vm's memory with the interpreter's semantics and, in checked mode, its faults.
//
// Public API:
//   jitEngine: Engine                              prepare compiles (cached per program) and instantiates once
//   compileWasm(program, options, helpers?): Uint8Array   the module's bytes, for inspection (`tsbpf jit`)

import type { Engine, EngineOptions, ExecutableProgram, HelperTable } from '../vm/runtime.js';
import { RuntimeFault } from '../vm/runtime.js';
import { compileModule, fastFormsOf } from './compile.js';
import { DEFAULT_BUDGET, JitProgram } from './jit-program.js';

export const jitEngine: Engine = {
  name: 'jit',
  prepare(program, vm, helpers, options) {
    // Compiled code has no place to stop before each instruction: tracing is the interpreter's.
    if (options.trace !== undefined) {
      throw new RuntimeFault(0, "engine 'jit' cannot trace instructions: run with engine 'interp'");
    }
    return new JitProgram(program, vm, helpers, options);
  },
};

/**
 * The wasm module the JIT makes of `program` (checked mode counts the budget unless it is unlimited), with the
 * fast-form imports of `helpers` where given.
 */
export function compileWasm(
  program: ExecutableProgram,
  options: Pick<EngineOptions, 'mode' | 'budget'>,
  helpers?: HelperTable,
): Uint8Array {
  const budget = options.budget ?? (options.mode === 'checked' ? DEFAULT_BUDGET : Number.POSITIVE_INFINITY);
  const fastForms = helpers === undefined ? undefined : fastFormsOf(program, helpers);
  return compileModule(program, { mode: options.mode, budgeted: Number.isFinite(budget), fastForms }).bytes;
}
