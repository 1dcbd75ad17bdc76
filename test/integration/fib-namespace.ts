// One network namespace declared once for both sides of a kernel comparison: the fixture "network" section tsbpf
// takes, turned into the iproute2 commands that build the same namespace in the oracle's (`--netns-ip`); and the
// namespaces the bpf_fib_lookup comparisons use (fib-kernel.test.ts, fib-routing-kernel.test.ts).
// Devices come in veth pairs (devices[0] and [1] are peers, then [2] and [3], ...): this kernel has no dummy
// devices, and a veth pair is what `ip link add` can make with a chosen ifindex, MAC and MTU.

import type { FixtureNetwork, FixtureRoute, FixtureRule } from '../../src/object/fixture-network.js';

const isV6 = (text: string) => text.includes(':');

/** The `ip` argument lists (no leading `ip`) that build `network` in a fresh namespace, in order. */
export function ipCommands(network: FixtureNetwork): string[] {
  if (network.sockets !== undefined || network.cookie !== undefined)
    throw new Error('sockets and the netns cookie are not made with ip');
  const devices = network.devices ?? [];
  if (devices.length % 2 !== 0) throw new Error('devices come in veth pairs');
  const names = new Map<number, string>([[1, 'lo']]);
  for (const device of devices) names.set(device.ifindex, device.name);
  const name = (ifindex: number) => {
    const found = names.get(ifindex);
    if (found === undefined) throw new Error(`no device with ifindex ${ifindex}`);
    return found;
  };
  const commands: string[] = [];
  if (network.loopbackUp) commands.push('link set lo up');
  for (let i = 0; i < devices.length; i += 2) {
    const [a, b] = [devices[i], devices[i + 1]];
    // A veth has its link while its peer is up: the declaration must say so where it matters (an up device).
    for (const [end, peer] of [
      [a, b],
      [b, a],
    ])
      if (end.up !== false && (end.carrier !== false) !== (peer.up !== false))
        throw new Error(
          `${end.name}: carrier ${end.carrier !== false} but its peer is ${peer.up === false ? 'down' : 'up'}`,
        );
    const end = (d: typeof a) =>
      `${d.name} index ${d.ifindex}${d.mac === undefined ? '' : ` address ${d.mac}`} mtu ${d.mtu ?? 1500}`;
    // The kernel registers the peer first: naming the second device first keeps the declaration order, which
    // tsbpf takes for the kernel's device order (source address fallbacks walk the devices in it).
    commands.push(`link add ${end(b)} type veth peer name ${end(a)}`);
  }
  for (const device of devices) {
    // Forwarding is a sysctl (net.ipv4.conf.DEV.forwarding), which the oracle never writes.
    if (device.forwarding)
      throw new Error(`${device.name}: forwarding cannot be switched on without a sysctl`);
    if (device.up !== false) commands.push(`link set ${device.name} up`);
    for (const address of device.addresses ?? [])
      commands.push(
        isV6(address)
          ? `-6 addr add ${address} dev ${device.name} nodad`
          : `addr add ${address} dev ${device.name}`,
      );
  }
  for (const route of network.routes ?? []) commands.push(routeCommand(route, name));
  for (const rule of network.rules ?? []) commands.push(ruleCommand(rule));
  for (const n of network.neighbours ?? [])
    commands.push(
      `${isV6(n.address) ? '-6 ' : ''}neigh add ${n.address} lladdr ${n.mac} dev ${name(n.ifindex)} nud permanent`,
    );
  return commands;
}

function routeCommand(route: FixtureRoute, name: (ifindex: number) => string): string {
  const v6 = isV6(route.prefix);
  const via = (address: string) => (!v6 && isV6(address) ? `via inet6 ${address}` : `via ${address}`);
  const words = [v6 ? '-6 route add' : 'route add'];
  if (route.type !== undefined && route.type !== 'unicast') words.push(route.type);
  words.push(route.prefix);
  if (route.via !== undefined) words.push(via(route.via));
  if (route.ifindex !== undefined && route.nexthops === undefined) words.push(`dev ${name(route.ifindex)}`);
  if (route.metric !== undefined) words.push(`metric ${route.metric}`);
  if (route.mtu !== undefined) words.push(`mtu lock ${route.mtu}`);
  if (route.table !== undefined) words.push(`table ${route.table}`);
  if (route.src !== undefined) words.push(`src ${route.src}`);
  if (route.tos !== undefined) words.push(`tos 0x${route.tos.toString(16)}`);
  // Any lightweight tunnel will do: bpf_fib_lookup only asks whether the next hop has one.
  if (route.encap) words.push(v6 ? 'encap ip6 id 1 dst 2001:db8::fa' : 'encap ip id 1 dst 192.0.2.250');
  for (const hop of route.nexthops ?? [])
    words.push(
      `nexthop${hop.via === undefined ? '' : ` ${via(hop.via)}`} dev ${name(hop.ifindex)} weight ${hop.weight ?? 1}`,
    );
  return words.join(' ');
}

