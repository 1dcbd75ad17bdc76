// Whole-file listings compared line for line with llvm-objdump-14 -d and -d -r on clang and llvm-mc objects.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf } from '../elf/index.js';
import { objdumpInputFromElf } from '../object/elf-objdump-input.js';
import { formatObjdump, type ObjdumpInput } from './objdump.js';

/** Builds the neutral objdump input from an ELF object, as `tsbpf objdump` does. */
function objdumpInput(bytes: Uint8Array, fileName: string): ObjdumpInput {
  return objdumpInputFromElf(parseElf(bytes, fileName));
}

function llvmObjdump(dir: string, file: string, relocations: boolean, alu32: boolean): string {
  const args = [...(relocations ? ['-d', '-r'] : ['-d']), ...(alu32 ? ['--mattr=+alu32'] : []), file];
  return execFileSync('llvm-objdump-14', args, { cwd: dir, encoding: 'utf8' });
}

function expectSameListing(
  dir: string,
  file: string,
  syntax: 'llvm14' | 'extended' = 'llvm14',
  alu32 = false,
): void {
  const input = objdumpInput(new Uint8Array(readFileSync(join(dir, file))), file);
  for (const relocations of [false, true]) {
    const ours = formatObjdump(input, { relocations, syntax, alu32 }).split('\n');
    const theirs = llvmObjdump(dir, file, relocations, alu32).split('\n');
    expect(ours, `${file} ${relocations ? '-d -r' : '-d'}`).toEqual(theirs);
  }
}

