// Tests of the LLVM-syntax assembler against llvm-mc-14, clang-14 objects and llvm-objdump-14 listings.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AsmError, type AssembledObject, assemble, assembleInsns } from './assembler.js';
import fc from 'fast-check';
import { checkFieldStage, checkOpcodeStage } from './decoded.js';
import { formatInsn } from './disassembler.js';
import { type Insn, readInsns, writeInsns } from './insn.js';
import { InsnError } from './insn-error.js';
import { parseElf } from '../elf/index.js';
import { assembledObjectToElf } from '../object/assembled-to-elf.js';
import { OPCODE_TABLE } from './opcode-table.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-asm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Runs llvm-mc-14 once over all lines and returns each line's encoding bytes. */
function llvmMcEncodings(lines: string[]): string[] {
  const output = execFileSync('llvm-mc-14', ['-triple=bpfel', '-show-encoding'], {
    input: lines.join('\n'),
    encoding: 'utf8',
  });
  const encodings = [...output.matchAll(/# encoding: \[([^\]]*)\]/g)].map((m) =>
    m[1]
      .split(',')
      .map((b) => b.replace('0x', ''))
      .join(' '),
  );
  expect(encodings).toHaveLength(lines.length);
  return encodings;
}

/** Every instruction form LLVM 14 can assemble, with a spread of registers and immediates. */
function llvm14Forms(): string[] {
  const lines: string[] = [];
  const aluOps = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 's>>=', '^='];
  const imms = ['0', '1', '-1', '2147483647', '-2147483648', '0x7f', '255', '-4096'];
  aluOps.forEach((op, i) => {
    lines.push(`r${i} ${op} r${(i + 3) % 11}`, `w${i} ${op} w${(i + 5) % 11}`);
    lines.push(
      `r${(i + 1) % 10} ${op} ${imms[i % imms.length]}`,
      `w${(i + 2) % 10} ${op} ${imms[(i + 3) % imms.length]}`,
    );
  });
  lines.push('r0 = r1', 'w3 = w9', 'r10 = r10', 'r4 = 7', 'w5 = -1', 'r6 = -2147483648', 'w7 = 0xffffffff');
  lines.push('r0 = -r0', 'w9 = -w9');
  for (const swap of ['be16', 'be32', 'be64', 'le16', 'le32', 'le64']) lines.push(`r3 = ${swap} r3`);
  for (const size of ['u8', 'u16', 'u32', 'u64']) {
    lines.push(`r1 = *(${size} *)(r2 + 12)`, `r0 = *(${size} *)(r10 - 8)`, `*(${size} *)(r10 - 16) = r7`);
    lines.push(`*(${size} *)(r1 + 32767) = r2`, `r9 = *(${size} *)(r3 - 32768)`);
  }
  lines.push(
    'w1 = *(u8 *)(r2 + 0)',
    'w1 = *(u16 *)(r2 + 2)',
    'w1 = *(u32 *)(r2 + 4)',
    '*(u32 *)(r2 + 4) = w3',
  );
  lines.push('lock *(u32 *)(r1 + 8) += r2', 'lock *(u64 *)(r10 - 8) += r3', 'lock *(u64 *)(r1 + 0) &= r2');
  lines.push('lock *(u64 *)(r1 + 0) |= r2', 'lock *(u64 *)(r1 + 0) ^= r2', 'lock *(u32 *)(r1 + 0) += w2');
  for (const size of ['u8', 'u16', 'u32']) lines.push(`r0 = *(${size} *)skb[4]`, `r0 = *(${size} *)skb[r3]`);
  lines.push(
    'r0 = 0 ll',
    'r1 = -1 ll',
    'r2 = 0x123456789abcdef0 ll',
    'r3 = 18446744073709551615 ll',
    'r4 = 5 ll',
  );
  const conditions = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<='];
  conditions.forEach((cond, i) => {
    lines.push(
      `if r${i} ${cond} r${(i + 1) % 11} goto +${i}`,
      `if r${i} ${cond} ${imms[i % imms.length]} goto -${i + 1}`,
    );
    lines.push(`if w${i} ${cond} w${(i + 2) % 11} goto +32767`, `if w${i} ${cond} -7 goto -32768`);
  });
  lines.push('goto +0', 'goto -1', 'goto +100', 'call 1', 'call 212', 'call -1', 'exit');
  return lines;
}

