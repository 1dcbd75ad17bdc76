import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { SkbContext } from '../context/skb.js';
import { XdpContext } from '../context/xdp.js';
import { type NetworkDeclaration, parseIpAddress } from '../network.js';
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
