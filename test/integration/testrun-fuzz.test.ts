// Random packets (and random contexts) into every corpus program's test-run: a result or a refusal with an errno,
// never an exception, never a hang, and never a checked-mode fault: these programs pass the kernel's verifier.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects } from '../corpus.js';

const RUNNABLE = new Set(['socket', 'xdp', 'tc', 'classifier']);

describe('test-run on random input', () => {
  for (const object of corpusObjects()) {
    it(object.path, () => {
      const bpf = new Bpf();
      const handle = bpf.openObject(object.bytes, object.path).load();
      const programs = handle.programNames.filter((name) => RUNNABLE.has(handle.program(name).section));
      if (programs.length === 0) return;
      let results = 0;
      fc.assert(
        fc.property(
          fc.constantFrom(...programs),
          fc.uint8Array({ minLength: 0, maxLength: 1600 }),
          fc.option(fc.uint8Array({ minLength: 0, maxLength: 200 }), { nil: undefined }),
          fc.integer({ min: 1, max: 3 }),
          (name, data, ctx, repeat) => {
            const result = bpf.testRun(handle.program(name).handle.fd, {
              data,
              ...(ctx === undefined ? {} : { ctx }),
              repeat,
            });
            if (result.error !== undefined) {
              // Input refusals only: every corpus program passes the kernel's verifier, so checked mode
              // must never fault on it, whatever the packet.
              expect(result.error.fault, result.error.message).toBeUndefined();
              expect(result.error.errno).toBeGreaterThan(0);
            } else {
              expect(Number.isInteger(result.retval)).toBe(true);
            }
            results++;
          },
        ),
        { numRuns: 60, seed: 42 },
      );
      expect(results).toBe(60);
    });
  }
});
