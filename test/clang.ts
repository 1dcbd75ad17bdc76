// Compiling BPF C at test time with the project's flags (clang-14 -O2 -g -target bpf), for tests that need an
// object the corpus does not have.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The flags every BPF object of the project is built with (scripts/build-progs.sh adds reproducibility flags). */
export const BPF_CFLAGS: readonly string[] = [
  '-O2',
  '-g',
  '-target',
  'bpf',
  '-I/usr/include/x86_64-linux-gnu',
];

export interface CompileOptions {
  /** Without -g: no .BTF, no .BTF.ext, no DWARF. */
  debug?: boolean;
  /** More flags, e.g. ['-mcpu=v3']. */
  flags?: readonly string[];
}

/** Writes `<dir>/<name>.c`, compiles it to `<dir>/<name>.o` and returns the object's path. */
export function compileBpf(dir: string, name: string, source: string, options: CompileOptions = {}): string {
  const sourcePath = join(dir, `${name}.c`);
  const objectPath = join(dir, `${name}.o`);
  writeFileSync(sourcePath, source);
  const flags = options.debug === false ? BPF_CFLAGS.filter((flag) => flag !== '-g') : BPF_CFLAGS;
  execFileSync('clang-14', [...flags, ...(options.flags ?? []), '-c', sourcePath, '-o', objectPath]);
  return objectPath;
}
