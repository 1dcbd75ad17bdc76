// `npm run bench:verifier`: tsbpf's verifier against the kernel's on the corpus, the big verifier cases and
// synthetic million-instruction programs: processed instructions, verification time and ns per instruction on each
// side, as a table on stdout and JSON in bench/results/verifier-latest.json. Speed lives here, never in tests.

import { release } from 'node:os';
import { join } from 'node:path';
import { UsageError, walkArguments } from './arguments.js';
import { hostRecord, loadLine, titleLine, writeResultsJson } from './results-file.js';
import { repoRoot } from './corpus.js';
import { gitState } from './git-state.js';
import { KernelBench } from './kernel.js';
import {
  corpusTotal,
  median,
  nsPerInsn,
  type SideResult,
  type VerifierBenchRow,
  VerifierTablePrinter,
} from './verifier-report.js';
import {
  bigCaseWorkloads,
  corpusWorkloads,
  syntheticWorkloads,
  type Verification,
  type Workload,
} from './verifier-workload.js';

const USAGE = `usage: npm run bench:verifier -- [--quick] [--runs N] [--only TEXT] [--json PATH]

  --quick       one run per program on each side and no warm-up, for a smoke run (numbers are rough)
  --runs N      runs per program on each side, the median reported (default 5; 3 for a program above 1 s)
  --only TEXT   only the workloads whose name contains TEXT (progs/xdp, case loops/, synthetic/)
  --json PATH   where to write the JSON (default bench/results/verifier-latest.json)`;

/** Verifier cases below this many processed instructions measure overhead, not the verifier. */
const MIN_CASE_INSNS = 100;
/** A workload whose first run takes longer gets at most this many runs (the million-instruction ones). */
const LONG_RUN_US = 1_000_000;
const LONG_RUNS = 3;

interface Options {
  readonly quick: boolean;
  readonly runs: number;
  readonly only: string | undefined;
  readonly jsonPath: string | undefined;
}

function parseArguments(argv: readonly string[]): Options | 'help' {
  let quick = false;
  let runs = 5;
  let only: string | undefined;
  let jsonPath: string | undefined;
  const help = walkArguments(argv, (argument, value) => {
    if (argument === '--quick') quick = true;
    else if (argument === '--runs') {
      const text = value();
      runs = Number(text);
      if (!Number.isInteger(runs) || runs < 1 || runs > 100)
        throw new UsageError(`--runs: '${text}' is not 1..100`);
    } else if (argument === '--only') only = value();
    else if (argument === '--json') jsonPath = value();
    else return false;
    return true;
  });
  return help ?? { quick, runs: quick ? 1 : runs, only, jsonPath };
}

/** Per program: every run's Verification, in run order. */
type Samples = Map<string, Verification[]>;

/** Runs `measure` up to `runs` times (fewer when the first run shows the workload is long). */
function sample(measure: () => Verification[], runs: number): Samples {
  const samples: Samples = new Map();
  for (let run = 0; run < runs; run++) {
    const results = measure();
    let totalUs = 0;
    for (const result of results) {
      const list = samples.get(result.program) ?? [];
      list.push(result);
      samples.set(result.program, list);
      totalUs += result.verificationUs ?? 0;
    }
    if (run === 0 && totalUs > LONG_RUN_US) runs = Math.min(runs, LONG_RUNS);
  }
  return samples;
}

