import { describe, expect, it } from 'vitest';
import { ERRNO } from '../abi/errno.js';
import { buildExecutable } from './executable.js';
import { KERNEL_HELPERS } from './helpers/index.js';
import type { PacketState } from './context/packet.js';
import { type Engine, type EngineRun, RuntimeFault } from './runtime.js';
import { testRun } from './test-run.js';
import { Vm } from './vm.js';

const EXIT = { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 };
const program = (type: string) => buildExecutable([EXIT], { type, name: 'p' });

/** A stand-in engine: a JS body that plays the program once per repeat, with the run it was given. */
function engine(body: (run: EngineRun, vm: Vm) => bigint): { engine: Engine; runs: EngineRun[] } {
  const runs: EngineRun[] = [];
  return {
    runs,
    engine: {
      name: 'interp',
      prepare: (_program, vm) => ({
        run: (run, repeat = 1) => {
          let r0 = 0n;
          for (let i = 0; i < repeat; i++) {
            runs.push(run);
            r0 = body(run, vm as Vm);
          }
          return r0;
        },
        release: () => {},
      }),
    },
  };
}

const ipv4Frame = (length = 60): Uint8Array => {
  const frame = Uint8Array.from({ length }, (_, i) => i);
  frame.set([0, 0, 0, 0, 0, 0], 0);
  frame.set([0x08, 0x00], 12);
  return frame;
};

describe('skb test runs', () => {
  it('socket filters see the packet after the Ethernet header; data_out has it zeroed', () => {
    const vm = new Vm();
    const { engine: e, runs } = engine((run, v) => {
      const ctx = run.ctx;
      // len, protocol (as stored: big-endian), pkt_type, ifindex
      return BigInt(v.memory.readU32(ctx) | (v.memory.readU32(ctx + 16) << 16));
    });
    const result = testRun(e, program('socket_filter'), vm, KERNEL_HELPERS, { data: ipv4Frame() });
    expect(result.error).toBeUndefined();
    expect(result.retval).toBe(46 | (0x0008 << 16));
    expect([...result.dataOut.subarray(0, 14)]).toEqual(new Array(14).fill(0));
    expect([...result.dataOut.subarray(14)]).toEqual([...ipv4Frame().subarray(14)]);
    expect((runs[0].packet as PacketState).length).toBe(46);
    expect(vm.memory.stats().allocatedBytes).toBe(0);
  });

  it('tc programs see the Ethernet header, write mark/cb back to ctx_out, and repeat on one state', () => {
    const vm = new Vm();
    let runs = 0;
    const { engine: e } = engine((run, v) => {
      runs++;
      v.memory.writeU32(run.ctx + 8, v.memory.readU32(run.ctx + 8) + 1); // mark++
      v.memory.writeU8(run.ctx + 48, 0x7f); // cb[0]
      return BigInt(v.memory.readU32(run.ctx)) | (1n << 40n);
    });
    const ctx = new Uint8Array(192);
    new DataView(ctx.buffer).setUint32(8, 100, true);
    const result = testRun(e, program('sched_cls'), vm, KERNEL_HELPERS, {
      data: ipv4Frame(),
      ctx,
      repeat: 3,
    });
    expect(runs).toBe(3);
    expect(result.retval).toBe(60);
    expect([...result.dataOut]).toEqual([...ipv4Frame()]);
    const out = new DataView(result.ctxOut.buffer);
    expect(out.getUint32(8, true)).toBe(103);
    expect(result.ctxOut[48]).toBe(0x7f);
    expect(out.getUint32(40, true)).toBe(1); // ifindex: the loopback device
    expect(out.getUint32(160, true)).toBe(60); // wire_len: skb->len when the ctx was converted
  });

  it('refuses what the kernel refuses, with its errno', () => {
    const vm = new Vm();
    const { engine: e, runs } = engine(() => 0n);
    const run = (options: Parameters<typeof testRun>[4]) =>
      testRun(e, program('sched_cls'), vm, KERNEL_HELPERS, options).error?.errno;
    expect(run({ data: new Uint8Array(13) })).toBe(ERRNO.EINVAL);
    expect(run({ data: new Uint8Array(3713) })).toBe(ERRNO.EINVAL);
    expect(run({ data: ipv4Frame(), cpu: 1 })).toBe(ERRNO.EINVAL);
    const ctx = (offset: number, value = 1, size = 192) => {
      const bytes = new Uint8Array(size);
      bytes[offset] = value;
      return bytes;
    };
    expect(run({ data: ipv4Frame(), ctx: ctx(0) })).toBe(ERRNO.EINVAL); // len
    expect(run({ data: ipv4Frame(), ctx: ctx(72) })).toBe(ERRNO.EINVAL); // tc_classid
    expect(run({ data: ipv4Frame(), ctx: ctx(196, 1, 200) })).toBe(ERRNO.E2BIG);
    expect(run({ data: ipv4Frame(), ctx: ctx(40, 7) })).toBe(ERRNO.ENODEV);
    expect(run({ data: ipv4Frame(), ctx: ctx(160, 10) })).toBe(ERRNO.EINVAL); // wire_len below len
    expect(runs).toHaveLength(0);
    expect(run({ data: ipv4Frame(), ctx: ctx(196, 0, 200) })).toBeUndefined();
  });
});

