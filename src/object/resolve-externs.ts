// libbpf's bpf_object__resolve_externs for an object without a kernel: `.kconfig` values from a Kconfig table,
// kfuncs from tsbpf's kfunc table (their BTF ids in the reference kernel), with libbpf's words and errno.

import { type KconfigTable, referenceKconfig } from '../abi/kconfig.js';
import { type KfuncDef, kfuncByName } from '../abi/kfuncs.js';
import type { Btf } from '../btf/index.js';
import type { BpfExtern, BpfObject, KconfigSlot } from './bpf-object.js';
import { kconfigSize } from './externs.js';
import { ObjectError } from './object-error.js';

const EINVAL = 22;
const ERANGE = 34;
const ESRCH = 3;
const TRI_NO = 0;
const TRI_YES = 1;
const TRI_MODULE = 2;

/** What the loader puts in place of an object's externs. */
export interface ResolvedExterns {
  /** The `.kconfig` map's value (empty when the object has no kconfig extern). */
  readonly kconfig: Uint8Array;
  /** kfunc name → BTF id (0 for an unresolved weak kfunc, which libbpf leaves as `call 0`). */
  readonly kfuncIds: ReadonlyMap<string, number>;
}

type KconfigExtern = BpfExtern & { readonly kconfig: KconfigSlot };

class KconfigWriter {
  private readonly view: DataView;
  readonly set = new Set<string>();

  constructor(
    readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string, errno: number): never {
    throw new ObjectError(this.file, reason, { section: '.kconfig' }, { errno });
  }

  /** libbpf's set_kcfg_value_num. */
  number(ext: KconfigExtern, value: bigint): void {
    const { type, size, signed, offset } = ext.kconfig;
    const text = value.toString();
    if (type !== 'int' && type !== 'char' && type !== 'bool') {
      this.fail(
        `extern (kcfg) '${ext.name}': value '${text}' implies integer, char, or boolean type`,
        EINVAL,
      );
    }
    if (type === 'bool' && value > 1n) {
      this.fail(`extern (kcfg) '${ext.name}': value '${text}' isn't boolean compatible`, EINVAL);
    }
    const bits = BigInt(size * 8);
    const fits =
      size === 8 ||
      (signed ? BigInt.asUintN(64, value + (1n << (bits - 1n))) < 1n << bits : value >> bits === 0n);
    if (!fits) this.fail(`extern (kcfg) '${ext.name}': value '${text}' doesn't fit in ${size} bytes`, ERANGE);
    for (let i = 0; i < size; i++) this.view.setUint8(offset + i, Number((value >> BigInt(i * 8)) & 0xffn));
    this.set.add(ext.name);
  }

  /** libbpf's set_kcfg_value_tri: y, m or n. */
  tristate(ext: KconfigExtern, value: 'y' | 'm' | 'n'): void {
    const { type, offset } = ext.kconfig;
    switch (type) {
      case 'bool':
        if (value === 'm') {
          this.fail(`extern (kcfg) '${ext.name}': value '${value}' implies tristate or char type`, EINVAL);
        }
        this.view.setUint8(offset, value === 'y' ? 1 : 0);
        break;
      case 'tristate':
        this.view.setUint32(offset, value === 'y' ? TRI_YES : value === 'm' ? TRI_MODULE : TRI_NO, true);
        break;
      case 'char':
        this.view.setUint8(offset, value.charCodeAt(0));
        break;
      default:
        this.fail(
          `extern (kcfg) '${ext.name}': value '${value}' implies bool, tristate, or char type`,
          EINVAL,
        );
    }
    this.set.add(ext.name);
  }

