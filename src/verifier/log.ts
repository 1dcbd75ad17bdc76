// The verifier log as the kernel keeps it: a text buffer whose tail can be rolled back to a saved position
// (level 1 keeps only the path that failed), with the statistics lines at the end.

export class VerifierLog {
  private text = '';

  constructor(readonly level: number) {}

  get position(): number {
    return this.text.length;
  }

  print(line: string): void {
    if (this.level > 0) this.text += line;
  }

  /** Drop everything printed since `position` (kernel bpf_vlog_reset). */
  reset(position: number): void {
    if (position < this.text.length) this.text = this.text.slice(0, position);
  }

  toString(): string {
    return this.text;
  }
}
