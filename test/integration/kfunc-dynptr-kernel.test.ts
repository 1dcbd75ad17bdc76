// The dynptr kfuncs and their verifier rules against the kernel: a dynptr-based parser (xdp and tc) on every
// test-run packet (return value, packet, maps), and dynptr misuse refused with the kernel's words and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameVerdict } from './same-refusal.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const PARSER = 'test/progs/net/kfunc_dynptr.o';
const INVALID = 'test/progs/net/kfunc_dynptr_invalid.o';

/** A run's result, or the errno test-run refused the input with (a packet too short for tc, ...). */
type Outcome = { errno: number } | RunOutcome;

interface RunOutcome {
  retval: number;
  dataOut: string;
  maps: { name: string; entries: { key: string; value: string }[] }[];
}

function tsbpfRun(program: string, data: Uint8Array, path = PARSER): Outcome {
  const bpf = new Bpf();
  const object = bpf.openObject(readFileSync(path), path).load({ programs: [program] });
  const run = bpf.testRun(object.program(program).handle.fd, { data });
  if (run.error !== undefined) return { errno: run.error.errno };
  return {
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    maps: object.mapNames.map((name) => ({
      name,
      entries: bpf
        .mapDump(object.mapFd(name))
        .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value!) })),
    })),
  };
}

function kernelRun(program: string, data: Uint8Array, path = PARSER): Outcome {
  const report = oracle.runObject(path, { program, data, dumpMaps: true }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  if (report.testRun!.errno !== 0) return { errno: report.testRun!.errno };
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    maps: report.maps!.map((m) => ({
      name: m.name ?? '',
      entries: (m.entries ?? []).map((e) => ({ key: e.key, value: e.value })),
    })),
  };
}

oracle.describe('dynptr kfuncs equal the kernel', () => {
  const packets = testPackets();
  for (const program of ['xdp_dynptr_parse', 'tc_dynptr_parse', 'xdp_dynptr_rewrite', 'tc_dynptr_rewrite']) {
    oracle.it(`${program} on ${packets.length} packets`, () => {
      let parsed = 0;
      for (const packet of packets) {
        const ours = tsbpfRun(program, packet.data);
        expect(ours, packet.name).toEqual(kernelRun(program, packet.data));
        const done = program.startsWith('xdp') ? [2, 3] : [0];
        if ('retval' in ours && done.includes(ours.retval)) parsed++;
      }
      // Most packets get through (the rest: too short for the parse or for test-run, ...).
      expect(parsed).toBeGreaterThanOrEqual(10);
    });
  }

  const programs = [
    ...['dynptr_slice_maybe_null', 'dynptr_slice_past_end', 'dynptr_slice_write', 'dynptr_uninit'],
    ...['dynptr_read_bytes', 'dynptr_overwritten', 'dynptr_slice_variable_size', 'dynptr_slice_rdwr'],
  ];
  for (const program of programs) {
    oracle.it(`the verifier judges ${program} as the kernel does`, () => {
      expectSameVerdict(oracle, INVALID, program);
    });
  }
});

oracle.describe('an skb dynptr after its packet shrank equals the kernel', () => {
  const SHRINK = 'test/progs/net/kfunc_dynptr_shrink.o';
  const program = 'tc_dynptr_shrink';
  oracle.it(`${program} on every test packet`, () => {
    let shrunk = 0;
    for (const packet of testPackets()) {
      const ours = tsbpfRun(program, packet.data, SHRINK);
      expect(ours, packet.name).toEqual(kernelRun(program, packet.data, SHRINK));
      if ('retval' in ours && ours.retval === 0) shrunk++;
    }
    expect(shrunk).toBeGreaterThanOrEqual(5);
  });
});
