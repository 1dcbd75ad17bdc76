// `tsbpf jit FILE.o --program NAME --wasm OUT.wasm [--mode checked|fast]`: the WebAssembly module the JIT makes of
// one program, written out for inspection (wasm-objdump, wasm2wat, a browser's devtools).

import { parseArgs } from 'node:util';
import { Bpf } from '../api/bpf.js';
import { compileModule, fastFormsOf } from '../jit/compile.js';
import { inlineArraysOf } from '../jit/jit-program.js';
import { WebAssemblyApi } from '../jit/wasm-api.js';
import { KERNEL_HELPERS } from '../vm/helpers/index.js';
import { EXIT_OK, UsageError } from './cli-error.js';
import { readInput, writeOutput } from './io.js';

export const jitHelp = `Usage: tsbpf jit FILE.o --program NAME --wasm OUT.wasm [--mode checked|fast]

Loads the object (verifying its programs as the kernel does), compiles program NAME with the
WebAssembly JIT and writes the module: one wasm function per BPF function (exports f0, f1, ...),
helpers (h<id>, and f<id> for a helper's number-based fast form), faults and frame bookkeeping as imports
from "env", the VM's memory imported.

Options:
  --program NAME   the program to compile
  --wasm OUT.wasm  where to write the module
  --mode MODE      checked (bounds checks, instruction budget) or fast (verified programs);
                   default: the mode the program loads in (fast once verified)
  -h, --help       show this help`;

export function runJit(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      wasm: { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(jitHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one object file');
  if (values.program === undefined) throw new UsageError('--program NAME is required');
  if (values.wasm === undefined) throw new UsageError('--wasm OUT.wasm is required');
  const mode = values.mode;
  if (mode !== undefined && mode !== 'checked' && mode !== 'fast') {
    throw new UsageError(`--mode: '${mode}' is not checked or fast`);
  }
  const path = positionals[0];
  const bpf = new Bpf();
  const handle = bpf.openObject(readInput(path), path);
  if (!handle.programNames.includes(values.program)) {
    throw new UsageError(`no program '${values.program}' (programs: ${handle.programNames.join(', ')})`);
  }
  const loaded = handle.load({ programs: [values.program] });
  const program = loaded.program(values.program).handle;
  const chosen = mode ?? (program.verified ? 'fast' : 'checked');
  const compiled = compileModule(program.executable, {
    mode: chosen,
    budgeted: chosen === 'checked',
    fastForms: fastFormsOf(program.executable, KERNEL_HELPERS),
    // The array lookups a run would inline (fast mode), so the module is the one that runs.
    ...(chosen === 'fast'
      ? { inlineArrays: inlineArraysOf(program.executable, bpf.vm, KERNEL_HELPERS) }
      : {}),
  });
  if (!WebAssemblyApi.validate(compiled.bytes))
    throw new Error('internal error: the JIT made an invalid module');
  writeOutput(values.wasm, compiled.bytes);
  const functions = program.functionStarts.length;
  out(
    `${values.wasm}: ${compiled.bytes.length} bytes, ${functions} function${functions === 1 ? '' : 's'}` +
      ` (${functions - compiled.dispatchLoops} structured, ${compiled.dispatchLoops} dispatch loop), ${chosen} mode`,
  );
  return EXIT_OK;
}
