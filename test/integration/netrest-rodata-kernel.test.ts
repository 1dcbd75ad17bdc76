// .rodata is read-only for programs (libbpf creates it with BPF_F_RDONLY_PROG, then freezes it): a store, an
// atomic add and a helper writing into it are refused at load as the kernel refuses them; reads run alike.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal, kernelRun, tsbpfRun } from './netrest-runs.js';

const oracle = requireOracle();
const PATH = 'test/progs/net/netrest_rodata_write.o';

oracle.describe('.rodata writes are refused as the kernel refuses them', () => {
  for (const program of ['rodata_store', 'rodata_atomic', 'rodata_helper_write']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () =>
      expectSameRefusal(oracle, PATH, program),
    );
  }
  for (const length of [60, 61, 62, 63, 64]) {
    oracle.it(`a read of .rodata indexed by the length (${length} bytes)`, () => {
      const input = { data: new Uint8Array(length).fill(1) };
      const ours = tsbpfRun(PATH, 'rodata_read', input);
      expect(ours).toEqual(kernelRun(oracle, PATH, 'rodata_read', input));
      expect(ours.retval).toBe((length & 3) + 1);
    });
  }
});
