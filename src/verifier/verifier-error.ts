// The error the verifier refuses a program with: the kernel's message, the instruction it names and its errno.
import type { ErrnoName } from '../abi/errno.js';

export class VerifierError extends Error {
  /** Instruction index the kernel's log names the error at, when there is one. */
  readonly insn: number | undefined;
  readonly errno: ErrnoName;
  /** Lines the kernel prints after the message (the states of an infinite loop), each ending in a newline. */
  readonly details: string;

  constructor(message: string, insn: number | undefined, errno: ErrnoName = 'EACCES', details = '') {
    super(message);
    this.name = 'VerifierError';
    this.insn = insn;
    this.errno = errno;
    this.details = details;
  }
}
