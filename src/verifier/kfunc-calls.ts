// kfunc calls (src 2, imm = the kfunc's BTF id): the kernel's check_kfunc_call and check_kfunc_args for the kfuncs
// of src/abi/kfuncs.ts, with their arguments classified from the BTF prototype as the kernel classifies them.
import {
  KF_ACQUIRE,
  KF_RELEASE,
  KF_RET_NULL,
  KF_TRUSTED_ARGS,
  type KfuncDef,
  kfuncAllowed,
  PACKET_WRITING_PROGRAM_TYPES,
  kfuncByBtfId,
} from '../abi/kfuncs.js';
import { KERNEL_CONTEXT_STRUCTS, KERNEL_STRUCT_TABLE } from '../abi/kernel-structs.js';
import { kernelTypesOf } from './kernel-struct-access.js';
import type { CallInsn } from '../isa/decoded.js';
import type { Insn } from '../isa/insn.js';
import { BPF_CALL_INSN, BPF_PSEUDO_KFUNC_CALL } from '../isa/opcodes.js';
import { VerifierError } from './verifier-error.js';
import { regTypeName } from './format-state.js';
import { checkHelperMemory } from './memory.js';
import { initializedDynptr, markDynptr } from './dynptr.js';
import { isConst } from './scalar.js';
import { invalidatePacketPointers, releaseReference } from './calls.js';
import { notInit, pointerReg, type Reg, scalarReg } from './state.js';
import type { Walk } from './walk.js';

/** How the kernel's get_kfunc_ptr_arg_type (or the scalar branch) treats one parameter. */
type KfuncArgKind =
  | { kind: 'scalar'; constant: boolean }
  | { kind: 'ctx' }
  | { kind: 'btf_id'; struct: string }
  | { kind: 'mem'; size: number }
  | { kind: 'mem_size'; constantSize: boolean; nullable: boolean }
  | { kind: 'dynptr'; uninit: boolean }
  | { kind: 'unsupported'; what: string };

/** The program types' context structs (btf_is_prog_ctx_type). */
const CONTEXT_STRUCTS: Readonly<Record<string, string>> = {
  xdp: 'xdp_md',
  sched_cls: '__sk_buff',
  sched_act: '__sk_buff',
  socket_filter: '__sk_buff',
  cgroup_skb: '__sk_buff',
  lwt_in: '__sk_buff',
  lwt_out: '__sk_buff',
  lwt_xmit: '__sk_buff',
  lwt_seg6local: '__sk_buff',
  sk_skb: '__sk_buff',
};

/** Sizes of the scalar (or all-scalar) types kfunc pointers point to. */
const POINTEE_SIZES: Readonly<Record<string, number>> = {
  u8: 1,
  u16: 2,
  __be16: 2,
  u32: 4,
  __u32: 4,
  int: 4,
  u64: 8,
  'enum xdp_rss_hash_type': 4,
  'union nf_inet_addr': 16,
};

function pointee(type: string): string | undefined {
  if (!type.endsWith('*')) return undefined;
  return type
    .slice(0, -1)
    .trim()
    .replace(/^const /, '');
}

function classify(walk: Walk, kfunc: KfuncDef, index: number, programType: string): KfuncArgKind {
  const param = kfunc.params[index];
  const target = pointee(param.type);
  if (target === undefined) return { kind: 'scalar', constant: /__k$|__szk$/.test(param.name) };
  const struct = /^struct (\w+)$/.exec(target)?.[1];
  if (struct !== undefined && struct === CONTEXT_STRUCTS[programType]) return { kind: 'ctx' };
  if (struct === 'bpf_dynptr') return { kind: 'dynptr', uninit: param.name.endsWith('__uninit') };
  const next = kfunc.params[index + 1];
  if (next !== undefined && /__szk?$/.test(next.name)) {
    return {
      kind: 'mem_size',
      constantSize: next.name.endsWith('__szk'),
      nullable: param.name.endsWith('__opt'),
    };
  }
  if (struct !== undefined && kernelTypesOf(walk).structByName(struct) !== undefined)
    return { kind: 'btf_id', struct };
  const size = POINTEE_SIZES[target];
  if (size !== undefined) return { kind: 'mem', size };
  return { kind: 'unsupported', what: `${param.name} (${param.type})` };
}

function isNullConstant(reg: Reg): boolean {
  return reg.type === 'scalar' && isConst(reg.value) && reg.value.varOff.value === 0n;
}

