import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { XdpContext } from '../context/xdp.js';
import { fakeRun } from '../helpers/test-support.js';
import { Vm } from '../vm.js';
import type { UserRingbufMap } from './user-ringbuf-map.js';

function setup() {
  const vm = new Vm();
  const ring = vm.maps.create({
    type: 'user_ringbuf',
    keySize: 0,
    valueSize: 0,
    maxEntries: 4096,
  }) as UserRingbufMap;
  const context = new XdpContext(vm.memory, { bytes: new Uint8Array(64) });
  return { vm, ring, f: fakeRun({ vm, packet: context.packet, type: 'xdp' }) };
}

describe('user_ringbuf', () => {
  it('takes records from user space until the ring is full, at most its size', () => {
    const { ring } = setup();
    expect(ring.reserve(4096)).toBe('E2BIG');
    expect(ring.reserve(0x4000_0000)).toBe('E2BIG');
    expect(ring.produce(new Uint8Array(4088))).toBe(0);
    expect(ring.produce(new Uint8Array(0))).toBe(-ERRNO.ENOSPC);
    expect(ring.pendingBytes).toBe(4096);
    expect(ring.lookupValue()).toBe(-ERRNO.ENOTSUPP);
  });

  it('bpf_user_ringbuf_drain: one callback per submitted record with a local dynptr, discarded ones skipped', () => {
    const { ring, f, vm } = setup();
    expect(ring.produce(Uint8Array.of(1, 2, 3))).toBe(0);
    const discarded = ring.reserve(2);
    if (typeof discarded === 'string') throw new Error(discarded);
    ring.discard(discarded);
    expect(ring.produce(Uint8Array.of(9))).toBe(0);
    const busy = ring.reserve(5);
    const seen: number[][] = [];
    f.onCallback((_pointer, args) => {
      const dynptr = Number(args[0]);
      const data = Number(vm.memory.readU64(dynptr));
      const size = vm.memory.readU32(dynptr + 8);
      expect(size >>> 28).toBe(1);
      seen.push([...vm.memory.read(data, size & 0xffffff)]);
      return 0n;
    });
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 0)).toBe(2n);
    expect(seen).toEqual([[1, 2, 3], [9]]);
    // The busy record stops the next drain; once submitted, it is drained.
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 0)).toBe(0n);
    if (typeof busy === 'string') throw new Error(busy);
    ring.submit(busy, Uint8Array.of(5, 4, 3, 2, 1));
    f.onCallback(() => 1n);
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 4)).toBe(
      -BigInt(ERRNO.EINVAL) & 0xffff_ffff_ffff_ffffn,
    );
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 2)).toBe(1n);
    expect(ring.pendingBytes).toBe(0);
  });

  it('wraps records around the end of the ring, contiguous for the program', () => {
    const { ring, f, vm } = setup();
    f.onCallback(() => 0n);
    expect(ring.produce(new Uint8Array(4000))).toBe(0);
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 0)).toBe(1n);
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(ring.produce(bytes)).toBe(0);
    f.onCallback((_pointer, args) => {
      const dynptr = Number(args[0]);
      expect(vm.memory.read(Number(vm.memory.readU64(dynptr)), 200)).toEqual(bytes);
      return 0n;
    });
    expect(f.call('user_ringbuf_drain', ring.address, 0, 0, 0)).toBe(1n);
  });
});

describe('Bpf.userRingbufProduce', () => {
  it('produces records, and refuses other maps and records that do not fit', async () => {
    const { Bpf } = await import('../../api/bpf.js');
    const bpf = new Bpf();
    const fd = bpf.mapCreate({ type: 'user_ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 });
    bpf.userRingbufProduce(fd, Uint8Array.of(1));
    expect((bpf.map(fd) as UserRingbufMap).pendingBytes).toBe(16);
    expect(() => bpf.userRingbufProduce(fd, new Uint8Array(4096))).toThrow(/E2BIG/);
    const array = bpf.mapCreate({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(() => bpf.userRingbufProduce(array, Uint8Array.of(1))).toThrow(/not a user_ringbuf/);
  });
});
