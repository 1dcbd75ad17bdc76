// Level-2 verifier logs on the corpus against the kernel's, line for line: every state, source line (from
// line_info), precision backtracking, stack-liveness and loop line of every program; for the programs of
// test/progs/net, configured and newer-isa the logs of the programs the kernel refuses too.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import {
  corpusObjects,
  openConfigured,
  REPO_ROOT,
  type SubdirCorpusObject,
  subdirCorpusObjects,
} from '../corpus.js';
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

/**
 * object/program → the first line where tsbpf's level-2 log still differs from the kernel's, and why
 * (docs/verifier-differences.md); each must still differ, so that a fix updates the list.
 */
const LOG_DIFFERENCES: Readonly<Record<string, string>> = {};

/** Programs tsbpf refuses at open while the kernel accepts them (verifier-corpus.test.ts checks the refusal). */
const TSBPF_REFUSES: ReadonlySet<string> = new Set(['test/progs/net/kstruct_core.o/tc_core_unmodelled']);

/** tsbpf's level-2 log of one program, whether it loads or is refused (the error's log). */
function ourLog(object: SubdirCorpusObject, program: string): string | undefined {
  try {
    return openConfigured(new Bpf({ cpus }), object)
      .load({ programs: [program], logLevel: 2 })
      .program(program).handle.log;
  } catch (error) {
    return error instanceof ProgLoadError ? error.log : undefined;
  }
}

oracle.describe(
  'level-2 verifier logs against the kernel on the net, configured and newer-isa programs',
  () => {
    let compared = 0;
    let refusedCompared = 0;
    for (const object of subdirCorpusObjects()) {
      oracle.it(object.path, () => {
        const kernel = oracle.runObject(object.absolutePath, { logLevel: 2, ...object.configuration });
        for (const program of kernel.programs) {
          const key = `${object.path}/${program.name}`;
          // libbpf refused the object before the kernel saw it: there is no kernel log to compare.
          if (program.processedInsns === null && program.log === '') continue;
          if (TSBPF_REFUSES.has(key)) continue;
          const log = ourLog(object, program.name);
          expect(log, `${key}: tsbpf loaded it or refused it with a log`).toBeDefined();
          const known = LOG_DIFFERENCES[key];
          if (known) {
            expect(
              comparable(log ?? ''),
              `${key} now matches (${known}): remove it from the list`,
            ).not.toEqual(comparable(program.log));
            continue;
          }
          expect(comparable(log ?? ''), `${key}: level-2 log`).toEqual(comparable(program.log));
          compared++;
          if (program.verdict === 'rejected') refusedCompared++;
        }
      });
    }
    oracle.it('compared every program of the sub-folders', () => {
      expect(compared).toBeGreaterThanOrEqual(110);
      expect(refusedCompared).toBeGreaterThanOrEqual(50);
    });
  },
);
