// The packet of an skb or xdp run in VmMemory: a buffer with head- and tailroom, the program-visible window,
// and the bounds helpers may move it within. Given to helpers as RunState.packet.

import type { VmMemory } from '../memory.js';

export type PacketKind = 'skb' | 'xdp';

/** Kernel: SKF_NET_OFF and SKF_LL_OFF, the negative LD_ABS/LD_IND offsets that address the headers. */
export const SKF_NET_OFF = -0x100000;
export const SKF_LL_OFF = -0x200000;

export interface PacketInit {
  readonly kind: PacketKind;
  readonly memory: VmMemory;
  /** Bytes of the whole buffer: headroom, packet, tailroom. */
  readonly bufferSize: number;
  /** Offset in the buffer where `bytes` are copied. */
  readonly bytesOffset: number;
  readonly bytes: Uint8Array;
  /** Offsets in the buffer of data and data_meta (default: bytesOffset); data_end is data_meta + bytes.length. */
  readonly dataOffset?: number;
  /** Offsets of the link-layer and network headers (skb). */
  readonly macHeaderOffset?: number;
  readonly networkHeaderOffset?: number;
  /** How far data/data_meta may move down (offset from the buffer start) and data_end up (offset). */
  readonly headLimitOffset: number;
  readonly tailLimitOffset: number;
  /** Bytes beyond the linear area (xdp fragments), and the size of each fragment (default: one of them all). */
  readonly fragments?: Uint8Array;
  readonly fragmentSizes?: readonly number[];
  /** The device the packet is on (skb->dev, xdp's rxq->dev); default 1, lo. */
  readonly deviceIfindex?: number;
}

export class PacketState {
  readonly kind: PacketKind;
  readonly memory: VmMemory;
  /** The buffer moves when a helper needs more head- or tailroom than it has (kernel pskb_expand_head). */
  bufferStart: number;
  bufferSize: number;
  /** skb->data / xdp->data: the first byte the program sees. */
  data: number;
  /** One past the last byte of the linear packet. */
  dataEnd: number;
  /** Start of the metadata in front of data (xdp; equal to data when there is none). */
  dataMeta: number;
  /** skb->mac_header and skb->network_header (skb helpers move them as the kernel's do). */
  macHeader: number;
  networkHeader: number;
  /** Lowest address data_meta or data may move to (xdp: past the xdp_frame kept at the buffer start). */
  headLimit: number;
  /** Highest address data_end may move to (the start of the tailroom the kernel keeps for skb_shared_info). */
  tailLimit: number;
  /** Bytes kept past tailLimit (the kernel's skb_shared_info), kept when the buffer is reallocated. */
  private readonly reservedTail: number;
  /** xdp: the fragments' bytes end to end; `fragmentSizes` says where each ends (kernel skb_shared_info frags). */
  fragments: Uint8Array;
  fragmentSizes: readonly number[];
  /** The device the packet is on: what helpers taking ifindex 0 look at. */
  readonly deviceIfindex: number;
  private readonly listeners: (() => void)[] = [];
  private readonly releaseListeners: (() => void)[] = [];
  private released = false;

  constructor(init: PacketInit) {
    this.kind = init.kind;
    this.memory = init.memory;
    this.bufferSize = init.bufferSize;
    this.bufferStart = init.memory.allocate(init.bufferSize, 64);
    init.memory.write(this.bufferStart + init.bytesOffset, init.bytes);
    this.dataMeta = this.bufferStart + init.bytesOffset;
    this.data = this.bufferStart + (init.dataOffset ?? init.bytesOffset);
    this.dataEnd = this.dataMeta + init.bytes.length;
    this.macHeader = this.bufferStart + (init.macHeaderOffset ?? init.bytesOffset);
    this.networkHeader = this.bufferStart + (init.networkHeaderOffset ?? init.bytesOffset);
    this.headLimit = this.bufferStart + init.headLimitOffset;
    this.tailLimit = this.bufferStart + init.tailLimitOffset;
    this.reservedTail = init.bufferSize - init.tailLimitOffset;
    this.fragments = init.fragments ?? new Uint8Array(0);
    this.fragmentSizes = init.fragmentSizes ?? (this.fragments.length > 0 ? [this.fragments.length] : []);
    this.deviceIfindex = init.deviceIfindex ?? 1;
  }

