// The kernel structs a test-run's context stands for (sk_buff or xdp_buff, with the net_device and xdp_rxq_info
// they point to), laid out in VmMemory at the reference kernel's offsets for bpf_cast_to_kern_ctx.
//
// They are written when the program calls bpf_cast_to_kern_ctx, from the context as it is then, and again
// whenever a helper moves the packet. sk_buff members a `__sk_buff` field mirrors (mark, priority, len, ...) are
// read from that field wherever the verifier sees a load of them (src/vm/executable.ts), so a store through
// `__sk_buff` after the call shows through the kernel pointer at once, as in the kernel's one struct.

import { XDP_MD_FIELDS, fieldOffset } from '../../abi/context-structs.js';
import { kernelMemberOffset, kernelStructByName } from '../../abi/kernel-structs.js';
import type { VmMemory } from '../memory.js';
import type { NetworkInterface } from '../network.js';
import type { RunState, VmServices } from '../runtime.js';
import { PacketState } from './packet.js';
import { SKB_SHARED_INFO_SIZE, type SkbContext, skbContextOf } from './skb.js';
import { kernelSockOf } from './test-run-socket.js';

/** Byte offset of a member the runtime fills; a missing one is a bug in the table, caught at start-up. */
function at(struct: string, path: string): number {
  const offset = kernelMemberOffset(struct, path);
  if (offset === undefined) throw new Error(`kernel-structs: struct ${struct} has no member ${path}`);
  return offset;
}

function sizeOf(struct: string): number {
  const found = kernelStructByName(struct);
  if (found === undefined) throw new Error(`kernel-structs: no struct ${struct}`);
  return found.size;
}

const SKB = {
  size: sizeOf('sk_buff'),
  dev: at('sk_buff', 'dev'),
  sk: at('sk_buff', 'sk'),
  tstamp: at('sk_buff', 'tstamp'),
  cb: at('sk_buff', 'cb'),
  len: at('sk_buff', 'len'),
  dataLen: at('sk_buff', 'data_len'),
  queueMapping: at('sk_buff', 'queue_mapping'),
  /** The byte holding pkt_type's three bits (the kernel's __pkt_type_offset). */
  pktTypeByte: at('sk_buff', '__pkt_type_offset'),
  tcIndex: at('sk_buff', 'tc_index'),
  priority: at('sk_buff', 'priority'),
  skbIif: at('sk_buff', 'skb_iif'),
  hash: at('sk_buff', 'hash'),
  vlanProto: at('sk_buff', 'vlan_proto'),
  vlanTci: at('sk_buff', 'vlan_tci'),
  napiId: at('sk_buff', 'napi_id'),
  mark: at('sk_buff', 'mark'),
  protocol: at('sk_buff', 'protocol'),
  transportHeader: at('sk_buff', 'transport_header'),
  networkHeader: at('sk_buff', 'network_header'),
  macHeader: at('sk_buff', 'mac_header'),
  tail: at('sk_buff', 'tail'),
  end: at('sk_buff', 'end'),
  head: at('sk_buff', 'head'),
  data: at('sk_buff', 'data'),
};

const XDP = {
  size: sizeOf('xdp_buff'),
  data: at('xdp_buff', 'data'),
  dataEnd: at('xdp_buff', 'data_end'),
  dataMeta: at('xdp_buff', 'data_meta'),
  dataHardStart: at('xdp_buff', 'data_hard_start'),
  rxq: at('xdp_buff', 'rxq'),
  frameSz: at('xdp_buff', 'frame_sz'),
  rxqSize: sizeOf('xdp_rxq_info'),
  rxqDev: at('xdp_rxq_info', 'dev'),
  rxqQueueIndex: at('xdp_rxq_info', 'queue_index'),
};

