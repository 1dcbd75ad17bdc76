// The verifier benchmark's output: one row per program, a corpus total, as a table for people and as JSON.

import type { WorkloadGroup } from './verifier-workload.js';

/** One side's verification of one program: the median time over the runs, with every sample. */
export interface SideResult {
  readonly accepted: boolean;
  readonly processedInsns: number | null;
  /** Median of the runs' `verification time` in microseconds. */
  readonly verificationUs: number | null;
  readonly samplesUs: readonly number[];
  readonly nsPerInsn: number | null;
}

export interface VerifierBenchRow {
  readonly workload: string;
  readonly group: WorkloadGroup;
  readonly program: string;
  readonly programType: string;
  readonly tsbpf: SideResult | null;
  readonly kernel: SideResult | null;
  /** tsbpf's verification time / the kernel's. */
  readonly ratio: number | null;
  readonly tsbpfError?: string;
  readonly kernelError?: string;
}

export interface VerifierBenchTotal {
  readonly programs: number;
  readonly tsbpfProcessedInsns: number;
  readonly tsbpfUs: number;
  readonly tsbpfNsPerInsn: number | null;
  /** Over the programs the kernel also verified; null when it verified none. */
  readonly kernelProcessedInsns: number | null;
  readonly kernelUs: number | null;
  readonly kernelNsPerInsn: number | null;
  readonly ratio: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function nsPerInsn(us: number | null, insns: number | null): number | null {
  return us === null || insns === null || insns === 0 ? null : (us * 1000) / insns;
}

/** Sums over the corpus rows: tsbpf over every row it timed, the kernel over the rows it timed too. */
export function corpusTotal(rows: readonly VerifierBenchRow[]): VerifierBenchTotal {
  const corpus = rows.filter((row) => row.group === 'corpus');
  let tsbpfInsns = 0;
  let tsbpfUs = 0;
  let kernelInsns = 0;
  let kernelUs = 0;
  let bothTsbpfUs = 0;
  let kernelRows = 0;
  for (const row of corpus) {
    const ours = row.tsbpf;
    if (ours?.verificationUs == null || ours.processedInsns === null) continue;
    tsbpfInsns += ours.processedInsns;
    tsbpfUs += ours.verificationUs;
    const theirs = row.kernel;
    if (theirs?.verificationUs == null || theirs.processedInsns === null) continue;
    kernelInsns += theirs.processedInsns;
    kernelUs += theirs.verificationUs;
    bothTsbpfUs += ours.verificationUs;
    kernelRows++;
  }
  return {
    programs: corpus.length,
    tsbpfProcessedInsns: tsbpfInsns,
    tsbpfUs,
    tsbpfNsPerInsn: nsPerInsn(tsbpfUs, tsbpfInsns),
    kernelProcessedInsns: kernelRows > 0 ? kernelInsns : null,
    kernelUs: kernelRows > 0 ? kernelUs : null,
    kernelNsPerInsn: kernelRows > 0 ? nsPerInsn(kernelUs, kernelInsns) : null,
    ratio: kernelRows > 0 && kernelUs > 0 ? bothTsbpfUs / kernelUs : null,
  };
}

interface Column {
  readonly title: string;
  readonly width: number;
  readonly alignLeft?: boolean;
}

function fixed(value: number | null | undefined, digits: number): string {
  return value == null ? 'n/a' : value.toFixed(digits);
}

function ms(us: number | null | undefined): string {
  return us == null ? 'n/a' : (us / 1000).toFixed(us >= 100_000 ? 0 : 2);
}

function verdict(side: SideResult | null): string {
  return side === null ? 'n/a' : side.accepted ? 'ok' : 'refused';
}

/** Prints rows as they are measured: the program column is as wide as the longest name known up front. */
export class VerifierTablePrinter {
  private readonly columns: Column[];

  constructor(
    names: readonly string[],
    private readonly write: (line: string) => void,
  ) {
    const width = Math.max(
      'program'.length,
      'corpus total (99 programs)'.length,
      ...names.map((n) => n.length),
    );
    this.columns = [
      { title: 'program', width, alignLeft: true },
      { title: 'type', width: 16, alignLeft: true },
      { title: 'verdict', width: 10, alignLeft: true },
      { title: 'insns', width: 8 },
      { title: 'kernel insns', width: 12 },
      { title: 'tsbpf ms', width: 9 },
      { title: 'tsbpf ns/insn', width: 13 },
      { title: 'kernel ms', width: 9 },
      { title: 'kernel ns/insn', width: 14 },
      { title: 'tsbpf/kernel', width: 12 },
    ];
  }

  header(): void {
    this.line(this.columns.map((c) => c.title));
    this.rule();
  }

  row(row: VerifierBenchRow): void {
    // Both verdicts when they differ (`ok/refused`: tsbpf accepted, the kernel refused).
    const ours = verdict(row.tsbpf);
    const theirs = verdict(row.kernel);
    this.line([
      `${row.workload}${row.group === 'corpus' ? `/${row.program}` : ''}`,
      row.programType,
      ours === theirs || row.kernel === null ? ours : `${ours}/${theirs}`,
      fixed(row.tsbpf?.processedInsns, 0),
      fixed(row.kernel?.processedInsns, 0),
      ms(row.tsbpf?.verificationUs),
      fixed(row.tsbpf?.nsPerInsn, 0),
      ms(row.kernel?.verificationUs),
      fixed(row.kernel?.nsPerInsn, 0),
      row.ratio === null ? 'n/a' : `${row.ratio.toFixed(1)}x`,
    ]);
  }

  total(total: VerifierBenchTotal): void {
    this.rule();
    this.line([
      `corpus total (${total.programs} programs)`,
      '',
      '',
      String(total.tsbpfProcessedInsns),
      fixed(total.kernelProcessedInsns, 0),
      ms(total.tsbpfUs),
      fixed(total.tsbpfNsPerInsn, 0),
      ms(total.kernelUs),
      fixed(total.kernelNsPerInsn, 0),
      total.ratio === null ? 'n/a' : `${total.ratio.toFixed(1)}x`,
    ]);
    this.rule();
  }

  private rule(): void {
    this.write(this.columns.map((c) => '-'.repeat(c.width)).join('  '));
  }

  private line(cells: readonly string[]): void {
    const padded = cells.map((cell, i) => {
      const column = this.columns[i];
      return column.alignLeft ? cell.padEnd(column.width) : cell.padStart(column.width);
    });
    this.write(padded.join('  ').trimEnd());
  }
}
