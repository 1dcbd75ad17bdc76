// A kernel BTF the user gives (libbpf's btf_custom_path), read lazily, as the KernelTypes the verifier and CO-RE
// relocations look kernel structs up in instead of tsbpf's table.

import {
  KERNEL_STRUCT_TABLE,
  type KernelEnum,
  type KernelStruct,
  type KernelType,
  type KernelTypeKind,
  type KernelTypes,
} from '../abi/kernel-structs.js';
import { BtfError } from '../btf/btf-error.js';
import { LazyBtf } from '../btf/lazy-btf.js';
import { ObjectError } from './object-error.js';

/** The member type the kernel's btf_struct_walk distinguishes, from a BTF type id. */
function kernelType(btf: LazyBtf, id: number, depth = 0): KernelType {
  // An array of arrays nests a few times; a BTF whose array refers to itself is cut off instead of recursing.
  if (depth > 32) return { kind: 'scalar', size: 0 };
  const resolved = btf.skipModifiers(id);
  const type = btf.typeById(resolved);
  switch (type.kind) {
    case 'int':
      return { kind: 'scalar', size: type.size, signed: type.encoding === 'signed', base: 'int' };
    case 'enum':
    case 'enum64':
      return { kind: 'scalar', size: type.size, signed: type.signed, base: 'enum' };
    case 'float':
      return { kind: 'scalar', size: type.size, base: 'float' };
    case 'struct':
    case 'union':
      return { kind: 'struct', id: resolved };
    case 'array':
      return { kind: 'array', elem: kernelType(btf, type.type, depth + 1), count: type.nelems };
    case 'ptr': {
      // `__rcu` is a type tag on the pointee: PTR -> TYPE_TAG "rcu" -> STRUCT.
      let rcu = false;
      let at = type.type;
      for (let steps = 0; steps < 16; steps++) {
        const pointee = btf.typeById(at);
        if (pointee.kind !== 'type_tag' && pointee.kind !== 'const' && pointee.kind !== 'volatile') break;
        if (pointee.kind === 'type_tag' && pointee.name === 'rcu') rcu = true;
        at = pointee.type;
      }
      const target = btf.typeById(btf.skipModifiers(type.type));
      const to = target.kind === 'struct' || target.kind === 'union' ? btf.skipModifiers(type.type) : 0;
      return { kind: 'ptr', to, rcu };
    }
    default:
      // void, FWD, FUNC_PROTO members do not occur in a struct's layout; a zero-sized scalar stands for them.
      return { kind: 'scalar', size: 0 };
  }
}

/** KernelTypes over a parsed kernel BTF; structs it lacks (module types, nf_conn___init where conntrack is one) come from the table. */
class BtfKernelTypes implements KernelTypes {
  readonly source: string;
  private readonly btf: LazyBtf;
  private readonly structs = new Map<number, KernelStruct | undefined>();

  constructor(btf: LazyBtf, source: string) {
    this.btf = btf;
    this.source = source;
  }

  structById(id: number): KernelStruct | undefined {
    if (this.structs.has(id)) return this.structs.get(id);
    let struct: KernelStruct | undefined;
    if (Number.isInteger(id) && id > 0 && id <= this.btf.typeCount) {
      const type = this.btf.typeById(id);
      if (type.kind === 'struct' || type.kind === 'union') {
        const name = type.name === '' ? '(anon)' : type.name;
        const writable = KERNEL_STRUCT_TABLE.structByName(name)?.writable;
        struct = {
          id,
          name,
          size: type.size,
          ...(type.kind === 'union' ? { union: true } : {}),
          members: type.members.map((member) => ({
            name: member.name === '' ? '(anon)' : member.name,
            bitOffset: member.bitOffset,
            bitfieldSize: member.bitfieldSize,
            type: kernelType(this.btf, member.type),
          })),
          ...(writable !== undefined ? { writable } : {}),
        };
      }
    }
    this.structs.set(id, struct);
    return struct;
  }

  structByName(name: string): KernelStruct | undefined {
    const id = this.btf.findAllByName(name).find((candidate) => {
      const kind = this.btf.typeById(candidate).kind;
      return kind === 'struct' || kind === 'union';
    });
    return id === undefined ? KERNEL_STRUCT_TABLE.structByName(name) : this.structById(id);
  }

  enumByName(name: string): KernelEnum | undefined {
    for (const id of this.btf.findAllByName(name)) {
      const type = this.btf.typeById(id);
      if (type.kind !== 'enum' && type.kind !== 'enum64') continue;
      return {
        name,
        size: type.size,
        signed: type.signed,
        values: type.values.map((v) => ({ name: v.name, value: BigInt(v.value) })),
      };
    }
    return undefined;
  }

  findType(name: string, kind: KernelTypeKind): { id: number; size: number } | undefined {
    for (const id of this.btf.findAllByName(name)) {
      const type = this.btf.typeById(id);
      if (type.kind !== kind && !(kind === 'enum' && type.kind === 'enum64')) continue;
      return {
        id,
        size: type.kind === 'typedef' ? this.btf.resolveSize(id) : 'size' in type ? type.size : 0,
      };
    }
    return undefined;
  }
}

/** Blobs already read: objects opened with the same bytes share one parse (and its decoded types). */
const PARSED = new WeakMap<Uint8Array, KernelTypes>();

/**
 * The kernel types of a raw BTF blob (as /sys/kernel/btf/vmlinux is): its header and type records are checked
 * here, each type decoded when first looked up. A blob that does not parse is an ObjectError naming `file`.
 */
export function kernelTypesFromBtf(bytes: Uint8Array, file: string): KernelTypes {
  const parsed = PARSED.get(bytes);
  if (parsed !== undefined && parsed.source === file) return parsed;
  try {
    const types = new BtfKernelTypes(new LazyBtf(bytes, { file }), file);
    PARSED.set(bytes, types);
    return types;
  } catch (error) {
    if (error instanceof BtfError) {
      throw new ObjectError(file, `kernel BTF does not parse: ${error.message}`, {}, { cause: error });
    }
    throw error;
  }
}
