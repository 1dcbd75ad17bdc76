// Running programs the way the public eBPF conformance suite (Alan-Jowett/bpf_conformance) expects: r1 = a copy
// of the input memory, r2 = its length, and the suite's test helpers 0-5.

import type { Insn } from '../isa/insn.js';
import { validateInsns } from '../isa/validate.js';
import { buildExecutable } from './executable.js';
import { interpreter } from './interpreter.js';
import { type Engine, type HelperCall, type HelperImplementation, ProgramExit } from './runtime.js';
import { Vm } from './vm.js';

const MASK64 = 0xffff_ffff_ffff_ffffn;

function address(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

function readCString(call: HelperCall, start: number): Uint8Array {
  const bytes: number[] = [];
  for (let at = start; ; at++) {
    const byte = call.vm.memory.readU8(at);
    if (byte === 0) return new Uint8Array(bytes);
    bytes.push(byte);
  }
}

/** The suite's sqrti: the u64 converted to a double (rounded to nearest), its root truncated (C's std::sqrt). */
function sqrtViaDouble(value: bigint): bigint {
  return BigInt(Math.floor(Math.sqrt(Number(BigInt.asUintN(64, value)))));
}

/** The suite's helpers by id, as its plugins define them. */
export const CONFORMANCE_HELPERS: ReadonlyMap<number, HelperImplementation> = new Map<
  number,
  HelperImplementation
>([
  // gather_bytes: the low byte of each argument, r1's most significant.
  [0, ({ args }) => args.reduce((result, arg) => (result << 8n) | (arg & 0xffn), 0n)],
  // memfrob: XOR r2 bytes at r1 with 42.
  [
    1,
    (call) => {
      const start = address(call.args[0]);
      const length = Number(call.args[1] & 0xffff_ffffn);
      for (let i = 0; i < length; i++)
        call.vm.memory.writeU8(start + i, call.vm.memory.readU8(start + i) ^ 42);
      return 0n;
    },
  ],
  // no_op
  [2, () => 0n],
  // sqrti: as the suite's plugin computes it, so roots of values above 2^53 round the same way.
  [3, ({ args }) => sqrtViaDouble(args[0])],
  // strcmp_ext: strcmp of the C strings at r1 and r2 (negative, zero or positive, as a u64).
  [
    4,
    (call) => {
      const a = readCString(call, address(call.args[0]));
      const b = readCString(call, address(call.args[1]));
      const length = Math.min(a.length, b.length);
      for (let i = 0; i < length; i++) if (a[i] !== b[i]) return BigInt(a[i] - b[i]) & MASK64;
      return BigInt(a.length - b.length) & MASK64;
    },
  ],
  // unwind: returns r1; when that is 0 the program ends at once with r0 = 0 (the suite's "unwind" extension).
  [
    5,
    ({ args }) => {
      if (args[0] === 0n) throw new ProgramExit(0n);
      return args[0];
    },
  ],
]);

export interface ConformanceRunOptions {
  /** Instructions one run may execute (checked mode). */
  budget?: number;
  /** The engine to run in (default: the interpreter). */
  engine?: Engine;
}

/**
 * Runs raw instructions as a conformance-suite plugin does and returns r0. Throws InsnError for an invalid
 * program and RuntimeFault when the run cannot go on (the plugin turns both into an error exit).
 */
export function runConformanceProgram(
  insns: readonly Insn[],
  memory: Uint8Array,
  options: ConformanceRunOptions = {},
): bigint {
  validateInsns(insns, { encodingOnly: true });
  const vm = new Vm();
  const program = buildExecutable(insns, { type: 'conformance', name: 'main' });
  const region = vm.memory.allocate(Math.max(memory.length, 1));
  vm.memory.write(region, memory);
  const ctx = memory.length > 0 ? region : 0;
  // r1 = the memory, r2 = its length.
  const run = { ctx, cpu: 0, args: [BigInt(ctx), BigInt(memory.length)] };
  const prepared = (options.engine ?? interpreter).prepare(program, vm, CONFORMANCE_HELPERS, {
    mode: 'checked',
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  try {
    return prepared.run(run);
  } finally {
    prepared.release();
  }
}
