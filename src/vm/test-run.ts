// BPF_PROG_TEST_RUN for the VM: the kernel's input checks and context setup for skb and xdp programs
// (net/bpf/test_run.c, measured against Linux 6.18), repeated runs, data_out and ctx_out.

import { TestRunSocket } from './context/test-run-socket.js';
import { SkStorageMap } from './maps/sk-storage-map.js';
import { ERRNO, type ErrnoName } from '../abi/errno.js';
import { CONTEXT_LAYOUTS } from '../abi/context.js';
import { SK_BUFF_FIELDS } from '../abi/context-structs.js';
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
  type EngineOptions,
  type EngineRun,
  type ExecutableProgram,
  type ExecutionMode,
  type HelperTable,
  type InstructionTracer,
  RuntimeFault,
  type VmServices,
} from './runtime.js';

export interface TestRunOptions {
  /** data_in: the packet, Ethernet header first (xdp: metadata first when ctx.data > 0). */
  readonly data?: Uint8Array;
  /** ctx_in: a `struct __sk_buff` or `struct xdp_md` (shorter is zero-filled; longer must be zero past it). */
  readonly ctx?: Uint8Array;
  /** Ask for ctx_out even without ctx_in (the kernel then starts from a zeroed context). */
  readonly ctxOut?: boolean;
  /** Runs (0 counts as 1), each on the state the previous one left, as the kernel does. */
  readonly repeat?: number;
  /** test.cpu: must be 0 for skb programs; xdp programs ignore it (they run on the current CPU). */
  readonly cpu?: number;
  /** test.flags: BPF_F_TEST_RUN_ON_CPU and friends; the skb and xdp runners here accept none. */
  readonly flags?: number;
  readonly mode?: ExecutionMode;
  readonly budget?: number;
  /**
   * data_size_out: room for data_out. Absent or 0 means no limit (the kernel's reading of 0); smaller than
   * the packet after the run is ENOSPC with the bytes that fit, retval still reported.
   */
  readonly dataSizeOut?: number;
  /** ctx_size_out: room for ctx_out; 0 is EINVAL, smaller than the context is ENOSPC with what fits. */
  readonly ctxSizeOut?: number;
  /** Sees every instruction the runs execute (`tsbpf run --trace`). */
  readonly trace?: InstructionTracer;
}

export interface TestRunError {
  /** Positive errno: what BPF_PROG_TEST_RUN returns; EFAULT for a RuntimeFault (a bad access the verifier would refuse). */
  readonly errno: number;
  readonly code: ErrnoName;
  readonly message: string;
  readonly fault?: RuntimeFault;
}

export interface TestRunResult {
  /** The program's r0 as the kernel reports it (u32); 0 when refused (ENOSPC may still carry it). */
  readonly retval: number;
  /** data_out: the packet after the last run (empty when refused). */
  readonly dataOut: Uint8Array;
  /** ctx_out: only when ctx was given (or `ctxOut` asked for). */
  readonly ctxOut: Uint8Array;
  /** Mean nanoseconds per run. */
  readonly durationNs: number;
  readonly error?: TestRunError;
}

/** Kernel: GSO_LEGACY_MAX_SIZE and GSO_MAX_SEGS, the bounds test-run puts on wire_len and gso_segs. */
const GSO_LEGACY_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;
const PAGE_SIZE = 4096;
/** Kernel: MAX_SKB_FRAGS (17): the pages an xdp test run spreads a packet over past its linear part. */
const MAX_SKB_FRAGS = 17;
/** The loopback device test-run receives packets on. */
const LOOPBACK_IFINDEX = 1;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const IPV4_HEADER_SIZE = 20;
const IPV6_HEADER_SIZE = 40;

const SKB_PROGRAM_TYPES = new Set(['socket_filter', 'sched_cls', 'sched_act']);

export function refused(code: ErrnoName, message: string, fault?: RuntimeFault): TestRunResult {
  return {
    retval: 0,
    dataOut: new Uint8Array(0),
    ctxOut: new Uint8Array(0),
    durationNs: 0,
    error: { errno: ERRNO[code], code, message, ...(fault === undefined ? {} : { fault }) },
  };
}

/**
 * The context buffer as bpf_ctx_init makes it: `size` bytes; user bytes past it must be zero and the whole
 * ctx_in at most a page (bpf_check_uarg_tail_zero), else E2BIG.
 */
function contextIn(options: TestRunOptions, size: number): Uint8Array | undefined | 'E2BIG' {
  if (options.ctx === undefined) return options.ctxOut ? new Uint8Array(size) : undefined;
  if (options.ctx.length > PAGE_SIZE) return 'E2BIG';
  if (options.ctx.subarray(size).some((byte) => byte !== 0)) return 'E2BIG';
  const ctx = new Uint8Array(size);
  ctx.set(options.ctx.subarray(0, size));
  return ctx;
}

const SKB_FIELD = new Map(SK_BUFF_FIELDS.map((field) => [field.name, field]));

function skbFieldRange(name: string): [number, number] {
  const field = SKB_FIELD.get(name)!;
  return [field.offset, field.offset + field.size];
}

