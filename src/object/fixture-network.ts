// A fixture's "network" section: the devices, routes, neighbours and sockets of the run's network namespace, checked for
// shape here and resolved into the declarations src/vm/network.ts takes (which checks the values themselves).

import {
  type InterfaceDeclaration,
  type Neighbour,
  parseIpAddress,
  parsePrefix,
  type RouteDeclaration,
  type RouteType,
  type SocketDeclaration,
  type SocketKind,
} from '../vm/network.js';

/** `{"devices": [...], "routes": [...], "neighbours": [...]}`, each optional. */
export interface FixtureNetwork {
  /** `{"ifindex": 2, "name": "eth0", "mtu"?: 1500, "mac"?: "02:00:00:00:00:01", "forwarding"?: true, "up"?: false}` */
  readonly devices?: readonly FixtureDevice[];
  /** `{"prefix": "10.0.0.0/8", "ifindex": 2, "via"?: "10.0.0.1", "metric"?, "mtu"?, "type"?, "table"?}` */
  readonly routes?: readonly FixtureRoute[];
  /** `{"address": "10.0.0.1", "ifindex": 2, "mac": "02:00:00:00:00:02"}` */
  readonly neighbours?: readonly FixtureNeighbour[];
  /** `{"kind": "tcp-listen", "localAddress": "127.0.0.1", "localPort": 80, "remoteAddress"?, "remotePort"?, ...}` */
  readonly sockets?: readonly FixtureSocket[];
  /** The namespace's cookie (bpf_get_netns_cookie). */
  readonly cookie?: number;
  /** lo up (default down, as in a fresh namespace). */
  readonly loopbackUp?: boolean;
}

export interface FixtureSocket {
  readonly kind: SocketKind;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly uid?: number;
  readonly cookie?: number;
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
}

export interface FixtureRoute {
  readonly prefix: string;
  readonly ifindex: number;
  readonly via?: string;
  readonly metric?: number;
  readonly mtu?: number;
  readonly type?: RouteType;
  readonly table?: number;
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
  | { readonly path: string; readonly kind: 'neighbour'; readonly neighbour: Neighbour }
  | { readonly path: string; readonly kind: 'socket'; readonly socket: SocketDeclaration }
  | { readonly path: string; readonly kind: 'cookie'; readonly cookie: bigint }
  | { readonly path: string; readonly kind: 'loopbackUp'; readonly up: boolean };

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
const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'blackhole', 'unreachable', 'prohibit', 'local'];
const SOCKET_KINDS: readonly SocketKind[] = ['tcp-listen', 'tcp-established', 'udp'];

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

function arrayOf(json: Record<string, unknown>, key: string): readonly unknown[] {
  const value = json[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new NetworkShapeError(`$.network.${key}`, 'expected an array');
  return value;
}

/** Checks the section's shape; throws NetworkShapeError naming the first bad member. */
export function checkFixtureNetwork(json: unknown): FixtureNetwork {
  if (!isRecord(json))
    throw new NetworkShapeError('$.network', 'expected {"devices"?, "routes"?, "neighbours"?, "sockets"?}');
  keysOf(json, '$.network', ['devices', 'routes', 'neighbours', 'sockets', 'cookie', 'loopbackUp']);
  integer(json, 'cookie', '$.network', false);
  if (json.loopbackUp !== undefined && typeof json.loopbackUp !== 'boolean')
    throw new NetworkShapeError('$.network.loopbackUp', 'expected true or false');
  for (const [i, socket] of arrayOf(json, 'sockets').entries()) {
    const path = `$.network.sockets[${i}]`;
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
      'reuseport',
    ]);
    if (socket.reuseport !== undefined && typeof socket.reuseport !== 'boolean')
      throw new NetworkShapeError(`${path}.reuseport`, 'expected true or false');
    if (!SOCKET_KINDS.includes(socket.kind as SocketKind))
      throw new NetworkShapeError(`${path}.kind`, `expected one of ${SOCKET_KINDS.join(', ')}`);
    address(socket, 'localAddress', path, true);
    address(socket, 'remoteAddress', path, false);
    for (const key of ['localPort', 'remotePort', 'uid', 'cookie'])
      integer(socket, key, path, key === 'localPort');
  }
  for (const [i, device] of arrayOf(json, 'devices').entries()) {
    const path = `$.network.devices[${i}]`;
    if (!isRecord(device)) throw new NetworkShapeError(path, 'expected {"ifindex", "name", "mtu"?, "mac"?}');
    keysOf(device, path, ['ifindex', 'name', 'mtu', 'mac', 'forwarding', 'up']);
    integer(device, 'ifindex', path, true);
    if (typeof device.name !== 'string') throw new NetworkShapeError(`${path}.name`, 'expected a string');
    integer(device, 'mtu', path, false);
    mac(device, 'mac', path, false);
    if (device.forwarding !== undefined && typeof device.forwarding !== 'boolean')
      throw new NetworkShapeError(`${path}.forwarding`, 'expected true or false');
    if (device.up !== undefined && typeof device.up !== 'boolean')
      throw new NetworkShapeError(`${path}.up`, 'expected true or false');
  }
  for (const [i, route] of arrayOf(json, 'routes').entries()) {
    const path = `$.network.routes[${i}]`;
    if (!isRecord(route)) throw new NetworkShapeError(path, 'expected {"prefix", "ifindex", "via"?, ...}');
    keysOf(route, path, ['prefix', 'ifindex', 'via', 'metric', 'mtu', 'type', 'table']);
    if (typeof route.prefix !== 'string' || parsePrefix(route.prefix) === undefined)
      throw new NetworkShapeError(`${path}.prefix`, 'expected ADDRESS/LENGTH (IPv4 or IPv6)');
    integer(route, 'ifindex', path, true);
    address(route, 'via', path, false);
    for (const key of ['metric', 'mtu', 'table']) integer(route, key, path, false);
    if (route.type !== undefined && !ROUTE_TYPES.includes(route.type as RouteType))
      throw new NetworkShapeError(`${path}.type`, `expected one of ${ROUTE_TYPES.join(', ')}`);
  }
  for (const [i, neighbour] of arrayOf(json, 'neighbours').entries()) {
    const path = `$.network.neighbours[${i}]`;
    if (!isRecord(neighbour)) throw new NetworkShapeError(path, 'expected {"address", "ifindex", "mac"}');
    keysOf(neighbour, path, ['address', 'ifindex', 'mac']);
    address(neighbour, 'address', path, true);
    integer(neighbour, 'ifindex', path, true);
    mac(neighbour, 'mac', path, true);
  }
  return json as FixtureNetwork;
}

