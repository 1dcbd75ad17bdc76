import { describe, expect, it } from 'vitest';
import { LOOPBACK, Network, parseIpAddress, parsePrefix } from './network.js';

describe('Network', () => {
  it('holds lo alone by default', () => {
    const network = new Network();
    expect(network.interfaces()).toEqual([LOOPBACK]);
    expect(network.routes()).toEqual([]);
    expect(network.interface(1)?.mtu).toBe(65536);
    expect(network.interface(2)).toBeUndefined();
  });

  it('takes declared interfaces and refuses bad or clashing ones', () => {
    const network = new Network();
    const mac = Uint8Array.of(2, 0, 0, 0, 0, 9);
    network.add({ ifindex: 9, name: 'veth0', mtu: 1500, mac });
    mac[5] = 0;
    expect(network.interfaceByName('veth0')?.mac[5]).toBe(9);
    expect(() => network.add({ ifindex: 9, name: 'veth1', mtu: 1500, mac })).toThrow(/already veth0/);
    expect(() => network.add({ ifindex: 10, name: 'veth0', mtu: 1500, mac })).toThrow(/already ifindex 9/);
    expect(() => network.add({ ifindex: 0, name: 'x', mtu: 1500, mac })).toThrow(/ifindex 0/);
    expect(() => network.add({ ifindex: 11, name: 'a:b', mtu: 1500, mac })).toThrow(/interface name/);
    expect(() => network.add({ ifindex: 11, name: 'b', mtu: 1500, mac: new Uint8Array(4) })).toThrow(
      /6 bytes/,
    );
    expect(network.interfaces().map((i) => i.ifindex)).toEqual([1, 9]);
  });

  it('keeps lo down as a fresh namespace does; declared devices are up unless said otherwise', () => {
    const network = new Network({
      interfaces: [
        { ifindex: 2, name: 'eth0' },
        { ifindex: 3, name: 'eth1', up: false },
      ],
    });
    expect([1, 2, 3].map((i) => network.interface(i)?.up)).toEqual([false, true, false]);
    network.setUp(1, true);
    expect(network.interface(1)?.up).toBe(true);
    expect(new Network({ loopbackUp: true }).interface(1)?.up).toBe(true);
    expect(() => network.setUp(4, true)).toThrow(/no device with ifindex 4/);
  });
});

