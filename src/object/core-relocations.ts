// CO-RE relocations (.BTF.ext core_relo) resolved as libbpf resolves them against vmlinux BTF: against a kernel BTF
// the user gave (libbpf's btf_custom_path), or else the kernel structs tsbpf lays out (src/abi/kernel-structs.ts).
// Field offsets, sizes, existence, signedness and bitfield shifts; type ids, existence and sizes; enum values.
// Type matches, and what the table cannot answer, are refused with an ObjectError naming the relocation.

import {
  KERNEL_STRUCT_TABLE,
  type KernelStruct,
  type KernelType,
  type KernelTypeKind,
  type KernelTypes,
  kernelTypeSize,
} from '../abi/kernel-structs.js';
import { BPF_CORE_RELO_KIND_NAMES, type Btf, type BtfCoreRelo } from '../btf/index.js';
import type { Insn } from '../isa/insn.js';
import { BPF_LD_IMM64 } from '../isa/opcodes.js';
import { ObjectError } from './object-error.js';

/** bpf_core_relo_kind values tsbpf resolves. */
const FIELD_BYTE_OFFSET = 0;
const FIELD_BYTE_SIZE = 1;
const FIELD_EXISTS = 2;
const FIELD_SIGNED = 3;
const FIELD_LSHIFT_U64 = 4;
const FIELD_RSHIFT_U64 = 5;
const TYPE_ID_LOCAL = 6;
const TYPE_ID_TARGET = 7;
const TYPE_EXISTS = 8;
const TYPE_SIZE = 9;
const ENUMVAL_EXISTS = 10;
const ENUMVAL_VALUE = 11;

const BPF_CLASS_MASK = 0x07;
const BPF_LDX = 0x01;
const BPF_ST = 0x02;
const BPF_STX = 0x03;
const BPF_ALU = 0x04;
const BPF_ALU64 = 0x07;
const BPF_SRC_X = 0x08;
/** BPF_W, BPF_H, BPF_B, BPF_DW (the size field, bits 3-4) in bytes. */
const MEM_SIZE_BYTES = [4, 2, 1, 8];
const BPF_JMP_CALL = 0x85;
/** libbpf's poisoned relocation: 0xbad2310, "bad relo". */
const CORE_POISON_IMM = 195896080;

export interface CoreRelocationSite {
  readonly file: string;
  readonly program: string;
  /** The relocation's number in its section, as libbpf's messages count them. */
  readonly number: number;
  /** Instruction index in the final program. */
  readonly insn: number;
}

/** libbpf's essential name: a local type `sk_buff___mine` stands for the kernel's `sk_buff`. */
function essentialName(name: string): string {
  const flavor = name.indexOf('___');
  return flavor > 0 ? name.slice(0, flavor) : name;
}

/** What the local access resolves to in the kernel's struct: its bit offset, bitfield size and type. */
export interface TargetField {
  readonly bitOffset: number;
  /** Bits of a bitfield member; 0 for a plain one. */
  readonly bitfieldSize: number;
  readonly type: KernelType;
}

/** A named member of a kernel struct, looked for through its anonymous members as libbpf's matching does. */
function findTargetMember(
  types: KernelTypes,
  struct: KernelStruct,
  name: string,
  depth = 0,
): TargetField | undefined {
  if (depth > 32) return undefined;
  for (const member of struct.members ?? []) {
    if (member.name === name) {
      return { bitOffset: member.bitOffset, bitfieldSize: member.bitfieldSize, type: member.type };
    }
    if (member.name === '(anon)' && member.type.kind === 'struct') {
      const inner = types.structById(member.type.id);
      const found = inner === undefined ? undefined : findTargetMember(types, inner, name, depth + 1);
      if (found !== undefined) return { ...found, bitOffset: found.bitOffset + member.bitOffset };
    }
  }
  return undefined;
}

/**
 * Walks the access string (`0:2:1`: an index into the root pointer, then member and array indexes) over the
 * local type and the kernel's struct of the same essential name; undefined when the kernel type lacks a member.
 */
