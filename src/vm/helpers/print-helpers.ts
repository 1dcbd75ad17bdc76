// bpf_trace_printk (to the VM's trace log) and bpf_snprintf, over the kernel's printf subset.

import type { HelperCall } from '../runtime.js';
import { bprintf } from './bprintf.js';
import { errno, pointerArg, readArg, result, u32 } from './helper-call.js';

/** Kernel: MAX_BPRINTF_BUF, the size of the formatted text (NUL included). */
const MAX_BPRINTF_BUF = 1024;
/** Kernel: MAX_BPRINTF_VARARGS, the arguments bpf_snprintf takes. */
const MAX_BPRINTF_VARARGS = 12;
/** bpf_trace_printk passes three arguments (kernel: MAX_TRACE_PRINTK_VARARGS). */
const TRACE_PRINTK_ARGS = 3;

/**
 * Appends the formatted line to the trace log (one trailing newline dropped: the log holds lines) and returns
 * the formatted length, as bstr_printf reports it.
 */
export function tracePrintk(call: HelperCall): bigint {
  const size = u32(call.args[1]);
  const format = readArg(call, 'trace_printk', 0, size);
  const formatted = bprintf(format, call.args.slice(2, 2 + TRACE_PRINTK_ARGS), call.vm.memory);
  if (!formatted.ok) return errno(formatted.errno);
  const text = formatted.text.slice(0, MAX_BPRINTF_BUF - 1);
  call.vm.trace.push(text.endsWith('\n') ? text.slice(0, -1) : text);
  return result(formatted.text.length);
}

/** The NUL-terminated constant format string bpf_snprintf takes (ARG_PTR_TO_CONST_STR). */
function readConstString(call: HelperCall, index: number): Uint8Array {
  const start = pointerArg(call, 'snprintf', index, 1);
  const bytes: number[] = [];
  for (let at = start; call.vm.memory.isRange(at, 1); at++) {
    const byte = call.vm.memory.readU8(at);
    bytes.push(byte);
    if (byte === 0) break;
  }
  return new Uint8Array(bytes);
}

/** Returns the full formatted length plus one (the NUL), whatever str_size cut off. */
export function snprintf(call: HelperCall): bigint {
  const size = u32(call.args[1]);
  const dataLength = u32(call.args[4]);
  if (
    dataLength % 8 !== 0 ||
    dataLength > MAX_BPRINTF_VARARGS * 8 ||
    (dataLength > 0 && call.args[3] === 0n)
  ) {
    return errno('EINVAL');
  }
  const format = readConstString(call, 2);
  const data = readArg(call, 'snprintf', 3, dataLength);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const args = Array.from({ length: dataLength / 8 }, (_, i) => view.getBigUint64(i * 8, true));
  const formatted = bprintf(format, args, call.vm.memory);
  if (!formatted.ok) return errno(formatted.errno);
  if (size > 0) {
    const destination = pointerArg(call, 'snprintf', 0, size);
    // One character per byte: %s copies raw bytes.
    const bytes = Uint8Array.from(formatted.text.slice(0, size - 1), (c) => c.charCodeAt(0));
    const out = new Uint8Array(bytes.length + 1);
    out.set(bytes);
    call.vm.memory.write(destination, out);
  }
  return result(formatted.text.length + 1);
}
