// Every verifier case through the kernel: its verdict, error line, instruction and errno equal the case's header,
// and for an accepted case tsbpf processes as many instructions as the kernel.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { compareOutcome, kernelOutcome, loadCaseFiles, loadInTsbpf, oracleOptions } from './cases.js';

const oracle = requireOracle();

/** topic/case → why tsbpf's processed-instruction count differs (docs/verifier-differences.md). */
const PROCESSED_DIFFERENCES: Readonly<Record<string, string>> = {};

function processed(log: string): number | undefined {
  const match = /^processed (\d+) insns/m.exec(log);
  return match ? Number(match[1]) : undefined;
}

let countsCompared = 0;

for (const { topic, cases } of loadCaseFiles()) {
  oracle.describe(`verifier cases: ${topic} (kernel)`, () => {
    for (const c of cases) {
      oracle.it(c.name, () => {
        expect(c.expect, 'the case has an expectation (scripts/record-verifier-cases.sh)').toBeDefined();
        const got = kernelOutcome(oracle.runInsns(oracleOptions(c)));
        expect(compareOutcome(c, got), `${c.file}:${c.line}\n${got.log}`).toEqual([]);
        if (got.expect !== 'accept') return;
        const theirs = processed(got.log);
        const ours = processed(loadInTsbpf(c).log);
        expect(theirs, `${c.file}:${c.line}: the kernel's statistics line`).toBeDefined();
        const key = `${topic}/${c.name}`;
        if (PROCESSED_DIFFERENCES[key]) {
          expect(ours, `${key} now agrees: remove it from the list`).not.toBe(theirs);
        } else {
          expect(ours, `${c.file}:${c.line}: processed instructions`).toBe(theirs);
          countsCompared++;
        }
      });
    }
  });
}

oracle.describe('verifier cases: processed instructions', () => {
  oracle.it('compared the counts of the accepted cases', () => {
    expect(countsCompared).toBeGreaterThanOrEqual(700);
  });
});
