// The ELF object model tsbpf works with: plain read-only records of what a relocatable ELF64 file holds.

/** The ELF file header, with every 64-bit field as a safe integer. */
export interface ElfHeader {
  readonly osAbi: number;
  readonly abiVersion: number;
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

/** One section header together with its bytes. */
export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** A view into the file's bytes (not a copy); empty for SHT_NOBITS and SHT_NULL. */
  readonly data: Uint8Array;
}

/** One entry of `.symtab`; `index` is its position there (0 is the null symbol). */
export interface ElfSymbol {
  readonly index: number;
  /** The name from the string table; section symbols usually have the empty name. */
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly bind: number;
  readonly type: number;
  readonly visibility: number;
  /** A section index, or one of SHN_UNDEF, SHN_ABS, SHN_COMMON (and other reserved values). */
  readonly shndx: number;
}

export interface ElfRelocation {
  /** Byte offset in the target section. */
  readonly offset: number;
  readonly type: number;
  /** Index into `ElfFile.symbols`. */
  readonly symbol: number;
  /** Only for SHT_RELA; BPF objects use SHT_REL, whose addends sit in the relocated bytes. */
  readonly addend?: number;
}

/** A SHT_REL or SHT_RELA section with the section it patches. */
export interface ElfRelocationSection {
  readonly section: ElfSection;
  readonly target: ElfSection;
  readonly relocations: readonly ElfRelocation[];
}

export interface ElfFile {
  readonly fileName: string;
  readonly header: ElfHeader;
  /** Every section in header order, index 0 (SHT_NULL) included, so `sections[i].index === i`. */
  readonly sections: readonly ElfSection[];
  /** `.symtab` in order, the null symbol at index 0 included; empty when the file has no symbol table. */
  readonly symbols: readonly ElfSymbol[];
  /** The symbol table's sh_info: index of the first non-local symbol (0 without a symbol table). */
  readonly firstGlobalSymbol: number;
  readonly relocations: readonly ElfRelocationSection[];
  /** The first section with this name. */
  sectionByName(name: string): ElfSection | undefined;
}
