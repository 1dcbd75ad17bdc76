// Small pure leaf functions: straight-line bodies on r0-r5 that cannot fault, call out or see their frame, whose
// calls cost more than their bodies. The JIT compiles them in place at their calls; the interpreter calls them
// without a frame record (both keep what a real call shows: the depth limit, and the frame a budget stop sees).

import type { DecodedInsn } from '../isa/decoded.js';
import type { ExecutableProgram } from './runtime.js';

/** A function compiled in place at its calls: its straight-line body from `start` up to its exit at `exit`. */
export interface PureLeaf {
  readonly start: number;
  readonly exit: number;
}

/** At most this many instructions (the exit included): a call's own cost is worth saving only on small bodies. */
const PURE_LEAF_MAX = 24;

/**
 * The functions worth compiling in place at their calls (fast mode, no budget): small straight-line leaves that
 * touch r0-r5 only and no memory, ending in their one exit. Such a body cannot fault, call out or see its frame
 * or r6-r10, so running it in the caller's locals is the call; clang makes one of each small `__noinline`
 * helper (hashing steps, mixing, folding), which the kernel's JIT calls each time.
 */
export function pureLeavesOf(
  program: Pick<ExecutableProgram, 'decoded' | 'functionStarts' | 'ldImm64Values'>,
): Map<number, PureLeaf> {
  const { decoded, functionStarts } = program;
  const leaves = new Map<number, PureLeaf>();
  const sorted = [...functionStarts].sort((a, b) => a - b);
  functionStarts.forEach((start, index) => {
    const end = sorted.find((other) => other > start) ?? decoded.length;
    const exit = end - 1;
    if (exit - start + 1 > PURE_LEAF_MAX || decoded[exit]?.kind !== 'exit') return;
    for (let pc = start; pc < exit; pc++) {
      const insn = decoded[pc];
      if (insn === undefined) {
        if (pc > start && decoded[pc - 1]?.kind === 'ld_imm64') continue;
        return;
      }
      if (!isPureLowRegisters(insn)) return;
      if (insn.kind === 'ld_imm64' && program.ldImm64Values[pc] === undefined) return;
    }
    leaves.set(index, { start, exit });
  });
  return leaves;
}

/** An ALU op, byte swap or constant load on r0-r5 only. */
function isPureLowRegisters(insn: DecodedInsn): boolean {
  switch (insn.kind) {
    case 'alu':
      return insn.dst <= 5 && (!('source' in insn) || insn.source.kind !== 'reg' || insn.source.reg <= 5);
    case 'endian':
    case 'ld_imm64':
      return insn.dst <= 5;
    default:
      return false;
  }
}
