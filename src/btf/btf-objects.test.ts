// Differential and robustness tests on clang-14 objects: bpftool's raw dump, byte-exact round trips,
// func_info/line_info/core_relo against the ELF symbols and sources, and corrupted inputs.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Btf } from './btf.js';
import { BtfBuilder } from './btf-builder.js';
import { BtfError } from './btf-error.js';
import { BPF_CORE_RELO_KIND_NAMES, parseBtfExt } from './btf-ext.js';
import type { BtfTypeDraft } from './btf-types.js';
import { encodeBtf, encodeBtfExt } from './encode-btf.js';
import { formatBtfRaw } from './format-btf-raw.js';
import { parseBtf } from './parse-btf.js';
import { compileBpf } from '../../test/clang.js';

// ---- fixtures: C sources covering every kind clang-14 emits ----

const KINDS_SOURCE = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef unsigned int u32;
typedef u32 my_u32;
typedef const volatile my_u32 cv_u32;

struct bits {
  unsigned int a : 3;
  unsigned int b : 5;
  int c : 7;
  unsigned long long d;
  char name[16];
  int matrix[2][3];
};

union either {
  int i;
  float f;
  double d;
  struct bits b;
};

enum color { RED, GREEN = 5, BLUE = -3 };
enum big { BIG_A = 0x100000000ULL, BIG_B = 0xffffffffffffffffULL };

struct fwd_only;
union fwd_u;

struct holder {
  float fl;
  struct fwd_only *p;
  union fwd_u *q;
  int (*callback)(int, char *);
  void *restrict r;
  int __attribute__((btf_type_tag("user"))) *uptr;
  enum color col;
  enum big bg;
  long double ld;
  _Bool flag;
  signed char sc;
  unsigned char uc;
  unsigned __int128 wide;
  int __attribute__((btf_decl_tag("member_tag"))) tagged;
} __attribute__((btf_decl_tag("holder_tag")));

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, u32);
  __type(value, struct holder);
} hmap SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, u32);
  __type(value, union either);
} amap SEC(".maps");

int global_counter = 3;
const volatile int ro_value = 42;
const char msg[] = "hello";
static int static_bss;
int zero_bss;
cv_u32 cv_thing = 1;
int tagged_var __attribute__((btf_decl_tag("var_tag"))) = 9;

static __attribute__((noinline)) int helper_static(int x, struct holder *h __attribute__((btf_decl_tag("param_tag"))))
{
  return x + (h ? h->sc : 0) + static_bss;
}

__attribute__((noinline)) __attribute__((btf_decl_tag("func_tag"))) int helper_global(int y)
{
  zero_bss += y;
  return y * 2 + ro_value;
}

SEC("xdp")
int prog_one(struct xdp_md *ctx)
{
  u32 k = 0;
  struct holder *h = bpf_map_lookup_elem(&hmap, &k);
  global_counter += 1;
  return helper_static(msg[0], h) + helper_global(ctx->data_end - ctx->data);
}

SEC("tc")
int prog_two(struct __sk_buff *skb)
{
  u32 k = 1;
  union either *e = bpf_map_lookup_elem(&amap, &k);
  if (e)
    return e->i + cv_thing + tagged_var;
  return helper_global(skb->len);
}

char LICENSE[] SEC("license") = "GPL";
`;

const CORE_SOURCE = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_like {
  int pid;
  struct { long long start; int nr; } times;
  unsigned int flags : 4;
  char comm[16];
} __attribute__((preserve_access_index));

enum state_like { RUNNING = 0, SLEEPING = 1 };
typedef struct task_like task_t;

static __attribute__((noinline)) int sub_one(int v) { return v * 3; }
static __attribute__((noinline)) int sub_two(int v) { return sub_one(v) + 1; }

SEC("kprobe/x")
int core_prog(struct task_like *t)
{
  int pid = BPF_CORE_READ(t, pid);
  int nr = BPF_CORE_READ(t, times.nr);
  char c = BPF_CORE_READ(t, comm[3]);
  unsigned int fl = BPF_CORE_READ_BITFIELD_PROBED(t, flags);
  int exists = bpf_core_field_exists(t->times);
  int sz = bpf_core_type_size(task_t);
  int ev = bpf_core_enum_value(enum state_like, SLEEPING);
  int te = bpf_core_type_exists(struct task_like);
  return sub_two(pid + nr + c + fl + exists + sz + ev + te);
}

SEC("kprobe/y")
int second_prog(void *ctx) { return sub_one(2); }

char LICENSE[] SEC("license") = "GPL";
`;

