// Differential test: the instruction text, state-column padding and "Live regs before insn:" block tsbpf
// prints equal the Linux verifier log at level 2, for the corpus objects, the semantics programs, programs
// covering every opcode and helper id, calls and kfuncs, and random control flow.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { HELPER_PROBED_PROGRAM_TYPES } from '../../src/abi/helpers.js';
import { BPF_F_SLEEPABLE, type ProgramTypeName } from '../../src/abi/program-types.js';
import { parseBtf } from '../../src/btf/index.js';
import { assemble } from '../../src/isa/assembler.js';
import { type Insn, insn } from '../../src/isa/insn.js';
import { OPCODE_TABLE } from '../../src/isa/opcode-table.js';
import { openObject } from '../../src/object/open-object.js';
import { relocateProgram } from '../../src/object/relocate-program.js';
import {
  BPF_LD_IMM64,
  BPF_PSEUDO_BTF_ID,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE,
  BPF_PSEUDO_MAP_VALUE,
} from '../../src/isa/opcodes.js';
import {
  type KernelInsnTextOptions,
  kernelInsnLine,
  padInsnForState,
} from '../../src/verifier/kernel-insn-text.js';
import {
  analyzeLiveRegisters,
  helperArgCountFor,
  type LiveRegistersOptions,
  liveRegistersLog,
} from '../../src/verifier/live-registers.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { generatedPrograms, programText } from '../semantics/generated-cases.js';

const oracle = requireOracle();

const LIVE_HEADER = 'Live regs before insn:\n';
/** A line of the block: SCC id or blanks, index, r0-r9. */
const LIVE_LINE = /^(?: {4}|[ \d]{2}\d+ )[ \d]{2}\d+: [.\d]{10} /;
/** Pseudo LD_IMM64 forms the kernel prints as the kernel address it resolved them to. */
const ADDRESS_LOADS = new Set([
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_PSEUDO_BTF_ID,
  BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE,
]);
const KERNEL_ADDRESS_TEXT = '<kernel address>';

/** The "Live regs before insn:" block of a log, or undefined when the kernel did not get that far. */
function kernelLiveBlock(log: string): string | undefined {
  const start = log.indexOf(LIVE_HEADER);
  if (start < 0) return undefined;
  const lines = log.slice(start + LIVE_HEADER.length).split('\n');
  const end = lines.findIndex((line) => !LIVE_LINE.test(line));
  return (
    LIVE_HEADER +
    lines
      .slice(0, end)
      .map((line) => `${line}\n`)
      .join('')
  );
}

function addressLoads(insns: readonly Insn[]): Set<number> {
  const at = new Set<number>();
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) {
    if (insns[i].code === BPF_LD_IMM64 && ADDRESS_LOADS.has(insns[i].src)) at.add(i);
  }
  return at;
}

/**
 * Map and BTF-variable loads print a kernel address that changes with every load: the kernel's must look like
 * one (the kernel prints no `map[id:...]` form), then both sides compare with it masked.
 */
function maskAddresses(block: string, insns: readonly Insn[], side: 'kernel' | 'tsbpf'): string {
  const at = addressLoads(insns);
  return block
    .split('\n')
    .map((line) => {
      const index = /^.{4} *(\d+): /.exec(line)?.[1];
      if (index === undefined || !at.has(Number(index))) return line;
      const value = /= 0x([0-9a-f]+)$/.exec(line)?.[1];
      if (side === 'kernel') {
        expect(value, `kernel address in: ${line}`).toBeDefined();
        expect(BigInt(`0x${value}`) >= 0xffff800000000000n, `kernel address in: ${line}`).toBe(true);
      }
      return line.replace(/= 0x[0-9a-f]+$/, `= ${KERNEL_ADDRESS_TEXT}`);
    })
    .join('\n');
}

interface Compared {
  /** Instruction lines of the walk that were checked. */
  walkLines: number;
}

