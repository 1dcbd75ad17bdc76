// The instruction-semantics suite (test/semantics) in the JIT: every program gives the interpreter's retval and
// output packet (every case stores its result into the packet), in checked and in fast mode.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jitEngine } from '../../src/jit/index.js';
import { assemble } from '../../src/isa/assembler.js';
import { interpreter } from '../../src/vm/interpreter.js';
import { REPO_ROOT } from '../corpus.js';
import { generatedPrograms, programText } from '../semantics/generated-cases.js';
import { runInsns } from './engines.js';

const PACKET = new Uint8Array(1514).map((_, i) => (i * 7 + 3) & 0xff);
PACKET.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5], 0);

const programs = [
  ...['calls.s', 'atomics.s'].map((file) => ({
    name: file,
    text: readFileSync(join(REPO_ROOT, 'test', 'semantics', file), 'utf8'),
  })),
  ...generatedPrograms().map((program) => ({ name: program.name, text: programText(program) })),
];

describe('instruction semantics: the JIT equals the interpreter', () => {
  let compared = 0;
  for (const { name, text } of programs) {
    it(name, () => {
      const section = assemble(text, { fileName: name }).sections.find((s) => s.name === 'xdp');
      if (section === undefined) throw new Error(`${name}: no xdp section`);
      for (const mode of ['checked', 'fast'] as const) {
        const expected = runInsns(interpreter, section.insns, { data: PACKET, mode });
        const actual = runInsns(jitEngine, section.insns, { data: PACKET, mode });
        expect(expected.error, `${name} (${mode}) runs in the interpreter`).toBeUndefined();
        expect(actual, `${name} (${mode})`).toEqual(expected);
        compared++;
      }
    });
  }

  it('compared every program in both modes', () => {
    expect(compared).toBe(programs.length * 2);
    expect(generatedPrograms().reduce((sum, program) => sum + program.cases.length, 0)).toBeGreaterThan(5000);
  });
});
