// ELF64 constants used by BPF objects (System V gABI and the LLVM BPF backend), as named values and tables.

/** e_ident layout and the values tsbpf accepts. */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;
export const EI_NIDENT = 16;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

/** Fixed record sizes of ELF64. */
export const ELF64_EHDR_SIZE = 64;
export const ELF64_SHDR_SIZE = 64;
export const ELF64_SYM_SIZE = 24;
export const ELF64_REL_SIZE = 16;
export const ELF64_RELA_SIZE = 24;

/** e_type values. */
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const ELF_TYPE_NAMES: Readonly<Record<number, string>> = {
  [ET_NONE]: 'ET_NONE',
  [ET_REL]: 'ET_REL',
  [ET_EXEC]: 'ET_EXEC',
  [ET_DYN]: 'ET_DYN',
  [ET_CORE]: 'ET_CORE',
};

/** e_machine values: BPF, plus the common ones worth naming in an error. */
export const EM_NONE = 0;
export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
export const EM_BPF = 247;

export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  [EM_NONE]: 'EM_NONE',
  [EM_386]: 'EM_386',
  [EM_ARM]: 'EM_ARM',
  [EM_X86_64]: 'EM_X86_64',
  [EM_AARCH64]: 'EM_AARCH64',
  [EM_RISCV]: 'EM_RISCV',
  [EM_BPF]: 'EM_BPF',
};

/** Section header types (sh_type). */
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_SHLIB = 10;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_GROUP = 17;
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_LLVM_ADDRSIG = 0x6fff4c03;

export const SECTION_TYPE_NAMES: Readonly<Record<number, string>> = {
  [SHT_NULL]: 'SHT_NULL',
  [SHT_PROGBITS]: 'SHT_PROGBITS',
  [SHT_SYMTAB]: 'SHT_SYMTAB',
  [SHT_STRTAB]: 'SHT_STRTAB',
  [SHT_RELA]: 'SHT_RELA',
  [SHT_HASH]: 'SHT_HASH',
  [SHT_DYNAMIC]: 'SHT_DYNAMIC',
  [SHT_NOTE]: 'SHT_NOTE',
  [SHT_NOBITS]: 'SHT_NOBITS',
  [SHT_REL]: 'SHT_REL',
  [SHT_SHLIB]: 'SHT_SHLIB',
  [SHT_DYNSYM]: 'SHT_DYNSYM',
  [SHT_INIT_ARRAY]: 'SHT_INIT_ARRAY',
  [SHT_FINI_ARRAY]: 'SHT_FINI_ARRAY',
  [SHT_PREINIT_ARRAY]: 'SHT_PREINIT_ARRAY',
  [SHT_GROUP]: 'SHT_GROUP',
  [SHT_SYMTAB_SHNDX]: 'SHT_SYMTAB_SHNDX',
  [SHT_LLVM_ADDRSIG]: 'SHT_LLVM_ADDRSIG',
};

/** Section header flags (sh_flags). */
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;
export const SHF_LINK_ORDER = 0x80;
export const SHF_OS_NONCONFORMING = 0x100;
export const SHF_GROUP = 0x200;
export const SHF_TLS = 0x400;
export const SHF_COMPRESSED = 0x800;
export const SHF_EXCLUDE = 0x80000000;

export const SECTION_FLAG_NAMES: ReadonlyArray<readonly [flag: number, name: string]> = [
  [SHF_WRITE, 'SHF_WRITE'],
  [SHF_ALLOC, 'SHF_ALLOC'],
  [SHF_EXECINSTR, 'SHF_EXECINSTR'],
  [SHF_MERGE, 'SHF_MERGE'],
  [SHF_STRINGS, 'SHF_STRINGS'],
  [SHF_INFO_LINK, 'SHF_INFO_LINK'],
  [SHF_LINK_ORDER, 'SHF_LINK_ORDER'],
  [SHF_OS_NONCONFORMING, 'SHF_OS_NONCONFORMING'],
  [SHF_GROUP, 'SHF_GROUP'],
  [SHF_TLS, 'SHF_TLS'],
  [SHF_COMPRESSED, 'SHF_COMPRESSED'],
  [SHF_EXCLUDE, 'SHF_EXCLUDE'],
];

