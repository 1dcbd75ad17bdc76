// Turns the assembler's sections, symbols and relocations into a relocatable ELF object (`tsbpf asm -o`).

import {
  type ElfWriteRelocations,
  type ElfWriteSection,
  type ElfWriteSymbol,
  R_BPF_NONE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_WRITE,
  SHN_ABS,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  STV_DEFAULT,
  STV_HIDDEN,
  STV_INTERNAL,
  STV_PROTECTED,
  writeElf,
  BPF_RELOCATION_TYPES,
} from '../elf/index.js';
import type { AssembledObject, AsmSymbol, SymbolBinding } from '../isa/assembler.js';

function sectionFlags(flags: string): number {
  return (
    (flags.includes('a') ? SHF_ALLOC : 0) |
    (flags.includes('w') ? SHF_WRITE : 0) |
    (flags.includes('x') ? SHF_EXECINSTR : 0) |
    (flags.includes('M') ? SHF_MERGE : 0) |
    (flags.includes('S') ? SHF_STRINGS : 0)
  );
}

const BINDINGS: Record<SymbolBinding, number> = { local: STB_LOCAL, global: STB_GLOBAL, weak: STB_WEAK };
const VISIBILITIES: Record<NonNullable<AsmSymbol['visibility']>, number> = {
  hidden: STV_HIDDEN,
  protected: STV_PROTECTED,
  internal: STV_INTERNAL,
};

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
    ...(section.entsize !== undefined ? { entsize: section.entsize } : {}),
  }));
  const symbols: ElfWriteSymbol[] = [];
  if (object.sourceFile !== undefined)
    symbols.push({ name: object.sourceFile, bind: STB_LOCAL, type: STT_FILE, section: SHN_ABS });
  for (const section of object.sections) {
    symbols.push({ name: '', bind: STB_LOCAL, type: STT_SECTION, section: section.name });
  }
  for (const section of object.sections) {
    for (const symbol of section.symbols) {
      symbols.push({
        name: symbol.name,
        value: symbol.byteOffset,
        size: symbol.size ?? 0,
        bind: BINDINGS[symbol.binding],
        type: symbol.kind === 'function' ? STT_FUNC : symbol.kind === 'object' ? STT_OBJECT : STT_NOTYPE,
        visibility: symbol.visibility ? VISIBILITIES[symbol.visibility] : STV_DEFAULT,
        section: section.name,
      });
    }
  }
  for (const external of object.externs) {
    symbols.push({
      name: external.name,
      bind: external.weak ? STB_WEAK : STB_GLOBAL,
      type: STT_NOTYPE,
      section: SHN_UNDEF,
    });
  }
  // A relocation may name a section (LLVM's choice for local symbols; objdump -r prints it so): it then refers to
  // that section's STT_SECTION symbol, which the writer knows by number (n = symbols[n - 1]).
  const firstSectionSymbol = object.sourceFile !== undefined ? 2 : 1;
  const defined = new Set(
    symbols
      .filter((symbol) => symbol.type !== STT_SECTION && symbol.type !== STT_FILE)
      .map((symbol) => symbol.name),
  );
  const sectionSymbol = (name: string, againstSection: boolean): string | number => {
    if (!againstSection && defined.has(name)) return name;
    const index = object.sections.findIndex((section) => section.name === name);
    return index < 0 ? name : index + firstSectionSymbol;
  };
  const relocations: ElfWriteRelocations[] = object.sections
    .filter((section) => section.relocations.length > 0)
    .map((section) => ({
      section: section.name,
      relocations: section.relocations.map((r) => ({
        offset: r.offset,
        type: relocationType(r.type),
        symbol: sectionSymbol(r.symbol, r.againstSection === true),
      })),
    }));
  return writeElf({ fileName: object.fileName, sections, symbols, relocations });
}
