// writeElf on hand-built specs: layout, symbol order, relocations, acceptance by LLVM tools, and refused specs.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { insn, readInsns, writeInsns } from '../isa/insn.js';
import {
  BPF_ALU64,
  BPF_CALL_INSN,
  BPF_EXIT_INSN,
  BPF_K,
  BPF_LD_IMM64,
  BPF_MOV,
  BPF_PSEUDO_CALL,
  BPF_X,
  BPF_ADD,
} from '../isa/opcodes.js';
import {
  BPF_RELOCATION_TYPES,
  R_BPF_64_32,
  R_BPF_64_64,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
} from './elf-constants.js';
import { ElfError } from './elf-error.js';
import { parseElf } from './elf-file.js';
import { type ElfWriteSection, type ElfWriteSpec, type ElfWriteSymbol, writeElf } from './elf-writer.js';

/** A spec whose lists tests may edit in place. */
type EditableSpec = ElfWriteSpec & { sections: ElfWriteSection[]; symbols: ElfWriteSymbol[] };

/** `add_one` in .text; `main` in xdp loads &value and calls add_one, as clang would lay them out. */
function twoFunctionSpec(): EditableSpec {
  const addOne = writeInsns([
    insn(BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0),
    insn(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),
    insn(BPF_EXIT_INSN, 0, 0, 0, 0),
  ]);
  const main = writeInsns([
    insn(BPF_LD_IMM64, 1, 0, 0, 0),
    insn(0, 0, 0, 0, 0),
    insn(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 41),
    insn(BPF_CALL_INSN, 0, BPF_PSEUDO_CALL, 0, -1),
    insn(BPF_EXIT_INSN, 0, 0, 0, 0),
  ]);
  return {
    sections: [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: addOne, addralign: 8 },
      { name: 'xdp', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: main, addralign: 8 },
      {
        name: '.data',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_WRITE,
        data: new Uint8Array(8).fill(7),
        addralign: 8,
      },
      { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, size: 64, addralign: 8 },
      {
        name: 'license',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_WRITE,
        data: new TextEncoder().encode('GPL\0'),
      },
    ],
    // Globals first on purpose: the writer must move the locals in front and renumber relocations.
    symbols: [
      { name: 'main', bind: STB_GLOBAL, type: STT_FUNC, section: 'xdp', size: main.length },
      { name: 'value', bind: STB_GLOBAL, type: STT_OBJECT, section: '.data', size: 8 },
      { name: 'scratch', bind: STB_GLOBAL, type: STT_OBJECT, section: '.bss', size: 64 },
      { name: 'LICENSE', bind: STB_GLOBAL, type: STT_OBJECT, section: 'license', size: 4 },
      { name: 'two.c', bind: STB_LOCAL, type: STT_FILE, section: SHN_ABS },
      { name: '', bind: STB_LOCAL, type: STT_SECTION, section: '.text' },
      { name: 'add_one', bind: STB_LOCAL, type: STT_FUNC, section: '.text', size: addOne.length },
    ],
    relocations: [
      {
        section: 'xdp',
        relocations: [
          { offset: 0, type: R_BPF_64_64, symbol: 'value' },
          { offset: 24, type: R_BPF_64_32, symbol: 'add_one' },
        ],
      },
    ],
  };
}

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-elf-writer-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0 || result.stderr !== '') {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

describe('writeElf on a hand-built spec', () => {
  const bytes = writeElf(twoFunctionSpec());
  const elf = parseElf(bytes, 'two.o');

  it('lays out the null section, the given sections with .rel right after its target, .symtab and .strtab', () => {
    expect(elf.sections.map((s) => [s.name, s.type])).toEqual([
      ['', 0],
      ['.text', SHT_PROGBITS],
      ['xdp', SHT_PROGBITS],
      ['.relxdp', SHT_REL],
      ['.data', SHT_PROGBITS],
      ['.bss', SHT_NOBITS],
      ['license', SHT_PROGBITS],
      ['.symtab', SHT_SYMTAB],
      ['.strtab', SHT_STRTAB],
    ]);
    const rel = elf.sectionByName('.relxdp')!;
    expect({
      flags: rel.flags,
      link: rel.link,
      info: rel.info,
      entsize: rel.entsize,
      addralign: rel.addralign,
    }).toEqual({
      flags: SHF_INFO_LINK,
      link: 7,
      info: 2,
      entsize: 16,
      addralign: 8,
    });
    const symtab = elf.sectionByName('.symtab')!;
    expect({ link: symtab.link, entsize: symtab.entsize, addralign: symtab.addralign }).toEqual({
      link: 8,
      entsize: 24,
      addralign: 8,
    });
    expect(elf.header.shstrndx).toBe(8);
    expect(elf.header.shoff % 8).toBe(0);
    expect(elf.header.shoff + 9 * 64).toBe(bytes.length);
    for (const section of elf.sections)
      if (section.addralign > 1) expect(section.offset % section.addralign).toBe(0);
    expect(elf.sectionByName('.bss')).toMatchObject({ size: 64, data: new Uint8Array(0) });
    expect(readInsns(elf.sectionByName('xdp')!.data)).toEqual(readInsns(twoFunctionSpec().sections[1].data!));
  });

  it('puts locals first, sets sh_info to the first global, and renumbers relocations to match', () => {
    expect(elf.symbols.map((s) => [s.index, s.name, s.bind, s.shndx])).toEqual([
      [0, '', STB_LOCAL, 0],
      [1, 'two.c', STB_LOCAL, SHN_ABS],
      [2, '', STB_LOCAL, 1],
      [3, 'add_one', STB_LOCAL, 1],
      [4, 'main', STB_GLOBAL, 2],
      [5, 'value', STB_GLOBAL, 4],
      [6, 'scratch', STB_GLOBAL, 5],
      [7, 'LICENSE', STB_GLOBAL, 6],
    ]);
    expect(elf.firstGlobalSymbol).toBe(4);
    expect(elf.sectionByName('.symtab')!.info).toBe(4);
    expect(elf.relocations).toHaveLength(1);
    const [group] = elf.relocations;
    expect(group.target.name).toBe('xdp');
    expect(group.relocations.map((r) => [r.offset, r.type, elf.symbols[r.symbol].name])).toEqual([
      [0, R_BPF_64_64, 'value'],
      [24, R_BPF_64_32, 'add_one'],
    ]);
  });

  it('is deterministic and names symbols by number as well as by name', () => {
    expect(writeElf(twoFunctionSpec())).toEqual(bytes);
    const byNumber = twoFunctionSpec();
    byNumber.relocations = [
      {
        section: 'xdp',
        relocations: [
          { offset: 0, type: R_BPF_64_64, symbol: 2 },
          { offset: 24, type: R_BPF_64_32, symbol: 7 },
        ],
      },
    ];
    expect(writeElf(byNumber)).toEqual(bytes);
  });

  it('is read by llvm-readelf and llvm-objdump, which see the functions and relocations', () => {
    const path = join(workDir, 'two.o');
    writeFileSync(path, bytes);
    run('llvm-readelf-14', ['-a', path]);
    const disassembly = run('llvm-objdump-14', ['-d', '-r', path]);
    expect(disassembly).toMatch(/<add_one>:\n\s+0:\s+bf 10 00 00 00 00 00 00\s+r0 = r1/);
    expect(disassembly).toMatch(
      /<main>:\n\s+0:\s+18 01( 00){14}\s+r1 = 0 ll\n\s+0000000000000000:\s+R_BPF_64_64\s+value/,
    );
    expect(disassembly).toMatch(/call -1\n\s+0000000000000018:\s+R_BPF_64_32\s+add_one/);
    const symbols = run('llvm-readelf-14', ['-s', path]);
    expect(symbols).toMatch(/3: 0000000000000000\s+24 FUNC\s+LOCAL\s+DEFAULT\s+1 add_one/);
    expect(symbols).toMatch(/6: 0000000000000000\s+64 OBJECT\s+GLOBAL\s+DEFAULT\s+5 scratch/);
  });

  it('writes an empty object: null section, .symtab with the null symbol, .strtab', () => {
    const empty = parseElf(writeElf({ sections: [], symbols: [] }));
    expect(empty.sections.map((s) => s.name)).toEqual(['', '.symtab', '.strtab']);
    expect(empty.symbols).toHaveLength(1);
    expect(empty.firstGlobalSymbol).toBe(1);
  });
});

describe('writeElf refuses inconsistent specs with ElfError', () => {
  const refused = (change: (spec: EditableSpec) => void, reason: RegExp, section?: string) => {
    const spec = twoFunctionSpec();
    change(spec);
    let error: unknown;
    try {
      writeElf(spec);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ElfError);
    expect((error as ElfError).reason).toMatch(reason);
    expect((error as ElfError).section).toBe(section);
    expect((error as ElfError).file).toBe('<output>');
  };

  it('refuses duplicate, reserved and writer-owned sections', () => {
    refused((s) => s.sections.push({ name: 'xdp', type: SHT_PROGBITS }), /duplicate section name/, 'xdp');
    refused(
      (s) => s.sections.push({ name: '.symtab', type: SHT_PROGBITS }),
      /creates this section itself/,
      '.symtab',
    );
    refused(
      (s) => s.sections.push({ name: '.relxdp', type: SHT_PROGBITS }),
      /creates this section itself/,
      '.relxdp',
    );
    refused((s) => s.sections.push({ name: '.rel.x', type: SHT_REL }), /created by the writer/, '.rel.x');
  });

  it('refuses bad section fields', () => {
    refused((s) => (s.sections[0].addralign = 3), /sh_addralign 3 is not a power of two/, '.text');
    refused((s) => (s.sections[0].addralign = 1 << 20), /larger than 4096/, '.text');
    refused((s) => (s.sections[3].data = new Uint8Array(1)), /SHT_NOBITS sections have no data/, '.bss');
    refused((s) => (s.sections[0].link = 'nowhere'), /sh_link names section 'nowhere'/, '.text');
    refused((s) => (s.sections[0].flags = -1), /sh_flags -1 is not an unsigned 53-bit integer/, '.text');
    refused((s) => (s.sections[0].name = 'a\0b'), /contains a NUL character/, 'a\0b');
  });

  it('refuses bad symbols', () => {
    refused((s) => (s.symbols[0].section = 'nowhere'), /symbol 'main' is in section 'nowhere'/, '.symtab');
    refused((s) => (s.symbols[0].section = 3), /section index 3 is not a special index/, '.symtab');
    refused((s) => (s.symbols[0].bind = 16), /symbol 'main': bad binding 16/, '.symtab');
    refused(
      (s) => (s.symbols[0].value = 2 ** 53),
      /symbol 'main' value 9007199254740992 is not an unsigned/,
      '.symtab',
    );
  });

  it('refuses bad relocations', () => {
    const relocate = (
      spec: ElfWriteSpec,
      relocation: { offset: number; type: number; symbol: string | number },
    ) => {
      spec.relocations = [{ section: 'xdp', relocations: [relocation] }];
    };
    refused(
      (s) => relocate(s, { offset: 40, type: R_BPF_64_32, symbol: 'add_one' }),
      /relocation #0 at 40 \(8 bytes\) is beyond the section's 40 bytes/,
      '.relxdp',
    );
    refused(
      (s) => relocate(s, { offset: 0, type: R_BPF_64_64, symbol: 'missing' }),
      /names symbol 'missing', which is not in the spec/,
      '.relxdp',
    );
    const twoSectionSymbols = (s: EditableSpec) => {
      s.symbols.push({ name: '', bind: STB_LOCAL, type: STT_SECTION, section: 'xdp' });
      relocate(s, { offset: 0, type: R_BPF_64_64, symbol: '' });
    };
    refused(twoSectionSymbols, /names symbol '', which is ambiguous/, '.relxdp');
    refused(
      (s) => relocate(s, { offset: 0, type: R_BPF_64_64, symbol: 8 }),
      /points to missing symbol #8/,
      '.relxdp',
    );
    refused(
      (s) => (s.relocations = [{ section: 'nowhere', relocations: [{ offset: 0, type: 1, symbol: 0 }] }]),
      /relocations for a section that is not in the spec/,
      'nowhere',
    );
  });
});

/** Random specs the writer must accept: unique section names, symbols in them, relocations inside them. */
const specArbitrary: fc.Arbitrary<ElfWriteSpec> = fc
  .uniqueArray(
    fc
      .stringMatching(/^[.a-z_/0-9]{1,10}$/)
      .filter((name) => !name.startsWith('.rel') && name !== '.symtab' && name !== '.strtab'),
    { maxLength: 6 },
  )
  .chain((names) =>
    fc
      .tuple(
        fc.tuple(
          ...names.map((name) =>
            fc.record({
              name: fc.constant(name),
              nobits: fc.boolean(),
              data: fc.uint8Array({ maxLength: 64 }),
              size: fc.nat(5000),
              flags: fc.subarray([SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR, 0x80000000]),
              addralign: fc.constantFrom(0, 1, 2, 4, 8, 16),
              entsize: fc.nat(16),
            }),
          ),
        ),
        fc.array(
          fc.record({
            name: fc.stringMatching(/^[a-z_]{0,6}$/),
            bind: fc.constantFrom(0, 1, 2),
            type: fc.nat(4),
            visibility: fc.nat(3),
            section:
              names.length > 0
                ? fc.oneof(fc.constantFrom(...names), fc.constantFrom(0, 0xfff1, 0xfff2))
                : fc.constantFrom(0, 0xfff1),
            value: fc.nat(),
            size: fc.nat(),
          }),
          { maxLength: 8 },
        ),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom(...Object.keys(BPF_RELOCATION_TYPES).map(Number)),
            fc.nat(),
            fc.nat(),
          ),
          {
            maxLength: 12,
          },
        ),
      )
      .map(([rawSections, symbols, rawRelocations]) => {
        const sections: ElfWriteSection[] = rawSections.map((s) => ({
          name: s.name,
          type: s.nobits ? SHT_NOBITS : SHT_PROGBITS,
          flags: s.flags.reduce((all, flag) => all + flag, 0),
          ...(s.nobits ? { size: s.size } : { data: s.data }),
          addralign: s.addralign,
          entsize: s.entsize,
        }));
        const relocatable = sections.filter((s) => (s.data?.length ?? 0) >= 16);
        const relocations = rawRelocations
          .filter(() => relocatable.length > 0)
          .map(([which, type, offset, symbol]) => {
            const target = relocatable[which % relocatable.length];
            const room = target.data!.length - BPF_RELOCATION_TYPES[type].width;
            return {
              section: target.name,
              relocations: [{ offset: offset % (room + 1), type, symbol: symbol % (symbols.length + 1) }],
            };
          });
        return { sections, symbols, relocations };
      }),
  );

