// The skb and xdp helpers of test/progs/net/skb_*.c against the kernel: each program test-runs in tsbpf and,
// in a fresh network namespace (the state tsbpf models by default), in the kernel, on the same packets;
// retval, output packet, ctx_out and every map must be equal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { ERRNO } from '../../src/abi/errno.js';
import { loadAndRun } from '../../src/cli/run.js';
import { REPO_ROOT } from '../corpus.js';
import { join } from 'node:path';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

const net = (name: string) => join(REPO_ROOT, 'test', 'progs', 'net', `${name}.o`);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const MACS = [0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02];

function checksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** TCP (SYN with an MSS option) or UDP after an address pair; the L4 checksum over the pseudo-header. */
function l4(proto: 'tcp' | 'udp', pseudo: number[], sport: number, dport: number, mss?: number): number[] {
  const payload = [0x68, 0x69, 0x21, 0x0a];
  const options = mss === undefined ? [] : [2, 4, mss >> 8, mss & 0xff];
  const header =
    proto === 'udp'
      ? [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 8 + payload.length, 0, 0]
      : [
          ...[sport >> 8, sport & 0xff, dport >> 8, dport & 0xff],
          ...[0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0],
          ((20 + options.length) / 4) << 4,
          0x02,
          0xfa,
          0xf0,
          0,
          0,
          0,
          0,
          ...options,
        ];
  const segment = [...header, ...(proto === 'udp' ? payload : [])];
  const length = segment.length;
  const sum = checksum([...pseudo, 0, proto === 'tcp' ? 6 : 17, length >> 8, length & 0xff, ...segment]);
  const at = proto === 'tcp' ? 16 : 6;
  segment[at] = sum >> 8;
  segment[at + 1] = sum & 0xff;
  return segment;
}

function ipv4Packet(
  proto: 'tcp' | 'udp',
  options: { src?: number[]; dst?: number[]; mss?: number; tags?: number[][]; tos?: number } = {},
): Uint8Array {
  const src = options.src ?? [10, 0, 0, 1];
  const dst = options.dst ?? [10, 0, 0, 2];
  const segment = l4(proto, [...src, ...dst], 40000, 80, options.mss);
  const ip = [
    0x45,
    options.tos ?? 0x10,
    0,
    20 + segment.length,
    0,
    1,
    0x40,
    0,
    64,
    proto === 'tcp' ? 6 : 17,
    0,
    0,
    ...src,
    ...dst,
  ];
  const sum = checksum(ip);
  ip[10] = sum >> 8;
  ip[11] = sum & 0xff;
  const tags = (options.tags ?? []).flat();
  return new Uint8Array([...MACS, ...tags, 0x08, 0x00, ...ip, ...segment]);
}

function ipv6Packet(
  proto: 'tcp' | 'udp',
  options: { dst?: number[]; mss?: number; trafficClass?: number } = {},
): Uint8Array {
  const src = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
  const dst = options.dst ?? [0, 0x64, 0xff, 0x9b, ...new Array(8).fill(0), 192, 0, 2, 7];
  const segment = l4(proto, [...src, ...dst], 40000, 443, options.mss);
  const tc = options.trafficClass ?? 0;
  const ip = [
    0x60 | (tc >> 4),
    (tc & 0xf) << 4,
    0,
    0,
    0,
    segment.length,
    proto === 'tcp' ? 6 : 17,
    64,
    ...src,
    ...dst,
  ];
  return new Uint8Array([...MACS, 0x86, 0xdd, ...ip, ...segment]);
}

const ARP = new Uint8Array([
  ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06],
  ...[0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 2, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1],
]);

interface Run {
  object: string;
  program: string;
  data: Uint8Array;
  ctx?: Uint8Array;
  /** Masks bytes of data_out the kernel fills with per-boot secrets: [offset, length] pairs. */
  maskData?: readonly (readonly [number, number])[];
}

