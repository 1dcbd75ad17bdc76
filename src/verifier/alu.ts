// ALU instructions on the abstract state (the kernel's check_alu_op and adjust_*_min_max_vals): scalar math
// through the scalar domain, pointer arithmetic with the kernel's rules and messages.
import { BPF_MAX_VAR_OFF } from '../abi/limits.js';
import type { AluInsn, EndianInsn, MovsxInsn, NegInsn } from '../isa/decoded.js';
import {
  isConst,
  markUnbounded32,
  type ScalarBounds,
  scalarAlu,
  scalarEndian,
  scalarMovsx,
  scalarNeg,
  signMaskSplit,
  U32_MAX,
  unknown,
} from './scalar.js';
import { regTypeName } from './format-state.js';
import {
  cloneReg,
  cloneState,
  constReg,
  isPacketPointer,
  isPointer,
  type Reg,
  regWithValue,
  scalarReg,
} from './state.js';
import {
  type PtrAluOperands,
  sanitizeCheckBounds,
  sanitizePtrAluAfter,
  sanitizePtrAluBefore,
} from './sanitize.js';
import type { Walk } from './walk.js';

/** Kernel bpf_alu_string: how messages name an ALU operation. */
const ALU_STRINGS: Readonly<Record<string, string>> = {
  add: '+=',
  sub: '-=',
  mul: '*=',
  div: '/=',
  sdiv: 's/=',
  or: '|=',
  and: '&=',
  lsh: '<<=',
  rsh: '>>=',
  neg: 'neg',
  mod: '%=',
  smod: 's%=',
  xor: '^=',
  mov: '=',
  arsh: 's>>=',
  movsx: '=',
};

const S64_MIN = -(1n << 63n);

export function checkAlu(walk: Walk, insn: AluInsn | NegInsn | MovsxInsn | EndianInsn): void {
  if (insn.kind === 'endian') {
    const dst = walk.readReg(insn.dst);
    rejectPointerLeak(walk, insn.dst, dst);
    walk.writeReg(
      insn.dst,
      scalarReg(isPointer(dst) ? unknown() : scalarEndian(insn.to, insn.bits, dst.value)),
    );
    return;
  }
  if (insn.op === 'neg') {
    const dst = walk.readReg(insn.dst);
    rejectPointerLeak(walk, insn.dst, dst);
    walk.writeReg(insn.dst, scalarReg(isPointer(dst) ? unknown() : scalarNeg(insn.width, dst.value)));
    return;
  }
  if (insn.op === 'mov' || insn.op === 'movsx') {
    checkMov(walk, insn);
    return;
  }
  const src = insn.source.kind === 'reg' ? walk.readReg(insn.source.reg) : constReg(BigInt(insn.source.imm));
  const dst = walk.readReg(insn.dst);
  if (insn.source.kind === 'imm') {
    if (
      (insn.op === 'div' || insn.op === 'mod' || insn.op === 'sdiv' || insn.op === 'smod') &&
      insn.source.imm === 0
    ) {
      walk.fail('div by zero', 'EINVAL');
    }
    if (
      (insn.op === 'lsh' || insn.op === 'rsh' || insn.op === 'arsh') &&
      (insn.source.imm < 0 || insn.source.imm >= insn.width)
    ) {
      walk.fail(`invalid shift ${insn.source.imm}`, 'EINVAL');
    }
  }
  if (insn.dst === 10) walk.fail('frame pointer is read only');
  // Kernel: an immediate is a sign-extended 64-bit constant; 32-bit operations use its low half.
  const source = src;
  if (insn.source.kind === 'reg') {
    // Kernel: the scalar added to a pointer decides where it points, so its value must be exact; a scalar
    // combined with a precise one must be exact too.
    if (isPointer(dst) && !isPointer(source)) walk.markPrecise(insn.source.reg);
    else if (!isPointer(dst) && isPointer(source)) walk.markPrecise(insn.dst);
    else if (dst.type === 'scalar' && dst.precise) walk.markPrecise(insn.source.reg);
  }
  if (isPointer(dst) || isPointer(source)) {
    walk.writeReg(insn.dst, pointerAlu(walk, insn, dst, source));
    return;
  }
  // Kernel: `and`/`or` with a constant on a register that is -1 or 0 explores both values separately.
  const split = signMaskSplit(insn.op, insn.width, dst.value, source.value);
  let before = dst.value;
  if (split) {
    const other = cloneState(walk.state);
    const frame = other.frames[other.frames.length - 1];
    frame.regs[insn.dst] = regWithValue(frame.regs[insn.dst], split.pushed);
    walk.pushBranch(other, walk.insnIdx);
    before = split.current;
  }
  const result = scalarAlu(insn.op, insn.width, before, source.value);
  walk.writeReg(insn.dst, linkedResult(walk, insn, dst, source, result));
}

