// Control flow before the walk: functions, reachability, back-edges and prune points (the kernel's check_cfg).
import type { Insn } from '../isa/insn.js';
import {
  BPF_CALL,
  BPF_EXIT,
  BPF_JA,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD_IMM64,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC,
} from '../isa/opcodes.js';
import { jumpTarget, subprogramStarts } from '../isa/validate.js';
import { VerifierError } from './verifier-error.js';

export interface ControlFlow {
  /** Entry instruction of each function, entry function first (kernel: subprog_info[].start). */
  readonly functionStarts: readonly number[];
  /** Function index of every slot. */
  readonly functionOf: Int32Array;
  /** Where the walk considers pruning (kernel: insn_aux_data[].prune_point). */
  readonly prunePoints: Uint8Array;
  /** Instructions reached other than by falling through, kept in a path's history (kernel: jmp_point). */
  readonly jumpPoints: Uint8Array;
  /** Instructions reached by a back-edge: loops (kernel: jump targets of back-edges). */
  readonly loopHeads: Uint8Array;
  /** Helper calls that call a BPF function back: always checkpoints (kernel: calls_callback). */
  readonly callbackCalls: Uint8Array;
}

/** Helpers that call a function given as an argument (bpf_for_each_map_elem, timer_set_callback, find_vma, loop, user_ringbuf_drain). */
export const CALLBACK_HELPERS: ReadonlySet<number> = new Set([164, 170, 180, 181, 209]);

const UNVISITED = 0;
const EXPLORING = 1;
const EXPLORED = 2;

function isLdImm64(ins: Insn): boolean {
  return ins.code === BPF_LD_IMM64;
}

/**
 * Successor edges of `t`, marking prune points as check_cfg does: branch targets (conditional jump targets,
 * callee entries), the target of `ja`, every conditional jump and local call itself, and the instruction
 * after every call (where a callee returns).
 */
function successors(insns: readonly Insn[], t: number, prune: Uint8Array, jump: Uint8Array): number[] {
  const ins = insns[t];
  if (isLdImm64(ins)) {
    if (ins.src === BPF_PSEUDO_FUNC) {
      prune[t] = 1;
      prune[t + 2] = 1;
      prune[t + ins.imm + 1] = 1;
      jump[t + ins.imm + 1] = 1;
      return [t + 2, t + ins.imm + 1];
    }
    return [t + 2];
  }
  const cls = ins.code & 0x07;
  if (cls !== BPF_JMP && cls !== BPF_JMP32) return [t + 1];
  const op = ins.code & 0xf0;
  if (op === BPF_EXIT) return [];
  if (op === BPF_CALL) {
    prune[t + 1] = 1;
    jump[t + 1] = 1;
    if (ins.src === BPF_PSEUDO_CALL) {
      prune[t] = 1;
      prune[t + ins.imm + 1] = 1;
      jump[t + ins.imm + 1] = 1;
      return [t + 1, t + ins.imm + 1];
    }
    if (ins.src === 0 && CALLBACK_HELPERS.has(ins.imm)) {
      prune[t] = 1;
      jump[t] = 1;
    }
    return [t + 1];
  }
  if (op === BPF_JA) {
    const target = t + (cls === BPF_JMP32 ? ins.imm : ins.off) + 1;
    prune[target] = 1;
    jump[target] = 1;
    return [target];
  }
  prune[t] = 1;
  prune[t + ins.off + 1] = 1;
  jump[t + ins.off + 1] = 1;
  return [t + 1, t + ins.off + 1];
}

/**
 * Successors of an instruction inside its function (kernel bpf_insn_successors): the next instruction first,
 * then a jump's target; a call falls through, an exit has none.
 */
export function insnSuccessors(insns: readonly Insn[], index: number): number[] {
  const insn = insns[index];
  const isJump = (insn.code & 0x07) === BPF_JMP || (insn.code & 0x07) === BPF_JMP32;
  if (isJump && (insn.code & 0xf0) === BPF_EXIT) return [];
  const target = jumpTarget(insn, index);
  if (target === undefined) return [index + (isLdImm64(insn) ? 2 : 1)];
  return (insn.code & 0xf0) === BPF_JA ? [target] : [index + 1, target];
}

