// Ringbuf dynptrs against the kernel: records reserved, filled, read back, submitted or discarded by xdp and
// tc programs on every test-run packet (return value, packet, maps), and their misuse refused with the
// kernel's words and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const LOGGER = 'test/progs/net/kfunc_ringbuf_dynptr.o';
const INVALID = 'test/progs/net/kfunc_ringbuf_dynptr_invalid.o';

/** A run's result, or the errno test-run refused the input with (a packet too short for tc, ...). */
type Outcome = { errno: number } | { retval: number; dataOut: string; stats: string[] };

function tsbpfRun(program: string, data: Uint8Array): Outcome {
  const bpf = new Bpf();
  const object = bpf.openObject(readFileSync(LOGGER), 'kfunc_ringbuf_dynptr.o').load({ programs: [program] });
  const run = bpf.testRun(object.program(program).handle.fd, { data });
  if (run.error !== undefined) return { errno: run.error.errno };
  const stats = bpf.mapDump(object.mapFd('stats')).map((e) => bytesToHex(e.value!));
  return { retval: run.retval, dataOut: bytesToHex(run.dataOut), stats };
}

function kernelRun(program: string, data: Uint8Array): Outcome {
  const report = oracle.runObject(LOGGER, { program, data, dumpMaps: true }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  if (report.testRun!.errno !== 0) return { errno: report.testRun!.errno };
  const stats = report.maps!.find((m) => m.name === 'stats')!;
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    stats: (stats.entries ?? []).map((e) => e.value),
  };
}

oracle.describe('ringbuf dynptrs equal the kernel', () => {
  const packets = testPackets();
  for (const program of ['xdp_ringbuf_dynptr', 'tc_ringbuf_dynptr']) {
    oracle.it(`${program} on ${packets.length} packets`, () => {
      let recorded = 0;
      const reserveResults = new Set<string>();
      for (const packet of packets) {
        const ours = tsbpfRun(program, packet.data);
        expect(ours, packet.name).toEqual(kernelRun(program, packet.data));
        if ('stats' in ours) {
          recorded++;
          reserveResults.add(ours.stats[6]);
        }
      }
      expect(recorded).toBeGreaterThanOrEqual(5);
      // Both a record that fits and one too big for the ring were reserved.
      expect(reserveResults.size).toBeGreaterThanOrEqual(2);
    });
  }

  const programs = [
    ...['rb_dynptr_leak', 'rb_dynptr_double_submit', 'rb_dynptr_local_submit', 'rb_dynptr_overwrite'],
    ...['rb_dynptr_slice_after_submit', 'rb_dynptr_wrong_map', 'rb_dynptr_use_after_discard'],
  ];
  for (const program of programs) {
    oracle.it(`the verifier judges ${program} as the kernel does`, () => {
      const kernel = oracle.runObject(INVALID, { program, logLevel: 1 }).programs[0];
      let refusal: unknown;
      try {
        new Bpf()
          .openObject(readFileSync(INVALID), 'kfunc_ringbuf_dynptr_invalid.o')
          .load({ programs: [program], logLevel: 1 });
      } catch (error) {
        refusal = error;
      }
      if (kernel.verdict === 'accepted') {
        expect(refusal).toBeUndefined();
        return;
      }
      expect(refusal).toBeInstanceOf(ProgLoadError);
      const ours = refusal as ProgLoadError;
      expect({ ...errorLine(ours.log), errno: ours.errno }).toEqual({
        ...errorLine(kernel.log),
        errno: kernel.errno,
      });
    });
  }
});
