// The execution engines test-run may use, by name: the interpreter now, the JIT once it exists.

import { interpreter } from '../vm/interpreter.js';
import type { Engine, EngineName } from '../vm/runtime.js';

const ENGINES: Readonly<Record<EngineName, Engine | string>> = {
  interp: interpreter,
  jit: "engine 'jit' is not available yet: tsbpf has no JIT; use 'interp'",
};

/** The engine by name, or why it cannot be used. */
export function engineByName(name: EngineName): Engine | string {
  return ENGINES[name] ?? `engine '${name}' is not available`;
}
