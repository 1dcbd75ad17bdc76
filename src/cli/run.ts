// `tsbpf run FILE.o --program NAME --data FILE ...`: load an object, test-run one program (BPF_PROG_TEST_RUN), print the result.

import { parseArgs } from 'node:util';
import type { Bpf } from '../api/bpf.js';
import type { ObjectHandle } from '../api/object-handle.js';
import type { EngineName } from '../vm/runtime.js';
import type { TestRunResult } from '../vm/test-run.js';
import { InstructionTraceRecorder } from '../vm/instruction-trace.js';
import { EXIT_OK, EXIT_REFUSED, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import { printRunResult } from './run-output.js';
import {
  openConfigured,
  parseRunConfig,
  RUN_CONFIG_HELP,
  RUN_CONFIG_OPTIONS,
  type RunConfig,
} from './run-config.js';

/** --trace-limit: how many executed instructions --trace prints (the rest are counted). */
export const DEFAULT_TRACE_LIMIT = 1000;

export const runHelp = `Usage: tsbpf run FILE.o --program NAME [--data FILE] [--ctx FILE] [--repeat N]
                [--flags N] [--cpu N] [--engine interp|jit] [--type TYPE]
                [--expected-attach-type TYPE] [--maps FILE] [--budget N] [--cpus N]
                [--data-out FILE] [--trace [--trace-limit N]] [--dump-maps] [--json]

Creates every map of the object (sized and filled by --maps), loads NAME and the programs that
prog arrays the object or the fixture initialises place (other programs are not loaded; a
refused one is a warning on stderr naming it and its section), then runs NAME once (or N times)
on the packet in --data and the context in --ctx the way the kernel's BPF_PROG_TEST_RUN does, and
prints the return value, the packet after the run and the context after the run, field by field
(struct __sk_buff, struct xdp_md, struct bpf_flow_keys, struct bpf_sk_lookup).

What each program type takes, as Linux 6.18's test runs do:
  socket_filter, sched_cls/act, cgroup_skb, lwt_in/out/xmit, xdp   --data (Ethernet header first),
                     --ctx optional (struct __sk_buff / struct xdp_md)
  flow_dissector     --data; --ctx a struct bpf_flow_keys with only flags; data out is the flow keys
  sk_lookup          --ctx a struct bpf_sk_lookup (no --data)
  syscall            --ctx the program's own struct (any size up to 65535), written back as ctx out;
                     no --data, --repeat or --flags
  raw_tracepoint     --ctx the u64 arguments (at most 12); --flags 1 (BPF_F_TEST_RUN_ON_CPU) with
                     --cpu N runs on CPU N; no --data or --repeat
  lwt_seg6local, struct_ops and the tracing types have no test run.

A refusal (the kernel's errno) goes to stderr in one line; a runtime fault goes to stderr too. A fault names the function (from
BTF func_info, else the symbol), the instruction in the program and in its ELF section, the source
line as the kernel's log shows it ('; code @ file.c:12') and the functions that called it.

Options:
  --program NAME     the program to run (its function name)
  --data FILE        the packet, Ethernet header first
  --ctx FILE         the context to start from (ctx_in), as above
  --repeat N         runs on the same packet and context (default 1); durationNs is the mean
  --flags N          test.flags (BPF_F_TEST_RUN_ON_CPU = 1, ...)
  --cpu N            test.cpu (raw_tracepoint with --flags 1; other types refuse a non-zero cpu)
  --engine NAME      the engine the programs are loaded with: interp or jit (default: jit for
                     verified programs when tsbpf has its JIT, else interp; interp with --trace)
${RUN_CONFIG_HELP}
  --data-out FILE    write the packet after the run (data_out) to FILE
  --trace            print each executed instruction: its source line when it changes, then
                     'function pc: (opcode) instruction  ; rN=value' with the registers it changed
                     (pc counts in the program; callees indented)
  --trace-limit N    instructions --trace prints (default ${DEFAULT_TRACE_LIMIT}); the rest are counted
  --dump-maps        print every map's entries after the run (as 'tsbpf map dump' does)
  --json             print JSON: {program, engine, retval, dataOut, ctxOut, ctx, durationNs, error?, trace,
                     traceDropped, insnTrace?, insnTraceOmitted?, maps?}; ctx is ctx_out by field name, error.at the
                     fault's frames innermost first ({function, program, insn, section, sectionInsn,
                     file, line, source}), maps as 'tsbpf map dump --json'
  -h, --help         show this help

bpf_trace_printk lines are kept in a trace buffer bounded like the kernel's (1408 KiB): when a long
--repeat fills it, the oldest lines are dropped and their number is printed.

Exit status: 0 the program ran, 1 the object or the run was refused (max_entries 0 without a size
included), 2 bad usage or unreadable input (a fixture that does not fit the object included: one
line naming the fixture file and the JSON path).`;

export interface RunInput {
  program: string;
  data?: Uint8Array;
  ctx?: Uint8Array;
  repeat?: number;
  /** test.flags and test.cpu. */
  flags?: number;
  cpu?: number;
  /** The engine the programs are loaded with (default: see ProgLoadOptions.engine; the interpreter with trace). */
  engine?: EngineName;
  /** --type, --maps, --budget, --cpus... */
  config?: RunConfig;
  /** Sees every executed instruction (--trace). */
  trace?: InstructionTraceRecorder;
}

/** Opens, configures and loads the object (warnings go to `warn`), then test-runs one program of it. */
export function loadAndRun(
  file: string,
  input: RunInput,
  warn: (text: string) => void = () => {},
): { bpf: Bpf; object: ObjectHandle; result: TestRunResult } {
  // The engine is fixed at load; a traced run needs the interpreter, the engine that can trace.
  const engine = input.engine ?? (input.trace === undefined ? undefined : 'interp');
  const config = { ...input.config, ...(engine === undefined ? {} : { engine }) };
  const { bpf, object } = openConfigured(file, config, input.program, warn);
  const program = object.program(input.program);
  const result = bpf.testRun(program.handle.fd, {
    ...(input.data === undefined ? {} : { data: input.data }),
    ...(input.ctx === undefined ? {} : { ctx: input.ctx }),
    ...(input.repeat === undefined ? {} : { repeat: input.repeat }),
    ...(input.flags === undefined ? {} : { flags: input.flags }),
    ...(input.cpu === undefined ? {} : { cpu: input.cpu }),
    ...(config.budget === undefined ? {} : { budget: config.budget }),
    ...(input.trace === undefined ? {} : { trace: input.trace }),
  });
  return { bpf, object, result };
}

export function parseRepeat(text: string | undefined): number | undefined {
  return parseU32(text, '--repeat');
}

/** A u32 option (--repeat, --flags, --cpu); undefined when absent. */
export function parseU32(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 0xffff_ffff)
    throw new UsageError(`${flag}: '${text}' is not a u32`);
  return Number(text);
}

