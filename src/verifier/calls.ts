// Calls and exits: bpf-to-bpf calls with one frame each, helper calls checked against their prototypes,
// callbacks (bpf_loop, for_each_map_elem, timers) verified as functions the helper calls, and exits.
import type { AttachTypeName } from '../abi/program-types.js';
import { returnRange } from '../abi/return-ranges.js';
import { MAP_TYPE_HELPERS, mapTypeByName } from '../abi/map-types.js';
import { helperById, helperLabel, helperProtoFor, type HelperArg } from '../abi/helpers.js';
import { MAX_CALL_FRAMES } from '../abi/limits.js';
import type { CallInsn } from '../isa/decoded.js';
import { formatFrame, regTypeName } from './format-state.js';
import type { GlobalFunction } from './global-functions.js';
import { dynptrReference, initializedDynptr, markDynptr, releaseDynptr } from './dynptr.js';
import { checkKfuncCall } from './kfunc-calls.js';
import { checkHelperMemory } from './memory.js';
import { isConst, syncBounds, unknown, unsignedRange } from './scalar.js';
import { formatTnum } from './tnum.js';
import {
  type CallbackInfo,
  cloneReg,
  cloneState,
  type Frame,
  isPacketPointer,
  isPointer,
  newFrame,
  notInit,
  pointerReg,
  type Reg,
  scalarReg,
  type SlotByte,
  type VerifierMap,
  type VerifierState,
} from './state.js';
import { VerifierError } from './verifier-error.js';
import type { Walk } from './walk.js';

export function checkCall(walk: Walk, insn: CallInsn): void {
  if (insn.target === 'local') {
    const target = walk.insnIdx + insn.imm + 1;
    const global = walk.options.globalFunctions.get(walk.cfg.functionOf[target]);
    if (global) callGlobal(walk, walk.cfg.functionOf[target], global);
    else enterFunction(walk, target);
    return;
  }
  if (insn.target === 'kfunc') {
    checkKfuncCall(walk, insn);
    return;
  }
  checkHelperCall(walk, insn.imm);
  // 6.18: a tail call in a subprogram that finds no program falls through, one that runs another program
  // ends this one from inside the subprogram. The fall-through is walked later; first the subprogram returns
  // an unknown r0 to its caller, as at an exit.
  if (insn.imm === TAIL_CALL_ID && walk.state.frames.length > 1) {
    walk.pushBranch(cloneState(walk.state), walk.nextInsn);
    walk.frame.regs[0] = scalarReg();
    checkExit(walk, true);
  }
}

const TAIL_CALL_ID = 12;

/**
 * Kernel btf_check_subprog_call for a static function: the arguments are checked against its BTF prototype; a
 * mismatch is logged and makes the prototype unreliable for every later call, and the call goes on all the same.
 */
function checkStaticPrototype(walk: Walk, target: number): void {
  const index = walk.cfg.functionOf[target];
  const args = walk.options.staticPrototypes?.get(index);
  if (args === undefined) return;
  const regs = walk.frame.regs;
  for (let i = 0; i < args.length; i++) {
    const reg = regs[i + 1];
    const message =
      args[i] === 'scalar'
        ? reg.type === 'scalar'
          ? undefined
          : `R${i + 1} is not a scalar`
        : reg.type === 'ctx'
          ? undefined
          : `arg#${i} expects pointer to ctx`;
    if (message !== undefined) {
      walk.printBlock(`${message}\n`);
      walk.options.staticPrototypes?.delete(index);
      return;
    }
  }
}

/** Kernel check_func_call / push_frame for a static function: a new frame with r1-r5 passed in. */
function enterFunction(walk: Walk, target: number): void {
  checkStaticPrototype(walk, target);
  const caller = walk.frame;
  const callee = pushFrame(walk, walk.state, target, caller.regs.slice(1, 6));
  walk.options.stackLiveness?.forgetCurrent();
  for (let r = 0; r <= 5; r++) caller.regs[r] = notInit();
  if (walk.log.level > 0) {
    const refs = walk.state.refs;
    walk.printBlock(`caller:\n ${formatFrame(caller, refs)}\ncallee:\n ${formatFrame(callee, refs)}\n`);
  }
  // Kernel: the callee's whole frame is printed before its first instruction.
  walk.clearScratched();
  walk.markAllScratched();
  walk.nextInsn = target;
}

/**
 * A call to a global function: the arguments must match its BTF prototype; it returns an unknown scalar
 * (kernel: "Func#N ('name') is global and assumed valid.").
 */
function callGlobal(walk: Walk, index: number, global: GlobalFunction): void {
  const caller = walk.frame;
  try {
    checkGlobalArgs(walk, global);
  } catch (error) {
    // Kernel check_func_call: what refused an argument is printed, then the call itself is refused (EINVAL).
    if (!(error instanceof VerifierError) || error.errno === 'EFAULT') throw error;
    if (walk.log.level > 0) walk.log.print(`${error.message}\n${error.details}`);
    walk.fail(`Caller passes invalid args into func#${index} ('${global.name}')`, 'EINVAL');
  }
  // Kernel check_func_call: a global function that may move the packet leaves no packet pointer valid.
  if (walk.options.packetChangingFunctions?.has(index) === true) invalidatePacketPointers(walk);
  for (let r = 0; r <= 5; r++) caller.regs[r] = notInit();
  caller.regs[0] = scalarReg();
  walk.scratchedRegs.add(0);
  walk.calledGlobals.add(index);
  if (walk.log.level > 0) walk.printBlock(`Func#${index} ('${global.name}') is global and assumed valid.\n`);
}