describe('routes and neighbours', () => {
  const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);

  it('parses IPv4 and IPv6 addresses and prefixes', () => {
    expect([...ip('192.0.2.1')]).toEqual([192, 0, 2, 1]);
    expect(Buffer.from(ip('2001:db8::1')).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(Buffer.from(ip('::')).toString('hex')).toBe('0'.repeat(32));
    expect(Buffer.from(ip('::ffff:10.0.0.1')).toString('hex')).toBe('00000000000000000000ffff0a000001');
    expect(Buffer.from(ip('64:ff9b::192.0.2.1')).toString('hex')).toBe('0064ff9b0000000000000000c0000201');
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      'fe80::1%eth0',
      '',
      '::1.2.3.256',
    ])
      expect(parseIpAddress(bad), bad).toBeUndefined();
    expect(parsePrefix('10.0.0.0/8')?.prefixLength).toBe(8);
    expect(parsePrefix('2001:db8::1')?.prefixLength).toBe(128);
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined();
    expect(parsePrefix('10.0.0.0/x')).toBeUndefined();
  });

  it('finds the longest prefix, then the lowest metric, per table', () => {
    const network = new Network({ loopbackUp: true, interfaces: [{ ifindex: 2, name: 'eth0' }] });
    network.addRoute({ prefix: ip('0.0.0.0'), prefixLength: 0, ifindex: 2, metric: 5 });
    network.addRoute({ prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 2, metric: 9 });
    network.addRoute({ prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 1, metric: 3 });
    network.addRoute({ prefix: ip('10.1.0.0'), prefixLength: 16, ifindex: 2, table: 7 });
    expect(network.lookupRoute(ip('10.1.2.3'))?.ifindex).toBe(1);
    expect(network.lookupRoute(ip('11.0.0.1'))?.metric).toBe(5);
    expect(network.lookupRoute(ip('10.1.2.3'), 7)?.prefixLength).toBe(16);
    expect(network.lookupRoute(ip('::1'))).toBeUndefined();
  });

  it('refuses bad routes and neighbours with the reason', () => {
    const network = new Network({ loopbackUp: true });
    const route = { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 1 };
    network.addRoute(route);
    expect(() => network.addRoute(route)).toThrow(/EEXIST/);
    expect(() => network.addRoute({ ...route, prefixLength: 16 })).not.toThrow();
    expect(() => network.addRoute({ ...route, prefix: ip('10.0.0.1') })).toThrow(/bits set past/);
    expect(() => network.addRoute({ ...route, prefixLength: 4 })).toThrow(/bits set past/);
    expect(() => network.addRoute({ ...route, ifindex: 2 })).toThrow(/no device/);
    expect(() => network.addRoute({ ...route, prefixLength: 33 })).toThrow(/prefix length/);
    // An IPv4 route may have an IPv6 gateway (RFC 5549), not the other way round.
    expect(() => network.addRoute({ ...route, prefixLength: 12, gateway: ip('fe80::1') })).not.toThrow();
    expect(() =>
      network.addRoute({ prefix: ip('2001:db8::'), prefixLength: 32, ifindex: 1, gateway: ip('10.0.0.1') }),
    ).toThrow(/family/);
    expect(() => network.addRoute({ ...route, prefix: new Uint8Array(5) })).toThrow(/4 \(IPv4\)/);
    expect(() =>
      network.addNeighbour({ address: ip('10.0.0.1'), ifindex: 2, mac: new Uint8Array(6) }),
    ).toThrow(/no device/);
    network.addNeighbour({ address: ip('10.0.0.1'), ifindex: 1, mac: new Uint8Array(6) });
    network.addNeighbour({ address: ip('10.0.0.1'), ifindex: 1, mac: Uint8Array.of(1, 2, 3, 4, 5, 6) });
    expect(network.neighbour(1, ip('10.0.0.1'))?.mac[5]).toBe(6);
  });
});

