// Unit tests of .BTF parsing errors and of the Btf lookups (sizes, modifiers, names, strings).

import { describe, expect, it } from 'vitest';
import type { Btf } from './btf.js';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import { btfRecordSize } from './encode-btf.js';
import { parseBtf } from './parse-btf.js';

/** int, a struct of two ints, typedef → const → volatile → int, int[3][4], a pointer, a FWD and a FUNC. */
function sampleBuilder(): BtfBuilder {
  const b = new BtfBuilder();
  const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 }); // 1
  b.add({
    kind: 'struct',
    name: 'pair',
    size: 8,
    kindFlag: false,
    members: [
      { name: 'a', type: int, bitOffset: 0, bitfieldSize: 0 },
      { name: 'b', type: int, bitOffset: 32, bitfieldSize: 0 },
    ],
  }); // 2
  b.add({ kind: 'typedef', name: 'pair_t', type: 4 }); // 3 → const
  b.add({ kind: 'const', name: '', type: 5 }); // 4 → volatile
  b.add({ kind: 'volatile', name: '', type: 2 }); // 5 → struct pair
  b.add({ kind: 'array', name: '', type: int, indexType: int, nelems: 4 }); // 6: int[4]
  b.add({ kind: 'array', name: '', type: 6, indexType: int, nelems: 3 }); // 7: int[3][4]
  b.add({ kind: 'ptr', name: '', type: 2 }); // 8
  b.add({ kind: 'fwd', name: 'opaque', fwdKind: 'struct' }); // 9
  b.add({ kind: 'func_proto', name: '', returnType: int, params: [{ name: 'p', type: 8 }] }); // 10
  b.add({ kind: 'func', name: 'get', type: 10, linkage: 'global' }); // 11
  b.add({ kind: 'var', name: 'pairs', type: 7, linkage: 'global' }); // 12
  return b;
}

function sample(): Btf {
  return parseBtf(sampleBuilder().encode());
}

function bytesOf(b: BtfBuilder): Uint8Array {
  return b.encode();
}

function setU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

function btfErrorOf(run: () => unknown): BtfError {
  try {
    run();
  } catch (error) {
    if (error instanceof BtfError) return error;
    throw error;
  }
  throw new Error('expected a BtfError');
}

describe('Btf lookups', () => {
  it('resolves sizes through modifiers, arrays, pointers and variables', () => {
    const btf = sample();
    expect(btf.resolveSize(1)).toBe(4);
    expect(btf.resolveSize(2)).toBe(8);
    expect(btf.resolveSize(3)).toBe(8);
    expect(btf.resolveSize(6)).toBe(16);
    expect(btf.resolveSize(7)).toBe(48);
    expect(btf.resolveSize(8)).toBe(8);
    expect(btf.resolveSize(12)).toBe(48);
  });

  it('refuses sizes of void, FWD, FUNC and FUNC_PROTO', () => {
    const btf = sample();
    for (const id of [0, 9, 10, 11]) expect(() => btf.resolveSize(id)).toThrow(/has no size/);
  });

  it('skips typedef, const and volatile to the underlying type', () => {
    const btf = sample();
    expect(btf.skipModifiers(3)).toBe(2);
    expect(btf.skipModifiers(2)).toBe(2);
    expect(btf.skipModifiers(8)).toBe(8);
  });

  it('finds types by name and kind, and names ids', () => {
    const btf = sample();
    expect(btf.findByName('pair')).toBe(2);
    expect(btf.findByName('pair', 'struct')).toBe(2);
    expect(btf.findByName('pair', 'typedef')).toBeUndefined();
    expect(btf.findByName('nope')).toBeUndefined();
    expect(btf.nameOf(3)).toBe('pair_t');
    expect(btf.nameOf(0)).toBe('');
    expect(btf.nameOf(4)).toBe('');
    expect(btf.typeById(0).kind).toBe('void');
    expect(btf.typeCount).toBe(12);
    expect(() => btf.typeById(13)).toThrow(BtfError);
  });

  it('reads strings by offset and refuses offsets outside the table', () => {
    const btf = sample();
    const off = btf.typeById(2).nameOff;
    expect(btf.stringAt(off)).toBe('pair');
    expect(btf.stringAt(off + 1)).toBe('air');
    expect(btf.stringAt(0)).toBe('');
    const error = btfErrorOf(() => btf.stringAt(btf.strings.length));
    expect(error.section).toBe('.BTF');
    const bytes = bytesOf(sampleBuilder());
    // The string table ends the section, so one past its end is the section's length.
    expect(error.offset).toBe(bytes.length);
  });

  it('detects modifier loops instead of hanging', () => {
    const b = new BtfBuilder();
    b.add({ kind: 'typedef', name: 'a', type: 2 });
    b.add({ kind: 'const', name: '', type: 1 });
    b.add({ kind: 'array', name: '', type: 3, indexType: 0, nelems: 2 }); // an array of itself
    b.add({ kind: 'ptr', name: '', type: 4 }); // pointers to themselves are fine
    const btf = parseBtf(b.encode());
    const loop = btfErrorOf(() => btf.skipModifiers(1));
    expect(loop.message).toMatch(/loop/);
    expect(loop.typeId).toBeDefined();
    expect(() => btf.resolveSize(1)).toThrow(BtfError);
    expect(() => btf.resolveSize(3)).toThrow(/refers to itself/);
    expect(btf.resolveSize(4)).toBe(8);
    expect(btf.skipModifiers(4)).toBe(4);
  });

  it('refuses sizes that overflow 32 bits, as libbpf does', () => {
    const b = new BtfBuilder();
    b.add({ kind: 'int', name: 'long', size: 8, encoding: 'signed', bitOffset: 0, bits: 64 });
    b.add({ kind: 'array', name: '', type: 1, indexType: 1, nelems: 0x20000000 });
    b.add({ kind: 'array', name: '', type: 1, indexType: 1, nelems: 0x1fffffff });
    const btf = parseBtf(b.encode());
    expect(() => btf.resolveSize(2)).toThrow(/overflows/);
    expect(btf.resolveSize(3)).toBe(0x1fffffff * 8);
  });
});

