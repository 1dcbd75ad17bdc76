// Calls the JIT compiles in place (pure leaves, fast mode without a budget) against the interpreter: random leaf
// bodies of every ALU, byte-swap and constant form on r0-r5, called with packet bytes as arguments.

import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../../src/isa/assembler.js';
import { pureLeavesOf } from '../../src/vm/pure-leaves.js';
import { jitEngine } from '../../src/jit/index.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { interpreter } from '../../src/vm/interpreter.js';
import { seededRandom } from '../seeded-random.js';
import { runInsns } from './engines.js';

const PROGRAMS = 600;
const OPS = ['+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '<<=', '>>=', 's>>=', 's/=', 's%=', '='];

function leafBody(next: () => number, length: number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const reg = (): number => Math.floor(next() * 6);
  const lines = ['r0 = r1'];
  while (lines.length < length) {
    const wide = next() < 0.6;
    const r = wide ? 'r' : 'w';
    const dst = reg();
    const form = next();
    if (form < 0.08) lines.push(`${r}${dst} = -${r}${dst}`);
    else if (form < 0.14)
      lines.push(
        `r${dst} = ${pick(['be16', 'be32', 'be64', 'le16', 'le32', 'bswap16', 'bswap32', 'bswap64'])} r${dst}`,
      );
    else if (form < 0.18) lines.push(`r${dst} = ${Math.floor(next() * 2 ** 32)} ll`);
    else if (form < 0.22)
      lines.push(`${r}${dst} = (s${pick([8, 16, 32].filter((b) => wide || b < 32))})${r}${reg()}`);
    else {
      const op = pick(OPS);
      const shift = op.includes('<') || op.includes('>');
      const operand =
        next() < 0.5
          ? `${r}${reg()}`
          : String(
              shift
                ? Math.floor(next() * (wide ? 64 : 32))
                : Math.floor(next() * 2 ** 31) - (next() < 0.3 ? 2 ** 31 : 0),
            );
      lines.push(`${r}${dst} ${op} ${operand}`);
    }
  }
  return lines;
}

/** main calls two leaves with r0-r5 loaded from the packet, and stores what they return in it. */
function program(seed: number): string {
  const next = seededRandom(seed);
  const load = ['r1 = *(u64 *)(r6 + 0)', 'r2 = *(u64 *)(r6 + 8)', 'r3 = *(u64 *)(r6 + 16)'];
  load.push('r4 = *(u64 *)(r6 + 24)', 'r5 = *(u64 *)(r6 + 32)', 'r0 = *(u64 *)(r6 + 40)');
  // The second call follows a move (which the interpreter fuses into the call's slot).
  const lines = ['r6 = *(u32 *)(r1 + 0)', ...load, 'call a', 'r7 = r0', ...load, 'r1 = r7', 'call b'];
  lines.push('*(u64 *)(r6 + 0) = r0', '*(u64 *)(r6 + 8) = r7', 'r0 ^= r7', 'exit');
  // Most leaves are short enough to be compiled in place; some are not, and are called.
  lines.push('a:', ...leafBody(next, 1 + Math.floor(next() * 30)), 'exit');
  lines.push('b:', ...leafBody(next, 1 + Math.floor(next() * 30)), 'exit');
  return lines.join('\n');
}

describe('calls of pure leaves (compiled in place by the JIT, made without a frame record by the interpreter)', () => {
  it(`${PROGRAMS} random pure leaves give the results of real calls, and a budget stop inside one its frame`, () => {
    let leaves = 0;
    let stoppedInLeaf = 0;
    for (let seed = 0; seed < PROGRAMS; seed++) {
      const insns = assembleInsns(program(seed));
      const executable = buildExecutable(insns, { type: 'xdp', name: 'prog' });
      leaves += pureLeavesOf(executable).size;
      const data = new Uint8Array(64).map((_, i) => Math.imul(i + 1, seed * 2654435761 + 97) >>> 24);
      // The reference: checked mode with a budget, where the JIT makes every call a real one.
      const expected = runInsns(jitEngine, insns, { data, mode: 'checked', budget: 1_000_000 });
      expect(expected.fault, `seed ${seed}`).toBeUndefined();
      for (const engine of [interpreter, jitEngine]) {
        expect(runInsns(engine, insns, { data, mode: 'fast' }), `seed ${seed} (${engine.name})`).toEqual(
          expected,
        );
      }
      // A budget that runs out inside the first leaf (its body starts at the 9th instruction) or later.
      const budget = 9 + (seed % 40);
      const stopped = runInsns(jitEngine, insns, { data, mode: 'checked', budget });
      expect(
        runInsns(interpreter, insns, { data, mode: 'checked', budget }),
        `seed ${seed}, budget ${budget}`,
      ).toEqual(stopped);
      if (stopped.fault !== undefined && stopped.fault.callStack.length > 1) stoppedInLeaf++;
    }
    // Leaves of 1-24 instructions besides the exit are taken: about four in five.
    expect(leaves).toBeGreaterThan(PROGRAMS * 2 * 0.7);
    expect(stoppedInLeaf).toBeGreaterThan(PROGRAMS / 4);
  });
});
