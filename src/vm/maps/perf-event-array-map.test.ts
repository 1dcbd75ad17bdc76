// perf_event_array: slots, output errors, per-CPU samples with the kernel's raw-record padding.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';
import {
  BPF_F_CURRENT_CPU,
  PERF_BUFFER_BYTES_PER_CPU,
  type PerfEventArrayMap,
} from './perf-event-array-map.js';

const newPerf = () =>
  createMap(
    new VmMemory(),
    { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 2 },
    { cpus: 2 },
  ) as PerfEventArrayMap;

describe('perf_event_array map', () => {
  it('collects samples per CPU, padded so that size header + data fill whole 8 bytes', () => {
    const perf = newPerf();
    perf.update(u32Bytes(0), u32Bytes(100));
    perf.update(u32Bytes(1), u32Bytes(101));
    expect(perf.output(Uint8Array.of(1, 2, 3), BPF_F_CURRENT_CPU, 1)).toBe(0);
    expect(perf.output(Uint8Array.of(4, 5, 6, 7, 8), 0n, 0)).toBe(0);
    expect(perf.takeSamples(1)).toEqual([{ cpu: 1, data: Uint8Array.of(1, 2, 3, 0) }]);
    expect(perf.takeSamples()).toEqual([{ cpu: 0, data: Uint8Array.of(4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0) }]);
    expect(perf.pendingSamples).toBe(0);
  });

  it('holds a bounded buffer per CPU: when full the output is -ENOSPC and counted lost, taking frees it', () => {
    const perf = newPerf();
    perf.update(u32Bytes(0), u32Bytes(100));
    // 1020 bytes of data + 4 of size + 8 of header = 1032 bytes a sample.
    const fit = Math.floor(PERF_BUFFER_BYTES_PER_CPU / 1032);
    let written = 0;
    for (let i = 0; i < fit + 100; i++) if (perf.output(new Uint8Array(1020), 0n, 0) === 0) written++;
    expect(written).toBe(fit);
    expect(perf.lost(0)).toBe(100);
    expect(perf.lost(1)).toBe(0);
    expect(perf.output(new Uint8Array(1020), 0n, 0)).toBe(-ERRNO.ENOSPC);
    expect(perf.takeSamples(0)).toHaveLength(fit);
    expect(perf.output(new Uint8Array(1020), 0n, 0)).toBe(0);
    expect(perf.lost()).toBe(101);
  });

  it('returns the kernel errors for bad flags, indexes, empty slots and other CPUs', () => {
    const perf = newPerf();
    perf.update(u32Bytes(0), u32Bytes(100));
    expect(perf.output(new Uint8Array(4), 1n << 32n, 0)).toBe(-ERRNO.EINVAL);
    expect(perf.output(new Uint8Array(4), 1n << 32n, 0, true)).toBe(0);
    expect(perf.output(new Uint8Array(4), 5n, 0)).toBe(-ERRNO.E2BIG);
    expect(perf.output(new Uint8Array(4), BPF_F_CURRENT_CPU, 1)).toBe(-ERRNO.ENOENT);
    perf.update(u32Bytes(1), u32Bytes(101));
    expect(perf.output(new Uint8Array(4), 1n, 0)).toBe(-ERRNO.EOPNOTSUPP);
  });

  it('answers bpf() as the kernel: lookup ENOTSUPP, delete of an empty slot ENOENT', () => {
    const perf = newPerf();
    expect(perf.lookupValue(u32Bytes(0))).toBe(-ERRNO.ENOTSUPP);
    expect(perf.delete(u32Bytes(0))).toBe(-ERRNO.ENOENT);
    perf.update(u32Bytes(1), u32Bytes(7));
    expect([...perf.entries()]).toEqual([{ key: u32Bytes(1), value: u32Bytes(7) }]);
    expect(perf.delete(u32Bytes(1))).toBe(0);
  });
});
