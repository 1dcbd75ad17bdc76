// bpf_ct_set_nat_info against the kernel: an allocated entry gets source and/or destination NAT (with and without
// a port, a no-op, an address with bytes past the IPv4 word), is inserted and looked up from the original
// direction, from the NAT'd peer and from the un-NAT'd peer; and NAT misuse the verifier refuses.
// Every kernel run is in a fresh network namespace (its own empty conntrack table).

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal, kernelRun, tsbpfRun } from './netrest-runs.js';

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
      const ours = tsbpfRun(NAT, 'xdp_ct_nat', { data });
      expect(ours).toEqual(kernelRun(oracle, NAT, 'xdp_ct_nat', { data }));
      expect(ours.retval).toBe(3); // XDP_TX: inserted and looked up
    });
  }
  for (const program of ['ct_nat_on_inserted', 'ct_nat_null_addr']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () =>
      expectSameRefusal(oracle, NAT, program),
    );
  }
});
