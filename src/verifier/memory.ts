// Loads, stores and atomics (the kernel's check_mem_access and friends): bounds, alignment and the register
// a load produces, for every pointer type; spill and fill of the stack slot by slot.
import { CONTEXT_STRUCTS } from '../abi/context-structs.js';
import { destroyDynptrAt } from './dynptr.js';
import { BPF_MAX_VAR_OFF, MAX_BPF_STACK } from '../abi/limits.js';
import { type ContextAccessSource, contextAccess, contextLoadOffset } from '../abi/context-access.js';
import type { AttachTypeName } from '../abi/program-types.js';
import type {
  AtomicInsn,
  LdImm64Insn,
  LdLegacyInsn,
  LoadAcquireInsn,
  LoadInsn,
  StoreInsn,
  StoreReleaseInsn,
} from '../isa/decoded.js';
import { checkExit } from './calls.js';
import { regTypeName } from './format-state.js';
import { coerceToSize, coerceToSizeSx, constant, isConst, unknown } from './scalar.js';
import { formatTnum } from './tnum.js';
import {
  cloneReg,
  cloneState,
  constReg,
  scrubSpill,
  type StackSlot,
  type Frame,
  isPointer,
  notInit,
  pointerReg,
  type Reg,
  scalarReg,
} from './state.js';
import { btfPointerAccess, mapPointerAccess } from './kernel-struct-access.js';
import type { Walk } from './walk.js';

type Access = 'read' | 'write';

/** Size of `struct bpf_flow_keys` and `struct bpf_sock` (uapi). */
const FLOW_KEYS_SIZE = 56;
const BPF_SOCK_SIZE = CONTEXT_STRUCTS.bpf_sock.size;
const BPF_TCP_SOCK = CONTEXT_STRUCTS.bpf_tcp_sock;

export function checkLoad(walk: Walk, insn: LoadInsn): void {
  const base = walk.readReg(insn.src);
  if (insn.dst === 10) walk.fail('frame pointer is read only');
  const value = memAccess(walk, insn.src, base, insn.off, insn.size, 'read', undefined, insn.signed);
  walk.writeReg(insn.dst, value ?? scalarReg());
}

export function checkStore(walk: Walk, insn: StoreInsn): void {
  const base = walk.readReg(insn.dst);
  let value: Reg;
  if (insn.source.kind === 'reg') {
    value = walk.readReg(insn.source.reg);
  } else {
    value = constReg(BigInt(insn.source.imm));
  }
  memAccess(
    walk,
    insn.dst,
    base,
    insn.off,
    insn.size,
    'write',
    value,
    false,
    insn.source.kind === 'imm',
    insn.source.kind === 'reg' ? insn.source.reg : -1,
  );
}

/** Pointer types no atomic may access (kernel atomic_ptr_type_ok: ctx, packet, flow keys, sockets). */
const ATOMIC_REFUSED: ReadonlySet<Reg['type']> = new Set([
  'ctx',
  'pkt',
  'pkt_meta',
  'flow_keys',
  'sock',
  'sock_common',
  'tcp_sock',
  'xdp_sock',
]);

/**
 * Kernel check_atomic_load: the pointer's type is refused first, then the access is a load with strict
 * alignment whatever the program's flags (a spilled register fills back as it was).
 */
export function checkLoadAcquire(walk: Walk, insn: LoadAcquireInsn): void {
  const base = walk.readReg(insn.src);
  // The kernel's socket checks look at the exact type, so a maybe-null socket fails as a memory access instead.
  if (ATOMIC_REFUSED.has(base.type) && !base.maybeNull) {
    walk.fail(`BPF_ATOMIC loads from R${insn.src} ${regTypeName(base)} is not allowed`);
  }
  if (insn.dst === 10) walk.fail('frame pointer is read only');
  walk.strictOnce = true;
  let value: Reg | undefined;
  try {
    value = memAccess(walk, insn.src, base, insn.off, insn.size, 'read', undefined, false);
  } finally {
    walk.strictOnce = false;
  }
  walk.writeReg(insn.dst, value ?? scalarReg());
}

/**
 * Kernel check_atomic_store: the access is checked as a store with strict alignment (a spill on the stack), and
 * only then is the pointer's type refused.
 */
export function checkStoreRelease(walk: Walk, insn: StoreReleaseInsn): void {
  const value = walk.readReg(insn.src);
  const base = walk.readReg(insn.dst);
  walk.strictOnce = true;
  try {
    memAccess(
      walk,
      insn.dst,
      base,
      insn.off,
      insn.size,
      'write',
      value,
      false,
      false,
      insn.src,
      'store_release',
    );
  } finally {
    walk.strictOnce = false;
  }
  if (ATOMIC_REFUSED.has(base.type)) {
    walk.fail(`BPF_ATOMIC stores into R${insn.dst} ${regTypeName(base)} is not allowed`);
  }
}