/** Kernel btf_check_func_arg_match: each argument register against the global function's BTF prototype. */
function checkGlobalArgs(walk: Walk, global: GlobalFunction): void {
  global.args.forEach((arg, i) => {
    const regno = i + 1;
    const reg = walk.readReg(regno);
    if (arg.kind === 'scalar') {
      if (reg.type !== 'scalar') walk.fail(`R${regno} is not a scalar`);
      return;
    }
    if (arg.kind === 'ctx') {
      if (reg.type !== 'ctx') walk.fail(`arg#${i} expects pointer to ctx`);
      if (reg.off !== 0) walk.fail(`dereference of modified ctx ptr R${regno} off=${reg.off} disallowed`);
      return;
    }
    const isNull = reg.type === 'scalar' && isConst(reg.value) && reg.value.varOff.value === 0n;
    // 6.18 marks the NULL precise: a pruned path must not pass a non-zero scalar for the pointer.
    if (isNull) {
      walk.markPrecise(regno);
      return;
    }
    // The callee may read and write the memory: both accesses must be allowed.
    checkHelperMemory(walk, regno, reg, arg.size, 'read');
    checkHelperMemory(walk, regno, reg, arg.size, 'write', true);
  });
}

/** Kernel check_return_code: the r0 range some program types must return (attach type dependent). */
function programReturnRange(walk: Walk): [bigint, bigint] | undefined {
  const range = returnRange(
    walk.options.programType,
    walk.options.expectedAttachType as AttachTypeName | undefined,
  );
  return range ? [BigInt(range.min), BigInt(range.max)] : undefined;
}

function checkReturnValue(walk: Walk, r0: Reg, range: [bigint, bigint], where: string): void {
  if (r0.type !== 'scalar')
    walk.fail(`${where} the register R0 is not a known value (${regTypeName(r0)})`, 'EINVAL');
  walk.markPrecise(0);
  const v = r0.value;
  if (v.smin >= range[0] && v.smax <= range[1]) return;
  let text = '';
  if (v.smin > -(1n << 63n)) text += ` smin=${v.smin}`;
  if (v.smax < (1n << 63n) - 1n) text += ` smax=${v.smax}`;
  if (text === '') text = ' unknown scalar value';
  walk.fail(`${where} the register R0 has${text} should have been in [${range[0]}, ${range[1]}]`, 'EINVAL');
}

/**
 * An exit, or (`implicit`) the end a failed legacy packet load makes of a subprogram: the kernel then goes on
 * in the caller without starting a new path in the log.
 */
export function checkExit(walk: Walk, implicit = false): void {
  const state = walk.state;
  const callee = walk.frame;
  // A static function may return nothing (void): its caller just cannot read r0 afterwards.
  const r0 = state.frames.length === 1 || callee.inCallback ? walk.readReg(0) : callee.regs[0];
  if (state.frames.length === 1 && callee.subprog !== 0) {
    // The end of a global function verified on its own.
    if (r0.type !== 'scalar')
      walk.fail(`At subprogram exit the register R0 is not a scalar value (${regTypeName(r0)})`);
    walk.pathDone = true;
    return;
  }
  if (state.frames.length === 1) {
    if (isPointer(r0) && !walk.options.allowPtrLeaks) walk.fail('R0 leaks addr as return value');
    if (state.refs.length > 0) {
      // Kernel check_reference_leak: each reference still held is named before the error.
      for (const ref of state.refs)
        walk.log.print(`Unreleased reference id=${ref.id} alloc_insn=${ref.insn}\n`);
      walk.fail('BPF_EXIT instruction in main prog would lead to reference leak', 'EINVAL');
    }
    const range = programReturnRange(walk);
    if (range) checkReturnValue(walk, r0, range, 'At program exit');
    walk.pathDone = true;
    return;
  }
  if (r0.type === 'stack') walk.fail('cannot return stack pointer to the caller', 'EINVAL');
  // Kernel: what the callee read and wrote is brought to its fixed point before the frame goes.
  walk.options.stackLiveness?.update(state);
  // Kernel prepare_func_exit: a callback's r0 is checked (and marked precise) while its frame is still there.
  if (callee.inCallback) {
    checkReturnValue(walk, r0, [callee.inCallback.retMin, callee.inCallback.retMax], 'At callback return');
  }
  state.frames.pop();
  walk.options.stackLiveness?.forgetCurrent();
  const caller = walk.frame;
  if (callee.inCallback) {
    // The helper may call the function again: go back to the call (its r0 untouched), where equal states
    // converge.
    walk.nextInsn = callee.callsite;
  } else {
    caller.regs[0] = cloneReg(r0);
    walk.nextInsn = callee.callsite + 1;
  }
  if (walk.log.level > 0) {
    walk.printBlock(
      `returning from callee:\n ${formatFrame(callee, walk.state.refs)}\nto caller at ${walk.nextInsn}:\n ${formatFrame(caller, walk.state.refs)}\n`,
    );
  }
  // Kernel: after a callback, imprecise scalars that changed since the same call last ran become unknown, so
  // a callback that counts (ctx->i++) converges instead of running the helper's every iteration.
  if (callee.inCallback) walk.widenImpreciseScalars(callee.callsite);
  // Kernel: the caller continues as a new path in the log (`from EXIT to NEXT:`), nothing left to print.
  if (!implicit) {
    walk.clearScratched();
    walk.printFrom(walk.insnIdx);
  }
}

