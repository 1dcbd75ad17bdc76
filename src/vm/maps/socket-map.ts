// BPF_MAP_TYPE_SOCKMAP, BPF_MAP_TYPE_SOCKHASH (kernel: net/core/sock_map.c) and BPF_MAP_TYPE_REUSEPORT_SOCKARRAY
// (kernel/bpf/reuseport_array.c) over the Vm's declared sockets. User space names a socket by a handle (its place
// in the namespace's declaration order, standing for the fd); programs get the socket's struct bpf_sock back from
// a sockmap/sockhash lookup and store sockets they hold.
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { isFullSocket, type NetworkSocket } from '../network.js';
import { BaseMap, keyString, type MapResult, type MapSpec, readU32, roundUpPowerOfTwo } from './bpf-map.js';
import { jhash } from './jhash.js';
import { fail } from './map-error.js';

/** What socket maps need from the Vm: its sockets by user-space handle, and their struct bpf_sock images. */
export interface SocketMapEnvironment {
  /** The declared socket a user-space value names (the kernel's socket fd), or undefined (EBADF). */
  socketByHandle(handle: number): NetworkSocket | undefined;
  /** The socket's struct bpf_sock in VmMemory: what a program's lookup returns. */
  socketImage(socket: NetworkSocket): number;
  /** The declared socket whose struct bpf_sock a program holds at `address`, or undefined. */
  socketAt(address: number): NetworkSocket | undefined;
}

/** Without a Vm: no sockets, so every user-space update is EBADF. */
export const NO_SOCKETS: SocketMapEnvironment = {
  socketByHandle: () => undefined,
  socketImage: () => {
    throw new RangeError('a socket map without a Vm holds no sockets');
  },
  socketAt: () => undefined,
};

/** Kernel: fds above S32_MAX are refused before the lookup. */
const S32_MAX = 0x7fff_ffff;

/**
 * Kernel sk_user_data: a socket in sockmaps/sockhashes carries its psock there (one for all of them), a socket in
 * a reuseport_sockarray its slot; a socket holding either refuses the other (EBUSY). Keyed by the Vm's own
 * socket records, so each Vm has its own.
 */
const psockLinks = new WeakMap<NetworkSocket, number>();
const inReuseportArray = new WeakSet<NetworkSocket>();

function link(socket: NetworkSocket): void {
  psockLinks.set(socket, (psockLinks.get(socket) ?? 0) + 1);
}

function unlink(socket: NetworkSocket | undefined): void {
  if (socket === undefined) return;
  const links = (psockLinks.get(socket) ?? 0) - 1;
  if (links > 0) psockLinks.set(socket, links);
  else psockLinks.delete(socket);
}

/**
 * What the socket maps share: values are sockets; user space stores them by handle and reads back their cookie
 * (value_size 8 only: a 4-byte value cannot hold it, ENOSPC); programs look sockmap/sockhash sockets up as
 * referenced sockets. They take TCP listening and established sockets and UDP ones; a request or time-wait socket
 * is not a full socket (kernel sock_map_sk_state_allowed: EOPNOTSUPP).
 */
abstract class SocketMap extends BaseMap {
  constructor(
    memory: VmMemory,
    spec: MapSpec,
    protected readonly sockets: SocketMapEnvironment,
  ) {
    super(memory, spec);
  }

  /** The socket stored under `key`, if any. */
  abstract socketFor(key: Uint8Array): NetworkSocket | undefined;
  /** Kernel sock_map_update_common / sock_hash_update_common, after the socket was accepted. */
  protected abstract store(key: Uint8Array, socket: NetworkSocket, flags: number): number;

  /** Kernel sock_map_lookup / sock_hash_lookup: the socket as a struct bpf_sock the program must release. */
  override lookup(key: Uint8Array): number | undefined {
    const socket = this.socketFor(key);
    return socket === undefined ? undefined : this.sockets.socketImage(socket);
  }

  /** Kernel sock_map_lookup_sys: the socket's cookie, which only an 8-byte value holds. */
  protected lookupElement(key: Uint8Array): MapResult {
    if (this.valueSize !== 8) return fail('ENOSPC');
    const socket = this.socketFor(key);
    if (socket === undefined) return fail('ENOENT');
    const value = new Uint8Array(8);
    new DataView(value.buffer).setBigUint64(0, socket.cookie, true);
    return value;
  }