/** The declarations of a checked section, in the order they must be applied. */
export function resolveFixtureNetwork(network: FixtureNetwork | undefined): ResolvedNetworkItem[] {
  const items: ResolvedNetworkItem[] = [];
  for (const [i, device] of (network?.devices ?? []).entries()) {
    items.push({
      path: `$.network.devices[${i}]`,
      kind: 'device',
      device: {
        ifindex: device.ifindex,
        name: device.name,
        ...(device.mtu === undefined ? {} : { mtu: device.mtu }),
        ...(device.mac === undefined ? {} : { mac: parseMac(device.mac) }),
        ...(device.forwarding === undefined ? {} : { forwarding: device.forwarding }),
        ...(device.up === undefined ? {} : { up: device.up }),
      },
    });
  }
  for (const [i, route] of (network?.routes ?? []).entries()) {
    const prefix = parsePrefix(route.prefix);
    if (prefix === undefined) throw new NetworkShapeError(`$.network.routes[${i}].prefix`, 'unchecked');
    const gateway = route.via === undefined ? undefined : parseIpAddress(route.via);
    items.push({
      path: `$.network.routes[${i}]`,
      kind: 'route',
      route: {
        ...prefix,
        ifindex: route.ifindex,
        ...(gateway === undefined ? {} : { gateway }),
        ...(route.metric === undefined ? {} : { metric: route.metric }),
        ...(route.mtu === undefined ? {} : { mtu: route.mtu }),
        ...(route.type === undefined ? {} : { type: route.type }),
        ...(route.table === undefined ? {} : { table: route.table }),
      },
    });
  }
  for (const [i, neighbour] of (network?.neighbours ?? []).entries()) {
    items.push({
      path: `$.network.neighbours[${i}]`,
      kind: 'neighbour',
      neighbour: {
        address: parseIpAddress(neighbour.address) ?? new Uint8Array(0),
        ifindex: neighbour.ifindex,
        mac: parseMac(neighbour.mac),
      },
    });
  }
  if (network?.cookie !== undefined)
    items.push({ path: '$.network.cookie', kind: 'cookie', cookie: BigInt(network.cookie) });
  if (network?.loopbackUp !== undefined)
    items.push({ path: '$.network.loopbackUp', kind: 'loopbackUp', up: network.loopbackUp });
  for (const [i, socket] of (network?.sockets ?? []).entries()) {
    const remote = socket.remoteAddress === undefined ? undefined : parseIpAddress(socket.remoteAddress);
    items.push({
      path: `$.network.sockets[${i}]`,
      kind: 'socket',
      socket: {
        kind: socket.kind,
        localAddress: parseIpAddress(socket.localAddress) ?? new Uint8Array(0),
        localPort: socket.localPort,
        ...(remote === undefined ? {} : { remoteAddress: remote }),
        ...(socket.remotePort === undefined ? {} : { remotePort: socket.remotePort }),
        ...(socket.uid === undefined ? {} : { uid: socket.uid }),
        ...(socket.cookie === undefined ? {} : { cookie: BigInt(socket.cookie) }),
        ...(socket.reuseport === undefined ? {} : { reuseport: socket.reuseport }),
      },
    });
  }
  return items;
}
