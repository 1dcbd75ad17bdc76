// String tables: lookups by offset, refusal of bad offsets, and the writer's tail-sharing layout.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringTable, StringTableBuilder } from './string-table.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('StringTable', () => {
  const table = new StringTable(encode('\0.text\0.rel.text\0héllo\0tail'));

  it('looks names up by byte offset, including tails of other names', () => {
    expect(table.lookup(0)).toEqual({ ok: true, value: '' });
    expect(table.lookup(1)).toEqual({ ok: true, value: '.text' });
    expect(table.lookup(7)).toEqual({ ok: true, value: '.rel.text' });
    expect(table.lookup(11)).toEqual({ ok: true, value: '.text' });
    expect(table.lookup(12)).toEqual({ ok: true, value: 'text' });
    expect(table.lookup(17)).toEqual({ ok: true, value: 'héllo' });
    // 'é' is two bytes: 'llo' starts 3 bytes after 'h'.
    expect(table.lookup(20)).toEqual({ ok: true, value: 'llo' });
  });

  it('refuses offsets outside the table and strings without a terminating NUL', () => {
    expect(table.lookup(table.size)).toEqual({
      ok: false,
      problem: `offset 0x${table.size.toString(16)} is outside the string table (size 0x${table.size.toString(16)})`,
    });
    expect(table.lookup(-1).ok).toBe(false);
    expect(table.lookup(25)).toEqual({ ok: false, problem: 'string at offset 0x19 is not NUL-terminated' });
    expect(new StringTable(new Uint8Array(0)).lookup(0).ok).toBe(false);
  });

  it('decodes valid UTF-8 as TextDecoder does, from every start offset of a character', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0'))), (names) => {
        const bytes = encode(`${names.join('\0')}\0`);
        const strings = new StringTable(bytes);
        let at = 0;
        for (const name of names) {
          expect(strings.lookup(at)).toEqual({ ok: true, value: name });
          at += encode(name).length + 1;
        }
      }),
    );
  });

  it('never throws on arbitrary bytes and offsets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: -2, max: 70 }), (bytes, offset) => {
        const result = new StringTable(bytes).lookup(offset);
        if (result.ok) {
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(bytes.indexOf(0, offset)).toBeGreaterThanOrEqual(offset);
          // Invalid bytes come out as U+FFFD; ASCII comes out unchanged.
          if (bytes.subarray(offset, bytes.indexOf(0, offset)).every((b) => b < 0x80)) {
            expect(result.value).toBe(
              String.fromCharCode(...bytes.subarray(offset, bytes.indexOf(0, offset))),
            );
          }
        }
      }),
    );
    expect(new StringTable(Uint8Array.from([0xff, 0x41, 0xc3, 0])).lookup(0)).toEqual({
      ok: true,
      value: '\ufffdA\ufffd',
    });
  });

  it('stays linear when many names point into one long unterminated run', () => {
    const bytes = new Uint8Array(200_000).fill(0x61);
    const strings = new StringTable(bytes);
    const start = performance.now();
    for (let offset = 0; offset < bytes.length; offset += 10) expect(strings.lookup(offset).ok).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('StringTableBuilder', () => {
  it('stores a name that ends another one inside it, as LLVM does', () => {
    const builder = new StringTableBuilder();
    for (const name of ['.text', '.rel.text', 'xdp', '.relxdp', '', '.symtab']) builder.add(name);
    const { bytes, offsetOf } = builder.finish();
    expect(offsetOf('')).toBe(0);
    expect(offsetOf('.text')).toBe(offsetOf('.rel.text') + 4);
    expect(offsetOf('xdp')).toBe(offsetOf('.relxdp') + 4);
    expect(bytes.length).toBe(1 + '.rel.text\0.relxdp\0.symtab\0'.length);
    expect(() => offsetOf('missing')).toThrow(/never added/);
  });

  it('gives a table where every name reads back, the same bytes for any insertion order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0'))), (names) => {
        const forward = new StringTableBuilder();
        const backward = new StringTableBuilder();
        for (const name of names) forward.add(name);
        for (const name of [...names].reverse()) backward.add(name);
        const built = forward.finish();
        expect(backward.finish().bytes).toEqual(built.bytes);
        expect(built.bytes[0]).toBe(0);
        const strings = new StringTable(built.bytes);
        for (const name of names) {
          const value = strings.lookup(built.offsetOf(name));
          expect(value.ok).toBe(true);
          // Lone surrogates do not survive UTF-8; compare what encoding keeps.
          if (value.ok) expect(encode(value.value)).toEqual(encode(name));
        }
      }),
    );
  });
});
