// The raw instruction record, exactly as the kernel's struct bpf_insn carries it (RFC 9669 §3).

/**
 * One 8-byte instruction slot. LD_IMM64 occupies two slots: the second is a record of its own with
 * `code` 0 whose `imm` holds the upper 32 bits, so indexes match the kernel's everywhere.
 * `dst` and `src` are 4-bit register fields (0..15 as encoded, so invalid ones can be reported);
 * `off` is a signed 16-bit and `imm` a signed 32-bit integer.
 */
export interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

export const INSN_SIZE = 8;

/** Builds an instruction record, normalising `off` to int16 and `imm` to int32. */
export function insn(code: number, dst: number, src: number, off: number, imm: number): Insn {
  return { code: code & 0xff, dst: dst & 0xf, src: src & 0xf, off: (off << 16) >> 16, imm: imm | 0 };
}

/** Reads little-endian instruction slots; `bytes.length` must be a multiple of 8. */
export function readInsns(bytes: Uint8Array): Insn[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.byteLength / INSN_SIZE);
  const out: Insn[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * INSN_SIZE;
    const regs = view.getUint8(at + 1);
    out[i] = {
      code: view.getUint8(at),
      dst: regs & 0xf,
      src: regs >> 4,
      off: view.getInt16(at + 2, true),
      imm: view.getInt32(at + 4, true),
    };
  }
  return out;
}

/** Writes instruction slots little-endian, the byte order of every BPF object tsbpf handles. */
export function writeInsns(insns: readonly Insn[]): Uint8Array {
  const bytes = new Uint8Array(insns.length * INSN_SIZE);
  const view = new DataView(bytes.buffer);
  insns.forEach((ins, i) => {
    const at = i * INSN_SIZE;
    view.setUint8(at, ins.code);
    view.setUint8(at + 1, ((ins.src & 0xf) << 4) | (ins.dst & 0xf));
    view.setInt16(at + 2, ins.off, true);
    view.setInt32(at + 4, ins.imm, true);
  });
  return bytes;
}
