// The kernel's printf subset for BPF (bpf_bprintf_prepare + bstr_printf): bpf_trace_printk and bpf_snprintf.

import type { ErrnoName } from '../../abi/errno.js';
import type { VmMemory } from '../memory.js';

/** Kernel: MAX_BPRINTF_BIN_ARGS, the per-call buffer that holds the converted arguments (strings included). */
const MAX_BPRINTF_BIN_ARGS = 512;

export type BprintfResult = { ok: true; text: string } | { ok: false; errno: ErrnoName; reason: string };

interface Spec {
  leftAlign: boolean;
  zeroPad: boolean;
  plus: boolean;
  space: boolean;
  width: number;
}

const isPrintableOrSpace = (c: number): boolean => (c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13);
const isSpace = (c: number): boolean => c === 0x20 || (c >= 9 && c <= 13);
const isPunct = (c: number): boolean =>
  (c >= 0x21 && c <= 0x2f) ||
  (c >= 0x3a && c <= 0x40) ||
  (c >= 0x5b && c <= 0x60) ||
  (c >= 0x7b && c <= 0x7e);

function pad(body: string, spec: Spec, numeric: boolean): string {
  if (body.length >= spec.width) return body;
  if (spec.leftAlign) return body.padEnd(spec.width, ' ');
  if (numeric && spec.zeroPad) {
    const sign = /^[-+ ]/.test(body) ? body[0] : '';
    return sign + body.slice(sign.length).padStart(spec.width - sign.length, '0');
  }
  return body.padStart(spec.width, ' ');
}

/** A C string of at most `max` bytes (NUL included) at `address`; undefined when it cannot be read. */
function readCString(memory: VmMemory, address: bigint, max: number): string | undefined {
  if (address > 0xffff_ffffn || max <= 0) return undefined;
  let text = '';
  for (let i = 0; i < max - 1; i++) {
    const at = Number(address) + i;
    if (!memory.isRange(at, 1)) return i === 0 ? undefined : text;
    const byte = memory.readU8(at);
    if (byte === 0) return text;
    text += String.fromCharCode(byte);
  }
  return text;
}

function formatIp(memory: VmMemory, address: bigint, kind: string): string {
  const size = kind[1] === '4' ? 4 : 16;
  const bytes =
    address <= 0xffff_ffffn && memory.isRange(Number(address), size)
      ? memory.read(Number(address), size)
      : new Uint8Array(size);
  if (size === 4) {
    const parts = [...bytes].map((b) => (kind[0] === 'i' ? b.toString().padStart(3, '0') : b.toString()));
    return parts.join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16).padStart(4, '0'));
  return kind[0] === 'i' ? groups.join('') : groups.join(':');
}

/**
 * Formats `format` (bytes up to its NUL) with `args` as the kernel does. Accepts the kernel's subset: flags
 * `0 + - space`, a width, `%d %i %u %x %X` with `l`/`ll`, `%c`, `%s`/`%ks`/`%us`, `%p` (printed as the raw
 * address: the kernel prints a hashed value, which no program may rely on), `%pI4 %pi4 %pI6 %pi6`, `%%`.
 * Anything else, a non-printable character, or more conversions than arguments is -EINVAL.
 */
