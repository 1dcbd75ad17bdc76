// The bpf()-style facade: maps (create, lookup, update, delete, get-next-key), program load and object open/load,
// with the kernel's errno values, so libbpf users find the calls they know.

import type { KernelTypes } from '../abi/kernel-structs.js';
import type { ConntrackEntryInit } from '../vm/kfuncs/conntrack.js';
import { ERRNO, type ErrnoName } from '../abi/errno.js';
import { BPF_ANY, BPF_F_RDONLY_PROG } from '../abi/map-types.js';
import { BPF_COMPLEXITY_LIMIT_INSNS, BPF_MAX_VAR_OFF, BPF_MAXINSNS } from '../abi/limits.js';
import {
  NET_ADMIN_PROGRAM_TYPES,
  PERFMON_PROGRAM_TYPES,
  programTypeById,
  programTypeByName,
  type ProgramTypeName,
  UNPRIVILEGED_PROGRAM_TYPES,
} from '../abi/program-types.js';
import type { Insn } from '../isa/insn.js';
import { InsnError } from '../isa/insn-error.js';
import { BPF_LD_IMM64, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE } from '../isa/opcodes.js';
import { subprogramStarts, validateInsns } from '../isa/validate.js';
import type { Btf } from '../btf/btf.js';
import type { FuncInfoRecord } from '../verifier/global-functions.js';
import type { LineInfoRecord } from '../verifier/index.js';
import {
  ALL_CAPABILITIES,
  NO_CAPABILITIES,
  type VerifierCapabilities,
  type VerifierMap,
  processedLine,
  type VerifyResult,
  verifyProgram,
} from '../verifier/index.js';
import { buildExecutable, ExecutableError } from '../vm/executable.js';
import type { InnerMapTemplate } from '../vm/maps/inner-map.js';
import {
  type ContextValues,
  defineProgramType,
  type ProgramTypeDeclaration,
  UserProgramType,
} from '../vm/context/user-program-type.js';
import { KERNEL_HELPERS } from '../vm/helpers/index.js';
import type { VmMemory } from '../vm/memory.js';
import {
  BloomFilterMap,
  type BpfMap,
  type MapAttrs,
  MapError,
  type MapRegistry,
  PerfEventArrayMap,
  type PerfSample,
  UserRingbufMap,
} from '../vm/maps/index.js';
import {
  type Engine,
  type EngineName,
  type ExecutableProgram,
  type ExecutionMode,
  type PreparedProgram,
  RuntimeFault,
} from '../vm/runtime.js';
import { refused, type TestRunOptions, type TestRunResult, testRun } from '../vm/test-run.js';
import { Vm, type VmOptions } from '../vm/vm.js';
import { BpfError, ProgLoadError } from './bpf-error.js';
import { chooseEngine } from './engine-choice.js';
import { engineByName } from './engines.js';
import { ObjectHandle, type ObjectOpenOptions } from './object-handle.js';
import { type LinkInput, linkObjects } from '../linker/index.js';

export interface MapCreateOptions {
  /** Map type by libbpf name ('hash', 'array', ...) or kernel id. */
  type: string | number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
  name?: string;
  /** For array_of_maps / hash_of_maps: fd of a map that the inner maps must look like. */
  innerMapFd?: number;
  /** The kernel's map_extra: a bloom filter's number of hash functions (low 4 bits; 0 means 5). */
  mapExtra?: bigint;
}

export interface ProgLoadOptions {
  /** Program type by libbpf name ('socket_filter', 'xdp', 'sched_cls', ...), kernel id, or a registered user type. */
  type: ProgramTypeName | number | string;
  insns: readonly Insn[];
  license?: string;
  name?: string;
  /** 0: no log; 1: verdict and statistics; 2: every instruction (BPF_LOG_LEVEL2). */
  logLevel?: number;
  /** Loaded with CAP_BPF/CAP_SYS_ADMIN (default) or as an unprivileged user. */
  privileged?: boolean;
  /** Capabilities the verifier applies (default: all when privileged, none otherwise). */
  capabilities?: VerifierCapabilities;
  /** The kernel's prog_flags (BPF_F_STRICT_ALIGNMENT, BPF_F_TEST_STATE_FREQ, ...). */
  progFlags?: number;
  /** The kernel's expected_attach_type, by libbpf name ('cgroup_inet_egress', 'xdp_devmap', ...). */
  expectedAttachType?: string;
  /** Program BTF and its func_info (prog_btf_fd, func_info): global functions and callbacks need them. */
  btf?: Btf;
  funcInfo?: readonly FuncInfoRecord[];
  /** line_info (prog_btf_fd's line_info, sorted by instruction): source lines in the verifier log. */
  lineInfo?: readonly LineInfoRecord[];
  /**
   * Run the verifier (default true): a refused program does not load. `false` loads after the structural checks
   * only, and the program runs in checked mode.
   */
  verify?: boolean;
  /**
   * How test runs execute it: 'fast' (default for verified programs) trusts what the verifier proved; 'checked'
   * bounds-checks every access and stops at an instruction budget (the only mode for unverified programs).
   */
  mode?: ExecutionMode;
  /**
   * The engine every run of the program uses, for its whole life: 'interp' or 'jit'. Default: the process-wide
   * default (setDefaultEngine), else 'jit' for verified programs when the JIT is available, else 'interp'.
   * An engine that is not available is refused with EOPNOTSUPP naming why.
   */
  engine?: EngineName;
  /**
   * The kernel's types the verifier checks BTF pointers against (kernel-struct loads, bpf_rdonly_cast): a kernel
   * BTF given to openObject (`kernelBtf`); tsbpf's table of kernel structs when absent.
   */
  kernelTypes?: KernelTypes;
}

