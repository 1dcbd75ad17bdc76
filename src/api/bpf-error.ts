// The error of the bpf()-style API: a failed command with the kernel's errno and, for loads, the verifier log.

import { ERRNO, type ErrnoName, errnoName } from '../abi/errno.js';

/** A bpf() command refused, with the errno the kernel would return (positive, e.g. EINVAL = 22). */
export class BpfError extends Error {
  override readonly name: string = 'BpfError';
  readonly command: string;
  readonly errno: number;

  constructor(command: string, errno: number | ErrnoName, message: string, options?: { cause?: unknown }) {
    const value = typeof errno === 'number' ? errno : ERRNO[errno];
    super(`${command}: ${errnoName(value) ?? `errno ${value}`}: ${message}`, options);
    this.command = command;
    this.errno = value;
  }
}

/** BPF_PROG_LOAD refused: `log` is the verifier log (as the kernel would fill log_buf), `insn` where it stopped. */
export class ProgLoadError extends BpfError {
  override readonly name = 'ProgLoadError';
  readonly log: string;
  readonly insn?: number;

  constructor(
    errno: number | ErrnoName,
    message: string,
    log: string,
    insn?: number,
    options?: { cause?: unknown },
  ) {
    super('BPF_PROG_LOAD', errno, message, options);
    this.log = log;
    if (insn !== undefined) this.insn = insn;
  }
}
