// Test runs of the program types beyond skb and xdp (test/progs/net/types_*.c: cgroup_skb, lwt, flow_dissector,
// sk_lookup, syscall, raw_tracepoint) in tsbpf and in the kernel: retval, data_out, ctx_out, errno and maps equal,
// on accepted inputs and on the ones each type's test_run refuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 2;

const objectPath = (name: string) => join(REPO_ROOT, 'test', 'progs', 'net', `${name}.o`);

interface RunInput {
  data?: Uint8Array;
  ctx?: Uint8Array;
  repeat?: number;
  flags?: number;
  cpu?: number;
  /** Ask for ctx_out without ctx_in, or where the type refuses it. */
  ctxOut?: boolean;
}

interface Outcome {
  errno: number;
  retval: number;
  dataOut: string;
  ctxOut: string;
  maps: Record<string, { key: string; value: string }[]>;
}

const byKey = (entries: { key: string; value: string }[]) =>
  [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

function kernelRun(object: string, program: string, input: RunInput): Outcome {
  const result = oracle.runObject(objectPath(object), {
    program,
    ...(input.data === undefined ? {} : { data: input.data }),
    ...(input.ctx === undefined ? {} : { ctx: input.ctx }),
    ...(input.repeat === undefined ? {} : { repeat: input.repeat }),
    ...(input.flags === undefined ? {} : { testFlags: input.flags }),
    ...(input.cpu === undefined ? {} : { testCpu: input.cpu }),
    ...(input.ctxOut ? { ctxOut: true } : {}),
    run: true,
    dumpMaps: true,
  });
  const report = result.programs.find((p) => p.name === program);
  expect(report?.verdict, report?.log).toBe('accepted');
  const run = report!.testRun!;
  const maps: Outcome['maps'] = {};
  for (const map of report?.maps ?? []) maps[map.name ?? ''] = byKey(map.entries ?? []);
  return { errno: run.errno, retval: run.retval, dataOut: run.dataOut, ctxOut: run.ctxOut, maps };
}

function tsbpfRun(object: string, program: string, input: RunInput): Outcome {
  const bpf = new Bpf({ cpus });
  const handle = bpf.openObject(readFileSync(objectPath(object)), `${object}.o`);
  handle.load({ programs: [program] });
  const result = bpf.testRun(handle.program(program).handle.fd, {
    ...(input.data === undefined ? {} : { data: input.data }),
    ...(input.ctx === undefined ? {} : { ctx: input.ctx }),
    ...(input.repeat === undefined ? {} : { repeat: input.repeat }),
    ...(input.flags === undefined ? {} : { flags: input.flags }),
    ...(input.cpu === undefined ? {} : { cpu: input.cpu }),
    ...(input.ctxOut ? { ctxOut: true } : {}),
  });
  const maps: Outcome['maps'] = {};
  for (const name of handle.mapNames) {
    maps[name] = byKey(
      bpf.mapDump(handle.mapFd(name)).map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) })),
    );
  }
  if (result.error?.fault) throw result.error.fault;
  return {
    errno: result.error?.errno ?? 0,
    retval: result.retval,
    dataOut: bytesToHex(result.dataOut),
    ctxOut: bytesToHex(result.ctxOut),
    maps,
  };
}

/** Runs on both sides and compares; returns the kernel's outcome for tests that want a floor of accepted runs. */
function same(object: string, program: string, input: RunInput): Outcome {
  const kernel = kernelRun(object, program, input);
  const ours = tsbpfRun(object, program, input);
  // A refused run leaves nothing to compare but the errno (and maps untouched on both sides).
  expect(ours).toEqual(kernel);
  return kernel;
}

const le32 = (...values: number[]) => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of values.entries()) view.setUint32(i * 4, value >>> 0, true);
  return bytes;
};

/** A struct __sk_buff ctx_in with mark, priority and cb[0] set. */
function skbCtx(fields: { mark?: number; priority?: number; cb0?: number; len?: number } = {}): Uint8Array {
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(0, fields.len ?? 0, true);
  view.setUint32(8, fields.mark ?? 0, true);
  view.setUint32(32, fields.priority ?? 0, true);
  view.setUint32(48, fields.cb0 ?? 0, true);
  return ctx;
}

const packets = testPackets();

