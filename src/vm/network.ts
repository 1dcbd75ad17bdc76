// The network interfaces a Vm's programs can see (what dev_get_by_index finds): by default an empty network
// namespace's, i.e. only `lo`; users declare more (ifindex, name, MTU, MAC) through the API or a run fixture.

/** One net_device as BPF helpers and redirect maps see it. */
export interface NetworkInterface {
  /** dev->ifindex: 1 and up, unique. */
  readonly ifindex: number;
  /** dev->name: 1..15 characters (IFNAMSIZ - 1), no '/', ':' or whitespace. */
  readonly name: string;
  /** dev->mtu in bytes. */
  readonly mtu: number;
  /** dev->dev_addr: 6 bytes. */
  readonly mac: Uint8Array;
}

/** A fresh network namespace's loopback device (ifindex 1, MTU 65536, all-zero address). */
export const LOOPBACK: NetworkInterface = Object.freeze({
  ifindex: 1,
  name: 'lo',
  mtu: 65536,
  mac: new Uint8Array(6),
});

/** Kernel: IFNAMSIZ is 16 with the NUL; dev_valid_name refuses '/', ':' and whitespace. */
const IFNAME_MAX = 15;

/** Why an interface cannot be declared, or undefined when it can. */
export function networkInterfaceProblem(
  iface: NetworkInterface,
  existing: Iterable<NetworkInterface> = [],
): string | undefined {
  if (!Number.isInteger(iface.ifindex) || iface.ifindex < 1 || iface.ifindex > 0x7fff_ffff)
    return `ifindex ${iface.ifindex} is not in 1..2147483647`;
  if (iface.name.length === 0 || iface.name.length > IFNAME_MAX || /[/:\s]/.test(iface.name))
    return `interface name '${iface.name}' must have 1..15 characters, none of '/', ':' or whitespace`;
  if (!Number.isInteger(iface.mtu) || iface.mtu < 0 || iface.mtu > 0x7fff_ffff)
    return `MTU ${iface.mtu} is not in 0..2147483647`;
  if (!(iface.mac instanceof Uint8Array) || iface.mac.length !== 6) return 'a MAC address has 6 bytes';
  for (const other of existing) {
    if (other.ifindex === iface.ifindex) return `ifindex ${iface.ifindex} is already ${other.name}`;
    if (other.name === iface.name)
      return `interface name '${iface.name}' is already ifindex ${other.ifindex}`;
  }
  return undefined;
}

/** The interface table of one Vm. */
export class Network {
  private readonly byIndex = new Map<number, NetworkInterface>();

  /** `interfaces` replaces the default table (which is `lo` alone); throws RangeError on a bad declaration. */
  constructor(interfaces: readonly NetworkInterface[] = [LOOPBACK]) {
    for (const iface of interfaces) this.add(iface);
  }

  /** Declares one more interface (a copy is kept). */
  add(iface: NetworkInterface): void {
    const problem = networkInterfaceProblem(iface, this.byIndex.values());
    if (problem !== undefined) throw new RangeError(problem);
    this.byIndex.set(iface.ifindex, Object.freeze({ ...iface, mac: Uint8Array.from(iface.mac) }));
  }

  /** Kernel dev_get_by_index: the interface with that ifindex, or undefined. */
  interface(ifindex: number): NetworkInterface | undefined {
    return this.byIndex.get(ifindex);
  }

  /** Kernel dev_get_by_name. */
  interfaceByName(name: string): NetworkInterface | undefined {
    for (const iface of this.byIndex.values()) if (iface.name === name) return iface;
    return undefined;
  }

  /** Every interface, by ifindex. */
  interfaces(): NetworkInterface[] {
    return [...this.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  }
}
