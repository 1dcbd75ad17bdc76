// Multi-buffer xdp (xdp.frags) against the kernel's test-run: packets split into a linear part and page-sized
// fragments, then grown and shrunk with bpf_xdp_adjust_tail (and moved with bpf_xdp_adjust_head) give the same
// return value, output packet and maps in tsbpf (interpreter and JIT) as in the kernel.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const OBJECT = 'test/progs/net/xdpfrags_adjust.o';
const PROGRAM = 'xdp_frags_adjust';
const PAGE = 4096;
const BPF_F_XDP_HAS_FRAGS = 1 << 5;
const RETURN_PASS = assembleInsns('r0 = 2\nexit');
/** The linear part test-run fills first: a page less its headroom and skb_shared_info. */
const LINEAR = 3520;
/** MAX_SKB_FRAGS (17) whole pages past the linear part. */
const LARGEST = LINEAR + 17 * PAGE;

/** A step of the program: adjust_tail by an amount, adjust_head by an amount, or adjust_tail to a total length. */
type Step = ['tail' | 'head' | 'to', number];
const KIND = { tail: 1, head: 2, to: 3 } as const;

/** The packet: the steps in its first 16 bytes (u8 kind, u8 0, s16 amount each), then a pattern. */
function packet(length: number, steps: readonly Step[]): Uint8Array {
  const bytes = new Uint8Array(length).map((_, i) => (i * 13 + 5) & 0xff);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4 && length >= 16; i++) {
    const [kind, amount] = steps[i] ?? ['tail', 0];
    view.setUint8(i * 4, steps[i] === undefined ? 0 : KIND[kind]);
    view.setUint8(i * 4 + 1, 0);
    view.setInt16(i * 4 + 2, amount, true);
  }
  return bytes;
}

/** Bytes in the last fragment of a packet of `length` (0 when it has none). */
function lastFragment(length: number): number {
  return length <= LINEAR ? 0 : ((length - LINEAR - 1) % PAGE) + 1;
}

const SIZES: [string, number][] = [
  ['linear, 200 bytes', 200],
  ['one byte past the linear part', LINEAR + 1],
  ['one partly filled fragment', 5000],
  ['one whole fragment', LINEAR + PAGE],
  ['four fragments, the last of 100 bytes', LINEAR + 3 * PAGE + 100],
  ['the largest, 17 whole fragments', LARGEST],
];

const STEPS: [string, (length: number) => Step[]][] = [
  [
    'grow, shrink, shrink into the first fragment, grow',
    () => [
      ['tail', 100],
      ['tail', -200],
      ['to', LINEAR + 10],
      ['tail', 50],
    ],
  ],
  [
    'grow by a page, by one byte, shrink by one, by 0',
    () => [
      ['tail', PAGE],
      ['tail', 1],
      ['tail', -1],
      ['tail', 0],
    ],
  ],
  [
    'fill the last page, then one byte more',
    (n) => [
      ['tail', PAGE - lastFragment(n)],
      ['tail', 1],
      ['tail', -PAGE],
      ['tail', 1],
    ],
  ],
  [
    'shrink into the linear part, then grow it',
    () => [
      ['to', 100],
      ['tail', 100],
      ['tail', 3000],
      ['to', 14],
    ],
  ],
  [
    'shrink below an Ethernet header, move the head, shrink a page',
    () => [
      ['to', 13],
      ['head', 20],
      ['tail', -PAGE],
      ['head', -20],
    ],
  ],
  [
    'release the last fragment, grow, shrink to the linear part, grow',
    (n) => [
      ['tail', -lastFragment(n) || -1],
      ['tail', 10],
      ['to', LINEAR],
      ['tail', 1],
    ],
  ],
];

interface Outcome {
  /** 0, or the errno the test run was refused with. */
  errno: number;
  retval: number;
  dataOut: string;
  ctxOut: string;
  seen: { key: string; value: string }[];
}

/** An xdp_md of `metaLength` bytes of metadata whose data_end ends the linear part. */
function xdpMd(metaLength: number, dataEnd: number): Uint8Array {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, metaLength, true);
  view.setUint32(4, dataEnd, true);
  return bytes;
}

function tsbpfRun(data: Uint8Array, engine: 'interp' | 'jit', ctx?: Uint8Array, repeat = 1): Outcome {
  const bpf = new Bpf();
  const object = bpf
    .openObject(readFileSync(OBJECT), 'xdpfrags_adjust.o')
    .load({ programs: [PROGRAM], engine });
  const run = bpf.testRun(object.program(PROGRAM).handle.fd, {
    data,
    repeat,
    ...(ctx === undefined ? {} : { ctx }),
  });
  return {
    errno: run.error?.errno ?? 0,
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    ctxOut: bytesToHex(run.ctxOut),
    seen: bpf
      .mapDump(object.mapFd('seen'))
      .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value!) })),
  };
}

