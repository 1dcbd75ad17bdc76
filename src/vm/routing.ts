// Policy routing over a Network as bpf_fib_lookup meets it in the kernel: the rule walk (fib_lookup, fib6_lookup),
// one table's longest-prefix lookup with the flow's output device, the multipath choice and the source address a
// route gives (fib_result_prefsrc / inet_select_addr, ipv6_dev_get_saddr).

import {
  DEFAULT_TABLE,
  LOCAL_TABLE,
  MAIN_TABLE,
  type Network,
  type NetworkInterface,
  type Nexthop,
  type NumberRange,
  type Prefix,
  primaryAddress,
  prefixMatches,
  type Route,
  type Rule,
  sameBytes,
} from './network.js';

/** What a lookup is asked: struct flowi4/flowi6 as bpf_fib_lookup fills them. */
export interface Flow {
  readonly destination: Uint8Array;
  readonly source: Uint8Array;
  /** flowi_iif: the params' ifindex, or lo (1) for an output lookup. */
  readonly iif: number;
  /** flowi_oif: the params' ifindex for an output lookup, else 0. */
  readonly oif: number;
  readonly mark: number;
  /** The dsfield: flowi4_dscp from params->tos, flowi6's traffic class from params->flowinfo (default 0). */
  readonly tos?: number;
  /** flowi_proto: params->l4_protocol (default 0). */
  readonly protocol?: number;
  /** fl4/fl6 ports, host order: params->sport and dport (default 0). */
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  /** flowi_uid: bpf_fib_lookup's is the namespace's root, 0 (the default). */
  readonly uid?: number;
}

/** IPTOS_RT_MASK: the legacy TOS bits IPv4 rules and routes match a flow's dsfield on (fib_dscp_masked_match). */
const IPTOS_RT_MASK = 0x1c;
/** The dsfield without its ECN bits: what IPv6 rules compare. */
const DSCP_MASK = 0xfc;

/** The kernel's lookup errors bpf_fib_lookup tells apart (fib_props and the rule actions). */
export type RoutingError = 'EINVAL' | 'EHOSTUNREACH' | 'EACCES' | 'ENETUNREACH';

export type RoutingResult =
  | { readonly route: Route; readonly nexthop: Nexthop; readonly error?: undefined }
  | { readonly error: RoutingError };

/** fib_props[type].error: the IPv4 route types a table lookup answers with an error. */
const REJECT_ERRORS: Partial<Record<Route['type'], RoutingError>> = {
  blackhole: 'EINVAL',
  unreachable: 'EHOSTUNREACH',
  prohibit: 'EACCES',
};

/** The errors of the rule actions other than lookup (fib4_rule_action, fib6_rule_action_alt). */
const RULE_ERRORS: Record<Exclude<Rule['action'], 'lookup'>, RoutingError> = {
  blackhole: 'EINVAL',
  unreachable: 'ENETUNREACH',
  prohibit: 'EACCES',
};

const familyOf = (address: Uint8Array) => (address.length === 16 ? 'ipv6' : 'ipv4');

/** fib_get_table / fib6_get_table: main and local always exist, another once a route went into it. */
export function tableExists(network: Network, table: number): boolean {
  return table === MAIN_TABLE || table === LOCAL_TABLE || network.routes().some((r) => r.table === table);
}

/** A next hop the kernel would use: its device is up (the kernel drops or kills the others' routes). */
function alive(network: Network, hop: Nexthop): boolean {
  return network.interface(hop.ifindex)?.up === true;
}

/**
 * The routes of `tables` holding the destination, longest prefix first; then, as fib_insert_alias orders a merged
 * trie's leaf, the higher table id (local before main), the lowest metric, the declared order.
 */
function candidates(network: Network, tables: readonly number[], destination: Uint8Array): Route[] {
  return network
    .routes()
    .filter(
      (route) =>
        tables.includes(route.table) &&
        route.prefix.length === destination.length &&
        prefixMatches(route.prefix, destination, route.prefixLength),
    )
    .map((route, order) => ({ route, order }))
    .sort(
      (a, b) =>
        b.route.prefixLength - a.route.prefixLength ||
        b.route.table - a.route.table ||
        b.route.tos - a.route.tos ||
        a.route.metric - b.route.metric ||
        a.order - b.order,
    )
    .map(({ route }) => route);
}

/**
 * IPv4 fib_table_lookup: the longest prefix first; a reject route answers its error; otherwise the first route with
 * a live next hop on the flow's output device (any device when it has none), shorter prefixes when none has one.
 * undefined: nothing in the table (-EAGAIN).
 */
