import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AluBinaryOp, CondJumpOp } from '../isa/decoded.js';
import {
  branchTaken,
  coerceToSize,
  coerceToSizeSx,
  constant,
  formatScalar,
  invariantViolation,
  invariantViolationMessage,
  refineBranch,
  refineBranches,
  S32_MAX,
  S32_MIN,
  S64_MAX,
  S64_MIN,
  type ScalarBounds,
  scalarAlu,
  scalarAluUnfolded,
  scalarContains,
  scalarEndian,
  scalarMovsx,
  scalarNeg,
  signMaskSplit,
  syncBounds,
  U32_MAX,
  U64_MAX,
  unknown,
} from './scalar.js';
import { tnumConst } from './tnum.js';

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

// ---------------------------------------------------------------- concrete semantics (RFC 9669)

function aluConcrete(op: AluBinaryOp, width: 32 | 64, x: bigint, y: bigint): bigint {
  const bits = BigInt(width);
  const un = (v: bigint): bigint => BigInt.asUintN(width, v);
  const sn = (v: bigint): bigint => BigInt.asIntN(width, v);
  const a = un(x);
  const b = un(y);
  const shift = b & (bits - 1n);
  let r: bigint;
  switch (op) {
    case 'add':
      r = a + b;
      break;
    case 'sub':
      r = a - b;
      break;
    case 'mul':
      r = a * b;
      break;
    case 'div':
      r = b === 0n ? 0n : a / b;
      break;
    case 'mod':
      r = b === 0n ? a : a % b;
      break;
    case 'sdiv':
      r = b === 0n ? 0n : sn(a) / sn(b);
      break;
    case 'smod':
      r = b === 0n ? a : sn(a) % sn(b);
      break;
    case 'and':
      r = a & b;
      break;
    case 'or':
      r = a | b;
      break;
    case 'xor':
      r = a ^ b;
      break;
    case 'lsh':
      r = a << shift;
      break;
    case 'rsh':
      r = a >> shift;
      break;
    case 'arsh':
      r = sn(a) >> shift;
      break;
    case 'mov':
      r = b;
      break;
  }
  return un(r);
}

function condConcrete(op: CondJumpOp, width: 32 | 64, x: bigint, y: bigint): boolean {
  const a = BigInt.asUintN(width, x);
  const b = BigInt.asUintN(width, y);
  const sa = BigInt.asIntN(width, x);
  const sb = BigInt.asIntN(width, y);
  switch (op) {
    case 'jeq':
      return a === b;
    case 'jne':
      return a !== b;
    case 'jgt':
      return a > b;
    case 'jge':
      return a >= b;
    case 'jlt':
      return a < b;
    case 'jle':
      return a <= b;
    case 'jsgt':
      return sa > sb;
    case 'jsge':
      return sa >= sb;
    case 'jslt':
      return sa < sb;
    case 'jsle':
      return sa <= sb;
    case 'jset':
      return (a & b) !== 0n;
  }
}

// ---------------------------------------------------------------- abstract values around a concrete one

const U64 = U64_MAX;
const u64Arb = fc.bigInt({ min: 0n, max: U64 });
/** Concrete values near the interesting edges as well as anywhere. */
const valueArb = fc.oneof(
  u64Arb,
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: -300n, max: 300n }).map(u64),
  fc.bigInt({ min: 0n, max: U32_MAX }),
  fc.bigInt({ min: S32_MIN, max: S32_MAX }).map(u64),
);
const maskArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 64 }).map((n) => (1n << BigInt(n)) - 1n), weight: 4 },
  { arbitrary: fc.tuple(u64Arb, u64Arb).map(([a, b]) => a & b), weight: 2 },
  { arbitrary: u64Arb, weight: 2 },
);
/** How far a bound sits from the value: 0, a little, or anywhere up to the type's end. */
const slackArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 64n }), weight: 4 },
  { arbitrary: u64Arb, weight: 3 },
);

interface Sample {
  abs: ScalarBounds;
  /** Values of `abs`, the first being the one it was built around. */
  values: bigint[];
}

