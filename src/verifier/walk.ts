// The path walk (the kernel's do_check): every path from the entry, one instruction at a time, with branch
// states kept on a stack, pruning against states already proven safe, and the log the kernel prints.
import { BPF_COMPLEXITY_LIMIT_INSNS, BPF_COMPLEXITY_LIMIT_JMP_SEQ } from '../abi/limits.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import { checkFieldStage, type DecodedInsn, decodeInsn } from '../isa/decoded.js';
import type { Insn } from '../isa/insn.js';
import { InsnError } from '../isa/insn-error.js';
import { checkAlu } from './alu.js';
import { checkCondJump } from './branches.js';
import { checkCall, checkExit } from './calls.js';
import type { ControlFlow } from './cfg.js';
import { formatFrame } from './format-state.js';
import { kernelInsnText, padInsnForState } from './kernel-insn-text.js';
import { checkAtomic, checkLdImm64, checkLegacyLoad, checkLoad, checkStore } from './memory.js';
import { type HistoryEntry, markPrecise, type PrecisionNode, propagatePrecision } from './precision.js';
import { statesEqual } from './prune.js';
import { scalarEquals } from './scalar.js';
import {
  cloneState,
  emptySlot,
  type Frame,
  MAX_BPF_REG,
  newFrame,
  pointerReg,
  type Reg,
  scalarReg,
  type VerifierMap,
  type VerifierState,
} from './state.js';
import type { GlobalFunction } from './global-functions.js';
import type { VerifierLog } from './log.js';
import { VerifierError } from './verifier-error.js';

export interface WalkOptions {
  readonly programType: ProgramTypeName;
  readonly expectedAttachType?: string;
  /** CAP_BPF: bounded loops, more helpers; CAP_PERFMON: pointer leaks, uninitialised stack reads. */
  readonly bpfCapable: boolean;
  readonly allowPtrLeaks: boolean;
  readonly allowUninitStack: boolean;
  readonly strictAlignment: boolean;
  readonly gplCompatible: boolean;
  readonly testStateFreq: boolean;
  /** BPF_F_TEST_REG_INVARIANTS: inconsistent bounds refuse the program instead of being forgotten. */
  readonly testRegInvariants: boolean;
  /** Map an LD_IMM64 of a map fd (src 1/2) or index (src 5/6) resolves to. */
  readonly mapFor: (insn: number, src: number, imm: number) => VerifierMap | undefined;
  /** Registers live before each instruction (bit r), for pruning; undefined compares every register. */
  readonly liveRegs?: ArrayLike<number>;
  /** Global functions by function index: verified on their own, calls checked against their BTF prototype. */
  readonly globalFunctions: ReadonlyMap<number, GlobalFunction>;
  /** Whether the program came with BTF func_info (callbacks need it). */
  readonly hasFuncInfo: boolean;
  /** nr_cpu_ids, which bounds bpf_get_smp_processor_id's result; unknown when absent. */
  readonly possibleCpus?: number;
}

/** A checkpoint: a state some path reached at a prune point, kept to prune later paths equal to it. */
interface Checkpoint extends PrecisionNode {
  readonly state: VerifierState;
  readonly insn: number;
  /** Paths still being explored below this checkpoint; 0 when every one of them finished safely. */
  branches: number;
  readonly parent: Checkpoint | undefined;
  /** Instructions run from the parent checkpoint up to this one (for precision backtracking). */
  readonly segment: readonly HistoryEntry[];
  hits: number;
  misses: number;
}

interface PendingPath {
  readonly state: VerifierState;
  readonly insn: number;
  readonly from: number;
  readonly parent: Checkpoint | undefined;
  readonly logPos: number;
  readonly history: HistoryEntry[];
}

export interface WalkStats {
  processedInsns: number;
  totalStates: number;
  peakStates: number;
  maxStatesPerInsn: number;
  /** Bytes of stack each function used (kernel: subprog_info[].stack_depth). */
  readonly stackDepth: number[];
}

export class Walk {
  readonly decoded: (DecodedInsn | undefined)[];
  state: VerifierState;
  insnIdx = 0;
  /** Set by instruction handlers: where the walk goes next (default: the next instruction). */
  nextInsn = -1;
  /** True when the current path ended (exit from the entry function, or pruned). */
  pathDone = false;
  private idGen = 0;
  private readonly pending: PendingPath[] = [];
  private readonly checkpoints = new Map<number, Checkpoint[]>();
  private parent: Checkpoint | undefined;
  /** Kernel jmps_processed and the counts when the last checkpoint was added (prev_*_processed). */
  private jumpsProcessed = 0;
  private lastCheckpointJumps = 0;
  private lastCheckpointInsns = 0;
  private liveCheckpoints = 0;
  readonly stats: WalkStats;
  /** Registers and stack slots an instruction touched: what the log prints after it. */
  scratchedRegs = new Set<number>();
  scratchedSlots = new Set<number>();

