// Loads and stores through pointers to kernel structs: the kernel's check_ptr_to_btf_access, check_ptr_to_map_access
// and btf_struct_walk over the layouts of src/abi/kernel-structs.ts, with the kernel's messages.
import { fieldOffset, SK_BUFF_FIELDS } from '../abi/context-structs.js';
import {
  KERNEL_STRUCT_TABLE,
  type KernelStruct,
  type KernelType,
  type KernelTypes,
  MAP_KERNEL_STRUCTS,
  layoutDifference,
  RCU_OR_NULL_MEMBERS,
  SK_BUFF_CONTEXT_MIRRORS,
  kernelMember,
  kernelTypeSize,
} from '../abi/kernel-structs.js';
import { mapTypeByName } from '../abi/map-types.js';
import { isConst } from './scalar.js';
import { formatTnum } from './tnum.js';
import { type PointerTrust, type Reg, pointerReg } from './state.js';
import type { Walk } from './walk.js';

/** What btf_struct_walk found at an offset: a scalar, a pointer to a struct (by id), or a pointer to anything else. */
type WalkResult =
  | { kind: 'scalar' }
  | { kind: 'ptr'; to: number; rcu: boolean; field: string; parent: string }
  | { kind: 'mem' };

/** The kernel types the walk looks structs up in: a kernel BTF the user gave, else tsbpf's table. */
export function kernelTypesOf(walk: Walk): KernelTypes {
  return walk.options.kernelTypes ?? KERNEL_STRUCT_TABLE;
}

/** Kernel: btf_struct_access gives up after this many nested structs. */
const MAX_NESTING = 64;

/**
 * Kernel btf_struct_walk (and btf_struct_access's loop into nested structs) for a read of `size` bytes at `off`.
 * Where the walk reaches a part of a struct tsbpf does not model, the load is refused with a message saying so.
 */
function walkStruct(walk: Walk, start: KernelStruct, startOff: number, size: number): WalkResult {
  let struct = start;
  let off = startOff;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    const found = walkOnce(walk, struct, off, size);
    if (found.kind !== 'struct') return found;
    // Kernel WALK_STRUCT: the access starts at a nested struct, which the search dives into at its offset 0.
    struct = found.struct;
    off = 0;
  }
  return walk.fail(`struct ${start.name}: nested too deep at off ${startOff}`, 'EFAULT');
}

function notModelled(walk: Walk, struct: KernelStruct, off: number, size: number): never {
  if (struct.members === undefined) return notModelledStruct(walk, struct.name, off, size);
  return walk.fail(
    `tsbpf does not model this part of struct ${struct.name}: off ${off} size ${size} (src/abi/kernel-structs.ts)`,
    'EINVAL',
  );
}

function walkOnce(
  walk: Walk,
  outer: KernelStruct,
  outerOff: number,
  size: number,
): WalkResult | { kind: 'struct'; struct: KernelStruct } {
  let struct = outer;
  let off = outerOff;
  for (;;) {
    if (off + size > struct.size) {
      walk.fail(`access beyond struct ${struct.name} at off ${off} size ${size}`, 'EACCES');
    }
    const members = struct.members;
    if (members === undefined) notModelled(walk, struct, off, size);
    let next: { struct: KernelStruct; off: number } | undefined;
    for (const member of members) {
      let moff = Math.floor(member.bitOffset / 8);
      if (off + size <= moff) break;
      if (member.bitfieldSize !== 0) {
        const endBit = member.bitOffset + member.bitfieldSize;
        if (off <= moff && Math.ceil(endBit / 8) <= off + size) return { kind: 'scalar' };
        continue;
      }
      if (off < moff) break;
      const msize = kernelTypeSize(member.type, kernelTypesOf(walk));
      const trueEnd = moff + msize;
      if (off >= trueEnd) continue;
      let type: KernelType = member.type;
      if (type.kind === 'array') {
        if (msize === 0) continue;
        const elemSize = msize / type.count;
        moff += Math.floor((off - moff) / elemSize) * elemSize;
        type = type.elem;
      }
      if (type.kind === 'struct') {
        const inner = kernelTypesOf(walk).structById(type.id);
        if (inner === undefined) notModelled(walk, struct, off, size);
        if (off === moff) return { kind: 'struct', struct: inner };
        next = { struct: inner, off: off - moff };
        break;
      }
      if (type.kind === 'ptr') {
        if (size !== 8 || off !== moff) {
          walk.fail(
            `cannot access ptr member ${member.name} with moff ${moff} in struct ${struct.name} with off ${off} size ${size}`,
            'EACCES',
          );
        }
        if (type.to === 0) return { kind: 'mem' };
        return { kind: 'ptr', to: type.to, rcu: type.rcu, field: member.name, parent: struct.name };
      }
      if (off + size > trueEnd) {
        walk.fail(
          `access beyond the end of member ${member.name} (mend:${trueEnd}) in struct ${struct.name} with off ${off} size ${size}`,
          'EACCES',
        );
      }
      return { kind: 'scalar' };
    }
    if (next === undefined) {
      if (struct.partial) notModelled(walk, struct, off, size);
      return walk.fail(`struct ${struct.name} doesn't have field at offset ${off}`, 'EINVAL');
    }
    struct = next.struct;
    off = next.off;
  }
}

