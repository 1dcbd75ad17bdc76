// The interpreter's calls out of BPF code: helpers by id with r1-r5 (one reused HelperCall per nesting depth,
// so a call allocates only the BigInt arguments whose register changed since that depth's last call; a helper's
// fast form straight from the register halves, with no BigInt), the legacy LD_ABS/LD_IND packet loads, and
// bpf_tail_call.

import { MAX_TAIL_CALL_CNT } from '../abi/limits.js';
import { highHalf, joinHalves, lowHalf } from './isa-semantics.js';
import type { ProgArrayMap } from './maps/index.js';
import type {
  ExecutableProgram,
  FastArgKind,
  FastResultKind,
  HelperCall,
  HelperSite,
  RunState,
  VmServices,
} from './runtime.js';

/** Legacy LD_ABS/LD_IND packet reads (skb programs): network-order value, or undefined outside the packet. */
export interface LegacyPacketAccess {
  loadAbsolute(offset: number, size: 1 | 2 | 4): bigint | undefined;
}

type Args = [bigint, bigint, bigint, bigint, bigint];
interface MutableHelperCall {
  args: Args;
  vm: VmServices;
  run: RunState;
  insn: number;
  /** r1-r5 as lo/hi halves when `args` were made: an unchanged register keeps its (immutable) BigInt. */
  halves: Int32Array;
}

/** Below 2^53 a u64 converts to a double exactly, so its halves need no BigInt arithmetic. */
const EXACT_DOUBLE_LIMIT = 9007199254740992n;

/** A register (halves at `index`, `index + 1`) as the u64 a helper receives. */
export function registerValue(regs: Int32Array, index: number): bigint {
  const hi = regs[index + 1];
  return hi === 0 ? BigInt(regs[index] >>> 0) : joinHalves(regs[index], hi);
}

/** Stores a u64 (or s64) result into the register whose halves are at `index`. */
export function setRegisterValue(regs: Int32Array, index: number, value: bigint): void {
  if (value >= 0n && value < EXACT_DOUBLE_LIMIT) {
    const number = Number(value);
    regs[index] = number;
    regs[index + 1] = Math.floor(number / 0x1_0000_0000);
  } else {
    regs[index] = lowHalf(value);
    regs[index + 1] = highHalf(value);
  }
}

/** The HelperCall records of one execution: helpers may run callbacks that call helpers, so one per depth. */
export class HelperCallRecords {
  private readonly records: MutableHelperCall[] = [];
  private depth = 0;

  constructor(
    private readonly vm: VmServices,
    private readonly run: RunState,
  ) {}

  /** The record for a call at instruction `insn`, holding r1-r5; give it back with `leave()`. */
  enter(regs: Int32Array, insn: number): HelperCall {
    let record = this.records[this.depth];
    if (record === undefined) {
      record = { args: [0n, 0n, 0n, 0n, 0n], vm: this.vm, run: this.run, insn, halves: new Int32Array(10) };
      this.records[this.depth] = record;
    }
    this.depth++;
    record.insn = insn;
    const args = record.args;
    const halves = record.halves;
    for (let i = 0; i < 5; i++) {
      const lo = regs[2 + 2 * i];
      const hi = regs[3 + 2 * i];
      if (lo !== halves[2 * i] || hi !== halves[2 * i + 1]) {
        halves[2 * i] = lo;
        halves[2 * i + 1] = hi;
        args[i] = hi === 0 ? BigInt(lo >>> 0) : joinHalves(lo, hi);
      }
    }
    return record;
  }

  leave(): void {
    this.depth--;
  }

  /** After a fault unwound nested calls. */
  reset(): void {
    this.depth = 0;
  }
}

/** The site a fast form receives: one per engine, its instruction set per call (fast forms never nest). */
export class FastHelperSite implements HelperSite {
  insn = 0;
  readonly args = undefined;
  constructor(
    readonly vm: VmServices,
    readonly run: RunState,
  ) {}
}

/** r1-r5 (halves from index 2) fit the fast form's kinds: every `map` and `ptr` argument's upper half is 0. */
export function fitsFastForm(kinds: readonly FastArgKind[], regs: Int32Array): boolean {
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    if ((kind === 'map' || kind === 'ptr') && regs[3 + 2 * i] !== 0) return false;
  }
  return true;
}

/** The register whose halves are at `index` as a fast form's argument of `kind` (none: 0). */
export function fastRegister(kind: FastArgKind | undefined, regs: Int32Array, index: number): number {
  if (kind === undefined) return 0;
  // Two exact doubles added with one rounding: the nearest double, as Number(u64) gives.
  if (kind === 'u64') return (regs[index + 1] >>> 0) * 0x1_0000_0000 + (regs[index] >>> 0);
  return regs[index];
}

/** Stores a fast form's result in r0 (halves 0 and 1), extended as its kind says. */
export function setFastResult(regs: Int32Array, kind: FastResultKind, value: number): void {
  if (kind === 's64') {
    const high = Math.floor(value / 0x1_0000_0000);
    regs[0] = value - high * 0x1_0000_0000;
    regs[1] = high;
    return;
  }
  regs[0] = value;
  regs[1] = kind === 's32' && (value | 0) < 0 ? -1 : 0;
}

/**
 * Legacy packet load at packet offset imm (abs) or index register + imm (ind): the value, or undefined when
 * the load falls outside the packet (the kernel then ends the whole program with r0 = 0), or null when the
 * run has no socket buffer.
 */
export function legacyLoad(packet: unknown, offset: number, size: number): bigint | undefined | null {
  const access = packet as Partial<LegacyPacketAccess> | undefined;
  if (access?.loadAbsolute === undefined) return null;
  return access.loadAbsolute(offset, size as 1 | 2 | 4);
}

/**
 * bpf_tail_call(ctx, prog_array = r2, index = r3): the program to continue with, undefined to fall through,
 * or null when r2 is no prog_array (a fault). Kernel: the index is a u32; out of range, past MAX_TAIL_CALL_CNT
 * or an empty slot falls through, and only tail calls that happen count (measured on Linux 6.18: calls into
 * empty slots use none of the 33).
 */
export function tailCallTarget(
  vm: VmServices,
  regs: Int32Array,
  tailCallsMade: number,
): ExecutableProgram | undefined | null {
  return tailCallTargetOf(vm, regs[4], regs[5], regs[6], tailCallsMade);
}

/** tailCallTarget with r2 as its two halves and r3's low half (engines that hold registers otherwise). */
export function tailCallTargetOf(
  vm: VmServices,
  mapLo: number,
  mapHi: number,
  indexLo: number,
  tailCallsMade: number,
): ExecutableProgram | undefined | null {
  const map = mapHi === 0 ? vm.maps.atAddress(mapLo >>> 0) : undefined;
  if (map === undefined || map.typeName !== 'prog_array') return null;
  const index = indexLo >>> 0;
  if (index >= map.maxEntries || tailCallsMade >= MAX_TAIL_CALL_CNT) return undefined;
  const handle = (map as ProgArrayMap).programAt(index);
  return handle === undefined ? undefined : vm.programByHandle(handle);
}
