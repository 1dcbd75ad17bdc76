// The opcode table: one entry per valid opcode byte, saying what it is and which fields it may use.
//
// Public API:
//   OPCODE_TABLE: ReadonlyMap<number, OpcodeEntry>   every opcode byte the kernel's verifier accepts
//                                                    (RFC 9669 + Linux extensions up to cpu v4), as data
//   opcodeEntry(code): OpcodeEntry | undefined
//   FieldRule, OpcodeEntry, InsnKind, AluOpName, JumpOpName, AtomicOpName, MemSize types
//   ATOMIC_OPS: imm value -> { op, fetch } for BPF_ATOMIC
//   Small typed helpers over the code byte (as cilium/ebpf's asm.OpCode does):
//   insnClass, isAluClass, isJumpClass, isMemClass, isJump, isConditionalJump, aluOp, jumpOp,
//   sourceIsReg, memSize, memMode, aluOpName, jumpOpName, className
//
// Field rules mirror the reserved-field checks of the Linux verifier (kernel/bpf/verifier.c:
// check_alu_op, do_check, check_cond_jmp_op, check_ld_imm, check_ld_abs, check_atomic,
// resolve_pseudo_ldimm64); `reserved` is the kernel's message when a non-register field breaks its rule.

import {
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_ALU64,
  BPF_AND,
  BPF_ARSH,
  BPF_ATOMIC,
  BPF_B,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DIV,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_FETCH,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JLE,
  BPF_JLT,
  BPF_JMP,
  BPF_JMP32,
  BPF_JNE,
  BPF_JSET,
  BPF_JSGE,
  BPF_JSGT,
  BPF_JSLE,
  BPF_JSLT,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOD,
  BPF_MOV,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RSH,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_SUB,
  BPF_W,
  BPF_X,
  BPF_XCHG,
  BPF_XOR,
  insnClass,
} from './opcodes.js';

/** What a field of an instruction may hold. */
export type FieldRule =
  /** A register number; above r10 the kernel says `R%d is invalid`. */
  | { readonly kind: 'reg' }
  | { readonly kind: 'zero' }
  | { readonly kind: 'any' }
  | { readonly kind: 'oneOf'; readonly values: readonly number[] }
  /** `off` of a call: the BTF fd index for kfunc calls (src 2), zero otherwise. */
  | { readonly kind: 'zeroUnlessKfunc' };

export type InsnKind =
  | 'alu'
  | 'endian'
  | 'jump'
  | 'may_goto'
  | 'call'
  | 'exit'
  | 'ld_imm64'
  | 'load'
  | 'store'
  | 'atomic'
  | 'ld_legacy';

export type AluOpName =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'or'
  | 'and'
  | 'lsh'
  | 'rsh'
  | 'neg'
  | 'mod'
  | 'xor'
  | 'mov'
  | 'arsh'
  | 'end';

export type JumpOpName =
  | 'ja'
  | 'jeq'
  | 'jgt'
  | 'jge'
  | 'jset'
  | 'jne'
  | 'jsgt'
  | 'jsge'
  | 'call'
  | 'exit'
  | 'may_goto'
  | 'jlt'
  | 'jle'
  | 'jslt'
  | 'jsle';

export type AtomicOpName = 'add' | 'or' | 'and' | 'xor' | 'xchg' | 'cmpxchg';
export type MemSize = 1 | 2 | 4 | 8;
export type ClassName = 'ld' | 'ldx' | 'st' | 'stx' | 'alu' | 'jmp' | 'jmp32' | 'alu64';

export interface OpcodeEntry {
  readonly code: number;
  /** Short name, e.g. `add64_imm`, `ldxw`, `jeq32_reg`, `lddw`, in the ubpf/RFC mnemonic style. */
  readonly name: string;
  readonly kind: InsnKind;
  readonly dst: FieldRule;
  readonly src: FieldRule;
  readonly off: FieldRule;
  readonly imm: FieldRule;
  /** Kernel message when a non-register field breaks its rule (`%02x` stands for imm in hex, `%d` in decimal). */
  readonly reserved: string;
  /** Registers in the order the kernel checks them (`R%d is invalid`). */
  readonly registerOrder: readonly ('src' | 'dst')[];
  /** Whether the instruction writes `dst` (the kernel refuses writes to r10: `frame pointer is read only`). */
  readonly writesDst: boolean;
}

const REG: FieldRule = { kind: 'reg' };
const ZERO: FieldRule = { kind: 'zero' };
const ANY: FieldRule = { kind: 'any' };
const oneOf = (...values: number[]): FieldRule => ({ kind: 'oneOf', values });