/** Compares the block and every walk line of `log` with tsbpf's; the kernel must have printed the block. */
function compareWithLog(
  label: string,
  insns: readonly Insn[],
  log: string,
  liveOptions: LiveRegistersOptions,
  textOptions: KernelInsnTextOptions = {},
): Compared {
  const theirs = kernelLiveBlock(log);
  expect(theirs, `${label}: the kernel printed no live-register block:\n${log.slice(0, 2000)}`).toBeDefined();
  const ours = liveRegistersLog(insns, analyzeLiveRegisters(insns, liveOptions), textOptions);
  expect(maskAddresses(ours, insns, 'tsbpf'), `${label}: live-register block`).toBe(
    maskAddresses(theirs!, insns, 'kernel'),
  );
  const at = addressLoads(insns);
  let walkLines = 0;
  for (const line of log.split('\n')) {
    const match = /^(\d+): (\([0-9a-f]{2}\) .*|BUG_.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    if (at.has(index)) continue; // a kernel address, checked in the block
    const expected = kernelInsnLine(insns, index, textOptions);
    if (line.includes(';'))
      expect(line.startsWith(`${padInsnForState(expected)};`), `${label}: ${line}`).toBe(true);
    else expect(line, label).toBe(expected);
    walkLines++;
  }
  return { walkLines };
}

function liveOptionsFor(type: string): LiveRegistersOptions {
  return { helperArgCount: helperArgCountFor(type as ProgramTypeName) };
}

/** Instructions of the first program of an assembly text (the semantics suite's syntax). */
function assembleXdp(text: string, name: string): Insn[] {
  const section = assemble(text, { fileName: name }).sections.find((s) => s.name === 'xdp');
  if (section === undefined) throw new Error(`${name}: no xdp section`);
  return section.insns;
}

const objects = [
  ...corpusObjects(),
  // The linker corpus as one object (its parts alone have unresolved externs).
  {
    path: 'test/link/all.o',
    absolutePath: join(REPO_ROOT, 'test', 'link', 'all.o'),
    bytes: new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'link', 'all.o'))),
  },
];

oracle.describe('kernel log text: corpus objects at log level 2', () => {
  for (const object of objects) {
    oracle.it(object.path, () => {
      const result = oracle.runObject(object.absolutePath, { logLevel: 2 });
      expect(result.openError).toBeNull();
      expect(result.programs.length).toBeGreaterThan(0);
      const ours = openObject(object.bytes, object.path);
      for (const program of result.programs) {
        // tsbpf's loader gives what libbpf handed the kernel (map references aside, which print as addresses)
        const { insns } = relocateProgram(ours, program.name);
        expect(insns.length, `${program.name}: instruction count`).toBe(program.insns.length);
        const { walkLines } = compareWithLog(
          `${object.path} ${program.name}`,
          insns,
          program.log,
          liveOptionsFor(program.type),
        );
        // The walk printed instructions (an accepted program prints each one it verified).
        expect(walkLines, `${object.path} ${program.name}: walk lines`).toBeGreaterThan(0);
      }
    });
  }
});

oracle.describe('kernel log text: the semantics programs at log level 2', () => {
  const programs = [
    ...['calls.s', 'atomics.s'].map((file) => ({
      name: file,
      text: readFileSync(join(REPO_ROOT, 'test', 'semantics', file), 'utf8'),
    })),
    ...generatedPrograms().map((program) => ({ name: program.name, text: programText(program) })),
  ];
  for (const { name, text } of programs) {
    oracle.it(name, () => {
      const insns = assembleXdp(text, name);
      const kernel = oracle.runInsns({ type: 'xdp', insns, logLevel: 2 });
      expect(kernel.verdict, kernel.log.slice(-2000)).toBe('accepted');
      const { walkLines } = compareWithLog(name, insns, kernel.log, liveOptionsFor('xdp'));
      expect(walkLines).toBeGreaterThan(0);
    });
  }
});

// Hand-built programs. Each starts with a load from r9, which the kernel refuses at once ("R9 !read_ok"):
// the live-register block is printed before the walk, so it shows every instruction without a long walk.
const REFUSED_AT_ONCE = insn(0x79, 0, 9, 0, 0);
const EXIT_TAIL = [insn(0xb7, 0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)];
/** `if r0 == 0 goto pc+1` before an instruction that does not fall through keeps what follows reachable. */
const JUMP_OVER_NEXT = insn(0x15, 0, 0, 1, 0);

function ldImm64(dst: number, src: number, lo: number, hi: number): Insn[] {
  return [insn(BPF_LD_IMM64, dst, src, 0, lo), insn(0, 0, 0, 0, hi)];
}

