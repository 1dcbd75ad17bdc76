// Whether two declarations of one global (in two objects' BTF) describe the same C type, and why not.

import type { Btf, BtfType } from '../btf/index.js';

/** Qualifiers that do not change what a symbol is: `extern const int x` matches `const int x` and `int x`. */
const QUALIFIERS = new Set<BtfType['kind']>(['const', 'volatile', 'restrict', 'type_tag']);

function skipQualifiers(btf: Btf, id: number): number {
  let current = id;
  for (let depth = 0; depth < 32; depth++) {
    const type = btf.typeById(current);
    if (!QUALIFIERS.has(type.kind) || !('type' in type)) return current;
    current = type.type;
  }
  return current;
}

function describe(type: BtfType): string {
  return `${type.kind.toUpperCase()} '${type.name}'`;
}

/**
 * Compares type `aId` of `a` with type `bId` of `b` structurally (names, sizes, layouts, prototypes;
 * parameter names and qualifiers are ignored, a FWD matches the struct or union of its name). Returns
 * undefined when they match, otherwise what differs, in libbpf linker's words.
 */
export function btfTypeMismatch(a: Btf, aId: number, b: Btf, bId: number): string | undefined {
  const assumed = new Set<string>();
  const compare = (rawA: number, rawB: number): string | undefined => {
    const idA = skipQualifiers(a, rawA);
    const idB = skipQualifiers(b, rawB);
    const pair = `${idA}:${idB}`;
    if (assumed.has(pair)) return undefined;
    assumed.add(pair);
    const ta = a.typeById(idA);
    const tb = b.typeById(idB);
    if (ta.kind !== tb.kind) {
      const fwdMatches = (fwd: BtfType, full: BtfType) =>
        fwd.kind === 'fwd' && (full.kind === 'struct' || full.kind === 'union') && fwd.fwdKind === full.kind;
      if ((fwdMatches(ta, tb) || fwdMatches(tb, ta)) && ta.name === tb.name) return undefined;
      return `incompatible BTF kinds ${ta.kind.toUpperCase()} and ${tb.kind.toUpperCase()}`;
    }
    if (ta.name !== tb.name && ta.kind !== 'func' && ta.kind !== 'var') {
      return `incompatible ${ta.kind.toUpperCase()} names '${ta.name}' and '${tb.name}'`;
    }
    switch (ta.kind) {
      case 'void':
        return undefined;
      case 'int': {
        const other = tb as typeof ta;
        if (ta.size !== other.size || ta.encoding !== other.encoding || ta.bits !== other.bits)
          return `incompatible ${describe(ta)}: size ${ta.size} (${ta.bits} bits) and ${other.size} (${other.bits} bits)`;
        if (ta.bitOffset !== other.bitOffset) return `incompatible ${describe(ta)} bit offsets`;
        return undefined;
      }
      case 'float':
      case 'enum':
      case 'enum64': {
        const other = tb as typeof ta;
        if (ta.size !== other.size) return `incompatible ${describe(ta)} size ${ta.size} and ${other.size}`;
        return undefined;
      }
      case 'fwd':
        return ta.fwdKind === (tb as typeof ta).fwdKind ? undefined : `incompatible ${describe(ta)} kinds`;
      case 'ptr':
      case 'typedef':
      case 'func':
      case 'var':
      case 'decl_tag':
        return compare(ta.type, (tb as typeof ta).type);
      case 'const':
      case 'volatile':
      case 'restrict':
      case 'type_tag':
        return compare(ta.type, (tb as typeof ta).type);
      case 'array': {
        const other = tb as typeof ta;
        if (ta.nelems !== other.nelems) return `incompatible array lengths ${ta.nelems} and ${other.nelems}`;
        return compare(ta.type, other.type);
      }
      case 'struct':
      case 'union': {
        const other = tb as typeof ta;
        if (ta.size !== other.size) return `incompatible ${describe(ta)} size ${ta.size} and ${other.size}`;
        if (ta.members.length !== other.members.length)
          return `incompatible number of ${describe(ta)} fields ${ta.members.length} and ${other.members.length}`;
        for (const [i, member] of ta.members.entries()) {
          const theirs = other.members[i];
          if (member.name !== theirs.name)
            return `incompatible ${describe(ta)} field #${i} names '${member.name}' and '${theirs.name}'`;
          if (member.bitOffset !== theirs.bitOffset || member.bitfieldSize !== theirs.bitfieldSize)
            return `incompatible ${describe(ta)} field '${member.name}' offsets`;
          const inner = compare(member.type, theirs.type);
          if (inner !== undefined) return `field '${member.name}': ${inner}`;
        }
        return undefined;
      }
      case 'func_proto': {
        const other = tb as typeof ta;
        if (ta.params.length !== other.params.length)
          return `incompatible number of FUNC_PROTO params ${ta.params.length} and ${other.params.length}`;
        const ret = compare(ta.returnType, other.returnType);
        if (ret !== undefined) return `return type: ${ret}`;
        for (const [i, param] of ta.params.entries()) {
          const inner = compare(param.type, other.params[i].type);
          if (inner !== undefined) return `param #${i}: ${inner}`;
        }
        return undefined;
      }
      case 'datasec':
        return `unexpected ${describe(ta)}`;
      default:
        return undefined;
    }
  };
  return compare(aId, bId);
}

/**
 * Compares two BTF map definitions (`struct {...} name SEC(".maps")`, VAR ids): the members must match as
 * btfTypeMismatch says, but the struct's own name may differ (a named struct in one object, an anonymous
 * one in another, as libbpf compares the definitions rather than the types).
 */
export function mapDefinitionMismatch(a: Btf, aVarId: number, b: Btf, bVarId: number): string | undefined {
  const definition = (btf: Btf, id: number) => {
    const variable = btf.typeById(id);
    return skipQualifiers(btf, 'type' in variable ? variable.type : id);
  };
  const idA = definition(a, aVarId);
  const idB = definition(b, bVarId);
  const ta = a.typeById(idA);
  const tb = b.typeById(idB);
  if (ta.kind !== 'struct' || tb.kind !== 'struct') return btfTypeMismatch(a, idA, b, idB);
  if (ta.members.length !== tb.members.length)
    return `different number of map definition fields ${ta.members.length} and ${tb.members.length}`;
  for (const [i, member] of ta.members.entries()) {
    const theirs = tb.members[i];
    if (member.name !== theirs.name)
      return `map definition field #${i} names '${member.name}' and '${theirs.name}'`;
    const inner = btfTypeMismatch(a, member.type, b, theirs.type);
    if (inner !== undefined) return `field '${member.name}': ${inner}`;
  }
  return undefined;
}
