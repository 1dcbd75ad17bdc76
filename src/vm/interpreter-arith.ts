// 64-bit arithmetic on registers held as two unsigned 32-bit halves (plain numbers, no BigInt on the hot path).

/** High 32 bits of the 64-bit product of two u32 values (16-bit limbs keep every partial product exact). */
export function mulHighU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const low = a0 * b0;
  const cross1 = a1 * b0;
  const cross2 = a0 * b1;
  const middle = (low >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
  return (a1 * b1 + (cross1 >>> 16) + (cross2 >>> 16) + Math.floor(middle / 0x10000)) >>> 0;
}

export function byteSwap32(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

export function byteSwap16(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

/** The u64 made of two halves. */
export function joinHalves(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Unsigned 64-bit comparison of (ahi:alo) with (bhi:blo): negative, zero or positive. */
export function compareU64(alo: number, ahi: number, blo: number, bhi: number): number {
  return ahi !== bhi ? ahi - bhi : alo - blo;
}

/** Signed 64-bit comparison of (ahi:alo) with (bhi:blo): negative, zero or positive. */
export function compareS64(alo: number, ahi: number, blo: number, bhi: number): number {
  return ahi !== bhi ? (ahi | 0) - (bhi | 0) : alo - blo;
}
