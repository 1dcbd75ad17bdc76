// What every helper implementation shares: reading r1-r5 as the kernel types them, errno results, and faults.

import { ERRNO, type ErrnoName } from '../../abi/errno.js';
import type { BpfMap } from '../maps/index.js';
import { type HelperCall, RuntimeFault } from '../runtime.js';

/** A helper's negative errno as the u64 register value r0 receives. */
export function errno(code: ErrnoName): bigint {
  return BigInt.asUintN(64, BigInt(-ERRNO[code]));
}

/** A helper's signed result (0, a length, or a negative errno already computed) as a register value. */
export function result(value: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/** The low 32 bits of an argument, unsigned (kernel: a `u32` parameter of BPF_CALL_x). */
export function u32(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

/** The low 32 bits of an argument, signed (kernel: an `int`/`s32` parameter). */
export function s32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** An argument as a 64-bit signed value (kernel: `s64`/`long`). */
export function s64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/**
 * A helper argument the verifier would have refused (an unreadable pointer, a map pointer that is no map):
 * without a verifier the run stops here, with the helper named.
 */
export function helperFault(call: HelperCall, helper: string, reason: string): RuntimeFault {
  return new RuntimeFault(call.insn, `bpf_${helper}: ${reason}`);
}

/** An argument that must be a pointer into VmMemory valid for `size` bytes (size 0: any value). */
export function pointerArg(call: HelperCall, helper: string, index: number, size: number): number {
  const value = call.args[index];
  if (size === 0) return Number(value & 0xffff_ffffn);
  const address = value > 0xffff_ffffn ? -1 : Number(value);
  if (!call.vm.memory.isRange(address, size)) {
    throw helperFault(
      call,
      helper,
      `R${index + 1} is not a pointer to ${size} readable bytes (0x${value.toString(16)})`,
    );
  }
  return address;
}

/** Copies `size` bytes an argument points to. */
export function readArg(call: HelperCall, helper: string, index: number, size: number): Uint8Array {
  if (size === 0) return new Uint8Array(0);
  return call.vm.memory.read(pointerArg(call, helper, index, size), size);
}

/** Scratch buffers of keyArg by size (a subarray view costs more than copying a key byte by byte). */
const keyScratch: Uint8Array[] = [];

/**
 * The `size` bytes an argument points to, copied into a buffer reused by the next call: only for callees that
 * neither keep it nor call back into the program (a map lookup).
 */
export function keyArg(call: HelperCall, helper: string, index: number, size: number): Uint8Array {
  const address = pointerArg(call, helper, index, size);
  let key = keyScratch[size];
  if (key === undefined) {
    key = new Uint8Array(size);
    keyScratch[size] = key;
  }
  const bytes = call.vm.memory.bytes();
  for (let i = 0; i < size; i++) key[i] = bytes[address + i];
  return key;
}

/** An argument that must be a map reference (ARG_CONST_MAP_PTR): the map whose object is at that address. */
export function mapArg(call: HelperCall, helper: string, index: number): BpfMap {
  const value = call.args[index];
  const map = value > 0xffff_ffffn ? undefined : call.vm.maps.atAddress(Number(value));
  if (map === undefined) throw helperFault(call, helper, `R${index + 1} is not a map pointer`);
  return map;
}
