// Which engine a program runs in, decided once at load: the load's own request, else a process-wide default,
// else the JIT for verified programs when it is available and the interpreter for everything else.

import type { Engine, EngineName } from '../vm/runtime.js';
import { BpfError } from './bpf-error.js';
import { engineByName } from './engines.js';

let processDefault: EngineName | undefined;

/**
 * Sets the engine programs loaded from now on get when their load names none (`undefined`: back to the rule
 * above). Programs already loaded keep theirs. Asking for an engine that is not available throws BpfError
 * EOPNOTSUPP with the reason.
 */
export function setDefaultEngine(name: EngineName | undefined): void {
  if (name !== undefined) {
    const engine = engineByName(name);
    if (typeof engine === 'string') throw new BpfError('setDefaultEngine', 'EOPNOTSUPP', engine);
  }
  processDefault = name;
}

/** The process-wide default set by setDefaultEngine, if any. */
export function defaultEngine(): EngineName | undefined {
  return processDefault;
}

/** Whether the JIT can be used in this build (its entry in the engine table is an Engine, not a reason). */
export function jitAvailable(): boolean {
  return typeof engineByName('jit') !== 'string';
}

/**
 * The engine for a program being loaded: the requested one, else the process default, else 'jit' for a
 * verified program when the JIT is available, else 'interp'. A string when the chosen engine cannot be used.
 */
export function chooseEngine(
  requested: EngineName | undefined,
  verified: boolean,
): { readonly name: EngineName; readonly engine: Engine } | string {
  const name = requested ?? processDefault ?? (verified && jitAvailable() ? 'jit' : 'interp');
  const engine = engineByName(name);
  return typeof engine === 'string' ? engine : { name, engine };
}