/** Special section indexes (st_shndx, e_shstrndx). */
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const SPECIAL_SECTION_INDEX_NAMES: Readonly<Record<number, string>> = {
  [SHN_UNDEF]: 'SHN_UNDEF',
  [SHN_ABS]: 'SHN_ABS',
  [SHN_COMMON]: 'SHN_COMMON',
  [SHN_XINDEX]: 'SHN_XINDEX',
};

/** Symbol binding: the high 4 bits of st_info. */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const SYMBOL_BIND_NAMES: Readonly<Record<number, string>> = {
  [STB_LOCAL]: 'STB_LOCAL',
  [STB_GLOBAL]: 'STB_GLOBAL',
  [STB_WEAK]: 'STB_WEAK',
};

/** Symbol type: the low 4 bits of st_info. */
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;

export const SYMBOL_TYPE_NAMES: Readonly<Record<number, string>> = {
  [STT_NOTYPE]: 'STT_NOTYPE',
  [STT_OBJECT]: 'STT_OBJECT',
  [STT_FUNC]: 'STT_FUNC',
  [STT_SECTION]: 'STT_SECTION',
  [STT_FILE]: 'STT_FILE',
  [STT_COMMON]: 'STT_COMMON',
  [STT_TLS]: 'STT_TLS',
};

/** Symbol visibility: the low 2 bits of st_other. */
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

export const SYMBOL_VISIBILITY_NAMES: Readonly<Record<number, string>> = {
  [STV_DEFAULT]: 'STV_DEFAULT',
  [STV_INTERNAL]: 'STV_INTERNAL',
  [STV_HIDDEN]: 'STV_HIDDEN',
  [STV_PROTECTED]: 'STV_PROTECTED',
};

/** Relocation types of the LLVM BPF backend (llvm/BinaryFormat/ELFRelocs/BPF.def). */
export const R_BPF_NONE = 0;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

/** What each BPF relocation type is called and how many bytes from r_offset it touches. */
export const BPF_RELOCATION_TYPES: Readonly<
  Record<number, { readonly name: string; readonly width: number }>
> = {
  [R_BPF_NONE]: { name: 'R_BPF_NONE', width: 0 },
  // The imm fields of both halves of an LD_IMM64 instruction.
  [R_BPF_64_64]: { name: 'R_BPF_64_64', width: 16 },
  [R_BPF_64_ABS64]: { name: 'R_BPF_64_ABS64', width: 8 },
  [R_BPF_64_ABS32]: { name: 'R_BPF_64_ABS32', width: 4 },
  [R_BPF_64_NODYLD32]: { name: 'R_BPF_64_NODYLD32', width: 4 },
  // The imm field of a call (or another 8-byte instruction).
  [R_BPF_64_32]: { name: 'R_BPF_64_32', width: 8 },
};

/** The name llvm-readelf prints for a BPF relocation type, or `R_BPF_<n>` for unknown ones. */
export function bpfRelocationName(type: number): string {
  return BPF_RELOCATION_TYPES[type]?.name ?? `R_BPF_${type}`;
}

/** Looks a value up in one of the name tables above, falling back to the number in hex. */
export function constantName(table: Readonly<Record<number, string>>, value: number): string {
  return table[value] ?? `0x${value.toString(16)}`;
}

/** Spells out a set of section flags, e.g. `SHF_WRITE|SHF_ALLOC`; unknown bits are shown in hex. */
export function sectionFlagNames(flags: number): string {
  const names: string[] = [];
  let rest = flags;
  for (const [flag, name] of SECTION_FLAG_NAMES) {
    if (Math.floor(rest / flag) % 2 === 1) {
      names.push(name);
      rest -= flag;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}
