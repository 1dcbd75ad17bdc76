// The test-run context layouts name real fields of their uapi structs.
import { describe, expect, it } from 'vitest';
import { CONTEXT_LAYOUTS } from './context.js';
import { CONTEXT_STRUCTS } from './context-structs.js';

describe('test-run context layouts', () => {
  for (const [programType, layout] of Object.entries(CONTEXT_LAYOUTS)) {
    it(`${programType}: ${layout.structName} fields and the settable ctx_in fields`, () => {
      const struct = CONTEXT_STRUCTS[layout.structName];
      expect(layout.size).toBe(struct.size);
      expect(layout.fields).toBe(struct.fields);
      expect(layout.testRunCtxSize).toBeLessThanOrEqual(layout.size);
      const names = layout.fields.map((field) => field.name);
      for (const name of layout.testRunCtxFields) expect(names).toContain(name);
    });
  }
});
