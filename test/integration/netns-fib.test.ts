// bpf_fib_lookup in the state a fresh namespace gives (forwarding off, no routes) against the kernel's, for the
// checks that come before any route: family, flags, the device, IPv6 addresses that are never forwarded.
// Declared routes and forwarding are covered by src/vm/helpers/fib-lookup.test.ts (enabling forwarding in the
// kernel's namespace is a sysctl, which the oracle never changes); fib-kernel.test.ts compares a declared
// namespace (addresses, routes, rules) with the kernel's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { FixtureError } from '../../src/object/fixture.js';
import { ERRNO } from '../../src/abi/errno.js';
import { REPO_ROOT } from '../corpus.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const OBJECT = join(REPO_ROOT, 'test', 'progs', 'net', 'netns_sockets.o');

interface Params {
  family: number;
  ifindex: number;
  /** The destination's first and last 32-bit words as stored (little-endian loads of network-order bytes). */
  dst: readonly [number, number];
  flags?: number;
  size?: number;
}

/** A tc program that fills struct bpf_fib_lookup on the stack and returns what bpf_fib_lookup answers. */
function program({ family, ifindex, dst, flags = 0, size = 64 }: Params) {
  const zero = [64, 56, 48, 40, 32, 24, 16, 8].map((at) => `*(u64 *)(r10 - ${at}) = r0`).join('\n');
  return assembleInsns(`
    r6 = r1
    r0 = 0
    ${zero}
    r0 = ${family}
    *(u8 *)(r10 - 64) = r0
    r0 = ${ifindex}
    *(u32 *)(r10 - 56) = r0
    r0 = ${dst[0]}
    *(u32 *)(r10 - 32) = r0
    r0 = ${dst[1]}
    *(u32 *)(r10 - 20) = r0
    r1 = r6
    r2 = r10
    r2 += -64
    r3 = ${size}
    r4 = ${flags}
    call 69
    exit`);
}

const GLOBAL6: Params['dst'] = [0xb80d0120, 0x01000000];
const CASES: readonly (readonly [string, Params])[] = [
  ['IPv4 on lo', { family: 2, ifindex: 1, dst: [0x0100000a, 0] }],
  ['IPv4 on a missing device', { family: 2, ifindex: 99, dst: [0x0100000a, 0] }],
  ['IPv6 global on lo', { family: 10, ifindex: 1, dst: GLOBAL6 }],
  ['IPv6 global on a missing device', { family: 10, ifindex: 99, dst: GLOBAL6 }],
  ['IPv6 link-local on a missing device', { family: 10, ifindex: 99, dst: [0x80fe, 0x01000000] }],
  ['IPv6 multicast on lo', { family: 10, ifindex: 1, dst: [0x02ff, 0x01000000] }],
  ['IPv6 loopback on lo', { family: 10, ifindex: 1, dst: [0, 0x01000000] }],
  ['an unknown family', { family: 7, ifindex: 1, dst: [0, 0] }],
  ['an unknown flag', { family: 2, ifindex: 1, dst: [0x0100000a, 0], flags: 0x40 }],
  ['every known flag', { family: 2, ifindex: 1, dst: [0x0100000a, 0], flags: 0x3f }],
  ['a short params size', { family: 2, ifindex: 1, dst: [0x0100000a, 0], size: 60 }],
];

const FRAME = Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...new Array(40).fill(0)]);

oracle.describe('bpf_fib_lookup in a fresh namespace equals the kernel', () => {
  for (const [name, params] of CASES) {
    oracle.it(name, () => {
      const insns = program(params);
      const kernel = oracle.runInsns({ type: 'sched_cls', insns, license: 'GPL', data: FRAME, netns: true });
      expect(kernel.verdict, kernel.log).toBe('accepted');
      const bpf = new Bpf();
      const result = bpf.testRun(bpf.progLoad({ type: 'sched_cls', insns, license: 'GPL' }).fd, {
        data: FRAME,
      });
      expect(result.error).toBeUndefined();
      expect(result.retval).toBe(kernel.testRun?.retval);
    });
  }
});

describe('a fixture network section drives bpf_fib_lookup (tsbpf only)', () => {
  it('forwards once the device, route and neighbour are declared; a bad route is a FixtureError at its path', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(readFileSync(OBJECT), 'netns_sockets.o');
    const fd = bpf.progLoad({
      type: 'sched_cls',
      insns: program({ family: 2, ifindex: 2, dst: [0x0100000a, 0] }),
      license: 'GPL',
    }).fd;
    expect(bpf.testRun(fd, { data: FRAME }).retval).toBe(2 ** 32 - ERRNO.ENODEV);
    object.applyFixture({
      network: {
        devices: [{ ifindex: 2, name: 'eth0', mac: '02:00:00:00:00:02', forwarding: true }],
        routes: [{ prefix: '10.0.0.0/8', ifindex: 2, via: '192.0.2.1' }],
      },
    });
    expect(bpf.testRun(fd, { data: FRAME }).retval).toBe(7); // BPF_FIB_LKUP_RET_NO_NEIGH
    object.applyFixture({
      network: { neighbours: [{ address: '192.0.2.1', ifindex: 2, mac: '02:00:00:00:00:21' }] },
    });
    expect(bpf.testRun(fd, { data: FRAME }).retval).toBe(0);
    const bad = () => object.applyFixture({ network: { routes: [{ prefix: '11.0.0.0/8', ifindex: 3 }] } });
    expect(bad).toThrow(FixtureError);
    expect(bad).toThrow(/\$\.network\.routes\[0\]: no device with ifindex 3/);
  });
});