/** Kernel compatible_reg_types: which register types an argument kind accepts, by their log names. */
function acceptedTypes(arg: HelperArg): readonly string[] {
  switch (arg.type) {
    case 'ARG_CONST_MAP_PTR':
      return ['map_ptr'];
    case 'ARG_PTR_TO_MAP_KEY':
    case 'ARG_PTR_TO_MAP_VALUE':
    case 'ARG_PTR_TO_MEM':
      return ['fp', 'pkt', 'pkt_meta', 'map_key', 'map_value', 'mem', 'ringbuf_mem', 'buf', 'trusted_ptr_'];
    case 'ARG_CONST_SIZE':
    case 'ARG_CONST_SIZE_OR_ZERO':
    case 'ARG_CONST_ALLOC_SIZE_OR_ZERO':
      return ['scalar'];
    case 'ARG_PTR_TO_CTX':
      return ['ctx'];
    case 'ARG_PTR_TO_FUNC':
      return ['func'];
    case 'ARG_PTR_TO_STACK':
      return ['fp'];
    case 'ARG_PTR_TO_CONST_STR':
    case 'ARG_PTR_TO_TIMER':
    case 'ARG_PTR_TO_SPIN_LOCK':
      return ['map_value'];
    case 'ARG_PTR_TO_SOCKET':
      return ['sock'];
    case 'ARG_PTR_TO_SOCK_COMMON':
      return ['sock_common', 'sock', 'tcp_sock', 'xdp_sock'];
    // Kernel btf_id_sock_common_types: the socket pointers, and BTF pointers (plain or trusted) to a sock_common.
    case 'ARG_PTR_TO_BTF_ID_SOCK_COMMON':
      return ['sock_common', 'sock', 'tcp_sock', 'xdp_sock', 'ptr_', 'trusted_ptr_'];
    case 'ARG_PTR_TO_RINGBUF_MEM':
      return ['ringbuf_mem'];
    case 'ARG_PTR_TO_DYNPTR':
      return ['fp', 'dynptr_ptr'];
    // Kernel percpu_btf_ptr_types: per-CPU kernel pointers (tsbpf has none, so the list is for the message).
    case 'ARG_PTR_TO_PERCPU_BTF_ID':
      return ['percpu_ptr_', 'percpu_rcu_ptr_', 'percpu_trusted_ptr_'];
    default:
      return [];
  }
}

const isSocketMapType = (type: string | undefined): boolean => type === 'sockmap' || type === 'sockhash';

/**
 * Kernel resolve_map_arg_type: a bloom filter's peek only reads the value it is given; a sockmap or sockhash
 * "value" is the socket the program holds, and no other value argument fits them.
 */
function resolveMapArg(walk: Walk, helper: string, arg: HelperArg, meta: ArgMeta): HelperArg {
  if (arg.type !== 'ARG_PTR_TO_MAP_VALUE') return arg;
  if (isSocketMapType(meta.map?.type)) {
    if (arg.flags.length > 0) walk.fail('invalid arg_type for sockmap/sockhash', 'EINVAL');
    return { ...arg, type: 'ARG_PTR_TO_BTF_ID_SOCK_COMMON' };
  }
  if (helper === 'map_peek_elem' && meta.map?.type === 'bloom_filter') return { ...arg, flags: [] };
  return arg;
}

/**
 * Kernel may_update_sockmap: program types that never hold a locked socket may update and delete sockmap and
 * sockhash entries (sock_ops may delete only; iterators too, which tsbpf does not load).
 */
function mayUpdateSockmap(walk: Walk, helper: string): boolean {
  if (helper !== 'map_update_elem' && helper !== 'map_delete_elem') return false;
  const type = walk.options.programType;
  if (type === 'tracing' && walk.options.expectedAttachType === 'trace_iter') return true;
  if (type === 'sock_ops' && helper === 'map_delete_elem') return true;
  const allowed = [
    'socket_filter',
    'sched_cls',
    'sched_act',
    'xdp',
    'sk_reuseport',
    'flow_dissector',
    'sk_lookup',
  ];
  if (allowed.includes(type)) return true;
  walk.log.print('cannot update sockmap in this context\n');
  return false;
}

function logTypeName(reg: Reg): string {
  return reg.type === 'stack' ? 'fp' : regTypeName(reg);
}

/** Helpers whose returned pointer is a reference the program must release (kernel is_acquire_function). */
/** Helpers that change a map's contents (kernel record_func_map's read-only check). */
const MAP_WRITING_HELPERS = new Set(['map_delete_elem', 'map_update_elem', 'map_push_elem', 'map_pop_elem']);

const ACQUIRE_HELPERS: ReadonlySet<string> = new Set([
  'sk_lookup_tcp',
  'sk_lookup_udp',
  'skc_lookup_tcp',
  'ringbuf_reserve',
]);

interface ArgMeta {
  map?: VerifierMap;
  /** The initialised dynptr a helper was given (its stack slot's register). */
  dynptr?: Reg;
  memSizeArg?: number;
  callbackTarget?: number;
  constSize?: bigint;
  /** Largest value of the size argument (kernel msize_max_value). */
  sizeMax?: bigint;
  /** The key of an array map, when the stack holds a known constant there (kernel const_map_key). */
  constMapKey?: bigint;
  /** The reference an argument holds (kernel meta->ref_obj_id). */
  refObjId?: number;
}

