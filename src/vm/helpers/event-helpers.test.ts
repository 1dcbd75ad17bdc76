import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { SkbContext } from '../context/skb.js';
import { Vm } from '../vm.js';
import { fakeRun, signed } from './test-support.js';

describe('ring buffer helpers', () => {
  it('output, reserve/submit and reserve/discard reach the user in order, discarded records skipped', () => {
    const f = fakeRun();
    const ring = f.vm.maps.create({ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 });
    expect(f.call('ringbuf_output', ring.address, f.put([1, 2, 3]), 3, 0)).toBe(0n);
    const record = Number(f.call('ringbuf_reserve', ring.address, 4, 0));
    expect(record).not.toBe(0);
    f.vm.memory.write(record, Uint8Array.from([9, 9, 9, 9]));
    const dropped = Number(f.call('ringbuf_reserve', ring.address, 4, 0));
    expect(f.call('ringbuf_discard', dropped, 0)).toBe(0n);
    expect(f.call('ringbuf_submit', record, 0)).toBe(0n);
    expect(f.call('ringbuf_query', ring.address, 0)).toBe(48n);
    expect(f.vm.consumeRingbuf(ring).map((s) => [...s])).toEqual([
      [1, 2, 3],
      [9, 9, 9, 9],
    ]);
    expect(f.call('ringbuf_reserve', ring.address, 4096, 0)).toBe(0n);
    expect(f.call('ringbuf_reserve', ring.address, 4, 1)).toBe(0n);
    expect(signed(f.call('ringbuf_output', ring.address, f.put([1]), 1, 4))).toBe(-ERRNO.EINVAL);
    expect(() => f.call('ringbuf_submit', record, 0)).toThrow(/already submitted/);
  });
});

describe('bpf_perf_event_output', () => {
  it('appends the packet bytes BPF_F_CTXLEN_MASK asks for in skb programs', () => {
    const vm = new Vm();
    const context = new SkbContext(vm.memory, {
      frame: Uint8Array.from({ length: 20 }, (_, i) => i),
      linkLayer: true,
    });
    const f = fakeRun({ vm, packet: context.packet, type: 'sched_cls' });
    const events = vm.maps.create({ type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 1 });
    vm.maps.get(events.id)!.update(new Uint8Array(4), Uint8Array.from([7, 0, 0, 0]));
    const flags = (3n << 32n) | 0xffff_ffffn;
    expect(f.call('perf_event_output', context.address, events.address, flags, f.put([0xaa]), 1)).toBe(0n);
    expect(vm.takePerfSamples(events).map((s) => [...s.data])).toEqual([[0xaa, 0, 1, 2]]);
    expect(
      signed(
        f.call(
          'perf_event_output',
          context.address,
          events.address,
          (21n << 32n) | 0xffff_ffffn,
          f.put([1]),
          1,
        ),
      ),
    ).toBe(-ERRNO.EFAULT);
    expect(
      signed(f.call('perf_event_output', context.address, events.address, 1n << 60n, f.put([1]), 1)),
    ).toBe(-ERRNO.EINVAL);
  });
});
