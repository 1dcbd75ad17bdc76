// sockmap and sockhash against the kernel: test/progs/net/sockmap_sk_lookup.c (an sk_lookup program that selects
// sockets kept in a sockhash and a sockmap) and sockmap_tc.c (a tc program that reads sockets out of them and
// stores one) test-run in tsbpf, with declared sockets, and in the kernel inside a fresh network namespace where
// the oracle opened the same sockets and put them in the maps. tsbpf's sockets take the kernel's cookies, so the
// selected socket's cookie in ctx_out and the user-space dumps (cookies) compare byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BPF_SK_LOOKUP_FIELDS, fieldOffset } from '../../src/abi/context-structs.js';
import { ERRNO } from '../../src/abi/errno.js';
import { Bpf } from '../../src/api/bpf.js';
import type { EngineName } from '../../src/vm/runtime.js';
import type { SocketDeclaration } from '../../src/vm/network.js';
import { REPO_ROOT } from '../corpus.js';
import type { OracleObjectResult } from '../oracle/oracle.js';
import { bytesToHex, hexToBytes } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const NET = join(REPO_ROOT, 'test', 'progs', 'net');
const ENGINES: readonly EngineName[] = ['interp', 'jit'];

/** The kernel's sockets, in the order maps name them: a listener, UDP, a second listener, the client end of a
 * connection to the first, an IPv6-only listener on ::1, SO_REUSEPORT listener and UDP socket, a dual-stack
 * listener on ::. */
const KERNEL_SOCKETS = [
  'tcp-listen:8080',
  'udp:5353',
  'tcp-listen:8081',
  'tcp-connect:40001:8080',
  'tcp6-listen:8443',
  'tcp-listen-reuseport:8082',
  'udp-reuseport:5354',
  'tcp6-listen-dual:8444',
];
const LO = Uint8Array.of(127, 0, 0, 1);
const LO6 = Uint8Array.of(...new Array(15).fill(0), 1);
/** The same for tsbpf (the connection's server end last: no map names it). */
const TSBPF_SOCKETS: readonly SocketDeclaration[] = [
  { kind: 'tcp-listen', localAddress: LO, localPort: 8080 },
  { kind: 'udp', localAddress: LO, localPort: 5353 },
  { kind: 'tcp-listen', localAddress: LO, localPort: 8081 },
  { kind: 'tcp-established', localAddress: LO, localPort: 40001, remoteAddress: LO, remotePort: 8080 },
  { kind: 'tcp-listen', localAddress: LO6, localPort: 8443 },
  { kind: 'tcp-listen', localAddress: LO, localPort: 8082, reuseport: true },
  { kind: 'udp', localAddress: LO, localPort: 5354, reuseport: true },
  { kind: 'tcp-listen', localAddress: new Uint8Array(16), localPort: 8444 },
  { kind: 'tcp-established', localAddress: LO, localPort: 8080, remoteAddress: LO, remotePort: 40001 },
];

const u32 = (value: number) => Uint8Array.from([value, value >> 8, value >> 16, value >>> 24]);
const u64 = (value: number) => Uint8Array.from([...u32(value), 0, 0, 0, 0]);

interface Entry {
  readonly map: string;
  readonly key: Uint8Array;
  readonly socket: number;
}

interface Outcome {
  readonly errno: number;
  readonly retval: number;
  readonly ctxOut: string;
  readonly maps: Record<string, readonly { key: string; value: string }[]>;
}

function kernelRun(
  object: string,
  program: string,
  input: { data?: Uint8Array; ctx?: Uint8Array },
  entries: readonly Entry[],
  dumped: readonly string[],
): { outcome: Outcome; cookies: bigint[] } {
  const report: OracleObjectResult = oracle.runObject(join(NET, object), {
    program,
    ...input,
    dumpMaps: true,
    netns: true,
    netnsSockets: KERNEL_SOCKETS,
    netnsSockmap: entries,
  });
  const run = report.programs[0];
  expect(run.verdict, run.log).toBe('accepted');
  const maps: Record<string, { key: string; value: string }[]> = {};
  for (const name of dumped) maps[name] = run.maps?.find((m) => m.name === name)?.entries ?? [];
  return {
    outcome: {
      errno: run.testRun!.errno,
      retval: run.testRun!.retval,
      ctxOut: input.ctx === undefined ? '' : run.testRun!.ctxOut,
      maps,
    },
    cookies: (report.netnsSocketCookies ?? []).map(BigInt),
  };
}