describe('parseBtf refuses malformed input with BtfError', () => {
  const good = bytesOf(sampleBuilder());
  const typeLen = new DataView(good.buffer).getUint32(12, true);

  const cases: [string, Uint8Array, RegExp, number][] = [
    ['empty input', new Uint8Array(0), /BTF header not found/, 0],
    ['bad magic', setU32(good, 0, 0x0001eb9e), /Invalid BTF magic: eb9e/, 0],
    [
      'big-endian magic',
      (() => {
        const b = good.slice();
        b[0] = 0xeb;
        b[1] = 0x9f;
        return b;
      })(),
      /big-endian BTF is not supported/,
      0,
    ],
    [
      'version 2',
      (() => {
        const b = good.slice();
        b[2] = 2;
        return b;
      })(),
      /Unsupported BTF version: 2/,
      2,
    ],
    ['hdr_len past the end', setU32(good, 4, good.length + 1), /larger than data size/, 4],
    ['hdr_len below 24', setU32(good, 4, 16), /too small/, 4],
    ['strings past the end', setU32(good, 20, good.length), /Invalid BTF total size/, 16],
    ['types overlapping strings', setU32(good, 12, typeLen + 4), /Invalid BTF data sections layout/, 8],
    ['unaligned type section', setU32(setU32(good, 8, 2), 12, typeLen - 2), /not aligned/, 8],
    [
      'string table not starting with NUL',
      (() => {
        const b = good.slice();
        b[24 + typeLen] = 0x41;
        return b;
      })(),
      /Invalid BTF string section/,
      24 + typeLen,
    ],
    [
      'string table not ending with NUL',
      (() => {
        const b = good.slice();
        b[b.length - 1] = 0x41;
        return b;
      })(),
      /Invalid BTF string section/,
      24 + typeLen,
    ],
    ['unknown kind', setU32(good, 24 + 4, 20 << 24), /Unsupported BTF_KIND:20/, 28],
    ['name offset outside the strings', setU32(good, 24, 0x10000), /invalid name_off 65536/, 24],
    ['type id past the last type', setU32(good, 24 + 16 + 12 + 4, 99), /invalid referenced type ID 99/, 40],
    [
      'vlen overflowing the type section',
      setU32(good, 24 + 16 + 4, (4 << 24) | 0xffff),
      /STRUCT vlen 65535 overflows/,
      40,
    ],
    [
      'a truncated type header',
      setU32(good, 12, typeLen - 8),
      /BTF type \[12\] is malformed$/,
      24 + typeLen - 16,
    ],
    [
      'a truncated type body',
      setU32(good, 12, typeLen - 2),
      /BTF type \[12\] is malformed$/,
      24 + typeLen - 16,
    ],
    ['unsupported INT encoding', setU32(good, 24 + 12, 3 << 24), /unsupported int encoding 3/, 36],
  ];

  for (const [what, bytes, message, offset] of cases) {
    it(what, () => {
      const error = btfErrorOf(() => parseBtf(bytes, { file: 'x.o' }));
      expect(error.reason).toMatch(message);
      expect(error.offset).toBe(offset);
      expect(error.section).toBe('.BTF');
      expect(error.file).toBe('x.o');
      expect(error.message).toContain('x.o: .BTF at offset');
    });
  }

  it('bad FUNC and VAR linkage', () => {
    const btf = sample();
    // FUNC [11]: its record starts after the 10 types before it.
    let at = 24;
    for (let id = 1; id < 11; id++) at += btfRecordSize(btf.types[id]);
    const func = setU32(good, at + 4, (12 << 24) | 3);
    expect(btfErrorOf(() => parseBtf(func)).reason).toMatch(/invalid func linkage 3/);
    const varAt = at + 12;
    const badVar = setU32(good, varAt + 12, 7);
    expect(btfErrorOf(() => parseBtf(badVar)).reason).toMatch(/invalid var linkage 7/);
  });
});
