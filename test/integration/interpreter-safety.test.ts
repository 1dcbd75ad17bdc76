// Safety of checked mode: random programs (structurally valid, otherwise anything) and random memory accesses
// only ever end normally or with a RuntimeFault: never another exception, never past the budget.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../../src/isa/insn.js';
import { InsnError } from '../../src/isa/insn-error.js';
import { type FieldRule, OPCODE_TABLE } from '../../src/isa/opcode-table.js';
import { BPF_EXIT_INSN, BPF_LD_IMM64 } from '../../src/isa/opcodes.js';
import { validateInsns } from '../../src/isa/validate.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { KERNEL_HELPERS } from '../../src/vm/helpers/index.js';
import { interpret } from '../../src/vm/interpreter.js';
import { RuntimeFault } from '../../src/vm/runtime.js';
import { Vm } from '../../src/vm/vm.js';

const CODES = [...OPCODE_TABLE.keys()].filter((code) => code !== BPF_LD_IMM64);
const BUDGET = 5_000;

/** A field value the opcode table allows, so most random programs pass the structural checks. */
function fieldValue(rule: FieldRule, random: number, register: number): number {
  switch (rule.kind) {
    case 'reg':
      return register;
    case 'zero':
    case 'zeroUnlessKfunc':
      return 0;
    case 'oneOf':
      return rule.values[random % rule.values.length];
    case 'any':
      return random;
  }
}

const randomSlot = fc.record({
  code: fc.constantFrom(...CODES),
  dst: fc.integer({ min: 0, max: 9 }),
  src: fc.integer({ min: 0, max: 10 }),
  off: fc.oneof(fc.integer({ min: -16, max: 16 }), fc.integer({ min: -600, max: 600 })),
  imm: fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: -100, max: 100 }), fc.integer()),
});

/**
 * A random program ending in exit; jumps stay inside it and calls are helper calls (local calls need a
 * function layout). Programs the structural checks still refuse are discarded, as progLoad refuses them.
 */
const randomProgram = fc.array(randomSlot, { minLength: 1, maxLength: 40 }).map((slots) => {
  const count = slots.length + 1;
  const insns: Insn[] = slots.map(({ code, dst, src, off, imm }, index) => {
    const entry = OPCODE_TABLE.get(code)!;
    let fields = {
      dst: fieldValue(entry.dst, imm >>> 0, dst),
      src: fieldValue(entry.src, imm >>> 0, src),
      off: fieldValue(entry.off, off, src),
      imm: fieldValue(entry.imm, imm, src),
    };
    if (entry.kind === 'jump' && code !== 0x06 && code !== 0x85) {
      // A target inside the program: index + 1 + off in [0, count - 1].
      fields = { ...fields, off: (((off % count) + count) % count) - index - 1 };
    }
    if (code === 0x06) fields = { ...fields, imm: (((imm % count) + count) % count) - index - 1 };
    if (code === 0x85) fields = { ...fields, src: 0, off: 0, imm: 1 + ((imm >>> 0) % 8) };
    return insn(code, fields.dst, fields.src, fields.off, fields.imm);
  });
  insns.push(insn(BPF_EXIT_INSN, 0, 0, 0, 0));
  try {
    validateInsns(insns);
    return insns;
  } catch (error) {
    if (error instanceof InsnError) return undefined;
    throw error;
  }
});

function runChecked(
  insns: Insn[],
  ctx: (vm: Vm) => number,
  mode: 'checked' | 'fast' = 'checked',
): 'ok' | 'fault' {
  const vm = new Vm();
  const program = buildExecutable(insns, { type: 'socket_filter' });
  const context = ctx(vm);
  const start = performance.now();
  try {
    interpret(program, { ctx: context, cpu: 0 }, vm, KERNEL_HELPERS, { mode, budget: BUDGET });
    return 'ok';
  } catch (error) {
    if (error instanceof RuntimeFault) return 'fault';
    throw error;
  } finally {
    // The budget bounds the work: thousands of instructions take milliseconds, not seconds.
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(vm.memory.inRun).toBe(false);
  }
}

describe('checked mode is safe', () => {
  it('random programs end normally or with RuntimeFault', () => {
    const outcomes = { ok: 0, fault: 0, invalid: 0 };
    fc.assert(
      fc.property(randomProgram, (insns) => {
        if (insns === undefined) {
          outcomes.invalid++;
          return;
        }
        outcomes[runChecked(insns, (vm) => vm.memory.allocate(64))]++;
      }),
      { numRuns: 3000, seed: 0x5afe },
    );
    // Both ends are exercised: programs that finish and programs that fault.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.fault).toBeGreaterThan(50);
  });

  it('fast mode (no bounds beyond the memory) also ends normally or with RuntimeFault', () => {
    const outcomes = { ok: 0, fault: 0 };
    fc.assert(
      fc.property(randomProgram, (insns) => {
        if (insns !== undefined) outcomes[runChecked(insns, (vm) => vm.memory.allocate(64), 'fast')]++;
      }),
      { numRuns: 1500, seed: 0xfa57 },
    );
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.fault).toBeGreaterThan(10);
  });

  it('loops end at the budget with a fault naming the instruction and the call stack', () => {
    // r0 = 0; loop: r0 += 1; goto loop (via a subprogram call, so the stack has two frames)
    const insns: Insn[] = [
      insn(0x85, 0, 1, 0, 1), // call +1
      insn(BPF_EXIT_INSN, 0, 0, 0, 0),
      insn(0xb7, 0, 0, 0, 0), // r0 = 0
      insn(0x07, 0, 0, 0, 1), // r0 += 1
      insn(0x05, 0, 0, -2, 0), // goto -2
      insn(BPF_EXIT_INSN, 0, 0, 0, 0),
    ];
    const vm = new Vm();
    const program = buildExecutable(insns, { type: 'socket_filter', name: 'spin' });
    try {
      interpret(program, { ctx: 0, cpu: 0 }, vm, KERNEL_HELPERS, { mode: 'checked', budget: 1000 });
      expect.unreachable('the loop must hit the budget');
    } catch (error) {
      expect(error).toBeInstanceOf(RuntimeFault);
      const fault = error as RuntimeFault;
      expect(fault.reason).toBe('instruction budget of 1000 exhausted');
      expect([3, 4]).toContain(fault.insn);
      expect(fault.callStack).toEqual(['spin', 'func@2']);
    }
  });

  it('random loads and stores hit memory or fault, never the host', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.constantFrom(0x61, 0x69, 0x71, 0x79, 0x63, 0x6b, 0x73, 0x7b, 0x81, 0x89, 0x91),
        (address, off, code) => {
          // r1 = address (LD_IMM64), then one load or store through it
          const lo = Number(address & 0xffff_ffffn) | 0;
          const hi = Number(address >> 32n) | 0;
          const access = (code & 0x07) === 0x03 ? insn(code, 1, 0, off, 0) : insn(code, 0, 1, off, 0);
          const insns = [
            insn(BPF_LD_IMM64, 1, 0, 0, lo),
            insn(0, 0, 0, 0, hi),
            access,
            insn(0xb7, 0, 0, 0, 0),
            insn(BPF_EXIT_INSN, 0, 0, 0, 0),
          ];
          runChecked(insns, () => 0);
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });
});
