import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTnum,
  TNUM_UNKNOWN,
  type Tnum,
  tnumAdd,
  tnumAnd,
  tnumArshift,
  tnumByteSwap,
  tnumCast,
  tnumClearSubreg,
  tnumConst,
  tnumContains,
  tnumIn,
  tnumIntersect,
  tnumIsAligned,
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
  tnumUnion,
  tnumWithSubreg,
  tnumXor,
} from './tnum.js';

const U64 = (1n << 64n) - 1n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);

const u64Arb = fc.bigInt({ min: 0n, max: U64 });

/** Masks are often sparse or low: an AND of random words, or a low run of bits. */
const maskArb = fc.oneof(
  u64Arb,
  fc.tuple(u64Arb, u64Arb).map(([a, b]) => a & b),
  fc.integer({ min: 0, max: 64 }).map((n) => (1n << BigInt(n)) - 1n),
  fc.constant(0n),
);
const tnumArb: fc.Arbitrary<Tnum> = fc
  .tuple(u64Arb, maskArb)
  .map(([v, m]) => ({ value: v & ~m & U64, mask: m }));
/** A tnum and one of its values. */
const memberArb = fc.tuple(tnumArb, u64Arb).map(([t, r]) => ({ t, x: t.value | (r & t.mask) }));

/** All tnums whose bits above `bits` are known zero. */
function smallTnums(bits: number): Tnum[] {
  const out: Tnum[] = [];
  const total = 3 ** bits;
  for (let n = 0; n < total; n++) {
    let value = 0n;
    let mask = 0n;
    let k = n;
    for (let b = 0n; b < BigInt(bits); b++) {
      const trit = k % 3;
      k = Math.floor(k / 3);
      if (trit === 1) value |= 1n << b;
      if (trit === 2) mask |= 1n << b;
    }
    out.push({ value, mask });
  }
  return out;
}

function members(t: Tnum): bigint[] {
  const out: bigint[] = [];
  for (let sub = t.mask; ; sub = (sub - 1n) & t.mask) {
    out.push(t.value | sub);
    if (sub === 0n) break;
  }
  return out;
}

const binary: [string, (a: Tnum, b: Tnum) => Tnum, (x: bigint, y: bigint) => bigint][] = [
  ['add', tnumAdd, (x, y) => u64(x + y)],
  ['sub', tnumSub, (x, y) => u64(x - y)],
  ['mul', tnumMul, (x, y) => u64(x * y)],
  ['and', tnumAnd, (x, y) => x & y],
  ['or', tnumOr, (x, y) => x | y],
  ['xor', tnumXor, (x, y) => x ^ y],
];

