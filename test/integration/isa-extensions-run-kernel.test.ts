// Test-runs of programs using may_goto, load-acquire and store-release, against the kernel's BPF_PROG_TEST_RUN:
// the values they load and store, and the result of loops that leave only through an exhausted may_goto. The
// kernel's JIT renews the budget until 250 ms have passed, tsbpf counts BPF_MAX_LOOPS passes, so the programs
// return what does not depend on how many passes were made.

import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

/** Folds r0's high half into its low half, so that the 32-bit retval depends on all 64 bits. */
const FOLD = 'r1 = r0\nr1 >>= 32\nr0 ^= r1';

const PROGRAMS: Readonly<Record<string, string>> = {
  'store-release then load-acquire of every size': `r1 = -1
    *(u64 *)(r10 - 8) = r1
    r2 = 0x1122334455667788 ll
    store_release((u16 *)(r10 - 6), w2)
    store_release((u8 *)(r10 - 1), w2)
    r0 = load_acquire((u64 *)(r10 - 8))
    w3 = load_acquire((u32 *)(r10 - 4))
    r0 += r3
    w3 = load_acquire((u16 *)(r10 - 8))
    r0 += r3
    w3 = load_acquire((u8 *)(r10 - 3))
    r0 += r3
    ${FOLD}
    exit`,
  'acquire/release through a callee and the caller stack': `r1 = 0x0102030405060708 ll
    *(u64 *)(r10 - 8) = r1
    r1 = r10
    r1 += -8
    call f
    r0 = *(u64 *)(r10 - 8)
    ${FOLD}
    exit
    f:
    r2 = load_acquire((u64 *)(r1 + 0))
    r2 += 0x10
    store_release((u32 *)(r1 + 4), w2)
    exit`,
  'a loop left only when may_goto runs out': `r6 = 0
    l:
    may_goto out
    r6 = 1
    goto l
    out:
    may_goto again
    r0 = r6
    r0 += 40
    exit
    again:
    r0 = 7
    exit`,
  'a callee spends its budget, the caller keeps its own': `r6 = 0
    may_goto first
    call f
    r6 = r0
    may_goto second
    r0 = r6
    exit
    first:
    r0 = 1000
    exit
    second:
    r0 = 2000
    exit
    f:
    r0 = 0
    l:
    may_goto out
    r0 = 5
    goto l
    out:
    may_goto done
    r0 = 9
    done:
    exit`,
};

oracle.describe('test-runs of may_goto, load-acquire and store-release against the kernel', () => {
  for (const [name, text] of Object.entries(PROGRAMS)) {
    oracle.it(name, () => {
      const insns = assembleInsns(text);
      const data = new Uint8Array(64);
      const kernel = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 0, data });
      expect(kernel.verdict, kernel.log).toBe('accepted');
      expect(kernel.testRun?.errno).toBe(0);
      const bpf = new Bpf();
      const fd = bpf.progLoad({ type: 'socket_filter', insns, license: 'GPL' }).fd;
      const ours = bpf.testRun(fd, { data });
      expect(ours.error).toBeUndefined();
      expect(ours.retval).toBe(kernel.testRun?.retval);
    });
  }
});
