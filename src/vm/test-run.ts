// BPF_PROG_TEST_RUN for the VM: the kernel's input checks and context setup for each program type it can
// test-run (net/bpf/test_run.c, measured against Linux 6.18): skb and xdp here, the others in their own modules.

import { TestRunSocket } from './context/test-run-socket.js';
import { SkStorageMap } from './maps/sk-storage-map.js';
import { CONTEXT_LAYOUTS } from '../abi/context.js';
import { SK_BUFF_FIELDS } from '../abi/context-structs.js';
import { dummySocket, dummySocketSkbFields } from './context/dummy-socket.js';
import {
  ETH_HLEN,
  ethTypeTrans,
  SK_BUFF_SIZE,
  SKB_HEADROOM,
  SKB_SHARED_INFO_SIZE,
  SkbContext,
} from './context/skb.js';
import {
  XDP_FRAME_SIZE,
  XDP_MD_SIZE,
  XDP_PACKET_HEADROOM,
  XdpContext,
  xdpMetaLengthInvalid,
} from './context/xdp.js';
import {
  type Engine,
  type ExecutableProgram,
  type HelperTable,
  RuntimeFault,
  type VmServices,
} from './runtime.js';
import { flowDissectorTestRun } from './test-run-flow-dissector.js';
import { rawTracepointTestRun, syscallTestRun } from './test-run-raw-context.js';
import { skLookupTestRun } from './test-run-sk-lookup.js';
import {
  contextIn,
  finish,
  PAGE_SIZE,
  refused,
  runRepeated,
  type TestRunOptions,
  type TestRunResult,
  u32At,
} from './test-run-support.js';

export { refused } from './test-run-support.js';
export type { TestRunError, TestRunOptions, TestRunResult } from './test-run-support.js';

/** Kernel: GSO_LEGACY_MAX_SIZE and GSO_MAX_SEGS, the bounds test-run puts on wire_len and gso_segs. */
const GSO_LEGACY_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;
/** Kernel: MAX_SKB_FRAGS (17): the pages an xdp test run spreads a packet over past its linear part. */
const MAX_SKB_FRAGS = 17;
/** The loopback device test-run receives packets on. */
const LOOPBACK_IFINDEX = 1;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const IPV4_HEADER_SIZE = 20;
const IPV6_HEADER_SIZE = 40;

/**
 * Program types bpf_prog_test_run_skb runs. Only tc programs see the Ethernet header; the others start at the
 * network header and get it back zeroed in data_out.
 */
const SKB_PROGRAM_TYPES = new Set([
  'socket_filter',
  'sched_cls',
  'sched_act',
  'cgroup_skb',
  'lwt_in',
  'lwt_out',
  'lwt_xmit',
]);
const LINK_LAYER_TYPES = new Set(['sched_cls', 'sched_act']);

const SKB_FIELD = new Map(SK_BUFF_FIELDS.map((field) => [field.name, field]));

function skbFieldRange(name: string): [number, number] {
  const field = SKB_FIELD.get(name)!;
  return [field.offset, field.offset + field.size];
}

/** Kernel convert___skb_to_skb: every byte outside the fields test-run takes must be zero. */
const SKB_CTX_IN_FIELDS = CONTEXT_LAYOUTS.socket_filter!.testRunCtxFields;

function skbTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  if (options.flags || options.cpu)
    return refused('EINVAL', 'skb programs take no test-run flags and no cpu');
  const data = options.data ?? new Uint8Array(0);
  if (data.length < ETH_HLEN || data.length > PAGE_SIZE - SKB_HEADROOM - SKB_SHARED_INFO_SIZE) {
    return refused(
      'EINVAL',
      `data of ${data.length} bytes: skb test runs take ${ETH_HLEN}..${PAGE_SIZE - SKB_HEADROOM - SKB_SHARED_INFO_SIZE}`,
    );
  }
  const ctxIn = contextIn(options, SK_BUFF_SIZE);
  if (ctxIn === 'E2BIG')
    return refused(
      'E2BIG',
      `ctx of ${options.ctx?.length} bytes: struct __sk_buff is ${SK_BUFF_SIZE}; past it only zeros, ${PAGE_SIZE} bytes at most`,
    );
  const linkLayer = LINK_LAYER_TYPES.has(program.type);
  const { protocol, pktType } = ethTypeTrans(data);
  const packetLength = data.length - ETH_HLEN;
  // Linux 6.18 refuses IPv4 and IPv6 packets whose network header is shorter than struct iphdr / ipv6hdr
  // (measured through the oracle: 0x0800 needs 14 + 20 bytes, 0x86dd 14 + 40; other protocols 14).
  const minimumNetworkHeader =
    protocol === ETH_P_IP ? IPV4_HEADER_SIZE : protocol === ETH_P_IPV6 ? IPV6_HEADER_SIZE : 0;
  if (packetLength < minimumNetworkHeader) {
    return refused(
      'EINVAL',
      `${packetLength} bytes after the Ethernet header are shorter than its network header`,
    );
  }
  let device = LOOPBACK_IFINDEX;
  if (ctxIn !== undefined) {
    const ifindex = u32At(ctxIn, skbFieldRange('ifindex')[0]);
    // Kernel: an ifindex above lo's puts the skb on that device, which must exist (declared devices do).
    if (ifindex > LOOPBACK_IFINDEX) {
      if (vm.network.interface(ifindex) === undefined) {
        return refused('ENODEV', `no network device with ifindex ${ifindex}`);
      }
      device = ifindex;
    }
    const allowed = SKB_CTX_IN_FIELDS.map(skbFieldRange);
    for (let i = 0; i < SK_BUFF_SIZE; i++) {
      if (ctxIn[i] !== 0 && !allowed.some(([from, to]) => i >= from && i < to)) {
        const field = SK_BUFF_FIELDS.find((f) => i >= f.offset && i < f.offset + f.size);
        // the bytes after tstamp_type are the only ones no field covers
        return refused('EINVAL', `ctx field '${field?.name ?? '(padding)'}' must be zero in test runs`);
      }
    }
  }
  // skb->len when the ctx is converted: tc programs have the Ethernet header pushed back already.
  const lengthAtConversion = linkLayer ? data.length : packetLength;
  const wireLength = ctxIn === undefined ? 0 : u32At(ctxIn, skbFieldRange('wire_len')[0]);
  if (wireLength !== 0 && (wireLength < lengthAtConversion || wireLength > GSO_LEGACY_MAX_SIZE)) {
    return refused(
      'EINVAL',
      `wire_len ${wireLength} is below the packet length or above ${GSO_LEGACY_MAX_SIZE}`,
    );
  }
  if (ctxIn !== undefined && u32At(ctxIn, skbFieldRange('gso_segs')[0]) > GSO_MAX_SEGS) {
    return refused('EINVAL', `gso_segs above ${GSO_MAX_SEGS}`);
  }
  const field = (name: string): Uint8Array | undefined =>
    ctxIn === undefined ? undefined : ctxIn.slice(...skbFieldRange(name));
  const dummy = dummySocket(data, protocol);
  const context = new SkbContext(vm.memory, {
    frame: data,
    linkLayer,
    ifindex: device,
    fields: {
      pkt_type: pktType,
      // skb->protocol is big-endian; a u32 load of the field gives the two bytes as stored.
      protocol: ((protocol & 0xff) << 8) | (protocol >> 8),
      ifindex: device,
      ...dummySocketSkbFields(dummy),
      ...(ctxIn === undefined
        ? {}
        : {
            mark: field('mark'),
            priority: field('priority'),
            ingress_ifindex: field('ingress_ifindex'),
            cb: field('cb'),
            tstamp: field('tstamp'),
            wire_len: wireLength === 0 ? lengthAtConversion : wireLength,
            gso_segs: field('gso_segs'),
            gso_size: field('gso_size'),
            hwtstamp: field('hwtstamp'),
          }),
    } as Record<string, Uint8Array | number>,
  });
  // Kernel: the skb belongs to a socket made for this test run (skb->sk); its local storage goes with it.
  const socket = new TestRunSocket(vm.memory, data);
  context.set('sk', BigInt(socket.address));
  try {
    const cpu = vm.currentCpu ?? 0;
    const outcome = runRepeated(
      engine,
      program,
      { ctx: context.address, cpu, packet: context.packet },
      vm,
      helpers,
      options,
    );
    if (outcome instanceof RuntimeFault)
      return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
    const contents = context.contents();
    // Socket filters ran without the Ethernet header; the kernel pushes it back zeroed.
    const dataOut = linkLayer ? contents : new Uint8Array(ETH_HLEN + contents.length);
    if (!linkLayer) dataOut.set(contents, ETH_HLEN);
    let ctxOut = new Uint8Array(0);
    if (ctxIn !== undefined) {
      ctxOut = ctxIn.slice();
      for (const name of [
        'mark',
        'priority',
        'ingress_ifindex',
        'ifindex',
        'tstamp',
        'cb',
        'wire_len',
        'gso_segs',
        'hwtstamp',
      ]) {
        const [from, to] = skbFieldRange(name);
        ctxOut.set(vm.memory.read(context.address + from, to - from), from);
      }
    }
    return finish({ ...outcome, dataOut, ctxOut: ctxIn === undefined ? undefined : ctxOut }, options);
  } finally {
    for (const map of vm.maps) if (map instanceof SkStorageMap) map.dropSocket(socket.address);
    socket.release();
    context.release();
  }
}

function xdpTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  if (options.flags) {
    return refused('EINVAL', 'xdp test-run flags (BPF_F_TEST_XDP_LIVE_FRAMES) are not supported by tsbpf');
  }
  const ctxIn = contextIn(options, XDP_MD_SIZE);
  if (ctxIn === 'E2BIG')
    return refused(
      'E2BIG',
      `ctx of ${options.ctx?.length} bytes: struct xdp_md is ${XDP_MD_SIZE}; past it only zeros, ${PAGE_SIZE} bytes at most`,
    );
  const data = options.data ?? new Uint8Array(0);
  let metaLength = 0;
  let ingressIfindex = LOOPBACK_IFINDEX;
  let rxQueueIndex = 0;
  let linearEnd = data.length;
  if (ctxIn !== undefined) {
    const [dataField, dataEnd, dataMeta, ingress, rxQueue, egress] = [0, 4, 8, 12, 16, 20].map((o) =>
      u32At(ctxIn, o),
    );
    // A data_end below the data size is where the linear part ends (metadata included); the rest goes to fragments.
    if (dataMeta !== 0 || dataEnd > data.length || dataField > dataEnd || xdpMetaLengthInvalid(dataField)) {
      return refused(
        'EINVAL',
        'xdp_md needs data_meta 0, data_end at most the data size, data (metadata length) a multiple of 4 below 256',
      );
    }
    metaLength = dataField;
    linearEnd = dataEnd;
    if (egress !== 0) return refused('EINVAL', 'xdp_md.egress_ifindex must be 0');
    if (ingress === 0 && rxQueue !== 0) return refused('EINVAL', 'rx_queue_index needs an ingress_ifindex');
    if (ingress !== 0) {
      const known = vm.network.interface(ingress) !== undefined;
      if (!known) return refused('ENODEV', `no network device with ifindex ${ingress}`);
      // Each simulated device has one receive queue.
      if (rxQueue >= 1)
        return refused('EINVAL', `rx_queue_index ${rxQueue} is not a queue of device ${ingress}`);
      ingressIfindex = ingress;
      rxQueueIndex = rxQueue;
    }
  }
  const linearCapacity = XDP_FRAME_SIZE - (XDP_PACKET_HEADROOM - metaLength) - SKB_SHARED_INFO_SIZE;
  if (data.length < ETH_HLEN) {
    return refused('EINVAL', `data of ${data.length} bytes is shorter than an Ethernet header`);
  }
  // Past the linear part the packet goes into page-sized fragments, at most MAX_SKB_FRAGS of them.
  const linearLength = Math.min(linearEnd, linearCapacity);
  const largest = linearLength + MAX_SKB_FRAGS * PAGE_SIZE;
  if (data.length > largest) {
    return refused('ENOMEM', `data of ${data.length} bytes: xdp test runs take at most ${largest}`);
  }
  const context = new XdpContext(vm.memory, {
    bytes: data,
    linearLength,
    metaLength,
    ingressIfindex,
    rxQueueIndex,
  });
  try {
    const cpu = vm.currentCpu ?? 0;
    const outcome = runRepeated(
      engine,
      program,
      { ctx: context.address, cpu, packet: context.packet },
      vm,
      helpers,
      options,
    );
    if (outcome instanceof RuntimeFault)
      return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
    let ctxOut: Uint8Array | undefined;
    if (ctxIn !== undefined) {
      ctxOut = ctxIn.slice();
      const view = new DataView(ctxOut.buffer);
      view.setUint32(0, context.packet.data - context.packet.dataMeta, true);
      view.setUint32(4, context.packet.dataEnd - context.packet.dataMeta, true);
    }
    const result = finish({ ...outcome, dataOut: context.contents(), ctxOut }, options);
    if (result.error?.code !== 'ENOSPC' || context.packet.fragments.length === 0) return result;
    // With fragments the kernel cuts the linear part, not the end, or copies nothing (not even retval).
    const cut = context.contentsWithin(result.dataOut.length);
    if (cut !== undefined) return { ...result, dataOut: cut };
    return { ...result, retval: 0, dataOut: new Uint8Array(0), durationNs: 0 };
  } finally {
    context.release();
  }
}

