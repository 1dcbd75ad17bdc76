// Unit tests of the interpreter: ALU and jump semantics against a BigInt model of RFC 9669 on random operands,
// frames and the stack, call depth, helpers and callbacks, tail calls, legacy packet loads, checked-mode faults.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { type Insn, insn } from '../isa/insn.js';
import { BPF_MAX_LOOPS } from '../abi/limits.js';
import { BPF_LD_IMM64, BPF_PSEUDO_FUNC } from '../isa/opcodes.js';
import { buildExecutable } from './executable.js';
import {
  DEFAULT_BUDGET,
  type InterpretOptions,
  type InterpretRun,
  interpret,
  interpreter,
} from './interpreter.js';
import {
  type ExecutableProgram,
  type HelperImplementation,
  type HelperTable,
  ProgramExit,
  RuntimeFault,
} from './runtime.js';
import { Vm } from './vm.js';

const U64 = (1n << 64n) - 1n;
const NO_HELPERS: HelperTable = new Map();

function program(source: string | Insn[], name = 'prog'): ExecutableProgram {
  const insns = typeof source === 'string' ? assembleInsns(source) : source;
  return buildExecutable(insns, { type: 'xdp', name });
}

function run(
  source: string | Insn[] | ExecutableProgram,
  options: Partial<InterpretOptions> & { vm?: Vm; helpers?: HelperTable; run?: Partial<InterpretRun> } = {},
): bigint {
  const vm = options.vm ?? new Vm();
  const executable = typeof source === 'object' && 'decoded' in source ? source : program(source);
  return interpret(executable, { ctx: 0, cpu: 0, ...options.run }, vm, options.helpers ?? NO_HELPERS, {
    mode: options.mode ?? 'checked',
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.functionNames === undefined ? {} : { functionNames: options.functionNames }),
  });
}

function faultOf(body: () => unknown): RuntimeFault {
  try {
    body();
  } catch (error) {
    if (error instanceof RuntimeFault) return error;
    throw error;
  }
  throw new Error('expected a RuntimeFault');
}

// ---- a BigInt model of RFC 9669 section 4.1 ----

const signed = (value: bigint, bits: number): bigint => BigInt.asIntN(bits, value);
const unsigned = (value: bigint, bits: number): bigint => BigInt.asUintN(bits, value);

function modelAlu(op: string, width: 32 | 64, dst: bigint, src: bigint): bigint {
  const a = unsigned(dst, width);
  const b = unsigned(src, width);
  const shift = b & BigInt(width - 1);
  const wrap = (value: bigint) => unsigned(value, width);
  switch (op) {
    case '+=':
      return wrap(a + b);
    case '-=':
      return wrap(a - b);
    case '*=':
      return wrap(a * b);
    case '/=':
      return b === 0n ? 0n : a / b;
    case '%=':
      return b === 0n ? a : a % b;
    case 's/=':
      return b === 0n ? 0n : wrap(signed(a, width) / signed(b, width));
    case 's%=':
      return b === 0n ? a : wrap(signed(a, width) % signed(b, width));
    case '|=':
      return a | b;
    case '&=':
      return a & b;
    case '^=':
      return a ^ b;
    case '<<=':
      return wrap(a << shift);
    case '>>=':
      return a >> shift;
    case 's>>=':
      return wrap(signed(a, width) >> shift);
    default:
      throw new Error(op);
  }
}

function modelJump(op: string, width: 32 | 64, dst: bigint, src: bigint): boolean {
  const a = unsigned(dst, width);
  const b = unsigned(src, width);
  const sa = signed(a, width);
  const sb = signed(b, width);
  const table: Record<string, boolean> = {
    '==': a === b,
    '!=': a !== b,
    '>': a > b,
    '>=': a >= b,
    '<': a < b,
    '<=': a <= b,
    '&': (a & b) !== 0n,
    's>': sa > sb,
    's>=': sa >= sb,
    's<': sa < sb,
    's<=': sa <= sb,
  };
  return table[op];
}

