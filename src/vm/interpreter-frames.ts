// The interpreter's frames of bpf-to-bpf calls and the stack memory they live in: records in a preallocated
// Int32Array (no allocation per call), stack segments allocated once per prepared program.

import { BPF_MAX_LOOPS, MAX_BPF_STACK, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT } from '../abi/limits.js';
import type { CompiledCode } from './interpreter-code.js';
import type { VmMemory } from './memory.js';
import type { ExecutableProgram } from './runtime.js';

/** Bytes of one stack segment: a whole verified call chain (kernel: MAX_CALL_FRAMES frames, MAX_BPF_STACK each). */
export const STACK_SEGMENT_SIZE = MAX_CALL_FRAMES * MAX_BPF_STACK;
/**
 * Frames one run may stack up: each tail call made from a subprogram keeps its callers' frames (as the kernel's
 * JIT keeps them on the machine stack), so a run holds at most MAX_CALL_FRAMES per program of its tail-call chain.
 */
export const MAX_RUN_FRAMES = MAX_CALL_FRAMES * (MAX_TAIL_CALL_CNT + 1);

/**
 * Words of one frame record: return pc, the caller's program base, then r6-r10 as lo/hi pairs (register-file
 * indexes 12-21, copied unrolled: a loop made calls ~25% slower).
 */
const RECORD = 12;

/** Why a call cannot push a frame (FrameStack.push returns these instead of a frame pointer). */
export const CHAIN_TOO_DEEP = -1;
export const RUN_TOO_DEEP = -2;
export const CALLEE_TOO_LARGE = -3;

export class FrameStack {
  /** Frames under the running function. */
  depth = 0;
  /** Frame index where the running program was entered (by the run or by a tail call). */
  programBase = 0;
  /** The current stack segment: frames below stackHigh, none below stackLow. */
  stackLow = 0;
  stackHigh = 0;
  private readonly records = new Int32Array(MAX_RUN_FRAMES * RECORD);
  /**
   * may_goto passes left to each frame, by depth. The kernel keeps the budget in hidden slots below the function's
   * stack, set on entry; a JIT with timed may_goto renews it until 250 ms have passed, which no deterministic
   * engine can mirror, so tsbpf gives every function entry BPF_MAX_LOOPS passes, the count of the kernel's
   * interpreter-only fixup.
   */
  readonly mayGotoBudgets = new Int32Array(MAX_RUN_FRAMES + 1);
  /** Each frame's caller program and its code (tail calls change the program a frame returns to). */
  readonly programs: ExecutableProgram[] = [];
  readonly codes: CompiledCode[] = [];
  /** Stack segments (each one VmMemory allocation), in the order they were needed. */
  private readonly segments: number[] = [];

  constructor(private readonly memory: VmMemory) {
    this.addSegment();
  }

  /** Back to the first segment with no frames, for a new run. */
  reset(): void {
    this.mayGotoBudgets[0] = BPF_MAX_LOOPS;
    this.depth = 0;
    this.programBase = 0;
    this.stackLow = this.segments[0];
    this.stackHigh = this.stackLow + STACK_SEGMENT_SIZE;
  }

  release(): void {
    for (const segment of this.segments.splice(0)) this.memory.free(segment);
  }

  private addSegment(): void {
    const base = this.memory.allocate(STACK_SEGMENT_SIZE, 16);
    this.segments.push(base);
    this.stackLow = base;
    this.stackHigh = base + STACK_SEGMENT_SIZE;
  }

  /**
   * Saves the caller's r6-r10 and return pc, and returns the callee's frame pointer: frames lie contiguously
   * below the caller's (kernel: each function's own depth, rounded up to 8), in a new segment when a chain
   * kept alive by tail calls outgrows one. Returns a negative reason instead when the call cannot be made.
   */
  push(
    regs: Int32Array,
    program: ExecutableProgram,
    code: CompiledCode,
    returnPc: number,
    callerFrameSize: number,
    calleeFrameSize: number,
    checked: boolean,
  ): number {
    const depth = this.depth;
    if (checked && depth - this.programBase + 1 >= MAX_CALL_FRAMES) return CHAIN_TOO_DEEP;
    if (depth + 1 >= MAX_RUN_FRAMES) return RUN_TOO_DEEP;
    const at = depth * RECORD;
    const records = this.records;
    records[at] = returnPc;
    records[at + 1] = this.programBase;
    records[at + 2] = regs[12];
    records[at + 3] = regs[13];
    records[at + 4] = regs[14];
    records[at + 5] = regs[15];
    records[at + 6] = regs[16];
    records[at + 7] = regs[17];
    records[at + 8] = regs[18];
    records[at + 9] = regs[19];
    records[at + 10] = regs[20];
    records[at + 11] = regs[21];
    // Only a tail call changes the program a depth returns to: the stores (and their write barriers) are skipped when
    // it is the one already there.
    if (this.programs[depth] !== program) {
      this.programs[depth] = program;
      this.codes[depth] = code;
    }
    let fp = regs[20] - callerFrameSize;
    if (regs[21] !== 0 || fp < this.stackLow || fp > this.stackHigh) fp = this.stackHigh;
    if (fp - calleeFrameSize < this.stackLow) {
      // Tail calls from subprograms keep frames beyond one chain's 512 bytes: continue in a new segment.
      if (calleeFrameSize > STACK_SEGMENT_SIZE) return CALLEE_TOO_LARGE;
      this.useNextSegment();
      fp = this.stackHigh;
    }
    this.depth = depth + 1;
    this.mayGotoBudgets[depth + 1] = BPF_MAX_LOOPS;
    return fp;
  }

  /** Restores the caller's r6-r10 and program base; returns the return pc (program and code: `programs[depth]`). */
  pop(regs: Int32Array): number {
    const depth = --this.depth;
    const at = depth * RECORD;
    const records = this.records;
    regs[12] = records[at + 2];
    regs[13] = records[at + 3];
    regs[14] = records[at + 4];
    regs[15] = records[at + 5];
    regs[16] = records[at + 6];
    regs[17] = records[at + 7];
    regs[18] = records[at + 8];
    regs[19] = records[at + 9];
    regs[20] = records[at + 10];
    regs[21] = records[at + 11];
    this.programBase = records[at + 1];
    const fp = regs[20];
    if (fp < this.stackLow || fp > this.stackHigh) this.returnToSegmentOf(fp);
    return records[at];
  }

  /** Back in an earlier stack segment: later segments stay allocated (pointers into them die with the run). */
  private returnToSegmentOf(fp: number): void {
    for (const segment of this.segments) {
      if (fp > segment && fp <= segment + STACK_SEGMENT_SIZE) {
        this.stackLow = segment;
        this.stackHigh = segment + STACK_SEGMENT_SIZE;
      }
    }
  }

  /** The return pc of frame `index` (0 = outermost). */
  returnPc(index: number): number {
    return this.records[index * RECORD];
  }

  private useNextSegment(): void {
    const next = this.segments[this.segments.indexOf(this.stackLow) + 1];
    if (next === undefined) {
      this.addSegment();
    } else {
      this.stackLow = next;
      this.stackHigh = next + STACK_SEGMENT_SIZE;
    }
  }
}
