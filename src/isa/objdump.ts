// The whole `llvm-objdump-14 -d [-r]` listing of a BPF object, from a neutral description of its sections.
//
// Public API:
//   formatObjdump(input: ObjdumpInput, options?: ObjdumpOptions): string
//   ObjdumpInput { fileName, sections: ObjdumpSection[] }
//   ObjdumpSection { name, bytes, executable?, symbols: ObjdumpSymbol[], relocations: ObjdumpRelocation[] }
//   ObjdumpSymbol { name, value, size, type: 'func' | 'notype' | 'object' | 'section' | 'file' | ... }
//   ObjdumpRelocation { offset, typeName, symbolName, addend? }   symbolName: a section symbol's is its section's name
//   ObjdumpOptions { relocations?: boolean; syntax?: 'extended' | 'llvm14'; alu32?: boolean }
//
// llvm-objdump-14's rules, learnt by experiment:
// - only executable sections with bytes are listed (callers pass `executable: false` for the others), in order;
// - labels come from the section's symbols except section and file symbols, sorted by (address, name); of
//   several at one address only the last is printed; without a symbol at 0 the section name stands in;
// - each label's range runs to the next label; an instruction may read past it (an LD_IMM64 across a label),
//   and the next label starts decoding afresh at its own address;
// - a STT_OBJECT label's range is dumped as data (8 bytes a line with their ASCII), not disassembled;
// - a run of 8 or more zero bytes collapses to `\t\t...` (a multiple of 4 bytes, and with -r never past the
//   next relocation);
// - the first column is the slot number (address / 8) in decimal; jumps get ` <label>` or ` <label+0xN>`
//   naming the last label at or before the target; calls get none;
// - bytes that do not decode print `<unknown>` (8 at a time, 1 at a time when fewer than a slot remain);
// - with -r each relocation follows its instruction as `\t\t<offset, 16 hex digits>:  <type>\t<symbol>`.

import { formatInsn, llvm14DecodedLength } from './disassembler.js';
import { readInsns } from './insn.js';
import { isJump } from './opcode-table.js';

export interface ObjdumpSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: 'func' | 'notype' | 'object' | 'section' | 'file' | 'common' | 'tls' | string;
}

export interface ObjdumpRelocation {
  /** Byte offset in the section. */
  readonly offset: number;
  /** Relocation type name, e.g. `R_BPF_64_64`, `R_BPF_64_32`. */
  readonly typeName: string;
  readonly symbolName: string;
  readonly addend?: number;
}

export interface ObjdumpSection {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Whether the section holds code (SHF_EXECINSTR); objdump -d lists only those. Defaults to true. */
  readonly executable?: boolean;
  readonly symbols: readonly ObjdumpSymbol[];
  readonly relocations: readonly ObjdumpRelocation[];
}

export interface ObjdumpInput {
  readonly fileName: string;
  readonly sections: readonly ObjdumpSection[];
}

export interface ObjdumpOptions {
  /** Print relocations under their instructions, as `-r` does. */
  readonly relocations?: boolean;
  /** Instruction syntax, see disassembler.ts; `llvm14` gives `<unknown>` wherever LLVM 14 does. */
  readonly syntax?: 'extended' | 'llvm14';
  readonly alu32?: boolean;
}

interface Label {
  readonly name: string;
  readonly address: number;
  readonly isData: boolean;
}

function hex16(value: number): string {
  return value.toString(16).padStart(16, '0');
}

function byteText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels sorted as llvm-objdump sorts them, with the section-name stand-in when nothing sits at 0. */
function labelsOf(section: ObjdumpSection): Label[] {
  const labels = section.symbols
    .filter((symbol) => symbol.type !== 'section' && symbol.type !== 'file')
    .map((symbol) => ({ name: symbol.name, address: symbol.value, isData: symbol.type === 'object' }))
    .sort((a, b) => a.address - b.address || compareText(a.name, b.name));
  if (labels.length === 0 || labels[0].address !== 0)
    labels.unshift({ name: section.name, address: 0, isData: false });
  return labels;
}

/** ` <label>` or ` <label+0xN>` for a jump target, as llvm-objdump symbolizes branch targets. */
function targetSuffix(labels: readonly Label[], target: number): string {
  let found: Label | undefined;
  for (const label of labels) {
    if (label.address > target) break;
    found = label;
  }
  if (!found || target < 0) return '';
  const delta = target - found.address;
  return delta === 0 ? ` <${found.name}>` : ` <${found.name}+0x${delta.toString(16)}>`;
}

