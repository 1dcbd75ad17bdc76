// The conntrack table the kfuncs see, filled from the API and from a fixture, run through the firewall and insert
// programs of test/progs/net (the kernel comparison, with an empty table, is kfunc-conntrack-kernel.test.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../api/bpf.js';
import { FixtureError } from '../../object/fixture.js';
import { addressBytes, IPS_ASSURED, IPS_CONFIRMED, IPS_SEEN_REPLY, msecsToJiffies } from './conntrack.js';

const FIREWALL = readFileSync('test/progs/net/kfunc_ct.o');
const INSERT = readFileSync('test/progs/net/kfunc_ct_insert.o');

/** Ethernet + IPv4 + TCP SYN from 192.0.2.1:sport to 192.0.2.2:80. */
function synPacket(sport: number, swap = false): Uint8Array {
  const [src, dst] = swap
    ? [
        [192, 0, 2, 2],
        [192, 0, 2, 1],
      ]
    : [
        [192, 0, 2, 1],
        [192, 0, 2, 2],
      ];
  const [sp, dp] = swap ? [80, sport] : [sport, 80];
  const tcp = [
    sp >> 8,
    sp & 0xff,
    dp >> 8,
    dp & 0xff,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0x50,
    0x12,
    0x10,
    0,
    0,
    0,
    0,
    0,
  ];
  const ip = [0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, ...src, ...dst];
  return Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...ip, ...tcp]);
}

function bssU32(bpf: Bpf, object: ReturnType<Bpf['openObject']>, offset: number): number {
  const value = bpf.mapDump(object.mapFd('kfunc_ct.bss'))[0].value!;
  return new DataView(value.buffer, value.byteOffset).getUint32(offset, true);
}