// ---- a minimal ELF64 reader: just sections and symbols ----

interface TestSection {
  index: number;
  name: string;
  type: number;
  size: number;
  data: Uint8Array;
}
interface TestSymbol {
  name: string;
  type: number;
  shndx: number;
  value: number;
}
interface TestObject {
  path: string;
  sections: TestSection[];
  symbols: TestSymbol[];
  section(name: string): TestSection | undefined;
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const STT_FUNC = 2;

function cString(bytes: Uint8Array, at: number): string {
  const end = bytes.indexOf(0, at);
  return Buffer.from(bytes.subarray(at, end)).toString('latin1');
}

function readObject(path: string): TestObject {
  const bytes = new Uint8Array(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(view.getBigUint64(0x28, true));
  const shnum = view.getUint16(0x3c, true);
  const shstrndx = view.getUint16(0x3e, true);
  const raw = Array.from({ length: shnum }, (_, index) => {
    const at = shoff + index * 64;
    const offset = Number(view.getBigUint64(at + 24, true));
    const size = Number(view.getBigUint64(at + 32, true));
    const type = view.getUint32(at + 4, true);
    return {
      index,
      nameOff: view.getUint32(at, true),
      type,
      link: view.getUint32(at + 40, true),
      size,
      data: type === SHT_NOBITS ? new Uint8Array(0) : bytes.subarray(offset, offset + size),
    };
  });
  const names = raw[shstrndx].data;
  const sections = raw.map((s) => ({
    index: s.index,
    name: cString(names, s.nameOff),
    type: s.type,
    size: s.size,
    data: s.data,
  }));
  const symtab = raw.find((s) => s.type === SHT_SYMTAB);
  const symbols: TestSymbol[] = [];
  if (symtab) {
    const symView = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    const strtab = raw[symtab.link].data;
    for (let at = 0; at + 24 <= symtab.data.length; at += 24) {
      symbols.push({
        name: cString(strtab, symView.getUint32(at, true)),
        type: symView.getUint8(at + 4) & 0xf,
        shndx: symView.getUint16(at + 6, true),
        value: Number(symView.getBigUint64(at + 8, true)),
      });
    }
  }
  return { path, sections, symbols, section: (name) => sections.find((s) => s.name === name) };
}

// ---- the objects under test ----

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const progsDir = join(repoRoot, 'test/progs');
const objectPaths: string[] = [];

function compile(dir: string, name: string, source: string): string {
  return compileBpf(dir, name, source);
}

let dir = '';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsbpf-btf-'));
  objectPaths.push(compile(dir, 'kinds', KINDS_SOURCE), compile(dir, 'core', CORE_SOURCE));
  if (existsSync(progsDir)) {
    for (const name of readdirSync(progsDir).sort())
      if (name.endsWith('.o')) objectPaths.push(join(progsDir, name));
  }
});

function btfOf(object: TestObject): Btf {
  const section = object.section('.BTF');
  if (!section) throw new Error(`${object.path} has no .BTF`);
  return parseBtf(section.data, { file: object.path });
}

function forEachObject(check: (object: TestObject) => void): void {
  expect(objectPaths.length).toBeGreaterThanOrEqual(2);
  for (const path of objectPaths) {
    try {
      check(readObject(path));
    } catch (error) {
      if (error instanceof Error) error.message = `${path}: ${error.message}`;
      throw error;
    }
  }
}

