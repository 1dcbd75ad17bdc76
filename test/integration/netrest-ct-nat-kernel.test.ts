// bpf_ct_set_nat_info against the kernel: an allocated entry gets source and/or destination NAT (with and without
// a port, a no-op, an address with bytes past the IPv4 word), is inserted and looked up from the original
// direction, from the NAT'd peer and from the un-NAT'd peer; and NAT misuse the verifier refuses.
// Every kernel run is in a fresh network namespace (its own empty conntrack table).

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const NAT = 'test/progs/net/netrest_ct_nat.o';

/** Ethernet + IPv4 (TOS picks the program's NAT set-up) + a TCP or UDP header. */
function packet(proto: 6 | 17, tos: number, src: number[], sport: number, dport: number): Uint8Array {
  const ports = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff];
  const l4 =
    proto === 6
      ? [...ports, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x10, 0, 0, 0, 0, 0]
      : [...ports, 0, 8, 0, 0];
  const total = 20 + l4.length;
  const ip = [0x45, tos, total >> 8, total & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, ...src, 203, 0, 113, 100];
  return Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...ip, ...l4]);
}

interface Outcome {
  retval: number;
  dataOut: string;
  bss: string;
}

function tsbpfRun(program: string, data: Uint8Array): Outcome {
  const bpf = new Bpf();
  const object = bpf.openObject(readFileSync(NAT), 'netrest_ct_nat.o').load({ programs: [program] });
  const run = bpf.testRun(object.program(program).handle.fd, { data });
  expect(run.error).toBeUndefined();
  const bss = bpf.mapDump(object.mapFd('netrest_.bss'))[0].value!;
  return { retval: run.retval, dataOut: bytesToHex(run.dataOut), bss: bytesToHex(bss) };
}

function kernelRun(program: string, data: Uint8Array): Outcome {
  const report = oracle.runObject(NAT, { program, data, dumpMaps: true, netns: true }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  const bss = report.maps!.find((m) => m.name?.endsWith('.bss'))!;
  return { retval: report.testRun!.retval, dataOut: report.testRun!.dataOut, bss: bss.entries![0].value };
}

const CASES: [string, Uint8Array][] = [
  ['DNAT to an address and port (TCP)', packet(6, 0, [203, 0, 113, 1], 40000, 443)],
  ['SNAT to an address, port kept (UDP)', packet(17, 1, [203, 0, 113, 2], 40001, 53)],
  ['SNAT with a port, then DNAT with a negative port (TCP)', packet(6, 2, [203, 0, 113, 3], 40002, 80)],
  ['DNAT to the address and port already there (UDP)', packet(17, 3, [203, 0, 113, 4], 40003, 123)],
  ['SNAT to the own source address (TCP)', packet(6, 4, [203, 0, 113, 5], 40004, 22)],
  ['DNAT to an address with bytes past the IPv4 word (TCP)', packet(6, 5, [203, 0, 113, 6], 40005, 25)],
  ['no NAT (UDP)', packet(17, 9, [203, 0, 113, 7], 40006, 67)],
];

oracle.describe('bpf_ct_set_nat_info equals the kernel', () => {
  for (const [name, data] of CASES) {
    oracle.it(name, () => {
      const ours = tsbpfRun('xdp_ct_nat', data);
      expect(ours).toEqual(kernelRun('xdp_ct_nat', data));
      expect(ours.retval).toBe(3); // XDP_TX: inserted and looked up
    });
  }

  for (const program of ['ct_nat_on_inserted', 'ct_nat_null_addr']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () => {
      const kernel = oracle.runObject(NAT, { program, logLevel: 1 }).programs[0];
      expect(kernel.verdict).toBe('rejected');
      let refusal: unknown;
      try {
        new Bpf()
          .openObject(readFileSync(NAT), 'netrest_ct_nat.o')
          .load({ programs: [program], logLevel: 1 });
      } catch (error) {
        refusal = error;
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