function sideResult(runs: readonly Verification[] | undefined): SideResult | null {
  if (runs === undefined || runs.length === 0) return null;
  const last = runs[runs.length - 1];
  const samplesUs = runs.map((r) => r.verificationUs).filter((us): us is number => us !== null);
  const us = median(samplesUs);
  return {
    accepted: last.accepted,
    processedInsns: last.processedInsns,
    verificationUs: us,
    samplesUs,
    nsPerInsn: nsPerInsn(us, last.processedInsns),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function main(options: Options): void {
  const root = repoRoot();
  const started = new Date();
  const source = gitState(root);
  const kernelBench = new KernelBench();
  const kernel = kernelBench.availability();

  console.log(titleLine('tsbpf verifier benchmark', started, source));
  console.log(loadLine());
  console.log(
    `both sides load at log level 4 (statistics only) and report their own 'verification time'; median of ` +
      `${options.runs} run(s)${options.runs > LONG_RUNS ? `, ${LONG_RUNS} for a program above 1 s` : ''}; ` +
      `kernel: Linux ${release()}`,
  );
  if (!kernel.available)
    console.log(`!!! KERNEL UNAVAILABLE: ${kernel.reason}; the kernel columns are n/a !!!`);

  const all = [...corpusWorkloads(root), ...bigCaseWorkloads(root, MIN_CASE_INSNS), ...syntheticWorkloads()];
  const workloads = all.filter((w) => options.only === undefined || w.name.includes(options.only));
  if (workloads.length === 0) throw new UsageError(`no workload name contains '${options.only}'`);
  if (!options.quick) {
    // One pass over the small programs first, so that the first rows do not pay for V8's warm-up.
    for (const workload of workloads) if (workload.group === 'corpus') workload.tsbpf();
  }
  console.log('');

  const names = workloads.flatMap((w) =>
    w.group === 'corpus' ? [...w.programs.keys()].map((p) => `${w.name}/${p}`) : [w.name],
  );
  const printer = new VerifierTablePrinter(names, (line) => console.log(line));
  printer.header();
  const rows: VerifierBenchRow[] = [];
  for (const workload of workloads) {
    for (const row of measureWorkload(workload, options.runs, kernel.available ? kernelBench : null)) {
      rows.push(row);
      printer.row(row);
    }
  }
  const total = corpusTotal(rows);
  printer.total(total);

  console.log('');
  console.log(
    'insns: processed instructions; ms: median verification time; ratio: tsbpf time / kernel time; ' +
      'verdict ok/refused when the two sides differ (tsbpf first)',
  );
  for (const row of rows) {
    if (row.tsbpfError)
      console.log(`tsbpf could not verify ${row.workload} ${row.program}: ${row.tsbpfError}`);
    if (row.kernelError)
      console.log(`kernel could not verify ${row.workload} ${row.program}: ${row.kernelError}`);
  }

  const jsonPath = options.jsonPath ?? join(root, 'bench', 'results', 'verifier-latest.json');
  const document = {
    date: started.toISOString(),
    source,
    host: hostRecord(),
    kernel: kernel.available
      ? { available: true, version: kernel.kernel }
      : { available: false, reason: kernel.reason },
    settings: {
      quick: options.quick,
      runs: options.runs,
      longRuns: LONG_RUNS,
      logLevel: 4,
      statistic: 'median',
    },
    rows,
    corpusTotal: total,
  };
  console.log(`JSON: ${writeResultsJson(jsonPath, document)}`);
}

function measureWorkload(workload: Workload, runs: number, kernel: KernelBench | null): VerifierBenchRow[] {
  let ours: Samples | undefined;
  let theirs: Samples | undefined;
  let tsbpfError: string | undefined;
  let kernelError: string | undefined;
  try {
    ours = sample(() => workload.tsbpf(), runs);
  } catch (error) {
    tsbpfError = message(error);
  }
  if (kernel !== null) {
    try {
      theirs = sample(() => workload.kernel(), runs);
    } catch (error) {
      kernelError = message(error);
    }
  }
  return [...workload.programs].map(([program, programType]) => {
    const tsbpf = sideResult(ours?.get(program));
    const kernelSide = sideResult(theirs?.get(program));
    const ratio =
      tsbpf?.verificationUs != null && kernelSide?.verificationUs
        ? tsbpf.verificationUs / kernelSide.verificationUs
        : null;
    return {
      workload: workload.name,
      group: workload.group,
      program,
      programType,
      tsbpf,
      kernel: kernelSide,
      ratio,
      ...(tsbpfError === undefined ? {} : { tsbpfError }),
      ...(kernelError === undefined ? {} : { kernelError }),
    };
  });
}

try {
  const options = parseArguments(process.argv.slice(2));
  if (options === 'help') console.log(USAGE);
  else main(options);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`bench:verifier: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  throw error;
}
