// parseElf refusals: each kind of malformed input gives an ElfError naming the file, section and offset.

import { describe, expect, it } from 'vitest';
import {
  EM_NONE,
  EM_X86_64,
  ET_DYN,
  ET_EXEC,
  R_BPF_64_32,
  R_BPF_64_64,
  R_BPF_64_ABS64,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  SHN_XINDEX,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
} from './elf-constants.js';
import { ElfError } from './elf-error.js';
import { parseElf } from './elf-file.js';
import type { ElfFile } from './elf-types.js';
import { type ElfWriteSection, type ElfWriteSpec, type ElfWriteSymbol, writeElf } from './elf-writer.js';

/** A spec whose lists tests may edit in place. */
type EditableSpec = ElfWriteSpec & { sections: ElfWriteSection[]; symbols: ElfWriteSymbol[] };

const FILE = 'broken.o';

/** Two functions, some data and relocations: small, but every structure the reader checks is there. */
function baseSpec(): EditableSpec {
  return {
    sections: [
      {
        name: '.text',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_EXECINSTR,
        data: new Uint8Array(24),
        addralign: 8,
      },
      {
        name: 'xdp',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_EXECINSTR,
        data: new Uint8Array(40),
        addralign: 8,
      },
      {
        name: '.data',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_WRITE,
        data: new Uint8Array(8),
        addralign: 8,
      },
    ],
    symbols: [
      { name: '', bind: STB_LOCAL, type: STT_SECTION, section: '.text' },
      { name: 'helper', bind: STB_LOCAL, type: STT_FUNC, section: '.text', size: 24 },
      { name: 'main', bind: STB_GLOBAL, type: STT_FUNC, section: 'xdp', size: 40 },
      { name: 'value', bind: STB_GLOBAL, type: STT_OBJECT, section: '.data', size: 8 },
    ],
    relocations: [
      {
        section: 'xdp',
        relocations: [
          { offset: 0, type: R_BPF_64_64, symbol: 'value' },
          { offset: 16, type: R_BPF_64_32, symbol: 'helper' },
        ],
      },
    ],
  };
}

/** A fresh copy of the base object, its parse, and helpers to find and patch its structures. */
function base(spec = baseSpec()) {
  const bytes = writeElf(spec);
  const elf = parseElf(bytes, FILE);
  const view = new DataView(bytes.buffer);
  const section = (name: string) => elf.sectionByName(name)!;
  return {
    bytes,
    elf,
    section,
    /** File offset of a section's header. */
    header: (name: string) => elf.header.shoff + section(name).index * 64,
    u8: (at: number, value: number) => view.setUint8(at, value),
    u16: (at: number, value: number) => view.setUint16(at, value, true),
    u32: (at: number, value: number) => view.setUint32(at, value, true),
    u64: (at: number, value: bigint) => view.setBigUint64(at, value, true),
  };
}

/** Parses and returns the ElfError, failing the test if parsing succeeds or throws anything else. */
function refusal(bytes: Uint8Array): ElfError {
  try {
    parseElf(bytes, FILE);
  } catch (error) {
    if (error instanceof ElfError) return error;
    throw error;
  }
  throw new Error('expected an ElfError, but the file parsed');
}

function expectRefused(
  bytes: Uint8Array,
  reason: string | RegExp,
  where: { section?: string; offset?: number },
): void {
  const error = refusal(bytes);
  if (typeof reason === 'string') expect(error.reason).toBe(reason);
  else expect(error.reason).toMatch(reason);
  expect({ file: error.file, section: error.section, offset: error.offset }).toEqual({
    file: FILE,
    ...where,
  });
  // The message carries the same facts for people reading a log.
  expect(error.message).toContain(`elf: ${FILE}`);
  expect(error.message).toContain(error.reason);
  if (where.section !== undefined) expect(error.message).toContain(`section '${where.section}'`);
  if (where.offset !== undefined) expect(error.message).toContain(`offset 0x${where.offset.toString(16)}`);
}

