// The verifier's numeric domain for scalars: a tnum plus signed/unsigned 64- and 32-bit ranges, as Linux 6.18 keeps them.

import type { AluBinaryOp, CondJumpOp } from '../isa/decoded.js';
import {
  TNUM_UNKNOWN,
  type Tnum,
  tnumAdd,
  tnumAnd,
  tnumArshift,
  tnumByteSwap,
  tnumCast,
  tnumClearSubreg,
  tnumConst,
  tnumConstSubreg,
  tnumIntersect,
  tnumIsConst,
  tnumIsUnknown,
  tnumLshift,
  tnumMul,
  tnumNeg,
  tnumOr,
  tnumOverlap,
  tnumRange,
  tnumRshift,
  tnumStep,
  tnumSub,
  tnumSubreg,
  tnumSubregIsConst,
  tnumWithSubreg,
  tnumXor,
} from './tnum.js';
import { SmallBounds, syncSmall } from './bounds-sync-small.js';

/**
 * What the verifier knows about a scalar register (the kernel's bpf_reg_state numeric fields).
 * Signed fields hold signed bigints (smin in [-2^63, 2^63)), unsigned ones [0, 2^64); the 32-bit
 * fields describe the low 32 bits (the subregister) on their own.
 */
export interface ScalarBounds {
  readonly varOff: Tnum;
  readonly smin: bigint;
  readonly smax: bigint;
  readonly umin: bigint;
  readonly umax: bigint;
  readonly s32Min: bigint;
  readonly s32Max: bigint;
  readonly u32Min: bigint;
  readonly u32Max: bigint;
}

/** A ScalarBounds under construction: operations copy their input once and mutate the copy. */
type Working = { -readonly [K in keyof ScalarBounds]: ScalarBounds[K] };

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;
export const S32_MIN = -(1n << 31n);
export const S32_MAX = (1n << 31n) - 1n;
export const U32_MAX = (1n << 32n) - 1n;

const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

function copy(r: ScalarBounds): Working {
  return {
    varOff: r.varOff,
    smin: r.smin,
    smax: r.smax,
    umin: r.umin,
    umax: r.umax,
    s32Min: r.s32Min,
    s32Max: r.s32Max,
    u32Min: r.u32Min,
    u32Max: r.u32Max,
  };
}

// ---------------------------------------------------------------- constructors

/** What unknown() returns. */
const UNKNOWN: ScalarBounds = {
  varOff: TNUM_UNKNOWN,
  smin: S64_MIN,
  smax: S64_MAX,
  umin: 0n,
  umax: U64_MAX,
  s32Min: S32_MIN,
  s32Max: S32_MAX,
  u32Min: 0n,
  u32Max: U32_MAX,
};

/** Small constants (immediates, offsets, sizes), built once: ScalarBounds are immutable values. */
const SMALL_CONSTANTS: ScalarBounds[] = [];
const SMALL_CONSTANT_LIMIT = 4096n;

/** The known value `v` (taken modulo 2^64): __mark_reg_known. */
export function constant(v: bigint): ScalarBounds {
  if (v >= 0n && v < SMALL_CONSTANT_LIMIT) {
    const index = Number(v);
    let cached = SMALL_CONSTANTS[index];
    if (cached === undefined) {
      cached = buildConstant(v);
      SMALL_CONSTANTS[index] = cached;
    }
    return cached;
  }
  return buildConstant(v);
}

function buildConstant(v: bigint): ScalarBounds {
  // Below 2^31 every field is v itself: one bigint serves all nine.
  if (v >= 0n && v <= S32_MAX)
    return {
      varOff: { value: v, mask: 0n },
      smin: v,
      smax: v,
      umin: v,
      umax: v,
      s32Min: v,
      s32Max: v,
      u32Min: v,
      u32Max: v,
    };
  const u = u64(v);
  return {
    varOff: tnumConst(u),
    smin: s64(u),
    smax: s64(u),
    umin: u,
    umax: u,
    s32Min: s32(u),
    s32Max: s32(u),
    u32Min: u32(u),
    u32Max: u32(u),
  };
}

/** Nothing known: __mark_reg_unknown's numbers (one shared value). */
export function unknown(): ScalarBounds {
  return UNKNOWN;
}

/** Any value in [0, max] for a max below 2^31: the 64- and 32-bit ranges alike, the tnum from them. */
export function unsignedRange(max: bigint): ScalarBounds {
  return syncBounds({
    ...unknown(),
    smin: 0n,
    smax: max,
    umin: 0n,
    umax: max,
    s32Min: 0n,
    s32Max: max,
    u32Min: 0n,
    u32Max: max,
  });
}

/** Any value of the low 32 bits, upper 32 bits zero (what a 32-bit ALU result of unknown input is). */
export function unknown32(): ScalarBounds {
  return syncBounds({ ...unknown(), varOff: tnumSubreg(TNUM_UNKNOWN), umax: U32_MAX });
}

/** The low 32 bits become the known `v`, the rest of the state untouched: __mark_reg32_known. */
export function markKnown32(r: ScalarBounds, v: bigint): ScalarBounds {
  return {
    ...r,
    varOff: tnumConstSubreg(r.varOff, u32(v)),
    s32Min: s32(v),
    s32Max: s32(v),
    u32Min: u32(v),
    u32Max: u32(v),
  };
}

/** All eight ranges unbounded, var_off kept: __mark_reg_unbounded. */
export function markUnbounded(r: ScalarBounds): ScalarBounds {
  return { ...unknown(), varOff: r.varOff };
}

/** The 32-bit ranges unbounded, the rest kept: __mark_reg32_unbounded. */
export function markUnbounded32(r: ScalarBounds): ScalarBounds {
  return { ...r, s32Min: S32_MIN, s32Max: S32_MAX, u32Min: 0n, u32Max: U32_MAX };
}

function setUnbounded64(r: Working): void {
  r.smin = S64_MIN;
  r.smax = S64_MAX;
  r.umin = 0n;
  r.umax = U64_MAX;
}

function setUnbounded32(r: Working): void {
  r.s32Min = S32_MIN;
  r.s32Max = S32_MAX;
  r.u32Min = 0n;
  r.u32Max = U32_MAX;
}

function setKnown(r: Working, v: bigint): void {
  Object.assign(r, constant(v));
}

function setKnown32(r: Working, v: bigint): void {
  Object.assign(r, markKnown32(r, v));
}

// ---------------------------------------------------------------- queries

export function isConst(r: ScalarBounds): boolean {
  return tnumIsConst(r.varOff);
}

/** Whether the operand is a known constant at this width (the kernel's is_reg_const). */
export function isConstAt(r: ScalarBounds, width: 32 | 64): boolean {
  return width === 32 ? tnumSubregIsConst(r.varOff) : tnumIsConst(r.varOff);
}

/** The constant at this width (reg_const_value): the low 32 bits for 32. */
export function constValueAt(r: ScalarBounds, width: 32 | 64): bigint {
  return width === 32 ? u32(r.varOff.value) : r.varOff.value;
}

/** Whether the concrete u64 `v` satisfies every part of `r` (tnum and all eight ranges). */
export function scalarContains(r: ScalarBounds, v: bigint): boolean {
  const u = u64(v);
  const s = s64(u);
  const lo = u32(u);
  const slo = s32(u);
  return (
    (u & ~r.varOff.mask) === r.varOff.value &&
    r.umin <= u &&
    u <= r.umax &&
    r.smin <= s &&
    s <= r.smax &&
    r.u32Min <= lo &&
    lo <= r.u32Max &&
    r.s32Min <= slo &&
    slo <= r.s32Max
  );
}