export interface BpfTestRunOptions extends TestRunOptions {
  /** The engine the program was loaded with, when the caller wants that checked: any other is EINVAL. */
  engine?: EngineName;
}

export interface RunProgramOptions {
  /** Field values of the context (scalars as bigint or number, byte arrays as Uint8Array). */
  context?: ContextValues;
  /** Or the context's raw bytes. */
  ctx?: Uint8Array;
  cpu?: number;
  /** The engine the program was loaded with, when the caller wants that checked: any other is EINVAL. */
  engine?: EngineName;
  /** Instructions the run may execute (checked mode). */
  budget?: number;
}

export interface RunProgramResult {
  /** r0 as a u32, as bpf_prog_run() returns it and testRun reports it. */
  retval: number;
  /** All 64 bits of r0. */
  r0: bigint;
  /** Field values after the run: scalars as bigint, arrays as bytes. */
  context: Record<string, bigint | Uint8Array>;
  ctxOut: Uint8Array;
  error?: RuntimeFault;
}

/** One entry of a map dump, in the user-space format (per-CPU maps: every CPU's value). */
export interface MapDumpEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** A loaded program, as the fd returned by BPF_PROG_LOAD stands for it. */
export interface ProgramHandle {
  readonly fd: number;
  readonly name: string;
  /** A kernel program type, or the name of a user-defined one. */
  readonly type: ProgramTypeName | (string & {});
  readonly insns: readonly Insn[];
  readonly license: string;
  readonly gplCompatible: boolean;
  /** First instruction of each function (entry first), as the kernel finds them from pseudo calls. */
  readonly functionStarts: readonly number[];
  readonly log: string;
  /** Whether the verifier accepted it (false when loaded with `verify: false`). */
  readonly verified: boolean;
  /** The verifier's verdict and statistics, when it ran. */
  readonly verification?: VerifyResult;
  /** What engines run: decoded instructions with map references resolved. */
  readonly executable: ExecutableProgram;
  readonly mode: ExecutionMode;
  /** The engine chosen at load; every run of the program uses it. */
  readonly engine: EngineName;
}

/** The licenses the kernel treats as GPL-compatible (license_is_gpl_compatible). */
const GPL_COMPATIBLE = new Set([
  'GPL',
  'GPL v2',
  'GPL and additional rights',
  'Dual BSD/GPL',
  'Dual MIT/GPL',
  'Dual MPL/GPL',
]);

const FIRST_FD = 3;

/**
 * A key of the wrong length is EINVAL naming the size the map wants. The kernel copies key_size bytes from
 * whatever pointer it is given and cannot tell; a Uint8Array knows its length, so tsbpf checks it.
 */
function checkKeySize(map: BpfMap, command: string, key: Uint8Array | undefined): void {
  const length = key?.length ?? 0;
  if (length === map.keySize && (key !== undefined || map.keySize === 0)) return;
  throw new BpfError(
    command,
    'EINVAL',
    `key of ${length} bytes: map '${map.name}' has key_size ${map.keySize}`,
  );
}

/** Values likewise: value_size bytes, or for per-CPU maps one 8-byte-aligned value per CPU. */
function checkValueSize(map: BpfMap, command: string, value: Uint8Array): void {
  if (value.length === map.userValueSize) return;
  const perCpu =
    map.userValueSize === map.valueSize ? '' : ` (${map.cpus} CPUs × ${map.userValueSize / map.cpus})`;
  throw new BpfError(
    command,
    'EINVAL',
    `value of ${value.length} bytes: map '${map.name}' takes ${map.userValueSize}${perCpu}`,
  );
}

/**
 * Kernel resolve_pseudo_ldimm64 for BPF_PSEUDO_MAP_VALUE, before the verifier walks: only a single-entry array
 * has a value to point into, and the offset must be inside it.
 */