/** Byte address a decoded jump at `address` lands on (ja: off, gotol: imm), or undefined for other slots. */
function branchTarget(bytes: Uint8Array, address: number): number | undefined {
  const [slot] = readInsns(bytes.subarray(0, 8));
  if (!isJump(slot.code)) return undefined;
  const slots = slot.code === 0x06 ? slot.imm : slot.off;
  return address + (slots + 1) * 8;
}

function countSkippableZeros(bytes: Uint8Array, from: number, limit: number): number {
  let zeros = 0;
  while (zeros < limit && bytes[from + zeros] === 0) zeros++;
  // llvm-objdump skips only runs of at least 8 zero bytes, in multiples of 4 so no instruction is cut.
  return zeros < 8 ? 0 : zeros & ~3;
}

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

function dumpData(bytes: Uint8Array, start: number, end: number, out: string[]): void {
  for (let line = start; line < end; line += 8) {
    const chunk = bytes.subarray(line, Math.min(line + 8, end));
    const hex = Array.from(chunk, (b) => ` ${b.toString(16).padStart(2, '0')}`).join('');
    const ascii = Array.from(chunk, (b) => (isPrintable(b) ? String.fromCharCode(b) : '.')).join('');
    out.push(
      `${line.toString(16).padStart(8)}:${hex}${' '.repeat(3 * (8 - chunk.length))}         ${ascii}\n`,
    );
  }
}

function relocationLine(relocation: ObjdumpRelocation): string {
  const addend = relocation.addend
    ? `${relocation.addend < 0 ? '-' : '+'}0x${Math.abs(relocation.addend).toString(16)}`
    : '';
  return `\t\t${hex16(relocation.offset)}:  ${relocation.typeName}\t${relocation.symbolName}${addend}\n`;
}

function disassembleSection(section: ObjdumpSection, options: ObjdumpOptions, out: string[]): void {
  const bytes = section.bytes;
  const labels = labelsOf(section);
  const relocations = options.relocations ? [...section.relocations].sort((a, b) => a.offset - b.offset) : [];
  let nextRelocation = 0;
  out.push(`\nDisassembly of section ${section.name}:\n`);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const end = Math.min(bytes.length, i + 1 < labels.length ? labels[i + 1].address : bytes.length);
    if (label.address >= end) continue;
    out.push(`\n${hex16(label.address)} <${label.name}>:\n`);
    if (label.isData) {
      dumpData(bytes, label.address, end, out);
      continue;
    }
    let at = label.address;
    while (at < end) {
      while (nextRelocation < relocations.length && relocations[nextRelocation].offset < at) nextRelocation++;
      const zeroLimit = Math.min(
        end - at,
        nextRelocation < relocations.length ? relocations[nextRelocation].offset - at : Infinity,
      );
      const zeros = countSkippableZeros(bytes, at, zeroLimit);
      if (zeros > 0) {
        out.push('\t\t...\n');
        at += zeros;
        continue;
      }
      const length = llvm14DecodedLength(bytes, at);
      const slotBytes = bytes.subarray(at, at + length);
      let text = '<unknown>';
      if (length >= 8) {
        text = formatInsn(readInsns(slotBytes), 0, { syntax: options.syntax, alu32: options.alu32 });
      }
      const target = text === '<unknown>' ? undefined : branchTarget(slotBytes, at);
      const suffix = target === undefined ? '' : targetSuffix(labels, target);
      out.push(`${String(Math.floor(at / 8)).padStart(8)}:\t${byteText(slotBytes)}\t${text}${suffix}\n`);
      while (nextRelocation < relocations.length && relocations[nextRelocation].offset < at + length) {
        out.push(relocationLine(relocations[nextRelocation]));
        nextRelocation++;
      }
      at += length;
    }
  }
}

/** The text `llvm-objdump-14 -d` (with `relocations`: `-d -r`) prints for the object. */
export function formatObjdump(input: ObjdumpInput, options: ObjdumpOptions = {}): string {
  const out: string[] = [`\n${input.fileName}:\tfile format elf64-bpf\n`];
  for (const section of input.sections) {
    if (section.executable === false || section.bytes.length === 0) continue;
    disassembleSection(section, options, out);
  }
  return out.join('');
}
