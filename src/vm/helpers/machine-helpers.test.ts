import { describe, expect, it } from 'vitest';
import { fakeRun } from './test-support.js';

describe('machine helpers', () => {
  it('report the Vm settings', () => {
    let now = 5_000_000_000n;
    const f = fakeRun({
      cpus: 4,
      cpu: 3,
      settings: {
        ktimeNs: () => now,
        pidTgid: (7n << 32n) | 9n,
        uidGid: (100n << 32n) | 200n,
        numaNode: 1,
        comm: 'worker',
      },
      prandomSeed: 42,
    });
    expect(f.call('ktime_get_ns')).toBe(5_000_000_000n);
    now += 1000n;
    expect(f.call('ktime_get_boot_ns')).toBe(5_000_001_000n);
    expect(f.call('jiffies64')).toBe((5_000_001_000n * 250n) / 1_000_000_000n);
    expect(f.call('get_smp_processor_id')).toBe(3n);
    expect(f.call('get_numa_node_id')).toBe(1n);
    expect(f.call('get_current_pid_tgid')).toBe((7n << 32n) | 9n);
    expect(f.call('get_current_uid_gid')).toBe((100n << 32n) | 200n);
    const again = fakeRun({ prandomSeed: 42 });
    const first = [f.call('get_prandom_u32'), f.call('get_prandom_u32')];
    expect([again.call('get_prandom_u32'), again.call('get_prandom_u32')]).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
  });

  it('get_current_comm pads with zeros and truncates with a NUL', () => {
    const f = fakeRun({ settings: { comm: 'worker' } });
    const buffer = f.put(new Uint8Array(16).fill(0xff));
    expect(f.call('get_current_comm', buffer, 16)).toBe(0n);
    expect([...f.vm.memory.read(buffer, 16)]).toEqual([
      ...new TextEncoder().encode('worker'),
      ...new Array(10).fill(0),
    ]);
    const small = f.put(new Uint8Array(4).fill(0xff));
    f.call('get_current_comm', small, 4);
    expect([...f.vm.memory.read(small, 4)]).toEqual([0x77, 0x6f, 0x72, 0]);
  });
});
