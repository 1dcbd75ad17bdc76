// Where the public eBPF conformance suite's vectors are: `../shared/bpf_conformance` beside the checkout, or
// TSBPF_CONFORMANCE_DIR. They are read from there, never copied into the repository.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './corpus.js';
import { type Requirement, requireEnvironment } from './require-environment.js';

/** The suite's folder (holding `tests/` and `negative/`), or why it is not there. */
function locateConformanceDir(): { dir: string; missing: string | null } {
  const dir = resolve(
    process.env['TSBPF_CONFORMANCE_DIR'] ?? join(REPO_ROOT, '..', 'shared', 'bpf_conformance'),
  );
  const missing = existsSync(join(dir, 'tests'))
    ? null
    : `conformance vectors not found at ${dir} (place them beside the checkout as ../shared/bpf_conformance or set TSBPF_CONFORMANCE_DIR)`;
  return { dir, missing };
}

/**
 * For tests that read the vectors: `dir` and a gate whose `describe`/`it` skip after one loud line where the
 * vectors are missing (a clone with nothing beside it), and that fails under CI=true.
 */
export function requireConformanceVectors(): Requirement & { dir: string } {
  const { dir, missing } = locateConformanceDir();
  return { ...requireEnvironment('conformance suite tests', missing), dir };
}
