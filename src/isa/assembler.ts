// Assembler for LLVM's BPF syntax: clang -S output, llvm-objdump -d listings and hand-written programs, into sections of
// instructions with symbols and relocations (the shape an ELF writer needs).

import { AsmByteBuffer, type ByteBudget, MAX_OBJECT_BYTES } from './asm-byte-buffer.js';
import { AsmError, type SourcePos } from './asm-error.js';
import { type Fixup, type ParsedInstruction, parseInstruction } from './asm-instruction.js';
import { StatementError, type Token, tokenize } from './asm-lexer.js';
import { type Insn, INSN_SIZE, readInsns, writeInsns } from './insn.js';
import * as bpf from './opcodes.js';

export { AsmError } from './asm-error.js';

export type RelocationType =
  | 'R_BPF_NONE'
  | 'R_BPF_64_64'
  | 'R_BPF_64_ABS64'
  | 'R_BPF_64_ABS32'
  | 'R_BPF_64_NODYLD32'
  | 'R_BPF_64_32';

const RELOCATION_TYPES: readonly RelocationType[] = [
  'R_BPF_NONE',
  'R_BPF_64_64',
  'R_BPF_64_ABS64',
  'R_BPF_64_ABS32',
  'R_BPF_64_NODYLD32',
  'R_BPF_64_32',
];

export interface AsmSymbol {
  name: string;
  /** Instruction index in a code section, byte offset in a data section. */
  offset: number;
  byteOffset: number;
  /** Size in bytes: from `.size`, else (functions) up to the next function or the section end. */
  size?: number;
  kind: 'function' | 'label' | 'object';
  binding: SymbolBinding;
  /** From `.hidden`, `.protected`, `.internal` (ELF st_other); default visibility when absent. */
  visibility?: SymbolVisibility;
}

export type SymbolBinding = 'local' | 'global' | 'weak';
export type SymbolVisibility = 'hidden' | 'protected' | 'internal';

export interface AsmRelocation {
  /** Index of the relocated instruction (code sections); -1 in data sections. */
  insnIndex: number;
  /** Byte offset in the section (ELF r_offset). */
  offset: number;
  type: RelocationType;
  symbol: string;
  /**
   * The relocation names the STT_SECTION symbol of section `symbol`: what LLVM does for local symbols, keeping the
   * symbol's offset in the relocated bytes (BPF objects use SHT_REL, addends in place).
   */
  againstSection?: boolean;
}

export interface AssembledSection {
  name: string;
  /** `code` holds instructions; `data` initialised bytes; `bss` zeroes only (SHT_NOBITS). */
  kind: 'code' | 'data' | 'bss';
  /** ELF-style flags: `a` alloc, `w` write, `x` exec, `M` merge, `S` strings; `''` for .BTF and other metadata. */
  flags: string;
  align: number;
  /** Size of one entry of a mergeable (`M`) section: `.section .rodata.str1.1,"aMS",@progbits,1`. */
  entsize?: number;
  /** Instructions of a code section (LD_IMM64 as two slots); empty for data. */
  insns: Insn[];
  /** Section contents (for code, the same instructions little-endian). */
  bytes: Uint8Array;
  symbols: AsmSymbol[];
  relocations: AsmRelocation[];
}

export interface AssembledObject {
  fileName: string;
  sections: AssembledSection[];
  /** Symbols referenced but not defined (become undefined global, or with `.weak` weak, symbols in ELF). */
  externs: { name: string; kind: 'function' | 'object'; weak?: boolean }[];
  /** The source file named by `.file "x.c"` (an STT_FILE symbol in ELF). */
  sourceFile?: string;
}

export interface AssembleOptions {
  fileName?: string;
  /**
   * llvm-objdump-14 prints a pc-relative local call exactly like helper call N (`call 2`). With this set, a numeric
   * call whose target is the start of a function named by an objdump header (`0000000000000028 <sfunc>:`) is taken as
   * a local call. This is a guess (a helper call just before a function's end can point at the next function by
   * chance); lines that keep their encoding bytes never need it.
   */
  objdumpLocalCalls?: boolean;
}

/** Assembles a whole file: sections, symbols and relocations, following what LLVM emits for the same text. */
export function assemble(text: string, options: AssembleOptions = {}): AssembledObject {
  return new Assembly(options.fileName ?? '<input>', options, 'llvm').run(text).object;
}

/**
 * Assembles the instructions of a single code section, resolving every call and jump inside it (no relocations).
 * A reference to a symbol the text does not define is an AsmError.
 */
export function assembleInsns(text: string, options: AssembleOptions = {}): Insn[] {
  const assembly = new Assembly(options.fileName ?? '<input>', options, 'resolve').run(text);
  const code = assembly.object.sections.filter((s) => s.kind === 'code' && s.bytes.length > 0);
  const other = assembly.object.sections.find((s) => s.kind !== 'code');
  if (other)
    throw assembly.errorAtEnd(`assembleInsns takes one code section, found data section '${other.name}'`);
  if (code.length > 1)
    throw assembly.errorAtEnd(`assembleInsns takes one code section, found ${code.length}`);
  const pending = assembly.pendingRelocations[0];
  if (pending) {
    throw new AsmError(
      `'${pending.symbol}' is not defined here; use assemble() to keep relocations`,
      assembly.fileName,
      pending.pos.line,
      pending.pos.column,
    );
  }
  return code[0]?.insns ?? [];
}

/**
 * Sections whose contents are skipped: relocation tables (the assembler makes its own) and DWARF, which llvm-mc
 * completes from `.loc` and `.cfi_*` (.debug_line, .debug_frame) and tsbpf does not. Loading needs none of them:
 * BTF and BTF.ext (kept) carry types, functions and line info with their source text.
 */