/**
 * Kernel: `rX += K` (or `-= K`) on a scalar copied from others keeps the link, with K as its delta (BPF_ADD_CONST),
 * once; any other operation ends the link.
 */
function linkedResult(walk: Walk, insn: AluInsn, dst: Reg, source: Reg, result: Reg['value']): Reg {
  const reg = scalarReg(result);
  if (
    dst.id === 0 ||
    dst.addConst ||
    !walk.options.bpfCapable ||
    insn.width !== 64 ||
    (insn.op !== 'add' && insn.op !== 'sub') ||
    !isConst(source.value)
  ) {
    return reg;
  }
  const value = BigInt.asIntN(64, source.value.varOff.value);
  if (value < -(1n << 31n) || value >= 1n << 31n) return reg;
  if (insn.op === 'sub' && value === -(1n << 31n)) return reg;
  return { ...reg, id: dst.id, off: Number(insn.op === 'sub' ? -value : value), addConst: true };
}

function rejectPointerLeak(walk: Walk, regno: number, reg: Reg): void {
  if (isPointer(reg) && !walk.options.allowPtrLeaks) walk.fail(`R${regno} pointer arithmetic prohibited`);
}

function checkMov(walk: Walk, insn: AluInsn | MovsxInsn): void {
  if (insn.source.kind === 'imm') {
    const imm = insn.source.imm;
    walk.writeReg(insn.dst, constReg(insn.width === 64 ? BigInt(imm) : BigInt(imm >>> 0)));
    return;
  }
  const srcIndex = insn.source.reg;
  let src = walk.readReg(srcIndex);
  if (insn.dst === 10) walk.fail('frame pointer is read only');
  if (insn.op === 'movsx') {
    if (isPointer(src)) {
      if (!walk.options.allowPtrLeaks) walk.fail(`R${srcIndex} sign-extension part of pointer`);
      walk.writeReg(insn.dst, scalarReg());
      return;
    }
    // a value too small to be sign-extended is copied unchanged, so the copy stays linked to its source
    const linked = src.value.umax < 1n << BigInt(insn.signExtendBits - 1);
    if (linked) src = assignScalarId(walk, srcIndex);
    const result = scalarReg(scalarMovsx(insn.width, insn.signExtendBits, src.value));
    if (linked) result.id = src.id;
    walk.writeReg(insn.dst, result);
    return;
  }
  if (insn.width === 64) {
    // Kernel: a copied unknown scalar shares an id with its source so a later bound on one bounds both.
    src = assignScalarId(walk, srcIndex);
    walk.writeReg(insn.dst, cloneReg(src));
    return;
  }
  if (isPointer(src)) {
    if (!walk.options.allowPtrLeaks) walk.fail(`R${srcIndex} partial copy of pointer`);
    walk.writeReg(insn.dst, scalarReg());
    return;
  }
  // a 32-bit copy of a value that fits in 32 bits is the same value: linked too
  const linked = src.value.umax <= U32_MAX;
  if (linked) src = assignScalarId(walk, srcIndex);
  const result = scalarReg(scalarAlu('mov', 32, unknown(), src.value));
  if (linked) result.id = src.id;
  walk.writeReg(insn.dst, result);
}

