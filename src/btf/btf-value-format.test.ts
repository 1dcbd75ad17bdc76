// Tests of formatBtfValue: every kind bpftool's btf_dumper prints, on hand-built BTF (the kernel comparison on a
// clang-built object is test/integration/map-dump-bpftool.test.ts), the writers, and random bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import {
  type BtfValueNode,
  btfValueToJs,
  btfValueToJson,
  btfValueToPretty,
  formatBtfValue,
} from './btf-value-format.js';

function types() {
  const b = new BtfBuilder();
  const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 }); // 1
  const u64 = b.add({
    kind: 'int',
    name: 'unsigned long long',
    size: 8,
    encoding: 'none',
    bitOffset: 0,
    bits: 64,
  }); // 2
  const char = b.add({ kind: 'int', name: 'char', size: 1, encoding: 'signed', bitOffset: 0, bits: 8 }); // 3
  const cchar = b.add({ kind: 'int', name: 'c', size: 1, encoding: 'char', bitOffset: 0, bits: 8 }); // 4
  const bool = b.add({ kind: 'int', name: '_Bool', size: 1, encoding: 'bool', bitOffset: 0, bits: 8 }); // 5
  const i128 = b.add({
    kind: 'int',
    name: '__int128',
    size: 16,
    encoding: 'signed',
    bitOffset: 0,
    bits: 128,
  }); // 6
  const charArray = b.add({ kind: 'array', name: '', type: char, indexType: int, nelems: 4 }); // 7
  const charTypedef = b.add({ kind: 'typedef', name: 'my_char', type: char }); // 8
  const typedefArray = b.add({ kind: 'array', name: '', type: charTypedef, indexType: int, nelems: 4 }); // 9
  const constChar = b.add({ kind: 'const', name: '', type: char }); // 10
  const constCharArray = b.add({ kind: 'array', name: '', type: constChar, indexType: int, nelems: 4 }); // 11
  const enumType = b.add({
    kind: 'enum',
    name: 'e',
    size: 4,
    signed: false,
    values: [
      { name: 'A', value: 1 },
      { name: 'MINUS', value: 0xffffffff },
    ],
  }); // 12
  const enum64 = b.add({
    kind: 'enum64',
    name: 'e64',
    size: 8,
    signed: false,
    values: [{ name: 'BIG', value: 0x1_0000_0000n }],
  }); // 13
  const ptr = b.add({ kind: 'ptr', name: '', type: int }); // 14
  const bits = b.add({
    kind: 'struct',
    name: 'bits',
    size: 8,
    kindFlag: true,
    members: [
      { name: 'a', type: int, bitOffset: 0, bitfieldSize: 3 },
      { name: 'b', type: int, bitOffset: 3, bitfieldSize: 13 },
      { name: 'c', type: u64, bitOffset: 16, bitfieldSize: 40 },
    ],
  }); // 15
  const inner = b.add({
    kind: 'union',
    name: '',
    size: 4,
    kindFlag: false,
    members: [
      { name: 'word', type: int, bitOffset: 0, bitfieldSize: 0 },
      { name: 'text', type: charArray, bitOffset: 0, bitfieldSize: 0 },
    ],
  }); // 16
  const outer = b.add({
    kind: 'struct',
    name: 'outer',
    size: 16,
    kindFlag: false,
    members: [
      { name: '', type: inner, bitOffset: 0, bitfieldSize: 0 },
      { name: 'kind', type: enumType, bitOffset: 32, bitfieldSize: 0 },
      { name: 'flag', type: bool, bitOffset: 64, bitfieldSize: 0 },
      { name: '', type: inner, bitOffset: 96, bitfieldSize: 0 },
    ],
  }); // 17
  const float = b.add({ kind: 'float', name: 'double', size: 8 }); // 18
  const v1 = b.add({ kind: 'var', name: 'x', type: int, linkage: 'global' }); // 19
  const v2 = b.add({ kind: 'var', name: 'name', type: charArray, linkage: 'global' }); // 20
  const datasec = b.add({
    kind: 'datasec',
    name: '.data',
    size: 8,
    vars: [
      { type: v1, offset: 0, size: 4 },
      { type: v2, offset: 4, size: 4 },
    ],
  }); // 21
  const proto = b.add({ kind: 'func_proto', name: '', returnType: int, params: [] }); // 22
  const odd = b.add({ kind: 'int', name: 'odd', size: 2, encoding: 'none', bitOffset: 3, bits: 9 }); // 23
  return {
    btf: b.build(),
    ids: {
      int,
      u64,
      char,
      cchar,
      bool,
      i128,
      charArray,
      typedefArray,
      constCharArray,
      enumType,
      enum64,
      ptr,
      bits,
      outer,
      float,
      datasec,
      proto,
      odd,
    },
  };
}

