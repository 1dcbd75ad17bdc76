// Conditional jumps (the kernel's check_cond_jmp_op): branches decided by known bounds, both paths refined
// otherwise, null checks of maybe-null pointers, and packet ranges learnt from comparisons with the end.
import type { CondJumpInsn, CondJumpOp, MayGotoInsn } from '../isa/decoded.js';
import { releaseReference } from './calls.js';
import type { LinkedScalar } from './precision.js';
import { branchTaken, constant, refineBranches, scalarAlu } from './scalar.js';
import {
  cloneState,
  constReg,
  isPointer,
  type Reg,
  regWithValue,
  scalarReg,
  type VerifierState,
} from './state.js';
import type { Walk } from './walk.js';

/** The same comparison with its operands swapped (`a > b` is `b < a`). */
const SWAPPED: Readonly<Record<CondJumpOp, CondJumpOp>> = {
  jeq: 'jeq',
  jne: 'jne',
  jset: 'jset',
  jgt: 'jlt',
  jlt: 'jgt',
  jge: 'jle',
  jle: 'jge',
  jsgt: 'jslt',
  jslt: 'jsgt',
  jsge: 'jsle',
  jsle: 'jsge',
};

export function checkCondJump(walk: Walk, insn: CondJumpInsn): void {
  const dst = walk.readReg(insn.dst);
  const srcIndex = insn.source.kind === 'reg' ? insn.source.reg : -1;
  const src = srcIndex >= 0 ? walk.readReg(srcIndex) : immediate(insn);
  // Kernel: without CAP_PERFMON a pointer may only be compared with another packet pointer (the source is checked
  // here, the destination once the branch is known to be undecided).
  if (
    srcIndex >= 0 &&
    isPointer(src) &&
    !walk.options.allowPtrLeaks &&
    !(isAnyPacketPointer(dst) && isAnyPacketPointer(src))
  ) {
    walk.fail(`R${srcIndex} pointer comparison prohibited`);
  }
  const target = walk.insnIdx + insn.offset + 1;
  const fallthrough = walk.insnIdx + 1;

  const taken = decide(dst, src, insn);
  if (taken !== -1 && dst.type === 'scalar' && src.type === 'scalar') {
    // Kernel: a branch decided by the values makes those values precise.
    walk.markPrecise(insn.dst);
    if (srcIndex >= 0) walk.markPrecise(srcIndex);
  }
  // Kernel: whichever way the jump goes, the state it continues with is printed after the instruction.
  if (taken !== -1) {
    // Kernel sanitize_speculative_path: without CAP_PERFMON the way a mispredicting CPU may go is explored too,
    // with the compared registers unknown.
    if (!walk.options.bypassSpecV1) {
      const speculative = cloneState(walk.state);
      const regs = speculative.frames[speculative.frames.length - 1].regs;
      regs[insn.dst] = scalarReg();
      if (srcIndex >= 0) regs[srcIndex] = scalarReg();
      walk.pushBranch(speculative, taken === 1 ? fallthrough : target, true);
    }
    walk.nextInsn = taken === 1 ? target : fallthrough;
    walk.printInsnState();
    return;
  }
  // Kernel collect_linked_regs: the scalars sharing the compared registers' ids go into the path's history.
  const linked: LinkedScalar[] = [];
  if (srcIndex >= 0 && src.type === 'scalar' && src.id !== 0) collectLinked(walk, src.id, linked);
  if (dst.type === 'scalar' && dst.id !== 0) collectLinked(walk, dst.id, linked);
  if (linked.length > 1) walk.linkedScalars = linked;
  const other = cloneState(walk.state);
  const takenOk = refine(walk, walk.state, other, insn, srcIndex, linked);
  // Kernel: a comparison that is neither a null check nor one of the packet-range checks compares a pointer.
  const nullCheck =
    insn.width === 64 &&
    srcIndex < 0 &&
    isZero(src) &&
    (insn.op === 'jeq' || insn.op === 'jne') &&
    dst.maybeNull;
  if (isPointer(dst) && !walk.options.allowPtrLeaks && !nullCheck && !packetRangeCheck(insn, dst, src)) {
    walk.fail(`R${insn.dst} pointer comparison prohibited`);
  }
  // `other` is the branch taken; the current state continues with the fall-through.
  if (takenOk.taken) walk.pushBranch(other, target);
  if (takenOk.fallthrough) walk.nextInsn = fallthrough;
  else {
    walk.pathDone = true;
  }
  walk.printInsnState();
}

