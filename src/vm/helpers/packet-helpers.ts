// Packet helpers of skb and xdp programs (net/core/filter.c): load/store bytes, checksum updates, xdp head,
// tail and metadata moves (redirects are in redirect-helpers.ts).

import { PacketState } from '../context/packet.js';
import { ETH_HLEN, skbContextOf } from '../context/skb.js';
import { XDP_FRAME_SIZE, xdpMetaLengthInvalid } from '../context/xdp.js';
import type { HelperCall } from '../runtime.js';
import {
  csumFrom32To16,
  csumPartial,
  csumReplace2,
  csumReplace4,
  csumReplaceByDiff,
  csumSub,
} from './checksum.js';
import { errno, helperFault, pointerArg, readArg, s32, u32 } from './helper-call.js';

const INT_MAX = 0x7fff_ffff;
/** Kernel: BPF_F_RECOMPUTE_CSUM, BPF_F_INVALIDATE_HASH (skb_store_bytes flags). */
const BPF_F_RECOMPUTE_CSUM = 1n;
const BPF_F_INVALIDATE_HASH = 2n;
/** Kernel: csum_replace flags. */
const BPF_F_HDR_FIELD_MASK = 0xfn;
const BPF_F_PSEUDO_HDR = 1n << 4n;
const BPF_F_MARK_MANGLED_0 = 1n << 5n;
const BPF_F_MARK_ENFORCE = 1n << 6n;
const BPF_F_IPV6 = 1n << 7n;
const CSUM_MANGLED_0 = 0xffff;
/** Kernel: sizeof(bpf_csum_scratchpad.diff), the bytes bpf_csum_diff takes. */
const CSUM_DIFF_MAX = 512;

function packetOf(call: HelperCall, helper: string, kind: 'skb' | 'xdp'): PacketState {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState) || packet.kind !== kind) {
    throw helperFault(
      call,
      helper,
      `needs the ${kind === 'skb' ? '__sk_buff' : 'xdp_md'} context of a ${kind} program`,
    );
  }
  return packet;
}

/** Kernel pskb_may_pull: a linear skb can be written up to its length. */
function writable(packet: PacketState, writeLength: number): boolean {
  return writeLength <= packet.length;
}

export function skbLoadBytes(call: HelperCall): bigint {
  const packet = packetOf(call, 'skb_load_bytes', 'skb');
  const offset = u32(call.args[1]);
  const length = u32(call.args[3]);
  const destination = pointerArg(call, 'skb_load_bytes', 2, length);
  if (offset > INT_MAX || offset + length > packet.length) {
    call.vm.memory.fill(destination, length);
    return errno('EFAULT');
  }
  call.vm.memory.copy(destination, packet.data + offset, length);
  return 0n;
}

export function skbStoreBytes(call: HelperCall): bigint {
  const packet = packetOf(call, 'skb_store_bytes', 'skb');
  const offset = u32(call.args[1]);
  const length = u32(call.args[3]);
  const flags = call.args[4];
  const source = readArg(call, 'skb_store_bytes', 2, length);
  if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) !== 0n) return errno('EINVAL');
  if (offset > INT_MAX) return errno('EFAULT');
  // The kernel adds offset and len as u32s.
  if (!writable(packet, (offset + length) >>> 0)) return errno('EFAULT');
  call.vm.memory.write(packet.data + offset, source);
  if (flags & BPF_F_INVALIDATE_HASH) skbContextOf(packet)?.setHash(0, false, false);
  return 0n;
}

/** The checksum field at `offset` for l3/l4_csum_replace, or the errno they return. */
function checksumField(call: HelperCall, helper: string): { address: number } | { error: bigint } {
  const packet = packetOf(call, helper, 'skb');
  const offset = u32(call.args[1]);
  if (offset > 0xffff || offset & 1) return { error: errno('EFAULT') };
  if (!writable(packet, offset + 2)) return { error: errno('EFAULT') };
  return { address: packet.data + offset };
}

export function l3CsumReplace(call: HelperCall): bigint {
  const flags = call.args[4];
  if ((flags & ~BPF_F_HDR_FIELD_MASK) !== 0n) return errno('EINVAL');
  const field = checksumField(call, 'l3_csum_replace');
  if ('error' in field) return field.error;
  const memory = call.vm.memory;
  const check = memory.readU16(field.address);
  const from = call.args[2];
  const to = call.args[3];
  switch (flags & BPF_F_HDR_FIELD_MASK) {
    case 0n:
      if (from !== 0n) return errno('EINVAL');
      memory.writeU16(field.address, csumReplaceByDiff(check, Number(to & 0xffff_ffffn)));
      return 0n;
    case 2n:
      memory.writeU16(field.address, csumReplace2(check, Number(from & 0xffffn), Number(to & 0xffffn)));
      return 0n;
    case 4n:
      memory.writeU16(field.address, csumReplace4(check, u32(from), u32(to)));
      return 0n;
    default:
      return errno('EINVAL');
  }
}