describe('tnum soundness on random 64-bit values', () => {
  for (const [name, op, concrete] of binary) {
    it(`${name}: the result holds every concrete result`, () => {
      let reached = 0;
      fc.assert(
        fc.property(memberArb, memberArb, ({ t: a, x }, { t: b, x: y }) => {
          reached++;
          const r = op(a, b);
          expect(r.value & r.mask).toBe(0n);
          expect(tnumContains(r, concrete(x, y))).toBe(true);
        }),
        { numRuns: 2000 },
      );
      expect(reached).toBeGreaterThanOrEqual(2000);
    });
  }

  it('shifts, negation, casts, byte swaps and subregister views hold their concrete results', () => {
    let reached = 0;
    fc.assert(
      fc.property(memberArb, fc.integer({ min: 0, max: 63 }), ({ t, x }, shift) => {
        reached++;
        const s = BigInt(shift);
        expect(tnumContains(tnumLshift(t, shift), u64(x << s))).toBe(true);
        expect(tnumContains(tnumRshift(t, shift), x >> s)).toBe(true);
        expect(tnumContains(tnumArshift(t, shift, 64), u64(BigInt.asIntN(64, x) >> s))).toBe(true);
        const s32 = BigInt(shift % 32);
        const low = x & 0xffff_ffffn;
        expect(
          tnumContains(
            tnumArshift(tnumSubreg(t), shift % 32, 32),
            BigInt.asUintN(32, BigInt.asIntN(32, low) >> s32),
          ),
        ).toBe(true);
        expect(tnumContains(tnumNeg(t), u64(-x))).toBe(true);
        for (const size of [1, 2, 4, 8] as const)
          expect(tnumContains(tnumCast(t, size), x & ((1n << BigInt(size * 8)) - 1n))).toBe(true);
        expect(tnumContains(tnumSubreg(t), low)).toBe(true);
        expect(tnumContains(tnumClearSubreg(t), x & ~0xffff_ffffn & U64)).toBe(true);
        for (const bits of [16, 32, 64] as const) {
          let swapped = 0n;
          for (let i = 0n; i < BigInt(bits); i += 8n) swapped = (swapped << 8n) | ((x >> i) & 0xffn);
          expect(tnumContains(tnumByteSwap(t, bits), swapped)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    expect(reached).toBeGreaterThanOrEqual(2000);
  });

  it('range, union, intersection and subregister replacement hold what they should', () => {
    let reached = 0;
    fc.assert(
      fc.property(memberArb, memberArb, u64Arb, u64Arb, ({ t: a, x }, { t: b, x: y }, p, q) => {
        reached++;
        const [lo, hi] = p < q ? [p, q] : [q, p];
        expect(tnumContains(tnumRange(lo, hi), lo)).toBe(true);
        expect(tnumContains(tnumRange(lo, hi), hi)).toBe(true);
        const u = tnumUnion(a, b);
        expect(tnumContains(u, x) && tnumContains(u, y)).toBe(true);
        expect(tnumIn(u, a) && tnumIn(u, b)).toBe(true);
        if (tnumContains(b, x)) expect(tnumContains(tnumIntersect(a, b), x)).toBe(true);
        if (tnumContains(b, x)) expect(tnumOverlap(a, b)).toBe(true);
        const w = tnumWithSubreg(a, b);
        expect(tnumContains(w, (x & ~0xffff_ffffn & U64) | (y & 0xffff_ffffn))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(reached).toBeGreaterThanOrEqual(2000);
  });
});

describe('tnum against brute force on small widths', () => {
  const four = smallTnums(4);

  it('every binary operation is sound for all pairs of 4-bit tnums and all their values', () => {
    let checked = 0;
    for (const a of four)
      for (const b of four) {
        const xs = members(a);
        const ys = members(b);
        for (const [, op, concrete] of binary) {
          const r = op(a, b);
          // Count only the results that are contained, then require all of them.
          for (const x of xs) for (const y of ys) if (tnumContains(r, concrete(x, y))) checked++;
        }
      }
    const expected = four.reduce((n, a) => n + members(a).length, 0) ** 2 * binary.length;
    expect(checked).toBe(expected);
  });

  it('union is the best tnum for both operands; intersection of overlapping tnums is exact', () => {
    for (const a of four)
      for (const b of four) {
        const u = tnumUnion(a, b);
        // Best: every bit on which all values of both agree stays known.
        const all = [...members(a), ...members(b)];
        const ones = all.reduce((m, x) => m & x, 0xfn);
        const zeros = all.reduce((m, x) => m & ~x, 0xfn);
        expect(u.value).toBe(ones);
        expect((u.mask | ones | zeros) & 0xfn).toBe(0xfn);
        const common = members(a).filter((x) => tnumContains(b, x));
        expect(tnumOverlap(a, b)).toBe(common.length > 0);
        if (common.length > 0) expect(members(tnumIntersect(a, b)).sort()).toEqual(common.sort());
        expect(tnumIn(a, b)).toBe(members(b).every((x) => tnumContains(a, x)));
      }
  });

  it('tnumStep is the next value of the tnum, or its largest when there is none', () => {
    let checked = 0;
    for (const t of smallTnums(5)) {
      const values = members(t).sort((p, q) => (p < q ? -1 : 1));
      const largest = values[values.length - 1] as bigint;
      for (let z = 0n; z < 40n; z++) {
        const next = values.find((x) => x > z) ?? largest;
        expect(tnumStep(t, z)).toBe(next);
        checked++;
      }
    }
    expect(checked).toBe(3 ** 5 * 40);
  });

  it('tnumRange is the smallest tnum holding an interval', () => {
    for (let lo = 0n; lo < 32n; lo++)
      for (let hi = lo; hi < 32n; hi++) {
        const t = tnumRange(lo, hi);
        for (let x = lo; x <= hi; x++) expect(tnumContains(t, x)).toBe(true);
        // Smallest of its shape: the known high bits are those lo and hi share.
        const bits = (lo ^ hi).toString(2).length - (lo === hi ? 1 : 0);
        expect(t.mask).toBe((1n << BigInt(bits)) - 1n);
      }
  });
});

describe('tnum values and text', () => {
  it('prints as the kernel does, 0 as 0x0', () => {
    expect(formatTnum(tnumConst(0n))).toBe('(0x0; 0x0)');
    expect(formatTnum({ value: 0n, mask: 0xffff_ffffn })).toBe('(0x0; 0xffffffff)');
    expect(formatTnum(TNUM_UNKNOWN)).toBe('(0x0; 0xffffffffffffffff)');
  });

  it('constants wrap to u64 and alignment reads the low bits', () => {
    expect(tnumConst(-1n)).toEqual({ value: U64, mask: 0n });
    expect(tnumIsAligned({ value: 8n, mask: 0xf0n }, 8n)).toBe(true);
    expect(tnumIsAligned({ value: 8n, mask: 0xf4n }, 8n)).toBe(false);
    expect(tnumIsAligned(TNUM_UNKNOWN, 0n)).toBe(true);
    expect(tnumRange(0n, U64)).toEqual(TNUM_UNKNOWN);
  });

  it('multiplies as Linux 6.18 does (the union-based long multiplication)', () => {
    // From the kernel's log: (0x3; 0xf0) squared is (0x9; 0xfff0).
    expect(tnumMul({ value: 3n, mask: 0xf0n }, { value: 3n, mask: 0xf0n })).toEqual({
      value: 9n,
      mask: 0xfff0n,
    });
  });
});
