// State comparison for pruning (the kernel's states_equal): a new state is safe when an old state that was
// proven safe covers it — every live register and stack byte of the old one at least as general.
import { type ScalarBounds, scalarEquals } from './scalar.js';
import { type Frame, type Reg, type StackSlot, scalarReg, type VerifierState } from './state.js';
import type { Walk } from './walk.js';

/** Old ids map to current ids one to one (kernel check_ids), so shared null checks stay shared. */
class IdMap {
  // Made on the first pair of non-zero ids: most comparisons see none, and they run at every prune point.
  private forward: Map<number, number> | undefined;
  private backward: Map<number, number> | undefined;
  private fresh = 0;

  /**
   * `strictScalars`: kernel explore_alu_limits, set once a pointer was moved by an unknown scalar without
   * CAP_PERFMON: scalars must then be the same to prune, so each path's masking is explored.
   */
  constructor(readonly strictScalars = false) {}

  /** Kernel check_scalar_ids: a zero id is a fresh one, so an unlinked scalar matches any link not seen yet. */
  checkScalar(oldId: number, curId: number): boolean {
    return this.check(oldId === 0 ? --this.fresh : oldId, curId === 0 ? --this.fresh : curId);
  }

  check(oldId: number, curId: number): boolean {
    if (oldId === 0 && curId === 0) return true;
    if (oldId === 0 || curId === 0) return false;
    if (this.forward === undefined || this.backward === undefined) {
      this.forward = new Map();
      this.backward = new Map();
    }
    const mapped = this.forward.get(oldId);
    const back = this.backward.get(curId);
    if (mapped === undefined && back === undefined) {
      this.forward.set(oldId, curId);
      this.backward.set(curId, oldId);
      return true;
    }
    return mapped === curId && back === oldId;
  }
}

function rangeWithin(old: ScalarBounds, cur: ScalarBounds): boolean {
  return (
    old.umin <= cur.umin &&
    old.umax >= cur.umax &&
    old.smin <= cur.smin &&
    old.smax >= cur.smax &&
    old.u32Min <= cur.u32Min &&
    old.u32Max >= cur.u32Max &&
    old.s32Min <= cur.s32Min &&
    old.s32Max >= cur.s32Max
  );
}

/** Kernel tnum_in: every value `cur` allows, `old` allows too. */
function tnumWithin(old: ScalarBounds, cur: ScalarBounds): boolean {
  const a = old.varOff;
  const b = cur.varOff;
  if ((b.mask & ~a.mask) !== 0n) return false;
  return (b.value & ~a.mask) === a.value;
}

/**
 * How closely a state must match (kernel enum exact_level): `not_exact` for pruning against a finished state
 * (imprecise scalars may differ), `range_within` for a callback's convergence (every scalar within the old
 * range, every stack byte of the same kind), `exact` for infinite-loop detection.
 */
export type Exactness = 'not_exact' | 'range_within' | 'exact';

/** Kernel regsafe. */
function regSafe(old: Reg, cur: Reg, ids: IdMap, mode: Exactness): boolean {
  const exact = mode === 'exact';
  // Kernel regsafe: an unwritten register covers anything only when not exact; within ranges it must stay unwritten.
  if (old.type === 'not_init') return mode === 'not_exact' || cur.type === 'not_init';
  if (exact) {
    return (
      old.type === cur.type &&
      old.off === cur.off &&
      old.maybeNull === cur.maybeNull &&
      old.range === cur.range &&
      old.map === cur.map &&
      old.frameno === cur.frameno &&
      !!old.addConst === !!cur.addConst &&
      scalarEquals(old.value, cur.value) &&
      ids.check(old.id, cur.id)
    );
  }
  if (old.type !== cur.type) return false;
  switch (old.type) {
    case 'scalar':
      if (ids.strictScalars) {
        return (
          scalarEquals(old.value, cur.value) &&
          old.off === cur.off &&
          !!old.addConst === !!cur.addConst &&
          ids.checkScalar(old.id, cur.id)
        );
      }
      // Only scalars whose exact value decided something (precise) must be covered; others may differ.
      if (!old.precise && mode === 'not_exact') return true;
      // Kernel check_scalar_ids: a linked old scalar needs the same link, with the same delta, now.
      if (old.id !== 0 && (!!old.addConst !== !!cur.addConst || (old.addConst && old.off !== cur.off)))
        return false;
      return (
        rangeWithin(old.value, cur.value) &&
        tnumWithin(old.value, cur.value) &&
        (old.id === 0 || ids.check(old.id, cur.id))
      );
    case 'pkt':
    case 'pkt_meta':
      return (
        old.off === cur.off &&
        cur.range >= old.range &&
        rangeWithin(old.value, cur.value) &&
        tnumWithin(old.value, cur.value) &&
        ids.check(old.id, cur.id)
      );
    case 'stack':
      // Kernel regsafe: two stack pointers are equivalent only when they are the same pointer into one frame.
      return (
        old.frameno === cur.frameno &&
        old.off === cur.off &&
        scalarEquals(old.value, cur.value) &&
        ids.check(old.id, cur.id)
      );
    default:
      return (
        old.maybeNull === cur.maybeNull &&
        old.off === cur.off &&
        old.map === cur.map &&
        old.memSize === cur.memSize &&
        old.readOnly === cur.readOnly &&
        old.refObjId === cur.refObjId &&
        old.subprog === cur.subprog &&
        // Kernel regsafe: a BTF pointer to another struct, or a slice of another dynptr, is another pointer.
        old.btfName === cur.btfName &&
        old.trust === cur.trust &&
        old.dynptr === cur.dynptr &&
        ids.check(old.dynptrId ?? 0, cur.dynptrId ?? 0) &&
        rangeWithin(old.value, cur.value) &&
        tnumWithin(old.value, cur.value) &&
        ids.check(old.id, cur.id)
      );
  }
}

