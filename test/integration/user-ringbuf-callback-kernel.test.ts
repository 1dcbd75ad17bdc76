// bpf_user_ringbuf_drain's callback gets its sample as a read-only local dynptr (the kernel's
// CONST_PTR_TO_DYNPTR): read through the dynptr helpers, never loaded from, released, made again or changed.
// Both load the same object the way users do (tsbpf: Bpf.openObject().load(); the kernel: libbpf in the oracle).

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errnoText, errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const FILE = 'test/progs/net/kfunc_user_ringbuf_cb.o';

type Verdict =
  | { verdict: 'accepted' }
  | { verdict: 'rejected'; error: string; insn: number | null; errno: string };

function tsbpfVerdict(program: string): Verdict {
  const bpf = new Bpf();
  try {
    bpf.openObject(readFileSync(FILE), 'kfunc_user_ringbuf_cb.o').load({ programs: [program], logLevel: 1 });
  } catch (error) {
    if (!(error instanceof ProgLoadError)) throw error;
    return { verdict: 'rejected', ...errorLine(error.log), errno: errnoText(error.errno) };
  }
  return { verdict: 'accepted' };
}

oracle.describe("a user_ringbuf_drain callback's sample dynptr, as the kernel verifies it", () => {
  const programs = ['drain_reads_sample', 'drain_loads_from_sample', 'drain_submits_sample'];
  programs.push('drain_reserves_into_sample', 'drain_writes_sample');
  for (const program of programs) {
    oracle.it(program, () => {
      const report = oracle.runObject(FILE, { program, logLevel: 1 }).programs[0];
      const kernel: Verdict =
        report.verdict === 'accepted'
          ? { verdict: 'accepted' }
          : { verdict: 'rejected', ...errorLine(report.log), errno: errnoText(report.errno) };
      expect(tsbpfVerdict(program)).toEqual(kernel);
    });
  }
});
