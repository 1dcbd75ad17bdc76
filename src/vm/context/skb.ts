// `struct __sk_buff` in VmMemory over an skb PacketState, for socket_filter, sched_cls and sched_act programs.

import { SK_BUFF_FIELDS } from '../../abi/context-structs.js';
import { kernelStructByName } from '../../abi/kernel-structs.js';
import type { VmMemory } from '../memory.js';
import { PacketState } from './packet.js';

/** Kernel: ETH_HLEN. */
export const ETH_HLEN = 14;
/** Kernel: NET_SKB_PAD + NET_IP_ALIGN on x86-64, the headroom test-run reserves in front of the packet. */
export const SKB_HEADROOM = 64;
/** Kernel: SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64 (measured: test-run takes 4096 - 64 - 320 bytes). */
export const SKB_SHARED_INFO_SIZE = 320;
export const SK_BUFF_SIZE = 192;
/**
 * Bytes in front of the __sk_buff image for the kernel's sk_buff (bpf_cast_to_kern_ctx): one block, so that a
 * load of a member a __sk_buff field mirrors can read the field at a fixed distance (src/vm/executable.ts).
 */
export const KERNEL_SK_BUFF_ROOM = Math.ceil((kernelStructByName('sk_buff')?.size ?? 0) / 8) * 8;

/** Kernel: PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST (pkt_type values eth_type_trans gives). */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;

const ETH_P_802_3 = 0x0001;
const ETH_P_802_2 = 0x0004;
const ETH_P_802_3_MIN = 0x0600;

export type SkbFieldName = (typeof SK_BUFF_FIELDS)[number]['name'];

const FIELD_BY_NAME = new Map(SK_BUFF_FIELDS.map((field) => [field.name, field]));

/**
 * Kernel eth_type_trans for a frame received on a device with the given MAC and broadcast addresses (the
 * loopback device test-run uses has both all-zero): the EtherType in host order and the packet type.
 */
export function ethTypeTrans(
  frame: Uint8Array,
  deviceAddress: Uint8Array = new Uint8Array(6),
  broadcastAddress: Uint8Array = new Uint8Array(6),
): { protocol: number; pktType: number } {
  const destination = frame.subarray(0, 6);
  const equal = (a: Uint8Array, b: Uint8Array): boolean => a.every((byte, i) => byte === b[i]);
  let pktType = PACKET_HOST;
  if (destination[0] & 1)
    pktType = equal(destination, broadcastAddress) ? PACKET_BROADCAST : PACKET_MULTICAST;
  else if (!equal(destination, deviceAddress)) pktType = PACKET_OTHERHOST;
  const etherType = (frame[12] << 8) | frame[13];
  if (etherType >= ETH_P_802_3_MIN) return { protocol: etherType, pktType };
  // Old 802.3 frames: a raw IPX payload starts with 0xFFFF; everything else is 802.2 LLC.
  const rawIpx = frame.length >= ETH_HLEN + 2 && frame[ETH_HLEN] === 0xff && frame[ETH_HLEN + 1] === 0xff;
  return { protocol: rawIpx ? ETH_P_802_3 : ETH_P_802_2, pktType };
}

export interface SkbContextOptions {
  /** The frame as received, Ethernet header first. */
  readonly frame: Uint8Array;
  /** tc programs see the frame from its Ethernet header; socket filters from the network header. */
  readonly linkLayer: boolean;
  /** Initial field values (numbers for u32 fields, bigint for u64, bytes for cb). */
  readonly fields?: Partial<Record<SkbFieldName, number | bigint | Uint8Array>>;
  /** skb->dev's ifindex (default 1, lo). */
  readonly ifindex?: number;
}

/** Kernel: skb->ip_summed values. */
export const CHECKSUM_NONE = 0;
export const CHECKSUM_UNNECESSARY = 1;

/** What bpf_skb_set_tunnel_key/opt attach to the skb (the kernel's metadata dst ip_tunnel_info). */
export interface TunnelInfo {
  readonly ipv6: boolean;
  readonly id: bigint;
  readonly tos: number;
  readonly ttl: number;
  /** Kernel key.tun_flags as bpf_tunnel_key.tunnel_flags reports them (big-endian bits, host value). */
  readonly flags: number;
  /** key.u.ipv4/ipv6 src and dst as stored (network order bytes; 4 or 16). */
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly label: number;
  options: Uint8Array;
}

const contexts = new WeakMap<PacketState, SkbContext>();

/** The SkbContext over a packet, for helpers that change skb state beside the bytes. */
export function skbContextOf(packet: PacketState): SkbContext | undefined {
  return contexts.get(packet);
}

/** skb_shinfo()->gso_type bits the helpers look at (include/linux/skbuff.h). */
export const SKB_GSO_TCPV4 = 1 << 0;
export const SKB_GSO_TCPV6 = 1 << 4;
export const SKB_GSO_UDP_L4 = 1 << 16;

