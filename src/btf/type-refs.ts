// Which type ids a type refers to, and rewriting them: what validation and id remapping (linking) need.

import type { BtfType } from './btf-types.js';

/** Calls `visit` with every type id `type` refers to (the id 0, void, included). */
export function forEachTypeRef(type: BtfType, visit: (id: number) => void): void {
  switch (type.kind) {
    case 'void':
    case 'int':
    case 'enum':
    case 'enum64':
    case 'fwd':
    case 'float':
      return;
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
    case 'func':
    case 'var':
    case 'decl_tag':
      visit(type.type);
      return;
    case 'array':
      visit(type.type);
      visit(type.indexType);
      return;
    case 'struct':
    case 'union':
      for (const member of type.members) visit(member.type);
      return;
    case 'func_proto':
      visit(type.returnType);
      for (const param of type.params) visit(param.type);
      return;
    case 'datasec':
      for (const secinfo of type.vars) visit(secinfo.type);
      return;
    default:
      assertNever(type);
  }
}

/** The type ids `type` refers to, in record order. */
export function typeRefs(type: BtfType): number[] {
  const ids: number[] = [];
  forEachTypeRef(type, (id) => ids.push(id));
  return ids;
}

/** A copy of `type` with every referenced id passed through `remap` (e.g. shifted when merging two BTFs). */
export function mapTypeRefs<T extends BtfType>(type: T, remap: (id: number) => number): T {
  const t: BtfType = type;
  switch (t.kind) {
    case 'void':
    case 'int':
    case 'fwd':
    case 'float':
      return { ...type };
    case 'enum':
      return { ...t, values: t.values.map((v) => ({ ...v })) } as T;
    case 'enum64':
      return { ...t, values: t.values.map((v) => ({ ...v })) } as T;
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
    case 'func':
    case 'var':
    case 'decl_tag':
      return { ...t, type: remap(t.type) } as T;
    case 'array':
      return { ...t, type: remap(t.type), indexType: remap(t.indexType) } as T;
    case 'struct':
    case 'union':
      return { ...t, members: t.members.map((m) => ({ ...m, type: remap(m.type) })) } as T;
    case 'func_proto':
      return {
        ...t,
        returnType: remap(t.returnType),
        params: t.params.map((p) => ({ ...p, type: remap(p.type) })),
      } as T;
    case 'datasec':
      return { ...t, vars: t.vars.map((v) => ({ ...v, type: remap(v.type) })) } as T;
    default:
      return assertNever(t);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled BTF type ${JSON.stringify(value)}`);
}