function masked(hexText: string, masks: Run['maskData']): string {
  let text = hexText;
  for (const [offset, length] of masks ?? []) {
    text = text.slice(0, offset * 2) + 'x'.repeat(length * 2) + text.slice((offset + length) * 2);
  }
  return text;
}

/** Runs one program on one packet on both sides and compares everything the kernel reports. */
function compare(run: Run): { retval: number; dataOut: Uint8Array } {
  const kernel = oracle.runObject(net(run.object), {
    program: run.program,
    data: run.data,
    ...(run.ctx === undefined ? {} : { ctx: run.ctx }),
    dumpMaps: true,
    netns: true,
  });
  const report = kernel.programs.find((p) => p.name === run.program);
  expect(report?.verdict, report?.log).toBe('accepted');
  expect(report?.testRun?.errno).toBe(0);
  const { bpf, object, result } = loadAndRun(net(run.object), {
    program: run.program,
    data: run.data,
    ...(run.ctx === undefined ? {} : { ctx: run.ctx }),
  });
  expect(result.error).toBeUndefined();
  const ours = {
    retval: result.retval,
    dataOut: masked(hex(result.dataOut), run.maskData),
    ctxOut: hex(result.ctxOut),
    maps: Object.fromEntries(
      (report?.maps ?? []).map((map) => [
        map.name,
        bpf.mapDump(object.mapFd(map.name ?? '')).map((e) => ({ key: hex(e.key), value: hex(e.value) })),
      ]),
    ),
  };
  const theirs = {
    retval: report?.testRun?.retval,
    dataOut: masked(report?.testRun?.dataOut ?? '', run.maskData),
    ctxOut: run.ctx === undefined ? '' : report?.testRun?.ctxOut,
    maps: Object.fromEntries((report?.maps ?? []).map((map) => [map.name, map.entries ?? []])),
  };
  expect(ours).toEqual(theirs);
  return { retval: result.retval, dataOut: result.dataOut };
}

const PACKETS: readonly (readonly [string, Uint8Array])[] = [
  ['IPv4 UDP', ipv4Packet('udp')],
  ['IPv4 TCP SYN with MSS', ipv4Packet('tcp', { mss: 1400 })],
  ['IPv6 UDP to 64:ff9b::/96', ipv6Packet('udp')],
  [
    'IPv6 TCP to 2001:db8::9',
    ipv6Packet('tcp', { dst: [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 9] }),
  ],
  ['802.1Q-tagged IPv4 UDP', ipv4Packet('udp', { tags: [[0x81, 0x00, 0x00, 0x64]] })],
  [
    'QinQ-tagged IPv4 TCP',
    ipv4Packet('tcp', {
      tags: [
        [0x88, 0xa8, 0x00, 0x0a],
        [0x81, 0x00, 0x00, 0x14],
      ],
    }),
  ],
  ['ARP request', ARP],
  ['IPv4 UDP, ECN-capable (ECT(0))', ipv4Packet('udp', { tos: 0x12 })],
  ['IPv6 UDP, ECN-capable (ECT(1))', ipv6Packet('udp', { trafficClass: 0xb9 })],
];

/** A __sk_buff for ctx_in: zero but for mark and priority, so ctx_out is compared too. */
const SKB_CTX = (() => {
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(8, 0x5eed, true);
  view.setUint32(32, 6, true);
  return ctx;
})();

oracle.describe('skb helpers equal the kernel', () => {
  for (const [program, object] of [
    ['tc_nat46', 'skb_change_proto'],
    ['tc_state_helpers', 'skb_state_helpers'],
    ['tc_vlan', 'skb_reshape'],
    ['tc_adjust_room', 'skb_reshape'],
    ['tc_head_tail', 'skb_reshape'],
    ['sock_skb_helpers', 'skb_socket_filter'],
    ['tc_skb_socket', 'skb_socket_filter'],
  ] as const) {
    for (const [name, data] of PACKETS) {
      oracle.it(`${program}: ${name}`, () => {
        compare({ object, program, data, ctx: SKB_CTX });
      });
    }
  }
});

