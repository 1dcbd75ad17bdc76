// tsbpf's public API, chosen on purpose: the bpf()-style facade with the kernel ABI constants and types its
// calls take, user program types, and the lower layers (also importable as tsbpf/isa, /elf, /btf, /object).

// ---- the facade: maps, program load, test-run, objects ----
export {
  Bpf,
  type BpfTestRunOptions,
  type MapCreateOptions,
  type MapDumpEntry,
  type ProgLoadOptions,
  type ProgramHandle,
  type RunProgramOptions,
  type RunProgramResult,
} from './api/bpf.js';
export { BpfError, ProgLoadError } from './api/bpf-error.js';
export { defaultEngine, jitAvailable, setDefaultEngine } from './api/engine-choice.js';
export {
  type LoadedObjectProgram,
  ObjectHandle,
  type ObjectLoadOptions,
  type ObjectOpenOptions,
  type ObjectWarning,
  type ProgramTypeOverride,
  type ResolvedProgramType,
} from './api/object-handle.js';

// ---- the kernel ABI the calls take: update flags, map flags, errno, type names ----
export { ERRNO, type ErrnoName, errnoName } from './abi/errno.js';
export {
  BPF_ANY,
  BPF_EXIST,
  BPF_F_INNER_MAP,
  BPF_F_LOCK,
  BPF_F_MMAPABLE,
  BPF_F_NO_COMMON_LRU,
  BPF_F_NO_PREALLOC,
  BPF_F_NUMA_NODE,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_WRONLY,
  BPF_F_WRONLY_PROG,
  BPF_F_ZERO_SEED,
  BPF_NOEXIST,
  type MapTypeName,
} from './abi/map-types.js';
export type { ProgramTypeName } from './abi/program-types.js';
export {
  type ArgTypeName,
  arg,
  type HelperArg,
  type HelperRet,
  type RetTypeName,
  ret,
  type TypeFlag,
} from './abi/helpers.js';

// ---- running programs: results, faults, the machine ----
export type { TestRunError, TestRunOptions, TestRunResult } from './vm/test-run.js';
export type { ConntrackEntryInit } from './vm/kfuncs/conntrack.js';
export {
  type EngineName,
  type ExecutionMode,
  type HelperCall,
  type HelperImplementation,
  ProgramExit,
  RuntimeFault,
  type RunState,
  type VmServices,
} from './vm/runtime.js';
// What Bpf's members hand out (bpf.vm, bpf.memory, bpf.map(fd), handle.executable), as types to name them by.
export type { Vm, VmOptions, VmSettings } from './vm/vm.js';
export type { VmMemory } from './vm/memory.js';
export type { BpfMap, MapEntry, PerfSample, UserRingbufMap, UserRingbufSample } from './vm/maps/index.js';
export type { ExecutableProgram } from './vm/runtime.js';
export { TRACE_BUFFER_DEFAULT_BYTES, type TraceBuffer } from './vm/trace-buffer.js';
// The network namespace the skb/xdp helpers and redirect maps see (bpf.vm.network): lo by default.
export {
  type InterfaceAddress,
  type InterfaceDeclaration,
  LOOPBACK,
  MAIN_TABLE,
  type Neighbour,
  Network,
  type NetworkDeclaration,
  type NetworkInterface,
  type PeerNetworkDeclaration,
  type Nexthop,
  type NexthopDeclaration,
  parseIpAddress,
  parsePrefix,
  type Route,
  type RouteDeclaration,
  type RouteType,
  type Rule,
  type RuleAction,
  type RuleDeclaration,
  type NetworkSocket,
  type SocketDeclaration,
  type SocketKind,
} from './vm/network.js';

// ---- user-defined program types (tsbpf as an extension language) ----
export {
  type ContextValues,
  DEFAULT_USER_KERNEL_HELPERS,
  defineProgramType,
  FIRST_USER_HELPER_ID,
  type ProgramTypeDeclaration,
  ProgramTypeError,
  type UpToFive,
  type UserContextField,
  type UserHelper,
  type UserHelperArgSpec,
  type UserHelperDeclaration,
  type UserHelperRetSpec,
  type UserHelperSpec,
  UserProgramType,
  userHelper,
} from './vm/context/user-program-type.js';

// ---- the lower layers ----
export * from './btf/index.js';
export * from './elf/index.js';
export * from './isa/index.js';
export {
  LinkError,
  type LinkErrorLocation,
  type LinkInput,
  type LinkOptions,
  linkObjects,
} from './linker/index.js';
export * from './object/index.js';
