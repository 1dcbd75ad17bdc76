// Lays out a relocatable ELF64 little-endian BPF object from sections, symbols and relocations, as clang would.

import {
  BPF_RELOCATION_TYPES,
  EI_CLASS,
  EI_DATA,
  EI_VERSION,
  ELF_MAGIC,
  ELF64_EHDR_SIZE,
  ELF64_REL_SIZE,
  ELF64_SHDR_SIZE,
  ELF64_SYM_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  EM_BPF,
  ET_REL,
  EV_CURRENT,
  SHF_INFO_LINK,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_NOBITS,
  SHT_NULL,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_LOCAL,
} from './elf-constants.js';
import { ElfError } from './elf-error.js';
import type { ElfFile } from './elf-types.js';
import { StringTableBuilder } from './string-table.js';

/** A section to write. `.symtab`, `.strtab` and `.rel*` sections are built by the writer, not given. */
export interface ElfWriteSection {
  name: string;
  type: number;
  flags?: number;
  /** The section's bytes; must be absent or empty for SHT_NOBITS. */
  data?: Uint8Array;
  /** Only for SHT_NOBITS: the size the section occupies in memory. */
  size?: number;
  /** Power of two, or 0 (no constraint); defaults to 1. */
  addralign?: number;
  entsize?: number;
  addr?: number;
  /** Another section by name (`.symtab` and `.strtab` name the writer's own), or a raw value. */
  link?: string | number;
  info?: string | number;
}

export interface ElfWriteSymbol {
  name: string;
  value?: number;
  size?: number;
  bind: number;
  type: number;
  visibility?: number;
  /** A section by name, or a special index: SHN_UNDEF, SHN_ABS, SHN_COMMON. */
  section: string | number;
}

export interface ElfWriteRelocation {
  offset: number;
  type: number;
  /**
   * A symbol by name (it must be unique), or by number: `n` is `symbols[n - 1]` of the spec, 0 the null
   * symbol. That is the numbering a parsed file has when its locals already come first.
   */
  symbol: string | number;
}

export interface ElfWriteRelocations {
  /** Name of the section the relocations patch; the writer emits `.rel<name>` right after it. */
  section: string;
  relocations: readonly ElfWriteRelocation[];
}

export interface ElfWriteSpec {
  /** Used in error messages only. */
  fileName?: string;
  /** e_flags; 0 unless given. */
  flags?: number;
  sections: readonly ElfWriteSection[];
  /** Without the null symbol, which the writer adds. Locals are moved before the others, order kept. */
  symbols: readonly ElfWriteSymbol[];
  relocations?: readonly ElfWriteRelocations[];
}

/** A section header as it will be written, with its bytes (none for SHT_NOBITS). */
interface OutputSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
  size: number;
  data: Uint8Array;
  offset: number;
}

const SYMTAB_NAME = '.symtab';
const STRTAB_NAME = '.strtab';
const EMPTY: Uint8Array = new Uint8Array(0);
const TWO_TO_32 = 0x1_0000_0000;

