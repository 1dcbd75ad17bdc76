// Register liveness and SCC numbering against Linux 6.18's rules, and the log block against a real kernel log.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kfuncByName } from '../abi/kfuncs.js';
import { type Insn, insn } from '../isa/insn.js';
import { openObject } from '../object/open-object.js';
import { relocateProgram } from '../object/relocate-program.js';
import {
  analyzeLiveRegisters,
  callsCallbackSynchronously,
  helperArgCountFor,
  insnSuccessors,
  insnUseDef,
  kfuncArgCountFor,
  liveRegistersLog,
} from './live-registers.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const exit = insn(0x95, 0, 0, 0, 0);
const mov = (dst: number, imm: number) => insn(0xb7, dst, 0, 0, imm);
const regs = (...numbers: number[]) => numbers.reduce((mask, r) => mask | (1 << r), 0);

describe('the log block', () => {
  it("equals the 6.18 kernel's for test/progs/loops.o sock_for_loops (two loops, three functions)", () => {
    const object = openObject(readFileSync(join(REPO_ROOT, 'test/progs/loops.o')), 'loops.o');
    const { insns } = relocateProgram(object, 'sock_for_loops');
    const kernel = readFileSync(
      join(REPO_ROOT, 'test/fixtures/kernel-logs/loops-sock_for_loops.live-regs.txt'),
      'utf8',
    );
    const analysis = analyzeLiveRegisters(insns, { helperArgCount: helperArgCountFor('socket_filter') });
    expect(liveRegistersLog(insns, analysis)).toBe(kernel);
    expect(analysis.sccCount).toBe(2);
  });
});

describe('insnUseDef', () => {
  const useDef = (ins: Insn[], options = {}) => insnUseDef(ins, 0, options);
  it('reads what the kernel reads', () => {
    expect(useDef([insn(0x0f, 1, 2, 0, 0)])).toEqual({ use: regs(1, 2), def: regs(1) }); // r1 += r2
    expect(useDef([insn(0xbf, 1, 2, 0, 0)])).toEqual({ use: regs(2), def: regs(1) }); // r1 = r2
    expect(useDef([mov(1, 5)])).toEqual({ use: 0, def: regs(1) });
    expect(useDef([insn(0xdc, 3, 0, 0, 16)])).toEqual({ use: regs(3), def: regs(3) }); // be16
    expect(useDef([insn(0x7b, 10, 6, -8, 0)])).toEqual({ use: regs(6, 10), def: 0 });
    expect(useDef([insn(0xdb, 10, 5, -8, 0xf1)])).toEqual({ use: regs(0, 5, 10), def: regs(0) }); // cmpxchg
    expect(useDef([insn(0xdb, 10, 5, -8, 0x01)])).toEqual({ use: regs(5, 10), def: regs(5) }); // fetch_add
    expect(useDef([insn(0xdb, 10, 5, -8, 0x00)])).toEqual({ use: regs(5, 10), def: 0 }); // lock add
    expect(useDef([insn(0xd3, 3, 10, -8, 0x100)])).toEqual({ use: regs(10), def: regs(3) }); // load_acquire
    expect(useDef([insn(0x30, 0, 0, 0, 12)])).toEqual({ use: 0xffff, def: 0 }); // LD_ABS: everything
    expect(useDef([exit])).toEqual({ use: regs(0), def: 0 });
    expect(useDef([insn(0x18, 4, 1, 0, 0), insn(0, 0, 0, 0, 0)])).toEqual({ use: 0, def: regs(4) });
  });

  it('counts call arguments from the prototype, all of r1-r5 when there is none', () => {
    const callerSaved = regs(0, 1, 2, 3, 4, 5);
    const helper = (id: number) => [insn(0x85, 0, 0, 0, id)];
    const socket = { helperArgCount: helperArgCountFor('socket_filter') };
    expect(useDef(helper(1), socket)).toEqual({ use: regs(1, 2), def: callerSaved }); // map_lookup_elem
    expect(useDef(helper(7), socket)).toEqual({ use: 0, def: callerSaved }); // get_prandom_u32
    expect(useDef(helper(999), socket).use).toBe(regs(1, 2, 3, 4, 5));
    expect(useDef(helper(1)).use).toBe(regs(1, 2, 3, 4, 5)); // no prototypes given
    expect(useDef([insn(0x85, 0, 1, 0, 4)], socket).use).toBe(regs(1, 2, 3, 4, 5)); // local call
    const kfunc = [insn(0x85, 0, 2, 0, 1234)];
    expect(useDef(kfunc, { kfuncArgCount: () => 2 }).use).toBe(regs(1, 2));
    expect(useDef(kfunc).use).toBe(regs(1, 2, 3, 4, 5));
  });

  it('counts the BTF parameters of a vmlinux kfunc the program type may call (kernel get_call_summary)', () => {
    const lookup = kfuncByName('bpf_xdp_ct_lookup')?.btfId ?? -1;
    const call = (off: number) => [insn(0x85, 0, 2, off, lookup)];
    const xdp = { kfuncArgCount: kfuncArgCountFor('xdp') };
    expect(useDef(call(0), xdp).use).toBe(regs(1, 2, 3, 4, 5)); // ctx, tuple, tuple__sz, opts, opts__sz
    const cast = kfuncByName('bpf_cast_to_kern_ctx')?.btfId ?? -1;
    expect(useDef([insn(0x85, 0, 2, 0, cast)], xdp).use).toBe(regs(1));
    // Not registered for socket filters, or in a module's BTF: the kernel counts r1-r5 as read.
    const socket = { kfuncArgCount: kfuncArgCountFor('socket_filter') };
    expect(useDef([insn(0x85, 0, 2, 0, cast)], { kfuncArgCount: kfuncArgCountFor('kprobe') }).use).toBe(
      regs(1),
    );
    expect(useDef(call(0), socket).use).toBe(regs(1, 2, 3, 4, 5));
    expect(kfuncArgCountFor('socket_filter')(lookup, 0)).toBeUndefined();
    expect(kfuncArgCountFor('xdp')(lookup, 1)).toBeUndefined();
    expect(kfuncArgCountFor('xdp')(lookup, 0)).toBe(5);
  });
});

