// The dispatch loop spells opcodes and its other constants as number literals (for V8's jump table): each must
// be the value its comment names.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BPF_MAX_LOOPS, MAX_CALL_FRAMES } from '../abi/limits.js';
import { FRAME_RECORD, MAX_RUN_FRAMES } from './interpreter-frames.js';
import { Fused, IMMEDIATE_FORM, JumpCondition, Op, Source } from './interpreter-loop.js';

const source = readFileSync(new URL('./interpreter-loop.ts', import.meta.url), 'utf8');
const loop = source.slice(source.indexOf('export function execute('));
const ops = Op as Readonly<Record<string, number>>;

describe('the dispatch loop’s literals', () => {
  it('has one case per opcode but fault (the default) and per immediate form, each the value it names', () => {
    const cases = [...loop.matchAll(/case (\d+) \/\* (\w+)(, immediate)? \*\//g)].map(
      ([, value, name, immediate]) => ({ name, immediate: immediate !== undefined, value: Number(value) }),
    );
    for (const { name, immediate, value } of cases) {
      const expected = ops[name] + (immediate ? IMMEDIATE_FORM : 0);
      expect({ name, immediate, value: expected }).toEqual({ name, immediate, value });
    }
    const registerForms = cases.filter(({ immediate }) => !immediate).map(({ name }) => name);
    expect(registerForms.sort()).toEqual(
      Object.keys(Op)
        .filter((name) => name !== 'fault')
        .sort(),
    );
    // ALU ops but neg and movsx (28), conditional jumps (22), stores (4); the superinstructions ALU + jump (3), load
    // + ALU (4) and add + load (1).
    expect(cases.filter(({ immediate }) => immediate).length).toBe(54 + 8);
    expect(new Set(cases.map(({ value }) => value)).size).toBe(cases.length);
  });

  it('spells Fused, JumpCondition, Source, the frame limits and the opcodes and access kinds it passes on with their values', () => {
    const named = [...loop.matchAll(/(?<!case |\d)(-?\d+)\)? \/\* (\w+)(?:\.(\w+))? \*\//g)];
    const tables: Readonly<Record<string, Readonly<Record<string, number>>>> = {
      Fused,
      JumpCondition,
      Source,
    };
    const access: Readonly<Record<string, number>> = { read: 0, write: 1 };
    const frames: Readonly<Record<string, number>> = {
      MAX_RUN_FRAMES,
      MAX_CALL_FRAMES,
      FRAME_RECORD,
      BPF_MAX_LOOPS,
    };
    // Fused's extraShift, premove and premoveShift, div64 and mod64 (in both forms), the 11 loads' and stores' access
    // kinds (stores in both forms) and the 11 superinstruction loads', the fused jump's 10 JumpCondition and Source
    // literals, the four frame constants of a local call and the one of a return, and in the case loadAddStep
    // shares with loadAddStepZextJump the opcode that tells them apart and the copy's premove field; callLeaf's
    // opcode and the two depth limits it checks; addMoveAddJump's and loadAddStepZextJump's own 64-bit
    // comparisons (6 each).
    expect(named.length).toBe(3 + 4 + 7 + 8 + 11 + 10 + 4 + 1 + 2 + 3 + 6 + 6);
    for (const [, value, first, member] of named) {
      const expected =
        member === undefined ? (ops[first] ?? access[first] ?? frames[first]) : tables[first]?.[member];
      expect({ first, member, value: Number(value) }).toEqual({ first, member, value: expected });
    }
  });
});
