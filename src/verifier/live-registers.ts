// Linux 6.18's static register liveness (compute_live_registers) and CFG strongly connected components
// (compute_scc), and the "Live regs before insn:" block the verifier log prints with both at log level 2.
//
// Public API:
//   analyzeLiveRegisters(insns, options?): LiveRegisters     live registers before each insn, and SCC ids
//   liveRegistersLog(insns, analysis, textOptions?): string  the log block, byte for byte
//   insnSuccessors(insns, index): number[]                   the kernel's insn_successors()
//   insnUseDef(insns, index, options?): { use, def }         registers read and written (bit n = rn)
//   callsCallbackSynchronously(insns, index, options?)       the kernel's calls_callback mark
//   helperArgCountFor(programType): (id) => number | undefined
//   kfuncArgCountFor(programType): (btfId, btfFdIndex) => number | undefined
//   LiveRegisters, LiveRegistersOptions
//
// Expects a program that passed the kernel's CFG checks (every instruction reachable, jumps in range): the
// kernel runs both analyses only then. Edges leaving the program are dropped rather than followed.

import { type HelperArg, helperById, helperByName, helperProtoFor } from '../abi/helpers.js';
import { kfuncAllowed, kfuncByBtfId } from '../abi/kfuncs.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import type { Insn } from '../isa/insn.js';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_ALU64,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_FETCH,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_K,
  BPF_LD,
  BPF_LD_IMM64,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOV,
  BPF_PSEUDO_KFUNC_CALL,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_X,
} from '../isa/opcodes.js';
import { type KernelInsnTextOptions, kernelInsnText } from './kernel-insn-text.js';

export interface LiveRegistersOptions {
  /**
   * Argument count of helper `id` in the prototype the program type's get_func_proto hands out (arguments up
   * to the first ARG_DONTCARE), or undefined when there is none: the kernel then counts r1-r5 as read.
   * Use `helperArgCountFor(programType)`. Default: none known.
   */
  helperArgCount?: (id: number) => number | undefined;
  /**
   * Parameter count of the kfunc with BTF id `btfId` in the BTF of `fd_array[btfFdIndex]`, or undefined when
   * the kernel cannot resolve it or the program type may not call it (r1-r5 then). Default: none known.
   */
  kfuncArgCount?: (btfId: number, btfFdIndex: number) => number | undefined;
  /** Whether the kfunc calls a callback before it returns (Linux 6.18: bpf_rbtree_add_impl). Default: no. */
  kfuncCallsCallback?: (btfId: number, btfFdIndex: number) => boolean;
}

export interface LiveRegisters {
  /**
   * Per instruction slot, the kernel's `live_regs_before`: bit n set when rn may be read before being written
   * on some path from here. Bits above r9 are kept as the kernel computes them (r10 when used; every bit
   * before LD_ABS/LD_IND). 0 for the second slot of LD_IMM64.
   */
  readonly liveBefore: Uint16Array;
  /** Per instruction slot, its SCC id (1-based, the kernel's numbering), 0 when it is on no loop. */
  readonly scc: Uint32Array;
  /** How many SCC ids were given out. */
  readonly sccCount: number;
}

/** r0-r5: what a call may write (kernel: ALL_CALLER_SAVED_REGS). */
const CALLER_SAVED = 0x3f;
const R0 = 1;
/** What the kernel assumes an instruction it has no rule for reads: every register. */
const USES_EVERYTHING = 0xffff;

/** Helpers that call their callback before returning (kernel: is_sync_callback_calling_function). */
const SYNC_CALLBACK_HELPERS: ReadonlySet<number> = new Set(
  ['for_each_map_elem', 'find_vma', 'loop', 'user_ringbuf_drain'].map((name) => {
    const helper = helperByName(name);
    if (!helper) throw new Error(`helper table lacks ${name}`);
    return helper.id;
  }),
);

function isLdImm64(ins: Insn): boolean {
  return ins.code === BPF_LD_IMM64;
}

function insnAt(insns: readonly Insn[], index: number): Insn {
  const ins = insns[index];
  if (ins === undefined)
    throw new RangeError(`no instruction at index ${index} (program has ${insns.length})`);
  return ins;
}

/** The kernel's insn_successors(): fall-through first, then the jump target. */
export function insnSuccessors(insns: readonly Insn[], index: number): number[] {
  const ins = insnAt(insns, index);
  const cls = ins.code & 0x07;
  const op = ins.code & 0xf0;
  let fallsThrough = true;
  let jumps = false;
  if (cls === BPF_JMP || cls === BPF_JMP32) {
    if (op === BPF_EXIT) fallsThrough = false;
    else if (op === BPF_JA) {
      fallsThrough = false;
      jumps = true;
    } else if (op !== BPF_CALL) jumps = true;
  }
  const out: number[] = [];
  if (fallsThrough) out.push(index + (isLdImm64(ins) ? 2 : 1));
  if (jumps) {
    const offset = ins.code === (BPF_JMP32 | BPF_JA) ? ins.imm : ins.off;
    out.push(index + offset + 1);
  }
  return out.filter((target) => target >= 0 && target < insns.length);
}

