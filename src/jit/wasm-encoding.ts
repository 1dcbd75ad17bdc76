// A growable byte buffer with the WebAssembly binary encodings: LEB128 (unsigned and signed, 32 and 64 bits),
// names and length-prefixed vectors.

export class ByteWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = value;
  }

  write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Unsigned LEB128 of a u32. */
  u32(value: number): void {
    let rest = value >>> 0;
    do {
      const low = rest & 0x7f;
      rest >>>= 7;
      this.byte(rest === 0 ? low : low | 0x80);
    } while (rest !== 0);
  }

  /** Signed LEB128 of an i32. */
  s32(value: number): void {
    let rest = value | 0;
    for (;;) {
      const low = rest & 0x7f;
      rest >>= 7;
      if ((rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0)) {
        this.byte(low);
        return;
      }
      this.byte(low | 0x80);
    }
  }

  /** Signed LEB128 of an i64 (any bigint is taken modulo 2^64 as a signed value). */
  s64(value: bigint): void {
    let rest = BigInt.asIntN(64, value);
    if (rest >= -0x8000_0000n && rest < 0x8000_0000n) {
      this.s32(Number(rest));
      return;
    }
    for (;;) {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      if ((rest === 0n && (low & 0x40) === 0) || (rest === -1n && (low & 0x40) !== 0)) {
        this.byte(low);
        return;
      }
      this.byte(low | 0x80);
    }
  }

  /** Unsigned LEB128 of a u64. */
  u64(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      this.byte(rest === 0n ? low : low | 0x80);
    } while (rest !== 0n);
  }

  /** A UTF-8 name, length-prefixed. */
  name(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.u32(encoded.length);
    this.write(encoded);
  }

  /** Another writer's bytes, length-prefixed (a section or function body). */
  sized(inner: ByteWriter): void {
    this.u32(inner.length);
    this.write(inner.finish());
  }

  /** The bytes written so far (a view, valid until the next write). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
