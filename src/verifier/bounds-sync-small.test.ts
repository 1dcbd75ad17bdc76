import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmallBounds, syncSmall } from './bounds-sync-small.js';
import {
  S32_MAX,
  S32_MIN,
  S64_MIN,
  type ScalarBounds,
  syncBounds,
  syncBoundsBigint,
  U32_MAX,
  U64_MAX,
} from './scalar.js';

const LIMIT53 = (1n << 53n) - 1n;
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const clamp = (v: bigint, lo: bigint, hi: bigint): bigint => (v < lo ? lo : v > hi ? hi : v);

/** A non-negative value of a random bit width up to 53, so that small and large magnitudes both occur. */
const u53Arb = fc
  .integer({ min: 0, max: 53 })
  .chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }));

const maskArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 52 }).map((n) => (1n << BigInt(n)) - 1n), weight: 4 },
  { arbitrary: fc.tuple(u53Arb, u53Arb).map(([a, b]) => a & b), weight: 2 },
  { arbitrary: u53Arb, weight: 2 },
);

/** Distance of a bound from the value: none, a little, or anything. */
const slackArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 2 },
  { arbitrary: fc.bigInt({ min: 1n, max: 64n }), weight: 4 },
  { arbitrary: u53Arb, weight: 3 },
);

/** What replaces a field now and then: a value unrelated to the others, or one outside the number path's domain. */
const wildArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(undefined),
  fc.constant(undefined),
  fc.constant(undefined),
  u53Arb,
  fc.constantFrom(-1n, S64_MIN, U64_MAX, 1n << 53n, S32_MIN, U32_MAX),
);

/**
 * Registers as sync receives them: built around a value with bounds at random distances, some fields replaced by
 * unrelated values (inconsistent registers, as refinement of an impossible branch leaves them) or by values the
 * number path must refuse.
 */
const registerArb: fc.Arbitrary<ScalarBounds> = fc
  .tuple(
    u53Arb,
    maskArb,
    fc.array(slackArb, { minLength: 8, maxLength: 8 }),
    fc.array(wildArb, { minLength: 9, maxLength: 9 }),
  )
  .map(([x, mask, slack, wild]) => {
    const [a, b, c, d, e, f, g, h] = slack as bigint[];
    const pick = (i: number, fallback: bigint, lo: bigint, hi: bigint): bigint => {
      const w = wild[i];
      return w === undefined ? fallback : clamp(w, lo, hi);
    };
    const m = mask & LIMIT53;
    return {
      varOff: { value: pick(0, x, 0n, U64_MAX) & ~m, mask: m },
      umin: pick(1, clamp(x - a, 0n, LIMIT53), 0n, U64_MAX),
      umax: pick(2, clamp(x + b, 0n, LIMIT53), 0n, U64_MAX),
      smin: pick(3, clamp(x - c, 0n, LIMIT53), S64_MIN, U64_MAX >> 1n),
      smax: pick(4, clamp(x + d, 0n, LIMIT53), S64_MIN, U64_MAX >> 1n),
      u32Min: pick(5, clamp(u32(x) - e, 0n, U32_MAX), 0n, U32_MAX),
      u32Max: pick(6, clamp(u32(x) + f, 0n, U32_MAX), 0n, U32_MAX),
      s32Min: pick(7, clamp(s32(x) - g, S32_MIN, S32_MAX), S32_MIN, S32_MAX),
      s32Max: pick(8, clamp(s32(x) + h, S32_MIN, S32_MAX), S32_MIN, S32_MAX),
    };
  });

function toSmall(r: ScalarBounds): SmallBounds {
  const s = new SmallBounds();
  s.value = Number(r.varOff.value);
  s.mask = Number(r.varOff.mask);
  s.smin = Number(r.smin);
  s.smax = Number(r.smax);
  s.umin = Number(r.umin);
  s.umax = Number(r.umax);
  s.s32Min = Number(r.s32Min);
  s.s32Max = Number(r.s32Max);
  s.u32Min = Number(r.u32Min);
  s.u32Max = Number(r.u32Max);
  return s;
}

function fromSmall(s: SmallBounds): ScalarBounds {
  return {
    varOff: { value: BigInt(s.value), mask: BigInt(s.mask) },
    smin: BigInt(s.smin),
    smax: BigInt(s.smax),
    umin: BigInt(s.umin),
    umax: BigInt(s.umax),
    s32Min: BigInt(s.s32Min),
    s32Max: BigInt(s.s32Max),
    u32Min: BigInt(s.u32Min),
    u32Max: BigInt(s.u32Max),
  };
}

describe('reg_bounds_sync on numbers', () => {
  it('gives what the bigint sync gives, on every register it accepts', () => {
    let accepted = 0;
    let refused = 0;
    let tightened = 0;
    fc.assert(
      fc.property(registerArb, (r) => {
        const expected = syncBoundsBigint(r);
        // Through scalar.ts: the number path where it applies, the bigint one elsewhere.
        expect(syncBounds(r)).toEqual(expected);
        const small = toSmall(r);
        if (!syncSmall(small)) {
          refused++;
          return;
        }
        accepted++;
        expect(fromSmall(small)).toEqual(expected);
        if (expected.umax !== r.umax || expected.varOff.mask !== r.varOff.mask) tightened++;
      }),
      { numRuns: 20000, seed: 0x5bd1e995 },
    );
    // Most registers reach the number path, a good share of them changed by the sync; some are refused.
    expect(accepted).toBeGreaterThan(10000);
    expect(tightened).toBeGreaterThan(8000);
    expect(refused).toBeGreaterThan(5000);
  });

  it('handles the tnum-step corner: a range holding one value of the tnum becomes that constant', () => {
    // var_off (0x10; 0x3) holds 16..19; u64 [17, 17] is a single member.
    const r: ScalarBounds = {
      varOff: { value: 16n, mask: 3n },
      smin: 0n,
      smax: 100n,
      umin: 17n,
      umax: 17n,
      s32Min: S32_MIN,
      s32Max: S32_MAX,
      u32Min: 0n,
      u32Max: U32_MAX,
    };
    const small = toSmall(r);
    expect(syncSmall(small)).toBe(true);
    expect(fromSmall(small)).toEqual(syncBoundsBigint(r));
    expect(small.mask).toBe(0);
    expect(small.value).toBe(17);
  });

  it('refuses registers outside its domain', () => {
    const negative: ScalarBounds = { ...syncBoundsBigint(toBig(5)), smin: -1n };
    expect(syncSmall(toSmall(negative))).toBe(false);
    const huge: ScalarBounds = { ...syncBoundsBigint(toBig(5)), umax: 1n << 53n };
    expect(syncSmall(toSmall(huge))).toBe(false);
  });
});

function toBig(v: number): ScalarBounds {
  const x = BigInt(v);
  return {
    varOff: { value: x, mask: 0n },
    smin: x,
    smax: x,
    umin: x,
    umax: x,
    s32Min: x,
    s32Max: x,
    u32Min: x,
    u32Max: x,
  };
}