/** Keeps the values `abs` really contains (most do; they are the cases that reach the checks). */
function sampleOf(abs: ScalarBounds, candidates: bigint[]): Sample {
  return { abs, values: [...new Set(candidates.map(u64))].filter((v) => scalarContains(abs, v)) };
}

function sampleAround(
  x: bigint,
  mask: bigint,
  slack: bigint[],
  noise: bigint[],
  asConstant: boolean,
): Sample {
  if (asConstant) return sampleOf(constant(x), [x]);
  const [a, b, c, d, e, f, g, h] = slack as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  const clampS = (v: bigint, lo: bigint, hi: bigint): bigint => (v < lo ? lo : v > hi ? hi : v);
  const raw: ScalarBounds = {
    varOff: { value: x & ~mask & U64, mask },
    umin: clampS(x - a, 0n, U64),
    umax: clampS(x + b, 0n, U64),
    smin: clampS(s64(x) - c, S64_MIN, S64_MAX),
    smax: clampS(s64(x) + d, S64_MIN, S64_MAX),
    u32Min: clampS(u32(x) - e, 0n, U32_MAX),
    u32Max: clampS(u32(x) + f, 0n, U32_MAX),
    s32Min: clampS(s32(x) - g, S32_MIN, S32_MAX),
    s32Max: clampS(s32(x) + h, S32_MIN, S32_MAX),
  };
  const abs = syncBounds(raw);
  const members = noise.map((r) => abs.varOff.value | (r & abs.varOff.mask));
  return sampleOf(abs, [x, x + 1n, x - 1n, abs.umin, abs.umax, abs.smin, abs.smax, ...members]);
}

const shapeArb = fc.tuple(
  maskArb,
  fc.array(slackArb, { minLength: 8, maxLength: 8 }),
  fc.array(u64Arb, { minLength: 6, maxLength: 6 }),
  fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
);

const sampleArb: fc.Arbitrary<Sample> = fc
  .tuple(valueArb, shapeArb)
  .map(([x, [mask, slack, noise, asConstant]]) => sampleAround(x, mask, slack, noise, asConstant));

/** Two abstract values, often around nearby values so that comparisons between them are open. */
const pairArb: fc.Arbitrary<[Sample, Sample]> = fc
  .tuple(valueArb, fc.oneof(fc.bigInt({ min: -64n, max: 64n }), u64Arb), shapeArb, shapeArb)
  .map(([x, delta, p, q]) => [sampleAround(x, ...p), sampleAround(u64(x + delta), ...q)]);

const ALU_OPS: AluBinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'sdiv',
  'mod',
  'smod',
  'and',
  'or',
  'xor',
  'lsh',
  'rsh',
  'arsh',
  'mov',
];
const JUMP_OPS: CondJumpOp[] = [
  'jeq',
  'jne',
  'jgt',
  'jge',
  'jlt',
  'jle',
  'jsgt',
  'jsge',
  'jslt',
  'jsle',
  'jset',
];
const widthArb = fc.constantFrom(32 as const, 64 as const);