function tsbpfRun(
  engine: EngineName,
  object: string,
  program: string,
  input: { data?: Uint8Array; ctx?: Uint8Array },
  entries: readonly Entry[],
  dumped: readonly string[],
  cookies: readonly bigint[],
): Outcome {
  const sockets = TSBPF_SOCKETS.map((socket, i) =>
    i < cookies.length ? { ...socket, cookie: cookies[i] } : socket,
  );
  const bpf = new Bpf({ network: { sockets, loopbackUp: true } });
  const loaded = bpf
    .openObject(readFileSync(join(NET, object)), object)
    .load({ programs: [program], engine });
  for (const { map, key, socket } of entries) {
    const fd = loaded.mapFd(map);
    bpf.mapUpdate(fd, key, bpf.map(fd).valueSize === 8 ? u64(socket) : u32(socket));
  }
  const run = bpf.testRun(loaded.program(program).handle.fd, input);
  const maps: Record<string, { key: string; value: string }[]> = {};
  for (const name of dumped) {
    maps[name] = bpf
      .mapDump(loaded.mapFd(name))
      .map((entry) => ({ key: bytesToHex(entry.key), value: bytesToHex(entry.value) }));
  }
  // A failed run reports nothing but its errno (the oracle's retval and ctx out are then 0 and empty).
  if (run.error !== undefined) return { errno: run.error.errno, retval: 0, ctxOut: '', maps };
  return {
    errno: 0,
    retval: run.retval,
    ctxOut: input.ctx === undefined || run.ctxOut === undefined ? '' : bytesToHex(run.ctxOut),
    maps,
  };
}

/** A struct bpf_sk_lookup for ctx_in (addresses 127.0.0.1 or ::1, remote_port big-endian). */
function lookupCtx(family: 2 | 10, protocol: number, remotePort: number, localPort: number): Uint8Array {
  const ctx = new Uint8Array(72);
  const view = new DataView(ctx.buffer);
  const at = (name: string) => fieldOffset(BPF_SK_LOOKUP_FIELDS, name);
  view.setUint32(at('family'), family, true);
  view.setUint32(at('protocol'), protocol, true);
  ctx.set(family === 2 ? LO : LO6, at(family === 2 ? 'remote_ip4' : 'remote_ip6'));
  ctx.set(family === 2 ? LO : LO6, at(family === 2 ? 'local_ip4' : 'local_ip6'));
  view.setUint16(at('remote_port'), remotePort, false);
  view.setUint32(at('local_port'), localPort, true);
  return ctx;
}

const SK_LOOKUP_ENTRIES: readonly Entry[] = [
  { map: 'by_port', key: u32(8080), socket: 0 },
  { map: 'by_port', key: u32(5353), socket: 1 },
  { map: 'by_port', key: u32(8081), socket: 2 },
  { map: 'by_port', key: u32(40001), socket: 3 },
  { map: 'by_port', key: u32(8443), socket: 4 },
  { map: 'by_port', key: u32(8082), socket: 5 },
  { map: 'by_port', key: u32(8444), socket: 7 },
  { map: 'fallback', key: u32(0), socket: 0 },
  { map: 'fallback', key: u32(1), socket: 4 },
];

/** Each lookup with the socket it ends up selecting (its number, undefined: none, 'EOPNOTSUPP': the run fails). */
const SK_LOOKUP_CASES: readonly (readonly [string, Uint8Array, number | undefined | 'EOPNOTSUPP'])[] = [
  ['TCP to the listener: selected', lookupCtx(2, 6, 5000, 8080), 0],
  ['a port no map holds: nothing selected', lookupCtx(2, 6, 5000, 9999), undefined],
  ['UDP to the TCP listener: EPROTOTYPE', lookupCtx(2, 17, 5000, 8080), undefined],
  ['a selection replaced with BPF_SK_LOOKUP_F_REPLACE', lookupCtx(2, 6, 5000, 8081), 0],
  ['UDP to the UDP socket: selected', lookupCtx(2, 17, 5000, 5353), 1],
  ['an established socket: ESOCKTNOSUPPORT', lookupCtx(2, 6, 5000, 40001), undefined],
  ['IPv4 to the IPv6-only listener: EAFNOSUPPORT', lookupCtx(2, 6, 5000, 8443), undefined],
  ['IPv6 to the IPv6 listener: selected', lookupCtx(10, 6, 5000, 8443), 4],
  ['IPv4 to a dual-stack IPv6 listener: selected', lookupCtx(2, 6, 5000, 8444), 7],
  ['IPv6 to a dual-stack IPv6 listener: selected', lookupCtx(10, 6, 5000, 8444), 7],
  ['dropped after selecting: no cookie', lookupCtx(2, 6, 7, 8080), undefined],
  [
    'a reuseport listener without BPF_SK_LOOKUP_F_NO_REUSEPORT: EOPNOTSUPP',
    lookupCtx(2, 6, 5000, 8082),
    'EOPNOTSUPP',
  ],
  ['a reuseport listener dropped after selecting: no error', lookupCtx(2, 6, 7, 8082), undefined],
];

