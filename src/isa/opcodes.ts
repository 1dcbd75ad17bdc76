// Opcode field values of the BPF ISA (RFC 9669 and the Linux extensions), as named constants.

/** Instruction classes: the low 3 bits of `code`. */
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_JMP32 = 0x06;
export const BPF_ALU64 = 0x07;

/** Source operand bit of ALU and JMP classes. */
export const BPF_K = 0x00;
export const BPF_X = 0x08;

/** Size field of load/store classes. */
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_DW = 0x18;

/** Mode field of load/store classes. */
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_MEMSX = 0x80;
export const BPF_ATOMIC = 0xc0;

/** ALU operations (high 4 bits). */
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_MOV = 0xb0;
export const BPF_ARSH = 0xc0;
export const BPF_END = 0xd0;

/** Jump operations (high 4 bits). */
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
export const BPF_JNE = 0x50;
export const BPF_JSGT = 0x60;
export const BPF_JSGE = 0x70;
export const BPF_CALL = 0x80;
export const BPF_EXIT = 0x90;
export const BPF_JLT = 0xa0;
export const BPF_JLE = 0xb0;
export const BPF_JSLT = 0xc0;
export const BPF_JSLE = 0xd0;

/** Byte-swap direction in the source bit of BPF_END. */
export const BPF_TO_LE = 0x00;
export const BPF_TO_BE = 0x08;

/** Atomic operations in `imm` of BPF_ATOMIC stores. */
export const BPF_FETCH = 0x01;
export const BPF_XCHG = 0xe0 | BPF_FETCH;
export const BPF_CMPXCHG = 0xf0 | BPF_FETCH;

/** `src` of a call instruction. */
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;

/** `src` of an LD_IMM64 instruction. */
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
export const BPF_PSEUDO_BTF_ID = 3;
export const BPF_PSEUDO_FUNC = 4;
export const BPF_PSEUDO_MAP_IDX = 5;
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;

export const BPF_LD_IMM64 = BPF_LD | BPF_DW | BPF_IMM;
export const BPF_CALL_INSN = BPF_JMP | BPF_CALL;
export const BPF_EXIT_INSN = BPF_JMP | BPF_EXIT;

export const MAX_BPF_REG = 11;
export const BPF_REG_FP = 10;

export function insnClass(code: number): number {
  return code & 0x07;
}

/** JMP operation of `may_goto` (Linux 6.9): BPF_JMP | BPF_JCOND with src BPF_MAY_GOTO. */
export const BPF_JCOND = 0xe0;
export const BPF_MAY_GOTO = 0;

/** `off` values selecting the signed or sign-extending variants (cpu v4). */
export const BPF_OFF_SIGNED = 1;
export const BPF_MOVSX_OFFSETS = [8, 16, 32] as const;

/** Atomic `imm` of load-acquire and store-release (Linux 6.15; every size B, H, W, DW). */
export const BPF_LOAD_ACQ = 0x100;
export const BPF_STORE_REL = 0x110;

/** Whether a raw instruction is `may_goto` (kernel is_may_goto_insn: the code and src, whatever the rest). */
export function isMayGoto(ins: { readonly code: number; readonly src: number }): boolean {
  return ins.code === (BPF_JMP | BPF_JCOND) && ins.src === BPF_MAY_GOTO;
}

/** Number of 8-byte slots an instruction with this first `code` occupies. */
export function slotCount(code: number): 1 | 2 {
  return code === BPF_LD_IMM64 ? 2 : 1;
}
