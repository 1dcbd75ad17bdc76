// Reads `.symtab`: entry size, string table link and every symbol's name, binding and section index.

import {
  ELF64_SYM_SIZE,
  SHN_LORESERVE,
  SHN_XINDEX,
  SHT_STRTAB,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
} from './elf-constants.js';
import { type ElfInput, hex } from './elf-input.js';
import type { ElfSection, ElfSymbol } from './elf-types.js';
import { StringTable } from './string-table.js';

/** Field offsets inside one Elf64_Sym. */
const ST_NAME = 0;
const ST_INFO = 4;
const ST_OTHER = 5;
const ST_SHNDX = 6;
const ST_VALUE = 8;
const ST_SIZE = 16;

export interface SymbolTable {
  readonly section?: ElfSection;
  readonly symbols: ElfSymbol[];
  readonly firstGlobal: number;
}

export function readSymbolTable(input: ElfInput, sections: readonly ElfSection[]): SymbolTable {
  const extendedIndexes = sections.find((section) => section.type === SHT_SYMTAB_SHNDX);
  if (extendedIndexes !== undefined) {
    input.fail('SHT_SYMTAB_SHNDX (extended section indexes) is not supported', {
      section: extendedIndexes.name,
      offset: extendedIndexes.offset,
    });
  }
  const tables = sections.filter((section) => section.type === SHT_SYMTAB);
  if (tables.length === 0) return { symbols: [], firstGlobal: 0 };
  if (tables.length > 1) {
    input.fail(`multiple symbol tables: sections #${tables[0].index} and #${tables[1].index}`, {
      section: tables[1].name,
      offset: tables[1].offset,
    });
  }
  const table = tables[0];
  const where = { section: table.name, offset: table.offset };
  if (table.entsize !== ELF64_SYM_SIZE) {
    input.fail(`bad symbol table entry size ${table.entsize}, expected ${ELF64_SYM_SIZE}`, where);
  }
  if (table.size % ELF64_SYM_SIZE !== 0) {
    input.fail(`symbol table size ${hex(table.size)} is not a multiple of ${ELF64_SYM_SIZE}`, where);
  }
  const strings = sections[table.link];
  if (table.link === 0 || strings === undefined) {
    input.fail(`SYMTAB section #${table.index} points to missing STRTAB section #${table.link}`, where);
  }
  if (strings.type !== SHT_STRTAB) {
    input.fail(`SYMTAB section #${table.index} points to invalid STRTAB section #${table.link}`, where);
  }
  const count = table.size / ELF64_SYM_SIZE;
  if (table.info > count) {
    input.fail(`first non-local symbol index (sh_info) ${table.info} is beyond the ${count} symbols`, where);
  }

  const names = new StringTable(strings.data);
  const symbols: ElfSymbol[] = new Array(count);
  for (let index = 0; index < count; index++) {
    symbols[index] = readSymbol(input, table, names, index, sections.length);
  }
  return { section: table, symbols, firstGlobal: table.info };
}

function readSymbol(
  input: ElfInput,
  table: ElfSection,
  names: StringTable,
  index: number,
  sectionCount: number,
): ElfSymbol {
  const at = table.offset + index * ELF64_SYM_SIZE;
  const location = (field: number) => ({ section: table.name, offset: at + field });
  const name = names.lookup(input.u32(at + ST_NAME));
  if (!name.ok) input.fail(`symbol #${index} name: ${name.problem}`, location(ST_NAME));
  const info = input.u8(at + ST_INFO);
  const shndx = input.u16(at + ST_SHNDX);
  if (shndx === SHN_XINDEX) {
    input.fail(
      `symbol #${index} uses SHN_XINDEX: extended section indexes are not supported`,
      location(ST_SHNDX),
    );
  }
  if (shndx < SHN_LORESERVE && shndx >= sectionCount) {
    input.fail(`symbol #${index} points to missing section #${shndx}`, location(ST_SHNDX));
  }
  return {
    index,
    name: name.value,
    value: input.u64(at + ST_VALUE, `symbol #${index} value`, location(ST_VALUE)),
    size: input.u64(at + ST_SIZE, `symbol #${index} size`, location(ST_SIZE)),
    bind: info >> 4,
    type: info & 0xf,
    visibility: input.u8(at + ST_OTHER) & 0x3,
    shndx,
  };
}
