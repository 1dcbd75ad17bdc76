// The fuzz generator alone (no kernel needed): deterministic per seed, every program assembles, and tsbpf
// verifies them without crashing.

import { describe, expect, it } from 'vitest';
import { assembleCase, loadInTsbpf } from './cases.js';
import { programSeed, randomProgram, Rng } from './random-programs.js';

describe('random program generator', () => {
  it('gives the same program for the same seed and another for another seed', () => {
    const a = randomProgram(programSeed(1, 5));
    const b = randomProgram(programSeed(1, 5));
    const c = randomProgram(programSeed(1, 6));
    expect(b.case.body).toBe(a.case.body);
    expect(b.case.maps).toEqual(a.case.maps);
    expect(c.case.body).not.toBe(a.case.body);
    expect(a.case.name).toBe(`random_${programSeed(1, 5)}`);
  });

  it('draws integers in range from a seeded stream', () => {
    const rng = new Rng(42);
    const draws = Array.from({ length: 1000 }, () => rng.int(-3, 3));
    expect(Math.min(...draws)).toBe(-3);
    expect(Math.max(...draws)).toBe(3);
    expect(new Rng(42).int(-3, 3)).toBe(draws[0]);
  });

  it('writes programs that assemble, and that tsbpf verifies to a verdict', () => {
    const count = 300;
    let multiFunction = 0;
    let verdicts = 0;
    for (let i = 0; i < count; i++) {
      const program = randomProgram(programSeed(99, i));
      const insns = assembleCase(program.case);
      expect(insns.length).toBeGreaterThan(3);
      if (program.features.functions >= 2) multiFunction++;
      const outcome = loadInTsbpf(program.case);
      if (outcome.expect === 'accept' || (outcome.error ?? '') !== '') verdicts++;
    }
    expect(multiFunction).toBe(count);
    expect(verdicts).toBe(count);
  });
});