/**
 * Kernel may_goto: the walk follows the jump first; the fall-through is explored later one may_goto deeper,
 * with the imprecise scalars that changed since the previous iteration forgotten, so a loop converges.
 */
export function checkMayGoto(walk: Walk, insn: MayGotoInsn): void {
  const fallthrough = cloneState(walk.state);
  fallthrough.mayGotoDepth++;
  walk.widenImpreciseScalars(walk.insnIdx, fallthrough, true);
  walk.pushBranch(fallthrough, walk.insnIdx + 1);
  walk.nextInsn = walk.insnIdx + insn.offset + 1;
  // Kernel: `may_goto +0` is removed as a no-op before the budget's stack slots are given out.
  if (insn.offset !== 0) walk.mayGotoFunctions.add(walk.cfg.functionOf[walk.insnIdx]);
}

/** Kernel LINKED_REGS_MAX: how many linked scalars one history entry holds. */
const LINKED_SCALARS_MAX = 6;

/**
 * The scalar registers live at the jump (in outer frames: at their call) and the spills of every frame, innermost
 * first, whose id is `id` (kernel collect_linked_regs).
 */
function collectLinked(walk: Walk, id: number, out: LinkedScalar[]): void {
  const state = walk.state;
  for (let frame = state.frames.length - 1; frame >= 0; frame--) {
    const { regs, slots } = state.frames[frame];
    const at = frame === state.frames.length - 1 ? walk.insnIdx : state.frames[frame + 1].callsite;
    const live = walk.liveBefore(at);
    for (let regno = 0; regno < 10; regno++) {
      const reg = regs[regno];
      if ((live & (1 << regno)) === 0) continue;
      if (reg.type === 'scalar' && reg.id === id && out.length < LINKED_SCALARS_MAX)
        out.push({ frame, regno });
    }
    slots.forEach((slot, index) => {
      const spilled = slot.bytes[0] === 'spill' ? slot.spilled : undefined;
      if (spilled?.type === 'scalar' && spilled.id === id && out.length < LINKED_SCALARS_MAX) {
        out.push({ frame, slot: index });
      }
    });
  }
}

function isAnyPacketPointer(reg: Reg): boolean {
  return reg.type === 'pkt' || reg.type === 'pkt_meta' || reg.type === 'pkt_end';
}

/** The packet pointer at the start of the packet data (kernel reg_is_init_pkt_pointer). */
function isInitPacketPointer(reg: Reg): boolean {
  return reg.type === 'pkt' && reg.off === 0 && reg.value.varOff.mask === 0n && reg.value.varOff.value === 0n;
}

/**
 * Kernel try_match_pkt_pointers: `<`, `<=`, `>`, `>=` between a packet pointer and the packet end, or between the
 * metadata pointer and the start of the packet data (64-bit, register operands).
 */
function packetRangeCheck(insn: CondJumpInsn, dst: Reg, src: Reg): boolean {
  if (insn.source.kind !== 'reg' || insn.width !== 64) return false;
  if (insn.op !== 'jgt' && insn.op !== 'jlt' && insn.op !== 'jge' && insn.op !== 'jle') return false;
  return (
    (dst.type === 'pkt' && src.type === 'pkt_end') ||
    (dst.type === 'pkt_meta' && isInitPacketPointer(src)) ||
    (dst.type === 'pkt_end' && src.type === 'pkt') ||
    (isInitPacketPointer(dst) && src.type === 'pkt_meta')
  );
}

function immediate(insn: CondJumpInsn): Reg {
  const imm = insn.source.kind === 'imm' ? insn.source.imm : 0;
  // Kernel: the immediate is a sign-extended 64-bit constant; 32-bit jumps compare its low half.
  return constReg(BigInt(imm));
}