export function l4CsumReplace(call: HelperCall): bigint {
  const flags = call.args[4];
  const known =
    BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6;
  if ((flags & ~known) !== 0n) return errno('EINVAL');
  const field = checksumField(call, 'l4_csum_replace');
  if ('error' in field) return field.error;
  const memory = call.vm.memory;
  const check = memory.readU16(field.address);
  const markMangled = (flags & BPF_F_MARK_MANGLED_0) !== 0n;
  if (markMangled && (flags & BPF_F_MARK_ENFORCE) === 0n && check === 0) return 0n;
  const from = call.args[2];
  const to = call.args[3];
  let updated: number;
  // Test-run skbs are CHECKSUM_NONE: only the stored checksum changes, never skb->csum.
  switch (flags & BPF_F_HDR_FIELD_MASK) {
    case 0n:
      if (from !== 0n) return errno('EINVAL');
      updated = csumReplaceByDiff(check, u32(to));
      break;
    case 2n:
      updated = csumReplace4(check, Number(from & 0xffffn), Number(to & 0xffffn));
      break;
    case 4n:
      updated = csumReplace4(check, u32(from), u32(to));
      break;
    default:
      return errno('EINVAL');
  }
  if (markMangled && updated === 0) updated = CSUM_MANGLED_0;
  memory.writeU16(field.address, updated);
  return 0n;
}

/** Kernel bpf_csum_diff (6.13+): the folded 16-bit difference of two buffers of 4-byte words, plus a seed. */
export function csumDiff(call: HelperCall): bigint {
  const fromSize = u32(call.args[1]);
  const toSize = u32(call.args[3]);
  const seed = u32(call.args[4]);
  if ((fromSize | toSize) & 3 || fromSize + toSize > CSUM_DIFF_MAX) return errno('EINVAL');
  const from = readArg(call, 'csum_diff', 0, fromSize);
  const to = readArg(call, 'csum_diff', 2, toSize);
  let sum: number;
  if (fromSize > 0 && toSize > 0) sum = csumSub(csumPartial(to, seed), csumPartial(from, 0));
  else if (toSize > 0) sum = csumPartial(to, seed);
  else if (fromSize > 0) sum = ~csumPartial(from, ~seed >>> 0) >>> 0;
  else sum = seed;
  return BigInt(csumFrom32To16(sum));
}

export function xdpAdjustHead(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_adjust_head', 'xdp');
  const offset = s32(call.args[1]);
  const metaLength = packet.metaLength;
  const data = packet.data + offset;
  if (data < packet.headLimit + metaLength || data > packet.dataEnd - ETH_HLEN) return errno('EINVAL');
  if (metaLength > 0) call.vm.memory.copy(packet.dataMeta + offset, packet.dataMeta, metaLength);
  packet.move({ data, dataMeta: packet.dataMeta + offset });
  return 0n;
}

export function xdpAdjustTail(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_adjust_tail', 'xdp');
  const offset = s32(call.args[1]);
  if (packet.fragmentSizes.length > 0) return xdpAdjustFragmentsTail(packet, offset);
  const dataEnd = packet.dataEnd + offset;
  if (dataEnd > packet.tailLimit || dataEnd < packet.data + ETH_HLEN) return errno('EINVAL');
  // Kernel: grown bytes are cleared, they could hold stale memory.
  if (offset > 0) call.vm.memory.fill(packet.dataEnd, offset);
  packet.move({ dataEnd });
  return 0n;
}

/**
 * Kernel bpf_xdp_frags_increase_tail / bpf_xdp_frags_shrink_tail: growing fills the last fragment's page (zeroed
 * bytes); shrinking takes from the last fragments first, releasing each it empties, and only once none is left
 * from the linear part. The packet keeps at least an Ethernet header.
 */
function xdpAdjustFragmentsTail(packet: PacketState, offset: number): bigint {
  const sizes = packet.fragmentSizes;
  const total = packet.fragments.length;
  if (offset >= 0) {
    if (offset > XDP_FRAME_SIZE - sizes[sizes.length - 1]) return errno('EINVAL');
    const grown = new Uint8Array(total + offset);
    grown.set(packet.fragments);
    packet.setFragments(grown, [...sizes.slice(0, -1), sizes[sizes.length - 1] + offset]);
    return 0n;
  }
  let shrink = -offset;
  if (shrink > packet.length + total - ETH_HLEN) return errno('EINVAL');
  const kept = [...sizes];
  while (kept.length > 0 && shrink > 0) {
    const last = kept.length - 1;
    const taken = Math.min(shrink, kept[last]);
    shrink -= taken;
    if (taken === kept[last]) kept.pop();
    else kept[last] -= taken;
  }
  const left = kept.reduce((sum, size) => sum + size, 0);
  packet.setFragments(packet.fragments.slice(0, left), kept);
  if (kept.length === 0 && shrink > 0) packet.move({ dataEnd: packet.dataEnd - shrink });
  return 0n;
}

