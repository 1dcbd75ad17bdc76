import { describe, expect, it } from 'vitest';
import { SkbContext } from '../context/skb.js';
import { XdpContext } from '../context/xdp.js';
import { u32Bytes } from '../maps/bpf-map.js';
import { Vm } from '../vm.js';
import { clonesOf, redirectOf } from './redirect-helpers.js';
import { fakeRun } from './test-support.js';

const frame = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i & 0xff);
const BROADCAST = 1 << 3;
const EXCLUDE_INGRESS = 1 << 4;

function tc() {
  const vm = new Vm();
  const context = new SkbContext(vm.memory, { frame: frame(64), linkLayer: true });
  return { f: fakeRun({ vm, packet: context.packet, type: 'sched_cls' }), context };
}

function xdp() {
  const vm = new Vm({
    cpus: 2,
    network: { interfaces: [{ ifindex: 7, name: 'veth0', mtu: 1500, mac: Uint8Array.of(2, 0, 0, 0, 0, 7) }] },
  });
  const context = new XdpContext(vm.memory, { bytes: frame(64) });
  return { f: fakeRun({ vm, packet: context.packet, type: 'xdp' }), context, vm };
}

describe('bpf_redirect, bpf_redirect_peer, bpf_redirect_neigh', () => {
  it('tc: TC_ACT_REDIRECT and the target recorded; unknown flags shoot the packet', () => {
    const { f, context } = tc();
    expect(f.call('redirect', 4, 1)).toBe(7n);
    expect(redirectOf(context.packet)).toEqual({ ifindex: 4, flags: 1n });
    expect(f.call('redirect', 4, 2)).toBe(2n);
    expect(f.call('redirect_peer', 5, 0)).toBe(7n);
    expect(redirectOf(context.packet)).toEqual({ ifindex: 5, flags: 0n, via: 'peer' });
    expect(f.call('redirect_peer', 5, 1)).toBe(2n);
    expect(f.call('redirect_neigh', 6, 0, 0, 0)).toBe(7n);
    expect(redirectOf(context.packet)).toEqual({ ifindex: 6, flags: 0n, via: 'neigh' });
    const nextHop = f.put(Uint8Array.from({ length: 20 }, (_, i) => i));
    expect(f.call('redirect_neigh', 6, nextHop, 20, 0)).toBe(7n);
    expect(redirectOf(context.packet)?.nextHop?.length).toBe(20);
    expect(f.call('redirect_neigh', 6, nextHop, 19, 0)).toBe(2n);
    expect(f.call('redirect_neigh', 6, 0, 0, 1)).toBe(2n);
  });

  it('xdp: XDP_REDIRECT, or XDP_ABORTED for any flag', () => {
    const { f } = xdp();
    expect(f.call('redirect', 3, 0)).toBe(4n);
    expect(f.call('redirect', 3, 1)).toBe(0n);
  });
});

describe('bpf_redirect_map', () => {
  it('devmap: the entry, the default action for a missing one, broadcast whatever the key', () => {
    const { f, vm, context } = xdp();
    const map = vm.maps.create({ type: 'devmap', keySize: 4, valueSize: 4, maxEntries: 4, name: 'tx' });
    expect(map.update(u32Bytes(2), u32Bytes(7))).toBe(0);
    expect(f.call('redirect_map', map.address, 2, 0)).toBe(4n);
    expect(redirectOf(context.packet)).toEqual({
      ifindex: 7,
      flags: 0n,
      map: { name: 'tx', typeName: 'devmap', key: 2 },
    });
    // The key is a u32: the high half of r2 is dropped.
    expect(f.call('redirect_map', map.address, (1n << 32n) | 2n, 0)).toBe(4n);
    for (const action of [0, 1, 2, 3])
      expect(f.call('redirect_map', map.address, 1, action)).toBe(BigInt(action));
    expect(redirectOf(context.packet)).toBeUndefined();
    expect(f.call('redirect_map', map.address, 9, BROADCAST | EXCLUDE_INGRESS | 1)).toBe(4n);
    expect(redirectOf(context.packet)?.flags).toBe(BigInt(BROADCAST | EXCLUDE_INGRESS | 1));
    expect(f.call('redirect_map', map.address, 2, 4)).toBe(0n);
    expect(f.call('redirect_map', map.address, 2, 1 << 5)).toBe(0n);
  });

  it('cpumap and xskmap take no broadcast flags', () => {
    const { f, vm } = xdp();
    const cpus = vm.maps.create({ type: 'cpumap', keySize: 4, valueSize: 4, maxEntries: 2 });
    expect(cpus.update(u32Bytes(1), u32Bytes(64))).toBe(0);
    expect(f.call('redirect_map', cpus.address, 1, 0)).toBe(4n);
    expect(f.call('redirect_map', cpus.address, 0, 2)).toBe(2n);
    expect(f.call('redirect_map', cpus.address, 1, BROADCAST)).toBe(0n);
    const xsks = vm.maps.create({ type: 'xskmap', keySize: 4, valueSize: 4, maxEntries: 4 });
    expect(f.call('redirect_map', xsks.address, 0, 3)).toBe(3n);
    expect(xsks.update(u32Bytes(0), u32Bytes(42))).toBe(0);
    expect(f.call('redirect_map', xsks.address, 0, 3)).toBe(4n);
  });

  it('refuses a map that is no redirect map', () => {
    const { f, vm } = xdp();
    const array = vm.maps.create({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(() => f.call('redirect_map', array.address, 0, 0)).toThrow(/not a devmap, cpumap or xskmap/);
  });
});

describe('bpf_clone_redirect', () => {
  it('records the clones an up device took; a down one answers as its noop qdisc or rx does', () => {
    const vm = new Vm({ network: { interfaces: [{ ifindex: 3, name: 'veth0', up: false }] } });
    const context = new SkbContext(vm.memory, { frame: frame(64), linkLayer: true });
    const f = fakeRun({ vm, packet: context.packet, type: 'sched_cls' });
    const skb = BigInt(context.address);
    expect(f.call('clone_redirect', skb, 1, 0)).toBe(2n); // lo: down in a fresh namespace
    expect(f.call('clone_redirect', skb, 3, 1)).toBe(1n);
    vm.network.setUp(1, true);
    expect(f.call('clone_redirect', skb, 1, 1)).toBe(0n);
    expect(f.call('clone_redirect', skb, 1, 0)).toBe(0n);
    expect(f.call('clone_redirect', skb, 9, 0)).toBe(BigInt.asUintN(64, -22n));
    expect(f.call('clone_redirect', skb, 1, 4)).toBe(BigInt.asUintN(64, -22n));
    expect(clonesOf(context.packet)).toEqual([
      { ifindex: 1, flags: 1n },
      { ifindex: 1, flags: 0n },
    ]);
    context.set('gso_size', 1000);
    expect(f.call('clone_redirect', skb, 1, 0)).toBe(BigInt.asUintN(64, -74n));
  });
});