describe('xdp test runs', () => {
  it('gives the program 256 bytes of headroom and returns metadata and packet', () => {
    const vm = new Vm();
    const { engine: e } = engine((run, v) => {
      const packet = run.packet as PacketState;
      expect(packet.data - packet.bufferStart).toBe(256);
      return BigInt(v.memory.readU32(run.ctx + 4) - v.memory.readU32(run.ctx));
    });
    const data = ipv4Frame(64);
    expect(testRun(e, program('xdp'), vm, KERNEL_HELPERS, { data })).toMatchObject({
      retval: 64,
      dataOut: data,
    });
    const ctx = new Uint8Array(24);
    new DataView(ctx.buffer).setUint32(0, 8, true);
    new DataView(ctx.buffer).setUint32(4, 64, true);
    const withMeta = testRun(e, program('xdp'), vm, KERNEL_HELPERS, { data, ctx });
    expect(withMeta.retval).toBe(56);
    expect(withMeta.dataOut).toEqual(data);
    expect([...withMeta.ctxOut.subarray(0, 8)]).toEqual([8, 0, 0, 0, 64, 0, 0, 0]);
  });

  it('refuses short packets and bad xdp_md fields', () => {
    const vm = new Vm();
    const { engine: e } = engine(() => 2n);
    const run = (data: Uint8Array, fields?: number[]) =>
      testRun(e, program('xdp'), vm, KERNEL_HELPERS, {
        data,
        ...(fields === undefined ? {} : { ctx: new Uint8Array(new Uint32Array(fields).buffer) }),
      }).error?.errno;
    expect(run(new Uint8Array(13))).toBe(ERRNO.EINVAL);
    expect(run(new Uint8Array(64), [0, 64, 4, 0, 0, 0])).toBe(ERRNO.EINVAL); // data_meta
    expect(run(new Uint8Array(64), [6, 64, 0, 0, 0, 0])).toBe(ERRNO.EINVAL); // metadata not a multiple of 4
    expect(run(new Uint8Array(64), [0, 64, 0, 0, 0, 1])).toBe(ERRNO.EINVAL); // egress_ifindex
    expect(run(new Uint8Array(64), [0, 64, 0, 1, 1, 0])).toBe(ERRNO.EINVAL); // queue 1 of lo
    expect(run(new Uint8Array(64), [0, 64, 0, 0, 1, 0])).toBe(ERRNO.EINVAL); // queue without device
    expect(run(new Uint8Array(64), [0, 64, 0, 1, 0, 0])).toBeUndefined();
    expect(run(new Uint8Array(4000))).toBeUndefined();
  });

  it('reports a RuntimeFault as an error and frees the run', () => {
    const vm = new Vm();
    const failing = engine(() => {
      throw new RuntimeFault(3, 'invalid memory access', ['p']);
    });
    const result = testRun(failing.engine, program('xdp'), vm, KERNEL_HELPERS, { data: ipv4Frame() });
    expect(result.error).toMatchObject({ errno: ERRNO.EFAULT, code: 'EFAULT' });
    expect(result.error?.fault?.insn).toBe(3);
    expect(vm.memory.stats().allocatedBytes).toBe(0);
  });

  it('program types without a test run are refused', () => {
    const result = testRun(engine(() => 0n).engine, program('kprobe'), new Vm(), KERNEL_HELPERS, {});
    expect(result.error?.errno).toBe(ERRNO.ENOTSUPP);
  });
});
