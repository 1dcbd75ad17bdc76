// Program-level validation of raw instructions, in the order and words of the Linux verifier.
//
// Public API:
//   validateInsns(insns, options?: { encodingOnly?: boolean }): void   throws InsnError (index, reason)
//   subprogramStarts(insns): number[]   entry indexes of the functions (0, local call and func targets)
//   jumpTarget(insn, index): number | undefined   slot a jump lands on (ja/gotol/conditional), else undefined
//
// The kernel checks in stages; a later stage only runs when every earlier one passed on the whole program
// (verified against Linux 6.18 with BPF_PROG_LOAD):
//   1. add_subprog_and_kfunc:  `call to invalid destination` (local call or LD_IMM64 src 4 outside the program)
//   2. check_subprogs:         `jump out of range from insn %d to %d` (leaving its function),
//                              `last insn is not an exit or jmp` (function falls through into the next one)
//   3. resolve_pseudo_ldimm64: per slot `BPF_LDX uses reserved fields`, `invalid bpf_ld_imm64 insn`,
//                              `unrecognized bpf_ld_imm64 insn`, `unknown opcode %02x`
//   4. check_cfg:              `jump into the middle of ldimm64 insn %d`
//   5. do_check (per insn):    `BPF_ALU uses reserved fields` and the other reserved-field messages,
//                              `R%d is invalid`, and unless `encodingOnly`: `div by zero`,
//                              `invalid shift %d`, `frame pointer is read only`
// do_check walks paths; tsbpf checks stage 5 in index order, which names the same insn for straight code.
// Not checked here (the verifier's job): reachability, loops, types, helper and kfunc ids, map fds.

import { checkFieldStage, checkOpcodeStage } from './decoded.js';
import type { Insn } from './insn.js';
import { InsnError } from './insn-error.js';
import {
  BPF_ALU64,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DIV,
  BPF_EXIT,
  BPF_FETCH,
  BPF_JA,
  BPF_JMP,
  BPF_JMP32,
  BPF_K,
  BPF_LD_IMM64,
  BPF_LOAD_ACQ,
  BPF_LSH,
  BPF_MOD,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC,
  BPF_REG_FP,
  BPF_RSH,
  BPF_ARSH,
  BPF_X,
} from './opcodes.js';

export interface ValidateOptions {
  /**
   * Only check encodings and layout; skip the kernel's static refusals of well-formed instructions
   * (`div by zero`, `invalid shift`, `frame pointer is read only`) so conformance vectors with
   * runtime-defined behaviour can still run.
   */
  readonly encodingOnly?: boolean;
  /**
   * Stop after stages 1-3: the verifier's control-flow walk does stage 4 (in the kernel's order, an unreachable
   * LD_IMM64 before a jump into its middle) and checks stage 5 on the instructions its walk reaches, as the
   * kernel's do_check does, so dead code is not refused for what only a live path would do.
   */
  readonly layoutOnly?: boolean;
}

/** The slot a jump at `index` lands on, or undefined when `ins` is not a jump (call and exit are not). */
export function jumpTarget(ins: Insn, index: number): number | undefined {
  const cls = ins.code & 0x07;
  if (cls !== BPF_JMP && cls !== BPF_JMP32) return undefined;
  const op = ins.code & 0xf0;
  if (op === BPF_CALL || op === BPF_EXIT) return undefined;
  return index + (ins.code === (BPF_JMP32 | BPF_JA) ? ins.imm : ins.off) + 1;
}

function isSubprogramReference(ins: Insn): boolean {
  return (
    (ins.code === (BPF_JMP | BPF_CALL) && ins.src === BPF_PSEUDO_CALL) ||
    (ins.code === BPF_LD_IMM64 && ins.src === BPF_PSEUDO_FUNC)
  );
}

/** Sorted entry indexes of the program's functions; throws `call to invalid destination` like the kernel. */
export function subprogramStarts(insns: readonly Insn[]): number[] {
  const starts = new Set<number>([0]);
  insns.forEach((ins, i) => {
    if (!isSubprogramReference(ins)) return;
    const target = i + ins.imm + 1;
    if (target < 0 || target >= insns.length) throw new InsnError(i, 'call to invalid destination');
    starts.add(target);
  });
  return [...starts].sort((a, b) => a - b);
}

