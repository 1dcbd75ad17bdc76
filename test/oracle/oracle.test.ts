// Tests of the kernel oracle itself: raw-instruction loads, maps, object loads through libbpf, test runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Insn, insn } from '../../src/isa/insn.js';
import {
  BPF_ADD,
  BPF_ALU64,
  BPF_CALL_INSN,
  BPF_DW,
  BPF_EXIT_INSN,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD_IMM64,
  BPF_MEM,
  BPF_MOV,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_ST,
  BPF_W,
  BPF_X,
} from '../../src/isa/opcodes.js';
import {
  OracleError,
  type OracleObjectResult,
  OracleUnavailableError,
  bytesToHex,
  decodeOracleInsns,
  hexToBytes,
  oracleAvailability,
} from './oracle.js';
import { gateOracle, requireOracle } from './require-oracle.js';

const oracle = requireOracle();

describe('requireOracle gate', () => {
  const down = { available: false as const, reason: 'bpf(BPF_MAP_CREATE) failed: EPERM' };

  it('skips with one loud line when the kernel is unavailable outside CI', () => {
    const lines: string[] = [];
    const gate = gateOracle(down, {}, (line) => lines.push(line));
    expect(lines).toEqual([
      'ORACLE UNAVAILABLE: bpf(BPF_MAP_CREATE) failed: EPERM; kernel comparisons skipped',
    ]);
    expect(gate.available).toBe(false);
    expect(gate.reason).toBe(down.reason);
    expect(gate.it).toBeTypeOf('function');
  });

  it('fails instead of skipping when CI=true', () => {
    expect(() => gateOracle(down, { CI: 'true' }, () => {})).toThrow(OracleUnavailableError);
    expect(() => gateOracle(down, { CI: 'true' }, () => {})).toThrow(
      'ORACLE UNAVAILABLE: bpf(BPF_MAP_CREATE) failed: EPERM; kernel comparisons skipped',
    );
  });

  it('lets tests run when the kernel answers', () => {
    const gate = gateOracle(
      { available: true, kernel: '6.18', libbpf: 'v1.1', possibleCpus: 1, unprivilegedBpfDisabled: 2 },
      { CI: 'true' },
    );
    expect(gate.available).toBe(true);
    expect(gate.reason).toBeNull();
  });
});

const EACCES = 13;
const EPERM = 1;
const XDP_PASS = 2;
const BPF_FUNC_map_lookup_elem = 1;

const movImm = (dst: number, imm: number): Insn => insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
const movReg = (dst: number, src: number): Insn => insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
const addImm = (dst: number, imm: number): Insn => insn(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm);
const exit = (): Insn => insn(BPF_EXIT_INSN, 0, 0, 0, 0);
const ldMap = (dst: number, mapIndex: number): Insn[] => [
  insn(BPF_LD_IMM64, dst, BPF_PSEUDO_MAP_FD, 0, mapIndex),
  insn(0, 0, 0, 0, 0),
];
const u32le = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
const u64le = (n: number): Uint8Array => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);

/** 64 bytes of packet (more than ETH_HLEN, which skb test runs require), first byte `first`. */
function packet(first: number): Uint8Array {
  const bytes = new Uint8Array(64);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 1) & 0xff;
  bytes[0] = first;
  return bytes;
}

