// The dispatch loop spells opcodes and its other constants as number literals (for V8's jump table): each must
// be the value its comment names.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fused, Op, Source } from './interpreter-loop.js';

const source = readFileSync(new URL('./interpreter-loop.ts', import.meta.url), 'utf8');
const loop = source.slice(source.indexOf('export function execute('));

describe('the dispatch loop’s literals', () => {
  it('has one case per opcode but fault (the default), each the value of the opcode it names', () => {
    const cases = [...loop.matchAll(/case (\d+) \/\* (\w+) \*\//g)].map(([, value, name]) => ({
      name,
      value,
    }));
    const ops = Op as Readonly<Record<string, number>>;
    for (const { name, value } of cases)
      expect({ name, value: ops[name] }).toEqual({ name, value: Number(value) });
    expect(cases.map(({ name }) => name).sort()).toEqual(
      Object.keys(Op)
        .filter((name) => name !== 'fault')
        .sort(),
    );
  });

  it('spells Source, Fused and the other opcodes it uses with their values', () => {
    const named = [...loop.matchAll(/(?<!case |\d)(-?\d+)\)? \/\* (\w+)(?:\.(\w+))? \*\//g)];
    const tables: Readonly<Record<string, Readonly<Record<string, number>>>> = { Source, Fused };
    const ops = Op as Readonly<Record<string, number>>;
    const access: Readonly<Record<string, number>> = { read: 0, write: 1 };
    // Source.immediate, Fused.premoveShift, div64, mod64, mov64 and the 11 loads' and stores' access kinds.
    expect(named.length).toBe(16);
    for (const [, value, first, member] of named) {
      const expected = member === undefined ? (ops[first] ?? access[first]) : tables[first]?.[member];
      expect({ first, member, value: Number(value) }).toEqual({ first, member, value: expected });
    }
  });
});
