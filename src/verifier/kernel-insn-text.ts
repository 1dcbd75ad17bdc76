// The text Linux 6.18's verifier log prints for one instruction (its disassembler, kernel/bpf/disasm.c).
//
// Public API:
//   kernelInsnText(insns, index, options?): string   `(bf) r9 = r1`: opcode in hex, then the kernel's syntax
//   kernelInsnLine(insns, index, options?): string   `12: (bf) r9 = r1`, as the walk prints an instruction
//   padInsnForState(line): string                    `line` padded with blanks to the column of the state's `;`
//   vlogAlignment(printedLength): number             the kernel's bpf_vlog_alignment()
//   KernelInsnTextOptions
//
// Works on the raw slots (any field values) so that whatever the kernel prints, even for encodings tsbpf's
// decoder refuses, has an answer; it never throws for an index inside `insns`.

import { kfuncByBtfId } from '../abi/kfuncs.js';
import { helperById } from '../abi/helpers.js';
import type { Insn } from '../isa/insn.js';
import {
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_ALU64,
  BPF_AND,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DIV,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_FETCH,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOD,
  BPF_MOV,
  BPF_NEG,
  BPF_OR,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_KFUNC_CALL,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_TO_BE,
  BPF_X,
  BPF_XCHG,
  BPF_XOR,
} from '../isa/opcodes.js';

export interface KernelInsnTextOptions {
  /**
   * Name the kernel prints for helper `id` (`bpf_map_lookup_elem`), undefined for ids it does not know.
   * Default: tsbpf's helper table (Linux 6.18's `enum bpf_func_id`), which is what the kernel prints.
   */
  helperName?: (id: number) => string | undefined;
  /**
   * Name of the kfunc with BTF id `btfId` in the BTF of `fd_array[btfFdIndex]` (0: vmlinux). Without a name
   * the kernel prints `kernel-function`.
   */
  kfuncName?: (btfId: number, btfFdIndex: number) => string | undefined;
  /**
   * The 64-bit value printed for the LD_IMM64 at `index`. The kernel resolves pseudo loads (map fd, map value,
   * BTF variable, map index) to kernel addresses before it prints them, so the verifier passes what it
   * resolved them to; undefined (and the default) prints the immediate the program carries.
   */
  ldImm64Value?: (index: number) => bigint | undefined;
  /** False for unprivileged loads: the kernel then prints map pointers (LD_IMM64 src 1 and 2) as 0x0. Default true. */
  allowPtrLeaks?: boolean;
}

/** The kernel names every `enum bpf_func_id` value; id 0 is `bpf_unspec`, which tsbpf's helper table leaves out. */
function defaultHelperName(id: number): string | undefined {
  if (id === 0) return 'bpf_unspec';
  const helper = helperById(id);
  return helper ? `bpf_${helper.name}` : undefined;
}

// The kernel's string tables, indexed by operation bits >> 4 (ALU, JMP) or size bits >> 3 (loads, stores).
// Empty slots print as `(null)`, as the kernel's vsnprintf does for a NULL `%s`.
const ALU_OP_TEXT = [
  '+=',
  '-=',
  '*=',
  '/=',
  '|=',
  '&=',
  '<<=',
  '>>=',
  'neg',
  '%=',
  '^=',
  '=',
  's>>=',
  'endian',
];
const ALU_SIGNED_OP_TEXT: Readonly<Record<number, string>> = { [BPF_DIV >> 4]: 's/=', [BPF_MOD >> 4]: 's%=' };
const MOVSX_TEXT: Readonly<Record<number, string>> = { 8: '(s8)', 16: '(s16)', 32: '(s32)' };
const ATOMIC_ALU_TEXT: Readonly<Record<number, string>> = {
  [BPF_ADD >> 4]: 'add',
  [BPF_AND >> 4]: 'and',
  [BPF_OR >> 4]: 'or',
  [BPF_XOR >> 4]: 'xor',
};
const SIZE_TEXT = ['u32', 'u16', 'u8', 'u64'];
const SIGNED_SIZE_TEXT = ['s32', 's16', 's8', '(null)'];
const JMP_OP_TEXT = ['jmp', '==', '>', '>=', '&', '!=', 's>', 's>=', 'call', 'exit', '<', '<=', 's<', 's<='];
const CLASS_TEXT = ['ld', 'ldx', 'st', 'stx', 'alu', 'jmp', 'jmp32', 'alu64'];
/** Arena pointer conversion: ALU64 MOV X with this `off` (kernel: BPF_ADDR_SPACE_CAST). */
const ADDR_SPACE_CAST_OFF = 1;
/** BPF_ST mode of the kernel-internal speculation barrier (BPF_NOSPEC, not in the UAPI). */
const NOSPEC_MODE = 0xc0;
/** `src` of BPF_JMP|BPF_JCOND that makes it may_goto. */
const MAY_GOTO_SRC = 0;