  /** Kernel sock_map_update_elem_sys: the value is a socket fd (here a handle) of value_size bytes. */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const handle = this.valueSize === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
    if (handle > BigInt(S32_MAX)) return fail('EINVAL');
    const socket = this.sockets.socketByHandle(Number(handle));
    if (socket === undefined) return fail('EBADF');
    if (!isFullSocket(socket)) return fail('EOPNOTSUPP');
    return this.store(key, socket, flags);
  }

  /** Programs store the socket they hold (kernel sock_map_update_elem): a value in bytes is not one. */
  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number): number {
    return fail('EINVAL');
  }

  /**
   * Kernel sock_map_update_elem from a program: `address` is the struct bpf_sock it passed. Only declared sockets
   * can go in; test-run's own socket (skb->sk) has no protocol a socket map takes (EOPNOTSUPP).
   */
  protected storeFromProgram(key: Uint8Array, address: number, flags: number): number {
    if (address === 0) return fail('EINVAL');
    const socket = this.sockets.socketAt(address);
    if (socket === undefined || !isFullSocket(socket)) return fail('EOPNOTSUPP');
    return this.store(key, socket, flags);
  }
}

/** BPF_MAP_TYPE_SOCKMAP: slots 0..max_entries-1, each empty or one socket. */
export class SockMap extends SocketMap {
  private readonly slots = new Map<number, NetworkSocket>();

  updateWithSocket(key: Uint8Array, address: number, flags: number): number {
    return this.storeFromProgram(key, address, flags);
  }

  socketFor(key: Uint8Array): NetworkSocket | undefined {
    return this.slots.get(readU32(key));
  }

  protected store(key: Uint8Array, socket: NetworkSocket, flags: number): number {
    const index = readU32(key);
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (index >= this.maxEntries) return fail('E2BIG');
    if (inReuseportArray.has(socket)) return fail('EBUSY');
    const old = this.slots.get(index);
    if (old !== undefined && flags === BPF_NOEXIST) return fail('EEXIST');
    if (old === undefined && flags === BPF_EXIST) return fail('ENOENT');
    link(socket);
    unlink(old);
    this.slots.set(index, socket);
    return 0;
  }

  /** A released map lets its sockets go (they may then join a reuseport_sockarray). */
  protected releaseStorage(): void {
    for (const socket of this.slots.values()) unlink(socket);
    this.slots.clear();
  }

  /** Kernel sock_map_delete_elem: an index past the end, or an empty slot, is EINVAL. */
  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    const old = this.slots.get(index);
    if (old === undefined) return fail('EINVAL');
    unlink(old);
    this.slots.delete(index);
    return 0;
  }

  /** Kernel sock_map_get_next_key: every index in order, empty or not, as an array's. */
  protected nextKey(key: Uint8Array | undefined): MapResult {
    return nextIndex(key, this.maxEntries);
  }
}

/** Array iteration (sock_map_get_next_key, reuseport_array_get_next_key): every index, from 0 past the end. */
function nextIndex(key: Uint8Array | undefined, maxEntries: number): MapResult {
  const index = key === undefined ? 0xffff_ffff : readU32(key);
  if (index === maxEntries - 1) return fail('ENOENT');
  const next = new Uint8Array(4);
  new DataView(next.buffer).setUint32(0, index >= maxEntries ? 0 : index + 1, true);
  return next;
}

interface HashElement {
  readonly key: Uint8Array;
  readonly socket: NetworkSocket;
}

/**
 * BPF_MAP_TYPE_SOCKHASH: keys of key_size bytes hashed with jhash (seed 0) into a power-of-two number of
 * buckets, each a list with the newest element first, which is the order get_next_key walks (as the kernel's).
 */
export class SockHash extends SocketMap {
  /** Non-empty buckets by index (made when first used: max_entries may ask for millions). */
  private readonly buckets = new Map<number, HashElement[]>();
  private readonly bucketMask: number;
  private count = 0;

  constructor(memory: VmMemory, spec: MapSpec, sockets: SocketMapEnvironment) {
    super(memory, spec, sockets);
    this.bucketMask = roundUpPowerOfTwo(spec.maxEntries) - 1;
  }

  updateWithSocket(key: Uint8Array, address: number, flags: number): number {
    return this.storeFromProgram(key, address, flags);
  }

  private bucketIndex(key: Uint8Array): number {
    return (jhash(key.subarray(0, this.keySize), 0) & this.bucketMask) >>> 0;
  }

  private find(bucket: HashElement[], key: Uint8Array): number {
    const wanted = keyString(key, this.keySize);
    return bucket.findIndex((element) => keyString(element.key, this.keySize) === wanted);
  }

  socketFor(key: Uint8Array): NetworkSocket | undefined {
    const bucket = this.buckets.get(this.bucketIndex(key)) ?? [];
    return bucket[this.find(bucket, key)]?.socket;
  }