/** Instances of every opcode tsbpf knows, with the field values whose printing differs. */
function everyOpcodeUnits(): Insn[][] {
  const units: Insn[][] = [];
  for (const entry of OPCODE_TABLE.values()) {
    const code = entry.code;
    switch (entry.kind) {
      case 'alu':
        for (const [dst, src] of [
          [1, 2],
          [9, 0],
        ]) {
          const offs = /^(div|mod)/.test(entry.name)
            ? [0, 1]
            : /^mov..?_reg/.test(entry.name)
              ? [0, 8, 16, 32]
              : [0];
          for (const off of offs) {
            if (code & 0x08) units.push([insn(code, dst, src, off, 0)]);
            else
              for (const imm of [0, -1, 7, 0x7fffffff, -0x80000000])
                units.push([insn(code, dst, 0, off, imm)]);
          }
        }
        break;
      case 'endian':
        for (const imm of [16, 32, 64]) units.push([insn(code, 3, 0, 0, imm)]);
        break;
      case 'jump':
        // a taken jump over one instruction, reached through the conditional jump before it
        if (entry.name === 'ja') {
          units.push(
            [insn(code, 0, 0, 0, 0)],
            [JUMP_OVER_NEXT, insn(code, 0, 0, 1, 0), insn(0xb7, 1, 0, 0, 1)],
          );
        } else if (entry.name === 'gotol') {
          units.push(
            [insn(code, 0, 0, 0, 0)],
            [JUMP_OVER_NEXT, insn(code, 0, 0, 0, 1), insn(0xb7, 1, 0, 0, 1)],
          );
        } else if (code & 0x08) units.push([insn(code, 4, 3, 0, 0)], [insn(code, 4, 3, -1, 0)]);
        else
          for (const imm of [0, -1, 7, -0x80000000]) units.push([insn(code, 4, 0, imm === 7 ? -1 : 0, imm)]);
        break;
      case 'may_goto':
        units.push([insn(code, 0, 0, 0, 0)], [insn(code, 0, 0, 1, 0), insn(0xb7, 1, 0, 0, 1)]);
        break;
      case 'call':
        for (const id of [0, 1, 12, 26, 181, 211, 212, 999, -1]) units.push([insn(code, 0, 0, 0, id)]);
        break;
      case 'exit':
        units.push([JUMP_OVER_NEXT, insn(code, 0, 0, 0, 0)]);
        break;
      case 'ld_imm64':
        units.push(
          ldImm64(1, 0, -8, 0),
          ldImm64(2, 0, -1, -1),
          ldImm64(3, 0, 0x23456789, 1),
          ldImm64(4, 0, 0, 0),
        );
        // Map references: --map 0 by fd (src 1, 2) and through fd_array (src 5, 6); map values at offset 4.
        units.push(ldImm64(1, 1, 0, 0), ldImm64(2, 2, 0, 4), ldImm64(3, 5, 0, 0), ldImm64(4, 6, 0, 4));
        break;
      case 'load':
        for (const off of [0, -8, 32767, -32768]) units.push([insn(code, 7, 10, off, 0)]);
        break;
      case 'store':
        if (code & 0x01) for (const off of [0, -8]) units.push([insn(code, 10, 6, off, 0)]);
        else for (const imm of [0, -1, 0x7fffffff]) units.push([insn(code, 10, 0, -16, imm)]);
        break;
      case 'atomic':
        // every atomic operation is in the table; load-acquire and store-release (cpu v4, any size) besides
        for (const imm of [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1])
          units.push([insn(code, 10, 5, -8, imm)]);
        break;
      case 'ld_legacy':
        units.push([insn(code, 0, 0, 0, 12)], [insn(code, 0, 4, 0, -3)]);
        break;
      default:
        throw new Error(`no instances for ${entry.kind}`);
    }
  }
  for (const size of [0x00, 0x08, 0x10, 0x18]) {
    units.push([insn(0xc3 | size, 3, 10, -8, 0x100)], [insn(0xc3 | size, 10, 3, -8, 0x110)]);
  }
  // may_goto with another src (the kernel's `if r0 (null)` text), an arena address-space cast, and encodings
  // whose reserved fields the walk would refuse
  units.push(
    [insn(0xe5, 0, 1, 0, 0)],
    [insn(0xbf, 1, 2, 1, 0x10000)],
    [insn(0x07, 1, 3, 2, 5)],
    [insn(0xbf, 11, 12, 0, 0)],
  );
  return units;
}

