// JSON → bytes by BTF type: hand-built types, clang's own initialisers of the same C values, and random bitfields.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileBpf } from '../../test/clang.js';
import { parseElf } from '../elf/index.js';
import { BtfBuilder } from './btf-builder.js';
import { BtfValueError, encodeBtfValue } from './btf-value-encode.js';
import { parseBtf } from './parse-btf.js';

function sampleBtf() {
  const b = new BtfBuilder();
  const u32 = b.add({ kind: 'int', name: 'unsigned int', size: 4, encoding: 'none', bitOffset: 0, bits: 32 });
  const s16 = b.add({ kind: 'int', name: 'short', size: 2, encoding: 'signed', bitOffset: 0, bits: 16 });
  const u64 = b.add({
    kind: 'int',
    name: 'long long unsigned int',
    size: 8,
    encoding: 'none',
    bitOffset: 0,
    bits: 64,
  });
  const char = b.add({ kind: 'int', name: 'char', size: 1, encoding: 'char', bitOffset: 0, bits: 8 });
  const bool = b.add({ kind: 'int', name: '_Bool', size: 1, encoding: 'bool', bitOffset: 0, bits: 8 });
  const color = b.add({
    kind: 'enum',
    name: 'color',
    size: 4,
    signed: false,
    values: [
      { name: 'RED', value: 0 },
      { name: 'BLUE', value: 7 },
    ],
  });
  const u32Index = u32;
  const name = b.add({ kind: 'array', name: '', type: char, indexType: u32Index, nelems: 6 });
  const pair = b.add({ kind: 'array', name: '', type: s16, indexType: u32Index, nelems: 2 });
  const inner = b.add({
    kind: 'struct',
    name: '',
    size: 4,
    kindFlag: false,
    members: [{ name: 'port', type: u32, bitOffset: 0, bitfieldSize: 0 }],
  });
  const value = b.add({
    kind: 'struct',
    name: 'value',
    size: 40,
    kindFlag: true,
    members: [
      { name: 'count', type: u64, bitOffset: 0, bitfieldSize: 0 },
      { name: 'lo', type: u32, bitOffset: 64, bitfieldSize: 3 },
      { name: 'hi', type: u32, bitOffset: 67, bitfieldSize: 13 },
      { name: 'color', type: color, bitOffset: 96, bitfieldSize: 0 },
      { name: 'name', type: name, bitOffset: 128, bitfieldSize: 0 },
      { name: 'pair', type: pair, bitOffset: 176, bitfieldSize: 0 },
      { name: '', type: inner, bitOffset: 224, bitfieldSize: 0 },
      { name: 'on', type: bool, bitOffset: 256, bitfieldSize: 0 },
    ],
  });
  return { btf: b.build(), u32, s16, u64, color, value };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeBtfValue', () => {
  const t = sampleBtf();

  it('encodes integers from numbers and decimal or 0x strings, checking their range', () => {
    expect(hex(encodeBtfValue(t.btf, t.u32, 258))).toBe('02010000');
    expect(hex(encodeBtfValue(t.btf, t.s16, -2))).toBe('feff');
    expect(hex(encodeBtfValue(t.btf, t.u64, '18446744073709551615'))).toBe('ffffffffffffffff');
    expect(hex(encodeBtfValue(t.btf, t.u64, '0x0102'))).toBe('0201000000000000');
    expect(() => encodeBtfValue(t.btf, t.u32, -1)).toThrow('$: -1 does not fit u32');
    expect(() => encodeBtfValue(t.btf, t.s16, 40000)).toThrow('does not fit s16');
    expect(() => encodeBtfValue(t.btf, t.u64, 2 ** 60)).toThrow('write integers past 2^53 as strings');
    expect(() => encodeBtfValue(t.btf, t.u32, 'ten')).toThrow('expected an integer');
  });

  it('encodes enums by name or number', () => {
    expect(hex(encodeBtfValue(t.btf, t.color, 'BLUE'))).toBe('07000000');
    expect(hex(encodeBtfValue(t.btf, t.color, 3))).toBe('03000000');
    expect(() => encodeBtfValue(t.btf, t.color, 'GREEN')).toThrow(
      "'GREEN' is not a value of enum color (RED, BLUE)",
    );
  });

  it('encodes structs by member name, with bitfields, char arrays, anonymous members and bool', () => {
    const bytes = encodeBtfValue(t.btf, t.value, {
      count: '4294967296',
      lo: 5,
      hi: 0x1fff,
      color: 'BLUE',
      name: 'eth0',
      pair: [1, -1],
      port: 80,
      on: true,
    });
    expect(hex(bytes)).toBe(
      [
        '0000000001000000',
        'fdff0000',
        '07000000',
        '657468300000',
        '0100ffff',
        '0000',
        '50000000',
        '01',
        '00'.repeat(7),
      ].join(''),
    );
    expect(bytes.length).toBe(40);
  });

  it('names the JSON path of what does not fit', () => {
    const cases: [unknown, string][] = [
      [{ nope: 1 }, "$.nope: struct value has no member 'nope'"],
      [{ pair: [1] }, '$.pair: expected 2 elements, got 1'],
      [{ pair: [1, 'x'] }, '$.pair[1]: expected an integer'],
      [{ lo: 8 }, '$.lo: 8 does not fit u3'],
      [{ name: 'toolongname' }, '$.name: string of 11 bytes does not fit char[6]'],
      [[1, 2], '$: expected an object with the members of struct value'],
    ];
    for (const [value, message] of cases) {
      let caught: unknown;
      try {
        encodeBtfValue(t.btf, t.value, value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BtfValueError);
      expect((caught as Error).message).toContain(message);
    }
  });

  it('writes any bitfield value so that reading the bits back gives it (random layouts)', () => {
    let encoded = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ bits: fc.integer({ min: 1, max: 32 }), value: fc.nat() }), {
          minLength: 1,
          maxLength: 12,
        }),
        (fields) => {
          const b = new BtfBuilder();
          const u32 = b.add({ kind: 'int', name: 'u32', size: 4, encoding: 'none', bitOffset: 0, bits: 32 });
          let offset = 0;
          const members = fields.map((field, i) => {
            const member = { name: `f${i}`, type: u32, bitOffset: offset, bitfieldSize: field.bits };
            offset += field.bits;
            return member;
          });
          const size = Math.ceil(offset / 32) * 4;
          const struct = b.add({ kind: 'struct', name: 's', size, kindFlag: true, members });
          const btf = b.build();
          const json = Object.fromEntries(fields.map((f, i) => [`f${i}`, f.value % 2 ** f.bits]));
          const bytes = encodeBtfValue(btf, struct, json);
          let all = 0n;
          for (let i = bytes.length - 1; i >= 0; i--) all = (all << 8n) | BigInt(bytes[i]);
          for (const [i, member] of members.entries()) {
            const read = (all >> BigInt(member.bitOffset)) & ((1n << BigInt(member.bitfieldSize)) - 1n);
            expect(read).toBe(BigInt(json[`f${i}`]));
          }
          encoded++;
        },
      ),
      { numRuns: 200 },
    );
    expect(encoded).toBe(200);
  });
});

