// Turns loaded instructions into an ExecutableProgram: decoded once, functions found, LD_IMM64 values resolved.

import { KERNEL_SK_BUFF_ROOM } from './context/skb.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import { MAX_BPF_STACK } from '../abi/limits.js';
import { decodeProgram } from '../isa/decoded.js';
import type { Insn } from '../isa/insn.js';
import {
  BPF_LD_IMM64,
  BPF_PSEUDO_FUNC,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE,
  BPF_PSEUDO_MAP_VALUE,
} from '../isa/opcodes.js';
import { subprogramStarts } from '../isa/validate.js';
import type { BpfMap } from './maps/index.js';
import { type ExecutableProgram, functionPointer } from './runtime.js';

export interface BuildExecutableOptions {
  name?: string;
  type: ProgramTypeName | string;
  /** Resolves the map an LD_IMM64 names: by fd (src 1, 2) or by index into fd_array (src 5, 6). */
  mapByFd?: (fd: number) => BpfMap | undefined;
  mapByIndex?: (index: number) => BpfMap | undefined;
  /** Stack bytes per function (the verifier's depths); default MAX_BPF_STACK for each function. */
  stackDepths?: readonly number[];
  /** The load's expected_attach_type (libbpf name), for runs whose behaviour depends on it. */
  expectedAttachType?: string;
  /** The verifier's max_ctx_offset (end of the furthest context access); 0 when unverified. */
  maxCtxOffset?: number;
  /** The verifier's contextLoadOffsets: context loads that read elsewhere, as the kernel's rewrite makes them. */
  contextLoadOffsets?: ReadonlyMap<number, number>;
  /** The verifier's probeLoads: loads through kernel-struct pointers, which read 0 where nothing is. */
  probeLoads?: ReadonlySet<number>;
  /** The verifier's kernelContextLoads: loads of the context's sk_buff that read a __sk_buff field instead. */
  kernelContextLoads?: ReadonlyMap<number, number>;
}

/** Raised when an LD_IMM64 cannot be resolved (the bpf()-level errors are checked before this runs). */
export class ExecutableError extends Error {
  override readonly name = 'ExecutableError';
  constructor(
    readonly insn: number,
    reason: string,
  ) {
    super(`insn ${insn}: ${reason}`);
  }
}

/** Address of the value at `offset` in a single-value map (array maps: element 0), as BPF_PSEUDO_MAP_VALUE means. */
function mapValueAddress(map: BpfMap, offset: number, insn: number): bigint {
  const key = new Uint8Array(Math.max(map.keySize, 0));
  const address = map.lookup(key, 0);
  if (address === undefined) throw new ExecutableError(insn, `map '${map.name}' has no direct value access`);
  if (offset < 0 || offset >= map.valueSize) {
    throw new ExecutableError(
      insn,
      `invalid access to map value pointer, value_size=${map.valueSize} off=${offset}`,
    );
  }
  return BigInt(address + offset);
}

export function buildExecutable(insns: readonly Insn[], options: BuildExecutableOptions): ExecutableProgram {
  // The kernel rewrites some narrow context loads; the engines run the rewritten offset (`insns` stays as loaded).
  // Loads of the context's kernel sk_buff at a member a __sk_buff field mirrors read that field, which sits
  // KERNEL_SK_BUFF_ROOM bytes past the sk_buff (src/vm/context/skb.ts): one value, whichever struct is read.
  const rewrites = options.contextLoadOffsets;
  const mirrored = options.kernelContextLoads;
  const decoded = decodeProgram(
    (rewrites === undefined || rewrites.size === 0) && (mirrored === undefined || mirrored.size === 0)
      ? insns
      : insns.map((insn, i) => {
          const off = rewrites?.get(i);
          if (off !== undefined) return { ...insn, off };
          const delta = mirrored?.get(i);
          if (delta === undefined || Number.isNaN(delta)) return insn;
          return { ...insn, off: insn.off + delta + KERNEL_SK_BUFF_ROOM };
        }),
  );
  const functionStarts = subprogramStarts(insns);
  const ldImm64Values: (bigint | undefined)[] = new Array(insns.length).fill(undefined);
  for (let i = 0; i < insns.length; i++) {
    const insn = insns[i];
    if (insn.code !== BPF_LD_IMM64) continue;
    const hi = insns[i + 1]?.imm ?? 0;
    const plain = (BigInt(hi >>> 0) << 32n) | BigInt(insn.imm >>> 0);
    const resolve = (lookup: ((n: number) => BpfMap | undefined) | undefined, n: number): BpfMap => {
      const map = lookup?.(n);
      if (map === undefined) throw new ExecutableError(i, `fd ${n} is not pointing to valid bpf_map`);
      return map;
    };
    switch (insn.src) {
      case 0:
        ldImm64Values[i] = plain;
        break;
      case BPF_PSEUDO_MAP_FD:
        ldImm64Values[i] = BigInt(resolve(options.mapByFd, insn.imm).address);
        break;
      case BPF_PSEUDO_MAP_IDX:
        ldImm64Values[i] = BigInt(resolve(options.mapByIndex, insn.imm).address);
        break;
      case BPF_PSEUDO_MAP_VALUE:
        ldImm64Values[i] = mapValueAddress(resolve(options.mapByFd, insn.imm), hi, i);
        break;
      case BPF_PSEUDO_MAP_IDX_VALUE:
        ldImm64Values[i] = mapValueAddress(resolve(options.mapByIndex, insn.imm), hi, i);
        break;
      case BPF_PSEUDO_FUNC:
        ldImm64Values[i] = functionPointer(i + insn.imm + 1);
        break;
      default:
        throw new ExecutableError(
          i,
          `LD_IMM64 with src ${insn.src} needs kernel BTF, which tsbpf does not have`,
        );
    }
    i++;
  }
  const stackDepths = options.stackDepths ?? functionStarts.map(() => MAX_BPF_STACK);
  return {
    name: options.name ?? '',
    type: options.type,
    insns,
    decoded,
    functionStarts,
    stackDepths,
    ldImm64Values,
    ...(options.expectedAttachType === undefined ? {} : { expectedAttachType: options.expectedAttachType }),
    maxCtxOffset: options.maxCtxOffset ?? 0,
    ...(options.probeLoads !== undefined && options.probeLoads.size > 0
      ? { probeLoads: options.probeLoads }
      : {}),
  };
}