export function scalarEquals(a: ScalarBounds, b: ScalarBounds): boolean {
  return (
    a.varOff.value === b.varOff.value &&
    a.varOff.mask === b.varOff.mask &&
    a.smin === b.smin &&
    a.smax === b.smax &&
    a.umin === b.umin &&
    a.umax === b.umax &&
    a.s32Min === b.s32Min &&
    a.s32Max === b.s32Max &&
    a.u32Min === b.u32Min &&
    a.u32Max === b.u32Max
  );
}

// ---------------------------------------------------------------- reg_bounds_sync

/** Tightens the 32-bit ranges from the low 32 bits of var_off. */
function updateBounds32(r: Working): void {
  const v = r.varOff.value & U32_MAX;
  const m = r.varOff.mask & U32_MAX;
  r.s32Min = max(r.s32Min, s32(v | (m & 0x8000_0000n)));
  r.s32Max = min(r.s32Max, s32(v | (m & 0x7fff_ffffn)));
  r.u32Min = max(r.u32Min, v);
  r.u32Max = min(r.u32Max, v | m);
}

function updateBounds64(r: Working): void {
  const { value, mask } = r.varOff;
  r.smin = max(r.smin, s64(value | (mask & (1n << 63n))));
  r.smax = min(r.smax, s64(value | (mask & S64_MAX)));
  r.umin = max(r.umin, value);
  r.umax = min(r.umax, value | mask);
  // When the u64 range holds a single value of the tnum, the register is that constant (also when
  // the range holds none and the tnum's largest value is the next one above umin).
  const uminIn = (r.umin & ~mask) === value;
  // Both ends in the tnum and distinct: at least two values, the common case.
  if (uminIn && r.umin < r.umax && (r.umax & ~mask) === value) return;
  const next = tnumStep(r.varOff, r.umin);
  if (uminIn && next > r.umax) setKnown(r, r.umin);
  else if (!uminIn && next === (value | mask)) setKnown(r, next);
  else if (!uminIn && next <= r.umax && tnumStep(r.varOff, next) > r.umax) setKnown(r, next);
}

function updateBounds(r: Working): void {
  updateBounds32(r);
  updateBounds64(r);
}

/** Learns 32-bit ranges from the 64-bit ones, and signed from unsigned within 32 bits. */
function deduceBounds32(r: Working): void {
  // Upper halves equal: the low halves of the 64-bit range form a 32-bit range.
  if (r.umin >> 32n === r.umax >> 32n) {
    r.u32Min = max(r.u32Min, u32(r.umin));
    r.u32Max = min(r.u32Max, u32(r.umax));
    if (s32(r.umin) <= s32(r.umax)) {
      r.s32Min = max(r.s32Min, s32(r.umin));
      r.s32Max = min(r.s32Max, s32(r.umax));
    }
  }
  if (r.smin >> 32n === r.smax >> 32n) {
    r.u32Min = max(r.u32Min, u32(r.smin));
    r.u32Max = min(r.u32Max, u32(r.smax));
    if (s32(r.smin) <= s32(r.smax)) {
      r.s32Min = max(r.s32Min, s32(r.smin));
      r.s32Max = min(r.s32Max, s32(r.smax));
    }
  }
  // Upper halves are two consecutive numbers and the low halves go from negative to non-negative:
  // the low halves still form one contiguous s32 range.
  if (u32((r.umin >> 32n) + 1n) === u32(r.umax >> 32n) && s32(r.umin) < 0n && s32(r.umax) >= 0n) {
    r.s32Min = max(r.s32Min, s32(r.umin));
    r.s32Max = min(r.s32Max, s32(r.umax));
  }
  if (u32((r.smin >> 32n) + 1n) === u32(r.smax >> 32n) && s32(r.smin) < 0n && s32(r.smax) >= 0n) {
    r.s32Min = max(r.s32Min, s32(r.smin));
    r.s32Max = min(r.s32Max, s32(r.smax));
  }
  // A u32 range not crossing the sign bit is also an s32 range, and the reverse.
  if (s32(r.u32Min) <= s32(r.u32Max)) {
    r.s32Min = max(r.s32Min, s32(r.u32Min));
    r.s32Max = min(r.s32Max, s32(r.u32Max));
  }
  if (u32(r.s32Min) <= u32(r.s32Max)) {
    r.u32Min = max(r.u32Min, u32(r.s32Min));
    r.u32Max = min(r.u32Max, u32(r.s32Max));
  } else if (r.u32Max < u32(r.s32Min)) {
    // The s32 range wraps through zero and the u32 range lies within its non-negative part.
    r.s32Min = s32(r.u32Min);
    r.u32Max = min(r.u32Max, u32(r.s32Max));
  } else if (u32(r.s32Max) < r.u32Min) {
    // ... or within its negative part.
    r.s32Max = s32(r.u32Max);
    r.u32Min = max(r.u32Min, u32(r.s32Min));
  }
}

function deduceBounds64(r: Working): void {
  if (s64(r.umin) <= s64(r.umax)) {
    r.smin = max(r.smin, s64(r.umin));
    r.smax = min(r.smax, s64(r.umax));
  }
  if (u64(r.smin) <= u64(r.smax)) {
    r.umin = max(r.umin, u64(r.smin));
    r.umax = min(r.umax, u64(r.smax));
  } else if (r.umax < u64(r.smin)) {
    // The s64 range wraps through the sign boundary; the u64 range lies entirely in its
    // non-negative part, so each range clips the other.
    r.smin = s64(r.umin);
    r.umax = min(r.umax, u64(r.smax));
  } else if (u64(r.smax) < r.umin) {
    r.smax = s64(r.umax);
    r.umin = max(r.umin, u64(r.smin));
  }
}

/** Learns 64-bit ranges from the 32-bit ones. */
function deduceMixedBounds(r: Working): void {
  const HIGH = 0xffff_ffff_0000_0000n;
  r.umin = max(r.umin, (r.umin & HIGH) | r.u32Min);
  r.umax = min(r.umax, (r.umax & HIGH) | r.u32Max);
  r.smin = max(r.smin, s64((u64(r.smin) & HIGH) | r.u32Min));
  r.smax = min(r.smax, s64((u64(r.smax) & HIGH) | r.u32Max));
  // After a sign-extending load the value sits in [S32_MIN, S32_MAX]; a non-negative s32 range
  // then is the whole 64-bit range.
  if (r.s32Min >= 0n && r.smin >= S32_MIN && r.smax <= S32_MAX) {
    r.smin = r.s32Min;
    r.smax = r.s32Max;
    // Reinterpreted as u64, as C's assignment does (an inconsistent s32Max may be negative).
    r.umin = u64(r.s32Min);
    r.umax = u64(r.s32Max);
    r.varOff = tnumIntersect(r.varOff, tnumRange(u64(r.smin), u64(r.smax)));
  }
}

function deduceBounds(r: Working): void {
  deduceBounds32(r);
  deduceBounds64(r);
  deduceMixedBounds(r);
}

/** Tightens var_off from the unsigned ranges, the 64-bit one and the 32-bit one. */
function boundOffset(r: Working): void {
  const var64 = tnumIntersect(r.varOff, tnumRange(r.umin, r.umax));
  const var32 = tnumIntersect(tnumSubreg(var64), tnumRange(r.u32Min, r.u32Max));
  r.varOff = tnumOr(tnumClearSubreg(var64), var32);
}

