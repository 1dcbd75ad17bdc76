// The ISA's corners on 32-bit halves against BigInt arithmetic: limbs, byte swaps, division by zero and
// signed overflow, sign extension, comparisons and the u64 <-> halves conversions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIVISION_CORNERS,
  byteSwap16,
  byteSwap32,
  compareS64,
  compareU64,
  div32,
  divide64,
  highHalf,
  joinHalves,
  lowHalf,
  mod32,
  mulHighU32,
  sdiv32,
  signExtend,
  smod32,
} from './isa-semantics.js';

const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffff_ffff }),
  fc.constantFrom(0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe),
);
const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.constantFrom(0n, 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0xffff_ffffn, 1n << 32n),
);
const sign = (value: bigint, bits: number) => BigInt.asIntN(bits, value);

/** Runs a property and asserts every generated case reached the code (none is filtered out). */
function assertAll<T extends unknown[]>(
  runs: number,
  arbitraries: { [K in keyof T]: fc.Arbitrary<T[K]> },
  body: (...values: T) => void,
): void {
  let reached = 0;
  fc.assert(
    fc.property(...(arbitraries as unknown as [fc.Arbitrary<unknown>]), (...values: unknown[]) => {
      reached++;
      body(...(values as T));
    }),
    { numRuns: runs, seed: 11 },
  );
  expect(reached).toBeGreaterThanOrEqual(runs);
}

describe('isa-semantics', () => {
  it('limb multiply and byte swaps equal BigInt arithmetic', () => {
    assertAll(500, [u32, u32], (a, b) => {
      expect(mulHighU32(a, b) >>> 0).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      const bytes = [a & 0xff, (a >>> 8) & 0xff, (a >>> 16) & 0xff, a >>> 24];
      expect(byteSwap32(a) >>> 0).toBe(
        ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0,
      );
      expect(byteSwap16(a)).toBe((bytes[0] << 8) | bytes[1]);
    });
  });

  it('32-bit division: x/0 = 0, x%0 = x, INT_MIN/-1 wraps, x%-1 = 0, truncation toward zero', () => {
    assertAll(1000, [u32, u32], (a, b) => {
      const A = BigInt(a);
      const B = BigInt(b);
      expect(div32(a, b) >>> 0).toBe(b === 0 ? 0 : Number(A / B));
      expect(mod32(a, b) >>> 0).toBe(b === 0 ? a : Number(A % B));
      const sa = sign(A, 32);
      const sb = sign(B, 32);
      expect(sdiv32(a, b) >>> 0).toBe(b === 0 ? 0 : Number(BigInt.asUintN(32, sa / sb)));
      expect(smod32(a, b) >>> 0).toBe(b === 0 ? a : Number(BigInt.asUintN(32, sa % sb)));
    });
    expect(sdiv32(0x8000_0000, -1) >>> 0).toBe(0x8000_0000);
    expect(smod32(0x8000_0000, -1)).toBe(0);
    expect(sdiv32(-7, 2)).toBe(-3);
    expect(smod32(-7, 2)).toBe(-1);
  });

  it('64-bit division has the same corners', () => {
    assertAll(1000, [u64, u64], (a, b) => {
      expect(divide64('div', a, b)).toBe(b === 0n ? 0n : a / b);
      expect(divide64('mod', a, b)).toBe(b === 0n ? a : a % b);
      const expected = (q: bigint) => BigInt.asUintN(64, q);
      expect(divide64('sdiv', a, b)).toBe(b === 0n ? 0n : expected(sign(a, 64) / sign(b, 64)));
      expect(divide64('smod', a, b)).toBe(b === 0n ? a : expected(sign(a, 64) % sign(b, 64)));
    });
    expect(divide64('sdiv', 1n << 63n, (1n << 64n) - 1n)).toBe(1n << 63n);
    expect(divide64('smod', 1n << 63n, (1n << 64n) - 1n)).toBe(0n);
  });

  it('sign extension, comparisons and halves', () => {
    assertAll(1000, [u64, u64, fc.constantFrom(8, 16, 32)], (a, b, bits) => {
      const [alo, ahi, blo, bhi] = [lowHalf(a), highHalf(a), lowHalf(b), highHalf(b)];
      expect(joinHalves(alo, ahi)).toBe(a);
      expect(Math.sign(compareU64(alo, ahi, blo, bhi))).toBe(a === b ? 0 : a > b ? 1 : -1);
      const [sa, sb] = [sign(a, 64), sign(b, 64)];
      expect(Math.sign(compareS64(alo, ahi, blo, bhi))).toBe(sa === sb ? 0 : sa > sb ? 1 : -1);
      expect(signExtend(alo, bits)).toBe(Number(sign(a, bits)));
    });
  });

  it('DIVISION_CORNERS says what the division functions do', () => {
    const intMin = 1n << 63n;
    const minusOne = (1n << 64n) - 1n;
    for (const kind of ['div', 'mod', 'sdiv', 'smod'] as const) {
      const corners = DIVISION_CORNERS[kind];
      expect(divide64(kind, 12345n, 0n)).toBe(corners.byZero === 'zero' ? 0n : 12345n);
      const byMinusOne = divide64(kind, intMin + 5n, minusOne);
      if (corners.byMinusOne === 'zero') expect(byMinusOne).toBe(0n);
      if (corners.byMinusOne === 'negate') expect(byMinusOne).toBe(BigInt.asUintN(64, -(intMin + 5n)));
    }
    expect(sdiv32(-0x8000_0000, -1)).toBe(-0x8000_0000);
    expect(smod32(-0x8000_0000, -1)).toBe(0);
  });
});
