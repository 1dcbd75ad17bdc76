// What every benchmark records about the machine, and how its JSON is written (a path relative to the
// working directory, folders created).

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

/** Writes the document as indented JSON; returns the absolute path written. */
export function writeResultsJson(jsonPath: string, document: unknown): string {
  const resolved = isAbsolute(jsonPath) ? jsonPath : resolve(process.cwd(), jsonPath);
  mkdirSync(dirname(resolved), { recursive: true });
  writeFileSync(resolved, `${JSON.stringify(document, null, 2)}\n`);
  return resolved;
}
