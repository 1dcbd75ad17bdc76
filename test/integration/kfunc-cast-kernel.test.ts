// bpf_cast_to_kern_ctx and bpf_rdonly_cast: a deliberate difference. The kernel accepts programs reading its
// sk_buff through them; tsbpf refuses them at load with a message saying why (docs/verifier-differences.md).

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const CAST = 'test/progs/net/kfunc_cast.o';

oracle.describe('cast kfuncs: accepted by the kernel, refused by tsbpf with its reason', () => {
  for (const [program, kfunc] of [
    ['tc_cast_to_kern_ctx', 'bpf_cast_to_kern_ctx'],
    ['tc_rdonly_cast', 'bpf_rdonly_cast'],
  ]) {
    oracle.it(program, () => {
      expect(oracle.runObject(CAST, { program, logLevel: 1 }).programs[0].verdict).toBe('accepted');
      let refusal: unknown;
      try {
        new Bpf().openObject(readFileSync(CAST), 'kfunc_cast.o').load({ programs: [program], logLevel: 1 });
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ProgLoadError);
      const { error } = errorLine((refusal as ProgLoadError).log);
      expect(error).toBe(
        `${kfunc}: tsbpf does not lay out the kernel's structs (sk_buff, xdp_buff, ...) a program reads through this pointer`,
      );
      expect((refusal as ProgLoadError).errno).toBe(22);
    });
  }
});
