// Tests of the DATASEC fix-up at open, against the layout the kernel shows for the loaded object.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openObject } from './open-object.js';

describe('DATASEC fix-up at open (libbpf btf_fixup_datasec)', () => {
  it('gives the sizes and offsets clang left 0, sorted by offset, as the kernel receives them', () => {
    const object = openObject(new Uint8Array(readFileSync('test/progs/btf_values.o')), 'btf_values.o');
    const btf = object.btf!;
    const layout = (name: string) => {
      const datasec = btf.typeById(btf.findByName(name, 'datasec')!);
      if (datasec.kind !== 'datasec') throw new Error(name);
      return { size: datasec.size, vars: datasec.vars.map((v) => [btf.nameOf(v.type), v.offset, v.size]) };
    };
    // `bpftool btf dump` of the loaded program's BTF shows the same (struct addr_info is 16 bytes, 2-aligned).
    expect(layout('.data')).toEqual({
      size: 18,
      vars: [
        ['adjust', 0, 2],
        ['gateway', 2, 16],
      ],
    });
    expect(layout('.rodata')).toEqual({
      size: 16,
      vars: [
        ['config_limit', 0, 4],
        ['config_name', 4, 12],
      ],
    });
    expect(layout('.bss')).toEqual({
      size: 12,
      vars: [
        ['packets_total', 0, 8],
        ['last_verdict', 8, 4],
      ],
    });
    const maps = layout('.maps');
    expect(maps.vars.map((v) => v[1])).toEqual([0, 32, 64, 96]);
  });
});
