// What the kernel refuses or changes when a namespace is built, against tsbpf's Network on the same declaration
// (fib-namespace.ts): `ip route add` / `ip rule add` through a down device, with a tos or with bad selector ranges
// (refused with the same reason, or accepted by both), and `ip link set DEV down` deleting the routes through it.
import { expect } from 'vitest';
import { Network, parseIpAddress, parsePrefix } from '../../src/vm/network.js';
import type { RouteDeclaration, RuleDeclaration } from '../../src/vm/network.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { ipCommands } from './fib-namespace.js';

const oracle = requireOracle();

const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);
const prefix = (text: string) => {
  const parsed = parsePrefix(text);
  if (parsed === undefined) throw new Error(`bad prefix ${text}`);
  return { prefix: parsed.prefix, prefixLength: parsed.prefixLength };
};

/** v0 (2) and v1 (3) up, v2 (4) down, v3 (5) up without its link (its peer v2 is down). */
const DEVICES = {
  devices: [
    { ifindex: 2, name: 'v0', addresses: ['192.0.2.10/24', '2001:db8:2::10/64'] },
    { ifindex: 3, name: 'v1', addresses: ['198.51.100.1/24'] },
    { ifindex: 4, name: 'v2', up: false },
    { ifindex: 5, name: 'v3', carrier: false },
  ],
};

function network(): Network {
  return new Network({
    interfaces: DEVICES.devices.map((d) => ({
      ifindex: d.ifindex,
      name: d.name,
      ...(d.up === undefined ? {} : { up: d.up }),
      ...(d.carrier === undefined ? {} : { carrier: d.carrier }),
      // parsePrefix keeps an address's host bits.
      addresses: (d.addresses ?? []).map((a) => {
        const { prefix: address, prefixLength } = prefix(a);
        return { address, prefixLength };
      }),
    })),
  });
}

type Step = readonly [string, RouteDeclaration | RuleDeclaration, 'route' | 'rule'];

/** Each `ip` command with the same declaration for tsbpf. */
const STEPS: readonly Step[] = [
  ['route add 10.1.0.0/16 dev v2', { ...prefix('10.1.0.0/16'), ifindex: 4 }, 'route'],
  [
    'route add 10.1.0.0/16 via 192.0.2.1 dev v2',
    { ...prefix('10.1.0.0/16'), ifindex: 4, gateway: ip('192.0.2.1') },
    'route',
  ],
  ['-6 route add 2001:db8:5::/48 dev v2', { ...prefix('2001:db8:5::/48'), ifindex: 4 }, 'route'],
  [
    '-6 route add 2001:db8:5::/48 via 2001:db8:2::1 dev v2',
    { ...prefix('2001:db8:5::/48'), ifindex: 4, gateway: ip('2001:db8:2::1') },
    'route',
  ],
  ['route add 10.2.0.0/16 dev v3', { ...prefix('10.2.0.0/16'), ifindex: 5 }, 'route'],
  ['-6 route add 2001:db8:6::/48 dev v3', { ...prefix('2001:db8:6::/48'), ifindex: 5 }, 'route'],
  ['route add 10.3.0.0/16 tos 0x12 dev v0', { ...prefix('10.3.0.0/16'), ifindex: 2, tos: 0x12 }, 'route'],
  ['route add 10.3.0.0/16 tos 0x20 dev v0', { ...prefix('10.3.0.0/16'), ifindex: 2, tos: 0x20 }, 'route'],
  ['route add 10.3.0.0/16 tos 0x20 dev v1', { ...prefix('10.3.0.0/16'), ifindex: 3, tos: 0x20 }, 'route'],
  ['route add 10.3.0.0/16 tos 0x10 dev v1', { ...prefix('10.3.0.0/16'), ifindex: 3, tos: 0x10 }, 'route'],
  [
    '-6 route add 2001:db8:7::/48 tos 0x10 dev v0',
    { ...prefix('2001:db8:7::/48'), ifindex: 2, tos: 0x10 },
    'route',
  ],
  ['rule add tos 0x11 table 5', { tos: 0x11, table: 5 }, 'rule'],
  ['rule add tos 0x20 table 5', { tos: 0x20, table: 5 }, 'rule'],
  ['rule add tos 0x1c table 5', { tos: 0x1c, table: 5 }, 'rule'],
  ['-6 rule add tos 0x21 table 5', { family: 'ipv6', tos: 0x21, table: 5 }, 'rule'],
  ['-6 rule add tos 0xfc table 5', { family: 'ipv6', tos: 0xfc, table: 5 }, 'rule'],
  ['rule add sport 9-5 table 5', { sourcePorts: { start: 9, end: 5 }, table: 5 }, 'rule'],
  ['rule add dport 0 table 5', { destinationPorts: { start: 0, end: 0 }, table: 5 }, 'rule'],
  ['rule add dport 1-65535 table 5', { destinationPorts: { start: 1, end: 65535 }, table: 5 }, 'rule'],
  ['rule add dport 1-65534 table 5', { destinationPorts: { start: 1, end: 65534 }, table: 5 }, 'rule'],
  ['rule add sport 65535 table 5', { sourcePorts: { start: 65535, end: 65535 }, table: 5 }, 'rule'],
  ['rule add uidrange 0-4294967295 table 5', { uids: { start: 0, end: 4294967295 }, table: 5 }, 'rule'],
  ['rule add uidrange 5-2 table 5', { uids: { start: 5, end: 2 }, table: 5 }, 'rule'],
  ['rule add uidrange 0-4294967294 table 5', { uids: { start: 0, end: 4294967294 }, table: 5 }, 'rule'],
  [
    'rule add ipproto 6 sport 7 table 5',
    { ipProtocol: 6, sourcePorts: { start: 7, end: 7 }, table: 5 },
    'rule',
  ],
];

