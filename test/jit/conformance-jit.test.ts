// Every vector of the public eBPF conformance suite in the JIT: the vector's expected r0, and the interpreter's
// result or fault (same reason at the same instruction) for the vectors meant to fail.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { jitEngine } from '../../src/jit/index.js';
import { runConformanceProgram } from '../../src/vm/conformance.js';
import { RuntimeFault } from '../../src/vm/runtime.js';
import { loadConformanceTest } from '../conformance/conformance-asm.js';
import { requireConformanceVectors } from '../conformance-data.js';

const vectors = requireConformanceVectors();
const dir = join(vectors.dir, 'tests');
const files = vectors.available
  ? readdirSync(dir)
      .filter((file) => file.endsWith('.data'))
      .sort()
  : [];

type Outcome = { r0: string } | { fault: string; insn: number } | { error: string };

function outcome(run: () => bigint): Outcome {
  try {
    return { r0: run().toString(16) };
  } catch (error) {
    if (error instanceof RuntimeFault) return { fault: error.reason, insn: error.insn };
    return { error: String(error) };
  }
}

vectors.describe('conformance suite: the JIT equals the interpreter and the vectors', () => {
  let compared = 0;
  let expectedResults = 0;
  for (const file of files) {
    it(file, () => {
      const test = loadConformanceTest(readFileSync(join(dir, file), 'utf8'), file);
      const interp = outcome(() => runConformanceProgram(test.insns, test.mem));
      const jit = outcome(() => runConformanceProgram(test.insns, test.mem, { engine: jitEngine }));
      expect(jit).toEqual(interp);
      compared++;
      if (test.result !== undefined && 'r0' in jit) {
        expect(BigInt(`0x${jit.r0}`)).toBe(BigInt.asUintN(64, test.result));
        expectedResults++;
      }
    });
  }

  it('compared every vector', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(compared).toBe(files.length);
    expect(expectedResults).toBeGreaterThan(300);
  });
});
