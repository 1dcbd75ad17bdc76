// Soundness of what the verifier accepts: every corpus program it accepts runs in fast mode (no run-time checks)
// on random packets exactly as the same program in checked mode, where any access outside the memory a program
// may touch is a fault. Checked mode must never fault, and both runs must give the same result and packet.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects } from '../corpus.js';
import { mutatedPacket } from './mutated-packets.js';

const RUNNABLE = new Set(['socket', 'xdp', 'tc', 'classifier']);
const RUNS = 40;

/** A real packet with some bytes overwritten, cut or grown: most get past test-run's input checks. */
const packet = mutatedPacket(12, 60);

describe('verified programs in fast mode behave as in checked mode', () => {
  for (const object of corpusObjects()) {
    const fastBpf = new Bpf();
    const fast = fastBpf.openObject(object.bytes, object.path).load();
    const programs = fast.programNames.filter((name) => RUNNABLE.has(fast.program(name).section));
    if (programs.length === 0) continue;
    const checkedBpf = new Bpf();
    const checked = checkedBpf.openObject(object.bytes, object.path).load({ verify: false });
    it(object.path, () => {
      for (const name of programs) {
        expect(fast.program(name).handle.mode, name).toBe('fast');
        expect(checked.program(name).handle.mode, name).toBe('checked');
      }
      let ran = 0;
      fc.assert(
        fc.property(fc.constantFrom(...programs), packet, (name, data) => {
          const inFast = fastBpf.testRun(fast.program(name).handle.fd, { data });
          const inChecked = checkedBpf.testRun(checked.program(name).handle.fd, { data });
          expect(inChecked.error?.fault, inChecked.error?.message).toBeUndefined();
          expect(inFast.error?.code, name).toBe(inChecked.error?.code);
          if (inChecked.error === undefined) {
            ran++;
            expect(inFast.retval, name).toBe(inChecked.retval);
            expect(inFast.dataOut, name).toEqual(inChecked.dataOut);
          }
        }),
        { numRuns: RUNS, seed: 7 },
      );
      expect(ran, `${ran} of ${RUNS} cases ran the program`).toBeGreaterThanOrEqual(RUNS * 0.75);
    });
  }
});
