// The object model and relocation on small objects: tsbpf's own-section extension and libbpf's refusals.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileBpf } from '../../test/clang.js';
import { assemble } from '../isa/assembler.js';
import { assembledObjectToElf } from './assembled-to-elf.js';
import { ObjectError } from './object-error.js';
import { internalMapName, objectNameFromPath, openObject } from './open-object.js';
import { relocateProgram } from './relocate-program.js';

function objectFromAsm(text: string, fileName = 'test.o') {
  return openObject(assembledObjectToElf(assemble(text, { fileName })), fileName);
}

const work = mkdtempSync(join(tmpdir(), 'tsbpf-object-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function objectFromC(source: string, name: string, debug = true) {
  const output = compileBpf(work, name, source, { debug });
  return openObject(new Uint8Array(readFileSync(output)), `${name}.o`);
}

function expectObjectError(action: () => unknown, message: RegExp): ObjectError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ObjectError);
    expect((error as ObjectError).message).toMatch(message);
    return error as ObjectError;
  }
  throw new Error(`expected an ObjectError matching ${message}`);
}

describe('names as libbpf gives them', () => {
  it('object names cut at the first dot and at 15 characters', () => {
    expect(objectNameFromPath('dir/xdp_flow.o')).toBe('xdp_flow');
    expect(objectNameFromPath('alu32.v3.o')).toBe('alu32');
    expect(objectNameFromPath('a_very_long_object_name.o')).toBe('a_very_long_obj');
  });
  it('internal map names: object prefix, or the section alone when it has a second dot', () => {
    expect(internalMapName('xdp_flow', '.data')).toBe('xdp_flow.data');
    expect(internalMapName('global_data', '.rodata')).toBe('global_d.rodata');
    expect(internalMapName('x', '.rodata.str1.1')).toBe('.rodata.str1.1');
    expect(internalMapName('x', '.data.a-b')).toBe('.data.a_b');
  });
});

describe('calls', () => {
  it('appends .text callees depth-first in call order and re-points every call', () => {
    const object = objectFromAsm(`
      .text
    leaf:
      r0 = 1
      exit
    mid:
      call leaf
      r0 += 1
      exit
      .section socket,"ax",@progbits
      .globl prog
    prog:
      call mid
      call leaf
      exit
    `);
    const program = relocateProgram(object, 'prog');
    expect(program.functions.map((f) => [f.name, f.start])).toEqual([
      ['prog', 0],
      ['mid', 3],
      ['leaf', 6],
    ]);
    expect(program.insns[0].imm).toBe(3 - 0 - 1);
    expect(program.insns[1].imm).toBe(6 - 1 - 1);
    expect(program.insns[3].imm).toBe(6 - 3 - 1);
    expect(program.calls.map((c) => `${c.caller}->${c.callee}@${c.insn}`)).toEqual([
      'mid->leaf@3',
      'prog->mid@0',
      'prog->leaf@1',
    ]);
  });

  it('accepts a static subprogram in the program section (libbpf 1.1 refuses it)', () => {
    const object = objectFromAsm(`
      .section xdp,"ax",@progbits
      .globl prog
      .type prog,@function
    prog:
      r1 = 5
      call helper_in_section
      exit
      .type helper_in_section,@function
    helper_in_section:
      r0 = r1
      exit
    `);
    expect(object.functions.map((f) => [f.name, f.isProgram])).toEqual([
      ['prog', true],
      ['helper_in_section', false],
    ]);
    const program = relocateProgram(object, 'prog');
    expect(program.insns).toHaveLength(5);
    expect(program.insns[1].imm).toBe(1);
  });

  it('refuses a call into the middle of a function', () => {
    const object = objectFromAsm(`
      .section socket,"ax",@progbits
      .globl prog
    prog:
      0:	85 10 00 00 01 00 00 00	call 1
      exit
      r0 = 2
      exit
    `);
    expectObjectError(() => relocateProgram(object, 'prog'), /calls into the middle of 'prog'/);
  });

  it('names the programs there are when asked for a missing one', () => {
    const object = objectFromAsm(`
      .section socket,"ax",@progbits
      .globl prog
    prog:
      r0 = 0
      exit
    `);
    expectObjectError(() => relocateProgram(object, 'nope'), /program 'nope' not found \(programs: prog\)/);
  });

  it('refuses extern functions and variables (they need the running kernel)', () => {
    const object = objectFromAsm(`
      .section socket,"ax",@progbits
      .globl prog
    prog:
      call some_kfunc
      exit
    `);
    const error = expectObjectError(
      () => relocateProgram(object, 'prog'),
      /extern 'some_kfunc' is not supported/,
    );
    expect(error.insn).toBe(0);
  });
});

