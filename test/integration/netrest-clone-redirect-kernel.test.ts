// bpf_clone_redirect against the kernel: test/progs/net/netrest_clone_redirect.c clones the packet to lo (egress
// and ingress), to the ifindex and flags the packet names, and with flags the kernel refuses, in a fresh namespace
// whose lo is down (the oracle's bare --netns) or up (it opened a socket; tsbpf's `loopbackUp`), and with a GSO
// skb (gso_size in ctx_in). Retval, packet, ctx and .bss must be equal. Then misuse the verifier refuses.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { fieldOffset, SK_BUFF_FIELDS } from '../../src/abi/context-structs.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

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

/** A __sk_buff for ctx_in with only gso_size (and gso_segs) set. */
function gsoCtx(size: number, segs: number): Uint8Array {
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_size'), size, true);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_segs'), segs, true);
  return ctx;
}

interface Case {
  readonly name: string;
  readonly data: Uint8Array;
  readonly loUp: boolean;
  readonly ctx?: Uint8Array;
}

const CASES: Case[] = [
  { name: 'lo down: egress and ingress clones dropped', data: packet(1, 0), loUp: false },
  { name: 'lo down: the named clone to ingress', data: packet(1, 1), loUp: false },
  { name: 'lo up: every clone sent', data: packet(1, 1), loUp: true },
  { name: 'lo up: an ifindex the namespace lacks', data: packet(7, 0), loUp: true },
  { name: 'lo up: ifindex 0', data: packet(0, 0), loUp: true },
  { name: 'lo up: a flag past BPF_F_INGRESS', data: packet(1, 2), loUp: true },
  { name: 'a GSO skb without a GSO type', data: packet(1, 0), loUp: true, ctx: gsoCtx(1000, 2) },
];

interface Outcome {
  retval: number;
  dataOut: string;
  ctxOut: string;
  bss: string;
}

function tsbpfRun(c: Case): Outcome {
  const bpf = new Bpf({ network: { loopbackUp: c.loUp } });
  const object = bpf
    .openObject(readFileSync(PATH), 'netrest_clone_redirect.o')
    .load({ programs: ['tc_clone_redirect'] });
  const run = bpf.testRun(object.program('tc_clone_redirect').handle.fd, { data: c.data, ctx: c.ctx });
  expect(run.error).toBeUndefined();
  return {
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    ctxOut: run.ctxOut === undefined ? '' : bytesToHex(run.ctxOut),
    bss: bytesToHex(bpf.mapDump(object.mapFd('netrest_.bss'))[0].value!),
  };
}

function kernelRun(c: Case): Outcome {
  const report = oracle.runObject(PATH, {
    program: 'tc_clone_redirect',
    data: c.data,
    ctx: c.ctx,
    dumpMaps: true,
    netns: true,
    // Opening a socket brings lo up first.
    netnsSockets: c.loUp ? ['udp:9'] : [],
  }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  expect(report.testRun!.errno).toBe(0);
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    ctxOut: c.ctx === undefined ? '' : report.testRun!.ctxOut,
    bss: report.maps!.find((m) => m.name?.endsWith('.bss'))!.entries![0].value,
  };
}

oracle.describe('bpf_clone_redirect equals the kernel', () => {
  for (const c of CASES) {
    oracle.it(c.name, () => {
      expect(tsbpfRun(c)).toEqual(kernelRun(c));
    });
  }

  for (const program of ['clone_stale_packet', 'clone_from_xdp']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () => {
      const kernel = oracle.runObject(PATH, { program, logLevel: 1 }).programs[0];
      expect(kernel.verdict).toBe('rejected');
      let refusal: unknown;
      try {
        new Bpf()
          .openObject(readFileSync(PATH), 'netrest_clone_redirect.o')
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
