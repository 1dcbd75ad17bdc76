// How the interpreter reports a run that cannot go on: the RuntimeFault with its call stack (function names,
// outermost first) and frames, and the words of an invalid memory access.

import type { FrameStack } from './interpreter-frames.js';
import { functionIndexAt } from './interpreter-code.js';
import { joinHalves } from './isa-semantics.js';
import { type ExecutableProgram, type FaultFrame, RuntimeFault } from './runtime.js';

/** Where a fault happened: the frames under the running function, its program and the instruction. */
export interface FaultSite {
  readonly frames: FrameStack;
  readonly program: ExecutableProgram;
  readonly pc: number;
  /** Names of the entry program's functions (functionStarts order), when the caller gave them. */
  readonly functionNames: readonly string[] | undefined;
}

export function runtimeFault(site: FaultSite, reason: string): RuntimeFault {
  return new RuntimeFault(site.pc, reason, callStack(site), faultFrames(site));
}

/** Outermost first: each caller's program at its call instruction, then the running program at the fault. */
export function faultFrames(site: FaultSite): FaultFrame[] {
  const frames: FaultFrame[] = [];
  for (let i = 0; i < site.frames.depth; i++) {
    frames.push({ program: site.frames.callerProgram(i), insn: site.frames.returnPc(i) - 1 });
  }
  frames.push({ program: site.program, insn: site.pc });
  return frames;
}

/** Function names, outermost first, the faulting function last. */
export function callStack(site: FaultSite): string[] {
  return callStackOf(faultFrames(site), site.functionNames);
}

/** The names of `frames` (outermost first): given names for the entry program's functions, else `func@<start>`. */
export function callStackOf(
  frames: readonly FaultFrame[],
  functionNames: readonly string[] | undefined,
): string[] {
  const entry = frames[0]?.program;
  const name = (program: ExecutableProgram, pc: number): string => {
    const index = functionIndexAt(program, pc);
    const start = program.functionStarts[index] ?? 0;
    const given = program === entry ? functionNames?.[index] : undefined;
    if (given !== undefined) return given;
    if (start === 0 && program.name !== '') return program.name;
    return `func@${start}`;
  };
  return frames.map((frame) => name(frame.program, frame.insn));
}

/** "invalid read of 4 bytes at address 0x... (r1+8)": the address as the program computed it (64 bits). */
export function invalidAccessReason(
  write: boolean,
  size: number,
  register: number,
  off: number,
  lo: number,
  hi: number,
): string {
  const pointer = BigInt.asUintN(64, joinHalves(lo, hi) + BigInt(off));
  const what = write ? 'write' : 'read';
  return `invalid ${what} of ${size} bytes at address 0x${pointer.toString(16)} (r${register}${off < 0 ? '' : '+'}${off})`;
}