function isZero(reg: Reg): boolean {
  return reg.type === 'scalar' && reg.value.varOff.mask === 0n && reg.value.varOff.value === 0n;
}

/** Pointer types the kernel's reg_not_null trusts not to be null (BTF pointers and memory: see notNull). */
const NOT_NULL_TYPES: ReadonlySet<Reg['type']> = new Set([
  'sock',
  'tcp_sock',
  'map_value',
  'map_key',
  'sock_common',
  'btf_id',
  'mem',
  'map_ptr',
]);

/** Kernel reg_not_null: a BTF pointer only when trusted (is_trusted_reg), memory unless untrusted. */
function notNull(reg: Reg): boolean {
  if (reg.maybeNull || !NOT_NULL_TYPES.has(reg.type)) return false;
  if (reg.type === 'btf_id') return reg.trust === 'trusted' || reg.refObjId !== 0;
  if (reg.type === 'mem') return reg.trust !== 'untrusted';
  return true;
}

/** 1: always taken, 0: never, -1: either (kernel is_branch_taken). */
function decide(dst: Reg, src: Reg, insn: CondJumpInsn): 1 | 0 | -1 {
  if (dst.type === 'scalar' && src.type === 'scalar')
    return branchTaken(insn.op, insn.width, dst.value, src.value);
  if (insn.width === 64 && src.type === 'pkt_end' && (dst.type === 'pkt' || dst.type === 'pkt_meta'))
    return packetBranchTaken(dst, insn.op);
  if (insn.width === 64 && dst.type === 'pkt_end' && (src.type === 'pkt' || src.type === 'pkt_meta'))
    return packetBranchTaken(src, SWAPPED[insn.op]);
  // A pointer the kernel knows is not null (reg_not_null) is never equal to 0; other pointers (ctx, stack,
  // packet) are compared both ways.
  if (isPointer(dst) && notNull(dst) && isZero(src) && insn.width === 64) {
    if (insn.op === 'jeq') return 0;
    if (insn.op === 'jne') return 1;
  }
  return -1;
}

/** Refine both successor states; says which of them can happen. */
function refine(
  walk: Walk,
  fall: VerifierState,
  taken: VerifierState,
  insn: CondJumpInsn,
  srcIndex: number,
  linked: readonly LinkedScalar[],
): { taken: boolean; fallthrough: boolean } {
  const top = (state: VerifierState) => state.frames[state.frames.length - 1];
  const dst = top(fall).regs[insn.dst];
  const src = srcIndex >= 0 ? top(fall).regs[srcIndex] : immediate(insn);

  if (dst.type === 'scalar' && src.type === 'scalar') {
    const refined = refineBranches(insn.op, insn.width, dst.value, src.value, {
      sameRegister: srcIndex === insn.dst,
      immediate: srcIndex < 0,
    });
    // Kernel: an impossible side leaves inconsistent bounds; it says so and forgets them (or, when asked to
    // check its invariants, refuses the program).
    for (const failure of refined.failures) {
      if (walk.options.testRegInvariants) walk.fail(failure.message, 'EFAULT');
      walk.log.print(`${failure.message}\n`);
    }
    applyScalar(taken, insn.dst, srcIndex, refined.taken.dst, refined.taken.src, linked);
    applyScalar(fall, insn.dst, srcIndex, refined.fallthrough.dst, refined.fallthrough.src, linked);
    return { taken: true, fallthrough: true };
  }

  // Null checks: `if rX == 0` / `if rX != 0` on a maybe-null pointer.
  if (dst.maybeNull && isZero(src) && insn.width === 64 && (insn.op === 'jeq' || insn.op === 'jne')) {
    const nullState = insn.op === 'jeq' ? taken : fall;
    const nonNullState = insn.op === 'jeq' ? fall : taken;
    markNull(walk, nullState, dst.id, true);
    markNull(walk, nonNullState, dst.id, false);
    return { taken: true, fallthrough: true };
  }

  // Kernel check_cond_jmp_op: a maybe-null pointer equal to a pointer that is not null is not null either (that
  // one register, id kept: kernel mark_ptr_not_null_reg).
  if (
    insn.width === 64 &&
    srcIndex >= 0 &&
    (insn.op === 'jeq' || insn.op === 'jne') &&
    isPointer(dst) &&
    isPointer(src) &&
    dst.maybeNull !== src.maybeNull &&
    dst.type !== 'btf_id' &&
    src.type !== 'btf_id'
  ) {
    const frame = top(insn.op === 'jeq' ? taken : fall);
    const regno = dst.maybeNull ? insn.dst : srcIndex;
    frame.regs[regno] = notNullReg(frame.regs[regno]);
    return { taken: true, fallthrough: true };
  }

  // Packet pointer against the packet end: the side that proves `pkt + off <= end` learns a range.
  if (insn.width === 64) {
    if (dst.type === 'pkt' && src.type === 'pkt_end') packetRange(fall, taken, dst, insn.dst, insn.op);
    else if (dst.type === 'pkt_end' && src.type === 'pkt')
      packetRange(fall, taken, src, srcIndex, SWAPPED[insn.op]);
    else if (dst.type === 'pkt_meta' && src.type === 'pkt') packetRange(fall, taken, dst, -1, insn.op);
    else if (dst.type === 'pkt' && src.type === 'pkt_meta')
      packetRange(fall, taken, src, -1, SWAPPED[insn.op]);
  }
  return { taken: true, fallthrough: true };
}