function resolveField(
  btf: Btf,
  types: KernelTypes,
  root: KernelStruct,
  rootId: number,
  access: readonly number[],
  fail: (why: string) => never,
): (TargetField & { readonly localId: number }) | undefined {
  let localId = btf.skipModifiers(rootId);
  let bitOffset = access[0] * root.size * 8;
  let bitfieldSize = 0;
  let target: KernelType = { kind: 'struct', id: root.id ?? -1 };
  let targetStruct: KernelStruct | undefined = root;
  for (const index of access.slice(1)) {
    const local = btf.typeById(localId);
    if (local.kind === 'struct' || local.kind === 'union') {
      const member = local.members[index];
      if (member === undefined) fail(`member #${index} of [${localId}] does not exist`);
      localId = btf.skipModifiers(member.type);
      // libbpf: an anonymous local member is only a step; members are matched by name.
      if (member.name === '') continue;
      if (targetStruct === undefined) fail(`the kernel's type at '${member.name}' is not one tsbpf models`);
      const found = findTargetMember(types, targetStruct, member.name);
      if (found === undefined) {
        // A member tsbpf does not list may still be in the kernel's struct: never guess.
        if (targetStruct.members === undefined || targetStruct.partial) {
          fail(`tsbpf does not model member '${member.name}' of struct ${targetStruct.name}`);
        }
        return undefined;
      }
      bitOffset += found.bitOffset;
      bitfieldSize = found.bitfieldSize;
      target = found.type;
    } else if (local.kind === 'array') {
      if (target.kind !== 'array') return undefined;
      bitOffset += index * kernelTypeSize(target.elem, types) * 8;
      target = target.elem;
      localId = btf.skipModifiers(local.type);
    } else {
      fail(`access index ${index} into [${localId}] ${local.kind}`);
    }
    targetStruct = target.kind === 'struct' ? types.structById(target.id) : undefined;
  }
  const local = btf.typeById(localId);
  const compatible =
    local.kind === 'struct' || local.kind === 'union'
      ? target.kind === 'struct'
      : local.kind === 'ptr'
        ? target.kind === 'ptr'
        : local.kind === 'array'
          ? target.kind === 'array'
          : target.kind === 'scalar';
  if (!compatible) fail(`the kernel's member is a ${target.kind}, the local one a ${local.kind}`);
  return { bitOffset, bitfieldSize, type: target, localId };
}

/**
 * libbpf's bpf_core_calc_field_relo for a field found: the byte offset and size of the load that holds it (for a
 * bitfield the smallest naturally aligned one of at least its type's size) and the shifts that extract it.
 */
export function fieldValue(
  types: KernelTypes,
  kind: number,
  field: TargetField,
  fail: (why: string) => never,
): bigint {
  let byteSize = kernelTypeSize(field.type, types);
  let byteOffset = Math.floor(field.bitOffset / 8);
  let bitSize = byteSize * 8;
  if (field.bitfieldSize !== 0) {
    bitSize = field.bitfieldSize;
    byteOffset = Math.floor(field.bitOffset / 8 / byteSize) * byteSize;
    while (field.bitOffset + bitSize - byteOffset * 8 > byteSize * 8) {
      if (byteSize >= 8) fail('the bitfield spans more than 8 bytes');
      byteSize *= 2;
      byteOffset = Math.floor(field.bitOffset / 8 / byteSize) * byteSize;
    }
  }
  switch (kind) {
    case FIELD_BYTE_OFFSET:
      return BigInt(byteOffset);
    case FIELD_BYTE_SIZE:
      return BigInt(byteSize);
    case FIELD_SIGNED:
      if (field.type.kind !== 'scalar') return 0n;
      if (field.type.signed === undefined) fail("tsbpf's table does not record the member's signedness");
      return field.type.signed ? 1n : 0n;
    case FIELD_LSHIFT_U64:
      return BigInt(64 - (field.bitOffset + bitSize - byteOffset * 8));
    default:
      return BigInt(64 - bitSize);
  }
}