describe('scalar domain soundness', () => {
  it('the abstract values built for the tests hold the values they were built around', () => {
    let reached = 0;
    fc.assert(
      fc.property(sampleArb, (s) => {
        expect(invariantViolation(s.abs)).toBeUndefined();
        expect(s.values.length).toBeGreaterThan(0);
        reached++;
      }),
      { numRuns: 3000 },
    );
    expect(reached).toBe(3000);
  });

  it('every ALU result holds every concrete result (tnum and all eight bounds)', () => {
    let pairs = 0;
    fc.assert(
      fc.property(pairArb, fc.constantFrom(...ALU_OPS), widthArb, ([d, s], op, width) => {
        const r = scalarAlu(op, width, d.abs, s.abs);
        expect(invariantViolation(r)).toBeUndefined();
        for (const x of d.values)
          for (const y of s.values) {
            pairs++;
            const z = aluConcrete(op, width, x, y);
            if (!scalarContains(r, z))
              throw new Error(
                `${op}${width} ${x} ${y} -> ${z} not in ${formatScalar(r)} (${formatScalar(d.abs)}, ${formatScalar(s.abs)})`,
              );
          }
      }),
      { numRuns: 6000 },
    );
    expect(pairs).toBeGreaterThan(6000 * 2);
  });

  it('negation, byte swaps, sign extensions and narrowing loads hold their concrete results', () => {
    let values = 0;
    fc.assert(
      fc.property(sampleArb, widthArb, (d, width) => {
        const results: [string, ScalarBounds, (x: bigint) => bigint][] = [
          ['neg', scalarNeg(width, d.abs), (x) => BigInt.asUintN(width, -x)],
          ['le16', scalarEndian('le', 16, d.abs), (x) => x & 0xffffn],
          ['le32', scalarEndian('le', 32, d.abs), (x) => x & 0xffff_ffffn],
          ['le64', scalarEndian('le', 64, d.abs), (x) => x],
        ];
        for (const bits of [16, 32, 64] as const) {
          const swap = (x: bigint): bigint => {
            let out = 0n;
            for (let i = 0n; i < BigInt(bits); i += 8n) out = (out << 8n) | ((x >> i) & 0xffn);
            return out;
          };
          results.push([`be${bits}`, scalarEndian('be', bits, d.abs), swap]);
          results.push([`bswap${bits}`, scalarEndian('swap', bits, d.abs), swap]);
        }
        for (const size of [1, 2, 4] as const) {
          const n = size * 8;
          results.push([`u${n}`, coerceToSize(d.abs, size), (x) => BigInt.asUintN(n, x)]);
          results.push([`s${n}`, coerceToSizeSx(d.abs, size), (x) => u64(BigInt.asIntN(n, x))]);
          results.push([
            `movsx64 s${n}`,
            scalarMovsx(64, n as 8 | 16 | 32, d.abs),
            (x) => u64(BigInt.asIntN(n, x)),
          ]);
          results.push([
            `movsx32 s${n}`,
            scalarMovsx(32, n as 8 | 16 | 32, d.abs),
            (x) => BigInt.asUintN(32, BigInt.asIntN(n, x)),
          ]);
        }
        for (const [name, r, f] of results)
          for (const x of d.values) {
            values++;
            if (!scalarContains(r, f(x)))
              throw new Error(`${name} ${x} not in ${formatScalar(r)} (${formatScalar(d.abs)})`);
          }
      }),
      { numRuns: 3000 },
    );
    expect(values).toBeGreaterThan(3000 * 20);
  });

  it('a decided branch goes the way of every concrete pair; each side keeps the pairs that take it', () => {
    let pairs = 0;
    let undecided = 0;
    fc.assert(
      fc.property(pairArb, fc.constantFrom(...JUMP_OPS), widthArb, ([d, s], op, width) => {
        const taken = branchTaken(op, width, d.abs, s.abs);
        const both = taken === -1 ? refineBranches(op, width, d.abs, s.abs) : undefined;
        if (both) undecided++;
        for (const x of d.values)
          for (const y of s.values) {
            pairs++;
            const cond = condConcrete(op, width, x, y);
            if (taken !== -1) {
              expect(cond).toBe(taken === 1);
              continue;
            }
            const side = refineBranch(op, width, d.abs, s.abs, cond);
            const where = `${op}${width} ${cond} ${x} ${y} (${formatScalar(d.abs)}, ${formatScalar(s.abs)})`;
            if (!side) throw new Error(`possible side refused: ${where}`);
            if (!scalarContains(side.dst, x) || !scalarContains(side.src, y))
              throw new Error(`${where} -> ${formatScalar(side.dst)}, ${formatScalar(side.src)}`);
            const pair = cond ? both?.taken : both?.fallthrough;
            expect(pair && scalarContains(pair.dst, x) && scalarContains(pair.src, y)).toBe(true);
            expect(both?.failures.some((f) => f.context.startsWith(cond ? 'true' : 'false'))).toBe(false);
          }
      }),
      { numRuns: 8000 },
    );
    expect(pairs).toBeGreaterThan(8000 * 2);
    expect(undecided).toBeGreaterThan(1000);
  });

  it('and/or of a register whose low half is -1 or 0 by a constant splits into the two cases', () => {
    const minusOneOrZero = syncBounds({ ...unknown(), smin: -1n, smax: 0n });
    const split = signMaskSplit('and', 64, minusOneOrZero, constant(255n));
    expect(
      split && [formatScalar(syncBounds(split.current)), formatScalar(syncBounds(split.pushed))],
    ).toEqual(['-1', '0']);
    expect(split && formatScalar(scalarAlu('and', 64, split.current, constant(255n)))).toBe('255');
    expect(signMaskSplit('xor', 64, minusOneOrZero, constant(255n))).toBeUndefined();
    expect(signMaskSplit('and', 64, minusOneOrZero, unknown())).toBeUndefined();
    // At 32 bits the s32 range decides: a zero-extended [-1, 0] still has it.
    expect(signMaskSplit('or', 32, coerceToSize(minusOneOrZero, 4), constant(5n))).toBeDefined();
    expect(signMaskSplit('or', 32, coerceToSize(unknown(), 4), constant(5n))).toBeUndefined();
  });
});