describe('parseElf accepts', () => {
  it('the base object, with what the writer put in it', () => {
    const { elf } = base();
    expect(elf.fileName).toBe(FILE);
    expect(elf.sections.map((s) => s.name)).toEqual([
      '',
      '.text',
      'xdp',
      '.relxdp',
      '.data',
      '.symtab',
      '.strtab',
    ]);
    expect(elf.symbols.map((s) => s.name)).toEqual(['', '', 'helper', 'main', 'value']);
    expect(elf.relocations[0].relocations).toEqual([
      { offset: 0, type: R_BPF_64_64, symbol: 4 },
      { offset: 16, type: R_BPF_64_32, symbol: 2 },
    ]);
    expect(elf.sectionByName('nothing')).toBeUndefined();
  });

  it('EM_NONE, as libbpf does for objects from old LLVM', () => {
    const object = base();
    object.u16(18, EM_NONE);
    expect(parseElf(object.bytes).header.machine).toBe(EM_NONE);
  });

  it('SHT_RELA sections, with their addends', () => {
    const rela = new Uint8Array(24);
    const view = new DataView(rela.buffer);
    view.setBigUint64(0, 0n, true);
    view.setUint32(8, R_BPF_64_ABS64, true);
    view.setUint32(12, 4, true);
    view.setBigInt64(16, -8n, true);
    const spec = baseSpec();
    // Written as PROGBITS (the writer emits only SHT_REL), then retyped.
    spec.sections.push({
      name: '.rela.data',
      type: SHT_PROGBITS,
      flags: SHF_INFO_LINK,
      data: rela,
      addralign: 8,
      entsize: 24,
      link: '.symtab',
      info: '.data',
    });
    const object = base(spec);
    object.u32(object.header('.rela.data') + 4, SHT_RELA);
    const elf = parseElf(object.bytes, FILE);
    const group = elf.relocations.find((r) => r.section.name === '.rela.data')!;
    expect(group.target.name).toBe('.data');
    expect(group.relocations).toEqual([{ offset: 0, type: R_BPF_64_ABS64, symbol: 4, addend: -8 }]);

    view.setBigInt64(16, -(2n ** 60n), true);
    const huge = base(spec);
    huge.u32(huge.header('.rela.data') + 4, SHT_RELA);
    expectRefused(huge.bytes, 'relocation #0 addend -1152921504606846976 does not fit in 53 bits', {
      section: '.rela.data',
      offset: huge.section('.rela.data').offset + 16,
    });
    const badSize = base(spec);
    badSize.u32(badSize.header('.rela.data') + 4, SHT_RELA);
    badSize.u64(badSize.header('.rela.data') + 56, 16n);
    expectRefused(badSize.bytes, 'bad relocation entry size 16, expected 24', {
      section: '.rela.data',
      offset: badSize.section('.rela.data').offset,
    });
  });
});