/** A copy of a TCP packet with the flags byte and ack_seq replaced (the checksum is left as it was). */
function withTcpFlags(packet: Uint8Array, tcpAt: number, flags: number, ackSeq: number): Uint8Array {
  const copy = packet.slice();
  copy[tcpAt + 13] = flags;
  new DataView(copy.buffer).setUint32(tcpAt + 8, ackSeq, false);
  return copy;
}

oracle.describe('XDP SYN cookies equal the kernel (the cookie itself masked: its key is per boot)', () => {
  const IPV4_TCP = 34;
  const IPV6_TCP = 54;
  const v6dst = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 9];
  const cases: readonly (readonly [string, Uint8Array, number])[] = [
    ['IPv4 SYN, MSS 1400', ipv4Packet('tcp', { mss: 1400 }), IPV4_TCP],
    ['IPv4 SYN, MSS 1460', ipv4Packet('tcp', { mss: 1460 }), IPV4_TCP],
    ['IPv4 SYN without options', ipv4Packet('tcp'), IPV4_TCP],
    ['IPv6 SYN, MSS 9000', ipv6Packet('tcp', { dst: v6dst, mss: 9000 }), IPV6_TCP],
    ['IPv6 SYN without options', ipv6Packet('tcp', { dst: v6dst }), IPV6_TCP],
    ['IPv4 ACK with a forged cookie', withTcpFlags(ipv4Packet('tcp'), IPV4_TCP, 0x10, 0x1234), IPV4_TCP],
    [
      'IPv6 ACK with a forged cookie',
      withTcpFlags(ipv6Packet('tcp', { dst: v6dst }), IPV6_TCP, 0x10, 7),
      IPV6_TCP,
    ],
    ['IPv4 UDP', ipv4Packet('udp'), IPV4_TCP],
  ];
  for (const [name, data, tcpAt] of cases) {
    oracle.it(name, () => {
      compare({
        object: 'skb_syncookie',
        program: 'xdp_syncookie',
        data,
        maskData: [
          [tcpAt + 4, 4],
          [tcpAt + 16, 2],
        ],
      });
    });
  }
});

