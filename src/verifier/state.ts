// The verifier's abstract state: registers, stack slots, call frames, references, as the kernel keeps them.
import type { MapTypeName } from '../abi/map-types.js';
import { type ScalarBounds, constant, unknown } from './scalar.js';

/** What a register holds (the kernel's `enum bpf_reg_type` without its flags). */
export type RegType =
  | 'not_init'
  | 'scalar'
  | 'ctx'
  | 'stack'
  | 'map_ptr'
  | 'map_value'
  | 'map_key'
  | 'pkt'
  | 'pkt_meta'
  | 'pkt_end'
  | 'flow_keys'
  | 'sock'
  | 'sock_common'
  | 'tcp_sock'
  | 'xdp_sock'
  | 'mem'
  | 'func'
  | 'btf_id'
  /** Kernel CONST_PTR_TO_DYNPTR: a callback's pointer to a dynptr it may read but not change. */
  | 'dynptr_ptr';

/** A map as the verifier sees it (what BPF_PROG_LOAD resolves from an fd). */
export interface VerifierMap {
  readonly fd: number;
  readonly name: string;
  readonly type: MapTypeName;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** BPF_F_RDONLY_PROG or a frozen map the program may only read (`.rodata`). */
  readonly readOnly: boolean;
  /**
   * The value of a frozen, read-only, single-entry array (`.rodata` once libbpf froze it): loads at a known
   * offset read it as constants, as the kernel's bpf_map_direct_read does.
   */
  readonly frozenValue?: Uint8Array;
  /** Inner map template, for maps of maps. */
  readonly inner?: VerifierMap;
}

export interface Reg {
  type: RegType;
  /** PTR_MAYBE_NULL: must be compared with 0 before use. */
  maybeNull: boolean;
  /** MEM_RDONLY. */
  readOnly: boolean;
  /** Fixed offset of a pointer (kernel: reg->off). */
  off: number;
  /** The value of a scalar, or the variable offset of a pointer. */
  value: ScalarBounds;
  /** Shared by copies: null checks and packet ranges propagate through it; linked scalars. */
  id: number;
  /** Acquired reference this pointer carries (0: none). */
  refObjId: number;
  /** Packet pointers: bytes known to be in the packet past this pointer. */
  range: number;
  map?: VerifierMap;
  /** Stack pointers: frame the pointer points into. */
  frameno: number;
  /** Function pointers: the subprogram. */
  subprog: number;
  /** PTR_TO_MEM: size of the memory. */
  memSize: number;
  /** Scalars whose exact value mattered for safety (kernel precision marks). */
  precise: boolean;
  /**
   * Scalars: this one is another of its id's scalars plus `off` (`rX = rY; rX += K`, kernel BPF_ADD_CONST), so
   * a bound learnt on either bounds both.
   */
  addConst?: boolean;
  /** PTR_TO_BTF_ID: the kernel struct it points to (`nf_conn`), from a kfunc's prototype. */
  btfName?: string;
  /**
   * PTR_TO_BTF_ID and PTR_TO_MEM: the kernel's PTR_TRUSTED, PTR_UNTRUSTED or MEM_RCU flag (absent: none), which
   * decides what pointers read through this one are and, for untrusted memory, that loads are unchecked probes.
   */
  trust?: PointerTrust;
  /**
   * A dynptr's stack slots (spilled register of both): its type, `id` naming it, and which slot is the first
   * (the higher one, as the kernel prints it). A slice (PTR_TO_MEM) from a dynptr: the dynptr's type, and
   * `dynptrId` the id of the dynptr it came from.
   */
  dynptr?: DynptrType;
  dynptrFirst?: boolean;
  dynptrId?: number;
  /**
   * A bpf_dynptr_slice whose bytes may be copied into a stack buffer: the buffer (frame, offset, size), which
   * Linux 6.18 prints after the slice's size (`buf=fp[0]-40+14`).
   */
  sliceBuffer?: { readonly frameno: number; readonly off: number; readonly size: number };
}

export type PointerTrust = 'trusted' | 'untrusted' | 'rcu';

/** The kernel's bpf_dynptr_type names, as the log prints them (`dynptr_xdp`). */
export type DynptrType = 'local' | 'ringbuf' | 'skb' | 'xdp';

/** Kernel: STACK_INVALID, STACK_SPILL, STACK_MISC, STACK_ZERO, STACK_DYNPTR per byte. */
export type SlotByte = 'invalid' | 'spill' | 'misc' | 'zero' | 'dynptr';

export interface StackSlot {
  /** bytes[0] is the slot's lowest address (fp - 8*(i+1)), as a little-endian u64 spill lays it out. */
  bytes: SlotByte[];
  /** The register spilled here when some bytes are 'spill'. */
  spilled: Reg;
}

export interface Frame {
  regs: Reg[];
  /** slots[i] covers [fp - 8*(i+1), fp - 8*i). */
  slots: StackSlot[];
  /** Instruction of the call that created this frame (-1 for the main frame). */
  callsite: number;
  /** Subprogram this frame runs. */
  subprog: number;
  /** Frame number (0 = main). */
  frameno: number;
  /** Callback frames: the helper's callback rules apply at exit. */
  inCallback?: CallbackInfo;
  /** Kernel callback_depth: how many times this path has entered the callback this frame's helper call calls. */
  callbackDepth: number;
}

export interface CallbackInfo {
  /** The helper that calls it ('loop', 'for_each_map_elem', ...). */
  readonly helper: string;
  /** Range r0 must be in at the callback's exit. */
  readonly retMin: bigint;
  readonly retMax: bigint;
}

