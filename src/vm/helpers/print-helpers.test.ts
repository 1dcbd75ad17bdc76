import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { VmMemory } from '../memory.js';
import { bprintf } from './bprintf.js';
import { fakeRun, signed } from './test-support.js';

const cstr = (text: string): Uint8Array => new TextEncoder().encode(`${text}\0`);

describe('bprintf (the kernel printf subset)', () => {
  const memory = new VmMemory();
  const format = (fmt: string, ...args: (number | bigint)[]) =>
    bprintf(
      cstr(fmt),
      args.map((a) => BigInt.asUintN(64, BigInt(a))),
      memory,
    );

  it('formats integers by width and length modifier', () => {
    expect(format('%d %i %u %x %X', -1, 42, -1, 255, 255)).toEqual({
      ok: true,
      text: '-1 42 4294967295 ff FF',
    });
    expect(format('%ld %lu %llx', -1, -1, 0x1234567890n)).toEqual({
      ok: true,
      text: '-1 18446744073709551615 1234567890',
    });
    expect(format('[%5d|%-5d|%05d|%+d|% d]', 42, 42, -42, 7, 7)).toEqual({
      ok: true,
      text: '[   42|42   |-0042|+7| 7]',
    });
    expect(format('100%% %c', 65)).toEqual({ ok: true, text: '100% A' });
  });

  it('reads strings and IPv4/IPv6 addresses from memory', () => {
    const s = memory.allocate(16);
    memory.write(s, cstr('hello'));
    const ip = memory.allocate(16);
    memory.write(ip, Uint8Array.from([10, 0, 0, 1]));
    expect(format('%s! %pI4 %pi4', s, ip, ip)).toEqual({ ok: true, text: 'hello! 10.0.0.1 010.000.000.001' });
    expect(format('[%s]', 0)).toEqual({ ok: true, text: '[]' });
    memory.write(ip, Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]));
    expect(format('%pI6', ip)).toEqual({ ok: true, text: '2001:0db8:0000:0000:0000:0000:0000:0001' });
  });

  it('refuses what bpf_bprintf_prepare refuses', () => {
    for (const bad of ['%d %d', '%hd', '%.2d', '%s5', '%pZ', '%#x', 'tab\x01']) {
      const formatted = bad === '%d %d' ? format(bad, 1) : format(bad, 1, 2);
      expect(formatted.ok, bad).toBe(false);
    }
    expect(bprintf(new TextEncoder().encode('no nul'), [], memory).ok).toBe(false);
  });
});

describe('bpf_trace_printk and bpf_snprintf', () => {
  it('trace_printk appends a line and returns its length', () => {
    const f = fakeRun();
    const fmt = f.put(cstr('len=%u proto=%x\n'));
    expect(f.call('trace_printk', fmt, 17, 60, 0x800)).toBe(BigInt('len=60 proto=800\n'.length));
    expect(f.vm.traceLog).toEqual(['len=60 proto=800']);
    // fmt_size that cuts off the NUL is -EINVAL.
    expect(signed(f.call('trace_printk', fmt, 5))).toBe(-ERRNO.EINVAL);
  });

  it('snprintf truncates to str_size and returns the full length plus one', () => {
    const f = fakeRun();
    const fmt = f.put(cstr('%d-%d'));
    const data = f.put(new Uint8Array(new BigUint64Array([1234n, 5678n]).buffer));
    const out = f.put(new Uint8Array(6).fill(0xff));
    expect(f.call('snprintf', out, 6, fmt, data, 16)).toBe(10n);
    expect(new TextDecoder().decode(f.vm.memory.read(out, 6))).toBe('1234-\0');
    expect(signed(f.call('snprintf', out, 6, fmt, data, 12))).toBe(-ERRNO.EINVAL);
    expect(signed(f.call('snprintf', out, 6, fmt, data, 8))).toBe(-ERRNO.EINVAL);
  });
});
