// The execution engines test-run may use, by name: the interpreter and the WebAssembly JIT.

import { jitEngine } from '../jit/index.js';
import { interpreter } from '../vm/interpreter.js';
import type { Engine, EngineName } from '../vm/runtime.js';

const ENGINES: Readonly<Record<EngineName, Engine | string>> = {
  interp: interpreter,
  jit: jitEngine,
};

/** The engine by name, or why it cannot be used. */
export function engineByName(name: EngineName): Engine | string {
  return ENGINES[name] ?? `engine '${name}' is not available`;
}
