// `tsbpf conformance-plugin [HEX_MEMORY] [--elf] [--jit]`: the plugin protocol of the public eBPF ISA conformance
// suite (Alan-Jowett/bpf_conformance): program on stdin, memory as hex, r0 in hex on stdout.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readInsns } from '../isa/insn.js';
import { openObject } from '../object/open-object.js';
import { relocateProgram } from '../object/relocate-program.js';
import { runConformanceProgram } from '../vm/conformance.js';
import { UsageError } from './cli-error.js';

export const conformancePluginHelp = `Usage: tsbpf conformance-plugin [HEX_MEMORY] [--elf] [--jit]

Runs one program for the eBPF conformance suite (github.com/Alan-Jowett/bpf_conformance):
the program comes on stdin (raw 8-byte instructions, or an ELF object with --elf: its first
program), r1 points to a copy of HEX_MEMORY (hex bytes, spaces allowed) and r2 holds its length;
helpers 0-5 are the suite's test helpers. Prints r0 in hex and exits 0, or prints the error on
stderr and exits 1. The program runs in the interpreter's checked mode.

Options:
  --elf       the program is an ELF object
  --jit       run in the WebAssembly JIT (not available yet: refused)
  -h, --help  show this help`;

/** Hex bytes as the suite passes them: "01 02 ff" or "0102ff". */
export function parseHexMemory(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new UsageError(`memory '${text}' is not hex bytes`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The protocol without process I/O: returns what goes to stdout, or throws the error for stderr. */
export function runConformancePlugin(
  program: Uint8Array,
  memoryHex: string,
  options: { elf?: boolean },
): string {
  const memory = parseHexMemory(memoryHex);
  let insns: ReturnType<typeof readInsns>;
  if (options.elf === true) {
    const object = openObject(program, '<stdin>');
    const first = object.functions.find((fn) => fn.isProgram);
    if (first === undefined) throw new UsageError('the ELF object has no program');
    insns = relocateProgram(object, first.name).insns;
  } else {
    if (program.length === 0 || program.length % 8 !== 0) {
      throw new UsageError(`program of ${program.length} bytes is not a sequence of 8-byte instructions`);
    }
    insns = readInsns(program);
  }
  const r0 = runConformanceProgram(insns, memory);
  return r0.toString(16);
}

export function runConformancePluginCommand(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      elf: { type: 'boolean', default: false },
      jit: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(conformancePluginHelp);
    return 0;
  }
  if (values.jit) throw new UsageError('--jit: tsbpf has no WebAssembly JIT yet; run without --jit');
  if (positionals.length > 1) throw new UsageError('conformance-plugin takes at most one memory argument');
  out(runConformancePlugin(new Uint8Array(readFileSync(0)), positionals[0] ?? '', { elf: values.elf }));
  return 0;
}
