// Tristate numbers: which bits of a 64-bit value are known 0, known 1 or unknown (the kernel's tnum).

/**
 * A set of u64 values: bit i is unknown where `mask` has it set, otherwise it equals bit i of `value`.
 * Invariant: `value & mask == 0`, both in [0, 2^64).
 */
export interface Tnum {
  readonly value: bigint;
  readonly mask: bigint;
}

const U64 = 0xffff_ffff_ffff_ffffn;
const U32 = 0xffff_ffffn;

/** Every u64. */
export const TNUM_UNKNOWN: Tnum = Object.freeze({ value: 0n, mask: U64 });
/** The constant 0, the most common constant. */
const TNUM_ZERO: Tnum = Object.freeze({ value: 0n, mask: 0n });

function tnum(value: bigint, mask: bigint): Tnum {
  return { value, mask };
}

/** The single value `v` (taken modulo 2^64, so negative numbers are their two's complement). */
export function tnumConst(v: bigint): Tnum {
  return v === 0n ? TNUM_ZERO : tnum(BigInt.asUintN(64, v), 0n);
}

/** Number of significant bits of `x` (0 for 0): the kernel's fls64. */
function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const high = Number(x >> 32n);
  return high !== 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(Number(x));
}

/** The smallest tnum holding every u64 in [min, max]: the common high bits are known, the rest unknown. */
export function tnumRange(min: bigint, max: bigint): Tnum {
  const bits = bitLength(min ^ max);
  if (bits > 63) return TNUM_UNKNOWN;
  const delta = (1n << BigInt(bits)) - 1n;
  return tnum(min & ~delta & U64, delta);
}

export function tnumLshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return tnum((a.value << s) & U64, (a.mask << s) & U64);
}

export function tnumRshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return tnum(a.value >> s, a.mask >> s);
}

/**
 * Arithmetic shift right within the instruction's width: a 32-bit shift sign-extends from bit 31 and
 * the result stays 32 bits wide (`a` must then be a subregister tnum).
 * Shifting value and mask separately is exact: a set sign bit in the mask spreads unknown bits.
 */
export function tnumArshift(a: Tnum, shift: number, bitness: 32 | 64): Tnum {
  const s = BigInt(shift);
  return tnum(
    BigInt.asUintN(bitness, BigInt.asIntN(bitness, a.value) >> s),
    BigInt.asUintN(bitness, BigInt.asIntN(bitness, a.mask) >> s),
  );
}

export function tnumAdd(a: Tnum, b: Tnum): Tnum {
  const sm = a.mask + b.mask;
  const sv = a.value + b.value;
  // Bits where adding the unknowns at their maximum changes the sum carry uncertainty.
  const chi = (sm + sv) ^ sv;
  const mu = (chi | a.mask | b.mask) & U64;
  return tnum(sv & ~mu & U64, mu);
}

export function tnumSub(a: Tnum, b: Tnum): Tnum {
  const dv = a.value - b.value;
  // The extreme differences: every unknown bit of a set and of b clear, and the reverse.
  const chi = (dv + a.mask) ^ (dv - b.mask);
  const mu = (chi | a.mask | b.mask) & U64;
  return tnum(dv & ~mu & U64, mu);
}

/** Two's complement negation, 0 - a. */
export function tnumNeg(a: Tnum): Tnum {
  return tnumSub(TNUM_ZERO, a);
}

export function tnumAnd(a: Tnum, b: Tnum): Tnum {
  const v = a.value & b.value;
  return tnum(v, (a.value | a.mask) & (b.value | b.mask) & ~v);
}

export function tnumOr(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  return tnum(v, (a.mask | b.mask) & ~v);
}

export function tnumXor(a: Tnum, b: Tnum): Tnum {
  const mu = a.mask | b.mask;
  return tnum((a.value ^ b.value) & ~mu, mu);
}

/**
 * Long multiplication over the trits of `a` (Linux 6.18): a known 1 adds the shifted `b`; an unknown
 * trit adds the union of "nothing" and "b", which keeps the correlation between partial products.
 */
export function tnumMul(a: Tnum, b: Tnum): Tnum {
  let acc = TNUM_ZERO;
  let av = a.value;
  let am = a.mask;
  let multiplicand = b;
  while (av !== 0n || am !== 0n) {
    if ((av & 1n) === 1n) acc = tnumAdd(acc, multiplicand);
    else if ((am & 1n) === 1n) acc = tnumUnion(acc, tnumAdd(acc, multiplicand));
    av >>= 1n;
    am >>= 1n;
    multiplicand = tnumLshift(multiplicand, 1);
  }
  return acc;
}

/**
 * Values in both `a` and `b`: known bits of either are known. Where they contradict each other the
 * result has the bit set (the kernel's choice; the true intersection is then empty).
 */
