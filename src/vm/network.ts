// The network namespace a Vm's programs see: devices and their addresses (what dev_get_by_index finds), routes,
// policy rules and neighbours (what bpf_fib_lookup consults, through routing.ts), sockets (what the socket lookups
// find). By default a fresh namespace's: `lo` alone, nothing else; users declare the rest (Vm option `network`,
// `vm.network`, a fixture's "network" section).

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
  /** netif_carrier_ok: whether the link is there (a veth's, while its peer is up); IPv6 configures a link then. */
  readonly carrier: boolean;
  /** The device's IPv4 and IPv6 addresses in the order given (`ip addr add ADDRESS/LENGTH dev DEV`). */
  readonly addresses: readonly InterfaceAddress[];
}

/** One address of a device: 4 (IPv4) or 16 (IPv6) bytes and the length of its on-link prefix. */
export interface InterfaceAddress {
  readonly address: Uint8Array;
  readonly prefixLength: number;
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
  /** Default true: its link is there (false: a veth whose peer is down). */
  readonly carrier?: boolean;
  /** Its addresses; the kernel's local and prefix routes follow them while the device is up. */
  readonly addresses?: readonly InterfaceAddress[];
}

/** Kernel route types bpf_fib_lookup tells apart (RTN_*); `local`, `broadcast` and the others are not forwarded. */
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'local' | 'broadcast';

/** One next hop of a route: `via GATEWAY dev DEV weight W` (weights only matter between several). */
export interface Nexthop {
  readonly ifindex: number;
  /** The next hop's address, of the prefix's family; none for a directly connected prefix. */
  readonly gateway?: Uint8Array;
  /** 1..256, as `ip route ... nexthop ... weight W`. */
  readonly weight: number;
}

/** A next hop as users declare it (weight 1 unless given). */
export type NexthopDeclaration = Omit<Nexthop, 'weight'> & Partial<Pick<Nexthop, 'weight'>>;

/** One route of a routing table (`ip route add PREFIX [via GATEWAY] dev DEV [metric N] [mtu lock N]`). */
export interface Route {
  /** 4 bytes (IPv4) or 16 (IPv6), host bits zero. */
  readonly prefix: Uint8Array;
  readonly prefixLength: number;
  /** The first next hop's address (see `nexthops`). */
  readonly gateway?: Uint8Array;
  /** The first next hop's device (0 for blackhole/unreachable/prohibit routes declared without one). */
  readonly ifindex: number;
  /** Every next hop: one, or several for a multipath route (`nexthop via A dev D weight W nexthop ...`). */
  readonly nexthops: readonly Nexthop[];
  readonly type: RouteType;
  /** `src ADDRESS`: the preferred source address (fib_prefsrc / fib6_prefsrc); the kernel's own routes carry one. */
  readonly preferredSource?: Uint8Array;
  /** A lightweight-tunnel encapsulation (`encap mpls|ip|ip6|seg6|bpf ...`), which bpf_fib_lookup does not handle. */
  readonly encap: boolean;
  /** Declared by the user, or added by the kernel for a device address (`proto kernel`). */
  readonly origin: 'declared' | 'kernel';
  /** fib_priority / fib6_metric (an IPv6 route declared with 0 gets the kernel's 1024). */
  readonly metric: number;
  /** A locked route MTU; default the device's. */
  readonly mtu?: number;
  /** Routing table id; default main (254). */
  readonly table: number;
  /** `tos T` (IPv4 only): the dsfield the flow's legacy TOS bits must equal; 0 matches every flow. */
  readonly tos: number;
}

/**
 * A route as users declare it (type unicast, metric 0, table main unless given): one next hop as `ifindex` (and
 * `gateway`), or several as `nexthops`; blackhole, unreachable and prohibit routes need neither.
 */
export type RouteDeclaration = Omit<
  Route,
  'type' | 'metric' | 'table' | 'ifindex' | 'nexthops' | 'encap' | 'origin' | 'tos'
> &
  Partial<Pick<Route, 'type' | 'metric' | 'table' | 'ifindex' | 'encap' | 'tos'>> & {
    readonly nexthops?: readonly NexthopDeclaration[];
  };

/** What a matching policy rule does (FR_ACT_*): look the flow up in its table, or refuse it. */
export type RuleAction = 'lookup' | 'blackhole' | 'unreachable' | 'prohibit';

/** An address prefix: 4 or 16 bytes, host bits zero. */
export interface Prefix {
  readonly prefix: Uint8Array;
  readonly prefixLength: number;
}

/** An inclusive range of ports or uids, as `ip rule` takes them (`dport 80-90`, `uidrange 100-200`). */
export interface NumberRange {
  readonly start: number;
  readonly end: number;
}

/**
 * One policy routing rule (`ip [-6] rule add pref P from A to B tos T fwmark M/MASK iif D oif D ipproto P sport S
 * dport D uidrange U table T | ACTION`).
 */
export interface Rule {
  readonly family: 'ipv4' | 'ipv6';
  readonly priority: number;
  readonly from?: Prefix;
  readonly to?: Prefix;
  /** Matches when (mark ^ fwmark) & fwmask is zero; fwmask 0 matches every mark. */
  readonly fwmark: number;
  readonly fwmask: number;
  /** Device names, as the kernel keeps them (a rule naming a missing device never matches). */
  readonly iif?: string;
  readonly oif?: string;
  /** The dsfield (ECN bits zero) the flow's must equal (IPv4: its legacy TOS bits); 0 matches every flow. */
  readonly tos: number;
  /** The flow's IP protocol (IPPROTO_*); 0 matches every flow. */
  readonly ipProtocol: number;
  /** Port ranges (host order) the flow's ports must fall in. */
  readonly sourcePorts?: NumberRange;
  readonly destinationPorts?: NumberRange;
  /** The uids the flow's must fall in; default every uid. */
  readonly uids?: NumberRange;
  readonly action: RuleAction;
  /** The table a `lookup` rule consults. */
  readonly table: number;
}

