// The gate of tests that need something from outside the repository (shared data beside the checkout, a tool,
// the running kernel's BTF): where it is missing they skip after ONE loud line; under CI=true that is a failure.

import { describe, it } from 'vitest';

export interface Requirement {
  readonly available: boolean;
  /** Why it is missing; null when available. */
  readonly missing: string | null;
  readonly describe: ReturnType<typeof describe.skipIf>;
  readonly it: ReturnType<typeof it.skipIf>;
}

const announced = new Set<string>();

function announceOnce(line: string): void {
  if (announced.has(line)) return;
  announced.add(line);
  console.warn(line);
}

/** `what` names the tests gated; `missing` is why they cannot run here (null: they can). */
export function requireEnvironment(
  what: string,
  missing: string | null,
  env: Record<string, string | undefined> = process.env,
  announce: (line: string) => void = announceOnce,
): Requirement {
  if (missing !== null) {
    const line = `SKIPPED: ${what}: ${missing}`;
    if (env['CI'] === 'true') throw new Error(`${line} (not allowed when CI=true)`);
    announce(line);
  }
  return {
    available: missing === null,
    missing,
    describe: describe.skipIf(missing !== null),
    it: it.skipIf(missing !== null),
  };
}