/** Every packet through a program; at least `floor` of them must be accepted by the kernel (the rest refused alike). */
function everyPacket(object: string, program: string, ctx?: Uint8Array) {
  let accepted = 0;
  for (const packet of packets) {
    const kernel = same(object, program, { data: packet.data, ...(ctx === undefined ? {} : { ctx }) });
    if (kernel.errno === 0) accepted++;
  }
  expect(accepted).toBeGreaterThanOrEqual(5);
}

const ipv4 = packets.find((p) => p.name === 'ipv4-tcp-http')!.data;

oracle.describe('cgroup_skb test runs equal the kernel', () => {
  oracle.it('ingress on every packet, with a context', () =>
    everyPacket('types_cgroup_skb', 'cg_ingress', skbCtx({ mark: 7, priority: 3, cb0: 41 })),
  );
  oracle.it('egress on every packet', () => everyPacket('types_cgroup_skb', 'cg_egress'));
  oracle.it('refused inputs', () => {
    for (const input of [
      { data: ipv4, flags: 1 },
      { data: ipv4, cpu: 1 },
      { data: ipv4.subarray(0, 10) },
      { data: ipv4, ctx: skbCtx({ len: 5 }) },
      { data: ipv4, repeat: 3, ctx: skbCtx({ cb0: 1 }) },
    ])
      same('types_cgroup_skb', 'cg_ingress', input);
  });
});

oracle.describe('lwt test runs equal the kernel', () => {
  oracle.it('lwt_in on every packet', () => everyPacket('types_lwt', 'lwt_ingress', skbCtx({ mark: 1 })));
  oracle.it('lwt_out on every packet', () => everyPacket('types_lwt', 'lwt_egress', skbCtx({ cb0: 100 })));
  oracle.it('lwt_xmit on every packet', () => everyPacket('types_lwt', 'lwt_transmit'));
  oracle.it('lwt_seg6local has no test run, and the refused inputs', () => {
    same('types_lwt', 'lwt_seg6', { data: ipv4 });
    for (const input of [{ data: ipv4, flags: 1 }, { data: ipv4, cpu: 1 }, { data: new Uint8Array(4000) }])
      same('types_lwt', 'lwt_transmit', input);
  });
});

/** Copies bpf_sock fields of skb->sk (family, src_ip4, dst_ip4, src_ip6[0], dst_ip6[3], state) into cb[0..4]. */
const readSocket = assembleInsns(`
  r2 = *(u64 *)(r1 + 168)
  if r2 == 0 goto +13
  r3 = *(u32 *)(r2 + 4)
  r4 = *(u32 *)(r2 + 72)
  r3 <<= 8
  r3 |= r4
  *(u32 *)(r1 + 48) = r3
  r3 = *(u32 *)(r2 + 24)
  *(u32 *)(r1 + 52) = r3
  r3 = *(u32 *)(r2 + 52)
  *(u32 *)(r1 + 56) = r3
  r3 = *(u32 *)(r2 + 28)
  *(u32 *)(r1 + 60) = r3
  r3 = *(u32 *)(r2 + 68)
  *(u32 *)(r1 + 64) = r3
  r0 = 1
  exit
`);

oracle.describe('the dummy socket of a test-run skb equals the kernel', () => {
  oracle.it('skb->sk fields for every skb type, IPv4, IPv6 and ARP', () => {
    for (const type of ['socket_filter', 'sched_cls', 'cgroup_skb', 'lwt_in', 'lwt_xmit'] as const) {
      for (const name of ['ipv4-udp-dns', 'ipv6-tcp-https', 'arp']) {
        const data = packets.find((p) => p.name === name)!.data;
        const ctx = new Uint8Array(192);
        const kernel = oracle.runInsns({ type, insns: readSocket, license: 'GPL', data, ctx });
        expect(kernel.verdict, kernel.log).toBe('accepted');
        const bpf = new Bpf();
        const loaded = bpf.progLoad({ type, insns: readSocket, license: 'GPL' });
        const ours = bpf.testRun(loaded.fd, { data, ctx });
        expect(ours.error, `${type} ${name}`).toBeUndefined();
        expect({ retval: ours.retval, ctxOut: bytesToHex(ours.ctxOut) }, `${type} ${name}`).toEqual({
          retval: kernel.testRun!.retval,
          ctxOut: kernel.testRun!.ctxOut,
        });
      }
    }
  });
});

/**
 * Narrow loads of __sk_buff fields the kernel keeps narrower than 4 bytes (pkt_type, queue_mapping, protocol,
 * tc_index, tc_classid, gso_segs, gso_size): at the field's start and past it, after tc wrote some of them.
 */