/**
 * A rule as users declare it: family from `from`/`to` (else given), priority the kernel's choice (one below the
 * second rule's) unless given, fwmask all ones when a fwmark is given, action lookup, table main.
 */
export type RuleDeclaration = Partial<Rule>;

/** A neighbour entry in state REACHABLE (`ip neigh add ADDRESS lladdr MAC dev DEV`). */
export interface Neighbour {
  readonly address: Uint8Array;
  readonly ifindex: number;
  readonly mac: Uint8Array;
}

/**
 * Socket kinds a lookup can find: TCP listening or established, a TCP request socket (a handshake a listener has
 * not completed: state TCP_NEW_SYN_RECV), a TCP time-wait socket (a closed connection's end that closed first),
 * UDP bound (or connected, with a remote).
 */
export type SocketKind = 'tcp-listen' | 'tcp-established' | 'tcp-request' | 'tcp-time-wait' | 'udp';

/**
 * A full socket (kernel sk_fullsock): not a request or time-wait socket, which exist only in the kernel's tables
 * (no fd names them, socket maps refuse them).
 */
export function isFullSocket(socket: Pick<NetworkSocket, 'kind'>): boolean {
  return socket.kind !== 'tcp-request' && socket.kind !== 'tcp-time-wait';
}

/**
 * One socket of the namespace (`ss -tuan`). Addresses are 4 or 16 bytes, ports host order. A 16-byte address
 * makes an IPv6 socket: one bound to `::` answers IPv4 lookups too unless `v6Only`; one with IPv4-mapped
 * addresses (::ffff:a.b.c.d) is the kernel's IPv6 socket serving IPv4 traffic.
 */
export interface NetworkSocket {
  readonly kind: SocketKind;
  /** The bound address; all zeroes is the wildcard (0.0.0.0 or ::). */
  readonly localAddress: Uint8Array;
  readonly localPort: number;
  /** The peer (established, request and time-wait TCP, connected UDP); absent for listeners and unconnected UDP. */
  readonly remoteAddress?: Uint8Array;
  readonly remotePort?: number;
  /** The owner's uid (bpf_get_socket_uid of its packets); default 0. */
  readonly uid: number;
  /** The socket cookie (bpf_get_socket_cookie); default a counter from 1 << 32, so it never meets test-run's. */
  readonly cookie: bigint;
  /**
   * IPV6_V6ONLY: the IPv6 socket takes no IPv4 traffic. Default net.ipv6.bindv6only (0); the kernel sets it for a
   * socket bound to an IPv6 address that is neither `::` nor IPv4-mapped, and refuses it with a mapped one.
   */
  readonly v6Only: boolean;
  /**
   * SO_BINDTODEVICE: the ifindex a lookup's device must equal (0: any). A request socket has its listener's.
   */
  readonly boundDevice: number;
  /**
   * SO_REUSEPORT on a listener or an unconnected UDP socket: it then belongs to a reuseport group (of one: a
   * second socket on the port is still EADDRINUSE), which a reuseport_sockarray takes.
   */
  readonly reuseport?: boolean;
}

/** A socket as users declare it. */
export type SocketDeclaration = Omit<NetworkSocket, 'uid' | 'cookie' | 'v6Only' | 'boundDevice'> &
  Partial<Pick<NetworkSocket, 'uid' | 'cookie' | 'v6Only' | 'boundDevice'>>;

/** The kinds that have a remote end: the kernel's established hash holds the TCP ones by their 4-tuple. */
const CONNECTED_TCP: readonly SocketKind[] = ['tcp-established', 'tcp-request', 'tcp-time-wait'];

/** The last 4 bytes of ::ffff:a.b.c.d, or undefined for any other address. */
function ipv4Mapped(address: Uint8Array): Uint8Array | undefined {
  if (address.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (address[i] !== 0) return undefined;
  return address[10] === 0xff && address[11] === 0xff ? address.subarray(12) : undefined;
}

const isWildcard = (address: Uint8Array): boolean => address.every((byte) => byte === 0);

/**
 * The IPv4 address a socket's address is for IPv4 lookups: itself, the mapped one, 0.0.0.0 for `::` unless
 * IPV6_V6ONLY; undefined when the socket takes no IPv4 traffic.
 */
export function ipv4View(address: Uint8Array, v6Only: boolean): Uint8Array | undefined {
  if (address.length === 4) return address;
  return ipv4Mapped(address) ?? (isWildcard(address) && !v6Only ? new Uint8Array(4) : undefined);
}

/** Everything a namespace holds besides lo, for the Vm option and fixtures. */
export interface NetworkDeclaration {
  readonly interfaces?: readonly InterfaceDeclaration[];
  readonly routes?: readonly RouteDeclaration[];
  readonly neighbours?: readonly Neighbour[];
  readonly sockets?: readonly SocketDeclaration[];
  /** Policy rules added to the defaults (`ip rule add ...`). */
  readonly rules?: readonly RuleDeclaration[];
  /** The namespace's cookie (bpf_get_netns_cookie); default 1, the initial namespace's. */
  readonly cookie?: bigint;
  /** lo brought up (`ip link set lo up`, which gives it 127.0.0.1/8 and ::1); default down, as in a fresh namespace. */
  readonly loopbackUp?: boolean;
  /**
   * The id the namespace has for itself (`ip netns set` on itself, 0..2147483647), which socket lookups take as
   * a netns id meaning this namespace; a fresh namespace has none.
   */
  readonly netnsId?: number;
  /**
   * Other namespaces this one knows by an id (`ip netns set NAME ID`), for socket lookups given that netns id. The
   * lookup still matches bound devices against the packet's device of this namespace, as the kernel's does.
   */
  readonly peers?: readonly PeerNetworkDeclaration[];
}

/** A peer namespace and the id this one knows it by (0..2147483647). */
export interface PeerNetworkDeclaration {
  readonly id: number;
  readonly network: NetworkDeclaration;
}

/** The namespace each declared socket belongs to (a request socket's listener is looked for there). */
const owners = new WeakMap<NetworkSocket, Network>();

/** The namespace a socket was declared in. */
export function networkOf(socket: NetworkSocket): Network | undefined {
  return owners.get(socket);
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
  carrier: true,
  addresses: [],
});