/** A __sk_buff a program reads and writes in VmMemory; data/data_end/data_meta/len follow the packet. */
export class SkbContext {
  readonly address: number;
  /** Where bpf_cast_to_kern_ctx writes the kernel's sk_buff: KERNEL_SK_BUFF_ROOM bytes before `address`. */
  readonly kernelAddress: number;
  readonly packet: PacketState;
  readonly memory: VmMemory;
  /** skb state no __sk_buff field shows, which helpers read and change (test-run starts them all clear). */
  ipSummed = CHECKSUM_NONE;
  csumLevel = 0;
  l4Hash = false;
  swHash = false;
  encapsulation = false;
  /** skb->transport_header: unset in test-run skbs until a helper sets it. */
  transportHeader: number | undefined;
  /** The metadata dst bpf_skb_set_tunnel_key attached, if any. */
  tunnel: TunnelInfo | undefined;
  /** skb_shinfo(skb)->gso_type: 0 in test-run, even for a gso_size given in ctx_in (a "type-less" GSO skb). */
  gsoType = 0;

  constructor(memory: VmMemory, options: SkbContextOptions) {
    this.memory = memory;
    const frame = options.frame;
    const alignedSize = Math.ceil(frame.length / 64) * 64;
    this.packet = new PacketState({
      kind: 'skb',
      memory,
      bufferSize: SKB_HEADROOM + alignedSize + SKB_SHARED_INFO_SIZE,
      bytesOffset: SKB_HEADROOM,
      bytes: frame,
      dataOffset: options.linkLayer ? SKB_HEADROOM : SKB_HEADROOM + ETH_HLEN,
      macHeaderOffset: SKB_HEADROOM,
      networkHeaderOffset: SKB_HEADROOM + ETH_HLEN,
      headLimitOffset: 0,
      tailLimitOffset: SKB_HEADROOM + alignedSize,
      deviceIfindex: options.ifindex ?? 1,
    });
    // data_meta is data: test-run skbs carry no metadata.
    this.packet.move({ dataMeta: this.packet.data });
    let address = 0;
    try {
      address = memory.allocate(KERNEL_SK_BUFF_ROOM + SK_BUFF_SIZE);
    } catch (error) {
      this.packet.release();
      throw error;
    }
    this.kernelAddress = address;
    this.address = address + KERNEL_SK_BUFF_ROOM;
    for (const [name, value] of Object.entries(options.fields ?? {})) {
      if (value !== undefined) this.set(name as SkbFieldName, value);
    }
    this.syncPacketFields();
    this.packet.onChange(() => this.syncPacketFields());
    contexts.set(this.packet, this);
  }

  /** skb->protocol in network order as a number (0x0800 for IPv4). */
  get protocol(): number {
    const stored = this.getU32('protocol');
    return ((stored & 0xff) << 8) | ((stored >> 8) & 0xff);
  }

  set protocol(value: number) {
    this.set('protocol', ((value & 0xff) << 8) | ((value >> 8) & 0xff));
  }

  /** skb->vlan_proto (network order value) and vlan_tci: the hardware-accelerated tag; proto 0 is none. */
  get vlanProto(): number {
    const stored = this.getU32('vlan_proto');
    return ((stored & 0xff) << 8) | ((stored >> 8) & 0xff);
  }

  setVlanTag(proto: number, tci: number): void {
    this.set('vlan_proto', ((proto & 0xff) << 8) | ((proto >> 8) & 0xff));
    this.set('vlan_tci', tci & 0xffff);
    this.set('vlan_present', proto !== 0 || tci !== 0 ? 1 : 0);
  }

  /** Kernel __skb_set_sw_hash / skb_clear_hash. */
  setHash(hash: number, l4: boolean, sw: boolean): void {
    this.set('hash', hash >>> 0);
    this.l4Hash = l4;
    this.swHash = sw;
  }

  private syncPacketFields(): void {
    this.set('len', this.packet.length);
    this.set('data', this.packet.data);
    this.set('data_end', this.packet.dataEnd);
    this.set('data_meta', this.packet.dataMeta);
  }

  /** A field's current value (cb: its 20 bytes). */
  get(name: SkbFieldName): bigint | Uint8Array {
    const field = FIELD_BY_NAME.get(name)!;
    const at = this.address + field.offset;
    if (field.size === 8) return this.memory.readU64(at);
    if (field.size === 4) return BigInt(this.memory.readU32(at));
    if (field.size === 1) return BigInt(this.memory.readU8(at));
    return this.memory.read(at, field.size);
  }

  getU32(name: SkbFieldName): number {
    return Number(this.get(name) as bigint);
  }

  set(name: SkbFieldName, value: number | bigint | Uint8Array): void {
    const field = FIELD_BY_NAME.get(name);
    if (field === undefined) throw new RangeError(`__sk_buff has no field '${name}'`);
    const at = this.address + field.offset;
    if (value instanceof Uint8Array) this.memory.write(at, value.subarray(0, field.size));
    else if (field.size === 8) this.memory.writeU64(at, value);
    else if (field.size === 4) this.memory.writeU32(at, Number(BigInt.asUintN(32, BigInt(value))));
    else if (field.size === 1) this.memory.writeU8(at, Number(BigInt(value) & 0xffn));
    else throw new RangeError(`__sk_buff field '${name}' takes bytes`);
  }

  /** The packet from skb->data (what tc's test-run returns; socket filters get the Ethernet header zeroed in front). */
  contents(): Uint8Array {
    return this.packet.read(this.packet.data, this.packet.dataEnd);
  }

  release(): void {
    this.packet.release();
    this.memory.free(this.kernelAddress);
  }
}