function program(units: readonly Insn[][]): Insn[] {
  return [REFUSED_AT_ONCE, ...units.flat(), ...EXIT_TAIL];
}

/** What the kernel needs to load each program type at all. */
const LOAD_EXTRA: Partial<Record<string, { expectedAttachType?: string; progFlags?: number }>> = {
  cgroup_sock_addr: { expectedAttachType: 'cgroup_inet4_connect' },
  cgroup_sockopt: { expectedAttachType: 'cgroup_getsockopt' },
  sk_lookup: { expectedAttachType: 'sk_lookup' },
  syscall: { progFlags: BPF_F_SLEEPABLE },
  netfilter: { expectedAttachType: '45' }, // BPF_NETFILTER, newer than the oracle's libbpf
};
/** Program types newer than the oracle's libbpf go by number. */
const PROGRAM_TYPE_ARG: Partial<Record<string, string>> = { netfilter: '32' };

/**
 * Where src/abi/helpers.ts disagrees with the prototype the kernel's get_func_proto hands out when loaded as
 * here (the table says whether a call is allowed; the liveness only asks whether a prototype exists): the
 * kernel's argument count, `undefined` for no prototype (r1-r5 read). The test fails when an entry is fixed.
 */
const HELPER_TABLE_GAPS: Partial<Record<string, Record<number, number | undefined>>> = {
  // bpf_get_func_ip has a prototype there; the verifier refuses the call later (check_get_func_ip)
  tracepoint: { 173: 1 },
  perf_event: { 173: 1 },
  raw_tracepoint: { 173: 1 },
  raw_tracepoint_writable: { 173: 1 },
  syscall: { 173: 1 },
  // bpf_get_cgroup_classid: the skb prototype (one argument) in lwt programs
  lwt_in: { 17: 1 },
  lwt_out: { 17: 1 },
  lwt_xmit: { 17: 1 },
  // the seg6 helpers have no prototype for a program loaded without an attach target
  lwt_seg6local: { 17: 1, 74: undefined, 75: undefined, 76: undefined },
  // bpf_get_retval / bpf_set_retval: no prototype without an expected attach type
  cgroup_device: { 186: undefined, 187: undefined },
  cgroup_sysctl: { 186: undefined, 187: undefined },
};

const ONE_ARRAY_MAP = [{ type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }];

oracle.describe('kernel log text: every opcode', () => {
  oracle.it('every opcode of the table, and the kernel-only forms', () => {
    const insns = program(everyOpcodeUnits());
    const kernel = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2, maps: ONE_ARRAY_MAP });
    expect(kernel.log).toContain('R9 !read_ok');
    compareWithLog('every opcode', insns, kernel.log, liveOptionsFor('socket_filter'));
  });

  // Calls read the helper's argument registers: the prototype each program type gets decides how many.
  for (const type of HELPER_PROBED_PROGRAM_TYPES) {
    oracle.it(`every helper id called from ${type}`, () => {
      const calls = Array.from({ length: 215 }, (_, id) => [insn(0x85, 0, 0, 0, id)]);
      const insns = program(calls);
      const kernel = oracle.runInsns({
        type: PROGRAM_TYPE_ARG[type] ?? type,
        insns,
        logLevel: 2,
        ...LOAD_EXTRA[type],
      });
      const gaps = HELPER_TABLE_GAPS[type] ?? {};
      const table = helperArgCountFor(type);
      for (const [id, count] of Object.entries(gaps)) {
        expect(table(Number(id)), `${type}: helper ${id} is still a gap of the helper table`).not.toBe(count);
      }
      const helperArgCount = (id: number) => (id in gaps ? gaps[id] : table(id));
      compareWithLog(`helpers from ${type}`, insns, kernel.log, { helperArgCount });
    });
  }
});

/** Kernel functions of this kernel's BTF by name: BTF id and parameter count (Node-side knowledge for the test). */
function vmlinuxKfuncs(names: readonly string[]): Map<string, { id: number; params: number }> {
  const btf = parseBtf(new Uint8Array(readFileSync('/sys/kernel/btf/vmlinux')), { file: 'vmlinux' });
  const found = new Map<string, { id: number; params: number }>();
  for (const name of names) {
    const id = btf.findByName(name, 'func');
    if (id === undefined) throw new Error(`vmlinux BTF has no ${name}`);
    const func = btf.typeById(id);
    const proto = func.kind === 'func' ? btf.typeById(func.type) : undefined;
    if (proto?.kind !== 'func_proto') throw new Error(`${name}: no prototype`);
    found.set(name, { id, params: proto.params.length });
  }
  return found;
}

