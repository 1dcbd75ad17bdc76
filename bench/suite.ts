// `npm run bench`: the project's benchmark suite (bench/progs) in tsbpf's interpreter, tsbpf's JIT and the kernel's
// JIT side by side: ns per run, the ratios to the kernel, prepare (compile) time per engine, instructions per run;
// a table on stdout and JSON in bench/results/suite-latest.json. Speed lives here, never in tests.

import { release } from 'node:os';
import { join } from 'node:path';
import { engineByName } from '../src/api/engines.js';
import type { EngineName } from '../src/vm/runtime.js';
import { UsageError, walkArguments } from './arguments.js';
import { repoRoot } from './corpus.js';
import { gitState } from './git-state.js';
import { KernelBench, kernelJitState } from './kernel.js';
import { hostRecord, loadLine, titleLine, writeResultsJson } from './results-file.js';
import {
  type EngineMeasurement,
  type KernelMeasurement,
  ratio,
  type SuiteRow,
  summariseGroups,
  tableLines,
} from './suite-report.js';
import { SUITE_CASES, type SuiteCase, suiteProgram } from './suite-workload.js';
import { BenchRunError, median, TsbpfBench } from './tsbpf.js';

const USAGE = `usage: npm run bench -- [--quick] [--json PATH] [--case NAME]

  --quick          short samples (~10 ms, 1 each) for a smoke run; numbers are rough
  --json PATH      where to write the JSON (default bench/results/suite-latest.json)
  --case NAME      only this case (${SUITE_CASES.map((c) => c.name).join(', ')})`;

interface SuiteOptions {
  readonly quick: boolean;
  readonly jsonPath: string | undefined;
  readonly only: string | undefined;
}

function parseArguments(argv: readonly string[]): SuiteOptions | 'help' {
  let quick = false;
  let jsonPath: string | undefined;
  let only: string | undefined;
  const help = walkArguments(argv, (argument, value) => {
    if (argument === '--quick') quick = true;
    else if (argument === '--json') jsonPath = value();
    else if (argument === '--case') only = value();
    else return false;
    return true;
  });
  return help ?? { quick, jsonPath, only };
}

const ENGINES: readonly EngineName[] = ['interp', 'jit'];