describe('LLVM 14 instruction forms', () => {
  it('encodes every form exactly as llvm-mc-14 does', () => {
    const lines = llvm14Forms();
    const expected = llvmMcEncodings(lines);
    lines.forEach((line, i) => {
      expect(`${line} => ${hex(writeInsns(assembleInsns(line)))}`).toBe(`${line} => ${expected[i]}`);
    });
  });

  it('accepts the spellings llvm-mc accepts: no spaces, octal, binary, goto without sign', () => {
    const pairs: [string, string][] = [
      ['r0=r1', 'r0 = r1'],
      ['r0+=1', 'r0 += 1'],
      ['if r1>r2 goto +1', 'if r1 > r2 goto +1'],
      ['if r1 s>r2 goto 1', 'if r1 s> r2 goto +1'],
      ['r0 = 010', 'r0 = 8'],
      ['r0 = 0b101', 'r0 = 5'],
      ['r0 = *(u64 *)(r10 -8)', 'r0 = *(u64 *)(r10 - 8)'],
      ['r0 = *(u64 *)(r1 + 0x10)', 'r0 = *(u64 *)(r1 + 16)'],
    ];
    for (const [variant, canonical] of pairs)
      expect(assembleInsns(variant)).toEqual(assembleInsns(canonical));
  });
});

/** Builds an instruction from RFC 9669 fields, to state the cpu v4 encodings LLVM 14 cannot produce. */
function raw(code: number, dst: number, src: number, off: number, imm: number): Insn {
  return { code, dst, src, off, imm };
}

describe('forms newer than LLVM 14 (LLVM 17+ syntax, RFC 9669 encodings)', () => {
  const cases: [string, Insn][] = [
    ['r1 = (s8)r2', raw(0xbf, 1, 2, 8, 0)],
    ['r1 = (s16)r2', raw(0xbf, 1, 2, 16, 0)],
    ['r1 = (s32)r2', raw(0xbf, 1, 2, 32, 0)],
    ['w1 = (s8)w2', raw(0xbc, 1, 2, 8, 0)],
    ['w1 = (s16)w2', raw(0xbc, 1, 2, 16, 0)],
    ['r0 s/= r1', raw(0x3f, 0, 1, 1, 0)],
    ['w0 s/= -3', raw(0x34, 0, 0, 1, -3)],
    ['r0 s%= 3', raw(0x97, 0, 0, 1, 3)],
    ['w2 s%= w3', raw(0x9c, 2, 3, 1, 0)],
    ['r0 %= r1', raw(0x9f, 0, 1, 0, 0)],
    ['w0 %= 7', raw(0x94, 0, 0, 0, 7)],
    ['r0 = bswap16 r0', raw(0xd7, 0, 0, 0, 16)],
    ['r5 = bswap32 r5', raw(0xd7, 5, 0, 0, 32)],
    ['r9 = bswap64 r9', raw(0xd7, 9, 0, 0, 64)],
    ['gotol +5', raw(0x06, 0, 0, 0, 5)],
    ['gotol -100000', raw(0x06, 0, 0, 0, -100000)],
    ['r0 = *(s8 *)(r1 + 0)', raw(0x91, 0, 1, 0, 0)],
    ['r3 = *(s16 *)(r10 - 2)', raw(0x89, 3, 10, -2, 0)],
    ['r4 = *(s32 *)(r2 + 4)', raw(0x81, 4, 2, 4, 0)],
    ['*(u8 *)(r1 + 0) = 5', raw(0x72, 1, 0, 0, 5)],
    ['*(u16 *)(r10 - 2) = -1', raw(0x6a, 10, 0, -2, -1)],
    ['*(u32 *)(r10 - 4) = 0x7fffffff', raw(0x62, 10, 0, -4, 0x7fffffff)],
    ['*(u64 *)(r10 - 8) = -5', raw(0x7a, 10, 0, -8, -5)],
    ['if r1 & r2 goto +1', raw(0x4d, 1, 2, 1, 0)],
    ['if r1 & 3 goto +1', raw(0x45, 1, 0, 1, 3)],
    ['if w1 & w2 goto -1', raw(0x4e, 1, 2, -1, 0)],
    ['if w1 & 8 goto +2', raw(0x46, 1, 0, 2, 8)],
    ['r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)', raw(0xdb, 1, 2, 0, 0x01)],
    ['r2 = atomic_fetch_and((u64 *)(r1 + 8), r2)', raw(0xdb, 1, 2, 8, 0x51)],
    ['r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)', raw(0xdb, 1, 2, 0, 0x41)],
    ['r2 = atomic_fetch_xor((u64 *)(r1 + 0), r2)', raw(0xdb, 1, 2, 0, 0xa1)],
    ['w2 = atomic_fetch_add((u32 *)(r1 + 0), w2)', raw(0xc3, 1, 2, 0, 0x01)],
    ['w2 = atomic_fetch_and((u32 *)(r1 - 4), w2)', raw(0xc3, 1, 2, -4, 0x51)],
    ['r2 = atomic_fetch_or((u32 *)(r1 + 0), r2)', raw(0xc3, 1, 2, 0, 0x41)],
    ['lock *(u32 *)(r1 + 0) &= w2', raw(0xc3, 1, 2, 0, 0x50)],
    ['lock *(u32 *)(r1 + 0) |= w2', raw(0xc3, 1, 2, 0, 0x40)],
    ['lock *(u32 *)(r1 + 0) ^= w2', raw(0xc3, 1, 2, 0, 0xa0)],
    ['r0 = xchg_64(r1 + 0, r0)', raw(0xdb, 1, 0, 0, 0xe1)],
    ['w3 = xchg32_32(r1 + 8, w3)', raw(0xc3, 1, 3, 8, 0xe1)],
    ['r0 = cmpxchg_64(r1 + 0, r0, r4)', raw(0xdb, 1, 4, 0, 0xf1)],
    ['w0 = cmpxchg32_32(r2 - 8, w0, w5)', raw(0xc3, 2, 5, -8, 0xf1)],
    ['r0 = load_acquire((u64 *)(r1 + 0))', raw(0xdb, 0, 1, 0, 0x100)],
    ['w0 = load_acquire((u8 *)(r1 + 2))', raw(0xd3, 0, 1, 2, 0x100)],
    ['store_release((u32 *)(r1 + 0), w2)', raw(0xc3, 1, 2, 0, 0x110)],
    ['callx r5', raw(0x8d, 0, 0, 0, 5)],
    ['may_goto +3', raw(0xe5, 0, 0, 3, 0)],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(assembleInsns(text)).toEqual([expected]);
  });

  it('ld_pseudo (how llvm-objdump-14 prints LD_IMM64 with a pseudo source)', () => {
    expect(assembleInsns('ld_pseudo r1, 2, 7')).toEqual([raw(0x18, 1, 2, 0, 7), raw(0, 0, 0, 0, 0)]);
  });
});