/** Builds the object file. The same spec always gives the same bytes. */
export function writeElf(spec: ElfWriteSpec): Uint8Array {
  const file = spec.fileName ?? '<output>';
  const fail = (reason: string, section?: string): never => {
    throw new ElfError(file, reason, section === undefined ? {} : { section });
  };

  // Section indexes: 0 is null, then each given section followed by its relocations, then .symtab, .strtab.
  const relocationsByTarget = groupRelocations(spec);
  const indexByName = new Map<string, number>();
  const reserved = new Set([SYMTAB_NAME, STRTAB_NAME]);
  let nextIndex = 1;
  for (const section of spec.sections) {
    if (indexByName.has(section.name)) fail('duplicate section name', section.name);
    indexByName.set(section.name, nextIndex++);
    if (relocationsByTarget.has(section.name)) reserved.add(`.rel${section.name}`);
    nextIndex += relocationsByTarget.has(section.name) ? 1 : 0;
  }
  for (const section of spec.sections) {
    if (reserved.has(section.name)) fail('the writer creates this section itself', section.name);
  }
  for (const target of relocationsByTarget.keys()) {
    if (!indexByName.has(target)) fail('relocations for a section that is not in the spec', target);
  }
  const symtabIndex = nextIndex;
  const strtabIndex = nextIndex + 1;
  const sectionCount = nextIndex + 2;
  if (sectionCount >= SHN_LORESERVE) fail(`too many sections (${sectionCount}): indexes reach SHN_LORESERVE`);
  indexByName.set(SYMTAB_NAME, symtabIndex);
  indexByName.set(STRTAB_NAME, strtabIndex);

  const symbolOrder = orderSymbols(spec.symbols);
  const strings = new StringTableBuilder();
  const outputs: OutputSection[] = [nullSection()];
  for (const section of spec.sections) {
    checkName(section.name, fail, section.name);
    strings.add(section.name);
    outputs.push(outputSection(section, indexByName, fail));
    const relocations = relocationsByTarget.get(section.name);
    if (relocations !== undefined) {
      const name = `.rel${section.name}`;
      strings.add(name);
      outputs.push({
        name,
        type: SHT_REL,
        flags: SHF_INFO_LINK,
        addr: 0,
        link: symtabIndex,
        info: indexByName.get(section.name)!,
        addralign: 8,
        entsize: ELF64_REL_SIZE,
        ...withData(encodeRelocations(section, relocations, spec.symbols, symbolOrder.outputIndex, fail)),
        offset: 0,
      });
    }
  }
  for (const symbol of spec.symbols) {
    checkName(symbol.name, fail);
    strings.add(symbol.name);
  }
  strings.add(SYMTAB_NAME);
  strings.add(STRTAB_NAME);
  const stringTable = strings.finish();

  outputs.push({
    name: SYMTAB_NAME,
    type: SHT_SYMTAB,
    flags: 0,
    addr: 0,
    link: strtabIndex,
    info: symbolOrder.firstGlobal,
    addralign: 8,
    entsize: ELF64_SYM_SIZE,
    ...withData(encodeSymbols(symbolOrder.ordered, stringTable.offsetOf, indexByName, fail)),
    offset: 0,
  });
  outputs.push({
    name: STRTAB_NAME,
    type: SHT_STRTAB,
    flags: 0,
    addr: 0,
    link: 0,
    info: 0,
    addralign: 1,
    entsize: 0,
    ...withData(stringTable.bytes),
    offset: 0,
  });

  // File layout: header, section bytes in index order each at its alignment, then the header table.
  let position = ELF64_EHDR_SIZE;
  for (const section of outputs.slice(1)) {
    position = alignUp(position, Math.max(1, section.addralign));
    section.offset = position;
    if (section.type !== SHT_NOBITS) position += section.size;
  }
  const shoff = alignUp(position, 8);
  const bytes = new Uint8Array(shoff + outputs.length * ELF64_SHDR_SIZE);
  const view = new DataView(bytes.buffer);
  writeHeader(view, checkUnsigned(spec.flags ?? 0, 32, 'e_flags', fail), shoff, outputs.length, strtabIndex);
  outputs.forEach((section, index) => {
    bytes.set(section.data, section.offset);
    writeSectionHeader(view, shoff + index * ELF64_SHDR_SIZE, section, stringTable.offsetOf(section.name));
  });
  return bytes;
}

/**
 * Turns a parsed object back into a spec that writes an equivalent file: the writer's own sections
 * (null, `.symtab`, its string table, the section-name table, `.rel*`) become implicit again.
 */