  /** Global functions a verified path called: each must be verified on its own afterwards. */
  readonly calledGlobals = new Set<number>();

  /**
   * A walk of one function from its entry: the program's entry (r1 = ctx) or a global function (its arguments
   * as its BTF prototype says). Statistics are shared by every walk of one program, as the kernel counts them.
   */
  constructor(
    readonly insns: readonly Insn[],
    readonly cfg: ControlFlow,
    readonly options: WalkOptions,
    readonly log: VerifierLog,
    stats: WalkStats,
    entry = 0,
  ) {
    this.decoded = new Array(insns.length);
    this.stats = stats;
    const main = newFrame(-1, entry, 0);
    const global = options.globalFunctions.get(entry);
    if (entry === 0 || global === undefined) {
      main.regs[1] = pointerReg('ctx');
    } else {
      global.args.forEach((arg, index) => {
        main.regs[index + 1] =
          arg.kind === 'ctx'
            ? pointerReg('ctx')
            : arg.kind === 'scalar'
              ? scalarReg()
              : pointerReg('mem', { memSize: arg.size, maybeNull: true, id: this.newId() });
      });
    }
    this.state = { frames: [main], refs: [] };
    this.insnIdx = cfg.functionStarts[entry];
  }

  newId(): number {
    return ++this.idGen;
  }

  get frame(): Frame {
    return this.state.frames[this.state.frames.length - 1];
  }

  reg(index: number): Reg {
    return this.frame.regs[index];
  }

  fail(message: string, errno: VerifierError['errno'] = 'EACCES'): never {
    throw new VerifierError(message, this.insnIdx, errno);
  }

  /** Kernel check_reg_arg(SRC_OP): the register must hold something. */
  readReg(index: number): Reg {
    const reg = this.frame.regs[index];
    this.scratchedRegs.add(index);
    if (reg.type === 'not_init') this.fail(`R${index} !read_ok`);
    return reg;
  }

  /** Kernel check_reg_arg(DST_OP): r10 is read-only; the new value replaces the old. */
  writeReg(index: number, value: Reg): void {
    if (index === 10) this.fail('frame pointer is read only');
    this.scratchedRegs.add(index);
    this.frame.regs[index] = value;
  }

  /** Record that a function's frame uses `bytes` of stack (kernel: grow_stack_state / update_stack_depth). */
  growStack(frame: Frame, bytes: number): void {
    const slots = Math.ceil(bytes / 8);
    while (frame.slots.length < slots) frame.slots.push(emptySlot());
    const depth = slots * 8;
    if (depth > this.stats.stackDepth[frame.subprog]) this.stats.stackDepth[frame.subprog] = depth;
  }

  /** Another path to explore later (kernel push_stack): a copy of `state` starting at `insn`. */
  pushBranch(state: VerifierState, insn: number): void {
    if (this.pending.length >= BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
      this.fail(`The sequence of ${this.pending.length} jumps is too complex.`, 'E2BIG');
    }
    if (this.parent) this.parent.branches++;
    const history = [...this.history, { insn: this.insnIdx, depth: this.state.frames.length }];
    this.pending.push({
      state,
      insn,
      from: this.insnIdx,
      parent: this.parent,
      logPos: this.log.position,
      history,
    });
  }

  /** The walk: returns normally when every path ends safely; throws VerifierError at the first unsafe one. */
  run(): void {
    if (this.log.level > 0) this.log.print(`${this.insnIdx}: ${formatFrame(this.frame)}\n`);
    for (;;) {
      if (this.pathDone) {
        this.finishPath();
        const next = this.pending.pop();
        if (next === undefined) return;
        this.state = next.state;
        this.insnIdx = next.insn;
        this.parent = next.parent;
        this.history = next.history;
        this.pathDone = false;
        // Level 1 keeps only the path being walked: drop what the finished path printed.
        if (this.log.level === 1) {
          this.log.reset(next.logPos);
          this.log.print(` ${next.insn}: ${formatFrame(this.frame)}\n`);
        } else if (this.log.level > 1) {
          this.log.print(`\nfrom ${next.from} to ${next.insn}: ${formatFrame(this.frame)}\n`);
        }
      }
      this.step();
    }
  }

  /** A path ended safely: every checkpoint above it has one fewer open branch. */
  private finishPath(): void {
    for (let cp = this.parent; cp !== undefined; cp = cp.parent) {
      cp.branches--;
      if (cp.branches > 0) break;
    }
  }

  private decode(index: number): DecodedInsn {
    let insn = this.decoded[index];
    if (insn === undefined) {
      try {
        checkFieldStage(this.insns, index);
        insn = decodeInsn(this.insns, index);
      } catch (error) {
        if (error instanceof InsnError) throw new VerifierError(error.reason, index, 'EINVAL');
        throw error;
      }
      this.decoded[index] = insn;
    }
    return insn;
  }

