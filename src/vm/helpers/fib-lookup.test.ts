import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { SkbContext } from '../context/skb.js';
import { XdpContext } from '../context/xdp.js';
import { type NetworkDeclaration, parseIpAddress, parsePrefix } from '../network.js';
import { Vm } from '../vm.js';
import { fakeRun, signed } from './test-support.js';

const ip = (text: string) => parseIpAddress(text) ?? new Uint8Array(0);
const mac = (last: number) => Uint8Array.of(2, 0, 0, 0, 0, last);

/** A router: eth0 (2) and eth1 (3) forward; 10/8 via 192.0.2.1 on eth1, 192.0.2.0/24 on eth1, v6 likewise. */
const ROUTER: NetworkDeclaration = {
  interfaces: [
    { ifindex: 2, name: 'eth0', mac: mac(2), forwarding: true },
    { ifindex: 3, name: 'eth1', mac: mac(3), mtu: 1400, forwarding: true },
    { ifindex: 4, name: 'eth2', mac: mac(4) },
  ],
  routes: [
    { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 3, gateway: ip('192.0.2.1'), metric: 7 },
    { prefix: ip('192.0.2.0'), prefixLength: 24, ifindex: 3 },
    { prefix: ip('10.9.0.0'), prefixLength: 16, ifindex: 3, type: 'blackhole' },
    { prefix: ip('10.8.0.0'), prefixLength: 16, ifindex: 3, type: 'unreachable' },
    { prefix: ip('10.7.0.0'), prefixLength: 16, ifindex: 3, type: 'prohibit' },
    { prefix: ip('172.16.0.0'), prefixLength: 12, ifindex: 2, table: 100 },
    { prefix: ip('2001:db8::'), prefixLength: 32, ifindex: 3, gateway: ip('2001:db8:ff::1') },
  ],
  neighbours: [
    { address: ip('192.0.2.1'), ifindex: 3, mac: mac(0x21) },
    { address: ip('2001:db8:ff::1'), ifindex: 3, mac: mac(0x61) },
  ],
};

/** A struct bpf_fib_lookup with family, tot_len, ifindex, source and destination. */
function params(
  family: 'v4' | 'v6',
  destination: string,
  ifindex: number,
  totLength = 0,
  tbid = 0,
  source?: string,
): Uint8Array {
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  bytes[0] = family === 'v4' ? 2 : 10;
  view.setUint16(6, totLength, true);
  view.setUint32(8, ifindex, true);
  bytes.set(ip(destination), 32);
  if (source !== undefined) bytes.set(ip(source), 16);
  view.setUint32(48, tbid, true);
  return bytes;
}

function setup(kind: 'tc' | 'xdp', network: NetworkDeclaration = ROUTER, length = 100) {
  const vm = new Vm({ network });
  const frame = new Uint8Array(length);
  const packet =
    kind === 'tc'
      ? new SkbContext(vm.memory, { frame, linkLayer: true }).packet
      : new XdpContext(vm.memory, { bytes: frame }).packet;
  const f = fakeRun({ vm, packet, type: kind === 'tc' ? 'sched_cls' : 'xdp' });
  const lookup = (bytes: Uint8Array, flags = 0) => {
    const at = f.put(bytes);
    const result = signed(f.call('fib_lookup', 0, at, 64, flags));
    return { result, out: vm.memory.read(at, 64) };
  };
  return { lookup };
}

