// Differential test: for every corpus program, tsbpf's relocated instructions, func_info and line_info equal
// what libbpf 1.1 hands the kernel (read back through the kernel oracle).

import { expect } from 'vitest';
import { writeInsns } from '../../src/isa/insn.js';
import { openObject } from '../../src/object/open-object.js';
import { relocateProgram } from '../../src/object/relocate-program.js';
import { corpusObjects } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

oracle.describe('loader equals libbpf on the corpus', () => {
  for (const object of corpusObjects()) {
    oracle.it(object.path, () => {
      const ours = openObject(object.bytes, object.path);
      const theirs = oracle.runObject(object.absolutePath);
      expect(theirs.openError).toBeNull();
      const programNames = ours.functions.filter((f) => f.isProgram).map((f) => f.name);
      expect(programNames.sort()).toEqual(theirs.programs.map((p) => p.name).sort());
      expect(ours.maps.map((m) => m.name)).toEqual(theirs.maps.map((m) => m.name));
      for (const program of theirs.programs) {
        const relocated = relocateProgram(ours, program.name);
        const hex = Array.from({ length: relocated.insns.length }, (_, i) =>
          bytesToHex(writeInsns([relocated.insns[i]])),
        );
        expect(hex, `${program.name}: instructions`).toEqual(program.insns);
        expect(program.verdict, `${program.name}: kernel verdict\n${program.log}`).toBe('accepted');
        // The kernel reports func_info against its own (possibly rewritten) instructions: compare type ids
        // always, offsets when the kernel did not change the instruction count.
        expect(relocated.funcInfo.map((f) => f.typeId)).toEqual(program.funcInfo?.map((f) => f.typeId));
        if (program.xlatedInsns === relocated.insns.length) {
          expect(relocated.funcInfo.map((f) => f.insnOff)).toEqual(program.funcInfo?.map((f) => f.insnOff));
          expect(relocated.lineInfo.map((l) => [l.insnOff, l.line, l.col])).toEqual(
            program.lineInfo?.map((l) => [l.insnOff, l.line, l.col]),
          );
        }
      }
    });
  }
});