describe('analyzeLiveRegisters', () => {
  it('propagates backwards through both successors of a jump', () => {
    const insns = [
      insn(0x15, 1, 0, 1, 0), // 0: if r1 == 0 goto pc+1
      insn(0xbf, 0, 2, 0, 0), // 1: r0 = r2
      insn(0x0f, 0, 3, 0, 0), // 2: r0 += r3
      exit,
    ];
    const { liveBefore, scc, sccCount } = analyzeLiveRegisters(insns);
    expect([...liveBefore]).toEqual([regs(0, 1, 2, 3), regs(2, 3), regs(0, 3), regs(0)]);
    expect(sccCount).toBe(0);
    expect([...scc]).toEqual([0, 0, 0, 0]);
  });

  it('gives the second slot of LD_IMM64 nothing and steps over it', () => {
    const insns = [insn(0x18, 1, 0, 0, 7), insn(0, 0, 0, 0, 0), insn(0xbf, 0, 1, 0, 0), exit];
    expect([...analyzeLiveRegisters(insns).liveBefore]).toEqual([0, 0, regs(1), regs(0)]);
    expect(insnSuccessors(insns, 0)).toEqual([2]);
  });

  it('numbers SCCs as the kernel completes them: later loops of a DFS first, self edges and callbacks too', () => {
    const insns = [
      insn(0x85, 0, 0, 0, 181), // 0: bpf_loop, an implicit loop
      mov(1, 0), // 1
      insn(0x07, 1, 0, 0, 1), // 2: r1 += 1    <- loop A
      insn(0xa5, 1, 0, -2, 10), // 3: if r1 < 10 goto pc-2
      insn(0x15, 1, 0, -1, 3), // 4: if r1 == 3 goto pc-1, a self edge
      mov(0, 0), // 5
      exit, // 6
    ];
    expect(callsCallbackSynchronously(insns, 0)).toBe(true);
    const { scc, sccCount } = analyzeLiveRegisters(insns);
    // The DFS finishes the self edge (4) first, then loop A (2-3), then the call (0).
    expect([...scc]).toEqual([3, 0, 2, 2, 1, 0, 0]);
    expect(sccCount).toBe(3);
  });

  it('reaches the fixpoint of the dataflow equations on random control flow', () => {
    let checked = 0;
    const step = fc.oneof(
      fc.tuple(fc.nat(9), fc.nat(9)).map(([dst, src]) => [insn(0x0f, dst, src, 0, 0)]),
      fc.tuple(fc.nat(9), fc.nat(9)).map(([dst, src]) => [insn(0xbf, dst, src, 0, 0)]),
      fc.nat(9).map((dst) => [insn(0x18, dst, 0, 0, 1), insn(0, 0, 0, 0, 0)]),
      fc.constant([insn(0x85, 0, 0, 0, 1)]),
      fc
        .tuple(fc.nat(9), fc.integer({ min: -40, max: 40 }))
        .map(([dst, off]) => [insn(0x15, dst, 0, off, 0)]),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const insns = [...steps.flat(), exit];
        const starts = new Set<number>();
        for (let i = 0; i < insns.length; i += insns[i].code === 0x18 ? 2 : 1) starts.add(i);
        // jumps must land on an instruction start inside the program, as the kernel's CFG check demands
        const valid = [...starts].every((i) => insns[i].code !== 0x15 || starts.has(i + insns[i].off + 1));
        if (!valid) return;
        const { liveBefore } = analyzeLiveRegisters(insns);
        for (const i of starts) {
          const { use, def } = insnUseDef(insns, i);
          let after = 0;
          for (const next of insnSuccessors(insns, i)) after |= liveBefore[next];
          expect(liveBefore[i]).toBe((after & ~def) | use);
        }
        checked++;
      }),
      { numRuns: 400, seed: 21 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it('prints SCC ids and indexes in their columns', () => {
    const insns = [mov(0, 0), insn(0x07, 0, 0, 0, 1), insn(0x05, 0, 0, -2, 0)];
    const block = liveRegistersLog(insns, analyzeLiveRegisters(insns));
    expect(block).toBe(
      [
        'Live regs before insn:',
        '      0: .......... (b7) r0 = 0',
        '  1   1: 0......... (07) r0 += 1',
        '  1   2: 0......... (05) goto pc-2',
        '',
      ].join('\n'),
    );
  });
});
