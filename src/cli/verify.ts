// `tsbpf verify FILE.o|FILE.s`: the verifier's verdict, log and statistics per program, as the kernel gives them.

import { kernelBtfOption } from './run-config.js';
import { parseArgs } from 'node:util';
import { Bpf } from '../api/bpf.js';
import { ProgLoadError } from '../api/bpf-error.js';
import { assemble, assembleInsns } from '../isa/assembler.js';
import { assembledObjectToElf } from '../object/assembled-to-elf.js';
import {
  ALL_CAPABILITIES,
  BPF_F_ANY_ALIGNMENT,
  BPF_F_SLEEPABLE,
  BPF_F_STRICT_ALIGNMENT,
  BPF_F_TEST_REG_INVARIANTS,
  BPF_F_TEST_RND_HI32,
  BPF_F_TEST_STATE_FREQ,
  BPF_F_XDP_HAS_FRAGS,
  NO_CAPABILITIES,
  type VerifierCapabilities,
  VerifierError,
  type VerifyResult,
} from '../verifier/index.js';
import { EXIT_OK, EXIT_REFUSED, UsageError } from './cli-error.js';
import { readInput } from './io.js';

export const verifyHelp = `Usage: tsbpf verify FILE.o|FILE.s [--program NAME] [--type TYPE] [--expected-attach-type TYPE]
                   [--prog-flags NAMES|N] [--caps LIST | --unpriv] [--log-level N] [--json | --stats]
                   [--btf FILE]

Verifies every program of an object (or only NAME) the way Linux 6.18's verifier does and prints
the verdict with the kernel's log: level 1 the path to the error, 2 every instruction with its
state, 4 the statistics (verification time, stack depth); levels combine (6 = 2 and 4).
An assembly file is assembled first; a file of plain instructions needs --type.

Options:
  --program NAME           only this program
  --type TYPE              program type for every program (libbpf names: xdp, socket_filter, ...)
  --expected-attach-type T the kernel's expected_attach_type (cgroup_inet_egress, xdp_devmap, ...)
  --prog-flags NAMES|N     strict_alignment,any_alignment,test_rnd_hi32,test_state_freq,sleepable,
                           xdp_has_frags,test_reg_invariants (comma-separated) or the number
  --caps LIST              capabilities of the loader: bpf,perfmon,net_admin,sys_admin (default: all)
  --unpriv                 no capabilities
  --log-level N            0..7 (default 1 without --json/--stats)
  --json                   one JSON object per program per line
  --stats                  one row per program, like veristat
  --btf FILE               the kernel's BTF (raw, as /sys/kernel/btf/vmlinux) for CO-RE relocations and
                           kernel-struct pointers, instead of tsbpf's table (libbpf's btf_custom_path)
  -h, --help               show this help

Exit status: 0 every program accepted, 1 one was refused, 2 bad usage or unreadable input.`;

const FLAG_NAMES: Readonly<Record<string, number>> = {
  strict_alignment: BPF_F_STRICT_ALIGNMENT,
  any_alignment: BPF_F_ANY_ALIGNMENT,
  test_rnd_hi32: BPF_F_TEST_RND_HI32,
  test_state_freq: BPF_F_TEST_STATE_FREQ,
  sleepable: BPF_F_SLEEPABLE,
  xdp_has_frags: BPF_F_XDP_HAS_FRAGS,
  test_reg_invariants: BPF_F_TEST_REG_INVARIANTS,
};

/** `strict_alignment,test_state_freq` or a number, as the kernel's prog_flags. */
export function parseProgFlags(text: string | undefined): number {
  if (text === undefined) return 0;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text);
  let flags = 0;
  for (const name of text.split(',')) {
    const bit = FLAG_NAMES[name.trim()];
    if (bit === undefined) {
      throw new UsageError(`unknown prog flag '${name}' (known: ${Object.keys(FLAG_NAMES).join(', ')})`);
    }
    flags |= bit;
  }
  return flags;
}