function ruleCommand(rule: FixtureRule): string {
  const v6 = rule.family === 'ipv6' || isV6(rule.from ?? '') || isV6(rule.to ?? '');
  const words = [v6 ? '-6 rule add' : 'rule add'];
  if (rule.priority !== undefined) words.push(`pref ${rule.priority}`);
  if (rule.from !== undefined) words.push(`from ${rule.from}`);
  if (rule.to !== undefined) words.push(`to ${rule.to}`);
  if (rule.fwmark !== undefined)
    words.push(`fwmark ${rule.fwmark}${rule.fwmask === undefined ? '' : `/${rule.fwmask}`}`);
  if (rule.iif !== undefined) words.push(`iif ${rule.iif}`);
  if (rule.oif !== undefined) words.push(`oif ${rule.oif}`);
  if (rule.tos !== undefined) words.push(`tos 0x${rule.tos.toString(16)}`);
  if (rule.ipproto !== undefined) words.push(`ipproto ${rule.ipproto}`);
  if (rule.sport !== undefined) words.push(`sport ${rule.sport}`);
  if (rule.dport !== undefined) words.push(`dport ${rule.dport}`);
  if (rule.uidrange !== undefined) words.push(`uidrange ${rule.uidrange}`);
  const action = rule.action ?? 'lookup';
  words.push(action === 'lookup' ? `table ${rule.table ?? 254}` : action);
  return words.join(' ');
}

/** Two veth pairs with addresses, routes of every kind, policy rules and neighbours. */
export const NETWORK: FixtureNetwork = {
  loopbackUp: true,
  devices: [
    {
      ifindex: 2,
      name: 'v0',
      mac: '02:00:00:00:00:02',
      addresses: ['192.0.2.10/24', '192.0.2.11/24', '2001:db8:2::10/64', '203.0.113.5/24'],
    },
    {
      ifindex: 3,
      name: 'v1',
      mac: '02:00:00:00:00:03',
      mtu: 1400,
      addresses: ['198.51.100.1/24', '2001:db8:3::1/64', '2002:c633:6401::1/48', '2001:db8:79::1/64'],
    },
    { ifindex: 4, name: 'v2', mac: '02:00:00:00:00:04', up: false },
    // Up, but without its link while v2 is down: no fe80::/64 (IPv6 waits for the link), its routes still used.
    { ifindex: 5, name: 'v3', mac: '02:00:00:00:00:05', carrier: false },
  ],
  routes: [
    { prefix: '0.0.0.0/0', via: '192.0.2.1', ifindex: 2 },
    { prefix: '10.0.0.0/8', via: '198.51.100.254', ifindex: 3 },
    { prefix: '10.3.0.0/16', via: '198.51.100.254', ifindex: 3, mtu: 1280 },
    { prefix: '10.4.0.0/16', via: 'fe80::1', ifindex: 2 },
    { prefix: '10.5.0.0/16', via: '198.51.100.254', ifindex: 3, encap: true },
    {
      prefix: '10.6.0.0/16',
      src: '198.51.100.1',
      nexthops: [
        { ifindex: 2, via: '192.0.2.1', weight: 1 },
        { ifindex: 3, via: '198.51.100.254', weight: 3 },
      ],
    },
    // Multipath whose next hops a flow cannot tell apart: the kernel's hash and tsbpf's agree whatever they pick.
    {
      prefix: '10.10.0.0/16',
      nexthops: [
        { ifindex: 3, via: '198.51.100.254', weight: 2 },
        { ifindex: 3, via: '198.51.100.254', weight: 5 },
      ],
    },
    { prefix: '10.11.0.0/16', nexthops: [{ ifindex: 2, via: '192.0.2.1' }] },
    { prefix: '10.12.0.0/16', via: '203.0.113.1', ifindex: 2 },
    { prefix: '10.13.0.0/16', ifindex: 5 },
    { prefix: '10.7.0.0/16', type: 'prohibit' },
    { prefix: '10.8.0.0/16', type: 'unreachable' },
    { prefix: '10.9.0.0/16', type: 'blackhole' },
    { prefix: '10.0.0.0/8', via: '192.0.2.7', ifindex: 2, table: 100 },
    { prefix: '::/0', via: '2001:db8:3::fe', ifindex: 3 },
    { prefix: '2001:db8:99::/48', via: '2001:db8:2::1', ifindex: 2, table: 100 },
    { prefix: '2001:db8:61::/48', type: 'blackhole' },
    { prefix: '2001:db8:62::/48', type: 'unreachable' },
    { prefix: '2001:db8:63::/48', type: 'prohibit' },
    // IPv4 routes with a tos: the higher tos first among a prefix's routes, a reject one skipped on a mismatch.
    { prefix: '10.34.0.0/16', tos: 0x10, via: '192.0.2.1', ifindex: 2 },
    { prefix: '10.34.0.0/16', tos: 0x08, via: '198.51.100.254', ifindex: 3 },
    { prefix: '10.34.0.0/16', via: '203.0.113.1', ifindex: 2, metric: 5 },
    { prefix: '10.35.0.0/16', tos: 0x04, type: 'prohibit' },
    { prefix: '10.35.0.0/16', tos: 0x0c, via: '192.0.2.1', ifindex: 2, metric: 3 },
  ],
  rules: [
    { priority: 97, iif: 'lo', to: '10.23.0.0/16', table: 100 },
    { to: '10.24.0.0/16', table: 100 }, // the kernel's priority: one below the second rule's
    { priority: 98, oif: 'v1', to: '10.21.0.0/16', table: 100 },
    { priority: 99, from: '192.0.2.11/32', table: 100 },
    { priority: 99, from: '2001:db8:3::1/128', table: 100 },
    { priority: 100, fwmark: 7, table: 100 },
    { priority: 101, from: '172.16.0.0/12', action: 'prohibit' },
    { priority: 102, to: '10.17.0.0/16', action: 'blackhole' },
    { priority: 103, iif: 'v1', to: '10.19.0.0/16', action: 'unreachable' },
    { priority: 100, family: 'ipv6', fwmark: 7, fwmask: 255, table: 100 },
    { priority: 105, to: '2001:db8:64::/48', action: 'blackhole' },
    { priority: 106, to: '2001:db8:65::/48', action: 'prohibit' },
    { priority: 107, to: '2001:db8:66::/48', action: 'unreachable' },
    // Selectors on the flow's tos, protocol, ports and uid (last: the priority picked above stays the kernel's).
    { priority: 90, to: '10.30.0.0/16', tos: 0x10, table: 100 },
    { priority: 91, to: '10.31.0.0/16', ipproto: 6, dport: '80-90', table: 100 },
    { priority: 92, to: '10.32.0.0/16', uidrange: '100-200', table: 100 },
    { priority: 93, to: '10.33.0.0/16', sport: 7, action: 'prohibit' },
    {
      priority: 94,
      to: '10.36.0.0/16',
      ipproto: 17,
      sport: '1000-2000',
      dport: 53,
      uidrange: '0-0',
      table: 100,
    },
    { priority: 90, to: '2001:db8:99:1::/64', tos: 0x20, table: 100 },
    { priority: 91, to: '2001:db8:99:2::/64', ipproto: 17, dport: 53, table: 100 },
    { priority: 92, to: '2001:db8:99:3::/64', uidrange: '100-200', table: 100 },
    { priority: 93, to: '2001:db8:99:4::/64', sport: '5-9', action: 'prohibit' },
  ],
  neighbours: [
    { address: '192.0.2.1', ifindex: 2, mac: '02:00:00:00:00:21' },
    { address: '198.51.100.254', ifindex: 3, mac: '02:00:00:00:00:31' },
    { address: '2001:db8:3::fe', ifindex: 3, mac: '02:00:00:00:00:61' },
  ],
};

