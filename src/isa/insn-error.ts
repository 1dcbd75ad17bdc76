// The error every isa/ check throws for an invalid instruction or program layout.
//
// Public API: class InsnError extends Error { index; reason }   message: `insn N: <reason>`

/** An invalid instruction (or instruction sequence); `reason` is in the kernel verifier's words where it has them. */
export class InsnError extends Error {
  override readonly name = 'InsnError';
  /** Index of the offending slot (kernel numbering: LD_IMM64 takes two). */
  readonly index: number;
  readonly reason: string;

  constructor(index: number, reason: string) {
    super(`insn ${index}: ${reason}`);
    this.index = index;
    this.reason = reason;
  }
}