function applyScalar(
  state: VerifierState,
  dstIndex: number,
  srcIndex: number,
  d: Reg['value'],
  s: Reg['value'],
  linked: readonly LinkedScalar[],
): void {
  const frame = state.frames[state.frames.length - 1];
  const dst = frame.regs[dstIndex];
  // A side that taught nothing about an operand keeps its register (states share register objects).
  if (d !== dst.value) frame.regs[dstIndex] = regWithValue(dst, d);
  propagateLinked(state, frame.regs[dstIndex], linked);
  if (srcIndex >= 0) {
    const src = frame.regs[srcIndex];
    if (s !== src.value) frame.regs[srcIndex] = regWithValue(src, s);
    propagateLinked(state, frame.regs[srcIndex], linked);
  }
}

/**
 * Kernel sync_linked_regs: the scalars collected at the jump (linked to the compared ones, and live there) share
 * what the branch learnt about any of them, each shifted by the difference of the deltas they were linked with.
 */
function propagateLinked(state: VerifierState, known: Reg, linked: readonly LinkedScalar[]): void {
  if (known.id === 0 || known.type !== 'scalar') return;
  const knownDelta = known.addConst ? known.off : 0;
  const learnt = (reg: Reg): Reg | undefined => {
    if (reg.type !== 'scalar' || reg.id !== known.id || reg === known) return undefined;
    const delta = (reg.addConst ? reg.off : 0) - knownDelta;
    const value = delta === 0 ? known.value : scalarAlu('add', 64, known.value, constant(BigInt(delta)));
    return regWithValue(reg, value);
  };
  for (const e of linked) {
    const frame = state.frames[e.frame];
    if (e.regno !== undefined) {
      const reg = learnt(frame.regs[e.regno]);
      if (reg) frame.regs[e.regno] = reg;
    } else {
      const slot = frame.slots[e.slot as number];
      const reg = slot.bytes[0] === 'spill' ? learnt(slot.spilled) : undefined;
      if (reg) slot.spilled = reg;
    }
  }
}