/** The local and kernel field sizes of a plain field, and whether libbpf may move an access between them. */
function memSize(btf: Btf, types: KernelTypes, field: TargetField & { readonly localId: number }): MemSize {
  const local = btf.typeById(field.localId);
  const target = field.type;
  const unsignedInt = (type: KernelType) =>
    type.kind === 'scalar' && (type.base ?? 'int') === 'int' && type.signed !== true;
  const adjustable =
    (local.kind === 'ptr' && target.kind === 'ptr') ||
    (local.kind === 'int' && local.encoding !== 'signed' && unsignedInt(target));
  return { local: btf.resolveSize(field.localId), target: kernelTypeSize(target, types), adjustable };
}

/** libbpf's kinds of local types a type relocation looks for in the kernel's BTF. */
function kernelKindOf(kind: string): KernelTypeKind | undefined {
  switch (kind) {
    case 'struct':
    case 'union':
    case 'typedef':
    case 'int':
    case 'float':
      return kind;
    case 'enum':
    case 'enum64':
      return 'enum';
    default:
      return undefined;
  }
}

/**
 * A field offset's sizes where libbpf may have to change the access's width (bpf_core_calc_relo's orig_sz and
 * new_sz): the local and the kernel's field sizes, and whether the change keeps the value (pointers, unsigned ints).
 */
interface MemSize {
  readonly local: number;
  readonly target: number;
  readonly adjustable: boolean;
}

/** The value a relocation resolves to (libbpf's bpf_core_calc_relo), and for a plain field offset its sizes. */
function relocationValue(
  btf: Btf,
  types: KernelTypes,
  relo: BtfCoreRelo,
  fail: (why: string) => never,
): { value: bigint; memSize?: MemSize } | typeof POISON {
  const found = resolveRelocation(btf, types, relo, fail);
  return typeof found === 'bigint' ? { value: found } : found;
}

/** libbpf's request to poison the instruction: the kernel has no such field (bpf_core_calc_relo's -EUCLEAN). */
const POISON = 'poison';

