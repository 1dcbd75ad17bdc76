// The execution engines test-run may use, by name: the interpreter now, the JIT once it exists.

import type { Engine, EngineName } from '../vm/test-run.js';

const engines = new Map<EngineName, Engine>();

/** Makes an engine available to Bpf.testRun (the interpreter registers itself here). */
export function registerEngine(name: EngineName, engine: Engine): void {
  engines.set(name, engine);
}

/** The engine by name, or why it cannot be used. */
export function engineByName(name: EngineName): Engine | string {
  const engine = engines.get(name);
  if (engine !== undefined) return engine;
  if (name === 'jit') return "engine 'jit' is not available yet: tsbpf has no JIT; use 'interp'";
  return `engine '${name}' is not available`;
}