/** An unbounded, imprecise scalar: what a read of an all-misc slot gives (kernel unbound_reg). */
const UNBOUND = scalarReg();

/**
 * Kernel scalar_reg_for_stack: a slot that reads back as a scalar of 8 bytes, a spilled one (its last byte in
 * the kernel's order, the lowest address here, is a spill) or all misc; undefined for any other slot.
 */
function scalarForStack(slot: StackSlot, allowUninitStack: boolean): Reg | undefined {
  if (slot.bytes[7] === 'spill' && slot.spilled.type === 'scalar') return slot.spilled;
  if (slot.bytes.every((b) => b === 'misc' || (b === 'invalid' && allowUninitStack))) return UNBOUND;
  return undefined;
}

/** Kernel stacksafe: every byte the old state knew is known at least as well now. */
function stackSafe(walk: Walk, old: Frame, cur: Frame, ids: IdMap, mode: Exactness): boolean {
  if (mode === 'exact') return stackExact(old, cur, ids);
  const allowUninit = walk.options.allowUninitStack === true;
  for (let i = 0; i < old.slots.length; i++) {
    const o: StackSlot = old.slots[i];
    const c: StackSlot | undefined = cur.slots[i];
    // The kernel walks a slot's bytes from the highest address down (its slot_type[0] first).
    for (let k = 0; k < 8; k++) {
      const ob = o.bytes[7 - k];
      if (ob === 'invalid' || (allowUninit && ob === 'misc')) continue;
      if (c === undefined) return false;
      // Kernel: a 64-bit scalar spill and an all-misc slot both read as a scalar, compared as registers.
      const oldScalar = scalarForStack(o, allowUninit);
      const curScalar = oldScalar && scalarForStack(c, allowUninit);
      if (oldScalar && curScalar) {
        if (!regSafe(oldScalar, curScalar, ids, mode)) return false;
        break;
      }
      const cb = c.bytes[7 - k];
      if (ob === 'misc' && cb === 'zero') continue;
      if (ob !== cb) return false;
      if (k !== 7) continue;
      if (ob === 'spill' && !regSafe(o.spilled, c.spilled, ids, mode)) return false;
      // Kernel stacksafe: a dynptr must be the same kind of dynptr, with ids that correspond.
      if (ob === 'dynptr') {
        const a = o.spilled;
        const b = c.spilled;
        if (a.dynptr !== b.dynptr || a.dynptrFirst !== b.dynptrFirst || !ids.check(a.id, b.id)) return false;
      }
    }
  }
  return true;
}

/** Kernel stacksafe in its exact mode: the same bytes everywhere, spilled registers exactly equal. */
function stackExact(old: Frame, cur: Frame, ids: IdMap): boolean {
  for (let i = 0; i < old.slots.length; i++) {
    const o: StackSlot = old.slots[i];
    const c: StackSlot | undefined = cur.slots[i];
    for (let b = 0; b < 8; b++) if (o.bytes[b] !== (c ? c.bytes[b] : 'invalid')) return false;
    if (o.bytes.includes('spill') && c && !regSafe(o.spilled, c.spilled, ids, 'exact')) return false;
    if (o.bytes[0] === 'dynptr' && c) {
      const a = o.spilled;
      const b = c.spilled;
      if (a.dynptr !== b.dynptr || a.dynptrFirst !== b.dynptrFirst || !ids.check(a.id, b.id)) return false;
    }
  }
  for (let i = old.slots.length; i < cur.slots.length; i++)
    if (cur.slots[i].bytes.some((b) => b !== 'invalid')) return false;
  return true;
}

/**
 * Whether `cur` at `insn` is covered by `old` (see Exactness). Every mode compares only the registers live at
 * the instruction (kernel func_states_equal uses live_regs_before since 6.15), so a loop through may_goto or a
 * callback converges whatever its dead registers hold.
 */
export function statesEqual(
  walk: Walk,
  old: VerifierState,
  cur: VerifierState,
  insn: number,
  mode: Exactness,
): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  // Kernel: a state seen only speculatively never covers one the program really reaches.
  if (old.speculative && !cur.speculative) return false;
  if (old.refs.length !== cur.refs.length) return false;
  const ids = new IdMap(walk.exploreAluLimits);
  for (let f = 0; f < old.frames.length; f++) {
    const o = old.frames[f];
    const c = cur.frames[f];
    if (o.callsite !== c.callsite) return false;
    // Kernel frame_insn_idx: an outer frame is seen at its call (a callback's caller still holds the arguments).
    const at = f === old.frames.length - 1 ? insn : old.frames[f + 1].callsite;
    const live = walk.liveBefore(at);
    for (let r = 0; r < o.regs.length; r++) {
      if (r !== 10 && (live & (1 << r)) === 0) continue;
      if (!regSafe(o.regs[r], c.regs[r], ids, mode)) return false;
    }
    if (!stackSafe(walk, o, c, ids, mode)) return false;
  }
  for (let i = 0; i < old.refs.length; i++) if (!ids.check(old.refs[i].id, cur.refs[i].id)) return false;
  return true;
}
