// The kernel's limits on BPF_PROG_TEST_RUN input, measured on Linux 6.18 and compared case by case: data
// sizes per program type (skb EINVAL outside 14..3712, xdp ENOMEM past 17 fragments), ctx_in past a page
// (E2BIG), data_size_out/ctx_size_out too small (ENOSPC with what fits), ctx_size_out 0 or an empty ctx (EINVAL).

import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { insn } from '../../src/isa/insn.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

/** r0 = 2; exit: XDP_PASS, and a socket filter keeping 2 bytes. */
const RETURN_2 = [insn(0xb7, 0, 0, 0, 2), insn(0x95, 0, 0, 0, 0)];

interface LimitCase {
  name: string;
  type: 'xdp' | 'sched_cls' | 'socket_filter';
  dataSize: number;
  ctx?: Uint8Array;
  dataSizeOut?: number;
  ctxSizeOut?: number;
  /** Compare the output bytes too: both, or data only (the kernel leaves ctx_out untouched after a data ENOSPC). */
  bytes?: boolean | 'data';
}

const xdpMd = (data: number, dataEnd: number): Uint8Array => {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data, true);
  view.setUint32(4, dataEnd, true);
  return bytes;
};

const CASES: LimitCase[] = [
  ...(['sched_cls', 'socket_filter'] as const).flatMap((type) =>
    [0, 13, 14, 3712, 3713, 100_000].map((dataSize) => ({
      name: `${type} data ${dataSize}`,
      type,
      dataSize,
    })),
  ),
  ...[0, 13, 14, 3520, 3521, 73_152, 73_153, 1_000_000].map((dataSize) => ({
    name: `xdp data ${dataSize}`,
    type: 'xdp' as const,
    dataSize,
  })),
  { name: 'xdp 32 bytes of metadata: 32 more', type: 'xdp', dataSize: 73_184, ctx: xdpMd(32, 73_184) },
  { name: 'xdp 32 bytes of metadata: past it', type: 'xdp', dataSize: 73_185, ctx: xdpMd(32, 73_185) },
  { name: 'xdp ctx of a page', type: 'xdp', dataSize: 64, ctx: concat(xdpMd(0, 64), 4096 - 24) },
  { name: 'xdp ctx past a page', type: 'xdp', dataSize: 64, ctx: concat(xdpMd(0, 64), 4097 - 24) },
  { name: 'xdp empty ctx', type: 'xdp', dataSize: 64, ctx: new Uint8Array(0) },
  { name: 'skb empty ctx', type: 'sched_cls', dataSize: 64, ctx: new Uint8Array(0) },
  { name: 'skb ctx of a page', type: 'sched_cls', dataSize: 64, ctx: new Uint8Array(4096) },
  { name: 'skb ctx past a page', type: 'sched_cls', dataSize: 64, ctx: new Uint8Array(4097) },
  ...(['xdp', 'sched_cls', 'socket_filter'] as const).flatMap((type): LimitCase[] => {
    const ctx = type === 'xdp' ? xdpMd(0, 100) : new Uint8Array(192);
    return [
      { name: `${type} data_size_out 0 (no limit)`, type, dataSize: 100, dataSizeOut: 0, bytes: true },
      { name: `${type} data_size_out 14`, type, dataSize: 100, dataSizeOut: 14, bytes: true },
      { name: `${type} data_size_out 100`, type, dataSize: 100, dataSizeOut: 100, bytes: true },
      { name: `${type} ctx_size_out 10`, type, dataSize: 100, ctx, ctxSizeOut: 10, bytes: true },
      { name: `${type} ctx_size_out 0`, type, dataSize: 100, ctx, ctxSizeOut: 0, bytes: true },
      // Both short: the kernel stops at the data and leaves ctx_out untouched.
      {
        name: `${type} both short`,
        type,
        dataSize: 100,
        ctx,
        ctxSizeOut: 10,
        dataSizeOut: 10,
        bytes: 'data',
      },
    ];
  }),
];

function concat(head: Uint8Array, zeros: number): Uint8Array {
  const bytes = new Uint8Array(head.length + zeros);
  bytes.set(head);
  return bytes;
}

/** A packet whose bytes are not all equal, so truncation shows. */
function packet(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

oracle.describe('test-run input limits, against the kernel', () => {
  for (const limit of CASES) {
    oracle.it(limit.name, () => {
      const data = packet(limit.dataSize);
      const kernel = oracle.runInsns({
        type: limit.type,
        insns: RETURN_2,
        logLevel: 0,
        data,
        ...(limit.ctx === undefined ? {} : { ctx: limit.ctx }),
        ...(limit.dataSizeOut === undefined ? {} : { dataSizeOut: limit.dataSizeOut }),
        ...(limit.ctxSizeOut === undefined ? {} : { ctxSizeOut: limit.ctxSizeOut }),
      }).testRun!;
      const bpf = new Bpf();
      const fd = bpf.progLoad({ type: limit.type, insns: RETURN_2, license: 'GPL' }).fd;
      const ours = bpf.testRun(fd, {
        data,
        ...(limit.ctx === undefined ? {} : { ctx: limit.ctx }),
        ...(limit.dataSizeOut === undefined ? {} : { dataSizeOut: limit.dataSizeOut }),
        ...(limit.ctxSizeOut === undefined ? {} : { ctxSizeOut: limit.ctxSizeOut }),
      });
      expect(ours.error?.errno ?? 0, ours.error?.message).toBe(kernel.errno);
      expect(ours.retval).toBe(kernel.retval);
      if (limit.bytes) {
        expect(bytesToHex(ours.dataOut)).toBe(kernel.dataOut);
        if (limit.bytes === true) expect(bytesToHex(ours.ctxOut)).toBe(kernel.ctxOut);
      }
    });
  }
});
