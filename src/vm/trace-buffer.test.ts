import { describe, expect, it } from 'vitest';
import { TRACE_BUFFER_DEFAULT_BYTES, TraceBuffer } from './trace-buffer.js';

describe('TraceBuffer', () => {
  it('keeps every line while they fit', () => {
    const buffer = new TraceBuffer();
    for (let i = 0; i < 100; i++) buffer.push(`line ${i}`);
    expect(buffer.length).toBe(100);
    expect(buffer.dropped).toBe(0);
    expect(buffer.lines()[99]).toBe('line 99');
  });

  it('drops the oldest lines when full and counts them, holding the newest', () => {
    // Each 'xxxxxxx' line costs 7 + 1 + 16 = 24 bytes: 10 fit in 240.
    const buffer = new TraceBuffer(240);
    for (let i = 0; i < 25; i++) buffer.push(`line ${String(i).padStart(2, '0')}`);
    expect(buffer.length).toBe(10);
    expect(buffer.dropped).toBe(15);
    expect(buffer.lines()).toEqual(Array.from({ length: 10 }, (_, i) => `line ${15 + i}`));
    expect(buffer.take()).toHaveLength(10);
    expect(buffer.length).toBe(0);
    expect(buffer.dropped).toBe(15);
  });

  it('stays bounded over 300,000 lines (a long --repeat), at the default size', () => {
    const buffer = new TraceBuffer();
    const line = 'bpf_trace_printk: packet len 64 proto 0x800';
    for (let i = 0; i < 300_000; i++) buffer.push(line);
    const held = buffer.length;
    expect(held * (line.length + 17)).toBeLessThanOrEqual(TRACE_BUFFER_DEFAULT_BYTES);
    expect(held + buffer.dropped).toBe(300_000);
    expect(buffer.dropped).toBeGreaterThan(250_000);
  });
});
