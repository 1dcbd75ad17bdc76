// bpf_fib_lookup against the kernel over one declared namespace (NETWORK in fib-namespace.ts: two veth pairs with
// addresses, routes through gateways, multipath, MTU-locked, encapsulated, rejecting, in another table, through an
// IPv6 gateway, policy rules and neighbours), built in the oracle's fresh namespace with `ip` and given to tsbpf as
// the fixture's network section. test/progs/net/fib_lookup.c writes the whole struct bpf_fib_lookup and the answer
// back into the packet; the kernel, tsbpf's interpreter and its JIT must leave the same bytes. Only what comes
// before the forwarding check can differ from FWD_DISABLED there: forwarding is a sysctl the oracle never writes,
// and BPF_FIB_LOOKUP_OUTPUT does not skip the check in 6.18. fib-routing-kernel.test.ts compares the routing behind
// the helper with the kernel's own; src/vm/helpers/fib-lookup.test.ts covers the helper's routed answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { jitAvailable } from '../../src/api/engine-choice.js';
import { loadAndRun } from '../../src/cli/run.js';
import { parseIpAddress } from '../../src/vm/network.js';
import type { EngineName } from '../../src/vm/runtime.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { ipCommands, NETWORK } from './fib-namespace.js';

const oracle = requireOracle();
const OBJECT = join(REPO_ROOT, 'test', 'progs', 'net', 'fib_lookup.o');
const ENGINES: EngineName[] = jitAvailable() ? ['interp', 'jit'] : ['interp'];

const DIRECT = 1;
const OUTPUT = 2;
const SKIP_NEIGH = 4;
const TBID = 8;
const SRC = 16;
const MARK = 32;

interface Lookup {
  readonly family?: number;
  readonly ifindex: number;
  readonly dst: string;
  readonly src?: string;
  readonly flags?: number;
  readonly totLen?: number;
  /** tbid (offset 48) and mark (offset 52). */
  readonly tbid?: number;
  readonly mark?: number;
}

/** The packet fib_lookup.c reads: struct bpf_fib_lookup, the flags at 64, room for the answer at 72. */
function request(lookup: Lookup): Uint8Array {
  const bytes = new Uint8Array(80);
  const view = new DataView(bytes.buffer);
  const dst = parseIpAddress(lookup.dst) ?? new Uint8Array(4);
  bytes[0] = lookup.family ?? (dst.length === 16 ? 10 : 2);
  bytes[1] = 6; // l4_protocol
  view.setUint16(2, 0x3412, true);
  view.setUint16(4, 0x5000, true);
  view.setUint16(6, lookup.totLen ?? 0, true);
  view.setUint32(8, lookup.ifindex, true);
  if (lookup.src !== undefined) bytes.set(parseIpAddress(lookup.src) ?? new Uint8Array(0), 16);
  bytes.set(dst, 32);
  view.setUint32(48, lookup.tbid ?? 0, true);
  view.setUint32(52, lookup.mark ?? 0, true);
  view.setUint32(64, lookup.flags ?? 0, true);
  return bytes;
}

