// The objects of test/progs/newer-isa (instructions clang-14 cannot emit, written as bytes) against the kernel:
// the verdict, processed instructions and stack depth of every program, and test-runs on the common packets.
// They stay out of the main corpus, whose tests also round-trip the text of llvm-objdump-14 and clang -S.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { PROGS_DIR } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { hostPossibleCpus } from '../verifier/cases.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const DIR = join(PROGS_DIR, 'newer-isa');
const objects = readdirSync(DIR)
  .filter((name) => name.endsWith('.o'))
  .sort()
  .map((name) => ({
    name: `test/progs/newer-isa/${name}`,
    path: join(DIR, name),
    bytes: new Uint8Array(readFileSync(join(DIR, name))),
  }));

function stackDepthLine(log: string): string | undefined {
  return /^stack depth .*$/m.exec(log)?.[0];
}

oracle.describe('test/progs/newer-isa against the kernel', () => {
  let programs = 0;
  for (const object of objects) {
    oracle.it(`${object.name}: verdict, processed instructions (at most 1.2x) and stack depth`, () => {
      const kernel = oracle.runObject(object.path, { logLevel: 4 });
      const ours = new Bpf({ cpus: hostPossibleCpus() })
        .openObject(object.bytes, object.name)
        .load({ logLevel: 4 });
      for (const program of kernel.programs) {
        expect(program.verdict, program.log).toBe('accepted');
        const handle = ours.program(program.name).handle;
        expect(handle.verification?.accepted, handle.log).toBe(true);
        // The corpus rule (verifier-corpus.test.ts): at most 1.2x the kernel's processed instructions.
        const processed = handle.verification?.processedInsns ?? Number.POSITIVE_INFINITY;
        expect(processed).toBeLessThanOrEqual(program.processedInsns! * 1.2);
        expect(stackDepthLine(handle.log)).toBe(stackDepthLine(program.log));
        programs++;
      }
    });
    oracle.it(`${object.name}: test-runs equal the kernel's`, () => {
      const kernel = oracle.runObject(object.path, {});
      for (const { name } of kernel.programs) {
        for (const packet of testPackets()) {
          const kernelRun = oracle
            .runObject(object.path, { program: name, data: packet.data })
            .programs.find((p) => p.name === name)?.testRun;
          const bpf = new Bpf({ cpus: hostPossibleCpus() });
          const loaded = bpf.openObject(object.bytes, object.name).load();
          const ours = bpf.testRun(loaded.program(name).handle.fd, { data: packet.data });
          expect(
            { errno: ours.error?.errno ?? 0, retval: ours.retval, dataOut: bytesToHex(ours.dataOut) },
            `${name} on ${packet.name}`,
          ).toEqual({ errno: kernelRun?.errno, retval: kernelRun?.retval, dataOut: kernelRun?.dataOut });
        }
      }
    });
  }
  oracle.it('compared every program', () => {
    expect(objects.length).toBeGreaterThanOrEqual(1);
    expect(programs).toBeGreaterThanOrEqual(1);
  });
});
