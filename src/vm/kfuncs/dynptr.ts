// The dynptr kfuncs and helpers over skb and xdp packets and over map values (local dynptrs): a dynptr is the
// kernel's struct bpf_dynptr_kern on the program's stack (data, size with type and read-only bits, offset), and
// slices point into the packet, the memory, or the buffer given.

import { PACKET_WRITING_PROGRAM_TYPES } from '../../abi/kfuncs.js';
import { PacketState } from '../context/packet.js';
import { ringbufOfRecord } from '../helpers/event-helpers.js';
import { errno, helperFault, mapArg, pointerArg, u32 } from '../helpers/helper-call.js';
import { XDP_ACCESS_MAX } from '../helpers/packet-helpers.js';
import { RingbufMap } from '../maps/index.js';
import type { HelperCall, HelperImplementation } from '../runtime.js';

/** enum bpf_dynptr_type values the size word carries from bit 28, and the read-only bit 31. */
const DYNPTR_TYPE_LOCAL = 1;
const DYNPTR_TYPE_RINGBUF = 2;
const DYNPTR_TYPE_SKB = 3;
const DYNPTR_TYPE_XDP = 4;
const DYNPTR_TYPE_SHIFT = 28;
const DYNPTR_RDONLY_BIT = 0x8000_0000;
const DYNPTR_SIZE_MASK = 0x00ff_ffff;
const DYNPTR_BYTES = 16;

interface Dynptr {
  readonly address: number;
  /** The kernel's ptr->data: here the context's address, 0 for a NULL dynptr. */
  readonly data: bigint;
  readonly size: number;
  readonly offset: number;
  readonly rdonly: boolean;
  readonly type: number;
}

/** Local and ringbuf dynptrs: `data` is the address of their bytes in VM memory. */
function isMemory(ptr: Dynptr): boolean {
  return ptr.type === DYNPTR_TYPE_LOCAL || ptr.type === DYNPTR_TYPE_RINGBUF;
}

/** Kernel bpf_dynptr_init: `size` bytes at `data`, writable, of `type`. */
function writeDynptr(call: HelperCall, address: number, data: bigint, type: number, size: number): void {
  const view = call.vm.memory.view();
  view.setBigUint64(address, data, true);
  view.setUint32(address + 8, (size | (type << DYNPTR_TYPE_SHIFT)) >>> 0, true);
  view.setUint32(address + 12, 0, true);
}

function readDynptr(call: HelperCall, name: string, index: number): Dynptr {
  const address = pointerArg(call, name, index, DYNPTR_BYTES);
  const view = call.vm.memory.view();
  const sizeWord = view.getUint32(address + 8, true);
  return {
    address,
    data: view.getBigUint64(address, true),
    size: sizeWord & DYNPTR_SIZE_MASK,
    offset: view.getUint32(address + 12, true),
    rdonly: (sizeWord & DYNPTR_RDONLY_BIT) !== 0,
    type: (sizeWord >>> DYNPTR_TYPE_SHIFT) & 7,
  };
}

function packetOf(call: HelperCall, name: string): PacketState {
  const packet = call.run.packet;
  if (!(packet instanceof PacketState)) throw helperFault(call, name, 'needs an skb or xdp context');
  return packet;
}

/** bpf_dynptr_from_xdp / from_skb: flags must be 0 (else a NULL dynptr and -EINVAL); the whole packet. */
function fromPacket(name: string, type: number): HelperImplementation {
  return (call) => {
    const address = pointerArg(call, name, 2, DYNPTR_BYTES);
    const view = call.vm.memory.view();
    if (call.args[1] !== 0n) {
      call.vm.memory.fill(address, DYNPTR_BYTES);
      return errno('EINVAL');
    }
    const packet = packetOf(call, name);
    const size = packet.length + (type === DYNPTR_TYPE_XDP ? packet.fragments.length : 0);
    // Kernel: a program that may not write packets gets bpf_dynptr_from_skb_rdonly instead.
    const rdonly = type === DYNPTR_TYPE_SKB && !PACKET_WRITING_PROGRAM_TYPES.has(call.run.program.type);
    view.setBigUint64(address, BigInt(call.run.ctx), true);
    view.setUint32(
      address + 8,
      ((size & DYNPTR_SIZE_MASK) | (type << DYNPTR_TYPE_SHIFT) | (rdonly ? DYNPTR_RDONLY_BIT : 0)) >>> 0,
      true,
    );
    view.setUint32(address + 12, 0, true);
    return 0n;
  };
}

