// Differential fuzz: random multi-function programs (random-programs.ts) loaded by the kernel and by tsbpf;
// the verdicts must agree, and tsbpf must never accept what the kernel refuses.
// TSBPF_FUZZ_SEED and TSBPF_FUZZ_COUNT override the fixed seed and count for local hunting.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { type CaseOutcome, formatCase, kernelOutcome, loadInTsbpf, oracleOptions } from './cases.js';
import { type RandomProgram, programSeed, randomProgram } from './random-programs.js';

const oracle = requireOracle();

const SEED = Number(process.env['TSBPF_FUZZ_SEED'] ?? 20261204);
const COUNT = Number(process.env['TSBPF_FUZZ_COUNT'] ?? 3000);
/** Programs per oracle process: bounds the memory of one batch's output. */
const BATCH = 500;

interface Disagreement {
  program: RandomProgram;
  kernel: CaseOutcome;
  tsbpf: CaseOutcome;
}

/** The last lines of a verifier log, enough to see where and why it stopped. */
function tail(log: string, lines = 6): string {
  return log
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}

function describeDisagreement({ program, kernel, tsbpf }: Disagreement): string {
  const verdict = (o: CaseOutcome) =>
    o.expect === 'accept' ? 'accept' : `reject at insn ${o.insn} (${o.errno}): ${o.error}`;
  return [
    `--- ${program.case.name} (mistakes: ${program.features.mistakes.join(', ') || 'none'})`,
    `kernel: ${verdict(kernel)}`,
    tail(kernel.log),
    `tsbpf:  ${verdict(tsbpf)}`,
    tail(tsbpf.log),
    formatCase(program.case),
  ].join('\n');
}

oracle.describe('differential fuzz of the verifier against the kernel', () => {
  oracle.it(
    `${COUNT} random programs from seed ${SEED}: same verdicts`,
    () => {
      const programs = Array.from({ length: COUNT }, (_, i) => randomProgram(programSeed(SEED, i)));
      const kernel: CaseOutcome[] = [];
      for (let start = 0; start < programs.length; start += BATCH) {
        const batch = programs.slice(start, start + BATCH).map((p) => oracleOptions(p.case));
        kernel.push(...oracle.runInsnsBatch(batch).map(kernelOutcome));
      }
      const unsound: Disagreement[] = [];
      const stricter: Disagreement[] = [];
      const otherError: Disagreement[] = [];
      let accepted = 0;
      for (let i = 0; i < programs.length; i++) {
        const tsbpf = loadInTsbpf(programs[i].case);
        const k = kernel[i];
        if (k.expect === 'accept') accepted++;
        const entry = { program: programs[i], kernel: k, tsbpf };
        if (k.expect === 'reject' && tsbpf.expect === 'accept') unsound.push(entry);
        else if (k.expect === 'accept' && tsbpf.expect === 'reject') stricter.push(entry);
        else if (
          k.expect === 'reject' &&
          (k.error !== tsbpf.error || k.insn !== tsbpf.insn || k.errno !== tsbpf.errno)
        )
          otherError.push(entry);
      }

      const count = (pred: (p: RandomProgram) => boolean) => programs.filter(pred).length;
      const floors = {
        accepted,
        refused: programs.length - accepted,
        threeOrMoreFunctions: count((p) => p.features.functions >= 3),
        callChainOfThree: count((p) => p.features.callDepth >= 3),
        stackPointerPassed: count((p) => p.features.stackPointerPassed),
        mapLookup: count((p) => p.features.mapLookup),
        packetAccess: count((p) => p.features.packetAccess),
        loop: count((p) => p.features.loop),
      };
      console.log(
        `fuzz seed ${SEED}: ${programs.length} programs, ${JSON.stringify(floors)}; ` +
          `tsbpf accepts ${unsound.length} the kernel refuses, refuses ${stricter.length} it accepts, ` +
          `${otherError.length} refused with another error`,
      );

      // the worst disagreement first: tsbpf would let through what the kernel refuses
      expect(unsound.map(describeDisagreement).join('\n'), 'tsbpf accepts programs the kernel refuses').toBe(
        '',
      );
      expect(stricter.map(describeDisagreement).join('\n'), 'tsbpf refuses programs the kernel accepts').toBe(
        '',
      );
      expect(
        otherError.map(describeDisagreement).join('\n'),
        'both refuse, but not with the same error',
      ).toBe('');

      // the generator reaches the code: each shape in a fair share of the programs
      const share = (n: number) => n / programs.length;
      expect(share(floors.accepted)).toBeGreaterThanOrEqual(0.5);
      expect(share(floors.refused)).toBeGreaterThanOrEqual(0.2);
      expect(share(floors.threeOrMoreFunctions)).toBeGreaterThanOrEqual(0.4);
      expect(share(floors.callChainOfThree)).toBeGreaterThanOrEqual(0.2);
      expect(share(floors.stackPointerPassed)).toBeGreaterThanOrEqual(0.4);
      expect(share(floors.mapLookup)).toBeGreaterThanOrEqual(0.3);
      expect(share(floors.packetAccess)).toBeGreaterThanOrEqual(0.3);
      expect(share(floors.loop)).toBeGreaterThanOrEqual(0.3);
    },
    180_000,
  );
});
