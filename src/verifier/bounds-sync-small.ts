// reg_bounds_sync in plain numbers for the common register whose 64-bit bounds and tnum are non-negative safe integers.
//
// The scalar domain keeps bigints (exact for all of u64/s64), but each bigint operation allocates, and sync runs for
// every ALU result and both sides of every branch. Most registers hold small non-negative values (packet offsets,
// lengths, masked fields); for them every 64-bit quantity fits a double exactly and s64(x) = u64(x) = x, so the same
// steps run on numbers. Where a step would leave that domain the caller runs the bigint path from the start.
// scalar.ts owns the semantics; bounds-sync-small.test.ts checks this path against it on random registers.

/** 2^53: every integer below it is exact as a double. */
const SAFE_LIMIT = 2 ** 53;
const TWO_32 = 2 ** 32;

/** The register's numbers while they are synced: 64-bit fields in [0, 2^53), 32-bit fields as the kernel's. */
export class SmallBounds {
  value = 0;
  mask = 0;
  smin = 0;
  smax = 0;
  umin = 0;
  umax = 0;
  s32Min = 0;
  s32Max = 0;
  u32Min = 0;
  u32Max = 0;
}

// ---------------------------------------------------------------- 53-bit bit operations

/** High 32 bits of a non-negative safe integer (below 2^21). */
function hi(x: number): number {
  return Math.floor(x / TWO_32);
}

/** Low 32 bits, unsigned (ToUint32 is exact modulo 2^32 for any integer double). */
function lo(x: number): number {
  return x >>> 0;
}

function and(a: number, b: number): number {
  return (hi(a) & hi(b)) * TWO_32 + ((lo(a) & lo(b)) >>> 0);
}

function or(a: number, b: number): number {
  return (hi(a) | hi(b)) * TWO_32 + ((lo(a) | lo(b)) >>> 0);
}

function xor(a: number, b: number): number {
  return (hi(a) ^ hi(b)) * TWO_32 + ((lo(a) ^ lo(b)) >>> 0);
}

/** a & ~b. */
function andNot(a: number, b: number): number {
  return (hi(a) & ~hi(b)) * TWO_32 + ((lo(a) & ~lo(b)) >>> 0);
}

/** Number of significant bits (fls64). */
function bitLength(x: number): number {
  const high = hi(x);
  return high !== 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(lo(x));
}

/** x with the bits below the power of two `p` cleared. */
function floorTo(x: number, p: number): number {
  return x - (x % p);
}

/** The lowest set bit of a non-zero x. */
function lowestBit(x: number): number {
  const low = lo(x);
  if (low !== 0) return (low & -low) >>> 0;
  const high = hi(x);
  return ((high & -high) >>> 0) * TWO_32;
}

// ---------------------------------------------------------------- the sync, step by step as scalar.ts has it

function setKnown(r: SmallBounds, v: number): void {
  r.value = v;
  r.mask = 0;
  r.smin = v;
  r.smax = v;
  r.umin = v;
  r.umax = v;
  r.s32Min = v | 0;
  r.s32Max = v | 0;
  r.u32Min = v >>> 0;
  r.u32Max = v >>> 0;
}

/** The smallest value of the tnum above z, or its largest (tnumStep). */
function tnumStep(value: number, mask: number, z: number): number {
  const y = z + 1;
  const largest = or(value, mask);
  if (y > largest) return largest;
  const conflict = andNot(xor(y, value), mask);
  if (conflict === 0) return y;
  const top = 2 ** (bitLength(conflict) - 1);
  if (and(value, top) !== 0) return floorTo(y, top * 2) + top + (value % top);
  const free = floorTo(andNot(mask, y), top * 2);
  if (free === 0) return largest;
  const low = lowestBit(free);
  return floorTo(y, low * 2) + low + (value % low);
}

function updateBounds32(r: SmallBounds): void {
  const v = lo(r.value);
  const m = lo(r.mask);
  r.s32Min = Math.max(r.s32Min, v | (m & 0x8000_0000));
  r.s32Max = Math.min(r.s32Max, v | (m & 0x7fff_ffff));
  r.u32Min = Math.max(r.u32Min, v);
  r.u32Max = Math.min(r.u32Max, (v | m) >>> 0);
}