/** bpf_dynptr_slice(_rdwr): a pointer into the packet when the bytes are in its linear part, else a copy. */
function slice(name: string, writable: boolean): HelperImplementation {
  return (call) => {
    const ptr = readDynptr(call, name, 0);
    const offset = u32(call.args[1]);
    const length = u32(call.args[3]);
    if (ptr.data === 0n || (writable && ptr.rdonly)) return 0n;
    if (offset > ptr.size || length > ptr.size - offset) return 0n;
    if (isMemory(ptr)) return ptr.data + BigInt(ptr.offset + offset);
    const packet = packetOf(call, name);
    const start = ptr.offset + offset;
    if (start + length <= packet.length) return BigInt(packet.data + start);
    // A test-run skb is all head: bytes past it (the skb shrank since the dynptr was made) cannot be copied, and the
    // kernel's skb_header_pointer answers NULL.
    if (call.args[2] === 0n || ptr.type !== DYNPTR_TYPE_XDP) return 0n;
    const buffer = pointerArg(call, name, 2, length);
    // Kernel bpf_xdp_copy_buf: bytes past an xdp packet's end (it shrank since the dynptr was made) stay as they were.
    const end = Math.min(length, packet.length + packet.fragments.length - start);
    for (let i = 0; i < end; i++) {
      const at = start + i;
      const byte =
        at < packet.length ? call.vm.memory.readU8(packet.data + at) : packet.fragments[at - packet.length];
      call.vm.memory.writeU8(buffer + i, byte);
    }
    return call.args[2];
  };
}

/** Copies between a dynptr's data at `offset` and `other` (`toDynptr`: a write), as the kernel's helpers do. */
function copy(
  call: HelperCall,
  name: string,
  ptr: Dynptr,
  offset: number,
  other: number,
  length: number,
  toDynptr: boolean,
): void {
  const memory = call.vm.memory;
  if (isMemory(ptr)) {
    const at = Number(ptr.data) + ptr.offset + offset;
    if (toDynptr) memory.copy(at, other, length);
    else memory.copy(other, at, length);
    return;
  }
  const packet = packetOf(call, name);
  for (let i = 0; i < length; i++) {
    const at = ptr.offset + offset + i;
    if (at < packet.length) {
      if (toDynptr) memory.writeU8(packet.data + at, memory.readU8(other + i));
      else memory.writeU8(other + i, memory.readU8(packet.data + at));
    } else if (toDynptr) {
      packet.fragments[at - packet.length] = memory.readU8(other + i);
    } else {
      memory.writeU8(other + i, packet.fragments[at - packet.length]);
    }
  }
}

/**
 * A packet dynptr's size is fixed when it is made, so after the packet shrinks (bpf_xdp_adjust_tail,
 * bpf_skb_change_tail) a range inside the dynptr may leave the packet: the kernel's __bpf_xdp_load_bytes /
 * store_bytes answer -EINVAL, its skb ones -EFAULT.
 */
function outsidePacket(
  call: HelperCall,
  name: string,
  ptr: Dynptr,
  offset: number,
  length: number,
): bigint | undefined {
  const start = ptr.offset + offset;
  if (ptr.type === DYNPTR_TYPE_SKB) {
    // __bpf_skb_load_bytes / store_bytes: a test-run skb is all head, so bytes past its end are -EFAULT.
    return start + length > packetOf(call, name).length ? errno('EFAULT') : undefined;
  }
  if (ptr.type !== DYNPTR_TYPE_XDP) return undefined;
  if (start > XDP_ACCESS_MAX || length > XDP_ACCESS_MAX) return errno('EFAULT');
  const packet = packetOf(call, name);
  if (start + length > packet.length + packet.fragments.length) return errno('EINVAL');
  return undefined;
}

