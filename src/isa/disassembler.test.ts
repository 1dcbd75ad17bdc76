// Instruction text checked against llvm-mc-14's BPF disassembler for every opcode byte with varied fields.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatInsn, formatLlvm14, llvm14DecodedLength } from './disassembler.js';
import { type Insn, insn, writeInsns } from './insn.js';
import { OPCODE_TABLE } from './opcode-table.js';

// A marker instruction after every case keeps llvm-mc's output aligned even when a case does not decode.
const MARKER = insn(0xb7, 11, 0, 0, 0x5a5a5a5a);
const MARKER_TEXT = 'r11 = 1515870810';

/** Disassembles each case (1 or 2 slots) with one llvm-mc run; undefined where llvm-mc refuses it. */
function llvmMc(cases: readonly Insn[][], attributes: string[] = []): (string | undefined)[] {
  const lines = cases.flatMap((slots) =>
    [writeInsns(slots), writeInsns([MARKER])].map((bytes) =>
      Array.from(bytes, (b) => `0x${b.toString(16)}`).join(' '),
    ),
  );
  const run = spawnSync('llvm-mc-14', ['-triple=bpfel', '--disassemble', ...attributes], {
    input: `${lines.join('\n')}\n`,
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`llvm-mc failed: ${run.stderr}`);
  const texts: (string | undefined)[] = [];
  let current: string[] = [];
  for (const line of run.stdout.toString().split('\n')) {
    if (!line.startsWith('\t') || line === '\t.text') continue;
    const text = line.slice(1);
    if (text === MARKER_TEXT) {
      texts.push(current.length ? current.join(' ; ') : undefined);
      current = [];
    } else current.push(text);
  }
  if (texts.length !== cases.length)
    throw new Error(`llvm-mc output misaligned: ${texts.length} of ${cases.length}`);
  return texts;
}

/** Deterministic pseudo-random numbers so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

const FIELD_VARIANTS: [number, number, number, number][] = [
  [0, 0, 0, 0],
  [1, 2, 3, 4],
  [1, 2, 0, 0],
  [10, 10, -8, -5],
  [11, 11, 0, 1],
  [12, 0, 0, 0],
  [0, 12, 0, 0],
  [15, 15, 0x7fff, -1],
  [1, 2, 1, 16],
  [1, 2, 8, 32],
  [1, 2, 16, 64],
  [1, 2, 32, 7],
  [1, 2, -32768, -2147483648],
  [3, 4, 0, 0x40],
  [3, 4, 0, 0x41],
  [3, 4, 0, 0x51],
  [3, 4, 0, 0xa1],
  [3, 4, 0, 0xe1],
  [3, 4, 0, 0xf1],
  [3, 4, 0, 0xe0],
  [3, 4, 0, 0x10],
  [3, 4, 0, 0x1e1],
];

function casesFor(code: number, random: () => number): Insn[][] {
  const cases: Insn[][] = [];
  const variants = [...FIELD_VARIANTS];
  for (let i = 0; i < 6; i++) {
    variants.push([random() & 0xf, random() & 0xf, (random() << 16) >> 16, random() | 0]);
  }
  for (const [dst, src, off, imm] of variants) {
    // llvm-mc-14 crashes printing `ld_pseudo` with imm 0 (a null MCExpr); keep those out of the batch.
    if (code === 0x18 && src !== 0 && imm === 0) continue;
    const slots = [insn(code, dst, src, off, imm)];
    if (code === 0x18) slots.push(insn(0, 0, 0, 0, (random() | 0) & (dst === 1 ? -1 : 0xff)));
    cases.push(slots);
  }
  return cases;
}

describe('formatInsn against llvm-mc-14 --disassemble', () => {
  const random = seededRandom(0x5eed);
  const cases: Insn[][] = [];
  for (let code = 0; code < 256; code++) cases.push(...casesFor(code, random));

  it('matches LLVM 14 byte for byte in llvm14 mode, including what it cannot decode', () => {
    const expected = llvmMc(cases);
    const mismatches: string[] = [];
    cases.forEach((slots, i) => {
      const ours = formatInsn(slots, 0, { syntax: 'llvm14' });
      const theirs = expected[i] ?? '<unknown>';
      if (ours !== theirs) mismatches.push(`${JSON.stringify(slots[0])}: ours ${ours} llvm ${theirs}`);
    });
    expect(mismatches).toEqual([]);
    // The batch really exercised both outcomes.
    expect(expected.filter((t) => t === undefined).length).toBeGreaterThan(1000);
    expect(expected.filter((t) => t !== undefined).length).toBeGreaterThan(1500);
  });

  it('matches llvm-mc-14 -mattr=+alu32 for loads, stores and atomics with the alu32 option', () => {
    const memCases = cases.filter(([first]) => [0x01, 0x03].includes(first.code & 0x07));
    const expected = llvmMc(memCases, ['-mattr=+alu32']);
    const mismatches: string[] = [];
    memCases.forEach((slots, i) => {
      const ours = formatLlvm14(slots, 0, { alu32: true }) ?? '<unknown>';
      const theirs = expected[i] ?? '<unknown>';
      if (ours !== theirs) mismatches.push(`${JSON.stringify(slots[0])}: ours ${ours} llvm ${theirs}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('prints valid 32-bit atomics in extended mode as LLVM does with alu32', () => {
    const atomics = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1].map((imm) => [
      insn(0xc3, 1, 2, -4, imm),
    ]);
    const expected = llvmMc(atomics, ['-mattr=+alu32']);
    atomics.forEach((slots, i) => {
      const ours = formatInsn(slots, 0);
      // Without alu32 LLVM writes the plain 32-bit add with an r register; every other form needs w.
      const theirs = slots[0].imm === 0 ? 'lock *(u32 *)(r1 - 4) += r2' : expected[i];
      expect(ours).toBe(theirs);
    });
  });

  it('agrees with llvm14 mode wherever LLVM 14 decodes a valid instruction correctly', () => {
    for (const [code, entry] of OPCODE_TABLE) {
      if (['jset', 'gotol', 'bswap'].some((n) => entry.name.startsWith(n))) continue;
      const slots = [
        insn(
          code,
          1,
          entry.src.kind === 'reg' ? 2 : 0,
          0,
          entry.imm.kind === 'oneOf' ? entry.imm.values[0] : entry.imm.kind === 'zero' ? 0 : 7,
        ),
      ];
      if (code === 0x18) slots.push(insn(0, 0, 0, 0, 0));
      if (entry.dst.kind === 'zero') slots[0] = { ...slots[0], dst: 0 };
      const llvm = formatLlvm14(slots, 0);
      if (llvm === undefined) continue;
      expect(formatInsn(slots, 0)).toBe(llvm);
    }
  });
});

describe('extended syntax for instructions LLVM 14 lacks', () => {
  const cases: [Insn, string][] = [
    [insn(0x3f, 1, 2, 1, 0), 'r1 s/= r2'],
    [insn(0x34, 1, 0, 1, -3), 'w1 s/= -3'],
    [insn(0x9f, 1, 2, 0, 0), 'r1 %= r2'],
    [insn(0x97, 1, 0, 1, 5), 'r1 s%= 5'],
    [insn(0x94, 3, 0, 0, 7), 'w3 %= 7'],
    [insn(0xbf, 1, 2, 8, 0), 'r1 = (s8)r2'],
    [insn(0xbf, 1, 2, 32, 0), 'r1 = (s32)r2'],
    [insn(0xbc, 1, 2, 16, 0), 'w1 = (s16)w2'],
    [insn(0xd7, 0, 0, 0, 16), 'r0 = bswap16 r0'],
    [insn(0xd7, 4, 0, 0, 64), 'r4 = bswap64 r4'],
    [insn(0x06, 0, 0, 0, -70000), 'gotol -70000'],
    [insn(0x06, 0, 0, 0, 5), 'gotol +5'],
    [insn(0x91, 0, 1, 2, 0), 'r0 = *(s8 *)(r1 + 2)'],
    [insn(0x81, 0, 1, -4, 0), 'r0 = *(s32 *)(r1 - 4)'],
    [insn(0x62, 10, 0, -8, 9), '*(u32 *)(r10 - 8) = 9'],
    [insn(0x7a, 1, 0, 0, -1), '*(u64 *)(r1 + 0) = -1'],
    [insn(0x45, 1, 0, 3, 4), 'if r1 & 4 goto +3'],
    [insn(0x4e, 1, 2, -1, 0), 'if w1 & w2 goto -1'],
    [insn(0xc3, 1, 2, 0, 1), 'w2 = atomic_fetch_add((u32 *)(r1 + 0), w2)'],
  ];
  it.each(cases)('%j prints %s', (raw, text) => {
    expect(formatInsn([raw], 0)).toBe(text);
    // LLVM 14 itself either refuses these or reads them as a different instruction.
    expect(formatInsn([raw], 0, { syntax: 'llvm14' })).not.toBe(text);
  });

  it('prints may_goto, load-acquire and store-release as LLVM 19+ does; LLVM 14 misreads or refuses them', () => {
    const cases: [Insn, string, string][] = [
      [insn(0xe5, 0, 0, 3, 0), 'may_goto +3', '<unknown>'],
      [insn(0xe5, 0, 0, -1, 0), 'may_goto -1', '<unknown>'],
      [insn(0xdb, 0, 1, 0, 0x100), 'r0 = load_acquire((u64 *)(r1 + 0))', 'lock *(u64 *)(r0 + 0) += r1'],
      [insn(0xd3, 0, 1, 2, 0x100), 'w0 = load_acquire((u8 *)(r1 + 2))', '<unknown>'],
      [insn(0xcb, 10, 2, -8, 0x110), 'store_release((u16 *)(r10 - 8), w2)', '<unknown>'],
      [insn(0xc3, 1, 2, 0, 0x110), 'store_release((u32 *)(r1 + 0), w2)', '<unknown>'],
      [insn(0xdb, 1, 2, 4, 0x110), 'store_release((u64 *)(r1 + 4), r2)', '<unknown>'],
    ];
    // What LLVM 14 prints is checked against llvm-mc-14 itself.
    const llvm = llvmMc(cases.map(([raw]) => [raw]));
    cases.forEach(([raw, text, llvm14], i) => {
      expect(formatInsn([raw], 0)).toBe(text);
      expect(formatInsn([raw], 0, { syntax: 'llvm14' })).toBe(llvm14);
      expect(llvm[i] ?? '<unknown>').toBe(llvm14);
    });
  });

  it('prints <unknown> for invalid encodings LLVM 14 cannot decode either', () => {
    expect(formatInsn([insn(0xff, 0, 0, 0, 0)], 0)).toBe('<unknown>');
    expect(formatInsn([insn(0x9f, 12, 0, 0, 0)], 0)).toBe('<unknown>');
  });
});

describe('llvm14DecodedLength', () => {
  it('consumes 16 bytes for LD_IMM64, 8 for other slots, 1 when bytes run out', () => {
    const ld = writeInsns([insn(0x18, 1, 0, 0, 5), insn(0, 0, 0, 0, 0)]);
    expect(llvm14DecodedLength(ld, 0)).toBe(16);
    expect(llvm14DecodedLength(ld.subarray(0, 12), 0)).toBe(1);
    expect(llvm14DecodedLength(writeInsns([insn(0x18, 1, 0, 1, 5), insn(0, 0, 0, 0, 0)]), 0)).toBe(8);
    expect(llvm14DecodedLength(writeInsns([insn(0xff, 0, 0, 0, 0)]), 0)).toBe(8);
    expect(llvm14DecodedLength(new Uint8Array(5), 0)).toBe(1);
  });
});
