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

describe("the test-run socket behind the kernel sk_buff's sk", () => {
  const SK = kernelMemberOffset('sk_buff', 'sk')!;
  const loadU64 = (dst: number, src: number, off: number) => insn(0x79, dst, src, off, 0);
  /** sk = kern_ctx->sk; if (!sk) return 99; return *(u<size> *)(sk + off). */
  const readSock = (off: number, code: number): Insn[] => [
    castToKernCtx,
    loadU64(1, 0, SK),
    insn(0x55, 1, 0, 2, 0), // if r1 != 0 goto +2
    movImm(0, 99),
    insn(0x95, 0, 0, 0, 0),
    insn(code, 0, 1, off, 0),
    insn(0x95, 0, 0, 0, 0),
  ];
  /** Ethernet + an IPv4 header from 10.0.0.1 to 10.0.0.2. */
  const ipv4 = new Uint8Array(64);
  ipv4.set([0x08, 0x00, 0x45], 12);
  ipv4.set([10, 0, 0, 1, 10, 0, 0, 2], 26);

  for (const [member, code, expected] of [
    ['__sk_common.skc_family', 0x69, 2], // AF_INET, u16
    ['__sk_common.skc_state', 0x71, 7], // TCP_CLOSE, u8
    ['__sk_common.skc_rcv_saddr', 0x61, 0x0100000a], // the source, network order
    ['__sk_common.skc_daddr', 0x61, 0x0200000a],
    ['sk_mark', 0x61, 0],
  ] as const) {
    it(`reads ${member} as the kernel's test-run socket holds it`, () => {
      const bpf = new Bpf();
      const off = kernelMemberOffset('sock', member)!;
      const handle = bpf.progLoad({ type: 'sched_cls', insns: readSock(off, code), license: 'GPL' });
      const run = bpf.testRun(handle.fd, { data: ipv4 });
      expect(run.error).toBeUndefined();
      expect(run.retval).toBe(expected);
    });
  }

  it('refuses a load of a struct sock member tsbpf does not model (sk_rcvbuf, a sysctl value), naming it', () => {
    // Kernel: sk_rcvbuf sits at byte 244 of struct sock; tsbpf does not list it.
    expect(() =>
      new Bpf().progLoad({ type: 'sched_cls', insns: readSock(244, 0x61), license: 'GPL' }),
    ).toThrow(/tsbpf does not model this part of struct sock: off 244 size 4/);
  });
});