const { btf, ids } = types();
const bytes = (...values: number[]) => new Uint8Array(values);
const json = (id: number, data: Uint8Array, plainText = false) =>
  btfValueToJson(formatBtfValue(btf, id, data, { plainText }));

describe('formatBtfValue as bpftool -j prints', () => {
  it('integers by width and signedness, 64-bit exact, 128-bit as a hex string', () => {
    expect(json(ids.int, bytes(0xff, 0xff, 0xff, 0xff))).toBe('-1');
    expect(json(ids.u64, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe('18446744073709551615');
    expect(json(ids.char, bytes(0x80))).toBe('-128');
    const wide = new Uint8Array(16);
    wide[0] = 1;
    wide[8] = 0xab;
    expect(json(ids.i128, wide)).toBe('"0xab0000000000000001"');
    wide[8] = 0;
    expect(json(ids.i128, wide)).toBe('"0x1"');
  });

  it('an INT with a bit offset or odd bits is a bitfield: hex of the bits', () => {
    // bits 3..11 of 0xaaf8: 0x155f & 0x1ff = 0x15f
    expect(json(ids.odd, bytes(0xf8, 0xaa))).toBe('"0x15f"');
  });

  it('CHAR-encoded ints as one-character strings, unprintable ones escaped (bare hex in plain text)', () => {
    expect(json(ids.cchar, bytes(0x41))).toBe('"A"');
    expect(json(ids.cchar, bytes(0x07))).toBe('"\\u0007"');
    expect(json(ids.cchar, bytes(0xff))).toBe('"\\u00ff"');
    expect(json(ids.cchar, bytes(0x07), true)).toBe('0x7');
  });

  it('bool from its one byte', () => {
    expect(json(ids.bool, bytes(0))).toBe('false');
    expect(json(ids.bool, bytes(2))).toBe('true');
  });

  it('char arrays: a string up to the NUL when printable, else numbers; a typedef of char is no char', () => {
    expect(json(ids.charArray, bytes(0x68, 0x69, 0, 0x07))).toBe('"hi"');
    expect(json(ids.charArray, bytes(0x68, 0x69, 0x0a, 0))).toBe('[104,105,10,0]');
    // No NUL inside the array: numbers.
    expect(json(ids.charArray, bytes(0x61, 0x62, 0x63, 0x64))).toBe('[97,98,99,100]');
    expect(json(ids.typedefArray, bytes(0x68, 0x69, 0, 0))).toBe('[104,105,0,0]');
    expect(json(ids.constCharArray, bytes(0x68, 0x69, 0, 0))).toBe('"hi"');
    expect(json(ids.charArray, bytes(0x5c, 0x22, 0, 0))).toBe('"\\\\\\""');
  });

  it('enums by name when a value matches (as an s32), else the signed number; enum64 likewise', () => {
    expect(json(ids.enumType, bytes(1, 0, 0, 0))).toBe('"A"');
    expect(json(ids.enumType, bytes(0xff, 0xff, 0xff, 0xff))).toBe('"MINUS"');
    expect(json(ids.enumType, bytes(0xfe, 0xff, 0xff, 0xff))).toBe('-2');
    expect(json(ids.enum64, bytes(0, 0, 0, 0, 1, 0, 0, 0))).toBe('"BIG"');
    expect(json(ids.enum64, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe('-1');
  });

  it('pointers: unsigned decimal in JSON, %p in plain text', () => {
    const p = bytes(0x10, 0, 0, 0, 0, 0, 0, 0x80);
    expect(json(ids.ptr, p)).toBe('9223372036854775824');
    expect(json(ids.ptr, p, true)).toBe('0x8000000000000010');
    expect(json(ids.ptr, new Uint8Array(8), true)).toBe('(nil)');
  });

  it('struct bitfields (kind_flag) as hex strings, never sign-extended; bare in plain text', () => {
    // a = 0b101, b = 0x1fff (all ones: no sign extension), c = 0xab_cdef_0123
    const value = (BigInt(0xab_cdef_0123) << 16n) | (0x1fffn << 3n) | 5n;
    const data = new Uint8Array(8);
    new DataView(data.buffer).setBigUint64(0, value, true);
    expect(json(ids.bits, data)).toBe('{"a":"0x5","b":"0x1fff","c":"0xabcdef0123"}');
    expect(json(ids.bits, data, true)).toBe('{"a":0x5,"b":0x1fff,"c":0xabcdef0123}');
  });

  it('structs and unions member by member, anonymous members named "" (repeated), nested', () => {
    const data = bytes(0x6f, 0x6b, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x31, 0x32, 0x33, 0x34);
    expect(json(ids.outer, data)).toBe(
      '{"":{"word":27503,"text":"ok"},"kind":"A","flag":true,"":{"word":875770417,"text":[49,50,51,52]}}',
    );
  });

  it('a DATASEC as {name: [{var: value}, ...]}', () => {
    expect(json(ids.datasec, bytes(7, 0, 0, 0, 0x61, 0, 0, 0))).toBe('{".data":[{"x":7},{"name":"a"}]}');
  });

  it('floats as numbers (bpftool cannot print them)', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat64(0, 1.5, true);
    expect(json(ids.float, data)).toBe('1.5');
  });

  it('refuses types without a value and bytes shorter than the type, with BtfError', () => {
    expect(() => formatBtfValue(btf, ids.proto, new Uint8Array(8))).toThrow(BtfError);
    expect(() => formatBtfValue(btf, ids.outer, new Uint8Array(15))).toThrow(
      /shorter than the type's 16 bytes/,
    );
    expect(() => formatBtfValue(btf, 999, new Uint8Array(8))).toThrow(BtfError);
  });

  it('refuses members placed past the type (malformed BTF) with BtfError, not a RangeError', () => {
    const b = new BtfBuilder();
    const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 });
    const v = b.add({ kind: 'var', name: 'x', type: int, linkage: 'global' });
    const bad = b.add({ kind: 'datasec', name: '.data', size: 4, vars: [{ type: v, offset: 8, size: 4 }] });
    expect(() => formatBtfValue(b.build(), bad, new Uint8Array(4))).toThrow(/outside the value's 4 bytes/);
  });
});

describe('writers', () => {
  const node = formatBtfValue(btf, ids.outer, bytes(0x6f, 0x6b, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

  it('pretty text as bpftool lays it out (4 spaces a level, scalars in arrays on the bracket line)', () => {
    const list: BtfValueNode = { kind: 'array', items: [node] };
    expect(btfValueToPretty(list, 0)).toBe(
      [
        '[{',
        '        "": {',
        '            "word": 27503,',
        '            "text": "ok"',
        '        },',
        '        "kind": "A",',
        '        "flag": false,',
        '        "": {',
        '            "word": 0,',
        '            "text": ""',
        '        }',
        '    }',
        ']',
      ].join('\n'),
    );
    expect(btfValueToPretty({ kind: 'array', items: [] }, 0)).toBe('[]');
  });

  it('plain JavaScript values: safe integers as numbers, larger ones as decimal strings', () => {
    const big = formatBtfValue(btf, ids.u64, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(btfValueToJs(big)).toBe('18446744073709551615');
    expect(btfValueToJs(formatBtfValue(btf, ids.int, bytes(5, 0, 0, 0)))).toBe(5);
    expect(btfValueToJs(node)).toEqual({ '': { word: 0, text: '' }, kind: 'A', flag: false });
  });
});

describe('random bytes', () => {
  it('every type with a value formats any bytes into valid JSON of its shape', () => {
    const valued = [
      ids.int,
      ids.u64,
      ids.cchar,
      ids.bool,
      ids.i128,
      ids.charArray,
      ids.enumType,
      ids.enum64,
      ids.ptr,
      ids.bits,
      ids.outer,
      ids.datasec,
      ids.odd,
    ];
    let formatted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...valued),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.boolean(),
        (id, data, plainText) => {
          const node = formatBtfValue(btf, id, data, { plainText });
          if (!plainText) expect(() => JSON.parse(btfValueToJson(node))).not.toThrow();
          formatted++;
        },
      ),
      { numRuns: 500 },
    );
    // Every generated case reaches the formatter (16 bytes fit every type here).
    expect(formatted).toBe(500);
  });
});
