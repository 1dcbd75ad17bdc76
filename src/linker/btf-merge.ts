// Merges the BTF of several objects into one: ids remapped, externs replaced by their definitions, DATASECs
// rebuilt for the concatenated sections, structurally identical types deduplicated, FWDs resolved.

import {
  type Btf,
  BtfBuilder,
  type BtfDatasec,
  type BtfType,
  type BtfVarSecinfo,
  forEachTypeRef,
  mapTypeRefs,
} from '../btf/index.js';

/** A type of one input: the input's position in the link and the type's id in that input's BTF. */
export interface InputTypeRef {
  readonly input: number;
  readonly id: number;
}

/** Where a DATASEC variable of an input ends up: placed at an output offset, or dropped. */
export type VarPlacement = { readonly offset: number; readonly size: number } | 'drop';

/** What the linker decided about symbols, as BTF merging needs it. */
export interface BtfMergeHooks {
  /**
   * The type that replaces `ref` (an extern FUNC/VAR resolved by a definition, a VAR of a weak definition
   * that lost), or undefined to keep it.
   */
  replacementOf(ref: InputTypeRef, type: BtfType): InputTypeRef | undefined;
  /** Where variable `secinfo` of DATASEC `section` of an input goes. */
  placeVar(input: number, section: string, secinfo: BtfVarSecinfo): VarPlacement;
  /** Size of the merged ELF section (undefined for sections with no ELF counterpart, like `.kconfig`). */
  sectionSize(section: string): number | undefined;
}

export interface MergedBtf {
  readonly types: readonly BtfType[];
  readonly strings: Uint8Array;
  /** The output id of an input's type (0 for void). */
  outputId(ref: InputTypeRef): number;
  /** The builder holding the merged strings, so `.BTF.ext` strings can be interned in the same table. */
  readonly builder: BtfBuilder;
}

const NOT_DEDUPLICATED = new Set<BtfType['kind']>(['var', 'datasec']);

/** A stable text for a type without its references (and without string offsets). */
function shallowKey(type: BtfType): string {
  const stripped = mapTypeRefs(type, () => 0);
  return JSON.stringify(stripped, (key, value) =>
    key === 'nameOff' ? undefined : typeof value === 'bigint' ? `${value}n` : value,
  );
}

function refsOf(type: BtfType): number[] {
  const refs: number[] = [];
  forEachTypeRef(type, (id) => refs.push(id));
  return refs;
}

