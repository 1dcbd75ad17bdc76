// The verifier's max_ctx_offset: the end of the furthest context access on any verified path, loads and stores.
import { describe, expect, it } from 'vitest';
import { BPF_F_SLEEPABLE } from '../abi/program-types.js';
import { assembleInsns } from '../isa/assembler.js';
import { verifyProgram } from './index.js';

describe('max_ctx_offset', () => {
  it('is the end of the furthest context access, whichever branch makes it', () => {
    const insns = assembleInsns(`
      r2 = *(u64 *)(r1 + 8)
      if r2 == 0 goto +1
      r2 = *(u32 *)(r1 + 40)
      r0 = 0
      exit
    `);
    const result = verifyProgram({ programType: 'raw_tracepoint', insns });
    expect(result.accepted).toBe(true);
    expect(result.maxCtxOffset).toBe(44);
  });

  it('counts stores, and is 0 for a program that never touches its context', () => {
    const store = assembleInsns(`
      r2 = 1
      *(u16 *)(r1 + 100) = r2
      r0 = 0
      exit
    `);
    const written = verifyProgram({ programType: 'syscall', insns: store, progFlags: BPF_F_SLEEPABLE });
    expect(written.accepted).toBe(true);
    expect(written.maxCtxOffset).toBe(102);
    const untouched = verifyProgram({ programType: 'raw_tracepoint', insns: assembleInsns('r0 = 0\nexit') });
    expect(untouched.maxCtxOffset).toBe(0);
  });
});
