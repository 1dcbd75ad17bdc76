// The Vm: one memory, its maps, the machine settings, the trace log, events for users and the program registry.

import { CONNTRACK_HZ, ConntrackTable } from './kfuncs/conntrack.js';
import { ERRNO } from '../abi/errno.js';
import type { ExtraMachineSettings } from './helpers/machine-helpers.js';
import { MapRegistry, PerfEventArrayMap, type PerfSample, RingbufMap } from './maps/index.js';
import type { BpfMap } from './maps/index.js';
import { VmMemory, type VmMemoryOptions } from './memory.js';
import { declaredSocketAt, socketImage } from './helpers/socket-lookup.js';
import { Network, type NetworkDeclaration } from './network.js';
import type { ExecutableProgram, MachineSettings, VmServices } from './runtime.js';
import { TraceBuffer } from './trace-buffer.js';

export interface VmSettings extends MachineSettings, ExtraMachineSettings {}

export interface VmOptions {
  /** CPUs of the simulated machine (per-CPU maps hold one value each); default 1. */
  readonly cpus?: number;
  /** An existing memory, or options for a new one. */
  readonly memory?: VmMemory | VmMemoryOptions;
  readonly settings?: Partial<VmSettings>;
  /** Seed of the default bpf_get_prandom_u32 generator; default 1. */
  readonly prandomSeed?: number;
  /** Bytes of the trace buffer bpf_trace_printk writes to; default the kernel's 1408 KiB. */
  readonly traceBufferBytes?: number;
  /** Devices (besides `lo`), routes and neighbours of the Vm's network namespace; default a fresh one's. */
  readonly network?: NetworkDeclaration;
}

/** A clock that starts at a plausible uptime and never goes back (performance.now exists in browsers and Node). */
function monotonicClock(): () => bigint {
  const start = globalThis.performance.now();
  const bootOffset = 1_000_000_000n;
  return () => bootOffset + BigInt(Math.round((globalThis.performance.now() - start) * 1e6));
}

/** xorshift32: small, deterministic for a seed, never 0 (good enough for simulated randomness). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

export class Vm implements VmServices {
  readonly memory: VmMemory;
  readonly maps: MapRegistry;
  readonly settings: VmSettings;
  readonly trace: TraceBuffer;
  readonly conntrack: ConntrackTable;
  readonly cpus: number;
  /** The namespace helpers and redirect maps see (declare more with `network.add`, `addRoute`, ...). */
  readonly network: Network;
  private cpu = 0;
  private readonly programs = new Map<number, ExecutableProgram>();
  private readonly attachTypes = new Map<number, string>();
  /** Handles of cgroups (the fds of their directories in Bpf) → cgroup ids. */
  private readonly cgroupHandles = new Map<number, bigint>();

  constructor(options: VmOptions = {}) {
    this.cpus = options.cpus ?? 1;
    if (!Number.isInteger(this.cpus) || this.cpus < 1 || this.cpus > 4096) {
      throw new RangeError(`a Vm needs 1..4096 CPUs, not ${options.cpus}`);
    }
    this.trace = new TraceBuffer(options.traceBufferBytes);
    this.memory = options.memory instanceof VmMemory ? options.memory : new VmMemory(options.memory);
    this.network = new Network(options.network);
    this.maps = new MapRegistry(this.memory, {
      cpus: this.cpus,
      // Kernel: a prog_array slot takes a program fd; an fd that is no program is -EBADF.
      checkProgram: (handle) => (this.programs.has(handle) ? 0 : -ERRNO.EBADF),
      resolveCgroup: (handle) => this.cgroupHandles.get(handle),
      redirect: {
        interfaceByIndex: (ifindex) => this.network.interface(ifindex),
        // Kernel: a devmap/cpumap program is an XDP program loaded for that attach type; its id is its handle.
        resolveProgram: (handle, attachType) => {
          const program = this.programs.get(handle);
          if (program === undefined) return -ERRNO.EBADF;
          if (program.type !== 'xdp' || this.attachTypes.get(handle) !== attachType) return -ERRNO.EINVAL;
          return handle;
        },
      },
      // A sockmap/sockhash value from user space names a declared socket by its place in declaration order.
      sockets: {
        socketByHandle: (handle) => this.network.sockets()[handle],
        socketImage: (socket) => socketImage(this, socket),
        socketAt: (address) => declaredSocketAt(this, address),
      },
    });
    this.settings = {
      ktimeNs: monotonicClock(),
      prandomU32: seededRandom(options.prandomSeed ?? 1),
      pidTgid: (1000n << 32n) | 1000n,
      uidGid: 0n,
      comm: 'tsbpf',
      numaNode: 0,
      ...options.settings,
    };
    // Conntrack keeps time in jiffies of the reference kernel's HZ, from the same clock as bpf_ktime_get_ns.
    const nsPerJiffy = BigInt(1_000_000_000 / CONNTRACK_HZ);
    this.conntrack = new ConntrackTable(this.memory, () =>
      Number(BigInt.asUintN(32, this.settings.ktimeNs() / nsPerJiffy)),
    );
  }

  /** The CPU programs run on (bpf_get_smp_processor_id, per-CPU map values). */
  get currentCpu(): number {
    return this.cpu;
  }

  set currentCpu(cpu: number) {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) {
      throw new RangeError(`cpu ${cpu} out of range: the Vm has ${this.cpus} CPUs`);
    }
    this.cpu = cpu;
  }

  /**
   * Makes a program reachable through `handle` (a prog_array slot value, the program's fd in Bpf), loaded with
   * the kernel's expected_attach_type (devmap and cpumap programs need theirs).
   */
  registerProgram(handle: number, program: ExecutableProgram, expectedAttachType?: string): void {
    this.programs.set(handle, program);
    if (expectedAttachType === undefined) this.attachTypes.delete(handle);
    else this.attachTypes.set(handle, expectedAttachType);
  }

  /** Makes a cgroup reachable through `handle` (a cgroup_array value: the fd Bpf.cgroupOpen gave). */
  registerCgroup(handle: number, cgroupId: bigint): void {
    this.cgroupHandles.set(handle, cgroupId);
  }

  unregisterProgram(handle: number): boolean {
    this.attachTypes.delete(handle);
    return this.programs.delete(handle);
  }

  programByHandle(handle: number): ExecutableProgram | undefined {
    return this.programs.get(handle);
  }

  /** Committed ring buffer records not yet consumed, oldest first (libbpf's ring_buffer__consume). */
  consumeRingbuf(map: BpfMap, limit?: number): Uint8Array[] {
    if (!(map instanceof RingbufMap))
      throw new TypeError(`map '${map.name}' is a ${map.typeName}, not a ringbuf`);
    return map.consume(limit);
  }

  /** Perf event samples not yet taken (optionally one CPU's), oldest first. */
  takePerfSamples(map: BpfMap, cpu?: number): PerfSample[] {
    if (!(map instanceof PerfEventArrayMap)) {
      throw new TypeError(`map '${map.name}' is a ${map.typeName}, not a perf_event_array`);
    }
    return map.takeSamples(cpu);
  }

  /** The trace lines held now, oldest first. */
  get traceLog(): string[] {
    return this.trace.lines();
  }

  /** The trace lines held now, removing them (as reading trace_pipe does). */
  takeTraceLog(): string[] {
    return this.trace.take();
  }
}
