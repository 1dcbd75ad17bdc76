// User-defined program types, for embedding tsbpf as an extension language: the host declares the context
// layout (fields with offset, size and access) and its own helpers (ids from 10000, with prototypes in the
// terms of src/abi/helpers.ts so a verifier can check calls), then runs programs on contexts it builds.
//
//   const limiter = defineProgramType({
//     name: 'rate_limiter',
//     context: { size: 16, fields: [{ name: 'tokens', offset: 0, size: 8, write: true }, ...] },
//     helpers: [userHelper({ name: 'refill', args: ['ARG_ANYTHING'], implementation: (call) => ... })],
//   });
//   bpf.registerProgramType(limiter); const fd = bpf.progLoad({ type: 'rate_limiter', insns });
//   bpf.runProgram(fd, { context: { tokens: 10n, cost: 3n } })  // → { retval, context: { tokens: 7n, ... } }

import {
  type ArgTypeName,
  arg,
  type HelperArg,
  type HelperRet,
  type RetTypeName,
  ret,
  type TypeFlag,
} from '../../abi/helpers.js';
import { KERNEL_HELPER_IMPLEMENTATIONS } from '../helpers/index.js';
import { helperTableByName } from '../helpers/index.js';
import type { VmMemory } from '../memory.js';
import type { HelperImplementation, HelperTable } from '../runtime.js';

/** Helper ids from here up belong to user-defined helpers (the kernel's end well below). */
export const FIRST_USER_HELPER_ID = 10000;

export interface UserContextField {
  readonly name: string;
  readonly offset: number;
  /** 1, 2, 4 or 8 bytes (a scalar), or any size for a byte array accessed in parts. */
  readonly size: number;
  /** Default true. */
  readonly read?: boolean;
  /** Default false. */
  readonly write?: boolean;
}

export interface UserHelperDeclaration {
  readonly name: string;
  /** Default: FIRST_USER_HELPER_ID + its position among the declared helpers. */
  readonly id?: number;
  /** The prototype, as src/abi/helpers.ts declares kernel helpers (build with its `arg()` and `ret()`). */
  readonly proto: { readonly ret: HelperRet; readonly args: readonly HelperArg[] };
  readonly implementation: HelperImplementation;
}

export interface ProgramTypeDeclaration {
  /** Must not be a kernel program type name. */
  readonly name: string;
  readonly context: { readonly size: number; readonly fields: readonly UserContextField[] };
  readonly helpers?: readonly UserHelperDeclaration[];
  /**
   * Kernel helpers the type offers too (abi names). Default: map helpers, bpf_loop, bpf_for_each_map_elem,
   * ktime, prandom, trace_printk, snprintf, strtol/strtoul, get_smp_processor_id and the ring buffer helpers.
   */
  readonly kernelHelpers?: readonly string[];
}

/** An argument in the kernel's words: `'ARG_ANYTHING'`, or with flags and a size: `['ARG_PTR_TO_MEM', 'MEM_RDONLY', { size: 8 }]`. */
export type UserHelperArgSpec =
  | ArgTypeName
  | readonly [ArgTypeName, ...(TypeFlag | { readonly size?: number; readonly btfType?: string })[]];

/** A return type in the kernel's words: `'RET_INTEGER'` or `['RET_PTR_TO_MEM', 'PTR_MAYBE_NULL']`. */
export type UserHelperRetSpec = RetTypeName | readonly [RetTypeName, ...TypeFlag[]];

/** A helper takes r1..r5: at most five arguments, checked by the type system. */
export type UpToFive<T> =
  | readonly []
  | readonly [T]
  | readonly [T, T]
  | readonly [T, T, T]
  | readonly [T, T, T, T]
  | readonly [T, T, T, T, T];

export interface UserHelperSpec {
  readonly name: string;
  readonly id?: number;
  /** Default 'RET_INTEGER'. */
  readonly ret?: UserHelperRetSpec;
  readonly args?: UpToFive<UserHelperArgSpec>;
  readonly implementation: HelperImplementation;
}