export function checkAtomic(walk: Walk, insn: AtomicInsn): void {
  const src = walk.readReg(insn.src);
  const base = walk.readReg(insn.dst);
  if (insn.op === 'cmpxchg') walk.readReg(0);
  if (isPointer(src) && !walk.options.allowPtrLeaks) walk.fail(`R${insn.src} leaks addr into mem`);
  const forbidden = ['ctx', 'pkt', 'pkt_meta', 'flow_keys', 'sock', 'sock_common', 'tcp_sock', 'xdp_sock'];
  if (forbidden.includes(base.type)) {
    walk.fail(`BPF_ATOMIC stores into R${insn.dst} ${regTypeName(base)} is not allowed`);
  }
  // Kernel: atomics are checked with strict alignment whatever the program's flags.
  walk.strictOnce = true;
  const fetches = insn.op === 'cmpxchg' || insn.fetch;
  let fetched: Reg | undefined;
  try {
    // Kernel check_atomic_rmw: the old value is read as a load into the fetch register would read it (a
    // spilled register comes back as it was), then the memory is written with unknown data.
    fetched = memAccess(walk, insn.dst, base, insn.off, insn.size, 'read', undefined, false);
    // Kernel check_stack_read_fixed_off with no destination register: the old value is used as a scalar,
    // which a spilled pointer may not be without CAP_PERFMON.
    if (base.type === 'stack' && fetched !== undefined && isPointer(fetched) && !walk.options.allowPtrLeaks) {
      walk.fail(
        `leaking pointer from stack off ${base.off + insn.off + Number(BigInt.asIntN(64, base.value.varOff.value))}`,
      );
    }
    const read = walk.stackTouched;
    memAccess(walk, insn.dst, base, insn.off, insn.size, 'write', undefined, false);
    // A fetch from a spill is a fill in the path's history; the store after it is no spill.
    if (fetches && read?.fill) walk.stackTouched = read;
  } finally {
    walk.strictOnce = false;
  }
  const result = fetched ?? scalarReg(insn.size === 4 ? coerceToSize(unknown(), 4) : unknown());
  if (insn.op === 'cmpxchg') walk.writeReg(0, result);
  else if (insn.fetch) walk.writeReg(insn.src, result);
}

export function checkLdImm64(walk: Walk, insn: LdImm64Insn): void {
  switch (insn.src) {
    case 0:
      walk.writeReg(insn.dst, constReg(insn.imm64));
      return;
    case 1:
    case 5: {
      const map = walk.options.mapFor(walk.insnIdx, insn.src, insn.lo);
      if (map === undefined) walk.fail(`fd ${insn.lo} is not pointing to valid bpf_map`, 'EBADF');
      walk.writeReg(insn.dst, pointerReg('map_ptr', { map }));
      return;
    }
    case 2:
    case 6: {
      const map = walk.options.mapFor(walk.insnIdx, insn.src, insn.lo);
      if (map === undefined) walk.fail(`fd ${insn.lo} is not pointing to valid bpf_map`, 'EBADF');
      walk.writeReg(insn.dst, pointerReg('map_value', { map, off: insn.hi, readOnly: false }));
      return;
    }
    case 4: {
      if (!walk.options.hasFuncInfo) walk.fail('missing btf func_info', 'EINVAL');
      const target = walk.insnIdx + insn.lo + 1;
      const subprog = walk.cfg.functionStarts.indexOf(target);
      walk.writeReg(insn.dst, pointerReg('func', { subprog }));
      return;
    }
    default:
      walk.fail('ld_imm64 of a BTF id needs kernel BTF (not supported by tsbpf)', 'EINVAL');
  }
}

/** Legacy `r0 = *(uN *)skb[...]`: only for programs with an skb context, r6 must be the context. */
export function checkLegacyLoad(walk: Walk, insn: LdLegacyInsn): void {
  const type = walk.options.programType;
  if (!['socket_filter', 'sched_cls', 'sched_act'].includes(type)) {
    walk.fail('BPF_LD_[ABS|IND] instructions not allowed for this program type', 'EINVAL');
  }
  const ctx = walk.readReg(6);
  if (insn.mode === 'ind') walk.readReg(insn.src);
  if (ctx.type !== 'ctx') walk.fail('at the time of BPF_LD_ABS|IND R6 != pointer to skb', 'EINVAL');
  for (let r = 1; r <= 5; r++) {
    walk.frame.regs[r] = notInit();
    walk.scratchedRegs.add(r);
  }
  // Kernel: r0 becomes a full unknown scalar, whatever the load's size.
  walk.writeReg(0, scalarReg());
  // A load outside the packet ends the program with 0. In a subprogram the kernel walks that exit first (the
  // function returns 0 to its caller) and the load that succeeded later.
  if (walk.state.frames.length > 1) {
    walk.pushBranch(cloneState(walk.state), walk.nextInsn);
    walk.frame.regs[0] = constReg(0n);
    checkExit(walk, true);
  }
}

