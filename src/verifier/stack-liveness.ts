// Stack slot liveness per call chain, as Linux 6.18 computes it: while the walk runs, every (call chain,
// instruction) collects the stack slots it may read and the slots it surely writes; a backward fixed point
// over the function then says which slots some later instruction may still read. Pruning forgets the other
// slots of a finished checkpoint, so two states that differ only in dead stack slots are equal.
import type { Insn } from '../isa/insn.js';
import { type ControlFlow, insnSuccessors } from './cfg.js';
import type { VerifierLog } from './log.js';
import type { VerifierState } from './state.js';

/** A set of stack slots of one frame: bit `spi` is the slot at `fp-8*(spi+1)`. */
type SlotMask = bigint;

/** The slots a frame's instruction reads and writes, and what the fixed point derived from them. */
interface FrameMasks {
  readonly mayRead: SlotMask[];
  readonly mustWrite: SlotMask[];
  /** Written by the instruction or surely by every path after it, within the function. */
  readonly mustWriteAcc: SlotMask[];
  /** May be read by the instruction or some instruction after it. */
  readonly liveBefore: SlotMask[];
}

/** One function reached through one call chain, with masks for its own frame and every caller's frame. */
interface FunctionInstance {
  /** Call instructions of the outer frames, then the function's own first instruction. */
  readonly callsites: readonly number[];
  readonly start: number;
  readonly frames: (FrameMasks | undefined)[];
  /** Whether an instruction's `mustWrite` was set once (later visits intersect). */
  readonly mustWriteSeen: Uint8Array;
  updated: boolean;
  mustWriteShrank: boolean;
}

function slotsText(mask: SlotMask): string {
  const parts: string[] = [];
  for (let spi = 0; mask >> BigInt(spi) !== 0n; spi++) {
    if ((mask >> BigInt(spi)) & 1n) parts.push(`${-8 * (spi + 1)}`);
  }
  return parts.join(',');
}

const ALL_SLOTS: SlotMask = (1n << 64n) - 1n;
/** The slots fp-8 to fp-256 (kernel commit_stack_write_marks keeps the old set in a u32). */
const LOW_32_SLOTS: SlotMask = (1n << 32n) - 1n;

export class StackLiveness {
  private readonly instances = new Map<string, FunctionInstance>();
  /** Function instance of the path being walked; recomputed after calls, returns and branch switches. */
  private current: FunctionInstance | undefined;
  /** Slots the current instruction wrote, per frame, before they are committed. */
  private readonly pendingWrites: SlotMask[] = [];
  private pendingInsn = -1;
  private pendingInstance: FunctionInstance | undefined;
  /** Instructions of each function in depth-first postorder (the order the fixed point visits them). */
  private readonly postorder = new Map<number, number[]>();

  constructor(
    private readonly insns: readonly Insn[],
    private readonly cfg: ControlFlow,
    private readonly log: VerifierLog,
    private readonly functionEnd: (start: number) => number,
  ) {}

  /** The call chain of `state` down to frame `frameno` (kernel compute_callchain). */
  private instanceFor(state: VerifierState, frameno: number): FunctionInstance {
    const callsites: number[] = [];
    for (let i = 0; i < frameno; i++) callsites.push(state.frames[i + 1].callsite);
    callsites.push(this.cfg.functionStarts[state.frames[frameno].subprog]);
    return this.instanceOf(callsites);
  }

  private instanceOf(callsites: number[]): FunctionInstance {
    const start = callsites[callsites.length - 1];
    const key = callsites.join(',');
    let instance = this.instances.get(key);
    if (instance === undefined) {
      instance = {
        callsites,
        start,
        frames: [],
        mustWriteSeen: new Uint8Array(this.functionEnd(start) - start),
        updated: false,
        mustWriteShrank: false,
      };
      this.instances.set(key, instance);
    }
    return instance;
  }

  private masks(instance: FunctionInstance, frame: number): FrameMasks {
    let masks = instance.frames[frame];
    if (masks === undefined) {
      const n = instance.mustWriteSeen.length;
      masks = {
        mayRead: new Array<SlotMask>(n).fill(0n),
        mustWrite: new Array<SlotMask>(n).fill(0n),
        mustWriteAcc: new Array<SlotMask>(n).fill(0n),
        liveBefore: new Array<SlotMask>(n).fill(0n),
      };
      instance.frames[frame] = masks;
    }
    return masks;
  }