/**
 * Builds a helper declaration with a typed prototype from the kernel's names (the same `arg()`/`ret()`
 * src/abi/helpers.ts declares kernel helpers with), so hosts need no hand-written prototype objects.
 */
export function userHelper(spec: UserHelperSpec): UserHelperDeclaration {
  const toArg = (item: UserHelperArgSpec): HelperArg => {
    if (typeof item === 'string') return arg(item);
    const [name, ...rest] = item;
    return arg(name, ...rest);
  };
  const retSpec = spec.ret ?? 'RET_INTEGER';
  let toRet: HelperRet;
  if (typeof retSpec === 'string') toRet = ret(retSpec);
  else {
    const [name, ...flags] = retSpec;
    toRet = ret(name, ...flags);
  }
  return {
    name: spec.name,
    ...(spec.id === undefined ? {} : { id: spec.id }),
    proto: { ret: toRet, args: (spec.args ?? []).map(toArg) },
    implementation: spec.implementation,
  };
}

export const DEFAULT_USER_KERNEL_HELPERS = [
  'map_lookup_elem',
  'map_update_elem',
  'map_delete_elem',
  'map_push_elem',
  'map_pop_elem',
  'map_peek_elem',
  'loop',
  'for_each_map_elem',
  'ktime_get_ns',
  'get_prandom_u32',
  'get_smp_processor_id',
  'trace_printk',
  'snprintf',
  'strtol',
  'strtoul',
  'ringbuf_output',
  'ringbuf_reserve',
  'ringbuf_submit',
  'ringbuf_discard',
  'ringbuf_query',
] as const;

/** A declaration that cannot work (overlapping fields, a field outside the context, duplicate helper ids...). */
export class ProgramTypeError extends Error {
  override readonly name = 'ProgramTypeError';
  constructor(
    readonly programType: string,
    reason: string,
  ) {
    super(`program type '${programType}': ${reason}`);
  }
}

export type ContextValues = Record<string, bigint | number | Uint8Array>;

export interface UserHelper {
  readonly id: number;
  readonly name: string;
  readonly proto: UserHelperDeclaration['proto'];
}

/** A checked user program type: its context layout, access rules, helpers, and context (de)serialisation. */
export class UserProgramType {
  readonly name: string;
  readonly contextSize: number;
  readonly fields: readonly Required<UserContextField>[];
  readonly helpers: readonly UserHelper[];
  /** Kernel and user helpers by id, for the engines. */
  readonly helperTable: HelperTable;