/** Program types that may write into the packet directly (kernel may_access_direct_pkt_data). */
const PACKET_WRITERS: ReadonlySet<string> = new Set([
  'sched_cls',
  'sched_act',
  'xdp',
  'lwt_xmit',
  'sk_skb',
  'sk_msg',
  'lwt_seg6local',
]);

/** What a stored pointer leaks into, by the memory's type, in the kernel's words. */
const LEAK_TARGETS: Partial<Record<Reg['type'], string>> = {
  map_value: 'map',
  mem: 'mem',
  ctx: 'ctx',
  pkt: 'packet',
  pkt_meta: 'packet',
  flow_keys: 'flow keys',
};

/**
 * One access of `size` bytes at `reg + off`. Reads return the loaded register (undefined: unknown scalar).
 */
function memAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  access: Access,
  value: Reg | undefined,
  signExtend: boolean,
  immStore = false,
  valueRegno = -1,
  /** How a context access is judged when it is not a plain load or store (store-release). */
  ctxSource?: ContextAccessSource,
): Reg | undefined {
  if (reg.maybeNull || reg.type === 'scalar' || reg.type === 'pkt_end' || reg.type === 'func') {
    walk.fail(`R${regno} invalid mem access '${regTypeName(reg)}'`);
  }
  // Kernel check_mem_access: without CAP_PERFMON no pointer is stored outside the stack (after the checks that
  // refuse the write itself: read-only memory, packets the program type may not write).
  const leakTarget = LEAK_TARGETS[reg.type];
  if (
    access === 'write' &&
    value !== undefined &&
    valueRegno >= 0 &&
    isPointer(value) &&
    !walk.options.allowPtrLeaks &&
    leakTarget !== undefined &&
    !(reg.type === 'mem' && reg.readOnly) &&
    !((reg.type === 'pkt' || reg.type === 'pkt_meta') && !PACKET_WRITERS.has(walk.options.programType))
  ) {
    walk.fail(`R${valueRegno} leaks addr into ${leakTarget}`);
  }
  switch (reg.type) {
    case 'stack':
      return stackAccess(walk, regno, reg, off, size, access, value, signExtend, valueRegno);
    case 'ctx':
      return ctxAccess(
        walk,
        regno,
        reg,
        off,
        size,
        ctxSource ?? (access === 'read' ? (signExtend ? 'ldxsx' : 'ldx') : immStore ? 'st' : 'stx'),
      );
    case 'map_value':
    case 'map_key':
      return mapAccess(walk, regno, reg, off, size, access, signExtend);
    case 'pkt':
    case 'pkt_meta':
      return packetAccess(walk, regno, reg, off, size, access, signExtend);
    case 'mem':
      if (access === 'write' && reg.readOnly) walk.fail(`R${regno} cannot write into ${regTypeName(reg)}`);
      // Kernel: read-only untrusted memory (a kernel pointer to no struct) is read by probe loads, unbounded.
      if (reg.trust === 'untrusted' && reg.readOnly) {
        walk.noteProbeLoad();
        return loaded(size, signExtend);
      }
      regionAccess(
        walk,
        regno,
        reg,
        off,
        size,
        reg.memSize,
        (o) => `invalid access to memory, mem_size=${reg.memSize} off=${o} size=${size}`,
      );
      return loaded(size, signExtend);
    case 'flow_keys':
      if (reg.off + off < 0 || reg.off + off + size > FLOW_KEYS_SIZE) {
        walk.fail(`invalid access to flow keys off=${reg.off + off} size=${size}`);
      }
      return loaded(size, signExtend);
    case 'xdp_sock':
      // Kernel bpf_xdp_sock_is_valid_access: struct bpf_xdp_sock has one field, the u32 queue_id.
      if (access === 'write') walk.fail(`R${regno} cannot write into xdp_sock`, 'EACCES');
      if (reg.off + off !== 0 || size !== 4) {
        walk.fail(`R${regno} invalid ${reg.type} access off=${reg.off + off} size=${size}`, 'EACCES');
      }
      return loaded(size, signExtend);
    case 'tcp_sock': {
      // Kernel check_mem_access: no sk pointer may be written.
      if (access === 'write') walk.fail(`R${regno} cannot write into ${reg.type}`, 'EACCES');
      // Kernel bpf_tcp_sock_is_valid_access: aligned, inside, 8 bytes at the two u64 counters and 4 anywhere else
      // (so the upper half of a counter may be read alone).
      const at = reg.off + off;
      const wide = BPF_TCP_SOCK.fields.some((f) => f.size === 8 && f.offset === at);
      if (at < 0 || at >= BPF_TCP_SOCK.size || at % size !== 0 || size !== (wide ? 8 : 4)) {
        walk.fail(`R${regno} invalid ${reg.type} access off=${at} size=${size}`);
      }
      // Kernel bpf_tcp_sock_convert_ctx_access has no rewrite for a counter's upper half: the load fails after
      // verification.
      if (BPF_TCP_SOCK.fields.some((f) => f.size === 8 && at === f.offset + 4))
        walk.stats.unconvertedContextLoad = true;
      return loaded(size, signExtend);
    }
    case 'sock':
    case 'sock_common':
      if (access === 'write') walk.fail(`R${regno} cannot write into ${reg.type}`, 'EACCES');
      if (reg.off + off < 0 || reg.off + off + size > BPF_SOCK_SIZE || (reg.off + off) % size !== 0) {
        walk.fail(`R${regno} invalid ${reg.type} access off=${reg.off + off} size=${size}`);
      }
      return loaded(size, signExtend);
    case 'btf_id': {
      // Kernel: every load through a BTF pointer is a probe load (BPF_PROBE_MEM), reading 0 where nothing is.
      const result = btfPointerAccess(walk, regno, reg, off, size, access === 'write');
      if (access === 'read') walk.noteProbeLoad();
      return result ?? loaded(size, signExtend);
    }
    case 'map_ptr':
      return mapPointerAccess(walk, regno, reg, off, size, access === 'write') ?? loaded(size, signExtend);
    default:
      return walk.fail(`R${regno} invalid mem access '${regTypeName(reg)}'`);
  }
}

