// `tsbpf link A.o B.o ... -o OUT.o`: the static linker (like `bpftool gen object`), output written atomically.

import { parseArgs } from 'node:util';
import { linkObjects } from '../linker/index.js';
import { UsageError } from './cli-error.js';
import { readInput, writeOutput } from './io.js';

export const linkHelp = `Usage: tsbpf link A.o B.o ... -o OUT.o

Links BPF objects into one, as 'bpftool gen object' does: sections of the same name concatenated,
global functions, variables and maps resolved across objects (strong beats weak; an extern needs a
definition unless it is a kconfig/ksym extern), relocations, BTF and BTF.ext merged.
The output is written through a temporary file: a failed link leaves nothing behind.

Options:
  -o, --output FILE  where to write the linked object (required)
  -h, --help         show this help

Exit status: 0 linked, 1 the objects cannot be linked (LinkError) or one is malformed, 2 bad usage.`;

export function runLink(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(linkHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('link needs at least one input object');
  if (values.output === undefined) throw new UsageError('link needs -o OUT.o');
  const inputs = positionals.map((fileName) => ({ fileName, bytes: readInput(fileName) }));
  // A LinkError (exit 1) is thrown before anything is written.
  writeOutput(values.output, linkObjects(inputs, { outputName: values.output }));
  return 0;
}