const u16 = (out: Uint8Array, at: number) => out[at] | (out[at + 1] << 8);
const u32 = (out: Uint8Array, at: number) => new DataView(out.buffer, out.byteOffset).getUint32(at, true);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('bpf_fib_lookup over declared routes', () => {
  it('forwards via the gateway: egress ifindex, metric, next hop, MACs, the MTU (tc: the device MTU)', () => {
    const { lookup } = setup('tc');
    const { result, out } = lookup(params('v4', '10.1.2.3', 2));
    expect(result).toBe(0);
    expect(u32(out, 8)).toBe(3);
    expect(u32(out, 12)).toBe(7);
    expect(hex(out.subarray(32, 36))).toBe(hex(ip('192.0.2.1')));
    expect(hex(out.subarray(52, 58))).toBe(hex(mac(3)));
    expect(hex(out.subarray(58, 64))).toBe(hex(mac(0x21)));
    expect(u16(out, 6)).toBe(1400);
  });

  it('says why it does not forward, in the kernel order', () => {
    const { lookup } = setup('tc');
    expect(lookup(params('v4', '10.1.2.3', 4)).result).toBe(5); // eth2: forwarding off
    expect(lookup(params('v4', '10.1.2.3', 1)).result).toBe(5); // lo: forwarding off
    expect(lookup(params('v4', '10.1.2.3', 9)).result).toBe(-ERRNO.ENODEV);
    expect(lookup(params('v4', '11.0.0.1', 2)).result).toBe(4); // no route
    expect(lookup(params('v4', '10.9.0.1', 2)).result).toBe(1);
    expect(lookup(params('v4', '10.8.0.1', 2)).result).toBe(2);
    expect(lookup(params('v4', '10.7.0.1', 2)).result).toBe(3);
    // A connected route: the destination itself is the next hop, and it has no neighbour entry.
    const direct = lookup(params('v4', '192.0.2.9', 2));
    expect(direct.result).toBe(7);
    expect(u32(direct.out, 8)).toBe(3);
    expect(lookup(params('v4', '192.0.2.9', 2), 4).result).toBe(0); // SKIP_NEIGH
    // IPv4 SRC never fails: with no address anywhere the kernel writes 0.0.0.0 and goes on to the neighbour.
    const source = lookup(params('v4', '192.0.2.9', 2, 0, 0, '10.9.9.9'), 16 | 4);
    expect(source.result).toBe(0);
    expect(hex(source.out.subarray(16, 20))).toBe('00000000');
    expect(lookup(params('v4', '10.1.2.3', 2), 0x40).result).toBe(-ERRNO.EINVAL);
  });

  it('checks tot_len against the route MTU (xdp always, tc when given) and reports it', () => {
    const xdp = setup('xdp');
    const big = xdp.lookup(params('v4', '10.1.2.3', 2, 1401));
    expect(big.result).toBe(8);
    expect(u16(big.out, 6)).toBe(1400);
    expect(u32(big.out, 8)).toBe(2); // nothing else written
    const fits = xdp.lookup(params('v4', '10.1.2.3', 2, 1400));
    expect(fits.result).toBe(0);
    expect(u16(fits.out, 6)).toBe(1400);
    expect(setup('tc').lookup(params('v4', '10.1.2.3', 2, 1500)).result).toBe(8);
    // tc without tot_len: the skb itself against the egress device (MTU + 14 + a VLAN tag).
    expect(setup('tc', ROUTER, 1418).lookup(params('v4', '10.1.2.3', 2)).result).toBe(0);
    const over = setup('tc', ROUTER, 1419).lookup(params('v4', '10.1.2.3', 2));
    expect(over.result).toBe(8);
    expect(u16(over.out, 6)).toBe(1400);
  });

  it('looks in one table with DIRECT|TBID, zeroing tbid; an unknown table is not forwarded', () => {
    const { lookup } = setup('tc');
    expect(lookup(params('v4', '172.16.0.1', 2)).result).toBe(4);
    const found = lookup(params('v4', '172.16.0.1', 3, 0, 100), 1 | 8 | 4);
    expect(found.result).toBe(0);
    expect(u32(found.out, 8)).toBe(2);
    expect(lookup(params('v4', '172.16.0.1', 3, 0, 99), 1 | 8).result).toBe(4);
  });

  it('IPv6: gateway, neighbour, link-local never forwarded, the kernel metric for user routes', () => {
    const { lookup } = setup('xdp');
    const { result, out } = lookup(params('v6', '2001:db8:1::5', 2));
    expect(result).toBe(0);
    expect(hex(out.subarray(32, 48))).toBe(hex(ip('2001:db8:ff::1')));
    expect(u32(out, 12)).toBe(1024);
    expect(hex(out.subarray(58, 64))).toBe(hex(mac(0x61)));
    expect(lookup(params('v6', 'fe80::1', 2)).result).toBe(4);
    expect(lookup(params('v6', '2001:db9::1', 2)).result).toBe(4);
  });
});

