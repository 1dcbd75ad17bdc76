// bpf_clone_redirect against the kernel: test/progs/net/netrest_clone_redirect.c clones the packet to lo (egress
// and ingress), to the ifindex and flags the packet names, and with flags the kernel refuses, in a fresh namespace
// whose lo is down (the oracle's bare --netns) or up (it opened a socket; tsbpf's `loopbackUp`), and with a GSO
// skb (gso_size in ctx_in). Retval, packet, ctx and .bss must be equal. Then misuse the verifier refuses.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal, gsoCtx, kernelRun, type RunInput, tsbpfRun } from './netrest-runs.js';

const oracle = requireOracle();
const PATH = 'test/progs/net/netrest_clone_redirect.o';

/** Ethernet (IPv4 type) + 40 bytes whose first two name the ifindex and flags of the third clone. */
function packet(ifindex: number, flags: number): Uint8Array {
  return Uint8Array.from([
    2,
    0,
    0,
    0,
    0,
    1,
    2,
    0,
    0,
    0,
    0,
    2,
    0x08,
    0x00,
    ifindex,
    flags,
    ...new Array(38).fill(7),
  ]);
}

/** lo up: declared for tsbpf; the oracle brings it up to open a socket. */
const loUp = (data: Uint8Array, ctx?: Uint8Array): RunInput => ({
  data,
  ctx,
  network: { loopbackUp: true },
  netnsSockets: ['udp:9'],
});

const CASES: [string, RunInput][] = [
  ['lo down: egress and ingress clones dropped', { data: packet(1, 0) }],
  ['lo down: the named clone to ingress', { data: packet(1, 1) }],
  ['lo up: every clone sent', loUp(packet(1, 1))],
  ['lo up: an ifindex the namespace lacks', loUp(packet(7, 0))],
  ['lo up: ifindex 0', loUp(packet(0, 0))],
  ['lo up: a flag past BPF_F_INGRESS', loUp(packet(1, 2))],
  ['a GSO skb without a GSO type', loUp(packet(1, 0), gsoCtx(1000, 2))],
];

oracle.describe('bpf_clone_redirect equals the kernel', () => {
  for (const [name, input] of CASES) {
    oracle.it(name, () => {
      expect(tsbpfRun(PATH, 'tc_clone_redirect', input)).toEqual(
        kernelRun(oracle, PATH, 'tc_clone_redirect', input),
      );
    });
  }
  for (const program of ['clone_stale_packet', 'clone_from_xdp']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () =>
      expectSameRefusal(oracle, PATH, program),
    );
  }
});
