// The corners of BPF's ISA semantics (RFC 9669 section 4, as Linux 6.18 runs them) on registers held as two
// 32-bit halves: division by zero, signed division overflow, shift masking, 32-bit subregisters, sign
// extension, byte swaps, 64-bit multiply and comparisons. Every engine takes these rules from here.
//
// Conventions: a 64-bit value is (lo, hi), each an int32 (the bit pattern of its half, as an Int32Array holds
// it); results of 32-bit operations are zero-extended to 64 bits (hi = 0), except where the rule says otherwise.

/** Shift amounts are masked to the operand width: `x << 65` is `x << 1` (64-bit), `w << 33` is `w << 1`. */
export const SHIFT_MASK_64 = 63;
export const SHIFT_MASK_32 = 31;

/** Two's-complement 2^32, for carries between halves. */
const U32 = 0x1_0000_0000;

/**
 * Unsigned 32-bit division and modulo: x / 0 = 0 and x % 0 = x (the kernel's rewrite of division by a zero
 * register; the verifier refuses a zero immediate). Operands and result are u32 bit patterns.
 */
export function div32(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

export function mod32(a: number, b: number): number {
  return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
}

/** Signed 32-bit division (BPF_SDIV, off = 1): x / 0 = 0, INT_MIN / -1 = INT_MIN (wraps); truncates toward 0. */
export function sdiv32(a: number, b: number): number {
  return b === 0 ? 0 : Math.trunc((a | 0) / (b | 0)) | 0;
}

/** Signed 32-bit modulo (BPF_SMOD): x % 0 = x, x % -1 = 0; the sign follows the dividend. */
export function smod32(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return ((a | 0) % (b | 0)) | 0;
}

/**
 * The division corners as data, for engines that generate code (the JIT) rather than call the functions here:
 * what `x / 0`, `x % 0` and the signed forms by -1 give (wasm traps on a zero divisor and on INT_MIN / -1).
 */
export const DIVISION_CORNERS: Readonly<
  Record<
    'div' | 'mod' | 'sdiv' | 'smod',
    { readonly byZero: 'zero' | 'dividend'; readonly byMinusOne: 'divide' | 'negate' | 'zero' }
  >
> = {
  div: { byZero: 'zero', byMinusOne: 'divide' },
  mod: { byZero: 'dividend', byMinusOne: 'divide' },
  // INT_MIN / -1 wraps to INT_MIN: the negation, which never traps.
  sdiv: { byZero: 'zero', byMinusOne: 'negate' },
  smod: { byZero: 'dividend', byMinusOne: 'zero' },
};

/** 64-bit division and modulo kinds, for `divide64`. */
export type Division64 = 'div' | 'mod' | 'sdiv' | 'smod';

/**
 * 64-bit division and modulo with the same corners as 32-bit: x / 0 = 0, x % 0 = x, signed INT64_MIN / -1 =
 * INT64_MIN and INT64_MIN % -1 = 0. Returns the u64 result (BigInt: rare enough not to need halves).
 */
export function divide64(kind: Division64, a: bigint, b: bigint): bigint {
  if (b === 0n) return kind === 'div' || kind === 'sdiv' ? 0n : a;
  if (kind === 'div') return a / b;
  if (kind === 'mod') return a % b;
  const sa = BigInt.asIntN(64, a);
  const sb = BigInt.asIntN(64, b);
  return BigInt.asUintN(64, kind === 'sdiv' ? sa / sb : sa % sb);
}

/** High 32 bits (int32 pattern) of the 64-bit product of two u32 values; 16-bit limbs keep every partial exact. */
export function mulHighU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const low = a0 * b0;
  const cross1 = a1 * b0;
  const cross2 = a0 * b1;
  const middle = (low >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
  return (a1 * b1 + (cross1 >>> 16) + (cross2 >>> 16) + Math.floor(middle / 0x10000)) | 0;
}

/** Carry out of the low halves of a 64-bit add: the low sum, as u32, is below either operand. */
export function addCarry(aLo: number, sumLo: number): number {
  return sumLo >>> 0 < aLo >>> 0 ? 1 : 0;
}

/** Borrow out of the low halves of a 64-bit subtract a - b. */
export function subBorrow(aLo: number, bLo: number): number {
  return aLo >>> 0 < bLo >>> 0 ? 1 : 0;
}

/**
 * Sign extension of the low `bits` (8, 16 or 32) of `value` to 32 bits (BPF_MOVSX, sign-extending loads);
 * the 64-bit form takes hi = result >> 31.
 */
export function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** BPF_END: byte swaps of 16 and 32 bits; 64 bits swaps each half and exchanges them. */
export function byteSwap32(value: number): number {
  return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24);
}

export function byteSwap16(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

/** The u64 made of two halves. */
export function joinHalves(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** The low half (int32 pattern) of a u64/s64 value. */
export function lowHalf(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** The high half (int32 pattern) of a u64/s64 value. */
export function highHalf(value: bigint): number {
  return Number(BigInt.asIntN(32, value >> 32n));
}

/** Unsigned 64-bit comparison of (aHi:aLo) with (bHi:bLo): negative, zero or positive. */
export function compareU64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aHi !== bHi ? (aHi >>> 0) - (bHi >>> 0) : (aLo >>> 0) - (bLo >>> 0);
}

/** Signed 64-bit comparison: the high halves compare signed, the low halves unsigned. */
export function compareS64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aHi !== bHi ? aHi - bHi : (aLo >>> 0) - (bLo >>> 0);
}

/** 2^32 as a number (address arithmetic past the low half). */
export const TWO_POW_32 = U32;