describe('conntrack table', () => {
  it('parses IPv4 and IPv6 addresses and refuses others', () => {
    expect([...addressBytes('192.0.2.7')]).toEqual([192, 0, 2, 7]);
    expect([...addressBytes('2001:db8::1')]).toEqual([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1]);
    expect(() => addressBytes('300.1.1.1')).toThrow(RangeError);
    expect(() => addressBytes('1:2:3')).toThrow(RangeError);
    expect(msecsToJiffies(1000)).toBe(250);
    expect(msecsToJiffies(1)).toBe(1);
  });

  it('an entry added through the API is found from both directions, with its mark and status', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(FIREWALL, 'kfunc_ct.o').load({ programs: ['xdp_ct_firewall'] });
    bpf.addConntrackEntry({
      saddr: '192.0.2.1',
      daddr: '192.0.2.2',
      sport: 5555,
      dport: 80,
      proto: 'tcp',
      mark: 77,
    });
    const fd = object.program('xdp_ct_firewall').handle.fd;
    // Found (confirmed): XDP_PASS even though a SYN|ACK does not open a connection; the mark reaches .bss.
    expect(bpf.testRun(fd, { data: synPacket(5555) }).retval).toBe(2);
    expect(bssU32(bpf, object, 12)).toBe(77);
    expect(bpf.testRun(fd, { data: synPacket(5555, true) }).retval).toBe(2);
    // Another port: not found, ENOENT recorded, and a SYN|ACK is dropped.
    expect(bpf.testRun(fd, { data: synPacket(5556) }).retval).toBe(1);
    expect(bssU32(bpf, object, 0)).toBe(-2 >>> 0);
    const verdicts = bpf.mapDump(object.mapFd('verdicts')).map((e) => e.value![0]);
    expect(verdicts.slice(0, 2)).toEqual([2, 1]);
  });

  it('an unconfirmed entry (status without IPS_CONFIRMED) is found but dropped', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(FIREWALL, 'kfunc_ct.o').load({ programs: ['xdp_ct_firewall'] });
    bpf.addConntrackEntry({
      saddr: '192.0.2.1',
      daddr: '192.0.2.2',
      sport: 6000,
      dport: 80,
      proto: 6,
      status: 0,
    });
    expect(bpf.testRun(object.program('xdp_ct_firewall').handle.fd, { data: synPacket(6000) }).retval).toBe(
      1,
    );
  });

  it('entries come from a fixture, and a bad one names its JSON path', () => {
    const bpf = new Bpf();
    const object = bpf
      .openObject(FIREWALL, 'kfunc_ct.o')
      .applyFixture({
        conntrack: [{ saddr: '192.0.2.1', daddr: '192.0.2.2', sport: 7000, dport: 80, proto: 'tcp' }],
      })
      .load({ programs: ['xdp_ct_firewall'] });
    expect(bpf.testRun(object.program('xdp_ct_firewall').handle.fd, { data: synPacket(7000) }).retval).toBe(
      2,
    );
    expect(() =>
      new Bpf()
        .openObject(FIREWALL, 'kfunc_ct.o')
        .applyFixture(
          { conntrack: [{ saddr: '192.0.2.1', daddr: '::1', sport: 1, dport: 2, proto: 'tcp' }] },
          'f.json',
        ),
    ).toThrow(FixtureError);
  });

  it('a program inserts an entry that later runs find, and a second insert of it fails', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(INSERT, 'kfunc_ct_insert.o').load();
    const fd = object.program('xdp_ct_insert').handle.fd;
    expect(bpf.testRun(fd, { data: synPacket(8000) }).retval).toBe(3);
    const seen = bpf.mapDump(object.mapFd('kfunc_ct.bss'))[0].value!;
    const view = new DataView(seen.buffer, seen.byteOffset);
    expect(view.getUint32(8, true)).toBe(250); // 1000 ms at HZ=250, relative before insert
    expect(view.getUint32(12, true)).toBe(IPS_SEEN_REPLY);
    expect(view.getUint32(36, true)).toBe(42); // the mark written before insert
    expect([view.getUint8(28), view.getUint8(29)]).toEqual([0, 1]); // found as original, then as reply
    // change_status may set ASSURED (but not clear it again: EBUSY); the entry keeps it.
    expect([view.getInt32(40, true), view.getInt32(44, true)]).toEqual([0, -16]);
    expect(view.getUint32(32, true)).toBe(IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED);
    // The same connection again: the insert fails (EEXIST in the kernel), the program drops.
    expect(bpf.testRun(fd, { data: synPacket(8000) }).retval).toBe(1);
    expect(bpf.testRun(fd, { data: synPacket(8000, true) }).retval).toBe(1);
  });

  it('NAT set-up: a second set-up of the same manip is -ENOMEM, a clashing SNAT takes a free port, later ones reuse it', () => {
    const bpf = new Bpf();
    const table = bpf.vm.conntrack;
    const tuple = (sport: number) => ({
      saddr: addressBytes('192.0.2.1'),
      daddr: addressBytes('192.0.2.2'),
      sport,
      dport: 80,
      proto: 6,
      zone: 0,
    });
    const snat = new Uint8Array(16);
    snat.set(addressBytes('10.0.0.1'));
    // Reached only by programs the kernel lets through: it warns and drops, bpf_ct_set_nat_info says -ENOMEM.
    const first = table.allocate(tuple(3000));
    expect(table.setNatInfo(first, snat, 0, 0)).toBe(0);
    expect(table.setNatInfo(first, snat, 0, 0)).toBe(-12);
    const sameDestination = new Uint8Array(16);
    sameDestination.set(addressBytes('192.0.2.2'));
    expect(table.setNatInfo(first, sameDestination, 0, 1)).toBe(0); // DST is a manip of its own
    expect(table.insert(first)).toBe(true);
    // Replies from 192.0.2.2:80 to 10.0.0.1:3000 belong to `first`: the same connection from another host is
    // moved to the range's first free port (1024 and up for ports from 1024; the kernel picks one at random).
    const second = table.allocate({ ...tuple(3000), saddr: addressBytes('192.0.2.9') });
    expect(table.setNatInfo(second, snat, 0, 0)).toBe(0);
    expect(table.insert(second)).toBe(true);
    const reply = { ...tuple(80), saddr: addressBytes('192.0.2.2'), daddr: addressBytes('10.0.0.1') };
    expect(table.lookup({ ...reply, dport: 3000 })).toEqual({ address: first, dir: 1 });
    expect(table.lookup({ ...reply, dport: 1024 })).toEqual({ address: second, dir: 1 });
    // The same host and port to another destination reuses its earlier mapping (find_appropriate_src): port 1024,
    // though its own port 3000 would be free towards 192.0.2.3.
    const third = table.allocate({
      ...tuple(3000),
      saddr: addressBytes('192.0.2.9'),
      daddr: addressBytes('192.0.2.3'),
    });
    expect(table.setNatInfo(third, snat, 0, 0)).toBe(0);
    expect(table.insert(third)).toBe(true);
    expect(table.lookup({ ...reply, saddr: addressBytes('192.0.2.3'), dport: 1024 })).toEqual({
      address: third,
      dir: 1,
    });
    // The original tuple again: refused at insert.
    const again = table.allocate(tuple(3000));
    expect(table.insert(again)).toBe(false);
  });
});
