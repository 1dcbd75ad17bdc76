// Precision tracking (the kernel's mark_chain_precision): when a scalar's exact value decides safety, walk the
// path back to every register and stack slot it came from and mark them precise in the checkpoints above,
// so pruning compares those exactly and may ignore every other scalar.
import type { DecodedInsn } from '../isa/decoded.js';
import type { VerifierState } from './state.js';

/** One executed instruction of a path segment, with what backtracking cannot recompute. */
export interface HistoryEntry {
  readonly insn: number;
  /** Frames on the call stack when it ran (1 = entry function only). */
  readonly depth: number;
  /** For loads from and stores to the stack at a constant offset: the frame and slot touched. */
  readonly stackFrame?: number;
  readonly stackSlot?: number;
  /** For stores: whether the whole slot received a register (a spill). */
  readonly spill?: boolean;
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
function backtrack(insn: DecodedInsn, entry: HistoryEntry, wanted: Wanted): void {
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
      if (!regs.has(insn.dst)) return;
      regs.delete(insn.dst);
      if (entry.stackFrame !== undefined && entry.stackSlot !== undefined) {
        wanted.slot(entry.stackFrame).add(entry.stackSlot);
      }
      return;
    case 'store':
      if (entry.stackFrame === undefined || entry.stackSlot === undefined) return;
      if (!wanted.slot(entry.stackFrame).has(entry.stackSlot)) return;
      if (entry.spill) {
        wanted.slot(entry.stackFrame).delete(entry.stackSlot);
        if (insn.source.kind === 'reg') regs.add(insn.source.reg);
      } else if (insn.source.kind === 'imm') {
        wanted.slot(entry.stackFrame).delete(entry.stackSlot);
      }
      return;
    case 'atomic':
      if (insn.fetch && regs.has(insn.src)) regs.delete(insn.src);
      if (insn.op === 'cmpxchg') regs.delete(0);
      return;
    case 'ld_legacy':
      regs.delete(0);
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
function markInState(state: VerifierState, wanted: Wanted): void {
  for (const [depth, regs] of wanted.regs) {
    const frame = state.frames[depth - 1];
    if (!frame) continue;
    for (const r of [...regs]) {
      const reg = frame.regs[r];
      // A register already precise here had its own sources marked when it became so.
      if (reg.type !== 'scalar' || reg.precise) {
        if (reg.type === 'scalar') reg.precise = true;
        regs.delete(r);
        continue;
      }
      reg.precise = true;
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
      slot.spilled.precise = true;
    }
  }
}

/**
 * Mark a register of the innermost frame (or a stack slot) precise: everything it came from along the path,
 * the current segment first, then each checkpoint's segment up the chain.
 */
export function markPrecise(
  target: { readonly regno: number } | { readonly frame: number; readonly slot: number },
  current: VerifierState,
  segment: readonly HistoryEntry[],
  parent: PrecisionNode | undefined,
  decoded: readonly (DecodedInsn | undefined)[],
): void {
  const depth = current.frames.length;
  // Like the kernel, only the checkpoints above are marked: they are what later paths are compared with.
  const wanted = new Wanted();
  if ('regno' in target) {
    if (current.frames[depth - 1].regs[target.regno].type !== 'scalar') return;
    wanted.reg(depth).add(target.regno);
  } else {
    wanted.slot(target.frame).add(target.slot);
  }
  backtrackChain(wanted, segment, parent, decoded);
}

/**
 * Kernel propagate_precision: a path pruned against a checkpoint needs exact values wherever the checkpoint's
 * own continuation needed them, so the registers and spilled scalars precise there are marked along this path.
 */
export function propagatePrecision(
  old: VerifierState,
  current: VerifierState,
  segment: readonly HistoryEntry[],
  parent: PrecisionNode | undefined,
  decoded: readonly (DecodedInsn | undefined)[],
): void {
  const wanted = new Wanted();
  old.frames.forEach((frame, index) => {
    const now = current.frames[index];
    if (!now) return;
    frame.regs.forEach((reg, regno) => {
      if (reg.type === 'scalar' && reg.precise && now.regs[regno].type === 'scalar')
        wanted.reg(index + 1).add(regno);
    });
    frame.slots.forEach((slot, slotIndex) => {
      if (slot.bytes.includes('spill') && slot.spilled.type === 'scalar' && slot.spilled.precise) {
        wanted.slot(index).add(slotIndex);
      }
    });
  });
  if (!wanted.empty) backtrackChain(wanted, segment, parent, decoded);
}

/** Backtracks `wanted` through the current segment, then through each checkpoint's segment up the chain. */
function backtrackChain(
  wanted: Wanted,
  segment: readonly HistoryEntry[],
  parent: PrecisionNode | undefined,
  decoded: readonly (DecodedInsn | undefined)[],
): void {
  let history = segment;
  let node = parent;
  for (;;) {
    for (let i = history.length - 1; i >= 0 && !wanted.empty; i--) {
      const entry = history[i];
      const insn = decoded[entry.insn];
      if (insn) backtrack(insn, entry, wanted);
    }
    if (wanted.empty || node === undefined) return;
    markInState(node.state, wanted);
    history = node.segment;
    node = node.parent;
  }
}
