// `tsbpf example`: the main job on the bundled multi-function example: inspect it, load it, show the call graph.

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeObject } from '../object/describe-object.js';
import { openConfigured, parseRunConfig, RUN_CONFIG_HELP, RUN_CONFIG_OPTIONS } from './run-config.js';

/** The example lives in the corpus: three socket programs sharing `.text` callees in a diamond call graph. */
const EXAMPLE = 'test/progs/calls_basic.o';

export const exampleHelp = `Usage: tsbpf example [FILE.o] [--type TYPE] [--expected-attach-type TYPE] [--maps FILE]
                     [--budget N] [--cpus N]

Runs tsbpf's main job on the bundled multi-function example (${EXAMPLE}) or on FILE.o:
opens the object as libbpf does, shows each program with the functions appended to it and
its call graph, loads every program through the bpf()-style API (verified as Linux 6.18
verifies it) and test-runs each on an IPv4/TCP packet in the engine it was loaded with (the
JIT for verified programs, the interpreter for the others).
A program that is refused is a warning on stderr; the others still load and run.

Options:
${RUN_CONFIG_HELP}
  -h, --help       show this help`;

/** Ethernet + IPv4 (checksummed) + TCP to port 80 with a short payload. */
const SAMPLE_PACKET = new Uint8Array([
  ...[0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x2a, 0x08, 0x00],
  ...[0x45, 0, 0, 0x2c, 0, 0x01, 0x40, 0, 0x40, 0x06, 0x7a, 0xbf, 10, 0, 0, 1, 10, 0, 0, 2],
  ...[0x30, 0x39, 0, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0],
  ...[0x68, 0x69, 0x21, 0x0a],
]);

function packageRoot(): string {
  // dist/cli/example.js or src/cli/example.ts: the package root is two levels up.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function runExample(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void = () => {},
): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...RUN_CONFIG_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(exampleHelp);
    return 0;
  }
  const path = positionals[0] ?? relative(process.cwd(), join(packageRoot(), EXAMPLE));
  const config = parseRunConfig(values);
  const { bpf, object: handle } = openConfigured(path, config, undefined, err, 1);
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
  const loaded = handle.programNames.filter((name) => !handle.warnings.some((w) => w.program === name));
  out('\n== load');
  for (const name of loaded) {
    const loaded = handle.program(name);
    const verification = loaded.handle.verification;
    const verdict = verification
      ? `verified: ${verification.processedInsns} insns processed, stack ${verification.stackDepth.join('+')} bytes per function`
      : 'not verified';
    out(`  ${name}: fd ${loaded.handle.fd}, ${loaded.handle.insns.length} insns; ${verdict}`);
  }
  out(`\n== test-run on an IPv4/TCP packet (${SAMPLE_PACKET.length} bytes)`);
  for (const name of loaded) {
    const program = handle.program(name).handle;
    const result = bpf.testRun(program.fd, {
      data: SAMPLE_PACKET,
      ...(config.budget === undefined ? {} : { budget: config.budget }),
    });
    out(
      result.error === undefined
        ? `  ${name}: retval ${result.retval}, ${result.durationNs} ns (${program.engine})`
        : `  ${name}: refused: ${result.error.message}`,
    );
  }
  return 0;
}
