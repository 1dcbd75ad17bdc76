// The verifier benchmark's workload: every program of the corpus, the big verifier cases and synthetic programs
// that make the verifier process about a million instructions; each verified by tsbpf and by the kernel.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Bpf } from '../src/api/bpf.js';
import { ProgLoadError } from '../src/api/bpf-error.js';
import { assembleInsns } from '../src/isa/assembler.js';
import { programTypeForSection } from '../src/object/section-names.js';
import { runOracleInsns, runOracleObject } from '../test/oracle/oracle.js';
import { loadCaseFiles, loadInTsbpf, oracleOptions, type VerifierCase } from '../test/verifier/cases.js';

/** BPF_LOG_STATS alone: the log holds only the statistics, so printing costs neither side anything. */
const STATS_LOG_LEVEL = 4;

/** One verification of one program, as its log's statistics lines tell it. */
export interface Verification {
  readonly program: string;
  readonly accepted: boolean;
  /** `processed N insns`; null when the log has no such line. */
  readonly processedInsns: number | null;
  /** `verification time N usec`. */
  readonly verificationUs: number | null;
}

export type WorkloadGroup = 'corpus' | 'case' | 'synthetic';

/** A unit loaded as a whole: an object (all its programs) or one program given as instructions. */
export interface Workload {
  /** `progs/alu32.v3.o`, `case loops/loop_bound_from_ctx_unknown`, `synthetic/loop_below_limit`. */
  readonly name: string;
  readonly group: WorkloadGroup;
  /** Program name → program type, in load order. */
  readonly programs: ReadonlyMap<string, string>;
  /** One load through tsbpf's BPF_PROG_LOAD path; one Verification per program. */
  tsbpf(): Verification[];
  /** One load through the kernel oracle; one Verification per program. */
  kernel(): Verification[];
}

/** Parses the statistics lines both verifiers print at log level 4. */
export function statistics(log: string): { processedInsns: number | null; verificationUs: number | null } {
  const processed = /^processed (\d+) insns/m.exec(log);
  const time = /^verification time (\d+) usec/m.exec(log);
  return {
    processedInsns: processed ? Number(processed[1]) : null,
    verificationUs: time ? Number(time[1]) : null,
  };
}

function verification(program: string, accepted: boolean, log: string): Verification {
  return { program, accepted, ...statistics(log) };
}

// ---------------------------------------------------------------- corpus objects

/** `test/progs/*.o` in name order, then the linked `test/link/all.o`, as the verifier corpus test takes them. */
export function corpusWorkloads(root: string): Workload[] {
  const progs = join(root, 'test', 'progs');
  const paths = readdirSync(progs)
    .filter((name) => name.endsWith('.o'))
    .sort()
    .map((name) => join(progs, name));
  paths.push(join(root, 'test', 'link', 'all.o'));
  return paths.map((path) => objectWorkload(root, path));
}

function objectWorkload(root: string, path: string): Workload {
  const bytes = new Uint8Array(readFileSync(path));
  const name = relative(join(root, 'test'), path);
  const programs = new Map<string, string>();
  for (const entry of new Bpf().openObject(bytes, name).object.functions) {
    if (entry.isProgram) programs.set(entry.name, programTypeForSection(entry.section)?.programType ?? '?');
  }
  return {
    name,
    group: 'corpus',
    programs,
    tsbpf() {
      const loaded = new Bpf().openObject(bytes, name).load({ logLevel: STATS_LOG_LEVEL, onRefusal: 'warn' });
      return [...programs.keys()].map((program) => {
        try {
          const handle = loaded.program(program).handle;
          return verification(program, handle.verification?.accepted ?? false, handle.log);
        } catch {
          // Refused: the object load kept the refusal as a warning without its log.
          return { program, accepted: false, processedInsns: null, verificationUs: null };
        }
      });
    },
    kernel() {
      const result = runOracleObject(path, { logLevel: STATS_LOG_LEVEL });
      if (result.openError !== null)
        throw new Error(`libbpf cannot open ${name}: ${result.openError.message}`);
      return result.programs.map((p) => verification(p.name, p.verdict === 'accepted', p.log));
    },
  };
}