const SKB_NARROW_LOADS: readonly (readonly [number, 'u8' | 'u16'])[] = [
  [4, 'u8'],
  [5, 'u8'],
  [6, 'u16'],
  [12, 'u16'],
  [14, 'u16'],
  [13, 'u8'],
  [16, 'u16'],
  [17, 'u8'],
  [18, 'u16'],
  [44, 'u16'],
  [46, 'u16'],
  [72, 'u16'],
  [74, 'u16'],
  [164, 'u16'],
  [166, 'u16'],
  [178, 'u16'],
  [179, 'u8'],
];

oracle.describe('narrow __sk_buff loads equal the kernel', () => {
  oracle.it('tc and cgroup_skb, fields written by the program and given in ctx_in', () => {
    const data = packets.find((p) => p.name === 'ipv4-udp-dns')!.data;
    const ctx = new Uint8Array(192);
    const view = new DataView(ctx.buffer);
    view.setUint32(164, 0x0203, true); // gso_segs
    view.setUint32(176, 0x0405, true); // gso_size
    for (const [offset, size] of SKB_NARROW_LOADS) {
      const tc = assembleInsns(`
        r2 = 0x1234
        *(u32 *)(r1 + 12) = r2
        r2 = 0x5678
        *(u32 *)(r1 + 44) = r2
        r2 = 0x9abc
        *(u32 *)(r1 + 72) = r2
        r0 = *(${size} *)(r1 + ${offset})
        exit
      `);
      // cgroup_skb returns 0 or 1: the loaded value goes to cb[0] (ctx_out)
      const cgroup = assembleInsns(`
        r2 = *(${size} *)(r1 + ${offset})
        *(u32 *)(r1 + 48) = r2
        r0 = 1
        exit
      `);
      for (const [type, insns] of [
        ['sched_cls', tc],
        ['cgroup_skb', cgroup],
      ] as const) {
        const kernel = oracle.runInsns({ type, insns, license: 'GPL', data, ctx });
        const label = `${type} ${size} at ${offset}`;
        if (kernel.verdict !== 'accepted') {
          expect(() => new Bpf().progLoad({ type, insns, license: 'GPL' }), label).toThrow();
          continue;
        }
        const bpf = new Bpf();
        const ours = bpf.testRun(bpf.progLoad({ type, insns, license: 'GPL' }).fd, { data, ctx });
        expect({ retval: ours.retval, ctxOut: bytesToHex(ours.ctxOut) }, label).toEqual({
          retval: kernel.testRun!.retval,
          ctxOut: kernel.testRun!.ctxOut,
        });
      }
    }
  });
});

/** struct bpf_flow_keys with only flags set (what ctx_in may carry). */
const flowKeys = (flags: number, extra?: [number, number]) => {
  const keys = new Uint8Array(56);
  new DataView(keys.buffer).setUint32(48, flags, true);
  if (extra) keys[extra[0]] = extra[1];
  return keys;
};

/** The verifier's last word: the line before "processed N insns", or the last line. */
function errorLine(log: string): string {
  const lines = log.trimEnd().split('\n');
  const processed = lines.findIndex((line) => line.startsWith('processed '));
  return lines[(processed === -1 ? lines.length : processed) - 1] ?? '';
}

/** What the verifier lets a flow dissector touch: flow keys within their 56 bytes at constant offsets, the packet read-only. */
const FLOW_DISSECTOR_ACCESSES: Record<string, string> = {
  'store to flow keys': `r2 = *(u64 *)(r1 + 144)
    r3 = 7
    *(u32 *)(r2 + 52) = r3`,
  'store past the flow keys': `r2 = *(u64 *)(r1 + 144)
    r3 = 7
    *(u32 *)(r2 + 54) = r3`,
  'load before the flow keys': `r2 = *(u64 *)(r1 + 144)
    r3 = *(u8 *)(r2 - 1)`,
  'variable offset into the flow keys': `r2 = *(u64 *)(r1 + 144)
    r3 = *(u8 *)(r2 + 0)
    r3 &= 7
    r2 += r3
    r3 = *(u8 *)(r2 + 0)`,
  'packet read': `r2 = *(u32 *)(r1 + 76)
    r3 = *(u32 *)(r1 + 80)
    r4 = r2
    r4 += 14
    if r4 > r3 goto +1
    r5 = *(u8 *)(r2 + 13)`,
  'packet write': `r2 = *(u32 *)(r1 + 76)
    r3 = *(u32 *)(r1 + 80)
    r4 = r2
    r4 += 14
    if r4 > r3 goto +2
    r5 = 1
    *(u8 *)(r2 + 13) = r5`,
  'skb->len': `r2 = *(u32 *)(r1 + 0)`,
  'flow_keys as a u32': `r2 = *(u32 *)(r1 + 144)`,
};

