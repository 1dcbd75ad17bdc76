// The case harness alone: parsing and rewriting case files, assembling map and function references, error lines.

import { describe, expect, it } from 'vitest';
import {
  BPF_LD_IMM64,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
} from '../../src/isa/opcodes.js';
import {
  assembleCase,
  CaseFormatError,
  caseCapabilities,
  compareOutcome,
  errorLine,
  formatCaseFile,
  loadCaseFiles,
  parseCaseFile,
} from './cases.js';

const TWO_CASES = `# case: first
# Callee reads what the caller wrote.
# type: xdp
# attach: xdp
# flags: strict_alignment | any_alignment
# license: MIT
# unpriv
# map: hash 4 8 16
# map: array_of_maps 4 4 1 0 0
# expect: reject
# error: R0 !read_ok
# insn: 3
# errno: EACCES
r1 = map0 ll
exit
---
# case: second
# type: socket_filter
# caps: bpf,net_admin
# expect: accept
r0 = 0
exit
`;

describe('caseCapabilities', () => {
  it('turns a caps list into the loader capabilities, naming only what is listed', () => {
    expect(caseCapabilities(['bpf', 'net_admin'])).toEqual({
      bpf: true,
      perfmon: false,
      netAdmin: true,
      sysAdmin: false,
    });
    expect(caseCapabilities(['perfmon', 'sys_admin'])).toEqual({
      bpf: false,
      perfmon: true,
      netAdmin: false,
      sysAdmin: true,
    });
  });
});

describe('parseCaseFile', () => {
  it('reads every header key and the body', () => {
    const [first, second] = parseCaseFile(TWO_CASES, 't.s');
    expect(first).toMatchObject({
      file: 't.s',
      line: 1,
      name: 'first',
      type: 'xdp',
      attach: 'xdp',
      progFlags: 3,
      license: 'MIT',
      unpriv: true,
      maps: [
        { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 },
        { type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0, innerMapIndex: 0 },
      ],
      expect: 'reject',
      error: 'R0 !read_ok',
      insn: 3,
      errno: 'EACCES',
      notes: ['Callee reads what the caller wrote.'],
      body: 'r1 = map0 ll\nexit',
    });
    expect(second).toMatchObject({
      name: 'second',
      line: 17,
      expect: 'accept',
      unpriv: false,
      caps: ['bpf', 'net_admin'],
      maps: [],
    });
    expect(first.caps).toBeUndefined();
    expect(second.error).toBeUndefined();
  });

  it('formats back to the same text', () => {
    expect(formatCaseFile(parseCaseFile(TWO_CASES, 't.s'))).toBe(TWO_CASES);
  });

  it('reads insn none and numeric flags', () => {
    const [c] = parseCaseFile(
      '# case: a\n# type: xdp\n# flags: 8\n# expect: reject\n# insn: none\nexit\n',
      'x.s',
    );
    expect(c.insn).toBeNull();
    expect(c.progFlags).toBe(8);
  });

  it.each([
    ['# case: a\n# type: xdp\n# expekt: accept\nexit', /x\.s:3: unknown header key 'expekt'/],
    ['# case: a\nexit', /x\.s:1: case 'a' has no `# type:`/],
    ['# type: xdp\nexit', /case without a `# case:` line/],
    ['# case: a\n# type: xdp\n# expect: maybe\nexit', /'expect' is accept or reject/],
    ['# case: a\n# type: xdp\n# expect: accept\n# error: x\nexit', /is accepted but names an error/],
    ['# case: a\n# type: xdp\n# flags: fast\nexit', /unknown program flag 'fast'/],
    ['# case: a\n# type: xdp\n# map: hash 4\nexit', /'map' is TYPE KEY_SIZE/],
    ['# case: a\n# type: xdp\n# insn: 1x\nexit', /'insn' is an instruction index or none/],
    ['# case: a\n# type: xdp\n# type: tc\nexit', /'type' given twice/],
    ['# case: a\n# type: xdp\n', /case 'a' has no instructions/],
    ['# case: a\n# type: xdp\n# caps: bpf,root\nexit', /unknown capability 'root'/],
    ['# case: a\n# type: xdp\n# caps:\nexit', /'caps' is empty/],
    ['# case: a\n# type: xdp\n# unpriv\n# caps: bpf\nexit', /has both `# unpriv` and `# caps:`/],
    ['# case: a\n# type: xdp\nexit\n---\n# case: a\n# type: xdp\nexit', /x\.s:5: duplicate case name 'a'/],
  ])('refuses %j', (text, message) => {
    expect(() => parseCaseFile(text, 'x.s')).toThrow(CaseFormatError);
    expect(() => parseCaseFile(text, 'x.s')).toThrow(message);
  });
});

