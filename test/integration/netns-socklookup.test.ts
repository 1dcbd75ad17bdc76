// Socket lookups of dual-stack and IPv6-only listeners, device-bound sockets, request and time-wait sockets, netns
// ids and peer namespaces against the kernel: test/progs/net/socklookup_{tc,xdp}.c test-run in tsbpf (both engines) over
// declared sockets and in the kernel inside a fresh network namespace where the oracle made the same sockets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fieldOffset, SK_BUFF_FIELDS } from '../../src/abi/context-structs.js';
import { Bpf } from '../../src/api/bpf.js';
import { type NetworkDeclaration, parseIpAddress, type SocketDeclaration } from '../../src/vm/network.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const PROGRAMS = [
  { file: 'socklookup_tc.o', program: 'tc_socklookup', kind: 'tc' },
  { file: 'socklookup_xdp.o', program: 'xdp_socklookup', kind: 'xdp' },
] as const;
const ENGINES = ['interp', 'jit'] as const;

const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);
const LO = [127, 0, 0, 1];
const LO6 = [...new Array(15).fill(0), 1];
const MAPPED = [...new Array(10).fill(0), 0xff, 0xff, ...LO];

/** Ethernet, then IPv4 or IPv6 (by the addresses' size), then a TCP SYN or a UDP header. */
function packet(
  proto: 'tcp' | 'udp',
  src: number[],
  sport: number,
  dst: number[],
  dport: number,
): Uint8Array {
  const ports = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff];
  const l4 =
    proto === 'tcp'
      ? [...ports, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]
      : [...ports, 0, 8, 0, 0];
  const next = proto === 'tcp' ? 6 : 17;
  const l3 =
    src.length === 4
      ? [0x45, 0, 0, 20 + l4.length, 0, 1, 0, 0, 64, next, 0, 0, ...src, ...dst]
      : [0x60, 0, 0, 0, 0, l4.length, next, 64, ...src, ...dst];
  return Uint8Array.from([
    ...new Array(12).fill(0),
    ...(src.length === 4 ? [8, 0] : [0x86, 0xdd]),
    ...l3,
    ...l4,
  ]);
}

interface Case {
  readonly name: string;
  readonly data: Uint8Array;
  /** The device the packet arrives on (skb->ifindex, xdp_md.ingress_ifindex); default lo. */
  readonly ifindex?: number;
}

interface Scenario {
  readonly name: string;
  /** The kernel's namespace: `oracle --netns-socket` specs. */
  readonly kernel: readonly string[];
  /** The same namespace declared for tsbpf. */
  readonly network: NetworkDeclaration;
  readonly cases: readonly Case[];
}

