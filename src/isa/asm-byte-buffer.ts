// The growing bytes of a section being assembled, within a byte budget shared by the whole object.

import { StatementError } from './asm-lexer.js';

/** What one assembled object may hold: far more than any BPF object needs (a million instructions are 8 MiB). */
export const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

/** The bytes every section of one object may still take. */
export interface ByteBudget {
  remaining: number;
}

export class AsmByteBuffer {
  private data = new Uint8Array(64);
  private used = 0;

  constructor(private readonly budget: ByteBudget) {}

  get length(): number {
    return this.used;
  }

  push(bytes: ArrayLike<number>): void {
    this.reserve(bytes.length);
    this.data.set(bytes, this.used);
    this.used += bytes.length;
  }

  fill(count: number, value: number): void {
    this.reserve(count);
    this.data.fill(value, this.used, this.used + count);
    this.used += count;
  }

  /** Overwrites bytes already pushed (values resolved once every label is known). */
  patch(offset: number, bytes: ArrayLike<number>): void {
    this.data.set(bytes, offset);
  }

  /** A copy of the bytes pushed so far. */
  toBytes(): Uint8Array {
    return this.data.slice(0, this.used);
  }

  /** Refuses, as an error of the statement being assembled, growth past the object's budget. */
  private reserve(count: number): void {
    if (count > this.budget.remaining)
      throw new StatementError(`the object would hold more than ${MAX_OBJECT_BYTES} bytes`, 0);
    this.budget.remaining -= count;
    const needed = this.used + count;
    if (needed <= this.data.length) return;
    let size = this.data.length;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }
}
