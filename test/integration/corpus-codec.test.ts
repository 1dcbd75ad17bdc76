// Every instruction of every corpus object decodes into the typed union and encodes back to the same bytes.

import { describe, expect, it } from 'vitest';
import { parseElf, SHF_EXECINSTR } from '../../src/elf/index.js';
import { decodeProgram, encodeInsn } from '../../src/isa/decoded.js';
import { readInsns, writeInsns } from '../../src/isa/insn.js';
import { corpusObjects } from '../corpus.js';

describe('decode -> encode is byte-identical on the corpus', () => {
  for (const object of corpusObjects()) {
    it(object.path, () => {
      const elf = parseElf(object.bytes, object.path);
      const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
      expect(code.length).toBeGreaterThan(0);
      for (const section of code) {
        const decoded = decodeProgram(readInsns(section.data));
        const encoded = decoded.flatMap((insn) => (insn === undefined ? [] : encodeInsn(insn)));
        expect(writeInsns(encoded), `${object.path} ${section.name}`).toEqual(section.data);
      }
    });
  }
});
