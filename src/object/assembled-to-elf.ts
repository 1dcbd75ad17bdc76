// Turns the assembler's sections, symbols and relocations into a relocatable ELF object (`tsbpf asm -o`).

import {
  type ElfWriteRelocations,
  type ElfWriteSection,
  type ElfWriteSymbol,
  R_BPF_NONE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  writeElf,
  BPF_RELOCATION_TYPES,
} from '../elf/index.js';
import type { AssembledObject } from '../isa/assembler.js';

function sectionFlags(flags: string): number {
  return (
    (flags.includes('a') ? SHF_ALLOC : 0) |
    (flags.includes('w') ? SHF_WRITE : 0) |
    (flags.includes('x') ? SHF_EXECINSTR : 0)
  );
}

function relocationType(name: string): number {
  const entry = Object.entries(BPF_RELOCATION_TYPES).find(([, info]) => info.name === name);
  return entry === undefined ? R_BPF_NONE : Number(entry[0]);
}

/** The same assembled object always gives the same bytes. */
export function assembledObjectToElf(object: AssembledObject): Uint8Array {
  const sections: ElfWriteSection[] = object.sections.map((section) => ({
    name: section.name,
    type: section.kind === 'bss' ? SHT_NOBITS : SHT_PROGBITS,
    flags: sectionFlags(section.flags),
    ...(section.kind === 'bss' ? { size: section.bytes.length } : { data: section.bytes }),
    addralign: section.align,
  }));
  const symbols: ElfWriteSymbol[] = [];
  for (const section of object.sections) {
    symbols.push({ name: '', bind: STB_LOCAL, type: STT_SECTION, section: section.name });
  }
  for (const section of object.sections) {
    for (const symbol of section.symbols) {
      symbols.push({
        name: symbol.name,
        value: symbol.byteOffset,
        size: symbol.size ?? 0,
        bind: symbol.global ? STB_GLOBAL : STB_LOCAL,
        type: symbol.kind === 'function' ? STT_FUNC : symbol.kind === 'object' ? STT_OBJECT : STT_NOTYPE,
        section: section.name,
      });
    }
  }
  for (const external of object.externs) {
    symbols.push({ name: external.name, bind: STB_GLOBAL, type: STT_NOTYPE, section: SHN_UNDEF });
  }
  // A relocation may name a section (objdump -r prints a section symbol so): it then refers to that
  // section's STT_SECTION symbol, which the writer knows by number (n = symbols[n - 1]).
  const defined = new Set(symbols.filter((symbol) => symbol.name !== '').map((symbol) => symbol.name));
  const sectionSymbol = (name: string): string | number => {
    if (defined.has(name)) return name;
    const index = object.sections.findIndex((section) => section.name === name);
    return index < 0 ? name : index + 1;
  };
  const relocations: ElfWriteRelocations[] = object.sections
    .filter((section) => section.relocations.length > 0)
    .map((section) => ({
      section: section.name,
      relocations: section.relocations.map((r) => ({
        offset: r.offset,
        type: relocationType(r.type),
        symbol: sectionSymbol(r.symbol),
      })),
    }));
  return writeElf({ fileName: object.fileName, sections, symbols, relocations });
}
