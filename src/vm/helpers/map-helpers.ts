// bpf_map_lookup_elem/update_elem/delete_elem and bpf_map_push/pop/peek_elem (kernel/bpf/helpers.c).

import { ERRNO } from '../../abi/errno.js';
import { BloomFilterMap, type BpfMap } from '../maps/index.js';
import type { HelperCall, HelperSite } from '../runtime.js';
import { withFastForm } from './fast-helper.js';
import {
  errno,
  keyAt,
  mapArg,
  mapAt,
  pointerArg,
  pointerAt,
  readArg,
  result,
  valueArg,
  valueAt,
} from './helper-call.js';

/** Map flags are a u64; every map type refuses bits it does not know, which covers the upper half. */
function mapFlags(value: bigint): number | undefined {
  return value > 0xffff_ffffn ? undefined : Number(value);
}

export const mapLookupElem = withFastForm({
  args: ['map', 'ptr'],
  result: 'ptr',
  run(site: HelperSite, mapAddress: number, keyAddress: number): number {
    const map = mapAt(site, 'map_lookup_elem', 0, mapAddress);
    // Arrays and hash maps read the key in place, with no copy.
    const address =
      map.lookupInPlace === undefined
        ? map.lookup(keyAt(site, 'map_lookup_elem', 1, keyAddress, map.keySize), site.run.cpu)
        : map.lookupInPlace(
            site.vm.memory.bytes(),
            pointerAt(site, 'map_lookup_elem', 1, keyAddress, map.keySize),
            site.run.cpu,
          );
    return address ?? 0;
  },
});

export const mapUpdateElem = withFastForm({
  args: ['map', 'ptr', 'ptr', 'u64'],
  result: 's32',
  run(site: HelperSite, mapAddress: number, keyAddress: number, valueAddress: number, flags: number): number {
    const map = mapAt(site, 'map_update_elem', 0, mapAddress);
    const key = keyAt(site, 'map_update_elem', 1, keyAddress, map.keySize);
    // Kernel: a sockmap/sockhash value from a program is the socket it holds, not bytes.
    if (map.updateWithSocket !== undefined) return map.updateWithSocket(key, valueAddress, flags);
    const value = valueAt(site, 'map_update_elem', 2, valueAddress, map.valueSize);
    // As mapFlags: a flag in the upper half is one no map type knows.
    if (flags > 0xffff_ffff) return -ERRNO.EINVAL;
    return map.updateFromProgram(key, value, flags, site.run.cpu);
  },
});

export const mapDeleteElem = withFastForm({
  args: ['map', 'ptr'],
  result: 's32',
  run(site: HelperSite, mapAddress: number, keyAddress: number): number {
    const map = mapAt(site, 'map_delete_elem', 0, mapAddress);
    return map.deleteFromProgram(keyAt(site, 'map_delete_elem', 1, keyAddress, map.keySize));
  },
});

export function mapPushElem(call: HelperCall): bigint {
  const map = mapArg(call, 'map_push_elem', 0);
  const value = valueArg(call, 'map_push_elem', 1, map.valueSize);
  const flags = mapFlags(call.args[2]);
  if (flags === undefined) return errno('EINVAL');
  return result(map.push(value, flags));
}

/** Pop and peek write the value to r2; an empty queue or stack zeroes it (kernel: __queue_map_get). */
function takeValue(call: HelperCall, name: string, take: (map: BpfMap) => Uint8Array | number): bigint {
  const map = mapArg(call, name, 0);
  const destination = pointerArg(call, name, 1, map.valueSize);
  const value = take(map);
  if (typeof value === 'number') {
    if (value === -ERRNO.ENOENT) call.vm.memory.fill(destination, map.valueSize);
    return result(value);
  }
  call.vm.memory.write(destination, value.subarray(0, map.valueSize));
  return 0n;
}

export function mapPopElem(call: HelperCall): bigint {
  return takeValue(call, 'map_pop_elem', (map) => map.pop());
}

export function mapPeekElem(call: HelperCall): bigint {
  const map = mapArg(call, 'map_peek_elem', 0);
  // Kernel bloom_map_peek_elem: r2 holds the value to test, and nothing is written back.
  if (map instanceof BloomFilterMap)
    return result(map.contains(readArg(call, 'map_peek_elem', 1, map.valueSize)));
  return takeValue(call, 'map_peek_elem', (map) => map.peek());
}
