// The host network state helpers consult (devices with their MTUs): by default what a fresh network namespace
// has, only `lo`; users declare more through Vm settings (`network`) or a run fixture's "network" section.
// Kept apart from src/vm/network.ts (redirect targets) so the two grow independently.

import type { VmServices } from './runtime.js';

/** A network device helpers can see. */
export interface NetDevice {
  readonly ifindex: number;
  readonly name: string;
  readonly mtu: number;
  /** dev->hard_header_len (Ethernet and loopback: 14). */
  readonly hardHeaderLength: number;
}

/** What the network namespace holds. Routes and sockets are not modelled: lookups find none. */
export interface NetworkState {
  readonly devices: readonly NetDevice[];
}

/** A fresh namespace's loopback device (kernel: mtu 64 KiB, an Ethernet-sized header). */
export const LOOPBACK: NetDevice = { ifindex: 1, name: 'lo', mtu: 65536, hardHeaderLength: 14 };

/** A fresh network namespace: only lo. */
export const EMPTY_NAMESPACE: NetworkState = { devices: [LOOPBACK] };

/** Settable facts of the simulated host that skb and xdp helpers report. */
export interface HostNetworkSettings {
  /** The namespace's devices; default EMPTY_NAMESPACE. */
  network?: NetworkState;
  /** The cgroup v2 id of the task running the test (bpf_skb_cgroup_id of test-run's socket); default 1, the root. */
  cgroupId?: bigint;
  /**
   * The ids of that cgroup's ancestors from the root (1) down to it, for bpf_skb_ancestor_cgroup_id; default
   * [1, cgroupId] (or [1] for the root).
   */
  cgroupAncestors?: readonly bigint[];
  /** The task's net_cls classid (bpf_get_cgroup_classid); default 0, the root's. */
  netClassid?: number;
}

export function hostNetwork(vm: VmServices): HostNetworkSettings {
  return vm.settings as unknown as HostNetworkSettings;
}

/** The device with `ifindex` in the Vm's namespace. */
export function netDevice(vm: VmServices, ifindex: number): NetDevice | undefined {
  return (hostNetwork(vm).network ?? EMPTY_NAMESPACE).devices.find((dev) => dev.ifindex === ifindex);
}

/** Ethernet's dev->hard_header_len, which declared devices get. */
const ETH_HLEN = 14;

/**
 * The namespace with `declared` devices added to lo (a declared ifindex 1 replaces lo); MTU defaults to
 * Ethernet's 1500, lo's to 65536. Throws RangeError naming the bad entry.
 */
export function networkWithDevices(
  declared: readonly { ifindex: number; name?: string; mtu?: number }[],
): NetworkState {
  const devices = new Map<number, NetDevice>([[LOOPBACK.ifindex, LOOPBACK]]);
  const seen = new Set<number>();
  for (const [i, dev] of declared.entries()) {
    if (!Number.isInteger(dev.ifindex) || dev.ifindex < 1 || dev.ifindex > 0x7fff_ffff) {
      throw new RangeError(`devices[${i}]: ifindex must be an integer 1..2147483647`);
    }
    if (seen.has(dev.ifindex)) throw new RangeError(`devices[${i}]: ifindex ${dev.ifindex} declared twice`);
    seen.add(dev.ifindex);
    const mtu = dev.mtu ?? (dev.ifindex === LOOPBACK.ifindex ? LOOPBACK.mtu : 1500);
    if (!Number.isInteger(mtu) || mtu < 0 || mtu > 0x7fff_ffff) {
      throw new RangeError(`devices[${i}]: mtu must be an integer 0..2147483647`);
    }
    const name = dev.name ?? (dev.ifindex === LOOPBACK.ifindex ? 'lo' : `eth${dev.ifindex}`);
    devices.set(dev.ifindex, { ifindex: dev.ifindex, name, mtu, hardHeaderLength: ETH_HLEN });
  }
  return { devices: [...devices.values()].sort((a, b) => a.ifindex - b.ifindex) };
}