oracle.describe('kernel log text: subprograms, callbacks and kfuncs', () => {
  oracle.it('local calls, loops, callback-calling helpers and kfuncs', () => {
    const kfuncs = vmlinuxKfuncs([
      'bpf_rcu_read_lock',
      'bpf_cast_to_kern_ctx',
      'bpf_dynptr_slice',
      'bpf_rbtree_add_impl',
    ]);
    const kfuncCall = (name: string) => insn(0x85, 0, 2, 0, kfuncs.get(name)!.id);
    const main = [
      REFUSED_AT_ONCE,
      insn(0xb7, 1, 0, 0, 4),
      ...ldImm64(2, 4, 0, 0), // the callback, patched below
      insn(0xb7, 3, 0, 0, 0),
      insn(0xb7, 4, 0, 0, 0),
      insn(0x85, 0, 0, 0, 181), // bpf_loop
      insn(0x85, 0, 1, 0, 0), // call the loop subprogram, patched below
      kfuncCall('bpf_rcu_read_lock'),
      insn(0xbf, 1, 6, 0, 0),
      kfuncCall('bpf_cast_to_kern_ctx'),
      kfuncCall('bpf_dynptr_slice'),
      kfuncCall('bpf_rbtree_add_impl'),
      ...ldImm64(1, 1, 0, 0),
      ...ldImm64(2, 4, 0, 0), // the callback again, for bpf_for_each_map_elem
      insn(0x85, 0, 0, 0, 164),
      ...EXIT_TAIL,
    ];
    const loop = [
      insn(0xb7, 1, 0, 0, 0),
      insn(0x07, 1, 0, 0, 1),
      insn(0xa5, 1, 0, -2, 10), // if r1 < 10 goto pc-2
      insn(0x15, 1, 0, -1, 3), // if r1 == 3 goto pc-1: a self edge
      insn(0xbf, 0, 1, 0, 0),
      insn(0x95, 0, 0, 0, 0),
    ];
    const callback = [insn(0xb7, 0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)];
    const insns = [...main, ...loop, ...callback];
    const loopStart = main.length;
    const callbackStart = main.length + loop.length;
    for (const at of [2, main.length - 5]) insns[at] = { ...insns[at], imm: callbackStart - at - 1 };
    insns[7] = { ...insns[7], imm: loopStart - 7 - 1 };
    const kernel = oracle.runInsns({ type: 'sched_cls', insns, logLevel: 2, maps: ONE_ARRAY_MAP });
    // Five loops: bpf_loop, bpf_rbtree_add_impl and bpf_for_each_map_elem (implicit), the counting loop, the self edge.
    expect(kernelLiveBlock(kernel.log)?.match(/^ {2}\d /gm)?.length).toBe(6);
    expect(new Set(kernelLiveBlock(kernel.log)?.match(/^ {2}\d /gm)).size).toBe(5);
    const byId = new Map([...kfuncs].map(([name, kfunc]) => [kfunc.id, { name, ...kfunc }]));
    compareWithLog(
      'calls',
      insns,
      kernel.log,
      {
        ...liveOptionsFor('sched_cls'),
        kfuncArgCount: (id, btfFd) => (btfFd === 0 ? byId.get(id)?.params : undefined),
        kfuncCallsCallback: (id) => byId.get(id)?.name === 'bpf_rbtree_add_impl',
      },
      { kfuncName: (id, btfFd) => (btfFd === 0 ? byId.get(id)?.name : undefined) },
    );
  });
});

/** One piece of a random program; jumps name the unit they go to, resolved to slot offsets once laid out. */
type RandomUnit =
  | { kind: 'plain'; slots: Insn[] }
  | { kind: 'jump'; code: number; dst: number; src: number; imm: number; target: number }
  | { kind: 'goto'; wide: boolean; target: number };