  private step(): void {
    const index = this.insnIdx;
    if (++this.stats.processedInsns > BPF_COMPLEXITY_LIMIT_INSNS) {
      this.fail(`BPF program is too large. Processed ${this.stats.processedInsns} insn`, 'E2BIG');
    }
    const pruned = this.cfg.prunePoints[index] === 1 && this.visitCheckpoint(index);
    if (pruned) {
      this.pathDone = true;
      return;
    }
    const insn = this.decode(index);
    const depth = this.state.frames.length;
    this.stackTouched = undefined;
    this.scratchedRegs.clear();
    this.scratchedSlots.clear();
    this.nextInsn = index + (insn.kind === 'ld_imm64' ? 2 : 1);
    const logging = this.log.level > 0;
    const text = logging ? `${index}: ${kernelInsnText(this.insns, index)}` : '';
    // The instruction is in the log before its checks run: errors and branch positions follow it.
    if (logging) this.log.print(text);
    this.blockPrinted = false;
    try {
      this.execute(insn);
    } catch (error) {
      if (error instanceof VerifierError && logging && !this.blockPrinted) this.log.print('\n');
      throw error;
    }
    if (logging && !this.blockPrinted) this.printInsnState(text, insn);
    const touched = this.stackTouched as HistoryEntry | undefined;
    this.history.push(touched ? { ...touched, insn: index, depth } : { insn: index, depth });
    if (!this.pathDone) this.insnIdx = this.nextInsn;
  }

  /** After an instruction: the registers and slots it touched (`; R1=ctx() R9=ctx()`). */
  private printInsnState(text: string, insn: DecodedInsn): void {
    if (insn.kind === 'call' || insn.kind === 'exit' || insn.kind === 'jump') {
      this.log.print('\n');
      return;
    }
    const scratched = formatFrame(this.frame, { regs: this.scratchedRegs, slots: this.scratchedSlots });
    if (scratched.replace(/^frame\d+: /, '') === '') {
      this.log.print('\n');
      return;
    }
    this.log.print(`${padInsnForState(text).slice(text.length)}; ${scratched}\n`);
  }

  /** A call or exit prints its own block (caller/callee frames) after the instruction. */
  private blockPrinted = false;

  printBlock(block: string): void {
    if (this.log.level > 0) this.log.print(`\n${block}`);
    this.blockPrinted = true;
  }

  private execute(insn: DecodedInsn): void {
    switch (insn.kind) {
      case 'alu':
      case 'endian':
        checkAlu(this, insn);
        return;
      case 'jump':
        this.jumpsProcessed++;
        if (insn.op === 'ja') {
          this.nextInsn = this.insnIdx + insn.offset + 1;
          return;
        }
        checkCondJump(this, insn);
        return;
      case 'call':
        this.jumpsProcessed++;
        checkCall(this, insn);
        return;
      case 'exit':
        this.jumpsProcessed++;
        checkExit(this);
        return;
      case 'ld_imm64':
        checkLdImm64(this, insn);
        return;
      case 'load':
        checkLoad(this, insn);
        return;
      case 'store':
        checkStore(this, insn);
        return;
      case 'atomic':
        checkAtomic(this, insn);
        return;
      case 'ld_legacy':
        checkLegacyLoad(this, insn);
        return;
      default: {
        const unreachable: never = insn;
        throw new Error(`unhandled instruction ${String(unreachable)}`);
      }
    }
  }