export function parseEngine(text: string | undefined): EngineName | undefined {
  if (text === undefined) return undefined;
  if (text !== 'interp' && text !== 'jit') throw new UsageError(`--engine: '${text}' is not interp or jit`);
  return text;
}

function parseTraceLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TRACE_LIMIT;
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000) {
    throw new UsageError(`--trace-limit: '${text}' is not a count of at most 1000000`);
  }
  return Number(text);
}

export function runRun(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      data: { type: 'string' },
      ctx: { type: 'string' },
      repeat: { type: 'string' },
      flags: { type: 'string' },
      cpu: { type: 'string' },
      engine: { type: 'string' },
      ...RUN_CONFIG_OPTIONS,
      'data-out': { type: 'string' },
      trace: { type: 'boolean' },
      'trace-limit': { type: 'string' },
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
  const repeat = parseRepeat(values.repeat);
  const flags = parseU32(values.flags, '--flags');
  const cpu = parseU32(values.cpu, '--cpu');
  const engine = parseEngine(values.engine);
  const traceLimit = parseTraceLimit(values['trace-limit']);
  if (values['trace-limit'] !== undefined && !values.trace)
    throw new UsageError('--trace-limit goes with --trace');
  const trace = values.trace ? new InstructionTraceRecorder(traceLimit) : undefined;
  const data = values.data === undefined ? undefined : readInput(values.data);
  const ctx = values.ctx === undefined ? undefined : readInput(values.ctx);
  const file = positionals[0];
  const config = parseRunConfig(values);
  const { bpf, object, result } = loadAndRun(
    file,
    {
      program: values.program,
      ...(data === undefined ? {} : { data }),
      ...(ctx === undefined ? {} : { ctx }),
      ...(repeat === undefined ? {} : { repeat }),
      ...(flags === undefined ? {} : { flags }),
      ...(cpu === undefined ? {} : { cpu }),
      ...(engine === undefined ? {} : { engine }),
      config,
      ...(trace === undefined ? {} : { trace }),
    },
    err,
  );
  printRunResult(
    { bpf, object, result, program: values.program, trace },
    {
      json: values.json ?? false,
      dumpMaps: values['dump-maps'] ?? false,
      ...(values['data-out'] === undefined ? {} : { dataOut: values['data-out'] }),
    },
    out,
    err,
  );
  return result.error === undefined ? EXIT_OK : EXIT_REFUSED;
}
