// What every benchmark says about the machine and the commit it measured, and how its JSON is written (a path
// relative to the working directory, folders created).

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus as hostCpus, loadavg, release } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The machine and its load when the benchmark started. */
export function hostRecord(): Record<string, unknown> {
  return {
    node: process.version,
    cpu: hostCpus()[0]?.model ?? null,
    cpus: hostCpus().length,
    loadAverageAtStart: loadavg(),
    kernelRelease: release(),
  };
}

/** The first line of a benchmark's output: what ran, when, on which commit, Node and CPU. */
export function titleLine(
  title: string,
  started: Date,
  source: { commit: string | null; dirty: boolean | null },
): string {
  return (
    `${title}, ${started.toISOString()}, commit ${source.commit?.slice(0, 12) ?? '?'}` +
    `${source.dirty ? ' (src/ modified)' : ''}, node ${process.version}, ${hostCpus()[0]?.model ?? 'cpu?'}`
  );
}

/** Other processes skew the timings; the load average says how busy the machine was. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} on ${hostCpus().length} CPU(s)`;
}

/** Writes the document as indented JSON; returns the absolute path written. */
export function writeResultsJson(jsonPath: string, document: unknown): string {
  const resolved = isAbsolute(jsonPath) ? jsonPath : resolve(process.cwd(), jsonPath);
  mkdirSync(dirname(resolved), { recursive: true });
  writeFileSync(resolved, `${JSON.stringify(document, null, 2)}\n`);
  return resolved;
}
