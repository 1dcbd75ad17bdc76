// Helpers that call back into the program: bpf_loop and bpf_for_each_map_elem (kernel/bpf/bpf_iter.c, helpers).

import { BPF_MAX_LOOPS } from '../../abi/limits.js';
import type { BpfMap } from '../maps/index.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, mapArg, u32 } from './helper-call.js';

/** bpf_loop(nr_loops, callback, ctx, flags): stops early when the callback returns non-zero; returns the calls made. */
export function loop(call: HelperCall): bigint {
  const count = u32(call.args[0]);
  const [, callback, context, flags] = call.args;
  if (flags !== 0n) return errno('EINVAL');
  if (count > BPF_MAX_LOOPS) return errno('E2BIG');
  for (let index = 0; index < count; index++) {
    const returned = call.run.callFunction(callback, [BigInt(index), context, 0n, 0n, 0n]);
    if (returned !== 0n) return BigInt(index + 1);
  }
  return BigInt(count);
}

const ITERABLE = new Set(['array', 'percpu_array', 'hash', 'percpu_hash', 'lru_hash', 'lru_percpu_hash']);

/** Keys of a map in iteration order, taken before the walk so callbacks that delete elements do not derail it. */
function keysOf(map: BpfMap): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let key = map.getNextKey(); typeof key !== 'number'; key = map.getNextKey(key)) {
    keys.push(key);
    if (keys.length > map.maxEntries) break;
  }
  return keys;
}

/**
 * bpf_for_each_map_elem(map, callback, ctx, flags): callback(map, &key, &value, ctx) per element (this CPU's
 * value for per-CPU maps), stopping after one that returns non-zero; returns the elements visited.
 */
export function forEachMapElem(call: HelperCall): bigint {
  const map = mapArg(call, 'for_each_map_elem', 0);
  const [, callback, context, flags] = call.args;
  if (flags !== 0n) return errno('EINVAL');
  if (!ITERABLE.has(map.typeName)) {
    throw helperFault(call, 'for_each_map_elem', `map type ${map.typeName} cannot be iterated`);
  }
  const memory = call.vm.memory;
  const keyAddress = memory.allocate(Math.max(map.keySize, 1));
  let visited = 0n;
  try {
    for (const key of keysOf(map)) {
      const value = map.lookup(key, call.run.cpu);
      if (value === undefined) continue;
      memory.write(keyAddress, key);
      visited++;
      const returned = call.run.callFunction(callback, [
        BigInt(map.address),
        BigInt(keyAddress),
        BigInt(value),
        context,
        0n,
      ]);
      if (returned !== 0n) break;
    }
  } finally {
    memory.retire(keyAddress);
  }
  return visited;
}
