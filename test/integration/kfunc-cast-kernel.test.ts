// bpf_cast_to_kern_ctx and bpf_rdonly_cast: programs reading the kernel's sk_buff through them load in tsbpf as in
// the kernel (the run-time comparison is test/integration/kstructs-kernel.test.ts).

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const CAST = 'test/progs/net/kfunc_cast.o';

oracle.describe('cast kfuncs: accepted by the kernel and by tsbpf', () => {
  for (const program of ['tc_cast_to_kern_ctx', 'tc_rdonly_cast']) {
    oracle.it(program, () => {
      expect(oracle.runObject(CAST, { program, logLevel: 1 }).programs[0].verdict).toBe('accepted');
      const object = new Bpf()
        .openObject(readFileSync(CAST), 'kfunc_cast.o')
        .load({ programs: [program], logLevel: 1 });
      expect(object.program(program).handle.fd).toBeGreaterThan(0);
    });
  }
});
