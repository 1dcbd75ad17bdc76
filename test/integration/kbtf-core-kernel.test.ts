// The kernel's BTF given to tsbpf (openObject's kernelBtf, libbpf's btf_custom_path) against the kernel, which
// resolves the same object against its own vmlinux: CO-RE relocations to types and members outside tsbpf's table
// (offsets, sizes, bitfield shifts, signedness, type ids, enum values) and bpf_rdonly_cast to structs outside it
// give the same verdict and, on seven packets, the same return value, packet and maps in both engines.

import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ObjectError } from '../../src/object/object-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal } from './same-refusal.js';

const oracle = requireOracle();
const OBJECT = 'test/progs/net/kbtf_core.o';
const VMLINUX = '/sys/kernel/btf/vmlinux';
const haveVmlinux = existsSync(VMLINUX);
if (!haveVmlinux) console.warn(`SKIP kbtf-core-kernel: ${VMLINUX} is missing, the kernel BTF tests need it`);
/** The running kernel's BTF, read once for every test. */
const kernelBtf = haveVmlinux ? new Uint8Array(readFileSync(VMLINUX)) : new Uint8Array(0);

/** Ethernet, then IPv4 with `ihl` words of header (options zero), protocol and TTL as given, then `payload` bytes. */
function ipv4(ihl: number, protocol: number, ttl: number, payload: number, etherType = 0x0800): Uint8Array {
  const header = ihl * 4;
  const total = header + payload;
  const bytes = new Uint8Array(14 + total);
  bytes.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, etherType >> 8, etherType & 0xff]);
  bytes.set([0x40 | ihl, 0, total >> 8, total & 0xff, 0, 1, 0, 0, ttl, protocol, 0, 0], 14);
  bytes.set([10, 0, 0, 1, 192, 168, 7, 9], 26);
  for (let i = 14 + header; i < bytes.length; i++) bytes[i] = (i * 5) & 0xff;
  return bytes;
}

const PACKETS: [string, Uint8Array][] = [
  ['IPv4/UDP', ipv4(5, 17, 64, 40)],
  ['IPv4/TCP, TTL 1', ipv4(5, 6, 1, 60)],
  ['IPv4 with 8 bytes of options', ipv4(7, 17, 128, 20)],
  ['IPv4/ICMP, the largest IHL', ipv4(15, 1, 255, 8)],
  ['IPv6 EtherType (the bytes read as IPv4 all the same)', ipv4(5, 58, 64, 40, 0x86dd)],
  ['ARP EtherType', ipv4(5, 0, 0, 14, 0x0806)],
  ['IPv4/UDP, 1400 bytes', ipv4(5, 17, 64, 1400)],
];

interface Outcome {
  retval: number;
  dataOut: string;
  kview: string;
}

function tsbpfRun(data: Uint8Array, engine: 'interp' | 'jit'): Outcome {
  const bpf = new Bpf();
  const object = bpf
    .openObject(readFileSync(OBJECT), 'kbtf_core.o', { kernelBtf, kernelBtfName: VMLINUX })
    .load({ programs: ['tc_kbtf_core'], engine });
  const run = bpf.testRun(object.program('tc_kbtf_core').handle.fd, { data });
  expect(run.error).toBeUndefined();
  return {
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    kview: bytesToHex(bpf.mapLookup(object.mapFd('kview'), new Uint8Array(4))!),
  };
}

function kernelRun(data: Uint8Array): Outcome {
  const report = oracle.runObject(OBJECT, { program: 'tc_kbtf_core', data, dumpMaps: true }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  expect(report.testRun!.errno).toBe(0);
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    kview: report.maps!.find((m) => m.name === 'kview')!.entries![0].value,
  };
}

const it = haveVmlinux ? oracle.it : oracle.it.skip;

oracle.describe('kernel BTF from the user: types outside the table as the kernel resolves them', () => {
  for (const [name, data] of PACKETS) {
    it(name, () => {
      const kernel = kernelRun(data);
      expect(tsbpfRun(data, 'interp')).toEqual(kernel);
      expect(tsbpfRun(data, 'jit')).toEqual(kernel);
    });
  }

  it('the values are the packet and the kernel layout, not zeros', () => {
    const view = new DataView(
      Uint8Array.from(Buffer.from(tsbpfRun(PACKETS[2][1], 'interp').kview, 'hex')).buffer,
    );
    const u32 = (index: number) => view.getUint32(index * 4, true);
    // h_proto, version, ihl, ttl, protocol; sk_err and sk_ack_backlog read 0 in both (has_sk 1).
    expect([u32(0), u32(1), u32(2), u32(3), u32(4), u32(7), u32(8), u32(9)]).toEqual([
      8, 4, 7, 128, 17, 0, 0, 1,
    ]);
    // Signedness of sk_err (int) and ttl (u8); the size of struct iphdr; a type no kernel has; enum values.
    expect([u32(12), u32(13), u32(15), u32(18), u32(19), u32(20), u32(21)]).toEqual([1, 0, 20, 0, 2, 0, 1]);
    // A member and an enum value no kernel has (their relocations poisoned, in dead code); a missing type's id is 0;
    // sk_ack_backlog read 8 bytes wide locally, narrowed to the kernel's 4.
    expect([u32(22), u32(23), u32(24), u32(25)]).toEqual([0x5eed, 0, 0x7777, 0]);
  });

  it('a bpf_rdonly_cast to an enum is refused as the kernel refuses it', () => {
    expectSameRefusal(oracle, OBJECT, 'tc_kbtf_cast_enum', { kernelBtf });
  });

  it('a poisoned load that is reached is refused as the kernel refuses it', () => {
    expectSameRefusal(oracle, OBJECT, 'tc_kbtf_missing_member', { kernelBtf });
    const kernel = oracle.runObject(OBJECT, { program: 'tc_kbtf_missing_member', logLevel: 1 }).programs[0];
    const last = (log: string) =>
      log
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('processed'))
        .pop();
    // libbpf's words for the poisoned instruction the verifier reached (the kernel says invalid func unknown#...).
    expect(last(kernel.log)).toMatch(
      /^failed to resolve CO-RE relocation <byte_off> \[\d+\] struct sock___k\.sk_no_such_member \(0:5 @ offset 20\)$/,
    );
  });

  it('without the kernel BTF, the table cannot resolve them: an ObjectError naming the relocation', () => {
    let refusal: unknown;
    try {
      new Bpf().openObject(readFileSync(OBJECT), 'kbtf_core.o').load({ programs: ['tc_kbtf_core'] });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ObjectError);
    expect((refusal as ObjectError).reason).toMatch(/relo #\d+: CO-RE .* ethhdr___k/);
  });

  it('a kernel BTF that does not parse is an ObjectError naming it', () => {
    const broken = kernelBtf.slice(0, 200);
    expect(() =>
      new Bpf().openObject(readFileSync(OBJECT), 'kbtf_core.o', {
        kernelBtf: broken,
        kernelBtfName: 'cut.btf',
      }),
    ).toThrow(expect.objectContaining({ name: 'ObjectError', file: 'cut.btf' }));
  });
});