function resolveRelocation(
  btf: Btf,
  types: KernelTypes,
  relo: BtfCoreRelo,
  fail: (why: string) => never,
): bigint | typeof POISON | { value: bigint; memSize?: MemSize } {
  if (relo.kind === TYPE_ID_LOCAL) return BigInt(relo.typeId);
  // With the kernel's BTF a type it lacks is absent; the table only says tsbpf does not lay it out.
  const knowsEveryType = types !== KERNEL_STRUCT_TABLE;
  const rootId = btf.skipModifiers(relo.typeId);
  const local = btf.typeById(rootId);
  const name = essentialName(local.name);
  const struct = local.kind === 'struct' || local.kind === 'union' ? types.structByName(name) : undefined;
  switch (relo.kind) {
    case TYPE_EXISTS:
    case TYPE_ID_TARGET:
    case TYPE_SIZE: {
      // A typedef is looked for as itself (libbpf compares kinds after skipping modifiers of the local type only).
      const localKind = btf.typeById(relo.typeId).kind === 'typedef' ? 'typedef' : kernelKindOf(local.kind);
      const found =
        struct !== undefined
          ? struct.id === undefined
            ? undefined
            : { id: struct.id, size: struct.size }
          : localKind === undefined || localKind === 'struct' || localKind === 'union'
            ? undefined
            : types.findType(essentialName(btf.nameOf(relo.typeId)), localKind);
      if (relo.kind === TYPE_EXISTS) return found === undefined && struct === undefined ? 0n : 1n;
      if (relo.kind === TYPE_SIZE && struct !== undefined) return BigInt(struct.size);
      if (found === undefined) {
        // libbpf: type-based relocations give 0 when the kernel has no such type.
        if (knowsEveryType && struct === undefined) return 0n;
        fail('needs a kernel type tsbpf does not model');
      }
      return BigInt(relo.kind === TYPE_SIZE ? found.size : found.id);
    }
    case ENUMVAL_EXISTS:
    case ENUMVAL_VALUE: {
      if (local.kind !== 'enum' && local.kind !== 'enum64') fail(`[${rootId}] is not an enum`);
      const index = Number(relo.accessStr);
      const localValue = local.values[index];
      if (!Number.isInteger(index) || localValue === undefined) fail(`bad access string '${relo.accessStr}'`);
      if (!knowsEveryType) fail("tsbpf's table has no enums: give the kernel's BTF");
      const kernelEnum = types.enumByName(name);
      const value = kernelEnum?.values.find((v) => essentialName(v.name) === essentialName(localValue.name));
      if (relo.kind === ENUMVAL_EXISTS) return value === undefined ? 0n : 1n;
      // libbpf: an enum value the kernel lacks poisons the instruction.
      return value === undefined ? POISON : value.value;
    }
    case FIELD_BYTE_OFFSET:
    case FIELD_BYTE_SIZE:
    case FIELD_EXISTS:
    case FIELD_SIGNED:
    case FIELD_LSHIFT_U64:
    case FIELD_RSHIFT_U64: {
      if (struct === undefined) {
        if (relo.kind === FIELD_EXISTS) return 0n;
        if (knowsEveryType) return POISON;
        fail('needs a kernel type tsbpf does not model');
      }
      const access = relo.accessStr.split(':').map(Number);
      if (access.some((n) => !Number.isInteger(n) || n < 0)) fail(`bad access string '${relo.accessStr}'`);
      const field = resolveField(btf, types, struct, rootId, access, fail);
      if (relo.kind === FIELD_EXISTS) return field === undefined ? 0n : 1n;
      // libbpf: no kernel type has the field, so the instruction is poisoned (fine where it is dead code).
      if (field === undefined) return POISON;
      const value = fieldValue(types, relo.kind, field, fail);
      if (relo.kind !== FIELD_BYTE_OFFSET || field.bitfieldSize !== 0) return value;
      return { value, memSize: memSize(btf, types, field) };
    }
    default:
      return fail('tsbpf does not resolve this kind of CO-RE relocation');
  }
}

/**
 * libbpf's bpf_core_format_spec of the local side: what libbpf's log says of a poisoned relocation the verifier
 * reached (`<byte_off> [44] struct sock___k.sk_no_such_member (0:5 @ offset 20)`).
 */
export function coreSpecText(btf: Btf, relo: BtfCoreRelo): string {
  const root = btf.typeById(relo.typeId);
  const kind = BPF_CORE_RELO_KIND_NAMES[relo.kind] ?? `kind ${relo.kind}`;
  let text = `<${kind}> [${relo.typeId}] ${root.kind} ${root.name === '' ? '<anon>' : root.name}`;
  if (relo.kind >= TYPE_ID_LOCAL && relo.kind <= TYPE_SIZE) return text;
  const access = relo.accessStr.split(':').map(Number);
  const type = btf.typeById(btf.skipModifiers(relo.typeId));
  if (relo.kind === ENUMVAL_EXISTS || relo.kind === ENUMVAL_VALUE) {
    const value = type.kind === 'enum' || type.kind === 'enum64' ? type.values[access[0]] : undefined;
    return value === undefined ? text : `${text}::${value.name} = ${value.value}`;
  }
  let id = btf.skipModifiers(relo.typeId);
  let bitOffset = access[0] * btf.resolveSize(id) * 8;
  if (access[0] > 0) text += `[${access[0]}]`;
  for (const index of access.slice(1)) {
    const local = btf.typeById(id);
    if (local.kind === 'struct' || local.kind === 'union') {
      const member = local.members[index];
      if (member === undefined) break;
      bitOffset += member.bitOffset;
      if (member.name !== '') text += `.${member.name}`;
      id = btf.skipModifiers(member.type);
    } else if (local.kind === 'array') {
      id = btf.skipModifiers(local.type);
      bitOffset += index * btf.resolveSize(id) * 8;
      text += `[${index}]`;
    } else {
      break;
    }
  }
  const offset = bitOffset % 8 === 0 ? `${bitOffset / 8}` : `${Math.floor(bitOffset / 8)}.${bitOffset % 8}`;
  return `${text} (${relo.accessStr} @ offset ${offset})`;
}

