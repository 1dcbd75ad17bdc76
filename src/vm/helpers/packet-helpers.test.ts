import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { SkbContext } from '../context/skb.js';
import { XdpContext } from '../context/xdp.js';
import { Vm } from '../vm.js';
import { csumFold, csumPartial } from './checksum.js';
import { fakeRun, signed } from './test-support.js';

const frame = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i & 0xff);

/** An IPv4 header with a correct checksum. */
function ipv4Header(): Uint8Array {
  const header = Uint8Array.from([0x45, 0, 0, 40, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const check = csumFold(csumPartial(header, 0));
  header[10] = check & 0xff;
  header[11] = check >> 8;
  return header;
}

describe('skb helpers', () => {
  const skb = (linkLayer: boolean, bytes = frame(64)) => {
    const vm = new Vm();
    const context = new SkbContext(vm.memory, { frame: bytes, linkLayer });
    return {
      f: fakeRun({ vm, packet: context.packet, type: linkLayer ? 'sched_cls' : 'socket_filter' }),
      context,
    };
  };

  it('skb_load_bytes reads from skb->data (after the Ethernet header for socket filters)', () => {
    for (const linkLayer of [true, false]) {
      const { f } = skb(linkLayer);
      const out = f.put(new Uint8Array(4));
      expect(f.call('skb_load_bytes', 0, 2, out, 4)).toBe(0n);
      const first = linkLayer ? 2 : 16;
      expect([...f.vm.memory.read(out, 4)]).toEqual([first, first + 1, first + 2, first + 3]);
      const length = linkLayer ? 64 : 50;
      expect(f.call('skb_load_bytes', 0, length - 4, out, 4)).toBe(0n);
      expect(signed(f.call('skb_load_bytes', 0, length - 3, out, 4))).toBe(-ERRNO.EFAULT);
      expect([...f.vm.memory.read(out, 4)]).toEqual([0, 0, 0, 0]);
      expect(signed(f.call('skb_load_bytes', 0, 0x8000_0000, out, 1))).toBe(-ERRNO.EFAULT);
    }
  });

  it('skb_store_bytes writes inside the packet only, and checks flags', () => {
    const { f, context } = skb(true);
    const source = f.put([0xaa, 0xbb]);
    expect(f.call('skb_store_bytes', 0, 10, source, 2, 0)).toBe(0n);
    expect([...context.contents().subarray(9, 13)]).toEqual([9, 0xaa, 0xbb, 12]);
    expect(signed(f.call('skb_store_bytes', 0, 63, source, 2, 0))).toBe(-ERRNO.EFAULT);
    expect(signed(f.call('skb_store_bytes', 0, 0, source, 2, 4))).toBe(-ERRNO.EINVAL);
  });

  it('l3_csum_replace keeps an IPv4 header checksum valid across a TTL change', () => {
    const bytes = new Uint8Array(34);
    bytes.set([0x08, 0x00], 12);
    bytes.set(ipv4Header(), 14);
    const { f, context } = skb(true, bytes);
    // TTL 64 -> 63 in the TTL/protocol word (network order as the program holds it).
    const oldWord = (64 << 8) | 17;
    const newWord = (63 << 8) | 17;
    const swap = (w: number): number => ((w & 0xff) << 8) | (w >> 8);
    expect(f.call('l3_csum_replace', 0, 24, swap(oldWord), swap(newWord), 2)).toBe(0n);
    const store = f.put([63]);
    f.call('skb_store_bytes', 0, 22, store, 1, 0);
    const header = context.contents().subarray(14, 34);
    expect(csumFold(csumPartial(header, 0))).toBe(0);
    // The same change as a 4-byte replacement and as a diff keeps it valid too.
    expect(f.call('l3_csum_replace', 0, 24, swap(newWord), swap(oldWord), 4)).toBe(0n);
    f.vm.memory.write(context.packet.data + 22, Uint8Array.from([64]));
    expect(csumFold(csumPartial(context.contents().subarray(14, 34), 0))).toBe(0);
    expect(signed(f.call('l3_csum_replace', 0, 25, 0, 0, 2))).toBe(-ERRNO.EFAULT);
    expect(signed(f.call('l3_csum_replace', 0, 24, 1, 0, 0))).toBe(-ERRNO.EINVAL);
    expect(signed(f.call('l3_csum_replace', 0, 24, 0, 0, 3))).toBe(-ERRNO.EINVAL);
  });

  it('l4_csum_replace marks a zero result as mangled with BPF_F_MARK_MANGLED_0', () => {
    const { f, context } = skb(true);
    f.vm.memory.writeU16(context.packet.data + 40, 0);
    expect(f.call('l4_csum_replace', 0, 40, 0, 5, (1 << 5) | 2)).toBe(0n);
    expect(f.vm.memory.readU16(context.packet.data + 40)).toBe(0);
    f.vm.memory.writeU16(context.packet.data + 40, 0xfffe);
    expect(f.call('l4_csum_replace', 0, 40, 0, 0xfffe, (1 << 5) | (1 << 6) | 4)).toBe(0n);
    expect(f.vm.memory.readU16(context.packet.data + 40)).toBe(0xffff);
    expect(signed(f.call('l4_csum_replace', 0, 40, 0, 1, 1 << 8))).toBe(-ERRNO.EINVAL);
  });

  it('csum_diff gives the folded difference (values measured on Linux 6.18)', () => {
    const f = fakeRun();
    const from = f.put([0x44, 0x33, 0x22, 0x11, 0x0d, 0x0c, 0x0b, 0x0a]);
    const to = f.put([0x88, 0x77, 0x66, 0x55, 0x04, 0x03, 0x02, 0x01]);
    expect(f.call('csum_diff', from, 4, to, 4, 0)).toBe(0x8888n);
    expect(f.call('csum_diff', from, 8, to, 8, 0)).toBe(0x7676n);
    expect(f.call('csum_diff', 0, 0, to, 8, 0)).toBe(0xd0f4n);
    expect(f.call('csum_diff', from, 8, 0, 0, 0)).toBe(0xa581n);
    expect(f.call('csum_diff', 0, 0, to, 4, 0x12345678)).toBe(0x359bn);
    expect(f.call('csum_diff', from, 4, 0, 0, 0x12345678)).toBe(0x2446n);
    expect(signed(f.call('csum_diff', from, 3, to, 4, 0))).toBe(-ERRNO.EINVAL);
  });
});

describe('xdp helpers (limits measured on Linux 6.18)', () => {
  const xdp = (length = 64) => {
    const vm = new Vm();
    const context = new XdpContext(vm.memory, { bytes: frame(length) });
    return { f: fakeRun({ vm, packet: context.packet, type: 'xdp' }), context };
  };
  const window = (context: XdpContext) => {
    const m = context.memory;
    const [data, end, meta] = [0, 4, 8].map((o) => m.readU32(context.address + o));
    return { length: end - data, meta: data - meta };
  };

  it('xdp_adjust_head moves data between the xdp_frame area and data_end - ETH_HLEN', () => {
    const { f, context } = xdp();
    expect(signed(f.call('xdp_adjust_head', 0, -217))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_head', 0, -216)).toBe(0n);
    expect(window(context)).toEqual({ length: 280, meta: 0 });
    expect(f.call('xdp_adjust_head', 0, 216 + 50)).toBe(0n);
    expect(window(context).length).toBe(14);
    expect(signed(f.call('xdp_adjust_head', 0, 1))).toBe(-ERRNO.EINVAL);
    expect([...context.contents()]).toEqual([...frame(64).subarray(50)]);
  });

  it('xdp_adjust_tail grows (zeroed) up to 3520 bytes and shrinks down to ETH_HLEN', () => {
    const { f, context } = xdp();
    expect(signed(f.call('xdp_adjust_tail', 0, 3457))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_tail', 0, 4)).toBe(0n);
    expect([...context.contents().subarray(60)]).toEqual([60, 61, 62, 63, 0, 0, 0, 0]);
    expect(f.call('xdp_adjust_tail', 0, -54)).toBe(0n);
    expect(signed(f.call('xdp_adjust_tail', 0, -1))).toBe(-ERRNO.EINVAL);
  });

  it('xdp_adjust_tail on fragments: grows within the last page, shrinks releasing fragments, then the linear part', () => {
    // 3520 linear bytes, then fragments of 4096 and 100 bytes.
    const { f, context } = xdp(3520 + 4096 + 100);
    const packet = context.packet;
    expect(packet.fragmentSizes).toEqual([4096, 100]);
    expect(signed(f.call('xdp_adjust_tail', 0, 3997))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_tail', 0, 3996)).toBe(0n);
    expect(packet.fragmentSizes).toEqual([4096, 4096]);
    expect([...context.contents().subarray(-4)]).toEqual([0, 0, 0, 0]);
    expect(f.call('xdp_adjust_tail', 0, -4096 - 10)).toBe(0n);
    expect(packet.fragmentSizes).toEqual([4086]);
    expect(f.call('xdp_adjust_tail', 0, -4086 - 20)).toBe(0n);
    expect(packet.fragmentSizes).toEqual([]);
    expect(window(context).length).toBe(3500);
    expect(f.call('xdp_get_buff_len', 0)).toBe(3500n);
    // No fragment left: the linear rules again (the page ends at 3520 bytes).
    expect(signed(f.call('xdp_adjust_tail', 0, 21))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_tail', 0, 20)).toBe(0n);
    expect([...context.contents().subarray(0, 3500)]).toEqual([...frame(3500)]);
  });

  it('xdp_adjust_tail on fragments keeps an Ethernet header of the whole buffer', () => {
    const { f, context } = xdp(3600);
    expect(signed(f.call('xdp_adjust_tail', 0, -(3600 - 13)))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_tail', 0, -(3600 - 14))).toBe(0n);
    expect(context.contents().length).toBe(14);
  });

  it('xdp_adjust_meta: multiples of 4, not past data, not into the xdp_frame area', () => {
    const { f, context } = xdp();
    expect(signed(f.call('xdp_adjust_meta', 0, -3))).toBe(-ERRNO.EACCES);
    expect(signed(f.call('xdp_adjust_meta', 0, 1))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_meta', 0, -8)).toBe(0n);
    expect(window(context)).toEqual({ length: 64, meta: 8 });
    // Moving the head moves the metadata with it.
    expect(signed(f.call('xdp_adjust_head', 0, -209))).toBe(-ERRNO.EINVAL);
    expect(f.call('xdp_adjust_head', 0, 8)).toBe(0n);
    expect(context.contents().length).toBe(64);
  });

  it('packet helpers refuse the wrong context kind', () => {
    const { f } = xdp();
    expect(() => f.call('skb_load_bytes', 0, 0, 0, 1)).toThrow(/needs the __sk_buff context/);
  });
});