export function parseCapabilities(caps: string | undefined, unpriv: boolean): VerifierCapabilities {
  if (unpriv) {
    if (caps !== undefined) throw new UsageError('--caps and --unpriv exclude each other');
    return NO_CAPABILITIES;
  }
  if (caps === undefined) return ALL_CAPABILITIES;
  const given = new Set(
    caps
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
  );
  for (const cap of given) {
    if (!['bpf', 'perfmon', 'net_admin', 'sys_admin'].includes(cap)) {
      throw new UsageError(`unknown capability '${cap}' (known: bpf, perfmon, net_admin, sys_admin)`);
    }
  }
  return {
    bpf: given.has('bpf') || given.has('sys_admin'),
    perfmon: given.has('perfmon') || given.has('sys_admin'),
    netAdmin: given.has('net_admin'),
    sysAdmin: given.has('sys_admin'),
  };
}

/** One program's verdict, as `--json` prints it. */
interface ProgramVerdict {
  program: string;
  accepted: boolean;
  error: string | null;
  insn: number | null;
  processedInsns: number;
  stackDepth: readonly number[];
  states: { total: number; peak: number };
  verificationTimeUs: number;
  log?: string;
}

function verdictOf(
  program: string,
  result: VerifyResult | undefined,
  error: ProgLoadError | undefined,
  log: string,
): ProgramVerdict {
  const lines = log.split('\n').filter((line) => line !== '');
  const statistics = /^(processed \d+ insns|verification time|stack depth)/;
  // The verifier's own error when it ran (its last line is the kernel's error line), else the log's last line.
  const cause = error?.cause instanceof VerifierError ? error.cause.message.split('\n').pop() : undefined;
  const errorLine = error
    ? (cause ?? [...lines].reverse().find((line) => !statistics.test(line)) ?? error.message)
    : null;
  return {
    program,
    accepted: error === undefined,
    error: errorLine,
    insn: error?.insn ?? null,
    processedInsns: result?.processedInsns ?? processedFrom(log),
    stackDepth: result?.stackDepth ?? [],
    states: { total: result?.totalStates ?? 0, peak: result?.peakStates ?? 0 },
    verificationTimeUs: result?.verificationTimeUs ?? 0,
  };
}

function processedFrom(log: string): number {
  const match = /processed (\d+) insns/.exec(log);
  return match ? Number(match[1]) : 0;
}

interface VerifyRun {
  readonly program: string;
  readonly verdict: ProgramVerdict;
  readonly log: string;
}

