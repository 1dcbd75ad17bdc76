// The static linker: one relocatable BPF object from several, as libbpf's bpf_linker (`bpftool gen object`)
// builds it: sections merged by name, symbols resolved with ELF's rules, relocations, BTF and BTF.ext merged.

import {
  type Btf,
  type BtfExt,
  type BtfType,
  encodeBtf,
  encodeBtfExt,
  parseBtf,
  parseBtfExt,
} from '../btf/index.js';
import {
  type ElfFile,
  type ElfSection,
  type ElfSymbol,
  type ElfWriteRelocation,
  type ElfWriteSection,
  type ElfWriteSymbol,
  parseElf,
  R_BPF_64_32,
  R_BPF_64_64,
  R_BPF_64_ABS32,
  R_BPF_64_ABS64,
  R_BPF_64_NODYLD32,
  SHF_EXECINSTR,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHT_LLVM_ADDRSIG,
  SHT_NOBITS,
  SHT_NULL,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FUNC,
  STT_NOTYPE,
  STT_SECTION,
  writeElf,
} from '../elf/index.js';
import { BPF_CALL_INSN, BPF_LD_IMM64 } from '../isa/opcodes.js';
import { btfTypeMismatch, mapDefinitionMismatch } from './btf-compat.js';
import { mergeBtfExt } from './btf-ext-merge.js';
import { type InputTypeRef, mergeBtf } from './btf-merge.js';
import { LinkError } from './link-error.js';

export interface LinkInput {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface LinkOptions {
  /** Used in error messages of the output (ELF writer); defaults to `<linked>`. */
  readonly outputName?: string;
}

const INSN_SIZE = 8;
const BTF_SECTION = '.BTF';
const BTF_EXT_SECTION = '.BTF.ext';
const MAPS_SECTION = '.maps';
/** Sections whose contents must be the same in every object; kept once (libbpf: non-identical contents...). */
const SINGLE_COPY_SECTIONS = new Set(['license', 'version']);
/** Externs the loader resolves against the kernel (libbpf's kconfig and ksym externs). */
const KERNEL_EXTERN_DATASECS = new Set(['.kconfig', '.ksyms']);

interface InputObject {
  readonly index: number;
  readonly fileName: string;
  readonly elf: ElfFile;
  readonly btf: Btf | undefined;
  readonly btfExt: BtfExt | undefined;
}

interface OutputSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly entsize: number;
  addralign: number;
  size: number;
  readonly chunks: { offset: number; data: Uint8Array }[];
  /** The first object that brought it, for error messages. */
  readonly firstFile: string;
  readonly relocations: ElfWriteRelocation[];
  /** Output symbol number of its STT_SECTION symbol, once one is needed. */
  sectionSymbol: number;
}

/** Where one input section went. */
interface Placement {
  readonly output: OutputSection;
  readonly offset: number;
}

/** A global symbol (GLOBAL or WEAK) of the output and who declared it. */
interface GlobalSymbol {
  readonly name: string;
  /** 1-based number in the output symbol list. */
  readonly number: number;
  definition?: { input: InputObject; symbol: ElfSymbol; placement: Placement };
  /** Every declaration, definitions and externs, in link order. */
  readonly declarations: { input: InputObject; symbol: ElfSymbol }[];
}

/** A mutable output symbol; globals get their final values once resolution is over. */
type OutputSymbol = { -readonly [K in keyof ElfWriteSymbol]: ElfWriteSymbol[K] };

function isDwarfSection(name: string): boolean {
  return name.startsWith('.debug_') || name.startsWith('.rel.debug_');
}

function isCode(section: ElfSection): boolean {
  return (section.flags & SHF_EXECINSTR) !== 0;
}