/**
 * The register a load of `size` bytes gives once the walk found what is there (kernel check_ptr_to_btf_access's
 * flags): a pointer read through an untrusted one is untrusted; through a trusted or RCU one it is RCU and maybe
 * NULL where the kernel says so (BTF_TYPE_SAFE_RCU_OR_NULL, `__rcu` members), untrusted otherwise.
 */
function loadedReg(walk: Walk, found: WalkResult, parentTrust: PointerTrust | undefined): Reg | undefined {
  switch (found.kind) {
    case 'scalar':
      return undefined;
    case 'mem':
      return pointerReg('mem', { memSize: 0, readOnly: true, trust: 'untrusted' });
    case 'ptr': {
      const target = kernelTypesOf(walk).structById(found.to);
      const name = target?.name ?? '';
      const rcu =
        parentTrust !== undefined &&
        parentTrust !== 'untrusted' &&
        (found.rcu || RCU_OR_NULL_MEMBERS.has(`${found.parent}.${found.field}`));
      if (rcu) {
        const reg = pointerReg('btf_id', { maybeNull: true, id: walk.newId(), trust: 'rcu' });
        reg.btfName = name;
        return reg;
      }
      const reg = pointerReg('btf_id', { trust: 'untrusted' });
      reg.btfName = name;
      return reg;
    }
  }
}

/**
 * Kernel check_ptr_to_btf_access: a load or store through a PTR_TO_BTF_ID. Stores go to the program type's
 * btf_struct_access callback (tc and xdp: nf_conn's `mark`); every other store is refused.
 * Returns the loaded register (undefined: an unknown scalar of the load's size).
 */
export function btfPointerAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  write: boolean,
): Reg | undefined {
  const struct = kernelTypesOf(walk).structByName(reg.btfName ?? '');
  const name = struct?.name ?? reg.btfName ?? '';
  const at = reg.off + off;
  if (!walk.options.allowPtrLeaks) {
    walk.fail(`'struct ${name}' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN`, 'EPERM');
  }
  if (at < 0) walk.fail(`R${regno} is ptr_${name} invalid negative access: off=${at}`);
  if (!isConst(reg.value) || reg.value.varOff.value !== 0n) {
    walk.fail(
      `R${regno} is ptr_${name} invalid variable offset: off=${at}, var_off=${formatTnum(reg.value.varOff)}`,
    );
  }
  if (struct === undefined) return notModelledStruct(walk, name, at, size);
  checkImageLayout(walk, struct.name);
  if (write) {
    writeAccess(walk, struct, at, size);
    return undefined;
  }
  const found = walkStruct(walk, struct, at, size);
  // A trusted sk_buff is the context's (bpf_cast_to_kern_ctx): members a __sk_buff field mirrors are read there.
  if (found.kind === 'scalar' && reg.trust === 'trusted' && struct.name === 'sk_buff') {
    walk.noteKernelContextLoad(contextMirrorDelta(at, size));
  }
  return loadedReg(walk, found, reg.trust);
}