export function tnumIntersect(a: Tnum, b: Tnum): Tnum {
  const mu = a.mask & b.mask;
  return tnum((a.value | b.value) & ~mu, mu);
}

/** The smallest tnum holding every value of `a` and of `b`: bits on which they disagree become unknown. */
export function tnumUnion(a: Tnum, b: Tnum): Tnum {
  const mu = (a.value ^ b.value) | a.mask | b.mask;
  return tnum(a.value & b.value & ~mu, mu);
}

/** Whether some value is in both `a` and `b`: they agree on every bit known in both. */
export function tnumOverlap(a: Tnum, b: Tnum): boolean {
  const known = ~a.mask & ~b.mask & U64;
  return (a.value & known) === (b.value & known);
}

/**
 * The smallest value of `a` strictly greater than `z`, or `a`'s largest value when there is none
 * (the kernel's tnum_step, used to find ranges that hold a single value of the tnum).
 */
export function tnumStep(a: Tnum, z: bigint): bigint {
  const y = z + 1n;
  const largest = a.value | a.mask;
  if (y > largest) return largest;
  const conflict = (y ^ a.value) & ~a.mask & U64;
  if (conflict === 0n) return y;
  // The highest bit where y disagrees with a known bit decides how y must grow.
  const top = 1n << BigInt(bitLength(conflict) - 1);
  if ((a.value & top) !== 0n) return (y & ~(top * 2n - 1n)) | top | (a.value & (top - 1n));
  // y has a 1 where a has a known 0: set the lowest unknown bit above it that y has clear.
  const free = a.mask & ~y & ~(top * 2n - 1n) & U64;
  if (free === 0n) return largest;
  const low = free & -free;
  return (y & ~(low * 2n - 1n) & U64) | low | (a.value & (low - 1n));
}

/** Reverses the order of the low `bits / 8` bytes; the result has only those bytes. */
export function tnumByteSwap(a: Tnum, bits: 16 | 32 | 64): Tnum {
  const swap = (x: bigint): bigint => {
    let out = 0n;
    for (let i = 0n; i < BigInt(bits); i += 8n) out = (out << 8n) | ((x >> i) & 0xffn);
    return out;
  };
  return tnum(swap(a.value), swap(a.mask));
}

/** Keeps the low `size` bytes (1, 2, 4 or 8): a zero-extending truncation. */
export function tnumCast(a: Tnum, size: 1 | 2 | 4 | 8): Tnum {
  if (size === 8) return a;
  const keep = (1n << BigInt(size * 8)) - 1n;
  return tnum(a.value & keep, a.mask & keep);
}

/** The low 32 bits. */
export function tnumSubreg(a: Tnum): Tnum {
  return tnum(a.value & U32, a.mask & U32);
}

/** The high 32 bits, low 32 bits known zero. */
export function tnumClearSubreg(a: Tnum): Tnum {
  return tnum(a.value & ~U32 & U64, a.mask & ~U32 & U64);
}

/** `a`'s high 32 bits with `subreg`'s low 32 bits. */
export function tnumWithSubreg(a: Tnum, subreg: Tnum): Tnum {
  return tnumOr(tnumClearSubreg(a), tnumSubreg(subreg));
}

/** `a`'s high 32 bits with the low 32 bits known to be `value`'s. */
export function tnumConstSubreg(a: Tnum, value: bigint): Tnum {
  return tnumWithSubreg(a, tnumConst(value));
}

export function tnumIsConst(a: Tnum): boolean {
  return a.mask === 0n;
}

export function tnumSubregIsConst(a: Tnum): boolean {
  return (a.mask & U32) === 0n;
}

export function tnumIsUnknown(a: Tnum): boolean {
  return a.mask === U64;
}

/** Whether every value of `a` is a multiple of `size` (true for size 0, as the kernel has it). */
export function tnumIsAligned(a: Tnum, size: bigint): boolean {
  if (size === 0n) return true;
  return ((a.value | a.mask) & (size - 1n)) === 0n;
}

/** Whether `b` is a subset of `a`. */
export function tnumIn(a: Tnum, b: Tnum): boolean {
  if ((b.mask & ~a.mask) !== 0n) return false;
  return a.value === (b.value & ~a.mask);
}

/** Whether the concrete u64 `v` is one of `a`'s values. */
export function tnumContains(a: Tnum, v: bigint): boolean {
  return (BigInt.asUintN(64, v) & ~a.mask) === a.value;
}

export function tnumEquals(a: Tnum, b: Tnum): boolean {
  return a.value === b.value && a.mask === b.mask;
}

/** The kernel's text form `(0x0; 0xffffffff)`, as in `var_off=` (its `%#llx` prints 0 as 0x0). */
export function formatTnum(a: Tnum): string {
  return `(0x${a.value.toString(16)}; 0x${a.mask.toString(16)})`;
}