const listen = (address: string, port: number, more: Partial<SocketDeclaration> = {}): SocketDeclaration => ({
  kind: 'tcp-listen',
  localAddress: ip(address),
  localPort: port,
  ...more,
});
const connected = (
  kind: SocketDeclaration['kind'],
  local: string,
  localPort: number,
  remote: string,
  remotePort: number,
): SocketDeclaration => ({ kind, localAddress: ip(local), localPort, remoteAddress: ip(remote), remotePort });

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'dual-stack and IPv6-only listeners (the namespace has id 5 for itself)',
    kernel: [
      'tcp6-listen-dual:8080',
      'tcp6-listen-any:8081',
      'udp6-dual:53',
      'tcp-listen:8082',
      'netns-id:5',
      'tcp-connect:40005:8080',
    ],
    network: {
      loopbackUp: true,
      netnsId: 5,
      sockets: [
        listen('::', 8080),
        listen('::', 8081, { v6Only: true }),
        { kind: 'udp', localAddress: ip('::'), localPort: 53 },
        listen('127.0.0.1', 8082),
        // An IPv4 client of the dual-stack listener; the end it accepted is an IPv6 socket with mapped addresses.
        connected('tcp-established', '127.0.0.1', 40005, '127.0.0.1', 8080),
        connected('tcp-established', '::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 40005),
      ],
    },
    cases: [
      { name: 'IPv4 TCP to a dual-stack listener', data: packet('tcp', LO, 40000, LO, 8080) },
      { name: 'IPv4 TCP to an IPv6-only listener', data: packet('tcp', LO, 40000, LO, 8081) },
      { name: 'IPv6 TCP to an IPv6-only listener', data: packet('tcp', LO6, 40000, LO6, 8081) },
      {
        name: 'IPv4-mapped IPv6 TCP to an IPv6-only listener',
        data: packet('tcp', MAPPED, 40000, MAPPED, 8081),
      },
      { name: 'IPv6 TCP to a dual-stack listener', data: packet('tcp', LO6, 40000, LO6, 8080) },
      { name: 'IPv4 UDP to a dual-stack socket', data: packet('udp', LO, 40000, LO, 53) },
      { name: 'IPv6 UDP to a dual-stack socket', data: packet('udp', LO6, 40000, LO6, 53) },
      { name: 'IPv4 TCP to an IPv4 listener', data: packet('tcp', LO, 40000, LO, 8082) },
      { name: 'IPv6 TCP to an IPv4 listener port', data: packet('tcp', LO6, 40000, LO6, 8082) },
      { name: 'IPv4-mapped IPv6 UDP to a dual-stack socket', data: packet('udp', MAPPED, 40000, MAPPED, 53) },
      { name: 'the IPv6 end a dual-stack listener accepted', data: packet('tcp', LO, 40005, LO, 8080) },
      { name: 'its tuple IPv4-mapped over IPv6', data: packet('tcp', MAPPED, 40005, MAPPED, 8080) },
      { name: 'the IPv4 client of that connection', data: packet('tcp', LO, 8080, LO, 40005) },
    ],
  },
  {
    name: 'sockets bound to a device (veth pair: v1 is ifindex 2, v0 is 3)',
    kernel: ['veth:v0:v1', 'tcp-listen-dev:8081:lo', 'tcp-listen-dev:8081:v0', 'udp-dev:53:v1'],
    network: {
      loopbackUp: true,
      interfaces: [
        { ifindex: 2, name: 'v1', up: false },
        { ifindex: 3, name: 'v0', up: false },
      ],
      sockets: [
        listen('127.0.0.1', 8081, { boundDevice: 1 }),
        listen('127.0.0.1', 8081, { boundDevice: 3 }),
        { kind: 'udp', localAddress: ip('127.0.0.1'), localPort: 53, boundDevice: 2 },
      ],
    },
    cases: [1, 2, 3].flatMap((ifindex) => [
      { name: `TCP arriving on ifindex ${ifindex}`, data: packet('tcp', LO, 40000, LO, 8081), ifindex },
      { name: `UDP arriving on ifindex ${ifindex}`, data: packet('udp', LO, 40000, LO, 53), ifindex },
    ]),
  },
  {
    name: 'request and time-wait sockets',
    kernel: ['tcp-request:8080:40001', 'tcp-time-wait:9090:40002', 'tcp6-request-dual:8443:40003'],
    network: {
      loopbackUp: true,
      sockets: [
        listen('127.0.0.1', 8080),
        connected('tcp-established', '127.0.0.1', 40001, '127.0.0.1', 8080),
        connected('tcp-request', '127.0.0.1', 8080, '127.0.0.1', 40001),
        connected('tcp-time-wait', '127.0.0.1', 40002, '127.0.0.1', 9090),
        listen('::', 8443),
        connected('tcp-established', '127.0.0.1', 40003, '127.0.0.1', 8443),
        connected('tcp-request', '::ffff:127.0.0.1', 8443, '::ffff:127.0.0.1', 40003),
      ],
    },
    cases: [
      { name: 'the request socket of a handshake', data: packet('tcp', LO, 40001, LO, 8080) },
      { name: 'the client end of that handshake', data: packet('tcp', LO, 8080, LO, 40001) },
      { name: 'another SYN to the listener', data: packet('tcp', LO, 40009, LO, 8080) },
      { name: 'the time-wait end of a closed connection', data: packet('tcp', LO, 9090, LO, 40002) },
      { name: 'the closed listener of that connection', data: packet('tcp', LO, 40002, LO, 9090) },
      { name: 'an IPv4 request socket of a dual-stack listener', data: packet('tcp', LO, 40003, LO, 8443) },
      { name: 'the same tuple IPv4-mapped over IPv6', data: packet('tcp', MAPPED, 40003, MAPPED, 8443) },
      { name: 'the IPv4 client of the dual-stack listener', data: packet('tcp', LO, 8443, LO, 40003) },
    ],
  },
  {
    name: 'peer namespaces known by ids 1 and 7 (the home namespace is 5 to itself; y and b are ifindex 2)',
    kernel: [
      'veth:x:y',
      'tcp-listen:8082',
      'netns-id:5',
      'peer:1:tcp-listen:8080',
      'peer:1:udp:53',
      'peer:7:tcp-request:8080:40000',
      'peer:7:veth:a:b',
      'peer:7:tcp-listen-dev:8081:b',
    ],
    network: {
      loopbackUp: true,
      netnsId: 5,
      interfaces: [
        { ifindex: 2, name: 'y', up: false },
        { ifindex: 3, name: 'x', up: false },
      ],
      sockets: [listen('127.0.0.1', 8082)],
      peers: [
        {
          id: 1,
          network: {
            loopbackUp: true,
            sockets: [
              listen('127.0.0.1', 8080),
              { kind: 'udp', localAddress: ip('127.0.0.1'), localPort: 53 },
            ],
          },
        },
        {
          id: 7,
          network: {
            loopbackUp: true,
            interfaces: [
              { ifindex: 2, name: 'b', up: false },
              { ifindex: 3, name: 'a', up: false },
            ],
            sockets: [
              listen('127.0.0.1', 8080),
              connected('tcp-established', '127.0.0.1', 40000, '127.0.0.1', 8080),
              connected('tcp-request', '127.0.0.1', 8080, '127.0.0.1', 40000),
              listen('127.0.0.1', 8081, { boundDevice: 2 }),
            ],
          },
        },
      ],
    },
    cases: [
      {
        name: 'a request socket in one peer, a listener in the other',
        data: packet('tcp', LO, 40000, LO, 8080),
      },
      { name: 'listeners in both peers', data: packet('tcp', LO, 40001, LO, 8080) },
      {
        name: "a peer's socket bound to ifindex 2, from ifindex 2",
        data: packet('tcp', LO, 40000, LO, 8081),
        ifindex: 2,
      },
      { name: "a peer's socket bound to ifindex 2, from lo", data: packet('tcp', LO, 40000, LO, 8081) },
      { name: "a peer's UDP socket", data: packet('udp', LO, 40000, LO, 53) },
      { name: 'a home listener, by -1 and by its own id', data: packet('tcp', LO, 40000, LO, 8082) },
    ],
  },
];