function lookupTable4(network: Network, tables: readonly number[], flow: Flow): RoutingResult | undefined {
  for (const route of candidates(network, tables, flow.destination)) {
    // A route with a tos holds only flows whose legacy TOS bits equal it.
    if (route.tos !== 0 && route.tos !== ((flow.tos ?? 0) & IPTOS_RT_MASK)) continue;
    const error = REJECT_ERRORS[route.type];
    if (error !== undefined) return { error };
    const nexthop = route.nexthops.find(
      (hop) => alive(network, hop) && (flow.oif === 0 || hop.ifindex === flow.oif),
    );
    if (nexthop !== undefined) return { route, nexthop };
  }
  return undefined;
}

/**
 * IPv6 fib6_table_lookup: the longest prefix with a usable route; the lowest metric there, a route on `oif`
 * preferred among equal ones (rt6_score_route); reject routes are results, told apart by their type.
 */
function lookupTable6(
  network: Network,
  tables: readonly number[],
  flow: Flow,
  oif: number,
): RoutingResult | undefined {
  // A reject route needs no device; the others a live next hop.
  const usable = candidates(network, tables, flow.destination).filter(
    (route) => REJECT_ERRORS[route.type] !== undefined || route.nexthops.some((hop) => alive(network, hop)),
  );
  const best = usable[0];
  if (best === undefined) return undefined;
  const ties = usable.filter((r) => r.prefixLength === best.prefixLength && r.metric === best.metric);
  const onOif = oif === 0 ? undefined : ties.find((r) => r.nexthops.some((hop) => hop.ifindex === oif));
  const route = onOif ?? best;
  const nexthop =
    route.nexthops.find((hop) => alive(network, hop) && (oif === 0 || hop.ifindex === oif)) ??
    route.nexthops.find((hop) => alive(network, hop)) ??
    rejectNexthop;
  return { route, nexthop };
}

/** The next hop a reject route has (the kernel's is lo; nothing reads it past the route type). */
const rejectNexthop: Nexthop = Object.freeze({ ifindex: 1, weight: 1 });

/** One table's lookup; IPv4's local and main share one trie until rules are added (fib_unmerge). */
export function lookupTable(
  network: Network,
  table: number,
  flow: Flow,
  oif = flow.oif,
): RoutingResult | undefined {
  if (familyOf(flow.destination) === 'ipv6') return lookupTable6(network, [table], flow, oif);
  const merged =
    !network.hasCustomRules('ipv4') && (table === MAIN_TABLE || table === LOCAL_TABLE)
      ? [LOCAL_TABLE, MAIN_TABLE]
      : [table];
  return lookupTable4(network, merged, flow);
}

function prefixHolds(prefix: Prefix | undefined, address: Uint8Array): boolean {
  return prefix === undefined || prefixMatches(prefix.prefix, address, prefix.prefixLength);
}

function inRange(range: NumberRange | undefined, value: number): boolean {
  return range === undefined || (value >= range.start && value <= range.end);
}

/**
 * fib_rule_match with fib4/6_rule_match: devices (by name, as the kernel resolves them), mark, uid, protocol and
 * ports, tos (IPv4 on the flow's legacy TOS bits, IPv6 on its DSCP), prefixes.
 */
function ruleMatches(network: Network, rule: Rule, flow: Flow): boolean {
  if (rule.iif !== undefined && network.interfaceByName(rule.iif)?.ifindex !== flow.iif) return false;
  if (rule.oif !== undefined && network.interfaceByName(rule.oif)?.ifindex !== flow.oif) return false;
  if (((rule.fwmark ^ flow.mark) & rule.fwmask) !== 0) return false;
  if (!inRange(rule.uids, flow.uid ?? 0)) return false;
  if (rule.ipProtocol !== 0 && rule.ipProtocol !== (flow.protocol ?? 0)) return false;
  if (!inRange(rule.sourcePorts, flow.sourcePort ?? 0)) return false;
  if (!inRange(rule.destinationPorts, flow.destinationPort ?? 0)) return false;
  const tosMask = rule.family === 'ipv4' ? IPTOS_RT_MASK : DSCP_MASK;
  if (rule.tos !== 0 && rule.tos !== ((flow.tos ?? 0) & tosMask)) return false;
  return prefixHolds(rule.from, flow.source) && prefixHolds(rule.to, flow.destination);
}