export interface AcquiredRef {
  readonly id: number;
  readonly insn: number;
}

export interface VerifierState {
  frames: Frame[];
  refs: AcquiredRef[];
  /** may_goto fall-throughs taken on the path (kernel may_goto_depth): a loop through may_goto is no infinite loop. */
  mayGotoDepth: number;
  /** Kernel callback_unroll_depth: callback entries on this path; a loop seen again at another count is none. */
  callbackUnrollDepth: number;
  /** A path the CPU may only take speculatively (kernel speculative): explored for Spectre v1 without CAP_PERFMON. */
  speculative: boolean;
}

export const MAX_BPF_REG = 11;
export const REG_FP = 10;

/** Every register starts from these bounds; ScalarBounds are immutable values, so one object serves all. */
const UNKNOWN_BOUNDS = unknown();

// Registers are built as complete literals with every field (map included) so that they all share one shape.
export function notInit(): Reg {
  return {
    type: 'not_init',
    maybeNull: false,
    readOnly: false,
    off: 0,
    value: UNKNOWN_BOUNDS,
    id: 0,
    refObjId: 0,
    range: 0,
    map: undefined,
    frameno: 0,
    subprog: 0,
    memSize: 0,
    precise: false,
  };
}

export function scalarReg(value: ScalarBounds = UNKNOWN_BOUNDS): Reg {
  return {
    type: 'scalar',
    maybeNull: false,
    readOnly: false,
    off: 0,
    value,
    id: 0,
    refObjId: 0,
    range: 0,
    map: undefined,
    frameno: 0,
    subprog: 0,
    memSize: 0,
    precise: false,
  };
}

export function constReg(value: bigint): Reg {
  return scalarReg(constant(value));
}

/** A pointer of `type` with a known-zero variable offset. */
export function pointerReg(type: RegType, fields: Partial<Reg> = {}): Reg {
  return { ...notInit(), type, value: constant(0n), ...fields };
}

/** A copy of `reg` holding `value` (a literal copy: V8's object spread is several times slower on this shape). */
export function regWithValue(reg: Reg, value: ScalarBounds): Reg {
  const copy = cloneReg(reg);
  copy.value = value;
  return copy;
}

export function cloneReg(reg: Reg): Reg {
  return {
    type: reg.type,
    maybeNull: reg.maybeNull,
    readOnly: reg.readOnly,
    off: reg.off,
    value: reg.value,
    id: reg.id,
    refObjId: reg.refObjId,
    range: reg.range,
    map: reg.map,
    frameno: reg.frameno,
    subprog: reg.subprog,
    memSize: reg.memSize,
    precise: reg.precise,
    ...(reg.addConst ? { addConst: true } : {}),
    ...(reg.btfName !== undefined ? { btfName: reg.btfName } : {}),
    ...(reg.trust !== undefined ? { trust: reg.trust } : {}),
    ...(reg.dynptr !== undefined
      ? { dynptr: reg.dynptr, dynptrFirst: reg.dynptrFirst ?? false, dynptrId: reg.dynptrId ?? 0 }
      : {}),
    // A helper's slice (bpf_dynptr_data) names its dynptr without carrying the dynptr's type.
    ...(reg.dynptr === undefined && reg.dynptrId !== undefined ? { dynptrId: reg.dynptrId } : {}),
    ...(reg.sliceBuffer !== undefined ? { sliceBuffer: reg.sliceBuffer } : {}),
  };
}

export function emptySlot(): StackSlot {
  return { bytes: new Array<SlotByte>(8).fill('invalid'), spilled: notInit() };
}

/**
 * Kernel scrub_spilled_slot over a whole slot: a spilled register partly overwritten is no longer a register,
 * and every byte of the slot that held something (zeros too) becomes unknown data.
 */
export function scrubSpill(slot: StackSlot): void {
  for (let i = 0; i < 8; i++) if (slot.bytes[i] !== 'invalid') slot.bytes[i] = 'misc';
}

/**
 * A copy of the frame that shares its registers: a register in a state is never changed in place, only replaced
 * (`frame.regs[i] = { ...reg, precise: true }`), so copies at branch points and checkpoints need not copy them.
 * Slots are copied, since stores change their bytes in place.
 */
export function cloneFrame(frame: Frame): Frame {
  return {
    regs: frame.regs.slice(),
    slots: frame.slots.map((slot) => ({ bytes: slot.bytes.slice(), spilled: slot.spilled })),
    callsite: frame.callsite,
    subprog: frame.subprog,
    frameno: frame.frameno,
    inCallback: frame.inCallback,
    callbackDepth: frame.callbackDepth,
  };
}

export function cloneState(state: VerifierState): VerifierState {
  return {
    frames: state.frames.map(cloneFrame),
    refs: state.refs.slice(),
    mayGotoDepth: state.mayGotoDepth,
    callbackUnrollDepth: state.callbackUnrollDepth,
    speculative: state.speculative,
  };
}

export function newFrame(callsite: number, subprog: number, frameno: number): Frame {
  const regs = Array.from({ length: MAX_BPF_REG }, notInit);
  regs[REG_FP] = pointerReg('stack', { frameno });
  return { regs, slots: [], callsite, subprog, frameno, inCallback: undefined, callbackDepth: 0 };
}

export function isPointer(reg: Reg): boolean {
  return reg.type !== 'scalar' && reg.type !== 'not_init';
}

export function isPacketPointer(reg: Reg): boolean {
  return reg.type === 'pkt' || reg.type === 'pkt_meta';
}