/** Kernel mark_ptr_or_null_regs: every copy of the pointer becomes null (a zero scalar) or non-null. */
function markNull(walk: Walk, state: VerifierState, id: number, isNull: boolean): void {
  if (id === 0) return;
  let refToRelease = 0;
  for (const slot of walk.allRegs(state)) {
    const reg = slot.get();
    if (reg.id !== id || !reg.maybeNull) continue;
    if (isNull) {
      // Kernel: only a pointer that is the reference itself (ref_obj_id == id) releases it when NULL; a
      // slice of a referenced object (a ringbuf dynptr's data, bpf_tcp_sock of a socket) leaves it held.
      if (reg.refObjId === id) refToRelease = reg.refObjId;
      slot.set(constReg(0n));
    } else {
      // Kernel: the id only served the null check (it stays for spin-lock pointers, which tsbpf refuses).
      slot.set({ ...notNullReg(reg), id: 0 });
    }
  }
  if (refToRelease !== 0) {
    const saved = walk.state;
    walk.state = state;
    releaseReference(walk, refToRelease);
    walk.state = saved;
  }
}

/** Kernel mark_ptr_not_null_reg: the pointer without its maybe-null flag (an xskmap lookup is a socket already). */
function notNullReg(reg: Reg): Reg {
  return { ...reg, maybeNull: false };
}

/** Kernel AT_PKT_END / BEYOND_PKT_END: a packet pointer known to be at, or past, the packet's end. */
export const AT_PKT_END = -1;
export const BEYOND_PKT_END = -2;

/**
 * Kernel find_good_pkt_pointers: the branch where `pkt + off <= end` holds learns that `off` bytes are in
 * the packet (`off + 1` where `pkt + off < end` holds, but nothing for a strict `pkt < end`); every pointer
 * sharing the packet pointer's id learns it. `op` is read as `pkt OP end`. On the other branch the compared
 * register itself (`regno`, when it points into the packet data) is at or past the end (kernel mark_pkt_end).
 */
function packetRange(
  fall: VerifierState,
  taken: VerifierState,
  pkt: Reg,
  regno: number,
  op: CondJumpOp,
): void {
  const learn = (state: VerifierState, strict: boolean) => {
    if (pkt.off < 0 || (pkt.off === 0 && strict)) return;
    // Kernel MAX_PACKET_OFF: a pointer whose variable part may pass the largest packet offset learns nothing.
    if (pkt.value.umax > 0xffffn || pkt.value.umax + BigInt(pkt.off) > 0xffffn) return;
    markRange(state, pkt, strict ? pkt.off + 1 : pkt.off);
  };
  const pastEnd = (state: VerifierState, range: number) => {
    if (regno < 0 || pkt.type !== 'pkt') return;
    const frame = state.frames[state.frames.length - 1];
    frame.regs[regno] = { ...frame.regs[regno], range };
  };
  switch (op) {
    case 'jgt': // fall-through: pkt <= end
      learn(fall, false);
      pastEnd(taken, BEYOND_PKT_END);
      return;
    case 'jle': // taken: pkt <= end
      learn(taken, false);
      pastEnd(fall, BEYOND_PKT_END);
      return;
    case 'jlt': // taken: pkt < end
      learn(taken, true);
      pastEnd(fall, AT_PKT_END);
      return;
    case 'jge': // fall-through: pkt < end
      learn(fall, true);
      pastEnd(taken, AT_PKT_END);
      return;
    default:
      return;
  }
}

/**
 * Kernel is_pkt_ptr_branch_taken: a packet pointer known to be at or past the end decides a comparison with
 * the end. `op` is read as `pkt OP end`.
 */
function packetBranchTaken(pkt: Reg, op: CondJumpOp): 1 | 0 | -1 {
  if (pkt.range >= 0) return -1;
  if ((op === 'jgt' || op === 'jle') && pkt.range === BEYOND_PKT_END) return op === 'jgt' ? 1 : 0;
  if (op === 'jlt' || op === 'jge') return op === 'jge' ? 1 : 0;
  return -1;
}

function markRange(state: VerifierState, pkt: Reg, range: number): void {
  for (const frame of state.frames) {
    for (let i = 0; i < frame.regs.length; i++) {
      const reg = frame.regs[i];
      if (reg.type === pkt.type && reg.id === pkt.id && reg.range < range) frame.regs[i] = { ...reg, range };
    }
    for (const slot of frame.slots) {
      const reg = slot.spilled;
      if (reg.type === pkt.type && reg.id === pkt.id && reg.range < range) slot.spilled = { ...reg, range };
    }
  }
}