export function runVerify(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      type: { type: 'string' },
      'expected-attach-type': { type: 'string' },
      'prog-flags': { type: 'string' },
      caps: { type: 'string' },
      unpriv: { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      json: { type: 'boolean', default: false },
      stats: { type: 'boolean', default: false },
      btf: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(verifyHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one object or assembly file');
  if (values.json && values.stats) throw new UsageError('--json and --stats exclude each other');
  const progFlags = parseProgFlags(values['prog-flags']);
  const capabilities = parseCapabilities(values.caps, values.unpriv);
  const logLevel =
    values['log-level'] === undefined ? (values.json || values.stats ? 0 : 1) : Number(values['log-level']);
  if (!Number.isInteger(logLevel) || logLevel < 0 || logLevel > 7)
    throw new UsageError('--log-level takes 0..7');
  const file = positionals[0];
  const bytes = readInput(file);
  const settings = {
    progFlags,
    capabilities,
    logLevel,
    kernelBtf: kernelBtfOption(values.btf),
    ...(values.type !== undefined ? { type: values.type } : {}),
    ...(values['expected-attach-type'] !== undefined
      ? { expectedAttachType: values['expected-attach-type'] }
      : {}),
  };
  const runs = file.endsWith('.s')
    ? verifyAssembly(bytes, file, settings, values.program)
    : verifyObject(bytes, file, settings, values.program);
  if (runs.length === 0)
    throw new UsageError(
      values.program ? `no program '${values.program}' in ${file}` : `no programs in ${file}`,
    );
  for (const run of runs) {
    if (values.json) out(JSON.stringify(logLevel > 0 ? { ...run.verdict, log: run.log } : run.verdict));
    else if (!values.stats) {
      out(`${run.program}: ${run.verdict.accepted ? 'accepted' : 'refused'}`);
      if (run.log !== '') out(run.log.replace(/\n$/, ''));
    }
  }
  if (values.stats) out(statsTable(runs.map((run) => run.verdict)));
  return runs.every((run) => run.verdict.accepted) ? EXIT_OK : EXIT_REFUSED;
}

interface VerifySettings {
  readonly type?: string;
  readonly expectedAttachType?: string;
  readonly progFlags: number;
  readonly capabilities: VerifierCapabilities;
  readonly logLevel: number;
  /** --btf: openObject's kernel BTF options. */
  readonly kernelBtf: { kernelBtf?: Uint8Array; kernelBtfName?: string };
}

/** Each program loaded on its own (with the programs its prog arrays hold), so one refusal names one program. */
function verifyObject(
  bytes: Uint8Array,
  file: string,
  settings: VerifySettings,
  only: string | undefined,
): VerifyRun[] {
  const names = new Bpf()
    .openObject(bytes, file, settings.kernelBtf)
    .programNames.filter((name) => only === undefined || name === only);
  return names.map((name) => {
    const bpf = new Bpf();
    const object = bpf.openObject(bytes, file, settings.kernelBtf);
    if (settings.type !== undefined || settings.expectedAttachType !== undefined) {
      for (const program of object.programNames) {
        object.setProgramType(program, {
          ...(settings.type !== undefined ? { type: settings.type } : {}),
          ...(settings.expectedAttachType !== undefined
            ? { expectedAttachType: settings.expectedAttachType }
            : {}),
        });
      }
    }
    try {
      object.load({
        programs: [name],
        logLevel: settings.logLevel,
        progFlags: settings.progFlags,
        capabilities: settings.capabilities,
      });
      const handle = object.program(name).handle;
      return {
        program: name,
        verdict: verdictOf(name, handle.verification, undefined, handle.log),
        log: handle.log,
      };
    } catch (error) {
      if (!(error instanceof ProgLoadError)) throw error;
      return { program: name, verdict: verdictOf(name, undefined, error, error.log), log: error.log };
    }
  });
}

/** Assembly: sections named like libbpf's become programs; plain instructions are one program of --type. */
function verifyAssembly(
  bytes: Uint8Array,
  file: string,
  settings: VerifySettings,
  only: string | undefined,
): VerifyRun[] {
  const text = new TextDecoder().decode(bytes);
  const object = assemble(text, { fileName: file });
  const elf = assembledObjectToElf(object);
  const programs = new Bpf().openObject(elf, file).programNames;
  if (programs.length > 0) return verifyObject(elf, file, settings, only);
  if (settings.type === undefined) throw new UsageError(`${file} has no program sections: give --type`);
  const insns = assembleInsns(text, { fileName: file });
  const name = only ?? 'prog';
  try {
    const handle = new Bpf().progLoad({
      type: settings.type,
      insns,
      license: 'GPL',
      name,
      logLevel: settings.logLevel,
      progFlags: settings.progFlags,
      capabilities: settings.capabilities,
      ...(settings.expectedAttachType !== undefined
        ? { expectedAttachType: settings.expectedAttachType }
        : {}),
    });
    return [
      {
        program: name,
        verdict: verdictOf(name, handle.verification, undefined, handle.log),
        log: handle.log,
      },
    ];
  } catch (error) {
    if (!(error instanceof ProgLoadError)) throw error;
    return [{ program: name, verdict: verdictOf(name, undefined, error, error.log), log: error.log }];
  }
}

/** veristat's columns: Program, Verdict, Duration (us), Insns, States, Peak states, and the stack depth. */
function statsTable(rows: readonly ProgramVerdict[]): string {
  const header = ['Program', 'Verdict', 'Duration (us)', 'Insns', 'States', 'Peak states', 'Stack'];
  const cells = rows.map((r) => [
    r.program,
    r.accepted ? 'success' : 'failure',
    String(r.verificationTimeUs),
    String(r.processedInsns),
    String(r.states.total),
    String(r.states.peak),
    r.stackDepth.join('+'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