  /**
   * The walk moved to another function: the next instruction looks its instance up again, and the call or
   * return that moved it commits no writes (kernel bpf_reset_live_stack_callchain).
   */
  forgetCurrent(): void {
    this.current = undefined;
    this.pendingInstance = undefined;
  }

  private currentInstance(state: VerifierState): FunctionInstance {
    this.current ??= this.instanceFor(state, state.frames.length - 1);
    return this.current;
  }

  /** Before an instruction runs (kernel bpf_reset_stack_write_marks). */
  beginInsn(state: VerifierState, insn: number): void {
    const instance = this.currentInstance(state);
    this.pendingInstance = instance;
    this.pendingInsn = insn;
    this.pendingWrites.length = 0;
  }

  /** The instruction may read `mask` slots of frame `frame` (kernel bpf_mark_stack_read). */
  read(state: VerifierState, frame: number, insn: number, mask: SlotMask): void {
    this.markRead(this.currentInstance(state), frame, insn, mask);
  }

  private markRead(instance: FunctionInstance, frame: number, insn: number, mask: SlotMask): void {
    const masks = this.masks(instance, frame);
    const at = insn - instance.start;
    const next = masks.mayRead[at] | mask;
    if (next !== masks.mayRead[at] && (next | masks.liveBefore[at]) !== masks.liveBefore[at])
      instance.updated = true;
    masks.mayRead[at] = next;
  }

  /** The instruction surely writes `mask` slots of frame `frame` (kernel bpf_mark_stack_write). */
  write(frame: number, mask: SlotMask): void {
    this.pendingWrites[frame] = (this.pendingWrites[frame] ?? 0n) | mask;
  }

  /** After the instruction: what it wrote joins what earlier visits wrote (kernel commit_stack_write_marks). */
  commit(): void {
    const instance = this.pendingInstance;
    if (instance === undefined) return;
    this.commitTo(instance, this.pendingInsn, this.pendingWrites);
    this.pendingInstance = undefined;
  }

  /** What `insn` wrote, per frame, joins what earlier visits of it wrote (kernel commit_stack_write_marks). */
  private commitTo(instance: FunctionInstance, insn: number, writes: readonly SlotMask[]): void {
    const at = insn - instance.start;
    for (let frame = 0; frame < instance.callsites.length; frame++) {
      let mask = writes[frame] ?? 0n;
      if (mask === 0n && !instance.mustWriteSeen[at]) continue;
      const masks = this.masks(instance, frame);
      // Kernel: the earlier set is read into a 32-bit variable, so slots below fp-256 drop out of the
      // intersection and of the comparison: a later visit can only keep or clear what the first one wrote there.
      const old = masks.mustWrite[at] & LOW_32_SLOTS;
      if (instance.mustWriteSeen[at]) mask &= old;
      if (old !== mask) {
        masks.mustWrite[at] = mask;
        instance.updated = true;
      }
      if ((old & ~mask) !== 0n) instance.mustWriteShrank = true;
    }
    instance.mustWriteSeen[at] = 1;
  }

  /**
   * Bring every function instance of `state`'s call chain to its fixed point (kernel bpf_update_live_stack):
   * after a path ends and before a function returns.
   */
  update(state: VerifierState): void {
    this.current = undefined;
    for (let frame = state.frames.length - 1; frame >= 0; frame--) {
      const instance = this.instanceFor(state, frame);
      if (!instance.updated) continue;
      this.solve(instance);
      instance.updated = false;
      instance.mustWriteShrank = false;
    }
  }

