// bpf_tcp_sock against the kernel: test/progs/net/netrest_tcp_sock.c looks up the packet's TCP tuple and its
// reverse and copies every field of struct bpf_tcp_sock, in tsbpf over declared sockets and in the kernel in a
// fresh namespace with a listener and a connection on lo. Fields the handshake draws at random or times (sequence
// numbers, RTTs) are compared by how they relate; the rest must be equal. Then misuse the verifier refuses.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { BPF_TCP_SOCK_FIELDS } from '../../src/abi/context-structs.js';
import { Bpf } from '../../src/api/bpf.js';
import type { NetworkDeclaration } from '../../src/vm/network.js';
import { hexToBytes } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal } from './netrest-runs.js';

const oracle = requireOracle();
const PATH = 'test/progs/net/netrest_tcp_sock.o';

const KERNEL_SOCKETS = ['tcp-listen:8080', 'tcp-connect:40001:8080', 'tcp6-listen:8443'];
const LO = Uint8Array.of(127, 0, 0, 1);
const LO6 = Uint8Array.of(...new Array(15).fill(0), 1);
const NETWORK: NetworkDeclaration = {
  sockets: [
    { kind: 'tcp-listen', localAddress: LO, localPort: 8080 },
    { kind: 'tcp-established', localAddress: LO, localPort: 40001, remoteAddress: LO, remotePort: 8080 },
    { kind: 'tcp-established', localAddress: LO, localPort: 8080, remoteAddress: LO, remotePort: 40001 },
    { kind: 'tcp-listen', localAddress: LO6, localPort: 8443 },
  ],
};

/** Ethernet + IPv4 + TCP SYN from `src`:sport to 127.0.0.1:dport. */
function packet(src: number[], sport: number, dport: number): Uint8Array {
  const tcp = [
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
    2,
    0xff,
    0xff,
  ];
  return Uint8Array.from([
    ...[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00],
    ...[0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, ...src, 127, 0, 0, 1],
    ...tcp,
    ...[0, 0, 0, 0],
  ]);
}

/** Ethernet + IPv6 (::1 to ::1) + the same TCP SYN. */
function packet6(sport: number, dport: number): Uint8Array {
  const tcp = packet([127, 0, 0, 1], sport, dport).subarray(34, 54);
  return Uint8Array.from([
    ...[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x86, 0xdd],
    ...[0x60, 0, 0, 0, 0, tcp.length, 6, 64, ...LO6, ...LO6],
    ...tcp,
  ]);
}

/** Each packet with the program's answer: bit 0 a TCP socket for the tuple, bit 1 one for its reverse. */
const CASES: [string, Uint8Array, number][] = [
  ['the IPv6 listener on ::1', packet6(5555, 8443), 1],
  ['the listener (and nothing back)', packet([127, 0, 0, 1], 5555, 8080), 1],
  ['the listener from another host', packet([10, 0, 0, 1], 1234, 8080), 1],
  ['the accepted end, then the connecting end', packet([127, 0, 0, 1], 40001, 8080), 3],
  ['the connecting end, then the accepted end', packet([127, 0, 0, 1], 8080, 40001), 3],
  ['no socket', packet([127, 0, 0, 1], 5555, 9999), 0],
];

/** Timed or random per handshake: compared by their relations below. */
const VARYING = new Set(['srtt_us', 'rtt_min', 'rcv_nxt', 'snd_nxt', 'snd_una']);

type End = Record<string, bigint> & { found: bigint; is_tcp: bigint };

/** .bss: two `struct end` (found, is_tcp, struct bpf_tcp_sock) then from_skb_sk. */
function decode(bss: Uint8Array): { ends: End[]; fromSkbSk: bigint } {
  const view = new DataView(bss.buffer, bss.byteOffset, bss.byteLength);
  const ends = [0, 120].map((base) => {
    const end: Record<string, bigint> = {
      found: BigInt(view.getInt32(base, true)),
      is_tcp: BigInt(view.getInt32(base + 4, true)),
    };
    for (const f of BPF_TCP_SOCK_FIELDS) {
      const at = base + 8 + f.offset;
      end[f.name] = f.size === 8 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true));
    }
    return end as End;
  });
  return { ends, fromSkbSk: view.getBigUint64(240, true) };
}

interface Outcome {
  retval: number;
  ends: End[];
  fromSkbSk: bigint;
}

function tsbpfRun(data: Uint8Array): Outcome {
  const bpf = new Bpf({ network: NETWORK });
  const object = bpf.openObject(readFileSync(PATH), 'netrest_tcp_sock.o').load({ programs: ['tc_tcp_sock'] });
  const run = bpf.testRun(object.program('tc_tcp_sock').handle.fd, { data });
  expect(run.error).toBeUndefined();
  return { retval: run.retval, ...decode(bpf.mapDump(object.mapFd('netrest_.bss'))[0].value!) };
}

function kernelRun(data: Uint8Array): Outcome {
  const report = oracle.runObject(PATH, {
    program: 'tc_tcp_sock',
    data,
    dumpMaps: true,
    netns: true,
    netnsSockets: KERNEL_SOCKETS,
  }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  const bss = report.maps!.find((m) => m.name?.endsWith('.bss'))!.entries![0].value;
  return { retval: report.testRun!.retval, ...decode(hexToBytes(bss)) };
}

/** The fields that must be equal, and the relations among the varying ones. */
function comparable(outcome: Outcome) {
  const [a, b] = outcome.ends;
  const fixed = (end: End) => Object.fromEntries(Object.entries(end).filter(([name]) => !VARYING.has(name)));
  const connected = (end: End) => end.is_tcp === 1n && end.srtt_us !== 0n;
  const relations = (end: End) => ({
    sentAllAcked: end.snd_nxt === end.snd_una,
    srttIsRttMinTimesEight: end.srtt_us === end.rtt_min << 3n,
    rttMeasured: connected(end) ? end.rtt_min > 0n : end.rtt_min,
    sequenceZero: end.snd_nxt === 0n && end.rcv_nxt === 0n,
  });
  return {
    retval: outcome.retval,
    fromSkbSk: outcome.fromSkbSk,
    ends: [fixed(a), fixed(b)],
    relations: [relations(a), relations(b)],
    // Each end receives next what the other sends next.
    pairAgrees: connected(a) && connected(b) ? a.rcv_nxt === b.snd_nxt && b.rcv_nxt === a.snd_nxt : undefined,
  };
}

oracle.describe('bpf_tcp_sock over declared sockets equals the kernel over real ones on lo', () => {
  for (const [name, data, found] of CASES) {
    oracle.it(name, () => {
      const ours = tsbpfRun(data);
      expect(comparable(ours)).toEqual(comparable(kernelRun(data)));
      expect(ours.retval).toBe(found);
      expect(ours.fromSkbSk).toBe(0n); // test-run's own socket is not TCP
    });
  }

  for (const program of [
    'tcp_sock_narrow_u64',
    'tcp_sock_past_end',
    'tcp_sock_write',
    'tcp_sock_maybe_null',
  ]) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () =>
      expectSameRefusal(oracle, PATH, program),
    );
  }
});
