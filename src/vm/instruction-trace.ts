// A bounded record of the instructions a run executed and the registers each one changed (`tsbpf run --trace`).

import type { ExecutableProgram, InstructionTracer } from './runtime.js';

const BPF_EXIT = 0x95;
const REGISTER_COUNT = 11;

/** One executed instruction: where, how many frames deep, and the registers it left changed (r0-r10). */
export interface TraceStep {
  readonly program: ExecutableProgram;
  readonly pc: number;
  readonly depth: number;
  readonly changed: { readonly register: number; readonly value: bigint }[];
}

/**
 * Keeps the first `limit` instructions a run executes and counts the rest (`omitted`), as a debugger's bounded
 * trace does; memory stays O(limit) however long the program runs.
 */
export class InstructionTraceRecorder implements InstructionTracer {
  readonly steps: TraceStep[] = [];
  omitted = 0;
  private readonly lo = new Uint32Array(REGISTER_COUNT);
  private readonly hi = new Uint32Array(REGISTER_COUNT);
  private last: TraceStep | undefined;
  private lastEndsRun = false;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`trace limit ${limit} is not a count`);
  }

  step(program: ExecutableProgram, pc: number, depth: number, lo: Uint32Array, hi: Uint32Array): void {
    // The registers differ from the last snapshot by what the previous instruction did, except across the
    // exit that ended a run (the next repetition starts with fresh registers).
    if (this.last !== undefined && !this.lastEndsRun) {
      for (let r = 0; r < REGISTER_COUNT; r++) {
        if (lo[r] !== this.lo[r] || hi[r] !== this.hi[r]) {
          this.last.changed.push({ register: r, value: (BigInt(hi[r]) << 32n) | BigInt(lo[r]) });
        }
      }
    }
    this.lo.set(lo.subarray(0, REGISTER_COUNT));
    this.hi.set(hi.subarray(0, REGISTER_COUNT));
    this.lastEndsRun = depth === 0 && program.insns[pc]?.code === BPF_EXIT;
    if (this.steps.length >= this.limit) {
      this.omitted++;
      this.last = undefined;
      return;
    }
    this.last = { program, pc, depth, changed: [] };
    this.steps.push(this.last);
  }
}
