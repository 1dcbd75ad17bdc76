// sockmap and sockhash without a kernel: user-space handles, the kernel's errnos, cookies, iteration order and what
// programs get (test/integration/sockmap-kernel.test.ts compares the same against Linux 6.18).
import { describe, expect, it } from 'vitest';
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import { declaredSocketAt } from '../helpers/socket-lookup.js';
import { VmMemory } from '../memory.js';
import { Vm } from '../vm.js';
import { createMap } from './create-map.js';
import { fail } from './map-error.js';
import { ReuseportSockArray, SockHash, SockMap } from './socket-map.js';

const u32 = (value: number) => Uint8Array.from([value, value >> 8, value >> 16, value >>> 24]);
const u64 = (value: bigint) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
};
const LO = Uint8Array.of(127, 0, 0, 1);

function vmWithSockets(): Vm {
  return new Vm({
    network: {
      sockets: [
        { kind: 'tcp-listen', localAddress: LO, localPort: 80, cookie: 100n },
        { kind: 'udp', localAddress: LO, localPort: 53, cookie: 200n },
        { kind: 'tcp-listen', localAddress: LO, localPort: 81, cookie: 300n, reuseport: true },
        { kind: 'udp', localAddress: LO, localPort: 54, cookie: 400n, reuseport: true },
      ],
    },
  });
}

