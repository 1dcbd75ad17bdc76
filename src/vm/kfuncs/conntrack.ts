// The conntrack table the nf_conntrack kfuncs see: empty by default (a test-run's network namespace tracks
// nothing), filled by the user, and by programs that insert the entries they allocate. Entries are nf_conn
// structs in the VM's memory, laid out as the reference kernel's so programs read status, mark and timeout.

import { NF_CONN_MARK, NF_CONN_SIZE, NF_CONN_STATUS, NF_CONN_TIMEOUT } from '../../abi/kernel-structs.js';
import type { VmMemory } from '../memory.js';

export const IPS_EXPECTED = 1;
export const IPS_SEEN_REPLY = 2;
export const IPS_ASSURED = 4;
export const IPS_CONFIRMED = 8;
export const IPS_DYING = 512;
export const IPS_FIXED_TIMEOUT = 1024;
/** Bits no program may change (IPS_UNCHANGEABLE_MASK of 6.18). */
export const IPS_UNCHANGEABLE_MASK = 56313;
const IPS_MAX_BIT = 16;

/** The reference kernel's CONFIG_HZ: conntrack timeouts are kept in jiffies. */
export const CONNTRACK_HZ = 250;

/** An entry as the user declares it (API, fixture): the original direction's tuple and the entry's state. */
export interface ConntrackEntryInit {
  /** 4 or 16 address bytes, or an address as text (`192.0.2.1`, `2001:db8::1`). */
  readonly saddr: string | Uint8Array;
  readonly daddr: string | Uint8Array;
  readonly sport: number;
  readonly dport: number;
  /** `tcp`, `udp` or the protocol number (6, 17). */
  readonly proto: 'tcp' | 'udp' | number;
  /** ct->status (default IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED: an established connection). */
  readonly status?: number;
  readonly mark?: number;
  /** ct->timeout in jiffies (default 0). */
  readonly timeout?: number;
  /** Conntrack zone id (default 0). */
  readonly zone?: number;
}

/** A tuple as the kfuncs compare them: family, protocol, addresses and ports (network order) and zone. */
export interface ConntrackTuple {
  readonly saddr: Uint8Array;
  readonly daddr: Uint8Array;
  readonly sport: number;
  readonly dport: number;
  readonly proto: number;
  readonly zone: number;
}

interface Entry {
  readonly address: number;
  readonly original: string;
  readonly reply: string;
  readonly tuples: EntryTuples;
}

/** An entry's tuples: the reply starts as the original inverted; NAT set-up rewrites it before insertion. */
interface EntryTuples {
  readonly original: ConntrackTuple;
  reply: ConntrackTuple;
}