/** BPF_ATOMIC `imm` values of the read-modify-write atomics, which the kernel accepts for W and DW (RFC 9669 §5.3). */
export const ATOMIC_OPS: ReadonlyMap<number, { readonly op: AtomicOpName; readonly fetch: boolean }> =
  new Map([
    [BPF_ADD, { op: 'add', fetch: false }],
    [BPF_ADD | BPF_FETCH, { op: 'add', fetch: true }],
    [BPF_OR, { op: 'or', fetch: false }],
    [BPF_OR | BPF_FETCH, { op: 'or', fetch: true }],
    [BPF_AND, { op: 'and', fetch: false }],
    [BPF_AND | BPF_FETCH, { op: 'and', fetch: true }],
    [BPF_XOR, { op: 'xor', fetch: false }],
    [BPF_XOR | BPF_FETCH, { op: 'xor', fetch: true }],
    [BPF_XCHG, { op: 'xchg', fetch: true }],
    [BPF_CMPXCHG, { op: 'cmpxchg', fetch: true }],
  ]);

/** BPF_ATOMIC `imm` values of load-acquire and store-release, which the kernel accepts for every size. */
export const ACQUIRE_RELEASE_OPS: readonly number[] = [BPF_LOAD_ACQ, BPF_STORE_REL];

const ALU_OPS: readonly [AluOpName, number][] = [
  ['add', BPF_ADD],
  ['sub', BPF_SUB],
  ['mul', BPF_MUL],
  ['div', BPF_DIV],
  ['or', BPF_OR],
  ['and', BPF_AND],
  ['lsh', BPF_LSH],
  ['rsh', BPF_RSH],
  ['neg', BPF_NEG],
  ['mod', BPF_MOD],
  ['xor', BPF_XOR],
  ['mov', BPF_MOV],
  ['arsh', BPF_ARSH],
  ['end', BPF_END],
];

const CONDITIONAL_JUMP_OPS: readonly [JumpOpName, number][] = [
  ['jeq', BPF_JEQ],
  ['jgt', BPF_JGT],
  ['jge', BPF_JGE],
  ['jset', BPF_JSET],
  ['jne', BPF_JNE],
  ['jsgt', BPF_JSGT],
  ['jsge', BPF_JSGE],
  ['jlt', BPF_JLT],
  ['jle', BPF_JLE],
  ['jslt', BPF_JSLT],
  ['jsle', BPF_JSLE],
];

const SIZES: readonly [MemSize, number, string][] = [
  [4, BPF_W, 'w'],
  [2, BPF_H, 'h'],
  [1, BPF_B, 'b'],
  [8, BPF_DW, 'dw'],
];

function entry(
  code: number,
  name: string,
  kind: InsnKind,
  fields: { dst: FieldRule; src: FieldRule; off: FieldRule; imm: FieldRule },
  reserved: string,
  registerOrder: readonly ('src' | 'dst')[],
  writesDst: boolean,
): OpcodeEntry {
  return { code, name, kind, ...fields, reserved, registerOrder, writesDst };
}