/** Kernel check_helper_call: the helper exists and is allowed here; every argument fits its prototype. */
function checkHelperCall(walk: Walk, id: number): void {
  if (id === 0) walk.fail('program of this type cannot use helper bpf_unspec#0', 'EINVAL');
  const helper = helperById(id);
  if (helper === undefined) walk.fail(`invalid func unknown#${id}`, 'EINVAL');
  const proto = helperProtoFor(helper, walk.options.programType);
  const label = helperLabel(helper);
  // Kernel bpf_base_func_proto: some helpers are handed out only to loaders with CAP_BPF or CAP_PERFMON.
  const capable =
    helper.requires === 'CAP_PERFMON'
      ? walk.options.perfmonCapable
      : helper.requires === 'CAP_BPF'
        ? walk.options.bpfCapable
        : true;
  if (proto === undefined || !capable) walk.fail(`program of this type cannot use helper ${label}`, 'EINVAL');
  if (proto.gplOnly && !walk.options.gplCompatible) {
    walk.fail('cannot call GPL-restricted function from non-GPL compatible program', 'EINVAL');
  }
  const meta: ArgMeta = {};
  const releases: Reg[] = [];
  let releasedDynptr: { frame: Frame; refObjId: number } | undefined;
  proto.args.forEach((arg, index) => {
    const regno = index + 1;
    if (arg.type === 'ARG_DONTCARE') return;
    const reg = walk.readReg(regno);
    // Kernel check_func_arg: a released dynptr must hold a reference, checked before its type.
    const releasesDynptr = arg.flags.includes('OBJ_RELEASE') && arg.type === 'ARG_PTR_TO_DYNPTR';
    if (releasesDynptr && reg.type === 'dynptr_ptr') {
      walk.fail('cannot release unowned const bpf_dynptr', 'EINVAL');
    }
    if (reg.refObjId !== 0) meta.refObjId = reg.refObjId;
    if (releasesDynptr && reg.type === 'stack') {
      releasedDynptr = { frame: walk.frameOf(reg), refObjId: dynptrReference(walk, reg, regno) };
    }
    const resolved = resolveMapArg(walk, helper.name, arg, meta);
    checkArg(walk, regno, reg, resolved, meta, index > 0 ? proto.args[index - 1] : undefined);
    if (arg.flags.includes('OBJ_RELEASE') && !releasesDynptr) releases.push(reg);
  });
  if (releasedDynptr) releaseDynptr(walk, releasedDynptr.frame, releasedDynptr.refObjId);
  // Kernel check_helper_call: a dynptr over memory must be over a map value.
  if (helper.name === 'dynptr_from_mem' && walk.frame.regs[1].type !== 'map_value') {
    walk.fail(`Unsupported reg type ${logTypeName(walk.frame.regs[1])} for bpf_dynptr_from_mem data`);
  }
  for (const reg of releases) {
    const at = walk.state.refs.findIndex((ref) => ref.id === reg.refObjId);
    if (reg.refObjId === 0 || at < 0) walk.fail(`R1 must be referenced when passed to release function`);
    releaseReference(walk, reg.refObjId);
  }
  // Kernel check_map_func_compatibility: the map's type allows the helper, and the helper the map's type.
  if (meta.map) {
    const map = meta.map;
    // Kernel record_func_map: a map programs may only read (BPF_F_RDONLY_PROG) refuses the helpers that change it.
    if (map.readOnly && MAP_WRITING_HELPERS.has(helper.name)) walk.fail('write into map forbidden', 'EACCES');
    // Kernel check_helper_call: bpf_get_local_storage cannot fail, so it takes no flags.
    const flags = walk.frame.regs[2];
    if (
      helper.name === 'get_local_storage' &&
      !(flags.type === 'scalar' && isConst(flags.value) && flags.value.varOff.value === 0n)
    )
      walk.fail("get_local_storage() doesn't support non-zero flags", 'EINVAL');
    if (helper.name === 'tail_call' && map.type !== 'prog_array')
      walk.fail('expected prog array map for tail call', 'EINVAL');
    const allowedByMap = MAP_TYPE_HELPERS[map.type];
    if (
      (allowedByMap &&
        !allowedByMap.includes(helper.name) &&
        !(isSocketMapType(map.type) && mayUpdateSockmap(walk, helper.name))) ||
      (helper.mapTypes && !helper.mapTypes.includes(map.type))
    ) {
      walk.fail(`cannot pass map_type ${mapTypeByName(map.type)?.id ?? -1} into func ${label}`, 'EINVAL');
    }
    // Kernel record_func_key: a tail call through a constant index in range depends on that exact index.
    const index = walk.frame.regs[3];
    if (
      helper.name === 'tail_call' &&
      index.type === 'scalar' &&
      isConst(index.value) &&
      index.value.varOff.value < BigInt(map.maxEntries)
    ) {
      walk.markPrecise(3);
    }
  }
  const caller = walk.frame;
  const passed = caller.regs.slice(1, 6).map(cloneReg);
  let enterCallbackNow = meta.callbackTarget !== undefined;
  if (id === 181) {
    noteLoopInlining(walk, passed, meta.callbackTarget);
    // Kernel: the walk of bpf_loop's callback rests on the iteration count, so its value must be exact, and
    // the callback is entered no more times than the count's largest value.
    walk.markPrecise(1);
    if (BigInt(caller.callbackDepth) >= walk.frame.regs[1].value.umax) {
      enterCallbackNow = false;
      caller.callbackDepth = 0;
      if (walk.log.level > 1) walk.printBlock(`frame${caller.frameno} bpf_loop iteration limit reached\n`);
    }
  }
  if (enterCallbackNow && meta.callbackTarget !== undefined) {
    // Kernel push_callback_call: the callback is another path, which comes back to this call when it returns
    // (the helper may call it again); this path goes on after the call.
    const callback = callbackRegisters(walk, id, meta, passed);
    if (callback.info.helper === 'timer_set_callback') {
      walk.asyncCallbacks.add(walk.cfg.functionOf[meta.callbackTarget]);
    }
    const saved = walk.state;
    walk.state = cloneState(saved);
    const entered = enterCallback(walk, meta.callbackTarget, callback.info, callback.args);
    walk.state = saved;
    // Kernel push_callback_call: the entering path counts one more entry; this path starts again from none.
    entered.frames[entered.frames.length - 2].callbackDepth++;
    caller.callbackDepth = 0;
    walk.pushBranch(entered, meta.callbackTarget);
    // Kernel init_func_state: a new frame marks every register and slot to be printed, the caller's included.
    walk.markAllScratched();
  }
  for (let r = 1; r <= 5; r++) caller.regs[r] = notInit();
  walk.scratchedRegs.add(0);
  // Kernel: a lookup in an array with a constant key inside it cannot fail (no null check needed).
  const inArray =
    helper.name === 'map_lookup_elem' &&
    meta.map !== undefined &&
    meta.constMapKey !== undefined &&
    meta.constMapKey >= 0n &&
    meta.constMapKey < BigInt(meta.map.maxEntries);
  const flags = inArray ? proto.ret.flags.filter((flag) => flag !== 'PTR_MAYBE_NULL') : proto.ret.flags;
  caller.regs[0] = returnValue(walk, helper.name, proto.ret.type, flags, meta);
  // Kernel is_ptr_cast_function: the cast of a referenced socket is held by the socket's reference.
  if (PTR_CAST_HELPERS.has(helper.name) && meta.refObjId !== undefined) {
    caller.regs[0] = { ...caller.regs[0], refObjId: meta.refObjId };
  }
  // Kernel: writing through an skb dynptr may move the packet, like the helpers that change packet data.
  if (helper.changesPktData || (helper.name === 'dynptr_write' && meta.dynptr?.dynptr === 'skb')) {
    invalidatePacketPointers(walk);
  }
}

