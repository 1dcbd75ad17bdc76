// bpf_xdp_pull_data (Linux 6.18 kfunc) against the kernel's test-run: multi-buffer packets whose linear part is set
// by xdp_md.data_end, pulled by lengths inside the linear part, into the fragments, past the room the page has
// (the linear part moved down over its headroom, metadata with it), past the packet, give the same return value,
// output packet, xdp_md and maps in tsbpf (interpreter and JIT) as in the kernel; and the verifier refuses a packet
// pointer checked before the pull as the kernel does.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal, expectSameVerdict } from './same-refusal.js';

const oracle = requireOracle();
const OBJECT = 'test/progs/net/kbtf_xdp_pull.o';
const PAGE = 4096;
/** The most test-run puts in the linear part: a page less its headroom and skb_shared_info. */
const LINEAR = 3520;

/** The packet: the two pull lengths, the metadata to add, then a pattern. */
function packet(length: number, first: number, second: number, meta = 0): Uint8Array {
  const bytes = new Uint8Array(length).map((_, i) => (i * 7 + 3) & 0xff);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, first, true);
  view.setUint32(4, second, true);
  view.setUint8(8, meta);
  return bytes;
}

/** An xdp_md whose data_end ends the linear part. */
function xdpMd(dataEnd: number): Uint8Array {
  const bytes = new Uint8Array(24);
  new DataView(bytes.buffer).setUint32(4, dataEnd, true);
  return bytes;
}

interface Outcome {
  errno: number;
  retval: number;
  dataOut: string;
  ctxOut: string;
  pulled: string[];
}

function tsbpfRun(data: Uint8Array, ctx: Uint8Array, engine: 'interp' | 'jit'): Outcome {
  const bpf = new Bpf();
  const object = bpf
    .openObject(readFileSync(OBJECT), 'kbtf_xdp_pull.o')
    .load({ programs: ['xdp_pull'], engine });
  const run = bpf.testRun(object.program('xdp_pull').handle.fd, { data, ctx });
  return {
    errno: run.error?.errno ?? 0,
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    ctxOut: bytesToHex(run.ctxOut),
    pulled: bpf.mapDump(object.mapFd('pulled')).map((e) => bytesToHex(e.value!)),
  };
}

function kernelRun(data: Uint8Array, ctx: Uint8Array): Outcome {
  const report = oracle.runObject(OBJECT, { program: 'xdp_pull', data, ctx, dumpMaps: true }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  return {
    errno: report.testRun!.errno,
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    ctxOut: report.testRun!.ctxOut,
    pulled: report.maps!.find((m) => m.name === 'pulled')!.entries!.map((e) => e.value),
  };
}

/** name, packet length, linear bytes, first pull, second pull, metadata bytes, the kernel's retval (2 + 16 × pulls done). */
const CASES: [string, number, number, number, number, number, number][] = [
  ['a pull inside the linear part', 5000, 1000, 500, 1000, 0, 34],
  ['into the one fragment, then more than head- and tailroom hold', 5000, 1000, 1500, 5000, 0, 18],
  ['past the packet, then more than the room', 5000, 1000, 5001, 4999, 0, 2],
  ['past the tailroom: the linear part moves down', 5000, 3000, 3600, 3700, 0, 34],
  ['past the tailroom with 32 bytes of metadata moved with it', 5000, 3000, 3650, 3720, 32, 18],
  ['from 100 linear bytes to 3700, then one byte more than the page holds', 9000, 100, 3700, 3781, 0, 18],
  ['across two fragments from 16 linear bytes', 100 + 2 * PAGE, 16, 2000, 3000, 0, 34],
  ['every byte of a packet that fits the page', 3700, 100, 3700, 3700, 0, 34],
  ['the only fragment emptied and released, 8 bytes of metadata', 1100, 100, 600, 1100, 8, 34],
  [
    'the full linear part, moved down, then past the room',
    LINEAR + 500,
    LINEAR,
    LINEAR + 100,
    LINEAR + 500,
    0,
    18,
  ],
  ['lengths already linear (0 and 9)', 3000, 9, 0, 9, 0, 34],
];

oracle.describe('bpf_xdp_pull_data: multi-buffer packets as the kernel pulls them', () => {
  for (const [name, length, linear, first, second, meta, retval] of CASES) {
    oracle.it(name, () => {
      const data = packet(length, first, second, meta);
      const ctx = xdpMd(linear);
      const kernel = kernelRun(data, ctx);
      expect(kernel.errno).toBe(0);
      expect(kernel.retval).toBe(retval);
      expect(tsbpfRun(data, ctx, 'interp')).toEqual(kernel);
      expect(tsbpfRun(data, ctx, 'jit')).toEqual(kernel);
    });
  }
});

oracle.describe('bpf_xdp_pull_data: packet pointers after the call', () => {
  oracle.it('a pointer checked before the pull is refused as the kernel refuses it', () => {
    expectSameRefusal(oracle, OBJECT, 'xdp_pull_stale');
  });
  oracle.it(
    'so is one checked before a global function that pulls, or that calls a packet-changing helper',
    () => {
      expectSameRefusal(oracle, OBJECT, 'xdp_pull_stale_global');
      expectSameRefusal(oracle, OBJECT, 'xdp_adjust_stale_global');
    },
  );
  oracle.it('a global function that does not change the packet keeps the pointer', () => {
    expect(expectSameVerdict(oracle, OBJECT, 'xdp_pointer_kept_global')).toBe('accepted');
  });
});
