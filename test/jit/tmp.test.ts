import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { generatedPrograms, programText } from '../semantics/generated-cases.js';
it('t', () => {
  writeFileSync('/tmp/prog.s', programText(generatedPrograms()[3]));
});