const ALU_OPS = ['+=', '-=', '*=', '/=', '%=', 's/=', 's%=', '|=', '&=', '^=', '<<=', '>>=', 's>>='];
const JUMP_OPS = ['==', '!=', '>', '>=', '<', '<=', '&', 's>', 's>=', 's<', 's<='];

/** Operands that favour edges (0, ±1, sign bits, 32-bit boundaries) over uniform noise. */
const operand = fc.oneof(
  fc.bigInt({ min: 0n, max: U64 }),
  fc.constantFrom(0n, 1n, U64, 1n << 63n, (1n << 63n) - 1n, 0xffff_ffffn, 0x8000_0000n, 0x1_0000_0000n),
  fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
  fc.integer({ min: -64, max: 64 }).map((value) => unsigned(BigInt(value), 64)),
);

describe('ALU and jumps equal the RFC 9669 model', () => {
  for (const width of [64, 32] as const) {
    const r = width === 64 ? 'r' : 'w';
    it(`${width}-bit ALU with register operands`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...ALU_OPS), operand, operand, (op, a, b) => {
          const text = `r2 = 0x${a.toString(16)} ll\nr3 = 0x${b.toString(16)} ll\n${r}2 ${op} ${r}3\nr0 = r2\nexit`;
          expect(run(text, { mode: 'fast' })).toBe(modelAlu(op, width, a, b));
        }),
        { numRuns: 1500 },
      );
    });
    it(`${width}-bit ALU with sign-extended immediates`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ALU_OPS),
          operand,
          fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }),
          (op, a, imm) => {
            const text = `r2 = 0x${a.toString(16)} ll\n${r}2 ${op} ${imm}\nr0 = r2\nexit`;
            expect(run(text, { mode: 'fast' })).toBe(modelAlu(op, width, a, unsigned(BigInt(imm), 64)));
          },
        ),
        { numRuns: 800 },
      );
    });
    it(`${width}-bit conditional jumps`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...JUMP_OPS), operand, operand, (op, a, b) => {
          const text = `r2 = 0x${a.toString(16)} ll\nr3 = 0x${b.toString(16)} ll\nr0 = 1\nif ${r}2 ${op} ${r}3 goto taken\nr0 = 0\ntaken:\nexit`;
          expect(run(text, { mode: 'fast' })).toBe(modelJump(op, width, a, b) ? 1n : 0n);
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('neg, movsx, byte swaps and conversions', () => {
    fc.assert(
      fc.property(operand, (a) => {
        const load = `r2 = 0x${a.toString(16)} ll\n`;
        const swap = (value: bigint, bits: number) => {
          let out = 0n;
          for (let i = 0; i < bits; i += 8) out = (out << 8n) | ((value >> BigInt(i)) & 0xffn);
          return out;
        };
        expect(run(`${load}r2 = -r2\nr0 = r2\nexit`)).toBe(unsigned(-a, 64));
        expect(run(`${load}w2 = -w2\nr0 = r2\nexit`)).toBe(unsigned(-a, 32));
        for (const bits of [8, 16, 32]) {
          expect(run(`${load}r0 = (s${bits})r2\nexit`)).toBe(unsigned(signed(a, bits), 64));
        }
        for (const bits of [8, 16]) {
          expect(run(`${load}w0 = (s${bits})w2\nexit`)).toBe(unsigned(signed(a, bits), 32));
        }
        for (const bits of [16, 32, 64]) {
          const low = unsigned(a, bits);
          expect(run(`${load}r2 = le${bits} r2\nr0 = r2\nexit`)).toBe(low);
          expect(run(`${load}r2 = be${bits} r2\nr0 = r2\nexit`)).toBe(swap(low, bits));
          expect(run(`${load}r2 = bswap${bits} r2\nr0 = r2\nexit`)).toBe(swap(low, bits));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('memory, frames and the stack', () => {
  it('loads and stores every width, sign-extending loads and atomics with fetch', () => {
    const text = `
      r1 = 0x8899aabbccddeeff ll
      *(u64 *)(r10 - 8) = r1
      r2 = *(s8 *)(r10 - 8)
      r3 = *(s16 *)(r10 - 8)
      r4 = *(s32 *)(r10 - 8)
      r5 = *(u32 *)(r10 - 4)
      r0 = r2
      r0 ^= r3
      r0 ^= r4
      r0 ^= r5
      *(u32 *)(r10 - 16) = -1
      r6 = 5
      w6 = atomic_fetch_add((u32 *)(r10 - 16), w6)
      r7 = *(u32 *)(r10 - 16)
      r0 += r6
      r0 += r7
      exit`;
    const expected =
      unsigned(signed(0xffn, 8), 64) ^
      unsigned(signed(0xeeffn, 16), 64) ^
      unsigned(signed(0xccddeeffn, 32), 64) ^
      0x8899aabbn;
    expect(run(text)).toBe(unsigned(expected + 0xffff_ffffn + 4n, 64));
  });

  it('cmpxchg stores only on a match and returns the old value in r0', () => {
    const text = `
      r1 = 10
      *(u64 *)(r10 - 8) = r1
      r0 = 9
      r2 = 20
      r0 = cmpxchg_64(r10 - 8, r0, r2)
      r3 = *(u64 *)(r10 - 8)
      r6 = r0
      r0 = 10
      r0 = cmpxchg_64(r10 - 8, r0, r2)
      r4 = *(u64 *)(r10 - 8)
      r0 <<= 16
      r6 <<= 8
      r0 |= r6
      r3 <<= 24
      r0 |= r3
      r4 <<= 32
      r0 |= r4
      exit`;
    // first attempt fails (old 10, memory stays 10), second succeeds (old 10, memory 20)
    expect(run(text)).toBe((20n << 32n) | (10n << 24n) | (10n << 16n) | (10n << 8n));
  });

  it('callee-saved registers survive calls and r10 is a new frame below the caller', () => {
    const text = `
      r6 = 6
      r9 = 9
      r1 = r10
      call callee
      r0 += r6
      r0 += r9
      exit
    callee:
      r6 = 100
      r9 = 100
      r0 = r1
      r0 -= r10
      exit`;
    // Every function gets MAX_BPF_STACK (512) bytes when no verifier depths are given.
    expect(run(text)).toBe(512n + 15n);
  });

  it('a callee writes through a pointer into its caller stack', () => {
    const text = `
      r1 = 1
      *(u64 *)(r10 - 8) = r1
      r1 = r10
      r1 += -8
      call writer
      r0 = *(u64 *)(r10 - 8)
      exit
    writer:
      r2 = 0x1234
      *(u64 *)(r1 + 0) = r2
      r0 = 0
      exit`;
    expect(run(text)).toBe(0x1234n);
  });

  it('eight frames are allowed, the ninth is a fault naming the call stack', () => {
    const chain = (frames: number) => {
      const lines = ['r0 = 0', 'call f1', 'exit'];
      for (let i = 1; i < frames; i++) {
        lines.push(`f${i}:`, i + 1 < frames ? `call f${i + 1}` : 'r0 = 0', 'r0 += 1', 'exit');
      }
      return lines.join('\n');
    };
    expect(run(chain(8))).toBe(7n);
    const fault = faultOf(() => run(chain(9), { functionNames: ['main'] }));
    expect(fault.reason).toMatch(/call stack of 9 frames is too deep/);
    expect(fault.callStack).toHaveLength(8);
    expect(fault.callStack[0]).toBe('main');
    expect(fault.callStack[7]).toMatch(/^func@\d+$/);
  });

  it('the stack is freed after every run, also after a fault', () => {
    const vm = new Vm();
    const before = vm.memory.stats().allocatedBlocks;
    run('r0 = 1\nexit', { vm });
    faultOf(() => run('r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit', { vm }));
    expect(vm.memory.stats().allocatedBlocks).toBe(before);
    expect(vm.memory.inRun).toBe(false);
  });
});

describe('a prepared program', () => {
  it('runs many times on one stack, each run from zeroed registers and a full budget', () => {
    const vm = new Vm();
    const before = vm.memory.stats().allocatedBlocks;
    // r6 is never set before it is read: every run must start from zero, so r0 = 1 each time.
    const loop = 'r6 += 1\nr0 = r6\nr2 = 100\nl: r2 += -1\nif r2 != 0 goto l\nexit';
    const prepared = interpreter.prepare(program(loop), vm, NO_HELPERS, { mode: 'checked', budget: 250 });
    const prepared2 = vm.memory.stats().allocatedBlocks;
    expect(prepared2).toBeGreaterThan(before);
    expect(prepared.run({ ctx: 0, cpu: 0 }, 1000)).toBe(1n);
    expect(vm.memory.stats().allocatedBlocks).toBe(prepared2);
    expect(vm.memory.inRun).toBe(false);
    prepared.release();
    expect(vm.memory.stats().allocatedBlocks).toBe(before);
  });

  it('a fault in one run leaves the next run clean', () => {
    const vm = new Vm();
    const text = 'r1 = *(u32 *)(r1 + 0)\nr0 = 7\nexit';
    const prepared = interpreter.prepare(program(text), vm, NO_HELPERS, { mode: 'checked' });
    const context = vm.memory.allocate(8);
    expect(faultOf(() => prepared.run({ ctx: 16, cpu: 0 })).insn).toBe(0);
    expect(prepared.run({ ctx: context, cpu: 0 }, 3)).toBe(7n);
    expect(vm.memory.inRun).toBe(false);
    prepared.release();
  });
});

describe('checked and fast modes', () => {
  it('checked mode refuses accesses outside live allocations', () => {
    const fault = faultOf(() => run('r1 = 16\nr0 = *(u32 *)(r1 + 0)\nexit'));
    expect(fault.insn).toBe(1);
    expect(fault.reason).toMatch(/invalid read of 4 bytes at address 0x10/);
    const vm = new Vm();
    const block = vm.memory.allocate(16);
    const address = `0x${block.toString(16)}`;
    expect(run(`r1 = ${address} ll\nr0 = *(u64 *)(r1 + 8)\nexit`, { vm })).toBe(0n);
    expect(faultOf(() => run(`r1 = ${address} ll\n*(u64 *)(r1 + 12) = r1\nexit`, { vm })).reason).toMatch(
      /invalid write of 8 bytes/,
    );
  });

  it('a pointer whose high bits are set never reaches memory', () => {
    expect(faultOf(() => run('r1 = 0x100001000 ll\nr0 = *(u8 *)(r1 + 0)\nexit')).insn).toBe(2);
    expect(faultOf(() => run('r1 = -1\nr0 = *(u8 *)(r1 + 0)\nexit', { mode: 'fast' })).reason).toMatch(
      /invalid read of 1 bytes at address 0xffffffffffffffff/,
    );
  });

  it('fast mode still keeps accesses inside the memory', () => {
    const fault = faultOf(() => run('r1 = 0x7ffffff0 ll\n*(u64 *)(r1 + 0) = r1\nexit', { mode: 'fast' }));
    expect(fault).toBeInstanceOf(RuntimeFault);
    expect(fault.insn).toBe(2);
  });

  it('the budget stops endless loops with the instruction and call stack', () => {
    const text = 'call spin\nexit\nspin:\nr0 = 0\nloop:\nr0 += 1\ngoto loop';
    const fault = faultOf(() => run(text, { budget: 1000 }));
    expect(fault.reason).toBe('instruction budget of 1000 exhausted');
    expect(fault.callStack).toEqual(['prog', 'func@2']);
    expect(DEFAULT_BUDGET).toBe(1_000_000);
    expect(faultOf(() => run('loop:\ngoto loop')).reason).toMatch(/budget of 1000000/);
  });

  it('bad jumps fault when taken, and so does running off the end', () => {
    const insns = assembleInsns('r0 = 1\nif r0 == 2 goto +0\nr0 = 2\nexit');
    insns[1] = { ...insns[1], off: 40 };
    expect(run(insns)).toBe(2n);
    insns[0] = { ...insns[0], imm: 2 };
    const fault = faultOf(() => run(insns));
    expect(fault.insn).toBe(1);
    expect(fault.reason).toBe('jump out of range to insn 42');
    expect(faultOf(() => run(assembleInsns('r0 = 1\nr0 += 1'))).reason).toMatch(/fell off the end/);
  });
});

describe('helpers and callbacks', () => {
  it('a helper gets r1-r5 and sets r0; an unknown helper is a fault', () => {
    const seen: bigint[][] = [];
    const helpers = new Map<number, HelperImplementation>([
      [
        7,
        (call) => {
          seen.push([...call.args]);
          return -2n;
        },
      ],
    ]);
    expect(run('r1 = 1\nr2 = 2\nr3 = -3\nr4 = 4\nr5 = 5\ncall 7\nexit', { helpers })).toBe(unsigned(-2n, 64));
    expect(seen).toEqual([[1n, 2n, unsigned(-3n, 64), 4n, 5n]]);
    const fault = faultOf(() => run('call 99\nexit', { helpers }));
    expect(fault.reason).toBe('unknown helper 99');
  });

  it('errors a helper throws become faults at the call with the call stack; ProgramExit ends the run', () => {
    const helpers = new Map<number, HelperImplementation>([
      [1, (call) => BigInt(call.vm.memory.readU8(8))],
      [
        3,
        () => {
          throw new ProgramExit(42n);
        },
      ],
    ]);
    const fault = faultOf(() => run('call f\nexit\nf:\ncall 1\nexit', { helpers }));
    expect(fault.insn).toBe(2);
    expect(fault.reason).toMatch(/helper 1: invalid memory access/);
    expect(fault.callStack).toEqual(['prog', 'func@2']);
    expect(run('r0 = 1\ncall 3\nr0 = 2\nexit', { helpers })).toBe(42n);
  });

  it('callbacks run in a new frame through RunState.callFunction and return r0', () => {
    // r1 = function pointer to `square` (LD_IMM64 src 4), helper 5 calls it for 0..3 and sums the results.
    const body = assembleInsns(`
      r6 = 7
      call 5
      r0 += r6
      exit
    square:
      r0 = r1
      r0 *= r1
      r6 = 1000
      exit`);
    const insns = [insn(BPF_LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, 5), insn(0, 0, 0, 0, 0), ...body];
    const helpers = new Map<number, HelperImplementation>([
      [
        5,
        (call) => {
          let sum = 0n;
          for (let i = 0n; i < 4n; i++) sum += call.run.callFunction(call.args[0], [i]);
          return sum;
        },
      ],
    ]);
    expect(run(insns, { helpers })).toBe(0n + 1n + 4n + 9n + 7n);
    const notAFunction = [insn(BPF_LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, 1), ...insns.slice(1)];
    expect(faultOf(() => run(notAFunction, { helpers })).reason).toMatch(/is not a function of the program/);
  });
});

describe('tail calls', () => {
  function tailCallVm(targets: Record<number, string>) {
    const vm = new Vm();
    const map = vm.maps.create({ type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 4 });
    for (const [slot, text] of Object.entries(targets)) {
      const handle = 100 + Number(slot);
      vm.registerProgram(handle, program(text, `target${slot}`));
      const key = new Uint8Array(new Uint32Array([Number(slot)]).buffer);
      expect(map.update(key, new Uint8Array(new Uint32Array([handle]).buffer))).toBe(0);
    }
    return { vm, mapAddress: `0x${map.address.toString(16)}` };
  }

  it('jumps to the slot program with r1 kept; empty and out-of-range slots fall through', () => {
    const { vm, mapAddress } = tailCallVm({ 1: 'r0 = r1\nr0 += 1000\nexit' });
    const call = (index: number) => `r6 = r1\nr2 = ${mapAddress} ll\nr3 = ${index}\ncall 12\nr0 = 7\nexit`;
    expect(run(call(1), { vm, run: { ctx: 5 } })).toBe(1005n);
    expect(run(call(0), { vm, run: { ctx: 5 } })).toBe(7n);
    expect(run(call(4), { vm, run: { ctx: 5 } })).toBe(7n);
    const fault = faultOf(() => run('r2 = 0\nr3 = 0\ncall 12\nexit', { vm }));
    expect(fault.reason).toMatch(/needs a prog_array map in r2/);
  });

  it('a tail call from a subprogram returns the target r0 to the caller', () => {
    const { vm, mapAddress } = tailCallVm({ 2: 'r0 = 40\nexit' });
    const text = `r6 = 2\ncall sub\nr0 += r6\nexit\nsub:\nr2 = ${mapAddress} ll\nr3 = 2\ncall 12\nr0 = 1\nexit`;
    expect(run(text, { vm })).toBe(42n);
  });

  it("a tail-call target's own calls return into it, and its exit into the program that called", () => {
    const { vm, mapAddress } = tailCallVm({ 2: 'call tsub\nr0 += 30\nexit\ntsub:\nr0 = 10\nexit' });
    const text = `r6 = 2\ncall sub\nr0 += r6\nexit\nsub:\nr2 = ${mapAddress} ll\nr3 = 2\ncall 12\nr0 = 1\nexit`;
    expect(run(text, { vm })).toBe(42n);
    // A fault there names each frame's own program: the entry's caller, the target's, then the function that faulted.
    const faulty = tailCallVm({ 2: 'call tsub\nexit\ntsub:\nr0 = *(u8 *)(r0 + 0)\nexit' });
    const caller = `call sub\nexit\nsub:\nr2 = ${faulty.mapAddress} ll\nr3 = 2\ncall 12\nexit`;
    expect(faultOf(() => run(caller, { vm: faulty.vm })).callStack).toEqual(['prog', 'target2', 'func@2']);
  });

  it('at most 33 tail calls per run', () => {
    const vm = new Vm();
    const map = vm.maps.create({ type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 1 });
    const counter = vm.memory.allocate(8);
    const text = `r6 = 0x${counter.toString(16)} ll
      r7 = *(u64 *)(r6 + 0)
      r7 += 1
      *(u64 *)(r6 + 0) = r7
      r2 = 0x${map.address.toString(16)} ll
      r3 = 0
      call 12
      r0 = *(u64 *)(r6 + 0)
      exit`;
    const self = program(text);
    vm.registerProgram(1, self);
    map.update(new Uint8Array(4), new Uint8Array([1, 0, 0, 0]));
    expect(run(self, { vm })).toBe(34n);
    // The count is per run: the next run chains 33 calls again.
    expect(run(self, { vm })).toBe(68n);
  });
});

describe('legacy packet loads', () => {
  const packet = {
    loadAbsolute(offset: number, size: 1 | 2 | 4): bigint | undefined {
      const bytes = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66];
      if (offset < 0 || offset + size > bytes.length) return undefined;
      let value = 0n;
      for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(bytes[offset + i]);
      return value;
    },
  };
  const ldAbs = (size: number, imm: number) =>
    insn(0x20 | ({ 1: 0x10, 2: 0x08, 4: 0x00 } as const)[size as 1 | 2 | 4], 0, 0, 0, imm);
  const exit = insn(0x95, 0, 0, 0, 0);

  it('LD_ABS and LD_IND read network-order values; out of the packet ends the program with r0 = 0', () => {
    expect(run([ldAbs(2, 1), exit], { run: { packet } })).toBe(0x2233n);
    expect(run([ldAbs(4, 2), exit], { run: { packet } })).toBe(0x33445566n);
    const ldInd = insn(0x40 | 0x10, 0, 7, 0, 1);
    expect(run([insn(0xb7, 7, 0, 0, 3), ldInd, exit], { run: { packet } })).toBe(0x55n);
    expect(
      run([insn(0xb7, 0, 0, 0, 9), ldAbs(4, 4), insn(0xb7, 0, 0, 0, 1), exit], { run: { packet } }),
    ).toBe(0n);
    expect(faultOf(() => run([ldAbs(1, 0), exit])).reason).toMatch(/need a socket buffer/);
  });
});

describe('may_goto, load-acquire and store-release', () => {
  it('load-acquire and store-release are zero-extending loads and plain stores of every size', () => {
    const text = (size: string, reg: string) => `r1 = 0x8899aabbccddeeff ll
      *(u64 *)(r10 - 16) = r1
      ${reg}0 = load_acquire((${size} *)(r10 - 16))
      exit`;
    for (const mode of ['checked', 'fast'] as const) {
      expect(run(text('u8', 'w'), { mode })).toBe(0xffn);
      expect(run(text('u16', 'w'), { mode })).toBe(0xeeffn);
      expect(run(text('u32', 'w'), { mode })).toBe(0xccddeeffn);
      expect(run(text('u64', 'r'), { mode })).toBe(0x8899aabbccddeeffn);
    }
    const release = (size: string, reg: string) => `r1 = -1
      *(u64 *)(r10 - 8) = r1
      r2 = 0x1122334455667788 ll
      store_release((${size} *)(r10 - 8), ${reg}2)
      r0 = *(u64 *)(r10 - 8)
      exit`;
    expect(run(release('u8', 'w'))).toBe(0xffffffffffffff88n);
    expect(run(release('u16', 'w'))).toBe(0xffffffffffff7788n);
    expect(run(release('u32', 'w'))).toBe(0xffffffff55667788n);
    expect(run(release('u64', 'r'))).toBe(0x1122334455667788n);
  });

  it('checked mode faults on them like on any access', () => {
    const load = faultOf(() => run('r1 = 16\nw0 = load_acquire((u32 *)(r1 + 0))\nexit'));
    expect(load.insn).toBe(1);
    expect(load.reason).toMatch(/invalid read of 4 bytes at address 0x10/);
    const store = faultOf(() => run('r1 = 16\nr2 = 1\nstore_release((u64 *)(r1 + 8), r2)\nexit'));
    expect(store.insn).toBe(2);
    expect(store.reason).toMatch(/invalid write of 8 bytes at address 0x18/);
  });

  it('may_goto falls through BPF_MAX_LOOPS times per function entry, then always jumps', () => {
    // f spends its whole budget; the caller's own budget is untouched, and a later may_goto in f jumps at once.
    const text = `r6 = 0
      may_goto +5
      call f
      r6 = r0
      may_goto +2
      r0 = r6
      exit
      r0 = 1000
      exit
      f:
      r0 = 0
      l:
      may_goto out
      r0 += 1
      goto l
      out:
      may_goto done
      r0 = 2000
      done:
      exit`;
    const executable = program(text);
    const vm = new Vm();
    expect(run(executable, { mode: 'fast', budget: Number.POSITIVE_INFINITY, vm })).toBe(
      BigInt(BPF_MAX_LOOPS),
    );
    // A new run starts with a full budget again.
    expect(run(executable, { mode: 'fast', budget: Number.POSITIVE_INFINITY, vm })).toBe(
      BigInt(BPF_MAX_LOOPS),
    );
  });

  it('may_goto +0 goes on either way; an out-of-range target is harmless while the budget lasts', () => {
    expect(run('r0 = 3\nmay_goto +0\nexit')).toBe(3n);
    const insns = assembleInsns('r0 = 4\nmay_goto +0\nexit');
    insns[1] = { ...insns[1], off: 40 };
    expect(run(insns)).toBe(4n);
  });
});
