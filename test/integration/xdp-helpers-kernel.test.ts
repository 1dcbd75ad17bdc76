// bpf_xdp_get_buff_len, bpf_xdp_load_bytes and bpf_xdp_store_bytes against the kernel, on a linear packet and
// on one large enough to have fragments: return values, error codes and the output packet must be equal.

import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

/** Reads and writes at `offset`, and folds three return codes into r0: ok, out of range, over 0xffff. */
function program(offset: number) {
  return assembleInsns(`
    r6 = r1
    call 188
    *(u64 *)(r10 - 8) = r0
    r1 = r6
    r2 = ${offset}
    r3 = r10
    r3 += -24
    r4 = 16
    call 189
    r7 = r0
    r7 &= 0xff
    r1 = 0x7fff
    *(u64 *)(r10 - 32) = r1
    r1 = r6
    r2 = ${offset}
    r3 = r10
    r3 += -32
    r4 = 8
    call 190
    r8 = r0
    r8 &= 0xff
    r8 <<= 8
    r7 |= r8
    r1 = r6
    r2 = 60000
    r3 = r10
    r3 += -24
    r4 = 16
    call 189
    r0 &= 0xff
    r0 <<= 16
    r7 |= r0
    r1 = r6
    r2 = 0x10000
    r3 = r10
    r3 += -24
    r4 = 1
    call 189
    r0 &= 0xff
    r0 <<= 24
    r7 |= r0
    r1 = r6
    r2 = 0
    r3 = r10
    r3 += -24
    r4 = 24
    call 190
    r0 = r7
    exit
  `);
}

function packet(length: number): Uint8Array {
  const bytes = new Uint8Array(length).map((_, i) => (i * 13 + 5) & 0xff);
  bytes.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5], 0);
  return bytes;
}

oracle.describe('xdp byte helpers equal the kernel', () => {
  for (const [name, length, offset] of [
    ['linear packet', 128, 20],
    ['packet with fragments, access in the fragments', 5000, 4200],
    ['packet with fragments, access across the boundary', 5000, 3516],
  ] as const) {
    oracle.it(name, () => {
      const insns = program(offset);
      const data = packet(length);
      const kernel = oracle.runInsns({
        type: 'xdp',
        insns,
        license: 'GPL',
        data,
        progFlags: 1 << 5,
        logLevel: 1,
      });
      expect(kernel.verdict, kernel.log).toBe('accepted');
      const bpf = new Bpf();
      const loaded = bpf.progLoad({ type: 'xdp', insns, license: 'GPL' });
      const ours = bpf.testRun(loaded.fd, { data });
      expect(ours.error).toBeUndefined();
      expect({ retval: ours.retval, dataOut: bytesToHex(ours.dataOut) }).toEqual({
        retval: kernel.testRun!.retval,
        dataOut: kernel.testRun!.dataOut,
      });
    });
  }
});