function alignUp(value: number, alignment: number): number {
  return alignment <= 1 ? value : Math.ceil(value / alignment) * alignment;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Sections the output does not carry: ELF bookkeeping, DWARF, address-significance tables, empty `.text`. */
function isIgnoredSection(section: ElfSection): boolean {
  if ([SHT_NULL, SHT_SYMTAB, SHT_STRTAB, SHT_REL, SHT_LLVM_ADDRSIG].includes(section.type)) return true;
  if (section.name === BTF_SECTION || section.name === BTF_EXT_SECTION) return true;
  if (isDwarfSection(section.name)) return true;
  return section.name === '.text' && section.size === 0;
}

function readInput(input: LinkInput, index: number): InputObject {
  const elf = parseElf(input.bytes, input.fileName);
  const btfSection = elf.sectionByName(BTF_SECTION);
  const btf =
    btfSection === undefined
      ? undefined
      : parseBtf(btfSection.data, { file: input.fileName, section: BTF_SECTION });
  const extSection = elf.sectionByName(BTF_EXT_SECTION);
  const btfExt =
    btf === undefined || extSection === undefined
      ? undefined
      : parseBtfExt(extSection.data, btf, { file: input.fileName, section: BTF_EXT_SECTION });
  return { index, fileName: input.fileName, elf, btf, btfExt };
}

/** The BTF FUNC or VAR an object gives a global symbol (definition or extern), if it has one. */
function btfOfGlobal(input: InputObject, symbol: ElfSymbol): number | undefined {
  const btf = input.btf;
  if (btf === undefined) return undefined;
  const section = input.elf.sections[symbol.shndx];
  const wantFunc =
    symbol.type === STT_FUNC || (symbol.shndx === SHN_UNDEF && symbol.type === STT_NOTYPE)
      ? true
      : section !== undefined && isCode(section);
  const candidates = btf.findAllByName(symbol.name).filter((id) => {
    const type = btf.types[id];
    return (type.kind === 'func' || type.kind === 'var') && type.linkage !== 'static';
  });
  if (wantFunc && symbol.shndx === SHN_UNDEF) return candidates[0];
  return candidates.find((id) => btf.types[id].kind === (wantFunc ? 'func' : 'var'));
}

/** The DATASEC name holding an object's BTF VAR/FUNC `id`, if any. */
function datasecOf(btf: Btf, id: number): string | undefined {
  for (const type of btf.types) {
    if (type.kind === 'datasec' && type.vars.some((v) => v.type === id)) return type.name;
  }
  return undefined;
}

function kindOfGlobal(input: InputObject, symbol: ElfSymbol): 'map' | 'function' | 'variable' {
  const section = input.elf.sections[symbol.shndx];
  if (symbol.shndx !== SHN_UNDEF && section !== undefined) {
    if (section.name === MAPS_SECTION) return 'map';
    return isCode(section) ? 'function' : 'variable';
  }
  const id = btfOfGlobal(input, symbol);
  if (id !== undefined && input.btf !== undefined) {
    if (input.btf.types[id].kind === 'func') return 'function';
    if (datasecOf(input.btf, id) === MAPS_SECTION) return 'map';
  }
  return 'variable';
}

class Linker {
  private readonly outputs: OutputSection[] = [];
  private readonly outputByName = new Map<string, OutputSection>();
  /** placements[input][sectionIndex] */
  private readonly placements: (Placement | undefined)[][] = [];
  private readonly symbols: OutputSymbol[] = [];
  /** symbolNumbers[input][symbolIndex]: 1-based output symbol number, 0 for none. */
  private readonly symbolNumbers: Int32Array[] = [];
  private readonly globals = new Map<string, GlobalSymbol>();
  /** `.maps` byte ranges of weak definitions that lost: their `.rel.maps` entries are dropped. */
  private readonly deadRanges: { input: number; section: number; start: number; end: number }[] = [];
  /** Chunks whose bytes were copied from the input before a patch (inputs are never modified). */
  private readonly copiedChunks = new Set<object>();

  constructor(private readonly inputs: readonly InputObject[]) {}

  link(outputName: string): Uint8Array {
    for (const input of this.inputs) this.placeSections(input);
    for (const input of this.inputs) this.addSymbols(input);
    this.checkUnresolved();
    for (const input of this.inputs) this.addRelocations(input);
    return this.write(outputName);
  }

  // ---- sections ----

  private placeSections(input: InputObject): void {
    const placements: (Placement | undefined)[] = [];
    this.placements[input.index] = placements;
    for (const section of input.elf.sections) {
      if (isIgnoredSection(section)) continue;
      if (section.type === SHT_RELA) {
        throw new LinkError(`unsupported SHT_RELA section '${section.name}' in '${input.fileName}'`, {
          files: [input.fileName],
          section: section.name,
        });
      }
      if (section.type !== SHT_PROGBITS && section.type !== SHT_NOBITS) {
        throw new LinkError(
          `section '${section.name}' of '${input.fileName}' has unsupported type ${section.type}`,
          { files: [input.fileName], section: section.name },
        );
      }
      placements[section.index] = this.placeSection(input, section);
    }
  }

  private placeSection(input: InputObject, section: ElfSection): Placement {
    const where = { files: [input.fileName], section: section.name };
    if (isCode(section) && section.size % INSN_SIZE !== 0) {
      throw new LinkError(
        `code section '${section.name}' of '${input.fileName}' is ${section.size} bytes, not a multiple of ${INSN_SIZE}`,
        where,
      );
    }
    let output = this.outputByName.get(section.name);
    if (output === undefined) {
      output = {
        name: section.name,
        type: section.type,
        flags: section.flags,
        entsize: section.entsize,
        addralign: Math.max(1, section.addralign),
        size: 0,
        chunks: [],
        firstFile: input.fileName,
        relocations: [],
        sectionSymbol: 0,
      };
      this.outputs.push(output);
      this.outputByName.set(section.name, output);
    } else {
      const both = { files: [output.firstFile, input.fileName], section: section.name };
      if (output.type !== section.type) {
        throw new LinkError(
          `section '${section.name}' types mismatch: ${output.type} in '${output.firstFile}', ${section.type} in '${input.fileName}'`,
          both,
        );
      }
      if (isCode(section) !== ((output.flags & SHF_EXECINSTR) !== 0)) {
        throw new LinkError(
          `section '${section.name}' flags mismatch between '${output.firstFile}' and '${input.fileName}'`,
          both,
        );
      }
      if (SINGLE_COPY_SECTIONS.has(section.name)) {
        const kept = output.chunks[0]?.data ?? new Uint8Array(0);
        if (!bytesEqual(kept, section.data)) {
          throw new LinkError(
            `non-identical contents of section '${section.name}' are not supported ('${output.firstFile}' and '${input.fileName}')`,
            both,
          );
        }
        return { output, offset: 0 };
      }
    }
    // Code is concatenated at instruction granularity, data at the section's own alignment.
    const alignment = isCode(section) ? INSN_SIZE : Math.max(1, section.addralign);
    output.addralign = Math.max(output.addralign, alignment);
    const offset = alignUp(output.size, alignment);
    if (section.type !== SHT_NOBITS) output.chunks.push({ offset, data: section.data });
    output.size = offset + section.size;
    return { output, offset };
  }

  private placementOf(input: InputObject, sectionIndex: number): Placement | undefined {
    return this.placements[input.index][sectionIndex];
  }

  // ---- symbols ----

  private addSymbol(symbol: OutputSymbol): number {
    this.symbols.push(symbol);
    return this.symbols.length;
  }

  private sectionSymbolOf(output: OutputSection): number {
    if (output.sectionSymbol === 0) {
      output.sectionSymbol = this.addSymbol({
        name: '',
        value: 0,
        size: 0,
        bind: STB_LOCAL,
        type: STT_SECTION,
        section: output.name,
      });
    }
    return output.sectionSymbol;
  }

  private addSymbols(input: InputObject): void {
    const numbers = new Int32Array(input.elf.symbols.length);
    this.symbolNumbers[input.index] = numbers;
    for (const symbol of input.elf.symbols) {
      if (symbol.index === 0) continue;
      const special = symbol.shndx >= SHN_LORESERVE;
      const placement =
        special || symbol.shndx === SHN_UNDEF ? undefined : this.placementOf(input, symbol.shndx);
      if (symbol.type === STT_SECTION) {
        if (placement !== undefined) numbers[symbol.index] = this.sectionSymbolOf(placement.output);
        continue;
      }
      if (symbol.bind === STB_LOCAL) {
        if (placement === undefined && !special) continue; // a symbol of a dropped section (DWARF)
        numbers[symbol.index] = this.addSymbol({
          name: symbol.name,
          value: placement === undefined ? symbol.value : placement.offset + symbol.value,
          size: symbol.size,
          bind: STB_LOCAL,
          type: symbol.type,
          visibility: symbol.visibility,
          section: placement === undefined ? symbol.shndx : placement.output.name,
        });
        continue;
      }
      if (symbol.bind !== STB_GLOBAL && symbol.bind !== STB_WEAK) {
        throw new LinkError(
          `symbol '${symbol.name}' of '${input.fileName}' has unsupported binding ${symbol.bind}`,
          { symbol: symbol.name, files: [input.fileName] },
        );
      }
      if (symbol.shndx !== SHN_UNDEF && placement === undefined && !special) {
        throw new LinkError(
          `global symbol '${symbol.name}' of '${input.fileName}' is defined in a section the linker drops`,
          { symbol: symbol.name, files: [input.fileName] },
        );
      }
      numbers[symbol.index] = this.resolveGlobal(input, symbol, placement);
    }
  }

  private resolveGlobal(input: InputObject, symbol: ElfSymbol, placement: Placement | undefined): number {
    let global = this.globals.get(symbol.name);
    if (global === undefined) {
      const number = this.addSymbol({
        name: symbol.name,
        bind: symbol.bind,
        type: symbol.type,
        section: SHN_UNDEF,
      });
      global = { name: symbol.name, number, declarations: [] };
      this.globals.set(symbol.name, global);
    }
    for (const earlier of global.declarations) this.checkCompatible(global, earlier, { input, symbol });
    global.declarations.push({ input, symbol });
    if (symbol.shndx === SHN_UNDEF || placement === undefined) return global.number;

    const current = global.definition;
    const candidate = { input, symbol, placement };
    if (current === undefined) {
      global.definition = candidate;
    } else if (
      SINGLE_COPY_SECTIONS.has(placement.output.name) &&
      current.placement.output === placement.output &&
      current.symbol.value === symbol.value
    ) {
      // `char LICENSE[] SEC("license")` in every object: the contents were checked to be identical.
    } else if (current.symbol.bind === STB_WEAK && symbol.bind !== STB_WEAK) {
      this.markDead(current.input, current.symbol);
      global.definition = candidate;
    } else if (symbol.bind === STB_WEAK) {
      this.markDead(input, symbol);
    } else {
      throw new LinkError(
        `conflicting non-weak symbol '${symbol.name}': defined in '${current.input.fileName}' and '${input.fileName}'`,
        {
          symbol: symbol.name,
          files: [current.input.fileName, input.fileName],
          section: placement.output.name,
        },
      );
    }
    return global.number;
  }

  private markDead(input: InputObject, symbol: ElfSymbol): void {
    this.deadRanges.push({
      input: input.index,
      section: symbol.shndx,
      start: symbol.value,
      end: symbol.value + symbol.size,
    });
  }

  /** Two declarations of one global must agree on what it is: function, variable or map, and its BTF type. */
  private checkCompatible(
    global: GlobalSymbol,
    a: { input: InputObject; symbol: ElfSymbol },
    b: { input: InputObject; symbol: ElfSymbol },
  ): void {
    const kindA = kindOfGlobal(a.input, a.symbol);
    const kindB = kindOfGlobal(b.input, b.symbol);
    const files = [a.input.fileName, b.input.fileName];
    const where = { symbol: global.name, files };
    if (kindA !== kindB) {
      throw new LinkError(
        `global '${global.name}' is a ${kindA} in '${files[0]}' and a ${kindB} in '${files[1]}'`,
        where,
      );
    }
    const idA = btfOfGlobal(a.input, a.symbol);
    const idB = btfOfGlobal(b.input, b.symbol);
    if (idA === undefined || idB === undefined || a.input.btf === undefined || b.input.btf === undefined)
      return;
    const mismatch =
      kindA === 'map'
        ? mapDefinitionMismatch(a.input.btf, idA, b.input.btf, idB)
        : btfTypeMismatch(a.input.btf, idA, b.input.btf, idB);
    if (mismatch === undefined) return;
    const what =
      kindA === 'map' ? `conflicting definitions of map '${global.name}'` : `global '${global.name}'`;
    throw new LinkError(`${what} in '${files[0]}' and '${files[1]}': ${mismatch}`, {
      ...where,
      ...(kindA === 'map' ? { section: MAPS_SECTION } : {}),
    });
  }

  /** Externs no object defines are errors, except those the loader takes from the kernel (kconfig, ksyms). */
  private checkUnresolved(): void {
    for (const global of this.globals.values()) {
      if (global.definition !== undefined) continue;
      const needing = global.declarations[0];
      const btf = needing.input.btf;
      const id = btfOfGlobal(needing.input, needing.symbol);
      const datasec = btf === undefined || id === undefined ? undefined : datasecOf(btf, id);
      if (datasec !== undefined && KERNEL_EXTERN_DATASECS.has(datasec)) continue;
      throw new LinkError(
        `unresolved extern '${global.name}' referenced from '${needing.input.fileName}': no object defines it`,
        { symbol: global.name, files: global.declarations.map((d) => d.input.fileName) },
      );
    }
  }

  private finishGlobals(): void {
    for (const global of this.globals.values()) {
      const out = this.symbols[global.number - 1];
      const definition = global.definition;
      if (definition === undefined) {
        // Strong when any object needs it strongly (ELF: a weak reference is one that may stay unresolved).
        out.bind = global.declarations.some((d) => d.symbol.bind === STB_GLOBAL) ? STB_GLOBAL : STB_WEAK;
        out.type = global.declarations.find((d) => d.symbol.type !== STT_NOTYPE)?.symbol.type ?? STT_NOTYPE;
        continue;
      }
      const { symbol, placement } = definition;
      out.bind = symbol.bind;
      out.type = symbol.type;
      out.value = placement.offset + symbol.value;
      out.size = symbol.size;
      out.visibility = symbol.visibility;
      out.section = placement.output.name;
    }
  }

  // ---- relocations ----

  private addRelocations(input: InputObject): void {
    for (const { target, relocations } of input.elf.relocations) {
      const placement = this.placementOf(input, target.index);
      if (placement === undefined) continue; // relocations of .BTF, .BTF.ext and DWARF are not needed
      const output = placement.output;
      if (
        SINGLE_COPY_SECTIONS.has(output.name) &&
        placement.offset === 0 &&
        output.firstFile !== input.fileName
      ) {
        continue; // the kept copy brings its own
      }
      const hasBytes = output.type !== SHT_NOBITS;
      for (const [number, relocation] of relocations.entries()) {
        if (this.isDead(input, target.index, relocation.offset)) continue;
        const symbol = input.elf.symbols[relocation.symbol];
        const outputNumber = this.symbolNumbers[input.index][relocation.symbol];
        if (relocation.symbol !== 0 && outputNumber === 0) {
          throw new LinkError(
            `relocation #${number} of section '${target.name}' in '${input.fileName}' refers to symbol '${symbol.name}' of a dropped section`,
            { symbol: symbol.name, files: [input.fileName], section: target.name },
          );
        }
        const offset = placement.offset + relocation.offset;
        if (symbol.type === STT_SECTION && hasBytes) {
          const symbolPlacement = this.placementOf(input, symbol.shndx);
          if (symbolPlacement !== undefined && symbolPlacement.offset !== 0) {
            this.patchSectionRelative(
              input,
              target,
              relocation.offset,
              relocation.type,
            )(symbolPlacement.offset);
          }
        }
        output.relocations.push({ offset, type: relocation.type, symbol: outputNumber });
      }
    }
  }

  private isDead(input: InputObject, section: number, offset: number): boolean {
    return this.deadRanges.some(
      (range) =>
        range.input === input.index &&
        range.section === section &&
        offset >= range.start &&
        offset < range.end,
    );
  }

  /**
   * A relocation against a section symbol keeps the target's offset in the relocated bytes (instruction
   * imm, or the data word); when that section moved, the bytes move with it. The input bytes are copied
   * before the first patch, so inputs are never modified.
   */
  private patchSectionRelative(
    input: InputObject,
    target: ElfSection,
    at: number,
    type: number,
  ): (shift: number) => void {
    const placement = this.placementOf(input, target.index)!;
    const chunk = placement.output.chunks.find((c) => c.offset === placement.offset)!;
    if (!this.copiedChunks.has(chunk)) {
      chunk.data = chunk.data.slice();
      this.copiedChunks.add(chunk);
    }
    const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    const where = { files: [input.fileName], section: target.name };
    return (shift) => {
      if (isCode(target)) {
        const code = view.getUint8(at);
        if (type === R_BPF_64_32 && code === BPF_CALL_INSN) {
          // libbpf: a call's target is sym_off / 8 + imm + 1, in instructions.
          view.setInt32(at + 4, view.getInt32(at + 4, true) + shift / INSN_SIZE, true);
          return;
        }
        if (type === R_BPF_64_64 && code === BPF_LD_IMM64) {
          view.setInt32(at + 4, view.getInt32(at + 4, true) + shift, true);
          return;
        }
        throw new LinkError(
          `unsupported relocation type ${type} against a section symbol at offset ${at} (code 0x${code.toString(16)})`,
          where,
        );
      }
      if (type === R_BPF_64_ABS64) {
        view.setBigUint64(at, view.getBigUint64(at, true) + BigInt(shift), true);
      } else if (type === R_BPF_64_ABS32 || type === R_BPF_64_NODYLD32) {
        view.setUint32(at, (view.getUint32(at, true) + shift) >>> 0, true);
      } else {
        throw new LinkError(
          `unsupported relocation type ${type} against a section symbol at offset ${at}`,
          where,
        );
      }
    };
  }

  // ---- BTF ----

  /** Which BTF types symbol resolution replaced: resolved externs and weak definitions that lost. */
  private replacementOf(ref: InputTypeRef, type: BtfType): InputTypeRef | undefined {
    if ((type.kind !== 'func' && type.kind !== 'var') || type.linkage === 'static') return undefined;
    const global = this.globals.get(type.name);
    if (global === undefined) return undefined;
    const input = this.inputs[ref.input];
    const own = global.declarations.find((d) => d.input === input && btfOfGlobal(input, d.symbol) === ref.id);
    if (own === undefined) return undefined;
    const winner = global.definition ?? global.declarations[0];
    if (winner.input === input && winner.symbol === own.symbol) return undefined;
    // A weak function that lost keeps its FUNC: its dead code still carries func_info that points at it.
    if (type.kind === 'func' && own.symbol.shndx !== SHN_UNDEF) return undefined;
    const id = btfOfGlobal(winner.input, winner.symbol);
    return id === undefined ? undefined : { input: winner.input.index, id };
  }

  private placeVar(
    inputIndex: number,
    section: string,
    secinfo: { type: number; offset: number; size: number },
  ): { offset: number; size: number } | 'drop' {
    const input = this.inputs[inputIndex];
    const variable = input.btf!.types[secinfo.type];
    if (KERNEL_EXTERN_DATASECS.has(section)) return { offset: secinfo.offset, size: secinfo.size };
    if (variable.kind !== 'var' && variable.kind !== 'func') return 'drop';
    if (variable.linkage === 'extern') return 'drop';
    const elfSection = input.elf.sectionByName(section);
    if (elfSection === undefined) return 'drop';
    const placement = this.placementOf(input, elfSection.index);
    if (placement === undefined) return 'drop';
    const symbol = input.elf.symbols.find(
      (s) => s.name === variable.name && s.shndx === elfSection.index && s.type !== STT_SECTION,
    );
    if (symbol === undefined) return { offset: placement.offset + secinfo.offset, size: secinfo.size };
    if (symbol.bind !== STB_LOCAL) {
      const definition = this.globals.get(symbol.name)?.definition;
      if (definition === undefined || definition.input !== input || definition.symbol !== symbol)
        return 'drop';
    } else if (SINGLE_COPY_SECTIONS.has(section) && placement.output.firstFile !== input.fileName) {
      return 'drop';
    }
    return { offset: placement.offset + symbol.value, size: symbol.size || secinfo.size };
  }

  // ---- output ----

  private write(outputName: string): Uint8Array {
    this.finishGlobals();
    const sections: ElfWriteSection[] = this.outputs.map((output) => {
      const base = {
        name: output.name,
        type: output.type,
        flags: output.flags,
        addralign: output.addralign,
        entsize: output.entsize,
      };
      if (output.type === SHT_NOBITS) return { ...base, size: output.size };
      const data = new Uint8Array(output.size);
      for (const chunk of output.chunks) data.set(chunk.data, chunk.offset);
      return { ...base, data };
    });

    if (this.inputs.some((input) => input.btf !== undefined)) {
      const merged = mergeBtf(
        this.inputs.map((input) => input.btf),
        {
          replacementOf: (ref, type) => this.replacementOf(ref, type),
          placeVar: (input, section, secinfo) => this.placeVar(input, section, secinfo),
          sectionSize: (name) => this.outputByName.get(name)?.size,
        },
      );
      const ext = mergeBtfExt(
        this.inputs.map((input) => input.btfExt),
        {
          sectionOrder: this.outputs.filter((o) => (o.flags & SHF_EXECINSTR) !== 0).map((o) => o.name),
          sectionOffset: (index, name) => {
            const input = this.inputs[index];
            const section = input.elf.sectionByName(name);
            return section === undefined ? undefined : this.placementOf(input, section.index)?.offset;
          },
          outputId: merged.outputId,
          builder: merged.builder,
        },
      );
      // The .BTF.ext strings live in .BTF's string table, so .BTF is encoded after them.
      const extBytes = ext === undefined ? undefined : encodeBtfExt(ext);
      sections.push({
        name: BTF_SECTION,
        type: SHT_PROGBITS,
        addralign: 4,
        data: encodeBtf({ types: merged.types, strings: merged.strings }),
      });
      if (extBytes !== undefined) {
        sections.push({ name: BTF_EXT_SECTION, type: SHT_PROGBITS, addralign: 4, data: extBytes });
      }
    }
    return writeElf({
      fileName: outputName,
      flags: this.inputs[0]?.elf.header.flags ?? 0,
      sections,
      symbols: this.symbols,
      relocations: this.outputs.map((output) => ({ section: output.name, relocations: output.relocations })),
    });
  }
}

/**
 * Links BPF objects into one, like `bpftool gen object OUT.o A.o B.o ...`. Deterministic: the same inputs
 * in the same order give the same bytes. Throws LinkError for inputs that cannot be linked together, and
 * the ElfError/BtfError of an input that is not a well-formed BPF object.
 */
export function linkObjects(inputs: readonly LinkInput[], options: LinkOptions = {}): Uint8Array {
  if (inputs.length === 0) throw new LinkError('no input objects');
  const objects = inputs.map((input, index) => readInput(input, index));
  return new Linker(objects).link(options.outputName ?? '<linked>');
}
