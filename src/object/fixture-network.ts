// A fixture's "network" section: the devices (with addresses), routes, policy rules, neighbours and sockets of the run's
// network namespace, checked for shape here and resolved into the declarations src/vm/network.ts takes (which checks the values themselves).

import {
  type InterfaceDeclaration,
  type Neighbour,
  type NetworkDeclaration,
  type NumberRange,
  parseIpAddress,
  parsePrefix,
  type RouteDeclaration,
  type RouteType,
  type RuleAction,
  type RuleDeclaration,
  type SocketDeclaration,
  type SocketKind,
} from '../vm/network.js';

/** `{"devices": [...], "routes": [...], "neighbours": [...]}`, each optional. */
export interface FixtureNetwork {
  /**
   * `{"ifindex": 2, "name": "eth0", "mtu"?: 1500, "mac"?: "02:00:00:00:00:01", "forwarding"?: true, "up"?: false,
   * "addresses"?: ["192.0.2.1/24", "2001:db8::1/64"]}`
   */
  readonly devices?: readonly FixtureDevice[];
  /**
   * `{"prefix": "10.0.0.0/8", "ifindex": 2, "via"?: "10.0.0.1", "metric"?, "mtu"?, "type"?, "table"?, "src"?,
   * "encap"?: true}`, or `"nexthops": [{"ifindex": 2, "via"?: A, "weight"?: 1}, ...]` instead of ifindex and via
   */
  readonly routes?: readonly FixtureRoute[];
  /**
   * `{"priority"?: 100, "from"?: "10.0.0.0/8", "to"?: P, "fwmark"?: 1, "fwmask"?: 255, "iif"?: "eth0", "oif"?: D,
   * "table"?: 100, "action"?: "lookup" | "blackhole" | "unreachable" | "prohibit", "family"?: "ipv4" | "ipv6"}`
   */
  readonly rules?: readonly FixtureRule[];
  /** `{"address": "10.0.0.1", "ifindex": 2, "mac": "02:00:00:00:00:02"}` */
  readonly neighbours?: readonly FixtureNeighbour[];
  /** `{"kind": "tcp-listen", "localAddress": "127.0.0.1", "localPort": 80, "remoteAddress"?, "remotePort"?, ...}` */
  readonly sockets?: readonly FixtureSocket[];
  /** The namespace's cookie (bpf_get_netns_cookie). */
  readonly cookie?: number;
  /** lo up (default down, as in a fresh namespace). */
  readonly loopbackUp?: boolean;
  /** The id the namespace has for itself (socket lookups' netns id), 0..2147483647; none by default. */
  readonly netnsId?: number;
  /** `{"id": 7, "network": {...}}`: a namespace this one knows by id 7 (its sockets, devices, ...). */
  readonly peers?: readonly { readonly id: number; readonly network?: FixtureNetwork }[];
}

export interface FixtureSocket {
  readonly kind: SocketKind;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly uid?: number;
  readonly cookie?: number;
  /** IPV6_V6ONLY (IPv6 sockets; default 0, net.ipv6.bindv6only's default). */
  readonly v6Only?: boolean;
  /** SO_BINDTODEVICE: an ifindex of the namespace. */
  readonly boundDevice?: number;
  /** SO_REUSEPORT (listeners and unconnected UDP sockets). */
  readonly reuseport?: boolean;
}

export interface FixtureDevice {
  readonly ifindex: number;
  readonly name: string;
  readonly mtu?: number;
  readonly mac?: string;
  readonly forwarding?: boolean;
  readonly up?: boolean;
  /** false: no link (a veth whose peer is down). */
  readonly carrier?: boolean;
  readonly addresses?: readonly string[];
}

export interface FixtureRoute {
  readonly prefix: string;
  readonly ifindex?: number;
  readonly via?: string;
  readonly nexthops?: readonly FixtureNexthop[];
  readonly metric?: number;
  readonly mtu?: number;
  readonly type?: RouteType;
  readonly table?: number;
  readonly src?: string;
  readonly encap?: boolean;
  /** `tos T` (IPv4). */
  readonly tos?: number;
}