/**
 * Kernel fit_for_bpf_loop_inline: a bpf_loop call whose flags are always 0 and whose callback is always the
 * same function is inlined after verification, which takes 3 more stack slots in the calling function.
 */
function noteLoopInlining(walk: Walk, passed: readonly Reg[], callback: number | undefined): void {
  const flags = passed[3];
  const fits =
    flags.type === 'scalar' &&
    isConst(flags.value) &&
    flags.value.varOff.value === 0n &&
    callback !== undefined;
  const seen = walk.loopInlining.get(walk.insnIdx);
  // Kernel loop_flag_is_zero: while the call may still be inlined, a zero flags argument is relied on.
  if (
    (seen === undefined || seen.fits) &&
    flags.type === 'scalar' &&
    isConst(flags.value) &&
    flags.value.varOff.value === 0n
  ) {
    walk.markPrecise(4);
  }
  walk.loopInlining.set(walk.insnIdx, {
    fits: fits && (seen === undefined || (seen.fits && seen.callback === callback)),
    callback: callback ?? -1,
  });
}

/**
 * A helper's access to the memory of a pointer argument: memory it fills (MEM_UNINIT) is written; memory it reads
 * and may change (MEM_WRITE) is written too (a read-only map refuses it), and stack there must hold something and
 * then holds unknown data (kernel clobber, nothing printed). Packets are checked alike either way (the program
 * type's right to them is checked once per argument).
 */
function helperMemoryAccess(walk: Walk, regno: number, reg: Reg, size: number, arg: HelperArg): void {
  if (arg.flags.includes('MEM_UNINIT')) {
    checkHelperMemory(walk, regno, reg, size, 'write');
  } else if (!arg.flags.includes('MEM_WRITE') || isPacketPointer(reg)) {
    checkHelperMemory(walk, regno, reg, size, 'read');
  } else if (reg.type === 'stack') {
    checkHelperMemory(walk, regno, reg, size, 'read');
    checkHelperMemory(walk, regno, reg, size, 'write', true);
  } else {
    checkHelperMemory(walk, regno, reg, size, 'write');
  }
}

/**
 * Kernel get_constant_map_key: the key a stack pointer points to, as a signed 64-bit value, when from the key's
 * first byte to its size the slot holds zeros, or exactly `keySize` bytes of a spilled constant scalar (whose
 * whole value is the key, wherever in the slot the key starts). Only with CAP_BPF.
 */
