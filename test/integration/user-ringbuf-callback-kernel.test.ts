// bpf_user_ringbuf_drain's callback gets its sample as a read-only local dynptr (the kernel's
// CONST_PTR_TO_DYNPTR): read through the dynptr helpers, never loaded from, released, made again or changed.
// tsbpf cannot create user_ringbuf maps yet, so its verifier is called directly on the relocated program
// with the object's maps as the kernel sees them; the kernel loads the same object through the oracle.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { mapTypeById } from '../../src/abi/map-types.js';
import { openObject } from '../../src/object/open-object.js';
import { relocateProgram } from '../../src/object/relocate-program.js';
import { ALL_CAPABILITIES, verifyProgram } from '../../src/verifier/index.js';
import type { VerifierMap } from '../../src/verifier/state.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errnoText, errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const FILE = 'test/progs/net/kfunc_user_ringbuf_cb.o';

type Verdict =
  | { verdict: 'accepted' }
  | { verdict: 'rejected'; error: string; insn: number | null; errno: string };

function tsbpfVerdict(program: string): Verdict {
  const object = openObject(readFileSync(FILE), 'kfunc_user_ringbuf_cb.o');
  const maps: VerifierMap[] = object.maps.map((m, index) => ({
    fd: index,
    name: m.name,
    type: mapTypeById(m.type)!.name,
    keySize: m.keySize,
    valueSize: m.valueSize,
    maxEntries: m.maxEntries,
    flags: 0,
    readOnly: false,
  }));
  const relocated = relocateProgram(object, program);
  const result = verifyProgram({
    programType: 'xdp',
    insns: relocated.insns,
    capabilities: ALL_CAPABILITIES,
    gplCompatible: true,
    logLevel: 1,
    ...(object.btf !== undefined
      ? { btf: object.btf, funcInfo: relocated.funcInfo, lineInfo: relocated.lineInfo }
      : {}),
    mapFor: (_insn, src, imm) => (src === 1 || src === 2 ? maps[imm] : undefined),
  });
  if (result.error === undefined) return { verdict: 'accepted' };
  return { verdict: 'rejected', ...errorLine(result.log), errno: result.error.errno };
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