export function elfFileToWriteSpec(elf: ElfFile): ElfWriteSpec {
  const fail = (reason: string, section?: string): never => {
    throw new ElfError(elf.fileName, reason, section === undefined ? {} : { section });
  };
  const symtab = elf.sections.find((section) => section.type === SHT_SYMTAB);
  const implicit = new Set<number>([0, elf.header.shstrndx]);
  if (symtab !== undefined) implicit.add(symtab.index).add(symtab.link);
  const sectionReference = (index: number): string | number =>
    index === 0 ? 0 : (elf.sections[index]?.name ?? index);
  const linkReference = (index: number): string | number => {
    if (index === 0) return 0;
    if (symtab !== undefined && index === symtab.index) return SYMTAB_NAME;
    if (symtab !== undefined && index === symtab.link) return STRTAB_NAME;
    return elf.sections[index]?.name ?? index;
  };

  const sections: ElfWriteSection[] = [];
  for (const section of elf.sections) {
    if (implicit.has(section.index) || section.type === SHT_REL) continue;
    if (section.type === SHT_RELA)
      fail('SHT_RELA sections cannot be written (the writer emits SHT_REL)', section.name);
    sections.push({
      name: section.name,
      type: section.type,
      flags: section.flags,
      ...(section.type === SHT_NOBITS ? { size: section.size } : { data: section.data }),
      addralign: section.addralign,
      entsize: section.entsize,
      addr: section.addr,
      link: linkReference(section.link),
      // sh_info names a section only when SHF_INFO_LINK says so.
      info: Math.floor(section.flags / SHF_INFO_LINK) % 2 === 1 ? linkReference(section.info) : section.info,
    });
  }
  return {
    fileName: elf.fileName,
    flags: elf.header.flags,
    sections,
    symbols: elf.symbols.slice(1).map((symbol) => ({
      name: symbol.name,
      value: symbol.value,
      size: symbol.size,
      bind: symbol.bind,
      type: symbol.type,
      visibility: symbol.visibility,
      section: symbol.shndx >= SHN_LORESERVE ? symbol.shndx : sectionReference(symbol.shndx),
    })),
    relocations: elf.relocations.map(({ target, relocations }) => ({
      section: target.name,
      relocations: relocations.map(({ offset, type, symbol }) => ({ offset, type, symbol })),
    })),
  };
}

type Fail = (reason: string, section?: string) => never;

function groupRelocations(spec: ElfWriteSpec): Map<string, ElfWriteRelocation[]> {
  const byTarget = new Map<string, ElfWriteRelocation[]>();
  for (const group of spec.relocations ?? []) {
    if (group.relocations.length === 0) continue;
    const existing = byTarget.get(group.section);
    if (existing !== undefined) existing.push(...group.relocations);
    else byTarget.set(group.section, [...group.relocations]);
  }
  return byTarget;
}

/** Locals first (gABI: sh_info of .symtab is the first non-local), each group in the spec's order. */
function orderSymbols(symbols: readonly ElfWriteSymbol[]): {
  ordered: ElfWriteSymbol[];
  outputIndex: Int32Array;
  firstGlobal: number;
} {
  const locals: number[] = [];
  const others: number[] = [];
  symbols.forEach((symbol, i) => {
    (symbol.bind === STB_LOCAL ? locals : others).push(i);
  });
  const order = [...locals, ...others];
  const outputIndex = new Int32Array(symbols.length + 1);
  order.forEach((specIndex, position) => {
    outputIndex[specIndex + 1] = position + 1;
  });
  return { ordered: order.map((i) => symbols[i]), outputIndex, firstGlobal: locals.length + 1 };
}

function outputSection(
  section: ElfWriteSection,
  indexByName: Map<string, number>,
  fail: Fail,
): OutputSection {
  const where = section.name;
  if ([SHT_NULL, SHT_SYMTAB, SHT_STRTAB, SHT_REL, SHT_RELA].includes(section.type)) {
    // A string table other than the writer's own could be allowed later; none of tsbpf's users need one.
    fail(`sections of type ${section.type} are created by the writer, not given`, where);
  }
  checkUnsigned(section.type, 32, 'sh_type', fail, where);
  const addralign = section.addralign ?? 1;
  checkUnsigned(addralign, 53, 'sh_addralign', fail, where);
  // Bounded so that a typo cannot blow the file up with padding.
  if (addralign > 0x1000) fail(`sh_addralign ${addralign} is larger than 4096`, where);
  if (addralign !== 0 && (addralign & (addralign - 1)) !== 0)
    fail(`sh_addralign ${addralign} is not a power of two`, where);
  let data = section.data ?? EMPTY;
  let size = data.length;
  if (section.type === SHT_NOBITS) {
    if (data.length > 0) fail('SHT_NOBITS sections have no data', where);
    size = section.size ?? 0;
    checkUnsigned(size, 53, 'SHT_NOBITS size', fail, where);
    data = EMPTY;
  } else if (section.size !== undefined && section.size !== data.length) {
    fail(`size ${section.size} differs from the data length ${data.length}`, where);
  }
  return {
    name: section.name,
    type: section.type,
    flags: checkUnsigned(section.flags ?? 0, 53, 'sh_flags', fail, where),
    addr: checkUnsigned(section.addr ?? 0, 53, 'sh_addr', fail, where),
    link: resolveSectionReference(section.link ?? 0, indexByName, 'sh_link', fail, where),
    info: resolveSectionReference(section.info ?? 0, indexByName, 'sh_info', fail, where),
    addralign,
    entsize: checkUnsigned(section.entsize ?? 0, 53, 'sh_entsize', fail, where),
    size,
    data,
    offset: 0,
  };
}

