import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { fakeRun, signed } from './test-support.js';

describe('bpf_strtol / bpf_strtoul', () => {
  const f = fakeRun();
  const res = f.put(new Uint8Array(8));
  const parse = (name: 'strtol' | 'strtoul', text: string, flags = 0) => {
    const bytes = new TextEncoder().encode(text);
    const buf = f.put(bytes);
    const ret = signed(f.call(name, buf, bytes.length, flags, res));
    return { ret, value: BigInt.asIntN(64, f.vm.memory.readU64(res)) };
  };

  it('parses like the kernel: leading space, sign, base prefixes, consumed count', () => {
    expect(parse('strtol', '  -123abc')).toEqual({ ret: 6, value: -123n });
    expect(parse('strtol', '0x1f', 0)).toEqual({ ret: 4, value: 31n });
    expect(parse('strtol', '017', 0)).toEqual({ ret: 3, value: 15n });
    expect(parse('strtol', 'ff', 16)).toEqual({ ret: 2, value: 255n });
    expect(parse('strtoul', '18446744073709551615')).toEqual({ ret: 20, value: -1n });
    expect(parse('strtol', '-9223372036854775808')).toEqual({ ret: 20, value: -9223372036854775808n });
  });

  it('errors: no digits, bad base, overflow, negative for strtoul', () => {
    expect(parse('strtol', 'xyz').ret).toBe(-ERRNO.EINVAL);
    expect(parse('strtol', '12', 7).ret).toBe(-ERRNO.EINVAL);
    expect(parse('strtol', '12', 0x20 | 10).ret).toBe(-ERRNO.EINVAL);
    expect(parse('strtol', '9223372036854775808').ret).toBe(-ERRNO.ERANGE);
    expect(parse('strtoul', '18446744073709551616').ret).toBe(-ERRNO.ERANGE);
    expect(parse('strtoul', '-1')).toEqual({ ret: -ERRNO.EINVAL, value: 0n });
  });

  it('agrees with BigInt on random decimal numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        expect(parse('strtol', n.toString())).toEqual({ ret: n.toString().length, value: n });
      }),
    );
  });
});

describe('probe_read family', () => {
  it('copies within VmMemory or zeroes the destination with -EFAULT', () => {
    const f = fakeRun();
    const source = f.put(new TextEncoder().encode('kernel\0junk'));
    const destination = f.put(new Uint8Array(8).fill(0xee));
    expect(f.call('probe_read_kernel', destination, 4, source)).toBe(0n);
    expect(new TextDecoder().decode(f.vm.memory.read(destination, 4))).toBe('kern');
    expect(signed(f.call('probe_read_user', destination, 8, 16))).toBe(-ERRNO.EFAULT);
    expect([...f.vm.memory.read(destination, 8)]).toEqual(new Array(8).fill(0));
    expect(f.call('probe_read_kernel_str', destination, 8, source)).toBe(7n);
    expect(new TextDecoder().decode(f.vm.memory.read(destination, 7))).toBe('kernel\0');
    expect(f.call('probe_read_user_str', destination, 4, source)).toBe(4n);
    expect([...f.vm.memory.read(destination, 4)]).toEqual([0x6b, 0x65, 0x72, 0]);
    expect(signed(f.call('probe_read_kernel_str', destination, 4, 0))).toBe(-ERRNO.EFAULT);
  });
});