const work = mkdtempSync(join(tmpdir(), 'tsbpf-objdump-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const C_PROGRAMS: Record<string, string> = {
  // 32-bit atomics other than add need -mcpu=v3.
  'calls_loops.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, int); __type(value, long); } m SEC(".maps");
int gdata = 5; static int sdata; const volatile int rodata = 3;
static __attribute__((noinline)) int sub(int x) { for (int i = 0; i < x; i++) { x ^= i * 3; if (x > 100) break; } return x; }
__attribute__((noinline)) int gsub(int x) { switch (x) { case 1: return 10; case 2: return 20; case 3: return 33; case 4: return 47; case 5: return 1; default: return sub(x); } }
SEC("xdp") int prog1(struct xdp_md *ctx) {
  int k = 0; long *v = bpf_map_lookup_elem(&m, &k);
  if (!v) return 1;
  __sync_fetch_and_add(v, 1);
  sdata++;
  return gsub(ctx->data_end - ctx->data) + sub(gdata) + rodata + sdata;
}
SEC("tc") int prog2(struct __sk_buff *skb) { return sub(skb->len) ? 2 : 0; }
char _license[] SEC("license") = "GPL";
`,
  'atomics.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
unsigned int g32; unsigned long g64;
SEC("xdp") int f(struct xdp_md *ctx) {
  __sync_fetch_and_add(&g32, 1); __sync_fetch_and_or(&g32, 2); unsigned x = __sync_fetch_and_xor(&g32, 3);
  unsigned long y = __sync_fetch_and_and(&g64, 5); __sync_lock_test_and_set(&g64, 7); __sync_val_compare_and_swap(&g32, 1, 2);
  __sync_val_compare_and_swap(&g64, 1, 2);
  unsigned short h = *(volatile unsigned short*)(long)ctx->data;
  return x + y + h + ctx->data_end;
}
char _license[] SEC("license") = "GPL";
`,
  'switch_bswap.c': `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
static long table[8];
SEC("socket") int sw(struct __sk_buff *skb) {
  __u32 v = bpf_ntohl(skb->mark) ^ bpf_htons(skb->protocol);
  long acc = 0;
  #pragma unroll
  for (int i = 0; i < 8; i++) acc += table[i] * (v >> i);
  switch (v & 7) { case 0: acc *= 3; break; case 1: acc -= 7; break; case 2: acc /= 5; break; case 3: acc %= 9; break; default: acc <<= 2; }
  return acc + bpf_get_prandom_u32() + (long)bpf_ktime_get_ns();
}
char _license[] SEC("license") = "GPL";
`,
};

describe('formatObjdump against llvm-objdump-14 on clang-14 objects', () => {
  for (const [source, text] of Object.entries(C_PROGRAMS)) {
    for (const cpu of source === 'atomics.c' ? ['v3'] : ['v1', 'v3']) {
      it(`${source} -mcpu=${cpu}`, () => {
        const object = `${basename(source, '.c')}.${cpu}.o`;
        writeFileSync(join(work, source), text);
        execFileSync(
          'clang-14',
          [
            '-O2',
            '-g',
            '-target',
            'bpf',
            `-mcpu=${cpu}`,
            '-I/usr/include/x86_64-linux-gnu',
            '-c',
            source,
            '-o',
            object,
          ],
          {
            cwd: work,
          },
        );
        expectSameListing(work, object);
        // clang-14 emits nothing LLVM 14 cannot decode, except 32-bit atomics, which it decodes with alu32.
        if (cpu === 'v1') expectSameListing(work, object, 'extended');
        expectSameListing(work, object, 'extended', true);
      });
    }
  }
});

describe('formatObjdump against llvm-objdump-14 on test/progs objects', () => {
  const progs = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/progs');
  let objects: string[] = [];
  try {
    objects = readdirSync(progs).filter((name) => name.endsWith('.o'));
  } catch {
    objects = [];
  }
  it('finds the corpus objects', () => {
    expect(objects.length).toBeGreaterThan(0);
  });
  for (const object of objects) {
    it(object, () => expectSameListing(progs, object));
  }
});

// Hand-made objects (llvm-mc-14 -filetype=obj) for the rules clang output rarely shows.
const ASSEMBLY: Record<string, string> = {
  'labels.s': `
	.text
	goto +0
	goto -2
	goto +20
	r0 = 1
zz:
	.globl g1
	.type g1,@function
g1:
	exit
	.type aa,@function
aa:
b1:
	exit
	.globl C3
C3:
	exit
	.section foo,"ax",@progbits
	r1 = 2
	r2 = 5 ll
	call 7
	.section bar,"ax",@progbits
zz2:
	if r1 > 3 goto zz2
	exit
	.section data,"aw",@progbits
	.long 5
`,
  'data_zeros.s': `
	.text
	exit
	.quad 0
	.quad 0
	r1 = 0 ll
	.long 0
	.long 1
	.quad 0
	.long 0
g:
	.quad 0
	.quad 0
	call foo
	.quad 0
	r1 = bar ll
	.quad 0
	.quad 0
	.long 0
	r1 = 5
	r1 = -5 ll
	.quad 0
	.type o,@object
o:
	r1 = 0x41424344 ll
	.quad 0
	.quad 0
	.long 0x41
h:
	.byte 0x18,1,0,0,0,0,0,0
`,
  'tails.s': `
	.text
	.byte 0x18,1,1,0,0,0,0,0
	.quad 0
	.byte 0x18,1,0,0,0,0,0,0
g:
	.byte 0,0,0,0,2,0,0,0
	r1 = 7
	.byte 0xc3,0x21,0,0,0x40,0,0,0
	.byte 0x18,1,0,0,0,0,0,0
	.long 5
`,
};

describe('formatObjdump against llvm-objdump-14 on hand-made objects', () => {
  for (const [source, text] of Object.entries(ASSEMBLY)) {
    it(source, () => {
      const object = source.replace(/\.s$/, '.o');
      writeFileSync(join(work, source), text);
      execFileSync('llvm-mc-14', ['-triple=bpfel', '-filetype=obj', source, '-o', object], { cwd: work });
      expectSameListing(work, object);
    });
  }
});

describe('formatObjdump extended syntax', () => {
  it('disassembles cpu v4 instructions and labels gotol targets', () => {
    const bytes = new Uint8Array([
      ...[0x06, 0, 0, 0, 1, 0, 0, 0],
      ...[0xbf, 0x21, 8, 0, 0, 0, 0, 0],
      ...[0x95, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const text = formatObjdump({
      fileName: 'v4.o',
      sections: [
        { name: 'xdp', bytes, symbols: [{ name: 'f', value: 0, size: 24, type: 'func' }], relocations: [] },
      ],
    });
    expect(text.split('\n')).toEqual([
      '',
      'v4.o:\tfile format elf64-bpf',
      '',
      'Disassembly of section xdp:',
      '',
      '0000000000000000 <f>:',
      '       0:\t06 00 00 00 01 00 00 00\tgotol +1 <f+0x10>',
      '       1:\tbf 21 08 00 00 00 00 00\tr1 = (s8)r2',
      '       2:\t95 00 00 00 00 00 00 00\texit',
      '',
    ]);
  });
});
