// Thousands of random programs (random-runtime-programs.ts) through the interpreter and the JIT, in checked and
// fast mode with a small instruction budget: the same retval, packet, map values and faults (same reason at the
// same instruction, same call stack).

import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src/jit/compile.js';
import { jitEngine } from '../../src/jit/index.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { KERNEL_HELPERS } from '../../src/vm/helpers/index.js';
import { interpreter } from '../../src/vm/interpreter.js';
import type { Engine, ExecutableProgram, ExecutionMode } from '../../src/vm/runtime.js';
import { testRun } from '../../src/vm/test-run.js';
import { Vm } from '../../src/vm/vm.js';
import { MAP_FD, PACKET_SIZE, randomRuntimeProgram, VALUE_SIZE } from './random-runtime-programs.js';

const PROGRAMS = 3000;
const BUDGET = 4000;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const PACKET = new Uint8Array(PACKET_SIZE).map((_, i) => (i * 37 + 11) & 0xff);

function run(engine: Engine, seed: number, mode: ExecutionMode) {
  const { insns, stackDepths } = randomRuntimeProgram(seed);
  const vm = new Vm();
  const map = vm.maps.create({
    type: 'array',
    keySize: 4,
    valueSize: VALUE_SIZE,
    maxEntries: 4,
    name: 'values',
  });
  const program = buildExecutable(insns, {
    type: 'xdp',
    name: `random${seed}`,
    stackDepths,
    mapByFd: (fd) => (fd === MAP_FD ? map : undefined),
  });
  const packet = PACKET.slice();
  packet[0] = seed & 0xff;
  const result = testRun(engine, program, vm, KERNEL_HELPERS, { data: packet, mode, budget: BUDGET });
  const fault = result.error?.fault;
  return {
    program,
    outcome: {
      retval: result.retval,
      dataOut: hex(result.dataOut),
      error: result.error?.code,
      fault:
        fault === undefined
          ? undefined
          : { insn: fault.insn, reason: fault.reason, callStack: fault.callStack },
      values: [...map.entries()].map((entry) => hex(entry.value)),
    },
  };
}

/** A function runs on into the next: the JIT compiles each function over the whole program. */
function wholeProgramRegions(program: ExecutableProgram): boolean {
  return program.functionStarts.slice(1).some((start) => {
    const last = program.decoded[start - 1] ?? program.decoded[start - 2];
    return !(last?.kind === 'exit' || (last?.kind === 'jump' && last.op === 'ja'));
  });
}

describe('random programs: the JIT equals the interpreter, faults included', () => {
  it(`${PROGRAMS} programs in checked and fast mode`, () => {
    let reached = 0;
    let faults = 0;
    let budgetFaults = 0;
    let accessFaults = 0;
    let dispatchLoops = 0;
    let calls = 0;
    let tooDeep = 0;
    let badControl = 0;
    let wholeProgram = 0;
    for (let seed = 0; seed < PROGRAMS; seed++) {
      for (const mode of ['checked', 'fast'] as const) {
        const expected = run(interpreter, seed, mode);
        const actual = run(jitEngine, seed, mode);
        expect(actual.outcome, `seed ${seed} (${mode})`).toEqual(expected.outcome);
        if (expected.outcome.error === 'EINVAL') continue;
        reached++;
        const reason = expected.outcome.fault?.reason;
        if (reason !== undefined) faults++;
        if (reason?.includes('budget')) budgetFaults++;
        if (reason?.startsWith('invalid')) accessFaults++;
        if (reason?.includes('too deep')) tooDeep++;
        if (reason?.includes('out of range') || reason?.includes('fell off')) badControl++;
        if (mode === 'checked') {
          if (compileModule(actual.program, { mode, budgeted: true }).dispatchLoops > 0) dispatchLoops++;
          if (actual.program.functionStarts.length > 1) calls++;
          if (wholeProgramRegions(actual.program)) wholeProgram++;
        }
      }
    }
    expect(reached).toBeGreaterThan(PROGRAMS * 2 * 0.95);
    expect(faults).toBeGreaterThan(PROGRAMS * 0.1);
    expect(budgetFaults).toBeGreaterThan(PROGRAMS * 0.02);
    expect(accessFaults).toBeGreaterThan(PROGRAMS * 0.05);
    expect(dispatchLoops).toBeGreaterThan(PROGRAMS * 0.05);
    expect(calls).toBeGreaterThan(PROGRAMS * 0.5);
    expect(tooDeep).toBeGreaterThan(5);
    expect(badControl).toBeGreaterThan(5);
    expect(wholeProgram).toBeGreaterThan(5);
    console.info(
      `random programs: ${reached} runs, ${faults} faults (${budgetFaults} budget, ${accessFaults} access, ${tooDeep} call depth, ${badControl} bad jump or end)`,
    );
  });
});
