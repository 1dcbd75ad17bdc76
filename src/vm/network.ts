// The network namespace a Vm's programs see: devices (what dev_get_by_index finds), routes and neighbours (what
// bpf_fib_lookup consults), sockets (what the socket lookups find). By default a fresh namespace's: `lo` alone,
// nothing else; users declare the rest (Vm option `network`, `vm.network`, a fixture's "network" section).

/** One net_device as BPF helpers and redirect maps see it. */
export interface NetworkInterface {
  /** dev->ifindex: 1 and up, unique. */
  readonly ifindex: number;
  /** dev->name: 1..15 characters (IFNAMSIZ - 1), no '/', ':' or whitespace. */
  readonly name: string;
  /** dev->mtu in bytes. */
  readonly mtu: number;
  /** dev->dev_addr: 6 bytes. */
  readonly mac: Uint8Array;
  /** dev->hard_header_len (Ethernet and loopback: 14). */
  readonly hardHeaderLength: number;
  /** net.ipv4.conf.DEV.forwarding and net.ipv6.conf.DEV.forwarding (a fresh namespace: off everywhere). */
  readonly forwarding: boolean;
  /** IFF_UP: whether the device takes packets (a fresh namespace's lo is down). */
  readonly up: boolean;
}

/** A device as users declare it: MTU defaults to Ethernet's 1500, MAC to zeroes, forwarding to off. */
export interface InterfaceDeclaration {
  readonly ifindex: number;
  readonly name: string;
  readonly mtu?: number;
  readonly mac?: Uint8Array;
  readonly hardHeaderLength?: number;
  readonly forwarding?: boolean;
  /** Default up: a device one declares is one in use. */
  readonly up?: boolean;
}

/** Kernel route types bpf_fib_lookup tells apart (RTN_*); `local` and the others are not forwarded. */
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'local';

/** One route of a routing table (`ip route add PREFIX [via GATEWAY] dev DEV [metric N] [mtu lock N]`). */
export interface Route {
  /** 4 bytes (IPv4) or 16 (IPv6), host bits zero. */
  readonly prefix: Uint8Array;
  readonly prefixLength: number;
  /** The next hop's address, of the prefix's family; none for a directly connected prefix. */
  readonly gateway?: Uint8Array;
  /** The device the next hop is on (any device for blackhole/unreachable/prohibit routes is ignored). */
  readonly ifindex: number;
  readonly type: RouteType;
  /** fib_priority / fib6_metric (an IPv6 route declared with 0 gets the kernel's 1024). */
  readonly metric: number;
  /** A locked route MTU; default the device's. */
  readonly mtu?: number;
  /** Routing table id; default main (254). */
  readonly table: number;
}

/** A route as users declare it (type unicast, metric 0, table main unless given). */
export type RouteDeclaration = Omit<Route, 'type' | 'metric' | 'table'> &
  Partial<Pick<Route, 'type' | 'metric' | 'table'>>;

/** A neighbour entry in state REACHABLE (`ip neigh add ADDRESS lladdr MAC dev DEV`). */
export interface Neighbour {
  readonly address: Uint8Array;
  readonly ifindex: number;
  readonly mac: Uint8Array;
}

/** Socket kinds a lookup can find: TCP listening or established, UDP bound (or connected, with a remote). */
export type SocketKind = 'tcp-listen' | 'tcp-established' | 'udp';

/** One socket of the namespace (`ss -tuln` / `ss -tun`). Addresses are 4 or 16 bytes, ports host order. */
export interface NetworkSocket {
  readonly kind: SocketKind;
  /** The bound address; all zeroes is the wildcard (0.0.0.0 or ::). */
  readonly localAddress: Uint8Array;
  readonly localPort: number;
  /** The peer (established TCP, connected UDP); absent for listeners and unconnected UDP. */
  readonly remoteAddress?: Uint8Array;
  readonly remotePort?: number;
  /** The owner's uid (bpf_get_socket_uid of its packets); default 0. */
  readonly uid: number;
  /** The socket cookie (bpf_get_socket_cookie); default a counter from 1 << 32, so it never meets test-run's. */
  readonly cookie: bigint;
  /**
   * SO_REUSEPORT on a listener or an unconnected UDP socket: it then belongs to a reuseport group (of one: a
   * second socket on the port is still EADDRINUSE), which a reuseport_sockarray takes.
   */
  readonly reuseport?: boolean;
}