oracle.describe('oracle insns mode', () => {
  it('accepts mov r0,1; exit and test-runs it to retval 1', () => {
    const result = oracle.runInsns({ type: 'socket_filter', insns: [movImm(0, 1), exit()], data: packet(0) });
    expect(result.verdict).toBe('accepted');
    expect(result.errno).toBe(0);
    expect(result.processedInsns).toBe(2);
    expect(result.xlatedInsns).toBe(2);
    expect(result.testRun).not.toBeNull();
    expect(result.testRun!.errno).toBe(0);
    expect(result.testRun!.retval).toBe(1);
    expect(result.maps).toBeNull();
  });

  it('passes test.flags, test.cpu and a ctx_out the type refuses (--test-flags, --test-cpu, --ctx-out)', () => {
    // r0 = bpf_get_smp_processor_id(): a raw tracepoint pinned with BPF_F_TEST_RUN_ON_CPU reports its CPU
    const insns = [{ code: 0x85, dst: 0, src: 0, off: 0, imm: 8 }, exit()];
    const pinned = oracle.runInsns({ type: 'raw_tracepoint', insns, testFlags: 1, testCpu: 0 });
    expect(pinned.testRun).toMatchObject({ errno: 0, retval: 0 });
    const unpinned = oracle.runInsns({ type: 'raw_tracepoint', insns, testCpu: 1 });
    expect(unpinned.testRun?.errno).toBe(22);
    const ctxOut = oracle.runInsns({ type: 'raw_tracepoint', insns, ctxOut: true });
    expect(ctxOut.testRun?.errno).toBe(22);
  });

  it('rejects an exit with r0 never written, in the kernel words', () => {
    const result = oracle.runInsns({ type: 'socket_filter', insns: [exit()], data: packet(0) });
    expect(result.verdict).toBe('rejected');
    expect(result.errno).toBe(EACCES);
    expect(result.log).toContain('R0 !read_ok');
    expect(result.processedInsns).toBe(1);
    expect(result.xlatedInsns).toBeNull();
    expect(result.testRun).toBeNull();
  });

  it('at log level 0 still reports processed insns and, on rejection, the level-1 log', () => {
    const accepted = oracle.runInsns({ type: 'socket_filter', insns: [movImm(0, 1), exit()], logLevel: 0 });
    expect(accepted.log).toBe('');
    expect(accepted.processedInsns).toBe(2);
    const rejected = oracle.runInsns({ type: 'socket_filter', insns: [exit()], logLevel: 0 });
    expect(rejected.log).toContain('R0 !read_ok');
  });

  it('creates maps, substitutes LD_IMM64 src 1 imm N by the N-th map, and dumps the update', () => {
    // *(u32 *)(r10 - 4) = 0; r1 = map[0]; r0 = lookup(r1, r10 - 4); if r0 { *(u64 *)r0 = 5; r0 = 1 }
    const insns = [
      insn(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, 0),
      movReg(2, 10),
      addImm(2, -4),
      ...ldMap(1, 0),
      insn(BPF_CALL_INSN, 0, 0, 0, BPF_FUNC_map_lookup_elem),
      insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0),
      insn(BPF_ST | BPF_MEM | BPF_DW, 0, 0, 0, 5),
      movImm(0, 1),
      exit(),
    ];
    const result = oracle.runInsns({
      type: 'socket_filter',
      insns,
      maps: [{ type: 'array', keySize: 4, valueSize: 8, maxEntries: 2 }],
      mapInit: [{ map: 0, key: u32le(1), value: u64le(9) }],
      data: packet(0),
      dumpMaps: true,
    });
    expect(result.verdict).toBe('accepted');
    expect(result.testRun!.retval).toBe(1);
    expect(result.maps).toEqual([
      {
        index: 0,
        type: 'array',
        entries: [
          { key: bytesToHex(u32le(0)), value: bytesToHex(u64le(5)) },
          { key: bytesToHex(u32le(1)), value: bytesToHex(u64le(9)) },
        ],
      },
    ]);
  });

  it('gives percpu values for every possible CPU, a single --map-init value replicated', () => {
    const cpus = oracleAvailability().available
      ? (oracleAvailability() as { possibleCpus: number }).possibleCpus
      : 1;
    const result = oracle.runInsns({
      type: 'socket_filter',
      insns: [movImm(0, 0), exit()],
      maps: [{ type: 'percpu_array', keySize: 4, valueSize: 4, maxEntries: 1 }],
      mapInit: [{ map: 0, key: u32le(0), value: u32le(0xabcd) }],
      dumpMaps: true,
    });
    const value = result.maps![0]!.entries![0]!.value;
    // each CPU's 4-byte value is padded to 8 bytes
    expect(value).toBe(`${bytesToHex(u32le(0xabcd))}00000000`.repeat(cpus));
  });

  it('says why a map cannot be iterated', () => {
    const result = oracle.runInsns({
      type: 'socket_filter',
      insns: [movImm(0, 0), exit()],
      maps: [{ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 }],
      dumpMaps: true,
    });
    expect(result.maps![0]!.entries).toBeNull();
    expect(result.maps![0]!.notIterable).toMatch(/no keys/);
  });

  it('grows the verifier log buffer past its first size instead of truncating', () => {
    const count = 40_000;
    const insns = [movImm(0, 0), ...Array.from({ length: count }, () => addImm(0, 1)), exit()];
    const result = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
    expect(result.verdict).toBe('accepted');
    expect(result.logTruncated).toBe(false);
    expect(result.log.length).toBeGreaterThan(1 << 20);
    expect(result.log).toContain(`${count}: (07) r0 += 1`);
    expect(result.processedInsns).toBe(count + 2);
  });

  it('with --unpriv drops capabilities: EPERM when unprivileged bpf is disabled, else the unprivileged verdict', () => {
    const result = oracle.runInsns({ type: 'socket_filter', insns: [movImm(0, 1), exit()], unpriv: true });
    expect(result.unprivilegedBpfDisabled).toBeTypeOf('number');
    if (result.unprivilegedBpfDisabled !== 0) {
      expect(result.verdict).toBe('rejected');
      expect(result.errno).toBe(EPERM);
    } else {
      expect(result.verdict).toBe('accepted');
    }
  });

  it('with --caps keeps only the listed capabilities: CAP_BPF alone loads, CAP_PERFMON decides pointer leaks', () => {
    const leak = [movReg(0, 10), exit()];
    const bpfOnly = oracle.runInsns({ type: 'socket_filter', insns: leak, caps: ['bpf'] });
    expect(bpfOnly.unprivilegedBpfDisabled).toBeTypeOf('number');
    expect(bpfOnly.verdict).toBe('rejected');
    expect(bpfOnly.errno).toBe(EACCES);
    expect(bpfOnly.log).toContain('R0 leaks addr as return value');
    const withPerfmon = oracle.runInsns({ type: 'socket_filter', insns: leak, caps: ['bpf', 'perfmon'] });
    expect(withPerfmon.verdict).toBe('accepted');
    // xdp needs CAP_NET_ADMIN as well: refused before the verifier runs, with an empty log
    const xdp = oracle.runInsns({ type: 'xdp', insns: [movImm(0, 2), exit()], caps: ['bpf'] });
    expect([xdp.verdict, xdp.errno, xdp.log]).toEqual(['rejected', EPERM, '']);
    const xdpNetAdmin = oracle.runInsns({
      type: 'xdp',
      insns: [movImm(0, 2), exit()],
      caps: ['bpf', 'net_admin'],
    });
    expect(xdpNetAdmin.verdict).toBe('accepted');
  });

  it('reports usage errors as OracleError with exit status 2', () => {
    let caught: unknown;
    try {
      oracle.runInsns({ type: 'no_such_type', insns: [exit()] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OracleError);
    expect((caught as OracleError).exitStatus).toBe(2);
    expect((caught as OracleError).message).toBe("unknown program type 'no_such_type'");
  });
});

oracle.describe('oracle batch mode', () => {
  it('answers each program in order as a single load would, each with its own maps and test run', () => {
    const programs = [
      { type: 'socket_filter', insns: [movImm(0, 1), exit()], data: packet(0) },
      { type: 'socket_filter', insns: [exit()] },
      {
        type: 'xdp',
        insns: [movImm(0, 2), exit()],
        maps: [{ type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }],
      },
      { type: 'socket_filter', insns: [movImm(0, 7), exit()], data: packet(1) },
    ];
    const batch = oracle.runInsnsBatch(programs);
    expect(batch.map((r) => r.verdict)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
    expect(batch[1].log).toContain('R0 !read_ok');
    expect(batch[0].testRun?.retval).toBe(1);
    expect(batch[3].testRun?.retval).toBe(7);
    for (let i = 0; i < programs.length; i++) {
      const single = oracle.runInsns(programs[i]);
      expect({ ...batch[i], testRun: null }).toEqual({ ...single, testRun: null });
    }
  });

  it('stops with OracleError at a usage error, and answers nothing for an empty batch', () => {
    expect(oracle.runInsnsBatch([])).toEqual([]);
    expect(() =>
      oracle.runInsnsBatch([
        { type: 'socket_filter', insns: [movImm(0, 1), exit()] },
        { type: 'no_such_type', insns: [exit()] },
      ]),
    ).toThrow("unknown program type 'no_such_type'");
    expect(() => oracle.runInsnsBatch([{ type: 'socket_filter', insns: [exit()], name: 'a b' }])).toThrow(
      OracleError,
    );
  });
});

// A source file name with a quote, a backslash and a non-ASCII letter: BTF line info carries it through
// the oracle's JSON escaper.
const SOURCE_NAME = 'sub "prog" \\ é.c';
const SOURCE = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int counter = 0;

static __attribute__((noinline)) int add_and_triple(int x) {
  counter += x;
  return x * 3;
}

SEC("xdp") int xdp_triple(struct xdp_md *ctx) {
  unsigned char *p = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  if ((void *)(p + 1) > end) return XDP_ABORTED;
  p[0] = add_and_triple(p[0]);
  return XDP_PASS;
}

SEC("tc") int tc_unchecked(struct __sk_buff *skb) {
  unsigned char *p = (void *)(long)skb->data;
  return p[0];
}

char LICENSE[] SEC("license") = "GPL";
`;

oracle.describe('oracle object mode', () => {
  let dir: string;
  let objectPath: string;
  let xdpSectionInsns: number;
  let result: OracleObjectResult;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsbpf-oracle-test-'));
    const sourcePath = join(dir, SOURCE_NAME);
    objectPath = join(dir, 'prog.o');
    writeFileSync(sourcePath, SOURCE);
    execFileSync('clang-14', [
      '-O2',
      '-g',
      '-target',
      'bpf',
      '-I/usr/include/x86_64-linux-gnu',
      '-c',
      sourcePath,
      '-o',
      objectPath,
    ]);
    const sections = execFileSync('llvm-readelf-14', ['-S', '-W', objectPath], { encoding: 'utf8' });
    const xdp = /\]\s+xdp\s+PROGBITS\s+\S+\s+\S+\s+([0-9a-f]+)/.exec(sections);
    if (!xdp) throw new Error(`no xdp section in:\n${sections}`);
    xdpSectionInsns = Number.parseInt(xdp[1]!, 16) / 8;
    result = oracle.runObject(objectPath, { data: packet(7), dumpMaps: true });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const program = (name: string) => {
    const found = result.programs.find((p) => p.name === name);
    if (!found) throw new Error(`no program ${name} in ${result.programs.map((p) => p.name)}`);
    return found;
  };

  it('lists the maps as declared, global data included', () => {
    expect(result.openError).toBeNull();
    const bss = result.maps.find((m) => m.name.endsWith('.bss'));
    expect(bss).toMatchObject({
      type: 'array',
      keySize: 4,
      valueSize: 4,
      maxEntries: 1,
      initialValue: '00000000',
    });
  });

  it('returns the loaded insns with the subprogram appended and the call pointing at it', () => {
    const xdp = program('xdp_triple');
    expect(xdp.section).toBe('xdp');
    expect(xdp.type).toBe('xdp');
    expect(xdp.verdict).toBe('accepted');
    expect(xdp.insns.length).toBeGreaterThan(xdpSectionInsns);
    const insns = decodeOracleInsns(xdp.insns);
    const calls = insns
      .map((ins, index) => ({ ins, index }))
      .filter(({ ins }) => ins.code === BPF_CALL_INSN && ins.src === BPF_PSEUDO_CALL);
    expect(calls).toHaveLength(1);
    const target = calls[0]!.index + 1 + calls[0]!.ins.imm;
    expect(target).toBe(xdpSectionInsns);
    // the kernel reports func_info in xlated offsets; this program needs no patching, so they coincide
    expect(xdp.xlatedInsns).toBe(xdp.insns.length);
    expect(xdp.funcInfo!.map((f) => f.insnOff)).toEqual([0, target]);
    expect(xdp.funcInfo!.every((f) => f.typeId > 0)).toBe(true);
  });

  it('replaces map fds in LD_IMM64 by the map index in object order', () => {
    const xdp = program('xdp_triple');
    const bssIndex = result.maps.findIndex((m) => m.name.endsWith('.bss'));
    const insns = decodeOracleInsns(xdp.insns);
    const valueRefs = insns.filter((ins) => ins.code === BPF_LD_IMM64 && ins.src === BPF_PSEUDO_MAP_VALUE);
    expect(valueRefs.length).toBeGreaterThan(0);
    for (const ref of valueRefs) expect(ref.imm).toBe(bssIndex);
  });

  it('gives line info with the source file name intact through JSON escaping', () => {
    const xdp = program('xdp_triple');
    expect(xdp.lineInfo!.length).toBeGreaterThan(0);
    expect(xdp.lineInfo![0]!.insnOff).toBe(0);
    for (const line of xdp.lineInfo!) expect(line.file!.endsWith(SOURCE_NAME)).toBe(true);
  });

  it('test-runs xdp: dataOut is the packet as the program left it, and the map dump shows the global', () => {
    const xdp = program('xdp_triple');
    expect(xdp.testRun).toMatchObject({ retval: XDP_PASS, errno: 0 });
    const expected = packet(7);
    expected[0] = 21;
    expect(hexToBytes(xdp.testRun!.dataOut)).toEqual(expected);
    const bss = xdp.maps!.find((m) => m.name!.endsWith('.bss'));
    expect(bss!.entries).toEqual([{ key: '00000000', value: bytesToHex(u32le(7)) }]);
  });

  it('reports a rejected program with its log and the insns libbpf handed over', () => {
    const tc = program('tc_unchecked');
    expect(tc.type).toBe('sched_cls');
    expect(tc.verdict).toBe('rejected');
    expect(tc.errno).toBe(EACCES);
    expect(tc.log).toContain('invalid access to packet');
    expect(tc.insns.length).toBeGreaterThan(0);
    expect(tc.funcInfo).toBeNull();
    expect(tc.testRun).toBeNull();
    expect(tc.libbpfLog).toContain('tc_unchecked');
  });

  it('falls back to one load per program when one is rejected, and still accepts the good one', () => {
    expect(result.programs.map((p) => [p.name, p.loadMode, p.verdict])).toEqual([
      ['xdp_triple', 'single', 'accepted'],
      ['tc_unchecked', 'single', 'rejected'],
    ]);
    const xdp = program('xdp_triple');
    expect(xdp.errno).toBe(0);
    expect(xdp.log).toMatch(/processed \d+ insns/);
    expect(xdp.processedInsns).toBeGreaterThan(0);
    // its own load: the rejected program's failure is not in its libbpf messages
    expect(xdp.libbpfLog).not.toContain('tc_unchecked');
  });

  it('loads only the program asked for', () => {
    const only = oracle.runObject(objectPath, { program: 'tc_unchecked' });
    expect(only.programs.map((p) => p.name)).toEqual(['tc_unchecked']);
  });

  it('reports an object libbpf cannot open as openError, not as a tool failure', () => {
    const junk = join(dir, 'junk.o');
    writeFileSync(junk, new Uint8Array(100).fill(0x5a));
    const opened = oracle.runObject(junk);
    expect(opened.openError).not.toBeNull();
    expect(opened.openError!.log).toContain('not a proper ELF object');
    expect(opened.programs).toEqual([]);
  });
});

const TAIL_CALLS_OBJECT = fileURLToPath(new URL('../progs/tail_calls.o', import.meta.url));
const XDP_DROP = 1;
const XDP_TX = 3;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const ETH_P_ARP = 0x0806;
const IPPROTO_UDP = 17;

/** Ethernet frame: zero MACs, the EtherType big-endian, then `l3`, padded to 64 bytes. */
function frame(etherType: number, l3: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(Math.max(64, 14 + l3.length));
  bytes[12] = etherType >> 8;
  bytes[13] = etherType & 0xff;
  bytes.set(l3, 14);
  return bytes;
}

/** IPv4 header (20 bytes) of a UDP datagram followed by an 8-byte UDP header. */
function ipv4Udp(): Uint8Array {
  const ip = new Uint8Array(28);
  ip[0] = 0x45;
  ip[3] = ip.length;
  ip[8] = 64; // ttl
  ip[9] = IPPROTO_UDP;
  ip.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  return ip;
}

/** IPv6 header (40 bytes) with the given hop limit and no payload. */
function ipv6(hopLimit: number): Uint8Array {
  const ip = new Uint8Array(40);
  ip[0] = 0x60;
  ip[6] = IPPROTO_UDP;
  ip[7] = hopLimit;
  ip[23] = 1; // ::1
  ip[39] = 2; // ::2
  return ip;
}

oracle.describe('oracle object mode: whole-object load (tail_calls.o)', () => {
  const ipv4Packet = frame(ETH_P_IP, ipv4Udp());
  const ipv6Packet = frame(ETH_P_IPV6, ipv6(64));
  let ipv4Run: OracleObjectResult;

  beforeAll(() => {
    ipv4Run = oracle.runObject(TAIL_CALLS_OBJECT, { data: ipv4Packet, dumpMaps: true });
  });

  const program = (result: OracleObjectResult, name: string) => {
    const found = result.programs.find((p) => p.name === name);
    if (!found) throw new Error(`no program ${name} in ${result.programs.map((p) => p.name)}`);
    return found;
  };

  it('accepts every program from one load, though the prog_array is initialised with programs', () => {
    expect(ipv4Run.programs.map((p) => p.name).sort()).toEqual([
      'xdp_dispatch',
      'xdp_dispatch_global',
      'xdp_handle_ipv4',
      'xdp_handle_ipv6',
    ]);
    for (const prog of ipv4Run.programs) {
      expect(prog).toMatchObject({ loadMode: 'object', verdict: 'accepted', errno: 0, logTruncated: false });
      // per-program log buffers: each log ends with that program's own count
      const counts = [...prog.log.matchAll(/processed (\d+) insns/g)].map((m) => Number(m[1]));
      expect(counts.length).toBeGreaterThan(0);
      expect(prog.processedInsns).toBe(counts.at(-1));
      expect(prog.funcInfo!.length).toBeGreaterThan(0);
      expect(prog.lineInfo!.length).toBeGreaterThan(0);
      expect(prog.xlatedInsns).toBeGreaterThan(0);
    }
    const table = ipv4Run.programs[0]!.maps!.find((m) => m.name === 'dispatch_table');
    // the static initialiser filled slots 0 and 1 (values are kernel prog ids)
    expect(table!.entries!.map((e) => e.key)).toEqual(['00000000', '01000000']);
  });

  it('an IPv4 UDP packet is tail-called to xdp_handle_ipv4, whose XDP_TX comes back', () => {
    // the handler alone says TX; without the tail call the dispatchers would say DROP / PASS
    expect(program(ipv4Run, 'xdp_handle_ipv4').testRun).toMatchObject({ retval: XDP_TX, errno: 0 });
    expect(program(ipv4Run, 'xdp_dispatch').testRun).toMatchObject({ retval: XDP_TX, errno: 0 });
    expect(program(ipv4Run, 'xdp_dispatch_global').testRun).toMatchObject({ retval: XDP_TX, errno: 0 });
  });

  it('an IPv6 packet is tail-called to xdp_handle_ipv6; --program still loads the whole object', () => {
    const only = oracle.runObject(TAIL_CALLS_OBJECT, { program: 'xdp_dispatch', data: ipv6Packet });
    expect(only.programs.map((p) => [p.name, p.loadMode, p.verdict])).toEqual([
      ['xdp_dispatch', 'object', 'accepted'],
    ]);
    // hop limit 64: the handler passes; the dispatcher's own fallback for an unhandled packet is DROP
    expect(only.programs[0]!.testRun).toMatchObject({ retval: XDP_PASS, errno: 0 });
    const expired = oracle.runObject(TAIL_CALLS_OBJECT, {
      program: 'xdp_dispatch',
      data: frame(ETH_P_IPV6, ipv6(1)),
    });
    expect(expired.programs[0]!.testRun).toMatchObject({ retval: XDP_DROP, errno: 0 });
  });

  it('an empty slot makes the tail call return, so the dispatcher falls back (PASS for ARP)', () => {
    const arp = oracle.runObject(TAIL_CALLS_OBJECT, {
      program: 'xdp_dispatch',
      data: frame(ETH_P_ARP, ipv6(0)),
    });
    expect(arp.programs[0]!.testRun).toMatchObject({ retval: XDP_PASS, errno: 0 });
  });
});

oracle.describe('oracle --netns-ip and ip mode', () => {
  it('builds the namespace with ip, answers ip queries in it, and names a failing command', () => {
    const setup = ['link set lo up', 'route add blackhole 10.9.0.0/16'];
    const [local, blackhole] = oracle.runIp(['-j route get 127.0.0.1', 'route get 10.9.0.1'], setup);
    expect(local.status).toBe(0);
    expect(JSON.parse(local.stdout)[0]).toMatchObject({ type: 'local', dev: 'lo', prefsrc: '127.0.0.1' });
    expect(blackhole).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'RTNETLINK answers: Invalid argument\n',
    });
    let caught: unknown;
    try {
      oracle.runIp([], ['link add x0 type no_such_kind']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OracleError);
    expect((caught as OracleError).exitStatus).toBe(2);
    expect((caught as OracleError).message).toBe('ip link add x0 type no_such_kind: exit status 2');
  });
});
