// bpf_user_ringbuf_drain (kernel/bpf/ringbuf.c): calls the program's callback with a dynptr over each record user
// space submitted, until the ring is empty or the callback returns non-zero.

import { UserRingbufMap } from '../maps/user-ringbuf-map.js';
import { BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP } from '../maps/ringbuf-map.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, mapArg, result } from './helper-call.js';

/** Kernel: BPF_MAX_USER_RINGBUF_SAMPLES, the most records one drain visits. */
const MAX_SAMPLES = 128 * 1024;
/**
 * Kernel struct bpf_dynptr_kern: data pointer (u64), size (bits 0-23) with the type in bits 28-30, offset (u32).
 * The callback's r1 points at one; BPF_DYNPTR_TYPE_LOCAL is 1.
 */
const DYNPTR_SIZE = 16;
const DYNPTR_TYPE_LOCAL = 1 << 28;

/**
 * Returns the records visited (the one whose callback stopped the drain included, discarded ones not), -EINVAL for
 * unknown flags or a corrupt record, -E2BIG for a record too large, -EBUSY inside another drain of the same map.
 */
export function userRingbufDrain(call: HelperCall): bigint {
  const map = mapArg(call, 'user_ringbuf_drain', 0);
  if (!(map instanceof UserRingbufMap)) {
    throw helperFault(call, 'user_ringbuf_drain', `map type ${map.typeName} is not a user_ringbuf`);
  }
  const [, callback, context, flags] = call.args;
  if ((flags & ~BigInt(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) !== 0n) return errno('EINVAL');
  if (map.draining) return errno('EBUSY');
  const memory = call.vm.memory;
  const dynptr = memory.allocate(DYNPTR_SIZE, 8);
  map.draining = true;
  let samples = 0;
  let discarded = 0;
  try {
    for (let returned = 0n; samples < MAX_SAMPLES && returned === 0n; samples++) {
      const record = map.peekRecord();
      if (record === 'empty') break;
      if (record === 'discarded') {
        discarded++;
        continue;
      }
      if ('errno' in record) return errno(record.errno);
      memory.writeU64(dynptr, BigInt(record.address));
      memory.writeU32(dynptr + 8, (record.size | DYNPTR_TYPE_LOCAL) >>> 0);
      memory.writeU32(dynptr + 12, 0);
      returned = call.run.callFunction(callback, [BigInt(dynptr), context, 0n, 0n, 0n]);
      map.releaseSample(record.size);
    }
    return result(samples - discarded);
  } finally {
    map.draining = false;
    memory.free(dynptr);
  }
}