  constructor(declaration: ProgramTypeDeclaration, isKernelType: (name: string) => boolean) {
    const fail = (reason: string): never => {
      throw new ProgramTypeError(declaration.name, reason);
    };
    this.name = declaration.name;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.name)) fail('names are lowercase identifiers');
    if (isKernelType(this.name)) fail('is a kernel program type');
    const size = declaration.context.size;
    if (!Number.isInteger(size) || size < 0 || size > 1 << 16) fail(`context size ${size} is not 0..65536`);
    this.contextSize = size;
    const fields = declaration.context.fields.map((field) => ({ read: true, write: false, ...field }));
    const sorted = [...fields].sort((a, b) => a.offset - b.offset);
    for (const [i, field] of sorted.entries()) {
      if (
        !Number.isInteger(field.offset) ||
        field.offset < 0 ||
        !Number.isInteger(field.size) ||
        field.size < 1
      ) {
        fail(`field '${field.name}' needs a non-negative offset and a positive size`);
      }
      if (field.offset + field.size > size)
        fail(`field '${field.name}' ends past the context (${size} bytes)`);
      if ([1, 2, 4, 8].includes(field.size) && field.offset % field.size !== 0) {
        fail(`field '${field.name}' is not aligned to its size`);
      }
      const next = sorted[i + 1];
      if (next !== undefined && field.offset + field.size > next.offset) {
        fail(`fields '${field.name}' and '${next.name}' overlap`);
      }
    }
    if (new Set(fields.map((f) => f.name)).size !== fields.length) fail('field names repeat');
    this.fields = fields;

    const kernelNames = declaration.kernelHelpers ?? DEFAULT_USER_KERNEL_HELPERS;
    const kernel: Record<string, HelperImplementation> = {};
    for (const name of kernelNames) {
      const implementation = KERNEL_HELPER_IMPLEMENTATIONS[name];
      if (implementation === undefined) fail(`kernel helper '${name}' is not implemented by tsbpf`);
      kernel[name] = implementation!;
    }
    const table = helperTableByName(kernel);
    const helpers: UserHelper[] = [];
    for (const [index, helper] of (declaration.helpers ?? []).entries()) {
      const id = helper.id ?? FIRST_USER_HELPER_ID + index;
      if (!Number.isInteger(id) || id < FIRST_USER_HELPER_ID)
        fail(`helper '${helper.name}' id ${id} is below ${FIRST_USER_HELPER_ID}`);
      if (table.has(id)) fail(`helper id ${id} is used twice`);
      if (helpers.some((h) => h.name === helper.name)) fail(`helper name '${helper.name}' is used twice`);
      if (helper.proto.args.length > 5) fail(`helper '${helper.name}' takes more than 5 arguments`);
      table.set(id, helper.implementation);
      helpers.push({ id, name: helper.name, proto: helper.proto });
    }
    this.helpers = helpers;
    this.helperTable = table;
  }

  /** The id of a user helper by name (what `call` takes in a program). */
  helperId(name: string): number {
    const helper = this.helpers.find((h) => h.name === name);
    if (helper === undefined) throw new ProgramTypeError(this.name, `no helper named '${name}'`);
    return helper.id;
  }

  /** The field a `size`-byte access at `offset` touches, when the declaration allows it (for a verifier). */
  checkAccess(offset: number, size: number, kind: 'read' | 'write'): Required<UserContextField> | undefined {
    const field = this.fields.find((f) => offset >= f.offset && offset + size <= f.offset + f.size);
    if (field === undefined || !(kind === 'read' ? field.read : field.write)) return undefined;
    // Scalars are accessed whole or in aligned narrower loads; arrays in any aligned part.
    if (offset % size !== 0) return undefined;
    if ([1, 2, 4, 8].includes(field.size) && kind === 'write' && size !== field.size) return undefined;
    return field;
  }

  /** Serialises field values into the context's bytes (little-endian scalars, arrays as given). */
  encodeContext(values: ContextValues): Uint8Array {
    const bytes = new Uint8Array(this.contextSize);
    const view = new DataView(bytes.buffer);
    for (const [name, value] of Object.entries(values)) {
      const field = this.fields.find((f) => f.name === name);
      if (field === undefined) throw new ProgramTypeError(this.name, `context has no field '${name}'`);
      if (value instanceof Uint8Array) {
        if (value.length > field.size)
          throw new ProgramTypeError(this.name, `'${name}' holds ${field.size} bytes`);
        bytes.set(value, field.offset);
        continue;
      }
      const big = BigInt.asUintN(field.size * 8, BigInt(value));
      for (let i = 0; i < field.size && i < 8; i++)
        view.setUint8(field.offset + i, Number((big >> BigInt(8 * i)) & 0xffn));
    }
    return bytes;
  }

  /** Field values of context bytes: scalars as bigint, arrays as bytes. */
  decodeContext(bytes: Uint8Array): Record<string, bigint | Uint8Array> {
    const values: Record<string, bigint | Uint8Array> = {};
    for (const field of this.fields) {
      if (![1, 2, 4, 8].includes(field.size)) {
        values[field.name] = bytes.slice(field.offset, field.offset + field.size);
        continue;
      }
      let value = 0n;
      for (let i = field.size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[field.offset + i]);
      values[field.name] = value;
    }
    return values;
  }

  /** Puts a context into VmMemory for a run; the caller frees it. */
  placeContext(memory: VmMemory, bytes: Uint8Array): number {
    const address = memory.allocate(Math.max(this.contextSize, 1));
    memory.write(address, bytes.subarray(0, this.contextSize));
    return address;
  }
}

export function defineProgramType(
  declaration: ProgramTypeDeclaration,
  isKernelType: (name: string) => boolean = () => false,
): UserProgramType {
  return new UserProgramType(declaration, isKernelType);
}
