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
    for (const bad of ['256.0.0.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ''])
      expect(parseIpAddress(bad), bad).toBeUndefined();
    expect(parsePrefix('10.0.0.0/8')?.prefixLength).toBe(8);
    expect(parsePrefix('2001:db8::1')?.prefixLength).toBe(128);
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined();
    expect(parsePrefix('10.0.0.0/x')).toBeUndefined();
  });

  it('finds the longest prefix, then the lowest metric, per table', () => {
    const network = new Network({ interfaces: [{ ifindex: 2, name: 'eth0' }] });
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
    const network = new Network();
    const route = { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 1 };
    network.addRoute(route);
    expect(() => network.addRoute(route)).toThrow(/EEXIST/);
    expect(() => network.addRoute({ ...route, prefixLength: 16 })).not.toThrow();
    expect(() => network.addRoute({ ...route, prefix: ip('10.0.0.1') })).toThrow(/bits set past/);
    expect(() => network.addRoute({ ...route, prefixLength: 4 })).toThrow(/bits set past/);
    expect(() => network.addRoute({ ...route, ifindex: 2 })).toThrow(/no device/);
    expect(() => network.addRoute({ ...route, prefixLength: 33 })).toThrow(/prefix length/);
    expect(() => network.addRoute({ ...route, gateway: ip('::1') })).toThrow(/family/);
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
    expect(network.lookupSocket('udp', ip('10.0.0.9'), 9, ip('10.0.0.2'), 53)).toBeUndefined();
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
});
