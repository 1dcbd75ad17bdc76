// Reads the section header table: each header's fields, its name and its bytes, checked against the file.

import { ELF64_EHDR_SIZE, ELF64_SHDR_SIZE, SHT_NOBITS, SHT_NULL, SHT_STRTAB } from './elf-constants.js';
import { type ElfInput, hex } from './elf-input.js';
import type { ElfHeader, ElfSection } from './elf-types.js';
import { StringTable } from './string-table.js';

/** Field offsets inside one Elf64_Shdr. */
const SH_NAME = 0;
const SH_TYPE = 4;
const SH_FLAGS = 8;
const SH_ADDR = 16;
const SH_OFFSET = 24;
const SH_SIZE = 32;
const SH_LINK = 40;
const SH_INFO = 44;
const SH_ADDRALIGN = 48;
const SH_ENTSIZE = 56;

const EMPTY: Uint8Array = new Uint8Array(0);

/** Sections that occupy bytes of the file. */
export function hasFileData(section: { type: number }): boolean {
  return section.type !== SHT_NOBITS && section.type !== SHT_NULL;
}

export function readSections(input: ElfInput, header: ElfHeader): ElfSection[] {
  const unnamed: (Omit<ElfSection, 'name'> & { nameOffset: number })[] = [];
  for (let index = 0; index < header.shnum; index++) {
    unnamed.push(readSectionHeader(input, header.shoff + index * ELF64_SHDR_SIZE, index));
  }
  if (unnamed.length === 0) return [];
  if (unnamed[0].type !== SHT_NULL) {
    input.fail(`section #0 must be SHT_NULL, found type ${unnamed[0].type}`, {
      section: '#0',
      offset: header.shoff,
    });
  }

  const names = unnamed[header.shstrndx];
  if (names.type !== SHT_STRTAB) {
    input.fail(
      `failed to get section names strings: section #${names.index} is not SHT_STRTAB (type ${names.type})`,
      {
        section: `#${names.index}`,
        offset: header.shoff + names.index * ELF64_SHDR_SIZE,
      },
    );
  }
  const nameTable = new StringTable(names.data);
  const sections = unnamed.map(({ nameOffset, ...section }): ElfSection => {
    const name = nameTable.lookup(nameOffset);
    if (!name.ok) {
      input.fail(`failed to get section(${section.index}) name: ${name.problem}`, {
        section: `#${section.index}`,
        offset: header.shoff + section.index * ELF64_SHDR_SIZE + SH_NAME,
      });
    }
    return { ...section, name: name.value };
  });
  checkNoOverlap(input, header, sections);
  return sections;
}

function readSectionHeader(
  input: ElfInput,
  at: number,
  index: number,
): Omit<ElfSection, 'name'> & { nameOffset: number } {
  const location = (field: number) => ({ section: `#${index}`, offset: at + field });
  const type = input.u32(at + SH_TYPE);
  const offset = input.u64(at + SH_OFFSET, 'sh_offset', location(SH_OFFSET));
  const size = input.u64(at + SH_SIZE, 'sh_size', location(SH_SIZE));
  const addralign = input.u64(at + SH_ADDRALIGN, 'sh_addralign', location(SH_ADDRALIGN));
  if (addralign !== 0 && !isPowerOfTwo(addralign)) {
    input.fail(`bad sh_addralign ${addralign}: not a power of two`, location(SH_ADDRALIGN));
  }
  let data = EMPTY;
  if (hasFileData({ type })) {
    if (offset + size > input.length) {
      input.fail(
        `section data out of file bounds: [${hex(offset)}, ${hex(offset + size)}) but the file is ${hex(input.length)} bytes`,
        location(SH_OFFSET),
      );
    }
    data = input.bytes.subarray(offset, offset + size);
  }
  return {
    index,
    nameOffset: input.u32(at + SH_NAME),
    type,
    flags: input.u64(at + SH_FLAGS, 'sh_flags', location(SH_FLAGS)),
    addr: input.u64(at + SH_ADDR, 'sh_addr', location(SH_ADDR)),
    offset,
    size,
    link: input.u32(at + SH_LINK),
    info: input.u32(at + SH_INFO),
    addralign,
    entsize: input.u64(at + SH_ENTSIZE, 'sh_entsize', location(SH_ENTSIZE)),
    data,
  };
}

/** No two sections, the ELF header and the section header table may claim the same byte. */
function checkNoOverlap(input: ElfInput, header: ElfHeader, sections: readonly ElfSection[]): void {
  const ranges = [
    { what: 'the ELF header', section: undefined as string | undefined, start: 0, end: ELF64_EHDR_SIZE },
    {
      what: 'the section header table',
      section: undefined,
      start: header.shoff,
      end: header.shoff + header.shnum * ELF64_SHDR_SIZE,
    },
  ];
  for (const section of sections) {
    if (hasFileData(section) && section.size > 0) {
      ranges.push({
        what: `section '${section.name}'`,
        section: section.name,
        start: section.offset,
        end: section.offset + section.size,
      });
    }
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ranges.length; i++) {
    const before = ranges[i - 1];
    const after = ranges[i];
    if (after.start < before.end) {
      input.fail(
        `${after.what} [${hex(after.start)}, ${hex(after.end)}) overlaps ${before.what} [${hex(before.start)}, ${hex(before.end)})`,
        { section: after.section ?? before.section, offset: after.start },
      );
    }
  }
}

function isPowerOfTwo(value: number): boolean {
  let rest = value;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
}