/** bpf_dynptr_check_off_len: -E2BIG when [offset, offset + length) leaves the dynptr. */
function outside(ptr: Dynptr, offset: number, length: number): boolean {
  return offset > ptr.size || length > ptr.size - offset;
}

/** bpf_ringbuf_submit_dynptr / discard_dynptr: a NULL dynptr is ignored; the record is committed, the dynptr nulled. */
function commitDynptr(name: string, discard: boolean): HelperImplementation {
  return (call) => {
    const ptr = readDynptr(call, name, 0);
    if (ptr.data === 0n) return 0n;
    const { map, sample } = ringbufOfRecord(call, name, ptr.data);
    const done = discard ? map.discard(sample, call.args[1]) : map.submit(sample, call.args[1]);
    if (done < 0) throw helperFault(call, name, 'the record was already submitted or discarded');
    call.vm.memory.fill(ptr.address, DYNPTR_BYTES);
    return 0n;
  };
}

/** The dynptr helpers (by abi name): from_mem over a map value, read and write. */
export const DYNPTR_HELPERS: Readonly<Record<string, HelperImplementation>> = {
  dynptr_from_mem: (call) => {
    const size = u32(call.args[1]);
    const address = pointerArg(call, 'dynptr_from_mem', 3, DYNPTR_BYTES);
    const fail = (code: 'EINVAL' | 'E2BIG') => {
      call.vm.memory.fill(address, DYNPTR_BYTES);
      return errno(code);
    };
    if (call.args[2] !== 0n) return fail('EINVAL');
    if (size > DYNPTR_SIZE_MASK) return fail('E2BIG');
    const data = size === 0 ? call.args[0] : BigInt(pointerArg(call, 'dynptr_from_mem', 0, size));
    writeDynptr(call, address, data, DYNPTR_TYPE_LOCAL, size);
    return 0n;
  },
  /** A record of `size` bytes reserved in the ring buffer; a NULL dynptr and -EINVAL when it does not fit. */
  ringbuf_reserve_dynptr: (call) => {
    const address = pointerArg(call, 'ringbuf_reserve_dynptr', 3, DYNPTR_BYTES);
    const fail = (code: 'EINVAL' | 'E2BIG') => {
      call.vm.memory.fill(address, DYNPTR_BYTES);
      return errno(code);
    };
    const map = mapArg(call, 'ringbuf_reserve_dynptr', 0);
    if (!(map instanceof RingbufMap)) {
      throw helperFault(call, 'ringbuf_reserve_dynptr', `map type ${map.typeName} is not a ringbuf`);
    }
    if (call.args[2] !== 0n) return fail('EINVAL');
    const size = u32(call.args[1]);
    if (size > DYNPTR_SIZE_MASK) return fail('E2BIG');
    const sample = map.reserve(size);
    if (sample === 0) return fail('EINVAL');
    writeDynptr(call, address, BigInt(sample), DYNPTR_TYPE_RINGBUF, size);
    return 0n;
  },
  ringbuf_submit_dynptr: commitDynptr('ringbuf_submit_dynptr', false),
  ringbuf_discard_dynptr: commitDynptr('ringbuf_discard_dynptr', true),
  /** Kernel bpf_dynptr_data: a pointer into a local or ringbuf dynptr's writable bytes, else NULL. */
  dynptr_data: (call) => {
    const ptr = readDynptr(call, 'dynptr_data', 0);
    const offset = u32(call.args[1]);
    const length = u32(call.args[2]);
    if (ptr.data === 0n || outside(ptr, offset, length) || ptr.rdonly || !isMemory(ptr)) return 0n;
    return ptr.data + BigInt(ptr.offset + offset);
  },
  dynptr_read: (call) => {
    const length = u32(call.args[1]);
    const ptr = readDynptr(call, 'dynptr_read', 2);
    const offset = u32(call.args[3]);
    if (ptr.data === 0n || call.args[4] !== 0n) return errno('EINVAL');
    if (outside(ptr, offset, length)) return errno('E2BIG');
    const gone = outsidePacket(call, 'dynptr_read', ptr, offset, length);
    if (gone !== undefined) {
      // The skb load clears the destination when it fails.
      if (ptr.type === DYNPTR_TYPE_SKB)
        call.vm.memory.fill(pointerArg(call, 'dynptr_read', 0, length), length);
      return gone;
    }
    copy(call, 'dynptr_read', ptr, offset, pointerArg(call, 'dynptr_read', 0, length), length, false);
    return 0n;
  },
  dynptr_write: (call) => {
    const ptr = readDynptr(call, 'dynptr_write', 0);
    const offset = u32(call.args[1]);
    const length = u32(call.args[3]);
    const flags = call.args[4];
    if (ptr.data === 0n || ptr.rdonly) return errno('EINVAL');
    if (outside(ptr, offset, length)) return errno('E2BIG');
    // skb: bpf_skb_store_bytes' flags (checksum recomputation, a no-op on a test-run skb); others take none.
    const allowed = ptr.type === DYNPTR_TYPE_SKB ? 0x3n : 0n;
    if ((flags & ~allowed) !== 0n) return errno('EINVAL');
    const gone = outsidePacket(call, 'dynptr_write', ptr, offset, length);
    if (gone !== undefined) return gone;
    copy(call, 'dynptr_write', ptr, offset, pointerArg(call, 'dynptr_write', 2, length), length, true);
    return 0n;
  },
};