function resolveSectionReference(
  reference: string | number,
  indexByName: Map<string, number>,
  field: string,
  fail: Fail,
  where: string,
): number {
  if (typeof reference === 'number') return checkUnsigned(reference, 32, field, fail, where);
  const index = indexByName.get(reference);
  if (index === undefined) fail(`${field} names section '${reference}', which is not in the spec`, where);
  return index!;
}

function encodeRelocations(
  target: ElfWriteSection,
  relocations: readonly ElfWriteRelocation[],
  symbols: readonly ElfWriteSymbol[],
  outputIndex: Int32Array,
  fail: Fail,
): Uint8Array {
  const targetSize = target.type === SHT_NOBITS ? (target.size ?? 0) : (target.data?.length ?? 0);
  const symbolByName = uniqueSymbolNames(symbols);
  const bytes = new Uint8Array(relocations.length * ELF64_REL_SIZE);
  const view = new DataView(bytes.buffer);
  relocations.forEach((relocation, number) => {
    const where = `.rel${target.name}`;
    checkUnsigned(relocation.offset, 53, `relocation #${number} offset`, fail, where);
    checkUnsigned(relocation.type, 32, `relocation #${number} type`, fail, where);
    const width = BPF_RELOCATION_TYPES[relocation.type]?.width ?? 1;
    if (relocation.offset + width > targetSize) {
      fail(
        `relocation #${number} at ${relocation.offset} (${width} bytes) is beyond the section's ${targetSize} bytes`,
        where,
      );
    }
    let specNumber: number;
    if (typeof relocation.symbol === 'string') {
      const found = symbolByName.get(relocation.symbol);
      if (found === undefined)
        fail(`relocation #${number} names symbol '${relocation.symbol}', which is not in the spec`, where);
      if (found === -1)
        fail(`relocation #${number} names symbol '${relocation.symbol}', which is ambiguous`, where);
      specNumber = found!;
    } else {
      specNumber = relocation.symbol;
      if (!Number.isInteger(specNumber) || specNumber < 0 || specNumber > symbols.length) {
        fail(`relocation #${number} points to missing symbol #${specNumber}`, where);
      }
    }
    const at = number * ELF64_REL_SIZE;
    setU64(view, at, relocation.offset);
    view.setUint32(at + 8, relocation.type, true);
    view.setUint32(at + 12, outputIndex[specNumber], true);
  });
  return bytes;
}

/** Symbol name → spec number (1-based), or -1 when several symbols share the name. */
function uniqueSymbolNames(symbols: readonly ElfWriteSymbol[]): Map<string, number> {
  const byName = new Map<string, number>();
  symbols.forEach((symbol, i) => {
    byName.set(symbol.name, byName.has(symbol.name) ? -1 : i + 1);
  });
  return byName;
}

