// bpf_sk_storage_get and bpf_sk_storage_delete (net/core/bpf_sk_storage.c): a value per socket in an sk_storage map.

import { BPF_SK_STORAGE_GET_F_CREATE, SkStorageMap } from '../maps/sk-storage-map.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, mapArg, readArg, result } from './helper-call.js';

function storageMap(call: HelperCall, helper: string): SkStorageMap {
  const map = mapArg(call, helper, 0);
  if (!(map instanceof SkStorageMap))
    throw helperFault(call, helper, `map type ${map.typeName} is not sk_storage`);
  return map;
}

/** NULL for no socket or unknown flags; the socket's value, created on request from r3 (NULL: zeroes). */
export function skStorageGet(call: HelperCall): bigint {
  const map = storageMap(call, 'sk_storage_get');
  const socket = call.args[1];
  const flags = call.args[3];
  if (socket === 0n || flags > BigInt(BPF_SK_STORAGE_GET_F_CREATE)) return 0n;
  const initial = call.args[2] === 0n ? undefined : readArg(call, 'sk_storage_get', 2, map.valueSize);
  return BigInt(map.storageGet(Number(socket), initial, flags === 1n) ?? 0);
}

/** 0, -ENOENT when the socket has no value, -EINVAL for no socket. */
export function skStorageDelete(call: HelperCall): bigint {
  const map = storageMap(call, 'sk_storage_delete');
  const socket = call.args[1];
  if (socket === 0n) return errno('EINVAL');
  return result(map.storageDelete(Number(socket)));
}