function kernelRun(data: Uint8Array, ctx?: Uint8Array, repeat = 1): Outcome {
  const report = oracle.runObject(OBJECT, {
    program: PROGRAM,
    data,
    repeat,
    dumpMaps: true,
    ...(ctx === undefined ? {} : { ctx }),
  }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  const seen = report.maps!.find((m) => m.name === 'seen');
  return {
    errno: report.testRun!.errno,
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    ctxOut: report.testRun!.ctxOut,
    seen: (seen?.entries ?? []).map((e) => ({ key: e.key, value: e.value })),
  };
}

oracle.describe('multi-buffer xdp: adjust_tail and adjust_head as the kernel does them', () => {
  for (const [sizeName, length] of SIZES) {
    for (const [stepsName, steps] of STEPS) {
      oracle.it(`${sizeName}: ${stepsName}`, () => {
        const data = packet(length, steps(length));
        const kernel = kernelRun(data);
        expect(kernel.errno).toBe(0);
        expect(tsbpfRun(data, 'interp')).toEqual(kernel);
        expect(tsbpfRun(data, 'jit')).toEqual(kernel);
      });
    }
  }
});

// 5000 bytes: 3520 linear, one fragment of 1480. A short data_out cuts the linear part, not the end; shorter
// than the fragments, nothing is copied (not even the return value).
oracle.describe('multi-buffer xdp: a data_out too small for the packet', () => {
  for (const room of [4999, 4000, 3530, 1480, 1479, 100]) {
    oracle.it(`data_size_out ${room} for 5000 bytes`, () => {
      const data = packet(5000, []);
      const kernel = oracle.runInsns({
        type: 'xdp',
        insns: RETURN_PASS,
        license: 'GPL',
        data,
        progFlags: BPF_F_XDP_HAS_FRAGS,
        dataSizeOut: room,
        logLevel: 0,
      }).testRun!;
      const bpf = new Bpf();
      const fd = bpf.progLoad({ type: 'xdp', insns: RETURN_PASS, license: 'GPL' }).fd;
      const ours = bpf.testRun(fd, { data, dataSizeOut: room });
      expect(ours.error?.code).toBe('ENOSPC');
      expect(kernel.errno).toBe(28);
      expect(ours.retval).toBe(kernel.retval);
      // Where nothing is copied the kernel leaves the caller's buffer as it was: no bytes to compare.
      if (room >= 1480) expect(bytesToHex(ours.dataOut)).toBe(kernel.dataOut);
      else expect(ours.dataOut.length).toBe(0);
    });
  }
});

// Linux 6.18: an xdp_md whose data_end is below the data size says where the linear part ends (metadata included).
oracle.describe('multi-buffer xdp: the linear part set by xdp_md.data_end', () => {
  const steps: Step[] = [
    ['tail', 90],
    ['tail', -200],
    ['to', 1010],
    ['tail', 50],
  ];
  for (const [name, length, metaLength, dataEnd] of [
    ['1000 linear bytes of 5000 (the fragment of 4000 has 96 bytes of room)', 5000, 0, 1000],
    ['16 linear bytes of 5000', 5000, 0, 16],
    ['14 linear bytes of 5000 (too few for the steps: aborted)', 5000, 0, 14],
    ['no linear bytes of 100', 100, 0, 0],
    ['32 bytes of metadata and 968 linear bytes of 5000', 5000, 32, 1000],
    ['a data_end past the linear room: 3520 linear bytes', 5000, 0, 4000],
    ['100 linear bytes and 17 whole fragments', 100 + 17 * PAGE, 0, 100],
  ] as const) {
    oracle.it(name, () => {
      const data = packet(length, steps);
      const ctx = xdpMd(metaLength, dataEnd);
      const kernel = kernelRun(data, ctx);
      expect(kernel.errno).toBe(0);
      expect(tsbpfRun(data, 'interp', ctx)).toEqual(kernel);
      expect(tsbpfRun(data, 'jit', ctx)).toEqual(kernel);
    });
  }
});

oracle.describe('multi-buffer xdp: test-run refusals', () => {
  for (const [name, length, ctx] of [
    ['one byte past 17 whole fragments', LARGEST + 1, undefined],
    ['100 linear bytes and one byte past 17 fragments', 100 + 17 * PAGE + 1, xdpMd(0, 100)],
    ['a data_end past the data', 100, xdpMd(0, 101)],
    ['shorter than an Ethernet header', 13, xdpMd(0, 13)],
  ] as const) {
    oracle.it(name, () => {
      const data = packet(length, []);
      const kernel = oracle.runInsns({
        type: 'xdp',
        insns: RETURN_PASS,
        license: 'GPL',
        data,
        progFlags: BPF_F_XDP_HAS_FRAGS,
        logLevel: 0,
        ...(ctx === undefined ? {} : { ctx }),
      }).testRun!;
      const bpf = new Bpf();
      const fd = bpf.progLoad({ type: 'xdp', insns: RETURN_PASS, license: 'GPL' }).fd;
      const ours = bpf.testRun(fd, { data, ...(ctx === undefined ? {} : { ctx }) });
      expect(kernel.errno).not.toBe(0);
      expect(ours.error?.errno).toBe(kernel.errno);
    });
  }
});

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(fc.constant('tail' as const), fc.integer({ min: -PAGE - 200, max: PAGE + 10 })),
  fc.tuple(fc.constant('tail' as const), fc.integer({ min: -64, max: 64 })),
  fc.tuple(fc.constant('head' as const), fc.integer({ min: -48, max: 48 })),
  fc.tuple(fc.constant('to' as const), fc.integer({ min: 0, max: 0x7fff })),
);

