// BPF_MAP_TYPE_SK_STORAGE: a value per socket, created and deleted by programs (bpf_sk_storage_get/delete) and by
// user space naming the socket, and gone with its socket (kernel: net/core/bpf_sk_storage.c). The sockets tsbpf has
// are test-run skbs' (skb->sk, gone at the run's end) and the namespace's declared ones (for the Vm's life).
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { isFullSocket } from '../network.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec, readU32 } from './bpf-map.js';
import { fail } from './map-error.js';
import type { SocketMapEnvironment } from './socket-map.js';

/** Kernel: BPF_SK_STORAGE_GET_F_CREATE. */
export const BPF_SK_STORAGE_GET_F_CREATE = 1;

/**
 * Values are keyed by the socket's address in VmMemory (its struct bpf_sock image). User space names a socket by
 * its fd, the map's 4-byte key; tsbpf's user-space "fd" of a declared socket is its place in the namespace's
 * socket list, as for sockmap values, and any other number is one no socket has (-EBADF, the kernel's answer
 * for an fd that is not open; test-run's own socket has no fd either).
 */
export class SkStorageMap extends BaseMap {
  /** Socket address → value address. */
  private readonly values = new Map<number, number>();

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly sockets: SocketMapEnvironment,
  ) {
    super(memory, spec);
  }

  /** The socket image a user-space key (an fd) names, or -EBADF. Request and time-wait sockets have no fd. */
  private socketOf(key: Uint8Array): number {
    const fd = readU32(key) | 0;
    const socket = fd < 0 ? undefined : this.sockets.socketByHandle(fd);
    if (socket === undefined || !isFullSocket(socket)) return fail('EBADF');
    return this.sockets.socketImage(socket);
  }

  /** bpf_sk_storage_get: the socket's value, created (from `initial` or zeroes) with `create`; else undefined. */
  storageGet(socket: number, initial: Uint8Array | undefined, create: boolean): number | undefined {
    const existing = this.values.get(socket);
    if (existing !== undefined || !create) return existing;
    const address = this.memory.allocate(Math.max(this.valueSize, 1), 8);
    this.memory.fill(address, this.valueSize);
    if (initial !== undefined) this.memory.write(address, initial.subarray(0, this.valueSize));
    this.values.set(socket, address);
    return address;
  }

  /** bpf_sk_storage_delete: 0, or -ENOENT when the socket has no value. */
  storageDelete(socket: number): number {
    const address = this.values.get(socket);
    if (address === undefined) return fail('ENOENT');
    this.values.delete(socket);
    this.memory.retire(address);
    return 0;
  }

  /** The socket is gone (end of its test run): so is its value. */
  dropSocket(socket: number): void {
    if (this.values.has(socket)) this.storageDelete(socket);
  }

  /** Sockets holding a value now. */
  get size(): number {
    return this.values.size;
  }

  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags = BPF_NOEXIST, _cpu = 0): number {
    return fail('EOPNOTSUPP');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EOPNOTSUPP');
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const socket = this.socketOf(key);
    if (socket < 0) return socket;
    const address = this.values.get(socket);
    return address === undefined ? fail('ENOENT') : this.memory.read(address, this.valueSize);
  }

  /** Kernel bpf_local_storage_update: ANY, NOEXIST or EXIST; a replaced value is written over in place. */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const socket = this.socketOf(key);
    if (socket < 0) return socket;
    if (flags > BPF_EXIST) return fail('EINVAL');
    const existing = this.values.get(socket);
    if (existing !== undefined && flags === BPF_NOEXIST) return fail('EEXIST');
    if (existing === undefined && flags === BPF_EXIST) return fail('ENOENT');
    const address = existing ?? this.storageGet(socket, undefined, true);
    if (address === undefined) return fail('ENOMEM');
    this.memory.write(address, value.subarray(0, this.valueSize));
    return 0;
  }

  protected deleteElement(key: Uint8Array): number {
    const socket = this.socketOf(key);
    return socket < 0 ? socket : this.storageDelete(socket);
  }

  /** Kernel: sk_storage maps cannot be walked by key (-ENOTSUPP). */
  protected nextKey(): MapResult {
    return fail('ENOTSUPP');
  }

  override *entries(): IterableIterator<MapEntry> {}

  protected releaseStorage(): void {
    for (const address of this.values.values()) this.memory.retire(address);
    this.values.clear();
  }
}
