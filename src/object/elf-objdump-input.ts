// The neutral input of the objdump formatter (src/isa/objdump.ts), built from a parsed ELF object.

import { bpfRelocationName, type ElfFile, SHF_EXECINSTR, STT_SECTION } from '../elf/index.js';
import type { ObjdumpInput, ObjdumpSymbol } from '../isa/objdump.js';

const SYMBOL_TYPES: Readonly<Record<number, ObjdumpSymbol['type']>> = {
  0: 'notype',
  1: 'object',
  2: 'func',
  3: 'section',
  4: 'file',
  5: 'common',
  6: 'tls',
};

/** Sections with their symbols and relocations; a section symbol's relocations name its section, as objdump does. */
export function objdumpInputFromElf(elf: ElfFile): ObjdumpInput {
  return {
    fileName: elf.fileName,
    sections: elf.sections
      .filter((section) => section.index !== 0)
      .map((section) => ({
        name: section.name,
        bytes: section.data,
        executable: (section.flags & SHF_EXECINSTR) !== 0,
        symbols: elf.symbols
          .filter((symbol) => symbol.index !== 0 && symbol.shndx === section.index)
          .map((symbol) => ({
            name: symbol.name,
            value: symbol.value,
            size: symbol.size,
            type: SYMBOL_TYPES[symbol.type] ?? `type${symbol.type}`,
          })),
        relocations: elf.relocations
          .filter((group) => group.target.index === section.index)
          .flatMap((group) =>
            group.relocations.map((relocation) => {
              const symbol = elf.symbols[relocation.symbol];
              const symbolName =
                symbol.type === STT_SECTION && symbol.name === ''
                  ? (elf.sections[symbol.shndx]?.name ?? '')
                  : symbol.name;
              return {
                offset: relocation.offset,
                typeName: bpfRelocationName(relocation.type),
                symbolName,
                ...(relocation.addend === undefined ? {} : { addend: relocation.addend }),
              };
            }),
          ),
      })),
  };
}