/** Whether the instruction is a call the kernel marks calls_callback (an implicit loop through the callback). */
export function callsCallbackSynchronously(
  insns: readonly Insn[],
  index: number,
  options: LiveRegistersOptions = {},
): boolean {
  const ins = insnAt(insns, index);
  if (ins.code !== (BPF_JMP | BPF_CALL)) return false;
  if (ins.src === 0) return SYNC_CALLBACK_HELPERS.has(ins.imm);
  if (ins.src === BPF_PSEUDO_KFUNC_CALL) return options.kfuncCallsCallback?.(ins.imm, ins.off) ?? false;
  return false;
}

/** Registers r1..rN as a mask. */
function argumentMask(count: number): number {
  return ((1 << (count + 1)) - 1) & ~1;
}

function callUse(ins: Insn, options: LiveRegistersOptions): number {
  let count: number | undefined;
  if (ins.code !== (BPF_JMP | BPF_CALL)) count = undefined;
  else if (ins.src === 0) count = options.helperArgCount?.(ins.imm);
  else if (ins.src === BPF_PSEUDO_KFUNC_CALL) count = options.kfuncArgCount?.(ins.imm, ins.off);
  // Local calls, and calls the kernel cannot resolve, read all of r1-r5.
  return count === undefined ? CALLER_SAVED & ~R0 : argumentMask(count);
}

/** Registers an instruction reads (`use`) and writes (`def`), as the kernel's compute_insn_live_regs() sees it. */
export function insnUseDef(
  insns: readonly Insn[],
  index: number,
  options: LiveRegistersOptions = {},
): { use: number; def: number } {
  const ins = insnAt(insns, index);
  const cls = ins.code & 0x07;
  const op = ins.code & 0xf0;
  const mode = ins.code & 0xe0;
  const src = 1 << ins.src;
  const dst = 1 << ins.dst;
  switch (cls) {
    case BPF_LD:
      if (mode === BPF_IMM && (ins.code & 0x18) === BPF_DW) return { use: 0, def: dst };
      // LD_ABS/LD_IND read r6 (the skb) and may end the program: the kernel keeps every register live there.
      if (mode === BPF_ABS || mode === BPF_IND) return { use: USES_EVERYTHING, def: 0 };
      break;
    case BPF_LDX:
      if (mode === BPF_MEM || mode === BPF_MEMSX) return { use: src, def: dst };
      break;
    case BPF_ST:
      if (mode === BPF_MEM) return { use: dst, def: 0 };
      break;
    case BPF_STX:
      if (mode === BPF_MEM) return { use: dst | src, def: 0 };
      if (mode === BPF_ATOMIC) {
        if (ins.imm === BPF_CMPXCHG) return { use: R0 | dst | src, def: R0 };
        if (ins.imm === BPF_LOAD_ACQ) return { use: src, def: dst };
        if (ins.imm === BPF_STORE_REL) return { use: dst | src, def: 0 };
        return { use: dst | src, def: (ins.imm & BPF_FETCH) !== 0 ? src : 0 };
      }
      break;
    case BPF_ALU:
    case BPF_ALU64:
      if (op === BPF_END) return { use: dst, def: dst };
      if (op === BPF_MOV) return { use: (ins.code & BPF_X) === BPF_K ? 0 : src, def: dst };
      return { use: (ins.code & BPF_X) === BPF_K ? dst : dst | src, def: dst };
    case BPF_JMP:
    case BPF_JMP32:
      if (op === BPF_JA || op === BPF_JCOND) return { use: 0, def: 0 };
      if (op === BPF_EXIT) return { use: R0, def: 0 };
      if (op === BPF_CALL) return { use: callUse(ins, options), def: CALLER_SAVED };
      return { use: (ins.code & BPF_X) === BPF_K ? dst : dst | src, def: 0 };
  }
  return { use: USES_EVERYTHING, def: 0 };
}

/** Slots that start an instruction (every slot but the second half of an LD_IMM64). */
function instructionStarts(insns: readonly Insn[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i < insns.length; i += isLdImm64(insns[i]) ? 2 : 1) starts.push(i);
  return starts;
}

function computeLiveBefore(insns: readonly Insn[], options: LiveRegistersOptions): Uint16Array {
  const starts = instructionStarts(insns);
  const use = new Uint16Array(insns.length);
  const def = new Uint16Array(insns.length);
  const successors: number[][] = new Array(insns.length);
  for (const i of starts) {
    const effect = insnUseDef(insns, i, options);
    use[i] = effect.use;
    def[i] = effect.def;
    successors[i] = insnSuccessors(insns, i);
  }
  const liveBefore = new Uint16Array(insns.length);
  // Backward dataflow to the least fixpoint; visiting in reverse order makes straight-line code one pass.
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = starts.length - 1; k >= 0; k--) {
      const i = starts[k];
      let liveAfter = 0;
      for (const next of successors[i]) liveAfter |= liveBefore[next];
      const live = (liveAfter & ~def[i]) | use[i];
      if (live !== liveBefore[i]) {
        liveBefore[i] = live;
        changed = true;
      }
    }
  }
  return liveBefore;
}