/** Kernel convert___skb_to_skb: every byte outside the fields test-run takes must be zero. */
const SKB_CTX_IN_FIELDS = CONTEXT_LAYOUTS.socket_filter!.testRunCtxFields;

/**
 * The kernel's bpf_test_run: the program prepared once, then `repeat` runs on one context inside the engine;
 * the mean time per run covers the runs only, as the kernel's timer does.
 */
function runRepeated(
  engine: Engine,
  program: ExecutableProgram,
  run: EngineRun,
  vm: VmServices,
  helpers: HelperTable,
  options: TestRunOptions,
): { retval: number; durationNs: number } | RuntimeFault {
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  const engineOptions: EngineOptions = {
    mode: options.mode ?? 'checked',
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  };
  let retval = 0n;
  let elapsed: number;
  try {
    const prepared = engine.prepare(program, vm, helpers, engineOptions);
    try {
      const start = globalThis.performance.now();
      retval = prepared.run(run, repeat);
      elapsed = (globalThis.performance.now() - start) * 1e6;
    } finally {
      prepared.release();
    }
  } catch (error) {
    if (error instanceof RuntimeFault) return error;
    throw error;
  }
  return {
    retval: Number(retval & 0xffff_ffffn),
    durationNs: Math.min(0xffff_ffff, Math.round(elapsed / repeat)),
  };
}

interface RunOutputs {
  readonly retval: number;
  readonly durationNs: number;
  readonly dataOut: Uint8Array;
  /** undefined when no ctx_out was asked for. */
  readonly ctxOut: Uint8Array | undefined;
}

/**
 * Copies the outputs out as the kernel's bpf_test_finish then bpf_ctx_finish do: data first, each stopping
 * at ENOSPC with the bytes that fit and the retval still reported; an ENOSPC on data skips ctx_out (measured
 * on Linux 6.18 for skb and xdp).
 */
function finish(out: RunOutputs, options: TestRunOptions): TestRunResult {
  const empty = new Uint8Array(0);
  const result = {
    retval: out.retval,
    dataOut: out.dataOut,
    ctxOut: out.ctxOut ?? empty,
    durationNs: out.durationNs,
  };
  const noSpace = (what: string, needed: number, room: number): TestRunError => ({
    errno: ERRNO.ENOSPC,
    code: 'ENOSPC',
    message: `${what} needs ${needed} bytes, ${room} given`,
  });
  const dataRoom = options.dataSizeOut ?? 0;
  if (dataRoom !== 0 && out.dataOut.length > dataRoom) {
    return {
      ...result,
      dataOut: out.dataOut.slice(0, dataRoom),
      ctxOut: empty,
      error: noSpace('data_out', out.dataOut.length, dataRoom),
    };
  }
  const ctxRoom = options.ctxSizeOut;
  if (out.ctxOut !== undefined && ctxRoom !== undefined && out.ctxOut.length > ctxRoom) {
    return {
      ...result,
      ctxOut: out.ctxOut.slice(0, ctxRoom),
      error: noSpace('ctx_out', out.ctxOut.length, ctxRoom),
    };
  }
  return result;
}

function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

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
  const linkLayer = program.type !== 'socket_filter';
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
  const context = new SkbContext(vm.memory, {
    frame: data,
    linkLayer,
    ifindex: device,
    fields: {
      pkt_type: pktType,
      // skb->protocol is big-endian; a u32 load of the field gives the two bytes as stored.
      protocol: ((protocol & 0xff) << 8) | (protocol >> 8),
      ifindex: device,
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
  if (ctxIn !== undefined) {
    const [dataField, dataEnd, dataMeta, ingress, rxQueue, egress] = [0, 4, 8, 12, 16, 20].map((o) =>
      u32At(ctxIn, o),
    );
    // tsbpf asks data_end == data size (Linux 6.18 also accepts a smaller data_end, with results that do not follow it).
    if (dataMeta !== 0 || dataEnd !== data.length || dataField > dataEnd || xdpMetaLengthInvalid(dataField)) {
      return refused(
        'EINVAL',
        'xdp_md needs data_meta 0, data_end = data size, data (metadata length) a multiple of 4 below 256',
      );
    }
    metaLength = dataField;
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
  if (Math.min(data.length, linearCapacity) < ETH_HLEN) {
    return refused('EINVAL', `data of ${data.length} bytes is shorter than an Ethernet header`);
  }
  // Past the linear part the packet goes into page-sized fragments, at most MAX_SKB_FRAGS of them.
  const largest = linearCapacity + MAX_SKB_FRAGS * PAGE_SIZE;
  if (data.length > largest) {
    return refused('ENOMEM', `data of ${data.length} bytes: xdp test runs take at most ${largest}`);
  }
  const context = new XdpContext(vm.memory, { bytes: data, metaLength, ingressIfindex, rxQueueIndex });
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
    return finish({ ...outcome, dataOut: context.contents(), ctxOut }, options);
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
  if (program.type === 'xdp') return xdpTestRun(engine, program, vm, helpers, options);
  return refused('ENOTSUPP', `program type ${program.type} has no test run in tsbpf`);
}