type AccessSize = 1 | 2 | 4 | 8;

/** What a load of `size` bytes of unknown memory gives: zero- or sign-extended. */
function loaded(size: number, signExtend: boolean): Reg {
  if (size === 8) return scalarReg();
  return scalarReg(
    signExtend ? coerceToSizeSx(unknown(), size as 1 | 2 | 4) : coerceToSize(unknown(), size as AccessSize),
  );
}

/**
 * Kernel check_ptr_alignment: stack accesses always, others with BF_F_STRICT_ALIGNMENT (or atomics); packet
 * offsets count NET_IP_ALIGN (2) as the kernel's strict check does.
 */
function alignmentCheck(
  walk: Walk,
  reg: Reg,
  off: number,
  size: number,
  what: 'stack' | 'value' | 'packet' | '',
): void {
  const strict = what === 'stack' || walk.options.strictAlignment || walk.strictOnce;
  if (!strict || size === 1) return;
  const varOff = reg.value.varOff;
  const ipAlign = what === 'packet' ? 2 : 0;
  const fixed = ipAlign + reg.off + off;
  const misaligned =
    (fixed + Number(varOff.value & 7n)) % size !== 0 || (varOff.mask & BigInt(size - 1)) !== 0n;
  if (!misaligned) return;
  const tn = isConst(reg.value) ? `${BigInt.asIntN(64, varOff.value)}` : formatTnum(varOff);
  const desc = what === '' ? '' : `${what} `;
  if (what === 'packet')
    walk.fail(`misaligned packet access off ${ipAlign}+${tn}+${reg.off}+${off} size ${size}`);
  walk.fail(`misaligned ${desc}access off ${tn}+${reg.off}+${off} size ${size}`);
}

/** The kernel's ctx pointer checks (__check_ptr_off_reg), then the program type's is_valid_access. */
function ctxAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  source: ContextAccessSource,
): Reg | undefined {
  if (reg.off < 0) walk.fail(`negative offset ctx ptr R${regno} off=${reg.off} disallowed`);
  if (reg.off !== 0) walk.fail(`dereference of modified ctx ptr R${regno} off=${reg.off} disallowed`);
  if (!isConst(reg.value) || reg.value.varOff.value !== 0n) {
    walk.fail(`variable ctx access var_off=${formatTnum(reg.value.varOff)} disallowed`);
  }
  const result = contextAccess(walk.options.programType, {
    offset: off,
    size: size as AccessSize,
    source,
    ...(walk.options.expectedAttachType !== undefined
      ? { expectedAttachType: walk.options.expectedAttachType as AttachTypeName }
      : {}),
    capBpf: walk.options.bpfCapable,
    register: regno,
  });
  if (!result.ok) return walk.fail(result.message);
  walk.noteContextAccess(off + size);
  if (source === 'ldx') {
    const at = contextLoadOffset(result.rule, off, size as AccessSize);
    if (at !== off) walk.noteContextLoadOffset(at);
  }
  if (source !== 'ldx' && source !== 'ldxsx') return undefined;
  switch (result.loadType) {
    case 'PTR_TO_PACKET':
      return pointerReg('pkt');
    case 'PTR_TO_PACKET_META':
      return pointerReg('pkt_meta');
    case 'PTR_TO_PACKET_END':
      return pointerReg('pkt_end');
    case 'PTR_TO_SOCK_COMMON_OR_NULL':
      return pointerReg('sock_common', { maybeNull: true, id: walk.newId() });
    case 'PTR_TO_SOCKET':
      return pointerReg('sock');
    case 'PTR_TO_SOCKET_OR_NULL':
      return pointerReg('sock', { maybeNull: true, id: walk.newId() });
    case 'PTR_TO_FLOW_KEYS':
      return pointerReg('flow_keys');
    case 'PTR_TO_TP_BUFFER':
      return pointerReg('mem', { memSize: 0 });
    case undefined:
      return loaded(size, source === 'ldxsx');
    default: {
      const unknownType: never = result.loadType;
      throw new Error(`unhandled context load type ${String(unknownType)}`);
    }
  }
}