  /**
   * Kernel is_state_visited: a path equal to (within) a checkpoint already proven safe is pruned; a path equal to
   * a checkpoint still being explored above it is an infinite loop; otherwise the state may become a checkpoint.
   */
  private visitCheckpoint(index: number): boolean {
    const list = this.checkpoints.get(index) ?? [];
    // Kernel: inside a loop (a checkpoint here still being explored) new checkpoints are rare, as iterations differ
    let loopThrottled = false;
    for (let i = 0; i < list.length; i++) {
      const cp = list[i];
      if (cp.branches > 0) {
        loopThrottled = true;
        // A helper calling a callback again with nothing new learnt has converged (kernel calls_callback).
        if (this.cfg.callbackCalls[index] && statesEqual(this, cp.state, this.state, index, false)) {
          cp.hits++;
          propagatePrecision(cp.state, this.state, this.history, this.parent, this.decoded);
          return true;
        }
        if (
          statesMaybeLooping(cp.state, this.state) &&
          statesEqual(this, cp.state, this.state, index, true) &&
          this.isAncestor(cp)
        ) {
          this.fail(`infinite loop detected at insn ${index}`, 'EINVAL');
        }
      } else if (statesEqual(this, cp.state, this.state, index, false)) {
        cp.hits++;
        // what the checkpoint's continuation needed exact, this path needs exact too
        propagatePrecision(cp.state, this.state, this.history, this.parent, this.decoded);
        if (this.log.level > 1) this.log.print(`${index}: safe\n`);
        return true;
      }
      // Kernel: a checkpoint that keeps failing to prune is dropped (miss_cnt > hit_cnt * 3 + 3), finished or not.
      cp.misses++;
      if (cp.misses > cp.hits * 3 + 3) {
        list.splice(i--, 1);
        this.liveCheckpoints--;
      }
    }
    const force = this.options.testStateFreq || this.cfg.callbackCalls[index] === 1;
    const jumps = this.jumpsProcessed - this.lastCheckpointJumps;
    const insns = this.stats.processedInsns - this.lastCheckpointInsns;
    const due = jumps >= 2 && insns >= 8 && (!loopThrottled || jumps >= 20 || insns >= 100);
    if (!force && !due) return false;
    const checkpoint: Checkpoint = {
      state: cloneState(this.state),
      insn: index,
      branches: 1,
      parent: this.parent,
      segment: this.history,
      hits: 0,
      misses: 0,
    };
    this.history = [];
    list.push(checkpoint);
    this.checkpoints.set(index, list);
    // The current path now runs below the new checkpoint, which keeps the old parent's count unchanged.
    this.parent = checkpoint;
    this.lastCheckpointJumps = this.jumpsProcessed;
    this.lastCheckpointInsns = this.stats.processedInsns;
    this.stats.totalStates++;
    this.liveCheckpoints++;
    if (this.liveCheckpoints > this.stats.peakStates) this.stats.peakStates = this.liveCheckpoints;
    if (list.length > this.stats.maxStatesPerInsn) this.stats.maxStatesPerInsn = list.length;
    return false;
  }

  private isAncestor(cp: Checkpoint): boolean {
    for (let p = this.parent; p !== undefined; p = p.parent) if (p === cp) return true;
    return false;
  }

  /** bpf_loop calls seen: whether each may be inlined (same callback, flags 0 on every path). */
  readonly loopInlining = new Map<number, { fits: boolean; callback: number }>();

  /** Set while an atomic is checked: its accesses must be aligned whatever the program's flags. */
  strictOnce = false;

  /** Instructions run since the last checkpoint on this path. */
  private history: HistoryEntry[] = [];
  /** The stack slot the current instruction loaded or stored at a constant offset (for backtracking). */
  stackTouched: Omit<HistoryEntry, 'insn' | 'depth'> | undefined;

  /** Kernel mark_chain_precision: the exact value of scalar `regno` (current frame) matters for safety. */
  markPrecise(regno: number): void {
    markPrecise({ regno }, this.state, this.history, this.parent, this.decoded);
  }

  /** The same for a spilled value: stack slot `slot` of frame `frame`. */
  markSlotPrecise(frame: number, slot: number): void {
    markPrecise({ frame, slot }, this.state, this.history, this.parent, this.decoded);
  }

  /** Registers live before `insn` as a bit mask (r0 = bit 0); all of them until liveness is known. */
  liveBefore(insn: number): number {
    return this.options.liveRegs ? this.options.liveRegs[insn] : 0x7ff;
  }

  /** Frame a stack pointer points into. */
  frameOf(reg: Reg): Frame {
    return this.state.frames[reg.frameno];
  }

  /** Every register and spilled register of every frame (for id-based propagation). */
  *allRegs(state: VerifierState = this.state): Generator<{ get: () => Reg; set: (reg: Reg) => void }> {
    for (const frame of state.frames) {
      for (let i = 0; i < MAX_BPF_REG; i++) {
        yield { get: () => frame.regs[i], set: (reg) => (frame.regs[i] = reg) };
      }
      for (const slot of frame.slots) {
        if (slot.bytes[0] === 'spill' || slot.bytes.includes('spill')) {
          yield { get: () => slot.spilled, set: (reg) => (slot.spilled = reg) };
        }
      }
    }
  }
}

/**
 * Kernel states_maybe_looping: the innermost frames' registers are identical, field for field (precision
 * aside), before the costlier comparison that decides an infinite loop.
 */
function statesMaybeLooping(old: VerifierState, cur: VerifierState): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  const a = old.frames[old.frames.length - 1].regs;
  const b = cur.frames[cur.frames.length - 1].regs;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.type !== y.type ||
      x.maybeNull !== y.maybeNull ||
      x.readOnly !== y.readOnly ||
      x.off !== y.off ||
      x.id !== y.id ||
      x.refObjId !== y.refObjId ||
      x.range !== y.range ||
      x.map !== y.map ||
      x.subprog !== y.subprog ||
      x.memSize !== y.memSize ||
      !scalarEquals(x.value, y.value)
    ) {
      return false;
    }
  }
  return true;
}
