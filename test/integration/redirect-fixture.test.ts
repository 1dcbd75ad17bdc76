// Interfaces declared by a fixture are what devmap entries may name, before and after load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { BpfError } from '../../src/api/bpf-error.js';
import { FixtureError } from '../../src/object/fixture.js';
import { REPO_ROOT } from '../corpus.js';

const path = join(REPO_ROOT, 'test', 'progs', 'net', 'redirect_devmap.o');
const u32 = (value: number) => Uint8Array.of(value & 0xff, (value >> 8) & 0xff, 0, 0);

describe('fixture devices and devmaps', () => {
  it('a devmap entry may name a declared interface, not an undeclared one', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(readFileSync(path), 'redirect_devmap.o');
    object.applyFixture({
      network: { devices: [{ ifindex: 4, name: 'eth0', mtu: 1400, mac: '02:fc:00:00:00:01' }] },
      maps: { tx_ports: { entries: [{ key: '01000000', value: '04000000' }] } },
    });
    object.load();
    expect(bpf.vm.network.interface(4)?.mtu).toBe(1400);
    const fd = object.mapFd('tx_ports');
    expect(bpf.mapLookup(fd, u32(1))).toEqual(u32(4));
    expect(() => bpf.mapUpdate(fd, u32(2), u32(5))).toThrow(BpfError);
    // Applying the same declaration again changes nothing; a different one under that ifindex is refused.
    object.applyFixture({
      network: { devices: [{ ifindex: 4, name: 'eth0', mtu: 1400, mac: '02:fc:00:00:00:01' }] },
    });
    expect(() => object.applyFixture({ network: { devices: [{ ifindex: 4, name: 'eth1' }] } })).toThrow(
      FixtureError,
    );
  });
});
