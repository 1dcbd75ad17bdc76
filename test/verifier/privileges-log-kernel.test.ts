// The privilege cases (test/verifier/cases/privileges.s) loaded at log level 1 through the kernel and through
// tsbpf: the whole log is the same, so the lines the kernel prints before an error (check_map_access before a
// map value pointer leaving its value, a speculative path's errors before its barrier) and the processed count.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { loadCaseFiles, loadInTsbpf, oracleOptions } from './cases.js';

const oracle = requireOracle();

/** An LD_IMM64 of a map prints the map's kernel address in the kernel's log and its fd in tsbpf's. */
function comparable(log: string): string[] {
  return log.split('\n').map((line) => line.replace(/\(18\) (r\d+) = 0x[0-9a-f]+ */, '(18) $1 = (value) '));
}

const privileges = loadCaseFiles().find((file) => file.topic === 'privileges');

oracle.describe('privilege cases: level-1 logs equal the kernel', () => {
  let compared = 0;
  for (const c of privileges?.cases ?? []) {
    oracle.it(c.name, () => {
      const kernel = oracle.runInsns(oracleOptions(c));
      const ours = loadInTsbpf(c, 1);
      expect(comparable(ours.log), `${c.file}:${c.line}`).toEqual(comparable(kernel.log));
      compared++;
    });
  }
  oracle.it('compared every privilege case', () => {
    expect(compared).toBeGreaterThanOrEqual(290);
  });
});
