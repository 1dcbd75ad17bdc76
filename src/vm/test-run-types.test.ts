// The test-run runners beyond skb and xdp, without a kernel: what each context holds, what comes back, and the
// inputs each refuses (the differential test test/integration/progtypes-kernel.test.ts checks them against Linux).
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../abi/errno.js';
import { SkLookupContext } from './context/sk-lookup.js';
import { buildExecutable } from './executable.js';
import { KERNEL_HELPERS } from './helpers/index.js';
import type { Engine, EngineRun } from './runtime.js';
import { testRun } from './test-run.js';
import { Vm } from './vm.js';

const EXIT = { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 };
const program = (type: string, maxCtxOffset = 0) =>
  buildExecutable([EXIT], { type, name: 'p', maxCtxOffset });

/** A stand-in engine: a JS body played once per repeat with the run it was given. */
function engine(body: (run: EngineRun, vm: Vm) => bigint): Engine {
  return {
    name: 'interp',
    prepare: (_program, vm) => ({
      run: (run, repeat = 1) => {
        let r0 = 0n;
        for (let i = 0; i < repeat; i++) r0 = body(run, vm as Vm);
        return r0;
      },
      release: () => {},
    }),
  };
}

const frame = (etherType: number, length = 60): Uint8Array => {
  const bytes = Uint8Array.from({ length }, (_, i) => i);
  bytes.set([etherType >> 8, etherType & 0xff].slice(0, Math.max(0, length - 12)), 12);
  return bytes;
};

const errnoOf = (result: ReturnType<typeof testRun>) => result.error?.errno ?? 0;

describe('cgroup_skb and lwt test runs', () => {
  it('see the packet from the network header, the dummy socket of an IPv4 packet, and data pointers', () => {
    for (const type of ['cgroup_skb', 'lwt_in', 'lwt_out', 'lwt_xmit']) {
      const vm = new Vm();
      const seen: number[] = [];
      const e = engine((run, v) => {
        const at = (offset: number) => v.memory.readU32(run.ctx + offset);
        // len, family, local_ip4, remote_ip4, data_end - data
        seen.push(at(0), at(88), at(96), at(92), at(80) - at(76));
        return 1n;
      });
      const data = frame(0x0800);
      const result = testRun(e, program(type), vm, KERNEL_HELPERS, { data });
      expect(result.error).toBeUndefined();
      const view = new DataView(data.buffer);
      expect(seen).toEqual([46, 2, view.getUint32(26, true), view.getUint32(30, true), 46]);
      expect([...result.dataOut.subarray(0, 14)]).toEqual(new Array(14).fill(0));
      expect(vm.memory.stats().allocatedBytes).toBe(0);
    }
  });

  it('lwt_seg6local and struct_ops have no test run', () => {
    for (const type of ['lwt_seg6local', 'struct_ops']) {
      const result = testRun(
        engine(() => 0n),
        program(type),
        new Vm(),
        KERNEL_HELPERS,
        { data: frame(0x0800) },
      );
      expect(errnoOf(result)).toBe(ERRNO.ENOTSUPP);
    }
  });
});

describe('flow_dissector test runs', () => {
  it('start every run from fresh flow keys, clamp nhoff/thoff after it, and return the keys as data_out', () => {
    const vm = new Vm();
    const starts: number[][] = [];
    const e = engine((run, v) => {
      const keys = Number(v.memory.readU64(run.ctx + 144));
      starts.push([
        v.memory.readU16(keys),
        v.memory.readU16(keys + 2),
        v.memory.readU16(keys + 10),
        v.memory.readU32(keys + 48),
      ]);
      v.memory.writeU16(keys, 3);
      v.memory.writeU16(keys + 2, 0xffff);
      return 2n;
    });
    const ctx = new Uint8Array(56);
    ctx[48] = 1;
    const result = testRun(e, program('flow_dissector'), vm, KERNEL_HELPERS, {
      data: frame(0x86dd),
      ctx,
      repeat: 2,
    });
    expect(result.error).toBeUndefined();
    expect(starts).toEqual([
      [14, 14, 0xdd86, 1],
      [14, 14, 0xdd86, 1],
    ]);
    const out = new DataView(result.dataOut.buffer);
    expect([out.getUint16(0, true), out.getUint16(2, true)]).toEqual([14, 60]);
    expect(result.ctxOut).toEqual(ctx);
    expect(result.retval).toBe(2);
  });

  it('refuse flow keys other than flags, flags, a cpu and packets outside 14..4096 bytes', () => {
    const run = (options: Parameters<typeof testRun>[4]) =>
      errnoOf(
        testRun(
          engine(() => 0n),
          program('flow_dissector'),
          new Vm(),
          KERNEL_HELPERS,
          options,
        ),
      );
    const keys = new Uint8Array(56);
    keys[0] = 14;
    expect(run({ data: frame(0x0800), ctx: keys })).toBe(ERRNO.EINVAL);
    expect(run({ data: frame(0x0800), flags: 1 })).toBe(ERRNO.EINVAL);
    expect(run({ data: frame(0x0800), cpu: 1 })).toBe(ERRNO.EINVAL);
    expect(run({ data: frame(0x0800, 13) })).toBe(ERRNO.EINVAL);
    expect(run({ data: frame(0x0800, 4097) })).toBe(ERRNO.EINVAL);
    expect(run({ data: frame(0x0800, 4096) })).toBe(0);
  });
});