/**
 * Kernel bpf_xdp_pull_data (kfunc, 6.18): makes the first `len` bytes of the packet linear by copying them from the
 * front of the fragments to the end of the linear part, which moves down (metadata with it) when its tailroom is
 * short; fragments it empties are released. Only -EINVAL: `len` past the packet, or more than the room left.
 */
export function xdpPullData(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_pull_data', 'xdp');
  const len = u32(call.args[1]);
  const linear = packet.length;
  if (len <= linear) return 0n;
  if (len > linear + packet.fragments.length) return errno('EINVAL');
  // Test-run's buffer always has room for metadata, so the part that moves starts at data_meta.
  const headroom = packet.dataMeta - packet.headLimit;
  const tailroom = packet.tailLimit - packet.dataEnd;
  const delta = len - linear;
  if (delta > headroom + tailroom) return errno('EINVAL');
  const shift = delta - tailroom;
  if (shift > 0) {
    call.vm.memory.copy(packet.dataMeta - shift, packet.dataMeta, packet.dataEnd - packet.dataMeta);
    packet.move({
      data: packet.data - shift,
      dataEnd: packet.dataEnd - shift,
      dataMeta: packet.dataMeta - shift,
    });
  }
  call.vm.memory.write(packet.dataEnd, packet.fragments.subarray(0, delta));
  const kept = [...packet.fragmentSizes];
  let taken = delta;
  while (taken > 0 && kept.length > 0) {
    const shrink = Math.min(taken, kept[0]);
    taken -= shrink;
    if (shrink === kept[0]) kept.shift();
    else kept[0] -= shrink;
  }
  packet.setFragments(packet.fragments.slice(delta), kept);
  packet.move({ dataEnd: packet.dataEnd + delta });
  return 0n;
}

export function xdpAdjustMeta(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_adjust_meta', 'xdp');
  const meta = packet.dataMeta + s32(call.args[1]);
  if (meta < packet.headLimit || meta > packet.data) return errno('EINVAL');
  if (xdpMetaLengthInvalid(packet.data - meta)) return errno('EACCES');
  packet.move({ dataMeta: meta });
  return 0n;
}

/** Kernel: bpf_xdp_pointer refuses offsets and lengths above 0xffff with -EFAULT. */
export const XDP_ACCESS_MAX = 0xffff;

/** bpf_xdp_get_buff_len: the linear packet plus its fragments. */
export function xdpGetBuffLen(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_get_buff_len', 'xdp');
  return BigInt(packet.length + packet.fragments.length);
}

/** Where `offset` of the whole buffer (linear part, then fragments) lies, or the kernel's error. */
function xdpRange(packet: PacketState, offset: number, length: number): bigint | undefined {
  if (offset > XDP_ACCESS_MAX || length > XDP_ACCESS_MAX) return errno('EFAULT');
  if (offset + length > packet.length + packet.fragments.length) return errno('EINVAL');
  return undefined;
}

/** bpf_xdp_load_bytes: copies `len` bytes at `offset` of the packet (fragments included) to the buffer. */
export function xdpLoadBytes(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_load_bytes', 'xdp');
  const offset = u32(call.args[1]);
  const length = u32(call.args[3]);
  const destination = pointerArg(call, 'xdp_load_bytes', 2, length);
  const refused = xdpRange(packet, offset, length);
  if (refused !== undefined) return refused;
  for (let i = 0; i < length; i++) {
    const at = offset + i;
    const byte =
      at < packet.length ? call.vm.memory.readU8(packet.data + at) : packet.fragments[at - packet.length];
    call.vm.memory.writeU8(destination + i, byte);
  }
  return 0n;
}

/** bpf_xdp_store_bytes: copies `len` bytes of the buffer to `offset` of the packet (fragments included). */
export function xdpStoreBytes(call: HelperCall): bigint {
  const packet = packetOf(call, 'xdp_store_bytes', 'xdp');
  const offset = u32(call.args[1]);
  const length = u32(call.args[3]);
  const source = pointerArg(call, 'xdp_store_bytes', 2, length);
  const refused = xdpRange(packet, offset, length);
  if (refused !== undefined) return refused;
  for (let i = 0; i < length; i++) {
    const at = offset + i;
    const byte = call.vm.memory.readU8(source + i);
    if (at < packet.length) call.vm.memory.writeU8(packet.data + at, byte);
    else packet.fragments[at - packet.length] = byte;
  }
  return 0n;
}