describe('assembleCase', () => {
  const one = (body: string) => parseCaseFile(`# case: a\n# type: xdp\n${body}`, 'x.s')[0];

  it('turns mapN, mapvalN + OFF and labels into the kernel pseudo sources', () => {
    const insns = assembleCase(
      one('r1 = map2 ll\nr2 = mapval1 + 12 ll\nr3 = cb ll\ncall cb\nr0 = 0\nexit\ncb:\nr0 = 0\nexit'),
    );
    expect(insns[0]).toMatchObject({ code: BPF_LD_IMM64, dst: 1, src: BPF_PSEUDO_MAP_FD, imm: 2 });
    expect(insns[2]).toMatchObject({ code: BPF_LD_IMM64, dst: 2, src: BPF_PSEUDO_MAP_VALUE, imm: 1 });
    expect(insns[3].imm).toBe(12);
    expect(insns[4]).toMatchObject({ code: BPF_LD_IMM64, dst: 3, src: BPF_PSEUDO_FUNC, imm: 4 });
    expect(insns[6]).toMatchObject({ src: BPF_PSEUDO_CALL, imm: 2 });
  });

  it('refuses symbols it cannot place', () => {
    expect(() => assembleCase(one('r1 = counters ll\nexit'))).toThrow(/unknown symbol 'counters'/);
    expect(() => assembleCase(one('r1 = map0 + 4 ll\nexit'))).toThrow(/takes no addend/);
    expect(() => assembleCase(one('call missing\nexit'))).toThrow(/unresolved reference 'missing'/);
  });
});

describe('errorLine', () => {
  it('takes the last line before the statistics and the last instruction printed before it', () => {
    const log = [
      '0: R1=ctx() R10=fp0',
      '0: (b7) r0 = 0                        ; R0_w=0',
      '1: (79) r0 = *(u64 *)(r10 -16)',
      'invalid read from stack R10 off=-16 size=8',
      'processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
      '',
    ].join('\n');
    expect(errorLine(log)).toEqual({ error: 'invalid read from stack R10 off=-16 size=8', insn: 1 });
  });

  it('skips the states printed after an infinite loop and statistics glued to a message', () => {
    const loop = [
      '1: (55) if r0 != 0x0 goto pc-1        ; R0=1',
      'infinite loop detected at insn 1',
      'cur state: R0=1 R1=ctx() R10=fp0',
      'old state: R0=P1 R1=ctx() R10=fp0',
      'processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0',
    ].join('\n');
    expect(errorLine(loop)).toEqual({ error: 'infinite loop detected at insn 1', insn: 1 });
    const glued =
      '3: (85) call bpf_tail_call#12\nexpected prog array map for tail callprocessed 3 insns (limit 1000000) x\n';
    expect(errorLine(glued)).toEqual({ error: 'expected prog array map for tail call', insn: 3 });
  });

  it('names the instruction of a check made before the walk, or none', () => {
    expect(errorLine('back-edge from insn 3 to 1\nverification time 5 usec\n')).toEqual({
      error: 'back-edge from insn 3 to 1',
      insn: 3,
    });
    expect(errorLine('missing btf func_info\n')).toEqual({ error: 'missing btf func_info', insn: null });
    expect(errorLine('')).toEqual({ error: '', insn: null });
  });
});

describe('compareOutcome', () => {
  const [c] = parseCaseFile(
    '# case: a\n# type: xdp\n# expect: reject\n# error: e\n# insn: 2\n# errno: EINVAL\nexit',
    'x.s',
  );
  it('lists each difference', () => {
    expect(compareOutcome(c, { expect: 'reject', error: 'e', insn: 2, errno: 'EINVAL', log: '' })).toEqual(
      [],
    );
    expect(compareOutcome(c, { expect: 'accept', log: '' })).toEqual([
      'verdict: expected reject, got accept',
    ]);
    expect(compareOutcome(c, { expect: 'reject', error: 'f', insn: 3, errno: 'EACCES', log: '' })).toEqual([
      "error: expected 'e', got 'f'",
      'insn: expected 2, got 3',
      'errno: expected EINVAL, got EACCES',
    ]);
  });
});

describe('the committed cases', () => {
  it('all parse, assemble and carry an expectation', () => {
    let count = 0;
    for (const { cases } of loadCaseFiles()) {
      for (const c of cases) {
        expect(c.expect, `${c.file}:${c.line}`).toBeDefined();
        expect(assembleCase(c).length).toBeGreaterThan(0);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(300);
  });
});
