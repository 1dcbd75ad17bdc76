import { describe, expect, it } from 'vitest';
import { controlFlowShape } from './structure.js';

describe('controlFlowShape', () => {
  it('finds loops, merges and the dominator tree of a reducible graph', () => {
    // 0 → 1; 1 → 2, 3; 2 → 1 (back edge); 3 → 4, 5; 4 → 6; 5 → 6; 6: exit.
    const shape = controlFlowShape([[1], [2, 3], [1], [4, 5], [6], [6], []], 0);
    expect(shape).not.toBeNull();
    expect([...shape!.loopHeader]).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect([...shape!.merge]).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(shape!.children[1]).toEqual([2, 3].sort((a, b) => shape!.rpo[a] - shape!.rpo[b]));
    expect(shape!.children[3]).toEqual([4, 5, 6].sort((a, b) => shape!.rpo[a] - shape!.rpo[b]));
  });

  it('refuses an irreducible graph (a loop entered in two places)', () => {
    // 0 → 1, 2; 1 → 2; 2 → 1.
    expect(controlFlowShape([[1, 2], [2], [1]], 0)).toBeNull();
  });

  it('ignores unreachable blocks and counts a two-way jump to one block as a merge', () => {
    const shape = controlFlowShape([[1, 1], [], [0]], 0);
    expect(shape!.rpo[2]).toBe(-1);
    expect(shape!.merge[1]).toBe(1);
  });
});
