// sk_storage on declared sockets against the kernel: test/progs/net/skstorage_sockets.c looks the packet's
// destination socket up and reads, counts, creates or deletes its value; user space stored some values first by
// the socket's fd (the kernel, in the oracle's namespace) or its place in the socket list (tsbpf). Each run
// repeats so that values persist from run to run on the socket, as they do in the kernel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import type { EngineName } from '../../src/vm/runtime.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { errnoOf } from './bpf-errno.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { ether, ipv4, tcp } from './testrun-packets.js';

const oracle = requireOracle();
const OBJECT = join(REPO_ROOT, 'test', 'progs', 'net', 'skstorage_sockets.o');
const PROGRAM = 'tc_skstorage_sockets';
const LO = [127, 0, 0, 1];
const KERNEL_SOCKETS = ['tcp-listen:8080', 'tcp-listen:8081', 'tcp-listen:8082'];
const PORTS = [8080, 8081, 8082];

const u32 = (value: number) => Uint8Array.from([value, value >> 8, value >> 16, value >>> 24]);
const u64 = (value: bigint) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
};

interface Case {
  readonly name: string;
  readonly port: number;
  /** The payload's first byte: 'c' create, 'd' delete, anything else read and count. */
  readonly ask: string;
  /** Values user space stores before the runs: socket number → value. */
  readonly stored: readonly (readonly [number, bigint])[];
  readonly repeat: number;
}

const CASES: readonly Case[] = [
  {
    name: 'a value stored by user space is read and counted',
    port: 8080,
    ask: 'x',
    stored: [[0, 77n]],
    repeat: 1,
  },
  { name: 'the count persists across runs', port: 8080, ask: 'x', stored: [[0, 77n]], repeat: 3 },
  { name: 'no value: created, then read by the next run', port: 8081, ask: 'c', stored: [], repeat: 2 },
  { name: 'no value and none asked for', port: 8082, ask: 'x', stored: [], repeat: 1 },
  { name: 'deleted, then ENOENT', port: 8080, ask: 'd', stored: [[0, 5n]], repeat: 2 },
  {
    name: 'another socket’s value is not this one’s',
    port: 8081,
    ask: 'x',
    stored: [
      [0, 5n],
      [2, 6n],
    ],
    repeat: 1,
  },
  { name: 'no socket on the port', port: 9999, ask: 'x', stored: [[1, 1n]], repeat: 1 },
];

function packet(port: number, ask: string): Uint8Array {
  const payload = [ask.charCodeAt(0), 1, 2, 3];
  return Uint8Array.from(
    ether(0x0800, ipv4({ protocol: 6, src: LO, dst: LO, payload: tcp(40000, port, payload) })),
  );
}

function tsbpfRun(engine: EngineName, testCase: Case) {
  const bpf = new Bpf({
    network: {
      loopbackUp: true,
      sockets: PORTS.map((localPort) => ({
        kind: 'tcp-listen' as const,
        localAddress: Uint8Array.from(LO),
        localPort,
      })),
    },
  });
  const loaded = bpf.openObject(readFileSync(OBJECT), 'skstorage_sockets.o').load({ engine });
  for (const [socket, value] of testCase.stored) {
    bpf.mapUpdate(loaded.mapFd('per_socket'), u32(socket), u64(value));
  }
  const run = bpf.testRun(loaded.program(PROGRAM).handle.fd, {
    data: packet(testCase.port, testCase.ask),
    repeat: testCase.repeat,
  });
  expect(run.error).toBeUndefined();
  const seen = bpf.mapDump(loaded.mapFd('seen')).map((entry) => bytesToHex(entry.value!));
  // What user space reads back of every socket's value after the runs.
  const after = PORTS.map((_, socket) => {
    const value = bpf.mapLookup(loaded.mapFd('per_socket'), u32(socket));
    return value === undefined ? 'none' : bytesToHex(value);
  });
  return { retval: run.retval, seen, after };
}

oracle.describe('sk_storage of declared sockets equals the kernel’s', () => {
  for (const testCase of CASES) {
    oracle.it(testCase.name, () => {
      const report = oracle.runObject(OBJECT, {
        program: PROGRAM,
        data: packet(testCase.port, testCase.ask),
        repeat: testCase.repeat,
        dumpMaps: true,
        netns: true,
        netnsSockets: KERNEL_SOCKETS,
        netnsSocketKeys: testCase.stored.map(([socket, value]) => ({
          map: 'per_socket',
          socket,
          value: u64(value),
        })),
      });
      const run = report.programs[0];
      expect(run.verdict, run.log).toBe('accepted');
      const kernelSeen =
        run.maps?.find((map) => map.name === 'seen')?.entries?.map((entry) => entry.value) ?? [];
      for (const engine of ['interp', 'jit'] as const) {
        const ours = tsbpfRun(engine, testCase);
        expect({ retval: ours.retval, seen: ours.seen }, engine).toEqual({
          retval: run.testRun!.retval,
          seen: kernelSeen,
        });
      }
    });
  }

  oracle.it('user space: EBADF for a number no socket has, the flags’ errnos', () => {
    const ours = tsbpfRun('interp', { name: '', port: 9999, ask: 'x', stored: [[1, 9n]], repeat: 1 });
    expect(ours.after).toEqual(['none', bytesToHex(u64(9n)), 'none']);
    const bpf = new Bpf({
      network: { sockets: [{ kind: 'tcp-listen', localAddress: Uint8Array.from(LO), localPort: 8080 }] },
    });
    const fd = bpf.openObject(readFileSync(OBJECT), 'skstorage_sockets.o').load().mapFd('per_socket');
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(1), u64(1n)))).toBe(9); // EBADF
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(-1 >>> 0), u64(1n)))).toBe(9);
    expect(errnoOf(() => bpf.mapLookup(fd, u32(1)))).toBe(9);
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(0), u64(1n), 2))).toBe(2); // BPF_EXIST without a value: ENOENT
    bpf.mapUpdate(fd, u32(0), u64(1n), 1);
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(0), u64(2n), 1))).toBe(17); // BPF_NOEXIST with one: EEXIST
    expect(bpf.mapDelete(fd, u32(0))).toBe(true);
    expect(bpf.mapDelete(fd, u32(0))).toBe(false);
  });
});
