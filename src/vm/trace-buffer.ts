// The VM's trace buffer (what bpf_trace_printk writes, /sys/kernel/tracing/trace_pipe in the kernel): bounded
// like the kernel's ring buffer, whose default overwrite mode drops the oldest events and counts them.

/** Kernel default: buffer_size_kb = 1408 per CPU (TRACE_BUF_SIZE_DEFAULT, 1441792 bytes). */
export const TRACE_BUFFER_DEFAULT_BYTES = 1_441_792;

/**
 * What one event costs: the bpf_trace_printk event is a ring-buffer header, a trace_entry and a __data_loc
 * string (~16 bytes) plus the text and its NUL. tsbpf charges that, so the buffer holds about as many lines.
 */
const EVENT_OVERHEAD_BYTES = 16;

export class TraceBuffer {
  /** Lines dropped because the buffer was full (the kernel's "overrun"), since creation. */
  private droppedLines = 0;
  private readonly held: string[] = [];
  /** Index of the oldest held line: dropping from the front is O(1) and the array is compacted now and then. */
  private start = 0;
  private bytes = 0;

  constructor(readonly capacityBytes: number = TRACE_BUFFER_DEFAULT_BYTES) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 0) {
      throw new RangeError(`trace buffer size ${capacityBytes} is not a non-negative integer`);
    }
  }

  /** Appends one line, dropping the oldest lines while it does not fit. */
  push(line: string): void {
    const cost = line.length + 1 + EVENT_OVERHEAD_BYTES;
    if (cost > this.capacityBytes) {
      this.droppedLines++;
      return;
    }
    this.held.push(line);
    this.bytes += cost;
    while (this.bytes > this.capacityBytes) {
      const oldest = this.held[this.start];
      this.held[this.start++] = '';
      this.bytes -= oldest.length + 1 + EVENT_OVERHEAD_BYTES;
      this.droppedLines++;
    }
    if (this.start > 1024 && this.start * 2 > this.held.length) {
      this.held.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The held lines, oldest first. */
  lines(): string[] {
    return this.held.slice(this.start);
  }

  /** The held lines, removing them (as reading trace_pipe consumes them). */
  take(): string[] {
    const lines = this.lines();
    this.held.length = 0;
    this.start = 0;
    this.bytes = 0;
    return lines;
  }

  get length(): number {
    return this.held.length - this.start;
  }

  get dropped(): number {
    return this.droppedLines;
  }
}