describe('maps and global data', () => {
  const source = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } in0 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 2); __type(key, __u32);
         __array(values, struct inner); } outer SEC(".maps") = { .values = { [1] = &in0 } };
long first = 1; long second = 2; const volatile int limit = 7; int zeroed;
static __attribute__((noinline)) long bump(__u32 k) { __u64 *v = bpf_map_lookup_elem(&counts, &k); return v ? *v + second + zeroed : limit; }
SEC("socket") int prog(struct __sk_buff *skb) { return bump(skb->len) + first; }
char LICENSE[] SEC("license") = "GPL";
`;

  it('reads BTF-defined maps, inner maps, initial slots and global data in libbpf order', () => {
    const object = objectFromC(source, 'maps');
    expect(object.license).toBe('GPL');
    // BTF maps in the order of the .maps DATASEC's variables (checked against libbpf 1.1 through the oracle).
    expect(object.maps.map((m) => [m.name, m.origin, m.keySize, m.valueSize, m.maxEntries])).toEqual([
      ['in0', 'btf', 4, 4, 1],
      ['outer', 'btf', 4, 4, 2],
      ['counts', 'btf', 4, 8, 8],
      ['maps.data', 'data', 4, 16, 1],
      ['maps.rodata', 'rodata', 4, 4, 1],
      ['maps.bss', 'bss', 4, 4, 1],
    ]);
    const outer = object.maps[1];
    expect(outer.inner?.maxEntries).toBe(1);
    expect([...(outer.initialSlots ?? [])]).toEqual([[1, 'in0']]);
    expect(object.maps[3].initialValue).toEqual(
      new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]),
    );
  });

  it('turns map and global data references into map fd and map value loads with the variable offset', () => {
    const object = objectFromC(source, 'maps');
    const program = relocateProgram(object, 'prog', { mapFd: (index) => 100 + index });
    const loads = program.insns
      .map((insn, index) => ({ insn, index }))
      .filter(({ insn }) => insn.code === 0x18 && insn.src !== 0);
    const described = loads.map(({ insn, index }) => [insn.src, insn.imm, program.insns[index + 1].imm]);
    const fd = (name: string) => 100 + object.maps.findIndex((m) => m.name === name);
    // counts by fd; `first` and `second` (offset 8) in .data; `zeroed` in .bss; `limit` in .rodata
    expect(described.sort()).toEqual(
      [
        [1, fd('counts'), 0],
        [2, fd('maps.data'), 0],
        [2, fd('maps.data'), 8],
        [2, fd('maps.bss'), 0],
        [2, fd('maps.rodata'), 0],
      ].sort(),
    );
    expect(program.usedMaps.map((index) => object.maps[index].name).sort()).toEqual(
      ['counts', 'maps.bss', 'maps.data', 'maps.rodata'].sort(),
    );
  });

  it("refuses libbpf's refusals with libbpf's words", () => {
    expectObjectError(
      () =>
        objectFromC(
          `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); int *bogus; } m SEC(".maps");
SEC("socket") int prog(void *ctx) { int k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }`,
          'unknown_field',
        ),
      /map 'm': unknown field 'bogus'\./,
    );
    expectObjectError(
      () =>
        objectFromC(
          `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __uint(key_size, 8); __type(key, int); __type(value, int); } m SEC(".maps");
SEC("socket") int prog(void *ctx) { int k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }`,
          'conflict',
        ),
      /map 'm': conflicting key size 8 != 4\./,
    );
    expectObjectError(
      () =>
        objectFromC(
          `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); } m SEC(".maps");
SEC("socket") int prog(void *ctx) { int k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }`,
          'nobtf',
          false,
        ),
      /BTF is required, but is missing or corrupted\./,
    );
    expectObjectError(
      () =>
        objectFromAsm(`
      .section maps,"aw",@progbits
      .long 1
      .section socket,"ax",@progbits
      .globl prog
    prog:
      r0 = 0
      exit
    `),
      /legacy map definitions in 'maps' section are not supported by libbpf v1\.0\+/,
    );
  });
});
