import { describe, expect, it } from 'vitest';
import { LOOPBACK, Network } from './network.js';

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
});