oracle.describe('sk_lookup selects sockets from a sockhash and a sockmap as the kernel does', () => {
  for (const [name, ctx, selected] of SK_LOOKUP_CASES) {
    oracle.it(name, () => {
      const dumped = ['by_port', 'fallback', 'results'];
      const kernel = kernelRun(
        'sockmap_sk_lookup.o',
        'sk_lookup_sockmap',
        { ctx },
        SK_LOOKUP_ENTRIES,
        dumped,
      );
      expect(kernel.cookies).toHaveLength(KERNEL_SOCKETS.length);
      if (selected === 'EOPNOTSUPP') {
        expect(kernel.outcome.errno).toBe(ERRNO.EOPNOTSUPP);
      } else {
        expect(kernel.outcome.errno).toBe(0);
        const cookie = new DataView(hexToBytes(kernel.outcome.ctxOut).buffer).getBigUint64(0, true);
        expect(cookie).toBe(selected === undefined ? 0n : kernel.cookies[selected]);
      }
      for (const engine of ENGINES) {
        const ours = tsbpfRun(
          engine,
          'sockmap_sk_lookup.o',
          'sk_lookup_sockmap',
          { ctx },
          SK_LOOKUP_ENTRIES,
          dumped,
          kernel.cookies,
        );
        expect({ engine, ...ours }).toEqual({ engine, ...kernel.outcome });
      }
    });
  }
});

const TC_ENTRIES: readonly Entry[] = [
  { map: 'sockets', key: u32(0), socket: 0 },
  { map: 'sockets', key: u32(1), socket: 1 },
  { map: 'sockets', key: u32(3), socket: 3 },
  { map: 'sockets', key: u32(4), socket: 4 },
  { map: 'named', key: u64(0), socket: 0 },
  { map: 'named', key: u64(1), socket: 1 },
  { map: 'named', key: u64(4), socket: 4 },
  { map: 'reuse', key: u32(0), socket: 5 },
];

/** A 64-byte frame whose first byte names the slot the program reads. */
const frame = (slot: number) => Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? slot : 0));

oracle.describe('a tc program reads sockets out of a sockmap and a sockhash as the kernel does', () => {
  for (const [name, slot] of [
    ['the listener', 0],
    ['the UDP socket', 1],
    ['the established socket', 3],
    ['the IPv6 listener', 4],
    ['an empty slot', 5],
    ['a slot past the sockhash keys', 7],
  ] as const) {
    oracle.it(`${name} (slot ${slot})`, () => {
      const dumped = ['sockets', 'reuse', 'results'];
      const kernel = kernelRun('sockmap_tc.o', 'tc_sockmap', { data: frame(slot) }, TC_ENTRIES, dumped);
      expect(kernel.outcome.errno).toBe(0);
      expect(kernel.outcome.retval).toBe(
        TC_ENTRIES.some((e) => e.map === 'sockets' && e.key[0] === slot) ? 1 : 0,
      );
      for (const engine of ENGINES) {
        const ours = tsbpfRun(
          engine,
          'sockmap_tc.o',
          'tc_sockmap',
          { data: frame(slot) },
          TC_ENTRIES,
          dumped,
          kernel.cookies,
        );
        expect({ engine, ...ours }).toEqual({ engine, ...kernel.outcome });
      }
    });
  }
});