function directValueProblem(map: BpfMap, off: number): { errno: ErrnoName; reason: string } | undefined {
  if (off >= BPF_MAX_VAR_OFF)
    return { errno: 'EINVAL', reason: `direct value offset of ${off} is not allowed` };
  if (map.typeName !== 'array') {
    return { errno: 'EINVAL', reason: 'no direct value access support for this map type' };
  }
  const invalid = `invalid access to map value pointer, value_size=${map.valueSize} off=${off}`;
  if (map.maxEntries !== 1) return { errno: 'ENOTSUPP', reason: invalid };
  if (off >= map.valueSize) return { errno: 'EINVAL', reason: invalid };
  return undefined;
}

/** Why a run that names an engine cannot use it: the program's engine was fixed at load. */
function engineMismatch(program: ProgramHandle, requested: EngineName | undefined): string | undefined {
  if (requested === undefined || requested === program.engine) return undefined;
  return (
    `program ${program.fd} ('${program.name}') was loaded with engine '${program.engine}'; ` +
    `a run cannot switch it to '${requested}' (choose the engine at load: progLoad/load({ engine }))`
  );
}

/** The Engine a loaded program runs in (available: the load checked it). */
function loadedEngine(program: ProgramHandle): Engine {
  return engineByName(program.engine) as Engine;
}

function frozenError(command: string, map: BpfMap): BpfError {
  return new BpfError(command, 'EPERM', `map '${map.name}' is frozen`);
}

/** A program runProgram keeps prepared between calls, with the context block its runs use. */
interface ProgramRunner {
  readonly fd: number;
  readonly prepared: PreparedProgram;
  readonly context: number;
  busy: boolean;
}

/** One tsbpf "kernel": its memory, maps and programs, addressed by file-descriptor-like numbers. */
export class Bpf {
  /** The machine programs run on: memory, maps, settings, trace log, program registry. */
  readonly vm: Vm;
  private nextFd = FIRST_FD;
  private readonly maps = new Map<number, BpfMap>();
  private readonly programs = new Map<number, ProgramHandle>();
  private readonly frozenMaps = new WeakSet<BpfMap>();
  /** Programs of user-defined types prepared by runProgram, by fd and budget. */
  private readonly runners = new Map<string, ProgramRunner>();

  constructor(options: VmOptions = {}) {
    // A prog_array slot holds a program fd of this instance: the Vm resolves handles as fds.
    this.vm = new Vm(options);
  }

  get memory(): VmMemory {
    return this.vm.memory;
  }

  get cpus(): number {
    return this.vm.cpus;
  }

  private get registry(): MapRegistry {
    return this.vm.maps;
  }

  // ---- maps ----

  mapCreate(options: MapCreateOptions): number {
    let map: BpfMap;
    try {
      map = this.registry.create({
        type: options.type as MapAttrs['type'],
        keySize: options.keySize,
        valueSize: options.valueSize,
        maxEntries: options.maxEntries,
        flags: options.flags ?? 0,
        name: options.name ?? '',
        ...(options.mapExtra === undefined ? {} : { mapExtra: options.mapExtra }),
        ...(options.innerMapFd === undefined
          ? {}
          : { innerMap: this.map(options.innerMapFd, 'BPF_MAP_CREATE') }),
      });
    } catch (error) {
      if (error instanceof MapError) {
        throw new BpfError('BPF_MAP_CREATE', error.errno, error.message, { cause: error });
      }
      throw error;
    }
    const fd = this.nextFd++;
    this.maps.set(fd, map);
    return fd;
  }

  /** The map behind an fd (for helpers, the runtime and dumps). */
  map(fd: number, command = 'BPF_MAP_LOOKUP_ELEM'): BpfMap {
    const map = this.maps.get(fd);
    if (map === undefined) throw new BpfError(command, 'EBADF', `fd ${fd} is not a map`);
    return map;
  }

  mapFds(): number[] {
    return [...this.maps.keys()];
  }

  /**
   * BPF_MAP_LOOKUP_ELEM. A missing key (the kernel's ENOENT) is an answer, not an error: undefined, as from
   * mapGetNextKey at the end. Other refusals throw BpfError. Maps with key_size 0 (queue, stack) take no key.
   */
  mapLookup(fd: number, key?: Uint8Array, value?: Uint8Array): Uint8Array | undefined {
    const map = this.map(fd, 'BPF_MAP_LOOKUP_ELEM');
    checkKeySize(map, 'BPF_MAP_LOOKUP_ELEM', key);
    if (map instanceof BloomFilterMap) return this.bloomLookup(map, key, value);
    const result = map.lookupValue(key);
    if (result === -ERRNO.ENOENT) return undefined;
    if (typeof result === 'number') throw new BpfError('BPF_MAP_LOOKUP_ELEM', -result, `map '${map.name}'`);
    return result;
  }

