// The path walk (the kernel's do_check): every path from the entry, one instruction at a time, with branch
// states kept on a stack, pruning against states already proven safe, and the log the kernel prints.
import { BPF_COMPLEXITY_LIMIT_INSNS, BPF_COMPLEXITY_LIMIT_JMP_SEQ } from '../abi/limits.js';
import type { KernelTypes } from '../abi/kernel-structs.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import { checkFieldStage, type DecodedInsn, decodeInsn } from '../isa/decoded.js';
import type { Insn } from '../isa/insn.js';
import { InsnError } from '../isa/insn-error.js';
import { isMayGoto } from '../isa/opcodes.js';
import { checkAlu } from './alu.js';
import { checkCondJump, checkMayGoto } from './branches.js';
import { checkCall, checkExit } from './calls.js';
import type { ControlFlow } from './cfg.js';
import { formatFrame } from './format-state.js';
import { kernelInsnText, padInsnForState } from './kernel-insn-text.js';
import {
  checkAtomic,
  checkLdImm64,
  checkLegacyLoad,
  checkLoad,
  checkLoadAcquire,
  checkStore,
  checkStoreRelease,
} from './memory.js';
import {
  type HistoryEntry,
  type LinkedScalar,
  markPrecise,
  type PrecisionNode,
  type PrecisionTarget,
  type PrecisionTrace,
} from './precision.js';
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
import type { LineInfoRecord } from './index.js';
import type { VerifierLog } from './log.js';
import type { StackLiveness } from './stack-liveness.js';
import { VerifierError } from './verifier-error.js';

export interface WalkOptions {
  readonly programType: ProgramTypeName;
  readonly expectedAttachType?: string;
  /** CAP_BPF: bounded loops, more helpers; CAP_PERFMON: pointer leaks, uninitialised stack reads. */
  readonly bpfCapable: boolean;
  /** CAP_PERFMON: the helpers bpf_base_func_proto offers only to it (bpf_trace_printk, bpf_probe_read_*, ...). */
  readonly perfmonCapable: boolean;
  readonly allowPtrLeaks: boolean;
  readonly allowUninitStack: boolean;
  /** CAP_PERFMON: no Spectre v1 rules for pointer arithmetic, no speculative paths explored. */
  readonly bypassSpecV1: boolean;
  /** CAP_PERFMON: no barrier after stack stores against speculative store bypass. */
  readonly bypassSpecV4: boolean;
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
  /**
   * Static functions' BTF prototypes the kernel checks calls against (btf_check_subprog_call); a function drops
   * out (kernel: unreliable) at its first call that does not match.
   */
  readonly staticPrototypes?: Map<number, readonly ('scalar' | 'ctx')[]>;
  /** Whether the program came with BTF func_info (callbacks need it). */
  readonly hasFuncInfo: boolean;
  /** Loop (strongly connected component) number of each instruction, 0 outside loops. */
  readonly scc?: Int32Array;
  /** Stack slot liveness per call chain, shared by every walk of a program. */
  readonly stackLiveness?: StackLiveness;
  /** line_info records and, per instruction, the one covering it (for the log's source lines). */
  readonly lineInfo?: readonly LineInfoRecord[];
  readonly lineInfoAt?: Int32Array;
  /** nr_cpu_ids, which bounds bpf_get_smp_processor_id's result; unknown when absent. */
  readonly possibleCpus?: number;
  /** The kernel's types behind BTF pointers: tsbpf's table when absent, or a kernel BTF the user gave. */
  readonly kernelTypes?: KernelTypes;
  /** Functions that may change packet data (kernel changes_pkt_data): calls to such global ones drop packet pointers. */
  readonly packetChangingFunctions?: ReadonlySet<number>;
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
  /** Its dead stack slots were forgotten (kernel: cleaned), once no path below it is still open. */
  cleaned: boolean;
  /** Dropped from its instruction's list while a path below it was open (kernel in_free_list): still counted. */
  evicted?: boolean;
}