/**
 * Kernel check_mem_region_access: the smallest and the largest offset the pointer may have, each checked
 * against [0, limit); `detail(off)` is the line __check_mem_access prints before the verdict.
 */
function regionAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  limit: number,
  detail: (off: number) => string,
): void {
  const value = reg.value;
  const fixed = reg.off + off;
  const smin = BigInt.asIntN(64, value.smin);
  const low = smin + BigInt(fixed);
  if (smin < 0n && (value.smin === -(1n << 63n) || low !== BigInt.asIntN(32, low) || low < 0n)) {
    walk.fail(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
  }
  const outside = (at: bigint) => at < 0n || at + BigInt(size) > BigInt(limit);
  if (outside(low))
    walk.fail(`${detail(Number(low))}\nR${regno} min value is outside of the allowed memory range`);
  if (value.umax >= BigInt(BPF_MAX_VAR_OFF)) {
    walk.fail(`R${regno} unbounded memory access, make sure to bounds check any such access`);
  }
  const high = value.umax + BigInt(fixed);
  if (outside(high))
    walk.fail(`${detail(Number(high))}\nR${regno} max value is outside of the allowed memory range`);
}

/** Kernel check_mem_region_access for a map value or key, with the line __check_mem_access prints first. */
export function mapRegionAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  limit: number,
): void {
  const what = reg.type === 'map_key' ? 'key' : 'value';
  regionAccess(
    walk,
    regno,
    reg,
    off,
    size,
    limit,
    (o) => `invalid access to map ${what}, ${what}_size=${limit} off=${o} size=${size}`,
  );
}

function mapAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  access: Access,
  signExtend: boolean,
): Reg | undefined {
  const map = reg.map;
  if (map === undefined) return walk.fail(`R${regno} invalid mem access '${regTypeName(reg)}'`);
  const limit = reg.type === 'map_key' ? map.keySize : map.valueSize;
  alignmentCheck(walk, reg, off, size, reg.type === 'map_value' ? 'value' : '');
  if (access === 'write' && reg.type === 'map_value' && map.readOnly) {
    walk.fail(`write into map forbidden, value_size=${map.valueSize} off=${reg.off + off} size=${size}`);
  }
  mapRegionAccess(walk, regno, reg, off, size, limit);
  if (access !== 'read') return undefined;
  // Kernel bpf_map_direct_read: a frozen read-only value at a known offset is a constant.
  if (reg.type === 'map_value' && map.frozenValue !== undefined && isConst(reg.value)) {
    const at = reg.off + off + Number(reg.value.varOff.value);
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(map.frozenValue[at + i] ?? 0);
    if (signExtend) value = BigInt.asUintN(64, BigInt.asIntN(size * 8, value));
    return constReg(value);
  }
  return loaded(size, signExtend);
}

function packetAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  access: Access,
  signExtend: boolean,
): Reg | undefined {
  alignmentCheck(walk, reg, off, size, 'packet');
  const fixed = reg.off + off;
  if (access === 'write' && !PACKET_WRITERS.has(walk.options.programType)) {
    walk.fail('cannot write into packet');
  }
  if (reg.value.smin < 0n) {
    walk.fail(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
  }
  // The range was learnt for this pointer's id, variable part included: only the fixed offset counts (a range
  // is never learnt for a pointer whose variable part may pass the packet's largest offset).
  if (fixed < 0 || fixed + size > reg.range) {
    walk.fail(
      `invalid access to packet, off=${fixed} size=${size}, R${regno}(id=${reg.id},off=${fixed},r=${reg.range})\n` +
        `R${regno} offset is outside of the packet`,
    );
  }
  if (!isConst(reg.value) && reg.value.umax >= BigInt(BPF_MAX_VAR_OFF)) {
    walk.fail(`R${regno} unbounded memory access, make sure to bounds check any such access`);
  }
  return access === 'read' ? loaded(size, signExtend) : undefined;
}

/** Stack slots: spill and fill of registers, misc and zero bytes (kernel check_stack_{read,write}_*). */
function stackAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  access: Access,
  value: Reg | undefined,
  signExtend: boolean,
  valueRegno = -1,
): Reg | undefined {
  const frame = walk.frameOf(reg);
  alignmentCheck(walk, reg, off, size, 'stack');
  if (!isConst(reg.value)) {
    return variableStackAccess(walk, regno, reg, off, size, access, frame);
  }
  const start = reg.off + off + Number(BigInt.asIntN(64, reg.value.varOff.value));
  const outside = stackOutOfBounds(start, start + size);
  if (outside) {
    walk.fail(
      `invalid ${access === 'read' ? 'read from' : 'write to'} stack R${regno} off=${start} size=${size}`,
      outside,
    );
  }
  if (access === 'read') unallocatedStackRead(walk, frame, regno, start, size);
  walk.growStack(frame, -start);
  const slotIndex = Math.floor((-start - 1) / 8);
  const slot = frame.slots[slotIndex];
  const first = start - -8 * (slotIndex + 1);
  // Kernel: the scratch marks are slot numbers of no frame in particular; the log prints the current frame's.
  walk.scratchedSlots.add(slotIndex);
  if (access === 'read') walk.markStackRead(reg.frameno, start, start + size);
  else if (first === 0 && size === 8) walk.markStackWrite(reg.frameno, slotIndex);
  if (access === 'write') {
    // Kernel check_stack_write_fixed_off: without CAP_PERFMON part of a spilled pointer may not be overwritten.
    if (slot.bytes[0] === 'spill' && isPointer(slot.spilled) && size !== 8 && !walk.options.allowPtrLeaks) {
      walk.fail('attempt to corrupt spilled pointer on stack');
    }
    if (value !== undefined && isPointer(value) && size !== 8) walk.fail('invalid size of register spill');
    // Kernel check_stack_write_fixed_off (!bypass_spec_v4): a barrier after a store that spills a pointer or
    // overwrites anything but data.
    if (!walk.options.bypassSpecV4) {
      const overwrites = slot.bytes.slice(first, first + size).some((b) => b !== 'misc' && b !== 'zero');
      if ((value !== undefined && valueRegno >= 0 && isPointer(value)) || overwrites)
        walk.nospecResult.add(walk.insnIdx);
    }
    destroyDynptrAt(walk, frame, slotIndex);
    const stored =
      value !== undefined && first === 0 ? linkSpilledScalar(walk, value, size, valueRegno) : value;
    const spilled = writeSlot(walk, slot, first, size, stored);
    // Kernel: only a spill is in the path's history for backtracking (INSN_F_STACK_ACCESS).
    walk.stackTouched = { stackFrame: reg.frameno, stackSlot: slotIndex, spill: spilled };
    // Kernel: a zero stored as bytes (not a spill) must stay zero, so the register it came from is precise.
    const isZero = value?.type === 'scalar' && isConst(value.value) && value.value.varOff.value === 0n;
    if (!spilled && isZero && valueRegno >= 0) walk.markPrecise(valueRegno);
    return undefined;
  }
  // A fill of a spilled register is in the history; a read of data bytes is not.
  walk.stackTouched = { stackFrame: reg.frameno, stackSlot: slotIndex, fill: slot.bytes[0] === 'spill' };
  return readSlot(walk, slot, first, size, start, signExtend);
}

/**
 * Kernel: without CAP_PERFMON a read that reaches below the stack the frame has allocated so far (no byte of those
 * slots was ever written) is refused before its bytes are looked at.
 */
function unallocatedStackRead(walk: Walk, frame: Frame, regno: number, start: number, size: number): void {
  if (!walk.options.allowUninitStack && -start > frame.slots.length * 8) {
    walk.fail(`invalid read from stack R${regno} off=${start} size=${size}`);
  }
}

/**
 * Kernel: a scalar spilled whole (its value fits in the bytes stored) shares an id with its copy on the stack,
 * so a bound learnt on one bounds the other; a narrowing spill breaks the link.
 */
function linkSpilledScalar(walk: Walk, value: Reg, size: number, regno: number): Reg {
  if (value.type !== 'scalar' || !walk.options.bpfCapable || regno < 0) return value;
  if (regWidth(value) > size * 8) return value;
  // Registers are shared between states: the linked copy replaces the register instead of changing it. A
  // register linked by a delta starts a new link (kernel assign_scalar_id_before_mov).
  let linked = value.addConst ? { ...value, id: 0, off: 0, addConst: false } : value;
  if (linked.id === 0 && !isConst(linked.value)) linked = { ...linked, id: walk.newId() };
  if (linked !== value) walk.frame.regs[regno] = linked;
  return linked;
}

/**
 * Kernel check_stack_write_fixed_off: with CAP_BPF, an aligned store of a scalar register or an immediate is a
 * spill of `size` bytes whatever its value (zero included); bytes above a narrow spill keep zero and invalid.
 * A pointer is always spilled whole. Any other write into a slot holding a spill scrubs the whole slot first.
 */
function writeSlot(
  walk: Walk,
  slot: StackSlot,
  first: number,
  size: number,
  value: Reg | undefined,
): boolean {
  const bytes = slot.bytes;
  if (
    first === 0 &&
    value !== undefined &&
    (value.type === 'scalar' ? walk.options.bpfCapable : size === 8)
  ) {
    for (let i = size; i < 8; i++) if (bytes[i] !== 'zero' && bytes[i] !== 'invalid') bytes[i] = 'misc';
    for (let i = 0; i < size; i++) bytes[i] = 'spill';
    // The whole register is kept, as the kernel's save_register_state does; a fill narrows it again. A
    // narrowing spill breaks the link with the register.
    slot.spilled = cloneReg(value);
    if (value.type === 'scalar' && regWidth(value) > size * 8) slot.spilled.id = 0;
    return true;
  }
  if (bytes[0] === 'spill') scrubSpill(slot);
  const isZero = value?.type === 'scalar' && isConst(value.value) && value.value.varOff.value === 0n;
  for (let i = first; i < first + size; i++) bytes[i] = isZero ? 'zero' : 'misc';
  return false;
}