  /** libbpf's set_kcfg_value_str: a quoted string into a char array, cut to fit with its NUL. */
  string(ext: KconfigExtern, value: string): void {
    const { type, size, offset } = ext.kconfig;
    if (type !== 'char_array') {
      this.fail(`extern (kcfg) '${ext.name}': value '${value}' implies char array type`, EINVAL);
    }
    if (value.length < 2 || !value.endsWith('"')) {
      this.fail(`extern (kcfg) '${ext.name}': invalid string config '${value}'`, EINVAL);
    }
    let text = new TextEncoder().encode(value.slice(1, -1));
    // libbpf warns and truncates a string longer than the array.
    if (text.length >= size) text = text.subarray(0, size - 1);
    this.bytes.set(text, offset);
    this.bytes[offset + text.length] = 0;
    this.set.add(ext.name);
  }

  /** libbpf's bpf_object__process_kconfig_line for one value of the table. */
  configLine(ext: KconfigExtern, value: string): void {
    if (value === '') this.fail(`failed to parse '${ext.name}=': no value`, EINVAL);
    const first = value[0];
    if (first === 'y' || first === 'n' || first === 'm') {
      this.tristate(ext, first);
      return;
    }
    if (first === '"') {
      this.string(ext, value);
      return;
    }
    const number = parseU64(value);
    if (number === undefined) {
      this.fail(`extern (kcfg) '${ext.name}': value '${value}' isn't a valid integer`, EINVAL);
    }
    if (ext.kconfig.type !== 'int' && ext.kconfig.type !== 'char') {
      this.fail(`extern (kcfg) '${ext.name}': value '${value}' implies integer type`, EINVAL);
    }
    this.number(ext, number);
  }
}

/** strtoull(value, &end, 0) consuming the whole text: decimal, 0x hex, 0 octal, a leading '-' wraps. */
function parseU64(value: string): bigint | undefined {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  if (match === null) return undefined;
  const digits = match[2];
  const magnitude =
    digits.length > 1 && digits[0] === '0' && digits[1] !== 'x' && digits[1] !== 'X'
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  if (magnitude > 0xffff_ffff_ffff_ffffn) return undefined; // strtoull's ERANGE
  return match[1] === '-' ? BigInt.asUintN(64, -magnitude) : magnitude;
}

/** A type reduced to what libbpf's bpf_core_types_are_compat compares: kinds, through pointers. */
type CoreShape = 'int' | 'enum' | 'composite' | 'void' | 'other' | { readonly ptr: CoreShape };

/** The shape of a C type as the kfunc table spells it (`const struct nf_conn *`, `u32`, `enum x *`). */
function shapeOfText(text: string): CoreShape {
  const type = text.trim().replace(/^const /, '');
  if (type.endsWith('*')) return { ptr: shapeOfText(type.slice(0, -1)) };
  if (type === 'void') return 'void';
  if (/^(struct|union) /.test(type)) return 'composite';
  if (type.startsWith('enum ')) return 'enum';
  return 'int';
}

/** The shape of a BTF type (modifiers and typedefs skipped). */
function shapeOfBtf(btf: Btf, id: number, depth = 0): CoreShape {
  // `const void`: a modifier over void (id 0) is void too.
  const target = btf.skipModifiers(id);
  if (target === 0) return 'void';
  const type = btf.typeById(target);
  switch (type.kind) {
    case 'int':
      return 'int';
    case 'enum':
    case 'enum64':
      return 'enum';
    case 'struct':
    case 'union':
    case 'fwd':
      return 'composite';
    case 'ptr':
      return depth > 16 ? 'other' : { ptr: shapeOfBtf(btf, type.type, depth + 1) };
    default:
      return 'other';
  }
}

function sameShape(a: CoreShape, b: CoreShape): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b && a !== 'other';
  return sameShape(a.ptr, b.ptr);
}

/** libbpf's check of a kfunc declaration against the kernel's prototype: as many arguments, each of a like kind. */
function prototypesCompatible(btf: Btf, protoId: number, kfunc: KfuncDef): boolean {
  const proto = btf.types[protoId];
  if (proto?.kind !== 'func_proto' || proto.params.length !== kfunc.params.length) return false;
  if (!sameShape(shapeOfBtf(btf, proto.returnType), shapeOfText(kfunc.returns))) return false;
  return proto.params.every((param, i) =>
    sameShape(shapeOfBtf(btf, param.type), shapeOfText(kfunc.params[i].type)),
  );
}

