// libbpf's extern collection at open: each undefined symbol found in the `.kconfig` or `.ksyms` DATASEC, with
// the layout libbpf gives `.kconfig` (sorted by alignment, size, name) and libbpf's words for what it refuses.

import type { Btf } from '../btf/index.js';
import type { BtfDatasec } from '../btf/btf-types.js';
import { type ElfFile, SHN_UNDEF, STB_GLOBAL, STB_WEAK, STT_NOTYPE } from '../elf/index.js';
import type { BpfExtern, KconfigType } from './bpf-object.js';
import { ObjectError } from './object-error.js';

const KCONFIG = '.kconfig';
const KSYMS = '.ksyms';

/** libbpf's refusal, with the errno bpf_object__open returns for it. */
function fail(file: string, reason: string, errno: number): never {
  throw new ObjectError(file, reason, {}, { errno });
}

/** The DATASEC listing BTF type `id` (a VAR or FUNC) and the id of that DATASEC. */
function datasecOf(btf: Btf, id: number): { datasec: BtfDatasec; datasecId: number } | undefined {
  for (const [datasecId, type] of btf.types.entries()) {
    if (type.kind === 'datasec' && type.vars.some((v) => v.type === id)) return { datasec: type, datasecId };
  }
  return undefined;
}

/** libbpf's find_extern_btf_id: the VAR or FUNC of that name listed in some DATASEC. */
function externBtfId(btf: Btf, name: string): number | undefined {
  for (const type of btf.types) {
    if (type.kind !== 'datasec') continue;
    for (const info of type.vars) {
      const target = btf.types[info.type];
      if ((target?.kind === 'var' || target?.kind === 'func') && target.name === name) return info.type;
    }
  }
  return undefined;
}

/** libbpf's btf__align_of, for the types a `.kconfig` extern can have (and structs, to refuse them later). */
function alignOf(btf: Btf, id: number): number {
  const type = btf.typeById(id);
  switch (type.kind) {
    case 'int':
    case 'enum':
    case 'enum64':
    case 'float':
      return Math.min(8, type.size);
    case 'ptr':
      return 8;
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
    case 'array':
      return alignOf(btf, type.type);
    case 'struct':
    case 'union':
      return Math.max(1, ...type.members.map((m) => alignOf(btf, m.type)));
    default:
      return 0;
  }
}

/** libbpf's find_kcfg_type: what values a `.kconfig` extern of this type takes. */
function kconfigType(btf: Btf, id: number): { type: KconfigType; signed: boolean } {
  const type = btf.typeById(btf.skipModifiers(id));
  const unknown = { type: 'unknown' as const, signed: false };
  switch (type.kind) {
    case 'int':
      if (type.encoding === 'bool') return type.size === 1 ? { type: 'bool', signed: false } : unknown;
      if (type.size === 1) return { type: 'char', signed: type.encoding === 'signed' };
      if (type.size > 8 || (type.size & (type.size - 1)) !== 0) return unknown;
      return { type: 'int', signed: type.encoding === 'signed' };
    case 'enum':
      return type.size === 4 && type.name === 'libbpf_tristate'
        ? { type: 'tristate', signed: false }
        : unknown;
    case 'enum64':
      return type.name === 'libbpf_tristate' ? { type: 'tristate', signed: false } : unknown;
    case 'array':
      if (type.nelems === 0 || kconfigType(btf, type.type).type !== 'char') return unknown;
      return { type: 'char_array', signed: false };
    default:
      return unknown;
  }
}

/** libbpf's cmp_externs: `.kconfig` ones by descending alignment, ascending size, then name. */
function compareKconfig(a: BpfExtern, b: BpfExtern): number {
  const ka = a.kconfig!;
  const kb = b.kconfig!;
  if (ka.align !== kb.align) return kb.align - ka.align;
  if (ka.size !== kb.size) return ka.size - kb.size;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The externs of an object (kconfig ones laid out, `.kconfig`'s DATASEC fixed as libbpf fixes it). */
export function collectExterns(elf: ElfFile, btf: Btf | undefined, file: string): BpfExtern[] {
  const symbols = elf.symbols.filter(
    (s) =>
      s.shndx === SHN_UNDEF &&
      (s.bind === STB_GLOBAL || s.bind === STB_WEAK) &&
      s.type === STT_NOTYPE &&
      s.name !== '',
  );
  if (symbols.length === 0 || btf === undefined) return [];
  const externs: BpfExtern[] = [];
  let kconfigDatasec: BtfDatasec | undefined;
  for (const symbol of symbols) {
    const btfId = externBtfId(btf, symbol.name);
    if (btfId === undefined) fail(file, `failed to find BTF for extern '${symbol.name}': -2`, 2);
    const target = btf.typeById(btfId);
    const section = datasecOf(btf, btfId);
    const sectionName = section?.datasec.name ?? '';
    const weak = symbol.bind === STB_WEAK;
    const isFunction = target.kind === 'func';
    if (sectionName === KCONFIG) {
      if (isFunction)
        fail(file, `extern function ${symbol.name} is unsupported under ${KCONFIG} section`, 95);
      kconfigDatasec = section!.datasec;
      const typeId = (target as { type: number }).type;
      let size: number;
      try {
        size = btf.resolveSize(typeId);
      } catch {
        size = 0;
      }
      if (size <= 0) fail(file, `failed to resolve size of extern (kcfg) '${symbol.name}': -22`, 22);
      const align = alignOf(btf, typeId);
      if (align <= 0) fail(file, `failed to determine alignment of extern (kcfg) '${symbol.name}': -22`, 22);
      const { type, signed } = kconfigType(btf, typeId);
      if (type === 'unknown') fail(file, `extern (kcfg) '${symbol.name}': type is unsupported`, 95);
      externs.push({
        name: symbol.name,
        btfId,
        weak,
        kind: 'kconfig',
        kconfig: { type, size, align, signed, offset: 0 },
      });
    } else if (sectionName === KSYMS) {
      externs.push({ name: symbol.name, btfId, weak, kind: isFunction ? 'kfunc' : 'ksym' });
    } else {
      fail(file, `unrecognized extern section '${sectionName}'`, 95);
    }
  }
  const kconfig = externs.filter((e) => e.kind === 'kconfig').sort(compareKconfig);
  let offset = 0;
  for (const ext of kconfig) {
    const k = ext.kconfig!;
    const placed = Math.ceil(offset / k.align) * k.align;
    (k as { offset: number }).offset = placed;
    offset = placed + k.size;
  }
  if (kconfigDatasec !== undefined) {
    // libbpf: the DATASEC takes the layout and its variables become allocated globals before BTF goes to the kernel.
    kconfigDatasec.size = offset;
    for (const [i, info] of kconfigDatasec.vars.entries()) {
      const variable = btf.types[info.type];
      const ext = kconfig.find((e) => e.name === variable?.name);
      if (ext === undefined)
        fail(file, `failed to find extern definition for BTF var '${variable?.name ?? ''}'`, 3);
      if (variable?.kind === 'var') variable.linkage = 'global';
      kconfigDatasec.vars[i] = { ...info, offset: ext.kconfig!.offset };
    }
  }
  return [...kconfig, ...externs.filter((e) => e.kind !== 'kconfig')];
}

/** Size of the `.kconfig` map's value: the end of the last extern laid out. */
export function kconfigSize(externs: readonly BpfExtern[]): number {
  let end = 0;
  for (const ext of externs)
    if (ext.kconfig !== undefined) end = Math.max(end, ext.kconfig.offset + ext.kconfig.size);
  return end;
}
