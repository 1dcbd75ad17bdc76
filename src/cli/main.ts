// The `tsbpf` command: dispatches to one module per subcommand and turns typed errors into exit statuses.

import { BtfError } from '../btf/index.js';
import { ElfError } from '../elf/index.js';
import { AsmError } from '../isa/asm-error.js';
import { InsnError } from '../isa/insn-error.js';
import { FixtureError } from '../object/fixture.js';
import { ObjectError } from '../object/object-error.js';
import { LinkError } from '../linker/link-error.js';
import { BpfError } from '../api/bpf-error.js';
import { RuntimeFault } from '../vm/runtime.js';
import { asmHelp, runAsm } from './asm.js';
import { EXIT_REFUSED, EXIT_USAGE, InputError, UsageError } from './cli-error.js';
import { conformancePluginHelp, runConformancePluginCommand } from './conformance-plugin.js';
import { exampleHelp, runExample } from './example.js';
import { inspectHelp, runInspect } from './inspect.js';
import { jitHelp, runJit } from './jit.js';
import { linkHelp, runLink } from './link.js';
import { mapHelp, runMap } from './map.js';
import { objdumpHelp, runObjdump } from './objdump.js';
import { runHelp, runRun } from './run.js';
import { runVerify, verifyHelp } from './verify.js';

interface Subcommand {
  summary: string;
  help: string;
  run: (args: string[], out: (text: string) => void, err: (text: string) => void) => number | Promise<number>;
}

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  objdump: {
    summary: 'disassemble an object exactly as llvm-objdump -d does',
    help: objdumpHelp,
    run: runObjdump,
  },
  inspect: {
    summary: 'programs, functions, call graph, maps and relocations',
    help: inspectHelp,
    run: runInspect,
  },
  asm: { summary: 'assemble LLVM-syntax BPF assembly into an object', help: asmHelp, run: runAsm },
  link: { summary: 'link several objects into one (like bpftool gen object)', help: linkHelp, run: runLink },
  verify: {
    summary: "verify programs as Linux's verifier does: verdict, log, statistics",
    help: verifyHelp,
    run: runVerify,
  },
  run: { summary: 'test-run a program on a packet (BPF_PROG_TEST_RUN)', help: runHelp, run: runRun },
  jit: { summary: 'write the WebAssembly module the JIT makes of a program', help: jitHelp, run: runJit },
  map: { summary: 'dump the maps of a loaded object, optionally after a run', help: mapHelp, run: runMap },
  'conformance-plugin': {
    summary: 'run a program for the eBPF conformance suite (plugin protocol)',
    help: conformancePluginHelp,
    run: runConformancePluginCommand,
  },
  example: {
    summary: 'run the bundled multi-function example end to end',
    help: exampleHelp,
    run: runExample,
  },
};

export const mainHelp = `Usage: tsbpf <command> [options]

tsbpf loads, inspects, assembles and disassembles eBPF objects made of many functions
(bpf-to-bpf calls), with the semantics of libbpf and the Linux kernel.

Commands:
${Object.entries(SUBCOMMANDS)
  .map(([name, s]) => `  ${name.padEnd(19)} ${s.summary}`)
  .join('\n')}

Run 'tsbpf <command> --help' for a command's options.
Exit status: 0 success, 1 program or object refused, 2 bad usage or unreadable input.`;

const REFUSALS = [ElfError, BtfError, ObjectError, InsnError, AsmError, BpfError, RuntimeFault, LinkError];

/** Runs the command line; never throws: every failure becomes one line on stderr and an exit status. */
export async function main(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
  err: (text: string) => void = (text) => process.stderr.write(`${text}\n`),
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(mainHelp);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const subcommand = SUBCOMMANDS[name];
  if (subcommand === undefined) {
    err(`tsbpf: unknown command '${name}' (see 'tsbpf --help')`);
    return EXIT_USAGE;
  }
  try {
    return await subcommand.run(args, out, (text) => err(`tsbpf ${name}: ${text}`));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`tsbpf ${name}: ${(error as Error).message} (see 'tsbpf ${name} --help')`);
      return EXIT_USAGE;
    }
    if (error instanceof InputError || error instanceof FixtureError) {
      err(`tsbpf ${name}: ${error.message}`);
      return EXIT_USAGE;
    }
    if (REFUSALS.some((kind) => error instanceof kind)) {
      err(`tsbpf ${name}: ${(error as Error).message.split('\n')[0]}`);
      return EXIT_REFUSED;
    }
    err(
      `tsbpf ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 70;
  }
}