oracle.describe('sockmap and sockhash from user space answer as the kernel does', () => {
  const cases = [
    { type: 'reuseport_sockarray', keySize: 4, valueSize: 8, maxEntries: 4 },
    { type: 'reuseport_sockarray', keySize: 4, valueSize: 4, maxEntries: 5 },
    { type: 'sockmap', keySize: 4, valueSize: 8, maxEntries: 4 },
    { type: 'sockmap', keySize: 4, valueSize: 4, maxEntries: 4 },
    { type: 'sockhash', keySize: 4, valueSize: 8, maxEntries: 3 },
    { type: 'sockhash', keySize: 8, valueSize: 4, maxEntries: 2 },
  ] as const;
  for (const spec of cases) {
    oracle.it(`${spec.type} with ${spec.keySize}-byte keys and ${spec.valueSize}-byte values`, () => {
      const key = (n: number) => (spec.keySize === 4 ? u32(n) : u64(n));
      const ops = [
        { op: 'update_socket', key: key(0), socket: 0, flags: 0 },
        { op: 'update_socket', key: key(0), socket: 1, flags: 1 },
        { op: 'update_socket', key: key(1), socket: 1, flags: 2 },
        { op: 'update_socket', key: key(1), socket: 1, flags: 1 },
        { op: 'update_socket', key: key(1), socket: 3, flags: 2 },
        { op: 'update_socket', key: key(2), socket: 4, flags: 3 },
        { op: 'update_socket', key: key(2), socket: 2, flags: 0 },
        { op: 'update_socket', key: key(9), socket: 0, flags: 0 },
        { op: 'update_socket', key: key(3), socket: 5, flags: 0 },
        { op: 'update_socket', key: key(3), socket: 6, flags: 0 },
        { op: 'update_socket', key: key(1), socket: 6, flags: 0 },
        { op: 'update', key: key(3), value: spec.valueSize === 8 ? u64(2 ** 31 - 1) : u32(0xffff_ffff) },
        { op: 'update', key: key(3), value: spec.valueSize === 8 ? u64(0x7fff_0000) : u32(0x7fff_0000) },
        { op: 'update', key: key(3), value: spec.valueSize === 8 ? u64(2 ** 31) : u32(2 ** 31) },
        { op: 'lookup', key: key(0) },
        { op: 'lookup', key: key(1) },
        { op: 'lookup', key: key(3) },
        { op: 'next' },
        { op: 'next', key: key(0) },
        { op: 'next', key: key(1) },
        { op: 'next', key: key(2) },
        { op: 'next', key: key(3) },
        { op: 'delete', key: key(3) },
        { op: 'delete', key: key(1) },
        { op: 'delete', key: key(1) },
        { op: 'delete', key: key(7) },
        { op: 'lookup_and_delete', key: key(0) },
      ] as const;
      const kernel = oracle.runMapOps(spec, ops, { netns: true, netnsSockets: KERNEL_SOCKETS });
      expect(kernel.create).toBe(0);
      const cookies = (kernel.netnsSocketCookies ?? []).map(BigInt);
      const sockets = TSBPF_SOCKETS.map((socket, i) => ({ ...socket, cookie: cookies[i] }));
      const bpf = new Bpf({ network: { sockets, loopbackUp: true } });
      const map = bpf.vm.maps.create({ ...spec, name: 'mapops' });
      const errnoOf = (status: number | Uint8Array) =>
        typeof status === 'number' && status < 0 ? -status : 0;
      const ours = ops.map((op) => {
        const value = (n: number) => (spec.valueSize === 8 ? u64(n) : u32(n));
        switch (op.op) {
          case 'update_socket':
            return { errno: errnoOf(map.update(op.key, value(op.socket), op.flags)), value: null };
          case 'update':
            return { errno: errnoOf(map.update(op.key, op.value, 0)), value: null };
          case 'delete':
            return { errno: errnoOf(map.delete(op.key)), value: null };
          default: {
            const got =
              op.op === 'lookup'
                ? map.lookupValue(op.key)
                : op.op === 'next'
                  ? map.getNextKey('key' in op ? op.key : undefined)
                  : map.lookupAndDelete(op.key);
            return { errno: errnoOf(got), value: typeof got === 'number' ? null : bytesToHex(got) };
          }
        }
      });
      expect(ours).toEqual(kernel.ops);
      expect(ours.filter((op) => op.errno === 0).length).toBeGreaterThan(3);
      expect(kernel.ops.some((op) => op.errno === ERRNO.EBADF)).toBe(true);
    });
  }
});
