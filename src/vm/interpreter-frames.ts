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
 * Words of one frame record: return pc, the caller's program base, r6-r10 as lo/hi pairs (register-file indexes
 * 12-21, copied unrolled: a loop made calls ~25% slower), then the caller's program as its number in
 * FrameStack.programs (a number, so that a call stores no object).
 */
export const FRAME_RECORD = 13;
const RECORD = FRAME_RECORD;

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
  /** Frame records (FRAME_RECORD words each, by depth); the loop writes a call's record itself (see push). */
  readonly records = new Int32Array(MAX_RUN_FRAMES * RECORD);
  /**
   * may_goto passes left to each frame, by depth. The kernel keeps the budget in hidden slots below the function's
   * stack, set on entry; a JIT with timed may_goto renews it until 250 ms have passed, which no deterministic
   * engine can mirror, so tsbpf gives every function entry BPF_MAX_LOOPS passes, the count of the kernel's
   * interpreter-only fixup.
   */
  readonly mayGotoBudgets = new Int32Array(MAX_RUN_FRAMES + 1);
  /**
   * The programs this stack's runs have entered (the entry first, then tail-call targets) and their code, numbered
   * by their index: frame records name their caller's program by it (tail calls change the program a frame
   * returns to).
   */
  readonly programs: ExecutableProgram[] = [];
  readonly codes: CompiledCode[] = [];
  /** The caller's program number in the record pop() last read. */
  returnProgram = 0;
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

  /** The number of `program` in `programs`, added on first sight. */
  programNumber(program: ExecutableProgram, code: CompiledCode): number {
    const known = this.programs.indexOf(program);
    if (known >= 0) return known;
    this.programs.push(program);
    this.codes.push(code);
    return this.programs.length - 1;
  }

  /**
   * Saves the caller's r6-r10, return pc and program (its number), and returns the callee's frame pointer: frames
   * lie contiguously below the caller's (kernel: each function's own depth, rounded up to 8), in a new segment
   * when a chain kept alive by tail calls outgrows one. Returns a negative reason instead when the call cannot be
   * made. The dispatch loop does the common call (the callee's frame in this segment, depth within limits) itself,
   * the same way, and comes here for the rest.
   */
  push(
    regs: Int32Array,
    program: number,
    returnPc: number,
    callerFrameSize: number,
    calleeFrameSize: number,
    checked: boolean,
  ): number {
    const depth = this.depth;
    if ((checked && depth - this.programBase + 1 >= MAX_CALL_FRAMES) || depth + 1 >= MAX_RUN_FRAMES)
      return this.refusal(checked);
    let fp = regs[20] - callerFrameSize;
    if (regs[21] !== 0 || fp - calleeFrameSize < this.stackLow || fp > this.stackHigh) {
      fp = this.frameElsewhere(regs, callerFrameSize, calleeFrameSize);
      if (fp < 0) return fp;
    }
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
    records[at + 12] = program;
    this.depth = depth + 1;
    this.mayGotoBudgets[depth + 1] = BPF_MAX_LOOPS;
    return fp;
  }

  private refusal(checked: boolean): number {
    return checked && this.depth - this.programBase + 1 >= MAX_CALL_FRAMES ? CHAIN_TOO_DEEP : RUN_TOO_DEEP;
  }

  /**
   * The callee's frame pointer when it cannot lie right below the caller's frame in the current segment: r10 is
   * not in it (a callback's caller) or the segment is full (tail calls from subprograms keep frames beyond one
   * chain's 512 bytes: continue in a new segment).
   */
  private frameElsewhere(regs: Int32Array, callerFrameSize: number, calleeFrameSize: number): number {
    let fp = regs[20] - callerFrameSize;
    if (regs[21] !== 0 || fp < this.stackLow || fp > this.stackHigh) fp = this.stackHigh;
    if (fp - calleeFrameSize >= this.stackLow) return fp;
    if (calleeFrameSize > STACK_SEGMENT_SIZE) return CALLEE_TOO_LARGE;
    this.useNextSegment();
    return this.stackHigh;
  }

  /** Restores the caller's r6-r10 and program base; returns the return pc (the program's number: returnProgram). */
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
    this.returnProgram = records[at + 12];
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

  /** The program that called from frame `index` (0 = outermost). */
  callerProgram(index: number): ExecutableProgram {
    return this.programs[this.records[index * RECORD + 12]];
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
