import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { SkbContext } from '../context/skb.js';
import { XdpContext } from '../context/xdp.js';
import { Vm, type VmOptions } from '../vm.js';
import { fakeRun, signed } from './test-support.js';

/** Ethernet + IPv4 (protocol 6) + a 20-byte TCP SYN, `extra` payload bytes after it. */
function tcpFrame(extra = 0): Uint8Array {
  const bytes = new Uint8Array(54 + extra);
  bytes.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00], 0);
  bytes.set([0x45, 0, 0, 40 + extra, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  bytes.set([0x9c, 0x40, 0, 80, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff], 34);
  return bytes;
}

function tc(bytes: Uint8Array, options: VmOptions = {}) {
  const vm = new Vm(options);
  const context = new SkbContext(vm.memory, { frame: bytes, linkLayer: true });
  context.protocol = (bytes[12] << 8) | bytes[13];
  return { f: fakeRun({ vm, packet: context.packet, type: 'sched_cls' }), context };
}

describe('skb reshaping helpers', () => {
  it('change_head past the headroom reallocates the buffer and keeps the bytes and headers', () => {
    const { f, context } = tc(tcpFrame());
    const before = context.contents();
    expect(f.call('skb_change_head', 0, 100, 0)).toBe(0n);
    const after = context.contents();
    expect(after.length).toBe(before.length + 100);
    expect([...after.subarray(0, 100)].every((b) => b === 0)).toBe(true);
    expect([...after.subarray(100)]).toEqual([...before]);
    expect(context.packet.macHeader).toBe(context.packet.data);
    expect(context.packet.networkHeader - context.packet.data).toBe(114);
    expect(context.getU32('len')).toBe(before.length + 100);
    expect(signed(f.call('skb_change_head', 0, 8, 1))).toBe(-ERRNO.EINVAL);
  });

  it('change_tail grows with zeros, trims, and keeps the network header', () => {
    const { f, context } = tc(tcpFrame(4).fill(0xaa, 54));
    expect(f.call('skb_change_tail', 0, 50, 0)).toBe(0n);
    expect(f.call('skb_change_tail', 0, 300, 0)).toBe(0n);
    const contents = context.contents();
    expect(contents.length).toBe(300);
    expect([...contents.subarray(50)].every((b) => b === 0)).toBe(true);
    expect(signed(f.call('skb_change_tail', 0, 13, 0))).toBe(-ERRNO.EINVAL);
    expect(signed(f.call('skb_change_tail', 0, 16065, 0))).toBe(-ERRNO.EINVAL);
  });

  it('change_proto inserts 20 zero bytes after the MAC header for IPv4 to IPv6 and takes them out again', () => {
    const { f, context } = tc(tcpFrame());
    const before = context.contents();
    expect(f.call('skb_change_proto', 0, 0xdd86, 0)).toBe(0n);
    expect(context.protocol).toBe(0x86dd);
    const grown = context.contents();
    expect([...grown.subarray(0, 14)]).toEqual([...before.subarray(0, 14)]);
    expect([...grown.subarray(14, 34)].every((b) => b === 0)).toBe(true);
    expect([...grown.subarray(34)]).toEqual([...before.subarray(14)]);
    expect(f.call('skb_change_proto', 0, 0x0008, 0)).toBe(0n);
    expect([...context.contents()]).toEqual([...before]);
    expect(signed(f.call('skb_change_proto', 0, 0x0608, 0))).toBe(-ERRNO.ENOTSUPP);
  });

  it('vlan_push keeps the first tag outside the packet and inserts it when a second comes', () => {
    const { f, context } = tc(tcpFrame());
    expect(f.call('skb_vlan_push', 0, 0x0081, 5)).toBe(0n);
    expect(context.contents().length).toBe(54);
    expect([context.getU32('vlan_present'), context.getU32('vlan_tci'), context.vlanProto]).toEqual([
      1, 5, 0x8100,
    ]);
    expect(f.call('skb_vlan_push', 0, 0xa888, 9)).toBe(0n);
    const tagged = context.contents();
    expect([...tagged.subarray(12, 18)]).toEqual([0x81, 0x00, 0, 5, 0x08, 0x00]);
    expect([context.getU32('vlan_tci'), context.vlanProto, context.protocol]).toEqual([9, 0x88a8, 0x8100]);
    // Pop: the accelerated tag goes, the one in the packet takes its place.
    expect(f.call('skb_vlan_pop', 0)).toBe(0n);
    expect(context.contents().length).toBe(54);
    expect([context.getU32('vlan_tci'), context.vlanProto, context.protocol]).toEqual([5, 0x8100, 0x0800]);
  });

  it('adjust_room refuses bad modes and sizes and encapsulates once', () => {
    const { f, context } = tc(tcpFrame());
    expect(signed(f.call('skb_adjust_room', 0, 0x1000, 1, 0))).toBe(-ERRNO.EFAULT);
    expect(signed(f.call('skb_adjust_room', 0, 8, 2, 0))).toBe(-ERRNO.ENOTSUPP);
    expect(f.call('skb_adjust_room', 0, 20, 1, 1n << 1n)).toBe(0n);
    expect(context.contents().length).toBe(74);
    expect(signed(f.call('skb_adjust_room', 0, 20, 1, 1n << 1n))).toBe(-ERRNO.EALREADY);
    expect(signed(f.call('skb_change_tail', 0, 80, 0))).toBe(-ERRNO.ENOTSUPP);
  });
});

describe('skb state helpers', () => {
  it('csum_level counts up to 3 once the packet is CHECKSUM_UNNECESSARY', () => {
    const { f } = tc(tcpFrame());
    expect(signed(f.call('csum_level', 0, 0))).toBe(-ERRNO.EACCES);
    for (let i = 0; i < 5; i++) expect(f.call('csum_level', 0, 1)).toBe(0n);
    expect(f.call('csum_level', 0, 0)).toBe(3n);
    expect(f.call('csum_level', 0, 3)).toBe(0n);
    expect(signed(f.call('csum_level', 0, 0))).toBe(-ERRNO.EACCES);
    expect(signed(f.call('csum_level', 0, 4))).toBe(-ERRNO.EINVAL);
  });

  it('get_hash_recalc hashes the flow once, set_hash overrides it, set_hash_invalid clears it', () => {
    const { f, context } = tc(tcpFrame());
    const hash = f.call('get_hash_recalc', 0);
    expect(hash).not.toBe(0n);
    expect(BigInt(context.getU32('hash'))).toBe(hash);
    expect(f.call('set_hash', 0, 77)).toBe(0n);
    expect(f.call('get_hash_recalc', 0)).toBe(77n);
    f.call('set_hash_invalid', 0);
    expect(context.getU32('hash')).toBe(0);
    expect(f.call('get_hash_recalc', 0)).toBe(hash);
  });

  it('tunnel key: absent until set, then read back with remote and local as the kernel swaps them', () => {
    const { f } = tc(tcpFrame());
    const key = f.put(new Uint8Array(44).fill(0xff));
    expect(signed(f.call('skb_get_tunnel_key', 0, key, 44, 0))).toBe(-ERRNO.EINVAL);
    expect([...f.vm.memory.read(key, 44)].every((b) => b === 0)).toBe(true);
    const given = new Uint8Array(44);
    const view = new DataView(given.buffer);
    view.setUint32(0, 42, true);
    view.setUint32(4, 0x0a000001, true);
    view.setUint32(28, 0x0a000002, true);
    expect(f.call('skb_set_tunnel_key', 0, f.put(given), 44, 0)).toBe(0n);
    expect(f.call('skb_get_tunnel_key', 0, key, 44, 0)).toBe(0n);
    const out = new DataView(f.vm.memory.read(key, 44).buffer);
    expect([out.getUint32(0, true), out.getUint32(4, true), out.getUint32(28, true)]).toEqual([
      42, 0x0a000002, 0x0a000001,
    ]);
    expect(signed(f.call('skb_get_tunnel_key', 0, key, 44, 1))).toBe(-ERRNO.EPROTO);
  });
});

describe('helpers that consult the host network', () => {
  it('check_mtu uses lo by default and declared devices when given', () => {
    const { f } = tc(tcpFrame());
    const mtu = f.put(new Uint8Array(4));
    expect(f.call('check_mtu', 0, 0, mtu, 0, 0)).toBe(0n);
    expect(f.vm.memory.readU32(mtu)).toBe(65536);
    expect(signed(f.call('check_mtu', 0, 2, mtu, 0, 0))).toBe(-ERRNO.ENODEV);
    const declared = tc(tcpFrame(), { network: { interfaces: [{ ifindex: 2, name: 'eth0', mtu: 40 }] } });
    const mtu2 = declared.f.put(new Uint8Array(4));
    expect(declared.f.call('check_mtu', 0, 2, mtu2, 0, 0)).toBe(0n);
    expect(declared.f.vm.memory.readU32(mtu2)).toBe(40);
    expect(declared.f.call('check_mtu', 0, 2, mtu2, 1, 0)).toBe(1n);
  });

  it('check_mtu lets a GSO skb over the MTU pass unless its segments are too big', () => {
    // A 500-byte packet on a device of MTU 100: only GSO lets it through.
    const network = { interfaces: [{ ifindex: 2, name: 'eth0', mtu: 100 }] };
    const { f, context } = tc(tcpFrame(446), { network });
    const mtu = f.put(new Uint8Array(4));
    // BPF_MTU_CHK_SEGS wants *mtu_len 0 on the way in.
    const segments = () => {
      f.vm.memory.writeU32(mtu, 0);
      return f.call('check_mtu', 0, 2, mtu, 0, 1);
    };
    expect(segments()).toBe(1n);
    context.set('gso_size', 60);
    expect(f.call('check_mtu', 0, 2, mtu, 0, 0)).toBe(0n);
    // Segment check: with no transport header (test-run sets none) the network-to-transport distance counts
    // from the kernel's unset ~0 and the segments are too big; with one after the IPv4 header they fit.
    expect(segments()).toBe(2n);
    context.transportHeader = context.packet.networkHeader + 20;
    expect(segments()).toBe(0n);
    context.set('gso_size', 81);
    expect(segments()).toBe(2n);
    context.set('gso_size', 0xffff); // GSO_BY_FRAGS: no frag list, so it fits
    expect(segments()).toBe(0n);
  });

  it('adjust_room refuses a GSO skb without a TCP type; change_proto does not care', () => {
    const { f, context } = tc(tcpFrame(100));
    context.set('gso_size', 500);
    expect(signed(f.call('skb_adjust_room', 0, 8, 0, 0))).toBe(-ERRNO.ENOTSUPP);
    expect(signed(f.call('skb_adjust_room', 0, -8, 0, 0))).toBe(-ERRNO.ENOTSUPP);
    expect(signed(f.call('skb_adjust_room', 0, -8, 0, 1n << 3n))).toBe(-ERRNO.EINVAL);
    expect(f.call('skb_change_proto', 0, 0xdd86, 0)).toBe(0n);
    expect(context.protocol).toBe(0x86dd);
  });

  it('skb_under_cgroup: in the cgroup or below it as the declared hierarchy says', () => {
    // The running task is in cgroup 30, under 20, under the root.
    const settings = { cgroupId: 30n, cgroupAncestors: [1n, 20n, 30n] };
    const { f, context } = tc(tcpFrame(), { settings });
    context.set('sk', 0x1000n); // test-run's socket
    const map = f.vm.maps.create({ type: 'cgroup_array', keySize: 4, valueSize: 4, maxEntries: 8 });
    const u32 = (v: number) => Uint8Array.from([v, v >> 8, v >> 16, v >>> 24]);
    for (const [slot, handle, id] of [
      [0, 100, 1n],
      [1, 101, 20n],
      [2, 102, 30n],
      [3, 103, 31n], // a child of the task's cgroup: the socket is not under it
      [4, 104, 99n], // elsewhere
    ] as const) {
      f.vm.registerCgroup(handle, id);
      expect(map.update(u32(slot), u32(handle), 0)).toBe(0);
    }
    const under = (slot: number) => signed(f.call('skb_under_cgroup', 0, map.address, slot));
    expect([0, 1, 2, 3, 4].map(under)).toEqual([1, 1, 1, 0, 0]);
    expect(under(5)).toBe(-ERRNO.EAGAIN);
    expect(under(8)).toBe(-ERRNO.E2BIG);
    // User space: an fd that is no cgroup is EBADF, a lookup ENOTSUPP (no map_fd_sys_lookup_elem); a deleted slot
    // is empty again.
    expect(map.update(u32(5), u32(555), 0)).toBe(-ERRNO.EBADF);
    expect(map.lookupValue(u32(0))).toBe(-ERRNO.ENOTSUPP);
    expect(map.delete(u32(4))).toBe(0);
    expect(under(4)).toBe(-ERRNO.EAGAIN);
    context.set('sk', 0n);
    expect(under(0)).toBe(-ERRNO.ENOENT);
  });

  it('fib_lookup stops at disabled forwarding, socket lookups find nothing', () => {
    const { f } = tc(tcpFrame());
    const params = new Uint8Array(64);
    params[0] = 2;
    params[8] = 1;
    expect(f.call('fib_lookup', 0, f.put(params), 64, 0)).toBe(5n);
    expect(signed(f.call('fib_lookup', 0, f.put(params), 32, 0))).toBe(-ERRNO.EINVAL);
    const tuple = f.put(new Uint8Array(12));
    expect(f.call('sk_lookup_tcp', 0, tuple, 12, 0xffff_ffff, 0)).toBe(0n);
  });
});

describe('raw SYN-cookie helpers', () => {
  it('a cookie checks out on the ACK answering it, not when changed; the MSS comes from the table', () => {
    const vm = new Vm();
    const frame = tcpFrame(4);
    frame[46] = 0x60;
    frame.set([2, 4, 0x05, 0x78], 54);
    const context = new XdpContext(vm.memory, { bytes: frame });
    const f = fakeRun({ vm, packet: context.packet, type: 'xdp' });
    const ip = f.put(frame.subarray(14, 34));
    const generated = f.call('tcp_raw_gen_syncookie_ipv4', ip, f.put(frame.subarray(34, 58)), 24);
    expect(generated >> 32n).toBe(1300n);
    const cookie = Number(generated & 0xffff_ffffn);
    const ack = frame.slice(34, 54);
    const view = new DataView(ack.buffer);
    view.setUint32(4, 0x11223345, false);
    view.setUint32(8, (cookie + 1) >>> 0, false);
    expect(f.call('tcp_raw_check_syncookie_ipv4', ip, f.put(ack))).toBe(0n);
    view.setUint32(8, (cookie + 5) >>> 0, false);
    expect(signed(f.call('tcp_raw_check_syncookie_ipv4', ip, f.put(ack)))).toBe(-ERRNO.EACCES);
    expect(signed(f.call('tcp_raw_gen_syncookie_ipv4', ip, f.put(frame.subarray(34, 58)), 20))).toBe(
      -ERRNO.EINVAL,
    );
  });
});