export function mergeBtf(inputs: readonly (Btf | undefined)[], hooks: BtfMergeHooks): MergedBtf {
  // Global ids: 0 is void, then every input's types in link order.
  const bases: number[] = [];
  const work: BtfType[] = [{ kind: 'void', name: '', nameOff: 0 }];
  const origin: InputTypeRef[] = [{ input: -1, id: 0 }];
  for (const [input, btf] of inputs.entries()) {
    bases.push(work.length - 1);
    if (btf === undefined) continue;
    for (let id = 1; id < btf.types.length; id++) {
      const base = bases[input];
      work.push(mapTypeRefs(btf.types[id], (ref) => (ref === 0 ? 0 : ref + base)));
      origin.push({ input, id });
    }
  }
  const globalId = (ref: InputTypeRef) => (ref.id === 0 ? 0 : bases[ref.input] + ref.id);

  // Replacements chosen by symbol resolution, and DATASECs of one name folded into the first.
  const alias = new Int32Array(work.length).fill(-1);
  for (let gid = 1; gid < work.length; gid++) {
    const replacement = hooks.replacementOf(origin[gid], work[gid]);
    if (replacement !== undefined && globalId(replacement) !== gid) alias[gid] = globalId(replacement);
  }
  const resolve = (gid: number): number => {
    let current = gid;
    for (let steps = 0; alias[current] >= 0 && steps < work.length; steps++) current = alias[current];
    return current;
  };
  mergeDatasecs(work, origin, alias, resolve, hooks);

  // Partition refinement: types are equal when their shallow parts are equal and their references are
  // equal, which also identifies isomorphic cycles (struct list { struct list *next; } in two objects).
  const live = (gid: number) => alias[gid] < 0;
  let classes = new Int32Array(work.length);
  const refine = (): void => {
    const shallow = new Map<string, number>();
    const base = new Int32Array(work.length);
    for (let gid = 0; gid < work.length; gid++) {
      if (!live(gid)) continue;
      const type = work[gid];
      const key = gid === 0 || NOT_DEDUPLICATED.has(type.kind) ? `#${gid}` : shallowKey(type);
      let cls = shallow.get(key);
      if (cls === undefined) {
        cls = shallow.size;
        shallow.set(key, cls);
      }
      base[gid] = cls;
    }
    classes = base.slice();
    let count = shallow.size;
    for (;;) {
      const signatures = new Map<string, number>();
      const next = new Int32Array(work.length);
      for (let gid = 0; gid < work.length; gid++) {
        if (!live(gid)) continue;
        const signature = `${base[gid]}|${refsOf(work[gid])
          .map((ref) => classes[resolve(ref)])
          .join(',')}`;
        let cls = signatures.get(signature);
        if (cls === undefined) {
          cls = signatures.size;
          signatures.set(signature, cls);
        }
        next[gid] = cls;
      }
      classes = next;
      if (signatures.size === count) return;
      count = signatures.size;
    }
  };
  const representatives = (): Map<number, number> => {
    const first = new Map<number, number>();
    for (let gid = 0; gid < work.length; gid++) {
      if (live(gid) && !first.has(classes[gid])) first.set(classes[gid], gid);
    }
    return first;
  };

  // A FWD becomes the one struct/union of its name, when there is exactly one; then refine again, since
  // pointers to the FWD may now equal pointers to the struct.
  for (let round = 0; round < 16; round++) {
    refine();
    const firstOfClass = representatives();
    let changed = false;
    for (let gid = 1; gid < work.length; gid++) {
      const fwd = work[gid];
      if (!live(gid) || fwd.kind !== 'fwd') continue;
      const candidates = new Set<number>();
      for (let other = 1; other < work.length; other++) {
        const full = work[other];
        if (live(other) && full.kind === fwd.fwdKind && full.name === fwd.name)
          candidates.add(classes[other]);
      }
      if (candidates.size === 1) {
        alias[gid] = firstOfClass.get([...candidates][0])!;
        changed = true;
      }
    }
    if (!changed) break;
  }

  const firstOfClass = representatives();
  const outputIds = new Int32Array(work.length).fill(-1);
  const kept: number[] = [];
  for (let gid = 1; gid < work.length; gid++) {
    if (live(gid) && firstOfClass.get(classes[gid]) === gid) {
      kept.push(gid);
      outputIds[gid] = kept.length;
    }
  }
  const finalId = (gid: number): number => {
    if (gid === 0) return 0;
    const representative = firstOfClass.get(classes[resolve(gid)]);
    return representative === undefined ? 0 : outputIds[representative];
  };
  const builder = new BtfBuilder();
  for (const gid of kept) builder.add(mapTypeRefs(work[gid], finalId));
  return {
    get types() {
      return builder.types;
    },
    get strings() {
      return builder.strings();
    },
    outputId: (ref) => finalId(globalId(ref)),
    builder,
  };
}

/** One DATASEC per name, holding every kept variable at its output offset, sorted by offset. */
function mergeDatasecs(
  work: BtfType[],
  origin: readonly InputTypeRef[],
  alias: Int32Array,
  resolve: (gid: number) => number,
  hooks: BtfMergeHooks,
): void {
  const firstByName = new Map<string, number>();
  const varsByName = new Map<string, BtfVarSecinfo[]>();
  for (let gid = 1; gid < work.length; gid++) {
    const datasec = work[gid];
    if (datasec.kind !== 'datasec') continue;
    const first = firstByName.get(datasec.name);
    if (first === undefined) firstByName.set(datasec.name, gid);
    else alias[gid] = first;
    const vars = varsByName.get(datasec.name) ?? [];
    varsByName.set(datasec.name, vars);
    for (const secinfo of datasec.vars) {
      const inputSecinfo = { ...secinfo, type: secinfo.type - (gid - origin[gid].id) };
      const placement = hooks.placeVar(origin[gid].input, datasec.name, inputSecinfo);
      if (placement === 'drop') continue;
      // The same variable declared in several objects (a kconfig extern) is listed once.
      if (vars.some((known) => resolve(known.type) === resolve(secinfo.type))) continue;
      vars.push({ type: secinfo.type, offset: placement.offset, size: placement.size });
    }
  }
  for (const [name, gid] of firstByName) {
    const datasec = work[gid] as BtfDatasec;
    const vars = varsByName.get(name)!.sort((x, y) => x.offset - y.offset);
    work[gid] = { ...datasec, size: hooks.sectionSize(name) ?? datasec.size, vars };
  }
}