export interface FixtureNexthop {
  readonly ifindex: number;
  readonly via?: string;
  readonly weight?: number;
}

export interface FixtureRule {
  readonly priority?: number;
  readonly from?: string;
  readonly to?: string;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly iif?: string;
  readonly oif?: string;
  readonly table?: number;
  readonly action?: RuleAction;
  readonly family?: 'ipv4' | 'ipv6';
  readonly tos?: number;
  /** IPPROTO_* number (`ipproto tcp` is 6). */
  readonly ipproto?: number;
  /** A port or an inclusive range "START-END", as `ip rule ... sport|dport`. */
  readonly sport?: number | string;
  readonly dport?: number | string;
  /** "START-END", as `ip rule ... uidrange`. */
  readonly uidrange?: string;
}

export interface FixtureNeighbour {
  readonly address: string;
  readonly ifindex: number;
  readonly mac: string;
}

/** One declaration with the JSON path it came from, applied in order (devices, then routes, then neighbours). */
export type ResolvedNetworkItem =
  | { readonly path: string; readonly kind: 'device'; readonly device: InterfaceDeclaration }
  | { readonly path: string; readonly kind: 'route'; readonly route: RouteDeclaration }
  | { readonly path: string; readonly kind: 'rule'; readonly rule: RuleDeclaration }
  | { readonly path: string; readonly kind: 'neighbour'; readonly neighbour: Neighbour }
  | { readonly path: string; readonly kind: 'socket'; readonly socket: SocketDeclaration }
  | { readonly path: string; readonly kind: 'cookie'; readonly cookie: bigint }
  | { readonly path: string; readonly kind: 'loopbackUp'; readonly up: boolean }
  | { readonly path: string; readonly kind: 'netnsId'; readonly id: number }
  | {
      readonly path: string;
      readonly kind: 'peer';
      readonly id: number;
      readonly network: NetworkDeclaration;
    };

/** A problem at a JSON path; the caller turns it into its FixtureError. */
export class NetworkShapeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
const ROUTE_TYPES: readonly RouteType[] = [
  'unicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'local',
  'broadcast',
];
const RULE_ACTIONS: readonly RuleAction[] = ['lookup', 'blackhole', 'unreachable', 'prohibit'];
const SOCKET_KINDS: readonly SocketKind[] = [
  'tcp-listen',
  'tcp-established',
  'tcp-request',
  'tcp-time-wait',
  'udp',
];

function parseMac(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((byte) => Number.parseInt(byte, 16)));
}

function keysOf(json: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key)) {
      const expected = allowed.map((k) => `"${k}"`).join(', ');
      throw new NetworkShapeError(`${path}.${key}`, `unknown key (expected ${expected})`);
    }
  }
}

function integer(json: Record<string, unknown>, key: string, path: string, required: boolean): void {
  const value = json[key];
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new NetworkShapeError(`${path}.${key}`, 'expected an integer');
}

function mac(json: Record<string, unknown>, key: string, path: string, required: boolean): void {
  const value = json[key];
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !MAC.test(value))
    throw new NetworkShapeError(`${path}.${key}`, 'expected six hex bytes separated by colons');
}

function address(json: Record<string, unknown>, key: string, path: string, required: boolean): void {
  const value = json[key];
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || parseIpAddress(value) === undefined)
    throw new NetworkShapeError(`${path}.${key}`, 'expected an IPv4 or IPv6 address');
}

/** A number or "START-END" as an inclusive range; undefined when it is neither. */
export function parseRange(value: unknown): NumberRange | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? { start: value, end: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (match === null) return undefined;
  return { start: Number(match[1]), end: Number(match[2] ?? match[1]) };
}

