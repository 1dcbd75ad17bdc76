// The gate of kernel comparisons in tests: skip with one loud line where bpf() is refused, fail under CI=true.

import { describe, it } from 'vitest';
import {
  type OracleAvailability,
  OracleUnavailableError,
  oracleAvailability,
  runOracleInsns,
  runOracleInsnsBatch,
  runOracleIp,
  runOracleMapOps,
  runOracleObject,
} from './oracle.js';

/** What a test file gets from requireOracle(): test functions that skip when the kernel is unavailable. */
export interface RequiredOracle {
  available: boolean;
  reason: string | null;
  describe: ReturnType<typeof describe.skipIf>;
  it: ReturnType<typeof it.skipIf>;
  runInsns: typeof runOracleInsns;
  runInsnsBatch: typeof runOracleInsnsBatch;
  runObject: typeof runOracleObject;
  runMapOps: typeof runOracleMapOps;
  runIp: typeof runOracleIp;
}

let announcedUnavailable = false;

function announceOnce(line: string): void {
  if (!announcedUnavailable) console.warn(line);
  announcedUnavailable = true;
}

/**
 * For test files that compare with the kernel: `const oracle = requireOracle(); oracle.it('...', ...)`.
 * When the oracle is unavailable the tests are skipped after ONE loud line, except under CI=true where
 * that is a failure: CI must compare with the kernel.
 */
export function requireOracle(): RequiredOracle {
  return gateOracle(oracleAvailability(), process.env);
}

/** requireOracle() for a given availability and environment (separate so the skip path is testable). */
export function gateOracle(
  state: OracleAvailability,
  env: Record<string, string | undefined>,
  announce: (line: string) => void = announceOnce,
): RequiredOracle {
  const reason = state.available ? null : state.reason;
  if (reason !== null) {
    const line = `ORACLE UNAVAILABLE: ${reason}; kernel comparisons skipped`;
    if (env['CI'] === 'true')
      throw new OracleUnavailableError(`${line} (not allowed when CI=true)`, null, [], '');
    announce(line);
  }
  return {
    available: reason === null,
    reason,
    describe: describe.skipIf(reason !== null),
    it: it.skipIf(reason !== null),
    runInsns: runOracleInsns,
    runInsnsBatch: runOracleInsnsBatch,
    runObject: runOracleObject,
    runMapOps: runOracleMapOps,
    runIp: runOracleIp,
  };
}