  /** Kernel sock_hash_update_common: a new element goes to the head of its bucket, replacing any old one. */
  protected store(key: Uint8Array, socket: NetworkSocket, flags: number): number {
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (inReuseportArray.has(socket)) return fail('EBUSY');
    const index = this.bucketIndex(key);
    const bucket = this.buckets.get(index) ?? [];
    const at = this.find(bucket, key);
    if (at >= 0 && flags === BPF_NOEXIST) return fail('EEXIST');
    if (at < 0 && flags === BPF_EXIST) return fail('ENOENT');
    if (at < 0 && this.count >= this.maxEntries) return fail('E2BIG');
    link(socket);
    if (at >= 0) unlink(bucket.splice(at, 1)[0].socket);
    else this.count++;
    bucket.unshift({ key: Uint8Array.from(key.subarray(0, this.keySize)), socket });
    this.buckets.set(index, bucket);
    return 0;
  }

  protected releaseStorage(): void {
    for (const bucket of this.buckets.values()) for (const element of bucket) unlink(element.socket);
    this.buckets.clear();
  }

  protected deleteElement(key: Uint8Array): number {
    const bucket = this.buckets.get(this.bucketIndex(key)) ?? [];
    const at = this.find(bucket, key);
    if (at < 0) return fail('ENOENT');
    unlink(bucket.splice(at, 1)[0].socket);
    if (bucket.length === 0) this.buckets.delete(this.bucketIndex(key));
    this.count--;
    return 0;
  }

  /** Kernel sock_hash_get_next_key: the next element of the key's bucket, else the first of a later bucket. */
  protected nextKey(key: Uint8Array | undefined): MapResult {
    let from = 0;
    if (key !== undefined) {
      const hash = this.bucketIndex(key);
      const bucket = this.buckets.get(hash) ?? [];
      const at = this.find(bucket, key);
      if (at >= 0) {
        if (at + 1 < bucket.length) return Uint8Array.from(bucket[at + 1].key);
        from = hash + 1;
      }
    }
    let first: number | undefined;
    for (const [index, bucket] of this.buckets) {
      if (index >= from && bucket.length > 0 && (first === undefined || index < first)) first = index;
    }
    return first === undefined ? fail('ENOENT') : Uint8Array.from(this.buckets.get(first)![0].key);
  }
}

/**
 * BPF_MAP_TYPE_REUSEPORT_SOCKARRAY: slots of SO_REUSEPORT sockets (listeners and bound UDP sockets) for
 * bpf_sk_select_reuseport, which only sk_reuseport programs call (they cannot be test-run, so programs never
 * read these slots here). User space stores and deletes, and reads cookies back as from a sockmap.
 */
export class ReuseportSockArray extends SocketMap {
  private readonly slots = new Map<number, NetworkSocket>();

  socketFor(key: Uint8Array): NetworkSocket | undefined {
    return this.slots.get(readU32(key));
  }

  /** Kernel reuseport_array_lookup_elem is for the helper only: programs cannot look these maps up. */
  override lookup(): number | undefined {
    return undefined;
  }

  /** Kernel bpf_fd_reuseport_array_update_elem: a 4-byte fd is an int (negative: EBADF). */
  protected override updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (readU32(key) >= this.maxEntries) return fail('E2BIG');
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const handle = this.valueSize === 8 ? view.getBigUint64(0, true) : BigInt(view.getInt32(0, true));
    if (handle > BigInt(S32_MAX)) return fail('EINVAL');
    const socket = handle < 0n ? undefined : this.sockets.socketByHandle(Number(handle));
    if (socket === undefined) return fail('EBADF');
    return this.store(key, socket, flags);
  }

  /** Kernel reuseport_array_update_check: the flags, then a hashed SO_REUSEPORT socket nothing else holds. */
  protected store(key: Uint8Array, socket: NetworkSocket, flags: number): number {
    const index = readU32(key);
    const old = this.slots.get(index);
    if (old !== undefined && flags === BPF_NOEXIST) return fail('EEXIST');
    if (old === undefined && flags === BPF_EXIST) return fail('ENOENT');
    if (!socket.reuseport) return fail('EINVAL');
    if (inReuseportArray.has(socket) || psockLinks.has(socket)) return fail('EBUSY');
    if (old !== undefined) inReuseportArray.delete(old);
    inReuseportArray.add(socket);
    this.slots.set(index, socket);
    return 0;
  }

  protected releaseStorage(): void {
    for (const socket of this.slots.values()) inReuseportArray.delete(socket);
    this.slots.clear();
  }

  /** Kernel reuseport_array_delete_elem: past the end E2BIG, an empty slot ENOENT. */
  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('E2BIG');
    const old = this.slots.get(index);
    if (old === undefined) return fail('ENOENT');
    inReuseportArray.delete(old);
    this.slots.delete(index);
    return 0;
  }

  protected nextKey(key: Uint8Array | undefined): MapResult {
    return nextIndex(key, this.maxEntries);
  }
}
