// Where the public eBPF conformance suite's vectors are: `../shared/bpf_conformance` beside the checkout, or
// TSBPF_CONFORMANCE_DIR. They are read from there, never copied into the repository.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './corpus.js';

/** The suite's folder (holding `tests/` and `negative/`); throws with what to do when it is missing. */
export function conformanceDir(): string {
  const dir = resolve(
    process.env['TSBPF_CONFORMANCE_DIR'] ?? join(REPO_ROOT, '..', 'shared', 'bpf_conformance'),
  );
  if (!existsSync(join(dir, 'tests'))) {
    throw new Error(
      `conformance vectors not found at ${dir}: place the shared data beside the checkout ` +
        `(../shared/bpf_conformance) or set TSBPF_CONFORMANCE_DIR`,
    );
  }
  return dir;
}