const SKIPPED_SECTION = /^(\.debug_|\.rel|\.eh_frame|\.llvm_addrsig|\.note)/;
/** Metadata sections LLVM leaves without SHF_ALLOC when no flags are given. */
const UNALLOCATED_SECTION = /^(\.BTF$|\.BTF\.ext$|\.debug_|\.comment$)/;
const DATA_SECTION = /^(\.data|\.rodata|\.bss|\.maps|maps$|license$|version$|\.kconfig|\.ksyms)/;
/** Directives that carry nothing an eBPF object needs (debug lines, CFI, tool identification). */
const IGNORED_DIRECTIVES = new Set([
  '.loc',
  '.ident',
  '.addrsig',
  '.addrsig_sym',
  '.cfi_sections',
  '.cfi_startproc',
  '.cfi_endproc',
  '.cfi_def_cfa',
  '.cfi_def_cfa_offset',
  '.cfi_offset',
]);
/** LLVM's block labels and assembler-local labels are not functions even at a function's start. */
const BLOCK_LABEL = /^(LBB\d+_\d+|\.L)/;

interface SectionBuilder {
  name: string;
  /** As given by `.section`, `.text`...; undefined when the text never said (objdump listings, bare names). */
  flags: string | undefined;
  /** Named by a directive (`.section`, `.data`...), so kept even when empty. */
  opened: boolean;
  kind: 'code' | 'data' | 'bss' | undefined;
  skipped: boolean;
  bytes: AsmByteBuffer;
  align: number;
  entsize?: number;
  instructions: PendingInstruction[];
  relocations: (AsmRelocation & { pos: SourcePos })[];
  labels: string[];
}

interface PendingInstruction {
  byteOffset: number;
  parsed: ParsedInstruction;
  pos: SourcePos;
  /** Bytes printed before the text in an objdump listing. */
  listedBytes?: Uint8Array;
  /** An `R_BPF_64_32` line follows it in an objdump listing: LLVM only emits that for BPF-to-BPF calls. */
  listedCallRelocation?: boolean;
}

interface SymbolInfo {
  binding?: SymbolBinding;
  visibility?: SymbolVisibility;
  type?: 'function' | 'object';
  sizeExpr?: { tokens: Token[]; dot: number; section: SectionBuilder; pos: SourcePos };
  calledAsFunction?: boolean;
  fromObjdumpHeader?: boolean;
  referencedAs?: 'function' | 'object';
}

/** A data value that names a symbol: evaluated once every label is known (`.long .Ltmp5-.Lfunc_begin0`). */
interface DataFixup {
  section: SectionBuilder;
  offset: number;
  width: 1 | 2 | 4 | 8;
  tokens: Token[];
  pos: SourcePos;
}

interface LabelDef {
  section: SectionBuilder;
  byteOffset: number;
  pos: SourcePos;
}

class Assembly {
  readonly sections = new Map<string, SectionBuilder>();
  readonly labels = new Map<string, LabelDef>();
  readonly info = new Map<string, SymbolInfo>();
  readonly pendingRelocations: { symbol: string; pos: SourcePos }[] = [];
  private readonly dataFixups: DataFixup[] = [];
  private readonly budget: ByteBudget = { remaining: MAX_OBJECT_BYTES };
  private sourceFile: string | undefined;
  object!: AssembledObject;
  private current: SectionBuilder;
  private lastInstruction: { section: SectionBuilder; instruction: PendingInstruction } | undefined;
  private lineCount = 0;

  constructor(
    readonly fileName: string,
    private readonly options: AssembleOptions,
    private readonly calls: 'llvm' | 'resolve',
  ) {
    this.current = this.section('.text', undefined, undefined);
  }

  run(text: string): this {
    const lines = text.split('\n');
    this.lineCount = lines.length;
    lines.forEach((line, index) => {
      try {
        this.line(line, index + 1);
      } catch (error) {
        if (error instanceof StatementError)
          throw new AsmError(error.message, this.fileName, index + 1, error.column);
        throw error;
      }
    });
    this.object = this.finish();
    return this;
  }

  errorAtEnd(message: string): AsmError {
    return new AsmError(message, this.fileName, this.lineCount, 0);
  }

  private error(message: string, pos: SourcePos): AsmError {
    return new AsmError(message, this.fileName, pos.line, pos.column);
  }

  private symbolInfo(name: string): SymbolInfo {
    let entry = this.info.get(name);
    if (!entry) {
      entry = {};
      this.info.set(name, entry);
    }
    return entry;
  }

  private section(name: string, flags: string | undefined, type: string | undefined): SectionBuilder {
    let section = this.sections.get(name);
    if (!section) {
      let kind: SectionBuilder['kind'];
      const given = flags ?? '';
      if (type === '@nobits' || name === '.bss' || name.startsWith('.bss.')) kind = 'bss';
      else if (given.includes('x') || name === '.text' || name.startsWith('.text.')) kind = 'code';
      else if (given.includes('a') || DATA_SECTION.test(name)) kind = 'data';
      section = {
        name,
        flags,
        opened: false,
        kind,
        skipped: SKIPPED_SECTION.test(name),
        bytes: new AsmByteBuffer(this.budget),
        align: name === '.text' ? 4 : 1,
        instructions: [],
        relocations: [],
        labels: [],
      };
      this.sections.set(name, section);
    }
    return section;
  }

