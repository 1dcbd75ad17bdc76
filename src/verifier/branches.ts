// Conditional jumps (the kernel's check_cond_jmp_op): branches decided by known bounds, both paths refined
// otherwise, null checks of maybe-null pointers, and packet ranges learnt from comparisons with the end.
import type { CondJumpInsn, CondJumpOp } from '../isa/decoded.js';
import { releaseReference } from './calls.js';
import { branchTaken, refineBranches } from './scalar.js';
import { cloneState, constReg, isPointer, type Reg, type VerifierState } from './state.js';
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
  if (srcIndex >= 0 && isPointer(src) && !walk.options.allowPtrLeaks) {
    walk.fail(`R${srcIndex} pointer comparison prohibited`);
  }
  if (isPointer(dst) && !walk.options.allowPtrLeaks && !(dst.maybeNull && isZero(src))) {
    walk.fail(`R${insn.dst} pointer comparison prohibited`);
  }
  const target = walk.insnIdx + insn.offset + 1;
  const fallthrough = walk.insnIdx + 1;

  const taken = decide(dst, src, insn);
  if (taken !== -1 && dst.type === 'scalar' && src.type === 'scalar') {
    // Kernel: a branch decided by the values makes those values precise.
    walk.markPrecise(insn.dst);
    if (srcIndex >= 0) walk.markPrecise(srcIndex);
  }
  if (taken === 1) {
    walk.nextInsn = target;
    return;
  }
  if (taken === 0) {
    walk.nextInsn = fallthrough;
    return;
  }
  const other = cloneState(walk.state);
  const takenOk = refine(walk, walk.state, other, insn, srcIndex);
  // `other` is the branch taken; the current state continues with the fall-through.
  if (takenOk.taken) walk.pushBranch(other, target);
  if (takenOk.fallthrough) walk.nextInsn = fallthrough;
  else {
    walk.pathDone = true;
  }
}

function immediate(insn: CondJumpInsn): Reg {
  const imm = insn.source.kind === 'imm' ? insn.source.imm : 0;
  // Kernel: the immediate is a sign-extended 64-bit constant; 32-bit jumps compare its low half.
  return constReg(BigInt(imm));
}

function isZero(reg: Reg): boolean {
  return reg.type === 'scalar' && reg.value.varOff.mask === 0n && reg.value.varOff.value === 0n;
}

/** 1: always taken, 0: never, -1: either (kernel is_branch_taken). */
function decide(dst: Reg, src: Reg, insn: CondJumpInsn): 1 | 0 | -1 {
  if (dst.type === 'scalar' && src.type === 'scalar')
    return branchTaken(insn.op, insn.width, dst.value, src.value);
  // A non-null pointer is never equal to 0.
  if (isPointer(dst) && !dst.maybeNull && isZero(src) && insn.width === 64) {
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
    applyScalar(walk, taken, insn.dst, srcIndex, refined.taken.dst, refined.taken.src);
    applyScalar(walk, fall, insn.dst, srcIndex, refined.fallthrough.dst, refined.fallthrough.src);
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

  // Packet pointer against the packet end: the side that proves `pkt + off <= end` learns a range.
  if (insn.width === 64) {
    if (dst.type === 'pkt' && src.type === 'pkt_end') packetRange(fall, taken, dst, insn.op);
    else if (dst.type === 'pkt_end' && src.type === 'pkt') packetRange(fall, taken, src, SWAPPED[insn.op]);
    else if (dst.type === 'pkt_meta' && src.type === 'pkt') packetRange(fall, taken, dst, insn.op);
    else if (dst.type === 'pkt' && src.type === 'pkt_meta') packetRange(fall, taken, src, SWAPPED[insn.op]);
  }
  return { taken: true, fallthrough: true };
}

function applyScalar(
  walk: Walk,
  state: VerifierState,
  dstIndex: number,
  srcIndex: number,
  d: Reg['value'],
  s: Reg['value'],
): void {
  const frame = state.frames[state.frames.length - 1];
  const dst = frame.regs[dstIndex];
  frame.regs[dstIndex] = { ...dst, value: d };
  propagateLinked(walk, state, dst.id, d);
  if (srcIndex >= 0) {
    const src = frame.regs[srcIndex];
    frame.regs[srcIndex] = { ...src, value: s };
    propagateLinked(walk, state, src.id, s);
  }
}

/** Kernel sync_linked_regs: scalars copied from one another share what a branch learnt about any of them. */
function propagateLinked(walk: Walk, state: VerifierState, id: number, value: Reg['value']): void {
  if (id === 0) return;
  for (const slot of walk.allRegs(state)) {
    const reg = slot.get();
    if (reg.type === 'scalar' && reg.id === id) slot.set({ ...reg, value });
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
      if (reg.refObjId !== 0) refToRelease = reg.refObjId;
      slot.set(constReg(0n));
    } else {
      slot.set({
        ...reg,
        maybeNull: false,
        id: reg.type === 'map_value' || reg.type === 'map_ptr' ? 0 : reg.id,
      });
    }
  }
  if (refToRelease !== 0) {
    const saved = walk.state;
    walk.state = state;
    releaseReference(walk, refToRelease);
    walk.state = saved;
  }
}

/**
 * Kernel find_good_pkt_pointers: the branch where `pkt + off <= end` holds learns that `off` bytes are in
 * the packet (`off + 1` where `pkt + off < end` holds, but nothing for a strict `pkt < end`); every pointer
 * sharing the packet pointer's id learns it. `op` is read as `pkt OP end`.
 */
function packetRange(fall: VerifierState, taken: VerifierState, pkt: Reg, op: CondJumpOp): void {
  const learn = (state: VerifierState, strict: boolean) => {
    if (pkt.off < 0 || (pkt.off === 0 && strict)) return;
    markRange(state, pkt, strict ? pkt.off + 1 : pkt.off);
  };
  switch (op) {
    case 'jgt': // fall-through: pkt <= end
      learn(fall, false);
      return;
    case 'jle': // taken: pkt <= end
      learn(taken, false);
      return;
    case 'jlt': // taken: pkt < end
      learn(taken, true);
      return;
    case 'jge': // fall-through: pkt < end
      learn(fall, true);
      return;
    default:
      return;
  }
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