describe('BTF of clang-14 objects', () => {
  it('prints exactly what `bpftool btf dump file X format raw` prints', () => {
    forEachObject((object) => {
      const expected = execFileSync('bpftool', ['btf', 'dump', 'file', object.path, 'format', 'raw'], {
        encoding: 'utf8',
      });
      expect(formatBtfRaw(btfOf(object)).split('\n')).toEqual(expected.split('\n'));
    });
  });

  it('covers every kind clang-14 emits in the fixtures', () => {
    const kinds = new Set<string>();
    for (const path of objectPaths.slice(0, 2))
      for (const type of btfOf(readObject(path)).types) kinds.add(type.kind);
    const expected =
      'int ptr array struct union enum fwd typedef volatile const restrict func func_proto var datasec float decl_tag type_tag';
    for (const kind of expected.split(' ')) expect(kinds, kind).toContain(kind);
  });

  it('encodes back to the same .BTF bytes, directly and through BtfBuilder.from', () => {
    forEachObject((object) => {
      const bytes = object.section('.BTF')!.data;
      const btf = btfOf(object);
      expect(Buffer.from(encodeBtf(btf)).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(BtfBuilder.from(btf).encode()).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  it('rebuilds from scratch with a fresh string table into BTF that prints the same', () => {
    forEachObject((object) => {
      const btf = btfOf(object);
      const builder = new BtfBuilder();
      for (const type of btf.types.slice(1)) builder.add(type as BtfTypeDraft);
      const rebuilt = parseBtf(builder.encode());
      expect(formatBtfRaw(rebuilt)).toBe(formatBtfRaw(btf));
      // Names are interned once, so the fresh table is never larger than clang's (which also holds line text).
      expect(rebuilt.strings.length).toBeLessThanOrEqual(btf.strings.length);
    });
  });

  it('answers name and size questions the way the C source defines them', () => {
    const btf = btfOf(readObject(objectPaths[0]));
    const bits = btf.findByName('bits', 'struct')!;
    expect(btf.resolveSize(bits)).toBe(56);
    expect(btf.resolveSize(btf.findByName('holder', 'struct')!)).toBe(112);
    expect(btf.resolveSize(btf.findByName('cv_u32')!)).toBe(4);
    const cvThing = btf.findByName('cv_thing', 'var')!;
    expect(btf.typeById(btf.skipModifiers(btf.findByName('cv_u32')!)).name).toBe('unsigned int');
    expect(btf.resolveSize(cvThing)).toBe(4);
    const matrix = btf.typeById(bits);
    if (matrix.kind !== 'struct') throw new Error('not a struct');
    expect(btf.resolveSize(matrix.members[5].type)).toBe(24);
    expect(matrix.members.slice(0, 3).map((m) => [m.bitOffset, m.bitfieldSize])).toEqual([
      [0, 3],
      [3, 5],
      [8, 7],
    ]);
    expect(btf.resolveSize(btf.findByName('msg', 'var')!)).toBe(6);
    expect(btf.findByName('helper_static', 'func')).toBeDefined();
    const helper = btf.typeById(btf.findByName('helper_static', 'func')!);
    expect(helper.kind === 'func' && helper.linkage).toBe('static');
    expect(btf.findByName('holder', 'typedef')).toBeUndefined();
  });
});

describe('BTF of the running kernel', () => {
  // The largest real BTF there is (100k+ types, every kind pahole emits, tags with kind_flag on 6.14+).
  const vmlinux = '/sys/kernel/btf/vmlinux';

  it('prints what bpftool prints and encodes back to the same bytes', () => {
    const bytes = new Uint8Array(readFileSync(vmlinux));
    const btf = parseBtf(bytes, { file: vmlinux });
    expect(btf.typeCount).toBeGreaterThan(10000);
    const expected = execFileSync('bpftool', ['btf', 'dump', 'file', vmlinux, 'format', 'raw'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    // Compare line by line and report the first difference: a full diff of 300k lines is unreadable.
    const actualLines = formatBtfRaw(btf).split('\n');
    const expectedLines = expected.split('\n');
    const firstDifference = expectedLines.findIndex((line, i) => actualLines[i] !== line);
    expect(firstDifference === -1 ? '' : `line ${firstDifference + 1}: ${actualLines[firstDifference]}`).toBe(
      firstDifference === -1 ? '' : `line ${firstDifference + 1}: ${expectedLines[firstDifference]}`,
    );
    expect(actualLines.length).toBe(expectedLines.length);
    expect(Buffer.from(encodeBtf(btf)).equals(Buffer.from(bytes))).toBe(true);
    const task = btf.findByName('task_struct', 'struct')!;
    expect(btf.resolveSize(task)).toBe((btf.typeById(task) as { size: number }).size);
  });
});

describe('BTF.ext of clang-14 objects', () => {
  it('encodes back to the same .BTF.ext bytes', () => {
    forEachObject((object) => {
      const bytes = object.section('.BTF.ext')!.data;
      const ext = parseBtfExt(bytes, btfOf(object), { file: object.path });
      expect(Buffer.from(encodeBtfExt(ext)).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  it('has one func_info per function symbol of each section, at the symbol, typed by its FUNC', () => {
    forEachObject((object) => {
      const btf = btfOf(object);
      const ext = parseBtfExt(object.section('.BTF.ext')!.data, btf);
      const codeSections = object.sections.filter((s) =>
        object.symbols.some((sym) => sym.type === STT_FUNC && sym.shndx === s.index),
      );
      expect(ext.funcInfo?.sections.map((s) => s.section).sort()).toEqual(
        codeSections.map((s) => s.name).sort(),
      );
      for (const group of ext.funcInfo!.sections) {
        const section = object.section(group.section)!;
        const functions = object.symbols
          .filter((sym) => sym.type === STT_FUNC && sym.shndx === section.index)
          .sort((a, b) => a.value - b.value);
        expect(group.records.length).toBe(functions.length);
        group.records.forEach((record, i) => {
          expect(record.insnOff).toBe(functions[i].value);
          const func = btf.typeById(record.typeId);
          expect(func.kind).toBe('func');
          expect(func.name).toBe(functions[i].name);
        });
      }
    });
  });

  it('has line_info ascending inside each section, one at every function start', () => {
    forEachObject((object) => {
      const btf = btfOf(object);
      const ext = parseBtfExt(object.section('.BTF.ext')!.data, btf);
      for (const group of ext.lineInfo!.sections) {
        const section = object.section(group.section)!;
        const offsets = group.records.map((r) => r.insnOff);
        for (let i = 0; i < offsets.length; i++) {
          expect(offsets[i] % 8).toBe(0);
          expect(offsets[i]).toBeLessThan(section.size);
          if (i > 0) expect(offsets[i]).toBeGreaterThan(offsets[i - 1]);
        }
        const funcGroup = ext.funcInfo!.sections.find((s) => s.section === group.section)!;
        for (const func of funcGroup.records) expect(offsets).toContain(func.insnOff);
      }
    });
  });

  it('line_info text is the source line it names', () => {
    let checked = 0;
    forEachObject((object) => {
      const ext = parseBtfExt(object.section('.BTF.ext')!.data, btfOf(object));
      for (const group of ext.lineInfo!.sections) {
        for (const record of group.records) {
          // Sources are named as clang was given them: absolute, or relative to the object or the repository.
          const sourcePath = [dirname(object.path), repoRoot]
            .map((base) => resolve(base, record.fileName))
            .find(existsSync);
          if (sourcePath === undefined) continue;
          const lines = readFileSync(sourcePath, 'utf8').split('\n');
          // clang marks compiler-made instructions with line 0 and no text.
          expect(record.lineText).toBe(record.line === 0 ? '' : lines[record.line - 1]);
          expect(record.col).toBeLessThanOrEqual(record.lineText.length + 1);
          checked++;
        }
      }
    });
    expect(checked).toBeGreaterThan(20);
  });

  it('reads CO-RE relocations: kinds, access strings and root types', () => {
    const object = readObject(objectPaths[1]);
    const btf = btfOf(object);
    const ext = parseBtfExt(object.section('.BTF.ext')!.data, btf);
    expect(ext.hdrLen).toBe(32);
    const groups = ext.coreRelo!.sections;
    expect(groups.map((g) => g.section)).toEqual(['kprobe/x']);
    const records = groups[0].records;
    const section = object.section('kprobe/x')!;
    for (const record of records) {
      expect(record.accessStr).toMatch(/^\d+(:\d+)*$/);
      expect(record.insnOff % 8).toBe(0);
      expect(record.insnOff).toBeLessThan(section.size);
    }
    const described = records.map(
      (r) => `${BPF_CORE_RELO_KIND_NAMES[r.kind]} ${btf.nameOf(r.typeId)} ${r.accessStr}`,
    );
    // pid, times.nr, comm[3]: byte offsets from the root struct through member (and array) indexes.
    expect(described).toContain('byte_off task_like 0:0');
    expect(described).toContain('byte_off task_like 0:1:1');
    expect(described).toContain('byte_off task_like 0:3:3');
    expect(described).toContain('field_exists task_like 0:1');
    expect(described).toContain('type_size task_t 0');
    expect(described).toContain('enumval_value state_like 1');
    expect(described).toContain('type_exists task_like 0');
    for (const kind of ['byte_sz', 'signed', 'lshift_u64', 'rshift_u64']) {
      expect(described.some((d) => d.startsWith(`${kind} task_like 0:2`))).toBe(true);
    }
  });
});

// ---- robustness: corrupted real sections give a result or a BtfError (speed is the benchmark's business) ----

/** Runs `run`; anything thrown but a BtfError fails the test. Returns the BtfError, if any. */
function expectResultOrBtfError(run: () => unknown): BtfError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof BtfError)) throw error;
    return error;
  }
}

/** Everything a consumer might do with parsed BTF; none of it may throw anything but BtfError. */
function exerciseBtf(bytes: Uint8Array): void {
  const btf = parseBtf(bytes);
  formatBtfRaw(btf);
  for (let id = 0; id < btf.types.length; id++) {
    for (const query of [() => btf.resolveSize(id), () => btf.skipModifiers(id)]) {
      try {
        query();
      } catch (error) {
        if (!(error instanceof BtfError)) throw error;
      }
    }
  }
  // Whatever parsed must survive a round trip unchanged.
  expect(formatBtfRaw(parseBtf(encodeBtf(btf)))).toBe(formatBtfRaw(btf));
}

/** Bytes after the 12-byte header of a BTF type record of `kind` (undefined for an unknown kind). */
function bodySize(kind: number, vlen: number): number | undefined {
  const perKind: Record<number, number> = {
    1: 4,
    3: 12,
    4: 12 * vlen,
    5: 12 * vlen,
    6: 8 * vlen,
    13: 8 * vlen,
  };
  const more: Record<number, number> = { 14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen };
  if (kind > 19) return undefined;
  return perKind[kind] ?? more[kind] ?? 0;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

describe('corrupted BTF', () => {
  let btfBytes: Uint8Array;
  let extBytes: Uint8Array;
  let btf: Btf;
  beforeAll(() => {
    const object = readObject(objectPaths[0]);
    btfBytes = object.section('.BTF')!.data;
    extBytes = object.section('.BTF.ext')!.data;
    btf = parseBtf(btfBytes);
  });

  it('every truncation of .BTF and .BTF.ext gives a BtfError', () => {
    for (let length = 0; length < btfBytes.length; length++) {
      expect(() => parseBtf(btfBytes.subarray(0, length))).toThrow(BtfError);
    }
    for (let length = 0; length < extBytes.length; length++) {
      expect(() => parseBtfExt(extBytes.subarray(0, length), btf)).toThrow(BtfError);
    }
  });

  it('thousands of random byte flips in .BTF give a result or a BtfError', () => {
    const typesEnd = 24 + new DataView(btfBytes.buffer, btfBytes.byteOffset).getUint32(12, true);
    // Half the runs aim at the header and type records, where flips change structure rather than text.
    const position = fc.oneof(fc.nat(btfBytes.length - 1), fc.nat(typesEnd - 1));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(position, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
        (flips) => {
          const corrupted = btfBytes.slice();
          for (const [at, mask] of flips) corrupted[at] ^= mask;
          expectResultOrBtfError(() => exerciseBtf(corrupted));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('thousands of random byte flips in .BTF.ext give a result or a BtfError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(extBytes.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (flips) => {
          const corrupted = extBytes.slice();
          for (const [at, mask] of flips) corrupted[at] ^= mask;
          expectResultOrBtfError(() => {
            const ext = parseBtfExt(corrupted, btf);
            expect(parseBtfExt(encodeBtfExt(ext), btf)).toEqual(ext);
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random type records behind a valid header give a result or a BtfError, and most reach the records', () => {
    // Records with a real kind and vlen and random bodies, over a valid string section, so parsing gets past
    // the header and the strings into the type records (random bytes there would stop at the string check).
    const record = fc
      .tuple(
        fc.nat(64),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.nat(8),
        // Body words small enough to be plausible type ids, offsets, sizes and counts.
        fc
          .array(fc.nat(8), { minLength: 0, maxLength: 12, size: 'max' })
          .map((words) => new Uint8Array(Uint32Array.from(words).buffer)),
      )
      .map(([nameOff, kind, vlen, kflag, sizeOrType, tail]) => {
        // Mostly the body size the kind declares (so records line up), now and then the random length.
        const declared = bodySize(kind, vlen);
        const length = declared === undefined || tail.length % 28 === 24 ? tail.length : declared;
        const bytes = new Uint8Array(12 + length);
        // (a declared body longer than the words is zero-filled)
        const view = new DataView(bytes.buffer);
        view.setUint32(0, nameOff, true);
        view.setUint32(4, ((kflag ? 1 : 0) << 31) | (kind << 24) | vlen, true);
        view.setUint32(8, sizeOrType, true);
        bytes.set(tail.subarray(0, length), 12);
        return bytes;
      });
    const names = fc.array(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), { maxLength: 8, size: 'max' });
    const RUNS = 2000;
    let cases = 0;
    let reachedRecords = 0;
    let parsed = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8, size: 'max' }), names, (records, words) => {
        const types = concatBytes(records);
        const strings = new TextEncoder().encode(`\0${words.join('\0')}\0`);
        const bytes = new Uint8Array(24 + types.length + strings.length);
        const view = new DataView(bytes.buffer);
        view.setUint16(0, 0xeb9f, true);
        view.setUint8(2, 1);
        view.setUint32(4, 24, true);
        view.setUint32(12, types.length, true);
        view.setUint32(16, types.length, true);
        view.setUint32(20, strings.length, true);
        bytes.set(types, 24);
        bytes.set(strings, 24 + types.length);
        cases++;
        const error = expectResultOrBtfError(() => exerciseBtf(bytes));
        if (error === undefined) parsed++;
        // An error naming a type id came from the records; success went through all of them.
        if (error === undefined || error.typeId !== undefined) reachedRecords++;
        expectResultOrBtfError(() => parseBtfExt(bytes, btf));
      }),
      { numRuns: RUNS, seed: 12 },
    );
    expect(cases).toBe(RUNS);
    expect(reachedRecords, `${reachedRecords} of ${RUNS} reached the type records`).toBeGreaterThanOrEqual(
      RUNS * 0.95,
    );
    expect(parsed, `${parsed} of ${RUNS} parsed`).toBeGreaterThanOrEqual(RUNS * 0.02);
  });
});