/** The one scratch register of the number path (sync never re-enters itself). */
const small = new SmallBounds();

/** Runs sync on numbers when r fits syncSmall's domain; writes back only the fields that changed. */
function syncInNumbers(r: Working): boolean {
  const { varOff } = r;
  // Number() of a bigint is not free: each field is converted once, and compared as a number afterwards.
  const value = Number(varOff.value);
  const mask = Number(varOff.mask);
  const smin = Number(r.smin);
  const smax = Number(r.smax);
  const umin = Number(r.umin);
  const umax = Number(r.umax);
  const s32Min = Number(r.s32Min);
  const s32Max = Number(r.s32Max);
  const u32Min = Number(r.u32Min);
  const u32Max = Number(r.u32Max);
  small.value = value;
  small.mask = mask;
  small.smin = smin;
  small.smax = smax;
  small.umin = umin;
  small.umax = umax;
  small.s32Min = s32Min;
  small.s32Max = s32Max;
  small.u32Min = u32Min;
  small.u32Max = u32Max;
  // Number() rounds beyond 2^53; the domain check in syncSmall refuses every rounded value.
  if (!syncSmall(small)) return false;
  converted = 0;
  if (small.value !== value || small.mask !== mask)
    r.varOff = { value: bigintOf(small.value), mask: small.mask === 0 ? 0n : bigintOf(small.mask) };
  if (small.smin !== smin) r.smin = bigintOf(small.smin);
  if (small.smax !== smax) r.smax = bigintOf(small.smax);
  if (small.umin !== umin) r.umin = bigintOf(small.umin);
  if (small.umax !== umax) r.umax = bigintOf(small.umax);
  if (small.s32Min !== s32Min) r.s32Min = bigintOf(small.s32Min);
  if (small.s32Max !== s32Max) r.s32Max = bigintOf(small.s32Max);
  if (small.u32Min !== u32Min) r.u32Min = bigintOf(small.u32Min);
  if (small.u32Max !== u32Max) r.u32Max = bigintOf(small.u32Max);
  return true;
}

// The bigints one write-back made: fields that end up equal (smin = umin, a constant's eight bounds) share one.
const convertedNumbers = new Float64Array(10);
const convertedBigints: bigint[] = new Array<bigint>(10).fill(0n);
let converted = 0;

function bigintOf(n: number): bigint {
  for (let i = 0; i < converted; i++) if (convertedNumbers[i] === n) return convertedBigints[i];
  const b = BigInt(n);
  convertedNumbers[converted] = n;
  convertedBigints[converted++] = b;
  return b;
}

function sync(r: Working): void {
  if (!syncInNumbers(r)) syncBigint(r);
}

/** The sync on bigints, for every register. */
function syncBigint(r: Working): void {
  // A known value within its bounds syncs to exactly that constant: the common case, made cheap.
  if (r.varOff.mask === 0n && scalarContains(r, r.varOff.value)) {
    Object.assign(r, constant(r.varOff.value));
    return;
  }
  updateBounds(r);
  // Three rounds: each can use what the previous one learned in another domain. A round that
  // changes nothing makes the next ones no-ops too.
  for (let round = 0; round < 3; round++) {
    const { smin, smax, umin, umax, s32Min, s32Max, u32Min, u32Max, varOff } = r;
    deduceBounds(r);
    if (
      r.smin === smin &&
      r.smax === smax &&
      r.umin === umin &&
      r.umax === umax &&
      r.s32Min === s32Min &&
      r.s32Max === s32Max &&
      r.u32Min === u32Min &&
      r.u32Max === u32Max &&
      r.varOff === varOff
    )
      break;
  }
  boundOffset(r);
  updateBounds(r);
}

/** Makes the tnum and the eight ranges agree as far as each can tell the others: reg_bounds_sync. */
export function syncBounds(r: ScalarBounds): ScalarBounds {
  const w = copy(r);
  sync(w);
  return w;
}

/** syncBounds without the number path: the reference its test compares with. */
export function syncBoundsBigint(r: ScalarBounds): ScalarBounds {
  const w = copy(r);
  syncBigint(w);
  return w;
}

/** The low 32 bits zero-extended into the register (zext_32_to_64 / __reg_assign_32_into_64). */
function zext32To64(r: Working): void {
  r.varOff = tnumSubreg(r.varOff);
  r.umin = r.u32Min;
  r.umax = r.u32Max;
  // Non-negative s32 bounds carry over; otherwise the best is [0, U32_MAX], refined from the tnum later.
  if (r.s32Min >= 0n && r.s32Max >= 0n) {
    r.smin = r.s32Min;
    r.smax = r.s32Max;
  } else {
    r.smin = 0n;
    r.smax = U32_MAX;
  }
}

// ---------------------------------------------------------------- invariants

/** What reg_bounds_sanity_check finds wrong with a register, or undefined when it is consistent. */
export function invariantViolation(r: ScalarBounds): string | undefined {
  if (r.umin > r.umax || r.smin > r.smax || r.u32Min > r.u32Max || r.s32Min > r.s32Max)
    return 'range bounds violation';
  if (tnumIsConst(r.varOff)) {
    const u = r.varOff.value;
    if (r.umin !== u || r.umax !== u || r.smin !== s64(u) || r.smax !== s64(u))
      return 'const tnum out of sync with range bounds';
  }
  if (tnumSubregIsConst(r.varOff)) {
    const u = u32(r.varOff.value);
    if (r.u32Min !== u || r.u32Max !== u || r.s32Min !== s32(u) || r.s32Max !== s32(u))
      return 'const subreg tnum out of sync with range bounds';
  }
  return undefined;
}

/**
 * The log line the kernel writes when reg_bounds_sanity_check fails (`context` is `true_reg1`,
 * `true_reg2`, `false_reg1` or `false_reg2` for branches), without the trailing newline.
 */
export function invariantViolationMessage(r: ScalarBounds, context: string, problem: string): string {
  const h = (x: bigint, bits: 32 | 64): string => `0x${BigInt.asUintN(bits, x).toString(16)}`;
  return (
    `verifier bug: REG INVARIANTS VIOLATION (${context}): ${problem} ` +
    `u64=[${h(r.umin, 64)}, ${h(r.umax, 64)}] s64=[${h(r.smin, 64)}, ${h(r.smax, 64)}] ` +
    `u32=[${h(r.u32Min, 32)}, ${h(r.u32Max, 32)}] s32=[${h(r.s32Min, 32)}, ${h(r.s32Max, 32)}] ` +
    `var_off=(${h(r.varOff.value, 64)}, ${h(r.varOff.mask, 64)})`
  );
}

// ---------------------------------------------------------------- ALU

/** Operations whose result the kernel computes; for the others (div, mod, ...) it gives up. */
function isSafeToCompute(op: AluBinaryOp, width: 32 | 64, src: ScalarBounds): boolean {
  switch (op) {
    case 'add':
    case 'sub':
    case 'and':
    case 'or':
    case 'xor':
    case 'mul':
      return true;
    case 'lsh':
    case 'rsh':
    case 'arsh': {
      // Only a known shift amount below the width; note the kernel checks the 64-bit umax even
      // for 32-bit shifts.
      const known =
        width === 32
          ? tnumSubregIsConst(src.varOff) && src.s32Min === src.s32Max && src.u32Min === src.u32Max
          : tnumIsConst(src.varOff) && src.smin === src.smax && src.umin === src.umax;
      return known && src.umax < BigInt(width);
    }
    default:
      return false;
  }
}

