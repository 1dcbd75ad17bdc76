// Precision tracking (the kernel's mark_chain_precision): when a scalar's exact value decides safety, walk the
// path back to every register and stack slot it came from and mark them precise in the checkpoints above,
// so pruning compares those exactly and may ignore every other scalar.
import type { DecodedInsn } from '../isa/decoded.js';
import type { VerifierState } from './state.js';

/** Helpers that call a callback before they return (bpf_for_each_map_elem, find_vma, bpf_loop, user_ringbuf_drain). */
const SYNC_CALLBACK_HELPERS: ReadonlySet<number> = new Set([164, 180, 181, 209]);

/** One executed instruction of a path segment, with what backtracking cannot recompute. */
export interface HistoryEntry {
  readonly insn: number;
  /** Frames on the call stack when it ran (1 = entry function only). */
  readonly depth: number;
  /** For loads from and stores to the stack at a constant offset: the frame and slot touched. */
  readonly stackFrame?: number;
  readonly stackSlot?: number;
  /** For stores: whether the slot received a register (a spill). */
  readonly spill?: boolean;
  /** For loads: whether the slot held a spilled register (a fill). */
  readonly fill?: boolean;
  /**
   * For conditional jumps that went both ways: the scalars sharing the compared registers' ids (kernel
   * collect_linked_regs), which a bound learnt at the jump refined together, so they are precise together.
   */
  readonly linked?: readonly LinkedScalar[];
}

/** A register (`regno`) or spilled stack slot (`slot`) of frame `frame` linked to others by a scalar id. */
export interface LinkedScalar {
  readonly frame: number;
  readonly regno?: number;
  readonly slot?: number;
}

/** Kernel bt_sync_linked_regs: if any of the linked scalars is wanted, all of them are. */
function syncLinked(entry: HistoryEntry, wanted: Wanted): void {
  const linked = entry.linked;
  if (linked === undefined) return;
  const isWanted = (e: LinkedScalar) =>
    e.regno !== undefined ? wanted.reg(e.frame + 1).has(e.regno) : wanted.slot(e.frame).has(e.slot as number);
  if (!linked.some(isWanted)) return;
  for (const e of linked) {
    if (e.regno !== undefined) wanted.reg(e.frame + 1).add(e.regno);
    else wanted.slot(e.frame).add(e.slot as number);
  }
}

/** A checkpoint's view for backtracking: its state, the segment that led to it, and its parent. */
export interface PrecisionNode {
  readonly state: VerifierState;
  readonly segment: readonly HistoryEntry[];
  readonly parent: PrecisionNode | undefined;
}

/** Registers (per frame depth) and stack slots (per frame) whose values must be exact. */
class Wanted {
  regs = new Map<number, Set<number>>();
  slots = new Map<number, Set<number>>();

  reg(depth: number): Set<number> {
    const set = this.regs.get(depth) ?? new Set<number>();
    this.regs.set(depth, set);
    return set;
  }

  slot(frame: number): Set<number> {
    const set = this.slots.get(frame) ?? new Set<number>();
    this.slots.set(frame, set);
    return set;
  }

  get empty(): boolean {
    for (const set of this.regs.values()) if (set.size > 0) return false;
    for (const set of this.slots.values()) if (set.size > 0) return false;
    return true;
  }
}

/**
 * Step back over one instruction (kernel backtrack_insn): what the wanted registers were computed from
 * before it ran.
 */
const TAIL_CALL_ID = 12;