function constantMapKey(walk: Walk, reg: Reg, keySize: number): bigint | undefined {
  if (!walk.options.bpfCapable || reg.type !== 'stack' || !isConst(reg.value)) return undefined;
  const at = reg.off + Number(BigInt.asIntN(64, reg.value.varOff.value));
  const index = Math.floor((-at - 1) / 8);
  const slot = walk.state.frames[reg.frameno]?.slots[index];
  if (slot === undefined) return undefined;
  const first = at + 8 * (index + 1);
  const run = (kind: SlotByte): number => {
    let n = 0;
    while (first + n < 8 && slot.bytes[first + n] === kind) n++;
    return n;
  };
  if (run('zero') >= keySize) return 0n;
  // Kernel is_spilled_scalar_reg: the slot's lowest byte is part of a spilled scalar.
  if (slot.bytes[0] !== 'spill' || slot.spilled.type !== 'scalar') return undefined;
  if (run('spill') !== keySize || !isConst(slot.spilled.value)) return undefined;
  // The verdict now rests on the key's exact value: mark where it came from precise, as the kernel does.
  walk.markSlotPrecise(reg.frameno, index);
  return BigInt.asIntN(64, slot.spilled.value.varOff.value);
}

/** The state a callback starts in: the caller's frame untouched, a new frame with the helper's arguments. */
function enterCallback(walk: Walk, target: number, info: CallbackInfo, args: Reg[]): VerifierState {
  const state = walk.state;
  pushFrame(walk, state, target, args).inCallback = info;
  state.callbackUnrollDepth++;
  return state;
}

/** Kernel push_frame: at most MAX_CALL_FRAMES frames; the callee gets r1-r5 and its own r10. */
function pushFrame(walk: Walk, state: VerifierState, target: number, args: readonly Reg[]): Frame {
  if (state.frames.length >= MAX_CALL_FRAMES) {
    walk.fail(`the call stack of ${state.frames.length + 1} frames is too deep`, 'E2BIG');
  }
  const callee = newFrame(walk.insnIdx, walk.cfg.functionOf[target], state.frames.length);
  for (let r = 1; r <= 5; r++) if (args[r - 1].type !== 'not_init') callee.regs[r] = cloneReg(args[r - 1]);
  state.frames.push(callee);
  return callee;
}

