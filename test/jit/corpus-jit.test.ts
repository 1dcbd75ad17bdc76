// Every test-runnable program of the corpus (test/progs/*.o) on every test packet, loaded (and verified) as users
// load them: the JIT gives the interpreter's retval, output packet, error and map contents.

import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { compileModule } from '../../src/jit/compile.js';
import type { EngineName } from '../../src/vm/runtime.js';
import { programTypeForSection } from '../../src/object/section-names.js';
import { corpusObjects } from '../corpus.js';
import { testPackets } from '../integration/testrun-packets.js';

const RUNNABLE = new Set(['socket_filter', 'xdp', 'sched_cls', 'sched_act']);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const packets = testPackets();

/** One object loaded (and verified) once per engine; runs share its maps, so both sides see the same history. */
class LoadedSide {
  private readonly bpf = new Bpf();
  private readonly loaded;
  private readonly engine: EngineName;

  constructor(bytes: Uint8Array, path: string, engine: EngineName) {
    this.engine = engine;
    this.loaded = this.bpf.openObject(bytes, path).load({ engine });
  }

  /** Functions of `program` compiled as a dispatch loop (irreducible control flow). */
  dispatchLoops(program: string): number {
    return compileModule(this.loaded.program(program).handle.executable, { mode: 'fast', budgeted: false })
      .dispatchLoops;
  }

  run(program: string, data: Uint8Array) {
    expect(this.loaded.program(program).handle.engine).toBe(this.engine);
    const result = this.bpf.testRun(this.loaded.program(program).handle.fd, { data });
    const maps = this.loaded.mapNames.map((name) => {
      try {
        const entries = this.bpf.mapDump(this.loaded.mapFd(name));
        return { name, entries: entries.map((e) => `${hex(e.key)}=${hex(e.value)}`) };
      } catch (error) {
        return { name, entries: String(error) };
      }
    });
    return {
      retval: result.retval,
      dataOut: hex(result.dataOut),
      error: result.error === undefined ? undefined : `${result.error.code}: ${result.error.message}`,
      maps,
    };
  }
}

describe('corpus programs: the JIT equals the interpreter', () => {
  let compared = 0;
  for (const object of corpusObjects()) {
    const programs = (() => {
      const handle = new Bpf().openObject(object.bytes, object.path);
      return handle.programNames.filter((name) => {
        const section = handle.object.functions.find((f) => f.name === name)?.section ?? '';
        return RUNNABLE.has(programTypeForSection(section)?.programType ?? '');
      });
    })();
    if (programs.length === 0) continue;
    it(object.path, () => {
      const interp = new LoadedSide(object.bytes, object.path, 'interp');
      const jit = new LoadedSide(object.bytes, object.path, 'jit');
      for (const program of programs) {
        // clang emits reducible control flow: every function becomes structured wasm.
        expect(jit.dispatchLoops(program), `${program}: functions left as a dispatch loop`).toBe(0);
        for (const packet of packets) {
          const expected = interp.run(program, packet.data);
          expect(jit.run(program, packet.data), `${program} on ${packet.name}`).toEqual(expected);
          compared++;
        }
      }
    });
  }

  it('ran the corpus', () => {
    expect(compared).toBeGreaterThan(500);
  });
});