// ---------------------------------------------------------------- verifier cases

/**
 * The verifier cases whose verification processes at least `minInsns` instructions in tsbpf (the suite is mostly
 * tiny programs whose times are all overhead). Cases tsbpf cannot load at all (a map type it lacks) are left out.
 */
export function bigCaseWorkloads(root: string, minInsns: number): Workload[] {
  const workloads: Workload[] = [];
  for (const file of loadCaseFiles(join(root, 'test', 'verifier', 'cases'))) {
    for (const c of file.cases) {
      let processed: number | null;
      try {
        processed = statistics(loadInTsbpf(c, STATS_LOG_LEVEL).log).processedInsns;
      } catch {
        continue;
      }
      if (processed !== null && processed >= minInsns) workloads.push(caseWorkload(file.topic, c));
    }
  }
  return workloads;
}

function caseWorkload(topic: string, c: VerifierCase): Workload {
  return {
    name: `case ${topic}/${c.name}`,
    group: 'case',
    programs: new Map([[c.name, c.type]]),
    tsbpf() {
      const outcome = loadInTsbpf(c, STATS_LOG_LEVEL);
      return [verification(c.name, outcome.expect === 'accept', outcome.log)];
    },
    kernel() {
      const result = runOracleInsns({ ...oracleOptions(c), logLevel: STATS_LOG_LEVEL });
      return [verification(c.name, result.verdict === 'accepted', result.log)];
    },
  };
}

// ---------------------------------------------------------------- synthetic programs

/**
 * A loop of ten scalar instructions (masks, adds, shifts, xors on a value from the packet length and on the
 * counter) run `iterations` times: no state can prune another (the counter differs), so the verifier processes
 * 10 × iterations + 5 instructions, on both sides. The kernel accepts it below the 1M limit and refuses it above.
 */
export function scalarLoopSource(iterations: number): string {
  return [
    'r6 = *(u32 *)(r1 + 0)',
    'r7 = 0',
    'r8 = 0',
    'l:',
    'r2 = r6',
    'r2 &= 0xff',
    'r2 += r7',
    'r3 = r2',
    'r3 <<= 2',
    'r3 ^= r8',
    'r8 = r3',
    'r8 &= 0xffff',
    'r7 += 1',
    `if r7 < ${iterations} goto l`,
    'r0 = 0',
    'exit',
  ].join('\n');
}

/** 999,905 processed instructions (accepted), and a version the limit stops at 1,000,001 (E2BIG). */
export const SYNTHETIC_LOOPS: readonly { readonly name: string; readonly iterations: number }[] = [
  { name: 'scalar_loop_below_limit', iterations: 99_990 },
  { name: 'scalar_loop_above_limit', iterations: 200_000 },
];

export function syntheticWorkloads(): Workload[] {
  return SYNTHETIC_LOOPS.map(({ name, iterations }) => {
    const insns = assembleInsns(scalarLoopSource(iterations), { fileName: name });
    return {
      name: `synthetic/${name}`,
      group: 'synthetic',
      programs: new Map([[name, 'socket_filter']]),
      tsbpf() {
        try {
          const handle = new Bpf().progLoad({ type: 'socket_filter', insns, logLevel: STATS_LOG_LEVEL });
          return [verification(name, true, handle.log)];
        } catch (error) {
          if (!(error instanceof ProgLoadError)) throw error;
          return [verification(name, false, error.log)];
        }
      },
      kernel() {
        const result = runOracleInsns({ type: 'socket_filter', insns, logLevel: STATS_LOG_LEVEL });
        return [verification(name, result.verdict === 'accepted', result.log)];
      },
    };
  });
}
