// The verifier on every program of the corpus (test/progs and the linked test/link/all.o) against the kernel:
// same verdict, processed instructions within 1.2× of the kernel's (and, on this corpus, equal), the same stack
// depth per function, and where both processed as many instructions, the same statistics line (states counted
// as the kernel counts them). The programs of test/progs/net, configured and newer-isa too, each loaded on its
// own with its configuration: the kernel refuses some of them, whose error line and errno must match.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { ObjectError } from '../../src/object/object-error.js';
import {
  corpusObjects,
  openConfigured,
  REPO_ROOT,
  type SubdirCorpusObject,
  subdirCorpusObjects,
} from '../corpus.js';
import { oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const availability = oracleAvailability();
/** The kernel bounds bpf_get_smp_processor_id by its CPU count: tsbpf is given the same (types_raw_tp). */
const cpus = availability.available ? availability.possibleCpus : 1;

const objects = [
  ...corpusObjects(),
  { path: 'test/link/all.o', absolutePath: join(REPO_ROOT, 'test/link/all.o'), bytes: new Uint8Array() },
];

/**
 * object/program → why its statistics line still differs from the kernel's though the processed counts agree
 * (docs/verifier-differences.md); each must still differ, so that a fix updates the list.
 */
const STATS_LINE_DIFFERENCES: Readonly<Record<string, string>> = {};

function statsLine(log: string): string | undefined {
  return /^processed \d+ insns .*$/m.exec(log)?.[0];
}

function stackDepthLine(log: string): number[] | undefined {
  const match = /^stack depth ([\d+]+)$/m.exec(log);
  return match ? match[1].split('+').map(Number) : undefined;
}

oracle.describe('verifier equals the kernel on the corpus', () => {
  let compared = 0;
  let statsCompared = 0;
  /** Programs whose processed count differs from the kernel's (within 1.2×). */
  const countsDiffer: string[] = [];
  for (const object of objects) {
    oracle.it(object.path, () => {
      const bytes = new Uint8Array(readFileSync(object.absolutePath));
      const kernel = oracle.runObject(object.absolutePath, { logLevel: 5 });
      const bpf = new Bpf();
      const ours = bpf.openObject(bytes, object.path).load({ logLevel: 5 });
      for (const program of kernel.programs) {
        expect(program.verdict, `${program.name}: kernel verdict\n${program.log}`).toBe('accepted');
        const handle = ours.program(program.name).handle;
        const verification = handle.verification;
        expect(verification?.accepted, `${program.name}: tsbpf verdict\n${handle.log}`).toBe(true);
        const kernelCount = program.processedInsns ?? 0;
        expect(kernelCount).toBeGreaterThan(0);
        expect(
          verification?.processedInsns,
          `${program.name}: processed instructions (kernel ${kernelCount})`,
        ).toBeLessThanOrEqual(Math.ceil(kernelCount * 1.2));
        expect(verification?.stackDepth, `${program.name}: stack depth per function`).toEqual(
          stackDepthLine(program.log),
        );
        compared++;
        if (verification?.processedInsns !== kernelCount) {
          countsDiffer.push(
            `${object.path}/${program.name}: ${verification?.processedInsns} (kernel ${kernelCount})`,
          );
          continue;
        }
        const known = STATS_LINE_DIFFERENCES[`${object.path}/${program.name}`];
        const kernelStats = statsLine(program.log);
        const tsbpfStats = statsLine(handle.log);
        if (known)
          expect(tsbpfStats, `${program.name} now agrees (${known}): remove it from the list`).not.toBe(
            kernelStats,
          );
        else expect(tsbpfStats, `${program.name}: statistics line`).toBe(kernelStats);
        statsCompared++;
      }
    });
  }
  oracle.it('compared every program of the corpus', () => {
    expect(compared).toBeGreaterThanOrEqual(50);
    // Every program processes as many instructions as the kernel's (so the statistics lines were compared).
    expect(countsDiffer).toEqual([]);
    expect(statsCompared).toBe(compared);
  });
});

/**
 * object/program → why tsbpf refuses at open what the kernel accepts (docs/verifier-differences.md); each must
 * still be refused, so that a fix updates the list.
 */
const TSBPF_REFUSES: Readonly<Record<string, string>> = {
  'test/progs/net/kstruct_core.o/tc_core_unmodelled':
    'a CO-RE relocation of sk_rcvbuf, a member of struct sock that src/abi/kernel-structs.ts does not list',
};

/** The load's refusal, or the program's handle. */
function loadOne(object: SubdirCorpusObject, program: string) {
  try {
    const handle = openConfigured(new Bpf({ cpus }), object)
      .load({ programs: [program], logLevel: 5 })
      .program(program).handle;
    return { handle, refusal: undefined };
  } catch (refusal) {
    return { handle: undefined, refusal };
  }
}

oracle.describe('verifier equals the kernel on the net, configured and newer-isa programs', () => {
  let accepted = 0;
  let rejected = 0;
  let libbpfRefused = 0;
  const countsDiffer: string[] = [];
  for (const object of subdirCorpusObjects()) {
    oracle.it(object.path, () => {
      const kernel = oracle.runObject(object.absolutePath, { logLevel: 5, ...object.configuration });
      expect(kernel.programs.length).toBeGreaterThan(0);
      for (const program of kernel.programs) {
        const key = `${object.path}/${program.name}`;
        const { handle, refusal } = loadOne(object, program.name);
        if (program.processedInsns === null && program.log === '') {
          // libbpf refused the object before any load (an unresolved extern, a kfunc prototype mismatch).
          expect(refusal, `${key}: libbpf refused it\n${program.libbpfLog}`).toBeInstanceOf(ObjectError);
          libbpfRefused++;
          continue;
        }
        if (TSBPF_REFUSES[key] !== undefined) {
          expect(program.verdict, `${key}: kernel verdict`).toBe('accepted');
          expect(refusal, `${key} now loads (${TSBPF_REFUSES[key]}): remove it from the list`).toBeInstanceOf(
            ObjectError,
          );
          continue;
        }
        if (program.verdict === 'rejected') {
          expect(refusal, `${key}: the kernel refuses it\n${program.log}`).toBeInstanceOf(ProgLoadError);
          const error = refusal as ProgLoadError;
          expect(errorLine(error.log).error, `${key}: error line`).toBe(errorLine(program.log).error);
          expect(error.errno, `${key}: errno`).toBe(program.errno);
          rejected++;
          continue;
        }
        expect(refusal, `${key}: the kernel accepts it`).toBeUndefined();
        const verification = handle?.verification;
        expect(verification?.accepted, `${key}: tsbpf verdict\n${handle?.log}`).toBe(true);
        const kernelCount = program.processedInsns ?? 0;
        expect(kernelCount).toBeGreaterThan(0);
        expect(
          verification?.processedInsns,
          `${key}: processed instructions (kernel ${kernelCount})`,
        ).toBeLessThanOrEqual(Math.ceil(kernelCount * 1.2));
        expect(verification?.stackDepth, `${key}: stack depth per function`).toEqual(
          stackDepthLine(program.log),
        );
        accepted++;
        if (verification?.processedInsns !== kernelCount) {
          countsDiffer.push(`${key}: ${verification?.processedInsns} (kernel ${kernelCount})`);
          continue;
        }
        expect(statsLine(handle?.log ?? ''), `${key}: statistics line`).toBe(statsLine(program.log));
      }
    });
  }
  oracle.it('compared every program of the sub-folders', () => {
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(rejected).toBeGreaterThanOrEqual(50);
    expect(libbpfRefused).toBe(2);
    // Every accepted program processes as many instructions as the kernel's.
    expect(countsDiffer).toEqual([]);
  });
});
