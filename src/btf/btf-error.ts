// The one error type BTF and BTF.ext decoding throws: where in which section, and why.

export interface BtfErrorWhere {
  /** The object file the section came from, when known. */
  file?: string;
  /** The ELF section name: `.BTF` or `.BTF.ext` unless the caller says otherwise. */
  section: string;
  /** Byte offset inside the section data where the problem was found. */
  offset: number;
  /** The type the problem belongs to, when there is one. */
  typeId?: number;
}

/** Malformed or unsupported BTF input. `reason` is the bare message, in libbpf's words where it has one. */
export class BtfError extends Error {
  readonly file: string | undefined;
  readonly section: string;
  readonly offset: number;
  readonly typeId: number | undefined;
  readonly reason: string;

  constructor(where: BtfErrorWhere, reason: string) {
    const file = where.file === undefined ? '' : `${where.file}: `;
    super(`${file}${where.section} at offset ${where.offset}: ${reason}`);
    this.name = 'BtfError';
    this.file = where.file;
    this.section = where.section;
    this.offset = where.offset;
    this.typeId = where.typeId;
    this.reason = reason;
  }
}