/** libbpf's bpf_core_poison_insn: a call the verifier refuses (`invalid func unknown#195896080`) if it is reached. */
function poison(insn: Insn): void {
  Object.assign(insn, { code: BPF_JMP_CALL, dst: 0, src: 0, off: 0, imm: CORE_POISON_IMM });
}

/** Resolves one CO-RE relocation and patches its instruction as libbpf's bpf_core_patch_insn does. */
export function applyCoreRelocation(
  btf: Btf,
  relo: BtfCoreRelo,
  insns: Insn[],
  site: CoreRelocationSite,
  types: KernelTypes = KERNEL_STRUCT_TABLE,
): string | undefined {
  const kind = BPF_CORE_RELO_KIND_NAMES[relo.kind] ?? `kind ${relo.kind}`;
  const fail = (why: string): never => {
    throw new ObjectError(
      site.file,
      `prog '${site.program}': relo #${site.number}: CO-RE ${kind} of [${relo.typeId}] ${btf.nameOf(relo.typeId) || '(anon)'} access ${relo.accessStr}: ${why}${types === KERNEL_STRUCT_TABLE ? ' (src/abi/kernel-structs.ts)' : ` (kernel BTF ${types.source})`}`,
      { program: site.program, insn: site.insn },
    );
  };
  const insn = insns[site.insn];
  if (insn === undefined) fail('no instruction there');
  const resolved = relocationValue(btf, types, relo, fail);
  if (resolved === POISON) {
    // libbpf's bpf_core_poison_insn, on both halves of an LD_IMM64.
    if (insn.code === BPF_LD_IMM64 && insns[site.insn + 1] !== undefined) poison(insns[site.insn + 1]);
    poison(insn);
    return coreSpecText(btf, relo);
  }
  const { value, memSize: sizes } = resolved;
  const cls = insn.code & BPF_CLASS_MASK;
  if (insn.code === BPF_LD_IMM64) {
    insn.imm = Number(BigInt.asIntN(32, value));
    insns[site.insn + 1].imm = Number(BigInt.asIntN(32, value >> 32n));
  } else if ((cls === BPF_ALU || cls === BPF_ALU64) && (insn.code & BPF_SRC_X) === 0) {
    insn.imm = Number(BigInt.asIntN(32, value));
  } else if (cls === BPF_LDX || cls === BPF_ST || cls === BPF_STX) {
    if (relo.kind !== FIELD_BYTE_OFFSET) fail('only a field offset can patch a memory access');
    if (value > 0x7fffn) fail(`offset ${value} does not fit the instruction`);
    if (sizes !== undefined && sizes.local !== sizes.target && !sizes.adjustable) {
      poison(insn);
      return coreSpecText(btf, relo);
    }
    insn.off = Number(value);
    if (sizes !== undefined && sizes.local !== sizes.target) {
      const bytes = MEM_SIZE_BYTES[(insn.code >> 3) & 3];
      if (bytes !== sizes.local)
        fail(`insn #${site.insn} (LDX/ST/STX) unexpected mem size: got ${bytes}, exp ${sizes.local}`);
      const encoded = MEM_SIZE_BYTES.indexOf(sizes.target);
      if (encoded < 0) fail(`insn #${site.insn} (LDX/ST/STX) invalid new mem size: ${sizes.target}`);
      insn.code = (insn.code & ~0x18) | (encoded << 3);
    }
  } else {
    fail(`instruction with opcode 0x${insn.code.toString(16)} cannot be patched`);
  }
}
