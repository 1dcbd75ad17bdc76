// One network namespace declared once for both sides of a kernel comparison: the fixture "network" section tsbpf
// takes, turned into the iproute2 commands that build the same namespace in the oracle's (`--netns-ip`).
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
  const action = rule.action ?? 'lookup';
  words.push(action === 'lookup' ? `table ${rule.table ?? 254}` : action);
  return words.join(' ');
}
