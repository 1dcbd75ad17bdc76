// libbpf's DATASEC fix-up at open: clang leaves each DATASEC's size and its variables' offsets 0; libbpf fills
// them from the ELF section and symbols and sorts the variables by offset, so the kernel (and bpftool) see them so.

import type { Btf } from '../btf/index.js';
import type { BtfDatasec } from '../btf/btf-types.js';
import { STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_OBJECT } from '../elf/elf-constants.js';
import type { ElfFile } from '../elf/index.js';

/** Sections whose DATASEC describes externs (kconfig, ksyms): libbpf leaves their layout alone. */
const EXTERN_SECTIONS = new Set(['.kconfig', '.ksyms']);
const VARIABLE_BINDINGS = new Set([STB_LOCAL, STB_GLOBAL, STB_WEAK]);

/**
 * Fixes the DATASECs of `btf` (parsed from `elf`, owned by the caller) in place: a size of 0 becomes the
 * section's size and each variable's offset its symbol's value (a linked object already has both), then the
 * variables are sorted by offset. Variables without a symbol keep their offset.
 */
export function fixupDatasecs(btf: Btf, elf: ElfFile): void {
  for (const type of btf.types) {
    if (type.kind !== 'datasec' || EXTERN_SECTIONS.has(type.name)) continue;
    const section = elf.sectionByName(type.name);
    if (type.size === 0 && section !== undefined) {
      (type as { size: number }).size = section.size;
      for (const [i, entry] of type.vars.entries()) {
        const name = btf.types[entry.type]?.name;
        const symbol = name === undefined ? undefined : variableSymbol(elf, name, section.index);
        if (symbol !== undefined) type.vars[i] = { ...entry, offset: symbol.value };
      }
    }
    sortByOffset(type);
  }
}

function variableSymbol(elf: ElfFile, name: string, sectionIndex: number) {
  const candidates = elf.symbols.filter(
    (symbol) => symbol.name === name && symbol.type === STT_OBJECT && VARIABLE_BINDINGS.has(symbol.bind),
  );
  return candidates.find((symbol) => symbol.shndx === sectionIndex) ?? candidates[0];
}

function sortByOffset(datasec: BtfDatasec): void {
  datasec.vars.sort((a, b) => a.offset - b.offset);
}