/** A path pruned inside a loop against a state still open there, kept to propagate precision later. */
interface Backedge {
  readonly state: VerifierState;
  readonly insn: number;
  readonly history: readonly HistoryEntry[];
  readonly parent: Checkpoint | undefined;
  readonly equal: VerifierState;
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
  /**
   * States the kernel counts for peak_states: checkpoints in the lists, dropped ones still referenced (free
   * list) and loop backedges kept. Shared by every walk of a program: the kernel never lowers it between them.
   */
  liveStates: number;
  /** Bytes of stack each function used (kernel: subprog_info[].stack_depth). */
  readonly stackDepth: number[];
  /** The last id given to a register: one sequence for every walk of a program (kernel env->id_gen). */
  lastId: number;
  /** End of the furthest context access let through (kernel: prog->aux->max_ctx_offset, test-run checks it). */
  maxCtxOffset: number;
  /** Context loads whose offset the kernel's rewrite moves (see contextLoadOffset): instruction → offset read. */
  readonly contextLoadOffsets: Map<number, number>;
  /** Loads the kernel makes probe loads (BPF_PROBE_MEM: through kernel-struct pointers), which read 0 on a fault. */
  readonly probeLoads: Set<number>;
  /**
   * Loads of the context's sk_buff members a `__sk_buff` field mirrors: instruction → how far the load moves to
   * read that field (NaN when paths disagree, so the engines leave it).
   */
  readonly kernelContextLoads: Map<number, number>;
  /**
   * Loads the access checks let through but the kernel's ctx rewrite has no case for (kernel convert_ctx_accesses
   * then fails the load as a verifier bug): set by the first one.
   */
  unconvertedContextLoad?: boolean;
  /**
   * Kernel jmps_processed and the counts when the last checkpoint was added (prev_*_processed): one count for
   * every walk of a program, so a global function's walk starts where the last walk left them.
   */
  jumpsProcessed: number;
  lastCheckpointJumps: number;
  lastCheckpointInsns: number;
}

function sameCallsites(a: VerifierState, b: VerifierState): boolean {
  if (a.frames.length !== b.frames.length) return false;
  for (let i = 0; i < a.frames.length; i++) if (a.frames[i].callsite !== b.frames[i].callsite) return false;
  return true;
}

export class Walk {
  readonly decoded: (DecodedInsn | undefined)[];
  state: VerifierState;
  insnIdx = 0;
  /** Set by instruction handlers: where the walk goes next (default: the next instruction). */
  nextInsn = -1;
  /** True when the current path ended (exit from the entry function, or pruned). */
  pathDone = false;
  private readonly pending: PendingPath[] = [];
  private readonly checkpoints = new Map<number, Checkpoint[]>();
  private parent: Checkpoint | undefined;
  /** Checkpoints held per kernel hash bucket (see stateBucket): what max_states_per_insn counts. */
  private readonly bucketSizes = new Map<number, number>();
  readonly stats: WalkStats;
  /** Registers and stack slots an instruction touched: what the log prints after it. */
  /** Kernel insn_aux_data nospec: a barrier goes before these instructions; speculative paths stop there. */
  readonly nospec = new Set<number>();
  /** Kernel insn_aux_data nospec_result: a barrier goes after these stack writes; speculative paths stop there. */
  readonly nospecResult = new Set<number>();
  /** Kernel explore_alu_limits: a pointer was moved by an unknown scalar under sanitising; prune strictly. */
  exploreAluLimits = false;
  /** Kernel insn_aux_data alu_state/alu_limit: the masking each sanitised pointer ALU instruction needs. */
  readonly aluSanitation = new Map<number, { state: number; limit: number }>();
  scratchedRegs = new Set<number>();
  scratchedSlots = new Set<number>();

