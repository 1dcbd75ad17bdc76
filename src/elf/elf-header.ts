// Reads and validates the ELF64 file header of a BPF object: identification, type, machine, table geometry.

import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_OSABI,
  EI_VERSION,
  ELF_MAGIC,
  ELF_TYPE_NAMES,
  ELF64_EHDR_SIZE,
  ELF64_SHDR_SIZE,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EM_BPF,
  EM_NONE,
  ET_REL,
  EV_CURRENT,
  MACHINE_NAMES,
  SHN_UNDEF,
  SHN_XINDEX,
  constantName,
} from './elf-constants.js';
import { type ElfInput, hex } from './elf-input.js';
import type { ElfHeader } from './elf-types.js';

/** Header field offsets in an ELF64 header. */
const E_TYPE = 16;
const E_MACHINE = 18;
const E_VERSION = 20;
const E_ENTRY = 24;
const E_PHOFF = 32;
const E_SHOFF = 40;
const E_FLAGS = 48;
const E_EHSIZE = 52;
const E_PHENTSIZE = 54;
const E_PHNUM = 56;
const E_SHENTSIZE = 58;
const E_SHNUM = 60;
const E_SHSTRNDX = 62;

export function readElfHeader(input: ElfInput): ElfHeader {
  const available = Math.min(input.length, ELF_MAGIC.length);
  for (let i = 0; i < available; i++) {
    if (input.u8(i) !== ELF_MAGIC[i]) input.fail('not an ELF file (bad magic)', { offset: i });
  }
  const truncated = () =>
    input.fail(
      `truncated ELF header: the file is ${input.length} bytes, the header needs ${ELF64_EHDR_SIZE}`,
      {
        offset: input.length,
      },
    );
  if (input.length <= EI_CLASS) truncated();

  const elfClass = input.u8(EI_CLASS);
  if (elfClass === ELFCLASS32)
    input.fail('not a 64-bit ELF object: ELF32 is not supported', { offset: EI_CLASS });
  if (elfClass !== ELFCLASS64) input.fail(`invalid ELF class ${elfClass}`, { offset: EI_CLASS });
  if (input.length <= EI_DATA) truncated();

  const encoding = input.u8(EI_DATA);
  if (encoding === ELFDATA2MSB) input.fail('big-endian ELF is not supported', { offset: EI_DATA });
  if (encoding !== ELFDATA2LSB) input.fail(`invalid ELF data encoding ${encoding}`, { offset: EI_DATA });
  if (input.length < ELF64_EHDR_SIZE) truncated();

  const identVersion = input.u8(EI_VERSION);
  if (identVersion !== EV_CURRENT)
    input.fail(`unsupported ELF version ${identVersion}`, { offset: EI_VERSION });

  const location = (offset: number) => ({ offset });
  const header: ElfHeader = {
    osAbi: input.u8(EI_OSABI),
    abiVersion: input.u8(EI_ABIVERSION),
    type: input.u16(E_TYPE),
    machine: input.u16(E_MACHINE),
    version: input.u32(E_VERSION),
    entry: input.u64(E_ENTRY, 'e_entry', location(E_ENTRY)),
    phoff: input.u64(E_PHOFF, 'e_phoff', location(E_PHOFF)),
    shoff: input.u64(E_SHOFF, 'e_shoff', location(E_SHOFF)),
    flags: input.u32(E_FLAGS),
    ehsize: input.u16(E_EHSIZE),
    phentsize: input.u16(E_PHENTSIZE),
    phnum: input.u16(E_PHNUM),
    shentsize: input.u16(E_SHENTSIZE),
    shnum: input.u16(E_SHNUM),
    shstrndx: input.u16(E_SHSTRNDX),
  };
  validateHeader(input, header);
  return header;
}

function validateHeader(input: ElfInput, header: ElfHeader): void {
  // libbpf accepts EM_NONE too: LLVM before 7 left e_machine unset in BPF objects.
  if (header.machine !== EM_BPF && header.machine !== EM_NONE) {
    input.fail(
      `not a valid eBPF object file: machine is ${constantName(MACHINE_NAMES, header.machine)} (${header.machine}), ` +
        `expected EM_BPF (${EM_BPF})`,
      { offset: E_MACHINE },
    );
  }
  if (header.type !== ET_REL) {
    input.fail(
      `not a valid eBPF object file: type is ${constantName(ELF_TYPE_NAMES, header.type)}, expected ET_REL ` +
        '(BPF objects are relocatable files; executables and shared objects are not BPF objects)',
      { offset: E_TYPE },
    );
  }
  if (header.version !== EV_CURRENT)
    input.fail(`unsupported ELF version ${header.version}`, { offset: E_VERSION });
  if (header.ehsize !== ELF64_EHDR_SIZE) {
    input.fail(`bad e_ehsize ${header.ehsize}, expected ${ELF64_EHDR_SIZE}`, { offset: E_EHSIZE });
  }
  if (header.shnum === 0) {
    // gABI: e_shnum 0 with a section table means the real count sits in section 0 (extended numbering).
    if (header.shoff !== 0) {
      input.fail('extended section numbering (e_shnum 0 with a section header table) is not supported', {
        offset: E_SHNUM,
      });
    }
    if (header.shstrndx !== SHN_UNDEF) {
      input.fail(`bad e_shstrndx ${header.shstrndx}: the file has no sections`, { offset: E_SHSTRNDX });
    }
    return;
  }
  if (header.shentsize !== ELF64_SHDR_SIZE) {
    input.fail(`bad e_shentsize ${header.shentsize}, expected ${ELF64_SHDR_SIZE}`, { offset: E_SHENTSIZE });
  }
  if (header.shoff < ELF64_EHDR_SIZE) {
    input.fail(`section header table at ${hex(header.shoff)} overlaps the ELF header`, { offset: E_SHOFF });
  }
  const tableEnd = header.shoff + header.shnum * ELF64_SHDR_SIZE;
  if (tableEnd > input.length) {
    input.fail(
      `truncated section header table: ${header.shnum} sections at ${hex(header.shoff)} end at ${hex(tableEnd)}, ` +
        `past the end of the file (${hex(input.length)})`,
      { offset: header.shoff },
    );
  }
  if (header.shstrndx === SHN_XINDEX) {
    input.fail('e_shstrndx is SHN_XINDEX: extended section indexes are not supported', {
      offset: E_SHSTRNDX,
    });
  }
  if (header.shstrndx === SHN_UNDEF) {
    input.fail('failed to get section names section index: e_shstrndx is SHN_UNDEF', { offset: E_SHSTRNDX });
  }
  if (header.shstrndx >= header.shnum) {
    input.fail(
      `failed to get section names section index: e_shstrndx ${header.shstrndx} is not below e_shnum ${header.shnum}`,
      { offset: E_SHSTRNDX },
    );
  }
}
