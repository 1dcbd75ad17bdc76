import { describe, expect, it } from 'vitest';
import { requireEnvironment } from './require-environment.js';

describe('requireEnvironment', () => {
  it('skips with one loud line where something is missing, outside CI', () => {
    const lines: string[] = [];
    const gate = requireEnvironment('vectors', 'not found at /x', {}, (line) => lines.push(line));
    expect(gate.available).toBe(false);
    expect(lines).toEqual(['SKIPPED: vectors: not found at /x']);
  });

  it('fails under CI=true instead of skipping', () => {
    expect(() => requireEnvironment('vectors', 'not found', { CI: 'true' }, () => {})).toThrow(
      /not allowed when CI=true/,
    );
  });

  it('says nothing and runs when it is there', () => {
    const lines: string[] = [];
    const gate = requireEnvironment('vectors', null, { CI: 'true' }, (line) => lines.push(line));
    expect(gate.available).toBe(true);
    expect(lines).toEqual([]);
  });
});