function updateBounds64(r: SmallBounds): void {
  const { value, mask } = r;
  const largest = or(value, mask);
  // Bit 63 of the mask is clear: the tnum's signed and unsigned extremes are the same numbers.
  r.smin = Math.max(r.smin, value);
  r.smax = Math.min(r.smax, largest);
  r.umin = Math.max(r.umin, value);
  r.umax = Math.min(r.umax, largest);
  const uminIn = andNot(r.umin, mask) === value;
  if (uminIn && r.umin < r.umax && andNot(r.umax, mask) === value) return;
  const next = tnumStep(value, mask, r.umin);
  if (uminIn && next > r.umax) setKnown(r, r.umin);
  else if (!uminIn && next === largest) setKnown(r, next);
  else if (!uminIn && next <= r.umax && tnumStep(value, mask, next) > r.umax) setKnown(r, next);
}

function updateBounds(r: SmallBounds): void {
  updateBounds32(r);
  updateBounds64(r);
}

function deduceBounds32(r: SmallBounds): void {
  if (hi(r.umin) === hi(r.umax)) {
    r.u32Min = Math.max(r.u32Min, lo(r.umin));
    r.u32Max = Math.min(r.u32Max, lo(r.umax));
    if ((r.umin | 0) <= (r.umax | 0)) {
      r.s32Min = Math.max(r.s32Min, r.umin | 0);
      r.s32Max = Math.min(r.s32Max, r.umax | 0);
    }
  }
  if (hi(r.smin) === hi(r.smax)) {
    r.u32Min = Math.max(r.u32Min, lo(r.smin));
    r.u32Max = Math.min(r.u32Max, lo(r.smax));
    if ((r.smin | 0) <= (r.smax | 0)) {
      r.s32Min = Math.max(r.s32Min, r.smin | 0);
      r.s32Max = Math.min(r.s32Max, r.smax | 0);
    }
  }
  if (hi(r.umin) + 1 === hi(r.umax) && (r.umin | 0) < 0 && (r.umax | 0) >= 0) {
    r.s32Min = Math.max(r.s32Min, r.umin | 0);
    r.s32Max = Math.min(r.s32Max, r.umax | 0);
  }
  if (hi(r.smin) + 1 === hi(r.smax) && (r.smin | 0) < 0 && (r.smax | 0) >= 0) {
    r.s32Min = Math.max(r.s32Min, r.smin | 0);
    r.s32Max = Math.min(r.s32Max, r.smax | 0);
  }
  if ((r.u32Min | 0) <= (r.u32Max | 0)) {
    r.s32Min = Math.max(r.s32Min, r.u32Min | 0);
    r.s32Max = Math.min(r.s32Max, r.u32Max | 0);
  }
  if (r.s32Min >>> 0 <= r.s32Max >>> 0) {
    r.u32Min = Math.max(r.u32Min, r.s32Min >>> 0);
    r.u32Max = Math.min(r.u32Max, r.s32Max >>> 0);
  } else if (r.u32Max < r.s32Min >>> 0) {
    r.s32Min = r.u32Min | 0;
    r.u32Max = Math.min(r.u32Max, r.s32Max >>> 0);
  } else if (r.s32Max >>> 0 < r.u32Min) {
    r.s32Max = r.u32Max | 0;
    r.u32Min = Math.max(r.u32Min, r.s32Min >>> 0);
  }
}

function deduceBounds64(r: SmallBounds): void {
  if (r.umin <= r.umax) {
    r.smin = Math.max(r.smin, r.umin);
    r.smax = Math.min(r.smax, r.umax);
  }
  if (r.smin <= r.smax) {
    r.umin = Math.max(r.umin, r.smin);
    r.umax = Math.min(r.umax, r.smax);
  } else if (r.umax < r.smin) {
    r.smin = r.umin;
    r.umax = Math.min(r.umax, r.smax);
  } else if (r.smax < r.umin) {
    r.smax = r.umax;
    r.umin = Math.max(r.umin, r.smin);
  }
}

/** tnumRange then tnumIntersect into r's tnum. */
function intersectRange(r: SmallBounds, min: number, max: number): void {
  const size = 2 ** bitLength(xor(min, max));
  const mu = and(r.mask, size - 1);
  r.value = andNot(or(r.value, floorTo(min, size)), mu);
  r.mask = mu;
}

