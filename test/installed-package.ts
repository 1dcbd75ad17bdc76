// Test tooling: the package as `npm install` lays it out (package.json, bin/, dist/ freshly built from src/)
// in a node_modules/tsbpf of a temporary directory, so tests run what users run.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus.js';

export const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Builds the package into `<dir>/node_modules/tsbpf` and returns that path; throws with tsc's output on failure. */
export function installPackage(dir: string): string {
  const installed = join(dir, 'node_modules', 'tsbpf');
  mkdirSync(join(installed, 'bin'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'));
  copyFileSync(join(REPO_ROOT, 'bin', 'tsbpf.js'), join(installed, 'bin', 'tsbpf.js'));
  const build = spawnSync(
    process.execPath,
    [TSC, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')],
    { encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`building the package failed: ${build.stdout}${build.stderr}`);
  return installed;
}
