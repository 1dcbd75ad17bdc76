// The benchmark suite's workload: the project's own programs of bench/progs, each on the packet it is meant for,
// grouped as the targets are (compute-bound, map/helper-heavy, the empty program).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { body, ether, ipv4, ipv6, tcp, udp } from '../test/integration/testrun-packets.js';
import type { BenchProgram } from './corpus.js';

export type SuiteGroup = 'compute' | 'maps' | 'empty';

export const GROUP_TITLES: Readonly<Record<SuiteGroup, string>> = {
  compute: 'compute-bound (hashing, call-heavy, checksum, parse)',
  maps: 'map/helper-heavy (maps, lb)',
  empty: 'empty program',
};

export interface SuitePacket {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface SuiteCase {
  /** The row's name (a program may run on several packets). */
  readonly name: string;
  readonly group: SuiteGroup;
  /** The object's file in bench/progs. */
  readonly object: string;
  readonly program: string;
  readonly packet: SuitePacket;
}

/** IPv4/TCP to 10.0.0.2:80 (lb's first virtual service), 64 bytes in all. */
const IPV4_TCP_64: SuitePacket = {
  name: 'ipv4-tcp-64',
  data: Uint8Array.from(ether(0x0800, ipv4({ protocol: 6, payload: tcp(40000, 80, body(10)) }))),
};

/** A full-size frame: IPv4/UDP, 1,500 bytes. */
const IPV4_UDP_1500: SuitePacket = {
  name: 'ipv4-udp-1500',
  data: Uint8Array.from(
    ether(0x0800, ipv4({ protocol: 17, payload: udp(4000, 4001, body(1500 - 14 - 20 - 8, 3)) })),
  ),
};

/** The parser's longest path: a VLAN tag, IPv6, TCP (86 bytes). */
const VLAN_IPV6_TCP: SuitePacket = {
  name: 'vlan-ipv6-tcp',
  data: Uint8Array.from(ether(0x8100, [0x00, 0x2a, 0x86, 0xdd, ...ipv6(6, tcp(50000, 443, body(8)))])),
};

export const SUITE_CASES: readonly SuiteCase[] = [
  { name: 'fnv1a', group: 'compute', object: 'fnv1a.o', program: 'bench_fnv1a', packet: IPV4_TCP_64 },
  { name: 'calls', group: 'compute', object: 'calls.o', program: 'bench_calls', packet: IPV4_TCP_64 },
  {
    name: 'checksum-64',
    group: 'compute',
    object: 'checksum.o',
    program: 'bench_checksum',
    packet: IPV4_TCP_64,
  },
  {
    name: 'checksum-1500',
    group: 'compute',
    object: 'checksum.o',
    program: 'bench_checksum',
    packet: IPV4_UDP_1500,
  },
  { name: 'parse', group: 'compute', object: 'parse.o', program: 'bench_parse', packet: VLAN_IPV6_TCP },
  { name: 'maps', group: 'maps', object: 'maps.o', program: 'bench_maps', packet: IPV4_TCP_64 },
  { name: 'lb', group: 'maps', object: 'lb.o', program: 'bench_lb', packet: IPV4_TCP_64 },
  { name: 'empty', group: 'empty', object: 'empty.o', program: 'bench_empty', packet: IPV4_TCP_64 },
];

/** A case's object as the corpus benchmark's measuring code takes it. */
export function suiteProgram(root: string, suiteCase: SuiteCase): BenchProgram {
  const absolutePath = join(root, 'bench', 'progs', suiteCase.object);
  return {
    objectPath: `bench/progs/${suiteCase.object}`,
    absolutePath,
    bytes: new Uint8Array(readFileSync(absolutePath)),
    program: suiteCase.program,
    programType: 'xdp',
  };
}