  private line(raw: string, line: number) {
    const code = stripComment(raw);
    const trimmed = code.trim();
    if (trimmed === '') return;
    const indent = code.length - code.trimStart().length;
    const pos = { line, column: indent + 1 };

    // llvm-objdump listing scaffolding.
    if (/^\S+:\s+file format \S+$/.test(trimmed)) return;
    const disassembly = /^Disassembly of section (.+):$/.exec(trimmed);
    if (disassembly) {
      this.switchSection(disassembly[1], undefined, undefined);
      return;
    }
    const header = /^[0-9a-fA-F]+ <([^<>]+)>:$/.exec(trimmed);
    if (header) {
      if (this.current.skipped) return;
      this.defineLabel(header[1], pos);
      this.symbolInfo(header[1]).fromObjdumpHeader = true;
      return;
    }
    const relocationLine = /^[0-9a-fA-F]+:\s+(R_BPF_\w+)\s+(\S+)$/.exec(trimmed);
    if (relocationLine) {
      this.listedRelocation(relocationLine[1], relocationLine[2], pos);
      return;
    }
    const listed = /^(\d+):(\s+)(.*)$/.exec(trimmed);
    if (listed) {
      this.listedInstruction(listed[3], indent + listed[1].length + 1 + listed[2].length, pos);
      return;
    }

    let rest = code;
    let restStart = 0;
    const label = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*):/.exec(code);
    if (label) {
      if (!this.current.skipped) this.defineLabel(label[2], { line, column: label[1].length + 1 });
      restStart = label[0].length;
      rest = code.slice(restStart);
      if (rest.trim() === '') return;
    }
    const restIndent = rest.length - rest.trimStart().length;
    const statement = rest.trim();
    const column = restStart + restIndent;
    if (statement.startsWith('.')) this.directive(statement, { line, column: column + 1 });
    else if (!this.current.skipped) this.instruction(statement, column, { line, column: column + 1 });
  }

  private listedInstruction(rest: string, columnBase: number, pos: SourcePos) {
    const bytesMatch = /^((?:[0-9a-fA-F]{2} )*[0-9a-fA-F]{2})(?=\s|$)\s*/.exec(rest);
    let listedBytes: Uint8Array | undefined;
    let text = rest;
    let column = columnBase;
    if (bytesMatch) {
      const values = bytesMatch[1].split(' ').map((b) => Number.parseInt(b, 16));
      if (values.length === 8 || values.length === 16) {
        listedBytes = Uint8Array.from(values);
        text = rest.slice(bytesMatch[0].length);
        column += bytesMatch[0].length;
      }
    }
    const statementPos = { line: pos.line, column: column + 1 };
    if (text.trim() === '<unknown>' || text.trim() === '') {
      // llvm-objdump-14 cannot print some valid instructions (32-bit fetch atomics, jset, mod, st imm, ...):
      // the listed bytes are then the only description of the instruction.
      if (!listedBytes)
        throw this.error(`cannot assemble '${text.trim()}' without its encoding bytes`, statementPos);
      if (listedBytes.length !== 8) throw this.error('an unknown instruction has 8 bytes', statementPos);
      this.emitInstruction({ slots: readInsns(listedBytes) }, statementPos, undefined);
      return;
    }
    this.instruction(text, column, statementPos, listedBytes);
  }

  private listedRelocation(type: string, symbol: string, pos: SourcePos) {
    if (!RELOCATION_TYPES.includes(type as RelocationType))
      throw this.error(`unknown relocation type ${type}`, pos);
    const last = this.lastInstruction;
    if (!last || last.section !== this.current)
      throw this.error('relocation line without an instruction before it', pos);
    const { instruction } = last;
    last.section.relocations.push({
      insnIndex: instruction.byteOffset / INSN_SIZE,
      offset: instruction.byteOffset,
      type: type as RelocationType,
      symbol,
      pos,
    });
    if (type === 'R_BPF_64_32') instruction.listedCallRelocation = true;
    const info = this.symbolInfo(symbol);
    info.referencedAs ??= type === 'R_BPF_64_32' ? 'function' : 'object';
    this.pendingRelocations.push({ symbol, pos });
  }

  private instruction(statement: string, column: number, pos: SourcePos, listedBytes?: Uint8Array) {
    let text = statement;
    // objdump annotates jump and call targets: `goto +10 <LBB1_2>`, `call -1 <.text+0x20>`.
    if (/\b(goto|gotol|call|may_goto)\b/.test(text)) text = text.replace(/\s*<[^<>]*>\s*$/, '');
    const tokens = tokenize(text, column);
    const parsed = parseInstruction(tokens, column + text.length + 1);
    this.emitInstruction(parsed, pos, listedBytes);
  }

  private emitInstruction(parsed: ParsedInstruction, pos: SourcePos, listedBytes: Uint8Array | undefined) {
    const section = this.current;
    if (section.kind === 'data' || section.kind === 'bss') {
      throw this.error(`instruction in data section '${section.name}'`, pos);
    }
    section.kind = 'code';
    if (section.bytes.length % INSN_SIZE !== 0) {
      throw this.error(`instruction at byte offset ${section.bytes.length}, not a multiple of 8`, pos);
    }
    const instruction: PendingInstruction = { byteOffset: section.bytes.length, parsed, pos, listedBytes };
    if (listedBytes && listedBytes.length !== parsed.slots.length * INSN_SIZE) {
      throw this.error(
        `the listed bytes hold ${listedBytes.length / INSN_SIZE} slot(s), the text ${parsed.slots.length}`,
        pos,
      );
    }
    section.instructions.push(instruction);
    section.bytes.push(writeInsns(parsed.slots));
    if (parsed.fixup?.kind === 'call') this.symbolInfo(parsed.fixup.symbol).calledAsFunction = true;
    this.lastInstruction = { section, instruction };
  }

  private defineLabel(name: string, pos: SourcePos) {
    const previous = this.labels.get(name);
    if (previous) {
      throw this.error(`symbol '${name}' is already defined (line ${previous.pos.line})`, pos);
    }
    this.labels.set(name, { section: this.current, byteOffset: this.current.bytes.length, pos });
    this.current.labels.push(name);
  }

  private switchSection(name: string, flags: string | undefined, type: string | undefined) {
    this.current = this.section(name, flags, type);
    this.current.opened = true;
  }

  private directive(statement: string, pos: SourcePos) {
    const match = /^(\.[A-Za-z0-9_.]+)\s*(.*)$/.exec(statement);
    const name = match ? match[1] : statement;
    const args = match ? match[2] : '';
    const argsColumn = pos.column + statement.length - args.length;
    const argsPos = { line: pos.line, column: argsColumn };
    switch (name) {
      case '.text':
        this.switchSection('.text', 'ax', undefined);
        return;
      case '.data':
        this.switchSection('.data', 'aw', undefined);
        return;
      case '.bss':
        this.switchSection('.bss', 'aw', '@nobits');
        return;
      case '.rodata':
        this.switchSection('.rodata', 'a', undefined);
        return;
      case '.section': {
        const parts = splitArguments(args);
        if (parts.length === 0 || parts[0] === '') throw this.error('expected a section name', argsPos);
        const sectionName = unquote(parts[0]);
        const flags = parts[1] !== undefined ? unquote(parts[1]) : undefined;
        this.switchSection(sectionName, flags, parts[2]?.trim());
        if (flags?.includes('M')) {
          if (parts[3] === undefined) throw this.error('a mergeable section needs its entry size', argsPos);
          const entsize = this.constant(parts[3], argsColumn, argsPos);
          if (entsize < 1n || entsize > 4096n) throw this.error(`bad entry size ${entsize}`, argsPos);
          this.current.entsize = Number(entsize);
        }
        return;
      }
    }
    if (this.current.skipped) return;
    if (IGNORED_DIRECTIVES.has(name) || name.startsWith('.cfi_')) return;
    switch (name) {
      case '.file': {
        // `.file "x.c"` names the source (an STT_FILE symbol); `.file 1 "dir" "x.c"` feeds DWARF only.
        const parts = splitArguments(args);
        if (parts.length === 1 && /^\s*".*"\s*$/.test(parts[0])) this.sourceFile ??= unquote(parts[0]);
        return;
      }
      case '.globl':
      case '.global':
      case '.weak':
      case '.local': {
        const binding = name === '.weak' ? 'weak' : name === '.local' ? 'local' : 'global';
        for (const symbol of this.symbolList(args, argsPos)) this.symbolInfo(symbol).binding = binding;
        return;
      }
      case '.hidden':
      case '.protected':
      case '.internal': {
        const visibility = name.slice(1) as SymbolVisibility;
        for (const symbol of this.symbolList(args, argsPos)) this.symbolInfo(symbol).visibility = visibility;
        return;
      }
      case '.type': {
        const parts = splitArguments(args);
        const kind = parts[1]?.trim().replace(/^[@%]/, '');
        if (parts.length !== 2 || !kind) throw this.error("expected '.type name, @function'", argsPos);
        if (kind === 'function' || kind === 'STT_FUNC') this.symbolInfo(parts[0].trim()).type = 'function';
        else if (kind === 'object' || kind === 'STT_OBJECT') this.symbolInfo(parts[0].trim()).type = 'object';
        else if (kind !== 'notype') throw this.error(`unknown symbol type '${parts[1].trim()}'`, argsPos);
        return;
      }
      case '.size': {
        const comma = args.indexOf(',');
        if (comma < 0) throw this.error("expected '.size name, expression'", argsPos);
        const symbol = args.slice(0, comma).trim();
        const tokens = this.expressionTokens(args.slice(comma + 1), argsColumn + comma, argsPos);
        this.symbolInfo(symbol).sizeExpr = {
          tokens,
          dot: this.current.bytes.length,
          section: this.current,
          pos,
        };
        return;
      }
      case '.p2align':
      case '.balign':
      case '.align': {
        const amount = Number(this.constant(splitArguments(args)[0] ?? '', argsColumn, argsPos));
        const alignment = name === '.p2align' ? 2 ** amount : amount;
        if (!Number.isInteger(alignment) || alignment < 1 || alignment > 4096) {
          throw this.error(`bad alignment ${amount}`, argsPos);
        }
        this.current.align = Math.max(this.current.align, alignment);
        this.current.bytes.fill((alignment - (this.current.bytes.length % alignment)) % alignment, 0);
        return;
      }
      case '.byte':
        return this.dataValues(args, 1, argsColumn, argsPos);
      case '.short':
      case '.hword':
      case '.2byte':
        return this.dataValues(args, 2, argsColumn, argsPos);
      case '.long':
      case '.int':
      case '.4byte':
        return this.dataValues(args, 4, argsColumn, argsPos);
      case '.quad':
      case '.8byte':
        return this.dataValues(args, 8, argsColumn, argsPos);
      case '.uleb128':
      case '.sleb128':
        return this.dataLeb128(args, name === '.sleb128', argsColumn, argsPos);
      case '.ascii':
      case '.asciz':
      case '.string':
        return this.dataString(args, name !== '.ascii', argsPos);
      case '.zero':
      case '.space':
      case '.skip': {
        const parts = splitArguments(args);
        const count = Number(this.constant(parts[0] ?? '', argsColumn, argsPos));
        const fill = parts[1] ? Number(this.constant(parts[1], argsColumn, argsPos)) & 0xff : 0;
        if (count < 0 || count > 1 << 24) throw this.error(`bad size ${count}`, argsPos);
        this.dataFill(count, fill, argsPos);
        return;
      }
      case '.comm':
      case '.lcomm': {
        const parts = splitArguments(args);
        if (parts.length < 2) throw this.error(`expected '${name} name, size[, align]'`, argsPos);
        const symbol = parts[0].trim();
        const size = Number(this.constant(parts[1], argsColumn, argsPos));
        const align = parts[2] ? Number(this.constant(parts[2], argsColumn, argsPos)) : 1;
        if (!(size >= 0 && size <= 1 << 24)) throw this.error(`bad size ${size}`, argsPos);
        if (!(align >= 1 && align <= 4096)) throw this.error(`bad alignment ${align}`, argsPos);
        const saved = this.current;
        this.current = this.section('.bss', 'aw', '@nobits');
        this.current.align = Math.max(this.current.align, align);
        this.current.bytes.fill((align - (this.current.bytes.length % align)) % align, 0);
        this.defineLabel(symbol, pos);
        const info = this.symbolInfo(symbol);
        info.type ??= 'object';
        if (name === '.comm' && info.binding === undefined) info.binding = 'global';
        info.sizeExpr ??= { tokens: tokenize(String(size)), dot: 0, section: this.current, pos };
        this.current.bytes.fill(size, 0);
        this.current = saved;
        return;
      }
      default:
        throw this.error(`unknown directive '${name}'`, pos);
    }
  }

  private symbolList(args: string, pos: SourcePos): string[] {
    const names = splitArguments(args).map((s) => s.trim());
    for (const name of names) {
      if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(name))
        throw this.error(`expected a symbol name, found '${name}'`, pos);
      // As llvm-mc: `.L` labels never reach the symbol table, so they cannot be given a binding or visibility.
      if (name.startsWith('.L')) throw this.error(`non-local symbol required, found '${name}'`, pos);
    }
    return names;
  }

  private expressionTokens(text: string, column: number, pos: SourcePos): Token[] {
    try {
      return tokenize(text, column);
    } catch (error) {
      if (error instanceof StatementError)
        throw this.error(error.message, { line: pos.line, column: error.column });
      throw error;
    }
  }

  /** A constant integer expression (numbers joined by + and -). */
  private constant(text: string, column: number, pos: SourcePos): bigint {
    const value = this.evaluate(this.expressionTokens(text, column, pos), 0, pos, 'parse');
    if (value.symbol) throw this.error(`expected a constant, found symbol '${value.symbol}'`, pos);
    return value.constant;
  }

  /**
   * Evaluates `a - b + 4`-style expressions. `parse` runs before labels are known: a constant, or one symbol plus a
   * constant. Later, labels of one section cancel in differences (`.Lfunc_end0-gfunc`, `.-f`); `value` may leave one
   * symbol (with a + sign) for a relocation, `constant` may not.
   */
  private evaluate(
    tokens: Token[],
    dot: { section: SectionBuilder; offset: number } | number,
    pos: SourcePos,
    mode: 'parse' | 'constant' | 'value',
  ): { constant: bigint; symbol?: string } {
    if (tokens.length === 0) throw this.error('expected an expression', pos);
    let constant = 0n;
    const symbols: { name: string; sign: 1n | -1n }[] = [];
    let sign: 1n | -1n = 1n;
    let expectTerm = true;
    for (const token of tokens) {
      const at = { line: pos.line, column: token.column };
      if (expectTerm) {
        if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
          if (token.text === '-') sign = sign === 1n ? -1n : 1n;
          continue;
        }
        if (token.kind === 'num') constant += sign * token.value;
        else if (token.kind === 'ident' && token.text === '.') {
          if (typeof dot === 'number' || mode === 'parse')
            constant += sign * BigInt(typeof dot === 'number' ? dot : dot.offset);
          else symbols.push({ name: '.', sign });
        } else if (token.kind === 'ident' || token.kind === 'reg') symbols.push({ name: token.text, sign });
        else throw this.error(`unexpected '${token.text}' in expression`, at);
        expectTerm = false;
        sign = 1n;
      } else {
        if (token.kind !== 'op' || (token.text !== '+' && token.text !== '-'))
          throw this.error(`expected '+' or '-', found '${token.text}'`, at);
        sign = token.text === '-' ? -1n : 1n;
        expectTerm = true;
      }
    }
    if (expectTerm) throw this.error('expression ends with an operator', pos);
    if (symbols.length === 0) return { constant };
    if (mode === 'parse') {
      if (symbols.length === 1 && symbols[0].sign === 1n) return { constant, symbol: symbols[0].name };
      throw this.error('expected a constant or symbol + constant', pos);
    }
    const balance = new Map<SectionBuilder, bigint>();
    const undefinedTerms: { name: string; sign: 1n | -1n }[] = [];
    let lastPositive: { name: string; label: LabelDef } | undefined;
    for (const term of symbols) {
      const label: LabelDef | undefined =
        term.name === '.' && typeof dot !== 'number'
          ? { section: dot.section, byteOffset: dot.offset, pos }
          : this.labels.get(term.name);
      if (!label) {
        undefinedTerms.push(term);
        continue;
      }
      constant += term.sign * BigInt(label.byteOffset);
      balance.set(label.section, (balance.get(label.section) ?? 0n) + term.sign);
      if (term.sign === 1n && term.name !== '.') lastPositive = { name: term.name, label };
    }
    const unbalanced = [...balance].filter(([, count]) => count !== 0n);
    if (undefinedTerms.length === 0 && unbalanced.length === 0) return { constant };
    if (mode === 'value') {
      if (unbalanced.length === 0 && undefinedTerms.length === 1 && undefinedTerms[0].sign === 1n)
        return { constant, symbol: undefinedTerms[0].name };
      if (
        undefinedTerms.length === 0 &&
        unbalanced.length === 1 &&
        unbalanced[0][1] === 1n &&
        lastPositive?.label.section === unbalanced[0][0]
      )
        return { constant: constant - BigInt(lastPositive.label.byteOffset), symbol: lastPositive.name };
    }
    if (undefinedTerms.length > 0)
      throw this.error(`undefined symbol '${undefinedTerms[0].name}' in expression`, pos);
    throw this.error('expression does not reduce to a constant', pos);
  }

  private dataValues(args: string, width: 1 | 2 | 4 | 8, column: number, pos: SourcePos) {
    const section = this.current;
    for (const part of splitArgumentsWithColumns(args, column)) {
      const tokens = this.expressionTokens(part.text, part.column, pos);
      const offset = section.bytes.length;
      if (tokens.some((token) => token.kind === 'reg' || (token.kind === 'ident' && token.text !== '.'))) {
        // Symbols are resolved once every label is known, and become relocations where they stay symbolic.
        if (section.kind === 'bss')
          throw this.error(`a symbol's value in section '${section.name}' (no data)`, pos);
        this.dataFixups.push({ section, offset, width, tokens, pos });
        this.dataBytes(new Array(width).fill(0), pos, true);
      } else {
        const value = this.evaluate(tokens, offset, pos, 'constant');
        this.dataBytes(
          littleEndian(value.constant, width, (reason) => this.error(reason, pos)),
          pos,
          value.constant === 0n,
        );
      }
    }
  }

  /** `.uleb128`/`.sleb128` of constants (LLVM emits them for DWARF, whose sections are skipped, so never symbols). */
  private dataLeb128(args: string, signed: boolean, column: number, pos: SourcePos) {
    for (const part of splitArgumentsWithColumns(args, column)) {
      const value = this.evaluate(
        this.expressionTokens(part.text, part.column, pos),
        this.current.bytes.length,
        pos,
        'parse',
      );
      if (value.symbol) throw this.error(`expected a constant, found symbol '${value.symbol}'`, pos);
      const bytes: number[] = [];
      let rest = value.constant;
      if (!signed && rest < 0n) throw this.error(`.uleb128 of a negative value ${rest}`, pos);
      if (rest >= 1n << 64n || rest < -(1n << 63n))
        throw this.error(`value ${rest} does not fit in 64 bits`, pos);
      for (;;) {
        const byte = Number(rest & 0x7fn);
        rest >>= 7n;
        const done = signed
          ? (rest === 0n && (byte & 0x40) === 0) || (rest === -1n && (byte & 0x40) !== 0)
          : rest === 0n;
        bytes.push(done ? byte : byte | 0x80);
        if (done) break;
      }
      this.dataBytes(
        bytes,
        pos,
        bytes.every((b) => b === 0),
      );
    }
  }

  private dataString(args: string, terminate: boolean, pos: SourcePos) {
    const bytes: number[] = [];
    const text = args.trim();
    let i = 0;
    while (i < text.length) {
      if (text[i] !== '"') throw this.error('expected a quoted string', pos);
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          const escaped = /^\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/.exec(text.slice(i));
          if (!escaped) throw this.error('bad escape in string', pos);
          if (escaped[1]) bytes.push(Number.parseInt(escaped[1], 8) & 0xff);
          else if (escaped[2]) bytes.push(Number.parseInt(escaped[2], 16));
          else
            bytes.push(
              ({ n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7 } as Record<string, number>)[escaped[3]] ??
                escaped[3].charCodeAt(0),
            );
          i += escaped[0].length;
        } else {
          const encoded = new TextEncoder().encode(text[i]);
          bytes.push(...encoded);
          i++;
        }
      }
      if (text[i] !== '"') throw this.error('unterminated string', pos);
      i++;
      if (terminate) bytes.push(0);
      const separator = /^\s*,?\s*/.exec(text.slice(i))!;
      i += separator[0].length;
    }
    this.dataBytes(bytes, pos, false);
  }

  private dataBytes(bytes: number[], pos: SourcePos, allZero: boolean) {
    const section = this.current;
    if (section.kind === 'bss' && !allZero)
      throw this.error(`non-zero data in section '${section.name}'`, pos);
    section.kind ??= 'data';
    section.bytes.push(bytes);
  }

  private dataFill(count: number, value: number, pos: SourcePos) {
    const section = this.current;
    if (section.kind === 'bss' && value !== 0)
      throw this.error(`non-zero data in section '${section.name}'`, pos);
    section.kind ??= 'data';
    section.bytes.fill(count, value);
  }

  private finish(): AssembledObject {
    const externs = new Map<string, 'function' | 'object'>();
    for (const section of this.sections.values()) {
      for (const instruction of section.instructions) this.resolve(section, instruction, externs);
    }
    for (const fixup of this.dataFixups) this.resolveData(fixup, externs);
    const sections: AssembledSection[] = [];
    for (const section of this.sections.values()) {
      if (section.skipped) continue;
      // Like llvm-mc, an object always has .text and every section the text opened, empty or not.
      if (
        section.bytes.length === 0 &&
        section.labels.length === 0 &&
        !section.opened &&
        section.name !== '.text'
      )
        continue;
      sections.push(this.finishSection(section));
    }
    for (const [name, info] of this.info) {
      if (this.labels.has(name) || externs.has(name) || this.sections.has(name)) continue;
      if (info.referencedAs || (info.binding !== undefined && info.binding !== 'local'))
        externs.set(name, info.calledAsFunction ? 'function' : (info.referencedAs ?? 'object'));
    }
    return {
      fileName: this.fileName,
      sections,
      externs: [...externs].map(([name, kind]) =>
        this.info.get(name)?.binding === 'weak' ? { name, kind, weak: true } : { name, kind },
      ),
      ...(this.sourceFile !== undefined ? { sourceFile: this.sourceFile } : {}),
    };
  }

  /**
   * Local symbols are relocated through their section's symbol, as LLVM does, so the object keeps no extra names;
   * except inside a mergeable section with an addend, where the linker must see which entry is meant.
   */
  private readonly keptTemporaries = new Set<string>();

  private relocatedThroughSection(name: string, addend: bigint): boolean {
    const label = this.labels.get(name);
    if (!label || (this.info.get(name)?.binding ?? 'local') !== 'local') return false;
    return addend === 0n || !sectionFlagsOf(label.section).includes('M');
  }

  /**
   * Writes a data value that named a symbol. What stays symbolic becomes a relocation of LLVM's type for it: 64-bit
   * values R_BPF_64_ABS64; 32-bit values R_BPF_64_NODYLD32 for the instruction offsets of BTF.ext (a temporary label
   * in code) and the variable offsets of BTF's DATASEC (a named symbol in writable data), R_BPF_64_ABS32 otherwise.
   */
  private resolveData(fixup: DataFixup, externs: Map<string, 'function' | 'object'>) {
    const { section, offset, width, pos } = fixup;
    const value = this.evaluate(fixup.tokens, { section, offset }, pos, 'value');
    let constant = value.constant;
    if (value.symbol !== undefined) {
      const symbol = value.symbol;
      if (width < 4) throw this.error(`a ${width}-byte value cannot hold the address of '${symbol}'`, pos);
      const label = this.labels.get(symbol);
      let type: RelocationType = width === 8 ? 'R_BPF_64_ABS64' : 'R_BPF_64_ABS32';
      if (width === 4 && label) {
        const flags = sectionFlagsOf(label.section);
        const temporary = symbol.startsWith('.L');
        if (flags.includes('a') && flags.includes(temporary ? 'x' : 'w')) type = 'R_BPF_64_NODYLD32';
      }
      const againstSection = this.relocatedThroughSection(symbol, constant);
      if (againstSection) constant += BigInt(label!.byteOffset);
      // A temporary label a relocation keeps by name must be in the symbol table, as llvm-mc writes it.
      else if (label && symbol.startsWith('.L')) this.keptTemporaries.add(symbol);
      section.relocations.push({
        insnIndex: -1,
        offset,
        type,
        symbol: againstSection ? label!.section.name : symbol,
        ...(againstSection ? { againstSection } : {}),
        pos,
      });
      if (!label) {
        this.symbolInfo(symbol).referencedAs ??= 'object';
        if (!externs.has(symbol)) externs.set(symbol, 'object');
        this.pendingRelocations.push({ symbol, pos });
      }
    }
    section.bytes.patch(
      offset,
      littleEndian(constant, width, (reason) => this.error(reason, pos)),
    );
  }

  private resolve(
    section: SectionBuilder,
    instruction: PendingInstruction,
    externs: Map<string, 'function' | 'object'>,
  ) {
    const { parsed, pos } = instruction;
    const index = instruction.byteOffset / INSN_SIZE;
    const slots = parsed.slots.map((slot) => ({ ...slot }));
    const fixup = parsed.fixup;
    if (fixup)
      this.applyFixup(section, index, slots, fixup, { line: pos.line, column: fixup.column }, externs);
    else if (instruction.listedCallRelocation && isHelperCall(slots[0])) slots[0].src = bpf.BPF_PSEUDO_CALL;
    else if (
      this.options.objdumpLocalCalls &&
      isHelperCall(slots[0]) &&
      this.looksLikeLocalCall(section, index, slots[0].imm)
    ) {
      slots[0].src = bpf.BPF_PSEUDO_CALL;
      this.symbolInfo(this.labelAtIndex(section, index + 1 + slots[0].imm)!).calledAsFunction = true;
    }
    if (instruction.listedBytes) this.reconcileListedBytes(slots, instruction.listedBytes, pos);
    section.bytes.patch(instruction.byteOffset, writeInsns(slots));
  }

  private applyFixup(
    section: SectionBuilder,
    index: number,
    slots: Insn[],
    fixup: Fixup,
    pos: SourcePos,
    externs: Map<string, 'function' | 'object'>,
  ) {
    const label = this.labels.get(fixup.symbol);
    const againstSection = this.relocatedThroughSection(
      fixup.symbol,
      fixup.kind === 'ld64' ? BigInt(fixup.addend) : 0n,
    );
    const relocate = (type: RelocationType) => {
      section.relocations.push({
        insnIndex: index,
        offset: index * INSN_SIZE,
        type,
        symbol: againstSection ? label!.section.name : fixup.symbol,
        ...(againstSection ? { againstSection } : {}),
        pos,
      });
      if (!label)
        externs.set(
          fixup.symbol,
          fixup.kind === 'call' ? 'function' : (externs.get(fixup.symbol) ?? 'object'),
        );
      this.pendingRelocations.push({ symbol: fixup.symbol, pos });
    };
    if (fixup.kind === 'ld64') {
      // Through a section symbol the symbol's own offset joins the addend in imm, as libbpf reads it.
      const imm = BigInt(fixup.addend) + BigInt(againstSection ? label!.byteOffset : 0);
      if (imm < -(1n << 31n) || imm >= 1n << 31n)
        throw this.error(`offset ${imm} of '${fixup.symbol}' does not fit in 32 bits`, pos);
      slots[0].imm = Number(imm);
      relocate('R_BPF_64_64');
      return;
    }
    if (fixup.kind === 'call') {
      // LLVM resolves calls to local functions of the same section and relocates the rest (global symbols can be
      // replaced at link time); assembleInsns resolves every call it can.
      const sameSection = label?.section === section;
      if (label && sameSection && (this.calls === 'resolve' || againstSection)) {
        slots[0].imm = this.relativeTarget(label, index, fixup.symbol, pos, 32);
      } else {
        // imm + 1 counts instructions from the symbol: -1 for a named function, its index for a section symbol.
        if (againstSection && label!.byteOffset % INSN_SIZE !== 0)
          throw this.error(`label '${fixup.symbol}' is not at an instruction boundary`, pos);
        slots[0].imm = againstSection ? label!.byteOffset / INSN_SIZE - 1 : -1;
        relocate('R_BPF_64_32');
      }
      return;
    }
    if (!label) throw this.error(`undefined label '${fixup.symbol}'`, pos);
    if (label.section !== section) {
      throw this.error(
        `label '${fixup.symbol}' is in section '${label.section.name}', jumps stay in one section`,
        pos,
      );
    }
    const delta = this.relativeTarget(label, index, fixup.symbol, pos, fixup.kind === 'jump16' ? 16 : 32);
    if (fixup.kind === 'jump16') slots[0].off = delta;
    else slots[0].imm = delta;
  }

  private relativeTarget(
    label: LabelDef,
    index: number,
    name: string,
    pos: SourcePos,
    bits: 16 | 32,
  ): number {
    if (label.byteOffset % INSN_SIZE !== 0)
      throw this.error(`label '${name}' is not at an instruction boundary`, pos);
    const delta = label.byteOffset / INSN_SIZE - (index + 1);
    const limit = bits === 16 ? 32768 : 2 ** 31;
    if (delta < -limit || delta >= limit)
      throw this.error(`jump to '${name}' is too far (${delta} instructions)`, pos);
    return delta;
  }

  /**
   * Guesses whether `call imm` in a stripped llvm-objdump-14 listing was a local call: its target starts a function
   * (an objdump header). A guess only: a helper call near the end of a function can land on the next function's
   * start by chance (`call 1; exit; <next>:`), and true local calls to the next function are common.
   */
  private looksLikeLocalCall(section: SectionBuilder, index: number, imm: number): boolean {
    const target = this.labelAtIndex(section, index + 1 + imm);
    return (
      target !== undefined && this.info.get(target)?.fromObjdumpHeader === true && !BLOCK_LABEL.test(target)
    );
  }

  private labelAtIndex(section: SectionBuilder, index: number): string | undefined {
    return section.labels.find((name) => this.labels.get(name)!.byteOffset === index * INSN_SIZE);
  }

  /**
   * A listing's bytes are the truth where its text is silent: llvm-objdump-14 prints local calls like helper calls,
   * LD_IMM64 without its pseudo source, and `callx` from imm. Any other difference means text and bytes disagree.
   */
  private reconcileListedBytes(slots: Insn[], listedBytes: Uint8Array, pos: SourcePos) {
    const listed = readInsns(listedBytes);
    const same = (a: Insn, b: Insn) =>
      a.code === b.code && a.dst === b.dst && a.src === b.src && a.off === b.off && a.imm === b.imm;
    if (slots.every((slot, i) => same(slot, listed[i]))) return;
    const first = slots[0];
    const code = first.code;
    const onlySrcDiffers = (i: number) => same({ ...slots[i], src: listed[i].src }, listed[i]);
    const silent =
      code === listed[0].code &&
      ((code === bpf.BPF_CALL_INSN && onlySrcDiffers(0)) ||
        (code === bpf.BPF_LD_IMM64 && onlySrcDiffers(0) && same(slots[1], listed[1])) ||
        code === (bpf.BPF_JMP | bpf.BPF_CALL | bpf.BPF_X));
    if (!silent) {
      const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw this.error(
        `the listed bytes ${hex(listedBytes)} do not match the instruction text (${hex(writeInsns(slots))})`,
        pos,
      );
    }
    listed.forEach((slot, i) => {
      slots[i] = slot;
    });
  }

  private finishSection(section: SectionBuilder): AssembledSection {
    const kind = finalKind(section);
    const bytes = section.bytes.toBytes();
    if (kind === 'code' && bytes.length % INSN_SIZE !== 0) {
      throw this.errorAtEnd(
        `section '${section.name}' is ${bytes.length} bytes, not a whole number of instructions`,
      );
    }
    const unit = kind === 'code' ? INSN_SIZE : 1;
    const symbols: AsmSymbol[] = [];
    for (const name of section.labels) {
      const temporary = name.startsWith('.L');
      if (temporary && !this.keptTemporaries.has(name)) continue;
      const label = this.labels.get(name)!;
      const info = this.info.get(name) ?? {};
      let symbolKind: AsmSymbol['kind'];
      if (temporary) symbolKind = 'label';
      else if (info.type === 'function' || info.calledAsFunction) symbolKind = 'function';
      else if (info.type === 'object' || kind !== 'code') symbolKind = 'object';
      else if (!BLOCK_LABEL.test(name) && (label.byteOffset === 0 || info.fromObjdumpHeader))
        symbolKind = 'function';
      else symbolKind = 'label';
      const symbol: AsmSymbol = {
        name,
        offset: label.byteOffset / unit,
        byteOffset: label.byteOffset,
        kind: symbolKind,
        binding: info.binding ?? 'local',
        ...(info.visibility ? { visibility: info.visibility } : {}),
      };
      if (kind === 'code' && label.byteOffset % INSN_SIZE !== 0) {
        throw this.error(`label '${name}' is not at an instruction boundary`, label.pos);
      }
      if (info.sizeExpr) {
        const { tokens, dot, section: dotSection, pos } = info.sizeExpr;
        const size = this.evaluate(tokens, { section: dotSection, offset: dot }, pos, 'constant');
        if (size.symbol) throw this.error(`.size of '${name}' does not reduce to a constant`, pos);
        if (size.constant < 0n || size.constant > BigInt(Number.MAX_SAFE_INTEGER))
          throw this.error(`.size of '${name}' is ${size.constant}, not a size`, pos);
        symbol.size = Number(size.constant);
      }
      symbols.push(symbol);
    }
    // Functions without .size extend to the next function or the end of the section.
    const functions = symbols
      .filter((s) => s.kind === 'function')
      .sort((a, b) => a.byteOffset - b.byteOffset);
    functions.forEach((fn, i) => {
      fn.size ??= (functions[i + 1]?.byteOffset ?? bytes.length) - fn.byteOffset;
    });
    return {
      name: section.name,
      kind,
      flags: sectionFlagsOf(section),
      // Instructions need 8 even without `.p2align 3`; LLVM's empty .text keeps its default of 4.
      align: kind === 'code' && bytes.length > 0 ? Math.max(section.align, INSN_SIZE) : section.align,
      ...(section.entsize !== undefined ? { entsize: section.entsize } : {}),
      insns: kind === 'code' ? readInsns(bytes) : [],
      bytes: kind === 'bss' ? new Uint8Array(bytes.length) : bytes,
      symbols,
      // In offset order, as LLVM writes them (data values are resolved after the instructions).
      relocations: [...section.relocations]
        .sort((a, b) => a.offset - b.offset)
        .map(({ insnIndex, offset, type, symbol, againstSection }) => ({
          insnIndex: kind === 'code' ? offset / INSN_SIZE : insnIndex,
          offset,
          type,
          symbol,
          ...(againstSection ? { againstSection } : {}),
        })),
    };
  }
}

