// Parses a relocatable ELF64 little-endian BPF object into plain records, refusing malformed input with ElfError.

import { ElfInput } from './elf-input.js';
import { readElfHeader } from './elf-header.js';
import { readRelocationSections } from './elf-relocations.js';
import { readSections } from './elf-sections.js';
import { readSymbolTable } from './elf-symbols.js';
import type { ElfFile, ElfSection } from './elf-types.js';

/**
 * Reads a BPF object as clang emits it. Every size and offset is checked against the file's length before
 * it is used, so lying headers give an ElfError, never a huge allocation, a hang or another exception.
 */
export function parseElf(bytes: Uint8Array, fileName = '<memory>'): ElfFile {
  const input = new ElfInput(bytes, fileName);
  const header = readElfHeader(input);
  const sections = readSections(input, header);
  const symbolTable = readSymbolTable(input, sections);
  const relocations = readRelocationSections(input, sections, symbolTable);

  const byName = new Map<string, ElfSection>();
  for (const section of sections) if (!byName.has(section.name)) byName.set(section.name, section);
  return {
    fileName,
    header,
    sections,
    symbols: symbolTable.symbols,
    firstGlobalSymbol: symbolTable.firstGlobal,
    relocations,
    sectionByName: (name: string) => byName.get(name),
  };
}
