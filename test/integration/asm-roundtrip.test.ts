// `clang-14 -S` output of every corpus program assembled by tsbpf: the same sections, symbols and relocations as
// llvm-mc-14 on the same text and as clang's own object, and an object that loads and test-runs like clang's.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import {
  bpfRelocationName,
  type ElfFile,
  parseElf,
  SHN_ABS,
  SHN_UNDEF,
  SHT_REL,
  SHT_SYMTAB,
  SHT_STRTAB,
  STT_SECTION,
} from '../../src/elf/index.js';
import { assemble } from '../../src/isa/assembler.js';
import { linkObjects } from '../../src/linker/index.js';
import { assembledObjectToElf } from '../../src/object/assembled-to-elf.js';
import { BPF_CFLAGS } from '../clang.js';
import { REPO_ROOT } from '../corpus.js';
import type { OracleMapDump, OracleObjectResult } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { runCli } from '../run-cli.js';
import { testPackets } from './testrun-packets.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-asm-roundtrip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CorpusSource {
  /** The committed object clang built, relative to the repository root. */
  object: string;
  source: string;
  flags: readonly string[];
}

/** Every corpus source with the flags its committed object was built with (scripts/build-progs.sh). */
function corpusSources(): CorpusSource[] {
  const sources: CorpusSource[] = [];
  for (const dir of ['test/progs', 'test/link', 'test/link/cases']) {
    for (const file of readdirSync(join(REPO_ROOT, dir)).sort()) {
      if (!file.endsWith('.c')) continue;
      const source = `${dir}/${file}`;
      sources.push({ object: source.replace(/\.c$/, '.o'), source, flags: [] });
      if (source === 'test/progs/alu32.c')
        sources.push({ object: 'test/progs/alu32.v3.o', source, flags: ['-mcpu=v3'] });
    }
  }
  return sources;
}

interface Assembled {
  /** tsbpf's object from the clang -S text. */
  ours: Uint8Array;
  /** llvm-mc-14's object from the same text. */
  llvmMc: Uint8Array;
  /** clang's committed object. */
  clang: Uint8Array;
}

const cache = new Map<string, Assembled>();

/** Compiles with the build's flags (from the repository root, paths mapped) so BTF strings equal the committed .o. */
function assembled(corpus: CorpusSource): Assembled {
  const hit = cache.get(corpus.object);
  if (hit) return hit;
  const name = basename(corpus.object, '.o');
  const asmPath = join(work, `${name}.s`);
  const mcPath = join(work, `${name}.mc.o`);
  execFileSync(
    'clang-14',
    [...BPF_CFLAGS, `-fdebug-prefix-map=${REPO_ROOT}=.`, ...corpus.flags, '-S', corpus.source, '-o', asmPath],
    { cwd: REPO_ROOT },
  );
  execFileSync('llvm-mc-14', ['-triple', 'bpfel', '-filetype=obj', asmPath, '-o', mcPath]);
  const text = readFileSync(asmPath, 'utf8');
  const result = {
    ours: assembledObjectToElf(assemble(text, { fileName: `${name}.s` })),
    llvmMc: new Uint8Array(readFileSync(mcPath)),
    clang: new Uint8Array(readFileSync(join(REPO_ROOT, corpus.object))),
  };
  cache.set(corpus.object, result);
  return result;
}