  /** skb->len / xdp data_end - data. */
  get length(): number {
    return this.dataEnd - this.data;
  }

  get metaLength(): number {
    return this.data - this.dataMeta;
  }

  /** Called after every change of data, data_end or data_meta, so the context's fields follow. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Moves the window (helpers call this) and updates the context. */
  move(window: { data?: number; dataEnd?: number; dataMeta?: number }): void {
    if (window.data !== undefined) this.data = window.data;
    if (window.dataEnd !== undefined) this.dataEnd = window.dataEnd;
    if (window.dataMeta !== undefined) this.dataMeta = window.dataMeta;
    for (const listener of this.listeners) listener();
  }

  get headroom(): number {
    return this.data - this.headLimit;
  }

  get tailroom(): number {
    return this.tailLimit - this.dataEnd;
  }

  /**
   * Kernel pskb_expand_head: a new buffer with `extraHead` more bytes in front and `extraTail` more at the
   * end, the contents copied and every pointer moved with them; the old buffer is freed.
   */
  expand(extraHead: number, extraTail: number): void {
    const size = this.bufferSize + extraHead + extraTail;
    const start = this.memory.allocate(size, 64);
    const shift = start + extraHead - this.bufferStart;
    this.memory.copy(start + extraHead, this.bufferStart, this.tailLimit - this.bufferStart);
    this.memory.free(this.bufferStart);
    this.bufferStart = start;
    this.bufferSize = size;
    this.headLimit = start;
    this.tailLimit = start + size - this.reservedTail;
    this.macHeader += shift;
    this.networkHeader += shift;
    this.move({ data: this.data + shift, dataEnd: this.dataEnd + shift, dataMeta: this.dataMeta + shift });
  }

  /** Replaces the fragments (xdp_adjust_tail grows the last one or releases trailing ones). */
  setFragments(bytes: Uint8Array, sizes: readonly number[]): void {
    this.fragments = bytes;
    this.fragmentSizes = sizes;
  }

  /** A copy of [from, to) of the buffer. */
  read(from: number, to: number): Uint8Array {
    return this.memory.read(from, Math.max(0, to - from));
  }

  /**
   * Legacy LD_ABS/LD_IND: `size` bytes in network order at `offset` from skb->data, or from the network or
   * link-layer header for offsets at SKF_NET_OFF/SKF_LL_OFF; undefined when outside the packet (the program
   * then ends with r0 = 0, as the kernel's bpf_skb_load_helper_* returning -EFAULT makes it).
   */
  loadAbsolute(offset: number, size: 1 | 2 | 4): bigint | undefined {
    if (this.kind !== 'skb' || !Number.isInteger(offset)) return undefined;
    let address: number;
    if (offset >= 0) {
      if (offset > this.length - size) return undefined;
      address = this.data + offset;
    } else if (offset >= SKF_NET_OFF) {
      address = this.networkHeader + offset - SKF_NET_OFF;
    } else if (offset >= SKF_LL_OFF) {
      address = this.macHeader + offset - SKF_LL_OFF;
    } else {
      return undefined;
    }
    if (address < this.bufferStart || address + size > this.dataEnd) return undefined;
    let value = 0n;
    for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(this.memory.readU8(address + i));
    return value;
  }

  /** Called once when the packet is released (what was built for it goes with it). */
  onRelease(listener: () => void): void {
    this.releaseListeners.push(listener);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.memory.free(this.bufferStart);
    for (const listener of this.releaseListeners) listener();
  }
}
