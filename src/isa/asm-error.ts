// The assemblers' one error type: what was expected, and exactly where in which file.

/** Raised for any text the assemblers refuse; `line` and `column` are 1-based, `column` 0 means "whole line". */
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
    super(`${file}:${line}${column > 0 ? `:${column}` : ''}: ${reason}`);
    this.reason = reason;
  }
}

/** Where a piece of source text sits, for errors raised after parsing (label resolution, byte checks). */
export interface SourcePos {
  line: number;
  column: number;
}
