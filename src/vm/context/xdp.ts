// `struct xdp_md` in VmMemory over an xdp PacketState laid out as test-run's page: headroom, packet, tailroom.

import type { VmMemory } from '../memory.js';
import { PacketState } from './packet.js';
import { SKB_SHARED_INFO_SIZE } from './skb.js';

/** Kernel: XDP_PACKET_HEADROOM. */
export const XDP_PACKET_HEADROOM = 256;
/** The frame test-run gives an xdp program: one page (kernel: frag_size = headroom + max data + tailroom). */
export const XDP_FRAME_SIZE = 4096;
/** Kernel: sizeof(struct xdp_frame) on x86-64; bpf_xdp_adjust_head/meta keep it free at the buffer start (measured). */
export const XDP_FRAME_HEADER_SIZE = 40;
/** The largest linear packet: 4096 - 256 - 320 = 3520 bytes (measured on Linux 6.18). */
export const XDP_MAX_LINEAR = XDP_FRAME_SIZE - XDP_PACKET_HEADROOM - SKB_SHARED_INFO_SIZE;
export const XDP_MD_SIZE = 24;

/** Kernel: xdp_metalen_invalid: metadata is a multiple of 4 bytes and at most 255 of them. */
export function xdpMetaLengthInvalid(length: number): boolean {
  return length % 4 !== 0 || length > 255;
}

export interface XdpContextOptions {
  /** Metadata then packet, as test-run's data_in with xdp_md.data = metaLength. */
  readonly bytes: Uint8Array;
  readonly metaLength?: number;
  /** Bytes of `bytes` in the linear part, metadata included (default: as many as fit); the rest are fragments. */
  readonly linearLength?: number;
  readonly ingressIfindex?: number;
  readonly rxQueueIndex?: number;
}

const OFFSETS = {
  data: 0,
  data_end: 4,
  data_meta: 8,
  ingress_ifindex: 12,
  rx_queue_index: 16,
  egress_ifindex: 20,
};

/** An xdp_md whose data/data_end/data_meta follow the packet as helpers move it. */
export class XdpContext {
  readonly address: number;
  readonly packet: PacketState;
  readonly memory: VmMemory;

  constructor(memory: VmMemory, options: XdpContextOptions) {
    this.memory = memory;
    const metaLength = options.metaLength ?? 0;
    const linearCapacity = XDP_MAX_LINEAR + metaLength;
    const linearLength = Math.min(options.linearLength ?? options.bytes.length, linearCapacity);
    const linear = options.bytes.subarray(0, Math.min(options.bytes.length, linearLength));
    const headroom = XDP_PACKET_HEADROOM - metaLength;
    const fragments = options.bytes.slice(linear.length);
    // Test-run puts what the linear part cannot hold into whole pages, the last one partly filled.
    const fragmentSizes: number[] = [];
    for (let at = 0; at < fragments.length; at += XDP_FRAME_SIZE) {
      fragmentSizes.push(Math.min(XDP_FRAME_SIZE, fragments.length - at));
    }
    this.packet = new PacketState({
      kind: 'xdp',
      memory,
      bufferSize: XDP_FRAME_SIZE,
      bytesOffset: headroom,
      bytes: linear,
      dataOffset: headroom + metaLength,
      headLimitOffset: XDP_FRAME_HEADER_SIZE,
      tailLimitOffset: XDP_FRAME_SIZE - SKB_SHARED_INFO_SIZE,
      fragments,
      fragmentSizes,
      deviceIfindex: options.ingressIfindex ?? 1,
    });
    try {
      this.address = memory.allocate(XDP_MD_SIZE);
    } catch (error) {
      this.packet.release();
      throw error;
    }
    memory.writeU32(this.address + OFFSETS.ingress_ifindex, options.ingressIfindex ?? 1);
    memory.writeU32(this.address + OFFSETS.rx_queue_index, options.rxQueueIndex ?? 0);
    this.syncPacketFields();
    this.packet.onChange(() => this.syncPacketFields());
  }

  private syncPacketFields(): void {
    this.memory.writeU32(this.address + OFFSETS.data, this.packet.data);
    this.memory.writeU32(this.address + OFFSETS.data_end, this.packet.dataEnd);
    this.memory.writeU32(this.address + OFFSETS.data_meta, this.packet.dataMeta);
  }

  /** What test-run returns: metadata and packet (from data_meta to data_end), then any fragments. */
  contents(): Uint8Array {
    const linear = this.packet.read(this.packet.dataMeta, this.packet.dataEnd);
    if (this.packet.fragments.length === 0) return linear;
    const all = new Uint8Array(linear.length + this.packet.fragments.length);
    all.set(linear);
    all.set(this.packet.fragments, linear.length);
    return all;
  }

  /**
   * What test-run copies into a data_out of `room` bytes too small for a packet with fragments (kernel
   * bpf_test_finish): the linear part cut so that every fragment still fits, or nothing (undefined) when the
   * fragments alone exceed the room.
   */
  contentsWithin(room: number): Uint8Array | undefined {
    const fragments = this.packet.fragments;
    if (room < fragments.length) return undefined;
    const linear = this.packet.read(this.packet.dataMeta, this.packet.dataMeta + room - fragments.length);
    const out = new Uint8Array(room);
    out.set(linear);
    out.set(fragments, linear.length);
    return out;
  }

  release(): void {
    this.packet.release();
    this.memory.free(this.address);
  }
}