describe('parseElf refuses a bad ELF header', () => {
  it('not ELF at all', () => {
    expectRefused(
      new TextEncoder().encode('hello, world, this is not an object'),
      'not an ELF file (bad magic)',
      { offset: 0 },
    );
    const object = base();
    object.u8(2, 0x58);
    expectRefused(object.bytes, 'not an ELF file (bad magic)', { offset: 2 });
  });

  it('files too short for the header', () => {
    expectRefused(new Uint8Array(0), 'truncated ELF header: the file is 0 bytes, the header needs 64', {
      offset: 0,
    });
    const { bytes } = base();
    expectRefused(bytes.subarray(0, 40), 'truncated ELF header: the file is 40 bytes, the header needs 64', {
      offset: 40,
    });
  });

  it('ELF32 and unknown classes', () => {
    const object = base();
    object.u8(4, 1);
    expectRefused(object.bytes, 'not a 64-bit ELF object: ELF32 is not supported', { offset: 4 });
    object.u8(4, 9);
    expectRefused(object.bytes, 'invalid ELF class 9', { offset: 4 });
  });

  it('big-endian and unknown encodings', () => {
    const object = base();
    object.u8(5, 2);
    expectRefused(object.bytes, 'big-endian ELF is not supported', { offset: 5 });
    object.u8(5, 0);
    expectRefused(object.bytes, 'invalid ELF data encoding 0', { offset: 5 });
  });

  it('unknown ELF versions', () => {
    const object = base();
    object.u8(6, 2);
    expectRefused(object.bytes, 'unsupported ELF version 2', { offset: 6 });
    const other = base();
    other.u32(20, 0);
    expectRefused(other.bytes, 'unsupported ELF version 0', { offset: 20 });
  });

  it('machines other than BPF', () => {
    const object = base();
    object.u16(18, EM_X86_64);
    expectRefused(
      object.bytes,
      'not a valid eBPF object file: machine is EM_X86_64 (62), expected EM_BPF (247)',
      { offset: 18 },
    );
    object.u16(18, 4242);
    expectRefused(object.bytes, /machine is 0x1092 \(4242\)/, { offset: 18 });
  });

  it('executables and shared objects', () => {
    for (const [type, name] of [
      [ET_EXEC, 'ET_EXEC'],
      [ET_DYN, 'ET_DYN'],
    ] as const) {
      const object = base();
      object.u16(16, type);
      expectRefused(
        object.bytes,
        `not a valid eBPF object file: type is ${name}, expected ET_REL (BPF objects are relocatable files; executables and shared objects are not BPF objects)`,
        { offset: 16 },
      );
    }
  });

  it('bad header and section header sizes', () => {
    const object = base();
    object.u16(52, 52);
    expectRefused(object.bytes, 'bad e_ehsize 52, expected 64', { offset: 52 });
    const other = base();
    other.u16(58, 40);
    expectRefused(other.bytes, 'bad e_shentsize 40, expected 64', { offset: 58 });
  });

  it('extended section numbering', () => {
    const object = base();
    object.u16(60, 0);
    expectRefused(
      object.bytes,
      'extended section numbering (e_shnum 0 with a section header table) is not supported',
      {
        offset: 60,
      },
    );
  });

  it('a section header table outside the file, over the header, or at an absurd offset', () => {
    const { bytes, elf } = base();
    const shoff = elf.header.shoff;
    expectRefused(
      bytes.subarray(0, bytes.length - 1),
      `truncated section header table: 7 sections at 0x${shoff.toString(16)} end at 0x${bytes.length.toString(16)}, past the end of the file (0x${(bytes.length - 1).toString(16)})`,
      { offset: shoff },
    );
    const over = base();
    over.u64(40, 16n);
    expectRefused(over.bytes, 'section header table at 0x10 overlaps the ELF header', { offset: 40 });
    const absurd = base();
    absurd.u64(40, 0xffff_ffff_0000_0000n);
    expectRefused(absurd.bytes, 'e_shoff 0xffffffff00000000 does not fit in 53 bits', { offset: 40 });
    const far = base();
    far.u64(40, 1n << 40n);
    expectRefused(far.bytes, /^truncated section header table: 7 sections at 0x10000000000/, {
      offset: 2 ** 40,
    });
  });

  it('a bad section name table index', () => {
    const cases: [number, string][] = [
      [SHN_XINDEX, 'e_shstrndx is SHN_XINDEX: extended section indexes are not supported'],
      [0, 'failed to get section names section index: e_shstrndx is SHN_UNDEF'],
      [7, 'failed to get section names section index: e_shstrndx 7 is not below e_shnum 7'],
    ];
    for (const [index, reason] of cases) {
      const object = base();
      object.u16(62, index);
      expectRefused(object.bytes, reason, { offset: 62 });
    }
    const notStrings = base();
    notStrings.u16(62, 1);
    expectRefused(
      notStrings.bytes,
      'failed to get section names strings: section #1 is not SHT_STRTAB (type 1)',
      {
        section: '#1',
        offset: notStrings.header('.text'),
      },
    );
  });
});