  /**
   * Kernel compute_postorder: a depth-first walk that pushes every undiscovered successor of an instruction at
   * once (the jump target last, so it is explored first) and emits an instruction when it is popped explored.
   */
  private functionPostorder(start: number): number[] {
    let order = this.postorder.get(start);
    if (order !== undefined) return order;
    order = [];
    const end = this.functionEnd(start);
    const DISCOVERED = 1;
    const EXPLORED = 2;
    const state = new Uint8Array(end - start);
    const stack: number[] = [start];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      state[top - start] |= DISCOVERED;
      if (state[top - start] & EXPLORED) {
        order.push(top);
        stack.pop();
        continue;
      }
      for (const s of this.successors(top)) {
        if (s >= start && s < end && state[s - start] === 0) {
          stack.push(s);
          state[s - start] |= DISCOVERED;
        }
      }
      state[top - start] |= EXPLORED;
    }
    this.postorder.set(start, order);
    return order;
  }

  /** Successors of each instruction, found once: the fixed point asks for them on every round. */
  private readonly successorLists: (number[] | undefined)[] = [];

  private successors(index: number): number[] {
    let list = this.successorLists[index];
    if (list === undefined) {
      list = insnSuccessors(this.insns, index);
      this.successorLists[index] = list;
    }
    return list;
  }

  private solve(instance: FunctionInstance): void {
    if (instance.mustWriteShrank) {
      for (const masks of instance.frames) masks?.mustWriteAcc.fill(0n);
    }
    const order = this.functionPostorder(instance.start);
    let rounds = 0;
    for (let changed = true; changed; ) {
      rounds++;
      changed = false;
      instance.frames.forEach((masks, frame) => {
        if (masks === undefined) return;
        for (const insn of order) changed = this.solveInsn(instance, masks, frame, insn) || changed;
      });
    }
    const chain = `(${instance.callsites.join(',')})`;
    if (this.log.level > 1) this.log.print(`${chain} live stack update done in ${rounds} iterations\n`);
    if (instance.callsites.length > 1) this.propagateToCaller(instance);
  }

  private solveInsn(instance: FunctionInstance, masks: FrameMasks, frame: number, insn: number): boolean {
    const successors = this.successors(insn);
    if (successors.length === 0) return false;
    const at = insn - instance.start;
    let after = 0n;
    let acc = ALL_SLOTS;
    for (const s of successors) {
      after |= masks.liveBefore[s - instance.start];
      acc &= masks.mustWriteAcc[s - instance.start];
    }
    acc |= masks.mustWrite[at];
    const before = (after & ~masks.mustWrite[at]) | masks.mayRead[at];
    const changed = before !== masks.liveBefore[at] || acc !== masks.mustWriteAcc[at];
    if (
      this.log.level > 1 &&
      (masks.mayRead[at] !== 0n ||
        masks.mustWrite[at] !== 0n ||
        insn === instance.start ||
        this.cfg.prunePoints[insn] === 1)
    ) {
      this.logChange(instance, 'live', frame, insn, masks.liveBefore[at], before);
      this.logChange(instance, 'written', frame, insn, masks.mustWriteAcc[at], acc);
    }
    masks.liveBefore[at] = before;
    masks.mustWriteAcc[at] = acc;
    return changed;
  }

  private logChange(
    instance: FunctionInstance,
    what: string,
    frame: number,
    insn: number,
    old: SlotMask,
    next: SlotMask,
  ): void {
    const changed = old ^ next;
    if (changed === 0n) return;
    let line = `(${instance.callsites.join(',')}) frame ${frame} insn ${insn} `;
    const added = next & changed;
    const removed = ~next & changed & ALL_SLOTS;
    if (added !== 0n) line += `+${what} ${slotsText(added)} `;
    if (removed !== 0n) line += `-${what} ${slotsText(removed)}`;
    this.log.print(`${line}\n`);
  }

  /** What a function reads and surely writes of its callers' frames, seen at the call (kernel). */
  private propagateToCaller(instance: FunctionInstance): void {
    const outerCallsites = instance.callsites.slice(0, -1);
    const callsite = outerCallsites[outerCallsites.length - 1];
    const outerStart = this.cfg.functionStarts[this.cfg.functionOf[callsite]];
    const outer = this.instanceOf([...outerCallsites.slice(0, -1), outerStart]);
    const writes: SlotMask[] = [];
    for (let frame = 0; frame < instance.callsites.length - 1; frame++) {
      const masks = instance.frames[frame];
      if (masks === undefined) continue;
      writes[frame] = masks.mustWriteAcc[0];
      this.markRead(outer, frame, callsite, masks.liveBefore[0]);
    }
    this.commitTo(outer, callsite, writes);
  }

  /**
   * Whether slot `spi` of frame `frameno` of a checkpoint may still be read (kernel bpf_stack_slot_alive): read
   * at or after the checkpoint's instruction in its function, or after the call in some caller (at the call,
   * for a helper that calls back).
   */
  alive(state: VerifierState, insn: number, frameno: number, spi: number): boolean {
    const depth = state.frames.length - 1;
    const innermost = this.instanceFor(state, depth);
    const bit = 1n << BigInt(spi);
    const liveAt = (instance: FunctionInstance, at: number) =>
      ((instance.frames[frameno]?.liveBefore[at - instance.start] ?? 0n) & bit) !== 0n;
    if (liveAt(innermost, insn)) return true;
    for (let i = frameno; i < depth; i++) {
      const callsite = innermost.callsites[i];
      const outer = this.instanceFor(state, i);
      if (liveAt(outer, this.cfg.callbackCalls[callsite] ? callsite : callsite + 1)) return true;
    }
    return false;
  }
}
