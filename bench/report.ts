// The benchmark's output: one row per program and packet, a table for people and the same data as JSON.

export interface BenchRow {
  readonly object: string;
  readonly program: string;
  readonly programType: string;
  readonly packet: string;
  readonly packetBytes: number;
  /** Runs per sample, the same for tsbpf and the kernel. */
  readonly repeat: number | null;
  /** Instructions the last run of a sample executes in tsbpf (where repeated runs settle). */
  readonly insnsExecuted: number | null;
  readonly insnsFirstRun: number | null;
  readonly tsbpf: {
    readonly nsPerRun: number;
    readonly nsPerInsn: number | null;
    readonly samplesNs: readonly number[];
    readonly retval: number;
  } | null;
  readonly kernel: {
    readonly nsPerRun: number;
    readonly samplesNs: readonly number[];
    readonly retval: number;
  } | null;
  /** tsbpf ns per run / kernel ns per run. */
  readonly ratio: number | null;
  /** Both sides' r0 after the same number of runs from a fresh object; null when one side is missing. */
  readonly retvalsAgree: boolean | null;
  readonly tsbpfError?: string;
  readonly kernelError?: string;
}

export interface BenchSummary {
  readonly rows: number;
  readonly geomeanTsbpfNsPerRun: number | null;
  readonly geomeanTsbpfNsPerInsn: number | null;
  readonly geomeanKernelNsPerRun: number | null;
  /** Over the rows that have both sides. */
  readonly geomeanRatio: number | null;
}

export function geometricMean(values: readonly number[]): number | null {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return null;
  return Math.exp(positive.reduce((sum, value) => sum + Math.log(value), 0) / positive.length);
}

export function summarise(rows: readonly BenchRow[]): BenchSummary {
  const present = <T>(values: (T | null | undefined)[]): T[] => values.filter((v): v is T => v != null);
  return {
    rows: rows.length,
    geomeanTsbpfNsPerRun: geometricMean(present(rows.map((r) => r.tsbpf?.nsPerRun))),
    geomeanTsbpfNsPerInsn: geometricMean(present(rows.map((r) => r.tsbpf?.nsPerInsn))),
    geomeanKernelNsPerRun: geometricMean(present(rows.map((r) => r.kernel?.nsPerRun))),
    geomeanRatio: geometricMean(present(rows.map((r) => r.ratio))),
  };
}

function fixed(value: number | null | undefined, digits: number): string {
  return value == null ? 'n/a' : value.toFixed(digits);
}

interface Column {
  readonly title: string;
  readonly width: number;
  readonly alignLeft?: boolean;
}

/** Prints rows as they are measured: column widths are fixed from the program and packet names up front. */
export class TablePrinter {
  private readonly columns: Column[];

  constructor(
    programNames: readonly string[],
    packetNames: readonly string[],
    private readonly write: (line: string) => void,
  ) {
    const widest = (names: readonly string[], title: string) =>
      Math.max(title.length, ...names.map((n) => n.length));
    this.columns = [
      {
        title: 'program',
        width: widest([...programNames, 'geometric mean (999)'], 'program'),
        alignLeft: true,
      },
      { title: 'packet', width: widest(packetNames, 'packet'), alignLeft: true },
      { title: 'insns', width: 7 },
      { title: 'tsbpf ns/run', width: 12 },
      { title: 'tsbpf ns/insn', width: 13 },
      { title: 'kernel ns/run', width: 13 },
      { title: 'tsbpf/kernel', width: 12 },
    ];
  }

  header(): void {
    this.line(this.columns.map((c) => c.title));
    this.write(this.columns.map((c) => '-'.repeat(c.width)).join('  '));
  }

  row(row: BenchRow): void {
    // `*`: the first run executes a different number of instructions (maps steer the program).
    const insns =
      row.insnsExecuted === null
        ? 'n/a'
        : `${row.insnsExecuted}${row.insnsFirstRun !== row.insnsExecuted ? '*' : ''}`;
    const retvalMark = row.retvalsAgree === false ? ' !r0' : '';
    this.line(
      [
        `${row.object}/${row.program}`,
        row.packet,
        insns,
        fixed(row.tsbpf?.nsPerRun, 0),
        fixed(row.tsbpf?.nsPerInsn, 2),
        fixed(row.kernel?.nsPerRun, 0),
        row.ratio === null ? 'n/a' : `${row.ratio.toFixed(1)}x`,
      ],
      retvalMark,
    );
  }

  summary(summary: BenchSummary): void {
    this.write(this.columns.map((c) => '-'.repeat(c.width)).join('  '));
    this.line([
      `geometric mean (${summary.rows})`,
      '',
      '',
      fixed(summary.geomeanTsbpfNsPerRun, 0),
      fixed(summary.geomeanTsbpfNsPerInsn, 2),
      fixed(summary.geomeanKernelNsPerRun, 0),
      summary.geomeanRatio === null ? 'n/a' : `${summary.geomeanRatio.toFixed(1)}x`,
    ]);
  }

  private line(cells: readonly string[], suffix = ''): void {
    const padded = cells.map((cell, i) => {
      const column = this.columns[i];
      return column.alignLeft ? cell.padEnd(column.width) : cell.padStart(column.width);
    });
    this.write(`${padded.join('  ')}${suffix}`.trimEnd());
  }
}