const CASES: readonly (readonly [string, Lookup])[] = [
  ['IPv4 via the default route', { ifindex: 2, dst: '203.0.113.9' }],
  ['IPv4 output on the gateway device', { ifindex: 2, dst: '203.0.113.9', flags: OUTPUT }],
  ['IPv4 output with SRC', { ifindex: 3, dst: '10.1.2.3', flags: OUTPUT | SRC }],
  [
    'IPv4 output, SRC, no neighbour needed',
    { ifindex: 3, dst: '198.51.100.77', flags: OUTPUT | SRC | SKIP_NEIGH },
  ],
  ['IPv4 to a local address', { ifindex: 3, dst: '192.0.2.10', flags: OUTPUT }],
  ['IPv4 to a broadcast address', { ifindex: 2, dst: '192.0.2.255' }],
  ['IPv4 with a fwmark rule and MARK', { ifindex: 3, dst: '10.1.2.3', flags: MARK, mark: 7 }],
  ['IPv4 with a mark but no MARK', { ifindex: 3, dst: '10.1.2.3', mark: 7 }],
  ['IPv4 from a prohibited source', { ifindex: 2, dst: '10.1.2.3', src: '172.16.0.9' }],
  ['IPv4 to a blackhole rule', { ifindex: 2, dst: '10.17.0.1', flags: OUTPUT }],
  ['IPv4 to an unreachable rule from its device', { ifindex: 3, dst: '10.19.0.1' }],
  ['IPv4 to a prohibit route', { ifindex: 2, dst: '10.7.0.1' }],
  ['IPv4 to an unreachable route', { ifindex: 2, dst: '10.8.0.1', flags: OUTPUT }],
  ['IPv4 to a blackhole route', { ifindex: 2, dst: '10.9.0.1', flags: SKIP_NEIGH }],
  ['IPv4 DIRECT in table 100', { ifindex: 3, dst: '10.1.2.3', flags: DIRECT | TBID, tbid: 100 }],
  ['IPv4 DIRECT in a missing table', { ifindex: 3, dst: '10.1.2.3', flags: DIRECT | TBID, tbid: 99 }],
  ['IPv4 over the locked MTU', { ifindex: 2, dst: '10.3.0.1', totLen: 1281 }],
  ['IPv4 within the device MTU', { ifindex: 2, dst: '10.1.0.1', totLen: 1400, flags: OUTPUT }],
  ['IPv4 through an encapsulating route', { ifindex: 2, dst: '10.5.0.1', flags: OUTPUT }],
  ['IPv4 through an IPv6 gateway', { ifindex: 2, dst: '10.4.0.1', flags: SKIP_NEIGH }],
  ['IPv4 over the multipath route', { ifindex: 2, dst: '10.6.1.1', flags: OUTPUT | SRC }],
  ['IPv4 on a device that is down', { ifindex: 4, dst: '10.1.2.3' }],
  ['IPv4 on the other end of a pair', { ifindex: 5, dst: '10.1.2.3', flags: OUTPUT }],
  ['IPv4 on lo', { ifindex: 1, dst: '127.0.0.1' }],
  ['IPv4 on a missing device', { ifindex: 9, dst: '10.1.2.3', flags: OUTPUT }],
  ['IPv6 via the default route', { ifindex: 2, dst: '2001:db8:77::1' }],
  ['IPv6 output with SRC', { ifindex: 3, dst: '2001:db8:77::1', flags: OUTPUT | SRC }],
  ['IPv6 with MARK into table 100', { ifindex: 3, dst: '2001:db8:99::1', flags: MARK, mark: 0x107 }],
  ['IPv6 on-link', { ifindex: 2, dst: '2001:db8:2::99', flags: SKIP_NEIGH | SRC }],
  ['IPv6 to a local address', { ifindex: 3, dst: '2001:db8:3::1' }],
  ['IPv6 link-local destination', { ifindex: 2, dst: 'fe80::1', flags: OUTPUT }],
  ['IPv6 from a link-local source', { ifindex: 9, dst: '2001:db8:77::1', src: 'fe80::2' }],
  ['IPv6 multicast on a missing device', { ifindex: 9, dst: 'ff02::1' }],
  ['IPv6 on a missing device', { ifindex: 9, dst: '2001:db8:77::1', flags: OUTPUT | SRC }],
  ['an unknown family', { family: 7, ifindex: 2, dst: '10.1.2.3' }],
  ['every flag', { ifindex: 2, dst: '10.1.2.3', flags: 0x3f }],
  ['an unknown flag', { ifindex: 2, dst: '10.1.2.3', flags: 0x40 }],
];

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-fib-'));
const fixtureFile = join(dir, 'network.json');
writeFileSync(fixtureFile, JSON.stringify({ network: NETWORK }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const IP = ipCommands(NETWORK);

describe('the declared namespace as ip commands', () => {
  oracle.it('is accepted by the kernel as it is by tsbpf', () => {
    const report = oracle.runObject(OBJECT, { program: 'tc_fib_lookup', netns: true, netnsIp: IP });
    expect(report.programs[0]?.verdict).toBe('accepted');
  });
});

for (const program of ['tc_fib_lookup', 'xdp_fib_lookup']) {
  oracle.describe(`${program}: the struct and answer equal the kernel's`, () => {
    const answers = new Set<number>();
    for (const [name, lookup] of CASES) {
      oracle.it(name, () => {
        const data = request(lookup);
        const report = oracle.runObject(OBJECT, { program, data, netns: true, netnsIp: IP }).programs[0];
        expect(report?.verdict, report?.log).toBe('accepted');
        expect(report?.testRun?.errno).toBe(0);
        const kernel = { retval: report?.testRun?.retval, dataOut: report?.testRun?.dataOut };
        for (const engine of ENGINES) {
          const { result } = loadAndRun(OBJECT, { program, data, config: { fixtureFile, engine } });
          expect(result.error).toBeUndefined();
          expect({ retval: result.retval, dataOut: bytesToHex(result.dataOut) }, engine).toEqual(kernel);
        }
        answers.add(kernel.retval ?? -1);
      });
    }
    oracle.it('covers several distinct answers', () => {
      // ENODEV, EINVAL, EAFNOSUPPORT, NOT_FWDED (IPv6 link-local/multicast) and FWD_DISABLED at least.
      expect(answers.size).toBeGreaterThanOrEqual(5);
    });
  });
}
