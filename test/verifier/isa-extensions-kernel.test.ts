// may_goto, load-acquire and store-release cases against the kernel beyond their verdict: the level-2 log line
// for line, the stack depth of every function (may_goto's hidden budget slots) and the processed instructions.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { loadCaseFiles, loadInTsbpf, oracleOptions, type VerifierCase } from './cases.js';

const oracle = requireOracle();

/** BPF_LOG_LEVEL2 | BPF_LOG_STATS: every instruction's state, then the statistics. */
const LOG_LEVEL = 6;

/** The cases about these instructions: the may-goto topic, and the acquire/release cases of atomics. */
function extensionCases(): VerifierCase[] {
  return loadCaseFiles().flatMap(({ topic, cases }) =>
    topic === 'may-goto'
      ? cases
      : topic === 'atomics'
        ? cases.filter((c) => /load_acquire|store_release/.test(c.name))
        : [],
  );
}

/**
 * The log without the lines that cannot match: the verification time, and the value of LD_IMM64 lines (the
 * kernel prints a map's kernel address, tsbpf its fd; docs/verifier-differences.md).
 */
function comparable(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('verification time '))
    .map((line) => line.replace(/\(18\) (r\d+) = 0x[0-9a-f]+ */, '(18) $1 = (value) '));
}

function statistic(log: string, pattern: RegExp): string | undefined {
  return log.split('\n').find((line) => pattern.test(line));
}

oracle.describe(
  'may_goto, load-acquire and store-release against the kernel: logs, stack depth, counts',
  () => {
    const cases = extensionCases();
    let accepted = 0;
    for (const c of cases) {
      oracle.it(c.name, () => {
        const kernel = oracle.runInsns({ ...oracleOptions(c), logLevel: LOG_LEVEL });
        const ours = loadInTsbpf(c, LOG_LEVEL);
        expect(ours.expect).toBe(kernel.verdict === 'accepted' ? 'accept' : 'reject');
        if (kernel.verdict === 'accepted') {
          accepted++;
          // may_goto's budget slots count in an accepted program's depth (do_misc_fixups runs after the walk).
          expect(statistic(ours.log, /^stack depth /)).toBe(statistic(kernel.log, /^stack depth /));
        }
        expect(statistic(ours.log, /^processed /)?.replace(/ max_states.*/, '')).toBe(
          statistic(kernel.log, /^processed /)?.replace(/ max_states.*/, ''),
        );
        expect(
          comparable(ours.log).filter((l) => !l.startsWith('processed ')),
          `${c.file}:${c.line}`,
        ).toEqual(comparable(kernel.log).filter((l) => !l.startsWith('processed ')));
      });
    }
    oracle.it('compared accepted and refused programs of both kinds', () => {
      expect(cases.length).toBeGreaterThanOrEqual(40);
      expect(accepted).toBeGreaterThanOrEqual(15);
    });
  },
);
