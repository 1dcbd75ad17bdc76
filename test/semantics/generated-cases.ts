// Generates the semantics suite's ALU, jump, byte-swap and load cases as assembly text (the project's LLVM
// syntax): each case computes a value from edge-case operands and stores it into the packet.

/** Operands that sit on the edges of 64- and 32-bit arithmetic. */
export const EDGE_VALUES: readonly bigint[] = [
  0n,
  1n,
  3n,
  0xffff_ffff_ffff_ffffn, // -1
  0xffff_ffff_ffff_fff9n, // -7
  0x7fff_ffff_ffff_ffffn,
  0x8000_0000_0000_0000n,
  0x8000_0000n,
  0xffff_ffffn,
  0x7fff_ffffn,
  0x1_ffff_fffen,
  31n,
  32n,
  63n,
  64n,
  0x1234_5678_9abc_def0n,
];

const ALU_OPS = ['+=', '-=', '*=', '/=', 's/=', '%=', 's%=', '|=', '&=', '^=', '<<=', '>>=', 's>>='] as const;
/** Immediates the kernel accepts for every op (no division by an immediate 0, shifts below the width). */
const IMMEDIATES = [1, -1, -7, 3, 31, 0x7fffffff, -0x80000000] as const;
const JUMP_OPS = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<=', '&'] as const;

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** One program's body: cases that each leave their result in r2, stored at the next packet slot. */
export interface CaseProgram {
  name: string;
  /** Assembly lines computing r2 for each case. */
  cases: string[][];
}

function load(reg: 'r2' | 'r3' | 'r4', value: bigint): string {
  return `${reg} = ${hex(value)} ll`;
}

function aluCases(width: 64 | 32): string[][] {
  const r = width === 64 ? 'r' : 'w';
  const cases: string[][] = [];
  for (const op of ALU_OPS) {
    for (const a of EDGE_VALUES) {
      for (const b of EDGE_VALUES) {
        cases.push([load('r2', a), load('r3', b), `${r}2 ${op} ${r}3`]);
      }
      for (const imm of IMMEDIATES) {
        const isShift = op === '<<=' || op === '>>=' || op === 's>>=';
        if (isShift && (imm < 0 || imm >= width)) continue;
        cases.push([load('r2', a), `${r}2 ${op} ${imm}`]);
      }
    }
  }
  for (const a of EDGE_VALUES) {
    cases.push([load('r2', a), `${r}2 = -${r}2`]);
    cases.push([load('r3', a), `${r}2 = ${r}3`]);
    for (const imm of IMMEDIATES) cases.push([load('r2', a), `${r}2 = ${imm}`]);
  }
  return cases;
}

function conversionCases(): string[][] {
  const cases: string[][] = [];
  for (const a of EDGE_VALUES) {
    for (const bits of [16, 32, 64]) {
      cases.push([load('r2', a), `r2 = be${bits} r2`]);
      cases.push([load('r2', a), `r2 = le${bits} r2`]);
      cases.push([load('r2', a), `r2 = bswap${bits} r2`]);
    }
    for (const bits of [8, 16, 32]) cases.push([load('r3', a), `r2 = (s${bits})r3`]);
    for (const bits of [8, 16]) cases.push([load('r3', a), `w2 = (s${bits})w3`]);
  }
  // Unconditional jumps: `goto` (16-bit offset) and `gotol` (32-bit offset, cpu v4), forwards and backwards.
  // (The kernel refuses unreachable instructions, so every skipped instruction is reached another way.)
  cases.push(['r2 = 1', 'goto +0', 'r2 += 1']);
  cases.push(['r2 = 2', 'gotol +0', 'r2 += 2']);
  cases.push(['r2 = 3', 'goto +1', 'goto +2', 'r2 += 10', 'gotol -3']);
  return cases;
}

function jumpCases(width: 64 | 32): string[][] {
  const r = width === 64 ? 'r' : 'w';
  const cases: string[][] = [];
  for (const op of JUMP_OPS) {
    for (const a of EDGE_VALUES) {
      for (const b of EDGE_VALUES) {
        cases.push([load('r3', a), load('r4', b), 'r2 = 1', `if ${r}3 ${op} ${r}4 goto +1`, 'r2 = 0']);
      }
      for (const imm of IMMEDIATES) {
        cases.push([load('r3', a), 'r2 = 1', `if ${r}3 ${op} ${imm} goto +1`, 'r2 = 0']);
      }
    }
  }
  return cases;
}

function loadCases(): string[][] {
  const cases: string[][] = [];
  for (const a of EDGE_VALUES) {
    for (const [size, offset] of [
      ['u8', -8],
      ['u8', -1],
      ['u16', -8],
      ['u16', -2],
      ['u32', -8],
      ['u32', -4],
      ['u64', -8],
      ['s8', -8],
      ['s8', -5],
      ['s16', -8],
      ['s16', -6],
      ['s32', -8],
      ['s32', -4],
    ] as const) {
      cases.push([
        load('r3', a),
        '*(u64 *)(r10 - 8) = r3',
        `r2 = *(${size} *)(r10 ${offset < 0 ? '-' : '+'} ${Math.abs(offset)})`,
      ]);
    }
    for (const [size, imm] of [
      ['u8', -3],
      ['u16', 0x7fff],
      ['u32', -0x80000000],
      ['u64', -7],
    ] as const) {
      cases.push([
        load('r3', a),
        '*(u64 *)(r10 - 8) = r3',
        `*(${size} *)(r10 - 8) = ${imm}`,
        'r2 = *(u64 *)(r10 - 8)',
      ]);
    }
  }
  return cases;
}

/** Packet slots per program: results are stored as u64 at 8-byte steps into a 1496-byte packet. */
export const SLOTS_PER_PROGRAM = 180;

function chunk(name: string, cases: string[][]): CaseProgram[] {
  const programs: CaseProgram[] = [];
  for (let i = 0; i < cases.length; i += SLOTS_PER_PROGRAM) {
    programs.push({ name: `${name}-${i / SLOTS_PER_PROGRAM}`, cases: cases.slice(i, i + SLOTS_PER_PROGRAM) });
  }
  return programs;
}

export function generatedPrograms(): CaseProgram[] {
  return [
    ...chunk('alu64', aluCases(64)),
    ...chunk('alu32', aluCases(32)),
    ...chunk('conversions', conversionCases()),
    ...chunk('jmp64', jumpCases(64)),
    ...chunk('jmp32', jumpCases(32)),
    ...chunk('loads', loadCases()),
  ];
}

/**
 * The xdp program around the cases: r6 = data, bounds-checked against data_end; each case's r2 goes to the
 * next packet slot and is folded into r9, whose low 32 bits become r0 (an xdp retval is 32 bits).
 */
export function programText(program: CaseProgram): string {
  const lines = [
    '.section xdp,"ax",@progbits',
    '.globl prog',
    'prog:',
    'r6 = *(u32 *)(r1 + 0)',
    'r7 = *(u32 *)(r1 + 4)',
    'r8 = r6',
    `r8 += ${program.cases.length * 8}`,
    'if r8 > r7 goto short',
    'r9 = 0',
  ];
  program.cases.forEach((body, index) => {
    lines.push(...body, `*(u64 *)(r6 + ${index * 8}) = r2`, 'r9 ^= r2', 'r9 *= 31');
  });
  lines.push('r0 = r9', 'r9 >>= 32', 'r0 ^= r9', 'exit', 'short:', 'r0 = 0', 'exit');
  return lines.join('\n');
}