describe('sockmap', () => {
  it('stores sockets by handle with the kernel flags and errnos, and reads their cookies back', () => {
    const vm = vmWithSockets();
    const map = vm.maps.create({ type: 'sockmap', keySize: 4, valueSize: 8, maxEntries: 3 });
    expect(map).toBeInstanceOf(SockMap);
    expect(map.update(u32(0), u64(0n), BPF_EXIST)).toBe(fail('ENOENT'));
    expect(map.update(u32(0), u64(0n), BPF_NOEXIST)).toBe(0);
    expect(map.update(u32(0), u64(1n), BPF_NOEXIST)).toBe(fail('EEXIST'));
    expect(map.update(u32(0), u64(1n), BPF_EXIST)).toBe(0);
    expect(map.update(u32(0), u64(1n), 3)).toBe(fail('EINVAL'));
    expect(map.update(u32(3), u64(1n), BPF_ANY)).toBe(fail('E2BIG'));
    expect(map.update(u32(1), u64(9n), BPF_ANY)).toBe(fail('EBADF'));
    expect(map.update(u32(1), u64(1n << 31n), BPF_ANY)).toBe(fail('EINVAL'));
    expect(map.lookupValue(u32(0))).toEqual(u64(200n));
    expect(map.lookupValue(u32(1))).toBe(fail('ENOENT'));
    expect(map.getNextKey(undefined)).toEqual(u32(0));
    expect(map.getNextKey(u32(1))).toEqual(u32(2));
    expect(map.getNextKey(u32(2))).toBe(fail('ENOENT'));
    expect(map.getNextKey(u32(7))).toEqual(u32(0));
    expect([...map.entries()]).toEqual([{ key: u32(0), value: u64(200n) }]);
    expect(map.delete(u32(1))).toBe(fail('EINVAL'));
    expect(map.delete(u32(0))).toBe(0);
    expect(map.delete(u32(0))).toBe(fail('EINVAL'));
  });

  it('cannot give a cookie back in a 4-byte value (ENOSPC)', () => {
    const vm = vmWithSockets();
    const map = vm.maps.create({ type: 'sockmap', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(map.update(u32(0), u32(1), BPF_ANY)).toBe(0);
    expect(map.lookupValue(u32(0))).toBe(fail('ENOSPC'));
  });

  it('gives programs the socket as struct bpf_sock, and takes back the sockets they hold', () => {
    const vm = vmWithSockets();
    const map = vm.maps.create({ type: 'sockmap', keySize: 4, valueSize: 8, maxEntries: 2 }) as SockMap;
    expect(map.lookup(u32(0))).toBeUndefined();
    map.update(u32(0), u64(0n), BPF_ANY);
    const address = map.lookup(u32(0))!;
    expect(declaredSocketAt(vm, address)).toBe(vm.network.sockets()[0]);
    expect(map.lookup(u32(0))).toBe(address);
    expect(map.updateWithSocket(u32(1), address, BPF_NOEXIST)).toBe(0);
    expect(map.lookupValue(u32(1))).toEqual(u64(100n));
    // Bytes are not a socket; nor is a pointer to anything but a declared socket.
    expect(map.updateFromProgram(u32(1), u64(0n), BPF_ANY)).toBe(fail('EINVAL'));
    expect(map.updateWithSocket(u32(1), address + 8, BPF_ANY)).toBe(fail('EOPNOTSUPP'));
  });

  it('without a Vm has no sockets to store (EBADF)', () => {
    const map = createMap(new VmMemory(), { type: 'sockmap', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(map.update(u32(0), u32(0), BPF_ANY)).toBe(fail('EBADF'));
  });
});

describe('sockhash', () => {
  it('counts entries against max_entries (E2BIG), replaces in place and deletes (ENOENT when absent)', () => {
    const vm = vmWithSockets();
    const map = vm.maps.create({ type: 'sockhash', keySize: 2, valueSize: 8, maxEntries: 2 });
    expect(map).toBeInstanceOf(SockHash);
    const key = (n: number) => Uint8Array.of(n, 0);
    expect(map.update(key(1), u64(0n), BPF_EXIST)).toBe(fail('ENOENT'));
    expect(map.update(key(1), u64(0n), BPF_ANY)).toBe(0);
    expect(map.update(key(2), u64(1n), BPF_ANY)).toBe(0);
    expect(map.update(key(3), u64(1n), BPF_ANY)).toBe(fail('E2BIG'));
    expect(map.update(key(2), u64(0n), BPF_NOEXIST)).toBe(fail('EEXIST'));
    expect(map.update(key(2), u64(0n), BPF_EXIST)).toBe(0);
    expect(map.lookupValue(key(2))).toEqual(u64(100n));
    expect(map.delete(key(3))).toBe(fail('ENOENT'));
    expect(map.delete(key(1))).toBe(0);
    expect(map.update(key(3), u64(1n), BPF_ANY)).toBe(0);
  });

  it('walks every key once with get_next_key, whatever the buckets', () => {
    const vm = vmWithSockets();
    const map = vm.maps.create({ type: 'sockhash', keySize: 4, valueSize: 8, maxEntries: 64 });
    for (let n = 0; n < 64; n++) expect(map.update(u32(n * 7919), u64(BigInt(n % 2)), BPF_ANY)).toBe(0);
    const seen = [...map.entries()].map((entry) => new DataView(entry.key.buffer).getUint32(0, true));
    expect(seen).toHaveLength(64);
    expect(new Set(seen).size).toBe(64);
    // A key not in the map starts the walk over, as the kernel's.
    expect(map.getNextKey(u32(1))).toEqual([...map.entries()][0].key);
  });
});

describe('reuseport_sockarray', () => {
  it('holds SO_REUSEPORT sockets only, each in one slot, and never one a sockmap holds (EBUSY)', () => {
    const vm = vmWithSockets();
    const array = vm.maps.create({ type: 'reuseport_sockarray', keySize: 4, valueSize: 8, maxEntries: 2 });
    const sockmap = vm.maps.create({ type: 'sockmap', keySize: 4, valueSize: 8, maxEntries: 2 });
    expect(array).toBeInstanceOf(ReuseportSockArray);
    expect(array.update(u32(0), u64(0n), BPF_ANY)).toBe(fail('EINVAL'));
    expect(array.update(u32(0), u64(2n), BPF_EXIST)).toBe(fail('ENOENT'));
    expect(array.update(u32(0), u64(2n), BPF_ANY)).toBe(0);
    expect(array.update(u32(1), u64(2n), BPF_ANY)).toBe(fail('EBUSY'));
    expect(array.update(u32(2), u64(3n), BPF_ANY)).toBe(fail('E2BIG'));
    // A socket in a reuseport array cannot join a sockmap, nor one in a sockmap the array.
    expect(sockmap.update(u32(0), u64(2n), BPF_ANY)).toBe(fail('EBUSY'));
    expect(sockmap.update(u32(0), u64(3n), BPF_ANY)).toBe(0);
    expect(array.update(u32(1), u64(3n), BPF_ANY)).toBe(fail('EBUSY'));
    expect(sockmap.delete(u32(0))).toBe(0);
    expect(array.update(u32(1), u64(3n), BPF_NOEXIST)).toBe(0);
    expect(array.lookupValue(u32(1))).toEqual(u64(400n));
    expect(array.getNextKey(u32(0))).toEqual(u32(1));
    // Programs cannot look these up (only bpf_sk_select_reuseport reads them).
    expect(array.lookup(u32(1))).toBeUndefined();
    expect(array.delete(u32(5))).toBe(fail('E2BIG'));
    expect(array.delete(u32(1))).toBe(0);
    expect(array.delete(u32(1))).toBe(fail('ENOENT'));
    // Released, the array lets its sockets go.
    array.release();
    expect(sockmap.update(u32(1), u64(2n), BPF_ANY)).toBe(0);
    // And so does a released sockmap.
    const second = vm.maps.create({ type: 'reuseport_sockarray', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(second.update(u32(0), u32(2), BPF_ANY)).toBe(fail('EBUSY'));
    sockmap.release();
    expect(second.update(u32(0), u32(2), BPF_ANY)).toBe(0);
  });
});
