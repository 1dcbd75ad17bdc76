// Registers, stack slots and frames as the kernel's verifier log prints them (`R1=ctx() R10=fp0 fp-8=0`).
import { formatScalar, isConst } from './scalar.js';
import type { Frame, Reg, RegType, StackSlot } from './state.js';

/** The kernel's names for register types (reg_type_str), without the `_or_null` suffix. */
const TYPE_NAMES: Readonly<Record<RegType, string>> = {
  not_init: '?',
  scalar: 'scalar',
  ctx: 'ctx',
  stack: 'fp',
  map_ptr: 'map_ptr',
  map_value: 'map_value',
  map_key: 'map_key',
  pkt: 'pkt',
  pkt_meta: 'pkt_meta',
  pkt_end: 'pkt_end',
  flow_keys: 'flow_keys',
  sock: 'sock',
  sock_common: 'sock_common',
  tcp_sock: 'tcp_sock',
  xdp_sock: 'xdp_sock',
  mem: 'mem',
  func: 'func',
  btf_id: 'ptr_',
};

/** The type as error messages name it (`map_value_or_null`, `fp`, `rdonly_mem`). */
export function regTypeName(reg: Reg): string {
  const base = TYPE_NAMES[reg.type];
  const prefix = reg.readOnly && reg.type === 'mem' ? 'rdonly_' : '';
  // Kernel reg_type_str: a BTF pointer's "or_null_" goes before the struct name printed after it.
  if (reg.type === 'btf_id') return `${prefix}${base}${reg.maybeNull ? 'or_null_' : ''}`;
  return `${prefix}${base}${reg.maybeNull ? '_or_null' : ''}`;
}

function hexOrDecimal(value: number): string {
  return value < 0 || value > 0xffff ? `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}` : `${value}`;
}

/** A register's text after `R1=` (`frameno`: the frame printed, for stack pointers into other frames). */
export function formatReg(reg: Reg, frameno = reg.frameno): string {
  if (reg.type === 'scalar') {
    return formatScalar(reg.value, {
      ...(reg.id !== 0 ? { id: reg.id } : {}),
      ...(reg.addConst ? { addConst: reg.off } : {}),
      precise: reg.precise,
    });
  }
  if (reg.type === 'stack' && isConst(reg.value)) {
    const offset = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
    // Kernel: a pointer into another frame's stack names that frame (`fp[0]-8`).
    if (reg.frameno !== frameno) return `fp[${reg.frameno}]${offset}`;
    return offset === 0 ? 'fp0' : `fp${offset}`;
  }
  const parts: string[] = [];
  if (reg.id !== 0) parts.push(`id=${reg.id}`);
  if (reg.refObjId !== 0) parts.push(`ref_obj_id=${reg.refObjId}`);
  if (reg.type === 'stack') parts.push(`frame=${reg.frameno}`);
  if (reg.off !== 0) parts.push(`off=${reg.off}`);
  if (reg.type === 'pkt' || reg.type === 'pkt_meta') parts.push(`r=${hexOrDecimal(reg.range)}`);
  if (
    reg.map !== undefined &&
    (reg.type === 'map_ptr' || reg.type === 'map_value' || reg.type === 'map_key')
  ) {
    parts.push(`map=${reg.map.name}`, `ks=${reg.map.keySize}`, `vs=${reg.map.valueSize}`);
  }
  if (reg.type === 'mem') parts.push(`sz=${reg.memSize}`);
  if (!isConst(reg.value)) {
    const scalar = formatScalar(reg.value, {});
    const inner = scalar.startsWith('scalar(') ? scalar.slice('scalar('.length, -1) : scalar;
    if (inner !== '') parts.push(inner);
  } else if (reg.value.varOff.value !== 0n) {
    parts.push(`imm=${reg.value.varOff.value.toString(16)}`);
  }
  return `${regTypeName(reg)}${reg.btfName ?? ''}(${parts.join(',')})`;
}

const SLOT_BYTE_CHARS = { invalid: '?', spill: 'r', misc: 'm', zero: '0', dynptr: 'd' } as const;

/** A stack slot's text after `fp-8=`, or undefined when nothing was ever written to it. */
export function formatSlot(slot: StackSlot, frameno?: number): string | undefined {
  if (slot.bytes.every((b) => b === 'invalid')) return undefined;
  // Kernel: a dynptr prints once, at its first (lower-addressed) slot, by type and id.
  if (slot.bytes[0] === 'dynptr') {
    if (!slot.spilled.dynptrFirst) return undefined;
    const ref = slot.spilled.refObjId !== 0 ? `,ref_id=${slot.spilled.refObjId}` : '';
    return `dynptr_${slot.spilled.dynptr}(id=${slot.spilled.id}${ref})`;
  }
  const spilled = slot.bytes.filter((b) => b === 'spill').length;
  if (spilled > 0) {
    // The kernel prints the bytes above the spill (highest address first), then the spilled register.
    const others = slot.bytes
      .slice(spilled)
      .reverse()
      .map((b) => SLOT_BYTE_CHARS[b])
      .join('');
    return `${others}${formatReg(slot.spilled, frameno)}`;
  }
  return [...slot.bytes]
    .reverse()
    .map((b) => SLOT_BYTE_CHARS[b])
    .join('');
}

/** The registers and stack slots of one frame, in the kernel's order; `only` limits it to scratched ones. */
export function formatFrame(frame: Frame, only?: { regs: Set<number>; slots: Set<number> }): string {
  const parts: string[] = [];
  frame.regs.forEach((reg, index) => {
    if (reg.type === 'not_init') return;
    if (only && !only.regs.has(index)) return;
    parts.push(`R${index}=${formatReg(reg, frame.frameno)}`);
  });
  frame.slots.forEach((slot, index) => {
    if (only && !only.slots.has(index)) return;
    const text = formatSlot(slot, frame.frameno);
    if (text !== undefined) parts.push(`fp${-8 * (index + 1)}=${text}`);
  });
  // Kernel: a callback's frame is marked as such (` cb`; ` async_cb` for a timer's).
  if (frame.inCallback) parts.push(frame.inCallback.helper === 'timer_set_callback' ? 'async_cb' : 'cb');
  const body = parts.join(' ');
  return frame.frameno > 0 ? `frame${frame.frameno}:${body ? ` ${body}` : ''}` : body;
}
