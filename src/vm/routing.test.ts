import { describe, expect, it } from 'vitest';
import { Network, parseIpAddress } from './network.js';
import { type Flow, preferredSource4, preferredSource6, routeLookup, selectMultipath } from './routing.js';

const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);
const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? 'none' : Buffer.from(bytes).toString('hex');
const flow = (destination: string, more: Partial<Flow> = {}): Flow => {
  const bytes = ip(destination);
  return { destination: bytes, source: new Uint8Array(bytes.length), iif: 1, oif: 0, mark: 0, ...more };
};

describe('routeLookup: the rule walk', () => {
  const network = new Network({
    interfaces: [
      { ifindex: 2, name: 'eth0', addresses: [{ address: ip('192.0.2.10'), prefixLength: 24 }] },
      { ifindex: 3, name: 'eth1', addresses: [{ address: ip('198.51.100.1'), prefixLength: 24 }] },
    ],
    routes: [
      { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 3, gateway: ip('198.51.100.9') },
      { prefix: ip('10.1.0.0'), prefixLength: 16, ifindex: 2, gateway: ip('192.0.2.1'), table: 7 },
    ],
    rules: [
      { priority: 10, fwmark: 1, table: 99 }, // a table that does not exist: skipped
      { priority: 11, fwmark: 1, table: 7 },
      { priority: 12, fwmark: 2, action: 'unreachable' },
    ],
  });

  it('skips a missing table and a table without the destination, stops at a match or an action', () => {
    const ifindexOf = (result: ReturnType<typeof routeLookup>) =>
      result.error === undefined ? result.nexthop.ifindex : result.error;
    expect(ifindexOf(routeLookup(network, flow('10.1.2.3', { mark: 1 })))).toBe(2);
    expect(ifindexOf(routeLookup(network, flow('10.2.0.1', { mark: 1 })))).toBe(3); // not in 7: main
    expect(ifindexOf(routeLookup(network, flow('10.1.2.3', { mark: 2 })))).toBe('ENETUNREACH');
    expect(ifindexOf(routeLookup(network, flow('10.1.2.3')))).toBe(3);
    expect(ifindexOf(routeLookup(network, flow('11.0.0.1')))).toBe('ENETUNREACH');
    // The local table comes first: a local address is a local route whatever the rules.
    const local = routeLookup(network, flow('198.51.100.1', { mark: 1 }));
    expect(local.error === undefined && local.route.type).toBe('local');
  });
});

describe('selectMultipath', () => {
  it('gives each live next hop a share by weight and skips dead ones', () => {
    const network = new Network({
      interfaces: [
        { ifindex: 2, name: 'a' },
        { ifindex: 3, name: 'b' },
        { ifindex: 4, name: 'c' },
      ],
      routes: [
        {
          prefix: ip('10.0.0.0'),
          prefixLength: 8,
          nexthops: [
            { ifindex: 2, weight: 1 },
            { ifindex: 3, weight: 2 },
            { ifindex: 4, weight: 100 },
          ],
        },
      ],
    });
    // The kernel refuses a route through a down device; one that goes down keeps a dead next hop.
    network.setUp(4, false);
    const route = network.routes()[0];
    expect(route.nexthops).toHaveLength(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const hop = selectMultipath(network, route, flow(`10.${i >> 8}.${i & 255}.1`));
      counts.set(hop.ifindex, (counts.get(hop.ifindex) ?? 0) + 1);
    }
    expect(counts.get(4)).toBeUndefined();
    const share = (counts.get(3) ?? 0) / 3000;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.73);
  });
});

describe('source addresses', () => {
  it('IPv4: the address holding the gateway, else the first of the device, else another device (not lo)', () => {
    const network = new Network({
      loopbackUp: true,
      interfaces: [
        {
          ifindex: 2,
          name: 'eth0',
          addresses: [
            { address: ip('192.0.2.10'), prefixLength: 24 },
            { address: ip('203.0.113.5'), prefixLength: 24 },
          ],
        },
        { ifindex: 3, name: 'eth1' },
      ],
      routes: [
        { prefix: ip('10.1.0.0'), prefixLength: 16, ifindex: 2, gateway: ip('203.0.113.1') },
        { prefix: ip('10.2.0.0'), prefixLength: 16, ifindex: 2, gateway: ip('10.9.9.9') },
        { prefix: ip('10.3.0.0'), prefixLength: 16, ifindex: 3 },
      ],
    });
    const source = (destination: string) => {
      const result = routeLookup(network, flow(destination));
      return result.error === undefined
        ? hex(preferredSource4(network, result.route, result.nexthop))
        : 'error';
    };
    expect(source('10.1.0.1')).toBe(hex(ip('203.0.113.5')));
    expect(source('10.2.0.1')).toBe(hex(ip('192.0.2.10')));
    expect(source('10.3.0.1')).toBe(hex(ip('192.0.2.10')));
    expect(source('127.0.0.1')).toBe(hex(ip('127.0.0.1')));
  });

  it('IPv6: output device first, then the same label, then the longest prefix; none without an address', () => {
    const network = new Network({
      interfaces: [
        {
          ifindex: 2,
          name: 'eth0',
          addresses: [
            { address: ip('2001:db8:1::1'), prefixLength: 64 },
            { address: ip('2002:c000:201::1'), prefixLength: 48 },
            { address: ip('2001:db8:77::1'), prefixLength: 64 },
          ],
        },
        { ifindex: 3, name: 'eth1', addresses: [{ address: ip('2001:db8:78::1'), prefixLength: 64 }] },
        { ifindex: 4, name: 'eth2' },
      ],
      routes: [
        { prefix: ip('::'), prefixLength: 0, ifindex: 2, gateway: ip('2001:db8:1::fe') },
        { prefix: ip('2001:db8:7f::'), prefixLength: 48, ifindex: 4 },
      ],
    });
    const source = (destination: string) => {
      const result = routeLookup(network, flow(destination));
      if (result.error !== undefined) return 'error';
      return hex(preferredSource6(network, result.route, result.nexthop, ip(destination)));
    };
    expect(source('2001:db8:78:1::5')).toBe(hex(ip('2001:db8:77::1'))); // eth0 beats eth1's longer prefix
    expect(source('2002:1234::1')).toBe(hex(ip('2002:c000:201::1'))); // the 6to4 label
    expect(source('2001:db8:1:5::1')).toBe(hex(ip('2001:db8:1::1'))); // the longest prefix
    // eth2 has no address: every device's count, and the longest prefix (13 bits past 2001:db8::/32) wins.
    expect(source('2001:db8:7f::1')).toBe(hex(ip('2001:db8:78::1')));
    expect(
      preferredSource6(new Network(), network.routes()[1], { ifindex: 4, weight: 1 }, ip('2001:db8::1')),
    ).toBe(undefined);
  });
});