/** Bits needed for the register's largest unsigned value (kernel get_reg_width). */
function regWidth(reg: Reg): number {
  return reg.value.umax.toString(2).length - (reg.value.umax === 0n ? 1 : 0);
}

/**
 * Kernel check_stack_read_fixed_off: a fill from the start of a spill no wider than it gives the spilled
 * register (narrowed to the load); bytes that are all spill of a zero or all zero give zero; else unknown.
 */
function readSlot(
  walk: Walk,
  slot: StackSlot,
  first: number,
  size: number,
  start: number,
  signExtend: boolean,
): Reg {
  const range = slot.bytes.slice(first, first + size);
  const dynptrByte = range.indexOf('dynptr');
  if (dynptrByte >= 0) walk.fail(`invalid read from stack off ${start}+${dynptrByte} size ${size}`);
  const spillSize = slot.bytes.filter((b) => b === 'spill').length;
  if (slot.bytes[0] === 'spill') {
    const spilled = slot.spilled;
    if (size === 8 && spillSize === 8) return cloneReg(spilled);
    if (isPointer(spilled)) walk.fail('invalid size of register fill');
    if (first === 0 && size <= spillSize) {
      const narrowed = signExtend
        ? coerceToSizeSx(spilled.value, size as 1 | 2 | 4)
        : coerceToSize(spilled.value, size as AccessSize);
      // a narrowing fill breaks the link with the registers sharing the spilled value's id
      return { ...cloneReg(spilled), value: narrowed, id: regWidth(spilled) > 8 * size ? 0 : spilled.id };
    }
  }
  const uninit = range.indexOf('invalid');
  if (uninit >= 0 && !walk.options.allowUninitStack) {
    walk.fail(`invalid read from stack off ${start}+${uninit} size ${size}`);
  }
  const spilledZero =
    slot.spilled.type === 'scalar' && isConst(slot.spilled.value) && slot.spilled.value.varOff.value === 0n;
  if (range.every((b) => b === 'spill') && spilledZero) return scalarReg(constant(0n));
  if (range.every((b) => b === 'zero')) return scalarReg(constant(0n));
  return loaded(size, signExtend);
}

/**
 * Kernel check_stack_access_within_bounds for the bytes [min, end) from the frame pointer: a first byte
 * outside the stack is EACCES, an access that starts inside but runs into non-negative offsets EINVAL.
 */
function stackOutOfBounds(min: number, end: number): 'EACCES' | 'EINVAL' | undefined {
  if (min < -MAX_BPF_STACK || min > -1) return 'EACCES';
  return end > 0 ? 'EINVAL' : undefined;
}

function variableStackAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  access: Access,
  frame: Frame,
): Reg | undefined {
  const min = Number(reg.value.smin) + reg.off + off;
  const max = Number(reg.value.smax) + reg.off + off;
  const direction = access === 'read' ? 'read from' : 'write to';
  if (reg.value.smin <= -BigInt(BPF_MAX_VAR_OFF) || reg.value.smax >= BigInt(BPF_MAX_VAR_OFF)) {
    walk.fail(`invalid unbounded variable-offset ${direction} stack R${regno}`);
  }
  const outside = stackOutOfBounds(min, max + size);
  if (outside) {
    walk.fail(
      `invalid variable-offset ${direction} stack R${regno} var_off=(0x${reg.value.varOff.value.toString(16)}; 0x${reg.value.varOff.mask.toString(16)}) off=${reg.off + off} size=${size}`,
      outside,
    );
  }
  walk.growStack(frame, -min);
  if (access === 'write') {
    for (let addr = min; addr < max + size; addr++) {
      const index = Math.floor((-addr - 1) / 8);
      destroyDynptrAt(walk, frame, index);
      const slot = frame.slots[index];
      const byte = addr - -8 * (index + 1);
      walk.scratchedSlots.add(index);
      // Kernel: a variable-offset write into a slot holding a spill leaves no register there, even where the
      // spill's own bytes are out of the write's range (a narrow spill below the write: 6.18's log).
      if (slot.bytes[0] === 'spill') {
        for (let i = 0; i < 8; i++) if (slot.bytes[i] === 'spill') slot.bytes[i] = 'misc';
      }
      slot.bytes[byte] = 'misc';
    }
    return undefined;
  }
  walk.markStackRead(reg.frameno, min, max + size);
  let allZero = true;
  for (let addr = min; addr < max + size; addr++) {
    const index = Math.floor((-addr - 1) / 8);
    const byte = frame.slots[index].bytes[addr - -8 * (index + 1)];
    if (byte === 'invalid' && !walk.options.allowUninitStack) {
      walk.fail(
        `invalid variable-offset read from stack R${regno} var_off=(0x${reg.value.varOff.value.toString(16)}; 0x${reg.value.varOff.mask.toString(16)}) off=${reg.off + off} size=${size}`,
      );
    }
    if (byte !== 'zero') allZero = false;
  }
  return allZero ? scalarReg(constant(0n)) : loaded(size, false);
}

