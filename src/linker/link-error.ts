// The error type of the static linker: which symbol, which objects and which section made linking fail.

export interface LinkErrorLocation {
  /** The symbol (function, variable or map) the problem is about. */
  symbol?: string;
  /** The input objects involved, in link order (two for conflicts, the needing object for a missing extern). */
  files?: readonly string[];
  section?: string;
}

/** Raised by `linkObjects` for inputs that cannot be linked; `reason` is the bare message. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
  readonly reason: string;
  readonly symbol?: string;
  readonly files: readonly string[];
  readonly section?: string;

  constructor(reason: string, location: LinkErrorLocation = {}, options?: { cause?: unknown }) {
    super(`link: ${reason}`, options);
    this.reason = reason;
    this.files = location.files ?? [];
    if (location.symbol !== undefined) this.symbol = location.symbol;
    if (location.section !== undefined) this.section = location.section;
  }
}