describe('encodeBtfValue against clang', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbpf-btf-encode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the bytes clang emits for the same initialiser of a nested type', () => {
    const source = `
enum mode { M_OFF = 0, M_ON = 5, M_AUTO = 300 };
struct flags { unsigned a : 3, b : 9; signed int c : 4; };
struct entry { unsigned char mac[6]; unsigned short vlan; };
struct config {
  unsigned long long id;
  enum mode mode;
  struct flags flags;
  struct entry entries[2];
  char name[8];
  union { unsigned int ip; unsigned char ip_bytes[4]; };
  signed char delta;
  _Bool on;
};
struct config cfg = {
  .id = 0x1122334455667788ULL, .mode = M_AUTO, .flags = { .a = 5, .b = 300, .c = -3 },
  .entries = { { .mac = { 1, 2, 3, 4, 5, 6 }, .vlan = 10 }, { .mac = { 9 }, .vlan = 65535 } },
  .name = "lb0", .ip = 0x0a000001, .delta = -7, .on = 1,
};
`;
    const object = compileBpf(dir, 'values', source);
    const elf = parseElf(new Uint8Array(readFileSync(object)), object);
    const btfSection = elf.sectionByName('.BTF');
    const data = elf.sectionByName('.data');
    expect(btfSection).toBeDefined();
    expect(data).toBeDefined();
    const btf = parseBtf(btfSection!.data);
    const typeId = btf.findByName('config', 'struct');
    expect(typeId).toBeDefined();
    const bytes = encodeBtfValue(btf, typeId!, {
      id: '1234605616436508552',
      mode: 'M_AUTO',
      flags: { a: 5, b: 300, c: -3 },
      entries: [
        { mac: [1, 2, 3, 4, 5, 6], vlan: 10 },
        { mac: [9, 0, 0, 0, 0, 0], vlan: '65535' },
      ],
      name: 'lb0',
      ip: 0x0a000001,
      delta: -7,
      on: true,
    });
    expect(hex(bytes)).toBe(hex(data!.data.subarray(0, bytes.length)));
  });
});
