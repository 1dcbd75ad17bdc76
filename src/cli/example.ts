// `tsbpf example`: the main job on the bundled multi-function example: inspect it, load it, show the call graph.

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Bpf } from '../api/bpf.js';
import { describeObject } from '../object/describe-object.js';
import { readInput } from './io.js';

/** The example lives in the corpus: three socket programs sharing `.text` callees in a diamond call graph. */
const EXAMPLE = 'test/progs/calls_basic.o';

export const exampleHelp = `Usage: tsbpf example [FILE.o]

Runs tsbpf's main job on the bundled multi-function example (${EXAMPLE}) or on FILE.o:
opens the object as libbpf does, shows each program with the functions appended to it and
its call graph, then loads every program through the bpf()-style API. (Verification and
test-runs join this command when tsbpf's verifier and runtime land.)

Options:
  -h, --help  show this help`;

function packageRoot(): string {
  // dist/cli/example.js or src/cli/example.ts: the package root is two levels up.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function runExample(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(exampleHelp);
    return 0;
  }
  const path = positionals[0] ?? relative(process.cwd(), join(packageRoot(), EXAMPLE));
  const bpf = new Bpf();
  const handle = bpf.openObject(readInput(path), path);
  const description = describeObject(handle.object);
  out(
    `== ${path}: ${description.programs.length} programs, ${handle.object.functions.length} functions, ${description.maps.length} maps`,
  );
  for (const program of description.programs) {
    out(
      `\n${program.name} (${program.type ?? 'unknown type'}, section ${program.section}): ${program.insnCount} insns`,
    );
    for (const fn of program.functions) {
      out(
        `  insns ${String(fn.start).padStart(4)}..${String(fn.start + fn.count - 1).padEnd(4)} ${fn.name}${fn.global ? ' (global)' : ''}`,
      );
    }
    for (const call of program.calls) out(`  ${call.caller} -> ${call.callee}  (insn ${call.insn})`);
  }
  handle.load({ logLevel: 1 });
  out('\n== load');
  for (const name of handle.programNames) {
    const loaded = handle.program(name);
    out(
      `  ${name}: fd ${loaded.handle.fd}, ${loaded.handle.insns.length} insns; ${loaded.handle.log.trim()}`,
    );
  }
  return 0;
}