/**
 * BPF_PROG_TEST_RUN of `program` on `vm`. Refusals (the kernel's errno) and runtime faults come back in
 * `error`; never throws for bad input.
 */
export function testRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices,
  helpers: HelperTable,
  options: TestRunOptions = {},
): TestRunResult {
  if (
    options.repeat !== undefined &&
    (!Number.isInteger(options.repeat) || options.repeat < 0 || options.repeat > 0xffff_ffff)
  ) {
    return refused('EINVAL', `repeat ${options.repeat} is not a u32`);
  }
  for (const [name, value] of [
    ['data_size_out', options.dataSizeOut],
    ['ctx_size_out', options.ctxSizeOut],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff)) {
      return refused('EINVAL', `${name} ${value} is not a u32`);
    }
  }
  // The bpf() command itself pairs each buffer with its size, before any program type looks at them.
  if (options.ctx !== undefined && options.ctx.length === 0) {
    return refused('EINVAL', 'ctx_in of 0 bytes (ctx_size_in must be > 0 when ctx_in is given)');
  }
  if ((options.ctx !== undefined || options.ctxOut === true) && options.ctxSizeOut === 0) {
    return refused('EINVAL', 'ctx_size_out is 0 with a ctx_out');
  }
  if (SKB_PROGRAM_TYPES.has(program.type)) return skbTestRun(engine, program, vm, helpers, options);
  switch (program.type) {
    case 'xdp':
      return xdpTestRun(engine, program, vm, helpers, options);
    case 'flow_dissector':
      return flowDissectorTestRun(engine, program, vm, helpers, options);
    case 'sk_lookup':
      return skLookupTestRun(engine, program, vm, helpers, options);
    case 'syscall':
      return syscallTestRun(engine, program, vm, helpers, options);
    case 'raw_tracepoint':
      return rawTracepointTestRun(engine, program, vm, helpers, options);
    case 'struct_ops':
      return refused(
        'ENOTSUPP',
        'struct_ops programs run as callbacks of a kernel subsystem; test-run has no such caller in tsbpf',
      );
    case 'lwt_seg6local':
      // Linux 6.18 gives lwt_seg6local no test_run (measured: ENOTSUPP).
      return refused('ENOTSUPP', 'lwt_seg6local programs have no test run (Linux 6.18 has none either)');
    default:
      return refused('ENOTSUPP', `program type ${program.type} has no test run in tsbpf`);
  }
}