/** False when the step would leave the domain (an inconsistent negative s32Max becoming a huge u64). */
function deduceMixedBounds(r: SmallBounds): boolean {
  r.umin = Math.max(r.umin, floorTo(r.umin, TWO_32) + r.u32Min);
  r.umax = Math.min(r.umax, floorTo(r.umax, TWO_32) + r.u32Max);
  r.smin = Math.max(r.smin, floorTo(r.smin, TWO_32) + r.u32Min);
  r.smax = Math.min(r.smax, floorTo(r.smax, TWO_32) + r.u32Max);
  // smin is non-negative here, so only the upper end decides.
  if (r.s32Min >= 0 && r.smax <= 0x7fff_ffff) {
    if (r.s32Max < 0) return false;
    r.smin = r.s32Min;
    r.smax = r.s32Max;
    r.umin = r.s32Min;
    r.umax = r.s32Max;
    intersectRange(r, r.smin, r.smax);
  }
  return true;
}

function boundOffset(r: SmallBounds): void {
  // var64 = intersect(varOff, range(umin, umax)); var32 = intersect(subreg(var64), range(u32Min, u32Max)).
  intersectRange(r, r.umin, r.umax);
  const size = 2 ** bitLength((r.u32Min ^ r.u32Max) >>> 0);
  const mu32 = (lo(r.mask) & (size - 1)) >>> 0;
  const v32 = ((lo(r.value) | floorTo(r.u32Min, size)) & ~mu32) >>> 0;
  r.value = floorTo(r.value, TWO_32) + v32;
  r.mask = floorTo(r.mask, TWO_32) + mu32;
}

function contains(r: SmallBounds, u: number): boolean {
  const low = u >>> 0;
  const slow = u | 0;
  return (
    r.umin <= u &&
    u <= r.umax &&
    r.smin <= u &&
    u <= r.smax &&
    r.u32Min <= low &&
    low <= r.u32Max &&
    r.s32Min <= slow &&
    slow <= r.s32Max
  );
}

/** Whether r's numbers are in the domain this path handles. */
function inDomain(r: SmallBounds): boolean {
  return (
    r.value >= 0 &&
    r.value < SAFE_LIMIT &&
    r.mask >= 0 &&
    r.mask < SAFE_LIMIT &&
    r.smin >= 0 &&
    r.smin < SAFE_LIMIT &&
    r.smax >= 0 &&
    r.smax < SAFE_LIMIT &&
    r.umin >= 0 &&
    r.umin < SAFE_LIMIT &&
    r.umax >= 0 &&
    r.umax < SAFE_LIMIT &&
    r.s32Min >= -0x8000_0000 &&
    r.s32Max <= 0x7fff_ffff &&
    r.s32Max >= -0x8000_0000 &&
    r.s32Min <= 0x7fff_ffff &&
    r.u32Min >= 0 &&
    r.u32Min < TWO_32 &&
    r.u32Max >= 0 &&
    r.u32Max < TWO_32 &&
    and(r.value, r.mask) === 0
  );
}

/**
 * reg_bounds_sync on `r` in place, as scalar.ts's sync computes it. Returns false, with `r` in an unspecified
 * state, when r is outside the domain (checked first) or a step would leave it: the caller then runs the bigint path.
 */
export function syncSmall(r: SmallBounds): boolean {
  if (!inDomain(r)) return false;
  if (r.mask === 0 && contains(r, r.value)) {
    setKnown(r, r.value);
    return true;
  }
  updateBounds(r);
  for (let round = 0; round < 3; round++) {
    const { smin, smax, umin, umax, s32Min, s32Max, u32Min, u32Max, value, mask } = r;
    deduceBounds32(r);
    deduceBounds64(r);
    if (!deduceMixedBounds(r)) return false;
    if (
      r.smin === smin &&
      r.smax === smax &&
      r.umin === umin &&
      r.umax === umax &&
      r.s32Min === s32Min &&
      r.s32Max === s32Max &&
      r.u32Min === u32Min &&
      r.u32Max === u32Max &&
      r.value === value &&
      r.mask === mask
    )
      break;
  }
  boundOffset(r);
  updateBounds(r);
  return true;
}
