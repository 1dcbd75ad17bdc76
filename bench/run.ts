// `npm run bench`: tsbpf's interpreter against the kernel's BPF_PROG_TEST_RUN on every socket/xdp/tc program of
// the corpus, as a table on stdout and JSON in bench/results/latest.json. Speed lives here, never in tests.

import { release } from 'node:os';
import { join } from 'node:path';
import { UsageError, walkArguments } from './arguments.js';
import { hostRecord, loadLine, titleLine, writeResultsJson } from './results-file.js';
import { BenchRunError, TsbpfBench } from './tsbpf.js';
import { benchPackets, benchPrograms, repoRoot } from './corpus.js';
import { gitState } from './git-state.js';
import { KernelBench, kernelJitState } from './kernel.js';
import { type BenchRow, summarise, TablePrinter } from './report.js';

const USAGE = `usage: npm run bench -- [--quick] [--json PATH] [--program NAME]

  --quick          short samples (~10 ms, 1 each) for a smoke run; numbers are rough
  --json PATH      where to write the JSON (default bench/results/latest.json)
  --program NAME   only this program (every object that has one by that name)`;

interface BenchOptions {
  readonly quick: boolean;
  readonly jsonPath: string | undefined;
  readonly program: string | undefined;
}

function parseArguments(argv: readonly string[]): BenchOptions | 'help' {
  let quick = false;
  let jsonPath: string | undefined;
  let program: string | undefined;
  const help = walkArguments(argv, (argument, value) => {
    if (argument === '--quick') quick = true;
    else if (argument === '--json') jsonPath = value();
    else if (argument === '--program') program = value();
    else return false;
    return true;
  });
  return help ?? { quick, jsonPath, program };
}

function main(options: BenchOptions): void {
  const root = repoRoot();
  // Full: the ~50–200 ms per measurement the numbers need to be stable; quick: enough to see the shape.
  const sampleMs = options.quick ? 10 : 100;
  const samples = options.quick ? 1 : 5;
  const programs = benchPrograms(root, options.program);
  if (programs.length === 0) throw new UsageError(`no socket/xdp/tc program named '${options.program}'`);
  const packets = benchPackets();

  const kernelBench = new KernelBench();
  const kernel = kernelBench.availability();
  const jit = kernelJitState();
  const cpus = kernel.available ? kernel.possibleCpus : 1;
  const tsbpf = new TsbpfBench(cpus, sampleMs, samples);

  const started = new Date();
  const source = gitState(root);
  console.log(titleLine('tsbpf benchmark', started, source));
  console.log(
    `tsbpf: interpreter (Bpf.testRun), each program in its load mode (fast once verified); kernel: Linux ${release()}, test-run ran its ` +
      `${jit.engine === 'jit' ? 'JIT' : jit.engine} (net.core.bpf_jit_enable = ${jit.bpfJitEnable ?? 'unreadable'})`,
  );
  console.log(loadLine());
  console.log(
    `median of ${samples} sample(s) of ~${sampleMs} ms each; both sides use the same repeat, from a fresh object`,
  );
  if (!kernel.available) {
    console.log(`!!! KERNEL UNAVAILABLE: ${kernel.reason}; the kernel columns are n/a !!!`);
  }
  console.log('');

  const printer = new TablePrinter(
    programs.map((p) => `${shortObject(p.objectPath)}/${p.program}`),
    packets.map((p) => p.name),
    (line) => console.log(line),
  );
  const first = programs[0];
  try {
    tsbpf.warmUp(first, packets[0].name, packets[0].data, 1000);
  } catch (error) {
    if (!(error instanceof BenchRunError)) throw error; // its row will say why
  }
  printer.header();
  const rows: BenchRow[] = [];
  for (const target of programs) {
    for (const packet of packets) {
      const base = {
        object: shortObject(target.objectPath),
        program: target.program,
        programType: target.programType,
        packet: packet.name,
        packetBytes: packet.data.length,
      };
      let row: BenchRow;
      try {
        const repeat = tsbpf.calibrate(target, packet.name, packet.data);
        // Timed right after calibration warmed V8 up on this path; counting replays runs in other shapes.
        const ours = tsbpf.time(target, packet.name, packet.data, repeat);
        const count = tsbpf.countInsns(target, packet.name, packet.data, repeat);
        let theirs: BenchRow['kernel'] = null;
        let kernelError: string | undefined;
        if (kernel.available) {
          try {
            theirs = kernelBench.time(target.absolutePath, target.program, packet.data, repeat, samples);
          } catch (error) {
            kernelError = error instanceof Error ? error.message : String(error);
          }
        }
        row = {
          ...base,
          repeat,
          insnsExecuted: count.last,
          insnsFirstRun: count.first,
          tsbpf: { ...ours, nsPerInsn: ours.nsPerRun / count.last },
          kernel: theirs,
          ratio: theirs !== null && theirs.nsPerRun > 0 ? ours.nsPerRun / theirs.nsPerRun : null,
          retvalsAgree: theirs === null ? null : theirs.retval === ours.retval,
          ...(kernelError === undefined ? {} : { kernelError }),
        };
      } catch (error) {
        if (!(error instanceof BenchRunError)) throw error;
        row = {
          ...base,
          repeat: null,
          insnsExecuted: null,
          insnsFirstRun: null,
          tsbpf: null,
          kernel: null,
          ratio: null,
          retvalsAgree: null,
          tsbpfError: error.message,
        };
      }
      rows.push(row);
      printer.row(row);
    }
  }
  const summary = summarise(rows);
  printer.summary(summary);

  console.log('');
  console.log(
    'insns: instructions the last run of a sample executes in tsbpf; * the first run on a fresh object differs',
  );
  for (const row of rows) {
    if (row.tsbpfError) console.log(`tsbpf could not run ${row.object}/${row.program}: ${row.tsbpfError}`);
    if (row.kernelError) console.log(`kernel could not run ${row.object}/${row.program}: ${row.kernelError}`);
    if (row.retvalsAgree === false) {
      console.log(
        `!r0 ${row.object}/${row.program} on ${row.packet}: tsbpf returned ${row.tsbpf?.retval}, ` +
          `the kernel ${row.kernel?.retval}`,
      );
    }
  }

  const jsonPath = options.jsonPath ?? join(root, 'bench', 'results', 'latest.json');
  const document = {
    date: started.toISOString(),
    source,
    host: hostRecord(),
    tsbpf: { engine: 'interp', mode: 'as loaded: fast for verified programs' },
    kernel: kernel.available
      ? { available: true, version: kernel.kernel, possibleCpus: kernel.possibleCpus, ...jit }
      : { available: false, reason: kernel.reason, ...jit },
    settings: { quick: options.quick, sampleMs, samples, statistic: 'median' },
    packets: packets.map((p) => ({ name: p.name, bytes: p.data.length })),
    rows,
    summary,
  };
  console.log(`JSON: ${writeResultsJson(jsonPath, document)}`);
}

/** `test/progs/alu32.v3.o` → `alu32.v3`. */
function shortObject(objectPath: string): string {
  return objectPath.replace(/^.*\//, '').replace(/\.o$/, '');
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