function finalKind(section: SectionBuilder): AssembledSection['kind'] {
  if (section.kind) return section.kind;
  const data =
    DATA_SECTION.test(section.name) || (section.flags !== undefined && !section.flags.includes('x'));
  return data ? 'data' : 'code';
}

/** The flags the text gave, else LLVM's for the name (.rodata `a`, .BTF none), else by what the section holds. */
function sectionFlagsOf(section: SectionBuilder): string {
  if (section.flags !== undefined) return section.flags;
  if (UNALLOCATED_SECTION.test(section.name)) return '';
  if (/^\.rodata(\.|$)/.test(section.name)) return 'a';
  return finalKind(section) === 'code' ? 'ax' : 'aw';
}

/** `width` bytes of `value`, little-endian; values from -2^(8w-1) to 2^(8w)-1 fit, as in llvm-mc. */
function littleEndian(value: bigint, width: number, fail: (reason: string) => Error): number[] {
  const limit = 1n << BigInt(width * 8);
  if (value < -(limit >> 1n) || value >= limit) throw fail(`value ${value} does not fit in ${width} byte(s)`);
  let bits = BigInt.asUintN(width * 8, value);
  const bytes: number[] = [];
  for (let i = 0; i < width; i++) {
    bytes.push(Number(bits & 0xffn));
    bits >>= 8n;
  }
  return bytes;
}

function isHelperCall(slot: Insn): boolean {
  return slot.code === bpf.BPF_CALL_INSN && slot.src === 0;
}

/** Cuts a `#`, `//` or `;` comment, leaving quoted strings alone; columns of what remains are unchanged. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === '#' || ch === ';' || (ch === '/' && line[i + 1] === '/')) return line.slice(0, i);
  }
  return line;
}

function splitArguments(args: string): string[] {
  return splitArgumentsWithColumns(args, 0).map((part) => part.text);
}

/** Splits on commas outside quotes; `column` is the 1-based column of `args[0]` minus one. */
function splitArgumentsWithColumns(args: string, column: number): { text: string; column: number }[] {
  if (args.trim() === '') return [];
  const parts: { text: string; column: number }[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= args.length; i++) {
    const ch = args[i];
    if (ch === '"' && args[i - 1] !== '\\') quoted = !quoted;
    if (i === args.length || (ch === ',' && !quoted)) {
      parts.push({ text: args.slice(start, i), column: column + start });
      start = i + 1;
    }
  }
  return parts;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
