// Unit tests of the static linker on the split corpus in test/link: symbols, relocations, BTF, BTF.ext,
// determinism, input orders, and every LinkError.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BtfError, parseBtf, parseBtfExt } from '../btf/index.js';
import { ElfError, parseElf, SHN_UNDEF, STB_GLOBAL, STB_WEAK, STT_FUNC, STT_OBJECT } from '../elf/index.js';
import { BPF_LD_IMM64 } from '../isa/opcodes.js';
import { openObject } from '../object/open-object.js';
import { relocateProgram } from '../object/relocate-program.js';
import { LinkError } from './link-error.js';
import { type LinkInput, linkObjects } from './link-objects.js';

const LINK_DIR = join(import.meta.dirname, '..', '..', 'test', 'link');

function input(name: string): LinkInput {
  return { fileName: name.split('/').pop()!, bytes: new Uint8Array(readFileSync(join(LINK_DIR, name))) };
}

const PARTS = ['xdp_main.o', 'tc_main.o', 'parse.o', 'stats.o'].map(input);
const PROGRAMS = ['xdp_link_parse', 'tc_link_parse'];

function linkError(inputs: LinkInput[]): LinkError {
  try {
    linkObjects(inputs);
  } catch (error) {
    if (error instanceof LinkError) return error;
    throw error;
  }
  throw new Error('linked without error');
}

/** The parsed output with its BTF and BTF.ext. */
function inspect(bytes: Uint8Array) {
  const elf = parseElf(bytes, 'linked.o');
  const btf = parseBtf(elf.sectionByName('.BTF')!.data, { file: 'linked.o' });
  const ext = parseBtfExt(elf.sectionByName('.BTF.ext')!.data, btf, { file: 'linked.o' });
  return { elf, btf, ext };
}

describe('linking the split parser corpus', () => {
  const linked = linkObjects(PARTS);
  const { elf, btf, ext } = inspect(linked);
  const symbol = (name: string) => elf.symbols.find((s) => s.name === name && s.bind !== 0);

  it('resolves every extern to its definition and keeps one global per name', () => {
    for (const name of [
      'parse_packet',
      'note_proto',
      'record_flow',
      'flow_stats',
      'stats_calls',
      'parse_version',
    ]) {
      expect(symbol(name)?.shndx, name).not.toBe(SHN_UNDEF);
    }
    const globals = elf.symbols
      .filter((s) => s.bind === STB_GLOBAL || s.bind === STB_WEAK)
      .map((s) => s.name);
    expect(new Set(globals).size).toBe(globals.length);
    expect(symbol('proto_counts')?.bind).toBe(STB_WEAK);
    expect(elf.sectionByName('license')?.size).toBe(4);
  });

  it('places data of later objects after the earlier ones, at their alignment', () => {
    const stats = parseElf(PARTS[3].bytes, 'stats.o');
    const parse = parseElf(PARTS[2].bytes, 'parse.o');
    const bss = elf.sectionByName('.bss')!;
    const ownBss = [PARTS[0], PARTS[1], PARTS[2], PARTS[3]].map(
      (part) => parseElf(part.bytes, part.fileName).sectionByName('.bss')?.size ?? 0,
    );
    expect(bss.size).toBeGreaterThanOrEqual(ownBss.reduce((a, b) => a + b, 0));
    const statsCalls = stats.symbols.find((s) => s.name === 'stats_calls')!;
    expect(symbol('stats_calls')!.value).toBe(
      bss.size - stats.sectionByName('.bss')!.size + statsCalls.value,
    );
    const text = elf.sectionByName('.text')!;
    expect(text.size % 8).toBe(0);
    expect(symbol('parse_packet')!.size).toBe(parse.symbols.find((s) => s.name === 'parse_packet')!.size);
  });

  it('reads back with openObject: both programs, the BTF maps and the global data maps', () => {
    const object = openObject(linked, 'linked.o');
    expect(object.functions.filter((f) => f.isProgram).map((f) => f.name)).toEqual(PROGRAMS);
    const maps = object.maps.map((m) => [m.origin, m.section]);
    expect(maps).toEqual(
      expect.arrayContaining([
        ['btf', '.maps'],
        ['bss', '.bss'],
        ['data', '.data'],
        ['rodata', '.rodata'],
      ]),
    );
    expect(object.maps.filter((m) => m.origin === 'btf').map((m) => m.name)).toEqual([
      'proto_counts',
      'flow_stats',
    ]);
    const flowStats = object.maps.find((m) => m.name === 'flow_stats')!;
    expect([flowStats.type, flowStats.keySize, flowStats.valueSize, flowStats.maxEntries]).toEqual([
      1, 16, 16, 64,
    ]);
    for (const name of PROGRAMS) {
      const relocated = relocateProgram(object, name);
      const functions = relocated.functions.map((f) => f.name);
      expect(functions).toContain('parse_packet');
      expect(functions).toContain('note_proto');
      expect(relocated.funcInfo.length).toBe(relocated.functions.length);
    }
  });

  it('deduplicates identical types across objects and drops resolved externs from BTF', () => {
    const count = (name: string, kind: string) => btf.findAllByName(name, kind as 'int').length;
    expect(count('int', 'int')).toBe(1);
    expect(count('flow_key', 'struct')).toBe(1);
    expect(count('pkt_cursor', 'struct')).toBe(1);
    expect(count('__u32', 'typedef')).toBe(1);
    expect(count('parse_packet', 'func')).toBe(1);
    expect(count('flow_stats', 'var')).toBe(1);
    const externs = btf.types.filter(
      (t) => (t.kind === 'func' || t.kind === 'var') && t.linkage === 'extern',
    );
    expect(externs).toEqual([]);
    const sizes = PARTS.map((part) => parseBtf(parseElf(part.bytes).sectionByName('.BTF')!.data).typeCount);
    expect(btf.typeCount).toBeLessThan(sizes.reduce((a, b) => a + b, 0));
  });

  it('gives every DATASEC the merged size and each variable the offset and size of its symbol', () => {
    const datasecs = btf.types.filter((t) => t.kind === 'datasec');
    expect(new Set(datasecs.map((d) => d.name)).size).toBe(datasecs.length);
    for (const datasec of datasecs) {
      if (datasec.kind !== 'datasec') continue;
      const section = elf.sectionByName(datasec.name)!;
      expect(datasec.size, datasec.name).toBe(section.size);
      let end = 0;
      for (const secinfo of datasec.vars) {
        const variable = btf.typeById(secinfo.type);
        const sym = elf.symbols.find((s) => s.name === variable.name && s.shndx === section.index)!;
        expect([secinfo.offset, secinfo.size], `${datasec.name} ${variable.name}`).toEqual([
          sym.value,
          sym.size,
        ]);
        expect(secinfo.offset).toBeGreaterThanOrEqual(end);
        end = secinfo.offset + secinfo.size;
      }
    }
  });

  it('keeps func_info for every function at its new offset and all line_info, strings re-interned', () => {
    for (const fn of elf.symbols.filter((s) => s.type === STT_FUNC && s.shndx !== SHN_UNDEF)) {
      const section = elf.sections[fn.shndx].name;
      const records = ext.funcInfo!.sections.find((s) => s.section === section)!.records;
      const record = records.find((r) => r.insnOff === fn.value);
      expect(record, fn.name).toBeDefined();
      expect(btf.nameOf(record!.typeId)).toBe(fn.name);
    }
    const inputLines = PARTS.map((part) => {
      const partElf = parseElf(part.bytes);
      const partBtf = parseBtf(partElf.sectionByName('.BTF')!.data);
      return parseBtfExt(partElf.sectionByName('.BTF.ext')!.data, partBtf).lineInfo!.sections;
    });
    const expected = inputLines
      .flat()
      .flatMap((s) => s.records.map((r) => `${r.fileName}:${r.line}:${r.lineText}`));
    const actual = ext.lineInfo!.sections.flatMap((s) =>
      s.records.map((r) => `${r.fileName}:${r.line}:${r.lineText}`),
    );
    expect(actual.sort()).toEqual(expected.sort());
    for (const section of ext.lineInfo!.sections) {
      const size = elf.sectionByName(section.section)!.size;
      for (const record of section.records) expect(record.insnOff).toBeLessThan(size);
    }
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    expect(linkObjects(PARTS)).toEqual(linked);
  });
});

