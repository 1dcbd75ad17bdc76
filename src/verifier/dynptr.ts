// Dynptrs on the stack as Linux 6.18's verifier tracks them: two STACK_DYNPTR slots holding the dynptr's type
// and id, made by a constructor, checked where one is passed, destroyed (with the slices made from it) when
// the program overwrites them.
import { isConst } from './scalar.js';
import { type DynptrType, type Frame, notInit, type Reg, scalarReg } from './state.js';
import type { Walk } from './walk.js';

/** BPF_DYNPTR_SIZE: 16 bytes, two stack slots. */
const DYNPTR_SLOTS = 2;

/**
 * The stack offset (from the frame pointer) a dynptr argument points to (kernel dynptr_get_spi), or undefined
 * with the kernel's reason in the log: the caller then refuses in its own words.
 */
function dynptrOffset(walk: Walk, reg: Reg, argIndex: number): number | undefined {
  if (reg.type !== 'stack') {
    walk.fail(`arg#${argIndex} expected pointer to stack or const struct bpf_dynptr`, 'EINVAL');
  }
  if (!isConst(reg.value)) {
    walk.log.print('dynptr has to be at a constant offset\n');
    return undefined;
  }
  const off = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
  if (off % 8 !== 0) {
    walk.log.print(`cannot pass in dynptr at an offset=${off}\n`);
    return undefined;
  }
  return off < -512 || off + 16 > 0 ? undefined : off;
}

/** Index of the first (lower-addressed) slot of the dynptr at `off`. */
function firstSlot(off: number): number {
  return (-off - 1) >> 3;
}

/** The dynptr the register points to, when it points to an initialised one (is_dynptr_reg_valid_init). */
export function initializedDynptr(walk: Walk, reg: Reg, argIndex: number): Reg {
  const off = dynptrOffset(walk, reg, argIndex);
  const frame = walk.frameOf(reg);
  const index = off === undefined ? -1 : firstSlot(off);
  const first = frame.slots[index];
  const second = frame.slots[index - 1];
  const valid =
    first?.bytes.every((b) => b === 'dynptr') &&
    second?.bytes.every((b) => b === 'dynptr') &&
    first.spilled.dynptrFirst === true &&
    second.spilled.dynptrFirst !== true &&
    first.spilled.id === second.spilled.id;
  if (!valid) walk.fail(`Expected an initialized dynptr as arg #${argIndex}`, 'EINVAL');
  // Kernel mark_dynptr_read: both slots are read (stack liveness).
  walk.markStackRead(reg.frameno, index * -8 - 8, index * -8 + 8);
  // Kernel: a dynptr a call reads is printed after it (its slots count as touched, like a stack access).
  if (frame === walk.frame) {
    walk.scratchedSlots.add(index);
    walk.scratchedSlots.add(index - 1);
  }
  return first.spilled;
}

/**
 * A dynptr constructor's `__uninit` argument: the 16 bytes are written, then become a dynptr of `type`. A
 * ringbuf dynptr is a reference (kernel dynptr_type_refcounted): both slots carry the reference's id, taken
 * right after the dynptr's own id, which the program must release by submitting or discarding it. A clone
 * (`cloneOf`, kernel bpf_dynptr_clone) is a new dynptr of its parent's type sharing the parent's reference.
 */