/**
 * The kernel's SCC numbering: Tarjan's algorithm (Pearce's variant) over every slot in index order, ids given
 * out as components complete, only to components of two or more instructions, with a self edge, or holding a
 * call that invokes a callback synchronously.
 */
function computeScc(
  insns: readonly Insn[],
  options: LiveRegistersOptions,
): { scc: Uint32Array; count: number } {
  const n = insns.length;
  const NOT_ON_STACK = 0xffffffff;
  const pre = new Uint32Array(n);
  const low = new Uint32Array(n);
  const scc = new Uint32Array(n);
  let nextPreorder = 1;
  let nextScc = 1;
  for (let root = 0; root < n; root++) {
    if (pre[root] !== 0) continue;
    const stack: number[] = [];
    const dfs: number[] = [root];
    while (dfs.length > 0) {
      const w = dfs[dfs.length - 1];
      if (pre[w] === 0) {
        pre[w] = nextPreorder;
        low[w] = nextPreorder;
        nextPreorder++;
        stack.push(w);
      }
      const successors = insnSuccessors(insns, w);
      let descended = false;
      for (const s of successors) {
        if (pre[s] === 0) {
          dfs.push(s);
          descended = true;
          break;
        }
        low[w] = Math.min(low[w], low[s]);
      }
      if (descended) continue;
      dfs.pop();
      // Something still on the stack is reachable from w: w belongs to that component, which is not done.
      if (low[w] < pre[w]) continue;
      const assign =
        stack[stack.length - 1] !== w ||
        successors.includes(w) ||
        callsCallbackSynchronously(insns, w, options);
      for (;;) {
        const t = stack.pop()!;
        low[t] = NOT_ON_STACK;
        if (assign) scc[t] = nextScc;
        if (t === w) break;
      }
      if (assign) nextScc++;
    }
  }
  return { scc, count: nextScc - 1 };
}

/** Both analyses the kernel runs before walking the program (compute_scc, then compute_live_registers). */
export function analyzeLiveRegisters(
  insns: readonly Insn[],
  options: LiveRegistersOptions = {},
): LiveRegisters {
  const { scc, count } = computeScc(insns, options);
  return { liveBefore: computeLiveBefore(insns, options), scc, sccCount: count };
}

/**
 * The block the kernel prints at log level 2 after the subprogram list, each line ending in a newline:
 * ```
 * Live regs before insn:
 *       0: .1........ (bf) r6 = r1
 *   2  15: .1234.6... (85) call bpf_loop#181
 * ```
 * (SCC id or blanks, index, r0-r9 live before, instruction text).
 */
export function liveRegistersLog(
  insns: readonly Insn[],
  analysis: LiveRegisters,
  textOptions: KernelInsnTextOptions = {},
): string {
  const lines = ['Live regs before insn:\n'];
  for (const i of instructionStarts(insns)) {
    const scc = analysis.scc[i] !== 0 ? `${String(analysis.scc[i]).padStart(3)} ` : '    ';
    let regs = '';
    for (let r = 0; r < 10; r++) regs += (analysis.liveBefore[i] & (1 << r)) !== 0 ? String(r) : '.';
    lines.push(`${scc}${String(i).padStart(3)}: ${regs} ${kernelInsnText(insns, i, textOptions)}\n`);
  }
  return lines.join('');
}

/** Argument count of a helper prototype: arguments up to the first ARG_DONTCARE. */
function argCount(args: readonly HelperArg[]): number {
  const firstUnused = args.findIndex((arg) => arg.type === 'ARG_DONTCARE');
  return firstUnused === -1 ? args.length : firstUnused;
}

/**
 * `helperArgCount` for a program type from tsbpf's helper table (prototypes as root gets them). Program types
 * the table was not probed for answer undefined for every helper.
 */
export function helperArgCountFor(programType: ProgramTypeName): (id: number) => number | undefined {
  return (id) => {
    const helper = helperById(id);
    const proto = helper && helperProtoFor(helper, programType);
    return proto ? argCount(proto.args) : undefined;
  };
}

/**
 * The parameter count of a vmlinux kfunc the program type may call (the kernel's get_call_summary goes through
 * fetch_kfunc_meta, which fails for a kfunc outside the type's sets); module BTF (`off` != 0) is not modelled.
 */
export function kfuncArgCountFor(
  programType: ProgramTypeName,
): (btfId: number, btfFdIndex: number) => number | undefined {
  return (btfId, btfFdIndex) => {
    const kfunc = btfFdIndex === 0 ? kfuncByBtfId(btfId) : undefined;
    return kfunc && kfuncAllowed(kfunc, programType) ? kfunc.params.length : undefined;
  };
}