const plain = (slots: Insn[]): RandomUnit => ({ kind: 'plain', slots });
const REG = fc.integer({ min: 0, max: 9 });
const IMM = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -0x80000000, max: 0x7fffffff }));
const ENTRIES = [...OPCODE_TABLE.values()];
const codesOf = (kind: string) => ENTRIES.filter((e) => e.kind === kind).map((e) => e.code);
const ALU_CODES = [...codesOf('alu'), ...codesOf('endian')];
const MEM_CODES = [...codesOf('load'), ...codesOf('store')];
const COND_CODES = ENTRIES.filter((e) => e.kind === 'jump' && !/^(ja|gotol)$/.test(e.name)).map(
  (e) => e.code,
);

const randomUnit: fc.Arbitrary<RandomUnit> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ALU_CODES), REG, REG, IMM)
    .map(([code, dst, src, imm]) => plain([insn(code, dst, src, 0, imm)])),
  fc
    .tuple(fc.constantFrom(...MEM_CODES), REG, REG, fc.integer({ min: -64, max: 64 }), IMM)
    .map(([code, dst, src, off, imm]) => {
      // the kernel refuses LDX with an immediate before anything else ("BPF_LDX uses reserved fields")
      const slot = insn(code, dst, src, off, (code & 0x07) === 0x01 ? 0 : imm);
      return plain([slot]);
    }),
  fc.tuple(REG, IMM, IMM).map(([dst, lo, hi]) => plain(ldImm64(dst, 0, lo, hi))),
  fc.constantFrom(1, 12, 26, 181, 164, 7, 0, 999).map((id) => plain([insn(0x85, 0, 0, 0, id)])),
  fc
    .constantFrom(0x20, 0x28, 0x30, 0x40, 0x48, 0x50)
    .chain((code) => REG.map((src) => plain([insn(code, 0, code >= 0x40 ? src : 0, 0, 14)]))),
  fc.constant(plain([JUMP_OVER_NEXT, insn(0x95, 0, 0, 0, 0)])),
  fc
    .tuple(fc.constantFrom(...COND_CODES), REG, REG, IMM, fc.nat())
    .map(([code, dst, src, imm, target]): RandomUnit => ({ kind: 'jump', code, dst, src, imm, target })),
  fc.tuple(fc.boolean(), fc.nat()).map(([wide, target]): RandomUnit => ({ kind: 'goto', wide, target })),
);

/** Lays the units out after REFUSED_AT_ONCE and before EXIT_TAIL; every unit stays reachable by falling through. */
function layOut(units: readonly RandomUnit[]): Insn[] {
  const sizes = units.map((u) => (u.kind === 'plain' ? u.slots.length : u.kind === 'goto' ? 2 : 1));
  const starts: number[] = [];
  let at = 1;
  for (const size of sizes) {
    starts.push(at);
    at += size;
  }
  const targets = [0, ...starts, at, at + 1];
  const insns: Insn[] = [REFUSED_AT_ONCE];
  units.forEach((unit, k) => {
    if (unit.kind === 'plain') insns.push(...unit.slots);
    else if (unit.kind === 'jump') {
      const offset = targets[unit.target % targets.length] - starts[k] - 1;
      insns.push(insn(unit.code, unit.dst, unit.src, offset, unit.imm));
    } else {
      // a goto would leave the next unit unreachable: a conditional jump over it first
      const offset = targets[unit.target % targets.length] - (starts[k] + 1) - 1;
      insns.push(JUMP_OVER_NEXT, unit.wide ? insn(0x06, 0, 0, 0, offset) : insn(0x05, 0, 0, offset, 0));
    }
  });
  return [...insns, ...EXIT_TAIL];
}

oracle.describe('kernel log text: random control flow', () => {
  oracle.it('random programs with loops: SCCs, liveness and text equal the kernel', () => {
    const runs = 150;
    let compared = 0;
    fc.assert(
      fc.property(fc.array(randomUnit, { minLength: 1, maxLength: 40 }), (units) => {
        const insns = layOut(units);
        const kernel = oracle.runInsns({ type: 'socket_filter', insns, logLevel: 2 });
        if (kernelLiveBlock(kernel.log) === undefined) return; // refused before the block (counted below)
        compareWithLog('random program', insns, kernel.log, liveOptionsFor('socket_filter'));
        compared++;
      }),
      { numRuns: runs },
    );
    // The layout keeps every unit reachable, so the kernel should reach the block for nearly every program.
    expect(compared).toBeGreaterThanOrEqual(runs * 0.9);
  });
});