describe('scalar domain on every small signed interval', () => {
  // Every interval within [-3, 3], as a synced register: small enough to check exhaustively.
  const intervals: { abs: ScalarBounds; values: bigint[] }[] = [];
  for (let lo = -3n; lo <= 3n; lo++)
    for (let hi = lo; hi <= 3n; hi++) {
      const abs = syncBounds({ ...unknown(), smin: lo, smax: hi });
      const values: bigint[] = [];
      for (let v = lo; v <= hi; v++) values.push(u64(v));
      intervals.push({ abs, values });
    }

  it('ALU results hold every concrete result', () => {
    let checked = 0;
    for (const d of intervals)
      for (const s of intervals)
        for (const op of ALU_OPS)
          for (const width of [32, 64] as const) {
            const r = scalarAlu(op, width, d.abs, s.abs);
            for (const x of d.values)
              for (const y of s.values) if (scalarContains(r, aluConcrete(op, width, x, y))) checked++;
          }
    const valuePairs = intervals.reduce((n, i) => n + i.values.length, 0) ** 2;
    expect(checked).toBe(valuePairs * ALU_OPS.length * 2);
  });

  it('branches are decided rightly and refined without losing a pair', () => {
    let checked = 0;
    for (const d of intervals)
      for (const s of intervals)
        for (const op of JUMP_OPS)
          for (const width of [32, 64] as const) {
            const taken = branchTaken(op, width, d.abs, s.abs);
            for (const x of d.values)
              for (const y of s.values) {
                const cond = condConcrete(op, width, x, y);
                const side = taken === -1 ? refineBranch(op, width, d.abs, s.abs, cond) : undefined;
                const ok =
                  taken === -1
                    ? side !== undefined && scalarContains(side.dst, x) && scalarContains(side.src, y)
                    : cond === (taken === 1);
                if (ok) checked++;
              }
          }
    const valuePairs = intervals.reduce((n, i) => n + i.values.length, 0) ** 2;
    expect(checked).toBe(valuePairs * JUMP_OPS.length * 2);
  });
});

