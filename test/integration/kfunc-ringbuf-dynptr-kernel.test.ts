// Ringbuf dynptrs and dynptr clones against the kernel: records reserved, filled, read back, submitted or
// discarded, packet dynptrs cloned and narrowed, by xdp and tc programs on every test-run packet (return
// value, packet, maps), and their misuse refused with the kernel's words and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal } from './same-refusal.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const LOGGER = 'test/progs/net/kfunc_ringbuf_dynptr.o';
const INVALID = 'test/progs/net/kfunc_ringbuf_dynptr_invalid.o';
const CLONE = 'test/progs/net/kfunc_dynptr_clone.o';

/** A run's result, or the errno test-run refused the input with (a packet too short for tc, ...). */
type Outcome = { errno: number } | { retval: number; dataOut: string; stats: string[] };

function tsbpfRun(file: string, program: string, data: Uint8Array): Outcome {
  const bpf = new Bpf();
  const object = bpf.openObject(readFileSync(file), file).load({ programs: [program] });
  const run = bpf.testRun(object.program(program).handle.fd, { data });
  if (run.error !== undefined) return { errno: run.error.errno };
  const stats = bpf.mapDump(object.mapFd('stats')).map((e) => bytesToHex(e.value!));
  return { retval: run.retval, dataOut: bytesToHex(run.dataOut), stats };
}

function kernelRun(file: string, program: string, data: Uint8Array): Outcome {
  const report = oracle.runObject(file, { program, data, dumpMaps: true }).programs[0];
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
  // The stats slot whose value differs between packets: the second reservation (fits or not), the IP slice.
  const runs = [
    { file: LOGGER, program: 'xdp_ringbuf_dynptr', varying: 6 },
    { file: LOGGER, program: 'tc_ringbuf_dynptr', varying: 6 },
    { file: CLONE, program: 'xdp_dynptr_clone', varying: 3 },
    { file: CLONE, program: 'tc_dynptr_clone', varying: 3 },
  ];
  for (const { file, program, varying } of runs) {
    oracle.it(`${program} on ${packets.length} packets`, () => {
      let recorded = 0;
      const seen = new Set<string>();
      for (const packet of packets) {
        const ours = tsbpfRun(file, program, packet.data);
        expect(ours, packet.name).toEqual(kernelRun(file, program, packet.data));
        if ('stats' in ours) {
          recorded++;
          seen.add(ours.stats[varying]);
        }
      }
      expect(recorded).toBeGreaterThanOrEqual(5);
      expect(seen.size).toBeGreaterThanOrEqual(2);
    });
  }

  const misuses = [
    ...['rb_dynptr_leak', 'rb_dynptr_double_submit', 'rb_dynptr_local_submit', 'rb_dynptr_overwrite'],
    ...['rb_dynptr_slice_after_submit', 'rb_dynptr_wrong_map', 'rb_dynptr_use_after_discard'],
  ].map((program) => ({ file: INVALID, program }));
  for (const program of ['clone_parent_after_submit', 'clone_uninit', 'clone_over_referenced']) {
    misuses.push({ file: CLONE, program });
  }
  for (const { file, program } of misuses) {
    oracle.it(`the verifier judges ${program} as the kernel does`, () => {
      expectSameRefusal(oracle, file, program);
    });
  }
});