/**
 * Memory a helper reads or writes through a pointer argument (kernel check_helper_mem_access): `size` bytes
 * from `reg`, within the bounds of what it points to; stack bytes a helper writes become unknown data.
 * `clobber`: a global function's argument, which the kernel scrubs without the byte stores of a helper's
 * uninitialised-memory argument, so the log does not print the slots after the call.
 */
export function checkHelperMemory(
  walk: Walk,
  regno: number,
  reg: Reg,
  size: number,
  access: Access,
  clobber = false,
): void {
  if (size === 0 && reg.type !== 'scalar') return;
  if (reg.type === 'stack') {
    const frame = walk.frameOf(reg);
    const base = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
    const min = isConst(reg.value) ? base : reg.off + Number(reg.value.smin);
    const max = isConst(reg.value) ? base : reg.off + Number(reg.value.smax);
    if (min < -MAX_BPF_STACK || max + size > 0) {
      walk.fail(
        `invalid ${access === 'read' ? 'read from' : 'write to'} stack R${regno} off=${base} size=${size}`,
        'EINVAL',
      );
    }
    if (access === 'read' && isConst(reg.value)) unallocatedStackRead(walk, frame, regno, min, size);
    walk.growStack(frame, -min);
    if (access === 'read') walk.markStackRead(reg.frameno, min, max + size);
    for (let addr = min; addr < max + size; addr++) {
      const index = Math.floor((-addr - 1) / 8);
      const slot = frame.slots[index];
      const byte = addr + 8 * (index + 1);
      if (slot.bytes[byte] === 'dynptr') {
        if (access === 'write') walk.fail(`potential write to dynptr at off=${addr} disallowed`);
        walk.fail(`invalid read from stack R${regno} off ${base}+${addr - base} size ${size}`);
      }
      if (access === 'write') {
        // Kernel: a helper's writes are byte stores (check_stack_write_fixed_off), each of which puts a barrier
        // after the call without CAP_PERFMON when it overwrites anything but data (see stackAccess).
        if (!clobber && isConst(reg.value)) {
          // Without CAP_PERFMON such a byte store may not overwrite part of a spilled pointer either.
          if (slot.bytes[0] === 'spill' && isPointer(slot.spilled) && !walk.options.allowPtrLeaks) {
            walk.fail('attempt to corrupt spilled pointer on stack');
          }
          if (!walk.options.bypassSpecV4 && slot.bytes[byte] !== 'misc' && slot.bytes[byte] !== 'zero')
            walk.nospecResult.add(walk.insnIdx);
        }
        // Kernel check_stack_range_initialized (clobber): a helper writing into a spill scrubs its whole slot.
        if (slot.bytes[byte] === 'spill') scrubSpill(slot);
        slot.bytes[byte] = 'misc';
        if (!clobber) walk.scratchedSlots.add(index);
      } else if (slot.bytes[byte] === 'spill' && isPointer(slot.spilled) && !walk.options.allowPtrLeaks) {
        // Kernel check_stack_range_initialized: a helper reads a spilled pointer's bytes only with CAP_PERFMON.
        walk.fail(`invalid read from stack R${regno} off ${base}+${addr - base} size ${size}`);
      } else if (slot.bytes[byte] === 'invalid' && !walk.options.allowUninitStack) {
        // A read leaves the bytes as they are (uninitialised ones only with CAP_PERFMON).
        walk.fail(`invalid read from stack R${regno} off ${base}+${addr - base} size ${size}`);
      }
    }
    return;
  }
  memAccessRange(walk, regno, reg, size, access);
}

function memAccessRange(walk: Walk, regno: number, reg: Reg, size: number, access: Access): void {
  switch (reg.type) {
    case 'map_value':
    case 'map_key':
      mapAccess(walk, regno, reg, 0, size, access, false);
      return;
    case 'pkt':
    case 'pkt_meta':
      packetAccess(walk, regno, reg, 0, size, access, false);
      return;
    case 'mem':
      regionAccess(
        walk,
        regno,
        reg,
        0,
        size,
        reg.memSize,
        (o) => `invalid access to memory, mem_size=${reg.memSize} off=${o} size=${size}`,
      );
      return;
    default: {
      // Kernel: a zero-byte access through NULL is fine, whatever the pointer type asked for.
      const isNull = reg.type === 'scalar' && isConst(reg.value) && reg.value.varOff.value === 0n;
      if (isNull && size === 0) return;
      walk.fail(`R${regno} type=${regTypeName(reg)} expected=fp`);
    }
  }
}
