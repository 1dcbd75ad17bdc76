// Level-2 verifier logs on the corpus against the kernel's, line for line: every state, source line (from
// line_info), precision backtracking, stack-liveness and loop line of every program.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const availability = oracleAvailability();
/** The kernel bounds bpf_get_smp_processor_id by its CPU count: tsbpf is given the same. */
const cpus = availability.available ? availability.possibleCpus : 1;

/**
 * The log without its statistics (verification time differs) and without the value of LD_IMM64 lines: the
 * kernel prints a map's kernel address there, tsbpf the map's fd (docs/verifier-differences.md).
 */
function comparable(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('processed '))
    .map((line) => line.replace(/\(18\) (r\d+) = 0x[0-9a-f]+ */, '(18) $1 = (value) '));
}

const objects = [
  ...corpusObjects(),
  { path: 'test/link/all.o', absolutePath: join(REPO_ROOT, 'test/link/all.o'), bytes: new Uint8Array() },
];

oracle.describe('level-2 verifier logs against the kernel on the corpus', () => {
  let compared = 0;
  let sourceLinesSeen = 0;
  for (const object of objects) {
    oracle.it(object.path, () => {
      const kernel = oracle.runObject(object.absolutePath, { logLevel: 2 });
      for (const program of kernel.programs) {
        const bpf = new Bpf({ cpus });
        const ours = bpf
          .openObject(new Uint8Array(readFileSync(object.absolutePath)), object.path)
          .load({ programs: [program.name], logLevel: 2 });
        const log = ours.program(program.name).handle.log;
        expect(comparable(log), `${program.name}: level-2 log`).toEqual(comparable(program.log));
        sourceLinesSeen += program.log.split('\n').filter((line) => line.startsWith('; ')).length;
        compared++;
      }
    });
  }
  oracle.it('compared every program of the corpus', () => {
    expect(compared).toBeGreaterThanOrEqual(50);
    // Every corpus object has BTF line info: the logs hold source lines, not only instructions.
    expect(sourceLinesSeen).toBeGreaterThan(1000);
  });
});
