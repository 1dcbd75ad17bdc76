// File access for the CLI: reads and writes whole files, turning OS errors into InputError lines.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InputError } from './cli-error.js';

export function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : code}`);
  }
}

export function readText(path: string): string {
  return new TextDecoder().decode(readInput(path));
}

/** Writes through a temporary file and a rename, so a failed run never leaves half an output behind. */
export function writeOutput(path: string, bytes: Uint8Array | string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`cannot write '${path}': ${code}`);
  }
}