/** RT_TABLE_MAIN, RT_TABLE_LOCAL and RT_TABLE_DEFAULT. */
export const MAIN_TABLE = 254;
export const LOCAL_TABLE = 255;
export const DEFAULT_TABLE = 253;

/** What the kernel gives lo when it comes up (inetdev and addrconf's loopback set-up). */
const LOOPBACK_ADDRESSES: readonly InterfaceAddress[] = [
  { address: Uint8Array.of(127, 0, 0, 1), prefixLength: 8 },
  { address: Uint8Array.of(...new Array(15).fill(0), 1), prefixLength: 128 },
];

/** INET_ECN_MASK: the dsfield's ECN bits, which rules and routes refuse. */
const INET_ECN_MASK = 0x03;
/** IPTOS_RT_MASK: the legacy TOS bits IPv4 rules and routes take (and match the flow's on). */
const IPTOS_RT_MASK = 0x1c;

/** IPV6_MIN_MTU: below it a device has no IPv6. */
const IPV6_MIN_MTU = 1280;
/** fe80::/64, the link-local prefix. */
const LINK_LOCAL_PREFIX = Uint8Array.of(0xfe, 0x80, ...new Array(14).fill(0));

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
  for (const [i, { address, prefixLength }] of (iface.addresses ?? []).entries()) {
    const problem = prefixProblem(address, prefixLength, false);
    if (problem !== undefined) return `address ${i}: ${problem}`;
    const earlier = (iface.addresses ?? []).slice(0, i);
    if (earlier.some((other) => sameBytes(other.address, address)))
      return `address ${formatAddress(address)} is already on the device (EEXIST)`;
  }
  for (const other of existing) {
    if (other.ifindex === iface.ifindex) return `ifindex ${iface.ifindex} is already ${other.name}`;
    if (other.name === iface.name)
      return `interface name '${iface.name}' is already ifindex ${other.ifindex}`;
  }
  return undefined;
}

/** Why bytes and a length are not an address with its prefix length (or a prefix, host bits zero), or undefined. */
export function prefixProblem(
  bytes: Uint8Array,
  prefixLength: number,
  hostBitsZero: boolean,
): string | undefined {
  if (!(bytes instanceof Uint8Array) || (bytes.length !== 4 && bytes.length !== 16))
    return 'an address has 4 (IPv4) or 16 (IPv6) bytes';
  if (!isIntegerIn(prefixLength, 0, bytes.length * 8))
    return `prefix length ${prefixLength} is not in 0..${bytes.length * 8}`;
  if (hostBitsZero && !sameBytes(maskPrefix(bytes, prefixLength), bytes))
    return 'the prefix has bits set past its length';
  return undefined;
}

/** The address with the bits past `length` cleared. */
export function maskPrefix(bytes: Uint8Array, length: number): Uint8Array {
  const masked = Uint8Array.from(bytes);
  for (let bit = length; bit < masked.length * 8; bit++) masked[bit >> 3] &= ~(0x80 >> (bit & 7));
  return masked;
}