export const DYNPTR_KFUNCS: Readonly<Record<string, HelperImplementation>> = {
  bpf_dynptr_from_xdp: fromPacket('dynptr_from_xdp', DYNPTR_TYPE_XDP),
  bpf_dynptr_from_skb: fromPacket('dynptr_from_skb', DYNPTR_TYPE_SKB),
  bpf_dynptr_slice: slice('dynptr_slice', false),
  bpf_dynptr_slice_rdwr: slice('dynptr_slice_rdwr', true),
  /** Kernel bpf_dynptr_clone: the same view of the same data; a NULL parent gives a NULL clone and -EINVAL. */
  bpf_dynptr_clone: (call) => {
    const ptr = readDynptr(call, 'dynptr_clone', 0);
    const clone = pointerArg(call, 'dynptr_clone', 1, DYNPTR_BYTES);
    if (ptr.data === 0n) {
      call.vm.memory.fill(clone, DYNPTR_BYTES);
      return errno('EINVAL');
    }
    call.vm.memory.copy(clone, ptr.address, DYNPTR_BYTES);
    return 0n;
  },
  bpf_dynptr_size: (call) => {
    const ptr = readDynptr(call, 'dynptr_size', 0);
    // Kernel: the u32 return carries -EINVAL in its low 32 bits.
    return ptr.data === 0n ? BigInt(-22 >>> 0) : BigInt(ptr.size);
  },
  bpf_dynptr_is_null: (call) => (readDynptr(call, 'dynptr_is_null', 0).data === 0n ? 1n : 0n),
  bpf_dynptr_is_rdonly: (call) => {
    const ptr = readDynptr(call, 'dynptr_is_rdonly', 0);
    return ptr.data !== 0n && ptr.rdonly ? 1n : 0n;
  },
  /** Kernel bpf_dynptr_adjust: [start, end) of the current view becomes the view. */
  bpf_dynptr_adjust: (call) => {
    const ptr = readDynptr(call, 'dynptr_adjust', 0);
    const start = u32(call.args[1]);
    const end = u32(call.args[2]);
    if (ptr.data === 0n || start > end) return errno('EINVAL');
    if (end > ptr.size) return errno('ERANGE');
    const view = call.vm.memory.view();
    const sizeWord = view.getUint32(ptr.address + 8, true);
    view.setUint32(ptr.address + 8, ((sizeWord & ~DYNPTR_SIZE_MASK) | (end - start)) >>> 0, true);
    view.setUint32(ptr.address + 12, ptr.offset + start, true);
    return 0n;
  },
};
