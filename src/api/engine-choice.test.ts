// The engine is chosen once per program at load (request, process default, JIT for verified programs) and
// every run uses it. The engine table is replaced by two counting stand-ins so the choice shows in any build.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Insn } from '../isa/insn.js';
import { interpreter } from '../vm/interpreter.js';
import type { Engine, EngineName } from '../vm/runtime.js';
import { Bpf } from './bpf.js';
import { BpfError, ProgLoadError } from './bpf-error.js';
import { chooseEngine, defaultEngine, jitAvailable, setDefaultEngine } from './engine-choice.js';

const table = vi.hoisted(() => ({
  prepared: [] as string[],
  jitAvailable: true,
}));

vi.mock('./engines.js', () => {
  const standIn = (name: EngineName): Engine => ({
    name,
    prepare(program, vm, helpers, options) {
      table.prepared.push(name);
      return interpreter.prepare(program, vm, helpers, options);
    },
  });
  const engines = { interp: standIn('interp'), jit: standIn('jit') };
  return {
    engineByName: (name: EngineName): Engine | string =>
      name === 'jit' && !table.jitAvailable
        ? "engine 'jit' is not available yet: no JIT here"
        : engines[name],
  };
});

const RETURN_2: Insn[] = [
  { code: 0xb7, dst: 0, src: 0, off: 0, imm: 2 },
  { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
];
const PACKET = new Uint8Array(64);

beforeEach(() => {
  table.prepared.length = 0;
  table.jitAvailable = true;
  setDefaultEngine(undefined);
});
afterEach(() => setDefaultEngine(undefined));

describe('the engine chosen at load', () => {
  it('is the JIT for verified programs and the interpreter for unverified ones, by default', () => {
    const bpf = new Bpf();
    const verified = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL' });
    const unverified = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', verify: false });
    expect([verified.engine, verified.mode]).toEqual(['jit', 'fast']);
    expect([unverified.engine, unverified.mode]).toEqual(['interp', 'checked']);
    expect(bpf.testRun(verified.fd, { data: PACKET }).retval).toBe(2);
    expect(bpf.testRun(unverified.fd, { data: PACKET }).retval).toBe(2);
    expect(table.prepared).toEqual(['jit', 'interp']);
  });

  it('is the interpreter for verified programs when the JIT is not available', () => {
    table.jitAvailable = false;
    expect(jitAvailable()).toBe(false);
    const handle = new Bpf().progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL' });
    expect(handle.engine).toBe('interp');
  });

  it('follows the request, and refuses a JIT that is not available with EOPNOTSUPP naming why', () => {
    const bpf = new Bpf();
    expect(bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', engine: 'interp' }).engine).toBe(
      'interp',
    );
    expect(
      bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', verify: false, engine: 'jit' }).engine,
    ).toBe('jit');
    table.jitAvailable = false;
    const refusal = (() => {
      try {
        bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', engine: 'jit' });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ProgLoadError);
    expect((refusal as ProgLoadError).errno).toBe(95);
    expect((refusal as ProgLoadError).message).toMatch(/engine 'jit' is not available yet: no JIT here/);
  });

  it('a process-wide default applies to later loads only: programs already loaded keep their engine', () => {
    const bpf = new Bpf();
    const before = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL' });
    setDefaultEngine('interp');
    expect(defaultEngine()).toBe('interp');
    const after = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL' });
    const unverified = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', verify: false });
    setDefaultEngine('jit');
    const last = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', verify: false });
    expect([before.engine, after.engine, unverified.engine, last.engine]).toEqual([
      'jit',
      'interp',
      'interp',
      'jit',
    ]);
    table.prepared.length = 0;
    for (const handle of [before, after, unverified, last]) {
      expect(bpf.testRun(handle.fd, { data: PACKET }).retval).toBe(2);
    }
    expect(table.prepared).toEqual(['jit', 'interp', 'interp', 'jit']);
  });

  it('setDefaultEngine refuses an engine that is not available, and keeps the default it had', () => {
    setDefaultEngine('interp');
    table.jitAvailable = false;
    expect(() => setDefaultEngine('jit')).toThrow(BpfError);
    expect(() => setDefaultEngine('jit')).toThrow(/EOPNOTSUPP: engine 'jit' is not available/);
    expect(defaultEngine()).toBe('interp');
    expect(chooseEngine(undefined, true)).toMatchObject({ name: 'interp' });
  });

  it('a test run naming another engine than the program has is EINVAL; naming its own is fine', () => {
    const bpf = new Bpf();
    const handle = bpf.progLoad({ type: 'xdp', insns: RETURN_2, license: 'GPL', engine: 'interp' });
    const mismatch = bpf.testRun(handle.fd, { data: PACKET, engine: 'jit' });
    expect(mismatch.error?.code).toBe('EINVAL');
    expect(mismatch.error?.message).toMatch(/loaded with engine 'interp'; a run cannot switch it to 'jit'/);
    expect(bpf.testRun(handle.fd, { data: PACKET, engine: 'interp' }).retval).toBe(2);
    expect(table.prepared).toEqual(['interp']);
  });

  it('object loads and runProgram take the engine from the load', () => {
    const bpf = new Bpf();
    bpf.registerProgramType({
      name: 'counter',
      context: { size: 8, fields: [{ name: 'n', offset: 0, size: 8, write: true }] },
      helpers: [],
    });
    const interp = bpf.progLoad({ type: 'counter', insns: RETURN_2, license: 'GPL' });
    const jit = bpf.progLoad({ type: 'counter', insns: RETURN_2, license: 'GPL', engine: 'jit' });
    expect([interp.engine, jit.engine]).toEqual(['interp', 'jit']);
    expect(bpf.runProgram(interp.fd).retval).toBe(2);
    expect(bpf.runProgram(jit.fd).retval).toBe(2);
    expect(table.prepared).toEqual(['interp', 'jit']);
    expect(() => bpf.runProgram(jit.fd, { engine: 'interp' })).toThrow(/EINVAL: .*loaded with engine 'jit'/);
  });
});