oracle.describe('flow_dissector test runs equal the kernel', () => {
  oracle.it('what the verifier lets a flow dissector touch', () => {
    for (const [name, body] of Object.entries(FLOW_DISSECTOR_ACCESSES)) {
      const insns = assembleInsns(`${body}\n    r0 = 0\n    exit`);
      const kernel = oracle.runInsns({ type: 'flow_dissector', insns, license: 'GPL', logLevel: 1 });
      const bpf = new Bpf();
      let ours = 'accepted';
      try {
        bpf.progLoad({ type: 'flow_dissector', insns, license: 'GPL', logLevel: 1 });
      } catch (error) {
        if (!(error instanceof ProgLoadError)) throw error;
        ours = errorLine(error.log);
      }
      expect(ours, name).toBe(kernel.verdict === 'accepted' ? 'accepted' : errorLine(kernel.log));
    }
  });

  oracle.it('every packet, without and with flags', () => {
    everyPacket('types_flow_dissector', 'dissect');
    // BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG | BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL
    everyPacket('types_flow_dissector', 'dissect', flowKeys(1 | 2));
  });
  oracle.it('repeated runs start from fresh flow keys', () => {
    same('types_flow_dissector', 'dissect', { data: ipv4, repeat: 3 });
  });
  oracle.it('refused inputs', () => {
    for (const input of [
      { data: ipv4, ctx: flowKeys(0, [0, 14]) },
      { data: ipv4, ctx: flowKeys(1, [52, 1]) },
      { data: ipv4, flags: 1 },
      { data: ipv4, cpu: 1 },
      { data: ipv4.subarray(0, 13) },
      { data: new Uint8Array(4097) },
      { data: ipv4, ctx: new Uint8Array(64).fill(1, 60) },
      { data: ipv4, ctxOut: true },
    ])
      same('types_flow_dissector', 'dissect', input);
  });
});

/** A struct bpf_sk_lookup ctx_in. */
function lookup(fields: {
  family: number;
  protocol: number;
  remote: number[];
  local: number[];
  remotePort: number;
  localPort: number;
  sk?: number;
  ingress?: number;
}): Uint8Array {
  const ctx = new Uint8Array(72);
  const view = new DataView(ctx.buffer);
  view.setUint32(0, fields.sk ?? 0, true);
  view.setUint32(8, fields.family, true);
  view.setUint32(12, fields.protocol, true);
  if (fields.remote.length === 4) ctx.set(fields.remote, 16);
  else ctx.set(fields.remote, 20);
  view.setUint16(36, fields.remotePort, false);
  if (fields.local.length === 4) ctx.set(fields.local, 40);
  else ctx.set(fields.local, 44);
  view.setUint32(60, fields.localPort, true);
  view.setUint32(64, fields.ingress ?? 0, true);
  return ctx;
}

const v6 = (last: number) => [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), last];