/** A program's instructions with LD_IMM64 immediates blanked (map indexes and data offsets depend on order). */
function layoutFreeProgram(bytes: Uint8Array, name: string): string[] {
  const relocated = relocateProgram(openObject(bytes, 'linked.o'), name);
  let afterLdImm64 = false;
  return relocated.insns.map((insn) => {
    const blank = insn.code === BPF_LD_IMM64 || afterLdImm64;
    afterLdImm64 = insn.code === BPF_LD_IMM64;
    return blank
      ? `${insn.code}:${insn.dst}:${insn.src}`
      : `${insn.code}:${insn.dst}:${insn.src}:${insn.off}:${insn.imm}`;
  });
}

describe('input order', () => {
  const reference = Object.fromEntries(
    PROGRAMS.map((name) => [name, layoutFreeProgram(linkObjects(PARTS), name)]),
  );

  it('any order (with a weak note_proto that loses) gives the same programs', () => {
    const weak = input('cases/weak_note.o');
    fc.assert(
      fc.property(fc.shuffledSubarray([...PARTS, weak], { minLength: 5, maxLength: 5 }), (inputs) => {
        const linked = linkObjects(inputs);
        for (const name of PROGRAMS) expect(layoutFreeProgram(linked, name)).toEqual(reference[name]);
        const { elf } = inspect(linked);
        const noteProto = elf.symbols.find((s) => s.name === 'note_proto')!;
        expect(noteProto.bind).toBe(STB_GLOBAL);
      }),
      { numRuns: 40 },
    );
  });
});

