// The map programs of test/progs/net (devmap, cpumap and xskmap redirectors, a tc forwarder, bloom filters, ...)
// test-run in tsbpf and in the kernel on the same packets, from the same map entries: retval, output packet and
// every map equal.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { UserRingbufMap } from '../../src/vm/maps/index.js';
import { bytesToHex, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 2;
const NET = join(dirname(fileURLToPath(import.meta.url)), '..', 'progs', 'net');

const u32s = (...words: number[]): Uint8Array => {
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => {
    new DataView(bytes.buffer).setUint32(i * 4, word >>> 0, true);
  });
  return bytes;
};

interface Case {
  object: string;
  program: string;
  mapInit: { map: string; key: Uint8Array; value: Uint8Array }[];
  /** Return values some packet must produce (XDP_REDIRECT, TC_ACT_REDIRECT, the default actions). */
  mustReach: number[];
  /** What a user-space producer puts in a user ring buffer before the run on the packet with this index. */
  userRingbuf?: (index: number) => Sample[];
}

interface Sample {
  map: string;
  sample: Uint8Array;
  fate: 'submit' | 'discard' | 'reserve';
}

/** 1..5 records of 0..19 bytes, one discarded on odd packets, one left reserved (busy) on every third. */
function commands(index: number): Sample[] {
  const samples: Sample[] = [];
  for (let k = 0; k < 1 + (index % 5); k++) {
    const sample = Uint8Array.from({ length: (index * 3 + k * 7) % 20 }, (_, i) => i + k);
    samples.push({ map: 'commands', sample, fate: index % 2 === 1 && k === 1 ? 'discard' : 'submit' });
  }
  if (index % 3 === 0) samples.push({ map: 'commands', sample: Uint8Array.of(1, 2, 3), fate: 'reserve' });
  return samples;
}

const CASES: Case[] = [
  {
    object: 'redirect_devmap.o',
    program: 'xdp_redirect_devmap',
    mapInit: [
      { map: 'tx_ports', key: u32s(1), value: u32s(1) },
      { map: 'tx_ports', key: u32s(2), value: u32s(1) },
      { map: 'tx_ports', key: u32s(4), value: u32s(1) },
      { map: 'tx_by_port', key: u32s(6), value: u32s(1, 0) },
      { map: 'tx_by_port', key: u32s(17), value: u32s(1, 0) },
    ],
    mustReach: [0, 1, 2, 4],
  },
  {
    object: 'redirect_cpumap.o',
    program: 'xdp_redirect_cpumap',
    mapInit: [
      { map: 'cpus', key: u32s(0), value: u32s(64, 0) },
      ...(cpus > 1 ? [{ map: 'cpus', key: u32s(1), value: u32s(128, 0) }] : []),
    ],
    mustReach: [2, 4],
  },
  { object: 'redirect_xsk.o', program: 'xdp_steer_xsk', mapInit: [], mustReach: [1, 2] },
  { object: 'redirect_tc.o', program: 'tc_redirect', mapInit: [], mustReach: [2, 7] },
  { object: 'maps_bloom.o', program: 'xdp_bloom', mapInit: [], mustReach: [1, 2] },
  { object: 'maps_sk_storage.o', program: 'tc_sk_storage', mapInit: [], mustReach: [0, 2] },
  { object: 'maps_user_ringbuf.o', program: 'xdp_drain', mapInit: [], mustReach: [2], userRingbuf: commands },
];

const packets = testPackets();

oracle.describe('networking map programs equal the kernel', () => {
  for (const c of CASES) {
    oracle.it(`${c.program} on ${packets.length} packets`, () => {
      expect(packets.length).toBeGreaterThanOrEqual(5);
      const path = join(NET, c.object);
      const redirected = new Set<number>();
      for (const [index, packet] of packets.entries()) {
        const samples = c.userRingbuf?.(index) ?? [];
        const kernel = oracle.runObject(path, {
          program: c.program,
          data: packet.data,
          dumpMaps: true,
          mapInit: c.mapInit,
          userRingbuf: samples,
        });
        const kernelProgram = kernel.programs.find((p) => p.name === c.program)!;
        expect(kernelProgram.verdict, kernelProgram.log).toBe('accepted');
        const kernelRun = kernelProgram.testRun!;

        const bpf = new Bpf({ cpus });
        const loaded = bpf.openObject(readFileSync(path), c.object).load();
        for (const init of c.mapInit) bpf.mapUpdate(loaded.mapFd(init.map), init.key, init.value);
        for (const { map, sample, fate } of samples) {
          const ring = bpf.map(loaded.mapFd(map));
          if (!(ring instanceof UserRingbufMap)) throw new TypeError(`${map} is not a user ring buffer`);
          const reserved = ring.reserve(sample.length);
          if (typeof reserved === 'string') throw new Error(`${map}: ${reserved}`);
          if (fate === 'submit') ring.submit(reserved, sample);
          else if (fate === 'discard') ring.discard(reserved);
        }
        const ours = bpf.testRun(loaded.program(c.program).handle.fd, { data: packet.data });
        // A packet test-run refuses (too short for its program type) must be refused by both, with one errno.
        if (ours.error !== undefined && ours.error.code !== 'EINVAL')
          throw ours.error.fault ?? new Error(ours.error.message);
        expect(
          { errno: ours.error?.errno ?? 0, retval: ours.retval, dataOut: bytesToHex(ours.dataOut) },
          `${c.program} on ${packet.name}`,
        ).toEqual({ errno: kernelRun.errno, retval: kernelRun.retval, dataOut: kernelRun.dataOut });
        if (ours.error !== undefined) continue;
        redirected.add(ours.retval);
        for (const dump of kernelProgram.maps ?? []) {
          const entries = bpf
            .mapDump(loaded.mapFd(dump.name!))
            .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }));
          if (dump.entries === null) {
            // Kernel: user space cannot read an xskmap back (EOPNOTSUPP), list a bloom filter (no keys) or walk an
            // sk_storage (ENOTSUPP); tsbpf's dump is empty likewise.
            expect(dump.notIterable).toMatch(
              /^lookup: EOPNOTSUPP$|^map type has no keys|^get_next_key: ENOTSUPP$/,
            );
            expect(entries).toEqual([]);
          } else {
            expect(entries, `${dump.name} after ${packet.name}`).toEqual(dump.entries);
          }
        }
      }
      for (const verdict of c.mustReach) expect([...redirected], `reaches ${verdict}`).toContain(verdict);
    });
  }
});