/** Signed add of the bounds within `bits`; any overflow loses the signed range. */
function addSigned(r: Working, src: ScalarBounds, bits: 32 | 64): void {
  const [lo, hi] = bits === 32 ? [S32_MIN, S32_MAX] : [S64_MIN, S64_MAX];
  const smin = (bits === 32 ? r.s32Min : r.smin) + (bits === 32 ? src.s32Min : src.smin);
  const smax = (bits === 32 ? r.s32Max : r.smax) + (bits === 32 ? src.s32Max : src.smax);
  const overflow = smin < lo || smin > hi || smax < lo || smax > hi;
  setSigned(r, bits, overflow ? lo : smin, overflow ? hi : smax);
}

function setSigned(r: Working, bits: 32 | 64, lo: bigint, hi: bigint): void {
  if (bits === 32) {
    r.s32Min = lo;
    r.s32Max = hi;
  } else {
    r.smin = lo;
    r.smax = hi;
  }
}

function setUnsigned(r: Working, bits: 32 | 64, lo: bigint, hi: bigint): void {
  if (bits === 32) {
    r.u32Min = lo;
    r.u32Max = hi;
  } else {
    r.umin = lo;
    r.umax = hi;
  }
}

function signedOf(r: ScalarBounds, bits: 32 | 64): [bigint, bigint] {
  return bits === 32 ? [r.s32Min, r.s32Max] : [r.smin, r.smax];
}

function unsignedOf(r: ScalarBounds, bits: 32 | 64): [bigint, bigint] {
  return bits === 32 ? [r.u32Min, r.u32Max] : [r.umin, r.umax];
}

function addBounds(r: Working, src: ScalarBounds, bits: 32 | 64): void {
  addSigned(r, src, bits);
  const top = bits === 32 ? U32_MAX : U64_MAX;
  const [dmin, dmax] = unsignedOf(r, bits);
  const [smin, smax] = unsignedOf(src, bits);
  const lo = dmin + smin;
  const hi = dmax + smax;
  // Either every sum wraps or none does: then the wrapped ends still bound the result.
  if (lo <= top && hi > top) setUnsigned(r, bits, 0n, top);
  else setUnsigned(r, bits, lo & top, hi & top);
}

function subBounds(r: Working, src: ScalarBounds, bits: 32 | 64): void {
  const [lo, hi] = bits === 32 ? [S32_MIN, S32_MAX] : [S64_MIN, S64_MAX];
  const [dsmin, dsmax] = signedOf(r, bits);
  const [ssmin, ssmax] = signedOf(src, bits);
  const smin = dsmin - ssmax;
  const smax = dsmax - ssmin;
  const overflow = smin < lo || smin > hi || smax < lo || smax > hi;
  setSigned(r, bits, overflow ? lo : smin, overflow ? hi : smax);
  const top = bits === 32 ? U32_MAX : U64_MAX;
  const [dmin, dmax] = unsignedOf(r, bits);
  const [umin, umax] = unsignedOf(src, bits);
  const newMin = dmin - umax;
  const newMax = dmax - umin;
  // Either every difference wraps or none does, as for add.
  if (newMin < 0n && newMax >= 0n) setUnsigned(r, bits, 0n, top);
  else setUnsigned(r, bits, newMin & top, newMax & top);
}

function mulBounds(r: Working, src: ScalarBounds, bits: 32 | 64): void {
  const [slo, shi] = bits === 32 ? [S32_MIN, S32_MAX] : [S64_MIN, S64_MAX];
  const top = bits === 32 ? U32_MAX : U64_MAX;
  const [dmin, dmax] = unsignedOf(r, bits);
  const [umin, umax] = unsignedOf(src, bits);
  const hiProduct = dmax * umax;
  const loProduct = dmin * umin;
  if (hiProduct > top || loProduct > top) setUnsigned(r, bits, 0n, top);
  else setUnsigned(r, bits, loProduct, hiProduct);
  const [dsmin, dsmax] = signedOf(r, bits);
  const [ssmin, ssmax] = signedOf(src, bits);
  const products = [dsmin * ssmin, dsmin * ssmax, dsmax * ssmin, dsmax * ssmax];
  if (products.some((p) => p < slo || p > shi)) setSigned(r, bits, slo, shi);
  else
    setSigned(
      r,
      bits,
      products.reduce((a, b) => min(a, b)),
      products.reduce((a, b) => max(a, b)),
    );
}

/** After and/or/xor the signed range is the unsigned one if that does not cross the sign bit. */
function signedFromUnsigned(r: Working, bits: 32 | 64): void {
  const [umin, umax] = unsignedOf(r, bits);
  const sign = bits === 32 ? s32 : s64;
  if (sign(umin) <= sign(umax)) setSigned(r, bits, sign(umin), sign(umax));
  else setSigned(r, bits, bits === 32 ? S32_MIN : S64_MIN, bits === 32 ? S32_MAX : S64_MAX);
}

type BitwiseOp = 'and' | 'or' | 'xor';

/** and/or/xor bounds from the already computed var_off (the kernel's scalar{32,}_min_max_{and,or,xor}). */
function bitwiseBounds(r: Working, src: ScalarBounds, op: BitwiseOp, bits: 32 | 64): void {
  const bothKnown =
    bits === 32
      ? tnumSubregIsConst(src.varOff) && tnumSubregIsConst(r.varOff)
      : tnumIsConst(src.varOff) && tnumIsConst(r.varOff);
  if (bothKnown) {
    if (bits === 32) setKnown32(r, u32(r.varOff.value));
    else setKnown(r, r.varOff.value);
    return;
  }
  const t = bits === 32 ? tnumSubreg(r.varOff) : r.varOff;
  const [dmin, dmax] = unsignedOf(r, bits);
  const [smin, smax] = unsignedOf(src, bits);
  if (op === 'and') setUnsigned(r, bits, t.value, min(dmax, smax));
  else if (op === 'or') setUnsigned(r, bits, max(dmin, smin), t.value | t.mask);
  else setUnsigned(r, bits, t.value, t.value | t.mask);
  signedFromUnsigned(r, bits);
  // The 64-bit variants also refine from var_off straight away.
  if (bits === 64) updateBounds(r);
}

function lshBounds32(r: Working, shift: bigint): void {
  r.s32Min = S32_MIN;
  r.s32Max = S32_MAX;
  // Shifting out a set top bit would wrap: then nothing is known.
  if (shift > 31n || r.u32Max > 1n << (31n - shift)) {
    r.u32Min = 0n;
    r.u32Max = U32_MAX;
  } else {
    r.u32Min <<= shift;
    r.u32Max <<= shift;
  }
}

function lshBounds64(r: Working, shift: bigint): void {
  // `x << 32` (the sign-extension idiom `<<32 s>>32`) maps the s32 range onto the s64 one.
  r.smax = shift === 32n ? r.s32Max << 32n : S64_MAX;
  r.smin = shift === 32n ? r.s32Min << 32n : S64_MIN;
  if (r.umax > 1n << (63n - shift)) {
    r.umin = 0n;
    r.umax = U64_MAX;
  } else {
    r.umin <<= shift;
    r.umax <<= shift;
  }
}