/** Two routed devices with addresses, policy rules, a multipath and an encapsulated route. */
const POLICY: NetworkDeclaration = {
  loopbackUp: true,
  interfaces: [
    {
      ifindex: 2,
      name: 'eth0',
      mac: mac(2),
      forwarding: true,
      addresses: [
        { address: ip('192.0.2.10'), prefixLength: 24 },
        { address: ip('192.0.2.11'), prefixLength: 24 }, // secondary: never a source
        { address: ip('2001:db8:2::10'), prefixLength: 64 },
      ],
    },
    {
      ifindex: 3,
      name: 'eth1',
      mac: mac(3),
      forwarding: true,
      addresses: [
        { address: ip('198.51.100.1'), prefixLength: 24 },
        { address: ip('2001:db8:3::1'), prefixLength: 64 },
      ],
    },
  ],
  routes: [
    { prefix: ip('0.0.0.0'), prefixLength: 0, ifindex: 2, gateway: ip('192.0.2.1') },
    { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 3, gateway: ip('198.51.100.254') },
    { prefix: ip('10.5.0.0'), prefixLength: 16, ifindex: 3, gateway: ip('198.51.100.254'), encap: true },
    {
      prefix: ip('10.6.0.0'),
      prefixLength: 16,
      preferredSource: ip('198.51.100.1'),
      nexthops: [
        { ifindex: 2, gateway: ip('192.0.2.1'), weight: 1 },
        { ifindex: 3, gateway: ip('198.51.100.254'), weight: 3 },
      ],
    },
    { prefix: ip('10.0.0.0'), prefixLength: 8, ifindex: 2, gateway: ip('192.0.2.7'), table: 100 },
    { prefix: ip('::'), prefixLength: 0, ifindex: 3, gateway: ip('2001:db8:3::fe') },
    { prefix: ip('2001:db8:99::'), prefixLength: 48, ifindex: 2, gateway: ip('2001:db8:2::1'), table: 100 },
  ],
  rules: [
    { priority: 100, fwmark: 7, table: 100 },
    { priority: 101, from: { prefix: ip('172.16.0.0'), prefixLength: 12 }, action: 'prohibit' },
    { priority: 102, to: { prefix: ip('10.7.0.0'), prefixLength: 16 }, action: 'blackhole' },
    { priority: 103, to: { prefix: ip('10.8.0.0'), prefixLength: 16 }, action: 'unreachable' },
    { priority: 104, iif: 'eth1', to: { prefix: ip('10.9.0.0'), prefixLength: 16 }, action: 'blackhole' },
    { priority: 100, fwmark: 7, fwmask: 0xff, table: 100, family: 'ipv6' },
    { priority: 101, to: { prefix: ip('2001:db8:66::'), prefixLength: 48 }, action: 'blackhole' },
  ],
  neighbours: [
    { address: ip('192.0.2.1'), ifindex: 2, mac: mac(0x21) },
    { address: ip('198.51.100.254'), ifindex: 3, mac: mac(0x31) },
  ],
};

const OUTPUT = 2;
const SKIP_NEIGH = 4;
const SRC = 16;
const MARK = 32;

/** params with a mark (MARK reads it at offset 52, the smac union). */
function marked(bytes: Uint8Array, mark: number): Uint8Array {
  new DataView(bytes.buffer).setUint32(52, mark, true);
  return bytes;
}

