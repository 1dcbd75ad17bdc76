// `tsbpf objdump FILE.o [-r]`: the disassembly llvm-objdump-14 -d [-r] prints, line for line.

import { parseArgs } from 'node:util';
import { parseElf } from '../elf/index.js';
import { formatObjdump } from '../isa/objdump.js';
import { objdumpInputFromElf } from '../object/elf-objdump-input.js';
import { UsageError } from './cli-error.js';
import { readInput } from './io.js';

export const objdumpHelp = `Usage: tsbpf objdump FILE.o [-r] [--llvm14] [--alu32]

Disassembles every executable section of a BPF object with llvm-objdump-14's layout and text:
function symbols and local labels, jump targets as <label>, LD_IMM64 as one instruction.
Instructions LLVM 14 cannot decode (cpu v4: sdiv, movsx, bswap, gotol, sign-extending loads)
print in the syntax of newer LLVM, which 'tsbpf asm' reads back.

Options:
  -r, --reloc   print relocations under the instructions they patch
  --llvm14      print '<unknown>' where LLVM 14 does, instead of the newer syntax
  --alu32       name w registers in 8/16/32-bit loads and stores (llvm-objdump --mattr=+alu32)
  -h, --help    show this help`;

export function runObjdump(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      reloc: { type: 'boolean', short: 'r', default: false },
      llvm14: { type: 'boolean', default: false },
      alu32: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(objdumpHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('objdump takes exactly one object file');
  const path = positionals[0];
  const elf = parseElf(readInput(path), path);
  const text = formatObjdump(objdumpInputFromElf(elf), {
    relocations: values.reloc,
    syntax: values.llvm14 ? 'llvm14' : 'extended',
    alu32: values.alu32,
  });
  // formatObjdump ends with the newline objdump prints; `out` adds its own.
  out(text.endsWith('\n') ? text.slice(0, -1) : text);
  return 0;
}
