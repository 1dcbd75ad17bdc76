// Random packets (and random contexts) into every corpus program's test-run: a result or a refusal with an errno,
// never an exception, never a hang, and never a checked-mode fault: these programs pass the kernel's verifier.
// Packets are real ones mutated (bytes flipped, cut, grown) or random bytes of any size up to 1600, and most of
// them must get past test-run's input checks and run the program: the test counts them and asserts a floor.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects } from '../corpus.js';
import { ETHERNET_PACKETS, mutatedPacket } from './mutated-packets.js';

const RUNNABLE = new Set(['socket', 'xdp', 'tc', 'classifier']);
const RUNS = 60;
/** At least this share of the generated cases must run the program, not stop at an input refusal. */
const RAN_FLOOR = 0.75;

const PACKETS = ETHERNET_PACKETS;

/** A real packet with a few bytes overwritten and its length changed a little (cut or grown with random bytes). */
const mutated = mutatedPacket(8, 40);

/** Random bytes whose length spans 0..1600 (fast-check's default size would stop at 10). */
const randomPacket = fc.uint8Array({ minLength: 0, maxLength: 1600, size: 'max' });

/**
 * A context test-run accepts most of the time: xdp_md with data_end at the packet's end, or a __sk_buff with
 * only the fields test-run takes (mark, priority, cb) set; now and then raw random bytes, which it refuses.
 */
function contextFor(section: string, data: Uint8Array, values: number[], raw: Uint8Array | undefined) {
  if (raw !== undefined) return raw;
  if (section === 'xdp') {
    const ctx = new Uint8Array(24);
    new DataView(ctx.buffer).setUint32(4, data.length, true);
    return ctx;
  }
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(8, values[0], true); // mark
  view.setUint32(32, values[1], true); // priority
  for (let i = 0; i < 5; i++) view.setUint32(48 + 4 * i, values[2 + i] ?? 0, true); // cb[5]
  return ctx;
}

describe('test-run on random input', () => {
  for (const object of corpusObjects()) {
    const bpf = new Bpf();
    const handle = bpf.openObject(object.bytes, object.path).load();
    const programs = handle.programNames.filter((name) => RUNNABLE.has(handle.program(name).section));
    if (programs.length === 0) {
      it(`${object.path}: its programs have no test run and are refused (ENOTSUPP)`, () => {
        for (const name of handle.programNames) {
          const result = bpf.testRun(handle.program(name).handle.fd, { data: PACKETS[0] });
          expect(result.error?.code, name).toBe('ENOTSUPP');
        }
      });
      continue;
    }
    it(object.path, () => {
      let cases = 0;
      let ran = 0;
      fc.assert(
        fc.property(
          fc.constantFrom(...programs),
          fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: randomPacket, weight: 1 }),
          fc.option(
            fc.record({
              values: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
              raw: fc.option(fc.uint8Array({ minLength: 0, maxLength: 200, size: 'max' }), {
                nil: undefined,
                freq: 1,
              }),
            }),
            { nil: undefined, freq: 2 },
          ),
          fc.integer({ min: 1, max: 3 }),
          (name, data, ctxSpec, repeat) => {
            const section = handle.program(name).section;
            const ctx =
              ctxSpec === undefined ? undefined : contextFor(section, data, ctxSpec.values, ctxSpec.raw);
            const result = bpf.testRun(handle.program(name).handle.fd, {
              data,
              ...(ctx === undefined ? {} : { ctx }),
              repeat,
            });
            cases++;
            if (result.error !== undefined) {
              // Input refusals only: every corpus program passes the kernel's verifier, so checked mode
              // must never fault on it, whatever the packet.
              expect(result.error.fault, result.error.message).toBeUndefined();
              expect(result.error.errno).toBeGreaterThan(0);
            } else {
              expect(Number.isInteger(result.retval)).toBe(true);
              ran++;
            }
          },
        ),
        { numRuns: RUNS, seed: 42 },
      );
      expect(cases).toBe(RUNS);
      expect(ran, `${ran} of ${RUNS} cases ran the program`).toBeGreaterThanOrEqual(RUNS * RAN_FLOOR);
    });
  }
});