/** A smaller namespace without policy rules of its own: IPv4's merged local+main, then the default table. */
export const PLAIN: FixtureNetwork = {
  loopbackUp: true,
  devices: [
    { ifindex: 2, name: 'v0', mac: '02:00:00:00:00:02', addresses: ['192.0.2.10/24'] },
    { ifindex: 3, name: 'v1', mac: '02:00:00:00:00:03', addresses: ['198.51.100.1/24'] },
  ],
  routes: [
    { prefix: '10.20.0.0/16', via: '192.0.2.1', ifindex: 2, metric: 10 },
    { prefix: '10.20.0.0/16', via: '198.51.100.9', ifindex: 3, metric: 5 },
    { prefix: '10.9.0.0/16', type: 'blackhole' },
    { prefix: '10.7.0.0/16', type: 'prohibit' },
    { prefix: '10.6.0.0/16', type: 'unreachable' },
    { prefix: '10.7.0.0/16', via: '192.0.2.1', ifindex: 2, table: 253 },
    { prefix: '10.8.0.0/16', via: '192.0.2.2', ifindex: 2, table: 253 },
    { prefix: '192.0.2.10/32', via: '192.0.2.3', ifindex: 2 },
  ],
};

/**
 * Devices declared out of ifindex order, the first pair with addresses, the second without: a route through the
 * second takes its source from the devices in registration order (the declared one), not by ifindex.
 */
export const ORDER: FixtureNetwork = {
  devices: [
    { ifindex: 5, name: 'w0', mac: '02:00:00:00:00:15', addresses: ['198.51.100.1/24', '2001:db8:1::1/64'] },
    { ifindex: 4, name: 'w1', mac: '02:00:00:00:00:14', addresses: ['192.0.2.1/24', '2001:db8:2::1/64'] },
    { ifindex: 3, name: 'w2', mac: '02:00:00:00:00:13' },
    { ifindex: 2, name: 'w3', mac: '02:00:00:00:00:12' },
  ],
  routes: [
    { prefix: '10.0.0.0/8', ifindex: 3 },
    { prefix: '2001:db8:8000::/33', ifindex: 3 },
  ],
};
