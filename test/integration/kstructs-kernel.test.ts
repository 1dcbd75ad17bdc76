// Kernel structs behind bpf_cast_to_kern_ctx, bpf_rdonly_cast and map pointers, against the kernel: the same
// programs test-run in tsbpf (interpreter and JIT) and in the kernel on the same packets give the same return
// value, packet and maps; misuse is refused with the kernel's error line and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ObjectError } from '../../src/object/object-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal } from './same-refusal.js';

const oracle = requireOracle();
const SKB = 'test/progs/net/kstruct_skb.o';
const XDP = 'test/progs/net/kstruct_xdp.o';
const MAP = 'test/progs/net/kstruct_map.o';
const INVALID = 'test/progs/net/kstruct_invalid.o';
const CORE = 'test/progs/net/kstruct_core.o';

/** Ethernet + IPv4 (no options) + UDP with `payload` bytes, the EtherType and destination MAC as given. */
function packet(payload: number, etherType = 0x0800, destination = [2, 0, 0, 0, 0, 1]): Uint8Array {
  const total = 20 + 8 + payload;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  const udp = [0x9c, 0x40, 0, 53, (8 + payload) >> 8, (8 + payload) & 0xff, 0, 0];
  const body = Array.from({ length: payload }, (_, i) => (i * 7 + payload) & 0xff);
  return Uint8Array.from([
    ...destination,
    2,
    0,
    0,
    0,
    0,
    2,
    etherType >> 8,
    etherType & 0xff,
    ...ip,
    ...udp,
    ...body,
  ]);
}

