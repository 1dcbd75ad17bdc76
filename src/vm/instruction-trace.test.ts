// Tests of the instruction trace: what each step records, the bound, and that the budget still applies.

import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { Vm } from './vm.js';
import { interpret } from './interpreter.js';
import { InstructionTraceRecorder } from './instruction-trace.js';
import { buildExecutable } from './executable.js';
import { KERNEL_HELPERS } from './helpers/index.js';

function run(source: string, recorder: InstructionTraceRecorder, budget?: number): bigint {
  const insns = assembleInsns(source);
  const program = buildExecutable(insns, { type: 'socket_filter', name: 'traced' });
  const vm = new Vm();
  return interpret(program, { ctx: 0, cpu: 0 }, vm, KERNEL_HELPERS, {
    mode: 'checked',
    trace: recorder,
    ...(budget === undefined ? {} : { budget }),
  });
}

describe('InstructionTraceRecorder', () => {
  it('records each instruction with the registers it changed', () => {
    const recorder = new InstructionTraceRecorder(100);
    const result = run('r0 = 5\nr2 = r0\nr2 += 3\nif r2 > 100 goto +1\nr0 = r2\nexit', recorder);
    expect(result).toBe(8n);
    expect(recorder.steps.map((step) => step.pc)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recorder.steps.map((step) => step.changed.map((c) => `r${c.register}=${c.value}`))).toEqual([
      ['r0=5'],
      ['r2=5'],
      ['r2=8'],
      [],
      ['r0=8'],
      [],
    ]);
    expect(recorder.omitted).toBe(0);
  });

  it('keeps at most `limit` steps and counts the rest', () => {
    const recorder = new InstructionTraceRecorder(3);
    run('r1 = 0\nr1 += 1\nif r1 < 10 goto -2\nr0 = r1\nexit', recorder);
    expect(recorder.steps).toHaveLength(3);
    // 1 + 10 × 2 + 2 instructions ran.
    expect(recorder.omitted).toBe(23 - 3);
  });

  it('still stops the run at the budget', () => {
    const recorder = new InstructionTraceRecorder(10);
    expect(() => run('r1 = 0\nr1 += 1\ngoto -2\nexit', recorder, 50)).toThrow(/budget of 50 exhausted/);
    expect(recorder.steps.length + recorder.omitted).toBe(50);
  });

  it('shows a pure leaf’s call as a real call: the leaf one frame deeper, then back after the call', () => {
    // `r1 = r0` is fused into the first call's slot; both calls' leaf (f) runs without a frame record untraced.
    const source = 'r0 = 5\nr1 = r0\ncall f\nr1 = r0\ncall f\nexit\nf:\nr0 = r1\nr0 *= 3\nexit';
    const recorder = new InstructionTraceRecorder(100);
    const traced = run(source, recorder);
    expect(traced).toBe(45n);
    expect(run(source, new InstructionTraceRecorder(0))).toBe(45n);
    expect(recorder.steps.map((step) => [step.pc, step.depth])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [6, 1],
      [7, 1],
      [8, 1],
      [3, 0],
      [4, 0],
      [6, 1],
      [7, 1],
      [8, 1],
      [5, 0],
    ]);
  });
});