describe('parseElf refuses bad section headers', () => {
  it('a section 0 that is not SHT_NULL', () => {
    const object = base();
    object.u32(object.elf.header.shoff + 4, SHT_PROGBITS);
    expectRefused(object.bytes, 'section #0 must be SHT_NULL, found type 1', {
      section: '#0',
      offset: object.elf.header.shoff,
    });
  });

  it('section data out of file bounds', () => {
    const object = base();
    object.u64(object.header('.data') + 32, BigInt(object.bytes.length));
    const start = object.section('.data').offset;
    expectRefused(
      object.bytes,
      `section data out of file bounds: [0x${start.toString(16)}, 0x${(start + object.bytes.length).toString(16)}) but the file is 0x${object.bytes.length.toString(16)} bytes`,
      { section: '#4', offset: object.header('.data') + 24 },
    );
  });

  it('sizes and offsets of 2^53 and more', () => {
    const object = base();
    object.u64(object.header('.data') + 32, 0xffff_ffff_ffff_ffffn);
    expectRefused(object.bytes, 'sh_size 0xffffffffffffffff does not fit in 53 bits', {
      section: '#4',
      offset: object.header('.data') + 32,
    });
    const offset = base();
    offset.u64(offset.header('.text') + 24, 1n << 53n);
    expectRefused(offset.bytes, 'sh_offset 0x20000000000000 does not fit in 53 bits', {
      section: '#1',
      offset: offset.header('.text') + 24,
    });
  });

  it('an alignment that is not a power of two', () => {
    const object = base();
    object.u64(object.header('.data') + 48, 12n);
    expectRefused(object.bytes, 'bad sh_addralign 12: not a power of two', {
      section: '#4',
      offset: object.header('.data') + 48,
    });
  });

  it('sections that overlap each other or the section header table', () => {
    const object = base();
    const text = object.section('.text');
    object.u64(object.header('.data') + 24, BigInt(text.offset));
    expectRefused(
      object.bytes,
      `section '.text' [0x${text.offset.toString(16)}, 0x${(text.offset + 24).toString(16)}) overlaps section '.data' [0x${text.offset.toString(16)}, 0x${(text.offset + 8).toString(16)})`,
      { section: '.text', offset: text.offset },
    );
    const table = base();
    const shoff = table.elf.header.shoff;
    table.u64(table.header('.data') + 24, BigInt(shoff));
    expectRefused(
      table.bytes,
      /^the section header table \[0x[0-9a-f]+, 0x[0-9a-f]+\) overlaps section '\.data'/,
      {
        section: '.data',
        offset: shoff,
      },
    );
  });

  it('section names outside the string table or without a terminating NUL', () => {
    const object = base();
    object.u32(object.header('xdp'), 0x7fff_ffff);
    const size = object.section('.strtab').size;
    expectRefused(
      object.bytes,
      `failed to get section(2) name: offset 0x7fffffff is outside the string table (size 0x${size.toString(16)})`,
      { section: '#2', offset: object.header('xdp') },
    );
    const unterminated = base();
    const strtab = unterminated.section('.strtab');
    unterminated.u8(strtab.offset + strtab.size - 1, 0x41);
    unterminated.u32(unterminated.header('.text'), strtab.size - 2);
    expectRefused(
      unterminated.bytes,
      `failed to get section(1) name: string at offset 0x${(strtab.size - 2).toString(16)} is not NUL-terminated`,
      { section: '#1', offset: unterminated.header('.text') },
    );
  });
});

describe('parseElf refuses a bad symbol table', () => {
  const symtabWhere = (object: ReturnType<typeof base>) => ({
    section: '.symtab',
    offset: object.section('.symtab').offset,
  });

  it('a bad entry size or a size that is not a whole number of entries', () => {
    const object = base();
    object.u64(object.header('.symtab') + 56, 16n);
    expectRefused(object.bytes, 'bad symbol table entry size 16, expected 24', symtabWhere(object));
    const ragged = base();
    ragged.u64(ragged.header('.symtab') + 32, BigInt(ragged.section('.symtab').size - 1));
    expectRefused(ragged.bytes, 'symbol table size 0x77 is not a multiple of 24', symtabWhere(ragged));
  });

  it('a link that is not a string table', () => {
    const cases: [number, string][] = [
      [0, 'SYMTAB section #5 points to missing STRTAB section #0'],
      [99, 'SYMTAB section #5 points to missing STRTAB section #99'],
      [1, 'SYMTAB section #5 points to invalid STRTAB section #1'],
    ];
    for (const [link, reason] of cases) {
      const object = base();
      object.u32(object.header('.symtab') + 40, link);
      expectRefused(object.bytes, reason, symtabWhere(object));
    }
  });

  it('a first-global index beyond the symbols', () => {
    const object = base();
    object.u32(object.header('.symtab') + 44, 6);
    expectRefused(
      object.bytes,
      'first non-local symbol index (sh_info) 6 is beyond the 5 symbols',
      symtabWhere(object),
    );
  });

  it('two symbol tables, or extended section indexes', () => {
    const object = base();
    object.u32(object.header('.data') + 4, SHT_SYMTAB);
    expectRefused(object.bytes, 'multiple symbol tables: sections #4 and #5', symtabWhere(object));
    const extended = base();
    extended.u32(extended.header('.data') + 4, SHT_SYMTAB_SHNDX);
    expectRefused(extended.bytes, 'SHT_SYMTAB_SHNDX (extended section indexes) is not supported', {
      section: '.data',
      offset: extended.section('.data').offset,
    });
  });

  it('symbols with a missing section, SHN_XINDEX, a bad name or an absurd value', () => {
    const object = base();
    const symbol3 = object.section('.symtab').offset + 3 * 24;
    object.u16(symbol3 + 6, 100);
    expectRefused(object.bytes, 'symbol #3 points to missing section #100', {
      section: '.symtab',
      offset: symbol3 + 6,
    });
    object.u16(symbol3 + 6, SHN_XINDEX);
    expectRefused(object.bytes, 'symbol #3 uses SHN_XINDEX: extended section indexes are not supported', {
      section: '.symtab',
      offset: symbol3 + 6,
    });
    const named = base();
    named.u32(symbol3, 0x10000);
    expectRefused(named.bytes, /^symbol #3 name: offset 0x10000 is outside the string table/, {
      section: '.symtab',
      offset: symbol3,
    });
    const valued = base();
    valued.u64(symbol3 + 8, 1n << 60n);
    expectRefused(valued.bytes, 'symbol #3 value 0x1000000000000000 does not fit in 53 bits', {
      section: '.symtab',
      offset: symbol3 + 8,
    });
  });
});