const XDP_MD_INGRESS_IFINDEX = fieldOffset(XDP_MD_FIELDS, 'ingress_ifindex', 'xdp_md');
const XDP_MD_RX_QUEUE_INDEX = fieldOffset(XDP_MD_FIELDS, 'rx_queue_index', 'xdp_md');

const NETDEV = {
  size: sizeOf('net_device'),
  ifindex: at('net_device', 'ifindex'),
  mtu: at('net_device', 'mtu'),
  name: at('net_device', 'name'),
  type: at('net_device', 'type'),
  addrLen: at('net_device', 'addr_len'),
};

/** Kernel: ARPHRD_LOOPBACK and ARPHRD_ETHER, ETH_ALEN. */
const ARPHRD_LOOPBACK = 772;
const ARPHRD_ETHER = 1;
const ETH_ALEN = 6;
/** Kernel: skb->transport_header is ~0 (u16) until set. */
const HEADER_UNSET = 0xffff;

/**
 * Bytes kmalloc really gives for a request (ksize): its size classes, then whole pages in powers of two. The
 * kernel's test-run skb ends where that block's skb_shared_info starts (slab_build_skb).
 */
function kmallocSize(size: number): number {
  if (size > 64 && size <= 96) return 96;
  if (size > 128 && size <= 192) return 192;
  return Math.max(8, 2 ** Math.ceil(Math.log2(size)));
}

/** The kernel structs built for one run's packet (freed with it). */
interface KernelContext {
  readonly root: number;
  readonly netdev: number;
  readonly rxq: number;
}

const built = new WeakMap<PacketState, KernelContext>();

/**
 * bpf_cast_to_kern_ctx at run time: the address of the kernel struct behind the run's context, (re)written from
 * the context now; undefined for a run with no skb or xdp packet.
 */
export function kernelContextAddress(vm: VmServices, run: RunState): number | undefined {
  const packet = run.packet;
  if (!(packet instanceof PacketState)) return undefined;
  const skb = packet.kind === 'skb' ? skbContextOf(packet) : undefined;
  if (packet.kind === 'skb' && skb === undefined) return undefined;
  let kernel = built.get(packet);
  if (kernel === undefined) {
    kernel = allocate(vm.memory, packet, skb);
    built.set(packet, kernel);
    const made = kernel;
    packet.onChange(() => writePacketFields(vm.memory, packet, made));
    packet.onRelease(() => {
      // The sk_buff lives in the SkbContext's block, which the context frees.
      if (skb === undefined) vm.memory.free(made.root);
      vm.memory.free(made.netdev);
      if (made.rxq !== 0) vm.memory.free(made.rxq);
    });
  }
  const memory = vm.memory;
  memory.write(kernel.root, new Uint8Array(packet.kind === 'skb' ? SKB.size : XDP.size));
  if (skb !== undefined) {
    writeSkb(memory, skb, kernel);
    writeNetdev(memory, kernel.netdev, vm.network.interface(packet.deviceIfindex));
  } else {
    const ifindex = memory.readU32(run.ctx + XDP_MD_INGRESS_IFINDEX);
    memory.writeU64(kernel.root + XDP.rxq, BigInt(kernel.rxq));
    memory.writeU32(kernel.root + XDP.frameSz, packet.bufferSize);
    memory.writeU64(kernel.rxq + XDP.rxqDev, BigInt(kernel.netdev));
    memory.writeU32(kernel.rxq + XDP.rxqQueueIndex, memory.readU32(run.ctx + XDP_MD_RX_QUEUE_INDEX));
    writeNetdev(memory, kernel.netdev, vm.network.interface(ifindex));
  }
  writePacketFields(memory, packet, kernel);
  return kernel.root;
}

function allocate(memory: VmMemory, packet: PacketState, skb: SkbContext | undefined): KernelContext {
  const root = skb !== undefined ? skb.kernelAddress : memory.allocate(XDP.size);
  const netdev = memory.allocate(NETDEV.size);
  const rxq = packet.kind === 'xdp' ? memory.allocate(XDP.rxqSize) : 0;
  return { root, netdev, rxq };
}