describe('sk_lookup test runs', () => {
  const lookup = (family: number, localPort: number, extra: (view: DataView) => void = () => {}) => {
    const ctx = new Uint8Array(72);
    const view = new DataView(ctx.buffer);
    view.setUint32(8, family, true);
    view.setUint32(12, 6, true);
    view.setUint16(36, 443, false);
    view.setUint32(60, localPort, true);
    extra(view);
    return ctx;
  };

  it('read family and protocol as u16s, remote_port with a zero upper half; SK_DROP only for 0', () => {
    const vm = new Vm();
    const e = engine((run, v) => {
      expect(run.packet).toBeInstanceOf(SkLookupContext);
      return BigInt(v.memory.readU32(run.ctx + 8) + v.memory.readU32(run.ctx + 36) * 0x10000);
    });
    const ctx = lookup(0x30002, 80, (view) => view.setUint16(38, 0xffff, true));
    const result = testRun(e, program('sk_lookup'), vm, KERNEL_HELPERS, { ctx });
    expect(result.error).toBeUndefined();
    expect(result.retval).toBe(1);
    expect(result.ctxOut).toEqual(ctx);
    const dropped = testRun(
      engine(() => 0n),
      program('sk_lookup'),
      vm,
      KERNEL_HELPERS,
      { ctx },
    );
    expect(dropped.retval).toBe(0);
  });

  it('refuse no ctx, a packet, a socket, ingress_ifindex, a port past 65535 and other families', () => {
    const run = (options: Parameters<typeof testRun>[4]) =>
      errnoOf(
        testRun(
          engine(() => 1n),
          program('sk_lookup'),
          new Vm(),
          KERNEL_HELPERS,
          options,
        ),
      );
    expect(run({})).toBe(ERRNO.EINVAL);
    expect(run({ ctx: lookup(2, 80), data: frame(0x0800) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx: lookup(2, 80, (view) => view.setUint32(0, 1, true)) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx: lookup(2, 80, (view) => view.setUint32(64, 1, true)) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx: lookup(2, 0x10000) })).toBe(ERRNO.ERANGE);
    expect(run({ ctx: lookup(1, 80) })).toBe(ERRNO.EAFNOSUPPORT);
  });
});

describe('syscall and raw_tracepoint test runs', () => {
  it('syscall programs get ctx_in as a buffer, written back as ctxOut; NULL without one', () => {
    const vm = new Vm();
    const e = engine((run, v) => {
      if (run.ctx === 0) return 7n;
      v.memory.writeU32(run.ctx, v.memory.readU32(run.ctx) + 1);
      return 1n;
    });
    const result = testRun(e, program('syscall', 4), vm, KERNEL_HELPERS, {
      ctx: Uint8Array.of(1, 0, 0, 0, 9),
    });
    expect(result.error).toBeUndefined();
    expect([...result.ctxOut]).toEqual([2, 0, 0, 0, 9]);
    expect(testRun(e, program('syscall'), vm, KERNEL_HELPERS, {}).retval).toBe(7);
    expect(vm.memory.stats().allocatedBytes).toBe(0);
  });

  it('syscall programs refuse a ctx shorter than they read, repeat, data, flags and ctx_out', () => {
    const run = (options: Parameters<typeof testRun>[4]) =>
      errnoOf(
        testRun(
          engine(() => 0n),
          program('syscall', 8),
          new Vm(),
          KERNEL_HELPERS,
          options,
        ),
      );
    const ctx = new Uint8Array(8);
    expect(run({ ctx: new Uint8Array(4) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, repeat: 2 })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, data: frame(0x0800) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, flags: 1 })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, ctxOut: true })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, cpu: 5 })).toBe(0);
  });

  it('raw_tracepoint programs run on the CPU BPF_F_TEST_RUN_ON_CPU names, else on the current one', () => {
    const vm = new Vm({ cpus: 4 });
    vm.currentCpu = 2;
    const e = engine((run) => BigInt(run.cpu));
    const ctx = new Uint8Array(16);
    expect(testRun(e, program('raw_tracepoint', 16), vm, KERNEL_HELPERS, { ctx }).retval).toBe(2);
    expect(
      testRun(e, program('raw_tracepoint', 16), vm, KERNEL_HELPERS, { ctx, flags: 1, cpu: 3 }).retval,
    ).toBe(3);
    const run = (options: Parameters<typeof testRun>[4]) =>
      errnoOf(testRun(e, program('raw_tracepoint', 16), vm, KERNEL_HELPERS, options));
    expect(run({ ctx, flags: 1, cpu: 4 })).toBe(ERRNO.ENXIO);
    expect(run({ ctx, cpu: 1 })).toBe(ERRNO.EINVAL);
    expect(run({ ctx: new Uint8Array(8) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx: new Uint8Array(104) })).toBe(ERRNO.EINVAL);
    expect(run({ ctx, repeat: 1 })).toBe(ERRNO.EINVAL);
  });
});