describe('parseElf refuses bad relocations', () => {
  const relWhere = (object: ReturnType<typeof base>) => ({
    section: '.relxdp',
    offset: object.section('.relxdp').offset,
  });

  it('a bad entry size or a size that is not a whole number of entries', () => {
    const object = base();
    object.u64(object.header('.relxdp') + 56, 8n);
    expectRefused(object.bytes, 'bad relocation entry size 8, expected 16', relWhere(object));
    const ragged = base();
    ragged.u64(ragged.header('.relxdp') + 32, 31n);
    expectRefused(ragged.bytes, 'relocation section size 0x1f is not a multiple of 16', relWhere(ragged));
  });

  it('a link that is not the symbol table', () => {
    const object = base();
    object.u32(object.header('.relxdp') + 40, 6);
    expectRefused(object.bytes, 'ELF relo section #3 points to invalid SYMTAB section #6', relWhere(object));
  });

  it('a target section that is missing or cannot be relocated', () => {
    const cases: [number, string][] = [
      [0, 'ELF relo section #3 points to missing section #0'],
      [42, 'ELF relo section #3 points to missing section #42'],
      [5, 'ELF relo section #3 points to invalid section #5'],
      [3, 'ELF relo section #3 points to invalid section #3'],
    ];
    for (const [info, reason] of cases) {
      const object = base();
      object.u32(object.header('.relxdp') + 44, info);
      expectRefused(object.bytes, reason, relWhere(object));
    }
  });

  it('entries with a missing symbol or an offset beyond the target', () => {
    const object = base();
    const entry1 = object.section('.relxdp').offset + 16;
    object.u32(entry1 + 12, 99);
    expectRefused(object.bytes, 'ELF relo #1 points to missing symbol #99', {
      section: '.relxdp',
      offset: entry1 + 8,
    });
    const beyond = base();
    beyond.u64(entry1, 36n);
    expectRefused(beyond.bytes, "ELF relo #1 at 0x24 (8 bytes) is beyond section 'xdp' of size 0x28", {
      section: '.relxdp',
      offset: entry1,
    });
    const ldImm64 = base();
    ldImm64.u64(entry1 - 16, 32n);
    expectRefused(ldImm64.bytes, "ELF relo #0 at 0x20 (16 bytes) is beyond section 'xdp' of size 0x28", {
      section: '.relxdp',
      offset: entry1 - 16,
    });
  });

  it('keeps the relocation entries of a clean file intact after these checks', () => {
    const { elf }: { elf: ElfFile } = base();
    expect(elf.relocations.map((r) => [r.section.index, r.target.index, r.relocations.length])).toEqual([
      [3, 2, 2],
    ]);
  });
});