function orNull(text: string | undefined): string {
  return text ?? '(null)';
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** C's `%+d`. */
function signed(value: number): string {
  return value < 0 ? String(value) : `+${value}`;
}

function sizeText(code: number): string {
  return SIZE_TEXT[(code >> 3) & 3];
}

function aluText(ins: Insn): string {
  const cls = ins.code & 0x07;
  const op = ins.code & 0xf0;
  const reg = cls === BPF_ALU ? 'w' : 'r';
  if (op === BPF_END) {
    if (cls === BPF_ALU64) return `r${ins.dst} = bswap${ins.imm} r${ins.dst}`;
    return `r${ins.dst} = ${(ins.code & BPF_TO_BE) !== 0 ? 'be' : 'le'}${ins.imm} r${ins.dst}`;
  }
  if (op === BPF_NEG) return `${reg}${ins.dst} = -${reg}${ins.dst}`;
  if (ins.code === (BPF_ALU64 | BPF_MOV | BPF_X) && ins.off === ADDR_SPACE_CAST_OFF) {
    return `r${ins.dst} = addr_space_cast(r${ins.src}, ${(ins.imm >>> 16) & 0xffff}, ${ins.imm & 0xffff})`;
  }
  const signedDivMod = (op === BPF_DIV || op === BPF_MOD) && ins.off === 1;
  const opText = orNull(signedDivMod ? ALU_SIGNED_OP_TEXT[op >> 4] : ALU_OP_TEXT[op >> 4]);
  if ((ins.code & BPF_X) !== 0) {
    const cast = op === BPF_MOV ? (MOVSX_TEXT[ins.off] ?? '') : '';
    return `${reg}${ins.dst} ${opText} ${cast}${reg}${ins.src}`;
  }
  return `${reg}${ins.dst} ${opText} ${ins.imm}`;
}

function stxText(ins: Insn): string {
  const mode = ins.code & 0xe0;
  const mem = `(${sizeText(ins.code)} *)(r${ins.dst} ${signed(ins.off)})`;
  if (mode === BPF_MEM) return `*${mem} = r${ins.src}`;
  if (mode !== BPF_ATOMIC) return `BUG_${hex2(ins.code)}`;
  const wide = (ins.code & 0x18) === BPF_DW ? '64' : '';
  const plainOps = [BPF_ADD, BPF_AND, BPF_OR, BPF_XOR];
  if (plainOps.includes(ins.imm)) return `lock *${mem} ${orNull(ALU_OP_TEXT[ins.imm >> 4])} r${ins.src}`;
  if (plainOps.some((op) => ins.imm === (op | BPF_FETCH))) {
    return `r${ins.src} = atomic${wide}_fetch_${ATOMIC_ALU_TEXT[ins.imm >> 4]}(${mem}, r${ins.src})`;
  }
  if (ins.imm === BPF_CMPXCHG) return `r0 = atomic${wide}_cmpxchg(${mem}, r0, r${ins.src})`;
  if (ins.imm === BPF_XCHG) return `r${ins.src} = atomic${wide}_xchg(${mem}, r${ins.src})`;
  if (ins.imm === BPF_LOAD_ACQ) {
    return `r${ins.dst} = load_acquire((${sizeText(ins.code)} *)(r${ins.src} ${signed(ins.off)}))`;
  }
  if (ins.imm === BPF_STORE_REL) return `store_release(${mem}, r${ins.src})`;
  return `BUG_${hex2(ins.code)}`;
}

function stText(ins: Insn): string {
  const mode = ins.code & 0xe0;
  if (mode === BPF_MEM) return `*(${sizeText(ins.code)} *)(r${ins.dst} ${signed(ins.off)}) = ${ins.imm}`;
  if (mode === NOSPEC_MODE) return 'nospec';
  return `BUG_st_${hex2(ins.code)}`;
}

function ldxText(ins: Insn): string {
  const mode = ins.code & 0xe0;
  if (mode !== BPF_MEM && mode !== BPF_MEMSX) return `BUG_ldx_${hex2(ins.code)}`;
  const size = mode === BPF_MEM ? sizeText(ins.code) : SIGNED_SIZE_TEXT[(ins.code >> 3) & 3];
  return `r${ins.dst} = *(${size} *)(r${ins.src} ${signed(ins.off)})`;
}

function ldText(insns: readonly Insn[], index: number, options: KernelInsnTextOptions): string {
  const ins = insns[index];
  const mode = ins.code & 0xe0;
  if (mode === BPF_ABS) return `r0 = *(${sizeText(ins.code)} *)skb[${ins.imm}]`;
  if (mode === BPF_IND) return `r0 = *(${sizeText(ins.code)} *)skb[r${ins.src} + ${ins.imm}]`;
  if (mode !== BPF_IMM || (ins.code & 0x18) !== BPF_DW) return `BUG_ld_${hex2(ins.code)}`;
  const hidden =
    options.allowPtrLeaks === false && (ins.src === BPF_PSEUDO_MAP_FD || ins.src === BPF_PSEUDO_MAP_VALUE);
  const carried = (BigInt((insns[index + 1]?.imm ?? 0) >>> 0) << 32n) | BigInt(ins.imm >>> 0);
  const value = hidden ? 0n : (options.ldImm64Value?.(index) ?? carried);
  return `r${ins.dst} = 0x${BigInt.asUintN(64, value).toString(16)}`;
}

function callTarget(ins: Insn, options: KernelInsnTextOptions): string {
  if (ins.src === 0) {
    const name = (options.helperName ?? defaultHelperName)(ins.imm);
    if (name !== undefined) return name;
  }
  if (ins.src === BPF_PSEUDO_KFUNC_CALL) {
    const name =
      options.kfuncName?.(ins.imm, ins.off) ?? (ins.off === 0 ? kfuncByBtfId(ins.imm)?.name : undefined);
    if (name !== undefined) return name;
    return 'kernel-function';
  }
  if (ins.src === BPF_PSEUDO_CALL) return signed(ins.imm);
  return 'unknown';
}

function jmpText(ins: Insn, options: KernelInsnTextOptions): string {
  const cls = ins.code & 0x07;
  const op = ins.code & 0xf0;
  if (op === BPF_CALL) {
    if (ins.src === BPF_PSEUDO_CALL) return `call pc${callTarget(ins, options)}`;
    return `call ${callTarget(ins, options)}#${ins.imm}`;
  }
  if (ins.code === (BPF_JMP | BPF_JA)) return `goto pc${signed(ins.off)}`;
  if (ins.code === (BPF_JMP | BPF_JCOND) && ins.src === MAY_GOTO_SRC) return `may_goto pc${signed(ins.off)}`;
  if (ins.code === (BPF_JMP32 | BPF_JA)) return `gotol pc${signed(ins.imm)}`;
  if (ins.code === (BPF_JMP | BPF_EXIT)) return 'exit';
  const reg = cls === BPF_JMP32 ? 'w' : 'r';
  const opText = orNull(JMP_OP_TEXT[op >> 4]);
  if ((ins.code & BPF_X) !== 0) {
    return `if ${reg}${ins.dst} ${opText} ${reg}${ins.src} goto pc${signed(ins.off)}`;
  }
  return `if ${reg}${ins.dst} ${opText} 0x${(ins.imm >>> 0).toString(16)} goto pc${signed(ins.off)}`;
}

function bodyText(insns: readonly Insn[], index: number, options: KernelInsnTextOptions): string {
  const ins = insns[index];
  switch (ins.code & 0x07) {
    case BPF_ALU:
    case BPF_ALU64:
      return aluText(ins);
    case BPF_STX:
      return stxText(ins);
    case BPF_ST:
      return stText(ins);
    case BPF_LDX:
      return ldxText(ins);
    case BPF_LD:
      return ldText(insns, index, options);
    case BPF_JMP:
    case BPF_JMP32:
      return jmpText(ins, options);
    default:
      return CLASS_TEXT[ins.code & 0x07];
  }
}

/**
 * What the kernel's verifier log prints for the instruction at `index` (without index or newline):
 * `(61) r7 = *(u32 *)(r9 +0)`. The `BUG_...` forms are the kernel's own for modes it has no syntax for.
 */
export function kernelInsnText(
  insns: readonly Insn[],
  index: number,
  options: KernelInsnTextOptions = {},
): string {
  const ins = insns[index];
  if (ins === undefined)
    throw new RangeError(`no instruction at index ${index} (program has ${insns.length})`);
  const body = bodyText(insns, index, options);
  // The kernel prints the BUG forms without the opcode prefix.
  return body.startsWith('BUG_') ? body : `(${hex2(ins.code)}) ${body}`;
}

/** The line the verifier's walk prints for an instruction: `12: (bf) r9 = r1`. */
export function kernelInsnLine(
  insns: readonly Insn[],
  index: number,
  options: KernelInsnTextOptions = {},
): string {
  return `${index}: ${kernelInsnText(insns, index, options)}`;
}

// kernel (bpf_vlog_alignment): states printed after an instruction start at a column rounded up to 8, 40 at least.
const LOG_MIN_ALIGNMENT = 8;
const LOG_ALIGNMENT = 40;

/**
 * The kernel's bpf_vlog_alignment(): how many characters to print after an output of `printedLength`
 * characters (counting its newline, which the kernel takes back) so the next text starts at an aligned column.
 */
export function vlogAlignment(printedLength: number): number {
  const target = Math.max(printedLength + LOG_MIN_ALIGNMENT / 2, LOG_ALIGNMENT);
  return Math.ceil(target / LOG_MIN_ALIGNMENT) * LOG_MIN_ALIGNMENT - printedLength - 1;
}

/**
 * An instruction line (`kernelInsnLine`) padded with blanks as the kernel pads it when the state after the
 * instruction follows on the same line; the kernel then prints `;` and the state:
 * `0: (bf) r9 = r1                       ; R1=ctx() R9=ctx()`.
 */
export function padInsnForState(line: string): string {
  // The kernel measured the line with its newline (+1), takes the newline back and prints `%*c`: blanks.
  return `${line}${' '.repeat(vlogAlignment(line.length + 1))}`;
}