/**
 * Resolves the externs of `object`: `.kconfig` ones from `kconfig` (default: the reference kernel's table),
 * kfuncs against tsbpf's kfunc table. Throws ObjectError with libbpf's message and errno when libbpf would.
 */
export function resolveExterns(
  object: BpfObject,
  kconfig: KconfigTable = referenceKconfig(),
): ResolvedExterns {
  const writer: KconfigWriter = new KconfigWriter(
    new Uint8Array(kconfigSize(object.externs)),
    object.fileName,
  );
  const kfuncIds = new Map<string, number>();
  for (const ext of object.externs) {
    if (ext.kind === 'kfunc') {
      const kfunc = kfuncByName(ext.name);
      const protoId = (object.btf?.types[ext.btfId] as { type?: number } | undefined)?.type ?? 0;
      if (
        kfunc !== undefined &&
        object.btf !== undefined &&
        !prototypesCompatible(object.btf, protoId, kfunc)
      ) {
        throw new ObjectError(
          object.fileName,
          `extern (func ksym) '${ext.name}': func_proto [${protoId}] incompatible with kernel [${kfunc.protoBtfId}]`,
          {},
          { errno: EINVAL },
        );
      }
      if (kfunc !== undefined) {
        kfuncIds.set(ext.name, kfunc.btfId);
        writer.set.add(ext.name);
      } else if (!ext.weak) {
        throw new ObjectError(
          object.fileName,
          `extern (func ksym) '${ext.name}': not found in kernel or module BTFs`,
          {},
          { errno: ESRCH },
        );
      } else {
        kfuncIds.set(ext.name, 0);
      }
      continue;
    }
    if (ext.kind === 'ksym') {
      throw new ObjectError(
        object.fileName,
        `extern '${ext.name}': __ksym variables (kernel addresses and per-CPU kernel data) need a kernel`,
        {},
        { errno: ESRCH },
      );
    }
    const slot = ext as KconfigExtern;
    if (ext.name.startsWith('CONFIG_')) continue;
    const value = ext.name.startsWith('LINUX_') ? kconfig.get(ext.name) : undefined;
    if (value === undefined) {
      // libbpf knows only its LINUX_ names; an unknown one reads as zero only when weak.
      if (!ext.name.startsWith('LINUX_') || !ext.weak) {
        writer.fail(`extern (kcfg) '${ext.name}': unrecognized virtual extern`, EINVAL);
      }
      continue;
    }
    const number = parseU64(value);
    if (number === undefined) {
      writer.fail(`extern (kcfg) '${ext.name}': value '${value}' isn't a valid integer`, EINVAL);
    }
    writer.number(slot, number);
  }
  for (const ext of object.externs) {
    if (ext.kind !== 'kconfig' || !ext.name.startsWith('CONFIG_')) continue;
    const value = kconfig.get(ext.name);
    if (value === undefined) continue;
    try {
      writer.configLine(ext as KconfigExtern, value);
    } catch (error) {
      // libbpf turns any failure reading the Kconfig into EINVAL.
      if (!(error instanceof ObjectError)) throw error;
      throw new ObjectError(
        object.fileName,
        error.reason,
        { section: '.kconfig' },
        { errno: EINVAL, cause: error },
      );
    }
  }
  for (const ext of object.externs) {
    if (!writer.set.has(ext.name) && !ext.weak) {
      throw new ObjectError(
        object.fileName,
        `extern '${ext.name}' (strong): not resolved`,
        {},
        { errno: ESRCH },
      );
    }
  }
  return { kconfig: writer.bytes, kfuncIds };
}
