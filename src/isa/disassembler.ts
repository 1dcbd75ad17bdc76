// Instruction text exactly as llvm-objdump-14 prints it for BPF, with LLVM 17+ syntax for what LLVM 14 lacks.
//
// Public API:
//   formatInsn(insns, index, options?): string      the text of the instruction at `index`
//   formatLlvm14(insns, index, options?): string | undefined   LLVM 14's text, undefined where LLVM 14 cannot decode
//   llvm14DecodedLength(bytes, offset): number      bytes llvm-objdump-14 consumes at `offset` (8, 16, or 1 on failure)
//   DisassemblerOptions { syntax?: 'extended' | 'llvm14'; alu32?: boolean }
//
// Syntax modes:
//   'llvm14'   exactly what `llvm-objdump-14 -d` prints, `<unknown>` where LLVM 14 cannot decode.
//              LLVM 14 ignores fields its encodings leave open (e.g. src/off of `r1 += 5`, bits 1-3 and 8-31 of
//              an atomic's imm, `off` of a register `/=`), so this mode reads fields the way LLVM 14 does.
//   'extended' (default) the same text for everything LLVM 14 decodes correctly; for valid instructions
//              LLVM 14 cannot decode or decodes wrongly (cpu v4 and friends) the syntax of LLVM 17+'s BPF
//              backend: `r0 s/= r1`, `r0 s%= 3`, `r0 %= r1`, `r1 = (s8)r2`, `w1 = (s16)w2`,
//              `r0 = bswap16 r0`, `gotol +5`, `r0 = *(s8 *)(r1 + 0)`, `*(u32 *)(r1 + 0) = 5`, and the alu32
//              forms of 32-bit atomics (`w2 = atomic_fetch_or((u32 *)(r1 + 0), w2)`, `w0 = cmpxchg32_32(...)`).
//              `jset` (LLVM never decodes it) prints as `if r1 & 5 goto +3`, the kernel's own notation.
//              may_goto, load-acquire and store-release (Linux 6.9/6.15) print as LLVM 19+ does:
//              `may_goto +3`, `r0 = load_acquire((u64 *)(r1 + 0))`, `w0 = load_acquire((u8 *)(r1 + 0))`,
//              `store_release((u32 *)(r1 + 0), w2)`. LLVM 14 prints `<unknown>` for all of them but a
//              load-acquire of W or DW, which it reads as an atomic add (`lock *(u64 *)(r1 + 0) += r0`).
//   alu32      as `llvm-objdump --mattr=+alu32`: 8/16/32-bit loads, stores and atomics name `w` registers.
// Text that does not carry every field (so cannot round-trip through an assembler): `call N` for helper,
// local (src 1) and kfunc (src 2) calls alike, and `ld_pseudo rD, src, lo` which drops the high imm.

import type { Insn } from './insn.js';
import { checkFieldStage, checkOpcodeStage } from './decoded.js';
import { InsnError } from './insn-error.js';

export interface DisassemblerOptions {
  readonly syntax?: 'extended' | 'llvm14';
  readonly alu32?: boolean;
}

const LLVM_REGISTER_COUNT = 12; // LLVM's GPR class has r0..r11; 12..15 do not decode.

const ALU_SYMBOLS: Readonly<Record<number, string>> = {
  0: '+=',
  16: '-=',
  32: '*=',
  48: '/=',
  64: '|=',
  80: '&=',
  96: '<<=',
  112: '>>=',
  144: '%=',
  160: '^=',
  176: '=',
  192: 's>>=',
};

const COMPARISONS: Readonly<Record<number, string>> = {
  16: '==',
  32: '>',
  48: '>=',
  64: '&',
  80: '!=',
  96: 's>',
  112: 's>=',
  160: '<',
  176: '<=',
  192: 's<',
  208: 's<=',
};

const ATOMIC_SYMBOLS: Readonly<Record<number, [string, string]>> = {
  0: ['+=', 'add'],
  64: ['|=', 'or'],
  80: ['&=', 'and'],
  160: ['^=', 'xor'],
};

const SIZE_NAMES = ['u32', 'u16', 'u8', 'u64'] as const;
const SIGNED_SIZE_NAMES = ['s32', 's16', 's8', 's64'] as const;

function validReg(reg: number): boolean {
  return reg < LLVM_REGISTER_COUNT;
}

function signedOffset(off: number): string {
  return off < 0 ? `${off}` : `+${off}`;
}

function address(base: number, off: number): string {
  return off < 0 ? `r${base} - ${-off}` : `r${base} + ${off}`;
}

function imm64Of(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
}

