// Thousands of truncated and bit-flipped copies of every corpus object go through the whole loading pipeline
// (ELF, BTF, object model, relocation of every program, description): each gives a result or a typed error,
// never another exception, and each takes well under 100 ms.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BtfError } from '../../src/btf/index.js';
import { ElfError } from '../../src/elf/index.js';
import { InsnError } from '../../src/isa/insn-error.js';
import { describeObject } from '../../src/object/describe-object.js';
import { ObjectError } from '../../src/object/object-error.js';
import { openObject } from '../../src/object/open-object.js';
import { relocateProgram } from '../../src/object/relocate-program.js';
import { corpusObjects } from '../corpus.js';

const TYPED_ERRORS = [ElfError, BtfError, ObjectError, InsnError];
const BUDGET_MS = 100;

/** Runs the pipeline; returns the kind of outcome, and throws (failing the test) on any other exception. */
function loadAll(bytes: Uint8Array): string {
  try {
    const object = openObject(bytes, 'mutant.o');
    for (const fn of object.functions) if (fn.isProgram) relocateProgram(object, fn.name);
    describeObject(object);
    return 'ok';
  } catch (error) {
    if (TYPED_ERRORS.some((kind) => error instanceof kind)) return (error as Error).name;
    throw error;
  }
}

function timed(bytes: Uint8Array): { outcome: string; ms: number } {
  // The best of three runs, so a garbage-collection pause does not count against the input.
  let best = Number.POSITIVE_INFINITY;
  let outcome = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = performance.now();
    outcome = loadAll(bytes);
    best = Math.min(best, performance.now() - start);
    if (best < BUDGET_MS) break;
  }
  return { outcome, ms: best };
}

const objects = corpusObjects();

describe('malformed objects give typed errors only', () => {
  it('the corpus itself loads', () => {
    for (const object of objects) expect(loadAll(object.bytes), object.path).toBe('ok');
  });

  it('truncations at many lengths', () => {
    const outcomes = new Map<string, number>();
    for (const object of objects) {
      const step = Math.max(1, Math.floor(object.bytes.length / 120));
      for (let length = 0; length < object.bytes.length; length += step) {
        const { outcome, ms } = timed(object.bytes.slice(0, length));
        expect(ms, `${object.path} cut at ${length}`).toBeLessThan(BUDGET_MS);
        expect(outcome, `${object.path} cut at ${length}`).not.toBe('ok');
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(1500);
  });

  it('random bit flips', () => {
    let runs = 0;
    for (const object of objects) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(object.bytes.length - 1), fc.integer({ min: 0, max: 7 })), {
            minLength: 1,
            maxLength: 8,
          }),
          (flips) => {
            const mutant = object.bytes.slice();
            for (const [offset, bit] of flips) mutant[offset] ^= 1 << bit;
            const { ms } = timed(mutant);
            runs++;
            expect(ms).toBeLessThan(BUDGET_MS);
          },
        ),
        { numRuns: 200, seed: 0x7eb9f },
      );
    }
    expect(runs).toBeGreaterThanOrEqual(objects.length * 200);
  });
});