/** Dotted IPv4 or full-length IPv6 text, for messages. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return words.join(':');
}

/** Whether the top `length` bits of `a` and `b` are equal. */
export function prefixMatches(a: Uint8Array, b: Uint8Array, length: number): boolean {
  for (let bit = 0; bit < length; bit += 8) {
    const bits = Math.min(8, length - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((a[bit >> 3] & mask) !== (b[bit >> 3] & mask)) return false;
  }
  return true;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * The primary address an IPv4 address stands under: the first earlier address of the device whose prefix (of the
 * same length) holds it (the kernel makes the later one secondary), else the address itself.
 */
export function primaryAddress(
  device: NetworkInterface,
  address: Uint8Array,
  prefixLength: number,
): Uint8Array {
  for (const other of device.addresses) {
    if (other.address === address) return address;
    if (
      other.address.length === address.length &&
      other.prefixLength === prefixLength &&
      prefixMatches(other.address, address, prefixLength)
    )
      return other.address;
  }
  return address;
}

/** The namespace of one Vm. */
export class Network {
  private readonly byIndex = new Map<number, NetworkInterface>();
  private readonly routeList: Route[] = [];
  /** The kernel's routes for device addresses, rebuilt when a device or an address changes. */
  private kernelRoutes: readonly Route[] | undefined;
  private readonly ruleList: Rule[] = [];
  private readonly neighbourList: Neighbour[] = [];
  private readonly socketList: NetworkSocket[] = [];
  private nextCookie = 1n << 32n;
  private netnsCookie = 1n;
  private ownId: number | undefined;
  private readonly peerById = new Map<number, Network>();

  /** Starts from a fresh namespace (lo) plus `declared`; throws RangeError on a bad declaration. */
  constructor(declared: NetworkDeclaration = {}) {
    if (declared.cookie !== undefined) this.setCookie(declared.cookie);
    if (declared.netnsId !== undefined) this.setSelfId(declared.netnsId);
    this.byIndex.set(LOOPBACK.ifindex, LOOPBACK);
    if (declared.loopbackUp) this.setUp(LOOPBACK.ifindex, true);
    for (const iface of declared.interfaces ?? []) this.add(iface);
    for (const route of declared.routes ?? []) this.addRoute(route);
    for (const rule of declared.rules ?? []) this.addRule(rule);
    for (const neighbour of declared.neighbours ?? []) this.addNeighbour(neighbour);
    for (const socket of declared.sockets ?? []) this.addSocket(socket);
    for (const peer of declared.peers ?? []) this.addPeer(peer.id, peer.network);
  }

  /** net->net_cookie: what bpf_get_netns_cookie reports for this namespace. */
  get cookie(): bigint {
    return this.netnsCookie;
  }

  setCookie(cookie: bigint): void {
    if (cookie < 1n || cookie >= 1n << 64n) throw new RangeError('a netns cookie is a non-zero u64');
    this.netnsCookie = cookie;
  }

  /** The id the namespace has for itself (see NetworkDeclaration.netnsId), if any. */
  get selfId(): number | undefined {
    return this.ownId;
  }

  setSelfId(id: number | undefined): void {
    if (id !== undefined && !isIntegerIn(id, 0, U31_MAX))
      throw new RangeError(`netns id ${id} is not in 0..2147483647`);
    if (id !== undefined && this.peerById.has(id))
      throw new RangeError(`netns id ${id} names a peer (EEXIST)`);
    this.ownId = id;
  }

  /** Declares a peer namespace known here by `id`; returns it. Throws RangeError for a bad or taken id. */
  addPeer(id: number, declared: NetworkDeclaration = {}): Network {
    if (!isIntegerIn(id, 0, U31_MAX)) throw new RangeError(`netns id ${id} is not in 0..2147483647`);
    if (id === this.ownId || this.peerById.has(id)) throw new RangeError(`netns id ${id} is taken (EEXIST)`);
    const peer = new Network(declared);
    this.peerById.set(id, peer);
    return peer;
  }

  /** Kernel get_net_ns_by_id: the namespace this one knows by `id` (itself, or a peer), or undefined. */
  namespaceById(id: number): Network | undefined {
    return id === this.ownId ? this : this.peerById.get(id);
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
        carrier: iface.carrier ?? true,
        addresses: Object.freeze(
          (iface.addresses ?? []).map((a) =>
            Object.freeze({ address: Uint8Array.from(a.address), prefixLength: a.prefixLength }),
          ),
        ),
      }),
    );
    this.kernelRoutes = undefined;
  }

  /** `ip link set DEV up|down`; throws RangeError for an ifindex the namespace lacks. lo up gets its addresses. */
  setUp(ifindex: number, up: boolean): void {
    const iface = this.byIndex.get(ifindex);
    if (iface === undefined) throw new RangeError(`no device with ifindex ${ifindex}`);
    let addresses = iface.addresses;
    if (up && ifindex === LOOPBACK.ifindex) {
      const missing = LOOPBACK_ADDRESSES.filter(
        (a) => !addresses.some((b) => sameBytes(a.address, b.address)),
      );
      addresses = Object.freeze([...addresses, ...missing]);
    }
    this.byIndex.set(ifindex, Object.freeze({ ...iface, up, addresses }));
    this.kernelRoutes = undefined;
    // fib_disable_ip and rt6_sync_down_dev: a route whose every next hop is on the downed device is deleted (one
    // with a next hop elsewhere keeps the dead one, which comes back with the device).
    if (!up)
      for (let i = this.routeList.length - 1; i >= 0; i--) {
        const hops = this.routeList[i].nexthops;
        if (hops.length > 0 && hops.every((hop) => hop.ifindex === ifindex)) this.routeList.splice(i, 1);
      }
  }

  /** `ip addr add ADDRESS/LENGTH dev DEV`; throws RangeError naming the problem. */
  addAddress(ifindex: number, address: InterfaceAddress): void {
    const iface = this.byIndex.get(ifindex);
    if (iface === undefined) throw new RangeError(`no device with ifindex ${ifindex}`);
    const addresses = [...iface.addresses, address];
    const problem = networkInterfaceProblem({ ...iface, addresses });
    if (problem !== undefined) throw new RangeError(problem);
    const copy = Object.freeze({
      address: Uint8Array.from(address.address),
      prefixLength: address.prefixLength,
    });
    this.byIndex.set(
      ifindex,
      Object.freeze({ ...iface, addresses: Object.freeze([...iface.addresses, copy]) }),
    );
    this.kernelRoutes = undefined;
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

  /** Every interface in the order declared, lo first: the kernel's for_each_netdev (registration order). */
  interfacesInOrder(): NetworkInterface[] {
    return [...this.byIndex.values()];
  }

  /**
   * Declares a route; the devices of its next hops must exist, as `ip route add` needs. Throws RangeError naming
   * the problem.
   */
  addRoute(route: RouteDeclaration): void {
    const size = route.prefix.length;
    const problem = prefixProblem(route.prefix, route.prefixLength, true);
    if (problem !== undefined) throw new RangeError(problem.replace('an address', 'a route prefix'));
    const type = route.type ?? 'unicast';
    const declared: readonly NexthopDeclaration[] =
      route.nexthops ??
      (route.ifindex === undefined
        ? []
        : [{ ifindex: route.ifindex, ...(route.gateway === undefined ? {} : { gateway: route.gateway }) }]);
    if (route.nexthops !== undefined && (route.ifindex !== undefined || route.gateway !== undefined))
      throw new RangeError('a route has either nexthops or one ifindex (and gateway)');
    const forwards = type === 'unicast' || type === 'local' || type === 'broadcast';
    if (forwards && declared.length === 0) throw new RangeError(`a ${type} route needs a device`);
    const nexthops = declared.map((hop) => this.nexthop(hop, size, forwards));
    // Kernel ip6_route_add: an IPv6 route given metric 0 gets IP6_RT_PRIO_USER.
    const metric = route.metric || (size === 16 ? 1024 : 0);
    if (!isIntegerIn(metric, 0, 0xffff_ffff)) throw new RangeError(`metric ${metric} is not a u32`);
    if (route.mtu !== undefined && !isIntegerIn(route.mtu, 68, U31_MAX))
      throw new RangeError(`route MTU ${route.mtu} is not in 68..2147483647`);
    const table = route.table ?? MAIN_TABLE;
    if (!isIntegerIn(table, 1, 0xffff_ffff)) throw new RangeError(`table ${table} is not in 1..4294967295`);
    if (route.preferredSource !== undefined && route.preferredSource.length !== size)
      throw new RangeError('the preferred source is not of the prefix family');
    const tos = route.tos ?? 0;
    if (!isIntegerIn(tos, 0, 255)) throw new RangeError(`tos ${tos} is not a u8`);
    if (tos !== 0 && size === 16)
      throw new RangeError('Invalid dsfield (tos): option not available for IPv6');
    if ((tos & INET_ECN_MASK) !== 0) throw new RangeError('Invalid dsfield (tos): ECN bits must be 0');
    // fib_check_nh and fib6_nh_init: a next hop's device must be up (ENETDOWN; IPv4 finds no gateway through it).
    const down =
      type === 'unicast' ? nexthops.find((hop) => this.byIndex.get(hop.ifindex)?.up === false) : undefined;
    if (down !== undefined) {
      // Through a gateway, the gateway's own check fails first (nothing reaches it on a down device).
      const ipv6 = size === 16;
      if (down.gateway !== undefined)
        throw new RangeError(
          ipv6 ? 'No route to host (EHOSTUNREACH)' : 'Nexthop has invalid gateway (EINVAL)',
        );
      throw new RangeError(
        ipv6 ? 'Nexthop device is not up (ENETDOWN)' : 'Device for nexthop is not up (ENETDOWN)',
      );
    }
    const first = nexthops[0];
    const copy: Route = Object.freeze({
      prefix: Uint8Array.from(route.prefix),
      prefixLength: route.prefixLength,
      ...(first?.gateway === undefined ? {} : { gateway: first.gateway }),
      ifindex: first?.ifindex ?? 0,
      nexthops: Object.freeze(nexthops),
      type,
      ...(route.preferredSource === undefined
        ? {}
        : { preferredSource: Uint8Array.from(route.preferredSource) }),
      encap: route.encap ?? false,
      origin: 'declared',
      metric,
      ...(route.mtu === undefined ? {} : { mtu: route.mtu }),
      table,
      tos,
    });
    const clash = this.routeList.find(
      (r) =>
        r.table === copy.table &&
        r.tos === copy.tos &&
        r.prefixLength === copy.prefixLength &&
        r.metric === copy.metric &&
        sameBytes(r.prefix, copy.prefix),
    );
    if (clash !== undefined)
      throw new RangeError('File exists (EEXIST): a route to that prefix with that tos and metric');
    this.routeList.push(copy);
  }

  private nexthop(hop: NexthopDeclaration, size: number, needsDevice: boolean): Nexthop {
    if (needsDevice && !this.byIndex.has(hop.ifindex))
      throw new RangeError(`no device with ifindex ${hop.ifindex}`);
    // An IPv4 route may go through an IPv6 gateway (`via inet6 ADDRESS`, RFC 5549); not the other way round.
    if (
      hop.gateway !== undefined &&
      hop.gateway.length !== size &&
      !(size === 4 && hop.gateway.length === 16)
    )
      throw new RangeError('the gateway is not of the prefix family');
    const weight = hop.weight ?? 1;
    if (!isIntegerIn(weight, 1, 256)) throw new RangeError(`weight ${weight} is not in 1..256`);
    return Object.freeze({
      ifindex: hop.ifindex,
      ...(hop.gateway === undefined ? {} : { gateway: Uint8Array.from(hop.gateway) }),
      weight,
    });
  }

  /**
   * The routes the kernel adds for the addresses of up devices (fib_add_ifaddr, addrconf): a local route per
   * address, the broadcast address and (primary addresses only) the on-link prefix with the address as source;
   * IPv6, a local route and the prefix at metric 256, and fe80::/64 on every device IPv6 configures (up, with its
   * link, MTU at least 1280, not lo). lo's IPv4 prefix is a local route in the local table.
   */
  private addressRoutes(): readonly Route[] {
    if (this.kernelRoutes !== undefined) return this.kernelRoutes;
    const routes: Route[] = [];
    const add = (
      device: NetworkInterface,
      prefix: Uint8Array,
      prefixLength: number,
      type: RouteType,
      table: number,
      metric: number,
      source?: Uint8Array,
    ) => {
      const masked = maskPrefix(prefix, prefixLength);
      // One route per key: a secondary address's broadcast route is its primary's.
      const same = (r: Route) =>
        r.table === table &&
        r.type === type &&
        r.ifindex === device.ifindex &&
        r.prefixLength === prefixLength &&
        sameBytes(r.prefix, masked);
      if (routes.some(same)) return;
      routes.push(
        Object.freeze({
          prefix: masked,
          prefixLength,
          ifindex: device.ifindex,
          nexthops: Object.freeze([Object.freeze({ ifindex: device.ifindex, weight: 1 })]),
          type,
          ...(source === undefined ? {} : { preferredSource: source }),
          encap: false,
          origin: 'kernel' as const,
          metric,
          table,
          tos: 0,
        }),
      );
    };
    for (const device of this.interfaces()) {
      if (!device.up) continue;
      const loopback = device.ifindex === LOOPBACK.ifindex;
      // addrconf_dev_config once the link is ready: the EUI-64 link-local address (tentative until DAD ends, so
      // neither its local route nor a source yet: the namespace as just built) brings its fe80::/64 route.
      if (!loopback && device.carrier && device.mtu >= IPV6_MIN_MTU)
        add(device, LINK_LOCAL_PREFIX, 64, 'unicast', MAIN_TABLE, 256);
      for (const { address, prefixLength } of device.addresses) {
        if (address.length === 16) {
          add(device, address, 128, 'local', LOCAL_TABLE, 0);
          // lo's ::1 gets no prefix route (the kernel's loopback set-up adds the local one only).
          if (!loopback) add(device, address, prefixLength, 'unicast', MAIN_TABLE, 256);
          continue;
        }
        const primary = primaryAddress(device, address, prefixLength);
        add(device, address, 32, 'local', LOCAL_TABLE, 0, primary);
        const network = maskPrefix(address, prefixLength);
        const zeroNet = network[0] === 0;
        if (primary === address && !zeroNet && prefixLength < 32)
          add(
            device,
            network,
            prefixLength,
            loopback ? 'local' : 'unicast',
            loopback ? LOCAL_TABLE : MAIN_TABLE,
            0,
            primary,
          );
        if (prefixLength < 31) {
          const broadcast = Uint8Array.from(address, (byte, i) => {
            const bits = Math.max(0, Math.min(8, prefixLength - 8 * i));
            return byte | (0xff >> bits);
          });
          add(device, broadcast, 32, 'broadcast', LOCAL_TABLE, 0, primary);
        }
      }
    }
    this.kernelRoutes = Object.freeze(routes);
    return this.kernelRoutes;
  }

  /** `ip rule add ...`; throws RangeError naming the problem. */
  addRule(rule: RuleDeclaration): void {
    const family =
      rule.family ?? (rule.from?.prefix.length === 16 || rule.to?.prefix.length === 16 ? 'ipv6' : 'ipv4');
    const size = family === 'ipv6' ? 16 : 4;
    for (const [name, prefix] of [
      ['from', rule.from],
      ['to', rule.to],
    ] as const) {
      if (prefix === undefined) continue;
      const problem = prefixProblem(prefix.prefix, prefix.prefixLength, true);
      if (problem !== undefined) throw new RangeError(`${name}: ${problem}`);
      if (prefix.prefix.length !== size) throw new RangeError(`${name} is not an ${family} prefix`);
    }
    const fwmark = rule.fwmark ?? 0;
    const fwmask = rule.fwmask ?? (rule.fwmark === undefined ? 0 : 0xffff_ffff);
    if (!isIntegerIn(fwmark, 0, 0xffff_ffff) || !isIntegerIn(fwmask, 0, 0xffff_ffff))
      throw new RangeError('fwmark and fwmask are u32');
    const action = rule.action ?? 'lookup';
    const table = rule.table ?? MAIN_TABLE;
    if (!isIntegerIn(table, 1, 0xffff_ffff)) throw new RangeError(`table ${table} is not in 1..4294967295`);
    const rules = this.rules(family);
    // fib_default_rule_pref: one below the second rule's priority.
    const priority = rule.priority ?? Math.max(0, (rules[1]?.priority ?? 1) - 1);
    if (!isIntegerIn(priority, 0, 0xffff_ffff)) throw new RangeError(`priority ${priority} is not a u32`);
    for (const name of [rule.iif, rule.oif])
      if (name !== undefined && (name.length === 0 || name.length > IFNAME_MAX))
        throw new RangeError(`interface name '${name}' must have 1..15 characters`);
    const tos = rule.tos ?? 0;
    if (!isIntegerIn(tos, 0, 255)) throw new RangeError(`tos ${tos} is not a u8`);
    if ((tos & INET_ECN_MASK) !== 0) throw new RangeError('Invalid dsfield (tos): ECN bits must be 0');
    if (family === 'ipv4' && (tos & ~IPTOS_RT_MASK) !== 0) throw new RangeError('Invalid tos');
    const ipProtocol = rule.ipProtocol ?? 0;
    if (!isIntegerIn(ipProtocol, 0, 255)) throw new RangeError(`ipproto ${ipProtocol} is not a u8`);
    const range = (name: string, given: NumberRange | undefined, low: number, high: number) => {
      if (given === undefined) return undefined;
      if (!isIntegerIn(given.start, low, high) || !isIntegerIn(given.end, given.start, high))
        throw new RangeError(`Invalid ${name} range: ${given.start}-${given.end} (EINVAL)`);
      return Object.freeze({ start: given.start, end: given.end });
    };
    // fib_rule_port_range_valid and uid_valid: ports 1..65534, uids short of INVALID_UID (u32 -1).
    const sourcePorts = range('sport', rule.sourcePorts, 1, 0xfffe);
    const destinationPorts = range('dport', rule.destinationPorts, 1, 0xfffe);
    const uids = range('uid', rule.uids, 0, 0xffff_fffe);
    const copy = (prefix: Prefix | undefined) =>
      prefix === undefined
        ? undefined
        : Object.freeze({ prefix: Uint8Array.from(prefix.prefix), prefixLength: prefix.prefixLength });
    const from = copy(rule.from);
    const to = copy(rule.to);
    this.ruleList.push(
      Object.freeze({
        family,
        priority,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        fwmark,
        fwmask,
        ...(rule.iif === undefined ? {} : { iif: rule.iif }),
        ...(rule.oif === undefined ? {} : { oif: rule.oif }),
        tos,
        ipProtocol,
        ...(sourcePorts === undefined ? {} : { sourcePorts }),
        ...(destinationPorts === undefined ? {} : { destinationPorts }),
        ...(uids === undefined ? {} : { uids }),
        action,
        table,
      }),
    );
  }

  /** Whether rules were added to a family's defaults (the kernel's fib_has_custom_rules). */
  hasCustomRules(family: 'ipv4' | 'ipv6'): boolean {
    return this.ruleList.some((rule) => rule.family === family);
  }

  /**
   * A family's rules by priority (`ip rule show`): the defaults (local at 0, main at 32766, IPv4's default at
   * 32767) and the declared ones, an equal priority after those already there.
   */
  rules(family: 'ipv4' | 'ipv6'): readonly Rule[] {
    const base = { family, fwmark: 0, fwmask: 0, tos: 0, ipProtocol: 0, action: 'lookup' as const };
    const defaults: Rule[] = [
      { ...base, priority: 0, table: LOCAL_TABLE },
      { ...base, priority: 32766, table: MAIN_TABLE },
      ...(family === 'ipv4' ? [{ ...base, priority: 32767, table: DEFAULT_TABLE }] : []),
    ];
    const all = [...defaults, ...this.ruleList.filter((rule) => rule.family === family)];
    return all
      .map((rule, order) => ({ rule, order }))
      .sort((a, b) => a.rule.priority - b.rule.priority || a.order - b.order)
      .map(({ rule }) => rule);
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
   * Declares a socket. Refuses what bind(), connect() or setsockopt() would: EADDRINUSE for a second socket of
   * the protocol on a local address and port another one holds (IPv4 or IPv6, a dual-stack `::` holding the IPv4
   * wildcard too) unless both are bound to different devices; a connected socket without a specific local address;
   * a request socket without a listener to belong to.
   */
  addSocket(socket: SocketDeclaration): NetworkSocket {
    const size = socket.localAddress.length;
    if (size !== 4 && size !== 16) throw new RangeError('a socket address has 4 (IPv4) or 16 (IPv6) bytes');
    if (!isIntegerIn(socket.localPort, 1, 0xffff))
      throw new RangeError(`local port ${socket.localPort} is not in 1..65535`);
    const connected = socket.remoteAddress !== undefined || socket.remotePort !== undefined;
    if (CONNECTED_TCP.includes(socket.kind) && !connected)
      throw new RangeError(`a ${socket.kind} socket needs a remote address and port`);
    if (socket.kind === 'tcp-listen' && connected)
      throw new RangeError('a listening socket has no remote end');
    if (connected) {
      if (socket.remoteAddress?.length !== size)
        throw new RangeError('the remote address is not of the local family');
      if (!isIntegerIn(socket.remotePort ?? 0, 1, 0xffff))
        throw new RangeError(`remote port ${socket.remotePort} is not in 1..65535`);
      if (isWildcard(socket.localAddress))
        throw new RangeError('a connected socket has a specific local address (connect() picks one)');
      if (
        (ipv4Mapped(socket.localAddress) === undefined) !==
        (ipv4Mapped(socket.remoteAddress) === undefined)
      )
        throw new RangeError(
          'an IPv6 socket connected to an IPv4-mapped address has an IPv4-mapped local one',
        );
    }
    if (socket.reuseport && (socket.kind === 'tcp-established' || connected))
      throw new RangeError('only a listening or an unconnected UDP socket joins a reuseport group');
    const uid = socket.uid ?? 0;
    if (!isIntegerIn(uid, 0, 0xffff_ffff)) throw new RangeError(`uid ${uid} is not a u32`);
    if (socket.v6Only !== undefined && size !== 16)
      throw new RangeError('IPV6_V6ONLY is an option of IPv6 sockets');
    if (socket.v6Only && ipv4Mapped(socket.localAddress) !== undefined)
      throw new RangeError('an IPV6_V6ONLY socket cannot bind an IPv4-mapped address (EINVAL)');
    // Kernel __inet6_bind: binding an IPv6 address other than :: or a mapped one makes the socket IPv6-only.
    const v6Only =
      size === 16 &&
      (socket.v6Only === true || (!isWildcard(socket.localAddress) && !ipv4Mapped(socket.localAddress)));
    let boundDevice = socket.boundDevice ?? 0;
    if (!isIntegerIn(boundDevice, 0, U31_MAX) || (boundDevice !== 0 && !this.byIndex.has(boundDevice)))
      throw new RangeError(`no device with ifindex ${boundDevice} to bind to (ENODEV)`);
    if (socket.kind === 'tcp-request') {
      // Kernel inet_reqsk_alloc/inet_request_bound_dev_if: a request socket takes its listener's family and device.
      const listener = this.listenerFor(socket.localAddress, socket.localPort, socket.boundDevice);
      if (listener === undefined) {
        if (
          socket.boundDevice !== undefined &&
          this.listenerFor(socket.localAddress, socket.localPort) !== undefined
        )
          throw new RangeError("a request socket is bound to its listener's device");
        const mapped = new Uint8Array(16);
        mapped.set([0xff, 0xff], 10);
        mapped.set(socket.localAddress, 12);
        if (size === 4 && this.listenerFor(mapped, socket.localPort) !== undefined)
          throw new RangeError('a request socket on an IPv6 listener has IPv6 (or IPv4-mapped) addresses');
        throw new RangeError(
          `a request socket needs a listener on its local address and port ${socket.localPort}`,
        );
      }
      boundDevice = listener.boundDevice;
    }
    const cookie = socket.cookie ?? this.nextCookie++;
    if (cookie < 1n || cookie >= 1n << 64n) throw new RangeError('a socket cookie is a non-zero u64');
    const copy: NetworkSocket = Object.freeze({
      kind: socket.kind,
      localAddress: Uint8Array.from(socket.localAddress),
      localPort: socket.localPort,
      ...(socket.remoteAddress === undefined ? {} : { remoteAddress: Uint8Array.from(socket.remoteAddress) }),
      ...(socket.remotePort === undefined ? {} : { remotePort: socket.remotePort }),
      uid,
      cookie,
      v6Only,
      boundDevice,
      ...(socket.reuseport ? { reuseport: true } : {}),
    });
    const clash = this.socketList.find((other) => this.clashes(copy, other));
    if (clash !== undefined) {
      if (CONNECTED_TCP.includes(copy.kind))
        throw new RangeError('that 4-tuple already has a socket (EADDRINUSE)');
      throw new RangeError(`port ${socket.localPort} is already bound (EADDRINUSE)`);
    }
    this.socketList.push(copy);
    owners.set(copy, this);
    return copy;
  }

  /** Whether two sockets cannot both exist: the same bound address (bind) or TCP 4-tuple (connect). */
  private clashes(socket: NetworkSocket, other: NetworkSocket): boolean {
    if ((other.kind === 'udp') !== (socket.kind === 'udp') || other.localPort !== socket.localPort)
      return false;
    const devicesApart =
      socket.boundDevice !== 0 && other.boundDevice !== 0 && socket.boundDevice !== other.boundDevice;
    if (CONNECTED_TCP.includes(socket.kind) || CONNECTED_TCP.includes(other.kind)) {
      return (
        CONNECTED_TCP.includes(socket.kind) &&
        CONNECTED_TCP.includes(other.kind) &&
        !devicesApart &&
        other.remotePort === socket.remotePort &&
        sameBytes(other.localAddress, socket.localAddress) &&
        sameBytes(other.remoteAddress ?? new Uint8Array(0), socket.remoteAddress ?? new Uint8Array(0))
      );
    }
    if (devicesApart) return false;
    if (sameBytes(other.localAddress, socket.localAddress)) return true;
    const mine = ipv4View(socket.localAddress, socket.v6Only);
    const theirs = ipv4View(other.localAddress, other.v6Only);
    return mine !== undefined && theirs !== undefined && sameBytes(mine, theirs);
  }

  /**
   * The listener of the address's family a SYN to `local`:`port` reaches (bound to `device` when given): the one
   * bound to the address, then the wildcard (an IPv6 one taking IPv4-mapped traffic only without IPV6_V6ONLY).
   */
  private listenerFor(local: Uint8Array, port: number, device?: number): NetworkSocket | undefined {
    const listeners = this.socketList.filter(
      (s) =>
        s.kind === 'tcp-listen' &&
        s.localPort === port &&
        s.localAddress.length === local.length &&
        (device === undefined || s.boundDevice === device),
    );
    const mapped = ipv4Mapped(local) !== undefined;
    return (
      listeners.find((s) => sameBytes(s.localAddress, local)) ??
      listeners.find((s) => isWildcard(s.localAddress) && !(mapped && s.v6Only))
    );
  }

  /** Every declared socket, in declaration order. */
  sockets(): readonly NetworkSocket[] {
    return this.socketList;
  }

  /**
   * The socket a packet from `remote`:`remotePort` to `local`:`localPort` arriving on device `ifindex` belongs to,
   * as the kernel's lookups choose (4- or 16-byte addresses pick the IPv4 or IPv6 tables). TCP: an established,
   * request or time-wait socket of the exact 4-tuple; else the best listener bound to the local address, else to
   * the wildcard. UDP: the best socket bound to the local address (a connected one must match the remote), else
   * to the wildcard. Best: bound to the device over unbound, an IPv4 socket over an IPv6 one (kernel
   * compute_score); a socket bound to another device never matches. IPv4 lookups see IPv6 sockets through their
   * IPv4 view (ipv4View); IPv6 lookups see IPv6 sockets only, and TCP's exact match never an IPv4-mapped one (the
   * kernel hashes those with the IPv4 function).
   */
  lookupSocket(
    protocol: 'tcp' | 'udp',
    remote: Uint8Array,
    remotePort: number,
    local: Uint8Array,
    localPort: number,
    ifindex = 0,
  ): NetworkSocket | undefined {
    const v4 = local.length === 4;
    const localOf = (s: NetworkSocket) => (v4 ? ipv4View(s.localAddress, s.v6Only) : s.localAddress);
    const remoteOf = (s: NetworkSocket) => {
      if (s.remoteAddress === undefined) return undefined;
      if (v4) return s.remoteAddress.length === 4 ? s.remoteAddress : ipv4Mapped(s.remoteAddress);
      return protocol === 'tcp' && ipv4Mapped(s.remoteAddress) !== undefined ? undefined : s.remoteAddress;
    };
    const candidates = this.socketList.filter(
      (s) =>
        (s.kind === 'udp') === (protocol === 'udp') &&
        s.localPort === localPort &&
        (v4 || s.localAddress.length === 16) &&
        (s.boundDevice === 0 || s.boundDevice === ifindex),
    );
    const connectedTo = (s: NetworkSocket) => {
      const peer = remoteOf(s);
      return peer !== undefined && s.remotePort === remotePort && sameBytes(peer, remote);
    };
    if (protocol === 'tcp') {
      const exact = candidates.find((s) => {
        const at = localOf(s);
        return CONNECTED_TCP.includes(s.kind) && at !== undefined && sameBytes(at, local) && connectedTo(s);
      });
      if (exact !== undefined) return exact;
    }
    const score = (s: NetworkSocket) =>
      (s.boundDevice === 0 ? 1 : 2) + (v4 && s.localAddress.length === 4 ? 1 : 0) + (s.remoteAddress ? 8 : 0);
    const best = (address: Uint8Array) => {
      let found: NetworkSocket | undefined;
      for (const s of candidates) {
        const at = localOf(s);
        if (at === undefined || !sameBytes(at, address) || CONNECTED_TCP.includes(s.kind)) continue;
        if (s.remoteAddress !== undefined && !connectedTo(s)) continue;
        if (found === undefined || score(s) > score(found)) found = s;
      }
      return found;
    };
    return best(local) ?? best(new Uint8Array(local.length));
  }

  /** The listener a request socket belongs to (kernel rsk_listener). */
  listenerOf(request: NetworkSocket): NetworkSocket | undefined {
    if (request.kind !== 'tcp-request') return undefined;
    return this.listenerFor(request.localAddress, request.localPort, request.boundDevice);
  }

  /** Every route: the declared ones in declaration order, then the kernel's for device addresses. */
  routes(): readonly Route[] {
    const kernel = this.addressRoutes();
    return kernel.length === 0 ? this.routeList : [...this.routeList, ...kernel];
  }

  /**
   * The route a lookup of `destination` in `table` finds: the longest matching prefix, then the lowest metric
   * (kernel fib_table_lookup / fib6_lookup on one table, without policy rules); undefined when none matches.
   */
  lookupRoute(destination: Uint8Array, table = MAIN_TABLE): Route | undefined {
    let best: Route | undefined;
    for (const route of this.routes()) {
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

/**
 * Parses a dotted IPv4 address or an IPv6 address (with `::`, an IPv4 address as its last 32 bits such as
 * `::ffff:10.0.0.1`, no zone); undefined if invalid.
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) {
    const bytes = text.split('.').map(Number);
    return bytes.every((byte) => byte <= 255) ? Uint8Array.from(bytes) : undefined;
  }
  const embedded = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (embedded !== null) {
    const ipv4 = parseIpAddress(embedded[2]);
    if (ipv4 === undefined) return undefined;
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    return parseIpAddress(`${embedded[1]}${hex(ipv4[0], ipv4[1])}:${hex(ipv4[2], ipv4[3])}`);
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
