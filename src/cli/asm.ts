// `tsbpf asm FILE.s -o FILE.o`: assembles LLVM-syntax BPF assembly into a relocatable ELF object.

import { parseArgs } from 'node:util';
import { assemble } from '../isa/assembler.js';
import { assembledObjectToElf } from '../object/assembled-to-elf.js';
import { UsageError } from './cli-error.js';
import { readText, writeOutput } from './io.js';

export const asmHelp = `Usage: tsbpf asm FILE.s -o FILE.o

Assembles BPF assembly in LLVM's syntax (what llvm-objdump -d prints and clang -S writes)
into a relocatable ELF object that llvm-objdump, libbpf and tsbpf read. From clang -S output
it keeps what llvm-mc does (code, .maps, data, .BTF, .BTF.ext, symbols, relocations) except
DWARF (.debug_*), so the object loads like clang's.

  r0 = 0                 labels:  out:        functions:  .globl f / f:
  if r1 > 5 goto out     sections: .section xdp,"ax",@progbits
  call f                 (a local bpf-to-bpf call; 'call 1' calls helper 1)

Options:
  -o, --output FILE  where to write the object (required)
  -h, --help         show this help`;

export function runAsm(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(asmHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('asm takes exactly one source file');
  if (values.output === undefined) throw new UsageError('asm needs -o FILE.o');
  const source = positionals[0];
  const object = assemble(readText(source), { fileName: source });
  writeOutput(values.output, assembledObjectToElf(object));
  return 0;
}