/** ctx_in naming the device: a __sk_buff with ifindex, an xdp_md with data_end and ingress_ifindex. */
function contextFor(
  kind: 'tc' | 'xdp',
  data: Uint8Array,
  ifindex: number | undefined,
): Uint8Array | undefined {
  if (ifindex === undefined) return undefined;
  if (kind === 'xdp') return new Uint8Array(Uint32Array.of(0, data.length, 0, ifindex, 0, 0).buffer);
  const ctx = new Uint8Array(192);
  new DataView(ctx.buffer).setUint32(fieldOffset(SK_BUFF_FIELDS, 'ifindex'), ifindex, true);
  return ctx;
}

interface Outcome {
  readonly retval: number;
  readonly results: readonly { key: string; value: string }[];
}

function tsbpfRun(
  file: string,
  program: string,
  engine: (typeof ENGINES)[number],
  network: NetworkDeclaration,
  data: Uint8Array,
  ctx: Uint8Array | undefined,
): Outcome {
  const bpf = new Bpf({ network });
  const path = join(REPO_ROOT, 'test', 'progs', 'net', file);
  const object = bpf.openObject(readFileSync(path), file).load({ programs: [program], engine });
  const run = bpf.testRun(object.program(program).handle.fd, { data, ctx });
  expect(run.error).toBeUndefined();
  const results = bpf
    .mapDump(object.mapFd('results'))
    .map((entry) => ({ key: bytesToHex(entry.key), value: bytesToHex(entry.value ?? new Uint8Array(0)) }));
  return { retval: run.retval, results };
}

for (const scenario of SCENARIOS) {
  oracle.describe(`socket lookups: ${scenario.name}`, () => {
    for (const { file, program, kind } of PROGRAMS) {
      for (const { name, data, ifindex } of scenario.cases) {
        oracle.it(`${kind}: ${name}`, () => {
          const ctx = contextFor(kind, data, ifindex);
          const report = oracle.runObject(join(REPO_ROOT, 'test', 'progs', 'net', file), {
            program,
            data,
            ctx,
            dumpMaps: true,
            netns: true,
            netnsSockets: scenario.kernel,
          }).programs[0];
          expect(report.verdict, report.log).toBe('accepted');
          expect(report.testRun?.errno).toBe(0);
          const kernel: Outcome = {
            retval: report.testRun?.retval ?? -1,
            results: report.maps?.find((map) => map.name === 'results')?.entries ?? [],
          };
          // Every case parses: -1 would mean the packet never reached a lookup.
          expect(kernel.retval).not.toBe(0xffff_ffff);
          for (const engine of ENGINES)
            expect(tsbpfRun(file, program, engine, scenario.network, data, ctx), engine).toEqual(kernel);
        });
      }
    }
  });
}