/**
 * Strongly connected components of the control flow (kernel compute_scc, Tarjan's algorithm from each
 * instruction in order): loops, numbered from 1 as they complete; 0 for an instruction in no loop. A helper
 * call that calls back is a loop of its own.
 */
export function computeScc(insns: readonly Insn[], callbackCalls: Uint8Array): Int32Array {
  const n = insns.length;
  const scc = new Int32Array(n);
  const pre = new Int32Array(n);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let order = 0;
  let next = 1;
  for (let root = 0; root < n; root++) {
    if (pre[root] !== 0) continue;
    const dfs: { insn: number; succ: number[]; at: number }[] = [];
    const open = (w: number) => {
      pre[w] = low[w] = ++order;
      stack.push(w);
      onStack[w] = 1;
      dfs.push({ insn: w, succ: insnSuccessors(insns, w).filter((s) => s >= 0 && s < n), at: 0 });
    };
    open(root);
    while (dfs.length > 0) {
      const top = dfs[dfs.length - 1];
      const w = top.insn;
      if (top.at < top.succ.length) {
        const s = top.succ[top.at++];
        if (pre[s] === 0) open(s);
        else if (onStack[s]) low[w] = Math.min(low[w], pre[s]);
        continue;
      }
      dfs.pop();
      if (dfs.length > 0) {
        const parent = dfs[dfs.length - 1].insn;
        low[parent] = Math.min(low[parent], low[w]);
      }
      if (low[w] !== pre[w]) continue;
      const assign = stack[stack.length - 1] !== w || top.succ.includes(w) || callbackCalls[w] === 1;
      let t: number;
      do {
        t = stack.pop() as number;
        onStack[t] = 0;
        if (assign) scc[t] = next;
      } while (t !== w);
      if (assign) next++;
    }
  }
  return scc;
}

/**
 * Depth-first walk from insn 0 as check_cfg does: "unreachable insn N" for what no path reaches, and
 * "back-edge from insn A to B" for loops when the loader may not use bounded loops (no CAP_BPF).
 */
export function checkControlFlow(insns: readonly Insn[], allowLoops: boolean): ControlFlow {
  const functionStarts = subprogramStarts(insns);
  const functionOf = new Int32Array(insns.length);
  for (let fn = 0, i = 0; i < insns.length; i++) {
    if (fn + 1 < functionStarts.length && i === functionStarts[fn + 1]) fn++;
    functionOf[i] = fn;
  }
  const prunePoints = new Uint8Array(insns.length + 1);
  const jumpPoints = new Uint8Array(insns.length + 1);
  const loopHeads = new Uint8Array(insns.length + 1);
  const state = new Uint8Array(insns.length);
  const edgeIndex = new Int32Array(insns.length);
  const edges: number[][] = new Array(insns.length);
  const stack: number[] = [0];
  state[0] = EXPLORING;
  while (stack.length > 0) {
    const t = stack[stack.length - 1];
    edges[t] ??= successors(insns, t, prunePoints, jumpPoints);
    const next = edges[t][edgeIndex[t]];
    if (next === undefined) {
      state[t] = EXPLORED;
      stack.pop();
      continue;
    }
    edgeIndex[t]++;
    if (next < 0 || next >= insns.length) {
      throw new VerifierError(`jump out of range from insn ${t} to ${next}`, t, 'EINVAL');
    }
    if (state[next] === UNVISITED) {
      state[next] = EXPLORING;
      stack.push(next);
    } else if (state[next] === EXPLORING) {
      if (!allowLoops) throw new VerifierError(`back-edge from insn ${t} to ${next}`, t, 'EINVAL');
      loopHeads[next] = 1;
    }
  }
  const callbackCalls = new Uint8Array(insns.length);
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (ins.code === (BPF_JMP | BPF_CALL) && ins.src === 0 && CALLBACK_HELPERS.has(ins.imm))
      callbackCalls[i] = 1;
  }
  for (let i = 0; i < insns.length; i++) {
    if (state[i] === UNVISITED) throw new VerifierError(`unreachable insn ${i}`, i, 'EINVAL');
    if (isLdImm64(insns[i])) {
      if (state[i + 1] !== UNVISITED) {
        throw new VerifierError(`jump into the middle of ldimm64 insn ${i}`, i, 'EINVAL');
      }
      i++;
    }
  }
  return { functionStarts, functionOf, prunePoints, jumpPoints, loopHeads, callbackCalls };
}