function buildTable(): Map<number, OpcodeEntry> {
  const table = new Map<number, OpcodeEntry>();
  const add = (e: OpcodeEntry) => {
    if (table.has(e.code)) throw new Error(`duplicate opcode ${e.code.toString(16)}`);
    table.set(e.code, e);
  };

  // ALU and ALU64 (RFC 9669 §4.1, §4.2; sdiv/smod via off 1, movsx via off 8/16/32 are cpu v4).
  for (const [cls, width] of [
    [BPF_ALU, 32],
    [BPF_ALU64, 64],
  ] as const) {
    const suffix = width === 64 ? '64' : '32';
    for (const [name, op] of ALU_OPS) {
      if (name === 'neg') {
        const fields = { dst: REG, src: ZERO, off: ZERO, imm: ZERO };
        add(
          entry(
            cls | op | BPF_K,
            `neg${suffix}`,
            'alu',
            fields,
            'BPF_NEG uses reserved fields',
            ['dst'],
            true,
          ),
        );
        continue;
      }
      if (name === 'end') {
        const fields = { dst: REG, src: ZERO, off: ZERO, imm: oneOf(16, 32, 64) };
        const reserved = 'BPF_END uses reserved fields';
        if (cls === BPF_ALU) {
          add(entry(cls | op | BPF_K, 'le', 'endian', fields, reserved, ['dst'], true));
          add(entry(cls | op | BPF_X, 'be', 'endian', fields, reserved, ['dst'], true));
        } else {
          add(entry(cls | op | BPF_K, 'bswap', 'endian', fields, reserved, ['dst'], true));
        }
        continue;
      }
      if (name === 'mov') {
        const reserved = 'BPF_MOV uses reserved fields';
        add(
          entry(
            cls | op | BPF_K,
            `mov${suffix}_imm`,
            'alu',
            { dst: REG, src: ZERO, off: ZERO, imm: ANY },
            reserved,
            ['dst'],
            true,
          ),
        );
        const movsxOffsets = width === 64 ? oneOf(0, 8, 16, 32) : oneOf(0, 8, 16);
        add(
          entry(
            cls | op | BPF_X,
            `mov${suffix}_reg`,
            'alu',
            { dst: REG, src: REG, off: movsxOffsets, imm: ZERO },
            reserved,
            ['src', 'dst'],
            true,
          ),
        );
        continue;
      }
      const off = name === 'div' || name === 'mod' ? oneOf(0, 1) : ZERO;
      const reserved = 'BPF_ALU uses reserved fields';
      add(
        entry(
          cls | op | BPF_K,
          `${name}${suffix}_imm`,
          'alu',
          { dst: REG, src: ZERO, off, imm: ANY },
          reserved,
          ['dst'],
          true,
        ),
      );
      add(
        entry(
          cls | op | BPF_X,
          `${name}${suffix}_reg`,
          'alu',
          { dst: REG, src: REG, off, imm: ZERO },
          reserved,
          ['src', 'dst'],
          true,
        ),
      );
    }
  }

  // JMP and JMP32 (RFC 9669 §4.3); `gotol` is JMP32|JA with the offset in imm.
  for (const [cls, suffix] of [
    [BPF_JMP, ''],
    [BPF_JMP32, '32'],
  ] as const) {
    const jaFields =
      cls === BPF_JMP
        ? { dst: ZERO, src: ZERO, off: ANY, imm: ZERO }
        : { dst: ZERO, src: ZERO, off: ZERO, imm: ANY };
    add(
      entry(
        cls | BPF_JA | BPF_K,
        cls === BPF_JMP ? 'ja' : 'gotol',
        'jump',
        jaFields,
        'BPF_JA uses reserved fields',
        [],
        false,
      ),
    );
    for (const [name, op] of CONDITIONAL_JUMP_OPS) {
      const reserved = 'BPF_JMP/JMP32 uses reserved fields';
      add(
        entry(
          cls | op | BPF_K,
          `${name}${suffix}_imm`,
          'jump',
          { dst: REG, src: ZERO, off: ANY, imm: ANY },
          reserved,
          ['dst'],
          false,
        ),
      );
      add(
        entry(
          cls | op | BPF_X,
          `${name}${suffix}_reg`,
          'jump',
          { dst: REG, src: REG, off: ANY, imm: ZERO },
          reserved,
          ['src', 'dst'],
          false,
        ),
      );
    }
  }
  // kernel check_cond_jmp_op: may_goto (JMP only, src BPF_MAY_GOTO) takes nothing but its offset; any other
  // dst, src or imm is `invalid may_goto imm %d`, registers included (they are not registers here).
  add(
    entry(
      BPF_JMP | BPF_JCOND | BPF_K,
      'may_goto',
      'may_goto',
      { dst: ZERO, src: ZERO, off: ANY, imm: ZERO },
      'invalid may_goto imm %d',
      [],
      false,
    ),
  );
  add(
    entry(
      BPF_JMP | BPF_CALL | BPF_K,
      'call',
      'call',
      { dst: ZERO, src: oneOf(0, 1, 2), off: { kind: 'zeroUnlessKfunc' }, imm: ANY },
      'BPF_CALL uses reserved fields',
      [],
      false,
    ),
  );
  add(
    entry(
      BPF_JMP | BPF_EXIT | BPF_K,
      'exit',
      'exit',
      { dst: ZERO, src: ZERO, off: ZERO, imm: ZERO },
      'BPF_EXIT uses reserved fields',
      [],
      false,
    ),
  );

  // LD: 64-bit immediate (src selects the pseudo kind) and the legacy packet loads.
  add(
    entry(
      BPF_LD | BPF_IMM | BPF_DW,
      'lddw',
      'ld_imm64',
      { dst: REG, src: oneOf(0, 1, 2, 3, 4, 5, 6), off: ZERO, imm: ANY },
      'BPF_LD_IMM64 uses reserved fields',
      ['dst'],
      true,
    ),
  );
  for (const [size, sizeBits, letter] of SIZES) {
    if (size === 8) continue;
    const reserved = 'BPF_LD_[ABS|IND] uses reserved fields';
    add(
      entry(
        BPF_LD | BPF_ABS | sizeBits,
        `ldabs${letter}`,
        'ld_legacy',
        { dst: ZERO, src: ZERO, off: ZERO, imm: ANY },
        reserved,
        [],
        false,
      ),
    );
    add(
      entry(
        BPF_LD | BPF_IND | sizeBits,
        `ldind${letter}`,
        'ld_legacy',
        { dst: ZERO, src: REG, off: ZERO, imm: ANY },
        reserved,
        ['src'],
        false,
      ),
    );
  }

  // Memory loads and stores (RFC 9669 §5); sign-extending loads are cpu v4.
  for (const [size, sizeBits, letter] of SIZES) {
    add(
      entry(
        BPF_LDX | BPF_MEM | sizeBits,
        `ldx${letter}`,
        'load',
        { dst: REG, src: REG, off: ANY, imm: ZERO },
        'BPF_LDX uses reserved fields',
        ['src', 'dst'],
        true,
      ),
    );
    if (size !== 8) {
      add(
        entry(
          BPF_LDX | BPF_MEMSX | sizeBits,
          `ldxs${letter}`,
          'load',
          { dst: REG, src: REG, off: ANY, imm: ZERO },
          'BPF_LDX uses reserved fields',
          ['src', 'dst'],
          true,
        ),
      );
    }
    add(
      entry(
        BPF_ST | BPF_MEM | sizeBits,
        `st${letter}`,
        'store',
        { dst: REG, src: ZERO, off: ANY, imm: ANY },
        'BPF_ST uses reserved fields',
        ['dst'],
        false,
      ),
    );
    add(
      entry(
        BPF_STX | BPF_MEM | sizeBits,
        `stx${letter}`,
        'store',
        { dst: REG, src: REG, off: ANY, imm: ZERO },
        'BPF_STX uses reserved fields',
        ['src', 'dst'],
        false,
      ),
    );
    // Read-modify-write atomics exist for W and DW; load-acquire and store-release for every size.
    const atomicOps = size === 4 || size === 8 ? [...ATOMIC_OPS.keys()] : [];
    add(
      entry(
        BPF_STX | BPF_ATOMIC | sizeBits,
        `atomic${letter}`,
        'atomic',
        { dst: REG, src: REG, off: ANY, imm: oneOf(...atomicOps, ...ACQUIRE_RELEASE_OPS) },
        'BPF_ATOMIC uses invalid atomic opcode %02x',
        ['src', 'dst'],
        false,
      ),
    );
  }
  return table;
}

