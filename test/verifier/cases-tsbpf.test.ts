// Every verifier case through tsbpf's progLoad: it must agree with the kernel's verdict recorded in the header.

import { describe, expect, it } from 'vitest';
import { compareOutcome, loadCaseFiles, loadInTsbpf } from './cases.js';

for (const { topic, cases } of loadCaseFiles()) {
  describe(`verifier cases: ${topic} (tsbpf)`, () => {
    for (const c of cases) {
      it(c.name, () => {
        expect(c.expect, 'the case has an expectation (scripts/record-verifier-cases.sh)').toBeDefined();
        const got = loadInTsbpf(c);
        expect(compareOutcome(c, got), `${c.file}:${c.line}\n${got.log}`).toEqual([]);
      });
    }
  });
}