describe('declared network state (tsbpf only: the kernel side would need devices made in its namespace)', () => {
  /** r0 = the MTU bpf_check_mtu reports for the device the packet is on (ifindex 0). */
  const currentMtu = assembleInsns(`
    r6 = r1
    r1 = 0
    *(u32 *)(r10 - 4) = r1
    r1 = r6
    r2 = 0
    r3 = r10
    r3 += -4
    r4 = 0
    r5 = 0
    call 163
    r0 = *(u32 *)(r10 - 4)
    exit
  `);

  it('a declared device can carry the test packet: ctx ifindex (skb) and ingress_ifindex (xdp)', () => {
    const network = { interfaces: [{ ifindex: 5, name: 'eth0', mtu: 1400 }] };
    const skbCtx = new Uint8Array(192);
    new DataView(skbCtx.buffer).setUint32(40, 5, true);
    const xdpCtx = new Uint8Array(24);
    const xdpView = new DataView(xdpCtx.buffer);
    const data = ipv4Packet('udp');
    xdpView.setUint32(4, data.length, true);
    xdpView.setUint32(12, 5, true);
    for (const [type, ctx] of [
      ['sched_cls', skbCtx],
      ['xdp', xdpCtx],
    ] as const) {
      const empty = new Bpf();
      const refusedRun = empty.testRun(empty.progLoad({ type, insns: currentMtu, license: 'GPL' }).fd, {
        data,
        ctx,
      });
      expect(refusedRun.error?.code, type).toBe('ENODEV');
      const bpf = new Bpf({ network });
      const result = bpf.testRun(bpf.progLoad({ type, insns: currentMtu, license: 'GPL' }).fd, { data, ctx });
      expect(result.error, type).toBeUndefined();
      expect(result.retval, type).toBe(1400);
      if (type === 'sched_cls') expect(new DataView(result.ctxOut.buffer).getUint32(40, true)).toBe(5);
      const lo = new Bpf({ network });
      expect(lo.testRun(lo.progLoad({ type, insns: currentMtu, license: 'GPL' }).fd, { data }).retval).toBe(
        65536,
      );
    }
  });

  it('a fixture device answers bpf_check_mtu where the empty namespace has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsbpf-skb-'));
    try {
      const fixtureFile = join(dir, 'network.json');
      writeFileSync(
        fixtureFile,
        JSON.stringify({ network: { devices: [{ ifindex: 7, name: 'eth7', mtu: 40 }] } }),
      );
      const slot = (bpf: Bpf, fd: number, index: number) => {
        const value = bpf.mapLookup(fd, new Uint8Array([index, 0, 0, 0]));
        return value === undefined ? undefined : Buffer.from(value).readBigInt64LE();
      };
      const data = ipv4Packet('udp');
      const plain = loadAndRun(net('skb_state_helpers'), { program: 'tc_state_helpers', data });
      const declared = loadAndRun(net('skb_state_helpers'), {
        program: 'tc_state_helpers',
        data,
        config: { fixtureFile },
      });
      const results = (run: typeof plain) => run.object.mapFd('results');
      // Slots 57/58: bpf_check_mtu(skb, 7, &mtu = 7, 0, 0) (7 taken as the L3 length) and the MTU it leaves.
      expect([slot(plain.bpf, results(plain), 57), slot(plain.bpf, results(plain), 58)]).toEqual([
        BigInt(-ERRNO.ENODEV),
        7n,
      ]);
      expect([slot(declared.bpf, results(declared), 57), slot(declared.bpf, results(declared), 58)]).toEqual([
        0n,
        40n,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** One reshaping or state helper call with its arguments (helper ids of the uapi). */
type Op =
  | { kind: 'change_tail'; length: number; flags: number }
  | { kind: 'change_head'; room: number; flags: number }
  | { kind: 'adjust_room'; difference: number; mode: number; flags: bigint }
  | { kind: 'vlan_push'; proto: number; tci: number }
  | { kind: 'vlan_pop' }
  | { kind: 'change_proto'; proto: number; flags: number }
  | { kind: 'pull_data'; length: number }
  | { kind: 'csum_level'; level: number }
  | { kind: 'change_type'; type: number }
  | { kind: 'set_tunnel_key'; key: 'ipv4' | 'labelled'; size: number; flags: number }
  | { kind: 'get_tunnel_key'; size: number; flags: number }
  | { kind: 'set_tunnel_opt'; size: number }
  | { kind: 'get_tunnel_opt'; size: number };

/** Stack buffers of the tunnel calls: two keys to set (one with a flow label), one to read into, options. */
const KEY_IPV4_AT = -64;
const KEY_LABELLED_AT = -112;
const KEY_OUT_AT = -160;
const OPTIONS_AT = -224;

const swap16 = (value: number) => ((value & 0xff) << 8) | (value >> 8);

function opAssembly(op: Op): string {
  const call = (id: number, ...args: (number | bigint)[]) =>
    [
      'r1 = r6',
      ...args.map((arg, i) => (typeof arg === 'bigint' ? `r${i + 2} = ${arg} ll` : `r${i + 2} = ${arg}`)),
      `call ${id}`,
    ].join('\n');
  switch (op.kind) {
    case 'change_tail':
      return call(38, op.length, op.flags);
    case 'change_head':
      return call(43, op.room, op.flags);
    case 'adjust_room':
      return call(50, op.difference, op.mode, op.flags);
    case 'vlan_push':
      return call(18, swap16(op.proto), op.tci);
    case 'vlan_pop':
      return call(19);
    case 'change_proto':
      return call(31, swap16(op.proto), op.flags);
    case 'pull_data':
      return call(39, op.length);
    case 'csum_level':
      return call(135, op.level);
    case 'change_type':
      return call(32, op.type);
    case 'set_tunnel_key': {
      const at = op.key === 'ipv4' ? KEY_IPV4_AT : KEY_LABELLED_AT;
      return ['r1 = r6', 'r2 = r10', `r2 += ${at}`, `r3 = ${op.size}`, `r4 = ${op.flags}`, 'call 21'].join(
        '\n',
      );
    }
    case 'get_tunnel_key':
      return [
        fillOut(),
        ...['r1 = r6', 'r2 = r10', `r2 += ${KEY_OUT_AT}`, `r3 = ${op.size}`, `r4 = ${op.flags}`, 'call 20'],
        foldStack(KEY_OUT_AT, 44),
      ].join('\n');
    case 'set_tunnel_opt':
      return ['r1 = r6', 'r2 = r10', `r2 += ${OPTIONS_AT}`, `r3 = ${op.size}`, 'call 30'].join('\n');
    case 'get_tunnel_opt':
      return [
        fillOut(),
        ...['r1 = r6', 'r2 = r10', `r2 += ${KEY_OUT_AT}`, `r3 = ${op.size}`, 'call 29'],
        foldStack(KEY_OUT_AT, 44),
      ].join('\n');
  }
}

/** Fills the 44-byte read buffer with 0xaa first, so what a helper clears or leaves shows. */
function fillOut(): string {
  const fill = ['r1 = 0xaaaaaaaa'];
  for (let offset = 0; offset < 44; offset += 4) fill.push(`*(u32 *)(r10 ${KEY_OUT_AT + offset}) = r1`);
  return fill.join('\n');
}

/** Folds `size` bytes of the stack at `at` into r8 (kept apart from r0, which the caller folds next). */
function foldStack(at: number, size: number): string {
  const lines = ['r8 = r0'];
  for (let offset = 0; offset < size; offset += 4) {
    lines.push(`r1 = *(u32 *)(r10 ${at + offset})`, 'r7 *= 3', 'r7 ^= r1');
  }
  return [...lines, 'r0 = r8'].join('\n');
}

/** The two keys the program can set and the options: fixed bytes written at entry. */
function tunnelBuffers(): string {
  const words = (at: number, values: readonly number[]) =>
    values.flatMap((value, i) => [`r1 = ${value}`, `*(u32 *)(r10 ${at + 4 * i}) = r1`]);
  const key = (label: number) => [7, 0x0a000001, 0, 0, 0, 0x4011, label, 0x0a000002, 0, 0, 0];
  return [
    ...words(KEY_IPV4_AT, key(0)),
    ...words(KEY_LABELLED_AT, key(0x12345)),
    ...words(OPTIONS_AT, [0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10]),
  ].join('\n');
}

/**
 * A tc program making the calls in order and folding each result and the skb fields after it (len, pkt_type,
 * protocol, vlan_present/tci/proto) into r0.
 */
function reshapeProgram(ops: readonly Op[]): string {
  const fold = ['r7 *= 31', 'r7 += r0'];
  for (const offset of [0, 4, 16, 20, 24, 28])
    fold.push(`r1 = *(u32 *)(r6 + ${offset})`, 'r7 *= 7', 'r7 ^= r1');
  return [
    'r6 = r1',
    'r7 = 0',
    tunnelBuffers(),
    ...ops.flatMap((op) => [opAssembly(op), ...fold]),
    'r0 = r7',
    'exit',
  ].join('\n');
}

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('change_tail' as const),
    length: fc.integer({ min: 0, max: 400 }),
    flags: fc.constantFrom(0, 0, 0, 1),
  }),
  fc.record({
    kind: fc.constant('change_head' as const),
    room: fc.integer({ min: 0, max: 120 }),
    flags: fc.constantFrom(0, 0, 0, 1),
  }),
  fc.record({
    kind: fc.constant('adjust_room' as const),
    difference: fc.integer({ min: -64, max: 64 }),
    mode: fc.constantFrom(0, 1, 1, 2),
    flags: fc
      .tuple(fc.integer({ min: 0, max: 0x1ff }), fc.constantFrom(0, 0, 8, 14, 20))
      .map(([bits, inner]) => BigInt(bits) | (BigInt(inner) << 56n)),
  }),
  fc.record({
    kind: fc.constant('vlan_push' as const),
    proto: fc.constantFrom(0x8100, 0x88a8, 0x1234),
    tci: fc.integer({ min: 0, max: 0xffff }),
  }),
  fc.record({ kind: fc.constant('vlan_pop' as const) }),
  fc.record({
    kind: fc.constant('change_proto' as const),
    proto: fc.constantFrom(0x0800, 0x86dd, 0x0806),
    flags: fc.constantFrom(0, 0, 0, 1),
  }),
  fc.record({ kind: fc.constant('pull_data' as const), length: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ kind: fc.constant('csum_level' as const), level: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('change_type' as const), type: fc.integer({ min: 0, max: 5 }) }),
  fc.record({
    kind: fc.constant('set_tunnel_key' as const),
    key: fc.constantFrom('ipv4' as const, 'labelled' as const),
    size: fc.constantFrom(44, 44, 28, 24, 22, 8, 12),
    flags: fc.constantFrom(0, 1, 2, 4, 8, 16, 0x1e, 0x20),
  }),
  fc.record({
    kind: fc.constant('get_tunnel_key' as const),
    size: fc.constantFrom(44, 44, 28, 24, 22, 8, 12),
    flags: fc.constantFrom(0, 0, 1, 16, 17, 2),
  }),
  fc.record({ kind: fc.constant('set_tunnel_opt' as const), size: fc.constantFrom(4, 8, 16, 6) }),
  fc.record({ kind: fc.constant('get_tunnel_opt' as const), size: fc.constantFrom(4, 8, 16, 44) }),
);

oracle.describe('random sequences of reshaping helpers equal the kernel', () => {
  oracle.it('retval (results and skb fields folded) and data_out agree', () => {
    const packets = PACKETS.map(([, data]) => data);
    const cases = fc.sample(
      fc.record({
        packet: fc.integer({ min: 0, max: packets.length - 1 }),
        ops: fc.array(opArbitrary, { minLength: 1, maxLength: 6 }),
      }),
      { numRuns: 150, seed: 13 },
    );
    const programs = cases.map((c) => ({
      insns: assembleInsns(reshapeProgram(c.ops)),
      data: packets[c.packet],
    }));
    const kernel = oracle.runInsnsBatch(
      programs.map((p) => ({ type: 'sched_cls', insns: p.insns, license: 'GPL', data: p.data, logLevel: 0 })),
    );
    let ran = 0;
    let changedPacket = 0;
    for (const [i, program] of programs.entries()) {
      const theirs = kernel[i];
      expect(theirs.verdict, theirs.log).toBe('accepted');
      const bpf = new Bpf();
      const loaded = bpf.progLoad({ type: 'sched_cls', insns: program.insns, license: 'GPL' });
      const ours = bpf.testRun(loaded.fd, { data: program.data });
      const context = JSON.stringify(cases[i], (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
      expect(ours.error, context).toBeUndefined();
      expect({ retval: ours.retval, dataOut: hex(ours.dataOut) }, context).toEqual({
        retval: theirs.testRun?.retval,
        dataOut: theirs.testRun?.dataOut,
      });
      ran++;
      if (hex(ours.dataOut) !== hex(program.data)) changedPacket++;
    }
    // Every case reaches the helpers (a call with the ctx, scalars and stack buffers always verifies); many
    // reshape the packet.
    expect(ran).toBe(150);
    expect(changedPacket).toBeGreaterThan(30);
  });
});
