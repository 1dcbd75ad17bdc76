// Exit statuses of the `tsbpf` command and the errors that choose them.

export const EXIT_OK = 0;
/** The program or object was refused (malformed, rejected, fails to relocate or assemble). */
export const EXIT_REFUSED = 1;
/** Bad usage or input that cannot be read at all. */
export const EXIT_USAGE = 2;

/** Bad command line: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A file that cannot be read or written: exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