describe('errors', () => {
  function errorOf(text: string): AsmError {
    try {
      assemble(text, { fileName: 'x.s' });
    } catch (error) {
      if (error instanceof AsmError) return error;
      throw error;
    }
    throw new Error(`no error for ${JSON.stringify(text)}`);
  }

  const bad: [string, number, number, RegExp][] = [
    ['r0 = r11', 1, 6, /invalid register 'r11'/],
    ['w0 = r1', 1, 6, /same width/],
    ['r0 += ', 1, 6, /expected a register or an immediate at end of line/],
    ['exit 1', 1, 6, /unexpected '1'/],
    ['r0 = 4294967296', 1, 6, /does not fit in 32 bits/],
    ['r0 = *(u64 *)(r1 + 32768)', 1, 20, /does not fit in 16 bits/],
    ['r0 = 18446744073709551616 ll', 1, 6, /does not fit in 64 bits/],
    ['\n  goto nowhere', 2, 8, /undefined label 'nowhere'/],
    ['frob r0', 1, 1, /expected an instruction/],
    ['r0 = *(u64 *)(w1 + 0)', 1, 15, /64-bit register/],
    ['w0 = *(u64 *)(r1 + 0)', 1, 1, /64-bit load/],
    ['r0 = -r1', 1, 7, /not the same as the dst register/],
    ['r2 = atomic_fetch_add((u64 *)(r1 + 0), r3)', 1, 40, /not the same as the dst register/],
    ['r1 = cmpxchg_64(r1 + 0, r0, r2)', 1, 1, /r0/],
    ['if r1 ~ r2 goto +1', 1, 7, /unexpected character '~'/],
    ['r1 = map', 1, 9, /'ll' after a symbol/],
    ['.frobnicate 3', 1, 1, /unknown directive '.frobnicate'/],
    ['a:\na:', 2, 1, /already defined \(line 1\)/],
    ['<unknown>', 1, 1, /expected an instruction|unexpected/],
    ['  7:\t<unknown>', 1, 6, /without its encoding bytes/],
    ['  0:\t85 00 00 00 02 00 00 00\tcall 3', 1, 30, /do not match/],
    ['.data\nr0 = 1', 2, 1, /instruction in data section/],
    ['.globl .La', 1, 8, /non-local symbol required, found '.La'/],
    ['.bss\n  .quad x', 2, 9, /a symbol's value in section '.bss'/],
    ['.data\n  .short x', 2, 10, /a 2-byte value cannot hold the address of 'x'/],
    ['.data\na:\n.long a - b\n.text\nb:', 3, 7, /does not reduce to a constant/],
    ['.data\n.long a - b', 2, 7, /undefined symbol 'a'/],
    ['f:\n.size f, 0 - 1', 2, 1, /.size of 'f' is -1, not a size/],
    ['.section .rodata.str,"aMS",@progbits', 1, 10, /needs its entry size/],
    ['.data\n.uleb128 -1', 2, 10, /negative value -1/],
    ['.data\n.quad 18446744073709551616', 2, 7, /does not fit in 8 byte/],
    // Five times 16 MiB: past the 64 MiB an object may hold.
    [`.data${'\n.zero 16777216'.repeat(5)}`, 6, 0, /would hold more than 67108864 bytes/],
  ];
  it.each(bad)('%j is refused at line %i column %i', (text, line, column, message) => {
    const error = errorOf(text);
    expect(error.file).toBe('x.s');
    expect(error.message).toMatch(message);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('never throws anything but AsmError on arbitrary text', () => {
    const alphabet = fc.oneof(
      fc.constantFrom(...'rw0123456789 =+-*()[]<>!&|^%/s,:.#;\nxgotoifcall exit ll u8 u64 lock"'.split('')),
      fc.constantFrom(
        '.section ',
        '.text\n',
        '.data\n',
        '.byte ',
        '.quad ',
        '.size ',
        '.asciz ',
        '.comm ',
        '.p2align ',
        '.globl ',
        '.weak ',
        '.hidden ',
        '.local ',
        '.uleb128 ',
        '.sleb128 ',
        '.long .La-.Lb\n',
        '.long f+8\n',
        '.Lb:',
        '.section .BTF,"",@progbits\n',
        '.section .rodata.str1.1,"aMS",@progbits,',
        '.file "x.c"\n',
        '.addrsig_sym ',
        '.type f,@function\n',
        'f:',
        'call f\n',
        'r1 = f ll\n',
        'goto f\n',
        '  0:\t85 10 00 00 02 00 00 00\t',
        '0000000000000000 <f>:\n',
        '\t\t0000000000000000:  R_BPF_64_32\tf\n',
        'Disassembly of section xdp:\n',
        '<unknown>',
        'ld_pseudo r1, ',
        '99999999999999999999999',
      ),
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        for (const run of [
          () => assemble(parts.join(''), { objdumpLocalCalls: true }),
          () => assembleInsns(parts.join('')),
        ]) {
          try {
            run();
          } catch (error) {
            if (!(error instanceof AsmError)) throw error;
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('turns files of plausible directives into an ELF object or an AsmError, never another exception', () => {
    const name = fc.constantFrom('a', 'b', 'f', '.La', '.Lb', 'LBB0_1', '.text', 'xdp');
    // Mostly small values, sometimes the edges where sizes and ranges are checked.
    const number = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, -129, 2 ** 31, -(2 ** 63), 2 ** 64) },
    );
    const expression = fc.oneof(
      number.map(String),
      name,
      fc.tuple(name, number).map(([n, v]) => `${n}+${v}`),
      fc.tuple(name, name).map(([x, y]) => `${x}-${y}`),
      fc.tuple(name, name, number).map(([x, y, v]) => `${x} - ${y} + ${v}`),
      name.map((n) => `.-${n}`),
    );
    const anywhere = fc.oneof(
      name.map((n) => `${n}:`),
      fc
        .tuple(
          fc.constantFrom('.globl', '.weak', '.local', '.hidden', '.protected', '.addrsig_sym'),
          // `.L` names are refused here (as by llvm-mc): now and then only.
          fc.oneof(
            { weight: 9, arbitrary: fc.constantFrom('a', 'b', 'f', 'xdp') },
            { weight: 1, arbitrary: name },
          ),
        )
        .map(([directive, n]) => `${directive} ${n}`),
      fc.tuple(name, fc.constantFrom('@function', '@object', '@notype')).map(([n, t]) => `.type ${n},${t}`),
      fc.tuple(name, expression).map(([n, e]) => `.size ${n}, ${e}`),
      fc.constantFrom('.addrsig', '.file "x.c"', '.p2align 3'),
    );
    const codeLine = fc.oneof(
      { weight: 3, arbitrary: anywhere },
      { weight: 3, arbitrary: fc.constantFrom('exit', 'r0 = 1', 'r2 = r1') },
      { weight: 2, arbitrary: name.map((n) => `call ${n}`) },
      { weight: 1, arbitrary: fc.constantFrom('goto a', 'goto LBB0_1') },
      {
        weight: 2,
        arbitrary: fc.tuple(name, fc.integer({ min: 0, max: 64 })).map(([n, v]) => `r1 = ${n} + ${v} ll`),
      },
    );
    const dataLine = fc.oneof(
      anywhere,
      fc
        .tuple(
          fc.constantFrom('.byte', '.short', '.long', '.long', '.quad', '.quad'),
          fc.array(expression, { minLength: 1, maxLength: 3 }),
        )
        .map(([directive, values]) => `${directive} ${values.join(', ')}`),
      fc.tuple(fc.constantFrom('.uleb128', '.sleb128'), number).map(([directive, v]) => `${directive} ${v}`),
      fc
        .tuple(fc.constantFrom('.zero', '.p2align'), fc.integer({ min: 0, max: 12 }))
        .map(([d, v]) => `${d} ${v}`),
      fc.constantFrom('.asciz "hi"', '.ascii "\\x41\\n"'),
    );
    const block = fc.oneof(
      fc.tuple(
        fc.constantFrom('.text', '.section xdp,"ax",@progbits'),
        fc.array(codeLine, { maxLength: 12 }),
      ),
      fc.tuple(
        fc.constantFrom(
          '.data',
          '.section .BTF,"",@progbits',
          '.section .BTF.ext,"",@progbits',
          '.section .maps,"aw",@progbits',
          '.section .rodata.str1.1,"aMS",@progbits,1',
          '.section license,"aw",@progbits',
        ),
        fc.array(dataLine, { maxLength: 12 }),
      ),
      fc.tuple(
        fc.constantFrom('.bss', '.section .bss,"aw",@nobits'),
        fc.array(fc.oneof(anywhere, fc.constantFrom('.zero 8', '.quad 0')), { maxLength: 6 }),
      ),
    );
    const file = fc
      .array(block, { minLength: 1, maxLength: 6 })
      .map((blocks) => blocks.flatMap(([header, lines]) => [header, ...lines]));
    let objects = 0;
    let dataRelocations = 0;
    fc.assert(
      fc.property(file, (lines) => {
        const text = lines.join('\n');
        let object: AssembledObject;
        try {
          object = assemble(text, { fileName: 'fuzz.s' });
        } catch (error) {
          if (error instanceof AsmError) return;
          throw error;
        }
        // What the assembler accepts, the ELF writer writes and the reader reads back, at a bounded size.
        const elf = parseElf(assembledObjectToElf(object), 'fuzz.o');
        expect(elf.sections.reduce((sum, s) => sum + s.size, 0)).toBeLessThan(lines.length * 4096 + 65536);
        objects++;
        if (object.sections.some((s) => s.kind !== 'code' && s.relocations.length > 0)) dataRelocations++;
      }),
      { numRuns: 3000, seed: 21 },
    );
    // About a third of the files assemble, a few dozen with relocations in data (BTF-like) sections.
    expect(objects).toBeGreaterThan(500);
    expect(dataRelocations).toBeGreaterThan(20);
  });
});

describe('labels, functions and sections', () => {
  it('resolves jumps to labels and calls to local functions pc-relative', () => {
    const insns = assembleInsns(`
      main:
        r1 = 1
        if r1 > 5 goto out
        call helper_fn      // a local function defined below
        goto out
      out:
        exit
      helper_fn:
        r0 = 7
        exit
    `);
    expect(insns).toEqual([
      raw(0xb7, 1, 0, 0, 1),
      raw(0x25, 1, 0, 2, 5),
      raw(0x85, 0, 1, 0, 2),
      raw(0x05, 0, 0, 0, 0),
      raw(0x95, 0, 0, 0, 0),
      raw(0xb7, 0, 0, 0, 7),
      raw(0x95, 0, 0, 0, 0),
    ]);
  });

  it('keeps relocations for maps, externs and calls across sections', () => {
    const object = assemble(
      `
      .section xdp,"ax",@progbits
      .globl prog
      prog:
        r1 = some_map ll
        call extern_fn
        call sub
        r1 = table + 8 ll
        exit
      .text
        exit
        exit
      sub:
        r0 = 1
        exit
      .data
        .quad 0, 0
      table:
        .quad 1, 2
        .quad sub
      `,
      { fileName: 'p.s' },
    );
    const xdp = object.sections.find((s) => s.name === 'xdp')!;
    expect(xdp.kind).toBe('code');
    // As llvm-mc-14: local symbols are relocated through their section's symbol, their offset kept in imm.
    expect(xdp.insns).toEqual([
      raw(0x18, 1, 0, 0, 0),
      raw(0, 0, 0, 0, 0),
      raw(0x85, 0, 1, 0, -1),
      raw(0x85, 0, 1, 0, 1),
      raw(0x18, 1, 0, 0, 24),
      raw(0, 0, 0, 0, 0),
      raw(0x95, 0, 0, 0, 0),
    ]);
    expect(xdp.relocations).toEqual([
      { insnIndex: 0, offset: 0, type: 'R_BPF_64_64', symbol: 'some_map' },
      { insnIndex: 2, offset: 16, type: 'R_BPF_64_32', symbol: 'extern_fn' },
      { insnIndex: 3, offset: 24, type: 'R_BPF_64_32', symbol: '.text', againstSection: true },
      { insnIndex: 4, offset: 32, type: 'R_BPF_64_64', symbol: '.data', againstSection: true },
    ]);
    expect(xdp.symbols).toEqual([
      { name: 'prog', offset: 0, byteOffset: 0, size: 56, kind: 'function', binding: 'global' },
    ]);
    const text = object.sections.find((s) => s.name === '.text')!;
    expect(text.symbols).toEqual([
      { name: 'sub', offset: 2, byteOffset: 16, size: 16, kind: 'function', binding: 'local' },
    ]);
    const data = object.sections.find((s) => s.name === '.data')!;
    expect(data.kind).toBe('data');
    const quads = (...values: number[]) => values.flatMap((v) => [v, 0, 0, 0, 0, 0, 0, 0]);
    expect(hex(data.bytes)).toBe(hex(new Uint8Array(quads(0, 0, 1, 2, 16))));
    expect(data.relocations).toEqual([
      { insnIndex: -1, offset: 32, type: 'R_BPF_64_ABS64', symbol: '.text', againstSection: true },
    ]);
    expect(object.externs).toEqual([
      { name: 'some_map', kind: 'object' },
      { name: 'extern_fn', kind: 'function' },
    ]);
  });

  it('assembleInsns refuses what needs a relocation', () => {
    expect(() => assembleInsns('r1 = m ll\nexit')).toThrow(/'m' is not defined here/);
    expect(() => assembleInsns('call f')).toThrow(AsmError);
  });

  it('assembles data directives: strings, .comm, .size, alignment', () => {
    const object = assemble(`
      .section license,"aw",@progbits
      .globl LICENSE
      LICENSE:
        .asciz "GPL"
        .size LICENSE, 4
      .section .rodata
      .p2align 2
      msg:
        .ascii "a\\tb\\"\\n\\0"
        .byte 1, -1, 0x7f
        .short 513
        .long -2
      .local cnt
      .comm cnt,4,4
    `);
    const license = object.sections.find((s) => s.name === 'license')!;
    expect(license.kind).toBe('data');
    expect([...license.bytes]).toEqual([71, 80, 76, 0]);
    expect(license.symbols).toEqual([
      { name: 'LICENSE', offset: 0, byteOffset: 0, size: 4, kind: 'object', binding: 'global' },
    ]);
    const rodata = object.sections.find((s) => s.name === '.rodata')!;
    expect([...rodata.bytes]).toEqual([97, 9, 98, 34, 10, 0, 1, 255, 127, 1, 2, 254, 255, 255, 255]);
    const bss = object.sections.find((s) => s.name === '.bss')!;
    expect(bss.kind).toBe('bss');
    expect(bss.bytes.length).toBe(4);
    expect(bss.symbols).toEqual([
      { name: 'cnt', offset: 0, byteOffset: 0, size: 4, kind: 'object', binding: 'local' },
    ]);
  });
});

/** Compiles C with clang-14 and returns the object's sections (via llvm-objcopy-free reading of objdump bytes). */
function compile(name: string, source: string, extraFlags: string[] = []) {
  const c = join(work, `${name}.c`);
  const o = join(work, `${name}.o`);
  const s = join(work, `${name}.s`);
  writeFileSync(c, source);
  const flags = ['-O2', '-target', 'bpf', '-I/usr/include/x86_64-linux-gnu', ...extraFlags];
  execFileSync('clang-14', [...flags, '-c', c, '-o', o]);
  execFileSync('clang-14', [...flags, '-S', c, '-o', s]);
  const listing = execFileSync('llvm-objdump-14', ['-d', '-r', o], { encoding: 'utf8' });
  return { listing, asm: readFileSync(s, 'utf8'), sections: sectionsOfListing(listing), object: o };
}

/** Instruction bytes and relocations per code section, read from the `-d -r` listing of a clang object. */
function sectionsOfListing(listing: string) {
  const sections = new Map<
    string,
    { bytes: number[]; relocations: { offset: number; type: string; symbol: string }[] }
  >();
  let current:
    | { bytes: number[]; relocations: { offset: number; type: string; symbol: string }[] }
    | undefined;
  for (const line of listing.split('\n')) {
    const header = /^Disassembly of section (.+):$/.exec(line);
    if (header) {
      current = { bytes: [], relocations: [] };
      sections.set(header[1], current);
      continue;
    }
    const insn = /^\s*\d+:\t((?:[0-9a-f]{2} )*[0-9a-f]{2})\t/.exec(line);
    if (insn && current)
      current.bytes.push(
        ...insn[1]
          .trim()
          .split(' ')
          .map((b) => Number.parseInt(b, 16)),
      );
    const relocation = /^\s+([0-9a-f]+):\s+(R_BPF_\w+)\s+(\S+)$/.exec(line);
    if (relocation && current) {
      current.relocations.push({
        offset: Number.parseInt(relocation[1], 16),
        type: relocation[2],
        symbol: relocation[3],
      });
    }
  }
  return sections;
}

/**
 * Stripped of its bytes, llvm-objdump-14 text cannot tell helper call N from a local call N instructions ahead;
 * `objdumpLocalCalls` guesses. Everything else must come back exactly; a call may differ only in that guess.
 */
function expectSameExceptAmbiguousCalls(ours: Uint8Array, expected: number[], where: string) {
  const a = readInsns(ours);
  const b = readInsns(Uint8Array.from(expected));
  expect(a.length, where).toBe(b.length);
  let guessedWrong = 0;
  a.forEach((insn, i) => {
    if (insn.code === 0x85 && b[i].code === 0x85 && insn.src !== b[i].src) {
      expect([insn.src, b[i].src].sort(), `${where}[${i}]`).toEqual([0, 1]);
      expect({ ...insn, src: 0 }, `${where}[${i}]`).toEqual({ ...b[i], src: 0 });
      expect(insn.imm >= 0 && insn.imm <= 211, `${where}[${i}] imm ${insn.imm} could be a helper id`).toBe(
        true,
      );
      guessedWrong++;
    } else expect(insn, `${where}[${i}]`).toEqual(b[i]);
  });
  expect(guessedWrong, `${where}: wrong guesses`).toBeLessThanOrEqual(1);
}

const PROGRAMS: Record<string, string> = {
  calls: `
    #include <linux/bpf.h>
    #include <bpf/bpf_helpers.h>
    struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, int); __type(value, long); } m SEC(".maps");
    int gcount = 3;
    static int cnt2;
    __attribute__((noinline)) int gfunc(int x) { return x + gcount; }
    __attribute__((noinline)) static int sfunc(int x) { return x * 2 + cnt2++; }
    __attribute__((noinline)) static int leaf(int x) { return x - 1; }
    __attribute__((noinline)) static int mid(int x) { return leaf(x) * leaf(x + 1); }
    SEC("xdp") int prog(struct xdp_md *ctx) {
      int k = 0; long *v = bpf_map_lookup_elem(&m, &k);
      if (!v) return 1;
      return gfunc(*v) + sfunc(2) + mid(ctx->ingress_ifindex);
    }
    SEC("tc") int prog2(struct __sk_buff *ctx) { return sfunc(ctx->len) + gfunc(1) + mid(ctx->mark); }
    char LICENSE[] SEC("license") = "GPL";
  `,
  loops: `
    #include <linux/bpf.h>
    #include <bpf/bpf_helpers.h>
    static __attribute__((noinline)) unsigned long long fib(unsigned int n) {
      unsigned long long a = 0, b = 1;
      for (unsigned int i = 0; i < n && i < 90; i++) { unsigned long long t = a + b; a = b; b = t; }
      return a;
    }
    static __attribute__((noinline)) int sum(const unsigned char *p, const unsigned char *end) {
      int s = 0;
      for (int i = 0; i < 64 && p + i + 1 <= end; i++) s += p[i] ^ (p[i] >> 3);
      return s;
    }
    SEC("socket") int sock(struct __sk_buff *skb) {
      unsigned char *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
      long long x = (long long)fib(skb->len & 63);
      __sync_fetch_and_add(&skb->cb[0], 1);
      return sum(data, end) + (int)(x >> 7) + (int)((unsigned long long)x % 1000) + __builtin_bswap32(skb->mark);
    }
    char LICENSE[] SEC("license") = "GPL";
  `,
};

function compareWithObject(object: AssembledObject, sections: ReturnType<typeof sectionsOfListing>) {
  for (const [name, expected] of sections) {
    const section = object.sections.find((s) => s.name === name);
    expect(section, `section ${name}`).toBeDefined();
    const clangInsns = readInsns(Uint8Array.from(expected.bytes));
    expect(section!.insns.length).toBe(clangInsns.length);
    const relocatedByClang = new Set(expected.relocations.map((r) => r.offset / 8));
    const relocatedByUs = new Set(section!.relocations.map((r) => r.insnIndex));
    // Where clang relocates, so do we (its relocation may name a section symbol where ours names the function).
    expect([...relocatedByUs].sort()).toEqual([...relocatedByClang].sort());
    clangInsns.forEach((clangInsn, i) => {
      const ours = section!.insns[i];
      if (relocatedByClang.has(i)) expect({ ...ours, imm: 0 }).toEqual({ ...clangInsn, imm: 0 });
      else expect(ours, `${name}[${i}]`).toEqual(clangInsn);
    });
  }
}

describe('clang-14 output', () => {
  for (const [name, source] of Object.entries(PROGRAMS)) {
    // -g adds .loc/.file directives, DWARF (skipped) and .BTF/.BTF.ext (kept: test/integration/asm-roundtrip.test.ts).
    for (const [cpu, flags] of [
      ['v2', []],
      ['v3', ['-g']],
    ] as const) {
      it(`clang -S of '${name}' (-mcpu=${cpu} ${flags.join(' ')}) assembles to the object's instructions`, () => {
        const compiled = compile(`${name}-${cpu}`, source, [`-mcpu=${cpu}`, ...flags]);
        const object = assemble(compiled.asm, { fileName: `${name}.s` });
        compareWithObject(object, compiled.sections);
        const text = object.sections.find((s) => s.name === '.text');
        if (text) expect(text.symbols.filter((s) => s.kind === 'function').length).toBeGreaterThan(1);
      });

      it(`llvm-objdump-14 listing of '${name}' (-mcpu=${cpu}) assembles back to the same bytes`, () => {
        const compiled = compile(`${name}-${cpu}`, source, [`-mcpu=${cpu}`, ...flags]);
        // With the bytes and relocation lines: exact, relocations included.
        const listed = assemble(compiled.listing);
        for (const [sectionName, expected] of compiled.sections) {
          const section = listed.sections.find((s) => s.name === sectionName)!;
          expect(hex(section.bytes)).toBe(hex(Uint8Array.from(expected.bytes)));
          expect(
            section.relocations.map((r) => ({ offset: r.offset, type: r.type, symbol: r.symbol })),
          ).toEqual(expected.relocations);
        }
        // Stripped of addresses and bytes, as a user might paste it.
        const stripped = compiled.listing
          .split('\n')
          .map((line) => line.replace(/^\s*\d+:\t(?:[0-9a-f]{2} )*[0-9a-f]{2}\t/, '\t'))
          .join('\n');
        const reassembled = assemble(stripped, { objdumpLocalCalls: true });
        for (const [sectionName, expected] of compiled.sections) {
          const section = reassembled.sections.find((s) => s.name === sectionName)!;
          expectSameExceptAmbiguousCalls(section.bytes, expected.bytes, sectionName);
        }
      });
    }
  }
});

/** Whether the kernel's first two checks (opcode, then fields) accept the instruction. */
function isValidEncoding(insns: Insn[]): boolean {
  try {
    checkOpcodeStage(insns, 0);
    checkFieldStage(insns, 0);
    return true;
  } catch (error) {
    if (error instanceof InsnError) return false;
    throw error;
  }
}

/** Random instructions: any opcode of the table, fields biased toward the values rules single out. */
const randomInsn: fc.Arbitrary<Insn[]> = fc
  .tuple(
    fc.constantFrom(...OPCODE_TABLE.keys(), 0x18),
    fc.integer({ min: 0, max: 10 }),
    fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom(0, 1, 2)),
    fc.oneof(fc.constantFrom(0, 1, 8, 16, 32), fc.integer({ min: -32768, max: 32767 })),
    fc.oneof(
      fc.constantFrom(0, 1, 16, 32, 64, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, -1),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    ),
    fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  )
  .map(([code, dst, src, off, imm, high]) => {
    const first = { code, dst, src, off, imm };
    return code === 0x18 ? [first, { code: 0, dst: 0, src: 0, off: 0, imm: high }] : [first];
  });

describe('round trip with the disassembler', () => {
  it('random valid instructions -> formatInsn -> assemble -> the same instructions', () => {
    let checked = 0;
    fc.assert(
      fc.property(randomInsn, fc.boolean(), (insns, alu32) => {
        if (!isValidEncoding(insns)) return;
        const first = insns[0];
        // Text that does not carry every field (see disassembler.ts): local and kfunc calls print as `call N`;
        // `ld_pseudo` drops the high half of its immediate...
        if (first.code === 0x85 && first.src !== 0) return;
        if (first.code === 0x18 && first.src !== 0 && insns[1].imm !== 0) return;
        // ...and `r0 = *(u32 *)skb[r1]` has no place for the imm the kernel adds to a BPF_IND load.
        if ((first.code & 0xe7) === 0x40 && first.imm !== 0) return;
        const text = formatInsn(insns, 0, { alu32 });
        expect(text).not.toBe('<unknown>');
        expect(assembleInsns(text), text).toEqual(insns);
        checked++;
      }),
      { numRuns: 60000 },
    );
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('the project corpus (test/progs/*.o)', () => {
  const progs = join(dirname(fileURLToPath(import.meta.url)), '../../test/progs');
  const objects = readdirSync(progs).filter((f) => f.endsWith('.o'));

  it.each(objects)('llvm-objdump-14 listing of %s assembles back to its bytes', (file) => {
    const listing = execFileSync('llvm-objdump-14', ['-d', '-r', join(progs, file)], { encoding: 'utf8' });
    const expected = sectionsOfListing(listing);
    const withBytes = assemble(listing, { fileName: file });
    const stripped = assemble(
      listing
        .split('\n')
        .map((line) => line.replace(/^\s*\d+:\t(?:[0-9a-f]{2} )*[0-9a-f]{2}\t/, '\t'))
        .join('\n'),
      { fileName: file, objdumpLocalCalls: true },
    );
    for (const [name, section] of expected) {
      expect(hex(withBytes.sections.find((s) => s.name === name)!.bytes), name).toBe(
        hex(Uint8Array.from(section.bytes)),
      );
      // Without the bytes, what llvm-objdump-14 could not print (`<unknown>`) cannot come back.
      if (!listing.includes('<unknown>')) {
        expectSameExceptAmbiguousCalls(
          stripped.sections.find((s) => s.name === name)!.bytes,
          section.bytes,
          name,
        );
      }
    }
  });
});
