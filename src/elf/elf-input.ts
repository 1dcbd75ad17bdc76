// Bounds-checked little-endian field access to the bytes of an ELF file being parsed, failing with ElfError.

import { ElfError, type ElfErrorLocation } from './elf-error.js';

/** The file being parsed: its bytes, a view on them, and the name errors should carry. */
export class ElfInput {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly file: string;

  constructor(bytes: Uint8Array, file: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = file;
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(reason: string, location: ElfErrorLocation = {}): never {
    throw new ElfError(this.file, reason, location);
  }

  /** Callers check the record lies inside the file first; these helpers do not repeat that check. */
  u8(at: number): number {
    return this.view.getUint8(at);
  }

  u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  /** An unsigned 64-bit field as a number; values of 2^53 and above are refused rather than rounded. */
  u64(at: number, field: string, location: ElfErrorLocation): number {
    const low = this.view.getUint32(at, true);
    const high = this.view.getUint32(at + 4, true);
    if (high > 0x1fffff) {
      this.fail(
        `${field} 0x${this.view.getBigUint64(at, true).toString(16)} does not fit in 53 bits`,
        location,
      );
    }
    return high * 0x1_0000_0000 + low;
  }

  /** A signed 64-bit field as a number, refused outside ±(2^53 - 1). */
  i64(at: number, field: string, location: ElfErrorLocation): number {
    const value = this.view.getBigInt64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(`${field} ${value} does not fit in 53 bits`, location);
    }
    return Number(value);
  }
}

export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}