const MIRRORS = Object.entries(SK_BUFF_CONTEXT_MIRRORS).map(([member, field]) => {
  const found = kernelMember('sk_buff', member);
  return {
    offset: found?.offset ?? -1,
    size: found === undefined ? 0 : kernelTypeSize(found.type),
    field: fieldOffset(SK_BUFF_FIELDS, field, '__sk_buff'),
  };
});

/**
 * How far a load of `size` bytes at `at` in the kernel's sk_buff moves to read the `__sk_buff` field mirroring
 * it (its field offset minus the member's), or undefined when no field mirrors those bytes.
 */
function contextMirrorDelta(at: number, size: number): number | undefined {
  const mirror = MIRRORS.find((m) => at >= m.offset && at + size <= m.offset + m.size);
  return mirror === undefined ? undefined : mirror.field - mirror.offset;
}

/**
 * With a kernel BTF that lays out a struct tsbpf writes at test-run (sk_buff, net_device, sock, the map structs,
 * ...) differently from the reference kernel, loads through it would read where tsbpf wrote nothing: refused.
 */
function checkImageLayout(walk: Walk, name: string): void {
  const moved = layoutDifference(kernelTypesOf(walk), name);
  if (moved === undefined) return;
  walk.fail(
    `tsbpf lays out struct ${name} as the reference kernel does, and the kernel BTF given (${kernelTypesOf(walk).source}) places ${moved} elsewhere`,
    'EINVAL',
  );
}

function notModelledStruct(walk: Walk, name: string, at: number, size: number): never {
  return walk.fail(
    `tsbpf does not model struct ${name}: off ${at} size ${size} (src/abi/kernel-structs.ts)`,
    'EINVAL',
  );
}

/** The tc and xdp programs' btf_struct_access: only nf_conn's writable members (conntrack's callback). */
function writeAccess(walk: Walk, struct: KernelStruct, at: number, size: number): void {
  const type = walk.options.programType;
  if (struct.writable === undefined || (type !== 'xdp' && type !== 'sched_cls' && type !== 'sched_act')) {
    walk.fail('only read is supported');
  }
  const base = struct.name.replace(/___init$/, '');
  const members = kernelTypesOf(walk).structByName(base)?.members ?? [];
  const writable = members.find((m) => struct.writable?.includes(m.name) && m.bitOffset / 8 === at);
  if (writable === undefined) walk.fail(`no write support to ${base} at off ${at}`);
  const end = writable.bitOffset / 8 + kernelTypeSize(writable.type, kernelTypesOf(walk));
  if (at + size > end) {
    walk.fail(`write access at off ${at} with size ${size} beyond the member of ${base} ended at ${end}`);
  }
}

/**
 * Kernel check_ptr_to_map_access: a map pointer reads as the map type's kernel struct (bpf_htab, bpf_array, ...),
 * privileged programs only, never written.
 */
export function mapPointerAccess(
  walk: Walk,
  regno: number,
  reg: Reg,
  off: number,
  size: number,
  write: boolean,
): Reg | undefined {
  const map = reg.map;
  const structName = map === undefined ? undefined : MAP_KERNEL_STRUCTS[map.type];
  if (map === undefined || structName === undefined) {
    const id = map === undefined ? -1 : (mapTypeByName(map.type)?.id ?? -1);
    return walk.fail(`map_ptr access not supported for map type ${id}`, 'ENOTSUPP');
  }
  const struct = kernelTypesOf(walk).structByName(structName);
  if (struct === undefined) return notModelledStruct(walk, structName, off, size);
  checkImageLayout(walk, struct.name);
  const at = reg.off + off;
  if (!walk.options.allowPtrLeaks) {
    walk.fail(`'struct ${struct.name}' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN`, 'EPERM');
  }
  if (at < 0) walk.fail(`R${regno} is ${struct.name} invalid negative access: off=${at}`);
  if (write) walk.fail(`only read from ${struct.name} is supported`);
  return loadedReg(walk, walkStruct(walk, struct, at, size), undefined);
}