oracle.describe('sk_lookup test runs equal the kernel', () => {
  const tcp4 = {
    family: 2,
    protocol: 6,
    remote: [10, 0, 0, 1],
    local: [10, 0, 0, 2],
    remotePort: 40000,
    localPort: 80,
  };
  oracle.it('five lookups', () => {
    for (const ctx of [
      lookup(tcp4),
      lookup({ ...tcp4, protocol: 17, localPort: 22 }),
      lookup({ ...tcp4, remotePort: 53 }),
      lookup({ family: 10, protocol: 6, remote: v6(1), local: v6(2), remotePort: 50000, localPort: 443 }),
      // family and protocol are read as u16s
      lookup({ ...tcp4, family: 0x10002, protocol: 0x70006 }),
    ]) {
      expect(same('types_sk_lookup', 'steer', { ctx }).errno).toBe(0);
    }
    same('types_sk_lookup', 'steer', { ctx: lookup(tcp4), repeat: 4 });
  });
  oracle.it('narrow loads read what the kernel rewrites them to', () => {
    for (const ctx of [
      lookup(tcp4),
      lookup({ ...tcp4, family: 0x3000a, protocol: 0x20011, localPort: 0xfffe }),
      lookup({ family: 10, protocol: 6, remote: v6(9), local: v6(2), remotePort: 0x1234, localPort: 1 }),
      // the two bytes after remote_port are not checked by the kernel, and read as 0
      (() => {
        const bytes = lookup({ ...tcp4, remote: [1, 2, 3, 4] });
        bytes.set([0xaa, 0xbb], 38);
        return bytes;
      })(),
      lookup({ ...tcp4, remote: [0xff, 0xfe, 0xfd, 0xfc], remotePort: 65535 }),
    ])
      expect(same('types_sk_lookup', 'narrow', { ctx }).errno).toBe(0);
  });
  oracle.it('refused inputs', () => {
    for (const input of [
      {},
      { ctx: lookup(tcp4), data: ipv4 },
      { ctx: lookup({ ...tcp4, sk: 1 }) },
      { ctx: lookup({ ...tcp4, ingress: 1 }) },
      { ctx: lookup({ ...tcp4, localPort: 70000 }) },
      { ctx: lookup({ ...tcp4, family: 3 }) },
      { ctx: lookup(tcp4), flags: 1 },
      { ctx: lookup(tcp4), cpu: 1 },
    ])
      same('types_sk_lookup', 'steer', input);
  });
});

/** struct request of types_syscall.c. */
function request(op: number, key: number, value: bigint, trailing = 0): Uint8Array {
  const bytes = new Uint8Array(32 + trailing);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, op, true);
  view.setUint32(4, key, true);
  view.setBigUint64(8, value, true);
  view.setUint32(28, 5, true);
  return bytes;
}

oracle.describe('syscall test runs equal the kernel', () => {
  oracle.it('five contexts, written back', () => {
    for (const ctx of [
      request(1, 7, 99n),
      request(2, 7, 0n),
      request(3, 1, 0n),
      request(9, 0, 0n),
      request(1, 3, 0xffff_ffff_ffffn, 100),
    ])
      expect(same('types_syscall', 'handle', { ctx }).errno).toBe(0);
    expect(same('types_syscall', 'first_word', { ctx: le32(20) }).errno).toBe(0);
    // the kernel runs it on the current CPU whatever test.cpu says
    expect(same('types_syscall', 'first_word', { ctx: le32(1, 2), cpu: 1 }).errno).toBe(0);
  });
  oracle.it('refused inputs', () => {
    for (const input of [
      { ctx: new Uint8Array(16) },
      {},
      { ctx: request(1, 1, 1n), repeat: 2 },
      { ctx: request(1, 1, 1n), data: ipv4 },
      { ctx: request(1, 1, 1n), flags: 1 },
      { ctx: request(1, 1, 1n), ctxOut: true },
      { ctx: new Uint8Array(0x10000) },
    ])
      same('types_syscall', 'handle', input);
  });
});

const args = (...values: bigint[]) => {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of values.entries()) view.setBigUint64(i * 8, value, true);
  return bytes;
};

oracle.describe('raw_tracepoint test runs equal the kernel', () => {
  oracle.it('five argument lists, pinned to a CPU', () => {
    for (const [ctx, cpu] of [
      [args(0n, 0x1234n), 0],
      [args(5n, 0xffn, 7n), 1 % cpus],
      [args(1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n), 0],
      [args(9n, 1n << 40n), 0],
      [args(3n, 0x101n), cpus - 1],
    ] as const)
      expect(same('types_raw_tp', 'on_sys_enter', { ctx, flags: 1, cpu }).errno).toBe(0);
    expect(same('types_raw_tp', 'on_switch', { ctx: args(1n, 2n, 3n, 4n) }).errno).toBe(0);
  });
  oracle.it('refused inputs', () => {
    for (const input of [
      { ctx: args(1n) },
      { ctx: new Uint8Array(100) },
      { ctx: args(1n, 2n), cpu: 1 },
      { ctx: args(1n, 2n), flags: 1, cpu: 4096 },
      { ctx: args(1n, 2n), repeat: 2 },
      { ctx: args(1n, 2n), data: ipv4 },
      { ctx: args(1n, 2n), ctxOut: true },
      // flag bits past BPF_F_TEST_RUN_ON_CPU are ignored
      { ctx: args(1n, 2n), flags: 3, cpu: 0 },
      {},
    ])
      same('types_raw_tp', 'on_sys_enter', input);
  });
});
