// Where an instruction of a loaded program comes from: its function (BTF func_info, else the symbol), its index
// in the program and in its ELF section, and the source line line_info gives it.

import type { ObjectHandle } from '../api/object-handle.js';
import type { ProgramLineInfo, RelocatedProgram } from '../object/relocate-program.js';
import type { ExecutableProgram } from '../vm/runtime.js';

export interface InstructionLocation {
  /** The program (entry function) the instruction was loaded as part of. */
  readonly program: string;
  /** Index in that program's instructions (what the kernel's log and `insn N` in faults count). */
  readonly insn: number;
  readonly function: string;
  readonly section: string;
  /** Index in the ELF section the function's code came from. */
  readonly sectionInsn: number;
  readonly line?: { readonly file: string; readonly line: number; readonly text: string };
}

interface LoadedProgram {
  readonly name: string;
  readonly relocated: RelocatedProgram;
  /** Function start in its section, by position in `relocated.functions`. */
  readonly sectionStarts: readonly number[];
  /** Function names from func_info where BTF gives one, by position in `relocated.functions`. */
  readonly names: readonly string[];
  readonly lines: readonly ProgramLineInfo[];
}

/** Resolves instructions of the programs an object loaded (matched by identity of their ExecutableProgram). */
export class ProgramLocations {
  private readonly programs = new Map<ExecutableProgram, LoadedProgram>();

  constructor(object: ObjectHandle) {
    const btf = object.object.btf;
    for (const name of object.programNames) {
      let loaded: ReturnType<ObjectHandle['program']>;
      try {
        loaded = object.program(name);
      } catch {
        continue; // not loaded: nothing of it can run
      }
      const relocated = loaded.relocated;
      const sectionStarts = relocated.functions.map(
        (placed) =>
          object.object.functions.find((fn) => fn.name === placed.name && fn.section === placed.section)
            ?.start ?? 0,
      );
      const names = relocated.functions.map((placed) => {
        const info = relocated.funcInfo.find((entry) => entry.insnOff === placed.start);
        const btfName =
          info === undefined || btf === undefined ? '' : safeName(() => btf.nameOf(info.typeId));
        return btfName === '' ? placed.name : btfName;
      });
      const lines = [...relocated.lineInfo].sort((a, b) => a.insnOff - b.insnOff);
      this.programs.set(loaded.handle.executable, { name, relocated, sectionStarts, names, lines });
    }
  }

  /** The location of instruction `pc` of `program`, or undefined for a program the object did not load. */
  locate(program: ExecutableProgram, pc: number): InstructionLocation | undefined {
    const loaded = this.programs.get(program);
    if (loaded === undefined) return undefined;
    const functions = loaded.relocated.functions;
    let index = -1;
    for (let i = 0; i < functions.length; i++) {
      if (functions[i].start <= pc && pc < functions[i].start + Math.max(functions[i].count, 1)) index = i;
    }
    if (index < 0) {
      return {
        program: loaded.name,
        insn: pc,
        function: loaded.name,
        section: loaded.relocated.section,
        sectionInsn: pc,
      };
    }
    const placed = functions[index];
    const line = lineAt(loaded.lines, placed.start, pc);
    return {
      program: loaded.name,
      insn: pc,
      function: loaded.names[index],
      section: placed.section,
      sectionInsn: loaded.sectionStarts[index] + (pc - placed.start),
      ...(line === undefined ? {} : { line: { file: line.fileName, line: line.line, text: line.lineText } }),
    };
  }
}

function safeName(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}

/** The last line_info entry at or before `pc` inside the function starting at `functionStart`. */
function lineAt(
  lines: readonly ProgramLineInfo[],
  functionStart: number,
  pc: number,
): ProgramLineInfo | undefined {
  let found: ProgramLineInfo | undefined;
  for (const line of lines) {
    if (line.insnOff > pc) break;
    if (line.insnOff >= functionStart) found = line;
  }
  return found;
}

/** The kernel log's source annotation: `; <line text> @ <file's base name>:<line>`. */
export function sourceLineComment(line: NonNullable<InstructionLocation['line']>): string {
  const base = line.file.slice(line.file.lastIndexOf('/') + 1);
  return `; ${line.text.trimStart()} @ ${base}:${line.line}`;
}

/** `fn (insn 12 of prog; .text insn 40)`. */
export function describeLocation(location: InstructionLocation): string {
  return `${location.function} (insn ${location.insn} of ${location.program}; ${location.section} insn ${location.sectionInsn})`;
}
