// The verifier log as the kernel keeps it: text whose tail can be rolled back to a saved position (level 1
// keeps only the path that failed), with the statistics lines at the end.

export class VerifierLog {
  /** Appended pieces; rolling back pops whole pieces, so a walk's resets cost what it printed, not more. */
  private readonly pieces: string[] = [];
  private length = 0;

  constructor(readonly level: number) {}

  get position(): number {
    return this.length;
  }

  print(text: string): void {
    if (this.level === 0 || text === '') return;
    this.pieces.push(text);
    this.length += text.length;
  }

  /** Drop everything printed since `position` (kernel bpf_vlog_reset). */
  reset(position: number): void {
    while (this.length > position) {
      const last = this.pieces.pop() as string;
      this.length -= last.length;
      if (this.length < position) {
        this.pieces.push(last.slice(0, position - this.length));
        this.length = position;
      }
    }
  }

  toString(): string {
    return this.pieces.join('');
  }
}