describe('bpf_fib_lookup with addresses, rules, multipath and lwt', () => {
  it('the kernel routes device addresses: local destinations are not forwarded, on-link ones are', () => {
    const { lookup } = setup('tc', POLICY);
    expect(lookup(params('v4', '192.0.2.10', 3)).result).toBe(4); // local
    expect(lookup(params('v4', '192.0.2.255', 3)).result).toBe(4); // broadcast
    expect(lookup(params('v4', '127.0.0.5', 3)).result).toBe(4); // lo's 127/8 is local
    const onLink = lookup(params('v4', '198.51.100.77', 2), SKIP_NEIGH | SRC);
    expect(onLink.result).toBe(0);
    expect(u32(onLink.out, 8)).toBe(3);
    expect(hex(onLink.out.subarray(16, 20))).toBe(hex(ip('198.51.100.1'))); // the prefix route's src
    expect(hex(onLink.out.subarray(32, 36))).toBe(hex(ip('198.51.100.77'))); // no gateway
    expect(lookup(params('v6', '2001:db8:2::10', 3)).result).toBe(4); // local
  });

  it('SRC: the device address holding the gateway (secondaries never), the route src, IPv6 by RFC 6724', () => {
    const { lookup } = setup('tc', POLICY);
    const viaDefault = lookup(params('v4', '203.0.113.9', 3), SRC);
    expect(viaDefault.result).toBe(0);
    expect(hex(viaDefault.out.subarray(16, 20))).toBe(hex(ip('192.0.2.10')));
    expect(hex(viaDefault.out.subarray(32, 36))).toBe(hex(ip('192.0.2.1')));
    const multipath = lookup(params('v4', '10.6.1.1', 3, 0, 0, '10.1.1.1'), SRC | SKIP_NEIGH);
    expect(hex(multipath.out.subarray(16, 20))).toBe(hex(ip('198.51.100.1')));
    const v6 = lookup(params('v6', '2001:db8:77::1', 2), SRC | SKIP_NEIGH);
    expect(v6.result).toBe(0);
    expect(u32(v6.out, 8)).toBe(3);
    expect(hex(v6.out.subarray(16, 32))).toBe(hex(ip('2001:db8:3::1'))); // the output device's
    expect(hex(v6.out.subarray(32, 48))).toBe(hex(ip('2001:db8:3::fe')));
    const sameSubnet = lookup(params('v6', '2001:db8:2::99', 3), SRC | SKIP_NEIGH);
    expect(hex(sameSubnet.out.subarray(16, 32))).toBe(hex(ip('2001:db8:2::10')));
    // Without any IPv6 address there is no source: NO_SRC_ADDR, after ifindex and metric were written.
    const bare = setup('tc').lookup(params('v6', '2001:db8:1::5', 2), SRC | SKIP_NEIGH);
    expect(bare.result).toBe(9);
    expect(u32(bare.out, 8)).toBe(3);
    expect(u32(bare.out, 12)).toBe(1024);
  });

  it('MARK feeds the fwmark rule (table 100); without MARK the mark is 0', () => {
    const { lookup } = setup('tc', POLICY);
    const plain = lookup(marked(params('v4', '10.1.2.3', 2), 7), SKIP_NEIGH);
    expect(u32(plain.out, 8)).toBe(3); // main: 10/8 via eth1
    const withMark = lookup(marked(params('v4', '10.1.2.3', 3), 7), SKIP_NEIGH | MARK);
    expect(withMark.result).toBe(0);
    expect(u32(withMark.out, 8)).toBe(2); // table 100: via eth0
    expect(hex(withMark.out.subarray(32, 36))).toBe(hex(ip('192.0.2.7')));
    expect(lookup(marked(params('v4', '10.1.2.3', 3), 8), SKIP_NEIGH | MARK).out[8]).toBe(3);
    // IPv6: fwmark 7/0xff matches 0x107 too; table 100 has 2001:db8:99::/48 only, then main's default.
    const v6 = lookup(marked(params('v6', '2001:db8:99::1', 3), 0x107), SKIP_NEIGH | MARK);
    expect(u32(v6.out, 8)).toBe(2);
    const v6Miss = lookup(marked(params('v6', '2001:db8:98::1', 3), 0x107), SKIP_NEIGH | MARK);
    expect(u32(v6Miss.out, 8)).toBe(3);
  });

  it('rule actions: IPv4 prohibit, blackhole and unreachable (the last not forwarded); IPv6 every action not forwarded', () => {
    const { lookup } = setup('tc', POLICY);
    expect(lookup(params('v4', '10.1.2.3', 2, 0, 0, '172.16.0.1')).result).toBe(3);
    expect(lookup(params('v4', '10.7.0.1', 2)).result).toBe(1);
    expect(lookup(params('v4', '10.8.0.1', 2)).result).toBe(4); // rule unreachable: -ENETUNREACH
    expect(lookup(params('v4', '10.9.0.1', 3)).result).toBe(1); // iif eth1
    expect(lookup(params('v4', '10.9.0.1', 2), SKIP_NEIGH).result).toBe(0); // iif eth0: main
    expect(lookup(params('v4', '10.9.0.1', 3), OUTPUT | SKIP_NEIGH).result).toBe(0); // output: iif is lo
    expect(lookup(params('v6', '2001:db8:66::1', 2)).result).toBe(4);
    // DIRECT skips the rules.
    expect(lookup(params('v4', '10.7.0.1', 2), 1 | SKIP_NEIGH).result).toBe(0);
  });

  it('OUTPUT: the next hop must be on the given device, else a shorter prefix (or nothing)', () => {
    const { lookup } = setup('tc', POLICY);
    const out = lookup(params('v4', '10.1.2.3', 2), OUTPUT | SKIP_NEIGH);
    expect(out.result).toBe(0);
    expect(u32(out.out, 8)).toBe(2); // 10/8 is on eth1: the default route on eth0 instead
    expect(hex(out.out.subarray(32, 36))).toBe(hex(ip('192.0.2.1')));
    const onEth1 = lookup(params('v4', '10.1.2.3', 3), OUTPUT | SKIP_NEIGH);
    expect(u32(onEth1.out, 8)).toBe(3);
    // The multipath route: the next hop on the output device, whatever its weight.
    for (const device of [2, 3]) {
      const hop = lookup(params('v4', '10.6.9.9', device), OUTPUT | SKIP_NEIGH);
      expect(u32(hop.out, 8)).toBe(device);
    }
  });

  it('multipath without OUTPUT: each flow sticks to one next hop, shared by weight (1:3)', () => {
    const { lookup } = setup('tc', POLICY);
    const chosen = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const source = `10.${(i >> 8) & 255}.${i & 255}.1`;
      const first = u32(lookup(params('v4', '10.6.1.1', 2, 0, 0, source), SKIP_NEIGH).out, 8);
      const again = u32(lookup(params('v4', '10.6.1.1', 2, 0, 0, source), SKIP_NEIGH).out, 8);
      expect(again).toBe(first);
      chosen.set(first, (chosen.get(first) ?? 0) + 1);
    }
    expect([...chosen.keys()].sort()).toEqual([2, 3]);
    expect(chosen.get(3) ?? 0).toBeGreaterThan(2 * (chosen.get(2) ?? 0));
  });

  it('the flow takes tos (IPv6: flowinfo), l4_protocol and ports from params, uid 0: rules on them follow', () => {
    const to = (text: string) => {
      const parsed = parsePrefix(text);
      if (parsed === undefined) throw new Error(text);
      return { prefix: parsed.prefix, prefixLength: parsed.prefixLength };
    };
    const { lookup } = setup('tc', {
      ...POLICY,
      rules: [
        ...(POLICY.rules ?? []),
        { priority: 90, to: to('10.30.0.0/16'), tos: 0x10, table: 100 },
        {
          priority: 91,
          to: to('10.31.0.0/16'),
          ipProtocol: 6,
          destinationPorts: { start: 80, end: 90 },
          table: 100,
        },
        { priority: 92, to: to('10.32.0.0/16'), sourcePorts: { start: 7, end: 7 }, table: 100 },
        { priority: 93, to: to('10.33.0.0/16'), uids: { start: 0, end: 0 }, table: 100 },
        { priority: 94, to: to('10.34.0.0/16'), uids: { start: 1, end: 5 }, table: 100 },
        { priority: 90, to: to('2001:db8:99:1::/64'), tos: 0x20, table: 100 },
      ],
    });
    // Table 100 answers through eth0 (2), main through eth1 (3).
    const egress = (bytes: Uint8Array, fill: (b: Uint8Array) => void) => {
      fill(bytes);
      return u32(lookup(bytes, SKIP_NEIGH).out, 8);
    };
    const v4 = (dst: string, fill: (b: Uint8Array) => void = () => {}) => egress(params('v4', dst, 2), fill);
    expect(v4('10.30.0.1', (b) => (b[12] = 0x10))).toBe(2);
    expect(v4('10.30.0.1', (b) => (b[12] = 0x33))).toBe(2); // the legacy TOS bits only
    expect(v4('10.30.0.1', (b) => (b[12] = 0x14))).toBe(3);
    expect(v4('10.30.0.1')).toBe(3);
    const port = (protocol: number, dport: number) => (b: Uint8Array) => {
      b[1] = protocol;
      b[4] = dport >> 8;
      b[5] = dport & 0xff;
    };
    expect(v4('10.31.0.1', port(6, 85))).toBe(2);
    expect(v4('10.31.0.1', port(6, 91))).toBe(3);
    expect(v4('10.31.0.1', port(17, 85))).toBe(3);
    expect(v4('10.32.0.1', (b) => (b[3] = 7))).toBe(2); // sport, network order
    expect(v4('10.32.0.1', (b) => (b[2] = 7))).toBe(3);
    expect(v4('10.33.0.1')).toBe(2); // the helper's uid is 0
    expect(v4('10.34.0.1')).toBe(3);
    const v6 = (flowinfo: number) =>
      egress(params('v6', '2001:db8:99:1::1', 2), (b) => new DataView(b.buffer).setUint32(12, flowinfo));
    expect(v6(0x0200_0000)).toBe(2); // traffic class 0x20
    expect(v6(0x0210_0000 | 0xbeef)).toBe(2); // ECN bits and the flow label aside
    expect(v6(0x0240_0000)).toBe(3);
  });

  it('an encapsulated route answers UNSUPP_LWT after the MTU check', () => {
    const xdp = setup('xdp', POLICY);
    expect(xdp.lookup(params('v4', '10.5.0.1', 2, 100)).result).toBe(6);
    const big = xdp.lookup(params('v4', '10.5.0.1', 2, 1501));
    expect(big.result).toBe(8);
    expect(u16(big.out, 6)).toBe(1500);
  });
});

