// The BTF type model: one discriminated union member per BTF kind, plus the wire constants.

/** Kind names as the model spells them; bpftool prints them in upper case (`INT`, `FUNC_PROTO`...). */
export type BtfKind =
  | 'int'
  | 'ptr'
  | 'array'
  | 'struct'
  | 'union'
  | 'enum'
  | 'fwd'
  | 'typedef'
  | 'volatile'
  | 'const'
  | 'restrict'
  | 'func'
  | 'func_proto'
  | 'var'
  | 'datasec'
  | 'float'
  | 'decl_tag'
  | 'type_tag'
  | 'enum64';

/** Wire numbers of the kinds (uapi linux/btf.h BTF_KIND_*); index = kind number, 0 is the void slot. */
export const BTF_KIND_NUMBERS: Readonly<Record<BtfKind, number>> = {
  int: 1,
  ptr: 2,
  array: 3,
  struct: 4,
  union: 5,
  enum: 6,
  fwd: 7,
  typedef: 8,
  volatile: 9,
  const: 10,
  restrict: 11,
  func: 12,
  func_proto: 13,
  var: 14,
  datasec: 15,
  float: 16,
  decl_tag: 17,
  type_tag: 18,
  enum64: 19,
};

/** Kind name by wire number; undefined for 0 (void) and numbers past the last known kind. */
export const BTF_KIND_BY_NUMBER: readonly (BtfKind | undefined)[] = (() => {
  const byNumber: (BtfKind | undefined)[] = [];
  for (const [kind, number] of Object.entries(BTF_KIND_NUMBERS)) byNumber[number] = kind as BtfKind;
  return byNumber;
})();

export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
export const BTF_HEADER_SIZE = 24;
/** Every type starts with name_off, info and size-or-type. */
export const BTF_TYPE_HEADER_SIZE = 12;
/** vlen is 16 bits of `info`. */
export const BTF_MAX_VLEN = 0xffff;
/** The pointer size of the BPF target. */
export const BTF_POINTER_SIZE = 8;

/** INT encoding as bpftool names it: none, SIGNED (1), CHAR (2), BOOL (4). */
export type BtfIntEncoding = 'none' | 'signed' | 'char' | 'bool';
export const BTF_INT_ENCODING_BITS: Readonly<Record<BtfIntEncoding, number>> = {
  none: 0,
  signed: 1,
  char: 2,
  bool: 4,
};

/** FUNC linkage (held in vlen) and VAR linkage share the same three values. */
export type BtfLinkage = 'static' | 'global' | 'extern';
export const BTF_LINKAGE_NUMBERS: Readonly<Record<BtfLinkage, number>> = { static: 0, global: 1, extern: 2 };
export const BTF_LINKAGE_BY_NUMBER: readonly BtfLinkage[] = ['static', 'global', 'extern'];

/** Every named thing keeps its decoded name and where that name sits in the string table. */
export interface BtfNamed {
  name: string;
  nameOff: number;
}

/** Type id 0: void. It has no record in the type section; it fills slot 0 so `types[id]` works. */
export interface BtfVoid extends BtfNamed {
  kind: 'void';
}

export interface BtfInt extends BtfNamed {
  kind: 'int';
  size: number;
  encoding: BtfIntEncoding;
  /** BTF_INT_OFFSET: bit offset of the value inside `size` bytes. */
  bitOffset: number;
  /** BTF_INT_BITS: number of value bits. */
  bits: number;
}

/** PTR, TYPEDEF, VOLATILE, CONST and RESTRICT only point at another type. */
export interface BtfReference extends BtfNamed {
  kind: 'ptr' | 'typedef' | 'volatile' | 'const' | 'restrict';
  type: number;
}

/** A `btf_type_tag` on the type it points at. */
export interface BtfTypeTag extends BtfNamed {
  kind: 'type_tag';
  type: number;
  /** kind_flag (kernel 6.14+): the tag stands for a whole `__attribute__((...))`; absent means false. */
  attribute?: boolean;
}

export interface BtfArray extends BtfNamed {
  kind: 'array';
  type: number;
  indexType: number;
  nelems: number;
}

export interface BtfMember extends BtfNamed {
  type: number;
  bitOffset: number;
  /** 0 for a plain member; only representable when the owner's `kindFlag` is set. */
  bitfieldSize: number;
}

export interface BtfComposite extends BtfNamed {
  kind: 'struct' | 'union';
  size: number;
  /** kind_flag: member offsets carry `bitfield_size << 24 | bit_offset`. */
  kindFlag: boolean;
  members: BtfMember[];
}

export interface BtfEnumValue extends BtfNamed {
  /** int32 when the enum is signed, uint32 otherwise. */
  value: number;
}

export interface BtfEnum extends BtfNamed {
  kind: 'enum';
  size: number;
  /** kind_flag: the values are signed. */
  signed: boolean;
  values: BtfEnumValue[];
}

export interface BtfEnum64Value extends BtfNamed {
  /** int64 when the enum is signed, uint64 otherwise. */
  value: bigint;
}

export interface BtfEnum64 extends BtfNamed {
  kind: 'enum64';
  size: number;
  signed: boolean;
  values: BtfEnum64Value[];
}

export interface BtfFwd extends BtfNamed {
  kind: 'fwd';
  /** kind_flag: a forward union rather than a struct. */
  fwdKind: 'struct' | 'union';
}

export interface BtfFunc extends BtfNamed {
  kind: 'func';
  /** The FUNC_PROTO. */
  type: number;
  linkage: BtfLinkage;
}

export interface BtfParam extends BtfNamed {
  type: number;
}

export interface BtfFuncProto extends BtfNamed {
  kind: 'func_proto';
  returnType: number;
  /** A last param with name and type 0 means `...`. */
  params: BtfParam[];
}

export interface BtfVar extends BtfNamed {
  kind: 'var';
  type: number;
  linkage: BtfLinkage;
}

export interface BtfVarSecinfo {
  type: number;
  offset: number;
  size: number;
}

export interface BtfDatasec extends BtfNamed {
  kind: 'datasec';
  size: number;
  vars: BtfVarSecinfo[];
}

export interface BtfFloat extends BtfNamed {
  kind: 'float';
  size: number;
}

export interface BtfDeclTag extends BtfNamed {
  kind: 'decl_tag';
  type: number;
  /** -1 tags the type itself; otherwise the member or parameter index. */
  componentIdx: number;
  /** kind_flag (kernel 6.14+): the tag stands for a whole `__attribute__((...))`; absent means false. */
  attribute?: boolean;
}

/** Any type in a `Btf`, void included. */
export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfReference
  | BtfTypeTag
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfEnum64
  | BtfFwd
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;

/** Kinds that change nothing about layout: skipped when looking for the underlying type. */
export const BTF_MODIFIER_KINDS: ReadonlySet<BtfType['kind']> = new Set([
  'typedef',
  'volatile',
  'const',
  'restrict',
  'type_tag',
]);

/** Strips `nameOff` at every level: what a builder needs, since it interns names itself. */
export type BtfTypeDraft = BtfType extends infer T ? (T extends BtfType ? Draft<T> : never) : never;
type Draft<T> = T extends bigint | number | string | boolean
  ? T
  : T extends readonly (infer E)[]
    ? Draft<E>[]
    : { [K in keyof T as K extends 'nameOff' ? never : K]: Draft<T[K]> } & { nameOff?: number };