describe('sockets', () => {
  const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);

  it('finds the exact 4-tuple first, then the bound address, then the wildcard, per protocol and family', () => {
    const network = new Network({
      sockets: [
        { kind: 'tcp-listen', localAddress: ip('0.0.0.0'), localPort: 80 },
        { kind: 'tcp-listen', localAddress: ip('10.0.0.1'), localPort: 80, uid: 33 },
        {
          kind: 'tcp-established',
          localAddress: ip('10.0.0.1'),
          localPort: 80,
          remoteAddress: ip('10.0.0.9'),
          remotePort: 5000,
        },
        { kind: 'udp', localAddress: ip('::'), localPort: 53, cookie: 77n },
      ],
    });
    const [wild, bound, established, udp] = network.sockets();
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 5000, ip('10.0.0.1'), 80)).toBe(established);
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 5001, ip('10.0.0.1'), 80)).toBe(bound);
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 5001, ip('10.0.0.2'), 80)).toBe(wild);
    expect(network.lookupSocket('udp', ip('10.0.0.9'), 5001, ip('10.0.0.2'), 80)).toBeUndefined();
    expect(network.lookupSocket('udp', ip('2001:db8::1'), 9, ip('2001:db8::2'), 53)).toBe(udp);
    // net.ipv6.bindv6only is 0: a UDP socket on :: takes IPv4 too.
    expect(network.lookupSocket('udp', ip('10.0.0.9'), 9, ip('10.0.0.2'), 53)).toBe(udp);
    expect(udp.cookie).toBe(77n);
    expect(bound.uid).toBe(33);
    expect(wild.cookie).toBe(1n << 32n);
  });

  it('refuses what bind and connect would, and bad values', () => {
    const network = new Network();
    const listener = { kind: 'tcp-listen' as const, localAddress: ip('127.0.0.1'), localPort: 80 };
    network.addSocket(listener);
    expect(() => network.addSocket(listener)).toThrow(/EADDRINUSE/);
    expect(() => network.addSocket({ ...listener, kind: 'udp' })).not.toThrow();
    expect(() => network.addSocket({ ...listener, localPort: 0 })).toThrow(/local port/);
    expect(() => network.addSocket({ ...listener, kind: 'tcp-established' })).toThrow(/remote address/);
    expect(() =>
      network.addSocket({ ...listener, localPort: 81, remoteAddress: ip('::1'), remotePort: 1 }),
    ).toThrow(/listening socket/);
    expect(() =>
      network.addSocket({
        kind: 'udp',
        localAddress: ip('127.0.0.1'),
        localPort: 9,
        remoteAddress: ip('::1'),
        remotePort: 1,
      }),
    ).toThrow(/family/);
    expect(() => network.addSocket({ ...listener, localPort: 82, cookie: 0n })).toThrow(/cookie/);
    expect(() => network.setCookie(0n)).toThrow(/cookie/);
    // SO_REUSEPORT groups hold listeners and unconnected UDP sockets; a group has one socket here.
    expect(network.addSocket({ ...listener, localPort: 83, reuseport: true }).reuseport).toBe(true);
    expect(() => network.addSocket({ ...listener, localPort: 83, reuseport: true })).toThrow(/EADDRINUSE/);
    expect(() =>
      network.addSocket({
        kind: 'tcp-established',
        localAddress: ip('127.0.0.1'),
        localPort: 84,
        remoteAddress: ip('127.0.0.1'),
        remotePort: 1,
        reuseport: true,
      }),
    ).toThrow(/reuseport group/);
  });

  it('answers IPv4 lookups from dual-stack and IPv4-mapped IPv6 sockets, never from IPV6_V6ONLY ones', () => {
    const network = new Network({
      sockets: [
        { kind: 'tcp-listen', localAddress: ip('::'), localPort: 80 },
        { kind: 'tcp-listen', localAddress: ip('::'), localPort: 81, v6Only: true },
        { kind: 'tcp-listen', localAddress: ip('::ffff:10.0.0.1'), localPort: 82 },
        { kind: 'tcp-listen', localAddress: ip('2001:db8::1'), localPort: 83 },
        { kind: 'tcp-listen', localAddress: ip('0.0.0.0'), localPort: 82 },
      ],
    });
    const [dual, v6only, mapped, specific, v4wild] = network.sockets();
    expect(dual.v6Only).toBe(false);
    expect(specific.v6Only).toBe(true);
    const from = ip('10.0.0.9');
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 80)).toBe(dual);
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 81)).toBeUndefined();
    expect(network.lookupSocket('tcp', ip('2001:db8::9'), 1, ip('2001:db8::2'), 81)).toBe(v6only);
    // The bound address's bucket first, then the wildcard's.
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 82)).toBe(mapped);
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.2'), 82)).toBe(v4wild);
    expect(network.lookupSocket('tcp', ip('::ffff:10.0.0.9'), 1, ip('::ffff:10.0.0.1'), 82)).toBe(mapped);
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 83)).toBeUndefined();
    // An IPv6 lookup of a mapped address reaches a v6-only wildcard listener (the kernel checks no flag there).
    expect(network.lookupSocket('tcp', ip('::ffff:10.0.0.9'), 1, ip('::ffff:10.0.0.1'), 81)).toBe(v6only);
    expect(() =>
      network.addSocket({ kind: 'tcp-listen', localAddress: ip('10.0.0.3'), localPort: 80 }),
    ).not.toThrow();
    expect(() =>
      network.addSocket({ kind: 'tcp-listen', localAddress: ip('0.0.0.0'), localPort: 80 }),
    ).toThrow(/EADDRINUSE/);
  });

  it('matches bound devices against the lookup device, preferring a bound socket', () => {
    const network = new Network({
      interfaces: [{ ifindex: 2, name: 'eth0' }],
      sockets: [
        { kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 53, boundDevice: 2 },
        { kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 53, boundDevice: 1 },
        { kind: 'tcp-listen', localAddress: ip('10.0.0.1'), localPort: 80, boundDevice: 2 },
        { kind: 'tcp-listen', localAddress: ip('0.0.0.0'), localPort: 80 },
      ],
    });
    const [eth0, lo, boundListener, wildListener] = network.sockets();
    const from = ip('10.0.0.9');
    expect(network.lookupSocket('udp', from, 1, ip('10.0.0.1'), 53, 2)).toBe(eth0);
    expect(network.lookupSocket('udp', from, 1, ip('10.0.0.1'), 53, 1)).toBe(lo);
    expect(network.lookupSocket('udp', from, 1, ip('10.0.0.1'), 53, 3)).toBeUndefined();
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 80, 2)).toBe(boundListener);
    expect(network.lookupSocket('tcp', from, 1, ip('10.0.0.1'), 80, 1)).toBe(wildListener);
    expect(() =>
      network.addSocket({ kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 53, boundDevice: 2 }),
    ).toThrow(/EADDRINUSE/);
    expect(() => network.addSocket({ kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 53 })).toThrow(
      /EADDRINUSE/,
    );
    expect(() =>
      network.addSocket({ kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 54, boundDevice: 9 }),
    ).toThrow(/ENODEV/);
  });

  it('keeps request and time-wait sockets in the 4-tuple table, a request socket under its listener', () => {
    const network = new Network({
      interfaces: [{ ifindex: 2, name: 'eth0' }],
      sockets: [
        { kind: 'tcp-listen', localAddress: ip('0.0.0.0'), localPort: 80, boundDevice: 2 },
        {
          kind: 'tcp-request',
          localAddress: ip('10.0.0.1'),
          localPort: 80,
          remoteAddress: ip('10.0.0.9'),
          remotePort: 5000,
        },
        {
          kind: 'tcp-time-wait',
          localAddress: ip('10.0.0.1'),
          localPort: 40000,
          remoteAddress: ip('10.0.0.9'),
          remotePort: 80,
        },
      ],
    });
    const [listener, request, timeWait] = network.sockets();
    expect(request.boundDevice).toBe(2);
    expect(network.listenerOf(request)).toBe(listener);
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 5000, ip('10.0.0.1'), 80, 2)).toBe(request);
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 5001, ip('10.0.0.1'), 80, 2)).toBe(listener);
    expect(network.lookupSocket('tcp', ip('10.0.0.9'), 80, ip('10.0.0.1'), 40000)).toBe(timeWait);
    const base = { localAddress: ip('10.0.0.1'), remoteAddress: ip('10.0.0.9'), remotePort: 1 };
    expect(() => network.addSocket({ ...base, kind: 'tcp-request', localPort: 81 })).toThrow(/listener/);
    expect(() =>
      network.addSocket({ ...base, kind: 'tcp-time-wait', localPort: 40000, remotePort: 80 }),
    ).toThrow(/4-tuple/);
    expect(() =>
      network.addSocket({ ...base, kind: 'tcp-time-wait', localPort: 4, localAddress: ip('0.0.0.0') }),
    ).toThrow(/specific local address/);
    // Of two listeners on the address and port bound to different devices, a request socket belongs to its device's.
    network.addSocket({ kind: 'tcp-listen', localAddress: ip('10.0.0.1'), localPort: 90, boundDevice: 1 });
    const eth0 = network.addSocket({
      kind: 'tcp-listen',
      localAddress: ip('10.0.0.1'),
      localPort: 90,
      boundDevice: 2,
    });
    const onEth0 = network.addSocket({ ...base, kind: 'tcp-request', localPort: 90, boundDevice: 2 });
    expect(network.listenerOf(onEth0)).toBe(eth0);
    expect(() => network.addSocket({ ...base, kind: 'tcp-request', localPort: 80, boundDevice: 1 })).toThrow(
      /listener's device/,
    );
  });

  it('refuses bad IPv6 options and mixed mapped addresses', () => {
    const network = new Network({
      sockets: [{ kind: 'tcp-listen', localAddress: ip('::'), localPort: 80 }],
    });
    expect(() =>
      network.addSocket({ kind: 'udp', localAddress: ip('10.0.0.1'), localPort: 1, v6Only: true }),
    ).toThrow(/IPV6_V6ONLY/);
    expect(() =>
      network.addSocket({ kind: 'udp', localAddress: ip('::ffff:10.0.0.1'), localPort: 1, v6Only: true }),
    ).toThrow(/EINVAL/);
    expect(() =>
      network.addSocket({
        kind: 'tcp-established',
        localAddress: ip('::ffff:10.0.0.1'),
        localPort: 2,
        remoteAddress: ip('2001:db8::1'),
        remotePort: 1,
      }),
    ).toThrow(/IPv4-mapped/);
    // A SYN over IPv4 to a dual-stack listener makes an IPv6 request socket: declared with mapped addresses.
    expect(() =>
      network.addSocket({
        kind: 'tcp-request',
        localAddress: ip('10.0.0.1'),
        localPort: 80,
        remoteAddress: ip('10.0.0.9'),
        remotePort: 1,
      }),
    ).toThrow(/IPv4-mapped/);
    expect(() =>
      network.addSocket({
        kind: 'tcp-request',
        localAddress: ip('::ffff:10.0.0.1'),
        localPort: 80,
        remoteAddress: ip('::ffff:10.0.0.9'),
        remotePort: 1,
      }),
    ).not.toThrow();
    expect(() => network.setSelfId(-1)).toThrow(/netns id/);
  });

  it('knows itself and its peers by netns id, each with its own sockets', () => {
    const network = new Network({
      netnsId: 5,
      sockets: [{ kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 53 }],
      peers: [{ id: 7, network: { sockets: [{ kind: 'udp', localAddress: ip('0.0.0.0'), localPort: 54 }] } }],
    });
    const peer = network.namespaceById(7);
    expect(network.namespaceById(5)).toBe(network);
    expect(network.namespaceById(0)).toBeUndefined();
    expect(peer?.lookupSocket('udp', ip('10.0.0.9'), 1, ip('10.0.0.1'), 54)).toBe(peer?.sockets()[0]);
    expect(peer?.lookupSocket('udp', ip('10.0.0.9'), 1, ip('10.0.0.1'), 53)).toBeUndefined();
    expect(() => network.addPeer(7)).toThrow(/taken/);
    expect(() => network.addPeer(5)).toThrow(/taken/);
    expect(() => network.addPeer(-1)).toThrow(/netns id/);
    expect(() => network.setSelfId(7)).toThrow(/peer/);
  });
});

