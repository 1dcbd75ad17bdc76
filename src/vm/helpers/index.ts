// Helper implementations by `abi` id: each kernel helper tsbpf runs is implemented once and registered here.

import { DYNPTR_HELPERS } from '../kfuncs/dynptr.js';
import { kfuncHelperEntries } from '../kfuncs/index.js';
import { helperByName } from '../../abi/helpers.js';
import type { HelperImplementation, HelperTable } from '../runtime.js';
import { forEachMapElem, loop } from './callback-helpers.js';
import {
  perfEventOutput,
  ringbufDiscard,
  ringbufOutput,
  ringbufQuery,
  ringbufReserve,
  ringbufSubmit,
} from './event-helpers.js';
import { helperFault } from './helper-call.js';
import {
  getCurrentComm,
  getCurrentPidTgid,
  getCurrentUidGid,
  getNumaNodeId,
  getPrandomU32,
  getSmpProcessorId,
  jiffies64,
  ktimeGetBootNs,
  ktimeGetNs,
} from './machine-helpers.js';
import {
  mapDeleteElem,
  mapLookupElem,
  mapPeekElem,
  mapPopElem,
  mapPushElem,
  mapUpdateElem,
} from './map-helpers.js';
import {
  csumDiff,
  l3CsumReplace,
  l4CsumReplace,
  skbLoadBytes,
  skbStoreBytes,
  xdpAdjustHead,
  xdpAdjustMeta,
  xdpGetBuffLen,
  xdpLoadBytes,
  xdpStoreBytes,
  xdpAdjustTail,
} from './packet-helpers.js';
import { checkMtu, getListenerSock, skFullsock, tcpSock } from './net-helpers.js';
import { fibLookup } from './fib-lookup.js';
import {
  getNetnsCookie,
  skAssign,
  socketCommonLookupTcp,
  socketLookupTcp,
  socketLookupUdp,
  socketRelease,
  tcpCheckSyncookie,
  tcpGenSyncookie,
} from './socket-lookup.js';
import { snprintf, tracePrintk } from './print-helpers.js';
import {
  tcpRawCheckSyncookieIpv4,
  tcpRawCheckSyncookieIpv6,
  tcpRawGenSyncookieIpv4,
  tcpRawGenSyncookieIpv6,
} from './syncookie-helpers.js';
import {
  skbAdjustRoom,
  skbChangeHead,
  skbChangeProto,
  skbChangeTail,
  skbPullData,
  skbVlanPop,
  skbVlanPush,
} from './skb-reshape-helpers.js';
import {
  csumLevel,
  csumUpdate,
  getCgroupClassid,
  getHashRecalc,
  getRouteRealm,
  getSocketCookie,
  getSocketUid,
  setHash,
  setHashInvalid,
  skbAncestorCgroupId,
  skbUnderCgroup,
  skbCgroupClassid,
  skbCgroupId,
  skbChangeType,
  skbEcnSetCe,
  skbGetXfrmState,
  skbLoadBytesRelative,
  skbSetTstamp,
} from './skb-state-helpers.js';
import { skbGetTunnelKey, skbGetTunnelOpt, skbSetTunnelKey, skbSetTunnelOpt } from './tunnel-helpers.js';
import { byProgramType, flowDissectorLoadBytes, skLookupAssign } from './program-type-helpers.js';
import { cloneRedirect, redirect, redirectMap, redirectNeigh, redirectPeer } from './redirect-helpers.js';
import { getLocalStorage } from './cgroup-storage-helpers.js';
import { skStorageDelete, skStorageGet } from './sk-storage-helpers.js';
import { userRingbufDrain } from './user-ringbuf-helpers.js';
import { probeRead, probeReadString, strtol, strtoul } from './string-helpers.js';

export { clonesOf, redirectOf, type RedirectTarget } from './redirect-helpers.js';
export { bprintf } from './bprintf.js';
export { errno, helperFault, mapArg, pointerArg, readArg, result, s32, u32 } from './helper-call.js';

/** bpf_tail_call is an engine's job (it replaces the running frame); reaching the table means the engine did not. */
function tailCallStub(call: Parameters<HelperImplementation>[0]): bigint {
  throw helperFault(call, 'tail_call', 'tail calls are executed by the engine, not as a helper');
}