export function bprintf(format: Uint8Array, args: readonly bigint[], memory: VmMemory): BprintfResult {
  const end = format.indexOf(0);
  if (end < 0) return { ok: false, errno: 'EINVAL', reason: 'format string is not NUL-terminated' };
  const fmt = format.subarray(0, end + 1);
  let out = '';
  let argIndex = 0;
  let binArgsUsed = 0;
  const fail = (reason: string): BprintfResult => ({ ok: false, errno: 'EINVAL', reason });
  for (let i = 0; i < end; i++) {
    const c = fmt[i];
    if (!isPrintableOrSpace(c)) return fail(`character 0x${c.toString(16)} at ${i} is not printable`);
    if (c !== 0x25) {
      out += String.fromCharCode(c);
      continue;
    }
    if (fmt[i + 1] === 0x25) {
      out += '%';
      i++;
      continue;
    }
    if (argIndex >= args.length) return fail('more conversions than arguments');
    i++;
    const spec: Spec = { leftAlign: false, zeroPad: false, plus: false, space: false, width: 0 };
    for (;;) {
      const flag = String.fromCharCode(fmt[i]);
      if (flag === '0') spec.zeroPad = true;
      else if (flag === '-') spec.leftAlign = true;
      else if (flag === '+') spec.plus = true;
      else if (flag === ' ') spec.space = true;
      else break;
      i++;
    }
    while (fmt[i] >= 0x30 && fmt[i] <= 0x39) spec.width = spec.width * 10 + (fmt[i++] - 0x30);
    const arg = args[argIndex++];
    const conv = String.fromCharCode(fmt[i]);
    const next = fmt[i + 1];
    if (conv === 'p') {
      const kind = String.fromCharCode(next, fmt[i + 2] ?? 0);
      if ((next === 0x6b || next === 0x75) && fmt[i + 2] === 0x73) {
        i += 2;
        const text = formatString(memory, arg, fmt[i + 1], MAX_BPRINTF_BIN_ARGS - binArgsUsed);
        if (typeof text !== 'string') return text;
        binArgsUsed += text.length + 1;
        out += pad(text, spec, false);
        continue;
      }
      if (next === 0 || isSpace(next) || isPunct(next) || 'KxsS'.includes(String.fromCharCode(next))) {
        if (next !== 0 && !isSpace(next) && !isPunct(next)) i++;
        binArgsUsed = Math.ceil(binArgsUsed / 4) * 4 + 8;
        out += pad(arg.toString(16).padStart(16, '0'), spec, true);
        continue;
      }
      if (next === 0x42) {
        i++;
        const symbol = `0x${arg.toString(16)}`;
        binArgsUsed += symbol.length + 1;
        out += symbol;
        continue;
      }
      if (!/^[iI][46]$/.test(kind))
        return fail(`unsupported pointer conversion %p${String.fromCharCode(next)}`);
      i += 2;
      const text = formatIp(memory, arg, kind);
      binArgsUsed += text.length + 1;
      out += pad(text, spec, false);
      continue;
    }
    if (conv === 's') {
      const text = formatString(memory, arg, next, MAX_BPRINTF_BIN_ARGS - binArgsUsed);
      if (typeof text !== 'string') return text;
      binArgsUsed += text.length + 1;
      out += pad(text, spec, false);
      continue;
    }
    if (conv === 'c') {
      if (binArgsUsed >= MAX_BPRINTF_BIN_ARGS)
        return { ok: false, errno: 'ENOSPC', reason: 'arguments too long' };
      binArgsUsed += 1;
      out += pad(String.fromCharCode(Number(arg & 0xffn)), spec, false);
      continue;
    }
    let bits = 32;
    if (fmt[i] === 0x6c) {
      bits = 64;
      i++;
      if (fmt[i] === 0x6c) i++;
    }
    const integer = String.fromCharCode(fmt[i]);
    if (!'iduxX'.includes(integer) || fmt[i] === 0) return fail(`invalid conversion at ${i}`);
    binArgsUsed = Math.ceil(binArgsUsed / 4) * 4 + bits / 8;
    if (binArgsUsed > MAX_BPRINTF_BIN_ARGS)
      return { ok: false, errno: 'ENOSPC', reason: 'arguments too long' };
    out += pad(formatInteger(arg, bits, integer, spec), spec, true);
  }
  return { ok: true, text: out };
}

function formatInteger(arg: bigint, bits: number, conversion: string, spec: Spec): string {
  if (conversion === 'd' || conversion === 'i') {
    const value = BigInt.asIntN(bits, arg);
    const sign = value < 0n ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
    return sign + (value < 0n ? -value : value).toString();
  }
  const value = BigInt.asUintN(bits, arg);
  if (conversion === 'u') return value.toString();
  const hex = value.toString(16);
  return conversion === 'X' ? hex.toUpperCase() : hex;
}

/** A `%s` argument: the string must be followed by end, space or punctuation; unreadable strings print empty. */
function formatString(
  memory: VmMemory,
  address: bigint,
  following: number,
  room: number,
): string | BprintfResult {
  if (following !== 0 && !isSpace(following) && !isPunct(following)) {
    return { ok: false, errno: 'EINVAL', reason: '%s must be followed by space, punctuation or the end' };
  }
  if (room <= 0) return { ok: false, errno: 'ENOSPC', reason: 'arguments too long' };
  return readCString(memory, address, room) ?? '';
}
