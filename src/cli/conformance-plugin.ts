// `tsbpf conformance-plugin [HEX_MEMORY] [--program HEX] [--elf] [--jit|--interpret]`: the plugin protocol of the
// public eBPF ISA conformance suite (Alan-Jowett/bpf_conformance): program on stdin, memory as hex, r0 in hex.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Insn, readInsns } from '../isa/insn.js';
import type { BpfObject } from '../object/bpf-object.js';
import { openObject } from '../object/open-object.js';
import { relocateProgram } from '../object/relocate-program.js';
import { jitEngine } from '../jit/index.js';
import { runConformanceProgram } from '../vm/conformance.js';
import { InputError, UsageError } from './cli-error.js';

export const conformancePluginHelp = `Usage: tsbpf conformance-plugin [HEX_MEMORY] [--program HEX] [--elf] [--jit|--interpret]

Runs one program for the eBPF conformance suite (github.com/Alan-Jowett/bpf_conformance).
The program comes as hex bytes (the suite writes "b7 00 ..." on one line) on stdin or in
--program; raw binary instructions on stdin are accepted too. With --elf the bytes are an ELF
object: its first program, or else the suite's layout (function 'main' in .text).
r1 points to a copy of HEX_MEMORY and r2 holds its length; helpers 0-5 are the suite's test
helpers. Prints r0 in hex and exits 0, or prints the error on stderr and exits 1. The program
runs in checked mode, in the interpreter or (--jit) compiled to WebAssembly.

Options:
  --program HEX  the program as hex bytes instead of stdin
  --elf          the program is an ELF object
  --interpret    run in the interpreter (the default)
  --jit          run in the WebAssembly JIT
  -h, --help     show this help`;

/** Hex bytes as the suite passes them: "01 02 ff", "01  02  ff  " or "0102ff". */
export function parseHexMemory(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new UsageError(`memory '${text}' is not hex bytes`);
  return hexBytes(digits);
}

function hexBytes(digits: string): Uint8Array {
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * The program bytes from what arrived on stdin: the suite sends hex text; raw instructions are taken as they
 * are (a raw program always holds a byte that is no hex digit or space: its exit or jump opcode, 0x95 or 0x05).
 */
export function decodeProgramInput(input: Uint8Array): Uint8Array {
  const text = new TextDecoder('latin1').decode(input);
  if (/^[\s0-9a-fA-F]*$/.test(text)) {
    const digits = text.replace(/\s+/g, '');
    if (digits.length % 2 !== 0) throw new InputError('the program is an odd number of hex digits');
    return hexBytes(digits);
  }
  return input;
}

/** The entry of an object for the suite: its first program, else `main` (or the first function) of `.text`. */
function elfProgram(object: BpfObject): Insn[] {
  const program = object.functions.find((fn) => fn.isProgram);
  if (program !== undefined) return relocateProgram(object, program.name).insns;
  // The suite writes the bytecode whole into `.text` under one global symbol `main`, local calls already
  // pc-relative: run from the entry to the end of its section.
  const entry = object.functions.find((fn) => fn.name === 'main') ?? object.functions[0];
  const section = object.codeSections.find((s) => s.index === entry?.sectionIndex);
  if (entry === undefined || section === undefined) throw new InputError('the ELF object has no function');
  return section.insns.slice(entry.start);
}

/** The protocol without process I/O: returns what goes to stdout, or throws the error for stderr. */
export function runConformancePlugin(
  program: Uint8Array,
  memoryHex: string,
  options: { elf?: boolean; jit?: boolean },
): string {
  const memory = parseHexMemory(memoryHex);
  let insns: Insn[];
  if (options.elf === true) {
    insns = elfProgram(openObject(program, '<stdin>'));
  } else {
    if (program.length === 0 || program.length % 8 !== 0) {
      throw new InputError(`program of ${program.length} bytes is not a sequence of 8-byte instructions`);
    }
    insns = readInsns(program);
  }
  const r0 = runConformanceProgram(insns, memory, options.jit === true ? { engine: jitEngine } : {});
  return r0.toString(16);
}

export function runConformancePluginCommand(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      elf: { type: 'boolean', default: false },
      jit: { type: 'boolean', default: false },
      interpret: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(conformancePluginHelp);
    return 0;
  }
  if (values.jit && values.interpret) throw new UsageError('--jit and --interpret exclude each other');
  if (positionals.length > 1) throw new UsageError('conformance-plugin takes at most one memory argument');
  const input =
    values.program === undefined ? new Uint8Array(readFileSync(0)) : new TextEncoder().encode(values.program);
  out(
    runConformancePlugin(decodeProgramInput(input), positionals[0] ?? '', {
      elf: values.elf,
      jit: values.jit,
    }),
  );
  return 0;
}
