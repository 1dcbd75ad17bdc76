// The benchmark suite's output: one row per case with the interpreter, the JIT and the kernel side by side, and
// geometric means per group; the same data goes to JSON.

import { geometricMean } from './report.js';
import { GROUP_TITLES, type SuiteGroup } from './suite-workload.js';

/** One tsbpf engine's measurements of a case. */
export interface EngineMeasurement {
  /** Median over the samples of the mean ns per run that testRun reports. */
  readonly nsPerRun: number;
  readonly samplesNs: readonly number[];
  readonly retval: number;
  /** Runs per sample, calibrated for this engine. */
  readonly repeat: number;
  /** Median time of Engine.prepare for the program (the JIT's compile time), and every sample. */
  readonly prepareNs: number;
  readonly prepareSamplesNs: readonly number[];
}

export interface KernelMeasurement {
  readonly nsPerRun: number;
  readonly samplesNs: readonly number[];
  readonly retval: number;
  readonly repeat: number;
}

export interface SuiteRow {
  readonly name: string;
  readonly group: SuiteGroup;
  readonly object: string;
  readonly program: string;
  readonly packet: string;
  readonly packetBytes: number;
  /** Instructions the last run of a sample executes (the interpreter counts them; every engine runs the same). */
  readonly insnsExecuted: number | null;
  readonly insnsFirstRun: number | null;
  readonly interp: EngineMeasurement | null;
  readonly jit: EngineMeasurement | null;
  readonly kernel: KernelMeasurement | null;
  /** interp ns/run ÷ kernel ns/run, jit ns/run ÷ kernel ns/run. */
  readonly interpRatio: number | null;
  readonly jitRatio: number | null;
  /** Whether every engine that ran returned the kernel's r0 (null without the kernel). */
  readonly retvalsAgree: boolean | null;
  /** Why a side has no numbers. */
  readonly errors: readonly string[];
}

export interface GroupSummary {
  readonly group: SuiteGroup;
  readonly title: string;
  readonly rows: number;
  readonly interpNsPerRun: number | null;
  readonly jitNsPerRun: number | null;
  readonly kernelNsPerRun: number | null;
  readonly interpRatio: number | null;
  readonly jitRatio: number | null;
}

export function ratio(ours: { nsPerRun: number } | null, kernel: { nsPerRun: number } | null): number | null {
  return ours !== null && kernel !== null && kernel.nsPerRun > 0 ? ours.nsPerRun / kernel.nsPerRun : null;
}

/** Geometric means per group, over the rows that have the value. */
export function summariseGroups(rows: readonly SuiteRow[]): GroupSummary[] {
  const groups = Object.keys(GROUP_TITLES) as SuiteGroup[];
  const mean = (values: (number | null | undefined)[]) =>
    geometricMean(values.filter((v): v is number => v != null));
  return groups
    .map((group) => {
      const members = rows.filter((row) => row.group === group);
      return {
        group,
        title: GROUP_TITLES[group],
        rows: members.length,
        interpNsPerRun: mean(members.map((r) => r.interp?.nsPerRun)),
        jitNsPerRun: mean(members.map((r) => r.jit?.nsPerRun)),
        kernelNsPerRun: mean(members.map((r) => r.kernel?.nsPerRun)),
        interpRatio: mean(members.map((r) => r.interpRatio)),
        jitRatio: mean(members.map((r) => r.jitRatio)),
      };
    })
    .filter((summary) => summary.rows > 0);
}

const COLUMNS: readonly { title: string; width: number; left?: boolean }[] = [
  { title: 'case', width: 22, left: true },
  { title: 'packet', width: 14, left: true },
  { title: 'insns', width: 6 },
  { title: 'interp ns/run', width: 13 },
  { title: 'jit ns/run', width: 10 },
  { title: 'kernel ns/run', width: 13 },
  { title: 'interp/kernel', width: 13 },
  { title: 'jit/kernel', width: 10 },
  { title: 'interp prep µs', width: 14 },
  { title: 'jit prep µs', width: 11 },
];

const number = (value: number | null | undefined, digits = 0): string =>
  value == null ? 'n/a' : value.toFixed(digits);
const times = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(2)}x`);

function line(cells: readonly string[], suffix = ''): string {
  const padded = cells.map((cell, i) =>
    COLUMNS[i].left ? cell.padEnd(COLUMNS[i].width) : cell.padStart(COLUMNS[i].width),
  );
  return `${padded.join('  ')}${suffix}`.trimEnd();
}

const rule = (): string => COLUMNS.map((c) => '-'.repeat(c.width)).join('  ');

/** The table: header, one line per row (`*`: the first run took another path; `!r0`: r0 differed from the kernel's). */
export function tableLines(rows: readonly SuiteRow[], groups: readonly GroupSummary[]): string[] {
  const lines = [line(COLUMNS.map((c) => c.title)), rule()];
  for (const row of rows) {
    const insns =
      row.insnsExecuted === null
        ? 'n/a'
        : `${row.insnsExecuted}${row.insnsFirstRun !== row.insnsExecuted ? '*' : ''}`;
    lines.push(
      line(
        [
          row.name,
          row.packet,
          insns,
          number(row.interp?.nsPerRun),
          number(row.jit?.nsPerRun),
          number(row.kernel?.nsPerRun),
          times(row.interpRatio),
          times(row.jitRatio),
          number(row.interp === null ? null : row.interp.prepareNs / 1000, 1),
          number(row.jit === null ? null : row.jit.prepareNs / 1000, 1),
        ],
        row.retvalsAgree === false ? ' !r0' : '',
      ),
    );
  }
  lines.push(rule());
  for (const group of groups) {
    lines.push(
      line([
        `geomean ${group.group} (${group.rows})`,
        '',
        '',
        number(group.interpNsPerRun),
        number(group.jitNsPerRun),
        number(group.kernelNsPerRun),
        times(group.interpRatio),
        times(group.jitRatio),
      ]),
    );
  }
  return lines;
}
