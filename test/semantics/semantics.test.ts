// The instruction-semantics suite: programs in the project's assembly syntax covering every opcode's edge cases
// run in tsbpf's interpreter and in the kernel (BPF_PROG_TEST_RUN through the oracle); r0 and every value the
// programs store into the packet must be equal.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { assemble } from '../../src/isa/assembler.js';
import type { Insn } from '../../src/isa/insn.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { generatedPrograms, programText } from './generated-cases.js';

const oracle = requireOracle();
const PACKET = new Uint8Array(1514).map((_, i) => (i * 7 + 3) & 0xff);
// An Ethernet header the kernel's xdp test-run accepts (any EtherType works for xdp).
PACKET.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5], 0);

function assembleProgram(text: string, name: string): Insn[] {
  const object = assemble(text, { fileName: name });
  const section = object.sections.find((s) => s.name === 'xdp');
  if (section === undefined) throw new Error(`${name}: no xdp section`);
  expect(section.relocations, `${name}: self-contained`).toEqual([]);
  return section.insns;
}

function runInTsbpf(insns: Insn[]): { retval: number; dataOut: string } {
  const bpf = new Bpf();
  const program = bpf.progLoad({ type: 'xdp', insns, license: 'GPL' });
  const result = bpf.testRun(program.fd, { data: PACKET });
  expect(result.error, 'tsbpf test-run error').toBeUndefined();
  return { retval: result.retval, dataOut: bytesToHex(result.dataOut) };
}

const programs: { name: string; text: string }[] = [
  ...['calls.s', 'atomics.s'].map((file) => ({
    name: file,
    text: readFileSync(join(REPO_ROOT, 'test', 'semantics', file), 'utf8'),
  })),
  ...generatedPrograms().map((program) => ({ name: program.name, text: programText(program) })),
];

describe('instruction semantics: the interpreter equals the kernel', () => {
  it('covers thousands of cases', () => {
    const cases = generatedPrograms().reduce((sum, program) => sum + program.cases.length, 0);
    expect(cases).toBeGreaterThan(5000);
  });

  for (const { name, text } of programs) {
    oracle.it(name, () => {
      const insns = assembleProgram(text, name);
      const kernel = oracle.runInsns({ type: 'xdp', insns, license: 'GPL', data: PACKET, logLevel: 1 });
      expect(kernel.verdict, `kernel verifier:\n${kernel.log.slice(-2000)}`).toBe('accepted');
      const theirs = kernel.testRun!;
      expect(theirs.errno).toBe(0);
      const ours = runInTsbpf(insns);
      if (ours.dataOut !== theirs.dataOut) {
        // Name the first differing 8-byte slot, which is one case.
        for (let slot = 0; slot * 16 < ours.dataOut.length; slot++) {
          const a = ours.dataOut.slice(slot * 16, slot * 16 + 16);
          const b = theirs.dataOut.slice(slot * 16, slot * 16 + 16);
          expect(a, `${name}: slot ${slot} (packet offset ${slot * 8})`).toBe(b);
        }
      }
      expect(ours.retval).toBe(theirs.retval);
    });
  }
});