/** DWARF, which tsbpf's assembler drops (see README), and LLVM's address-significance table. */
const NOT_KEPT = /^(\.rel)?\.debug_|^\.llvm_addrsig$/;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** What an object holds, in a form two writers agree on: no file offsets, symbols by name, sections by name. */
function objectView(elf: ElfFile) {
  const sectionName = (index: number) =>
    index === SHN_UNDEF ? '(undefined)' : index === SHN_ABS ? '(absolute)' : elf.sections[index].name;
  const sections = elf.sections
    .filter(
      (s) => s.index > 0 && !NOT_KEPT.test(s.name) && ![SHT_REL, SHT_SYMTAB, SHT_STRTAB].includes(s.type),
    )
    .map((s) => ({
      name: s.name,
      type: s.type,
      flags: s.flags,
      addralign: s.addralign,
      size: s.size,
      entsize: s.entsize,
      bytes: hex(s.data),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const symbols = elf.symbols
    .filter((s) => s.index > 0 && s.type !== STT_SECTION)
    .map((s) => ({
      name: s.name,
      type: s.type,
      bind: s.bind,
      visibility: s.visibility,
      section: sectionName(s.shndx),
      value: s.value,
      size: s.size,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const relocations = elf.relocations
    .filter((r) => !NOT_KEPT.test(r.target.name))
    .map((r) => ({
      section: r.target.name,
      relocations: r.relocations.map((relocation) => {
        const symbol = elf.symbols[relocation.symbol];
        return {
          offset: relocation.offset,
          type: bpfRelocationName(relocation.type),
          symbol: symbol.type === STT_SECTION ? `(section ${sectionName(symbol.shndx)})` : symbol.name,
        };
      }),
    }))
    .sort((a, b) => a.section.localeCompare(b.section));
  return { sections, symbols, relocations };
}

const SOURCES = corpusSources();

/** Directives clang -S output may hold beyond the corpus: weak and hidden symbols, mergeable strings, LEB128. */
const HAND_WRITTEN = `
	.file	"hand.c"
	.text
	.globl	helper
	.type	helper,@function
helper:
.Lfunc_begin0:
	r0 = r1
	r0 += 1
	exit
.Lfunc_end0:
	.size	helper, .-helper

	.section	xdp,"ax",@progbits
	.globl	prog
	.p2align	3
	.type	prog,@function
prog:
.Lfunc_begin1:
	r1 = counter ll
	r2 = table+8 ll
	r3 = cb ll
	r4 = str+1 ll
	call helper
	call local_fn
	call weak_fn
.Ltmp0:
	exit
.Lfunc_end1:
	.size	prog, .Lfunc_end1-prog
	.p2align	3
	.type	local_fn,@function
local_fn:
	r0 = 0
	exit
	.size	local_fn, 16

	.text
	.p2align	3
	.type	cb,@function
cb:
	r0 = 1
	exit
	.size	cb, 16

	.type	counter,@object
	.section	.bss,"aw",@nobits
	.hidden	counter
	.globl	counter
	.p2align	3
counter:
	.quad	0
	.size	counter, 8

	.type	table,@object
	.data
	.p2align	2
table:
	.long	1, 2, 3
	.size	table, 12

	.weak	weak_fn
	.weak	weak_var
	.section	.rodata.str1.1,"aMS",@progbits,1
	.type	str,@object
str:
	.asciz	"hi"
	.size	str, 3

	.section	.BTF,"",@progbits
	.short	60319
	.long	table
	.long	counter
	.long	str
	.long	weak_var
	.section	.BTF.ext,"",@progbits
	.long	.Lfunc_begin1
	.long	.Ltmp0
	.long	.Ltmp0-.Lfunc_begin1
	.long	.Lfunc_end0-.Lfunc_begin0
	.quad	.Ltmp0
	.quad	cb+8
	.uleb128	624485
	.sleb128	-123456, 63, 64
	.uleb128	0
	.byte	1, 2, -1, 255
	.p2align 2
	.long	.Llater-.Learlier
.Learlier:
	.zero	5
.Llater:
	.addrsig
	.addrsig_sym counter
`;

describe('hand-written assembly', () => {
  it('assembles to what llvm-mc-14 makes of it', () => {
    const asmPath = join(work, 'hand.s');
    writeFileSync(asmPath, HAND_WRITTEN);
    execFileSync('llvm-mc-14', ['-triple', 'bpfel', '-filetype=obj', asmPath, '-o', join(work, 'hand.o')]);
    const expected = objectView(parseElf(new Uint8Array(readFileSync(join(work, 'hand.o'))), 'hand.o'));
    const ours = objectView(parseElf(assembledObjectToElf(assemble(HAND_WRITTEN, { fileName: 'hand.s' }))));
    expect(ours).toEqual(expected);
    expect(expected.relocations.flatMap((r) => r.relocations.map((x) => x.type))).toEqual(
      expect.arrayContaining(['R_BPF_64_NODYLD32', 'R_BPF_64_ABS32', 'R_BPF_64_ABS64', 'R_BPF_64_64']),
    );
  });
});

describe.each(SOURCES.map((s) => [s.object, s] as const))('clang -S of %s', (_, corpus) => {
  it('assembles to what llvm-mc-14 makes of the same text', () => {
    const { ours, llvmMc } = assembled(corpus);
    const expected = objectView(parseElf(llvmMc, 'llvm-mc'));
    const actual = objectView(parseElf(ours, 'tsbpf'));
    expect(actual.sections).toEqual(expected.sections);
    expect(actual.symbols).toEqual(expected.symbols);
    expect(actual.relocations).toEqual(expected.relocations);
  });

  it("holds clang's own .text, program sections, .BTF, .BTF.ext, .maps and data", () => {
    const { ours, clang } = assembled(corpus);
    // clang's direct object aligns .BTF and .BTF.ext to 4; its -S text says nothing, so llvm-mc (and tsbpf) use 1.
    const btfAlignedLikeText = (view: ReturnType<typeof objectView>) => ({
      ...view,
      sections: view.sections.map((s) => (s.name.startsWith('.BTF') ? { ...s, addralign: 1 } : s)),
    });
    const expected = btfAlignedLikeText(objectView(parseElf(clang, corpus.object)));
    const actual = objectView(parseElf(ours, 'tsbpf'));
    expect(actual.sections.map((s) => s.name)).toEqual(expected.sections.map((s) => s.name));
    expect(actual.sections.find((s) => s.name === '.BTF')?.size ?? 0).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});

describe('the CLI', () => {
  it("tsbpf asm of clang -S output gives an object tsbpf run runs like clang's", async () => {
    const corpus = SOURCES.find((s) => s.object === 'test/progs/xdp_flow.o')!;
    assembled(corpus);
    const asmPath = join(work, 'xdp_flow.s');
    const objectPath = join(work, 'cli', 'xdp_flow.o');
    mkdirSync(join(work, 'cli'), { recursive: true });
    const asm = await runCli('asm', asmPath, '-o', objectPath);
    expect(asm.status, asm.stderr).toBe(0);
    const packetPath = join(work, 'cli', 'packet.bin');
    writeFileSync(packetPath, PACKETS.find((p) => p.name.startsWith('ipv4-tcp'))!.data);
    const run = (path: string) =>
      runCli('run', path, '--program', 'xdp_flow_count', '--data', packetPath, '--dump-maps', '--json');
    const ours = await run(objectPath);
    const clang = await run(join(REPO_ROOT, corpus.object));
    expect(ours.status, ours.stderr).toBe(0);
    // Timings differ from run to run; everything else must not.
    const result = (stdout: string) => JSON.parse(stdout, (key, value) => (key === 'durationNs' ? 0 : value));
    expect(result(ours.stdout)).toEqual(result(clang.stdout));
    expect(ours.stdout).toMatch(/"retval"/);
  });
});

/**
 * Ways the corpus is loaded: test/progs objects (and test/link/all.o) alone; the link corpus through the linker, as
 * its tests use it (the four parts, with a weak note_proto that loses, a kconfig extern, and the two inputs the
 * linker refuses). cases/core_reader.o holds no program: its CO-RE records are compared byte for byte above.
 */
const LOADS: { name: string; objects: string[]; link: boolean; linkError?: RegExp }[] = [
  ...SOURCES.filter((s) => s.object.startsWith('test/progs/')).map((s) => ({
    name: s.object,
    objects: [s.object],
    link: false,
  })),
  { name: 'test/link/all.o', objects: ['test/link/all.o'], link: false },
  ...(
    [
      [['parse', 'stats', 'xdp_main', 'tc_main']],
      [['parse', 'stats', 'xdp_main', 'tc_main', 'cases/weak_note']],
      [['cases/kconfig_user']],
      [['parse', 'stats', 'xdp_main', 'tc_main', 'cases/map_conflict'], /LinkError: .*'proto_counts'/],
      [['stats', 'cases/extern_mismatch'], /LinkError: .*FUNC_PROTO/],
    ] as const
  ).map(([parts, linkError]) => ({
    name: `linked ${parts.join(' + ')}`,
    objects: parts.map((part) => `test/link/${part}.o`),
    link: true,
    ...(linkError ? { linkError } : {}),
  })),
];

/**
 * Floors, so that equal refusals alone cannot pass for equal runs: loads that test-ran programs (the 16 test/progs
 * objects of runnable types, all.o and the two good links) and objects the kernel accepted (every test/progs one).
 */
const LOADS_THAT_RUN = 19;
const KERNEL_LOADS_ACCEPTED = 17;

const PACKETS = testPackets();

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Loads the objects (linked first where the corpus needs it), test-runs every loaded program on every test packet
 * and reads every map after the runs: what a user would see, as one comparable value.
 */
function loadAndRun(objects: { fileName: string; bytes: Uint8Array }[], link: boolean) {
  let handle: ReturnType<Bpf['openObject']>;
  const bpf = new Bpf({ cpus: 2 });
  try {
    const bytes = link ? linkObjects(objects, { outputName: 'linked.o' }) : objects[0].bytes;
    handle = bpf.openObject(bytes, link ? 'linked.o' : objects[0].fileName).load();
  } catch (error) {
    return { refused: errorText(error), programs: [], maps: [], runs: 0 };
  }
  let runs = 0;
  const programs = handle.programNames.map((name) => {
    const program = handle.program(name);
    const results = PACKETS.map((packet) => {
      const result = bpf.testRun(program.handle.fd, { data: packet.data });
      if (result.error === undefined) runs++;
      return {
        packet: packet.name,
        retval: result.retval,
        dataOut: hex(result.dataOut),
        error: result.error?.message,
      };
    });
    const { insns, funcInfo, lineInfo } = program.relocated;
    return { name, section: program.section, insns, funcInfo, lineInfo, results };
  });
  const maps = handle.mapNames.map((name) => {
    try {
      return { name, entries: bpf.mapDump(handle.mapFd(name)).map((e) => `${hex(e.key)}:${hex(e.value)}`) };
    } catch (error) {
      return { name, error: errorText(error) };
    }
  });
  return { refused: undefined, programs, maps, runs };
}

describe("tsbpf loads and test-runs what it assembled from clang -S exactly as clang's object", () => {
  let ran = 0;
  it.each(LOADS.map((l) => [l.name, l] as const))('%s', (_, load) => {
    const version = (which: 'ours' | 'clang') =>
      load.objects.map((object) => {
        const source = SOURCES.find((s) => s.object === object)!;
        return { fileName: basename(object), bytes: assembled(source)[which] };
      });
    const ours = loadAndRun(version('ours'), load.link);
    const clang = loadAndRun(version('clang'), load.link);
    expect(ours).toEqual(clang);
    if (load.linkError) expect(clang.refused).toMatch(load.linkError);
    // Loaded programs carry BTF line info; a load that ran something counts toward the floor below.
    expect(clang.programs.every((p) => p.lineInfo.length > 0)).toBe(true);
    if (clang.runs > 0) ran++;
  });

  it(`ran programs in at least ${LOADS_THAT_RUN} of the loads`, () => {
    expect(ran).toBeGreaterThanOrEqual(LOADS_THAT_RUN);
  });
});

const oracle = requireOracle();

/** Maps whose values are kernel ids (programs, inner maps), new at every load. */
const ID_MAPS = new Set(['prog_array', 'array_of_maps', 'hash_of_maps']);

/**
 * What libbpf and the kernel made of an object, without timings, libbpf's messages (they name the file), the ids
 * in handle maps, and which CPU's slot of a per-CPU map the run used (whichever CPU the oracle ran on).
 */
function kernelView(result: OracleObjectResult) {
  const definitions = new Map(result.maps.map((m) => [m.name, m]));
  const dump = (map: OracleMapDump) => {
    const definition = definitions.get(map.name ?? '');
    const type = definition?.type ?? '';
    const slot = Math.ceil((definition?.valueSize ?? 0) / 8) * 16;
    const entries = map.entries?.map(({ key, value }) => {
      if (ID_MAPS.has(type)) return { key, value: '(id)' };
      if (!type.includes('percpu') || slot === 0) return { key, value };
      const slots: string[] = [];
      for (let i = 0; i < value.length; i += slot) slots.push(value.slice(i, i + slot));
      return { key, value: slots.sort().join('|') };
    });
    return { ...map, entries };
  };
  return {
    openError: result.openError?.message ?? null,
    maps: result.maps,
    programs: result.programs.map(({ libbpfLog: _, testRun, maps, ...program }) => ({
      ...program,
      testRun: testRun && { ...testRun, durationNs: 0 },
      maps: maps?.map(dump) ?? null,
    })),
  };
}

oracle.describe("the kernel loads tsbpf's object of clang -S like clang's own", () => {
  const packet = PACKETS.find((p) => p.name.startsWith('ipv4-tcp')) ?? PACKETS[0];
  let accepted = 0;
  it.each(SOURCES.filter((s) => s.object.startsWith('test/progs/')).map((s) => [s.object, s] as const))(
    '%s',
    (_, corpus) => {
      const dir = join(work, 'kernel', basename(corpus.object, '.o'));
      mkdirSync(dir, { recursive: true });
      // The same file name on both sides: libbpf names the object (and its global data maps) after it.
      const path = join(dir, basename(corpus.object));
      writeFileSync(path, assembled(corpus).ours);
      const ours = kernelView(oracle.runObject(path, { data: packet.data, dumpMaps: true }));
      const clang = kernelView(
        oracle.runObject(join(REPO_ROOT, corpus.object), { data: packet.data, dumpMaps: true }),
      );
      expect(ours).toEqual(clang);
      const programs = clang.programs;
      if (
        clang.openError === null &&
        programs.length > 0 &&
        programs.every((p) => p.verdict === 'accepted')
      ) {
        expect(programs.every((p) => (p.lineInfo?.length ?? 0) > 0)).toBe(true);
        accepted++;
      }
    },
  );

  it(`accepted every program of at least ${KERNEL_LOADS_ACCEPTED} objects`, () => {
    expect(accepted).toBeGreaterThanOrEqual(KERNEL_LOADS_ACCEPTED);
  });
});