export function markDynptr(walk: Walk, reg: Reg, argIndex: number, type: DynptrType, cloneOf?: Reg): void {
  const off = dynptrOffset(walk, reg, argIndex);
  if (off === undefined) walk.fail('Dynptr has to be an uninitialized dynptr', 'EINVAL');
  const frame = walk.frameOf(reg);
  walk.growStack(frame, -off);
  const index = firstSlot(off);
  for (const i of [index, index - 1]) {
    destroyDynptrAt(walk, frame, i);
    if (frame.slots[i].bytes[0] === 'spill' || frame.slots[i].bytes.includes('spill')) {
      frame.slots[i].spilled = notInit();
    }
  }
  const id = walk.newId();
  let refObjId = cloneOf?.refObjId ?? 0;
  if (type === 'ringbuf' && cloneOf === undefined) {
    refObjId = walk.newId();
    walk.state.refs.push({ id: refObjId, insn: walk.insnIdx });
  }
  for (let k = 0; k < DYNPTR_SLOTS; k++) {
    const slot = frame.slots[index - k];
    slot.bytes.fill('dynptr');
    slot.spilled = {
      ...notInit(),
      type: 'scalar',
      id,
      refObjId,
      dynptr: type,
      dynptrFirst: k === 0,
      dynptrId: 0,
    };
    if (frame === walk.frame) walk.scratchedSlots.add(index - k);
  }
  walk.markStackWrite(reg.frameno, index);
  walk.markStackWrite(reg.frameno, index - 1);
}

/**
 * Kernel destroy_if_dynptr_stack_slot: a write into either slot of a dynptr ends it (both slots hold nothing)
 * and its slices whose type is exactly PTR_TO_MEM become unknown values. Slices of skb and xdp dynptrs carry
 * their dynptr type (and bpf_dynptr_slice's MEM_RDONLY) in the type, so the kernel leaves them valid.
 */
export function destroyDynptrAt(walk: Walk, frame: Frame, index: number): void {
  const slot = frame.slots[index];
  if (slot === undefined || slot.bytes[0] !== 'dynptr') return;
  const first = slot.spilled.dynptrFirst ? index : index + 1;
  const id = slot.spilled.id;
  if (slot.spilled.refObjId !== 0) walk.fail('cannot overwrite referenced dynptr', 'EINVAL');
  for (const i of [first, first - 1]) {
    const s = frame.slots[i];
    if (s === undefined) continue;
    s.bytes.fill('invalid');
    s.spilled = notInit();
    // Kernel: both slots of the destroyed dynptr count as written (stack liveness).
    walk.markStackWrite(frame.frameno, i);
  }
  for (const reg of walk.allRegs()) {
    const value = reg.get();
    const exactlyMem = !value.readOnly && value.dynptr !== 'skb' && value.dynptr !== 'xdp';
    if (value.dynptrId === id && value.type === 'mem' && exactlyMem) {
      reg.set(walk.options.allowPtrLeaks ? scalarReg() : notInit());
    }
  }
}

/**
 * The reference a release helper's dynptr argument holds (kernel check_func_arg on OBJ_RELEASE): the first
 * slot's reference id, refused when there is none (not a dynptr, or one that is not refcounted).
 */
export function dynptrReference(walk: Walk, reg: Reg, regno: number): number {
  const off = dynptrOffset(walk, reg, regno - 1);
  const slot = off === undefined ? undefined : walk.frameOf(reg).slots[firstSlot(off)];
  const refObjId = slot?.bytes[0] === 'dynptr' ? slot.spilled.refObjId : 0;
  if (refObjId === 0) walk.fail(`arg ${regno} is an unacquired reference`, 'EINVAL');
  return refObjId;
}

/**
 * Kernel unmark_stack_slots_dynptr for a refcounted dynptr: its reference is released (its slices become
 * unusable) and every dynptr on the frame holding that reference (the dynptr and its clones) is invalidated.
 */
export function releaseDynptr(walk: Walk, frame: Frame, refObjId: number): void {
  walk.state.refs = walk.state.refs.filter((ref) => ref.id !== refObjId);
  for (const slot of walk.allRegs()) {
    if (slot.get().refObjId === refObjId) slot.set(walk.options.allowPtrLeaks ? scalarReg() : notInit());
  }
  frame.slots.forEach((slot, index) => {
    if (slot.bytes[0] !== 'dynptr' || slot.spilled.refObjId !== refObjId || !slot.spilled.dynptrFirst) return;
    for (const i of [index, index - 1]) {
      frame.slots[i].bytes.fill('invalid');
      frame.slots[i].spilled = notInit();
      walk.markStackWrite(frame.frameno, i);
    }
  });
}
