// Every verifier case through the kernel: its verdict, error line, instruction and errno equal the case's header.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { compareOutcome, kernelOutcome, loadCaseFiles, oracleOptions } from './cases.js';

const oracle = requireOracle();

for (const { topic, cases } of loadCaseFiles()) {
  oracle.describe(`verifier cases: ${topic} (kernel)`, () => {
    for (const c of cases) {
      oracle.it(c.name, () => {
        expect(c.expect, 'the case has an expectation (scripts/record-verifier-cases.sh)').toBeDefined();
        const got = kernelOutcome(oracle.runInsns(oracleOptions(c)));
        expect(compareOutcome(c, got), `${c.file}:${c.line}\n${got.log}`).toEqual([]);
      });
    }
  });
}
