// The one error type of the ELF layer: says which file, section and byte offset made a read or write fail.

/** Where in an ELF file a problem was found. */
export interface ElfErrorLocation {
  /** Section name when known, otherwise `#<index>`. */
  section?: string;
  /** Byte offset in the file (for the writer: in the output being built). */
  offset?: number;
}

/**
 * Raised for every malformed input to `parseElf` and every inconsistent spec given to `writeElf`.
 * `reason` is the bare description; `message` adds the file, section and offset in front of it.
 */
export class ElfError extends Error {
  override readonly name = 'ElfError';
  readonly file: string;
  readonly reason: string;
  readonly section?: string;
  readonly offset?: number;

  constructor(file: string, reason: string, location: ElfErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatElfErrorMessage(file, reason, location), options);
    this.file = file;
    this.reason = reason;
    if (location.section !== undefined) this.section = location.section;
    if (location.offset !== undefined) this.offset = location.offset;
  }
}

function formatElfErrorMessage(file: string, reason: string, { section, offset }: ElfErrorLocation): string {
  const where: string[] = [];
  if (section !== undefined) where.push(`section '${section}'`);
  if (offset !== undefined) where.push(`offset 0x${offset.toString(16)}`);
  return `elf: ${file}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${reason}`;
}