/** A socket as users declare it. */
export type SocketDeclaration = Omit<NetworkSocket, 'uid' | 'cookie'> &
  Partial<Pick<NetworkSocket, 'uid' | 'cookie'>>;

/** Everything a namespace holds besides lo, for the Vm option and fixtures. */
export interface NetworkDeclaration {
  readonly interfaces?: readonly InterfaceDeclaration[];
  readonly routes?: readonly RouteDeclaration[];
  readonly neighbours?: readonly Neighbour[];
  readonly sockets?: readonly SocketDeclaration[];
  /** The namespace's cookie (bpf_get_netns_cookie); default 1, the initial namespace's. */
  readonly cookie?: bigint;
  /** lo brought up (`ip link set lo up`); default down, as in a fresh namespace. */
  readonly loopbackUp?: boolean;
}

/** Ethernet's dev->hard_header_len (loopback uses the same). */
const ETH_HLEN = 14;

/** A fresh network namespace's loopback device (ifindex 1, MTU 65536, all-zero address). */
export const LOOPBACK: NetworkInterface = Object.freeze({
  ifindex: 1,
  name: 'lo',
  mtu: 65536,
  mac: new Uint8Array(6),
  hardHeaderLength: ETH_HLEN,
  forwarding: false,
  up: false,
});

/** RT_TABLE_MAIN. */
export const MAIN_TABLE = 254;

/** Kernel: IFNAMSIZ is 16 with the NUL; dev_valid_name refuses '/', ':' and whitespace. */
const IFNAME_MAX = 15;

const U31_MAX = 0x7fff_ffff;

function isIntegerIn(value: number, low: number, high: number): boolean {
  return Number.isInteger(value) && value >= low && value <= high;
}

/** Why an interface cannot be declared, or undefined when it can. */
export function networkInterfaceProblem(
  iface: InterfaceDeclaration,
  existing: Iterable<NetworkInterface> = [],
): string | undefined {
  if (!isIntegerIn(iface.ifindex, 1, U31_MAX)) return `ifindex ${iface.ifindex} is not in 1..2147483647`;
  if (iface.name.length === 0 || iface.name.length > IFNAME_MAX || /[/:\s]/.test(iface.name))
    return `interface name '${iface.name}' must have 1..15 characters, none of '/', ':' or whitespace`;
  if (iface.mtu !== undefined && !isIntegerIn(iface.mtu, 0, U31_MAX))
    return `MTU ${iface.mtu} is not in 0..2147483647`;
  if (iface.mac !== undefined && (!(iface.mac instanceof Uint8Array) || iface.mac.length !== 6))
    return 'a MAC address has 6 bytes';
  if (iface.hardHeaderLength !== undefined && !isIntegerIn(iface.hardHeaderLength, 0, 0xffff))
    return `hard header length ${iface.hardHeaderLength} is not in 0..65535`;
  for (const other of existing) {
    if (other.ifindex === iface.ifindex) return `ifindex ${iface.ifindex} is already ${other.name}`;
    if (other.name === iface.name)
      return `interface name '${iface.name}' is already ifindex ${other.ifindex}`;
  }
  return undefined;
}

