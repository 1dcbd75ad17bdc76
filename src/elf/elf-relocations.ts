// Reads SHT_REL and SHT_RELA sections: which section they patch, and each entry's offset, type and symbol.

import {
  BPF_RELOCATION_TYPES,
  ELF64_REL_SIZE,
  ELF64_RELA_SIZE,
  SHT_NULL,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
} from './elf-constants.js';
import { type ElfInput, hex } from './elf-input.js';
import type { ElfRelocation, ElfRelocationSection, ElfSection } from './elf-types.js';
import type { SymbolTable } from './elf-symbols.js';

/** Field offsets inside one Elf64_Rel / Elf64_Rela. */
const R_OFFSET = 0;
const R_INFO = 8;
const R_ADDEND = 16;

/** Sections a relocation section may not patch: they have no bytes to relocate or are ELF bookkeeping. */
const UNRELOCATABLE_TYPES = new Set([SHT_NULL, SHT_SYMTAB, SHT_STRTAB, SHT_REL, SHT_RELA]);

export function readRelocationSections(
  input: ElfInput,
  sections: readonly ElfSection[],
  symbolTable: SymbolTable,
): ElfRelocationSection[] {
  return sections
    .filter((section) => section.type === SHT_REL || section.type === SHT_RELA)
    .map((section) => readRelocationSection(input, sections, symbolTable, section));
}

function readRelocationSection(
  input: ElfInput,
  sections: readonly ElfSection[],
  symbolTable: SymbolTable,
  section: ElfSection,
): ElfRelocationSection {
  const where = { section: section.name, offset: section.offset };
  const withAddend = section.type === SHT_RELA;
  const entrySize = withAddend ? ELF64_RELA_SIZE : ELF64_REL_SIZE;
  if (section.entsize !== entrySize) {
    input.fail(`bad relocation entry size ${section.entsize}, expected ${entrySize}`, where);
  }
  if (section.size % entrySize !== 0) {
    input.fail(`relocation section size ${hex(section.size)} is not a multiple of ${entrySize}`, where);
  }
  if (symbolTable.section === undefined || section.link !== symbolTable.section.index) {
    input.fail(`ELF relo section #${section.index} points to invalid SYMTAB section #${section.link}`, where);
  }
  const target = sections[section.info];
  if (section.info === 0 || target === undefined) {
    input.fail(`ELF relo section #${section.index} points to missing section #${section.info}`, where);
  }
  if (UNRELOCATABLE_TYPES.has(target.type)) {
    input.fail(`ELF relo section #${section.index} points to invalid section #${section.info}`, where);
  }

  const count = section.size / entrySize;
  const relocations: ElfRelocation[] = new Array(count);
  for (let number = 0; number < count; number++) {
    const at = section.offset + number * entrySize;
    const location = (field: number) => ({ section: section.name, offset: at + field });
    const offset = input.u64(at + R_OFFSET, `relocation #${number} offset`, location(R_OFFSET));
    const type = input.u32(at + R_INFO);
    const symbol = input.u32(at + R_INFO + 4);
    if (symbol >= symbolTable.symbols.length) {
      input.fail(`ELF relo #${number} points to missing symbol #${symbol}`, location(R_INFO));
    }
    // Unknown types still need their first byte inside the target.
    const width = BPF_RELOCATION_TYPES[type]?.width ?? 1;
    if (offset + width > target.size) {
      input.fail(
        `ELF relo #${number} at ${hex(offset)} (${width} bytes) is beyond section '${target.name}' of size ${hex(target.size)}`,
        location(R_OFFSET),
      );
    }
    relocations[number] = withAddend
      ? {
          offset,
          type,
          symbol,
          addend: input.i64(at + R_ADDEND, `relocation #${number} addend`, location(R_ADDEND)),
        }
      : { offset, type, symbol };
  }
  return { section, target, relocations };
}
