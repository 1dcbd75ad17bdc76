// The corpus loaded by a process with CAP_BPF and CAP_NET_ADMIN but not CAP_PERFMON, in the kernel (oracle
// --caps) and in tsbpf (capabilities): each program gets the same verdict, error line and errno, and where both
// accept it the same count of processed instructions (speculative paths and barriers change that count).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import type { OracleCapability, OracleObjectProgram } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errnoText, errorLine } from '../verifier/cases.js';

const oracle = requireOracle();

const objects = [
  ...corpusObjects(),
  { path: 'test/link/all.o', absolutePath: join(REPO_ROOT, 'test/link/all.o'), bytes: new Uint8Array() },
];

const CAPS: readonly OracleCapability[] = ['bpf', 'net_admin'];
const CAPABILITIES = { bpf: true, perfmon: false, netAdmin: true, sysAdmin: false };

/**
 * object/program → why tsbpf processes another count of instructions though both accept it
 * (docs/verifier-differences.md); each must still differ, so that a fix updates the list.
 */
const PROCESSED_DIFFERENCES: Readonly<Record<string, string>> = {
  'test/progs/loops.o/sock_bpf_loop':
    'in the bpf_loop callback tsbpf prunes a path back from rotate_mix that the kernel walks',
};

interface Outcome {
  verdict: 'accepted' | 'rejected';
  error: string;
  errno: string;
  processed?: number;
}

/** The object loaded by tsbpf with CAPABILITIES: each program's verifier outcome (refusals kept as warnings). */
function tsbpfOutcomes(path: string, bytes: Uint8Array): Map<string, Outcome> {
  const object = new Bpf()
    .openObject(bytes, path)
    .load({ logLevel: 1, capabilities: CAPABILITIES, onRefusal: 'warn' });
  const outcomes = new Map<string, Outcome>();
  for (const { program, cause } of object.warnings) {
    if (!(cause instanceof ProgLoadError)) throw cause;
    outcomes.set(program, {
      verdict: 'rejected',
      error: errorLine(cause.log).error,
      errno: errnoText(cause.errno),
    });
  }
  for (const name of object.programNames) {
    if (outcomes.has(name)) continue;
    const processed = object.program(name).handle.verification?.processedInsns;
    outcomes.set(name, { ...ACCEPTED, ...(processed !== undefined ? { processed } : {}) });
  }
  return outcomes;
}

const ACCEPTED: Outcome = { verdict: 'accepted', error: '', errno: '' };

/**
 * The kernel's verifier outcome for a program. A load can fail after the verifier accepted the program: a
 * program alone (libbpf's fallback when the whole object failed) cannot fill a prog array slot naming another
 * program that was refused (EBADF); the verifier's verdict is what is compared.
 */
function kernelOutcome(program: OracleObjectProgram): Outcome {
  if (program.verdict === 'accepted') return { ...ACCEPTED, processed: program.processedInsns ?? -1 };
  if (program.libbpfLog.includes('failed to initialize slot')) return ACCEPTED;
  return { verdict: 'rejected', error: errorLine(program.log).error, errno: errnoText(program.errno) };
}

oracle.describe('verifier equals the kernel on the corpus without CAP_PERFMON', () => {
  let compared = 0;
  let rejected = 0;
  let countsCompared = 0;
  for (const object of objects) {
    oracle.it(object.path, () => {
      const bytes = new Uint8Array(readFileSync(object.absolutePath));
      const kernel = oracle.runObject(object.absolutePath, { logLevel: 1, caps: CAPS });
      const ours = tsbpfOutcomes(object.path, bytes);
      for (const program of kernel.programs) {
        const want = kernelOutcome(program);
        const got = ours.get(program.name);
        const key = `${object.path}/${program.name}`;
        expect({ ...got, processed: undefined }, `${key}\n${program.log}`).toEqual({
          ...want,
          processed: undefined,
        });
        compared++;
        if (want.verdict === 'rejected') rejected++;
        if (want.processed === undefined) continue;
        if (PROCESSED_DIFFERENCES[key]) {
          expect(got?.processed, `${key} now agrees: remove it from the list`).not.toBe(want.processed);
        } else {
          expect(got?.processed, `${key}: processed instructions`).toBe(want.processed);
          countsCompared++;
        }
      }
    });
  }
  oracle.it('compared every program of the corpus, some refused and many counted', () => {
    expect(compared).toBeGreaterThanOrEqual(50);
    expect(rejected).toBeGreaterThanOrEqual(10);
    expect(countsCompared).toBeGreaterThanOrEqual(15);
  });
});