/**
 * Kernel assign_scalar_id_before_mov: an unknown scalar about to be copied gets an id its copies share; one
 * already linked by a delta starts a new link. The register is replaced (states share register objects).
 */
function assignScalarId(walk: Walk, regno: number): Reg {
  let src = walk.frame.regs[regno];
  if (src.type !== 'scalar') return src;
  if (src.addConst) src = { ...src, id: 0, off: 0, addConst: false };
  if (src.id === 0 && !isConst(src.value)) src = { ...src, id: walk.newId() };
  walk.frame.regs[regno] = src;
  return src;
}

/** Kernel adjust_ptr_min_max_vals and the pointer cases of adjust_reg_min_max_vals. */
function pointerAlu(walk: Walk, insn: AluInsn, dst: Reg, src: Reg): Reg {
  const op = insn.op;
  if (isPointer(dst) && isPointer(src)) {
    if (op === 'sub' && walk.options.allowPtrLeaks && insn.width === 64) return scalarReg();
    return walk.fail(`R${insn.dst} pointer ${ALU_STRINGS[op]} pointer prohibited`);
  }
  const dstIsPointer = isPointer(dst);
  const ptr = dstIsPointer ? dst : src;
  const off = dstIsPointer ? src : dst;
  if (insn.width === 32) {
    // Kernel: a 32-bit subtraction involving a pointer is an unknown scalar for CAP_PERFMON; nothing else is.
    if (op === 'sub' && walk.options.allowPtrLeaks) return scalarReg();
    return walk.fail(`R${insn.dst} 32-bit pointer arithmetic prohibited`);
  }
  if (ptr.maybeNull) {
    return walk.fail(
      `R${insn.dst} pointer arithmetic on ${regTypeName(ptr)} prohibited, null-check it first`,
    );
  }
  const forbidden = ['map_ptr', 'pkt_end', 'sock', 'sock_common', 'tcp_sock', 'xdp_sock', 'func'];
  // Kernel: a map pointer plus a known 0 is the same map pointer.
  const addsZero = op === 'add' && isConst(off.value) && off.value.varOff.value === 0n;
  if (
    (forbidden.includes(ptr.type) && !(ptr.type === 'map_ptr' && addsZero)) ||
    (ptr.type === 'flow_keys' && !isConst(off.value))
  ) {
    return walk.fail(`R${insn.dst} pointer arithmetic on ${regTypeName(ptr)} prohibited`);
  }
  // Kernel can_skip_alu_sanitation: only a register offset of an add or sub is sanitised, without CAP_PERFMON,
  // until a barrier went before the instruction.
  const sanitised =
    (op === 'add' || op === 'sub') &&
    !walk.options.bypassSpecV1 &&
    insn.source.kind === 'reg' &&
    !walk.nospec.has(walk.insnIdx);
  const srcRegno = insn.source.kind === 'reg' ? insn.source.reg : -1;
  const operands: PtrAluOperands = {
    dst: insn.dst,
    ptrRegno: dstIsPointer ? insn.dst : srcRegno,
    offRegno: dstIsPointer ? srcRegno : insn.dst,
    op: op === 'sub' ? 'sub' : 'add',
  };
  if (sanitised) checkSaneOffset(walk, off, regTypeName(ptr));
  // Kernel sanitize_ptr_alu: a speculative path was checked where it started; it only simulates the masking.
  const sanitation =
    sanitised && !walk.state.speculative
      ? sanitizePtrAluBefore(walk, operands, ptr, off, dstIsPointer)
      : undefined;
  if (sanitised && !isConst(off.value)) {
    // Kernel: an offset outside the range seen here is masked to 0 at run time, so the CPU may also go on
    // with the pointer unmoved: explored as a speculative path.
    // The kernel has already dropped the destination's 32-bit bounds (pointers carry none) when it copies the
    // state, so a pointer moved in place goes on unmoved without them: it prunes against fewer states.
    const unmoved = cloneState(walk.state);
    unmoved.frames[unmoved.frames.length - 1].regs[insn.dst] = dstIsPointer
      ? { ...cloneReg(ptr), value: markUnbounded32(ptr.value) }
      : cloneReg(ptr);
    walk.pushBranch(unmoved, walk.nextInsn, true);
  }
  if (op === 'and' || op === 'or' || op === 'xor') {
    return walk.fail(`R${insn.dst} bitwise operator ${ALU_STRINGS[op]} on pointer prohibited`);
  }
  if (op !== 'add' && op !== 'sub') {
    return walk.fail(`R${insn.dst} pointer arithmetic with ${ALU_STRINGS[op]} operator prohibited`);
  }
  if (op === 'sub' && !dstIsPointer) return walk.fail(`R${insn.dst} tried to subtract pointer from scalar`);
  if (op === 'sub' && ptr.type === 'stack')
    return walk.fail(`R${insn.dst} subtraction from stack pointer prohibited`);
  // Kernel: read-only untrusted memory is read by probe loads at any offset, so its offset is not tracked.
  if (ptr.type === 'mem' && ptr.trust === 'untrusted') return cloneReg(ptr);
  checkSaneOffset(walk, off, regTypeName(ptr));
  const result = cloneReg(ptr);
  if (isConst(off.value)) {
    const value = BigInt.asIntN(64, off.value.varOff.value);
    const delta = op === 'add' ? value : -value;
    const next = BigInt(ptr.off) + delta;
    if (next >= BigInt(BPF_MAX_VAR_OFF) || next <= -BigInt(BPF_MAX_VAR_OFF)) {
      return walk.fail(`value ${delta} makes ${regTypeName(ptr)} pointer be out of bounds`);
    }
    result.off = Number(next);
  } else {
    result.value = scalarAlu(op, 64, ptr.value, off.value);
    if (isPacketPointer(result)) {
      // Kernel: adding an unknown to a packet pointer makes a new pointer whose range must be learnt again.
      result.id = walk.newId();
      result.range = 0;
    }
    checkSaneOffset(walk, result, regTypeName(ptr));
  }
  if (!walk.options.bypassSpecV1) sanitizeCheckBounds(walk, insn.dst, result);
  if (sanitation !== undefined) sanitizePtrAluAfter(walk, operands, result, sanitation);
  return result;
}

/**
 * Kernel check_reg_sane_offset, for the scalar added to a pointer and for the pointer that results: values the
 * verifier refuses to reason about (all EINVAL).
 */
function checkSaneOffset(walk: Walk, reg: Reg, type: string): void {
  const value: ScalarBounds = reg.value;
  const v = BigInt.asIntN(64, value.varOff.value);
  const limit = BigInt(BPF_MAX_VAR_OFF);
  if (isConst(value) && (v >= limit || v <= -limit)) {
    walk.fail(`math between ${type} pointer and ${v} is not allowed`, 'EINVAL');
  }
  if (reg.off >= BPF_MAX_VAR_OFF || reg.off <= -BPF_MAX_VAR_OFF) {
    walk.fail(`${type} pointer offset ${reg.off} is not allowed`, 'EINVAL');
  }
  const smin = BigInt.asIntN(64, value.smin);
  if (smin === S64_MIN) {
    walk.fail(`math between ${type} pointer and register with unbounded min value is not allowed`, 'EINVAL');
  }
  if (smin >= limit || smin <= -limit)
    walk.fail(`value ${smin} makes ${type} pointer be out of bounds`, 'EINVAL');
}
