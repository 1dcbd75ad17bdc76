// The errno a Bpf call refuses with, for tests of the bpf()-style API's refusals.

import { expect } from 'vitest';
import { BpfError } from '../../src/api/bpf-error.js';

/** The errno of the BpfError `action` throws; a test failure when it throws something else or nothing. */
export function errnoOf(action: () => unknown): number {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(BpfError);
    return (error as BpfError).errno;
  }
  throw new Error('expected a BpfError');
}