function backtrack(
  insn: DecodedInsn,
  entry: HistoryEntry,
  wanted: Wanted,
  nextDepth: number,
): 'unsupported' | undefined {
  const regs = wanted.reg(entry.depth);
  switch (insn.kind) {
    case 'alu': {
      if (!regs.has(insn.dst)) return;
      if (insn.op === 'mov' || insn.op === 'movsx') {
        regs.delete(insn.dst);
        if (insn.source.kind === 'reg') regs.add(insn.source.reg);
        return;
      }
      if (insn.op !== 'neg' && insn.source.kind === 'reg') regs.add(insn.source.reg);
      return;
    }
    case 'endian':
      return;
    case 'ld_imm64':
      regs.delete(insn.dst);
      return;
    case 'load':
    case 'load_acquire':
      if (!regs.has(insn.dst)) return;
      regs.delete(insn.dst);
      if (entry.fill && entry.stackFrame !== undefined && entry.stackSlot !== undefined) {
        wanted.slot(entry.stackFrame).add(entry.stackSlot);
      }
      return;
    case 'store':
      if (entry.stackFrame === undefined || entry.stackSlot === undefined) return;
      if (!wanted.slot(entry.stackFrame).has(entry.stackSlot)) return;
      // Kernel: only a spill replaces the slot's value as backtracking sees it.
      if (entry.spill) {
        wanted.slot(entry.stackFrame).delete(entry.stackSlot);
        if (insn.source.kind === 'reg') regs.add(insn.source.reg);
      }
      return;
    case 'store_release':
      if (entry.stackFrame === undefined || entry.stackSlot === undefined) return;
      if (!wanted.slot(entry.stackFrame).has(entry.stackSlot)) return;
      if (entry.spill) {
        wanted.slot(entry.stackFrame).delete(entry.stackSlot);
        regs.add(insn.src);
      }
      return;
    case 'atomic': {
      // The fetch register came from memory; from a spill, the slot it was read from is wanted instead.
      const loadReg = insn.op === 'cmpxchg' ? 0 : insn.fetch ? insn.src : -1;
      if (loadReg < 0 || !regs.has(loadReg)) return;
      regs.delete(loadReg);
      if (entry.fill && entry.stackFrame !== undefined && entry.stackSlot !== undefined) {
        wanted.slot(entry.stackFrame).add(entry.stackSlot);
      }
      return;
    }
    case 'ld_legacy':
      // Kernel: a wanted r0 from LD_ABS/LD_IND is not traced further (-ENOTSUPP): everything is forced precise.
      if (!regs.has(0)) return;
      regs.delete(0);
      return 'unsupported';
    case 'may_goto':
      return;
    case 'jump':
      if (
        insn.op !== 'ja' &&
        insn.source.kind === 'reg' &&
        (regs.has(insn.dst) || regs.has(insn.source.reg))
      ) {
        regs.add(insn.dst);
        regs.add(insn.source.reg);
      }
      return;
    case 'call': {
      if (insn.target === 'local') {
        // Back over the call: the callee's arguments were the caller's r1-r5.
        const caller = wanted.reg(entry.depth);
        const callee = wanted.reg(entry.depth + 1);
        for (const r of callee) if (r >= 1 && r <= 5) caller.add(r);
        callee.clear();
        return;
      }
      if (insn.target === 'helper' && SYNC_CALLBACK_HELPERS.has(insn.imm) && nextDepth === entry.depth + 1) {
        // Back out of a callback into the helper that called it: the helper, not the caller, set the
        // callback's r1-r5, so nothing of them is wanted in the caller (kernel: callback exit, r1-r5 cleared).
        wanted.reg(entry.depth + 1).clear();
        return;
      }
      // A tail call in a subprogram may return to the caller (calls.ts): the caller's r0 is then a fresh
      // unknown, so nothing before it is wanted.
      if (insn.target === 'helper' && insn.imm === TAIL_CALL_ID && nextDepth === entry.depth - 1) {
        wanted.reg(nextDepth).delete(0);
      }
      regs.delete(0);
      return;
    }
    case 'exit': {
      // Back over a return: the caller's r0 was the callee's.
      const caller = wanted.reg(entry.depth - 1);
      if (caller.has(0)) {
        caller.delete(0);
        wanted.reg(entry.depth).add(0);
      }
      return;
    }
    default: {
      const unreachable: never = insn;
      throw new Error(`unhandled instruction ${String(unreachable)}`);
    }
  }
}

/** Mark what `wanted` names as precise in a checkpoint's state; what was already precise needs no more. */
function markInState(state: VerifierState, wanted: Wanted): boolean {
  let changed = false;
  for (const [depth, regs] of wanted.regs) {
    const frame = state.frames[depth - 1];
    if (!frame) continue;
    for (const r of [...regs]) {
      const reg = frame.regs[r];
      // A register already precise here had its own sources marked when it became so.
      if (reg.type !== 'scalar' || reg.precise) {
        regs.delete(r);
        continue;
      }
      // Replaced, not changed in place: state copies share register objects (state.ts cloneFrame).
      frame.regs[r] = { ...reg, precise: true };
      changed = true;
    }
  }
  for (const [frameno, slots] of wanted.slots) {
    const frame = state.frames[frameno];
    if (!frame) continue;
    for (const index of [...slots]) {
      const slot = frame.slots[index];
      if (!slot?.bytes.includes('spill') || slot.spilled.type !== 'scalar' || slot.spilled.precise) {
        slots.delete(index);
        continue;
      }
      slot.spilled = { ...slot.spilled, precise: true };
      changed = true;
    }
  }
  return changed;
}

/** A register (of the innermost frame unless `frame` says) or a spilled stack slot whose value must be exact. */
export type PrecisionTarget =
  | { readonly regno: number; readonly frame?: number }
  | { readonly frame: number; readonly slot: number };

