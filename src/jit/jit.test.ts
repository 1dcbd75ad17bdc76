import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { buildExecutable } from '../vm/executable.js';
import { interpret } from '../vm/interpreter.js';
import { RuntimeFault } from '../vm/runtime.js';
import { Vm } from '../vm/vm.js';
import { compileModule } from './compile.js';
import { compileWasm, jitEngine } from './index.js';
import { WebAssemblyApi } from './wasm-api.js';

function both(text: string, mode: 'checked' | 'fast' = 'checked') {
  const program = buildExecutable(assembleInsns(text), { type: 'test', name: 'prog' });
  const run = (engine: 'interp' | 'jit') => {
    const vm = new Vm();
    const options = { mode, functionNames: ['prog', 'middle', 'leaf'] };
    try {
      if (engine === 'interp') return { r0: interpret(program, { ctx: 0, cpu: 0 }, vm, new Map(), options) };
      const prepared = jitEngine.prepare(program, vm, new Map(), options);
      try {
        return { r0: prepared.run({ ctx: 0, cpu: 0 }, 3) };
      } finally {
        prepared.release();
      }
    } catch (error) {
      if (!(error instanceof RuntimeFault)) throw error;
      return {
        insn: error.insn,
        reason: error.reason,
        callStack: error.callStack,
        frames: error.frames.map((f) => f.insn),
      };
    }
  };
  return { program, interp: run('interp'), jit: run('jit') };
}

describe('jitEngine', () => {
  it('refuses a tracer', () => {
    const program = buildExecutable(assembleInsns('r0 = 0\nexit\n'), { type: 'test' });
    expect(() =>
      jitEngine.prepare(program, new Vm(), new Map(), { mode: 'fast', trace: { step() {} } }),
    ).toThrow(/cannot trace/);
  });

  it("reports a fault two calls deep with the interpreter's call stack", () => {
    const { interp, jit } = both(`
      r1 = 5
      call middle
      exit
    middle:
      r6 = r1
      call leaf
      r0 += r6
      exit
    leaf:
      r2 = 0
      r0 = *(u64 *)(r2 + 16)
      exit
    `);
    expect(interp).toMatchObject({ insn: 8, callStack: ['prog', 'middle', 'leaf'], frames: [1, 4, 8] });
    expect(jit).toEqual(interp);
  });

  it('runs an irreducible graph through the dispatch loop with the same result', () => {
    const text = `
      r0 = 0
      r1 = 3
      if r1 > 2 goto inside
    top:
      r0 += 1
    inside:
      r0 += 10
      r1 += -1
      if r1 != 0 goto top
      exit
    `;
    const { program, interp, jit } = both(text, 'fast');
    expect(compileModule(program, { mode: 'fast', budgeted: false }).dispatchLoops).toBe(1);
    expect(interp).toEqual({ r0: 32n });
    expect(jit).toEqual(interp);
  });

  it('compileWasm gives a module WebAssembly accepts', () => {
    const program = buildExecutable(assembleInsns('r0 = 7\nr0 /= 0\nexit\n'), { type: 'test' });
    for (const mode of ['checked', 'fast'] as const) {
      expect(WebAssemblyApi.validate(compileWasm(program, { mode }))).toBe(true);
    }
  });
});