const PACKETS: [string, Uint8Array][] = [
  ['IPv4/UDP, 18 bytes of payload', packet(18)],
  ['IPv4/UDP, 200 bytes', packet(200)],
  ['IPv4/UDP, 1400 bytes', packet(1400)],
  ['broadcast', packet(40, 0x0800, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
  ['multicast', packet(40, 0x0800, [0x01, 0, 0x5e, 0, 0, 1])],
  ['IPv6 EtherType', packet(60, 0x86dd)],
  ['ARP EtherType, 2 bytes', packet(2, 0x0806)],
];

interface Outcome {
  retval: number;
  dataOut: string;
  maps: { name: string; entries: { key: string; value: string }[] }[];
}

function tsbpfRun(path: string, program: string, data: Uint8Array, engine: 'interp' | 'jit'): Outcome {
  const bpf = new Bpf();
  const object = bpf
    .openObject(readFileSync(path), path.slice(path.lastIndexOf('/') + 1))
    .load({ programs: [program], engine });
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

function kernelRun(path: string, program: string, data: Uint8Array): Outcome {
  const report = oracle.runObject(path, { program, data, dumpMaps: true }).programs[0];
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

oracle.describe('kernel structs read as the kernel lays them out', () => {
  const programs: [string, string][] = [
    [SKB, 'tc_kstruct_skb'],
    [SKB, 'sock_kstruct_skb'],
    [SKB, 'tc_kstruct_rdonly'],
    [XDP, 'xdp_kstruct'],
    [MAP, 'tc_kstruct_map'],
    [CORE, 'tc_core_skb'],
    [CORE, 'xdp_core'],
  ];
  for (const [path, program] of programs) {
    for (const [name, data] of PACKETS) {
      oracle.it(`${program}: ${name}`, () => {
        const kernel = kernelRun(path, program, data);
        expect(tsbpfRun(path, program, data, 'interp')).toEqual(kernel);
        expect(tsbpfRun(path, program, data, 'jit')).toEqual(kernel);
      });
    }
  }
});

/** Ethernet + IPv4 or IPv6 + TCP (20 bytes, SYN) or UDP, with `payload` bytes. */
function ipPacket(version: 4 | 6, transport: 'tcp' | 'udp', payload: number): Uint8Array {
  const l4 =
    transport === 'tcp'
      ? [0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]
      : [0x30, 0x39, 0, 53, 0, 8 + payload, 0, 0];
  const next = transport === 'tcp' ? 6 : 17;
  const length = l4.length + payload;
  const body = Array.from({ length: payload }, (_, i) => (i * 5 + 3) & 0xff);
  const ip =
    version === 4
      ? [0x45, 0, 0, 20 + length, 0, 1, 0, 0, 64, next, 0, 0, 192, 168, 7, 1, 172, 16, 9, 200]
      : [
          0x60,
          0,
          0,
          0,
          0,
          length,
          next,
          64,
          ...[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34],
          ...[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55],
        ];
  const etherType = version === 4 ? [0x08, 0x00] : [0x86, 0xdd];
  return Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, ...etherType, ...ip, ...l4, ...body]);
}

oracle.describe("the kernel sk_buff's sk: the test-run socket as a struct sock", () => {
  const packets: [string, Uint8Array][] = [
    ['IPv4/TCP', ipPacket(4, 'tcp', 16)],
    ['IPv4/UDP', ipPacket(4, 'udp', 40)],
    ['IPv6/TCP', ipPacket(6, 'tcp', 0)],
    ['IPv6/UDP', ipPacket(6, 'udp', 100)],
    ['IPv4/TCP, 1000 bytes', ipPacket(4, 'tcp', 1000)],
    ['ARP EtherType', packet(2, 0x0806)],
  ];
  for (const [name, data] of packets) {
    oracle.it(`tc_kstruct_sock: ${name}`, () => {
      const kernel = kernelRun(SKB, 'tc_kstruct_sock', data);
      expect(tsbpfRun(SKB, 'tc_kstruct_sock', data, 'interp')).toEqual(kernel);
      expect(tsbpfRun(SKB, 'tc_kstruct_sock', data, 'jit')).toEqual(kernel);
    });
  }
});

oracle.describe('misuse of kernel-struct pointers: refused as the kernel refuses it', () => {
  const programs = [
    'tc_kctx_store',
    'tc_kctx_beyond_struct',
    'tc_kctx_beyond_member',
    'tc_kctx_sk_unchecked',
    'xdp_kctx_narrow_ptr',
    'tc_kctx_packet_write',
    'tc_map_pointer_write',
    'tc_cast_not_ctx',
    'tc_rdonly_store',
    'tc_rdonly_variable_id',
  ];
  for (const program of programs) {
    oracle.it(program, () => {
      expectSameRefusal(oracle, INVALID, program);
    });
  }
});

oracle.describe('CO-RE relocations against kernel types', () => {
  oracle.it(
    'a relocation of a struct sock member tsbpf does not model: libbpf resolves it, tsbpf refuses it by name',
    () => {
      const program = 'tc_core_unmodelled';
      expect(oracle.runObject(CORE, { program, logLevel: 1 }).programs[0].verdict).toBe('accepted');
      let refusal: unknown;
      try {
        new Bpf().openObject(readFileSync(CORE), 'kstruct_core.o').load({ programs: [program] });
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ObjectError);
      expect((refusal as ObjectError).reason).toMatch(
        /^prog 'tc_core_unmodelled': relo #\d+: CO-RE byte_off of \[\d+\] sock access 0:1: tsbpf does not model member 'sk_rcvbuf' of struct sock/,
      );
    },
  );
});

/** The kernel-pointer register texts of a level-2 log (`R1=untrusted_ptr_net_device()`), each once, sorted. */
function kernelPointerTexts(log: string): string[] {
  const texts = log.match(/R\d+=(?:trusted_|untrusted_|rcu_|rdonly_untrusted_)[a-z_]*\([^)]*\)/g) ?? [];
  return [...new Set(texts)].sort();
}

oracle.describe('level-2 logs name kernel pointers as the kernel does', () => {
  const programs: [string, string][] = [
    [SKB, 'tc_kstruct_skb'],
    [SKB, 'tc_kstruct_rdonly'],
    [XDP, 'xdp_kstruct'],
    [CORE, 'tc_core_skb'],
  ];
  for (const [path, program] of programs) {
    oracle.it(program, () => {
      const kernel = oracle.runObject(path, { program, logLevel: 2 }).programs[0];
      const ours = new Bpf()
        .openObject(readFileSync(path), path.slice(path.lastIndexOf('/') + 1))
        .load({ programs: [program], logLevel: 2 })
        .program(program).handle.log;
      const texts = kernelPointerTexts(kernel.log);
      expect(texts.length).toBeGreaterThan(1);
      expect(kernelPointerTexts(ours)).toEqual(texts);
    });
  }
});