oracle.describe('multi-buffer xdp: random packets and steps', () => {
  oracle.it('retval, data_out, ctx_out and maps agree', () => {
    const cases = fc.sample(
      fc.record({
        length: fc.oneof(fc.integer({ min: 16, max: 3 * PAGE }), fc.integer({ min: 16, max: LARGEST })),
        linearEnd: fc.option(fc.integer({ min: 16, max: LINEAR + 64 }), { nil: undefined }),
        steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 4, size: 'max' }),
      }),
      { numRuns: 60, seed: 7 },
    );
    let refused = 0;
    let adjusted = 0;
    let fragmented = 0;
    for (const c of cases) {
      const data = packet(c.length, c.steps);
      const ctx = c.linearEnd === undefined ? undefined : xdpMd(0, Math.min(c.linearEnd, c.length));
      const kernel = kernelRun(data, ctx);
      expect(tsbpfRun(data, 'interp', ctx), JSON.stringify(c)).toEqual(kernel);
      // The return value counts the steps that succeeded (above XDP_PASS in steps of 16).
      if (kernel.errno !== 0) refused++;
      if (kernel.retval >= 16) adjusted++;
      if (kernel.errno === 0 && c.length > Math.min(c.linearEnd ?? LINEAR, LINEAR)) fragmented++;
    }
    expect(adjusted).toBeGreaterThan(30);
    expect(fragmented).toBeGreaterThan(30);
    // Some are refused (more than 17 fragments after a short linear part): those compare their errno.
    expect(refused).toBeLessThan(20);
  });
});

// Test-run runs the program `repeat` times on one packet: each run shrinks what the previous one left.
oracle.describe('multi-buffer xdp: repeated runs', () => {
  for (const [name, steps] of [
    ['three runs each shrinking by 1000 bytes (fragments, then the linear part)', [['tail', -1000]]],
    ['three runs each growing by 1200 bytes (the third finds the last page full)', [['tail', 1200]]],
  ] as [string, Step[]][]) {
    oracle.it(name, () => {
      const data = packet(5000, steps);
      const kernel = kernelRun(data, undefined, 3);
      expect(kernel.errno).toBe(0);
      expect(tsbpfRun(data, 'interp', undefined, 3)).toEqual(kernel);
      expect(tsbpfRun(data, 'jit', undefined, 3)).toEqual(kernel);
    });
  }
});

// An xdp dynptr keeps the size it was made with: after adjust_tail, reads and writes past the packet's new end
// are refused (-EINVAL when the packet shrank, -E2BIG past the dynptr when it grew).
oracle.describe('multi-buffer xdp: a dynptr made before adjust_tail', () => {
  const DYNPTR = 'test/progs/net/xdpfrags_dynptr.o';
  for (const [length, amount] of [
    [5000, -1000],
    [5000, -100],
    [5000, 200],
    [5000, -4000],
    [200, -50],
    [LINEAR + 2 * PAGE, -PAGE],
  ]) {
    oracle.it(`${length} bytes, adjusted by ${amount}`, () => {
      const data = packet(length, []);
      new DataView(data.buffer).setInt16(0, amount, true);
      const report = oracle.runObject(DYNPTR, { program: 'xdp_frags_dynptr', data, dumpMaps: true })
        .programs[0];
      expect(report.verdict, report.log).toBe('accepted');
      expect(report.testRun!.errno).toBe(0);
      const bpf = new Bpf();
      const object = bpf
        .openObject(readFileSync(DYNPTR), 'xdpfrags_dynptr.o')
        .load({ programs: ['xdp_frags_dynptr'] });
      const run = bpf.testRun(object.program('xdp_frags_dynptr').handle.fd, { data });
      expect(run.error).toBeUndefined();
      expect({
        retval: run.retval,
        dataOut: bytesToHex(run.dataOut),
        results: bpf.mapDump(object.mapFd('results')).map((e) => bytesToHex(e.value!)),
      }).toEqual({
        retval: report.testRun!.retval,
        dataOut: report.testRun!.dataOut,
        results: report.maps![0].entries!.map((e) => e.value),
      });
    });
  }
});