function shiftOp(r: Working, op: 'lsh' | 'rsh' | 'arsh', width: 32 | 64, src: ScalarBounds): void {
  if (width === 32) {
    const shift = src.u32Min;
    const n = Number(shift);
    const subreg = tnumSubreg(r.varOff);
    if (op === 'lsh') {
      lshBounds32(r, shift);
      r.varOff = tnumSubreg(tnumLshift(subreg, n));
    } else if (op === 'rsh') {
      r.s32Min = S32_MIN;
      r.s32Max = S32_MAX;
      r.varOff = tnumRshift(subreg, n);
      r.u32Min >>= src.u32Max;
      r.u32Max >>= shift;
    } else {
      r.s32Min = s32(r.s32Min >> shift);
      r.s32Max = s32(r.s32Max >> shift);
      r.varOff = tnumArshift(subreg, n, 32);
      r.u32Min = 0n;
      r.u32Max = U32_MAX;
    }
    setUnbounded64(r);
    updateBounds32(r);
    return;
  }
  const shift = src.umin;
  const n = Number(shift);
  if (op === 'lsh') {
    // The 64-bit part reads the 32-bit bounds before the shift changes them.
    lshBounds64(r, shift);
    lshBounds32(r, shift);
    r.varOff = tnumLshift(r.varOff, n);
  } else if (op === 'rsh') {
    r.smin = S64_MIN;
    r.smax = S64_MAX;
    r.varOff = tnumRshift(r.varOff, n);
    r.umin >>= src.umax;
    r.umax >>= shift;
    setUnbounded32(r);
  } else {
    r.smin >>= shift;
    r.smax >>= shift;
    r.varOff = tnumArshift(r.varOff, n, 64);
    r.umin = 0n;
    r.umax = U64_MAX;
    setUnbounded32(r);
  }
  updateBounds(r);
}

/**
 * `dst op= src` on two scalars at a width (adjust_scalar_min_max_vals): the result, synced.
 * For the K form pass `constant(BigInt(imm))`, the immediate sign-extended to 64 bits as the kernel does.
 * `mov` is the plain register copy (`w` form zero-extends). Division and modulo, and shifts whose
 * amount is not a known constant below the width, give a fully unknown result: the kernel does not
 * even zero-extend it for 32-bit ops.
 */
export function scalarAlu(
  op: AluBinaryOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
): ScalarBounds {
  if (op !== 'mov' && isExactConstant(dst) && isExactConstant(src) && isSafeToCompute(op, width, src)) {
    const folded = foldConstants(op, width, dst.varOff.value, src.varOff.value);
    if (folded !== undefined) return constant(folded);
  }
  return scalarAluUnfolded(op, width, dst, src);
}

/** A register that is exactly a constant: its tnum known and all eight bounds that value (as constant() makes it). */
function isExactConstant(r: ScalarBounds): boolean {
  if (r.varOff.mask !== 0n) return false;
  const v = r.varOff.value;
  // Below 2^31 every field must be v itself (as buildConstant makes it), checked without building one.
  if (v <= S32_MAX)
    return (
      r.smin === v &&
      r.smax === v &&
      r.umin === v &&
      r.umax === v &&
      r.s32Min === v &&
      r.s32Max === v &&
      r.u32Min === v &&
      r.u32Max === v
    );
  return scalarEquals(r, constant(v));
}

/**
 * What the bounds arithmetic gives for two exact constants, computed directly: every operation the kernel tracks
 * keeps a constant exact (its tnum is a constant and its bounds contain it, so the sync yields that constant).
 * Undefined for the operations it gives up on.
 */
function foldConstants(op: AluBinaryOp, width: 32 | 64, a: bigint, b: bigint): bigint | undefined {
  const wrap = width === 32 ? u32 : u64;
  switch (op) {
    case 'add':
      return wrap(a + b);
    case 'sub':
      return wrap(a - b);
    case 'mul':
      return wrap(a * b);
    case 'and':
      return wrap(a & b);
    case 'or':
      return wrap(a | b);
    case 'xor':
      return wrap(a ^ b);
    case 'lsh':
      return wrap(a << wrap(b));
    case 'rsh':
      return wrap(a) >> wrap(b);
    case 'arsh':
      return wrap((width === 32 ? s32(a) : s64(a)) >> wrap(b));
    default:
      return undefined;
  }
}

/** scalarAlu without folding constants: the bounds arithmetic for every operand (the folding's test compares with it). */
export function scalarAluUnfolded(
  op: AluBinaryOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
): ScalarBounds {
  if (op === 'mov') return width === 64 ? src : zextAndSync(copy(src));
  if (!isSafeToCompute(op, width, src)) return unknown();
  const r = copy(dst);
  switch (op) {
    case 'add':
      addBounds(r, src, 32);
      addBounds(r, src, 64);
      r.varOff = tnumAdd(r.varOff, src.varOff);
      break;
    case 'sub':
      subBounds(r, src, 32);
      subBounds(r, src, 64);
      r.varOff = tnumSub(r.varOff, src.varOff);
      break;
    case 'mul':
      r.varOff = tnumMul(r.varOff, src.varOff);
      mulBounds(r, src, 32);
      mulBounds(r, src, 64);
      break;
    case 'and':
    case 'or':
    case 'xor':
      r.varOff =
        op === 'and'
          ? tnumAnd(r.varOff, src.varOff)
          : op === 'or'
            ? tnumOr(r.varOff, src.varOff)
            : tnumXor(r.varOff, src.varOff);
      bitwiseBounds(r, src, op, 32);
      bitwiseBounds(r, src, op, 64);
      break;
    case 'lsh':
    case 'rsh':
    case 'arsh':
      shiftOp(r, op, width, src);
      break;
    default:
      return unknown();
  }
  if (width === 32) return zextAndSync(r);
  sync(r);
  return r;
}

function zextAndSync(r: Working): ScalarBounds {
  zext32To64(r);
  sync(r);
  return r;
}

/**
 * Linux 6.18 explores `dst &= K` and `dst |= K` (K a constant, immediate or register, either
 * width) on a dst that is -1 or 0 as two states: it continues with dst = -1 and pushes a state at
 * the same instruction (the log's `from N to N:`) with dst = 0. With the 64-bit signed range
 * exactly [-1, 0] these are the whole constants; else, with the s32 range exactly [-1, 0], only
 * the low 32 bits become known, the rest of the register as it was (not synced; id kept).
 * Returns dst before the operation on each path, or undefined when the kernel does not split.
 */
export function signMaskSplit(
  op: AluBinaryOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
): { readonly current: ScalarBounds; readonly pushed: ScalarBounds } | undefined {
  if ((op !== 'and' && op !== 'or') || !isConstAt(src, width)) return undefined;
  if (dst.smin === -1n && dst.smax === 0n) return { current: constant(-1n), pushed: constant(0n) };
  if (dst.s32Min !== -1n || dst.s32Max !== 0n) return undefined;
  return { current: markKnown32(dst, -1n), pushed: markKnown32(dst, 0n) };
}

/** `dst = -dst` (BPF_NEG): computed as 0 - dst. */
export function scalarNeg(width: 32 | 64, dst: ScalarBounds): ScalarBounds {
  const r = copy(constant(0n));
  subBounds(r, dst, 32);
  subBounds(r, dst, 64);
  r.varOff = tnumNeg(dst.varOff);
  if (width === 32) return zextAndSync(r);
  sync(r);
  return r;
}

/**
 * Byte swaps (BPF_END): `le16/32/64`, `be16/32/64` (ALU class) and `bswap16/32/64` (ALU64 class).
 * On a little-endian machine `le` only truncates; `be` and `bswap` swap the tnum's bytes, drop
 * the ranges and truncate to `bits`.
 */