function arrayOf(json: Record<string, unknown>, key: string, base: string): readonly unknown[] {
  const value = json[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new NetworkShapeError(`${base}.${key}`, 'expected an array');
  return value;
}

/** Checks the section's shape; throws NetworkShapeError naming the first bad member. */
export function checkFixtureNetwork(json: unknown, base = '$.network'): FixtureNetwork {
  if (!isRecord(json))
    throw new NetworkShapeError(base, 'expected {"devices"?, "routes"?, "neighbours"?, "sockets"?}');
  keysOf(json, base, [
    'devices',
    'routes',
    'rules',
    'neighbours',
    'sockets',
    'cookie',
    'loopbackUp',
    'netnsId',
    'peers',
  ]);
  integer(json, 'cookie', base, false);
  for (const [i, peer] of arrayOf(json, 'peers', base).entries()) {
    const path = `${base}.peers[${i}]`;
    if (!isRecord(peer)) throw new NetworkShapeError(path, 'expected {"id", "network"}');
    keysOf(peer, path, ['id', 'network']);
    integer(peer, 'id', path, true);
    // A peer's own peers are no namespace the lookups of this one can reach.
    if (isRecord(peer.network) && peer.network.peers !== undefined)
      throw new NetworkShapeError(`${path}.network.peers`, 'a peer namespace declares no peers of its own');
    checkFixtureNetwork(peer.network ?? {}, `${path}.network`);
  }
  integer(json, 'netnsId', base, false);
  if (json.loopbackUp !== undefined && typeof json.loopbackUp !== 'boolean')
    throw new NetworkShapeError(`${base}.loopbackUp`, 'expected true or false');
  for (const [i, socket] of arrayOf(json, 'sockets', base).entries()) {
    const path = `${base}.sockets[${i}]`;
    if (!isRecord(socket))
      throw new NetworkShapeError(path, 'expected {"kind", "localAddress", "localPort", ...}');
    keysOf(socket, path, [
      'kind',
      'localAddress',
      'localPort',
      'remoteAddress',
      'remotePort',
      'uid',
      'cookie',
      'v6Only',
      'boundDevice',
      'reuseport',
    ]);
    if (socket.reuseport !== undefined && typeof socket.reuseport !== 'boolean')
      throw new NetworkShapeError(`${path}.reuseport`, 'expected true or false');
    if (!SOCKET_KINDS.includes(socket.kind as SocketKind))
      throw new NetworkShapeError(`${path}.kind`, `expected one of ${SOCKET_KINDS.join(', ')}`);
    address(socket, 'localAddress', path, true);
    address(socket, 'remoteAddress', path, false);
    for (const key of ['localPort', 'remotePort', 'uid', 'cookie', 'boundDevice'])
      integer(socket, key, path, key === 'localPort');
    if (socket.v6Only !== undefined && typeof socket.v6Only !== 'boolean')
      throw new NetworkShapeError(`${path}.v6Only`, 'expected true or false');
  }
  for (const [i, device] of arrayOf(json, 'devices', base).entries()) {
    const path = `${base}.devices[${i}]`;
    if (!isRecord(device)) throw new NetworkShapeError(path, 'expected {"ifindex", "name", "mtu"?, "mac"?}');
    keysOf(device, path, ['ifindex', 'name', 'mtu', 'mac', 'forwarding', 'up', 'carrier', 'addresses']);
    integer(device, 'ifindex', path, true);
    if (typeof device.name !== 'string') throw new NetworkShapeError(`${path}.name`, 'expected a string');
    integer(device, 'mtu', path, false);
    mac(device, 'mac', path, false);
    if (device.forwarding !== undefined && typeof device.forwarding !== 'boolean')
      throw new NetworkShapeError(`${path}.forwarding`, 'expected true or false');
    for (const key of ['up', 'carrier'])
      if (device[key] !== undefined && typeof device[key] !== 'boolean')
        throw new NetworkShapeError(`${path}.${key}`, 'expected true or false');
    if (device.addresses !== undefined && !Array.isArray(device.addresses))
      throw new NetworkShapeError(`${path}.addresses`, 'expected an array');
    for (const [j, text] of ((device.addresses as unknown[] | undefined) ?? []).entries())
      if (typeof text !== 'string' || parsePrefix(text) === undefined)
        throw new NetworkShapeError(`${path}.addresses[${j}]`, 'expected ADDRESS/LENGTH (IPv4 or IPv6)');
  }
  for (const [i, route] of arrayOf(json, 'routes', base).entries()) {
    const path = `${base}.routes[${i}]`;
    if (!isRecord(route)) throw new NetworkShapeError(path, 'expected {"prefix", "ifindex", "via"?, ...}');
    keysOf(route, path, [
      'prefix',
      'ifindex',
      'via',
      'nexthops',
      'metric',
      'mtu',
      'type',
      'table',
      'src',
      'encap',
      'tos',
    ]);
    if (typeof route.prefix !== 'string' || parsePrefix(route.prefix) === undefined)
      throw new NetworkShapeError(`${path}.prefix`, 'expected ADDRESS/LENGTH (IPv4 or IPv6)');
    integer(route, 'ifindex', path, false);
    address(route, 'via', path, false);
    address(route, 'src', path, false);
    for (const key of ['metric', 'mtu', 'table', 'tos']) integer(route, key, path, false);
    if (route.type !== undefined && !ROUTE_TYPES.includes(route.type as RouteType))
      throw new NetworkShapeError(`${path}.type`, `expected one of ${ROUTE_TYPES.join(', ')}`);
    if (route.encap !== undefined && typeof route.encap !== 'boolean')
      throw new NetworkShapeError(`${path}.encap`, 'expected true or false');
    if (route.nexthops !== undefined && !Array.isArray(route.nexthops))
      throw new NetworkShapeError(`${path}.nexthops`, 'expected an array');
    for (const [j, hop] of ((route.nexthops as unknown[] | undefined) ?? []).entries()) {
      const hopPath = `${path}.nexthops[${j}]`;
      if (!isRecord(hop)) throw new NetworkShapeError(hopPath, 'expected {"ifindex", "via"?, "weight"?}');
      keysOf(hop, hopPath, ['ifindex', 'via', 'weight']);
      integer(hop, 'ifindex', hopPath, true);
      address(hop, 'via', hopPath, false);
      integer(hop, 'weight', hopPath, false);
    }
  }
  for (const [i, rule] of arrayOf(json, 'rules', base).entries()) {
    const path = `${base}.rules[${i}]`;
    if (!isRecord(rule)) throw new NetworkShapeError(path, 'expected {"priority"?, "from"?, "to"?, ...}');
    keysOf(rule, path, [
      'priority',
      'from',
      'to',
      'fwmark',
      'fwmask',
      'iif',
      'oif',
      'table',
      'action',
      'family',
      'tos',
      'ipproto',
      'sport',
      'dport',
      'uidrange',
    ]);
    for (const key of ['priority', 'fwmark', 'fwmask', 'table', 'tos', 'ipproto'])
      integer(rule, key, path, false);
    for (const key of ['sport', 'dport', 'uidrange'])
      if (
        rule[key] !== undefined &&
        (parseRange(rule[key]) === undefined || (key === 'uidrange' && typeof rule[key] !== 'string'))
      )
        throw new NetworkShapeError(
          `${path}.${key}`,
          key === 'uidrange' ? 'expected "START-END"' : 'expected a port or "START-END"',
        );
    for (const key of ['from', 'to'])
      if (rule[key] !== undefined && (typeof rule[key] !== 'string' || parsePrefix(rule[key]) === undefined))
        throw new NetworkShapeError(`${path}.${key}`, 'expected ADDRESS/LENGTH (IPv4 or IPv6)');
    for (const key of ['iif', 'oif'])
      if (rule[key] !== undefined && typeof rule[key] !== 'string')
        throw new NetworkShapeError(`${path}.${key}`, 'expected a device name');
    if (rule.action !== undefined && !RULE_ACTIONS.includes(rule.action as RuleAction))
      throw new NetworkShapeError(`${path}.action`, `expected one of ${RULE_ACTIONS.join(', ')}`);
    if (rule.family !== undefined && rule.family !== 'ipv4' && rule.family !== 'ipv6')
      throw new NetworkShapeError(`${path}.family`, 'expected "ipv4" or "ipv6"');
  }
  for (const [i, neighbour] of arrayOf(json, 'neighbours', base).entries()) {
    const path = `${base}.neighbours[${i}]`;
    if (!isRecord(neighbour)) throw new NetworkShapeError(path, 'expected {"address", "ifindex", "mac"}');
    keysOf(neighbour, path, ['address', 'ifindex', 'mac']);
    address(neighbour, 'address', path, true);
    integer(neighbour, 'ifindex', path, true);
    mac(neighbour, 'mac', path, true);
  }
  return json as FixtureNetwork;
}

/** The declarations of a checked section, in the order they must be applied. */
export function resolveFixtureNetwork(
  network: FixtureNetwork | undefined,
  base = '$.network',
): ResolvedNetworkItem[] {
  const items: ResolvedNetworkItem[] = [];
  for (const [i, device] of (network?.devices ?? []).entries()) {
    items.push({
      path: `${base}.devices[${i}]`,
      kind: 'device',
      device: {
        ifindex: device.ifindex,
        name: device.name,
        ...(device.mtu === undefined ? {} : { mtu: device.mtu }),
        ...(device.mac === undefined ? {} : { mac: parseMac(device.mac) }),
        ...(device.forwarding === undefined ? {} : { forwarding: device.forwarding }),
        ...(device.up === undefined ? {} : { up: device.up }),
        ...(device.carrier === undefined ? {} : { carrier: device.carrier }),
        ...(device.addresses === undefined
          ? {}
          : {
              addresses: device.addresses.map((text) => {
                const parsed = parsePrefix(text);
                return {
                  address: parsed?.prefix ?? new Uint8Array(0),
                  prefixLength: parsed?.prefixLength ?? 0,
                };
              }),
            }),
      },
    });
  }
  for (const [i, route] of (network?.routes ?? []).entries()) {
    const prefix = parsePrefix(route.prefix);
    if (prefix === undefined) throw new NetworkShapeError(`${base}.routes[${i}].prefix`, 'unchecked');
    const gateway = route.via === undefined ? undefined : parseIpAddress(route.via);
    const source = route.src === undefined ? undefined : parseIpAddress(route.src);
    items.push({
      path: `${base}.routes[${i}]`,
      kind: 'route',
      route: {
        ...prefix,
        ...(route.ifindex === undefined ? {} : { ifindex: route.ifindex }),
        ...(gateway === undefined ? {} : { gateway }),
        ...(route.nexthops === undefined
          ? {}
          : {
              nexthops: route.nexthops.map((hop) => ({
                ifindex: hop.ifindex,
                ...(hop.via === undefined ? {} : { gateway: parseIpAddress(hop.via) }),
                ...(hop.weight === undefined ? {} : { weight: hop.weight }),
              })),
            }),
        ...(route.metric === undefined ? {} : { metric: route.metric }),
        ...(route.mtu === undefined ? {} : { mtu: route.mtu }),
        ...(route.type === undefined ? {} : { type: route.type }),
        ...(route.table === undefined ? {} : { table: route.table }),
        ...(source === undefined ? {} : { preferredSource: source }),
        ...(route.encap === undefined ? {} : { encap: route.encap }),
        ...(route.tos === undefined ? {} : { tos: route.tos }),
      },
    });
  }
  for (const [i, rule] of (network?.rules ?? []).entries()) {
    const from = rule.from === undefined ? undefined : parsePrefix(rule.from);
    const to = rule.to === undefined ? undefined : parsePrefix(rule.to);
    items.push({
      path: `${base}.rules[${i}]`,
      kind: 'rule',
      rule: {
        ...(rule.family === undefined ? {} : { family: rule.family }),
        ...(rule.priority === undefined ? {} : { priority: rule.priority }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(rule.fwmark === undefined ? {} : { fwmark: rule.fwmark }),
        ...(rule.fwmask === undefined ? {} : { fwmask: rule.fwmask }),
        ...(rule.iif === undefined ? {} : { iif: rule.iif }),
        ...(rule.oif === undefined ? {} : { oif: rule.oif }),
        ...(rule.table === undefined ? {} : { table: rule.table }),
        ...(rule.action === undefined ? {} : { action: rule.action }),
        ...(rule.tos === undefined ? {} : { tos: rule.tos }),
        ...(rule.ipproto === undefined ? {} : { ipProtocol: rule.ipproto }),
        ...(rule.sport === undefined ? {} : { sourcePorts: parseRange(rule.sport) }),
        ...(rule.dport === undefined ? {} : { destinationPorts: parseRange(rule.dport) }),
        ...(rule.uidrange === undefined ? {} : { uids: parseRange(rule.uidrange) }),
      },
    });
  }
  for (const [i, neighbour] of (network?.neighbours ?? []).entries()) {
    items.push({
      path: `${base}.neighbours[${i}]`,
      kind: 'neighbour',
      neighbour: {
        address: parseIpAddress(neighbour.address) ?? new Uint8Array(0),
        ifindex: neighbour.ifindex,
        mac: parseMac(neighbour.mac),
      },
    });
  }
  if (network?.cookie !== undefined)
    items.push({ path: `${base}.cookie`, kind: 'cookie', cookie: BigInt(network.cookie) });
  if (network?.loopbackUp !== undefined)
    items.push({ path: `${base}.loopbackUp`, kind: 'loopbackUp', up: network.loopbackUp });
  if (network?.netnsId !== undefined)
    items.push({ path: `${base}.netnsId`, kind: 'netnsId', id: network.netnsId });
  for (const [i, socket] of (network?.sockets ?? []).entries()) {
    const remote = socket.remoteAddress === undefined ? undefined : parseIpAddress(socket.remoteAddress);
    items.push({
      path: `${base}.sockets[${i}]`,
      kind: 'socket',
      socket: {
        kind: socket.kind,
        localAddress: parseIpAddress(socket.localAddress) ?? new Uint8Array(0),
        localPort: socket.localPort,
        ...(remote === undefined ? {} : { remoteAddress: remote }),
        ...(socket.remotePort === undefined ? {} : { remotePort: socket.remotePort }),
        ...(socket.uid === undefined ? {} : { uid: socket.uid }),
        ...(socket.cookie === undefined ? {} : { cookie: BigInt(socket.cookie) }),
        ...(socket.v6Only === undefined ? {} : { v6Only: socket.v6Only }),
        ...(socket.boundDevice === undefined ? {} : { boundDevice: socket.boundDevice }),
        ...(socket.reuseport === undefined ? {} : { reuseport: socket.reuseport }),
      },
    });
  }
  for (const [i, peer] of (network?.peers ?? []).entries()) {
    const path = `${base}.peers[${i}]`;
    items.push({
      path,
      kind: 'peer',
      id: peer.id,
      network: declarationOf(resolveFixtureNetwork(peer.network, path)),
    });
  }
  return items;
}

/** Resolved items as one declaration (a peer namespace is declared whole). */
function declarationOf(items: readonly ResolvedNetworkItem[]): NetworkDeclaration {
  const pick = <K extends ResolvedNetworkItem['kind']>(kind: K) =>
    items.filter((item): item is Extract<ResolvedNetworkItem, { kind: K }> => item.kind === kind);
  return {
    interfaces: pick('device').map((item) => item.device),
    routes: pick('route').map((item) => item.route),
    neighbours: pick('neighbour').map((item) => item.neighbour),
    sockets: pick('socket').map((item) => item.socket),
    ...(pick('cookie').length > 0 ? { cookie: pick('cookie')[0].cookie } : {}),
    ...(pick('loopbackUp').length > 0 ? { loopbackUp: pick('loopbackUp')[0].up } : {}),
    ...(pick('netnsId').length > 0 ? { netnsId: pick('netnsId')[0].id } : {}),
  };
}
