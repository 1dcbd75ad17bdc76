// The assemblers' one error type: what was expected, and exactly where in which file.

/** Raised for any text the assemblers refuse; `line` and `column` are 1-based, 0 when the error has no place. */
export class AsmError extends Error {
  override name = 'AsmError';
  /** The message without its `file:line:column:` prefix. */
  readonly reason: string;

  constructor(
    reason: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    const where = line > 0 ? `:${line}${column > 0 ? `:${column}` : ''}` : '';
    super(`${file}${where}: ${reason}`);
    this.reason = reason;
  }
}

/** Where a piece of source text sits, for errors raised after parsing (label resolution, byte checks). */
export interface SourcePos {
  line: number;
  column: number;
}