function encodeSymbols(
  ordered: readonly ElfWriteSymbol[],
  nameOffset: (name: string) => number,
  indexByName: Map<string, number>,
  fail: Fail,
): Uint8Array {
  const bytes = new Uint8Array((ordered.length + 1) * ELF64_SYM_SIZE);
  const view = new DataView(bytes.buffer);
  ordered.forEach((symbol, i) => {
    const where = SYMTAB_NAME;
    const what = `symbol '${symbol.name}'`;
    if (!Number.isInteger(symbol.bind) || symbol.bind < 0 || symbol.bind > 15)
      fail(`${what}: bad binding ${symbol.bind}`, where);
    if (!Number.isInteger(symbol.type) || symbol.type < 0 || symbol.type > 15)
      fail(`${what}: bad type ${symbol.type}`, where);
    const visibility = symbol.visibility ?? 0;
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > 3)
      fail(`${what}: bad visibility ${visibility}`, where);
    let shndx: number;
    if (typeof symbol.section === 'string') {
      const index = indexByName.get(symbol.section);
      if (index === undefined)
        fail(`${what} is in section '${symbol.section}', which is not in the spec`, where);
      shndx = index!;
    } else {
      shndx = symbol.section;
      const special = shndx === SHN_UNDEF || shndx === SHN_ABS || shndx === SHN_COMMON;
      const reserved = Number.isInteger(shndx) && shndx >= SHN_LORESERVE && shndx < SHN_XINDEX;
      if (!special && !reserved)
        fail(`${what}: section index ${shndx} is not a special index; name the section`, where);
    }
    const at = (i + 1) * ELF64_SYM_SIZE;
    view.setUint32(at, nameOffset(symbol.name), true);
    view.setUint8(at + 4, (symbol.bind << 4) | symbol.type);
    view.setUint8(at + 5, visibility);
    view.setUint16(at + 6, shndx, true);
    setU64(view, at + 8, checkUnsigned(symbol.value ?? 0, 53, `${what} value`, fail, where));
    setU64(view, at + 16, checkUnsigned(symbol.size ?? 0, 53, `${what} size`, fail, where));
  });
  return bytes;
}

function writeHeader(view: DataView, flags: number, shoff: number, shnum: number, shstrndx: number): void {
  new Uint8Array(view.buffer).set(ELF_MAGIC);
  view.setUint8(EI_CLASS, ELFCLASS64);
  view.setUint8(EI_DATA, ELFDATA2LSB);
  view.setUint8(EI_VERSION, EV_CURRENT);
  view.setUint16(16, ET_REL, true);
  view.setUint16(18, EM_BPF, true);
  view.setUint32(20, EV_CURRENT, true);
  setU64(view, 40, shoff);
  view.setUint32(48, flags, true);
  view.setUint16(52, ELF64_EHDR_SIZE, true);
  view.setUint16(58, ELF64_SHDR_SIZE, true);
  view.setUint16(60, shnum, true);
  view.setUint16(62, shstrndx, true);
}

function writeSectionHeader(view: DataView, at: number, section: OutputSection, nameOffset: number): void {
  if (section.type === SHT_NULL) return; // all zero
  view.setUint32(at, nameOffset, true);
  view.setUint32(at + 4, section.type, true);
  setU64(view, at + 8, section.flags);
  setU64(view, at + 16, section.addr);
  setU64(view, at + 24, section.offset);
  setU64(view, at + 32, section.size);
  view.setUint32(at + 40, section.link, true);
  view.setUint32(at + 44, section.info, true);
  setU64(view, at + 48, section.addralign);
  setU64(view, at + 56, section.entsize);
}

function nullSection(): OutputSection {
  return {
    name: '',
    type: SHT_NULL,
    flags: 0,
    addr: 0,
    link: 0,
    info: 0,
    addralign: 0,
    entsize: 0,
    size: 0,
    data: EMPTY,
    offset: 0,
  };
}

function withData(data: Uint8Array): { data: Uint8Array; size: number } {
  return { data, size: data.length };
}

function checkName(name: string, fail: Fail, section?: string): void {
  if (name.includes('\0')) fail(`name ${JSON.stringify(name)} contains a NUL character`, section);
}

function checkUnsigned(value: number, bits: 32 | 53, field: string, fail: Fail, where?: string): number {
  const limit = bits === 32 ? TWO_TO_32 : Number.MAX_SAFE_INTEGER + 1;
  if (!Number.isInteger(value) || value < 0 || value >= limit)
    fail(`${field} ${value} is not an unsigned ${bits}-bit integer`, where);
  return value;
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

function setU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % TWO_TO_32, true);
  view.setUint32(at + 4, Math.floor(value / TWO_TO_32), true);
}