/** LLVM 14's text, or undefined where its decoder refuses the encoding. Needs the second slot for LD_IMM64. */
export function formatLlvm14(
  insns: readonly Insn[],
  index: number,
  options: DisassemblerOptions = {},
): string | undefined {
  const ins = insns[index];
  if (!ins) return undefined;
  const { code, dst, src, off, imm } = ins;
  const cls = code & 0x07;
  const op = code & 0xf0;
  const useReg = (code & 0x08) !== 0;
  switch (cls) {
    case 0x04:
    case 0x07: {
      const p = cls === 0x07 ? 'r' : 'w';
      if (!validReg(dst)) return undefined;
      if (op === 0x80) return useReg ? undefined : `${p}${dst} = -${p}${dst}`;
      if (op === 0xd0) {
        if (cls === 0x07 || (imm !== 16 && imm !== 32 && imm !== 64)) return undefined;
        return `r${dst} = ${useReg ? 'be' : 'le'}${imm} r${dst}`;
      }
      const symbol = ALU_SYMBOLS[op];
      if (symbol === undefined || op === 0x90) return undefined;
      if (!useReg) return `${p}${dst} ${symbol} ${imm}`;
      if (!validReg(src)) return undefined;
      return `${p}${dst} ${symbol} ${p}${src}`;
    }
    case 0x05:
    case 0x06: {
      const p = cls === 0x05 ? 'r' : 'w';
      if (op === 0x00) return cls === 0x05 && !useReg ? `goto ${signedOffset(off)}` : undefined;
      if (op === 0x80) {
        if (cls !== 0x05) return undefined;
        if (!useReg) return `call ${imm}`;
        return imm >= 0 && validReg(imm) ? `callx r${imm}` : undefined;
      }
      if (op === 0x90) return cls === 0x05 && !useReg && imm === 0 ? 'exit' : undefined;
      const comparison = COMPARISONS[op];
      if (comparison === undefined || op === 0x40 || !validReg(dst)) return undefined;
      if (!useReg) return `if ${p}${dst} ${comparison} ${imm} goto ${signedOffset(off)}`;
      if (!validReg(src)) return undefined;
      return `if ${p}${dst} ${comparison} ${p}${src} goto ${signedOffset(off)}`;
    }
    case 0x00: {
      const size = SIZE_NAMES[(code >> 3) & 3];
      const mode = code & 0xe0;
      if (code === 0x18) {
        if (off !== 0 || !validReg(dst)) return undefined;
        const next = insns[index + 1];
        if (!next) return undefined;
        if (src !== 0) return `ld_pseudo\tr${dst}, ${src}, ${imm}`;
        return `r${dst} = ${imm64Of(imm, next.imm)} ll`;
      }
      if (size === 'u64') return undefined;
      if (mode === 0x20) return `r0 = *(${size} *)skb[${imm}]`;
      if (mode === 0x40) return validReg(src) ? `r0 = *(${size} *)skb[r${src}]` : undefined;
      return undefined;
    }
    case 0x01: {
      if ((code & 0xe0) !== 0x60 || !validReg(dst) || !validReg(src)) return undefined;
      const size = SIZE_NAMES[(code >> 3) & 3];
      const p = options.alu32 && size !== 'u64' ? 'w' : 'r';
      return `${p}${dst} = *(${size} *)(${address(src, off)})`;
    }
    case 0x03: {
      if (!validReg(dst) || !validReg(src)) return undefined;
      const size = SIZE_NAMES[(code >> 3) & 3];
      const mode = code & 0xe0;
      if (mode === 0x60) {
        const p = options.alu32 && size !== 'u64' ? 'w' : 'r';
        return `*(${size} *)(${address(dst, off)}) = ${p}${src}`;
      }
      if (mode !== 0xc0 || (size !== 'u32' && size !== 'u64')) return undefined;
      if (size === 'u32' && !options.alu32) {
        // Without alu32 LLVM 14 knows only the 32-bit add and ignores the rest of imm's low nibble.
        return (imm & 0xf0) === 0 ? `lock *(u32 *)(${address(dst, off)}) += r${src}` : undefined;
      }
      return formatAtomic(size === 'u64' ? 'r' : 'w', size, dst, src, off, imm & 0xff);
    }
    default:
      return undefined;
  }
}

/**
 * LLVM decodes an atomic from imm's low byte: the high nibble names the operation; a low nibble of exactly 1
 * selects the fetching form, any other low nibble the plain form (which xchg and cmpxchg do not have).
 */