  /**
   * Kernel: a bloom filter's lookup reads the value to test from the value buffer and copies nothing back: `value`
   * is returned when it may have been pushed, undefined when it surely was not.
   */
  private bloomLookup(map: BloomFilterMap, key: Uint8Array | undefined, value: Uint8Array | undefined) {
    if (value === undefined) {
      throw new BpfError(
        'BPF_MAP_LOOKUP_ELEM',
        'EINVAL',
        `map '${map.name}' is a bloom filter: give the value to test`,
      );
    }
    checkValueSize(map, 'BPF_MAP_LOOKUP_ELEM', value);
    if (!map.userCanRead) throw new BpfError('BPF_MAP_LOOKUP_ELEM', 'EPERM', `map '${map.name}'`);
    if (key !== undefined && key.length > 0)
      throw new BpfError('BPF_MAP_LOOKUP_ELEM', 'EINVAL', `map '${map.name}'`);
    return map.contains(value) === 0 ? value : undefined;
  }

  /** BPF_MAP_UPDATE_ELEM with BPF_ANY (default), BPF_NOEXIST or BPF_EXIST; EPERM once the map is frozen. */
  mapUpdate(fd: number, key: Uint8Array | undefined, value: Uint8Array, flags = BPF_ANY): void {
    const map = this.map(fd, 'BPF_MAP_UPDATE_ELEM');
    checkKeySize(map, 'BPF_MAP_UPDATE_ELEM', key);
    checkValueSize(map, 'BPF_MAP_UPDATE_ELEM', value);
    if (this.frozenMaps.has(map)) throw frozenError('BPF_MAP_UPDATE_ELEM', map);
    const status = map.update(key, this.userValueToVm(map, value), flags);
    if (status < 0) throw new BpfError('BPF_MAP_UPDATE_ELEM', -status, `map '${map.name}'`);
  }

  /** BPF_MAP_DELETE_ELEM: true when the key was there, false when it was not (the kernel's ENOENT). */
  mapDelete(fd: number, key?: Uint8Array): boolean {
    const map = this.map(fd, 'BPF_MAP_DELETE_ELEM');
    checkKeySize(map, 'BPF_MAP_DELETE_ELEM', key);
    if (this.frozenMaps.has(map)) throw frozenError('BPF_MAP_DELETE_ELEM', map);
    const status = map.delete(key);
    if (status === -ERRNO.ENOENT) return false;
    if (status < 0) throw new BpfError('BPF_MAP_DELETE_ELEM', -status, `map '${map.name}'`);
    return true;
  }

  /**
   * BPF_MAP_FREEZE: user space can no longer update or delete (EPERM), as libbpf does to `.rodata` after
   * filling it. Programs are unaffected here: refusing their writes to a read-only map is the verifier's job.
   */
  mapFreeze(fd: number): void {
    const map = this.map(fd, 'BPF_MAP_FREEZE');
    if (this.frozenMaps.has(map))
      throw new BpfError('BPF_MAP_FREEZE', 'EBUSY', `map '${map.name}' is already frozen`);
    this.frozenMaps.add(map);
  }

  /** Whether BPF_MAP_FREEZE was applied to the map behind `fd`. */
  mapFrozen(fd: number): boolean {
    return this.frozenMaps.has(this.map(fd, 'BPF_MAP_FREEZE'));
  }