function checkFunctionBounds(insns: readonly Insn[], starts: readonly number[]): void {
  let fn = 0;
  let start = 0;
  let end = starts.length > 1 ? starts[1] : insns.length;
  for (let i = 0; i < insns.length; i++) {
    const target = jumpTarget(insns[i], i);
    if (target !== undefined && (target < start || target >= end)) {
      throw new InsnError(i, `jump out of range from insn ${i} to ${target}`);
    }
    if (i === end - 1) {
      const code = insns[i].code;
      if (code !== (BPF_JMP | BPF_EXIT) && code !== (BPF_JMP | BPF_JA) && code !== (BPF_JMP32 | BPF_JA)) {
        throw new InsnError(i, 'last insn is not an exit or jmp');
      }
      fn++;
      start = end;
      end = fn + 1 < starts.length ? starts[fn + 1] : insns.length;
    }
  }
}

/** Start indexes of every instruction (second LD_IMM64 slots excluded); assumes stage 3 passed. */
function instructionStarts(insns: readonly Insn[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) out.push(i);
  return out;
}

function checkSemantics(ins: Insn, index: number): void {
  const cls = ins.code & 0x07;
  const op = ins.code & 0xf0;
  const isAlu = cls === BPF_ALU64 || cls === 0x04;
  if (isAlu && (ins.code & BPF_X) === BPF_K) {
    if ((op === BPF_DIV || op === BPF_MOD) && ins.imm === 0) throw new InsnError(index, 'div by zero');
    if (op === BPF_LSH || op === BPF_RSH || op === BPF_ARSH) {
      const width = cls === BPF_ALU64 ? 64 : 32;
      if (ins.imm < 0 || ins.imm >= width) throw new InsnError(index, `invalid shift ${ins.imm}`);
    }
  }
  const isFetchingAtomic = (ins.code & 0xe7) === (0x03 | BPF_ATOMIC) && (ins.imm & BPF_FETCH) !== 0;
  const fetchRegister = ins.imm === BPF_CMPXCHG ? 0 : ins.src;
  if (isFetchingAtomic && fetchRegister === BPF_REG_FP)
    throw new InsnError(index, 'frame pointer is read only');
  const isLoadAcquire = (ins.code & 0xe7) === (0x03 | BPF_ATOMIC) && ins.imm === BPF_LOAD_ACQ;
  if (isLoadAcquire && ins.dst === BPF_REG_FP) throw new InsnError(index, 'frame pointer is read only');
}

/** Throws InsnError for the first problem the kernel would report, checking its stages in its order. */
export function validateInsns(insns: readonly Insn[], options: ValidateOptions = {}): void {
  // kernel: BPF_PROG_LOAD refuses an empty program with E2BIG before the verifier runs (no log message).
  if (insns.length === 0) throw new InsnError(0, 'program has no instructions');
  const starts = subprogramStarts(insns);
  checkFunctionBounds(insns, starts);
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) checkOpcodeStage(insns, i);

  // The verifier's control-flow walk reports these itself, in its own order (an unreachable LD_IMM64 first).
  if (options.layoutOnly) return;
  const begins = instructionStarts(insns);
  const secondSlots = new Set(begins.filter((i) => insns[i].code === BPF_LD_IMM64).map((i) => i + 1));
  for (const i of begins) {
    const target = jumpTarget(insns[i], i);
    if (target !== undefined && secondSlots.has(target)) {
      throw new InsnError(i, `jump into the middle of ldimm64 insn ${target - 1}`);
    }
  }

  for (const i of begins) {
    const entry = checkFieldStage(insns, i);
    if (options.encodingOnly) continue;
    checkSemantics(insns[i], i);
    if (entry.writesDst && insns[i].dst === BPF_REG_FP) throw new InsnError(i, 'frame pointer is read only');
  }
}
