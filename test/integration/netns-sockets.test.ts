// Socket lookups against the kernel: test/progs/net/netns_sockets.c test-runs in tsbpf, with sockets declared
// in the fixture's network section, and in the kernel inside a fresh network namespace where the oracle
// brought lo up and opened the same sockets on 127.0.0.1 (a listener, a connected pair, a UDP socket).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadAndRun } from '../../src/cli/run.js';
import { REPO_ROOT } from '../corpus.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const OBJECT = join(REPO_ROOT, 'test', 'progs', 'net', 'netns_sockets.o');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The kernel side: lo up, a TCP listener on 8080, a client on 40001 connected to it, UDP on 5353; on ::1 a
 * TCP listener on 8443 and UDP on 5353 (IPv6 only). */
const KERNEL_SOCKETS = [
  'tcp-listen:8080',
  'tcp-connect:40001:8080',
  'udp:5353',
  'tcp6-listen:8443',
  'udp6:5353',
];

/** The same sockets declared for tsbpf (the connection is two established sockets, one per end). */
const FIXTURE = {
  network: {
    sockets: [
      { kind: 'tcp-listen', localAddress: '127.0.0.1', localPort: 8080 },
      {
        kind: 'tcp-established',
        localAddress: '127.0.0.1',
        localPort: 40001,
        remoteAddress: '127.0.0.1',
        remotePort: 8080,
      },
      {
        kind: 'tcp-established',
        localAddress: '127.0.0.1',
        localPort: 8080,
        remoteAddress: '127.0.0.1',
        remotePort: 40001,
      },
      { kind: 'udp', localAddress: '127.0.0.1', localPort: 5353 },
      { kind: 'tcp-listen', localAddress: '::1', localPort: 8443 },
      { kind: 'udp', localAddress: '::1', localPort: 5353 },
    ],
  },
};

function packet(
  proto: 'tcp' | 'udp',
  src: number[],
  sport: number,
  dst: number[],
  dport: number,
): Uint8Array {
  const l4 =
    proto === 'tcp'
      ? [
          sport >> 8,
          sport & 0xff,
          dport >> 8,
          dport & 0xff,
          0,
          0,
          0,
          1,
          0,
          0,
          0,
          0,
          0x50,
          0x02,
          0xff,
          0xff,
          0,
          0,
          0,
          0,
        ]
      : [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 8, 0, 0];
  const total = 20 + l4.length;
  return Uint8Array.from([
    ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00],
    ...[0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, proto === 'tcp' ? 6 : 17, 0, 0, ...src, ...dst],
    ...l4,
  ]);
}

const LO = [127, 0, 0, 1];
const LO6 = [...new Array(15).fill(0), 1];

/** Ethernet + IPv6 + the first 20 (TCP) or 8 (UDP) bytes of the transport header. */
function packet6(
  proto: 'tcp' | 'udp',
  src: number[],
  sport: number,
  dst: number[],
  dport: number,
): Uint8Array {
  const l4 = packet(proto, LO, sport, LO, dport).subarray(34);
  return Uint8Array.from([
    ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xdd],
    ...[0x60, 0, 0, 0, 0, l4.length, proto === 'tcp' ? 6 : 17, 64, ...src, ...dst],
    ...l4,
  ]);
}
/** The packet with its TCP flags turned into a bare ACK. */
const ack = (bytes: Uint8Array) => {
  bytes[47] = 0x10;
  return bytes;
};
/** Each packet with whether a socket owns it (the program's return value). */
const PACKETS: readonly (readonly [string, Uint8Array, number])[] = [
  ['TCP SYN to the listener', packet('tcp', LO, 40000, LO, 8080), 1],
  ['TCP from another host to the listener', packet('tcp', [10, 0, 0, 1], 1234, LO, 8080), 1],
  ['TCP to the listener port on another address', packet('tcp', LO, 40000, [10, 0, 0, 2], 8080), 0],
  ['TCP to the client end of the connection', packet('tcp', LO, 8080, LO, 40001), 1],
  ['TCP to the server end of the connection', packet('tcp', LO, 40001, LO, 8080), 1],
  ['TCP ACK to the listener', ack(packet('tcp', LO, 40002, LO, 8080)), 1],
  ['TCP to a closed port', packet('tcp', LO, 40000, LO, 9999), 0],
  ['UDP to the bound socket', packet('udp', LO, 5000, LO, 5353), 1],
  ['IPv6 TCP to the listener on ::1', packet6('tcp', LO6, 40000, LO6, 8443), 1],
  ['IPv6 TCP to a closed port', packet6('tcp', LO6, 40000, LO6, 8444), 0],
  ['IPv6 UDP to the bound socket', packet6('udp', LO6, 5000, LO6, 5353), 1],
  ['UDP to a closed port', packet('udp', LO, 5000, LO, 5354), 0],
];

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-netns-'));
const fixtureFile = join(dir, 'sockets.json');
writeFileSync(fixtureFile, JSON.stringify(FIXTURE));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

oracle.describe('socket lookups over declared sockets equal the kernel over real ones', () => {
  for (const [name, data, found] of PACKETS) {
    oracle.it(name, () => {
      const kernel = oracle.runObject(OBJECT, {
        program: 'tc_netns_sockets',
        data,
        dumpMaps: true,
        netns: true,
        netnsSockets: KERNEL_SOCKETS,
      });
      const report = kernel.programs.find((p) => p.name === 'tc_netns_sockets');
      expect(report?.verdict, report?.log).toBe('accepted');
      expect(report?.testRun?.errno).toBe(0);
      const { bpf, object, result } = loadAndRun(OBJECT, {
        program: 'tc_netns_sockets',
        data,
        config: { fixtureFile },
      });
      expect(result.error).toBeUndefined();
      expect(result.retval).toBe(found);
      const ours = bpf
        .mapDump(object.mapFd('results'))
        .map((entry) => ({ key: hex(entry.key), value: hex(entry.value) }));
      const theirs = report?.maps?.find((map) => map.name === 'results')?.entries ?? [];
      expect({ retval: result.retval, results: ours }).toEqual({
        retval: report?.testRun?.retval,
        results: theirs,
      });
    });
  }
});
