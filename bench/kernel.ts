// The kernel's side of the benchmark: BPF_PROG_TEST_RUN durations through the oracle binary (test/oracle), and
// whether the kernel ran its JIT. Calls the binary directly: test/oracle/oracle.ts finds it relative to its own
// file, which is wrong once compiled into build/, and it imports vitest.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OracleObjectResult } from '../test/oracle/oracle.js';

/** Oracle exit status when bpf() itself is refused (test/oracle/README.md). */
const ORACLE_EXIT_UNAVAILABLE = 3;

export type KernelAvailability =
  | { readonly available: true; readonly kernel: string; readonly possibleCpus: number }
  | { readonly available: false; readonly reason: string };

export interface KernelJitState {
  /** /proc/sys/net/core/bpf_jit_enable, or null when unreadable. */
  readonly bpfJitEnable: number | null;
  /** What test-run executed: the JIT's native code or the kernel's own interpreter. */
  readonly engine: 'jit' | 'interpreter' | 'unknown';
}

export interface KernelTiming {
  readonly nsPerRun: number;
  readonly samplesNs: readonly number[];
  readonly retval: number;
}

/** Read only: the benchmark never changes the sysctl. */
export function kernelJitState(): KernelJitState {
  try {
    const value = Number.parseInt(readFileSync('/proc/sys/net/core/bpf_jit_enable', 'utf8').trim(), 10);
    if (Number.isNaN(value)) return { bpfJitEnable: null, engine: 'unknown' };
    return { bpfJitEnable: value, engine: value === 0 ? 'interpreter' : 'jit' };
  } catch {
    return { bpfJitEnable: null, engine: 'unknown' };
  }
}

function mtimeMs(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

export class KernelBench {
  private readonly oracleDir: string;
  private readonly binary: string;

  constructor(root: string) {
    this.oracleDir = join(root, 'test', 'oracle');
    this.binary = join(this.oracleDir, 'build', 'oracle');
  }

  /** Builds the oracle when missing or older than oracle.c (as oracle.ts does), then probes bpf(). */
  availability(): KernelAvailability {
    try {
      this.build();
      const probe = this.oracle(['probe']) as { kernel: string; possibleCpus: number };
      return { available: true, kernel: probe.kernel, possibleCpus: probe.possibleCpus };
    } catch (error) {
      return { available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * `oracle object` on a freshly loaded object per sample, test-running `program` `repeat` times; the median of
   * the kernel's mean ns per run. Throws with the kernel's errno when the load or the test run failed.
   */
  time(objectPath: string, program: string, data: Uint8Array, repeat: number, samples: number): KernelTiming {
    const dir = mkdtempSync(join(tmpdir(), 'tsbpf-bench-'));
    try {
      const dataFile = join(dir, 'data.bin');
      writeFileSync(dataFile, data);
      const samplesNs: number[] = [];
      let retval = 0;
      for (let i = 0; i < samples; i++) {
        const result = this.oracle([
          'object',
          objectPath,
          '--program',
          program,
          '--log-level',
          '0',
          '--data',
          dataFile,
          '--repeat',
          String(repeat),
        ]) as OracleObjectResult;
        const report = result.programs.find((p) => p.name === program);
        if (result.openError !== null) throw new Error(`libbpf cannot open: ${result.openError.message}`);
        if (report === undefined) throw new Error(`the oracle did not report program ${program}`);
        if (report.verdict !== 'accepted') throw new Error(`the kernel rejected it (errno ${report.errno})`);
        if (report.testRun === null) throw new Error('the oracle did not test-run it');
        if (report.testRun.errno !== 0) throw new Error(`test run failed with errno ${report.testRun.errno}`);
        samplesNs.push(report.testRun.durationNs);
        retval = report.testRun.retval;
      }
      const sorted = [...samplesNs].sort((a, b) => a - b);
      const middle = sorted.length >> 1;
      const nsPerRun = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
      return { nsPerRun, samplesNs, retval };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private build(): void {
    const source = join(this.oracleDir, 'oracle.c');
    const sourceTime = mtimeMs(source);
    if (sourceTime === null) throw new Error(`missing ${source}`);
    const builtTime = mtimeMs(this.binary);
    if (builtTime !== null && builtTime >= sourceTime) return;
    const partial = `${this.binary}.${process.pid}.partial`;
    const result = spawnSync('sh', [join(this.oracleDir, 'build.sh'), partial], { encoding: 'utf8' });
    if (result.status !== 0) {
      rmSync(partial, { force: true });
      throw new Error(`building the oracle failed: ${result.error?.message ?? result.stderr.trim()}`);
    }
    renameSync(partial, this.binary);
  }

  private oracle(args: readonly string[]): unknown {
    const result = spawnSync(this.binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new Error(`running the oracle failed: ${result.error.message}`);
    let parsed: { unavailable?: string; error?: string };
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      throw new Error(`the oracle printed no JSON (exit ${result.status}): ${result.stderr.trim()}`);
    }
    if (result.status === ORACLE_EXIT_UNAVAILABLE) throw new Error(parsed.unavailable ?? 'bpf() unavailable');
    if (result.status !== 0) throw new Error(parsed.error ?? `the oracle exited ${result.status}`);
    return parsed;
  }
}
