// The ELF layer's public surface: parse BPF objects, write them, and the constants that describe them.

export * from './elf-constants.js';
export { ElfError, type ElfErrorLocation } from './elf-error.js';
export { parseElf } from './elf-file.js';
export type {
  ElfFile,
  ElfHeader,
  ElfRelocation,
  ElfRelocationSection,
  ElfSection,
  ElfSymbol,
} from './elf-types.js';
export {
  elfFileToWriteSpec,
  type ElfWriteRelocation,
  type ElfWriteRelocations,
  type ElfWriteSection,
  type ElfWriteSpec,
  type ElfWriteSymbol,
  writeElf,
} from './elf-writer.js';
export { StringTable, StringTableBuilder, type StringLookup } from './string-table.js';