/** The kernel's reason without iproute2's wrapping: "Error: X." or "RTNETLINK answers: X". */
function reason(stderr: string): string {
  return stderr
    .trim()
    .replace(/^(Error|RTNETLINK answers): /, '')
    .replace(/\.$/, '');
}

oracle.describe("declarations the kernel refuses are refused with the kernel's reason", () => {
  oracle.it(
    'routes through a down device, route and rule tos, selector ranges; accepted ones by both',
    () => {
      const answers = oracle.runIp(
        STEPS.map(([args]) => args),
        ipCommands(DEVICES),
      );
      const ours = network();
      let refused = 0;
      for (const [i, [args, declaration, kind]] of STEPS.entries()) {
        let problem: string | undefined;
        try {
          if (kind === 'route') ours.addRoute(declaration as RouteDeclaration);
          else ours.addRule(declaration as RuleDeclaration);
        } catch (error) {
          problem = (error as Error).message;
        }
        const answer = answers[i];
        expect(answer.args, args).toContain(args);
        if (answer.status === 0) expect(problem, args).toBeUndefined();
        else {
          expect(problem, args).toBeDefined();
          expect(problem, args).toContain(reason(answer.stderr));
          refused++;
        }
      }
      expect(refused).toBeGreaterThanOrEqual(10);
    },
  );

  oracle.it('a device going down takes its routes along, a multipath route keeps the dead next hop', () => {
    const key = (bytes: Uint8Array, length: number, hops: number) => `${bytesToHex(bytes)}/${length} ${hops}`;
    const declared = (text: string) =>
      (JSON.parse(text) as { dst: string; protocol?: string; nexthops?: unknown[] }[])
        .filter((r) => r.protocol !== 'kernel')
        .map((r) => {
          const { prefix: bytes, prefixLength } = prefix(r.dst);
          return key(bytes, prefixLength, r.nexthops?.length ?? 1);
        })
        .sort();
    const [, , , , v4, v6] = oracle.runIp(
      [
        'route add 10.5.0.0/16 dev v1',
        'route add 10.6.0.0/16 nexthop dev v1 nexthop via 192.0.2.1 dev v0',
        '-6 route add 2001:db8:8::/48 dev v1',
        'link set v1 down',
        '-j route show',
        '-j -6 route show',
      ],
      ipCommands(DEVICES),
    );
    const ours = network();
    ours.addRoute({ ...prefix('10.5.0.0/16'), ifindex: 3 });
    ours.addRoute({
      ...prefix('10.6.0.0/16'),
      nexthops: [{ ifindex: 3 }, { ifindex: 2, gateway: ip('192.0.2.1') }],
    });
    ours.addRoute({ ...prefix('2001:db8:8::/48'), ifindex: 3 });
    ours.setUp(3, false);
    const show = (family: 4 | 16) =>
      ours
        .routes()
        .filter((r) => r.origin === 'declared' && r.prefix.length === family)
        .map((r) => key(r.prefix, r.prefixLength, r.nexthops.length))
        .sort();
    expect(show(4)).toEqual(declared(v4.stdout));
    expect(show(16)).toEqual(declared(v6.stdout));
    expect(show(4)).toEqual([key(ip('10.6.0.0'), 16, 2)]);
    expect(show(16)).toEqual([]);
  });
});
