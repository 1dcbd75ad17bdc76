// Local calls' frame bookkeeping in the JIT, inline at the call site or through enter/leave: frames that spill
// into new stack segments and back, and the depth faults, give the interpreter's results in both modes.

import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../../src/isa/assembler.js';
import type { Insn } from '../../src/isa/insn.js';
import { pureLeavesOf } from '../../src/vm/pure-leaves.js';
import { jitEngine } from '../../src/jit/index.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { interpreter } from '../../src/vm/interpreter.js';
import { runInsns } from './engines.js';

const PACKET = new Uint8Array(64).map((_, i) => (i * 3 + 7) & 0xff);

/** `levels` functions, each with a frame of `frame` bytes marked at both ends, each calling the next (the first twice). */
function chain(levels: number, frame: number): { insns: Insn[]; stackDepths: number[] } {
  const lines: string[] = [];
  for (let level = 0; level < levels; level++) {
    if (level > 0) lines.push(`f${level}:`);
    lines.push(`r6 = ${level * 16 + 1}`, `*(u64 *)(r10 - ${frame}) = r6`, `*(u64 *)(r10 - 8) = r6`);
    // The deepest frame's address is part of the result, and the first level calls twice: a caller back in
    // the wrong segment would place the second chain elsewhere.
    if (level + 1 < levels) lines.push(`call f${level + 1}`);
    else lines.push('r0 = r10');
    if (level === 0 && levels > 1) lines.push('r9 = r0', `call f1`, 'r0 ^= r9');
    // After the callee returned, this frame still holds its marks (the caller's segment is back).
    lines.push(
      `r7 = *(u64 *)(r10 - ${frame})`,
      'r8 = *(u64 *)(r10 - 8)',
      'r0 *= 3',
      'r0 += r7',
      'r0 += r8',
      'exit',
    );
  }
  return { insns: assembleInsns(lines.join('\n')), stackDepths: Array(levels).fill(frame) };
}

describe('JIT call frames', () => {
  it('frames across stack segments and the depth limits match the interpreter', () => {
    let compared = 0;
    let faulted = 0;
    let completed = 0;
    for (const levels of [2, 4, 8, 9]) {
      for (const frame of [64, 512, 1024, 4096]) {
        const { insns, stackDepths } = chain(levels, frame);
        for (const mode of ['checked', 'fast'] as const) {
          const options = { data: PACKET, mode, stackDepths };
          const interp = runInsns(interpreter, insns, options);
          const jit = runInsns(jitEngine, insns, options);
          expect(jit, `${levels} levels of ${frame} bytes (${mode})`).toEqual(interp);
          compared++;
          if (interp.fault === undefined) completed++;
          else faulted++;
        }
      }
    }
    expect(compared).toBe(32);
    // 8 levels of 1 KiB and 4 KiB need new segments and complete; 9 levels exceed the call chain limit.
    expect(completed).toBeGreaterThanOrEqual(16);
    expect(faulted).toBeGreaterThanOrEqual(4);
  });

  it('unbounded recursion faults where the interpreter does', () => {
    const insns = assembleInsns('r0 = 1\ncall f\nexit\nf:\n*(u64 *)(r10 - 8) = r1\ncall f\nexit');
    for (const mode of ['checked', 'fast'] as const) {
      const options = { data: PACKET, mode, stackDepths: [8, 8] };
      const interp = runInsns(interpreter, insns, options);
      expect(interp.fault?.reason, mode).toMatch(/too deep/);
      expect(runInsns(jitEngine, insns, options), mode).toEqual(interp);
    }
  });

  it('a call compiled in place (a pure leaf, fast mode) still meets the depth limit where the interpreter does', () => {
    // f recurses until r1 passes 300, then calls the leaf (insn 7): start values around 300 - MAX_RUN_FRAMES put
    // the limit before the leaf's call, at it, and beyond the run.
    const source = (start: number): string =>
      [
        `r1 = ${start}`,
        'call f',
        'exit',
        'f:',
        'if r1 > 300 goto +3',
        'r1 += 1',
        'call f',
        'exit',
        'call leaf',
        'exit',
        'leaf:',
        'r0 = r1',
        'r0 *= 3',
        'exit',
      ].join('\n');
    const program = buildExecutable(assembleInsns(source(0)), { type: 'xdp', name: 'prog' });
    expect([...pureLeavesOf(program).keys()]).toEqual([2]);
    let atLeafCall = 0;
    let completed = 0;
    for (let start = 20; start <= 40; start++) {
      const insns = assembleInsns(source(start));
      const options = { data: PACKET, mode: 'fast' as const };
      const interp = runInsns(interpreter, insns, options);
      expect(runInsns(jitEngine, insns, options), `start ${start}`).toEqual(interp);
      if (interp.fault === undefined) completed++;
      else if (interp.fault.insn === 7) atLeafCall++;
    }
    expect(completed).toBeGreaterThan(0);
    expect(atLeafCall).toBe(1);
  });
});
