// The typed error of map creation (and of misuse of the map API): the kernel's errno plus a message.
import { ERRNO, type ErrnoName } from '../../abi/errno.js';

/** Map creation failed as BPF_MAP_CREATE would (errno as in the kernel), or the map API was misused. */
export class MapError extends Error {
  override readonly name = 'MapError';
  /** Positive errno value, e.g. 22 for EINVAL. */
  readonly errno: number;
  constructor(
    readonly code: ErrnoName,
    message: string,
    readonly mapName?: string,
    readonly mapType?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.errno = ERRNO[code];
  }
}

/** Negative errno, the way bpf() and helpers return failures. */
export const fail = (code: ErrnoName): number => -ERRNO[code];