function formatAtomic(
  p: 'r' | 'w',
  size: 'u32' | 'u64',
  dst: number,
  src: number,
  off: number,
  imm: number,
): string | undefined {
  const at = address(dst, off);
  const operation = imm & 0xf0;
  const fetch = (imm & 0x0f) === 1;
  if (operation === 0xe0)
    return fetch ? `${p}${src} = xchg${p === 'r' ? '_64' : '32_32'}(${at}, ${p}${src})` : undefined;
  if (operation === 0xf0)
    return fetch ? `${p}0 = cmpxchg${p === 'r' ? '_64' : '32_32'}(${at}, ${p}0, ${p}${src})` : undefined;
  const known = ATOMIC_SYMBOLS[operation];
  if (!known) return undefined;
  if (fetch) return `${p}${src} = atomic_fetch_${known[1]}((${size} *)(${at}), ${p}${src})`;
  return `lock *(${size} *)(${at}) ${known[0]} ${p}${src}`;
}

function isValidEncoding(insns: readonly Insn[], index: number): boolean {
  try {
    checkOpcodeStage(insns, index);
    checkFieldStage(insns, index);
    return true;
  } catch (error) {
    if (error instanceof InsnError) return false;
    throw error;
  }
}

/** Text of a valid instruction that LLVM 14 cannot decode or decodes to a different instruction. */
function formatExtension(ins: Insn, options: DisassemblerOptions): string | undefined {
  const { code, dst, src, off, imm } = ins;
  const cls = code & 0x07;
  const op = code & 0xf0;
  const useReg = (code & 0x08) !== 0;
  if (cls === 0x04 || cls === 0x07) {
    const p = cls === 0x07 ? 'r' : 'w';
    const operand = useReg ? `${p}${src}` : `${imm}`;
    if (op === 0x30 && off === 1) return `${p}${dst} s/= ${operand}`;
    if (op === 0x90) return `${p}${dst} ${off === 1 ? 's%=' : '%='} ${operand}`;
    if (op === 0xb0 && useReg && off !== 0) return `${p}${dst} = (s${off})${p}${src}`;
    if (op === 0xd0 && cls === 0x07) return `r${dst} = bswap${imm} r${dst}`;
    return undefined;
  }
  if (code === 0x06) return `gotol ${signedOffset(imm)}`;
  if ((cls === 0x05 || cls === 0x06) && op === 0x40) {
    const p = cls === 0x05 ? 'r' : 'w';
    return `if ${p}${dst} & ${useReg ? `${p}${src}` : imm} goto ${signedOffset(off)}`;
  }
  if (cls === 0x01 && (code & 0xe0) === 0x80) {
    return `r${dst} = *(${SIGNED_SIZE_NAMES[(code >> 3) & 3]} *)(${address(src, off)})`;
  }
  if (cls === 0x02) return `*(${SIZE_NAMES[(code >> 3) & 3]} *)(${address(dst, off)}) = ${imm}`;
  if (code === 0xe5) return `may_goto ${signedOffset(off)}`;
  if (cls === 0x03 && (code & 0xe0) === 0xc0 && (imm === 0x100 || imm === 0x110)) {
    const size = SIZE_NAMES[(code >> 3) & 3];
    const p = size === 'u64' ? 'r' : 'w';
    if (imm === 0x100) return `${p}${dst} = load_acquire((${size} *)(${address(src, off)}))`;
    return `store_release((${size} *)(${address(dst, off)}), ${p}${src})`;
  }
  if (code === 0xc3 && (imm !== 0 || options.alu32)) return formatAtomic('w', 'u32', dst, src, off, imm);
  return undefined;
}

/**
 * The instruction at `index` as llvm-objdump prints it (see the syntax modes above); `<unknown>` where
 * neither LLVM 14 nor the extension syntax has a text for the encoding.
 */
export function formatInsn(insns: readonly Insn[], index: number, options: DisassemblerOptions = {}): string {
  if (options.syntax !== 'llvm14' && isValidEncoding(insns, index)) {
    const extension = formatExtension(insns[index], options);
    if (extension !== undefined) return extension;
  }
  return formatLlvm14(insns, index, options) ?? '<unknown>';
}

/**
 * How many bytes llvm-objdump-14 consumes at `offset`: 16 for a decodable LD_IMM64 with both slots present,
 * 8 for any other full slot (decodable or not), 1 when the decoder fails for lack of bytes.
 */
export function llvm14DecodedLength(bytes: Uint8Array, offset: number): number {
  const left = bytes.length - offset;
  if (left < 8) return 1;
  const code = bytes[offset];
  const dst = bytes[offset + 1] & 0x0f;
  const off = bytes[offset + 2] | (bytes[offset + 3] << 8);
  if (code === 0x18 && off === 0 && validReg(dst)) return left < 16 ? 1 : 16;
  return 8;
}
