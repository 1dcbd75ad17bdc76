// Global functions (BTF linkage global): verified once against their BTF prototype, and each call checked
// against that prototype instead of walking the callee again (the kernel's btf_prepare_func_args).
import type { ProgramTypeName } from '../abi/program-types.js';
import type { Btf } from '../btf/btf.js';
import { VerifierError } from './verifier-error.js';

/** What one argument of a global function is, as the kernel reads its BTF type. */
export type GlobalArg =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'ctx' }
  /** Pointer to a sized type: memory of that size, or NULL. */
  | { readonly kind: 'mem'; readonly size: number };

export interface GlobalFunction {
  readonly name: string;
  readonly args: readonly GlobalArg[];
}

/** The context struct a program type's global functions may take a pointer to (kernel btf_is_prog_ctx_type). */
const CONTEXT_STRUCTS: Partial<Record<ProgramTypeName, string>> = {
  socket_filter: '__sk_buff',
  sched_cls: '__sk_buff',
  sched_act: '__sk_buff',
  cgroup_skb: '__sk_buff',
  lwt_in: '__sk_buff',
  lwt_out: '__sk_buff',
  lwt_xmit: '__sk_buff',
  lwt_seg6local: '__sk_buff',
  sk_skb: '__sk_buff',
  flow_dissector: '__sk_buff',
  xdp: 'xdp_md',
  sk_msg: 'sk_msg_md',
  sock_ops: 'bpf_sock_ops',
  cgroup_sock: 'bpf_sock',
  cgroup_sock_addr: 'bpf_sock_addr',
  sk_lookup: 'bpf_sk_lookup',
  perf_event: 'bpf_perf_event_data',
  kprobe: 'pt_regs',
};

export interface FuncInfoRecord {
  readonly insnOff: number;
  readonly typeId: number;
}

/** Global functions by function index, from func_info and BTF; static functions are absent. */
export function globalFunctions(
  btf: Btf | undefined,
  funcInfo: readonly FuncInfoRecord[] | undefined,
  functionStarts: readonly number[],
  programType: ProgramTypeName,
): Map<number, GlobalFunction> {
  const result = new Map<number, GlobalFunction>();
  if (btf === undefined || funcInfo === undefined) return result;
  for (const record of funcInfo) {
    const index = functionStarts.indexOf(record.insnOff);
    if (index <= 0) continue;
    const func = btf.typeById(record.typeId);
    if (func.kind !== 'func' || func.linkage !== 'global') continue;
    const proto = btf.typeById(func.type);
    if (proto.kind !== 'func_proto') continue;
    const returns = btf.typeById(btf.skipModifiers(proto.returnType));
    if (returns.kind !== 'int' && returns.kind !== 'enum' && returns.kind !== 'enum64') {
      throw new VerifierError(
        `Global function ${func.name}() doesn't return scalar. Only those are supported.`,
        undefined,
        'EINVAL',
      );
    }
    const args = proto.params.map((param, argIndex): GlobalArg => {
      const type = btf.typeById(btf.skipModifiers(param.type));
      if (type.kind === 'int' || type.kind === 'enum' || type.kind === 'enum64') return { kind: 'scalar' };
      if (type.kind === 'ptr') {
        const target = btf.typeById(btf.skipModifiers(type.type));
        if (
          (target.kind === 'struct' || target.kind === 'union') &&
          target.name === CONTEXT_STRUCTS[programType]
        ) {
          return { kind: 'ctx' };
        }
        try {
          return { kind: 'mem', size: btf.resolveSize(type.type) };
        } catch {
          // Fall through to the kernel's refusal below.
        }
      }
      throw new VerifierError(
        `arg#${argIndex} type ${type.kind} in ${func.name}() is not supported`,
        undefined,
        'EINVAL',
      );
    });
    result.set(index, { name: func.name, args });
  }
  return result;
}

/**
 * The BTF prototype of each static function whose arguments the kernel can check at a call (btf_prepare_func_args
 * for a static function: at most 5 arguments, a scalar return, each argument a scalar or the context); a static
 * function whose prototype says anything else is unreliable from the start, silently, and absent here.
 */
export function staticFunctionPrototypes(
  btf: Btf | undefined,
  funcInfo: readonly FuncInfoRecord[] | undefined,
  functionStarts: readonly number[],
  programType: ProgramTypeName,
): Map<number, readonly ('scalar' | 'ctx')[]> {
  const result = new Map<number, readonly ('scalar' | 'ctx')[]>();
  if (btf === undefined || funcInfo === undefined) return result;
  const isScalar = (id: number) => {
    const type = btf.typeById(btf.skipModifiers(id));
    return type.kind === 'int' || type.kind === 'enum' || type.kind === 'enum64';
  };
  for (const record of funcInfo) {
    const index = functionStarts.indexOf(record.insnOff);
    if (index <= 0) continue;
    const func = btf.typeById(record.typeId);
    if (func.kind !== 'func' || func.linkage === 'global') continue;
    const proto = btf.typeById(func.type);
    if (proto.kind !== 'func_proto' || proto.params.length > 5 || !isScalar(proto.returnType)) continue;
    const args: ('scalar' | 'ctx')[] = [];
    for (const param of proto.params) {
      const type = btf.typeById(btf.skipModifiers(param.type));
      if (type.kind === 'ptr') {
        const target = btf.typeById(btf.skipModifiers(type.type));
        const isCtx =
          (target.kind === 'struct' || target.kind === 'union') &&
          target.name === CONTEXT_STRUCTS[programType];
        if (!isCtx) break;
        args.push('ctx');
      } else if (isScalar(param.type)) {
        args.push('scalar');
      } else {
        break;
      }
    }
    if (args.length === proto.params.length) result.set(index, args);
  }
  return result;
}
