// Tests of BtfBuilder: string interning, every kind against bpftool's raw dump, round trips, merging.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import type { BtfLinkage, BtfTypeDraft } from './btf-types.js';
import { encodeBtf } from './encode-btf.js';
import { formatBtfRaw } from './format-btf-raw.js';
import { parseBtf } from './parse-btf.js';
import { mapTypeRefs, typeRefs } from './type-refs.js';

function bpftoolRawDump(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsbpf-btf-raw-'));
  try {
    const path = join(dir, 'types.btf');
    writeFileSync(path, bytes);
    return execFileSync('bpftool', ['btf', 'dump', 'file', path, 'format', 'raw'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every kind, including what clang-14 never emits: ENUM64, signed enums, extern/static linkage, CHAR ints. */
function everyKind(): BtfBuilder {
  const b = new BtfBuilder();
  const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 }); // 1
  b.add({ kind: 'int', name: 'char', size: 1, encoding: 'char', bitOffset: 0, bits: 8 }); // 2
  b.add({ kind: 'int', name: '_Bool', size: 1, encoding: 'bool', bitOffset: 0, bits: 8 }); // 3
  b.add({ kind: 'int', name: 'odd', size: 2, encoding: 'none', bitOffset: 3, bits: 9 }); // 4
  b.add({ kind: 'ptr', name: '', type: 0 }); // 5: void *
  b.add({ kind: 'array', name: '', type: 2, indexType: int, nelems: 16 }); // 6
  b.add({
    kind: 'struct',
    name: 'flags',
    size: 8,
    kindFlag: true,
    members: [
      { name: 'low', type: int, bitOffset: 0, bitfieldSize: 3 },
      { name: 'high', type: int, bitOffset: 3, bitfieldSize: 29 },
      { name: '', type: 8, bitOffset: 32, bitfieldSize: 0 },
    ],
  }); // 7
  b.add({
    kind: 'union',
    name: '',
    size: 4,
    kindFlag: false,
    members: [
      { name: 'i', type: int, bitOffset: 0, bitfieldSize: 0 },
      { name: 'f', type: 18, bitOffset: 0, bitfieldSize: 0 },
    ],
  }); // 8
  b.add({
    kind: 'enum',
    name: 'sign',
    size: 4,
    signed: true,
    values: [
      { name: 'NEG', value: -7 },
      { name: 'POS', value: 2147483647 },
    ],
  }); // 9
  b.add({
    kind: 'enum',
    name: 'plain',
    size: 4,
    signed: false,
    values: [{ name: 'TOP', value: 4294967295 }],
  }); // 10
  b.add({
    kind: 'enum64',
    name: 'wide',
    size: 8,
    signed: false,
    values: [
      { name: 'W_MAX', value: 0xffffffffffffffffn },
      { name: 'W_MID', value: 0x100000005n },
    ],
  }); // 11
  b.add({
    kind: 'enum64',
    name: 'swide',
    size: 8,
    signed: true,
    values: [
      { name: 'S_MIN', value: -0x8000000000000000n },
      { name: 'S_NEG', value: -2n },
    ],
  }); // 12
  b.add({ kind: 'fwd', name: 'later_struct', fwdKind: 'struct' }); // 13
  b.add({ kind: 'fwd', name: 'later_union', fwdKind: 'union' }); // 14
  b.add({ kind: 'typedef', name: 'int_t', type: int }); // 15
  b.add({ kind: 'volatile', name: '', type: 15 }); // 16
  b.add({ kind: 'const', name: '', type: 16 }); // 17
  b.add({ kind: 'float', name: 'float', size: 4 }); // 18
  b.add({ kind: 'restrict', name: '', type: 5 }); // 19
  b.add({ kind: 'type_tag', name: 'user', type: int }); // 20
  b.add({ kind: 'ptr', name: '', type: 20 }); // 21
  b.add({
    kind: 'func_proto',
    name: '',
    returnType: int,
    params: [
      { name: 'a', type: int },
      { name: 'p', type: 21 },
      { name: '', type: 0 }, // ...
    ],
  }); // 22
  const linkages: BtfLinkage[] = ['static', 'global', 'extern'];
  for (const linkage of linkages) b.add({ kind: 'func', name: `f_${linkage}`, type: 22, linkage }); // 23..25
  for (const linkage of linkages) b.add({ kind: 'var', name: `v_${linkage}`, type: 17, linkage }); // 26..28
  b.add({ kind: 'decl_tag', name: 'on_func', type: 23, componentIdx: -1 }); // 29
  b.add({ kind: 'decl_tag', name: 'on_param', type: 23, componentIdx: 1 }); // 30
  b.add({ kind: 'decl_tag', name: 'on_member', type: 7, componentIdx: 0 }); // 31
  b.add({
    kind: 'datasec',
    name: '.data',
    size: 12,
    vars: [
      { type: 26, offset: 0, size: 4 },
      { type: 27, offset: 4, size: 4 },
      { type: 0, offset: 8, size: 4 },
    ],
  }); // 32
  // kind_flag on tags (kernel 6.14+: the tag is a whole attribute); bpftool v7.1 prints them as before.
  b.add({ kind: 'type_tag', name: 'attr_tag', type: int, attribute: true }); // 33
  b.add({ kind: 'decl_tag', name: 'attr_decl', type: 26, componentIdx: -1, attribute: true }); // 34
  return b;
}

describe('BtfBuilder', () => {
  it('interns each string once and keeps offset 0 for the empty string', () => {
    const b = new BtfBuilder();
    const first = b.addString('alpha');
    expect(b.addString('alpha')).toBe(first);
    expect(b.addString('')).toBe(0);
    const second = b.addString('beta');
    expect(second).toBe(first + 'alpha'.length + 1);
    b.add({ kind: 'int', name: 'alpha', size: 4, encoding: 'none', bitOffset: 0, bits: 32 });
    expect(b.types[1].nameOff).toBe(first);
    expect(new TextDecoder().decode(b.strings())).toBe('\0alpha\0beta\0');
  });

  it('grows its string table past the first allocation', () => {
    const b = new BtfBuilder();
    const names = Array.from({ length: 500 }, (_, i) => `name_${i}`);
    const offsets = names.map((name) => b.addString(name));
    const btf = b.build();
    expect(offsets.map((offset) => btf.stringAt(offset))).toEqual(names);
  });

  it('refuses strings with NUL, void drafts and dangling references', () => {
    const b = new BtfBuilder();
    expect(() => b.addString('a\0b')).toThrow(BtfError);
    expect(() => b.add({ kind: 'void', name: '' })).toThrow(BtfError);
    b.add({ kind: 'ptr', name: '', type: 5 });
    expect(() => b.build()).toThrow(/invalid referenced type ID 5/);
  });

  it('encodes every kind so that bpftool prints what formatBtfRaw prints', () => {
    const bytes = everyKind().encode();
    const btf = parseBtf(bytes);
    expect(new Set(btf.types.map((t) => t.kind)).size).toBe(20); // 19 kinds and void
    expect(formatBtfRaw(btf).split('\n')).toEqual(bpftoolRawDump(bytes).split('\n'));
  });

  it('parses back exactly the types it built', () => {
    const builder = everyKind();
    const btf = parseBtf(builder.encode());
    expect(btf.types).toEqual(builder.types);
    expect(btf.strings).toEqual(builder.strings());
  });

  it('continues an existing BTF with the same ids and string offsets', () => {
    const base = parseBtf(everyKind().encode());
    const builder = BtfBuilder.from(base);
    expect(builder.addString('wide')).toBe(base.typeById(11).nameOff);
    const id = builder.add({ kind: 'ptr', name: '', type: 7 });
    expect(id).toBe(base.typeCount + 1);
    const grown = builder.encode();
    const reparsed = parseBtf(grown);
    expect(reparsed.types.slice(0, base.types.length)).toEqual(base.types);
    expect(reparsed.strings.subarray(0, base.strings.length)).toEqual(base.strings);
    expect(reparsed.resolveSize(id)).toBe(8);
  });

  it('fits merging: a second BTF appended with shifted ids keeps its meaning', () => {
    const first = parseBtf(everyKind().encode());
    const second = parseBtf(everyKind().encode());
    const merged = BtfBuilder.from(first);
    const shift = first.typeCount;
    for (const type of second.types.slice(1)) {
      merged.add(mapTypeRefs(type, (id) => (id === 0 ? 0 : id + shift)) as BtfTypeDraft);
    }
    const btf = merged.build();
    expect(btf.typeCount).toBe(2 * shift);
    expect(btf.strings.length).toBe(first.strings.length); // every name already interned
    for (let id = 1; id <= shift; id++) {
      expect(btf.nameOf(id + shift)).toBe(second.nameOf(id));
      expect(typeRefs(btf.typeById(id + shift))).toEqual(
        typeRefs(second.typeById(id)).map((r) => (r ? r + shift : 0)),
      );
    }
    expect(btf.findAllByName('flags', 'struct')).toEqual([7, 7 + shift]);
    expect(btf.resolveSize(17 + shift)).toBe(4);
  });
});

// ---- property: arbitrary well-formed models survive encode → parse unchanged ----

const name = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/));
const u32 = fc.nat(0xffffffff);
const ref = fc.nat(40); // folded into range once the list length is known
const linkage = fc.constantFrom<BtfLinkage>('static', 'global', 'extern');

