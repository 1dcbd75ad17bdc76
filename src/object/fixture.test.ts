// Fixtures resolved against a real object: any JSON either resolves to bytes or is a FixtureError with a path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/corpus.js';
import { Bpf } from '../api/bpf.js';
import { FixtureError, parseFixture, resolveFixture } from './fixture.js';
import { openObject } from './open-object.js';

const lb = openObject(
  new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'progs', 'configured', 'lb_fixture.o'))),
  'lb_fixture.o',
);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('parseFixture: the network section', () => {
  it('takes devices, routes and neighbours', () => {
    const fixture = parseFixture(
      '{"network": {"devices": [{"ifindex": 2, "name": "eth0", "mtu": 1500, "forwarding": true}],' +
        ' "routes": [{"prefix": "10.0.0.0/8", "ifindex": 2, "via": "10.0.0.1"}],' +
        ' "neighbours": [{"address": "10.0.0.1", "ifindex": 2, "mac": "02:00:00:00:00:01"}]}}',
    );
    expect(fixture.network?.devices).toEqual([{ ifindex: 2, name: 'eth0', mtu: 1500, forwarding: true }]);
    expect(fixture.network?.routes?.[0].via).toBe('10.0.0.1');
  });

  it('takes a socket in a reuseport group', () => {
    const fixture = parseFixture(
      '{"network": {"sockets": [{"kind": "tcp-listen", "localAddress": "127.0.0.1", "localPort": 80, "reuseport": true}]}}',
    );
    expect(fixture.network?.sockets?.[0].reuseport).toBe(true);
  });

  it('takes whether lo and a device are up', () => {
    const fixture = parseFixture(
      '{"network": {"loopbackUp": true, "devices": [{"ifindex": 2, "name": "eth0", "up": false}]}}',
    );
    expect(fixture.network?.loopbackUp).toBe(true);
    expect(fixture.network?.devices?.[0].up).toBe(false);
  });

  it('takes request and time-wait sockets, IPV6_V6ONLY, bound devices and the namespace id', () => {
    const fixture = parseFixture(
      '{"network": {"netnsId": 5, "sockets": [' +
        '{"kind": "tcp-listen", "localAddress": "::", "localPort": 80, "v6Only": true, "boundDevice": 1},' +
        ' {"kind": "tcp-request", "localAddress": "::ffff:10.0.0.1", "localPort": 80,' +
        ' "remoteAddress": "::ffff:10.0.0.9", "remotePort": 1},' +
        ' {"kind": "tcp-time-wait", "localAddress": "10.0.0.1", "localPort": 2,' +
        ' "remoteAddress": "10.0.0.9", "remotePort": 80}]}}',
    );
    expect(fixture.network?.netnsId).toBe(5);
    const peers = parseFixture(
      '{"network": {"peers": [{"id": 7, "network": {"sockets": [{"kind": "udp", "localAddress": "::", "localPort": 1}]}}]}}',
    );
    expect(peers.network?.peers?.[0].network?.sockets?.[0].localPort).toBe(1);
    expect(fixture.network?.sockets?.map((s) => [s.kind, s.v6Only, s.boundDevice])).toEqual([
      ['tcp-listen', true, 1],
      ['tcp-request', undefined, undefined],
      ['tcp-time-wait', undefined, undefined],
    ]);
  });

  it('takes device addresses, multipath routes with src and encap, and policy rules', () => {
    const fixture = parseFixture(
      JSON.stringify({
        network: {
          devices: [
            { ifindex: 2, name: 'eth0', addresses: ['192.0.2.1/24', '2001:db8::1/64'] },
            { ifindex: 3, name: 'eth1', carrier: false },
          ],
          routes: [
            {
              prefix: '10.0.0.0/8',
              nexthops: [{ ifindex: 2, via: '192.0.2.9', weight: 3 }, { ifindex: 2 }],
              src: '192.0.2.1',
              encap: true,
              tos: 0x10,
            },
          ],
          rules: [
            { priority: 10, from: '10.1.0.0/16', fwmark: 1, iif: 'eth0', action: 'prohibit' },
            { tos: 0x08, ipproto: 6, sport: 7, dport: '80-90', uidrange: '100-200' },
          ],
        },
      }),
    );
    expect(fixture.network?.devices?.[0].addresses).toEqual(['192.0.2.1/24', '2001:db8::1/64']);
    expect(fixture.network?.routes?.[0].nexthops?.[0].weight).toBe(3);
    expect(fixture.network?.rules?.[0].action).toBe('prohibit');
    const bpf = new Bpf();
    bpf
      .openObject(readFileSync(join(REPO_ROOT, 'test', 'progs', 'net', 'fib_lookup.o')), 'fib_lookup.o')
      .applyFixture(fixture);
    const network = bpf.vm.network;
    expect(network.interface(3)?.carrier).toBe(false);
    expect(network.routes()[0].tos).toBe(0x10);
    const rule = network.rules('ipv4')[1];
    expect([rule.tos, rule.ipProtocol, rule.sourcePorts, rule.destinationPorts, rule.uids]).toEqual([
      0x08,
      6,
      { start: 7, end: 7 },
      { start: 80, end: 90 },
      { start: 100, end: 200 },
    ]);
  });

  it('names the JSON path of a bad member', () => {
    for (const [json, path, reason] of [
      [
        '{"network": {"devices": [{"ifindex": 2, "name": "x", "addresses": ["10.0.0.1/40"]}]}}',
        '$.network.devices[0].addresses[0]',
        /LENGTH/,
      ],
      [
        '{"network": {"routes": [{"prefix": "10.0.0.0/8", "nexthops": [{"via": "10.0.0.1"}]}]}}',
        '$.network.routes[0].nexthops[0].ifindex',
        /integer/,
      ],
      ['{"network": {"rules": [{"action": "drop"}]}}', '$.network.rules[0].action', /prohibit/],
      ['{"network": {"rules": [{"from": "10.0.0.0/x"}]}}', '$.network.rules[0].from', /LENGTH/],
      ['{"network": {"rules": [{"iif": 2}]}}', '$.network.rules[0].iif', /device name/],
      ['{"network": {"rules": [{"dport": "80-"}]}}', '$.network.rules[0].dport', /START-END/],
      ['{"network": {"rules": [{"uidrange": 5}]}}', '$.network.rules[0].uidrange', /START-END/],
      ['{"network": {"rules": [{"tos": "0x10"}]}}', '$.network.rules[0].tos', /integer/],
      [
        '{"network": {"devices": [{"ifindex": 2, "name": "x", "carrier": 0}]}}',
        '$.network.devices[0].carrier',
        /true or false/,
      ],
      ['{"network": []}', '$.network', /expected \{"devices"/],
      ['{"network": {"links": []}}', '$.network.links', /unknown key/],
      ['{"network": {"sockets": [{"kind": "raw"}]}}', '$.network.sockets[0].kind', /tcp-listen/],
      [
        '{"network": {"sockets": [{"kind": "udp", "localAddress": "::1"}]}}',
        '$.network.sockets[0].localPort',
        /integer/,
      ],
      [
        '{"network": {"devices": [{"ifindex": 0.5, "name": "x"}]}}',
        '$.network.devices[0].ifindex',
        /integer/,
      ],
      ['{"network": {"devices": [{"ifindex": 2}]}}', '$.network.devices[0].name', /string/],
      ['{"network": {"loopbackUp": 1}}', '$.network.loopbackUp', /true or false/],
      ['{"network": {"netnsId": "5"}}', '$.network.netnsId', /integer/],
      ['{"network": {"peers": [{"network": {}}]}}', '$.network.peers[0].id', /integer/],
      [
        '{"network": {"peers": [{"id": 1, "network": {"sockets": [{"kind": "tcp"}]}}]}}',
        '$.network.peers[0].network.sockets[0].kind',
        /tcp-listen/,
      ],
      [
        '{"network": {"peers": [{"id": 1, "network": {"peers": []}}]}}',
        '$.network.peers[0].network.peers',
        /no peers/,
      ],
      [
        '{"network": {"sockets": [{"kind": "udp", "localAddress": "::", "localPort": 1, "v6Only": 1}]}}',
        '$.network.sockets[0].v6Only',
        /true or false/,
      ],
      [
        '{"network": {"sockets": [{"kind": "udp", "localAddress": "::", "localPort": 1, "boundDevice": "lo"}]}}',
        '$.network.sockets[0].boundDevice',
        /integer/,
      ],
      [
        '{"network": {"sockets": [{"kind": "udp", "localAddress": "::1", "localPort": 1, "reuseport": 1}]}}',
        '$.network.sockets[0].reuseport',
        /true or false/,
      ],
      [
        '{"network": {"devices": [{"ifindex": 2, "name": "x", "up": "yes"}]}}',
        '$.network.devices[0].up',
        /true or false/,
      ],
      [
        '{"network": {"devices": [{"ifindex": 2, "name": "x", "mtu": "1"}]}}',
        '$.network.devices[0].mtu',
        /integer/,
      ],
      [
        '{"network": {"devices": [{"ifindex": 2, "name": "x", "mac": "x"}]}}',
        '$.network.devices[0].mac',
        /hex/,
      ],
      [
        '{"network": {"routes": [{"prefix": "10.0.0.0/33", "ifindex": 1}]}}',
        '$.network.routes[0].prefix',
        /LENGTH/,
      ],
      [
        '{"network": {"routes": [{"prefix": "::/0", "ifindex": 1, "via": "fe80::x"}]}}',
        '$.network.routes[0].via',
        /address/,
      ],
      [
        '{"network": {"routes": [{"prefix": "::/0", "ifindex": 1, "type": "nat"}]}}',
        '$.network.routes[0].type',
        /unicast/,
      ],
      [
        '{"network": {"neighbours": [{"address": "1.2.3.4", "ifindex": 1}]}}',
        '$.network.neighbours[0].mac',
        /hex/,
      ],
    ] as const) {
      const error = (() => {
        try {
          parseFixture(json, 'f.json');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, json).toBeInstanceOf(FixtureError);
      expect((error as FixtureError).path, json).toBe(path);
      expect((error as FixtureError).reason, json).toMatch(reason);
    }
  });
});

describe('resolveFixture', () => {
  it('resolves keys and values by BTF type or hex, per-CPU values for every CPU', () => {
    const resolved = resolveFixture(
      lb,
      {
        maps: {
          vips: {
            maxEntries: 8,
            entries: [{ key: { addr: 1, port: 2, proto: 6 }, value: 'ffffffff0000000001000000' }],
          },
          backend_stats: { entries: [{ key: 0, values: [{ packets: 1 }, { bytes: '0x10' }] }] },
        },
      },
      { cpus: 2 },
    );
    expect(resolved.maxEntries.get(lb.maps.findIndex((m) => m.name === 'vips'))).toBe(8);
    expect(
      resolved.entries.map((e) => [e.path, hex(e.key), 'bytes' in e.value ? hex(e.value.bytes) : '']),
    ).toEqual([
      ['$.maps.vips.entries[0]', '0100000002000600', 'ffffffff0000000001000000'],
      [
        '$.maps.backend_stats.entries[0]',
        '00000000',
        `${'0100000000000000'}${'0000000000000000'}${'0000000000000000'}${'1000000000000000'}`,
      ],
    ]);
  });

  it('names the fixture and the JSON path of bad JSON', () => {
    expect(() => parseFixture('{"maps": [}', 'f.json')).toThrow(/^f\.json: \$: bad JSON: /);
  });

  it('gives any JSON either bytes or a FixtureError, never another exception', () => {
    const mapNames = [...lb.maps.map((m) => m.name), 'nope'];
    const scalar = fc.oneof(
      fc.integer({ min: -5, max: 300 }),
      fc.constantFrom('VIP_F_DROP', '00', '0100000002000600', '18446744073709551615', '-1', 'x'),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { maxDepth: 3 },
        scalar,
        fc.array(tie('any'), { maxLength: 7 }),
        fc.dictionary(
          fc.constantFrom('addr', 'port', 'proto', 'pad', 'flags', 'mac', 'weight', 'packets', 'bytes', 'zz'),
          tie('any'),
          { maxKeys: 4 },
        ),
      ),
    })).any;
    // Near-valid keys and values of the object's types, mixed with arbitrary JSON, so cases reach every check.
    const byte = fc.integer({ min: 0, max: 256 });
    const nearKey = fc.oneof(
      fc.integer({ min: -1, max: 300 }),
      fc.constantFrom('01000000', '0100000002000600', '010000'),
      fc.record(
        { addr: fc.nat(), port: fc.integer({ min: 0, max: 70000 }), proto: byte },
        { requiredKeys: [] },
      ),
    );
    const nearValue = fc.oneof(
      fc.record(
        {
          flags: fc.constantFrom('VIP_F_DROP', 'VIP_F_NONE', 'VIP_F_NOPE', 2),
          first_backend: fc.nat(),
          backend_count: fc.integer({ min: -1, max: 10 }),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          addr: fc.nat(),
          mac: fc.array(byte, { minLength: 5, maxLength: 7 }),
          weight: fc.nat({ max: 70000 }),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        { packets: fc.nat(), bytes: fc.constantFrom('1', '18446744073709551616', 3) },
        { requiredKeys: [] },
      ),
    );
    const entry = fc.oneof(
      fc.record({ key: nearKey, value: nearValue }),
      fc.record({ key: value, value }, { requiredKeys: [] }),
    );
    const oneEntry = fc
      .tuple(fc.constantFrom(...mapNames), fc.record({ key: nearKey, value: nearValue }))
      .map(([name, one]) => ({ maps: { [name]: { entries: [one] } } }));
    const anyFixture = fc.record(
      {
        maps: fc.dictionary(
          fc.constantFrom(...mapNames),
          fc.record(
            {
              maxEntries: fc.oneof(fc.integer({ min: -1, max: 100 }), fc.constant('8')),
              entries: fc.array(entry, { maxLength: 4 }),
            },
            { requiredKeys: [] },
          ),
          { maxKeys: 3 },
        ),
        globals: fc.dictionary(fc.constantFrom('x', 'y'), value, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    );
    const fixture = fc.oneof(oneEntry, anyFixture);
    let resolved = 0;
    let resolvedBytes = 0;
    let refused = 0;
    let pastShape = 0;
    fc.assert(
      fc.property(fixture, (json) => {
        try {
          const result = resolveFixture(lb, json as never, { fixture: 'f.json', cpus: 2 });
          resolved++;
          if (result.entries.length > 0) resolvedBytes++;
        } catch (error) {
          expect(error).toBeInstanceOf(FixtureError);
          expect((error as FixtureError).path).toMatch(/^\$/);
          expect((error as Error).message.startsWith('f.json: $')).toBe(true);
          if (
            !/unknown key|expected \{|expected an (array|object with "maps")/.test(
              (error as FixtureError).reason,
            )
          ) {
            pastShape++;
          }
          refused++;
        }
      }),
      // A fixed seed: the floors below are about this generator reaching the code, not about luck.
      { numRuns: 1000, seed: 12 },
    );
    expect(resolved + refused).toBe(1000);
    // Most cases get past the shape check to the map, variable and BTF encoding checks.
    expect(pastShape + resolved).toBeGreaterThan(500);
    expect(resolved).toBeGreaterThan(20);
    // ... and some resolve entries to bytes (BTF-shaped or hex keys and values that fit).
    expect(resolvedBytes).toBeGreaterThan(20);
  });
});

describe('fixture network devices', () => {
  it('resolve with the default MTU and MAC, and refuse what is not an interface', () => {
    const resolved = resolveFixture(lb, {
      network: {
        devices: [
          { ifindex: 2, name: 'eth0' },
          { ifindex: 3, name: 'veth0', mtu: 9000, mac: '02:00:00:00:00:0A' },
        ],
      },
    });
    const devices = resolved.network.flatMap((item) =>
      item.kind === 'device' ? [{ path: item.path, ...item.device }] : [],
    );
    expect(devices.map((d) => [d.path, d.ifindex, d.name, d.mtu, d.mac && hex(d.mac)])).toEqual([
      ['$.network.devices[0]', 2, 'eth0', undefined, undefined],
      ['$.network.devices[1]', 3, 'veth0', 9000, '02000000000a'],
    ]);
    for (const [json, path] of [
      [{ network: { devices: {} } }, '$.network.devices'],
      [{ network: { devices: [{ ifindex: 2 }] } }, '$.network.devices[0].name'],
      [{ network: { devices: [{ ifindex: '2', name: 'x' }] } }, '$.network.devices[0].ifindex'],
      [{ network: { devices: [{ ifindex: 2, name: 'x', speed: 1 }] } }, '$.network.devices[0].speed'],
      [{ network: { devices: [{ ifindex: 2, name: 'x', mtu: 1.5 }] } }, '$.network.devices[0].mtu'],
    ] as const) {
      expect(() => resolveFixture(lb, json as never)).toThrow(FixtureError);
      try {
        resolveFixture(lb, json as never);
      } catch (error) {
        expect((error as FixtureError).path).toBe(path);
      }
    }
  });
});