/** Kernel check_mem_size_reg, read then write, zero allowed (check_kfunc_mem_size_reg). */
function checkMemSize(walk: Walk, regno: number, size: Reg): void {
  const memRegno = regno - 1;
  const mem = walk.frame.regs[memRegno];
  if (size.type !== 'scalar') walk.fail(`R${regno} is not a scalar`, 'EINVAL');
  const v = size.value;
  if (v.smin < 0n) walk.fail(`R${regno} min value is negative, either use unsigned or 'var &= const'`);
  if (v.umax >= 1n << 29n) {
    walk.fail(`R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
  }
  // The kernel checks the pair once for reading and once for writing, each check ending in its own
  // precision walk of the size register (the log shows both). The write check scrubs the stack without the
  // byte stores of a helper's raw-mode argument: the slots are not printed after the call.
  checkHelperMemory(walk, memRegno, mem, Number(v.umax), 'read');
  walk.markPrecise(regno);
  checkHelperMemory(walk, memRegno, mem, Number(v.umax), 'write', true);
  walk.markPrecise(regno);
}

/** The device-bound XDP metadata kfuncs: a program that is not bound to a device cannot call them. */
const DEV_BOUND_KFUNCS = new Set([
  'bpf_xdp_metadata_rx_timestamp',
  'bpf_xdp_metadata_rx_hash',
  'bpf_xdp_metadata_rx_vlan_tag',
]);

/**
 * Kernel add_subprog_and_kfunc / add_kfunc_call, before any walk: kfuncs need a GPL-compatible program, a BTF id
 * that is a function, and (XDP metadata) a device-bound program, which a test-run never has.
 */
export function checkKfuncCallsAtLoad(insns: readonly Insn[], gplCompatible: boolean): void {
  for (const [index, insn] of insns.entries()) {
    if (insn.code !== BPF_CALL_INSN || insn.src !== BPF_PSEUDO_KFUNC_CALL) continue;
    if (!gplCompatible) {
      throw new VerifierError('cannot call kernel function from non-GPL compatible program', index, 'EINVAL');
    }
    const kfunc = insn.off === 0 ? kfuncByBtfId(insn.imm) : undefined;
    if (kfunc === undefined) {
      throw new VerifierError(
        `kernel function with BTF id ${insn.imm} (btf fd index ${insn.off}) is not one tsbpf knows (src/abi/kfuncs.ts)`,
        index,
        'EINVAL',
      );
    }
    if (DEV_BOUND_KFUNCS.has(kfunc.name)) {
      throw new VerifierError('metadata kfuncs require device-bound program', index, 'EINVAL');
    }
  }
}

/** Kernel check_kfunc_call for a call to the kfunc with BTF id `insn.imm` in vmlinux (`insn.off` 0). */
export function checkKfuncCall(walk: Walk, insn: CallInsn): void {
  const kfunc = insn.off === 0 ? kfuncByBtfId(insn.imm) : undefined;
  if (kfunc === undefined) {
    walk.fail(
      `kernel function with BTF id ${insn.imm} (btf fd index ${insn.off}) is not one tsbpf knows (src/abi/kfuncs.ts)`,
      'EINVAL',
    );
  }
  if (!kfuncAllowed(kfunc, walk.options.programType)) {
    walk.fail(`calling kernel function ${kfunc.name} is not allowed`, 'EACCES');
  }
  if (kfunc.name === 'bpf_cast_to_kern_ctx' || kfunc.name === 'bpf_rdonly_cast') {
    const result = kfunc.name === 'bpf_cast_to_kern_ctx' ? castToKernCtx(walk) : rdonlyCast(walk);
    const caller = walk.frame;
    for (let r = 0; r <= 5; r++) caller.regs[r] = notInit();
    walk.scratchedRegs.add(0);
    caller.regs[0] = result;
    return;
  }
  const release = (kfunc.flags & KF_RELEASE) !== 0;
  const trusted = (kfunc.flags & KF_TRUSTED_ARGS) !== 0;
  let refObjId = 0;
  let constantSize: number | undefined;
  let dynptr: Reg | undefined;
  let sliceBuffer: { frameno: number; off: number } | undefined;
  for (let i = 0; i < kfunc.params.length; i++) {
    const regno = i + 1;
    const reg = walk.readReg(regno);
    const arg = classify(walk, kfunc, i, walk.options.programType);
    if (arg.kind === 'scalar') {
      if (reg.type !== 'scalar') walk.fail(`R${regno} is not a scalar`, 'EINVAL');
      if (arg.constant) {
        if (!isConst(reg.value)) walk.fail(`R${regno} must be a known constant`, 'EINVAL');
        walk.markPrecise(regno);
      }
      continue;
    }
    if ((trusted || release) && (isNullConstant(reg) || reg.maybeNull)) {
      walk.fail(`Possibly NULL pointer passed to trusted arg${i}`, 'EACCES');
    }
    if (reg.refObjId !== 0) {
      if (release && refObjId !== 0) {
        walk.fail(`more than one arg with ref_obj_id R${regno} ${reg.refObjId} ${refObjId}`, 'EFAULT');
      }
      refObjId = reg.refObjId;
    }
    switch (arg.kind) {
      case 'ctx':
        if (reg.type !== 'ctx')
          walk.fail(`arg#${i} expected pointer to ctx, but got ${regTypeName(reg)}`, 'EINVAL');
        break;
      case 'btf_id':
        if (reg.type !== 'btf_id') {
          // Kernel get_kfunc_ptr_arg_type: a struct argument only matches a BTF pointer; anything else is taken
          // as memory, which a struct with pointers cannot be. The kernel's scalar-struct walk gives up on the
          // conntrack structs first: they nest deeper than its limit (seen in the 6.18 log).
          if (arg.struct === 'nf_conn' || arg.struct === 'nf_conn___init') {
            walk.log.print('max struct nesting depth exceeded\n');
          }
          walk.fail(
            `arg#${i} pointer type STRUCT ${arg.struct} must point to scalar, or struct with scalar`,
            'EINVAL',
          );
        }
        if (reg.btfName !== arg.struct) {
          walk.fail(
            `kernel function ${kfunc.name} args#${i} expected pointer to STRUCT ${arg.struct} but R${regno} has a pointer to STRUCT ${reg.btfName ?? ''}`,
            'EINVAL',
          );
        }
        break;
      case 'mem':
        checkHelperMemory(walk, regno, reg, arg.size, 'read');
        checkHelperMemory(walk, regno, reg, arg.size, 'write', true);
        break;
      case 'mem_size': {
        const size = walk.readReg(regno + 1);
        if (reg.type === 'stack' && isConst(reg.value)) {
          sliceBuffer = {
            frameno: reg.frameno,
            off: reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value)),
          };
        }
        if (arg.nullable && isNullConstant(reg)) {
          // Kernel: a NULL optional buffer is marked precise instead of being checked (as for helpers).
          walk.markPrecise(regno);
        } else {
          try {
            checkMemSize(walk, regno + 1, size);
          } catch (error) {
            if (!(error instanceof VerifierError)) throw error;
            walk.log.print(`${error.message}\n`);
            walk.fail(`arg#${i} arg#${i + 1} memory, len pair leads to invalid memory access`, error.errno);
          }
        }
        if (arg.constantSize) {
          if (!isConst(size.value)) walk.fail(`R${regno + 1} must be a known constant`, 'EINVAL');
          constantSize = Number(size.value.varOff.value);
          // Kernel: the constant size (`__szk`) is marked precise once more on its own.
          walk.markPrecise(regno + 1);
        }
        i++;
        break;
      }
      case 'dynptr':
        // Kernel check_kfunc_args: a callback's const dynptr is read-only, so never a constructor's target.
        if (reg.type === 'dynptr_ptr') {
          if (arg.uninit) walk.fail('Dynptr has to be an uninitialized dynptr', 'EINVAL');
          dynptr = reg;
        } else if (arg.uninit && kfunc.name === 'bpf_dynptr_clone' && dynptr?.dynptr !== undefined) {
          markDynptr(walk, reg, i, dynptr.dynptr, dynptr);
        } else if (arg.uninit) {
          markDynptr(walk, reg, i, kfunc.name === 'bpf_dynptr_from_xdp' ? 'xdp' : 'skb');
        } else {
          dynptr = initializedDynptr(walk, reg, i);
        }
        break;
      case 'unsupported':
        walk.fail(`tsbpf does not verify kfunc ${kfunc.name}'s argument ${arg.what} yet`, 'EINVAL');
    }
  }
  // Linux 6.18.44 (the reference) refuses every call of bpf_dynptr_slice_rdwr, whatever the program type, once
  // its arguments are checked.
  if (kfunc.name === 'bpf_dynptr_slice_rdwr') walk.fail('bpf_dynptr_slice_rdwr() is not allowed', 'EPERM');
  if (release) {
    if (refObjId === 0)
      walk.fail(`release kernel function ${kfunc.name} expects refcounted PTR_TO_BTF_ID`, 'EINVAL');
    releaseReference(walk, refObjId);
  }
  // Kernel is_kfunc_pkt_changing (bpf_xdp_pull_data): the linear part may move, as with packet-changing helpers.
  if (kfunc.changesPktData === true) invalidatePacketPointers(walk);
  const caller = walk.frame;
  for (let r = 0; r <= 5; r++) caller.regs[r] = notInit();
  walk.scratchedRegs.add(0);
  caller.regs[0] =
    dynptr !== undefined && kfunc.returns === 'void *'
      ? dynptrSlice(walk, kfunc, dynptr, constantSize ?? 0, sliceBuffer)
      : kfuncReturn(walk, kfunc);
}