export function scalarEndian(to: 'le' | 'be' | 'swap', bits: 16 | 32 | 64, dst: ScalarBounds): ScalarBounds {
  let r = dst;
  if (to !== 'le') r = markUnbounded({ ...dst, varOff: tnumByteSwap(dst.varOff, bits) });
  return bits === 64 ? syncBounds(r) : coerceToSize(r, (bits / 8) as 2 | 4);
}

// ---------------------------------------------------------------- casts

/** A zero-extending load (or narrowing fill) of `size` bytes: coerce_reg_to_size. */
export function coerceToSize(reg: ScalarBounds, size: 1 | 2 | 4 | 8): ScalarBounds {
  if (size === 8) return reg;
  const r = copy(reg);
  r.varOff = tnumCast(r.varOff, size);
  const mask = (1n << BigInt(size * 8)) - 1n;
  // Same high bits at both ends: the low bits still form a range.
  if ((r.umin & ~mask) === (r.umax & ~mask)) {
    r.umin &= mask;
    r.umax &= mask;
  } else {
    r.umin = 0n;
    r.umax = mask;
  }
  r.smin = r.umin;
  r.smax = r.umax;
  if (size < 4) setUnbounded32(r);
  sync(r);
  return r;
}

const signExtend = (v: bigint, size: 1 | 2 | 4): bigint => BigInt.asIntN(size * 8, v);

/**
 * A sign-extending load of `size` bytes or `(sN)` move into a 64-bit register: coerce_reg_to_size_sx.
 * When the 64-bit signed range keeps its high bits, the extension of its ends bounds the result;
 * otherwise, when the s32 range already fits the narrow type, the result is that range (low half
 * kept); else only the narrow type's range is known.
 */