/** Kernel helper name (abi spelling, no `bpf_` prefix) → implementation. */
export const KERNEL_HELPER_IMPLEMENTATIONS: Readonly<Record<string, HelperImplementation>> = {
  map_lookup_elem: mapLookupElem,
  map_update_elem: mapUpdateElem,
  map_delete_elem: mapDeleteElem,
  map_push_elem: mapPushElem,
  map_pop_elem: mapPopElem,
  map_peek_elem: mapPeekElem,
  ktime_get_ns: ktimeGetNs,
  ktime_get_boot_ns: ktimeGetBootNs,
  get_prandom_u32: getPrandomU32,
  get_smp_processor_id: getSmpProcessorId,
  get_numa_node_id: getNumaNodeId,
  jiffies64,
  get_current_pid_tgid: getCurrentPidTgid,
  get_current_uid_gid: getCurrentUidGid,
  get_current_comm: getCurrentComm,
  trace_printk: tracePrintk,
  snprintf,
  strtol,
  strtoul,
  probe_read_kernel: probeRead,
  probe_read_user: probeRead,
  probe_read_kernel_str: probeReadString,
  probe_read_user_str: probeReadString,
  tail_call: tailCallStub,
  redirect,
  clone_redirect: cloneRedirect,
  redirect_map: redirectMap,
  skb_load_bytes: byProgramType('skb_load_bytes', { flow_dissector: flowDissectorLoadBytes }, skbLoadBytes),
  sk_assign: byProgramType('sk_assign', {
    sk_lookup: skLookupAssign,
    sched_cls: skAssign,
    sched_act: skAssign,
  }),
  redirect_peer: redirectPeer,
  redirect_neigh: redirectNeigh,
  skb_store_bytes: skbStoreBytes,
  l3_csum_replace: l3CsumReplace,
  l4_csum_replace: l4CsumReplace,
  csum_diff: csumDiff,
  xdp_adjust_head: xdpAdjustHead,
  xdp_adjust_tail: xdpAdjustTail,
  xdp_adjust_meta: xdpAdjustMeta,
  xdp_get_buff_len: xdpGetBuffLen,
  xdp_load_bytes: xdpLoadBytes,
  xdp_store_bytes: xdpStoreBytes,
  perf_event_output: perfEventOutput,
  ringbuf_output: ringbufOutput,
  ringbuf_reserve: ringbufReserve,
  ringbuf_submit: ringbufSubmit,
  ringbuf_discard: ringbufDiscard,
  ringbuf_query: ringbufQuery,
  user_ringbuf_drain: userRingbufDrain,
  sk_storage_get: skStorageGet,
  sk_storage_delete: skStorageDelete,
  get_local_storage: getLocalStorage,
  loop,
  for_each_map_elem: forEachMapElem,
  skb_pull_data: skbPullData,
  skb_change_type: skbChangeType,
  skb_change_proto: skbChangeProto,
  skb_change_tail: skbChangeTail,
  skb_change_head: skbChangeHead,
  skb_adjust_room: skbAdjustRoom,
  skb_vlan_push: skbVlanPush,
  skb_vlan_pop: skbVlanPop,
  csum_level: csumLevel,
  csum_update: csumUpdate,
  set_hash: setHash,
  set_hash_invalid: setHashInvalid,
  get_hash_recalc: getHashRecalc,
  get_route_realm: getRouteRealm,
  get_cgroup_classid: getCgroupClassid,
  skb_cgroup_id: skbCgroupId,
  get_socket_cookie: getSocketCookie,
  skb_get_tunnel_key: skbGetTunnelKey,
  skb_set_tunnel_key: skbSetTunnelKey,
  skb_get_tunnel_opt: skbGetTunnelOpt,
  skb_set_tunnel_opt: skbSetTunnelOpt,
  skb_load_bytes_relative: skbLoadBytesRelative,
  get_socket_uid: getSocketUid,
  skb_cgroup_classid: skbCgroupClassid,
  skb_ancestor_cgroup_id: skbAncestorCgroupId,
  skb_under_cgroup: skbUnderCgroup,
  skb_get_xfrm_state: skbGetXfrmState,
  skb_ecn_set_ce: skbEcnSetCe,
  skb_set_tstamp: skbSetTstamp,
  check_mtu: checkMtu,
  fib_lookup: fibLookup,
  sk_lookup_tcp: socketLookupTcp,
  sk_lookup_udp: socketLookupUdp,
  skc_lookup_tcp: socketCommonLookupTcp,
  get_netns_cookie: getNetnsCookie,
  tcp_gen_syncookie: tcpGenSyncookie,
  tcp_check_syncookie: tcpCheckSyncookie,
  sk_release: socketRelease,
  sk_fullsock: skFullsock,
  tcp_sock: tcpSock,
  get_listener_sock: getListenerSock,
  tcp_raw_gen_syncookie_ipv4: tcpRawGenSyncookieIpv4,
  tcp_raw_gen_syncookie_ipv6: tcpRawGenSyncookieIpv6,
  tcp_raw_check_syncookie_ipv4: tcpRawCheckSyncookieIpv4,
  tcp_raw_check_syncookie_ipv6: tcpRawCheckSyncookieIpv6,
  ...DYNPTR_HELPERS,
};

/** Builds a table keyed by the abi ids of the named helpers; an unknown name is a programming error. */
export function helperTableByName(
  implementations: Readonly<Record<string, HelperImplementation>>,
): Map<number, HelperImplementation> {
  const table = new Map<number, HelperImplementation>();
  for (const [name, implementation] of Object.entries(implementations)) {
    const helper = helperByName(name);
    if (helper === undefined) throw new RangeError(`no kernel helper named '${name}' in abi/helpers.ts`);
    table.set(helper.id, implementation);
  }
  return table;
}

/** Every kernel helper tsbpf implements, by id. */
export const KERNEL_HELPERS: HelperTable = new Map([
  ...helperTableByName(KERNEL_HELPER_IMPLEMENTATIONS),
  ...kfuncHelperEntries(),
]);