function main(options: SuiteOptions): void {
  const root = repoRoot();
  const sampleMs = options.quick ? 10 : 100;
  const samples = options.quick ? 1 : 5;
  const prepareSamples = options.quick ? 1 : 5;
  const cases = SUITE_CASES.filter((c) => options.only === undefined || c.name === options.only);
  if (cases.length === 0) throw new UsageError(`no case named '${options.only}'`);

  const kernelBench = new KernelBench();
  const kernel = kernelBench.availability();
  const kernelJit = kernelJitState();
  const cpus = kernel.available ? kernel.possibleCpus : 1;
  const unavailable = new Map<EngineName, string>();
  for (const name of ENGINES) {
    const engine = engineByName(name);
    if (typeof engine === 'string') unavailable.set(name, engine);
  }

  const started = new Date();
  const source = gitState(root);
  console.log(titleLine('tsbpf benchmark suite', started, source));
  console.log(
    `tsbpf: each program loaded (verified, fast mode) with engine interp and with engine jit, run by Bpf.testRun; ` +
      `kernel: Linux ${release()}, test-run ran its ${kernelJit.engine === 'jit' ? 'JIT' : kernelJit.engine} ` +
      `(net.core.bpf_jit_enable = ${kernelJit.bpfJitEnable ?? 'unreadable'})`,
  );
  console.log(loadLine());
  console.log(
    `median of ${samples} sample(s) of ~${sampleMs} ms each per engine, each from a freshly loaded object; ` +
      `the kernel runs the larger of the two repeats; prep: median of ${prepareSamples} Engine.prepare calls`,
  );
  for (const [name, reason] of unavailable) {
    console.log(`!!! ENGINE '${name}' UNAVAILABLE: ${reason}; its columns are n/a !!!`);
  }
  if (!kernel.available)
    console.log(`!!! KERNEL UNAVAILABLE: ${kernel.reason}; the kernel columns are n/a !!!`);
  console.log('');

  const rows: SuiteRow[] = [];
  for (const suiteCase of cases) {
    rows.push(
      measure(
        suiteCase,
        { root, cpus, sampleMs, samples, prepareSamples, unavailable, kernelBench },
        kernel.available,
      ),
    );
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  const groups = summariseGroups(rows);
  for (const text of tableLines(rows, groups)) console.log(text);
  console.log('');
  console.log(
    'insns: instructions the last run of a sample executes; * the first run on a fresh object executes another number',
  );
  console.log('prep µs: Engine.prepare of the loaded program (for the JIT: its compile time)');
  for (const row of rows) {
    for (const error of row.errors) console.log(`${row.name}: ${error}`);
    if (row.retvalsAgree === false) {
      console.log(
        `!r0 ${row.name}: interp ${row.interp?.retval ?? 'n/a'}, jit ${row.jit?.retval ?? 'n/a'}, ` +
          `kernel ${row.kernel?.retval}`,
      );
    }
  }

  const jsonPath = options.jsonPath ?? join(root, 'bench', 'results', 'suite-latest.json');
  const document = {
    date: started.toISOString(),
    source,
    host: hostRecord(),
    engines: Object.fromEntries(
      ENGINES.map((name) => [
        name,
        unavailable.has(name) ? { available: false, reason: unavailable.get(name) } : { available: true },
      ]),
    ),
    kernel: kernel.available
      ? { available: true, version: kernel.kernel, possibleCpus: kernel.possibleCpus, ...kernelJit }
      : { available: false, reason: kernel.reason, ...kernelJit },
    settings: { quick: options.quick, sampleMs, samples, prepareSamples, statistic: 'median' },
    rows,
    groups,
  };
  console.log(`JSON: ${writeResultsJson(jsonPath, document)}`);
}

interface MeasureSettings {
  readonly root: string;
  readonly cpus: number;
  readonly sampleMs: number;
  readonly samples: number;
  readonly prepareSamples: number;
  readonly unavailable: ReadonlyMap<EngineName, string>;
  readonly kernelBench: KernelBench;
}

/** One case: each available engine calibrated and timed, the instruction count, then the kernel. */
function measure(suiteCase: SuiteCase, settings: MeasureSettings, kernelAvailable: boolean): SuiteRow {
  const target = suiteProgram(settings.root, suiteCase);
  const { name: packetName, data } = suiteCase.packet;
  const errors: string[] = [];
  const measured: Partial<Record<EngineName, EngineMeasurement>> = {};
  for (const engine of ENGINES) {
    if (settings.unavailable.has(engine)) continue;
    const bench = new TsbpfBench(settings.cpus, settings.sampleMs, settings.samples, engine);
    try {
      // Warm V8 up on this program first, so no engine pays for the other's cold start.
      bench.warmUp(target, packetName, data, 3 * settings.sampleMs);
      const repeat = bench.calibrate(target, packetName, data);
      const timing = bench.time(target, packetName, data, repeat);
      const prepareSamplesNs = bench.prepareTimes(target, settings.prepareSamples);
      measured[engine] = { ...timing, repeat, prepareNs: median(prepareSamplesNs), prepareSamplesNs };
    } catch (error) {
      if (!(error instanceof BenchRunError)) throw error;
      errors.push(`${engine}: ${error.message}`);
    }
  }
  let insns: { first: number; last: number } | null = null;
  const counted = measured.interp ?? measured.jit;
  if (counted !== undefined) {
    try {
      insns = new TsbpfBench(settings.cpus, settings.sampleMs, settings.samples).countInsns(
        target,
        packetName,
        data,
        counted.repeat,
      );
    } catch (error) {
      if (!(error instanceof BenchRunError)) throw error;
      errors.push(`instruction count: ${error.message}`);
    }
  }
  let kernel: KernelMeasurement | null = null;
  if (kernelAvailable) {
    const repeat = Math.max(measured.interp?.repeat ?? 1, measured.jit?.repeat ?? 1);
    try {
      kernel = {
        ...settings.kernelBench.time(target.absolutePath, target.program, data, repeat, settings.samples),
        repeat,
      };
    } catch (error) {
      errors.push(`kernel: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const interp = measured.interp ?? null;
  const jit = measured.jit ?? null;
  const ours = [interp, jit].filter((m): m is EngineMeasurement => m !== null);
  return {
    name: suiteCase.name,
    group: suiteCase.group,
    object: target.objectPath,
    program: suiteCase.program,
    packet: packetName,
    packetBytes: data.length,
    insnsExecuted: insns?.last ?? null,
    insnsFirstRun: insns?.first ?? null,
    interp,
    jit,
    kernel,
    interpRatio: ratio(interp, kernel),
    jitRatio: ratio(jit, kernel),
    retvalsAgree: kernel === null || ours.length === 0 ? null : ours.every((m) => m.retval === kernel.retval),
    errors,
  };
}

try {
  const options = parseArguments(process.argv.slice(2));
  if (options === 'help') console.log(USAGE);
  else main(options);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  throw error;
}