  /** Map-in-map values are map fds in user space and map ids inside the VM (the kernel stores the map). */
  private userValueToVm(map: BpfMap, value: Uint8Array): Uint8Array {
    if (map.typeName !== 'array_of_maps' && map.typeName !== 'hash_of_maps') return value;
    if (value.length < 4) return value;
    const innerFd = new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true);
    const inner = this.maps.get(innerFd);
    if (inner === undefined) throw new BpfError('BPF_MAP_UPDATE_ELEM', 'EBADF', `fd ${innerFd} is not a map`);
    const converted = new Uint8Array(4);
    new DataView(converted.buffer).setUint32(0, inner.id, true);
    return converted;
  }

  /** The key after `key` (the first key when `key` is undefined); undefined at the end (the kernel's ENOENT). */
  mapGetNextKey(fd: number, key?: Uint8Array): Uint8Array | undefined {
    const map = this.map(fd, 'BPF_MAP_GET_NEXT_KEY');
    if (key !== undefined) checkKeySize(map, 'BPF_MAP_GET_NEXT_KEY', key);
    const result = map.getNextKey(key);
    if (result === -ERRNO.ENOENT) return undefined;
    if (typeof result === 'number') throw new BpfError('BPF_MAP_GET_NEXT_KEY', -result, `map '${map.name}'`);
    return result;
  }

  // ---- programs ----

  /**
   * BPF_PROG_LOAD: the checks the kernel makes around verification (sizes, program type, privileges, map
   * references), then the verifier; a refused program throws ProgLoadError with the verifier's log and errno.
   */
  progLoad(options: ProgLoadOptions): ProgramHandle {
    const privileged = options.privileged ?? true;
    const userType = typeof options.type === 'string' ? this.userTypes.get(options.type) : undefined;
    const type =
      userType !== undefined
        ? { id: -1, name: userType.name }
        : typeof options.type === 'number'
          ? programTypeById(options.type)
          : programTypeByName(options.type);
    const logLevel = options.logLevel ?? 0;
    const insns = options.insns;
    if (type === undefined || type.id === 0) {
      throw new ProgLoadError('EINVAL', `unknown program type ${String(options.type)}`, '');
    }
    const capabilities = options.capabilities ?? (privileged ? ALL_CAPABILITIES : NO_CAPABILITIES);
    // Kernel: CAP_SYS_ADMIN stands in for each of the others (bpf_token_capable).
    const bpfCapable = capabilities.bpf || capabilities.sysAdmin;
    const limit = bpfCapable ? BPF_COMPLEXITY_LIMIT_INSNS : BPF_MAXINSNS;
    if (insns.length === 0 || insns.length > limit) {
      throw new ProgLoadError('E2BIG', `program has ${insns.length} instructions (1..${limit} allowed)`, '');
    }
    if (userType === undefined) {
      const needs =
        !bpfCapable && !UNPRIVILEGED_PROGRAM_TYPES.has(type.name)
          ? 'CAP_BPF'
          : NET_ADMIN_PROGRAM_TYPES.has(type.name) && !(capabilities.netAdmin || capabilities.sysAdmin)
            ? 'CAP_NET_ADMIN'
            : PERFMON_PROGRAM_TYPES.has(type.name) && !(capabilities.perfmon || capabilities.sysAdmin)
              ? 'CAP_PERFMON'
              : undefined;
      if (needs !== undefined)
        throw new ProgLoadError('EPERM', `program type ${type.name} needs ${needs}`, '');
    }
    // Kernel: prog_flags outside the known bits are refused before anything else, without a log.
    const KNOWN_PROG_FLAGS = 0xff | (1 << 16);
    if (((options.progFlags ?? 0) & ~KNOWN_PROG_FLAGS) !== 0) {
      throw new ProgLoadError('EINVAL', `unknown prog_flags 0x${(options.progFlags ?? 0).toString(16)}`, '');
    }
    const license = options.license ?? '';
    const gplCompatible = GPL_COMPATIBLE.has(license);
    // User-declared program types have no kernel rules to verify against: they load as unverified programs.
    const verify = (options.verify ?? true) && userType === undefined;
    const refuse = (errno: ErrnoName, message: string, log: string, insn: number | undefined, cause: Error) =>
      new ProgLoadError(errno, insn === undefined ? message : `insn ${insn}: ${message}`, log, insn, {
        cause,
      });
    for (let i = 0; i < insns.length; i++) {
      const insn = insns[i];
      if (insn.code !== BPF_LD_IMM64) continue;
      if ((insn.src === BPF_PSEUDO_MAP_FD || insn.src === BPF_PSEUDO_MAP_VALUE) && !this.maps.has(insn.imm)) {
        const reason = `fd ${insn.imm} is not pointing to valid bpf_map`;
        // Kernel: resolve_pseudo_ldimm64 runs inside the verifier, whose statistics line ends every log.
        const stats = verify ? processedLine() : '';
        throw new ProgLoadError(
          'EBADF',
          `insn ${i}: ${reason}`,
          logLevel > 0 ? `${reason}\n${stats}` : '',
          i,
        );
      }
      if (insn.src === BPF_PSEUDO_MAP_VALUE) {
        const problem = directValueProblem(this.maps.get(insn.imm) as BpfMap, (insns[i + 1]?.imm ?? 0) >>> 0);
        if (problem !== undefined) {
          const stats = verify ? processedLine() : '';
          throw new ProgLoadError(
            problem.errno,
            `insn ${i}: ${problem.reason}`,
            logLevel > 0 ? `${problem.reason}\n${stats}` : '',
            i,
          );
        }
      }
      i++;
    }
    let verification: VerifyResult | undefined;
    let functionStarts: number[];
    if (verify) {
      verification = verifyProgram({
        programType: type.name as ProgramTypeName,
        insns,
        ...(options.expectedAttachType !== undefined
          ? { expectedAttachType: options.expectedAttachType }
          : {}),
        progFlags: options.progFlags ?? 0,
        capabilities,
        gplCompatible,
        logLevel,
        ...(options.btf !== undefined ? { btf: options.btf } : {}),
        ...(options.funcInfo !== undefined ? { funcInfo: options.funcInfo } : {}),
        ...(options.lineInfo !== undefined ? { lineInfo: options.lineInfo } : {}),
        mapFor: (_insn, src, imm) => (src === 1 || src === 2 ? this.verifierMap(imm) : undefined),
        possibleCpus: this.vm.cpus,
        ...(options.kernelTypes !== undefined ? { kernelTypes: options.kernelTypes } : {}),
      });
      const error = verification.error;
      if (error !== undefined) {
        const line = error.message.split('\n').pop() ?? error.message;
        throw refuse(error.errno, line, verification.log, error.insn, error);
      }
      functionStarts = [...verification.functionStarts];
    } else {
      try {
        validateInsns(insns);
      } catch (error) {
        if (error instanceof InsnError) {
          throw refuse('EINVAL', error.reason, logLevel > 0 ? `${error.reason}\n` : '', error.index, error);
        }
        throw error;
      }
      functionStarts = subprogramStarts(insns);
    }
    const mode = options.mode ?? (verification ? 'fast' : 'checked');
    if (mode !== 'checked' && verification === undefined) {
      throw new ProgLoadError('EINVAL', `mode '${mode}' needs a verified program`, '');
    }
    const engine = chooseEngine(options.engine, verification !== undefined);
    if (typeof engine === 'string') throw new ProgLoadError('EOPNOTSUPP', engine, '');
    let executable: ExecutableProgram;
    try {
      executable = buildExecutable(insns, {
        name: options.name ?? '',
        type: type.name,
        mapByFd: (fd) => this.maps.get(fd),
        ...(verification
          ? {
              stackDepths: verification.stackDepth,
              maxCtxOffset: verification.maxCtxOffset,
              contextLoadOffsets: verification.contextLoadOffsets,
              probeLoads: verification.probeLoads,
              kernelContextLoads: verification.kernelContextLoads,
            }
          : {}),
        ...(options.expectedAttachType !== undefined
          ? { expectedAttachType: options.expectedAttachType }
          : {}),
      });
    } catch (error) {
      if (error instanceof ExecutableError || error instanceof InsnError) {
        throw new ProgLoadError(
          'EINVAL',
          error.message,
          logLevel > 0 ? `${error.message}\n` : '',
          (error as ExecutableError).insn,
          { cause: error },
        );
      }
      throw error;
    }
    const log =
      verification?.log ??
      (logLevel > 0
        ? `tsbpf: structural checks passed (${insns.length} insns, ${functionStarts.length} functions); not verified\n`
        : '');
    const fd = this.nextFd++;
    const handle: ProgramHandle = {
      fd,
      name: options.name ?? '',
      type: type.name,
      insns: insns.map((insn) => ({ ...insn })),
      license,
      gplCompatible,
      functionStarts,
      log,
      verified: verification !== undefined,
      ...(verification ? { verification } : {}),
      executable,
      mode,
      engine: engine.name,
    };
    this.programs.set(fd, handle);
    this.vm.registerProgram(fd, executable, options.expectedAttachType);
    return handle;
  }

  /** A map as the verifier sees it (read-only for programs when created with BPF_F_RDONLY_PROG). */
  private verifierMap(fd: number): VerifierMap | undefined {
    const map = this.maps.get(fd);
    if (map === undefined) return undefined;
    const template = (map as { innerTemplate?: InnerMapTemplate }).innerTemplate;
    return {
      fd,
      name: map.name,
      type: map.typeName,
      keySize: map.keySize,
      valueSize: map.valueSize,
      maxEntries: map.maxEntries,
      flags: map.flags,
      readOnly: (map.flags & BPF_F_RDONLY_PROG) !== 0,
      ...(this.frozenMaps.has(map) &&
      (map.flags & BPF_F_RDONLY_PROG) !== 0 &&
      map.typeName === 'array' &&
      map.maxEntries === 1
        ? { frozenValue: this.mapLookup(fd, new Uint8Array(4)) }
        : {}),
      ...(template
        ? {
            inner: {
              fd: -1,
              name: '',
              type: template.typeName,
              keySize: template.keySize,
              valueSize: template.valueSize,
              maxEntries: template.maxEntries,
              flags: template.flags,
              readOnly: (template.flags & BPF_F_RDONLY_PROG) !== 0,
            },
          }
        : {}),
    };
  }

  program(fd: number): ProgramHandle {
    const program = this.programs.get(fd);
    if (program === undefined) throw new BpfError('BPF_PROG_TEST_RUN', 'EBADF', `fd ${fd} is not a program`);
    return program;
  }

  /** Closes a map or program fd. */
  close(fd: number): void {
    const map = this.maps.get(fd);
    if (map !== undefined) {
      this.maps.delete(fd);
      // Maps of maps keep their inner maps alive, as the kernel's references do; tsbpf frees a map when its
      // own fd closes and no map-in-map slot is checked for it (a documented simplification).
      return;
    }
    if (!this.programs.delete(fd)) throw new BpfError('close', 'EBADF', `fd ${fd} is not open`);
    this.vm.unregisterProgram(fd);
    for (const [key, runner] of this.runners) {
      if (runner.fd !== fd) continue;
      this.runners.delete(key);
      this.releaseRunner(runner);
    }
  }

  // ---- user-defined program types (tsbpf as an extension language) ----

  private readonly userTypes = new Map<string, UserProgramType>();

  /** A user-defined program type registered on this instance, by name. */
  userProgramType(name: string): UserProgramType | undefined {
    return this.userTypes.get(name);
  }

  /** Declares a program type with its own context and helpers; programs of it load with `type: name`. */
  registerProgramType(declaration: ProgramTypeDeclaration | UserProgramType): UserProgramType {
    const type =
      declaration instanceof UserProgramType
        ? declaration
        : defineProgramType(declaration, (name) => programTypeByName(name) !== undefined);
    if (programTypeByName(type.name) !== undefined || this.userTypes.has(type.name)) {
      throw new BpfError('BPF_PROG_LOAD', 'EEXIST', `program type '${type.name}' already exists`);
    }
    this.userTypes.set(type.name, type);
    return type;
  }

  /**
   * Runs a program of a user-defined type once on a context built from field values (or raw bytes), on
   * `cpu` (default the Vm's current CPU). `retval` is r0 as a u32, the type bpf_prog_run() returns and
   * testRun reports; `r0` keeps all 64 bits for hosts whose programs return wider values.
   */
  runProgram(progFd: number, options: RunProgramOptions = {}): RunProgramResult {
    const program = this.program(progFd);
    const type = this.userTypes.get(program.type);
    if (type === undefined) {
      throw new BpfError(
        'BPF_PROG_RUN',
        'EINVAL',
        `program ${progFd} is of kernel type ${program.type}: use testRun`,
      );
    }
    const mismatch = engineMismatch(program, options.engine);
    if (mismatch !== undefined) throw new BpfError('BPF_PROG_RUN', 'EINVAL', mismatch);
    const engine = loadedEngine(program);
    const bytes = options.ctx ?? type.encodeContext(options.context ?? {});
    const cpu = options.cpu ?? this.vm.currentCpu;
    // The program stays prepared, with its context block, between calls: a call sets nothing up but the context.
    const key = `${progFd}/${options.budget ?? ''}`;
    let runner = this.runners.get(key);
    const reentered = runner?.busy === true;
    if (runner === undefined || reentered) {
      const prepared = engine.prepare(program.executable, this.vm, type.helperTable, {
        mode: program.mode,
        ...(options.budget === undefined ? {} : { budget: options.budget }),
      });
      runner = { fd: progFd, prepared, context: type.placeContext(this.memory, bytes), busy: false };
      // A host helper running the same program again gets a runner of its own, freed when it returns.
      if (!reentered) this.runners.set(key, runner);
    } else {
      this.memory.fill(runner.context, Math.max(type.contextSize, 1));
      this.memory.write(runner.context, bytes.subarray(0, type.contextSize));
    }
    const address = runner.context;
    runner.busy = true;
    try {
      const r0 = runner.prepared.run({ ctx: address, cpu });
      const ctxOut = this.memory.read(address, type.contextSize);
      return { retval: Number(r0 & 0xffff_ffffn), r0, context: type.decodeContext(ctxOut), ctxOut };
    } catch (error) {
      if (!(error instanceof RuntimeFault)) throw error;
      const ctxOut = this.memory.read(address, type.contextSize);
      return { retval: 0, r0: 0n, context: type.decodeContext(ctxOut), ctxOut, error };
    } finally {
      runner.busy = false;
      if (reentered) this.releaseRunner(runner);
    }
  }

  private releaseRunner(runner: ProgramRunner): void {
    runner.prepared.release();
    this.memory.free(runner.context);
  }

  // ---- running programs ----

  /**
   * BPF_PROG_TEST_RUN: runs the program `repeat` times on one context built from `data`/`ctx` as the kernel
   * builds it. Refusals (with the kernel's errno) and runtime faults come back in `error`, never thrown.
   */
  testRun(progFd: number, options: BpfTestRunOptions = {}): TestRunResult {
    const program = this.programs.get(progFd);
    if (program === undefined) return refused('EBADF', `fd ${progFd} is not a program`);
    const mismatch = engineMismatch(program, options.engine);
    if (mismatch !== undefined) return refused('EINVAL', mismatch);
    return testRun(loadedEngine(program), program.executable, this.vm, KERNEL_HELPERS, {
      mode: program.mode,
      ...options,
    });
  }

  /** Every entry of a map, as user space iterates it (get_next_key + lookup). */
  mapDump(fd: number): MapDumpEntry[] {
    const map = this.map(fd, 'BPF_MAP_GET_NEXT_KEY');
    return [...map.entries()].map((entry) => ({ key: entry.key.slice(), value: entry.value.slice() }));
  }

  /** Committed ring buffer records not consumed yet (libbpf's ring_buffer__consume). */
  ringbufConsume(fd: number, limit?: number): Uint8Array[] {
    return this.vm.consumeRingbuf(this.map(fd), limit);
  }

  /**
   * Puts one record in a user ring buffer as its user-space producer would (libbpf's user_ring_buffer__reserve
   * then __submit): E2BIG for a record larger than the ring, ENOSPC when the ring has no room now. For records
   * reserved, then submitted or discarded later, use the map itself (`bpf.map(fd)`, a UserRingbufMap).
   */
  userRingbufProduce(fd: number, record: Uint8Array): void {
    const map = this.map(fd, 'user_ring_buffer__reserve');
    if (!(map instanceof UserRingbufMap)) {
      throw new BpfError(
        'user_ring_buffer__reserve',
        'EINVAL',
        `map '${map.name}' is a ${map.typeName}, not a user_ringbuf`,
      );
    }
    const status = map.produce(record);
    if (status < 0) throw new BpfError('user_ring_buffer__reserve', -status, `map '${map.name}'`);
  }

  /**
   * Samples written with bpf_perf_event_output and not taken yet (optionally one CPU's). Each CPU's buffer
   * holds 256 KiB of them; past that the helper fails with -ENOSPC and the sample is lost (perfLost).
   */
  perfSamples(fd: number, cpu?: number): PerfSample[] {
    return this.vm.takePerfSamples(this.map(fd), cpu);
  }

  /** Samples lost because a CPU's perf buffer was full (all CPUs', or one's). */
  perfLost(fd: number, cpu?: number): number {
    const map = this.map(fd);
    if (!(map instanceof PerfEventArrayMap)) {
      throw new BpfError(
        'perf_buffer',
        'EINVAL',
        `map '${map.name}' is a ${map.typeName}, not a perf_event_array`,
      );
    }
    return map.lost(cpu);
  }

  /**
   * Opens a cgroup as `open("/sys/fs/cgroup/...", O_RDONLY)` does, for a cgroup_array slot: returns an fd that
   * names the cgroup v2 id `id`. Where it sits is what the `cgroupId`/`cgroupAncestors` settings say: the test-run
   * socket's cgroup and its ancestors are under themselves, any other id is elsewhere.
   */
  cgroupOpen(id: bigint): number {
    if (id < 1n || id >= 1n << 64n) throw new RangeError('a cgroup id is a non-zero u64');
    const fd = this.nextFd++;
    this.vm.registerCgroup(fd, id);
    return fd;
  }

  /**
   * Adds a connection to the conntrack table the conntrack kfuncs look up (empty by default, as a test-run's
   * network namespace is); returns the entry's nf_conn address.
   */
  addConntrackEntry(entry: ConntrackEntryInit): number {
    return this.vm.conntrack.add(entry);
  }

  /**
   * bpf_trace_printk lines held in the trace buffer (the VM's /sys/kernel/tracing/trace_pipe); `take`
   * empties it. The buffer is bounded like the kernel's: when full the oldest lines go (traceDropped).
   */
  traceLog(take = false): string[] {
    return take ? this.vm.takeTraceLog() : this.vm.traceLog;
  }

  /** Lines the full trace buffer dropped so far (the kernel's overrun count). */
  traceDropped(): number {
    return this.vm.trace.dropped;
  }

  // ---- objects (libbpf's bpf_object__open / bpf_object__load) ----

  /** Opens a clang-built object (ElfError, BtfError or ObjectError when it is malformed). Nothing is created yet. */
  openObject(bytes: Uint8Array, fileName = '<memory>', options: ObjectOpenOptions = {}): ObjectHandle {
    return new ObjectHandle(this, bytes, fileName, options);
  }

  /**
   * Opens several objects as one: they are linked statically in memory first (as `tsbpf link` does), so
   * extern functions, maps and variables resolve across them. Throws LinkError when they do not link.
   */
  openObjects(
    inputs: readonly LinkInput[],
    name = 'linked.o',
    options: ObjectOpenOptions = {},
  ): ObjectHandle {
    return this.openObject(linkObjects(inputs, { outputName: name }), name, options);
  }
}
