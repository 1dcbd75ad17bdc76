// The committed corpus of BPF objects (test/progs/*.o) as tests iterate it.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROGS_DIR = join(REPO_ROOT, 'test', 'progs');

export interface CorpusObject {
  /** Path relative to the repository root, as tools print it. */
  path: string;
  absolutePath: string;
  bytes: Uint8Array;
}

/** Every committed corpus object, sorted by name. */
export function corpusObjects(): CorpusObject[] {
  return readdirSync(PROGS_DIR)
    .filter((name) => name.endsWith('.o'))
    .sort()
    .map((name) => {
      const absolutePath = join(PROGS_DIR, name);
      return {
        path: relative(REPO_ROOT, absolutePath),
        absolutePath,
        bytes: new Uint8Array(readFileSync(absolutePath)),
      };
    });
}