/** The key a tuple hashes under (the address length tells the family apart). */
function tupleKey(t: ConntrackTuple): string {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${t.zone}/${t.proto}/${hex(t.saddr)}:${t.sport}/${hex(t.daddr)}:${t.dport}`;
}

/** nf_ct_invert_tuple for TCP and UDP. */
function invert(t: ConntrackTuple): ConntrackTuple {
  return { ...t, saddr: t.daddr, daddr: t.saddr, sport: t.dport, dport: t.sport };
}

const familyOf = (t: ConntrackTuple): number => t.saddr.length;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** nf_nat_manip_type: the kernel takes every value but SRC (0) for DST, after a warning. */
export const NF_NAT_MANIP_SRC = 0;
const IPS_SRC_NAT = 16;
const IPS_DST_NAT = 32;
const IPS_SRC_NAT_DONE = 128;
const IPS_DST_NAT_DONE = 256;

/** Parses an IPv4 dotted quad or an IPv6 address into bytes; bytes pass through. */
export function addressBytes(address: string | Uint8Array): Uint8Array {
  if (address instanceof Uint8Array) {
    if (address.length !== 4 && address.length !== 16) throw new RangeError('an address is 4 or 16 bytes');
    return address;
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4 !== null) {
    const bytes = v4.slice(1).map(Number);
    if (bytes.some((b) => b > 255)) throw new RangeError(`bad IPv4 address '${address}'`);
    return Uint8Array.from(bytes);
  }
  const halves = address.split('::');
  if (halves.length > 2 || !/^[0-9a-fA-F:]+$/.test(address)) throw new RangeError(`bad address '${address}'`);
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) throw new RangeError(`bad IPv6 address '${address}'`);
  const words = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

/** The kernel's msecs_to_jiffies for HZ=250. */
export function msecsToJiffies(ms: number): number {
  const perJiffy = 1000 / CONNTRACK_HZ;
  return Math.floor((ms + perJiffy - 1) / perJiffy);
}

export class ConntrackTable {
  private readonly entries: Entry[] = [];
  /** Allocated (bpf_*_ct_alloc) and not inserted yet. */
  private readonly unconfirmed = new Map<number, EntryTuples>();
  /** Entries with source NAT set up, newest first (the kernel's nf_nat_bysource chains). */
  private readonly sourceNatted: number[] = [];

  constructor(
    private readonly memory: VmMemory,
    /** jiffies now, for the timeouts of confirmed entries. */
    private readonly jiffies: () => number,
  ) {}

  /** Adds an entry as the user declares it; returns its nf_conn address. */
  add(init: ConntrackEntryInit): number {
    const saddr = addressBytes(init.saddr);
    const daddr = addressBytes(init.daddr);
    if (saddr.length !== daddr.length)
      throw new RangeError('conntrack entry: saddr and daddr of different families');
    const proto = init.proto === 'tcp' ? 6 : init.proto === 'udp' ? 17 : init.proto;
    const tuple: ConntrackTuple = {
      saddr,
      daddr,
      sport: init.sport & 0xffff,
      dport: init.dport & 0xffff,
      proto,
      zone: init.zone ?? 0,
    };
    const address = this.allocate(tuple);
    const view = this.memory.view();
    view.setUint32(address + NF_CONN_TIMEOUT, init.timeout ?? 0, true);
    view.setBigUint64(
      address + NF_CONN_STATUS,
      BigInt(init.status ?? IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED),
      true,
    );
    view.setUint32(address + NF_CONN_MARK, init.mark ?? 0, true);
    this.unconfirmed.delete(address);
    this.entries.push({
      address,
      original: tupleKey(tuple),
      reply: tupleKey(invert(tuple)),
      tuples: { original: tuple, reply: invert(tuple) },
    });
    return address;
  }

  /** nf_conntrack_find_get: the entry whose original (dir 0) or reply (dir 1) tuple this is. */
  lookup(tuple: ConntrackTuple): { address: number; dir: number } | undefined {
    const key = tupleKey(tuple);
    for (const entry of this.entries) {
      if (entry.original === key) return { address: entry.address, dir: 0 };
      if (entry.reply === key) return { address: entry.address, dir: 1 };
    }
    return undefined;
  }

  /** nf_conntrack_alloc: a zeroed nf_conn outside the table, timeout relative (unconfirmed). */
  allocate(tuple: ConntrackTuple): number {
    const address = this.memory.allocate(NF_CONN_SIZE, 8);
    this.unconfirmed.set(address, { original: tuple, reply: invert(tuple) });
    return address;
  }

  isEntryTuples(address: number): boolean {
    return this.unconfirmed.has(address);
  }

  /** nf_conntrack_hash_check_insert: false (and the entry freed) when either tuple is tracked already. */
  insert(address: number): boolean {
    const tuples = this.unconfirmed.get(address);
    if (tuples === undefined) return false;
    this.unconfirmed.delete(address);
    const original = tupleKey(tuples.original);
    const reply = tupleKey(tuples.reply);
    if (this.taken(original) || this.taken(reply)) {
      this.forget(address);
      return false;
    }
    const view = this.memory.view();
    const status = view.getBigUint64(address + NF_CONN_STATUS, true);
    view.setBigUint64(address + NF_CONN_STATUS, status | BigInt(IPS_CONFIRMED), true);
    // A confirmed entry's timeout is absolute: now plus what was relative.
    view.setUint32(
      address + NF_CONN_TIMEOUT,
      (view.getUint32(address + NF_CONN_TIMEOUT, true) + this.jiffies()) >>> 0,
      true,
    );
    this.entries.push({ address, original, reply, tuples });
    return true;
  }

  /** nf_conntrack_free: the entry leaves the source-NAT list and its memory goes. */
  private forget(address: number): void {
    this.unconfirmed.delete(address);
    const at = this.sourceNatted.indexOf(address);
    if (at >= 0) this.sourceNatted.splice(at, 1);
    this.memory.retire(address);
  }

  /** Whether a table entry has this tuple key in either direction (nf_conntrack_tuple_taken). */
  private taken(key: string): boolean {
    return this.entries.some((e) => e.original === key || e.reply === key);
  }

  /**
   * nf_nat_setup_info on an unconfirmed entry, for the range bpf_ct_set_nat_info builds (one address; one port
   * when `port` > 0): the reply tuple is rewritten so that replies from the new address are found, and the
   * status says NAT is set up. Returns 0, or -ENOMEM when this manip was set up already (the kernel warns too).
   */
  setNatInfo(address: number, addr: Uint8Array, port: number, manip: number): number {
    const tuples = this.unconfirmed.get(address);
    if (tuples === undefined) return 0; // a confirmed entry is left alone (NF_ACCEPT)
    const source = manip === NF_NAT_MANIP_SRC;
    const done = source ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
    let status = this.status(address);
    if ((status & BigInt(done)) !== 0n) return -12;
    const current = invert(tuples.reply);
    // An IPv4 entry takes the address's first word; the kernel ignores the rest of the union.
    const mapped = addr.subarray(0, familyOf(current));
    const chosen = this.uniqueTuple(current, mapped.slice(), port, source);
    if (tupleKey(chosen) !== tupleKey(current)) {
      tuples.reply = invert(chosen);
      status |= BigInt(source ? IPS_SRC_NAT : IPS_DST_NAT);
    }
    this.memory.view().setBigUint64(address + NF_CONN_STATUS, status | BigInt(done), true);
    if (source) this.sourceNatted.unshift(address);
    return 0;
  }

  /** An entry's tuples, in the table or not yet. */
  private tuplesOf(address: number): EntryTuples | undefined {
    return this.unconfirmed.get(address) ?? this.entries.find((e) => e.address === address)?.tuples;
  }

  /**
   * find_appropriate_src: the source an earlier source NAT of the same original source (protocol, address,
   * port, zone) mapped to, with this tuple's destination, if that source is `addr` (and `port`, when given).
   */
  private earlierSourceMapping(tuple: ConntrackTuple, addr: Uint8Array, wanted: number | undefined) {
    for (const address of this.sourceNatted) {
      const tuples = this.tuplesOf(address);
      if (tuples === undefined) continue;
      const o = tuples.original;
      if (o.proto !== tuple.proto || o.zone !== tuple.zone || o.sport !== tuple.sport) continue;
      if (!sameBytes(o.saddr, tuple.saddr)) continue;
      const mapped = invert(tuples.reply);
      const result = { ...tuple, saddr: mapped.saddr, sport: mapped.sport };
      if (sameBytes(result.saddr, addr) && (wanted === undefined || result.sport === wanted)) return result;
    }
    return undefined;
  }

  /**
   * get_unique_tuple for a single-address range: a source NAT keeps a tuple already in range, or reuses an
   * earlier mapping of the same source; then the address always, the port given, else the tuple's own unless a
   * source NAT would clash, where the kernel draws a free port at random and tsbpf takes the first free one of
   * the same range.
   */
  private uniqueTuple(
    current: ConntrackTuple,
    addr: Uint8Array,
    port: number,
    source: boolean,
  ): ConntrackTuple {
    const used = (t: ConntrackTuple) => this.taken(tupleKey(invert(t)));
    const wanted = port > 0 ? port & 0xffff : undefined;
    if (source) {
      if (sameBytes(current.saddr, addr) && (wanted === undefined || current.sport === wanted)) {
        if (!used(current)) return current;
      } else {
        const earlier = this.earlierSourceMapping(current, addr, wanted);
        if (earlier !== undefined && !used(earlier)) return earlier;
      }
    }
    const mapped = source ? { ...current, saddr: addr } : { ...current, daddr: addr };
    if (wanted !== undefined) return source ? { ...mapped, sport: wanted } : { ...mapped, dport: wanted };
    if (!used(mapped) || !source) return mapped;
    const own = mapped.sport;
    const [min, size] = own < 512 ? [1, 511] : own < 1024 ? [600, 424] : [1024, 64512];
    for (let i = 0; i < size; i++) {
      const candidate = { ...mapped, sport: min + i };
      if (!used(candidate)) return candidate;
    }
    return { ...mapped, sport: min };
  }

  /** nf_ct_put: an unconfirmed entry's last reference frees it; table entries stay. */
  release(address: number): void {
    if (this.unconfirmed.has(address)) this.forget(address);
  }

  /** __nf_ct_set_timeout: relative while unconfirmed, absolute once in the table. */
  setTimeout(address: number, jiffies: number): void {
    const absolute = this.unconfirmed.has(address) ? jiffies : jiffies + this.jiffies();
    this.memory.view().setUint32(address + NF_CONN_TIMEOUT, absolute >>> 0, true);
  }

  status(address: number): bigint {
    return this.memory.view().getBigUint64(address + NF_CONN_STATUS, true);
  }

  /** nf_ct_change_status_common: -EBUSY (as a negative number) for a change the kernel refuses, else 0. */
  changeStatus(address: number, status: number): number {
    const current = this.status(address);
    const wanted = BigInt(status >>> 0);
    const d = current ^ wanted;
    const EBUSY = -16;
    if ((d & BigInt(IPS_EXPECTED | IPS_CONFIRMED | IPS_DYING)) !== 0n) return EBUSY;
    if ((d & BigInt(IPS_SEEN_REPLY)) !== 0n && (wanted & BigInt(IPS_SEEN_REPLY)) === 0n) return EBUSY;
    if ((d & BigInt(IPS_ASSURED)) !== 0n && (wanted & BigInt(IPS_ASSURED)) === 0n) return EBUSY;
    const on = wanted & ~BigInt(IPS_UNCHANGEABLE_MASK) & ((1n << BigInt(IPS_MAX_BIT)) - 1n);
    this.memory.view().setBigUint64(address + NF_CONN_STATUS, current | on, true);
    return 0;
  }
}