describe('writeElf on random specs', () => {
  it('writes files that parse back to the spec, locals first, relocations following their symbols', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        const bytes = writeElf(spec);
        expect(writeElf(spec)).toEqual(bytes);
        const elf = parseElf(bytes);
        const given = elf.sections.filter((s) => spec.sections.some((g) => g.name === s.name));
        expect(given.map((s) => s.name)).toEqual(spec.sections.map((s) => s.name));
        spec.sections.forEach((expected, i) => {
          const section = given[i];
          expect({
            type: section.type,
            flags: section.flags,
            addralign: section.addralign,
            entsize: section.entsize,
          }).toEqual({
            type: expected.type,
            flags: expected.flags,
            addralign: expected.addralign,
            entsize: expected.entsize,
          });
          if (expected.type === SHT_NOBITS) expect(section.size).toBe(expected.size);
          else expect(section.data).toEqual(expected.data);
          if (section.addralign > 1) expect(section.offset % section.addralign).toBe(0);
        });

        const order = [
          ...spec.symbols.filter((s) => s.bind === STB_LOCAL),
          ...spec.symbols.filter((s) => s.bind !== STB_LOCAL),
        ];
        const describeSpecSymbol = (s: ElfWriteSymbol) => ({
          name: s.name,
          bind: s.bind,
          type: s.type,
          visibility: s.visibility,
          value: s.value,
          size: s.size,
          section: s.section,
        });
        const describeParsedSymbol = (index: number) => {
          const s = elf.symbols[index];
          return {
            name: s.name,
            bind: s.bind,
            type: s.type,
            visibility: s.visibility,
            value: s.value,
            size: s.size,
            section: s.shndx >= 0xff00 || s.shndx === 0 ? s.shndx : elf.sections[s.shndx].name,
          };
        };
        expect(elf.symbols.slice(1).map((s) => describeParsedSymbol(s.index))).toEqual(
          order.map(describeSpecSymbol),
        );
        expect(elf.firstGlobalSymbol).toBe(1 + spec.symbols.filter((s) => s.bind === STB_LOCAL).length);

        const expectedRelocations = new Map<string, { offset: number; type: number; symbol: unknown }[]>();
        for (const group of spec.relocations ?? []) {
          const list = expectedRelocations.get(group.section) ?? [];
          for (const r of group.relocations) {
            const symbol =
              r.symbol === 0 ? 'null' : describeSpecSymbol(spec.symbols[(r.symbol as number) - 1]);
            list.push({ offset: r.offset, type: r.type, symbol });
          }
          expectedRelocations.set(group.section, list);
        }
        expect(
          new Map(
            elf.relocations.map((group) => [
              group.target.name,
              group.relocations.map((r) => ({
                offset: r.offset,
                type: r.type,
                symbol: r.symbol === 0 ? 'null' : describeParsedSymbol(r.symbol),
              })),
            ]),
          ),
        ).toEqual(expectedRelocations);
      }),
      { numRuns: 300 },
    );
  });
});
