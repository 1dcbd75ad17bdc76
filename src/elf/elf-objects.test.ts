// Reader and writer against real clang-14 BPF objects: field-for-field with llvm-readelf, round trips, libbpf.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpfRelocationName, SHT_REL, SHT_STRTAB, SHT_SYMTAB, STT_SECTION } from './elf-constants.js';
import { ElfError } from './elf-error.js';
import { parseElf } from './elf-file.js';
import type { ElfFile } from './elf-types.js';
import { elfFileToWriteSpec, writeElf } from './elf-writer.js';

/** Small programs covering what libbpf cares about: maps, global data, subprograms, calls, externs, weak. */
const SOURCES: Record<string, string> = {
  'maps_and_data.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
int global_data = 5;
const int ro_val = 7;
int zeroed;
static __noinline int helper(int x) { return x * ro_val + global_data + zeroed; }
SEC("xdp") int prog(struct xdp_md *ctx) {
  __u32 k = 0; __u64 *v = bpf_map_lookup_elem(&counts, &k);
  if (v) *v += 1;
  return helper(ctx->ingress_ifindex) & 3;
}
char LICENSE[] SEC("license") = "GPL";
`,
  'calls_and_externs.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } hits SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 2); __uint(key_size, 4); __uint(value_size, 4); } jumps SEC(".maps");
extern int LINUX_KERNEL_VERSION __kconfig;
static volatile const __u32 limit = 10;
char buf[64];
__u64 counter = 1;
static __noinline __u32 square(__u32 x) { return x * x; }
__noinline int add_sat(int a, int b) { int s = a + b; return s > (int)limit ? (int)limit : s; }
static __noinline int chain(int x) { return add_sat(square(x), 1); }
SEC("tc") int classify(struct __sk_buff *skb) {
  __u32 k = skb->len; __u32 *v = bpf_map_lookup_elem(&hits, &k);
  if (v) *v += 1;
  counter++; buf[k & 63] = 1;
  return chain(k) + LINUX_KERNEL_VERSION;
}
SEC("kprobe/do_sys_open") int probe(void *ctx) { bpf_tail_call(ctx, &jumps, 0); return square(3); }
SEC("socket") int sock(struct __sk_buff *skb) { return add_sat(skb->len, 2); }
char LICENSE[] SEC("license") = "GPL";
`,
  'weak_and_atomics.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
__attribute__((weak)) int tunable = 3;
__u64 total;
__weak __noinline int weak_step(int x) { return x + tunable; }
SEC("xdp") int atomics(struct xdp_md *ctx) {
  __sync_fetch_and_add(&total, ctx->data_end - ctx->data);
  return weak_step(1) > 0 ? XDP_PASS : XDP_DROP;
}
char LICENSE[] SEC("license") = "Dual BSD/GPL";
`,
};

const NO_DEBUG_SOURCE = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
static const char allowed[4] = { 1, 0, 1, 1 };
static __noinline int pick(unsigned int i) { return allowed[i & 3]; }
SEC("socket") int filter(struct __sk_buff *skb) { return pick(skb->protocol) ? skb->len : 0; }
char LICENSE[] SEC("license") = "GPL";
`;

const CLANG = ['-O2', '-g', '-target', 'bpf', '-I/usr/include/x86_64-linux-gnu'];

/** A C program that opens an object with libbpf (no load) and prints what libbpf saw in it. */
const LIBBPF_OPEN_C = `
#include <stdio.h>
#include <bpf/libbpf.h>
static int quiet(enum libbpf_print_level level, const char *format, va_list args) {
  return level == LIBBPF_WARN ? vfprintf(stderr, format, args) : 0;
}
int main(int argc, char **argv) {
  libbpf_set_print(quiet);
  struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
  if (libbpf_get_error(obj)) { fprintf(stderr, "open failed\\n"); return 1; }
  struct bpf_program *prog;
  struct bpf_map *map;
  bpf_object__for_each_program(prog, obj)
    printf("prog %s sec=%s insns=%zu\\n", bpf_program__name(prog), bpf_program__section_name(prog),
           bpf_program__insn_cnt(prog));
  bpf_object__for_each_map(map, obj)
    printf("map %s type=%d max_entries=%u value_size=%u\\n", bpf_map__name(map), bpf_map__type(map),
           bpf_map__max_entries(map), bpf_map__value_size(map));
  bpf_object__close(obj);
  return 0;
}
`;

interface TestObject {
  name: string;
  path: string;
  bytes: Uint8Array;
}

let workDir: string;
let libbpfOpen: string;
const objects: TestObject[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'tsbpf-elf-'));
  for (const [file, source] of Object.entries(SOURCES)) {
    const sourcePath = join(workDir, file);
    writeFileSync(sourcePath, source);
    const objectPath = sourcePath.replace(/\.c$/, '.o');
    execFileSync('clang-14', [...CLANG, '-c', sourcePath, '-o', objectPath]);
    objects.push({ name: basename(objectPath), path: objectPath, bytes: readFileSync(objectPath) });
  }
  // Without -g there is no .BTF and no .debug_* section (and so no BTF-defined maps either).
  const plainPath = join(workDir, 'no_debug.c');
  writeFileSync(plainPath, NO_DEBUG_SOURCE);
  execFileSync('clang-14', [
    ...CLANG.filter((option) => option !== '-g'),
    '-c',
    plainPath,
    '-o',
    plainPath.replace(/\.c$/, '.o'),
  ]);
  objects.push({
    name: 'no_debug.o',
    path: plainPath.replace(/\.c$/, '.o'),
    bytes: readFileSync(plainPath.replace(/\.c$/, '.o')),
  });

  const progsDir = fileURLToPath(new URL('../../test/progs/', import.meta.url));
  if (existsSync(progsDir)) {
    for (const file of readdirSync(progsDir)
      .filter((f) => f.endsWith('.o'))
      .sort()) {
      const path = join(progsDir, file);
      objects.push({ name: `test/progs/${file}`, path, bytes: readFileSync(path) });
    }
  }

  libbpfOpen = join(workDir, 'libbpf-open');
  writeFileSync(`${libbpfOpen}.c`, LIBBPF_OPEN_C);
  execFileSync('gcc', ['-O1', '-o', libbpfOpen, `${libbpfOpen}.c`, '-lbpf']);
});

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  // Warnings count as failures: llvm-readelf reports many problems on stderr and still exits 0.
  if (result.status !== 0 || result.stderr !== '') {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

/** The one top-level object of llvm-readelf's JSON output for a file. */
function readelfJson(path: string, option: string): Record<string, unknown> {
  const parsed = JSON.parse(run('llvm-readelf-14', ['--elf-output-style=JSON', option, path])) as Record<
    string,
    Record<string, unknown>
  >[];
  return Object.values(parsed[0])[0];
}

/** The parts of llvm-readelf-14's JSON the tests compare. */
interface ReadelfValue {
  Value: string;
  RawValue: number;
}
interface ReadelfSection {
  Index: number;
  Name: ReadelfValue;
  Type: ReadelfValue;
  Flags: { RawFlags: number };
  Address: number;
  Offset: number;
  Size: number;
  Link: number;
  Info: number;
  AddressAlignment: number;
  EntrySize: number;
}
interface ReadelfSymbol {
  Name: ReadelfValue;
  Value: number;
  Size: number;
  Binding: ReadelfValue;
  Type: ReadelfValue;
  Other: number | { RawFlags: number };
  Section: ReadelfValue;
}

interface ReadelfRelocationSection {
  name: string;
  offset: number;
  entries: { offset: number; symbol: number; type: number; typeName: string }[];
}

/** llvm-readelf-14's JSON relocation output is not valid JSON, so the GNU text form is parsed instead. */
function readelfRelocations(path: string): ReadelfRelocationSection[] {
  const sections: ReadelfRelocationSection[] = [];
  for (const line of run('llvm-readelf-14', ['-r', path]).split('\n')) {
    const header = /^Relocation section '(.*)' at offset (0x[0-9a-f]+) contains (\d+) entr/.exec(line);
    if (header !== null) {
      sections.push({ name: header[1], offset: Number(header[2]), entries: [] });
      continue;
    }
    const entry = /^([0-9a-f]{16})\s+([0-9a-f]{8})([0-9a-f]{8})\s+(\S+)/.exec(line);
    if (entry !== null) {
      sections.at(-1)!.entries.push({
        offset: Number.parseInt(entry[1], 16),
        symbol: Number.parseInt(entry[2], 16),
        type: Number.parseInt(entry[3], 16),
        typeName: entry[4],
      });
    }
  }
  return sections;
}

describe('parseElf on clang-built objects', () => {
  it('finds the objects to check', () => {
    expect(objects.length).toBeGreaterThanOrEqual(Object.keys(SOURCES).length + 1);
  });

  it('reads every section header as llvm-readelf does', () => {
    for (const object of objects) {
      const elf = parseElf(object.bytes, object.name);
      const expected = readelfJson(object.path, '-S').Sections as { Section: ReadelfSection }[];
      expect(elf.sections.length, object.name).toBe(expected.length);
      expected.forEach(({ Section: s }, i) => {
        const section = elf.sections[i];
        expect(
          {
            index: section.index,
            name: section.name,
            type: section.type,
            flags: section.flags,
            addr: section.addr,
            offset: section.offset,
            size: section.size,
            link: section.link,
            info: section.info,
            addralign: section.addralign,
            entsize: section.entsize,
          },
          `${object.name} section #${i}`,
        ).toEqual({
          index: s.Index,
          name: s.Name.Value,
          type: s.Type.RawValue,
          flags: s.Flags.RawFlags,
          addr: s.Address,
          offset: s.Offset,
          size: s.Size,
          link: s.Link,
          info: s.Info,
          addralign: s.AddressAlignment,
          entsize: s.EntrySize,
        });
        const expectedData = s.Type.Value === 'SHT_NOBITS' || s.Type.Value === 'SHT_NULL' ? 0 : s.Size;
        expect(section.data.length).toBe(expectedData);
        expect(
          Buffer.from(section.data).equals(
            Buffer.from(object.bytes.subarray(s.Offset, s.Offset + expectedData)),
          ),
        ).toBe(true);
      });
      expect(elf.sectionByName('.text')?.index).toBe(
        expected.find(({ Section: s }) => s.Name.Value === '.text')?.Section.Index,
      );
    }
  });

  it('reads every symbol as llvm-readelf does', () => {
    for (const object of objects) {
      const elf = parseElf(object.bytes, object.name);
      const expected = readelfJson(object.path, '-s').Symbols as { Symbol: ReadelfSymbol }[];
      expect(elf.symbols.length, object.name).toBe(expected.length);
      expected.forEach(({ Symbol: s }, i) => {
        const symbol = elf.symbols[i];
        const other = typeof s.Other === 'number' ? s.Other : s.Other.RawFlags;
        // llvm-readelf shows a section symbol with an empty name under its section's name.
        const name = s.Type.RawValue === STT_SECTION && s.Name.RawValue === 0 ? '' : s.Name.Value;
        expect(
          {
            index: symbol.index,
            name: symbol.name,
            value: symbol.value,
            size: symbol.size,
            bind: symbol.bind,
            type: symbol.type,
            visibility: symbol.visibility,
            shndx: symbol.shndx,
          },
          `${object.name} symbol #${i}`,
        ).toEqual({
          index: i,
          name,
          value: s.Value,
          size: s.Size,
          bind: s.Binding.RawValue,
          type: s.Type.RawValue,
          visibility: other & 3,
          shndx: s.Section.RawValue,
        });
      });
      const symtab = elf.sections.find((section) => section.type === SHT_SYMTAB)!;
      expect(elf.firstGlobalSymbol).toBe(symtab.info);
    }
  });

  it('reads every relocation as llvm-readelf does', () => {
    for (const object of objects) {
      const elf = parseElf(object.bytes, object.name);
      const expected = readelfRelocations(object.path);
      expect(
        elf.relocations.map((group) => ({
          name: group.section.name,
          offset: group.section.offset,
          target: group.target.index,
          entries: group.relocations.map((r) => ({
            offset: r.offset,
            symbol: r.symbol,
            type: r.type,
            typeName: bpfRelocationName(r.type),
          })),
        })),
        object.name,
      ).toEqual(
        expected.map((group) => ({
          ...group,
          target: elf.sections.find((s) => s.name === group.name)!.info,
        })),
      );
    }
  });
});

/** What a file says, independent of section order and of the writer's own bookkeeping sections. */
function contentOf(elf: ElfFile) {
  const symtab = elf.sections.find((section) => section.type === SHT_SYMTAB);
  const bookkeeping = (index: number) =>
    index === 0 || index === elf.header.shstrndx || index === symtab?.index || index === symtab?.link;
  const sectionName = (index: number) =>
    index === 0
      ? 0
      : index === symtab?.index
        ? '<symtab>'
        : index === symtab?.link
          ? '<strtab>'
          : elf.sections[index]?.name;
  return {
    sections: elf.sections
      .filter((s) => !bookkeeping(s.index) && s.type !== SHT_REL)
      .map((s) => ({
        name: s.name,
        type: s.type,
        flags: s.flags,
        size: s.size,
        addralign: s.addralign,
        entsize: s.entsize,
        link: sectionName(s.link),
        info: s.info,
        data: Buffer.from(s.data).toString('hex'),
      })),
    symbols: elf.symbols.map((s) => ({ ...s, shndx: s.shndx >= 0xff00 ? s.shndx : sectionName(s.shndx) })),
    firstGlobal: elf.firstGlobalSymbol,
    relocations: elf.relocations.map((group) => ({
      section: group.section.name,
      flags: group.section.flags,
      target: group.target.name,
      relocations: group.relocations,
    })),
  };
}

describe('writeElf on clang-built objects', () => {
  it('parse → write → parse keeps sections, symbols and relocations, and is deterministic', () => {
    for (const object of objects) {
      const original = parseElf(object.bytes, object.name);
      const written = writeElf(elfFileToWriteSpec(original));
      const reread = parseElf(written, `${object.name} (written)`);
      expect(contentOf(reread), object.name).toEqual(contentOf(original));
      expect(writeElf(elfFileToWriteSpec(original))).toEqual(written);
      // Writing the rewritten file again is a fixed point.
      expect(writeElf(elfFileToWriteSpec(reread))).toEqual(written);
      // Layout rules: section data aligned, header table 8-aligned at the end, string tables shared.
      for (const section of reread.sections) {
        if (section.addralign > 1) expect(section.offset % section.addralign).toBe(0);
      }
      expect(reread.header.shoff % 8).toBe(0);
      expect(reread.header.shoff + reread.header.shnum * 64).toBe(written.length);
      const symtab = reread.sections.find((s) => s.type === SHT_SYMTAB)!;
      expect(symtab.link).toBe(reread.header.shstrndx);
      expect(reread.sections[symtab.link].type).toBe(SHT_STRTAB);
      for (const group of reread.relocations) {
        expect(group.section.name).toBe(`.rel${group.target.name}`);
        expect(group.section.index).toBe(group.target.index + 1);
        expect({
          entsize: group.section.entsize,
          link: group.section.link,
          flags: group.section.flags,
        }).toEqual({
          entsize: 16,
          link: symtab.index,
          flags: 0x40,
        });
      }
    }
  });

  it('writes files llvm-readelf, llvm-objdump and libbpf accept, with the same disassembly and libbpf view', () => {
    const writtenDir = join(workDir, 'written');
    mkdirSync(writtenDir, { recursive: true });
    for (const object of objects) {
      // Same base name, so libbpf derives the same object name (it prefixes global-data maps with it).
      const writtenPath = join(writtenDir, basename(object.path));
      writeFileSync(writtenPath, writeElf(elfFileToWriteSpec(parseElf(object.bytes, object.name))));
      run('llvm-readelf-14', ['-a', writtenPath]);
      const disassemble = (path: string) =>
        run('llvm-objdump-14', ['-d', '-r', path])
          .split('\n')
          .filter((line) => !line.includes('file format'))
          .join('\n');
      const expectedDisassembly = disassemble(object.path);
      expect(expectedDisassembly).toMatch(/Disassembly of section/);
      expect(disassemble(writtenPath), object.name).toBe(expectedDisassembly);
      const libbpfView = run(libbpfOpen, [object.path]);
      expect(libbpfView).toMatch(/^prog /m);
      expect(run(libbpfOpen, [writtenPath]), object.name).toBe(libbpfView);
    }
  });
});

describe('parseElf on damaged clang-built objects', () => {
  /** Parses, rethrowing anything that is not an ElfError; says whether it parsed. (Speed is not asserted here.) */
  function parsesOrElfError(bytes: Uint8Array): boolean {
    try {
      parseElf(bytes, 'damaged.o');
      return true;
    } catch (error) {
      if (!(error instanceof ElfError)) throw error;
      return false;
    }
  }

  it('gives a parse or an ElfError for every truncation length', () => {
    for (const object of objects) {
      let refused = 0;
      for (let length = 0; length < object.bytes.length; length++) {
        if (!parsesOrElfError(object.bytes.subarray(0, length))) refused++;
      }
      // The section headers sit at the end of a clang object: a cut anywhere loses them.
      expect(refused).toBe(object.bytes.length);
      expect(() => parseElf(object.bytes.subarray(0, object.bytes.length - 1))).toThrow(ElfError);
    }
  });

  it('gives a parse or an ElfError for random byte flips', () => {
    for (const object of objects) {
      const elf = parseElf(object.bytes);
      // Flips land half the time in the structures the parser reads (headers, symbols, relocations).
      const structural: [number, number][] = [
        [0, 64],
        [elf.header.shoff, elf.header.shoff + elf.header.shnum * 64],
        ...elf.sections
          .filter((s) => s.type === SHT_SYMTAB || s.type === SHT_REL || s.type === SHT_STRTAB)
          .map((s): [number, number] => [s.offset, s.offset + s.size]),
      ];
      const structuralPosition = fc
        .tuple(fc.integer({ min: 0, max: structural.length - 1 }), fc.nat())
        .map(([range, at]) => structural[range][0] + (at % (structural[range][1] - structural[range][0])));
      const position = fc.oneof(structuralPosition, fc.integer({ min: 0, max: object.bytes.length - 1 }));
      let parsed = 0;
      fc.assert(
        fc.property(
          fc.array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          (flips) => {
            const damaged = Uint8Array.from(object.bytes);
            for (const [at, value] of flips) damaged[at] = value;
            if (parsesOrElfError(damaged)) parsed++;
          },
        ),
        { numRuns: 1000, seed: 0x7b9f },
      );
      // Most flips hit bytes the reader does not interpret (code, debug info), so most files still parse.
      expect(parsed).toBeGreaterThan(50);
    }
  });
});
