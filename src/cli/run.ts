// `tsbpf run FILE.o --program NAME --data FILE ...`: load an object, test-run one program (BPF_PROG_TEST_RUN), print the result.

import { parseArgs } from 'node:util';
import type { Bpf } from '../api/bpf.js';
import type { ObjectHandle } from '../api/object-handle.js';
import type { EngineName } from '../vm/test-run.js';
import type { TestRunResult } from '../vm/test-run.js';
import { BpfError } from '../api/bpf-error.js';
import { EXIT_OK, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import {
  openConfigured,
  parseRunConfig,
  RUN_CONFIG_HELP,
  RUN_CONFIG_OPTIONS,
  type RunConfig,
} from './run-config.js';

export const runHelp = `Usage: tsbpf run FILE.o --program NAME --data FILE [--ctx FILE] [--repeat N]
                [--engine interp|jit] [--type TYPE] [--expected-attach-type TYPE] [--maps FILE]
                [--budget N] [--cpus N] [--dump-maps] [--json]

Creates every map of the object (sized and filled by --maps), loads NAME and the programs that
prog arrays the object or the fixture initialises place (other programs are not loaded; a
refused one is a warning on stderr naming it and its section), then runs NAME once (or N times)
on the packet in --data the way the kernel's BPF_PROG_TEST_RUN does, and prints the return
value, the packet after the run and the context after the run.

Options:
  --program NAME   the program to run (its function name)
  --data FILE      the packet, Ethernet header first
  --ctx FILE       a struct __sk_buff or struct xdp_md to start from (ctx_in)
  --repeat N       runs on the same packet and context (default 1); durationNs is the mean
  --engine NAME    interp (default) or jit (not available yet)
${RUN_CONFIG_HELP}
  --dump-maps      print every map's entries after the run
  --json           print JSON: {program, retval, dataOut, ctxOut, durationNs, error?, maps?, trace,
                   traceDropped}
  -h, --help       show this help

bpf_trace_printk lines are kept in a trace buffer bounded like the kernel's (1408 KiB): when a long
--repeat fills it, the oldest lines are dropped and their number is printed.

Exit status: 0 the program ran, 1 the object or the run was refused (one line on stderr naming the
errno; max_entries 0 without a size included), 2 bad usage or unreadable input (a fixture that does
not fit the object included: one line naming the fixture file and the JSON path).`;

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export interface MapDumpJson {
  name: string;
  type: string;
  entries: { key: string; value: string }[];
}

/** Every map of a loaded object with its entries (user-space format, hex). */
export function dumpObjectMaps(bpf: Bpf, object: ObjectHandle, only?: string): MapDumpJson[] {
  const names = only === undefined ? object.mapNames : [only];
  return names.map((name) => {
    const fd = object.mapFd(name);
    return {
      name,
      type: bpf.map(fd).typeName,
      entries: bpf.mapDump(fd).map((entry) => ({ key: hex(entry.key), value: hex(entry.value) })),
    };
  });
}

export function formatMaps(maps: readonly MapDumpJson[]): string[] {
  const lines: string[] = [];
  for (const map of maps) {
    lines.push(`map ${map.name} (${map.type}): ${map.entries.length} entries`);
    for (const entry of map.entries) lines.push(`  ${entry.key || '(no key)'}: ${entry.value}`);
  }
  return lines;
}

export interface RunInput {
  program: string;
  data: Uint8Array;
  ctx?: Uint8Array;
  repeat?: number;
  engine?: EngineName;
  /** --type, --maps, --budget, --cpus... */
  config?: RunConfig;
}

/** Opens, configures and loads the object (warnings go to `warn`), then test-runs one program of it. */
export function loadAndRun(
  file: string,
  input: RunInput,
  warn: (text: string) => void = () => {},
): { bpf: Bpf; object: ObjectHandle; result: TestRunResult } {
  const config = input.config ?? {};
  const { bpf, object } = openConfigured(file, config, input.program, warn);
  const program = object.program(input.program);
  const result = bpf.testRun(program.handle.fd, {
    data: input.data,
    ...(input.ctx === undefined ? {} : { ctx: input.ctx }),
    ...(input.repeat === undefined ? {} : { repeat: input.repeat }),
    ...(config.budget === undefined ? {} : { budget: config.budget }),
    engine: input.engine ?? 'interp',
  });
  return { bpf, object, result };
}

export function parseRepeat(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 0xffff_ffff)
    throw new UsageError(`--repeat: '${text}' is not a u32`);
  return Number(text);
}

export function parseEngine(text: string | undefined): EngineName | undefined {
  if (text === undefined) return undefined;
  if (text !== 'interp' && text !== 'jit') throw new UsageError(`--engine: '${text}' is not interp or jit`);
  return text;
}

export function runRun(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void = () => {},
): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      data: { type: 'string' },
      ctx: { type: 'string' },
      repeat: { type: 'string' },
      engine: { type: 'string' },
      ...RUN_CONFIG_OPTIONS,
      'dump-maps': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(runHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one object file');
  if (values.program === undefined) throw new UsageError('--program NAME is required');
  if (values.data === undefined) throw new UsageError('--data FILE is required');
  const repeat = parseRepeat(values.repeat);
  const engine = parseEngine(values.engine);
  const data = readInput(values.data);
  const ctx = values.ctx === undefined ? undefined : readInput(values.ctx);
  const file = positionals[0];
  const config = parseRunConfig(values);
  const { bpf, object, result } = loadAndRun(
    file,
    {
      program: values.program,
      data,
      ...(ctx === undefined ? {} : { ctx }),
      ...(repeat === undefined ? {} : { repeat }),
      ...(engine === undefined ? {} : { engine }),
      config,
    },
    err,
  );
  const maps = values['dump-maps'] ? dumpObjectMaps(bpf, object) : undefined;
  const trace = bpf.traceLog();
  const traceDropped = bpf.traceDropped();
  if (values.json) {
    out(
      JSON.stringify({
        program: values.program,
        retval: result.retval,
        dataOut: hex(result.dataOut),
        ctxOut: hex(result.ctxOut),
        durationNs: result.durationNs,
        ...(result.error === undefined
          ? {}
          : { error: { errno: result.error.errno, code: result.error.code, message: result.error.message } }),
        ...(maps === undefined ? {} : { maps }),
        trace,
        traceDropped,
      }),
    );
  } else if (result.error === undefined) {
    out(
      `${values.program}: retval ${result.retval} (0x${result.retval.toString(16)})  ${result.durationNs} ns/run`,
    );
    out(`data out (${result.dataOut.length} bytes): ${hex(result.dataOut)}`);
    if (result.ctxOut.length > 0) out(`ctx out (${result.ctxOut.length} bytes): ${hex(result.ctxOut)}`);
    if (traceDropped > 0) out(`trace: ${traceDropped} earlier lines dropped (trace buffer full)`);
    for (const line of trace) out(`trace: ${line}`);
    if (maps !== undefined) for (const line of formatMaps(maps)) out(line);
  }
  if (result.error !== undefined) throw testRunRefusal(values.program, result);
  return EXIT_OK;
}

/** A refused or faulted test run, as the one stderr line (and exit 1) main() gives every refusal. */
export function testRunRefusal(program: string, result: TestRunResult): BpfError {
  const error = result.error!;
  return new BpfError('BPF_PROG_TEST_RUN', error.errno, `${program}: ${error.message}`, {
    cause: error.fault ?? error,
  });
}
