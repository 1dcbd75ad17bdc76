// The error type of the object layer: a BPF object that libbpf would refuse, in libbpf's words.

/** Where in the object the problem is. */
export interface ObjectErrorLocation {
  section?: string;
  program?: string;
  map?: string;
  /** Instruction index within the section (or the program, when `program` is set). */
  insn?: number;
}

/** Raised by `openObject` and `relocateProgram`; wraps ElfError/BtfError as `cause` when they are the reason. */
export class ObjectError extends Error {
  override readonly name = 'ObjectError';
  readonly file: string;
  readonly reason: string;
  readonly section?: string;
  readonly program?: string;
  readonly map?: string;
  readonly insn?: number;
  /** The errno libbpf returns for this refusal, where tsbpf knows it (ESRCH for an unresolved extern, ...). */
  readonly errno?: number;

  constructor(
    file: string,
    reason: string,
    location: ObjectErrorLocation = {},
    options?: { cause?: unknown; errno?: number },
  ) {
    super(`${file}: ${reason}`, options);
    if (options?.errno !== undefined) this.errno = options.errno;
    this.file = file;
    this.reason = reason;
    if (location.section !== undefined) this.section = location.section;
    if (location.program !== undefined) this.program = location.program;
    if (location.map !== undefined) this.map = location.map;
    if (location.insn !== undefined) this.insn = location.insn;
  }
}
