// CO-RE relocations (.BTF.ext core_relo) resolved as libbpf resolves them against vmlinux BTF, with the kernel
// structs tsbpf lays out (src/abi/kernel-structs.ts) standing for the kernel's BTF: field offsets, sizes and
// existence, type ids, existence and sizes. Anything else is refused with an ObjectError naming the relocation.

import {
  type KernelStruct,
  type KernelType,
  kernelStructById,
  kernelStructByName,
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
const TYPE_ID_LOCAL = 6;
const TYPE_ID_TARGET = 7;
const TYPE_EXISTS = 8;
const TYPE_SIZE = 9;

const BPF_CLASS_MASK = 0x07;
const BPF_LDX = 0x01;
const BPF_ST = 0x02;
const BPF_STX = 0x03;
const BPF_ALU = 0x04;
const BPF_ALU64 = 0x07;
const BPF_SRC_X = 0x08;

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

/** What the local access resolves to in the kernel's struct: its byte offset and type, or nothing. */
interface TargetField {
  readonly offset: number;
  readonly type: KernelType;
}

/** A named member of a kernel struct, looked for through its anonymous members as libbpf's matching does. */
function findTargetMember(
  struct: KernelStruct,
  name: string,
): { offset: number; type: KernelType; bitfield: boolean } | undefined {
  for (const member of struct.members ?? []) {
    if (member.name === name) {
      return { offset: member.bitOffset / 8, type: member.type, bitfield: member.bitfieldSize !== 0 };
    }
    if (member.name === '(anon)' && member.type.kind === 'struct') {
      const inner = kernelStructById(member.type.id);
      const found = inner === undefined ? undefined : findTargetMember(inner, name);
      if (found !== undefined) return { ...found, offset: found.offset + member.bitOffset / 8 };
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
  root: KernelStruct,
  rootId: number,
  access: readonly number[],
  fail: (why: string) => never,
): TargetField | undefined {
  let localId = btf.skipModifiers(rootId);
  let offset = access[0] * root.size;
  let target: KernelType = { kind: 'struct', id: root.id ?? -1 };
  let targetStruct: KernelStruct | undefined = root;
  for (const index of access.slice(1)) {
    const local = btf.typeById(localId);
    if (local.kind === 'struct' || local.kind === 'union') {
      const member = local.members[index];
      if (member === undefined) fail(`member #${index} of [${localId}] does not exist`);
      if (member.bitfieldSize !== 0) fail('bitfield members are not resolved by tsbpf');
      localId = btf.skipModifiers(member.type);
      // libbpf: an anonymous local member is only a step; members are matched by name.
      if (member.name === '') continue;
      if (targetStruct === undefined) fail(`the kernel's type at '${member.name}' is not one tsbpf models`);
      const found = findTargetMember(targetStruct, member.name);
      if (found === undefined) {
        // A member tsbpf does not list may still be in the kernel's struct: never guess.
        if (targetStruct.members === undefined || targetStruct.partial) {
          fail(`tsbpf does not model member '${member.name}' of struct ${targetStruct.name}`);
        }
        return undefined;
      }
      if (found.bitfield) fail(`kernel member '${member.name}' is a bitfield, which tsbpf does not resolve`);
      offset += found.offset;
      target = found.type;
    } else if (local.kind === 'array') {
      if (target.kind !== 'array') return undefined;
      offset += index * kernelTypeSize(target.elem);
      target = target.elem;
      localId = btf.skipModifiers(local.type);
    } else {
      fail(`access index ${index} into [${localId}] ${local.kind}`);
    }
    targetStruct = target.kind === 'struct' ? kernelStructById(target.id) : undefined;
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
  return { offset, type: target };
}

/** The value a relocation resolves to (libbpf's bpf_core_calc_relo). */
function relocationValue(btf: Btf, relo: BtfCoreRelo, fail: (why: string) => never): number {
  if (relo.kind === TYPE_ID_LOCAL) return relo.typeId;
  const rootId = btf.skipModifiers(relo.typeId);
  const local = btf.typeById(rootId);
  const struct =
    local.kind === 'struct' || local.kind === 'union'
      ? kernelStructByName(essentialName(local.name))
      : undefined;
  switch (relo.kind) {
    case TYPE_EXISTS:
      return struct === undefined ? 0 : 1;
    case TYPE_ID_TARGET:
      if (struct?.id === undefined) fail('needs a kernel type tsbpf does not model');
      return struct.id;
    case TYPE_SIZE:
      if (struct === undefined) fail('needs a kernel type tsbpf does not model');
      return struct.size;
    case FIELD_BYTE_OFFSET:
    case FIELD_BYTE_SIZE:
    case FIELD_EXISTS: {
      if (struct === undefined) {
        if (relo.kind === FIELD_EXISTS) return 0;
        fail('needs a kernel type tsbpf does not model');
      }
      const access = relo.accessStr.split(':').map(Number);
      if (access.some((n) => !Number.isInteger(n) || n < 0)) fail(`bad access string '${relo.accessStr}'`);
      const field = resolveField(btf, struct, rootId, access, fail);
      if (relo.kind === FIELD_EXISTS) return field === undefined ? 0 : 1;
      if (field === undefined) fail(`struct ${struct.name} has no such member`);
      return relo.kind === FIELD_BYTE_OFFSET ? field.offset : kernelTypeSize(field.type);
    }
    default:
      return fail('tsbpf does not resolve this kind of CO-RE relocation');
  }
}

/** Resolves one CO-RE relocation and patches its instruction as libbpf's bpf_core_patch_insn does. */
export function applyCoreRelocation(
  btf: Btf,
  relo: BtfCoreRelo,
  insns: Insn[],
  site: CoreRelocationSite,
): void {
  const kind = BPF_CORE_RELO_KIND_NAMES[relo.kind] ?? `kind ${relo.kind}`;
  const fail = (why: string): never => {
    throw new ObjectError(
      site.file,
      `prog '${site.program}': relo #${site.number}: CO-RE ${kind} of [${relo.typeId}] ${btf.nameOf(relo.typeId) || '(anon)'} access ${relo.accessStr}: ${why} (src/abi/kernel-structs.ts)`,
      { program: site.program, insn: site.insn },
    );
  };
  const insn = insns[site.insn];
  if (insn === undefined) fail('no instruction there');
  const value = relocationValue(btf, relo, fail);
  const cls = insn.code & BPF_CLASS_MASK;
  if (insn.code === BPF_LD_IMM64) {
    insn.imm = value | 0;
    insns[site.insn + 1].imm = 0;
  } else if ((cls === BPF_ALU || cls === BPF_ALU64) && (insn.code & BPF_SRC_X) === 0) {
    insn.imm = value | 0;
  } else if (cls === BPF_LDX || cls === BPF_ST || cls === BPF_STX) {
    if (relo.kind !== FIELD_BYTE_OFFSET) fail('only a field offset can patch a memory access');
    if (value > 0x7fff) fail(`offset ${value} does not fit the instruction`);
    insn.off = value;
  } else {
    fail(`instruction with opcode 0x${insn.code.toString(16)} cannot be patched`);
  }
}