/**
 * bpf_cast_to_kern_ctx(ctx): a trusted pointer to the kernel struct the context stands for (sk_buff for skb
 * programs, xdp_buff for xdp), as the kernel's get_kern_ctx_btf_id gives it.
 */
function castToKernCtx(walk: Walk): Reg {
  const ctx = walk.readReg(1);
  if (ctx.type !== 'ctx') walk.fail(`arg#0 expected pointer to ctx, but got ${regTypeName(ctx)}`, 'EINVAL');
  const type = walk.options.programType;
  const struct = KERNEL_CONTEXT_STRUCTS[type];
  if (struct === undefined) {
    walk.fail(
      `bpf_cast_to_kern_ctx: tsbpf does not lay out the kernel struct behind the context of ${type} programs`,
      'EINVAL',
    );
  }
  const reg = pointerReg('btf_id', { trust: 'trusted' });
  reg.btfName = struct;
  return reg;
}

/**
 * bpf_rdonly_cast(anything, btf_id): an untrusted pointer to the vmlinux struct with that id, or read-only
 * untrusted memory for id 0 (void); the first argument is not checked at all (`__ign`).
 */
function rdonlyCast(walk: Walk): Reg {
  const id = walk.readReg(2);
  if (id.type !== 'scalar') walk.fail('R2 is not a scalar', 'EINVAL');
  if (!isConst(id.value)) walk.fail('R2 must be a known constant', 'EINVAL');
  walk.markPrecise(2);
  const btfId = Number(BigInt.asUintN(32, id.value.varOff.value));
  if (btfId === 0) return pointerReg('mem', { memSize: 0, readOnly: true, trust: 'untrusted' });
  const types = kernelTypesOf(walk);
  const struct = types.structById(btfId);
  // With the kernel's BTF every id is known: one that is not a struct is the kernel's refusal.
  if (struct === undefined && types !== KERNEL_STRUCT_TABLE) {
    walk.fail('kfunc bpf_rdonly_cast type ID argument must be of a struct or void', 'EINVAL');
  }
  if (struct === undefined) {
    walk.fail(
      `bpf_rdonly_cast: tsbpf does not model the kernel type with BTF id ${btfId} (src/abi/kernel-structs.ts)`,
      'EINVAL',
    );
  }
  const reg = pointerReg('btf_id', { trust: 'untrusted' });
  reg.btfName = struct.name;
  return reg;
}

