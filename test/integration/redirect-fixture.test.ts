// Interfaces declared by a fixture are what devmap entries may name; devmap and cpumap entries may carry a program.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { BpfError } from '../../src/api/bpf-error.js';
import { FixtureError } from '../../src/object/fixture.js';
import { assembleInsns } from '../../src/isa/assembler.js';
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

describe('programs in devmap and cpumap entries', () => {
  it('take an XDP program loaded for the map kind, by fd, and refuse others', () => {
    const bpf = new Bpf({ cpus: 2 });
    const insns = assembleInsns('r0 = 2\nexit');
    const devmapProgram = bpf.progLoad({
      type: 'xdp',
      insns,
      expectedAttachType: 'xdp_devmap',
      license: 'GPL',
    });
    const cpumapProgram = bpf.progLoad({
      type: 'xdp',
      insns,
      expectedAttachType: 'xdp_cpumap',
      license: 'GPL',
    });
    const plain = bpf.progLoad({ type: 'xdp', insns, license: 'GPL' });
    const devmap = bpf.mapCreate({ type: 'devmap', keySize: 4, valueSize: 8, maxEntries: 2 });
    const words = (a: number, b: number) => Uint8Array.of(a, 0, 0, 0, b, 0, 0, 0);
    bpf.mapUpdate(devmap, u32(0), words(1, devmapProgram.fd));
    expect(bpf.mapLookup(devmap, u32(0))).toEqual(words(1, devmapProgram.fd));
    for (const wrong of [plain.fd, cpumapProgram.fd, 99]) {
      expect(() => bpf.mapUpdate(devmap, u32(1), words(1, wrong))).toThrow(/EINVAL/);
    }
    const cpumap = bpf.mapCreate({ type: 'cpumap', keySize: 4, valueSize: 8, maxEntries: 2 });
    bpf.mapUpdate(cpumap, u32(1), words(64, cpumapProgram.fd));
    expect(bpf.mapLookup(cpumap, u32(1))).toEqual(words(64, cpumapProgram.fd));
    // Kernel: a cpumap entry whose program is refused fails to allocate.
    expect(() => bpf.mapUpdate(cpumap, u32(0), words(64, devmapProgram.fd))).toThrow(/ENOMEM/);
  });
});