/** Whether the top `length` bits of `a` and `b` are equal. */
function prefixMatches(a: Uint8Array, b: Uint8Array, length: number): boolean {
  for (let bit = 0; bit < length; bit += 8) {
    const bits = Math.min(8, length - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((a[bit >> 3] & mask) !== (b[bit >> 3] & mask)) return false;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The namespace of one Vm. */
export class Network {
  private readonly byIndex = new Map<number, NetworkInterface>();
  private readonly routeList: Route[] = [];
  private readonly neighbourList: Neighbour[] = [];
  private readonly socketList: NetworkSocket[] = [];
  private nextCookie = 1n << 32n;
  private netnsCookie = 1n;

  /** Starts from a fresh namespace (lo) plus `declared`; throws RangeError on a bad declaration. */
  constructor(declared: NetworkDeclaration = {}) {
    if (declared.cookie !== undefined) this.setCookie(declared.cookie);
    this.byIndex.set(LOOPBACK.ifindex, LOOPBACK);
    if (declared.loopbackUp) this.setUp(LOOPBACK.ifindex, true);
    for (const iface of declared.interfaces ?? []) this.add(iface);
    for (const route of declared.routes ?? []) this.addRoute(route);
    for (const neighbour of declared.neighbours ?? []) this.addNeighbour(neighbour);
    for (const socket of declared.sockets ?? []) this.addSocket(socket);
  }

  /** net->net_cookie: what bpf_get_netns_cookie reports for this namespace. */
  get cookie(): bigint {
    return this.netnsCookie;
  }

  setCookie(cookie: bigint): void {
    if (cookie < 1n || cookie >= 1n << 64n) throw new RangeError('a netns cookie is a non-zero u64');
    this.netnsCookie = cookie;
  }

  /** Declares one more interface (a copy is kept). */
  add(iface: InterfaceDeclaration): void {
    const problem = networkInterfaceProblem(iface, this.byIndex.values());
    if (problem !== undefined) throw new RangeError(problem);
    this.byIndex.set(
      iface.ifindex,
      Object.freeze({
        ifindex: iface.ifindex,
        name: iface.name,
        mtu: iface.mtu ?? 1500,
        mac: Uint8Array.from(iface.mac ?? new Uint8Array(6)),
        hardHeaderLength: iface.hardHeaderLength ?? ETH_HLEN,
        forwarding: iface.forwarding ?? false,
        up: iface.up ?? true,
      }),
    );
  }

  /** `ip link set DEV up|down`; throws RangeError for an ifindex the namespace lacks. */
  setUp(ifindex: number, up: boolean): void {
    const iface = this.byIndex.get(ifindex);
    if (iface === undefined) throw new RangeError(`no device with ifindex ${ifindex}`);
    this.byIndex.set(ifindex, Object.freeze({ ...iface, up }));
  }

  /** Kernel dev_get_by_index: the interface with that ifindex, or undefined. */
  interface(ifindex: number): NetworkInterface | undefined {
    return this.byIndex.get(ifindex);
  }

  /** Kernel dev_get_by_name. */
  interfaceByName(name: string): NetworkInterface | undefined {
    for (const iface of this.byIndex.values()) if (iface.name === name) return iface;
    return undefined;
  }

  /** Every interface, by ifindex. */
  interfaces(): NetworkInterface[] {
    return [...this.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  /** Declares a route; its device must exist, as `ip route add` needs. Throws RangeError naming the problem. */
  addRoute(route: RouteDeclaration): void {
    const size = route.prefix.length;
    if (size !== 4 && size !== 16) throw new RangeError('a route prefix has 4 (IPv4) or 16 (IPv6) bytes');
    if (!isIntegerIn(route.prefixLength, 0, size * 8))
      throw new RangeError(`prefix length ${route.prefixLength} is not in 0..${size * 8}`);
    if (!this.hostBitsZero(route)) throw new RangeError('the route prefix has bits set past its length');
    if (route.gateway !== undefined && route.gateway.length !== size)
      throw new RangeError('the gateway is not of the prefix family');
    const type = route.type ?? 'unicast';
    if (type === 'unicast' || type === 'local') {
      if (!this.byIndex.has(route.ifindex)) throw new RangeError(`no device with ifindex ${route.ifindex}`);
    }
    // Kernel ip6_route_add: an IPv6 route given metric 0 gets IP6_RT_PRIO_USER.
    const metric = route.metric || (size === 16 ? 1024 : 0);
    if (!isIntegerIn(metric, 0, 0xffff_ffff)) throw new RangeError(`metric ${metric} is not a u32`);
    if (route.mtu !== undefined && !isIntegerIn(route.mtu, 68, U31_MAX))
      throw new RangeError(`route MTU ${route.mtu} is not in 68..2147483647`);
    const table = route.table ?? MAIN_TABLE;
    if (!isIntegerIn(table, 1, 0xffff_ffff)) throw new RangeError(`table ${table} is not in 1..4294967295`);
    const copy: Route = Object.freeze({
      ...route,
      prefix: Uint8Array.from(route.prefix),
      ...(route.gateway === undefined ? {} : { gateway: Uint8Array.from(route.gateway) }),
      type,
      metric,
      table,
    });
    const clash = this.routeList.find(
      (r) =>
        r.table === copy.table &&
        r.prefixLength === copy.prefixLength &&
        r.metric === copy.metric &&
        sameBytes(r.prefix, copy.prefix),
    );
    if (clash !== undefined) throw new RangeError('a route to that prefix with that metric exists (EEXIST)');
    this.routeList.push(copy);
  }

  private hostBitsZero(route: RouteDeclaration): boolean {
    const masked = Uint8Array.from(route.prefix);
    for (let bit = route.prefixLength; bit < masked.length * 8; bit++)
      masked[bit >> 3] &= ~(0x80 >> (bit & 7));
    return sameBytes(masked, route.prefix);
  }

  /** Declares a reachable neighbour on a device. */
  addNeighbour(neighbour: Neighbour): void {
    if (neighbour.address.length !== 4 && neighbour.address.length !== 16)
      throw new RangeError('a neighbour address has 4 (IPv4) or 16 (IPv6) bytes');
    if (!this.byIndex.has(neighbour.ifindex))
      throw new RangeError(`no device with ifindex ${neighbour.ifindex}`);
    if (!(neighbour.mac instanceof Uint8Array) || neighbour.mac.length !== 6)
      throw new RangeError('a MAC address has 6 bytes');
    const copy = Object.freeze({
      address: Uint8Array.from(neighbour.address),
      ifindex: neighbour.ifindex,
      mac: Uint8Array.from(neighbour.mac),
    });
    const index = this.neighbourList.findIndex(
      (n) => n.ifindex === copy.ifindex && sameBytes(n.address, copy.address),
    );
    // `ip neigh replace`: a later declaration of the same address on the device wins.
    if (index >= 0) this.neighbourList[index] = copy;
    else this.neighbourList.push(copy);
  }

  /**
   * Declares a socket. Refuses what bind() or connect() would (EADDRINUSE: a second socket of the protocol on
   * the same local address and port, established TCP excepted, which shares its listener's port).
   */
  addSocket(socket: SocketDeclaration): NetworkSocket {
    const size = socket.localAddress.length;
    if (size !== 4 && size !== 16) throw new RangeError('a socket address has 4 (IPv4) or 16 (IPv6) bytes');
    if (!isIntegerIn(socket.localPort, 1, 0xffff))
      throw new RangeError(`local port ${socket.localPort} is not in 1..65535`);
    const connected = socket.remoteAddress !== undefined || socket.remotePort !== undefined;
    if (socket.kind === 'tcp-established' && !connected)
      throw new RangeError('an established TCP socket needs a remote address and port');
    if (socket.kind === 'tcp-listen' && connected)
      throw new RangeError('a listening socket has no remote end');
    if (connected) {
      if (socket.remoteAddress?.length !== size)
        throw new RangeError('the remote address is not of the local family');
      if (!isIntegerIn(socket.remotePort ?? 0, 1, 0xffff))
        throw new RangeError(`remote port ${socket.remotePort} is not in 1..65535`);
    }
    if (socket.reuseport && (socket.kind === 'tcp-established' || connected))
      throw new RangeError('only a listening or an unconnected UDP socket joins a reuseport group');
    const uid = socket.uid ?? 0;
    if (!isIntegerIn(uid, 0, 0xffff_ffff)) throw new RangeError(`uid ${uid} is not a u32`);
    const cookie = socket.cookie ?? this.nextCookie++;
    if (cookie < 1n || cookie >= 1n << 64n) throw new RangeError('a socket cookie is a non-zero u64');
    const tcp = socket.kind !== 'udp';
    const clash = this.socketList.find(
      (other) =>
        (other.kind !== 'udp') === tcp &&
        other.kind !== 'tcp-established' &&
        socket.kind !== 'tcp-established' &&
        other.localPort === socket.localPort &&
        sameBytes(other.localAddress, socket.localAddress),
    );
    if (clash !== undefined) throw new RangeError(`port ${socket.localPort} is already bound (EADDRINUSE)`);
    const copy: NetworkSocket = Object.freeze({
      kind: socket.kind,
      localAddress: Uint8Array.from(socket.localAddress),
      localPort: socket.localPort,
      ...(socket.remoteAddress === undefined ? {} : { remoteAddress: Uint8Array.from(socket.remoteAddress) }),
      ...(socket.remotePort === undefined ? {} : { remotePort: socket.remotePort }),
      uid,
      cookie,
      ...(socket.reuseport ? { reuseport: true } : {}),
    });
    this.socketList.push(copy);
    return copy;
  }

  /** Every declared socket, in declaration order. */
  sockets(): readonly NetworkSocket[] {
    return this.socketList;
  }

  /**
   * The socket a packet from `remote`:`remotePort` to `local`:`localPort` belongs to, as the kernel's TCP and UDP
   * lookups choose: an exact 4-tuple match (established TCP, connected UDP) first, then a socket bound to the
   * local port on that address, then on the wildcard; undefined when none.
   */
  lookupSocket(
    protocol: 'tcp' | 'udp',
    remote: Uint8Array,
    remotePort: number,
    local: Uint8Array,
    localPort: number,
  ): NetworkSocket | undefined {
    const candidates = this.socketList.filter(
      (s) =>
        (s.kind === 'udp') === (protocol === 'udp') &&
        s.localAddress.length === local.length &&
        s.localPort === localPort,
    );
    const exact = candidates.find(
      (s) =>
        s.remoteAddress !== undefined &&
        s.remotePort === remotePort &&
        sameBytes(s.remoteAddress, remote) &&
        sameBytes(s.localAddress, local),
    );
    if (exact !== undefined) return exact;
    const unconnected = candidates.filter((s) => s.remoteAddress === undefined);
    const wildcard = new Uint8Array(local.length);
    return (
      unconnected.find((s) => sameBytes(s.localAddress, local)) ??
      unconnected.find((s) => sameBytes(s.localAddress, wildcard))
    );
  }

  /** Every declared route, in declaration order. */
  routes(): readonly Route[] {
    return this.routeList;
  }

  /**
   * The route a lookup of `destination` in `table` finds: the longest matching prefix, then the lowest metric
   * (kernel fib_table_lookup / fib6_lookup on one table, without policy rules); undefined when none matches.
   */
  lookupRoute(destination: Uint8Array, table = MAIN_TABLE): Route | undefined {
    let best: Route | undefined;
    for (const route of this.routeList) {
      if (route.table !== table || route.prefix.length !== destination.length) continue;
      if (!prefixMatches(route.prefix, destination, route.prefixLength)) continue;
      if (
        best === undefined ||
        route.prefixLength > best.prefixLength ||
        (route.prefixLength === best.prefixLength && route.metric < best.metric)
      )
        best = route;
    }
    return best;
  }

  /** The neighbour entry for `address` on the device, as __ipv4/6_neigh_lookup_noref finds it. */
  neighbour(ifindex: number, address: Uint8Array): Neighbour | undefined {
    return this.neighbourList.find((n) => n.ifindex === ifindex && sameBytes(n.address, address));
  }
}

/** Parses a dotted IPv4 address or an IPv6 address (with `::`, no zone, no embedded IPv4); undefined if invalid. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) {
    const bytes = text.split('.').map(Number);
    return bytes.every((byte) => byte <= 255) ? Uint8Array.from(bytes) : undefined;
  }
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!words.every((word) => /^[0-9a-fA-F]{1,4}$/.test(word))) return undefined;
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    const value = Number.parseInt(word, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** Parses `ADDRESS/LENGTH` (a bare address is a host route); undefined if invalid. */
export function parsePrefix(text: string): { prefix: Uint8Array; prefixLength: number } | undefined {
  const [address, length, ...rest] = text.split('/');
  const prefix = parseIpAddress(address);
  if (prefix === undefined || rest.length > 0) return undefined;
  const prefixLength = length === undefined ? prefix.length * 8 : Number(length);
  if (!/^\d+$/.test(length ?? '0') || prefixLength > prefix.length * 8) return undefined;
  return { prefix, prefixLength };
}
