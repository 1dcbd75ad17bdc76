// Test fixtures for helper tests: a Vm, a fake run of a one-instruction program, and a way to call a helper.

import { helperByName } from '../../abi/helpers.js';
import { buildExecutable } from '../executable.js';
import type { PacketState } from '../context/packet.js';
import type { HelperCall, RunState } from '../runtime.js';
import { Vm, type VmOptions } from '../vm.js';
import { KERNEL_HELPERS } from './index.js';

const EXIT = { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 };

export interface FakeRun {
  vm: Vm;
  run: RunState;
  /** Calls the named kernel helper with r1-r5 (missing ones 0). */
  call(name: string, ...args: (bigint | number)[]): bigint;
  /** Sets what callFunction does (callbacks of bpf_loop / for_each_map_elem). */
  onCallback(body: (pointer: bigint, args: readonly bigint[]) => bigint): void;
  /** Allocates bytes in VmMemory and returns the address. */
  put(bytes: Uint8Array | number[]): number;
}

export function fakeRun(
  options: VmOptions & { packet?: PacketState; type?: string; cpu?: number; vm?: Vm } = {},
): FakeRun {
  const vm = options.vm ?? new Vm(options);
  let callback: (pointer: bigint, args: readonly bigint[]) => bigint = () => 0n;
  const run: RunState = {
    program: buildExecutable([EXIT], { type: options.type ?? 'socket_filter' }),
    ctx: 0,
    cpu: options.cpu ?? 0,
    callFunction: (pointer, args) => callback(pointer, args),
    ...(options.packet === undefined ? {} : { packet: options.packet }),
  };
  return {
    vm,
    run,
    call(name, ...args) {
      const helper = helperByName(name);
      const implementation = helper === undefined ? undefined : KERNEL_HELPERS.get(helper.id);
      if (implementation === undefined) throw new Error(`no implementation of ${name}`);
      const regs = [0, 1, 2, 3, 4].map((i) =>
        BigInt.asUintN(64, BigInt(args[i] ?? 0)),
      ) as HelperCall['args'] & bigint[];
      return implementation({ args: regs as unknown as HelperCall['args'], vm, run, insn: 0 });
    },
    onCallback(body) {
      callback = body;
    },
    put(bytes) {
      const data = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
      const address = vm.memory.allocate(Math.max(data.length, 1));
      vm.memory.write(address, data);
      return address;
    },
  };
}

/** A helper's r0 as a signed number (errno results are negative). */
export const signed = (value: bigint): number => Number(BigInt.asIntN(64, value));
