// The kernel's side of the benchmark: BPF_PROG_TEST_RUN durations through the kernel oracle (test/oracle), and
// whether the kernel ran its JIT.

import { readFileSync } from 'node:fs';
import { oracleAvailability, runOracleObject } from '../test/oracle/oracle.js';

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

/** The kernel side through the oracle wrapper (test/oracle/oracle.ts): availability, then timed test-runs. */
export class KernelBench {
  /** Builds the oracle when missing or older than oracle.c, then probes bpf(). */
  availability(): KernelAvailability {
    const state = oracleAvailability();
    return state.available
      ? { available: true, kernel: state.kernel, possibleCpus: state.possibleCpus }
      : { available: false, reason: state.reason };
  }

  /**
   * `oracle object` on a freshly loaded object per sample, test-running `program` `repeat` times; the median of
   * the kernel's mean ns per run. Throws with the kernel's errno when the load or the test run failed.
   */
  time(objectPath: string, program: string, data: Uint8Array, repeat: number, samples: number): KernelTiming {
    const samplesNs: number[] = [];
    let retval = 0;
    for (let i = 0; i < samples; i++) {
      const result = runOracleObject(objectPath, { program, logLevel: 0, data, repeat });
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
  }
}