describe('the kernel log text of a scalar', () => {
  const u32Load = coerceToSize(unknown(), 4);
  const byte = scalarAlu('and', 64, u32Load, constant(255n));

  it('prints constants as signed decimals when small and as hex bits otherwise', () => {
    expect(formatScalar(constant(-8n))).toBe('-8');
    expect(formatScalar(constant(0xffff_fff8n))).toBe('0xfffffff8');
    expect(formatScalar(constant(32767n))).toBe('32767');
    expect(formatScalar(constant(0x8000n))).toBe('0x8000');
    expect(formatScalar(constant(-32768n))).toBe('-32768');
    expect(formatScalar(constant(-32769n))).toBe('0xffffffffffff7fff');
    expect(formatScalar(constant(0xfffc00f00000ffffn))).toBe('0xfffc00f00000ffff');
  });

  it('groups equal minima and maxima and leaves out defaults, as in real logs', () => {
    expect(formatScalar(unknown())).toBe('scalar()');
    expect(formatScalar(u32Load)).toBe('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(formatScalar(byte)).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
    expect(formatScalar(scalarAlu('add', 64, byte, constant(1n)))).toBe(
      'scalar(smin=umin=smin32=umin32=1,smax=umax=smax32=umax32=256,var_off=(0x0; 0x1ff))',
    );
    const shifted = scalarAlu('lsh', 64, u32Load, constant(32n));
    expect(formatScalar(shifted)).toBe(
      'scalar(smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))',
    );
    expect(formatScalar(scalarAlu('arsh', 64, shifted, constant(32n)))).toBe(
      'scalar(smin=0xffffffff80000000,smax=0x7fffffff)',
    );
    expect(
      formatScalar(scalarAlu('and', 64, scalarAlu('arsh', 64, shifted, constant(32n)), constant(-8n))),
    ).toBe(
      'scalar(smax=0x7ffffffffffffff8,umax=0xfffffffffffffff8,smax32=0x7ffffff8,umax32=0xfffffff8,var_off=(0x0; 0xfffffffffffffff8))',
    );
  });

  it('never groups a negative with a non-negative; a large s32 bound prints, and groups, as its u32 bits', () => {
    const masked = scalarAlu('and', 64, u32Load, constant(0xf0n));
    expect(formatScalar(scalarNeg(64, masked))).toBe(
      'scalar(smin=smin32=-240,smax=smax32=0,umax=0xfffffffffffffff0,umax32=0xfffffff0,var_off=(0x0; 0xfffffffffffffff0))',
    );
    expect(formatScalar(scalarNeg(32, masked))).toBe(
      'scalar(smin=0,smax=umax=umax32=0xfffffff0,smin32=-240,smax32=0,var_off=(0x0; 0xfffffff0))',
    );
    const r = syncBounds({
      ...u32Load,
      u32Min: 0x8000_0085n,
      u32Max: 0xffff_ff85n,
      varOff: { value: 0x85n, mask: 0xffff_ff00n },
    });
    expect(formatScalar(r)).toBe(
      'scalar(smin=umin=smin32=umin32=0x80000085,smax=umax=umax32=0xffffff85,smax32=-123,var_off=(0x80000085; 0x7fffff00))',
    );
  });

  it('prints the id, its added constant and the precision mark the caller supplies', () => {
    expect(formatScalar(byte, { id: 1 })).toBe(
      'scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))',
    );
    expect(formatScalar(scalarAlu('add', 64, byte, constant(1n)), { id: 1, addConst: 1 })).toMatch(
      /^scalar\(id=1\+1,smin=/,
    );
    expect(formatScalar(byte, { id: 3, addConst: -2, precise: true })).toMatch(/^Pscalar\(id=3-2,/);
    expect(formatScalar(constant(0n), { precise: true })).toBe('P0');
  });
});

describe('6.18 specifics', () => {
  const u32Load = coerceToSize(unknown(), 4);

  it('gives up on division, modulo and shifts by an unknown or too large amount, without zero-extension', () => {
    for (const op of ['div', 'sdiv', 'mod', 'smod'] as const)
      expect(scalarAlu(op, 32, u32Load, constant(3n))).toEqual(unknown());
    expect(scalarAlu('lsh', 64, u32Load, u32Load)).toEqual(unknown());
    expect(scalarAlu('lsh', 32, u32Load, syncBounds({ ...u32Load, umin: 3n, umax: 3n }))).not.toEqual(
      unknown(),
    );
    expect(scalarAlu('rsh', 32, u32Load, constant(0x1_0000_0003n))).toEqual(unknown());
  });

  it('a range holding one value of the tnum is that constant', () => {
    const t = scalarAlu('and', 64, u32Load, constant(0x8008n));
    const side = refineBranch('jlt', 64, t, constant(0x8001n), false);
    expect(side && formatScalar(side.dst)).toBe('0x8008');
  });

  it('reproduces a real invariant violation of Linux 6.18 on an impossible branch side, word for word', () => {
    // From a kernel log: `if r2 > r6` where r6 has zero low bits and lies in [2^31, 2^63).
    const r2 = syncBounds({
      ...unknown(),
      varOff: { value: 0xa7n, mask: 0xffff_ff58n },
      umin: 167n,
      umax: 0xffff_ffffn,
      s32Min: -0x7fff_ff59n,
    });
    const r6 = syncBounds({
      ...unknown(),
      varOff: { value: 0n, mask: 0x7fff_ff7f_0000_0000n },
      umin: 0x8000_0000n,
      smin: 0x8000_0000n,
    });
    expect(formatScalar(r6)).toBe(
      'scalar(smin=umin=0x80000000,smax=umax=0x7fffff7f00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0x7fffff7f00000000))',
    );
    const sides = refineBranches('jgt', 64, r2, r6);
    expect(sides.failures.map((f) => f.message)).toEqual([
      'verifier bug: REG INVARIANTS VIOLATION (true_reg2): range bounds violation u64=[0x0, 0x7fffff7f00000000] s64=[0x0, 0xfffffffffffffffe] u32=[0x80000000, 0x0] s32=[0x0, 0xfffffffe] var_off=(0x0, 0x7fffff7f00000000)',
    ]);
    // Without BPF_F_TEST_REG_INVARIANTS the kernel goes on with the ranges forgotten.
    expect(formatScalar(sides.taken.src)).toBe('scalar(var_off=(0x0; 0x7fffff7f00000000))');
  });

  it('reports the kernel line of an inconsistent refinement', () => {
    const r: ScalarBounds = { ...constant(0n), umin: 3n, smin: 3n, u32Min: 3n, s32Min: 3n };
    const problem = invariantViolation(r);
    expect(problem).toBe('range bounds violation');
    expect(invariantViolationMessage(r, 'false_reg1', problem as string)).toBe(
      'verifier bug: REG INVARIANTS VIOLATION (false_reg1): range bounds violation u64=[0x3, 0x0] s64=[0x3, 0x0] u32=[0x3, 0x0] s32=[0x3, 0x0] var_off=(0x0, 0x0)',
    );
    expect(invariantViolation({ ...unknown(), varOff: tnumConst(5n) })).toBe(
      'const tnum out of sync with range bounds',
    );
  });
});

describe('constant folding', () => {
  // Edges of every width, small values, and anything.
  const constantArb = fc.oneof(
    fc.constantFrom(0n, 1n, 31n, 32n, 63n, 64n, S32_MAX, U32_MAX, S64_MAX, U64_MAX, 1n << 31n, 1n << 63n),
    fc.bigInt({ min: -300n, max: 300n }).map(u64),
    fc.bigInt({ min: 0n, max: U32_MAX }),
    u64Arb,
  );

  it('gives what the bounds arithmetic gives for two exact constants', () => {
    let folded = 0;
    fc.assert(
      fc.property(constantArb, constantArb, fc.constantFrom(...ALU_OPS), widthArb, (a, b, op, width) => {
        const dst = constant(a);
        const src = constant(b);
        const unfolded = scalarAluUnfolded(op, width, dst, src);
        expect(scalarAlu(op, width, dst, src)).toEqual(unfolded);
        // The cases folding answers: the operations the kernel tracks, shifts only by less than the width.
        const shift = op === 'lsh' || op === 'rsh' || op === 'arsh';
        const computed =
          ['add', 'sub', 'mul', 'and', 'or', 'xor'].includes(op) || (shift && b < BigInt(width));
        if (computed) {
          folded++;
          expect(unfolded.varOff.mask).toBe(0n);
        }
      }),
      { numRuns: 8000, seed: 0x2f6b1d },
    );
    expect(folded).toBeGreaterThan(3000);
  });

  it('leaves a constant tnum with unrelated bounds (an impossible branch side) to the bounds arithmetic', () => {
    const inconsistent: ScalarBounds = { ...unknown(), varOff: tnumConst(5n) };
    expect(scalarAlu('add', 64, inconsistent, constant(1n))).toEqual(
      scalarAluUnfolded('add', 64, inconsistent, constant(1n)),
    );
  });
});
