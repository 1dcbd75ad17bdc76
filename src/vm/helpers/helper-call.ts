// What every helper implementation shares: reading r1-r5 as the kernel types them, errno results, and faults.

import { ERRNO, type ErrnoName } from '../../abi/errno.js';
import type { BpfMap } from '../maps/index.js';
import { type HelperCall, type HelperSite, RuntimeFault } from '../runtime.js';

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
export function helperFault(call: HelperSite, helper: string, reason: string): RuntimeFault {
  return new RuntimeFault(call.insn, `bpf_${helper}: ${reason}`);
}

/** The argument register is wider than 32 bits (only the general form can see one: fast forms get none). */
function isWide(site: HelperSite, index: number): boolean {
  return site.args !== undefined && site.args[index] > 0xffff_ffffn;
}

/**
 * A `ptr` argument (`address`: its low 32 bits) that must point into VmMemory at `size` valid bytes (size 0:
 * any value, its low 32 bits).
 */
export function pointerAt(
  site: HelperSite,
  helper: string,
  index: number,
  address: number,
  size: number,
): number {
  const at = address >>> 0;
  if (size === 0) return at;
  if (isWide(site, index) || !site.vm.memory.isRange(at, size)) {
    const value = site.args?.[index] ?? BigInt(at);
    throw helperFault(
      site,
      helper,
      `R${index + 1} is not a pointer to ${size} readable bytes (0x${value.toString(16)})`,
    );
  }
  return at;
}

/** An argument that must be a pointer into VmMemory valid for `size` bytes (size 0: any value). */
export function pointerArg(call: HelperCall, helper: string, index: number, size: number): number {
  return pointerAt(call, helper, index, Number(call.args[index] & 0xffff_ffffn), size);
}

/** Copies `size` bytes an argument points to. */
export function readArg(call: HelperCall, helper: string, index: number, size: number): Uint8Array {
  if (size === 0) return new Uint8Array(0);
  return call.vm.memory.read(pointerArg(call, helper, index, size), size);
}

/** Reused buffers by size, one set for keys and one for values (an update's key and value must not share one). */
const keyScratch: Uint8Array[] = [];
const valueScratch: Uint8Array[] = [];

function scratchCopy(
  site: HelperSite,
  helper: string,
  index: number,
  address: number,
  size: number,
  pool: Uint8Array[],
): Uint8Array {
  const at = pointerAt(site, helper, index, address, size);
  let copy = pool[size];
  if (copy === undefined) {
    copy = new Uint8Array(size);
    pool[size] = copy;
  }
  // A byte loop: for map keys and values a subarray view or a slice costs more than the copy.
  const bytes = site.vm.memory.bytes();
  for (let i = 0; i < size; i++) copy[i] = bytes[at + i];
  return copy;
}

/**
 * The `size` bytes a `ptr` argument points to, copied into a buffer the next call reuses: only for callees
 * that keep no reference to it and run no program code (the map operations copy what they store).
 */
export function keyAt(
  site: HelperSite,
  helper: string,
  index: number,
  address: number,
  size: number,
): Uint8Array {
  return scratchCopy(site, helper, index, address, size, keyScratch);
}

/** keyAt for a map value argument (its own buffers, so an update's key and value never share one). */
export function valueAt(
  site: HelperSite,
  helper: string,
  index: number,
  address: number,
  size: number,
): Uint8Array {
  return scratchCopy(site, helper, index, address, size, valueScratch);
}

/** keyAt for the general form's argument `index`. */
export function keyArg(call: HelperCall, helper: string, index: number, size: number): Uint8Array {
  return keyAt(call, helper, index, Number(call.args[index] & 0xffff_ffffn), size);
}

/** valueAt for the general form's argument `index`. */
export function valueArg(call: HelperCall, helper: string, index: number, size: number): Uint8Array {
  return valueAt(call, helper, index, Number(call.args[index] & 0xffff_ffffn), size);
}

/** A `map` argument (ARG_CONST_MAP_PTR; `address`: its low 32 bits): the map whose object is at that address. */
export function mapAt(site: HelperSite, helper: string, index: number, address: number): BpfMap {
  const map = isWide(site, index) ? undefined : site.vm.maps.atAddress(address >>> 0);
  if (map === undefined) throw helperFault(site, helper, `R${index + 1} is not a map pointer`);
  return map;
}

/** An argument that must be a map reference (ARG_CONST_MAP_PTR): the map whose object is at that address. */
export function mapArg(call: HelperCall, helper: string, index: number): BpfMap {
  return mapAt(call, helper, index, Number(call.args[index] & 0xffff_ffffn));
}