/** What the kernel logs at level 2 while it backtracks (the `mark_precise:` lines). */
export interface PrecisionTrace {
  /** A segment starts: `last_idx A first_idx B subseq_idx C`. */
  segment(frame: number, last: number, first: number, subsequent: number): void;
  /** Before stepping back over `insn`: what is wanted in `frame` at that point. */
  step(frame: number, regs: readonly number[], slots: readonly number[], insn: number): void;
  /** A checkpoint above was marked: what is still wanted in `frame`, and that frame of its state. */
  parent(frame: number, regs: readonly number[], slots: readonly number[], state: VerifierState): void;
  /** The walk gave up (`falling back to forcing all scalars precise`); `frame` is the starting state's. */
  fallback(frame: number): void;
  /** The fallback made register `r<n>` or spilled slot `fp-<8(n+1)>` of `frame` in a checkpoint precise. */
  forced(frame: number, target: { readonly regno: number } | { readonly slot: number }): void;
}

/**
 * Kernel mark_all_scalars_precise: when backtracking cannot finish, every scalar register and spilled scalar
 * of every checkpoint above is made precise (safe, at the cost of pruning); the current state is left alone.
 */
function markAllPrecise(node: PrecisionNode | undefined, startFrame: number, trace?: PrecisionTrace): void {
  trace?.fallback(startFrame);
  for (; node !== undefined; node = node.parent) {
    node.state.frames.forEach((frame, fr) => {
      for (let r = 0; r < 10; r++) {
        const reg = frame.regs[r];
        if (reg.type !== 'scalar' || reg.precise) continue;
        // Replaced, not changed in place: state copies share register objects (state.ts cloneFrame).
        frame.regs[r] = { ...reg, precise: true };
        trace?.forced(fr, { regno: r });
      }
      frame.slots.forEach((slot, spi) => {
        // Kernel is_spilled_reg: the slot's lowest byte holds a spill.
        if (slot.bytes[0] !== 'spill' || slot.spilled.type !== 'scalar' || slot.spilled.precise) return;
        slot.spilled = { ...slot.spilled, precise: true };
        trace?.forced(fr, { slot: spi });
      });
    });
  }
}

function sorted(set: Set<number> | undefined): number[] {
  return set ? [...set].sort((a, b) => a - b) : [];
}

/**
 * Mark a register of the innermost frame (or a stack slot) precise: everything it came from along the path,
 * the current segment first, then each checkpoint's segment up the chain.
 */
export function markPrecise(
  targets: readonly PrecisionTarget[],
  current: VerifierState,
  at: number,
  segment: readonly HistoryEntry[],
  parent: PrecisionNode | undefined,
  decoded: readonly (DecodedInsn | undefined)[],
  trace?: PrecisionTrace,
): boolean {
  const depth = current.frames.length;
  // Like the kernel, only the checkpoints above are marked: they are what later paths are compared with.
  const wanted = new Wanted();
  for (const target of targets) {
    if ('regno' in target) {
      const frame = target.frame ?? depth - 1;
      if (current.frames[frame].regs[target.regno].type !== 'scalar') continue;
      wanted.reg(frame + 1).add(target.regno);
    } else {
      wanted.slot(target.frame).add(target.slot);
    }
  }
  if (wanted.empty) return false;
  let changed = false;
  let history = segment;
  let node = parent;
  // The instruction after the one being stepped back over, and the frame it ran in.
  let last = at;
  let subsequent = -1;
  let nextDepth = depth;
  for (;;) {
    // Kernel: a checkpoint taken at the walk's first instruction has none before it (last_insn_idx -1), and its
    // segment starts where the next one does.
    const first = history.length > 0 ? history[0].insn : last < 0 ? subsequent : last;
    trace?.segment(nextDepth - 1, last, first, subsequent);
    for (let i = history.length - 1; i >= 0 && !wanted.empty; i--) {
      const entry = history[i];
      const insn = decoded[entry.insn];
      trace?.step(
        nextDepth - 1,
        sorted(wanted.regs.get(nextDepth)),
        sorted(wanted.slots.get(nextDepth - 1)),
        entry.insn,
      );
      syncLinked(entry, wanted);
      if (insn && backtrack(insn, entry, wanted, nextDepth) === 'unsupported') {
        markAllPrecise(parent, depth - 1, trace);
        return changed;
      }
      syncLinked(entry, wanted);
      nextDepth = entry.depth;
    }
    if (wanted.empty) return changed;
    if (node === undefined) {
      // Kernel: a checkpoint at a global function's entry (last_idx -1) ends the walk with its arguments, already
      // marked; anything else still wanted at the root means the walk lost track: force everything precise.
      if (!(history.length === 0 && last < 0)) markAllPrecise(parent, depth - 1, trace);
      return changed;
    }
    if (markInState(node.state, wanted)) changed = true;
    if (trace) {
      for (let frame = node.state.frames.length - 1; frame >= 0; frame--) {
        trace.parent(frame, sorted(wanted.regs.get(frame + 1)), sorted(wanted.slots.get(frame)), node.state);
      }
    }
    if (wanted.empty) return changed;
    subsequent = first;
    history = node.segment;
    last = history.length > 0 ? history[history.length - 1].insn : -1;
    nextDepth = node.state.frames.length;
    node = node.parent;
  }
}