export function coerceToSizeSx(reg: ScalarBounds, size: 1 | 2 | 4): ScalarBounds {
  if (tnumIsConst(reg.varOff)) return constant(signExtend(reg.varOff.value, size));
  const bits = BigInt(size * 8);
  if (u64(reg.smax) >> bits === u64(reg.smin) >> bits) {
    const a = signExtend(u64(reg.smax), size);
    const b = signExtend(u64(reg.smin), size);
    const hi = max(a, b);
    const lo = min(a, b);
    if (hi >= 0n === lo >= 0n) {
      return {
        varOff: tnumRange(u64(lo), u64(hi)),
        smin: lo,
        smax: hi,
        umin: u64(lo),
        umax: u64(hi),
        s32Min: s32(lo),
        s32Max: s32(hi),
        u32Min: u32(lo),
        u32Max: u32(hi),
      };
    }
  }
  const [lo, hi] = [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  // The low 32 bits already within the narrow signed type: extending them changes nothing.
  if (reg.s32Min >= lo && reg.s32Max <= hi)
    return syncBounds({
      ...reg,
      varOff: TNUM_UNKNOWN,
      smin: reg.s32Min,
      smax: reg.s32Max,
      umin: 0n,
      umax: U64_MAX,
    });
  return { ...unknown(), smin: lo, smax: hi, s32Min: lo, s32Max: hi };
}

/** `wD = (sN) wS` for N of 8 or 16 on the low 32 bits (coerce_subreg_to_size_sx), before zero-extension. */
function coerceSubregToSizeSx(reg: ScalarBounds, size: 1 | 2): Working {
  const r = copy(reg);
  if (tnumIsConst(reg.varOff)) {
    const v = signExtend(reg.varOff.value, size);
    r.varOff = tnumConst(v);
    r.s32Min = s32(v);
    r.s32Max = s32(v);
    r.u32Min = u32(v);
    r.u32Max = u32(v);
    return r;
  }
  const bits = BigInt(size * 8);
  if (u32(reg.s32Max) >> bits === u32(reg.s32Min) >> bits) {
    const a = signExtend(reg.s32Max, size);
    const b = signExtend(reg.s32Min, size);
    const hi = max(a, b);
    const lo = min(a, b);
    if (hi >= 0n === lo >= 0n) {
      r.s32Min = lo;
      r.s32Max = hi;
      r.u32Min = u32(lo);
      r.u32Max = u32(hi);
      r.varOff = tnumSubreg(tnumRange(u64(lo), u64(hi)));
      return r;
    }
  }
  r.s32Min = -(1n << (bits - 1n));
  r.s32Max = (1n << (bits - 1n)) - 1n;
  r.u32Min = 0n;
  r.u32Max = U32_MAX;
  r.varOff = tnumSubreg(TNUM_UNKNOWN);
  return r;
}

/**
 * `dst = (sN) src` (MOVSX): 64-bit for N of 8, 16, 32; 32-bit (`w` registers) for N of 8, 16 (and
 * 32, the plain `w` move). Returns the new dst.
 */
export function scalarMovsx(width: 32 | 64, bits: 8 | 16 | 32, src: ScalarBounds): ScalarBounds {
  const size = (bits / 8) as 1 | 2 | 4;
  if (width === 64) return coerceToSizeSx(src, size);
  if (size === 4) return scalarAlu('mov', 32, src, src);
  return zextAndSync(coerceSubregToSizeSx(src, size));
}

// ---------------------------------------------------------------- branches

/** The jump that is taken exactly when `op` is not (rev_opcode); `jset` reverses to "no common bit". */
type RefineOp = CondJumpOp | 'jnset';

function reverse(op: CondJumpOp): RefineOp {
  switch (op) {
    case 'jeq':
      return 'jne';
    case 'jne':
      return 'jeq';
    case 'jgt':
      return 'jle';
    case 'jle':
      return 'jgt';
    case 'jge':
      return 'jlt';
    case 'jlt':
      return 'jge';
    case 'jsgt':
      return 'jsle';
    case 'jsle':
      return 'jsgt';
    case 'jsge':
      return 'jslt';
    case 'jslt':
      return 'jsge';
    case 'jset':
      return 'jnset';
  }
}

/** The comparison seen from the other operand (`a > b` is `b < a`). */
function flip(op: 'jgt' | 'jge' | 'jsgt' | 'jsge'): 'jlt' | 'jle' | 'jslt' | 'jsle' {
  return op === 'jgt' ? 'jlt' : op === 'jge' ? 'jle' : op === 'jsgt' ? 'jslt' : 'jsle';
}

interface Extent {
  t: Tnum;
  umin: bigint;
  umax: bigint;
  smin: bigint;
  smax: bigint;
}

function extentAt(r: ScalarBounds, width: 32 | 64): Extent {
  return width === 32
    ? { t: tnumSubreg(r.varOff), umin: r.u32Min, umax: r.u32Max, smin: r.s32Min, smax: r.s32Max }
    : { t: r.varOff, umin: r.umin, umax: r.umax, smin: r.smin, smax: r.smax };
}

/**
 * Whether `if dst op src` is always taken (1), never (0), or either way (-1), for two scalars
 * (is_scalar_branch_taken). For the K form pass `constant(BigInt(imm))`, sign-extended.
 */
export function branchTaken(
  op: CondJumpOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
): 1 | 0 | -1 {
  const a = extentAt(dst, width);
  const b = extentAt(src, width);
  const disjoint = (): boolean =>
    a.umin > b.umax ||
    a.umax < b.umin ||
    a.smin > b.smax ||
    a.smax < b.smin ||
    // A 64-bit comparison can also be decided by the subregisters alone.
    (width === 64 &&
      (dst.u32Min > src.u32Max ||
        dst.u32Max < src.u32Min ||
        dst.s32Min > src.s32Max ||
        dst.s32Max < src.s32Min));
  switch (op) {
    case 'jeq':
      if (tnumIsConst(a.t) && tnumIsConst(b.t)) return a.t.value === b.t.value ? 1 : 0;
      return !tnumOverlap(a.t, b.t) || disjoint() ? 0 : -1;
    case 'jne':
      if (tnumIsConst(a.t) && tnumIsConst(b.t)) return a.t.value !== b.t.value ? 1 : 0;
      return !tnumOverlap(a.t, b.t) || disjoint() ? 1 : -1;
    case 'jset': {
      let [x, y] = [a.t, b.t];
      if (!tnumIsConst(y)) [x, y] = [y, x];
      if (!tnumIsConst(y)) return -1;
      if ((x.value & y.value) !== 0n) return 1;
      if (((x.value | x.mask) & y.value) === 0n) return 0;
      return -1;
    }
    case 'jgt':
      return a.umin > b.umax ? 1 : a.umax <= b.umin ? 0 : -1;
    case 'jge':
      return a.umin >= b.umax ? 1 : a.umax < b.umin ? 0 : -1;
    case 'jlt':
      return a.umax < b.umin ? 1 : a.umin >= b.umax ? 0 : -1;
    case 'jle':
      return a.umax <= b.umin ? 1 : a.umin > b.umax ? 0 : -1;
    case 'jsgt':
      return a.smin > b.smax ? 1 : a.smax <= b.smin ? 0 : -1;
    case 'jsge':
      return a.smin >= b.smax ? 1 : a.smax < b.smin ? 0 : -1;
    case 'jslt':
      return a.smax < b.smin ? 1 : a.smin >= b.smax ? 0 : -1;
    case 'jsle':
      return a.smax <= b.smin ? 1 : a.smin > b.smax ? 0 : -1;
  }
}

/**
 * After clearing bits of the tnum on the not-taken side of a jset the old ranges may contradict it;
 * the kernel drops them and lets the sync rebuild them from the tnum (not on the taken side).
 */
function forgetRanges(r: Working): void {
  setUnbounded64(r);
  setUnbounded32(r);
}

/** Narrows both operands to the values for which `r1 op r2` holds (regs_refine_cond_op), in place. */
function refineCondOp(r1: Working, r2: Working, op: RefineOp, width: 32 | 64): void {
  if (op === 'jgt' || op === 'jge' || op === 'jsgt' || op === 'jsge') {
    refineCondOp(r2, r1, flip(op), width);
    return;
  }
  const w32 = width === 32;
  const top = w32 ? U32_MAX : U64_MAX;
  const wrapS = w32 ? s32 : s64;
  switch (op) {
    case 'jeq': {
      if (w32) {
        r1.u32Min = max(r1.u32Min, r2.u32Min);
        r1.u32Max = min(r1.u32Max, r2.u32Max);
        r1.s32Min = max(r1.s32Min, r2.s32Min);
        r1.s32Max = min(r1.s32Max, r2.s32Max);
        r2.u32Min = r1.u32Min;
        r2.u32Max = r1.u32Max;
        r2.s32Min = r1.s32Min;
        r2.s32Max = r1.s32Max;
        const t = tnumIntersect(tnumSubreg(r1.varOff), tnumSubreg(r2.varOff));
        r1.varOff = tnumWithSubreg(r1.varOff, t);
        r2.varOff = tnumWithSubreg(r2.varOff, t);
      } else {
        r1.umin = max(r1.umin, r2.umin);
        r1.umax = min(r1.umax, r2.umax);
        r1.smin = max(r1.smin, r2.smin);
        r1.smax = min(r1.smax, r2.smax);
        r2.umin = r1.umin;
        r2.umax = r1.umax;
        r2.smin = r1.smin;
        r2.smax = r1.smax;
        r1.varOff = tnumIntersect(r1.varOff, r2.varOff);
        r2.varOff = r1.varOff;
      }
      return;
    }
    case 'jne':
    case 'jset':
    case 'jnset': {
      // Only a constant operand teaches anything; it may be either one.
      let [x, k] = [r1, r2];
      if (!isConstAt(k, width)) [x, k] = [k, x];
      if (!isConstAt(k, width)) return;
      const val = constValueAt(k, width);
      if (op === 'jne') {
        // A constant at the very edge of the range moves that edge by one.
        if (w32) {
          if (x.u32Min === val) x.u32Min = u32(x.u32Min + 1n);
          if (x.u32Max === val) x.u32Max = u32(x.u32Max - 1n);
          if (x.s32Min === s32(val)) x.s32Min = s32(x.s32Min + 1n);
          if (x.s32Max === s32(val)) x.s32Max = s32(x.s32Max - 1n);
        } else {
          if (x.umin === val) x.umin = u64(x.umin + 1n);
          if (x.umax === val) x.umax = u64(x.umax - 1n);
          if (x.smin === s64(val)) x.smin = s64(x.smin + 1n);
          if (x.smax === s64(val)) x.smax = s64(x.smax - 1n);
        }
      } else if (op === 'jset') {
        // `x & val` non-zero says which bit is set only when val has a single bit.
        if (val === 0n || (val & (val - 1n)) !== 0n) return;
        x.varOff = w32
          ? tnumWithSubreg(x.varOff, tnumOr(tnumSubreg(x.varOff), tnumConst(val)))
          : tnumOr(x.varOff, tnumConst(val));
      } else {
        x.varOff = w32
          ? tnumWithSubreg(x.varOff, tnumAnd(tnumSubreg(x.varOff), tnumConst(~val & U32_MAX)))
          : tnumAnd(x.varOff, tnumConst(~val & U64_MAX));
        forgetRanges(x);
      }
      return;
    }
    case 'jle':
    case 'jlt': {
      const d = op === 'jlt' ? 1n : 0n;
      if (w32) {
        r1.u32Max = min(r1.u32Max, (r2.u32Max - d) & top);
        r2.u32Min = max((r1.u32Min + d) & top, r2.u32Min);
      } else {
        r1.umax = min(r1.umax, (r2.umax - d) & top);
        r2.umin = max((r1.umin + d) & top, r2.umin);
      }
      return;
    }
    case 'jsle':
    case 'jslt': {
      const d = op === 'jslt' ? 1n : 0n;
      if (w32) {
        r1.s32Max = min(r1.s32Max, wrapS(r2.s32Max - d));
        r2.s32Min = max(wrapS(r1.s32Min + d), r2.s32Min);
      } else {
        r1.smax = min(r1.smax, wrapS(r2.smax - d));
        r2.smin = max(wrapS(r1.smin + d), r2.smin);
      }
      return;
    }
  }
}

/**
 * How the operands of a branch are held: `sameRegister` for `if rX op rX` (one register narrowed
 * as both operands; a side whose narrowing is impossible keeps rX unchanged, with no log line, as
 * observed on 6.18), `immediate` for the K form (the kernel's scratch register for the immediate
 * is shared by both sides).
 */
export interface RefineOptions {
  readonly sameRegister?: boolean;
  readonly immediate?: boolean;
}

/** One side of a branch: both operands narrowed to that side, synced. */
export interface RefinedOperands {
  readonly dst: ScalarBounds;
  readonly src: ScalarBounds;
}

/** A reg_bounds_sanity_check failure after refinement: the kernel's log line for it. */
export interface InvariantFailure {
  /** `true_reg1` (dst on the taken side), `true_reg2` (src), `false_reg1`, `false_reg2`. */
  readonly context: 'true_reg1' | 'true_reg2' | 'false_reg1' | 'false_reg2';
  readonly message: string;
}

/**
 * Both sides of `if dst op src goto` as reg_set_min_max computes them when the branch is undecided.
 * A refinement of an impossible side can leave a register inconsistent; the kernel then logs
 * `verifier bug: REG INVARIANTS VIOLATION (...)` for each such register in the order of
 * `failures` and, with BPF_F_TEST_REG_INVARIANTS, rejects the program at the first with -EFAULT.
 * Without the flag it goes on with that register's eight ranges unbounded (var_off kept), which is
 * what `taken`/`fallthrough` then hold. (The kernel also WARNs once in dmesg.)
 * For the K form pass `constant(BigInt(imm))` as src; its refinement is of no use to the caller.
 */
export interface BranchRefinement {
  readonly taken: RefinedOperands;
  readonly fallthrough: RefinedOperands;
  readonly failures: readonly InvariantFailure[];
}

export function refineBranches(
  op: CondJumpOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
  options: RefineOptions = {},
): BranchRefinement {
  const f1 = copy(dst);
  const f2 = options.sameRegister ? f1 : copy(src);
  refineCondOp(f1, f2, reverse(op), width);
  sync(f1);
  sync(f2);
  const t1 = copy(dst);
  // The kernel refines one scratch register for an immediate on both sides, the not-taken first.
  const t2 = options.sameRegister ? t1 : options.immediate ? f2 : copy(src);
  refineCondOp(t1, t2, op, width);
  sync(t1);
  sync(t2);
  const failures: InvariantFailure[] = [];
  const check = (r: Working, context: InvariantFailure['context']): void => {
    const problem = invariantViolation(r);
    if (problem === undefined) return;
    // Observed on 6.18: `if rX op rX` whose refinement is impossible leaves rX as it was, silently.
    if (options.sameRegister) {
      Object.assign(r, dst);
      return;
    }
    failures.push({ context, message: invariantViolationMessage(r, context, problem) });
    Object.assign(r, markUnbounded(r));
  };
  check(t1, 'true_reg1');
  check(t2, 'true_reg2');
  check(f1, 'false_reg1');
  check(f2, 'false_reg2');
  // An operand a side leaves as it was stays the same object, so that callers can keep the register.
  const same = (refined: ScalarBounds, before: ScalarBounds): ScalarBounds =>
    scalarEquals(refined, before) ? before : refined;
  return {
    taken: { dst: same(t1, dst), src: same(t2, src) },
    fallthrough: { dst: same(f1, dst), src: same(f2, src) },
    failures,
  };
}

/**
 * The operands narrowed to one side of `if dst op src` (regs_refine_cond_op + sync), or undefined
 * when that narrowing leaves an inconsistent register, i.e. the side is impossible (see
 * refineBranches for what the kernel does then).
 */
export function refineBranch(
  op: CondJumpOp,
  width: 32 | 64,
  dst: ScalarBounds,
  src: ScalarBounds,
  taken: boolean,
  options: RefineOptions = {},
): RefinedOperands | undefined {
  const r1 = copy(dst);
  const r2 = options.sameRegister ? r1 : copy(src);
  refineCondOp(r1, r2, taken ? op : reverse(op), width);
  sync(r1);
  sync(r2);
  if (invariantViolation(r1) !== undefined || invariantViolation(r2) !== undefined) return undefined;
  return { dst: r1, src: r2 };
}

// ---------------------------------------------------------------- log text

/** The kernel prints numbers in decimal when small, else in hex (verbose_unum/verbose_snum). */
function formatUnsigned(v: bigint): string {
  return v <= 0xffffn ? v.toString() : `0x${v.toString(16)}`;
}

function formatSigned(v: bigint): string {
  const s = s64(v);
  return s >= -0x8000n && s <= 0x7fffn ? s.toString() : `0x${u64(v).toString(16)}`;
}

/** Register facts outside the numeric domain that the kernel prints with a scalar. */
export interface ScalarPrintExtra {
  /** reg->id (0 or absent: none). */
  readonly id?: number;
  /**
   * reg->off of a scalar linked by `rX += K` (BPF_ADD_CONST): printed as `id=N+D`. The kernel also
   * adds it to a constant's printed value.
   */
  readonly addConst?: number;
  /** reg->precise: printed as a `P` prefix. */
  readonly precise?: boolean;
}

/**
 * A scalar as the verifier log prints it after `R1=` (print_reg_state): a constant as its value
 * (`-8`, `0xfffffff8`), otherwise `scalar(id=1,smin=smin32=0,smax=umax=...,var_off=(0x0; 0xff))`,
 * where each min (and each max) is printed once with the names of all equal ones, defaults
 * are left out, and var_off only when something is known.
 * A spilled scalar prints the same after `fp-8=`, prefixed by the slot-type characters of the
 * bytes below the spill (`fp-16=????scalar(...)` for a 4-byte spill); that prefix is the caller's.
 */
export function formatScalar(r: ScalarBounds, extra: ScalarPrintExtra = {}): string {
  const p = extra.precise ? 'P' : '';
  // Kernel 6.18: a known scalar prints its value alone, whatever delta links it to others.
  if (tnumIsConst(r.varOff)) return p + formatSigned(r.varOff.value);
  const parts: string[] = [];
  if (extra.id)
    parts.push(`id=${extra.id}${extra.addConst !== undefined ? signedDelta(extra.addConst) : ''}`);
  // 32-bit signed bounds print as s64 when decimal, else as their u32 bits: that decides grouping.
  const s32Shown = (v: bigint): bigint => (v >= -0x8000n && v <= 0x7fffn ? v : u32(v));
  const entries: { name: string; value: bigint; signed: boolean; omit: boolean }[] = [
    { name: 'smin', value: r.smin, signed: true, omit: r.smin === S64_MIN },
    { name: 'smax', value: r.smax, signed: true, omit: r.smax === S64_MAX },
    { name: 'umin', value: r.umin, signed: false, omit: r.umin === 0n },
    { name: 'umax', value: r.umax, signed: false, omit: r.umax === U64_MAX },
    { name: 'smin32', value: s32Shown(r.s32Min), signed: true, omit: r.s32Min === S32_MIN },
    { name: 'smax32', value: s32Shown(r.s32Max), signed: true, omit: r.s32Max === S32_MAX },
    { name: 'umin32', value: r.u32Min, signed: false, omit: r.u32Min === 0n },
    { name: 'umax32', value: r.u32Max, signed: false, omit: r.u32Max === U32_MAX },
  ];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as (typeof entries)[number];
    if (e.omit) continue;
    const negative = e.signed && e.value < 0n;
    let text = `${e.name}=`;
    // Mins group with later mins, maxes with later maxes, never a negative with a non-negative.
    for (let j = i + 2; j < entries.length; j += 2) {
      const other = entries[j] as (typeof entries)[number];
      if (other.omit || u64(other.value) !== u64(e.value)) continue;
      if ((other.signed && other.value < 0n) !== negative) continue;
      other.omit = true;
      text += `${other.name}=`;
    }
    parts.push(text + (e.signed ? formatSigned(e.value) : formatUnsigned(e.value)));
  }
  if (!tnumIsUnknown(r.varOff))
    parts.push(`var_off=(0x${r.varOff.value.toString(16)}; 0x${r.varOff.mask.toString(16)})`);
  return `${p}scalar(${parts.join(',')})`;
}

function signedDelta(d: number): string {
  return d >= 0 ? `+${d}` : `${d}`;
}
