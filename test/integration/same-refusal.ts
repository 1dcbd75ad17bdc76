// The verifier's verdict on one program of an object, in tsbpf and in the kernel, compared in the kernel's words:
// both accept it, or both refuse it with the same last log line, instruction and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import type { ObjectOpenOptions } from '../../src/api/object-handle.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import type { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

type Oracle = ReturnType<typeof requireOracle>;

/** tsbpf gives `program` of the object at `path` (opened with `open`) the kernel's verdict; returns the kernel's. */
export function expectSameVerdict(
  oracle: Oracle,
  path: string,
  program: string,
  open: ObjectOpenOptions = {},
): 'accepted' | 'rejected' {
  const kernel = oracle.runObject(path, { program, logLevel: 1 }).programs[0];
  let refusal: unknown;
  try {
    const name = path.slice(path.lastIndexOf('/') + 1);
    new Bpf().openObject(readFileSync(path), name, open).load({ programs: [program], logLevel: 1 });
  } catch (error) {
    refusal = error;
  }
  if (kernel.verdict === 'accepted') {
    expect(refusal).toBeUndefined();
    return 'accepted';
  }
  expect(refusal).toBeInstanceOf(ProgLoadError);
  const ours = refusal as ProgLoadError;
  expect({ ...errorLine(ours.log), errno: ours.errno }).toEqual({
    ...errorLine(kernel.log),
    errno: kernel.errno,
  });
  return 'rejected';
}

/** Both refuse `program` of the object at `path`: the same last log line, instruction and errno. */
export function expectSameRefusal(
  oracle: Oracle,
  path: string,
  program: string,
  open: ObjectOpenOptions = {},
): void {
  expect(expectSameVerdict(oracle, path, program, open)).toBe('rejected');
}
