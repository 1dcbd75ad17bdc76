// The benchmark's workload: every socket/xdp/tc program of the committed corpus, and the packets it runs on.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { programTypeForSection } from '../src/object/section-names.js';
import { Bpf } from '../src/api/bpf.js';
import { type TestPacket, testPackets } from '../test/integration/testrun-packets.js';

/** Program types BPF_PROG_TEST_RUN runs on a packet (socket, xdp and tc sections). */
const PACKET_PROGRAM_TYPES = new Set(['socket_filter', 'xdp', 'sched_cls', 'sched_act']);

/** IPv4 TCP, IPv6 UDP and a full 1500-byte frame: short and long parses, both address families. */
export const BENCH_PACKET_NAMES = ['ipv4-tcp-http', 'ipv6-udp-voice', 'ipv4-udp-1500'] as const;

export interface BenchProgram {
  /** Object path relative to the repository root, as tools print it. */
  readonly objectPath: string;
  readonly absolutePath: string;
  readonly bytes: Uint8Array;
  readonly program: string;
  readonly programType: string;
}

/**
 * The repository root, found upwards from this file: the runner runs both from `bench/` (sources) and from
 * `build/bench/bench/` (compiled), so a fixed number of `..` would be wrong for one of them.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'progs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the tsbpf repository root (package.json and test/progs)');
    dir = parent;
  }
}

/** Every packet-driven program of `test/progs/*.o`, objects in name order, programs in libbpf's order. */
export function benchPrograms(root: string, only?: string): BenchProgram[] {
  const progsDir = join(root, 'test', 'progs');
  const programs: BenchProgram[] = [];
  for (const file of readdirSync(progsDir).sort()) {
    if (!file.endsWith('.o')) continue;
    const absolutePath = join(progsDir, file);
    const bytes = new Uint8Array(readFileSync(absolutePath));
    const object = new Bpf().openObject(bytes, file).object;
    for (const entry of object.functions) {
      if (!entry.isProgram) continue;
      if (only !== undefined && entry.name !== only) continue;
      const programType = programTypeForSection(entry.section)?.programType ?? '';
      if (!PACKET_PROGRAM_TYPES.has(programType)) continue;
      programs.push({
        objectPath: relative(root, absolutePath),
        absolutePath,
        bytes,
        program: entry.name,
        programType,
      });
    }
  }
  return programs;
}

/** The benchmark packets, taken from the differential test's set. */
export function benchPackets(): TestPacket[] {
  const all = new Map(testPackets().map((packet) => [packet.name, packet]));
  return BENCH_PACKET_NAMES.map((name) => {
    const packet = all.get(name);
    if (packet === undefined) throw new Error(`test packet '${name}' is gone from testrun-packets.ts`);
    return packet;
  });
}