/**
 * fib_lookup / fib6_lookup: without rules of one's own, IPv4 looks in local+main, then, when that found nothing
 * (not on an error), in the default table if it exists; IPv6 in local, then main. With rules, each matching rule in priority
 * order: a lookup in an existing table that finds something ends the walk, another action is its error.
 */
export function routeLookup(network: Network, flow: Flow, oif = flow.oif): RoutingResult {
  const family = familyOf(flow.destination);
  if (!network.hasCustomRules(family)) {
    if (family === 'ipv6') {
      return (
        lookupTable6(network, [LOCAL_TABLE], flow, oif) ??
        lookupTable6(network, [MAIN_TABLE], flow, oif) ?? { error: 'ENETUNREACH' }
      );
    }
    const result =
      lookupTable4(network, [LOCAL_TABLE, MAIN_TABLE], flow) ??
      (tableExists(network, DEFAULT_TABLE) ? lookupTable4(network, [DEFAULT_TABLE], flow) : undefined);
    return result ?? { error: 'ENETUNREACH' };
  }
  for (const rule of network.rules(family)) {
    if (!ruleMatches(network, rule, flow)) continue;
    if (rule.action !== 'lookup') return { error: RULE_ERRORS[rule.action] };
    if (!tableExists(network, rule.table)) continue;
    const result = lookupTable(network, rule.table, flow, oif);
    if (result !== undefined) return result;
  }
  return { error: 'ENETUNREACH' };
}

/**
 * The multipath choice without an output device (fib_select_multipath, rt6_multipath_hash): each live next hop owns
 * a share of the 31-bit hash space by weight. The kernel hashes the flow with a per-boot random seed; tsbpf hashes
 * the addresses with FNV-1a, so which next hop a flow gets can differ from the kernel's (README).
 */
export function selectMultipath(network: Network, route: Route, flow: Flow): Nexthop {
  const live = route.nexthops.filter((hop) => alive(network, hop));
  if (live.length <= 1) return live[0] ?? route.nexthops[0];
  let hash = 0x811c9dc5;
  for (const bytes of [flow.source, flow.destination])
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  hash >>>= 1;
  const total = live.reduce((sum, hop) => sum + hop.weight, 0);
  let weight = 0;
  for (const hop of live) {
    weight += hop.weight;
    // fib_rebalance: a next hop's upper bound is its cumulative share of 2^31, rounded, minus one.
    if (hash <= Math.round((weight * 2 ** 31) / total) - 1) return hop;
  }
  return live[live.length - 1];
}

/** RT_SCOPE_* as numbers: universe 0, link 253, host 254. */
const SCOPE_UNIVERSE = 0;
const SCOPE_LINK = 253;
const SCOPE_HOST = 254;

/** An IPv4 address's scope as `ip addr add` gives it: host for 127/8, universe otherwise. */
function addressScope4(address: Uint8Array): number {
  return address[0] === 127 ? SCOPE_HOST : SCOPE_UNIVERSE;
}

/** A route's fib_scope: host for local routes, link for on-link ones, universe through a gateway. */
function routeScope(route: Route): number {
  if (route.type === 'local') return SCOPE_HOST;
  return route.nexthops.some((hop) => hop.gateway !== undefined) ? SCOPE_UNIVERSE : SCOPE_LINK;
}

/** A device's primary IPv4 addresses, in the order the kernel keeps them (host scope first). */
function primaries4(
  device: NetworkInterface,
): { address: Uint8Array; prefixLength: number; scope: number }[] {
  return device.addresses
    .filter((a) => a.address.length === 4 && primaryAddress(device, a.address, a.prefixLength) === a.address)
    .map((a) => ({ ...a, scope: addressScope4(a.address) }))
    .sort((a, b) => b.scope - a.scope);
}

/**
 * IPv4 BPF_FIB_LOOKUP_SRC (fib_result_prefsrc): the route's `src`, else inet_select_addr on the next hop's device
 * (an address no narrower than the route's scope, the one holding the gateway preferred), else the first such
 * non-link address of any device in declaration order (the kernel's registration order); 0.0.0.0 when there is
 * none (the kernel writes that, no error).
 */
