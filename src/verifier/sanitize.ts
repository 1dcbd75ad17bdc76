// Spectre v1 rules for pointer arithmetic when the loader lacks CAP_PERFMON (the kernel's sanitize_ptr_alu and
// sanitize_check_bounds): the offset must be maskable, and the moved pointer must stay inside what it points to.
import { MAX_BPF_STACK } from '../abi/limits.js';
import { mapRegionAccess } from './memory.js';
import { isConst } from './scalar.js';
import type { Reg } from './state.js';
import { formatTnum } from './tnum.js';
import { VerifierError } from './verifier-error.js';
import type { Walk } from './walk.js';

const PROHIBITED = 'pointer arithmetic with it prohibited for !root';

/** Kernel BPF_ALU_* bits of an instruction's alu_state: what the masking at run time needs to know. */
const ALU_NEG_VALUE = 1 << 0;
const ALU_SANITIZE_SRC = 1 << 1;
const ALU_SANITIZE_DST = 1 << 2;
const ALU_IMMEDIATE = 1 << 3;

/** What the first half of sanitize_ptr_alu learnt, for its second half after the arithmetic. */
export interface PtrAluSanitation {
  readonly maskToLeft: boolean;
  readonly aluState: number;
  readonly aluLimit: number;
}

/** The registers of `dst op= src` the messages name: the pointer's and the scalar's. */
export interface PtrAluOperands {
  readonly dst: number;
  readonly ptrRegno: number;
  readonly offRegno: number;
  readonly op: 'add' | 'sub';
}

/**
 * Kernel sanitize_ptr_alu before the arithmetic (`ptr op= off`, off in a register): an offset whose sign is
 * unknown cannot be masked, and the pointer must be one whose bounds are known (stack, map value).
 */
export function sanitizePtrAluBefore(
  walk: Walk,
  ops: PtrAluOperands,
  ptr: Reg,
  off: Reg,
  ptrIsDst: boolean,
): PtrAluSanitation {
  const offIsImm = isConst(off.value);
  const offIsNeg = off.value.smin < 0n;
  if (!offIsImm && off.value.smin < 0n !== off.value.smax < 0n) {
    walk.fail(`R${ops.offRegno} has unknown scalar with mixed signed bounds, ${PROHIBITED}`);
  }
  const maskToLeft = (ops.op === 'add' && offIsNeg) || (ops.op === 'sub' && !offIsNeg);
  const aluLimit = pointerLimit(walk, ops, ptr, maskToLeft);
  let aluState = offIsNeg ? ALU_NEG_VALUE : 0;
  if (offIsImm) aluState |= ALU_IMMEDIATE;
  // Kernel: the masking of an unknown offset may differ between paths; they are no longer pruned loosely.
  else walk.exploreAluLimits = true;
  aluState |= ptrIsDst ? ALU_SANITIZE_SRC : ALU_SANITIZE_DST;
  return { maskToLeft, aluState, aluLimit };
}

/**
 * Kernel sanitize_ptr_alu after the arithmetic: the masking window is how far the pointer moved, and every path
 * through this instruction must need the same one (it is patched once).
 */
export function sanitizePtrAluAfter(
  walk: Walk,
  ops: PtrAluOperands,
  moved: Reg,
  before: PtrAluSanitation,
): void {
  const limit = Math.abs(before.aluLimit - pointerLimit(walk, ops, moved, before.maskToLeft));
  const seen = walk.aluSanitation.get(walk.insnIdx);
  if (seen !== undefined && seen.state !== 0 && (seen.state !== before.aluState || seen.limit !== limit)) {
    walk.fail(`R${ops.dst} tried to ${ops.op} from different maps, paths or scalars, ${PROHIBITED}`);
  }
  walk.aluSanitation.set(walk.insnIdx, { state: before.aluState, limit });
}

/** Kernel retrieve_ptr_limit: how far the pointer may move in the masked direction (a u32 in the kernel). */
function pointerLimit(walk: Walk, ops: PtrAluOperands, ptr: Reg, maskToLeft: boolean): number {
  let max: number;
  let limit: number;
  if (ptr.type === 'stack') {
    // Offset 0 is out of bounds but a fine start for a move to the left (the frame pointer itself).
    max = MAX_BPF_STACK + (maskToLeft ? 1 : 0);
    limit = Number(BigInt.asUintN(32, -(ptr.value.varOff.value + BigInt(ptr.off))));
  } else if (ptr.type === 'map_value' && ptr.map !== undefined) {
    max = ptr.map.valueSize;
    const base = maskToLeft ? BigInt.asIntN(64, ptr.value.smin) : ptr.value.umax;
    limit = Number(BigInt.asUintN(32, base + BigInt(ptr.off)));
  } else {
    return walk.fail(`R${ops.ptrRegno} has pointer with unsupported alu operation, ${PROHIBITED}`);
  }
  if (limit >= max) walk.fail(`R${ops.dst} tried to ${ops.op} beyond pointer bounds, ${PROHIBITED}`);
  return limit;
}

/**
 * Kernel sanitize_check_bounds: without CAP_PERFMON a stack pointer must stay a constant inside the stack and a
 * map value pointer inside the value, so that every access through it can be masked.
 */
export function sanitizeCheckBounds(walk: Walk, dst: number, reg: Reg): void {
  if (reg.type === 'stack') {
    const off = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
    if (!isConst(reg.value)) {
      walk.fail(
        `R${dst} variable stack access prohibited for !root, var_off=${formatTnum(reg.value.varOff)} off=${off}`,
      );
    }
    if (off >= 0 || off < -MAX_BPF_STACK) {
      walk.fail(`R${dst} stack pointer arithmetic goes out of range, prohibited for !root; off=${off}`);
    }
  } else if (reg.type === 'map_value' && reg.map !== undefined) {
    // Kernel check_map_access of one byte at the pointer: its own lines come first, then the verdict.
    try {
      mapRegionAccess(walk, dst, reg, 0, 1, reg.map.valueSize);
    } catch (error) {
      if (!(error instanceof VerifierError)) throw error;
      walk.fail(
        `${error.message}\nR${dst} pointer arithmetic of map value goes out of range, prohibited for !root`,
      );
    }
  }
}
