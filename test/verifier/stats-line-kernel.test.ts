// The level-4 statistics line (processed insns, max_states_per_insn, total_states, peak_states, mark_read) of
// every verifier case, against the kernel's, wherever both processed the same number of instructions.

import { expect } from 'vitest';
import { BpfError } from '../../src/api/bpf-error.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { loadCaseFiles, loadInTsbpf, oracleOptions } from './cases.js';

const oracle = requireOracle();

const STATS_LINE = /^processed (\d+) insns \(limit \d+\) .*$/m;

oracle.describe('verifier statistics line equals the kernel on the case suite', () => {
  oracle.it('every case whose processed count agrees', () => {
    const cases = loadCaseFiles().flatMap((file) => file.cases);
    const kernel = oracle.runInsnsBatch(cases.map((c) => ({ ...oracleOptions(c), logLevel: 4 })));
    let compared = 0;
    const differ: string[] = [];
    cases.forEach((c, i) => {
      const theirs = STATS_LINE.exec(kernel[i].log);
      let log: string;
      try {
        log = loadInTsbpf(c, 4).log;
      } catch (error) {
        // A map type tsbpf lacks (cases-tsbpf lists it): nothing of tsbpf's to compare.
        if (error instanceof BpfError) return;
        throw error;
      }
      const ours = STATS_LINE.exec(log);
      if (theirs === null || ours === null || theirs[1] !== ours[1]) return;
      compared++;
      if (theirs[0] !== ours[0])
        differ.push(`${c.file}:${c.line} ${c.name}: kernel '${theirs[0]}', tsbpf '${ours[0]}'`);
    });
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(300);
  });
});
