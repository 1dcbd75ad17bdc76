// bpf_strtol / bpf_strtoul (kernel/bpf/helpers.c over lib/kstrtox.c) and the probe_read family.

import type { HelperCall } from '../runtime.js';
import { errno, pointerArg, readArg, result, u32 } from './helper-call.js';

/** Kernel: BPF_STRTOX_BASE_MASK, the base bits of bpf_strtol's flags. */
const BPF_STRTOX_BASE_MASK = 0x1f;
/** Kernel: __bpf_strtoull copies at most this many characters (a 64-byte buffer with its NUL). */
const STRTOX_MAX_CHARS = 63;

/** Kernel isspace(): ASCII white space and Latin-1 NBSP (the kernel's ctype table marks 0xa0 as space). */
const isKernelSpace = (c: number): boolean => c === 0x20 || (c >= 9 && c <= 13) || c === 0xa0;

const digitValue = (c: number): number => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 10;
  return 99;
};

interface ParsedUnsigned {
  consumed: number;
  value: bigint;
  negative: boolean;
}

/** Kernel: __bpf_strtoull. Returns the characters consumed, or an errno name. */
export function parseUnsigned(buffer: Uint8Array, flags: bigint): ParsedUnsigned | 'EINVAL' | 'ERANGE' {
  let base = Number(flags & BigInt(BPF_STRTOX_BASE_MASK));
  if (buffer.length === 0) return 'EINVAL';
  if (base !== 0 && base !== 8 && base !== 10 && base !== 16) return 'EINVAL';
  if ((flags & ~BigInt(BPF_STRTOX_BASE_MASK)) !== 0n) return 'EINVAL';
  let at = 0;
  while (at < buffer.length && isKernelSpace(buffer[at])) at++;
  const negative = at < buffer.length && buffer[at] === 0x2d;
  if (negative) at++;
  if (at === buffer.length) return 'EINVAL';
  // The digits are parsed from a NUL-terminated copy of at most 63 characters.
  const text = new Uint8Array(STRTOX_MAX_CHARS + 1);
  text.set(buffer.subarray(at, at + Math.min(buffer.length - at, STRTOX_MAX_CHARS)));
  let cursor = 0;
  if (base === 0) {
    if (text[0] === 0x30) base = (text[1] | 0x20) === 0x78 && digitValue(text[2]) < 16 ? 16 : 8;
    else base = 10;
  }
  if (base === 16 && text[0] === 0x30 && (text[1] | 0x20) === 0x78) cursor = 2;
  const digitsStart = cursor;
  let value = 0n;
  let overflow = false;
  for (; cursor < text.length; cursor++) {
    const digit = digitValue(text[cursor]);
    if (digit >= base) break;
    value = value * BigInt(base) + BigInt(digit);
    if (value > 0xffff_ffff_ffff_ffffn) {
      overflow = true;
      value = BigInt.asUintN(64, value);
    }
  }
  if (overflow) return 'ERANGE';
  if (cursor === digitsStart) return 'EINVAL';
  return { consumed: at + cursor, value, negative };
}

function strtoArgs(call: HelperCall, name: string): { buffer: Uint8Array; resultAddress: number } {
  const resultAddress = pointerArg(call, name, 3, 8);
  const length = Number(call.args[1] > 0xffff_ffffn ? 0n : call.args[1]);
  return { buffer: readArg(call, name, 0, length), resultAddress };
}

export function strtol(call: HelperCall): bigint {
  const { buffer, resultAddress } = strtoArgs(call, 'strtol');
  call.vm.memory.writeU64(resultAddress, 0n);
  const parsed = parseUnsigned(buffer, call.args[2]);
  if (typeof parsed === 'string') return errno(parsed);
  const value = parsed.negative ? -parsed.value : parsed.value;
  if (parsed.negative ? BigInt.asIntN(64, value) > 0n : BigInt.asIntN(64, value) < 0n) return errno('ERANGE');
  call.vm.memory.writeU64(resultAddress, BigInt.asUintN(64, value));
  return result(parsed.consumed);
}

export function strtoul(call: HelperCall): bigint {
  const { buffer, resultAddress } = strtoArgs(call, 'strtoul');
  call.vm.memory.writeU64(resultAddress, 0n);
  const parsed = parseUnsigned(buffer, call.args[2]);
  if (typeof parsed === 'string') return errno(parsed);
  if (parsed.negative) return errno('EINVAL');
  call.vm.memory.writeU64(resultAddress, parsed.value);
  return result(parsed.consumed);
}

/** The source range of a probe read, when it lies in VmMemory (the VM's whole "kernel" and "user" space). */
function sourceRange(call: HelperCall, size: number): number | undefined {
  const source = call.args[2];
  if (source > 0xffff_ffffn) return undefined;
  return call.vm.memory.isRange(Number(source), size) ? Number(source) : undefined;
}

/** bpf_probe_read_kernel/user: copy size bytes, or zero the destination and return -EFAULT. */
export function probeRead(call: HelperCall): bigint {
  const size = u32(call.args[1]);
  if (size === 0) return 0n;
  const destination = pointerArg(call, 'probe_read', 0, size);
  const source = sourceRange(call, size);
  if (source === undefined) {
    call.vm.memory.fill(destination, size);
    return errno('EFAULT');
  }
  call.vm.memory.copy(destination, source, size);
  return 0n;
}

/**
 * bpf_probe_read_kernel_str/user_str: copies up to the NUL or size-1 bytes and terminates; returns the bytes
 * written with the NUL. An unreadable byte before the NUL zeroes the destination and gives -EFAULT.
 */
export function probeReadString(call: HelperCall): bigint {
  const size = u32(call.args[1]);
  if (size === 0) return 0n;
  const destination = pointerArg(call, 'probe_read_str', 0, size);
  const source = call.args[2];
  const bytes: number[] = [];
  for (let i = 0; i < size; i++) {
    const at = source + BigInt(i);
    if (at > 0xffff_ffffn || !call.vm.memory.isRange(Number(at), 1)) {
      call.vm.memory.fill(destination, size);
      return errno('EFAULT');
    }
    const byte = call.vm.memory.readU8(Number(at));
    bytes.push(byte);
    if (byte === 0) break;
  }
  if (bytes.length === size && bytes[size - 1] !== 0) bytes[size - 1] = 0;
  call.vm.memory.write(destination, new Uint8Array(bytes));
  return result(bytes.length);
}