describe('link errors', () => {
  it('two strong definitions name the symbol and both objects', () => {
    const error = linkError([PARTS[2], { ...PARTS[2], fileName: 'parse-copy.o' }]);
    expect(error.symbol).toBe('parse_eth');
    expect(error.files).toEqual(['parse.o', 'parse-copy.o']);
    expect(error.message).toContain("conflicting non-weak symbol 'parse_eth'");
  });

  it('an extern nobody defines names the symbol and the object that needs it', () => {
    const error = linkError([PARTS[0], PARTS[3]]);
    expect(error.symbol).toBe('parse_packet');
    expect(error.files).toEqual(['xdp_main.o']);
    expect(error.message).toContain("unresolved extern 'parse_packet' referenced from 'xdp_main.o'");
  });

  it('kconfig externs may stay unresolved', () => {
    const { elf, btf } = inspect(linkObjects([input('cases/kconfig_user.o')]));
    const kv = elf.symbols.find((s) => s.name === 'LINUX_KERNEL_VERSION')!;
    expect(kv.shndx).toBe(SHN_UNDEF);
    const kconfig = btf.types.find((t) => t.kind === 'datasec' && t.name === '.kconfig');
    expect(kconfig?.kind === 'datasec' && kconfig.vars.map((v) => btf.nameOf(v.type))).toEqual([
      'LINUX_KERNEL_VERSION',
    ]);
  });

  it('conflicting map definitions name the map and both objects, in either order', () => {
    const conflict = input('cases/map_conflict.o');
    for (const inputs of [
      [...PARTS, conflict],
      [conflict, ...PARTS],
    ]) {
      const error = linkError(inputs);
      expect(error.symbol).toBe('proto_counts');
      expect(error.section).toBe('.maps');
      expect(error.files).toContain('map_conflict.o');
      expect(error.message).toMatch(/conflicting definitions of map 'proto_counts'.*field 'key'/);
    }
  });

  it('an extern function declared with another signature is incompatible BTF', () => {
    const error = linkError([PARTS[3], input('cases/extern_mismatch.o')]);
    expect(error.symbol).toBe('note_proto');
    expect(error.files).toEqual(['stats.o', 'extern_mismatch.o']);
    expect(error.message).toContain('incompatible number of FUNC_PROTO params 1 and 2');
  });

  it('licenses that differ are refused', () => {
    const tc = { ...PARTS[1], bytes: PARTS[1].bytes.slice() };
    const license = parseElf(tc.bytes).sectionByName('license')!;
    tc.bytes.set(new TextEncoder().encode('BSD'), license.offset);
    const error = linkError([PARTS[0], tc, PARTS[2], PARTS[3]]);
    expect(error.section).toBe('license');
    expect(error.message).toContain("non-identical contents of section 'license'");
  });

  it('no inputs is a LinkError', () => {
    expect(() => linkObjects([])).toThrow(LinkError);
  });

  it('non-BPF and malformed inputs give ElfError or BtfError, never another exception', () => {
    const source = { fileName: 'parse.c', bytes: new Uint8Array(readFileSync(join(LINK_DIR, 'parse.c'))) };
    expect(() => linkObjects([PARTS[2], source])).toThrow(ElfError);
    const truncated = { fileName: 'cut.o', bytes: PARTS[2].bytes.slice(0, 200) };
    expect(() => linkObjects([truncated])).toThrow(ElfError);
    const badBtf = { fileName: 'bad-btf.o', bytes: PARTS[2].bytes.slice() };
    badBtf.bytes[parseElf(badBtf.bytes).sectionByName('.BTF')!.offset] ^= 0xff;
    expect(() => linkObjects([badBtf])).toThrow(BtfError);
  });

  it('random byte damage gives a typed error or a linked object, never a crash', () => {
    const whole = PARTS[3].bytes;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: whole.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const damaged = whole.slice();
          damaged[at] = value;
          try {
            linkObjects([{ fileName: 'stats.o', bytes: damaged }, PARTS[2]]);
          } catch (error) {
            expect(
              [LinkError, ElfError, BtfError].some((kind) => error instanceof kind),
              String(error),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('CO-RE relocation records follow their code, with type ids and access strings intact', () => {
    const core = input('cases/core_reader.o');
    const { elf, btf, ext } = inspect(linkObjects([PARTS[3], core]));
    const coreElf = parseElf(core.bytes);
    const coreBtf = parseBtf(coreElf.sectionByName('.BTF')!.data);
    const original = parseBtfExt(coreElf.sectionByName('.BTF.ext')!.data, coreBtf).coreRelo!.sections[0]
      .records;
    const shift = elf.symbols.find((s) => s.name === 'core_ports')!.value;
    expect(shift).toBeGreaterThan(0);
    const merged = ext.coreRelo!.sections.find((s) => s.section === '.text')!.records;
    expect(merged.map((r) => [r.insnOff, btf.nameOf(r.typeId), r.accessStr, r.kind])).toEqual(
      original.map((r) => [r.insnOff + shift, coreBtf.nameOf(r.typeId), r.accessStr, r.kind]),
    );
  });

  it('data symbols keep their type', () => {
    const { elf } = inspect(linkObjects(PARTS));
    expect(elf.symbols.find((s) => s.name === 'stats_calls')?.type).toBe(STT_OBJECT);
  });
});
