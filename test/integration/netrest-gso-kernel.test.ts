// GSO skbs against the kernel: test-run takes gso_size and gso_segs from ctx_in and gives the skb no GSO type.
// test/progs/net/netrest_gso.c asks bpf_check_mtu (over the MTU by len_diff and by mtu_len, the segment check),
// bpf_skb_adjust_room (grow, fixed-gso grow, encap, shrink, refused flags) and bpf_skb_change_proto (both ways)
// about IPv4 and IPv6 packets with and without GSO; retval, packet, ctx and .bss must equal the kernel's.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { gsoCtx, kernelRun, type RunInput, tsbpfRun } from './netrest-runs.js';

const oracle = requireOracle();
const PATH = 'test/progs/net/netrest_gso.o';

const ETH = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
const UDP = (payload: number) => [0x30, 0x39, 0, 53, 0, 8 + payload, 0, 0, ...new Array(payload).fill(0)];

/** Ethernet + IPv4 + UDP with a 100-byte payload. */
function ipv4(): Uint8Array {
  const total = 20 + 8 + 100;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  return Uint8Array.from([...ETH, 0x08, 0x00, ...ip, ...UDP(100)]);
}

/** Ethernet + IPv6 (::1 to ::2) + UDP with a 100-byte payload. */
function ipv6(): Uint8Array {
  const address = (last: number) => [...new Array(15).fill(0), last];
  const ip = [0x60, 0, 0, 0, 0, 108, 17, 64, ...address(1), ...address(2)];
  return Uint8Array.from([...ETH, 0x86, 0xdd, ...ip, ...UDP(100)]);
}

const CASES: [string, RunInput][] = [
  ['IPv4, no GSO', { data: ipv4() }],
  ['IPv6, no GSO', { data: ipv6() }],
  ['IPv4, gso_size 1000', { data: ipv4(), ctx: gsoCtx(1000, 0) }],
  ['IPv4, gso_size 100 and 3 segments', { data: ipv4(), ctx: gsoCtx(100, 3) }],
  ['IPv4, gso_segs without a gso_size (not GSO)', { data: ipv4(), ctx: gsoCtx(0, 5) }],
  ['IPv6, gso_size 1400 and 2 segments', { data: ipv6(), ctx: gsoCtx(1400, 2) }],
  ['IPv4, gso_size 20', { data: ipv4(), ctx: gsoCtx(20, 1) }],
];

oracle.describe('GSO skbs in test-run equal the kernel', () => {
  for (const [name, input] of CASES) {
    oracle.it(name, () => {
      expect(tsbpfRun(PATH, 'tc_gso', input)).toEqual(kernelRun(oracle, PATH, 'tc_gso', input));
    });
  }
});
