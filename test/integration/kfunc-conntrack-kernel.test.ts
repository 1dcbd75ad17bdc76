// The conntrack kfuncs and the kfunc verifier against the kernel: a conntrack-checking firewall (xdp and tc) on
// packets conntrack does not know, lookups with options the kernel refuses, an entry allocated, configured,
// inserted and found again, and misuse the verifier must refuse with the kernel's words.
//
// Inserting really adds an entry to the host's conntrack table (timeout two seconds, TEST-NET-3 addresses and a
// source port chosen per run, so runs never meet each other's entries); everything else only reads.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ObjectError } from '../../src/object/object-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal } from './same-refusal.js';

const oracle = requireOracle();
const FIREWALL = 'test/progs/net/kfunc_ct.o';
const INSERT = 'test/progs/net/kfunc_ct_insert.o';
const INVALID = 'test/progs/net/kfunc_ct_invalid.o';
const METADATA = 'test/progs/net/kfunc_xdp_meta.o';
const MISMATCH = 'test/progs/net/kfunc_proto_mismatch.o';

const TCP = 6;
const UDP = 17;
const SYN = 0x02;
const ACK = 0x10;

/** Ethernet + IPv4 (no options) + TCP (flags) or UDP header, addresses and ports as given. */
function packet(
  proto: number,
  src: number[],
  dst: number[],
  sport: number,
  dport: number,
  flags = 0,
): Uint8Array {
  const l4 =
    proto === TCP
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
          flags,
          0x10,
          0,
          0,
          0,
          0,
          0,
        ]
      : [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 8, 0, 0];
  const total = 20 + l4.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, ...src, ...dst];
  return Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...ip, ...l4]);
}

const A = [198, 51, 100, 1];
const B = [198, 51, 100, 2];
const FIREWALL_PACKETS: [string, Uint8Array][] = [
  ['TCP SYN', packet(TCP, A, B, 40000, 80, SYN)],
  ['TCP ACK', packet(TCP, A, B, 40001, 80, ACK)],
  ['UDP', packet(UDP, A, B, 40002, 53)],
  ['ICMP', packet(1, A, B, 0, 0)],
  ['truncated TCP', packet(TCP, A, B, 40003, 80, SYN).subarray(0, 36)],
  ['ARP', Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x06, ...new Array(28).fill(0)])],
];

interface Outcome {
  retval: number;
  dataOut: string;
  maps: { name: string; entries: { key: string; value: string }[] }[];
}

/** One run of `program` in a freshly loaded object, in tsbpf. */
function tsbpfRun(path: string, program: string, data: Uint8Array): Outcome {
  const bpf = new Bpf();
  const object = bpf
    .openObject(readFileSync(path), path.slice(path.lastIndexOf('/') + 1))
    .load({ programs: [program] });
  const run = bpf.testRun(object.program(program).handle.fd, { data });
  expect(run.error).toBeUndefined();
  return {
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    maps: object.mapNames.map((name) => ({
      name,
      entries: bpf
        .mapDump(object.mapFd(name))
        .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value!) })),
    })),
  };
}

function kernelRun(path: string, program: string, data: Uint8Array, netns = false): Outcome {
  const result = oracle.runObject(path, { program, data, dumpMaps: true, netns });
  const report = result.programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    maps: report.maps!.map((m) => ({
      name: m.name ?? '',
      entries: (m.entries ?? []).map((e) => ({ key: e.key, value: e.value })),
    })),
  };
}

oracle.describe('conntrack kfuncs equal the kernel', () => {
  for (const program of ['xdp_ct_firewall', 'tc_ct_firewall']) {
    for (const [name, data] of FIREWALL_PACKETS) {
      oracle.it(`${program}: ${name}`, () => {
        expect(tsbpfRun(FIREWALL, program, data)).toEqual(kernelRun(FIREWALL, program, data));
      });
    }
  }

  oracle.it('lookups with options the kernel refuses set the same errors', () => {
    const data = FIREWALL_PACKETS[0][1];
    const ours = tsbpfRun(FIREWALL, 'xdp_ct_bad_opts', data);
    expect(ours).toEqual(kernelRun(FIREWALL, 'xdp_ct_bad_opts', data));
    expect(ours.maps.find((m) => m.name.endsWith('.bss'))?.entries[0].value.slice(0, 8)).toBe('16164716');
  });

  // In a fresh network namespace per run (its own, empty conntrack table), so the host's table is never touched.
  oracle.it('an entry allocated, configured, inserted and found again (5 connections)', () => {
    const base = 40000;
    for (let i = 0; i < 5; i++) {
      const proto = i % 2 === 0 ? TCP : UDP;
      const data = packet(proto, [203, 0, 113, 1 + i], [203, 0, 113, 100], base + i, 443 + i, SYN);
      const ours = tsbpfRun(INSERT, 'xdp_ct_insert', data);
      expect(ours).toEqual(kernelRun(INSERT, 'xdp_ct_insert', data, true));
      expect(ours.retval).toBe(3); // XDP_TX: inserted
    }
  });

  const refused = [
    ...['ct_leak', 'ct_release_maybe_null', 'ct_alloc_release', 'ct_write_status', 'ct_use_after_release'],
    ...['ct_double_release', 'ct_tuple_too_long', 'ct_in_socket_filter', 'meta_not_ctx'],
  ].map((program) => [INVALID, program] as const);
  for (const [path, program] of [...refused, [METADATA, 'xdp_metadata'] as const]) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () => {
      expectSameRefusal(oracle, path, program);
    });
  }

  oracle.it(
    "a kfunc declared with another prototype than the kernel's is refused as libbpf refuses it",
    () => {
      const kernel = oracle.runObject(MISMATCH, { logLevel: 1 }).programs[0];
      expect(kernel.verdict).toBe('rejected');
      let refusal: unknown;
      try {
        new Bpf().openObject(readFileSync(MISMATCH), 'kfunc_proto_mismatch.o').load();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ObjectError);
      const ours = refusal as ObjectError;
      expect(kernel.libbpfLog).toContain(ours.reason);
      expect(ours.reason).toMatch(
        /^extern \(func ksym\) 'bpf_xdp_metadata_rx_hash': func_proto \[\d+\] incompatible/,
      );
      expect(ours.errno).toBe(kernel.errno);
    },
  );
});