/** bpf_dynptr_slice(_rdwr): memory of the constant size inside the dynptr's data, NULL when out of it. */
function dynptrSlice(
  walk: Walk,
  kfunc: KfuncDef,
  dynptr: Reg,
  size: number,
  buffer: { frameno: number; off: number } | undefined,
): Reg {
  const readOnly = kfunc.name === 'bpf_dynptr_slice';
  if (!readOnly && !PACKET_WRITING_PROGRAM_TYPES.has(walk.options.programType)) {
    walk.fail('the prog does not allow writes to packet data', 'EINVAL');
  }
  const reg = pointerReg('mem', { maybeNull: true, id: walk.newId(), memSize: size, readOnly });
  reg.dynptr = dynptr.dynptr;
  reg.dynptrId = dynptr.id;
  if (buffer !== undefined) reg.sliceBuffer = { ...buffer, size };
  return reg;
}

function kfuncReturn(walk: Walk, kfunc: KfuncDef): Reg {
  if (kfunc.returns === 'void') return notInit();
  const target = pointee(kfunc.returns);
  if (target === undefined) return scalarReg();
  const struct = /^struct (\w+)$/.exec(target)?.[1];
  if (struct === undefined) walk.fail(`tsbpf does not verify what kfunc ${kfunc.name} returns yet`, 'EINVAL');
  const maybeNull = (kfunc.flags & KF_RET_NULL) !== 0;
  const reg = pointerReg('btf_id', { maybeNull, id: maybeNull ? walk.newId() : 0 });
  reg.btfName = struct;
  if ((kfunc.flags & KF_ACQUIRE) !== 0) {
    // Kernel check_kfunc_call: the reference takes an id of its own even when the maybe-NULL result was
    // just given one, and the result then carries the reference's (the first id is never seen again).
    const id = walk.newId();
    if (maybeNull) reg.id = id;
    reg.refObjId = id;
    walk.state.refs.push({ id, insn: walk.insnIdx });
  }
  return reg;
}