describe('addresses and rules', () => {
  const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);
  const show = (network: Network, table: number) =>
    network
      .routes()
      .filter((r) => r.table === table)
      .map((r) => `${r.type} ${[...r.prefix].join('.')}/${r.prefixLength} dev ${r.ifindex}`);

  it('lo up has 127.0.0.1/8 and ::1; an up device gets local, broadcast and prefix routes, a down one none', () => {
    const network = new Network({
      loopbackUp: true,
      interfaces: [
        { ifindex: 2, name: 'eth0', addresses: [{ address: ip('10.1.2.3'), prefixLength: 24 }] },
        { ifindex: 3, name: 'eth1', up: false, addresses: [{ address: ip('10.9.9.9'), prefixLength: 8 }] },
      ],
    });
    expect(network.interface(1)?.addresses.map((a) => a.address.length)).toEqual([4, 16]);
    expect(show(network, 255)).toContain('local 10.1.2.3/32 dev 2');
    expect(show(network, 255)).toContain('broadcast 10.1.2.255/32 dev 2');
    expect(show(network, 255)).toContain('local 127.0.0.0/8 dev 1');
    // With the IPv4 prefix, the fe80::/64 every configured IPv6 device has (lo none).
    expect(show(network, 254)).toEqual([
      `unicast 254.128.${'0.'.repeat(13)}0/64 dev 2`,
      'unicast 10.1.2.0/24 dev 2',
    ]);
    expect(show(network, 255)).toContain(`local ${'0.'.repeat(15)}1/128 dev 1`);
    expect(network.routes().some((r) => r.ifindex === 3)).toBe(false);
    network.setUp(3, true);
    expect(show(network, 254)).toContain('unicast 10.0.0.0/8 dev 3');
    expect(() => network.addAddress(2, { address: ip('10.1.2.3'), prefixLength: 16 })).toThrow(/EEXIST/);
    expect(() => network.addAddress(2, { address: ip('10.1.2.4'), prefixLength: 40 })).toThrow(
      /prefix length/,
    );
  });

  it('keeps the default rules and puts a rule without priority one below the second', () => {
    const network = new Network();
    expect(network.rules('ipv4').map((r) => `${r.priority}:${r.table}`)).toEqual([
      '0:255',
      '32766:254',
      '32767:253',
    ]);
    expect(network.rules('ipv6').map((r) => `${r.priority}:${r.table}`)).toEqual(['0:255', '32766:254']);
    network.addRule({ table: 7 });
    network.addRule({ fwmark: 1, table: 8 });
    expect(network.rules('ipv4').map((r) => `${r.priority}:${r.table}`)).toEqual([
      '0:255',
      '32764:8',
      '32765:7',
      '32766:254',
      '32767:253',
    ]);
    expect(network.rules('ipv4')[1].fwmask).toBe(0xffff_ffff);
    expect(network.hasCustomRules('ipv6')).toBe(false);
    expect(() => network.addRule({ from: { prefix: ip('10.0.0.1'), prefixLength: 8 } })).toThrow(
      /bits set past/,
    );
    expect(() =>
      network.addRule({ family: 'ipv6', to: { prefix: ip('10.0.0.0'), prefixLength: 8 } }),
    ).toThrow(/not an ipv6 prefix/);
  });

  it("refuses a rule's tos with ECN bits (IPv4: beyond the legacy TOS bits), bad ranges and protocols", () => {
    const network = new Network();
    expect(() => network.addRule({ tos: 0x11 })).toThrow('Invalid dsfield (tos): ECN bits must be 0');
    expect(() => network.addRule({ tos: 0x20 })).toThrow('Invalid tos');
    expect(() => network.addRule({ family: 'ipv6', tos: 0x20 })).not.toThrow();
    expect(() => network.addRule({ family: 'ipv6', tos: 0x21 })).toThrow(/ECN/);
    expect(() => network.addRule({ ipProtocol: 256 })).toThrow(/ipproto/);
    expect(() => network.addRule({ destinationPorts: { start: 90, end: 80 } })).toThrow(
      'Invalid dport range',
    );
    expect(() => network.addRule({ sourcePorts: { start: 0, end: 5 } })).toThrow('Invalid sport range');
    expect(() => network.addRule({ uids: { start: 5, end: 2 ** 32 } })).toThrow('Invalid uid range');
    network.addRule({
      tos: 0x1c,
      ipProtocol: 6,
      sourcePorts: { start: 1, end: 65534 },
      uids: { start: 0, end: 9 },
    });
    const rule = network.rules('ipv4')[1];
    expect([rule.tos, rule.ipProtocol, rule.sourcePorts?.end, rule.uids?.end]).toEqual([0x1c, 6, 65534, 9]);
  });

  it('IPv4 routes take a tos without ECN bits (IPv6 none); the same prefix and metric may differ by tos', () => {
    const network = new Network({ loopbackUp: true });
    const route = { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 1 };
    network.addRoute({ ...route, tos: 0x10 });
    network.addRoute(route);
    expect(() => network.addRoute({ ...route, tos: 0x10 })).toThrow(/EEXIST/);
    expect(() => network.addRoute({ ...route, tos: 0x12 })).toThrow(
      'Invalid dsfield (tos): ECN bits must be 0',
    );
    expect(() =>
      network.addRoute({ prefix: ip('2001:db8::'), prefixLength: 32, ifindex: 1, tos: 0x10 }),
    ).toThrow('option not available for IPv6');
  });

  it('refuses a route through a down device and deletes those through a device going down', () => {
    const network = new Network({
      interfaces: [
        { ifindex: 2, name: 'eth0', addresses: [{ address: ip('192.0.2.10'), prefixLength: 24 }] },
        { ifindex: 3, name: 'eth1', up: false },
      ],
    });
    const to = (text: string) => ({ prefix: ip(text), prefixLength: 16 });
    expect(() => network.addRoute({ ...to('10.1.0.0'), ifindex: 3 })).toThrow(
      'Device for nexthop is not up (ENETDOWN)',
    );
    expect(() => network.addRoute({ ...to('10.1.0.0'), ifindex: 3, gateway: ip('192.0.2.1') })).toThrow(
      'Nexthop has invalid gateway',
    );
    expect(() => network.addRoute({ prefix: ip('2001:db8::'), prefixLength: 32, ifindex: 3 })).toThrow(
      'Nexthop device is not up (ENETDOWN)',
    );
    expect(() =>
      network.addRoute({
        prefix: ip('2001:db8::'),
        prefixLength: 32,
        ifindex: 3,
        gateway: ip('2001:db8:1::1'),
      }),
    ).toThrow('No route to host (EHOSTUNREACH)');
    expect(() => network.addRoute({ ...to('10.9.0.0'), type: 'blackhole' })).not.toThrow();
    network.setUp(3, true);
    network.addRoute({ ...to('10.1.0.0'), ifindex: 3 });
    network.addRoute({ prefix: ip('2001:db8::'), prefixLength: 32, ifindex: 3 });
    network.addRoute({
      ...to('10.2.0.0'),
      nexthops: [{ ifindex: 3 }, { ifindex: 2, gateway: ip('192.0.2.1') }],
    });
    network.setUp(3, false);
    const declared = network.routes().filter((r) => r.origin === 'declared');
    // The multipath route keeps its dead next hop; the others on eth1 are gone, and do not come back with it.
    expect(declared.map((r) => `${[...r.prefix.subarray(0, 2)].join('.')} ${r.nexthops.length}`)).toEqual([
      '10.9 0',
      '10.2 2',
    ]);
    network.setUp(3, true);
    expect(network.routes().filter((r) => r.origin === 'declared')).toHaveLength(2);
  });

  it('fe80::/64 on each up device with its link and an IPv6 MTU, not lo', () => {
    const network = new Network({
      loopbackUp: true,
      interfaces: [
        { ifindex: 2, name: 'a' },
        { ifindex: 3, name: 'b', carrier: false },
        { ifindex: 4, name: 'c', mtu: 1279 },
        { ifindex: 5, name: 'd', up: false },
        { ifindex: 6, name: 'e', mtu: 1280 },
      ],
    });
    const linkLocal = network.routes().filter((r) => r.prefix[0] === 0xfe && r.prefix[1] === 0x80);
    expect(linkLocal.map((r) => `${r.ifindex} ${r.prefixLength} ${r.metric} ${r.table}`)).toEqual([
      '2 64 256 254',
      '6 64 256 254',
    ]);
  });
});