const draft: fc.Arbitrary<BtfTypeDraft> = fc.oneof(
  fc.record({
    kind: fc.constant('int' as const),
    name,
    size: fc.constantFrom(1, 2, 4, 8, 16),
    encoding: fc.constantFrom('none' as const, 'signed' as const, 'char' as const, 'bool' as const),
    bitOffset: fc.nat(255),
    bits: fc.nat(255),
  }),
  fc.record({
    kind: fc.constantFrom('ptr' as const, 'typedef' as const, 'volatile' as const, 'const' as const),
    name,
    type: ref,
  }),
  fc.record({ kind: fc.constantFrom('restrict' as const, 'type_tag' as const), name, type: ref }),
  fc.record({ kind: fc.constant('array' as const), name, type: ref, indexType: ref, nelems: u32 }),
  fc.record({
    kind: fc.constantFrom('struct' as const, 'union' as const),
    name,
    size: u32,
    kindFlag: fc.constant(true),
    members: fc.array(
      fc.record({ name, type: ref, bitOffset: fc.nat(0xffffff), bitfieldSize: fc.nat(255) }),
      { maxLength: 5 },
    ),
  }),
  fc.record({
    kind: fc.constantFrom('struct' as const, 'union' as const),
    name,
    size: u32,
    kindFlag: fc.constant(false),
    members: fc.array(fc.record({ name, type: ref, bitOffset: u32, bitfieldSize: fc.constant(0) }), {
      maxLength: 5,
    }),
  }),
  fc.boolean().chain((signed) =>
    fc.record({
      kind: fc.constant('enum' as const),
      name,
      size: fc.constantFrom(1, 2, 4),
      signed: fc.constant(signed),
      values: fc.array(
        fc.record({ name, value: signed ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : u32 }),
        {
          maxLength: 4,
        },
      ),
    }),
  ),
  fc.boolean().chain((signed) =>
    fc.record({
      kind: fc.constant('enum64' as const),
      name,
      size: fc.constant(8),
      signed: fc.constant(signed),
      values: fc.array(
        fc.record({
          name,
          value: signed
            ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
            : fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        }),
        {
          maxLength: 4,
        },
      ),
    }),
  ),
  fc.record({
    kind: fc.constant('fwd' as const),
    name,
    fwdKind: fc.constantFrom('struct' as const, 'union' as const),
  }),
  fc.record({ kind: fc.constant('func' as const), name, type: ref, linkage }),
  fc.record({
    kind: fc.constant('func_proto' as const),
    name,
    returnType: ref,
    params: fc.array(fc.record({ name, type: ref }), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('var' as const), name, type: ref, linkage }),
  fc.record({
    kind: fc.constant('datasec' as const),
    name,
    size: u32,
    vars: fc.array(fc.record({ type: ref, offset: u32, size: u32 }), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('float' as const), name, size: fc.constantFrom(2, 4, 8, 12, 16) }),
  fc.record({
    kind: fc.constant('decl_tag' as const),
    name,
    type: ref,
    componentIdx: fc.integer({ min: -1, max: 100 }),
  }),
);

describe('BTF encoding properties', () => {
  it('encode → parse gives back the built types and strings, and encodes to the same bytes again', () => {
    fc.assert(
      fc.property(fc.array(draft, { minLength: 1, maxLength: 30 }), (drafts) => {
        const builder = new BtfBuilder();
        for (const d of drafts) {
          // Fold references into the ids that will exist (forward references are legal BTF).
          builder.add(mapTypeRefs(d as never, (id: number) => id % (drafts.length + 1)) as BtfTypeDraft);
        }
        const bytes = builder.encode();
        const btf = parseBtf(bytes);
        expect(btf.types).toEqual(builder.types);
        expect(btf.strings).toEqual(builder.strings());
        expect(encodeBtf(btf)).toEqual(bytes);
        expect(formatBtfRaw(btf).split('\n').length).toBeGreaterThan(drafts.length);
      }),
      { numRuns: 500 },
    );
  });
});