/** Every opcode byte tsbpf accepts, keyed by `code`. */
export const OPCODE_TABLE: ReadonlyMap<number, OpcodeEntry> = buildTable();

export function opcodeEntry(code: number): OpcodeEntry | undefined {
  return OPCODE_TABLE.get(code);
}

const CLASS_NAMES: readonly ClassName[] = ['ld', 'ldx', 'st', 'stx', 'alu', 'jmp', 'jmp32', 'alu64'];

export { insnClass };
export function className(code: number): ClassName {
  return CLASS_NAMES[code & 0x07];
}
export function isAluClass(code: number): boolean {
  const cls = code & 0x07;
  return cls === BPF_ALU || cls === BPF_ALU64;
}
export function isJumpClass(code: number): boolean {
  const cls = code & 0x07;
  return cls === BPF_JMP || cls === BPF_JMP32;
}
export function isMemClass(code: number): boolean {
  return (code & 0x07) <= BPF_STX;
}
/** A jump that transfers control inside the function (ja, gotol, conditional jumps); not call or exit. */
export function isJump(code: number): boolean {
  if (!isJumpClass(code)) return false;
  const op = code & 0xf0;
  return op !== BPF_CALL && op !== BPF_EXIT;
}
export function isConditionalJump(code: number): boolean {
  return isJump(code) && (code & 0xf0) !== BPF_JA;
}
/** ALU operation bits (`code & 0xf0`) of an ALU/ALU64 code. */
export function aluOp(code: number): number {
  return code & 0xf0;
}
/** Jump operation bits (`code & 0xf0`) of a JMP/JMP32 code. */
export function jumpOp(code: number): number {
  return code & 0xf0;
}
/** Whether an ALU/JMP instruction takes its source operand from `src` (BPF_X) rather than `imm`. */
export function sourceIsReg(code: number): boolean {
  return (code & BPF_X) !== 0;
}
/** Access size in bytes of a load/store code. */
export function memSize(code: number): MemSize {
  return ([4, 2, 1, 8] as const)[(code >> 3) & 0x03];
}
/** Mode bits (`code & 0xe0`) of a load/store code. */
export function memMode(code: number): number {
  return code & 0xe0;
}
export function aluOpName(code: number): AluOpName | undefined {
  return ALU_OPS.find(([, op]) => op === (code & 0xf0))?.[0];
}
export function jumpOpName(code: number): JumpOpName | undefined {
  const op = code & 0xf0;
  if (op === BPF_JA) return 'ja';
  if (op === BPF_JCOND) return 'may_goto';
  if (op === BPF_CALL) return 'call';
  if (op === BPF_EXIT) return 'exit';
  return CONDITIONAL_JUMP_OPS.find(([, value]) => value === op)?.[0];
}
