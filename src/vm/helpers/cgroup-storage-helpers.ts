// bpf_get_local_storage (kernel/bpf/helpers.c): the running test's cgroup storage of the map's kind.

import { CgroupStorageMap } from '../maps/cgroup-storage-map.js';
import type { HelperCall } from '../runtime.js';
import { helperFault, mapArg } from './helper-call.js';

/** The storage belongs to the test run: its context (the packet state, else the context address) names it. */
export function getLocalStorage(call: HelperCall): bigint {
  const map = mapArg(call, 'get_local_storage', 0);
  if (!(map instanceof CgroupStorageMap)) {
    throw helperFault(call, 'get_local_storage', `map type ${map.typeName} is not a cgroup storage`);
  }
  const owner = typeof call.run.packet === 'object' && call.run.packet !== null ? call.run.packet : call.run;
  return BigInt(map.runStorage(owner, call.run.cpu));
}
