// Registers, stack slots and frames as the kernel's verifier log prints them (`R1=ctx() R10=fp0 fp-8=0`).
import { formatScalar, isConst } from './scalar.js';
import type { AcquiredRef, Frame, Reg, RegType, StackSlot } from './state.js';

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
  dynptr_ptr: 'dynptr_ptr',
};

/** The type as error messages name it (`map_value_or_null`, `fp`, `rdonly_mem`, `ringbuf_mem`). */
export function regTypeName(reg: Reg): string {
  const base = TYPE_NAMES[reg.type];
  // Kernel MEM_RINGBUF: the only memory a helper hands out as a reference is a ring buffer's reservation.
  const memPrefix =
    reg.type !== 'mem'
      ? ''
      : reg.readOnly
        ? 'rdonly_'
        : reg.refObjId !== 0 && !reg.dynptrId
          ? 'ringbuf_'
          : '';
  // Kernel reg_type_str: the flags' prefixes in the order rdonly_, ringbuf_, ..., rcu_, untrusted_, trusted_.
  const prefix = reg.trust === undefined ? memPrefix : `${memPrefix}${reg.trust}_`;
  // Kernel reg_type_str: a BTF pointer's "or_null_" goes before the struct name printed after it.
  if (reg.type === 'btf_id') return `${prefix}${base}${reg.maybeNull ? 'or_null_' : ''}`;
  return `${prefix}${base}${reg.maybeNull ? '_or_null' : ''}`;
}

/** Kernel verbose_unum: decimal up to 0xffff, else hex. */
function formatUnum(value: number): string {
  return value < 0 || value > 0xffff ? `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}` : `${value}`;
}

/** Kernel verbose_snum: decimal within the s16 range, else the 64-bit pattern in hex. */
function formatSnum(value: bigint): string {
  return value >= -0x8000n && value <= 0x7fffn ? `${value}` : `0x${BigInt.asUintN(64, value).toString(16)}`;
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
  // Kernel: a pointer into another frame's stack names that frame (`fp[0]-8`, `fp[0](off=-40,...)`).
  const stackFrame = reg.type === 'stack' && reg.frameno !== frameno ? `[${reg.frameno}]` : '';
  if (reg.type === 'stack' && isConst(reg.value)) {
    const offset = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
    return `fp${stackFrame}${offset === 0 ? '0' : offset}`;
  }
  // The kernel's order: ids, the map, the fixed offset, the packet range, the memory size, the variable part.
  const parts: string[] = [];
  if (reg.id !== 0) parts.push(`id=${reg.id}`);
  if (reg.refObjId !== 0) parts.push(`ref_obj_id=${reg.refObjId}`);
  // Kernel: a CONST_PTR_TO_DYNPTR (a callback's dynptr argument) names the dynptr's type.
  if (reg.type === 'dynptr_ptr' && reg.dynptr !== undefined) parts.push(`type=${reg.dynptr}`);
  if (
    reg.map !== undefined &&
    (reg.type === 'map_ptr' || reg.type === 'map_value' || reg.type === 'map_key')
  ) {
    if (reg.map.name !== '') parts.push(`map=${reg.map.name}`);
    parts.push(`ks=${reg.map.keySize}`, `vs=${reg.map.valueSize}`);
  }
  if (reg.off !== 0) parts.push(`off=${formatSnum(BigInt(reg.off))}`);
  if (reg.type === 'pkt' || reg.type === 'pkt_meta') parts.push(`r=${formatUnum(reg.range)}`);
  if (reg.type === 'mem') parts.push(`sz=${formatUnum(reg.memSize)}`);
  if (reg.sliceBuffer !== undefined) {
    const { frameno: bufFrame, off, size } = reg.sliceBuffer;
    parts.push(`buf=fp[${bufFrame}]${off === 0 ? '' : off}+${size}`);
  }
  if (!isConst(reg.value)) {
    const scalar = formatScalar(reg.value, {});
    const inner = scalar.startsWith('scalar(') ? scalar.slice('scalar('.length, -1) : scalar;
    if (inner !== '') parts.push(inner);
  } else if (reg.value.varOff.value !== 0n) {
    parts.push(`imm=${formatSnum(BigInt.asIntN(64, reg.value.varOff.value))}`);
  }
  return `${regTypeName(reg)}${reg.btfName ?? ''}${stackFrame}(${parts.join(',')})`;
}

const SLOT_BYTE_CHARS = { invalid: '?', spill: 'r', misc: 'm', zero: '0', dynptr: 'd' } as const;

/** A stack slot's text after `fp-8=`, or undefined when nothing was ever written to it. */
export function formatSlot(slot: StackSlot, frameno?: number): string | undefined {
  if (slot.bytes.every((b) => b === 'invalid')) return undefined;
  // Kernel: a dynptr prints once, at its first (lower-addressed) slot, by type and ids. Linux 6.18 ends it with
  // `dynptr_id=1` on every dynptr it prints (observed through the oracle for every dynptr type): the flag
  // marking the first slot.
  if (slot.bytes[0] === 'dynptr') {
    if (!slot.spilled.dynptrFirst) return undefined;
    const ref = slot.spilled.refObjId !== 0 ? `,ref_id=${slot.spilled.refObjId}` : '';
    return `dynptr_${slot.spilled.dynptr}(id=${slot.spilled.id}${ref},dynptr_id=1)`;
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

/**
 * The registers and stack slots of one frame, in the kernel's order, then the state's acquired references;
 * `only` limits it to scratched ones.
 */
export function formatFrame(
  frame: Frame,
  refs: readonly AcquiredRef[],
  only?: { regs: Set<number>; slots: Set<number> },
): string {
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
  if (refs.length > 0) parts.push(`refs=${refs.map((ref) => ref.id).join(',')}`);
  // Kernel: a callback's frame is marked as such (` cb`; ` async_cb` for a timer's).
  if (frame.inCallback) parts.push(frame.inCallback.helper === 'timer_set_callback' ? 'async_cb' : 'cb');
  const body = parts.join(' ');
  return frame.frameno > 0 ? `frame${frame.frameno}:${body ? ` ${body}` : ''}` : body;
}
