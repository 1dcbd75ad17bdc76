// The pruning cases against the kernel beyond their verdict: which paths were pruned where shows in the
// level-2 log and the processed count, so both must be the kernel's, line for line.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { loadCaseFiles, loadInTsbpf, oracleOptions } from './cases.js';

const oracle = requireOracle();

/** BPF_LOG_LEVEL2 | BPF_LOG_STATS: every instruction's state, then the statistics. */
const LOG_LEVEL = 6;

/**
 * The log without what cannot match: the verification time, and the value of LD_IMM64 lines (the kernel
 * prints a map's kernel address, tsbpf its fd; docs/verifier-differences.md).
 */
function comparable(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('verification time '))
    .map((line) => line.replace(/\(18\) (r\d+) = 0x[0-9a-f]+ */, '(18) $1 = (value) '));
}

oracle.describe('pruning cases against the kernel: level-2 logs and counts', () => {
  const cases = loadCaseFiles().flatMap(({ topic, cases }) => (topic === 'pruning' ? cases : []));
  let pruned = 0;
  for (const c of cases) {
    oracle.it(c.name, () => {
      const kernel = oracle.runInsns({ ...oracleOptions(c), logLevel: LOG_LEVEL });
      const ours = loadInTsbpf(c, LOG_LEVEL);
      expect(ours.expect).toBe(kernel.verdict === 'accepted' ? 'accept' : 'reject');
      expect(comparable(ours.log), `${c.file}:${c.line}`).toEqual(comparable(kernel.log));
      if (/: safe$/m.test(kernel.log)) pruned++;
    });
  }
  oracle.it('compared cases where the kernel pruned paths', () => {
    expect(cases.length).toBeGreaterThanOrEqual(39);
    expect(pruned).toBeGreaterThanOrEqual(8);
  });
});