function checkArg(
  walk: Walk,
  regno: number,
  reg: Reg,
  arg: HelperArg,
  meta: ArgMeta,
  previous: HelperArg | undefined,
): void {
  const nullable = arg.flags.includes('PTR_MAYBE_NULL');
  if (arg.type === 'ARG_ANYTHING') {
    // Kernel check_func_arg: a helper may not see a pointer as a plain number without CAP_PERFMON.
    if (isPointer(reg) && !walk.options.allowPtrLeaks) walk.fail(`R${regno} leaks addr into helper function`);
    return;
  }
  const isNull = reg.type === 'scalar' && isConst(reg.value) && reg.value.varOff.value === 0n;
  // A NULL memory pointer is checked by the size argument after it (only a size of 0 may go with it). The
  // kernel relies on the register being exactly 0 (another scalar would fail the type check): it is precise.
  if (nullable && isNull) {
    walk.markPrecise(regno);
    return;
  }
  const accepted = acceptedTypes(arg);
  const name = logTypeName(reg);
  if (!accepted.includes(name)) {
    walk.fail(`R${regno} type=${name} expected=${accepted.join(', ')}`);
  }
  switch (arg.type) {
    case 'ARG_CONST_MAP_PTR':
      meta.map = reg.map;
      return;
    case 'ARG_PTR_TO_MAP_KEY':
      if (!meta.map) walk.fail('invalid map_ptr to access map->key');
      // Kernel: a key is read whole, and a map without keys (queue, stack) has nothing to read.
      if (meta.map.keySize === 0) walk.fail('invalid zero-sized read');
      checkHelperMemory(walk, regno, reg, meta.map.keySize, 'read');
      // Kernel can_elide_value_nullness: an array's constant key is looked for whatever the helper.
      if (meta.map.type === 'array' || meta.map.type === 'percpu_array') {
        meta.constMapKey = constantMapKey(walk, reg, meta.map.keySize);
      }
      return;
    case 'ARG_PTR_TO_MAP_VALUE':
      if (!meta.map) walk.fail('invalid map_ptr to access map->value');
      if (meta.map.valueSize === 0) walk.fail('invalid zero-sized read');
      // Kernel raw mode: a value the helper fills in (pop, peek) may be uninitialised and is written byte by byte.
      checkHelperMemory(
        walk,
        regno,
        reg,
        meta.map.valueSize,
        arg.flags.includes('MEM_UNINIT') ? 'write' : 'read',
      );
      return;
    case 'ARG_PTR_TO_MEM':
      if (arg.flags.includes('MEM_FIXED_SIZE') && arg.size !== undefined) {
        helperMemoryAccess(walk, regno, reg, arg.size, arg);
      }
      return;
    case 'ARG_CONST_SIZE':
    case 'ARG_CONST_SIZE_OR_ZERO': {
      const v = reg.value;
      if (v.smin < 0n) walk.fail(`R${regno} min value is negative, either use unsigned or 'var &= const'`);
      if (v.umin === 0n && arg.type === 'ARG_CONST_SIZE') {
        walk.fail(`R${regno} invalid zero-sized read: u64=[${v.umin},${v.umax}]`);
      }
      if (v.umax >= 1n << 29n) {
        walk.fail(`R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
      }
      const memReg = walk.frame.regs[regno - 1];
      if (previous?.type === 'ARG_PTR_TO_MEM') {
        const uninit = previous.flags.includes('MEM_UNINIT');
        if (uninit && !isConst(v)) {
          // Kernel check_mem_size_reg: with a variable size the helper may fill only part of the memory, so all of
          // it must be initialised (read, and marked read) before the helper writes it.
          checkHelperMemory(walk, regno - 1, memReg, Number(v.umax), 'read');
          checkHelperMemory(walk, regno - 1, memReg, Number(v.umax), 'write', true);
        } else {
          helperMemoryAccess(walk, regno - 1, memReg, Number(v.umax), previous);
        }
      }
      // Kernel check_mem_size_reg: the size becomes precise once the memory checked out.
      walk.markPrecise(regno);
      if (isConst(v)) meta.constSize = v.varOff.value;
      meta.sizeMax = v.umax;
      return;
    }
    case 'ARG_CONST_ALLOC_SIZE_OR_ZERO':
      walk.markPrecise(regno);
      if (!isConst(reg.value)) walk.fail(`R${regno} is not a known constant'`);
      meta.constSize = reg.value.varOff.value;
      return;
    case 'ARG_PTR_TO_CTX':
      if (reg.off !== 0) walk.fail(`dereference of modified ctx ptr R${regno} off=${reg.off} disallowed`);
      if (!isConst(reg.value) || reg.value.varOff.value !== 0n) {
        walk.fail(`variable ctx access var_off=${formatTnum(reg.value.varOff)} disallowed`);
      }
      return;
    case 'ARG_PTR_TO_SPIN_LOCK':
      // Kernel: a bpf_spin_lock is found through the map value's BTF; maps created without BTF have none.
      walk.fail(`map '${reg.map?.name ?? ''}' has to have BTF in order to use bpf_spin_lock`, 'EINVAL');
      return;
    case 'ARG_PTR_TO_FUNC':
      meta.callbackTarget = walk.cfg.functionStarts[reg.subprog];
      return;
    case 'ARG_PTR_TO_DYNPTR':
      // Kernel process_dynptr_func: a constructor makes a dynptr there, anything else needs one made.
      if (reg.type === 'dynptr_ptr') {
        // A callback's const dynptr: neither made again nor changed, but read.
        if (arg.flags.includes('MEM_UNINIT')) walk.fail('Dynptr has to be an uninitialized dynptr', 'EINVAL');
        if (!arg.flags.includes('MEM_RDONLY')) {
          walk.fail('cannot pass pointer to const bpf_dynptr, the helper mutates it', 'EINVAL');
        }
        meta.dynptr = reg;
        if (arg.flags.includes('DYNPTR_TYPE_RINGBUF') && reg.dynptr !== 'ringbuf') {
          walk.fail(`Expected a dynptr of type ringbuf as arg #${regno - 1}`, 'EINVAL');
        }
      } else if (arg.flags.includes('MEM_UNINIT')) {
        markDynptr(walk, reg, regno - 1, arg.flags.includes('DYNPTR_TYPE_RINGBUF') ? 'ringbuf' : 'local');
      } else {
        meta.dynptr = initializedDynptr(walk, reg, regno - 1);
        // Kernel is_dynptr_type_expected: a helper for one kind of dynptr takes no other.
        if (arg.flags.includes('DYNPTR_TYPE_RINGBUF') && meta.dynptr.dynptr !== 'ringbuf') {
          walk.fail(`Expected a dynptr of type ringbuf as arg #${regno - 1}`, 'EINVAL');
        }
      }
      return;
    default:
      return;
  }
}

/** Helpers whose result the kernel bounds by the size argument (do_refine_retval_range). */
const STRING_COPY_HELPERS: ReadonlySet<string> = new Set([
  'get_stack',
  'get_task_stack',
  'probe_read_str',
  'probe_read_kernel_str',
  'probe_read_user_str',
]);
/** Helpers whose result is their socket argument seen as another type (kernel is_ptr_cast_function). */
const PTR_CAST_HELPERS: ReadonlySet<string> = new Set([
  'tcp_sock',
  'sk_fullsock',
  'skc_to_tcp_sock',
  'skc_to_tcp6_sock',
  'skc_to_udp6_sock',
  'skc_to_mptcp_sock',
  'skc_to_tcp_timewait_sock',
  'skc_to_tcp_request_sock',
]);
/** Kernel MAX_ERRNO. */
const MAX_ERRNO = 4095n;

function returnValue(walk: Walk, name: string, type: string, flags: readonly string[], meta: ArgMeta): Reg {
  const maybeNull = flags.includes('PTR_MAYBE_NULL');
  switch (type) {
    case 'RET_INTEGER':
      // kernel do_refine_retval_range: a CPU id is below nr_cpu_ids
      if (name === 'get_smp_processor_id' && walk.options.possibleCpus !== undefined) {
        return scalarReg(unsignedRange(BigInt(walk.options.possibleCpus - 1)));
      }
      // Kernel do_refine_retval_range: a string or stack copy returns an errno or at most the size it was given.
      if (STRING_COPY_HELPERS.has(name) && meta.sizeMax !== undefined) {
        const max = meta.sizeMax;
        return scalarReg(
          syncBounds({
            ...unknown(),
            smin: -MAX_ERRNO,
            smax: max,
            s32Min: -MAX_ERRNO,
            s32Max: BigInt.asIntN(32, max),
          }),
        );
      }
      return scalarReg();
    case 'RET_VOID':
      return notInit();
    case 'RET_PTR_TO_MAP_VALUE': {
      const map = meta.map;
      if (map?.inner && (map.type === 'array_of_maps' || map.type === 'hash_of_maps')) {
        return pointerReg('map_ptr', { map: map.inner, maybeNull, id: walk.newId() });
      }
      // Linux 6.18 prints an xskmap lookup's result as the socket right after the call (`xdp_sock_or_null`).
      if (map?.type === 'xskmap')
        return pointerReg('xdp_sock', { maybeNull, id: maybeNull ? walk.newId() : 0 });
      // Kernel is_acquire_function: a sockmap/sockhash lookup takes a reference on the socket it returns.
      if (isSocketMapType(map?.type))
        return takeReference(walk, pointerReg('sock', { maybeNull, id: walk.newId() }));
      return pointerReg('map_value', { map, maybeNull, id: maybeNull ? walk.newId() : 0 });
    }
    case 'RET_PTR_TO_MEM': {
      const reg = pointerReg('mem', {
        maybeNull,
        id: maybeNull ? walk.newId() : 0,
        memSize: Number(meta.constSize ?? 0n),
        readOnly: flags.includes('MEM_RDONLY'),
      });
      // Kernel: bpf_dynptr_data's memory belongs to its dynptr (and to a ringbuf dynptr's reference).
      if (name === 'dynptr_data' && meta.dynptr) {
        reg.dynptrId = meta.dynptr.id;
        reg.refObjId = meta.dynptr.refObjId;
      }
      return acquire(walk, name, reg);
    }
    case 'RET_PTR_TO_SOCKET':
      return acquire(walk, name, pointerReg('sock', { maybeNull, id: walk.newId() }));
    case 'RET_PTR_TO_TCP_SOCK':
      return pointerReg('tcp_sock', { maybeNull, id: walk.newId() });
    case 'RET_PTR_TO_SOCK_COMMON':
      return acquire(walk, name, pointerReg('sock_common', { maybeNull, id: walk.newId() }));
    default:
      return pointerReg('btf_id', { maybeNull, id: maybeNull ? walk.newId() : 0 });
  }
}

function acquire(walk: Walk, name: string, reg: Reg): Reg {
  return ACQUIRE_HELPERS.has(name) ? takeReference(walk, reg) : reg;
}

function takeReference(walk: Walk, reg: Reg): Reg {
  // Kernel: the reference is a new id of its own, taken after the one a maybe-null return already got.
  reg.id = walk.newId();
  reg.refObjId = reg.id;
  walk.state.refs.push({ id: reg.id, insn: walk.insnIdx });
  return reg;
}

export function releaseReference(walk: Walk, id: number): void {
  walk.state.refs = walk.state.refs.filter((ref) => ref.id !== id);
  for (const slot of walk.allRegs()) {
    if (slot.get().refObjId === id) slot.set(scalarReg());
  }
}

/** Kernel clear_all_pkt_pointers: after a helper that may move the packet, old packet pointers are unusable. */
export function invalidatePacketPointers(walk: Walk): void {
  for (const slot of walk.allRegs()) {
    const reg = slot.get();
    // Slices of skb and xdp dynptrs point into the packet too (kernel: DYNPTR_TYPE_SKB/XDP memory).
    const slice = reg.type === 'mem' && (reg.dynptr === 'skb' || reg.dynptr === 'xdp');
    if (reg.type === 'pkt' || reg.type === 'pkt_meta' || reg.type === 'pkt_end' || slice) {
      slot.set(walk.options.allowPtrLeaks ? scalarReg() : notInit());
    }
  }
}

/** The registers a callback starts with and the range it must return (kernel set_*_callback_state). */
function callbackRegisters(
  walk: Walk,
  helperId: number,
  meta: ArgMeta,
  saved: readonly Reg[],
): { info: CallbackInfo; args: Reg[] } {
  switch (helperId) {
    case 181: // bpf_loop(nr, fn, ctx, flags): fn(index, ctx)
      return {
        info: { helper: 'loop', retMin: 0n, retMax: 1n },
        args: [scalarReg(), saved[2], notInit(), notInit(), notInit()],
      };
    case 164: {
      // bpf_for_each_map_elem(map, fn, ctx, flags): fn(map, key, value, ctx)
      const map = meta.map;
      return {
        info: { helper: 'for_each_map_elem', retMin: 0n, retMax: 1n },
        args: [
          pointerReg('map_ptr', { map }),
          pointerReg('map_key', { map }),
          // Kernel (6.18 log): the value pointer of each callback entry carries a new id.
          pointerReg('map_value', { map, id: walk.newId() }),
          saved[2],
          notInit(),
        ],
      };
    }
    case 209:
      // bpf_user_ringbuf_drain(map, fn, ctx, flags): fn(const struct bpf_dynptr *sample, ctx), the sample a
      // read-only local dynptr (kernel set_user_ringbuf_callback_state).
      return {
        info: { helper: 'user_ringbuf_drain', retMin: 0n, retMax: 1n },
        args: [
          pointerReg('dynptr_ptr', { id: walk.newId(), dynptr: 'local' }),
          saved[2],
          notInit(),
          notInit(),
          notInit(),
        ],
      };
    case 170: {
      const map = saved[0].map;
      return {
        info: { helper: 'timer_set_callback', retMin: 0n, retMax: 0n },
        args: [
          pointerReg('map_ptr', { map }),
          pointerReg('map_key', { map }),
          pointerReg('map_value', { map }),
          notInit(),
          notInit(),
        ],
      };
    }
    default:
      return {
        info: { helper: 'callback', retMin: 0n, retMax: 1n },
        args: [scalarReg(), saved[2], notInit(), notInit(), notInit()],
      };
  }
}