describe('bpf_fib_lookup through an IPv6 gateway for an IPv4 route (RFC 5549)', () => {
  const network: NetworkDeclaration = {
    interfaces: [
      { ifindex: 2, name: 'eth0', mac: mac(2), forwarding: true },
      { ifindex: 3, name: 'eth1', mac: mac(3), forwarding: true },
    ],
    routes: [{ prefix: ip('10.4.0.0'), prefixLength: 16, ifindex: 3, gateway: ip('fe80::1') }],
    neighbours: [{ address: ip('fe80::1'), ifindex: 3, mac: mac(0x71) }],
  };

  it('turns the params into IPv6 ones: family, the gateway as destination, its IPv6 neighbour', () => {
    const { lookup } = setup('tc', network);
    const { result, out } = lookup(params('v4', '10.4.0.9', 2));
    expect(result).toBe(0);
    expect(out[0]).toBe(10);
    expect(hex(out.subarray(32, 48))).toBe(hex(ip('fe80::1')));
    expect(u32(out, 8)).toBe(3);
    expect(hex(out.subarray(58, 64))).toBe(hex(mac(0x71)));
    const { lookup: bare } = setup('tc', { ...network, neighbours: [] });
    const missing = bare(params('v4', '10.4.0.9', 2));
    expect(missing.result).toBe(7);
    expect(missing.out[0]).toBe(10); // written before the neighbour lookup
  });
});