export function preferredSource4(network: Network, route: Route, nexthop: Nexthop): Uint8Array {
  if (route.preferredSource !== undefined) return route.preferredSource;
  const scope = routeScope(route);
  const device = network.interface(nexthop.ifindex);
  const gateway = nexthop.gateway?.length === 4 ? nexthop.gateway : undefined;
  let chosen: Uint8Array | undefined;
  for (const ifa of device === undefined ? [] : primaries4(device)) {
    if (ifa.scope > scope) continue;
    if (gateway === undefined || prefixMatches(ifa.address, gateway, ifa.prefixLength)) return ifa.address;
    chosen ??= ifa.address;
  }
  if (chosen !== undefined) return chosen;
  for (const other of network.interfacesInOrder()) {
    const found = primaries4(other).find((ifa) => ifa.scope !== SCOPE_LINK && ifa.scope <= scope);
    if (found !== undefined) return found.address;
  }
  return new Uint8Array(4);
}

/** IPv6 address scopes as the kernel numbers them (__ipv6_addr_src_scope): node 1, link 2, site 5, global 14. */
function scope6(address: Uint8Array): number {
  if (address[0] === 0xff) return address[1] & 0x0f;
  if (address[0] === 0xfe && (address[1] & 0xc0) === 0x80) return 2;
  if (address[0] === 0xfe && (address[1] & 0xc0) === 0xc0) return 5;
  if (address.subarray(0, 15).every((byte) => byte === 0) && address[15] === 1) return 1;
  return 14;
}

/** The kernel's default address label table (ip6addrlbl_init_table), longest prefix first. */
const LABELS: readonly (readonly [string, number, number])[] = [
  ['00000000000000000000000000000001', 128, 0],
  ['00000000000000000000ffff00000000', 96, 4],
  ['00000000000000000000000000000000', 96, 3],
  ['20010010000000000000000000000000', 28, 7],
  ['20010020000000000000000000000000', 28, 8],
  ['20010000000000000000000000000000', 32, 6],
  ['20020000000000000000000000000000', 16, 2],
  ['3ffe0000000000000000000000000000', 16, 12],
  ['fec00000000000000000000000000000', 10, 11],
  ['fc000000000000000000000000000000', 7, 5],
  ['00000000000000000000000000000000', 0, 1],
];
const LABEL_PREFIXES = LABELS.map(
  ([hex, length, label]) =>
    [Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)), length, label] as const,
);

function label6(address: Uint8Array): number {
  for (const [prefix, length, label] of LABEL_PREFIXES)
    if (prefixMatches(prefix, address, length)) return label;
  return 1;
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  while (bits < 128 && prefixMatches(a, b, bits + 1)) bits++;
  return bits;
}

/**
 * IPv6 BPF_FIB_LOOKUP_SRC: the route's `src`, else ipv6_dev_get_saddr's choice among the addresses of every up
 * device (in declaration order, lo first), by the RFC 6724 rules the kernel scores in order: the destination itself, the smallest scope
 * not below the destination's, the output device, the same label, the longest common prefix (up to the address's
 * own prefix length); a tie goes to the address first in the kernel's list. Addresses count as preferred and not
 * tentative (declared as with `nodad`). undefined: none.
 */
export function preferredSource6(
  network: Network,
  route: Route,
  nexthop: Nexthop,
  destination: Uint8Array,
): Uint8Array | undefined {
  if (route.preferredSource !== undefined) return route.preferredSource;
  const destinationScope = scope6(destination);
  const destinationLabel = label6(destination);
  let best: { address: Uint8Array; score: number[] } | undefined;
  for (const device of network.interfacesInOrder()) {
    if (!device.up) continue;
    // ipv6_link_dev_addr keeps a device's list by scope, widest first, a new address before older ones of its
    // scope: which one wins a tie.
    const addresses = device.addresses
      .filter((a) => a.address.length === 16)
      .reverse()
      .sort((a, b) => scope6(b.address) - scope6(a.address));
    for (const { address, prefixLength } of addresses) {
      if (address.every((byte) => byte === 0) || address[0] === 0xff) continue;
      const scope = scope6(address);
      const score = [
        sameBytes(address, destination) ? 1 : 0,
        scope >= destinationScope ? -scope : scope - 128,
        device.ifindex === nexthop.ifindex ? 1 : 0,
        label6(address) === destinationLabel ? 1 : 0,
        Math.min(commonPrefix(address, destination), prefixLength),
      ];
      if (best === undefined || better(score, best.score)) best = { address, score };
    }
  }
  return best?.address;
}

function better(score: readonly number[], than: readonly number[]): boolean {
  for (let i = 0; i < score.length; i++) if (score[i] !== than[i]) return score[i] > than[i];
  return false;
}
