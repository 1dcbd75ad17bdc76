// The verifier on every program of the corpus (test/progs and the linked test/link/all.o) against the kernel:
// same verdict, processed instructions within 1.2× of the kernel's, the same stack depth per function, and where
// both processed as many instructions, the same statistics line (states counted as the kernel counts them).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

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
        if (verification?.processedInsns !== kernelCount) continue;
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
    expect(statsCompared).toBeGreaterThanOrEqual(40);
  });
});
