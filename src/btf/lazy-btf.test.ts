// LazyBtf against the full parser: the same types, names and lookups, on built BTF and on this machine's vmlinux;
// malformed input is a BtfError naming the file.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import { LazyBtf } from './lazy-btf.js';
import { parseBtf } from './parse-btf.js';

function sample(): Uint8Array {
  const b = new BtfBuilder();
  const int = b.add({ kind: 'int', name: 'int', size: 4, encoding: 'signed', bitOffset: 0, bits: 32 }); // 1
  const u8 = b.add({ kind: 'int', name: 'u8', size: 1, encoding: 'none', bitOffset: 0, bits: 8 }); // 2
  const typedef = b.add({ kind: 'typedef', name: 'u8_t', type: u8 }); // 3
  const arr = b.add({ kind: 'array', name: '', type: typedef, indexType: int, nelems: 6 }); // 4
  const fwd = b.add({ kind: 'fwd', name: 'later', fwdKind: 'struct' }); // 5
  const ptr = b.add({ kind: 'ptr', name: '', type: fwd }); // 6
  b.add({
    kind: 'struct',
    name: 'pair',
    size: 16,
    kindFlag: true,
    members: [
      { name: 'a', type: int, bitOffset: 0, bitfieldSize: 3 },
      { name: 'mac', type: arr, bitOffset: 8, bitfieldSize: 0 },
      { name: 'next', type: ptr, bitOffset: 64, bitfieldSize: 0 },
    ],
  }); // 7
  b.add({ kind: 'enum', name: 'colour', size: 4, signed: true, values: [{ name: 'RED', value: -1 }] }); // 8
  b.add({ kind: 'const', name: '', type: 7 }); // 9
  b.add({ kind: 'struct', name: 'pair', size: 0, kindFlag: false, members: [] }); // 10: a second of the name
  return b.encode();
}

describe('LazyBtf', () => {
  it('decodes every type as parseBtf does, and finds them by name', () => {
    const bytes = sample();
    const full = parseBtf(bytes);
    const lazy = new LazyBtf(bytes, { file: 'sample.btf' });
    expect(lazy.typeCount).toBe(full.typeCount);
    for (let id = 0; id <= full.typeCount; id++)
      expect(lazy.typeById(id), `[${id}]`).toEqual(full.typeById(id));
    expect(lazy.findAllByName('pair')).toEqual([7, 10]);
    expect(lazy.findAllByName('colour', 'enum')).toEqual([8]);
    expect(lazy.findAllByName('missing')).toEqual([]);
    expect(lazy.skipModifiers(9)).toBe(7);
    expect(lazy.resolveSize(4)).toBe(6);
    expect(lazy.resolveSize(9)).toBe(16);
  });

  it('refuses malformed BTF with a BtfError naming the file', () => {
    const bytes = sample();
    expect(() => new LazyBtf(bytes.subarray(0, 10), { file: 'cut.btf' })).toThrow(BtfError);
    // A type record cut in the middle: the last struct's members run past the type section.
    const truncated = bytes.slice();
    const view = new DataView(truncated.buffer);
    view.setUint32(12, view.getUint32(12, true) - 4, true); // type_len
    view.setUint32(16, view.getUint32(16, true) - 4, true); // str_off
    expect(() => new LazyBtf(truncated, { file: 'short.btf' })).toThrow(/short\.btf.*malformed|malformed/);
    // An unknown kind number in the first record's info.
    const badKind = bytes.slice();
    new DataView(badKind.buffer).setUint8(24 + 4 + 3, 0x1f);
    expect(() => new LazyBtf(badKind, { file: 'kind.btf' })).toThrow(/Unsupported BTF_KIND:31/);
    expect(() => new LazyBtf(bytes).typeById(99)).toThrow(BtfError);
  });

  const vmlinux = '/sys/kernel/btf/vmlinux';
  if (!existsSync(vmlinux)) console.warn(`SKIP LazyBtf on vmlinux: ${vmlinux} is missing`);
  it.skipIf(!existsSync(vmlinux))(
    "decodes the kernel's vmlinux BTF as parseBtf does (every 101st type)",
    () => {
      const bytes = new Uint8Array(readFileSync(vmlinux));
      const full = parseBtf(bytes);
      const lazy = new LazyBtf(bytes);
      expect(lazy.typeCount).toBe(full.typeCount);
      let compared = 0;
      for (let id = 1; id <= full.typeCount; id += 101) {
        expect(lazy.typeById(id)).toEqual(full.typeById(id));
        compared++;
      }
      expect(compared).toBeGreaterThan(1000);
      expect(lazy.findAllByName('sk_buff', 'struct')).toEqual(full.findAllByName('sk_buff', 'struct'));
    },
  );
});