/** The members that follow the packet: pointers and offsets into its buffer, its length. */
function writePacketFields(memory: VmMemory, packet: PacketState, kernel: KernelContext): void {
  const root = kernel.root;
  if (packet.kind === 'xdp') {
    memory.writeU64(root + XDP.data, BigInt(packet.data));
    memory.writeU64(root + XDP.dataEnd, BigInt(packet.dataEnd));
    memory.writeU64(root + XDP.dataMeta, BigInt(packet.dataMeta));
    memory.writeU64(root + XDP.dataHardStart, BigInt(packet.bufferStart));
    return;
  }
  // Kernel (64-bit): head and data are pointers, the header marks and tail/end offsets from head.
  const head = packet.bufferStart;
  memory.writeU64(root + SKB.head, BigInt(head));
  memory.writeU64(root + SKB.data, BigInt(packet.data));
  memory.writeU32(root + SKB.len, packet.length);
  memory.writeU32(root + SKB.tail, packet.dataEnd - head);
  memory.writeU32(root + SKB.end, kmallocSize(packet.bufferSize) - SKB_SHARED_INFO_SIZE);
  memory.writeU16(root + SKB.macHeader, packet.macHeader - head);
  memory.writeU16(root + SKB.networkHeader, packet.networkHeader - head);
}

function writeSkb(memory: VmMemory, skb: SkbContext, kernel: KernelContext): void {
  const root = kernel.root;
  const u32 = (name: Parameters<SkbContext['getU32']>[0]) => skb.getU32(name);
  memory.writeU64(root + SKB.dev, BigInt(kernel.netdev));
  // skb->sk: the test-run socket's struct sock, not the struct bpf_sock __sk_buff's sk points to.
  const sk = Number(skb.get('sk') as bigint);
  memory.writeU64(root + SKB.sk, BigInt(kernelSockOf(memory, sk) ?? sk));
  memory.writeU64(root + SKB.tstamp, skb.get('tstamp') as bigint);
  memory.writeU16(root + SKB.queueMapping, u32('queue_mapping'));
  memory.writeU8(root + SKB.pktTypeByte, u32('pkt_type') & 7);
  memory.writeU16(root + SKB.tcIndex, u32('tc_index'));
  memory.writeU32(root + SKB.priority, u32('priority'));
  memory.writeU32(root + SKB.skbIif, u32('ingress_ifindex'));
  memory.writeU32(root + SKB.hash, u32('hash'));
  // __sk_buff keeps protocol and vlan_proto as the kernel stores them (network order in a u16).
  memory.writeU16(root + SKB.vlanProto, u32('vlan_proto'));
  memory.writeU16(root + SKB.vlanTci, u32('vlan_tci'));
  memory.writeU32(root + SKB.napiId, u32('napi_id'));
  memory.writeU32(root + SKB.mark, u32('mark'));
  memory.writeU16(root + SKB.protocol, u32('protocol'));
  const transport = skb.transportHeader;
  memory.writeU16(
    root + SKB.transportHeader,
    transport === undefined ? HEADER_UNSET : transport - skb.packet.bufferStart,
  );
}

function writeNetdev(memory: VmMemory, address: number, device: NetworkInterface | undefined): void {
  memory.write(address, new Uint8Array(NETDEV.size));
  if (device === undefined) return;
  memory.writeU32(address + NETDEV.ifindex, device.ifindex);
  memory.writeU32(address + NETDEV.mtu, device.mtu);
  memory.write(address + NETDEV.name, new TextEncoder().encode(device.name).subarray(0, 15));
  memory.writeU16(address + NETDEV.type, device.ifindex === 1 ? ARPHRD_LOOPBACK : ARPHRD_ETHER);
  memory.writeU8(address + NETDEV.addrLen, ETH_ALEN);
}