  /** Global functions a verified path called: each must be verified on its own afterwards. */
  readonly calledGlobals = new Set<number>();
  /** Functions a helper calls asynchronously (timer callbacks): the stack check starts a chain at each. */
  readonly asyncCallbacks = new Set<number>();

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
    this.state = { frames: [main], refs: [], mayGotoDepth: 0, callbackUnrollDepth: 0, speculative: false };
    this.insnIdx = cfg.functionStarts[entry];
    options.stackLiveness?.forgetCurrent();
  }

  newId(): number {
    return ++this.stats.lastId;
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

  /**
   * Another path to explore later (kernel push_stack): a copy of `state` starting at `insn`; `speculative` marks
   * a path only a mispredicting CPU takes (and every path it branches into).
   */
  pushBranch(state: VerifierState, insn: number, speculative = false): void {
    if (speculative) state.speculative = true;
    if (this.pending.length >= BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
      // Kernel push_stack: the new branch is counted before the check, and the message names that count.
      this.fail(`The sequence of ${this.pending.length + 1} jumps is too complex.`, 'E2BIG');
    }
    if (this.parent) this.parent.branches++;
    const jump: HistoryEntry = {
      insn: this.insnIdx,
      depth: this.state.frames.length,
      ...(this.linkedScalars ? { linked: this.linkedScalars } : {}),
    };
    const history = [...this.history, jump];
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
    this.markAllScratched();
    for (;;) {
      if (this.pathDone) {
        this.finishPath();
        // Kernel: what the finished path read and wrote reaches its fixed point before the next path starts.
        this.options.stackLiveness?.update(this.state);
        const next = this.pending.pop();
        if (next === undefined) return;
        this.state = next.state;
        this.insnIdx = next.insn;
        this.parent = next.parent;
        this.options.stackLiveness?.forgetCurrent();
        this.history = next.history;
        this.pathDone = false;
        // Level 1 keeps only the path being walked: drop what the finished path printed (kernel pop_stack).
        if (this.log.level === 1) this.log.reset(next.logPos);
        this.markAllScratched();
        this.printFrom(next.from);
      }
      this.step();
    }
  }

  /** Kernel do_print_state: the next instruction is reached from `from` by a jump back in the log's order. */
  printFrom(from: number): void {
    this.fromInsn = from;
  }

  /** A path ended safely: every checkpoint above it has one fewer open branch. */
  private finishPath(): void {
    for (let cp = this.parent; cp !== undefined; cp = cp.parent) {
      cp.branches--;
      if (cp.branches > 0) break;
      this.maybeExitScc(cp);
      this.maybeFreeCheckpoint(cp);
    }
  }

  /** Kernel update_peak_states: the most states held at once, counted whenever a state or backedge is kept. */
  private notePeakStates(): void {
    if (this.stats.liveStates > this.stats.peakStates) this.stats.peakStates = this.stats.liveStates;
  }

  /**
   * Kernel maybe_free_verifier_state: a dropped checkpoint stays counted until no path below it is open and its
   * loop has no backedges left to propagate.
   */
  private maybeFreeCheckpoint(cp: Checkpoint): void {
    if (cp.evicted !== true || cp.branches !== 0 || this.loopBackedgeCount(cp) > 0) return;
    cp.evicted = false;
    this.stats.liveStates--;
  }

  /** Backedges the loop visit of `cp` holds (kernel incomplete_read_marks, whatever kind of loop). */
  private loopBackedgeCount(cp: Checkpoint): number {
    const key = this.sccCallchain(cp.state, cp.insn);
    return (key === undefined ? undefined : this.sccVisits.get(key))?.backedges.length ?? 0;
  }

  /** Loop visits by call chain (kernel bpf_scc_visit): the checkpoint that entered it and its backedges. */
  private readonly sccVisits = new Map<string, { entry: Checkpoint | undefined; backedges: Backedge[] }>();

  /**
   * Kernel compute_scc_callchain: the call sites down to the first frame whose instruction is in a loop, and
   * that loop's number, as the log prints it (`(16,2)`); undefined when no frame is in a loop.
   */
  private sccCallchain(state: VerifierState, insn: number): string | undefined {
    const callsites: number[] = [];
    for (let i = 0; i < state.frames.length; i++) {
      const at = i === state.frames.length - 1 ? insn : state.frames[i + 1].callsite;
      const id = this.options.scc?.[at] ?? 0;
      if (id !== 0) {
        const shown = callsites.indexOf(0) >= 0 ? callsites.slice(0, callsites.indexOf(0)) : callsites;
        return `(${[...shown, id].join(',')})`;
      }
      if (i === state.frames.length - 1) return undefined;
      callsites.push(at);
    }
    return undefined;
  }

  /** Kernel maybe_enter_scc: a new checkpoint inside a loop no path is exploring yet enters it. */
  private maybeEnterScc(cp: Checkpoint): void {
    const key = this.sccCallchain(cp.state, cp.insn);
    if (key === undefined) return;
    let visit = this.sccVisits.get(key);
    if (visit === undefined) {
      visit = { entry: undefined, backedges: [] };
      this.sccVisits.set(key, visit);
    }
    if (visit.entry !== undefined) return;
    visit.entry = cp;
    if (this.log.level > 1) this.log.print(`SCC enter ${key}\n`);
  }

  /**
   * Kernel maybe_exit_scc: when every path below the checkpoint that entered a loop has ended, the loop is left
   * and what its backedges learnt is propagated until nothing changes.
   */
  private maybeExitScc(cp: Checkpoint): void {
    const key = this.sccCallchain(cp.state, cp.insn);
    if (key === undefined) return;
    const visit = this.sccVisits.get(key);
    if (visit === undefined || visit.entry !== cp) return;
    if (this.log.level > 1) this.log.print(`SCC exit ${key}\n`);
    visit.entry = undefined;
    const backedges = visit.backedges.reverse();
    visit.backedges = [];
    this.stats.liveStates -= backedges.length;
    for (let round = 0; backedges.length > 0; round++) {
      let changed = false;
      for (const edge of backedges) {
        changed = this.propagatePrecision(edge.equal, edge.insn, false, edge) || changed;
      }
      if (!changed || round >= 64) break;
    }
  }

  /**
   * Kernel incomplete_read_marks: the loop visit `cp` belongs to has backedges whose marks are not propagated
   * yet, so what `cp` read and needed precise is not final.
   */
  private loopHasBackedges(cp: Checkpoint): boolean {
    return this.loopBackedgeCount(cp) > 0;
  }

  /** Kernel add_scc_backedge: a path pruned inside a loop (may_goto, callback) against a state of the same loop. */
  private addBackedge(cp: Checkpoint, insn: number): void {
    const key = this.sccCallchain(cp.state, cp.insn);
    const visit = key === undefined ? undefined : this.sccVisits.get(key);
    if (visit === undefined) return;
    if (this.log.level > 1) this.log.print(`SCC backedge ${key}\n`);
    visit.backedges.push({
      state: cloneState(this.state),
      insn,
      history: this.history.slice(),
      parent: this.parent,
      equal: cp.state,
    });
    this.stats.liveStates++;
    this.notePeakStates();
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
    const logging = this.log.level > 0;
    const from = this.fromInsn;
    this.fromInsn = -1;
    if (pruned) {
      if (logging)
        this.log.print(
          from >= 0 ? `\nfrom ${from} to ${index}${this.speculativeNote()}: safe\n` : `${index}: safe\n`,
        );
      this.pathDone = true;
      return;
    }
    const depth = this.state.frames.length;
    this.stackTouched = undefined;
    this.linkedScalars = undefined;
    if (logging) {
      if (from >= 0 && this.log.level > 1)
        this.log.print(
          `\nfrom ${from} to ${index}${this.speculativeNote()}: ${formatFrame(this.frame, this.state.refs)}\n`,
        );
      if (this.scratchedRegs.size > 0 || this.scratchedSlots.size > 0) this.printInsnState();
      this.printLineInfo(index);
      // The instruction is in the log before its checks run: errors and branch positions follow it.
      this.insnText = `${index}: ${kernelInsnText(this.insns, index)}`;
      this.log.print(`${this.insnText}\n`);
      this.afterInsnLine = this.log.position;
    }
    // Kernel do_check: the instruction is printed before its fields are checked (`invalid may_goto imm 1`).
    const insn = this.decode(index);
    this.nextInsn = index + (insn.kind === 'ld_imm64' ? 2 : 1);
    // Kernel do_check: a speculative path ends at a barrier put there before.
    if (this.state.speculative && this.nospec.has(index)) {
      this.pathDone = true;
      return;
    }
    this.options.stackLiveness?.beginInsn(this.state, index);
    try {
      this.execute(insn);
    } catch (error) {
      if (!this.recoverWithNospec(error, index)) throw error;
      return;
    }
    this.options.stackLiveness?.commit();
    const touched = this.stackTouched as HistoryEntry | undefined;
    const linked = this.linkedScalars as readonly LinkedScalar[] | undefined;
    this.history.push(
      touched
        ? { ...touched, insn: index, depth }
        : linked
          ? { insn: index, depth, linked }
          : this.plainEntry(index, depth),
    );
    if (this.state.speculative && this.nospecResult.has(index)) this.pathDone = true;
    if (!this.pathDone) this.insnIdx = this.nextInsn;
  }

  /**
   * Kernel do_check (6.17+): an instruction a speculative path may not execute gets a barrier (nospec) instead
   * of failing the program, and the path ends there; other errors, and any on a real path, stand.
   */
  private recoverWithNospec(error: unknown, index: number): boolean {
    if (!(error instanceof VerifierError) || !this.state.speculative) return false;
    if (error.errno !== 'EPERM' && error.errno !== 'EACCES' && error.errno !== 'EINVAL') return false;
    if (this.log.level > 0) this.log.print(`${error.message}\n${error.details}`);
    this.nospec.add(index);
    // The barrier makes the masking of a sanitised pointer ALU instruction unnecessary (kernel alu_state = 0).
    const sanitation = this.aluSanitation.get(index);
    if (sanitation !== undefined) this.aluSanitation.set(index, { state: 0, limit: sanitation.limit });
    this.pathDone = true;
    return true;
  }

  private speculativeNote(): string {
    return this.state.speculative ? ' (speculative execution)' : '';
  }

  /** Log position just after the last instruction line (kernel prev_log_pos) and that line's text. */
  private afterInsnLine = 0;
  private insnText = '';
  /** The instruction a popped branch or a return came from: the next step prints `from X to Y:`. */
  private fromInsn = -1;
  /** The last line_info record printed (kernel prev_linfo). */
  private lastLineInfo: LineInfoRecord | undefined;

  /** Every register and slot of the current frame is printed at the next opportunity (a new path, a call). */
  markAllScratched(): void {
    for (let r = 0; r < MAX_BPF_REG; r++) this.scratchedRegs.add(r);
    for (let s = 0; s < this.frame.slots.length; s++) this.scratchedSlots.add(s);
  }

  clearScratched(): void {
    this.scratchedRegs.clear();
    this.scratchedSlots.clear();
  }

  /**
   * Kernel print_insn_state: the registers and slots touched since the last print, appended to the instruction
   * line (`; R1=ctx()`) when nothing was printed after it, else on a line of their own labelled `insn`.
   */
  printInsnState(insn = this.insnIdx): void {
    if (this.log.level === 0) return;
    const text = formatFrame(this.frame, this.state.refs, {
      regs: this.scratchedRegs,
      slots: this.scratchedSlots,
    });
    this.clearScratched();
    if (this.afterInsnLine > 0 && this.afterInsnLine === this.log.position) {
      this.log.reset(this.afterInsnLine - 1);
      this.log.print(
        `${padInsnForState(this.insnText).slice(this.insnText.length)};${text ? ` ${text}` : ''}\n`,
      );
    } else {
      this.log.print(`${insn}:${text ? ` ${text}` : ''}\n`);
    }
  }

  /**
   * Kernel verbose_linfo: the source line of an instruction (file by its base name), unless it is the line
   * printed last (records that repeat a line, with another column, print once).
   */
  private printLineInfo(index: number): void {
    const info = this.options.lineInfo?.[this.options.lineInfoAt?.[index] ?? -1];
    if (info === undefined) return;
    const last = this.lastLineInfo;
    if (last && last.line === info.line && last.lineText === info.lineText && last.fileName === info.fileName)
      return;
    const file = info.fileName.slice(info.fileName.lastIndexOf('/') + 1);
    this.log.print(`; ${info.lineText.trimStart()} @ ${file}:${info.line}\n`);
    this.lastLineInfo = info;
  }

  /** A call or exit prints its own block (caller/callee frames) after the instruction. */
  printBlock(block: string): void {
    if (this.log.level > 0) this.log.print(block);
  }

  private execute(insn: DecodedInsn): void {
    switch (insn.kind) {
      case 'alu':
      case 'endian':
        checkAlu(this, insn);
        return;
      case 'jump':
        this.stats.jumpsProcessed++;
        if (insn.op === 'ja') {
          this.nextInsn = this.insnIdx + insn.offset + 1;
          return;
        }
        checkCondJump(this, insn);
        return;
      case 'may_goto':
        this.stats.jumpsProcessed++;
        checkMayGoto(this, insn);
        return;
      case 'call':
        this.stats.jumpsProcessed++;
        checkCall(this, insn);
        return;
      case 'exit':
        this.stats.jumpsProcessed++;
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
      case 'load_acquire':
        checkLoadAcquire(this, insn);
        return;
      case 'store_release':
        checkStoreRelease(this, insn);
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
    const mayGoto = isMayGoto(this.insns[index]);
    // Kernel: whether this state will become a checkpoint if nothing prunes it is decided first; a may_goto
    // and a helper calling back are always checkpoints (force_checkpoint).
    const force =
      this.options.testStateFreq ||
      this.cfg.callbackCalls[index] === 1 ||
      mayGoto ||
      this.historyLength() > 40;
    let addNew =
      force ||
      (this.stats.jumpsProcessed - this.stats.lastCheckpointJumps >= 2 &&
        this.stats.processedInsns - this.stats.lastCheckpointInsns >= 8);
    const liveness = this.options.stackLiveness;
    if (liveness) {
      // Kernel clean_live_states: not while its loop's marks are incomplete (they may still make slots live).
      for (const cp of list)
        if (
          cp.branches === 0 &&
          !cp.cleaned &&
          sameCallsites(cp.state, this.state) &&
          !this.loopHasBackedges(cp)
        ) {
          cp.cleaned = true;
          cp.state.frames.forEach((frame, frameno) => {
            for (let spi = 0; spi < frame.slots.length; spi++) {
              if (!liveness.alive(cp.state, index, frameno, spi)) frame.slots[spi] = emptySlot();
            }
          });
        }
    }
    const bucket = this.stateBucket(this.state, index);
    const statesLookedAt = this.bucketSizes.get(bucket) ?? 0;
    // Kernel: the newest checkpoint is compared first; the order decides which one a path is pruned against and
    // which ones count a miss before a looping one turns adding a new checkpoint off.
    for (let i = list.length - 1; i >= 0; i--) {
      const cp = list[i];
      // Kernel: a state of another bucket (another innermost call site) is never looked at from here.
      if (this.stateBucket(cp.state, index) !== bucket) continue;
      if (cp.branches > 0) {
        // A helper calling a callback again with nothing new learnt has converged (kernel calls_callback).
        if (this.cfg.callbackCalls[index] && statesEqual(this, cp.state, this.state, index, 'range_within')) {
          cp.hits++;
          this.propagatePrecision(cp.state, index, false);
          // Kernel: what the callback's later iterations learn must reach this path too, at the loop's exit.
          this.addBackedge(cp, index);
          return true;
        }
        // A may_goto reached again one fall-through deeper with nothing new learnt: the loop converged
        // (the kernel's budget ends it at run time), so the path is pruned as a backedge of the loop.
        if (
          mayGoto &&
          cp.state.mayGotoDepth !== this.state.mayGotoDepth &&
          statesEqual(this, cp.state, this.state, index, 'range_within')
        ) {
          cp.hits++;
          this.propagatePrecision(cp.state, index, false);
          this.addBackedge(cp, index);
          return true;
        }
        if (
          cp.state.mayGotoDepth === this.state.mayGotoDepth &&
          statesMaybeLooping(cp.state, this.state) &&
          cp.state.callbackUnrollDepth === this.state.callbackUnrollDepth &&
          statesEqual(this, cp.state, this.state, index, 'exact') &&
          this.isAncestor(cp)
        ) {
          // Kernel: both states of the loop follow the message, the innermost frame of each.
          const depth = this.state.frames.length - 1;
          throw new VerifierError(
            `infinite loop detected at insn ${index}`,
            index,
            'EINVAL',
            `cur state: ${formatFrame(this.frame, this.state.refs)}\nold state: ${formatFrame(cp.state.frames[depth], cp.state.refs)}\n`,
          );
        }
        // Kernel: inside a loop, iterations differ; a new checkpoint only every 20 jumps and 100 instructions.
        if (
          !force &&
          this.stats.jumpsProcessed - this.stats.lastCheckpointJumps < 20 &&
          this.stats.processedInsns - this.stats.lastCheckpointInsns < 100
        ) {
          addNew = false;
        }
      } else {
        // Kernel incomplete_read_marks: inside a loop that already has backedges, what the finished state read
        // is not final yet: it covers only states within its ranges, as a backedge.
        const loop = this.loopHasBackedges(cp);
        if (statesEqual(this, cp.state, this.state, index, loop ? 'range_within' : 'not_exact')) {
          cp.hits++;
          this.propagatePrecision(cp.state, index, true);
          if (loop) this.addBackedge(cp, index);
          return true;
        }
      }
      // Kernel: a checkpoint that keeps failing to prune is dropped (miss_cnt > hit_cnt * n + n), finished or not;
      // misses count only when a new checkpoint is about to be added, so loops keep early iterations' states.
      // n is 64 for an open forced checkpoint (may_goto, helpers calling back): their loops need earlier iterations.
      if (addNew) cp.misses++;
      const n = (mayGoto || this.cfg.callbackCalls[index] === 1) && cp.branches > 0 ? 64 : 3;
      if (cp.misses > cp.hits * n + n) {
        list.splice(i, 1);
        this.bucketSizes.set(bucket, (this.bucketSizes.get(bucket) ?? 0) - 1);
        cp.evicted = true;
        this.maybeFreeCheckpoint(cp);
      }
    }
    // Kernel: max_states_per_insn counts the states looked at when none pruned, before one is added.
    if (statesLookedAt > this.stats.maxStatesPerInsn) this.stats.maxStatesPerInsn = statesLookedAt;
    if (!addNew) return false;
    const checkpoint: Checkpoint = {
      state: cloneState(this.state),
      insn: index,
      branches: 1,
      parent: this.parent,
      segment: this.history,
      hits: 0,
      misses: 0,
      cleaned: false,
    };
    this.history = [];
    list.push(checkpoint);
    this.checkpoints.set(index, list);
    this.bucketSizes.set(bucket, (this.bucketSizes.get(bucket) ?? 0) + 1);
    this.maybeEnterScc(checkpoint);
    // The current path now runs below the new checkpoint, which keeps the old parent's count unchanged.
    this.parent = checkpoint;
    this.stats.lastCheckpointJumps = this.stats.jumpsProcessed;
    this.stats.lastCheckpointInsns = this.stats.processedInsns;
    this.stats.totalStates++;
    this.stats.liveStates++;
    this.notePeakStates();
    return false;
  }

  /**
   * Kernel explored_state: states are kept in buckets hashed from the instruction and the innermost frame's call
   * site (-1 for the main frame) as u32, modulo the program's length; the search counts every state of the
   * bucket, other instructions' included, so max_states_per_insn counts them too.
   */
  private stateBucket(state: VerifierState, insn: number): number {
    const callsite = state.frames[state.frames.length - 1].callsite;
    return ((insn ^ callsite) >>> 0) % this.insns.length;
  }

  /**
   * Entries the kernel's per-path instruction history holds since the last checkpoint: jump points and spills
   * or fills of the stack. Past 40 a checkpoint is forced, so that the history stays short.
   */
  private historyLength(): number {
    let n = 0;
    for (const entry of this.history) {
      if (this.cfg.jumpPoints[entry.insn] === 1 || entry.spill || entry.fill) n++;
    }
    return n;
  }

  /**
   * Kernel widen_imprecise_scalars after a callback returns to its helper call `insn` (or on the fall-through of
   * a may_goto, `state`): against the latest state still open at that instruction on this path, every imprecise
   * scalar (register or spill) that changed is forgotten. A may_goto compares with an earlier iteration's state,
   * not with the checkpoint its own visit just made (kernel find_prev_entry from the parent).
   */
  widenImpreciseScalars(insn: number, state: VerifierState = this.state, earlierOnly = false): void {
    const list = this.checkpoints.get(insn) ?? [];
    let old: Checkpoint | undefined;
    for (let i = list.length - 1; i >= 0 && old === undefined; i--) {
      const cp = list[i];
      if (earlierOnly && cp === this.parent) continue;
      if (cp.branches > 0 && sameCallsites(cp.state, state) && this.isAncestor(cp)) old = cp;
    }
    if (old === undefined) return;
    const widen = (o: Reg, c: Reg): Reg | undefined => {
      if (o.type !== 'scalar' || c.type !== 'scalar' || o.precise || c.precise) return undefined;
      // Kernel scalars_exact_for_widen compares the registers up to their id: ids alone do not widen.
      if (o.off === c.off && scalarEquals(o.value, c.value)) return undefined;
      return scalarReg();
    };
    old.state.frames.forEach((oldFrame, f) => {
      const frame = state.frames[f];
      oldFrame.regs.forEach((o, r) => {
        const widened = widen(o, frame.regs[r]);
        if (widened) frame.regs[r] = widened;
      });
      oldFrame.slots.forEach((o, spi) => {
        const c = frame.slots[spi];
        if (c === undefined || !o.bytes.includes('spill') || !c.bytes.includes('spill')) return;
        const widened = widen(o.spilled, c.spilled);
        if (widened) frame.slots[spi] = { bytes: c.bytes.slice(), spilled: widened };
      });
    });
  }

  private isAncestor(cp: Checkpoint): boolean {
    for (let p = this.parent; p !== undefined; p = p.parent) if (p === cp) return true;
    return false;
  }

  /** Functions (by index) whose walked code holds a may_goto with a nonzero offset: each gets the budget's slots. */
  readonly mayGotoFunctions = new Set<number>();

  /** bpf_loop calls seen: whether each may be inlined (same callback, flags 0 on every path). */
  readonly loopInlining = new Map<number, { fits: boolean; callback: number }>();

  /** Kernel check_ctx_access: every context access let through moves max_ctx_offset up to its end. */
  noteContextAccess(end: number): void {
    if (end > this.stats.maxCtxOffset) this.stats.maxCtxOffset = end;
  }

  /** The current instruction is a load through a kernel pointer: the engines run it as a probe load. */
  noteProbeLoad(): void {
    this.stats.probeLoads.add(this.insnIdx);
  }

  /** The current instruction loads a member of the context's sk_buff; `delta` moves it to its __sk_buff field. */
  noteKernelContextLoad(delta: number | undefined): void {
    const loads = this.stats.kernelContextLoads;
    const seen = loads.get(this.insnIdx);
    const value = delta ?? Number.NaN;
    if (seen === undefined && !loads.has(this.insnIdx)) loads.set(this.insnIdx, value);
    else if (seen !== value) loads.set(this.insnIdx, Number.NaN);
  }

  /** The current instruction, a context load, reads at `offset` once rewritten as the kernel does. */
  noteContextLoadOffset(offset: number): void {
    this.stats.contextLoadOffsets.set(this.insnIdx, offset);
  }

  /** Set while an atomic is checked: its accesses must be aligned whatever the program's flags. */
  strictOnce = false;

  /** Instructions run since the last checkpoint on this path. */
  private history: HistoryEntry[] = [];
  /** Entries without a stack access, one per instruction and call depth: checkpoints keep every segment alive. */
  private readonly plainEntries: HistoryEntry[][] = [];

  private plainEntry(insn: number, depth: number): HistoryEntry {
    let byInsn = this.plainEntries[depth];
    if (byInsn === undefined) {
      byInsn = new Array<HistoryEntry>(this.insns.length);
      this.plainEntries[depth] = byInsn;
    }
    let entry = byInsn[insn];
    if (entry === undefined) {
      entry = { insn, depth };
      byInsn[insn] = entry;
    }
    return entry;
  }
  /** The stack slot the current instruction loaded or stored at a constant offset (for backtracking). */
  stackTouched: Omit<HistoryEntry, 'insn' | 'depth'> | undefined;
  /** The scalars linked to the registers the current conditional jump compared, when it went both ways. */
  linkedScalars: readonly LinkedScalar[] | undefined;

  /** Kernel mark_chain_precision: the exact value of scalar `regno` (current frame) matters for safety. */
  markPrecise(regno: number): void {
    this.markChainPrecision({ regno });
  }

  /** The same for a spilled value: stack slot `slot` of frame `frame`. */
  markSlotPrecise(frame: number, slot: number): void {
    this.markChainPrecision({ frame, slot });
  }

  private markChainPrecision(target: PrecisionTarget): void {
    // Kernel: without CAP_BPF there is no precision tracking (every scalar is compared exactly).
    if (!this.options.bpfCapable) return;
    markPrecise(
      [target],
      this.state,
      this.insnIdx,
      this.history,
      this.parent,
      this.decoded,
      this.precisionTrace(),
    );
  }

  /**
   * Kernel propagate_precision: a path pruned against a checkpoint needs exact what the checkpoint's safety
   * relied on, so the scalars precise there (live registers, spilled slots) become precise along this path.
   */
  private propagatePrecision(
    old: VerifierState,
    insn: number,
    cleaned: boolean,
    from?: { state: VerifierState; history: readonly HistoryEntry[]; parent: Checkpoint | undefined },
  ): boolean {
    if (!this.options.bpfCapable) return false;
    const path = from ?? { state: this.state, history: this.history, parent: this.parent };
    const targets: PrecisionTarget[] = [];
    for (let fr = old.frames.length - 1; fr >= 0; fr--) {
      const frame = old.frames[fr];
      // Kernel frame_insn_idx: an outer frame is seen at its call (a callback's caller still holds the arguments).
      const at = fr === old.frames.length - 1 ? insn : old.frames[fr + 1].callsite;
      // A finished checkpoint was cleaned of dead registers (kernel clean_verifier_state); an open one was not.
      const live = cleaned ? this.liveBefore(at) : 0x7ff;
      const names: string[] = [];
      frame.regs.forEach((reg, r) => {
        if (r === 10 || (live & (1 << r)) === 0 || reg.type !== 'scalar' || !reg.precise) return;
        names.push(`r${r}`);
        targets.push({ regno: r, frame: fr });
      });
      frame.slots.forEach((slot, spi) => {
        if (!slot.bytes.includes('spill') || slot.spilled.type !== 'scalar' || !slot.spilled.precise) return;
        names.push(`fp${-8 * (spi + 1)}`);
        targets.push({ frame: fr, slot: spi });
      });
      if (names.length > 0 && this.log.level > 1)
        this.log.print(`frame ${fr}: propagating ${names.join(',')}\n`);
    }
    return markPrecise(
      targets,
      path.state,
      insn,
      path.history,
      path.parent,
      this.decoded,
      this.precisionTrace(),
    );
  }

  /** At level 2 the backtracking is logged line by line, as the kernel does. */
  private precisionTrace(): PrecisionTrace | undefined {
    if (this.log.level < 2) return undefined;
    const log = this.log;
    const regs = (list: readonly number[]) => list.map((r) => `r${r}`).join(',');
    const slots = (list: readonly number[]) => list.map((s) => `${-8 * (s + 1)}`).join(',');
    return {
      segment: (frame, last, first, subsequent) =>
        log.print(
          `mark_precise: frame${frame}: last_idx ${last} first_idx ${first} subseq_idx ${subsequent} \n`,
        ),
      step: (frame, wantedRegs, wantedSlots, insn) =>
        log.print(
          `mark_precise: frame${frame}: regs=${regs(wantedRegs)} stack=${slots(wantedSlots)} before ${insn}: ${kernelInsnText(this.insns, insn)}\n`,
        ),
      parent: (frame, wantedRegs, wantedSlots, state) => {
        const text = formatFrame(state.frames[frame], state.refs);
        log.print(
          `mark_precise: frame${frame}: parent state regs=${regs(wantedRegs)} stack=${slots(wantedSlots)}:  ${text}\n`,
        );
      },
      fallback: (frame) =>
        log.print(`mark_precise: frame${frame}: falling back to forcing all scalars precise\n`),
      forced: (frame, target) =>
        log.print(
          `force_precise: frame${frame}: forcing ${'regno' in target ? `r${target.regno}` : `fp${-8 * (target.slot + 1)}`} to be precise\n`,
        ),
    };
  }

  /** Registers live before `insn` as a bit mask (r0 = bit 0); all of them until liveness is known. */
  liveBefore(insn: number): number {
    return this.options.liveRegs ? this.options.liveRegs[insn] : 0x7ff;
  }

  /** Kernel bpf_mark_stack_read: bytes [from, to) below the frame pointer of frame `frameno` may be read. */
  markStackRead(frameno: number, from: number, to: number): void {
    const liveness = this.options.stackLiveness;
    if (liveness === undefined || to <= from) return;
    let mask = 0n;
    for (let spi = Math.floor(-to / 8); spi <= Math.floor((-from - 1) / 8); spi++) mask |= 1n << BigInt(spi);
    liveness.read(this.state, frameno, this.insnIdx, mask);
  }

  /** Kernel bpf_mark_stack_write: slot `spi` of frame `frameno` is written whole. */
  markStackWrite(frameno: number, spi: number): void {
    this.options.stackLiveness?.write(frameno, 1n << BigInt(spi));
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
