import { describe, expect, it } from 'vitest';
import { Bpf } from '../../api/bpf.js';
import { kernelMemberOffset } from '../../abi/kernel-structs.js';
import { fieldOffset, SK_BUFF_FIELDS } from '../../abi/context-structs.js';
import type { Insn } from '../../isa/insn.js';

const CAST_TO_KERN_CTX = 62973;
const KERN_MARK = kernelMemberOffset('sk_buff', 'mark')!;
const UAPI_MARK = fieldOffset(SK_BUFF_FIELDS, 'mark');

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({
  code,
  dst,
  src,
  off,
  imm,
});
const castToKernCtx = insn(0x85, 0, 2, 0, CAST_TO_KERN_CTX);
const movReg = (dst: number, src: number) => insn(0xbf, dst, src, 0, 0);
const movImm = (dst: number, imm: number) => insn(0xb7, dst, 0, 0, imm);
const storeU32 = (dst: number, off: number, src: number) => insn(0x63, dst, src, off, 0);
const loadU32 = (dst: number, src: number, off: number) => insn(0x61, dst, src, off, 0);

describe('the kernel sk_buff behind bpf_cast_to_kern_ctx', () => {
  // tc: mark written through __sk_buff after the cast; read through the first pointer, then through a second cast.
  // In the kernel both are the one sk_buff's mark.
  const program: Insn[] = [
    movReg(6, 1),
    castToKernCtx,
    movReg(7, 0),
    movImm(1, 0x11),
    storeU32(6, UAPI_MARK, 1),
    loadU32(8, 7, KERN_MARK),
    movReg(1, 6),
    castToKernCtx,
    loadU32(0, 0, KERN_MARK),
    insn(0x67, 0, 0, 0, 8), // r0 <<= 8
    insn(0x4f, 0, 8, 0, 0), // r0 |= r8
    insn(0x95, 0, 0, 0, 0),
  ];

  for (const engine of ['interp', 'jit'] as const) {
    it(`shows a __sk_buff store made after the call at once (${engine})`, () => {
      const bpf = new Bpf();
      const handle = bpf.progLoad({ type: 'sched_cls', insns: program, license: 'GPL', engine });
      const run = bpf.testRun(handle.fd, { data: new Uint8Array(64) });
      expect(run.error).toBeUndefined();
      expect(run.retval).toBe(0x1111);
    });
  }
});
