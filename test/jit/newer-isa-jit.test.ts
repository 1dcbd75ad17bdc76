// may_goto, load-acquire and store-release in the JIT: the interpreter's results, budgets and faults, in checked
// and fast mode, in structured code and in the dispatch loop of an irreducible function.

import { describe, expect, it } from 'vitest';
import { BPF_MAX_LOOPS } from '../../src/abi/limits.js';
import { jitEngine } from '../../src/jit/index.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import type { Insn } from '../../src/isa/insn.js';
import { interpreter } from '../../src/vm/interpreter.js';
import { type RunOutcome, runInsns } from './engines.js';

const PACKET = new Uint8Array(64).map((_, i) => (i * 5 + 1) & 0xff);

function both(
  insns: readonly Insn[],
  options: { mode: 'checked' | 'fast'; budget?: number },
): { interp: RunOutcome; jit: RunOutcome } {
  return {
    interp: runInsns(interpreter, insns, { data: PACKET, ...options }),
    jit: runInsns(jitEngine, insns, { data: PACKET, ...options }),
  };
}

const acquireRelease = (size: string, reg: string) => `r1 = 0x8899aabbccddeeff ll
  *(u64 *)(r10 - 16) = r1
  ${reg}0 = load_acquire((${size} *)(r10 - 16))
  r2 = -1
  *(u64 *)(r10 - 8) = r2
  store_release((${size} *)(r10 - 8), ${reg}0)
  r3 = *(u64 *)(r10 - 8)
  r0 ^= r3
  exit`;

// f spends its whole budget in a loop; the caller keeps its own, and a later may_goto in f jumps at once.
const BUDGETS = `r6 = 0
  may_goto +5
  call f
  r6 = r0
  may_goto +2
  r0 = r6
  exit
  r0 = 1000
  exit
  f:
  r0 = 0
  l:
  may_goto out
  r0 += 1
  goto l
  out:
  may_goto done
  r0 = 2000
  done:
  exit`;

// An irreducible loop (two entries, chosen by the packet) bounded only by may_goto: the dispatch-loop path.
const IRREDUCIBLE = `r2 = *(u32 *)(r1 + 0)
  r3 = *(u8 *)(r2 + 0)
  r0 = 0
  if r3 > 8 goto b
  a:
  may_goto out
  r0 += 1
  b:
  r0 += 2
  if r0 < 100000 goto a
  out:
  exit`;

describe('newer instructions in the JIT equal the interpreter', () => {
  let compared = 0;

  it('load-acquire and store-release of every size', () => {
    for (const [size, reg] of [
      ['u8', 'w'],
      ['u16', 'w'],
      ['u32', 'w'],
      ['u64', 'r'],
    ] as const) {
      for (const mode of ['checked', 'fast'] as const) {
        const { interp, jit } = both(assembleInsns(acquireRelease(size, reg)), { mode });
        expect(interp.error).toBeUndefined();
        expect(jit).toEqual(interp);
        compared++;
      }
    }
  });

  it('their checked-mode faults: same reason at the same instruction', () => {
    for (const text of [
      'r1 = 16\nw0 = load_acquire((u32 *)(r1 + 0))\nexit',
      'r1 = 16\nr2 = 1\nstore_release((u64 *)(r1 + 8), r2)\nexit',
    ]) {
      const { interp, jit } = both(assembleInsns(text), { mode: 'checked' });
      expect(interp.fault?.reason).toMatch(/invalid (read|write)/);
      expect(jit).toEqual(interp);
      compared++;
    }
  });

  it('may_goto budgets per function entry, in structured code', () => {
    const { interp, jit } = both(assembleInsns(BUDGETS), { mode: 'fast' });
    expect(interp.retval).toBe(BPF_MAX_LOOPS);
    expect(jit).toEqual(interp);
    compared++;
  });

  it('the instruction budget runs out on the same may_goto loop instruction', () => {
    const { interp, jit } = both(assembleInsns(BUDGETS), { mode: 'checked', budget: 50_000 });
    expect(interp.fault?.reason).toMatch(/budget/);
    expect(jit).toEqual(interp);
    compared++;
  });

  it('may_goto +0 and an out-of-range target while the budget lasts', () => {
    const plus0 = assembleInsns('r0 = 3\nmay_goto +0\nmay_goto +0\nexit');
    const far = assembleInsns('r0 = 4\nmay_goto +0\nexit');
    far[1] = { ...far[1], off: 40 };
    for (const insns of [plus0, far]) {
      for (const mode of ['checked', 'fast'] as const) {
        const { interp, jit } = both(insns, { mode });
        expect(interp.error).toBeUndefined();
        expect(jit).toEqual(interp);
        compared++;
      }
    }
  });

  it('may_goto in an irreducible loop (dispatch loop), both entries', () => {
    for (const first of [3, 200]) {
      const packet = PACKET.slice();
      packet[0] = first;
      const insns = assembleInsns(IRREDUCIBLE);
      const interp = runInsns(interpreter, insns, { data: packet, mode: 'fast' });
      const jit = runInsns(jitEngine, insns, { data: packet, mode: 'fast' });
      expect(interp.error).toBeUndefined();
      expect(jit).toEqual(interp);
      compared++;
    }
  });

  it('compared every case', () => {
    expect(compared).toBe(18);
  });
});
