// BPF_MAP_TYPE_SK_STORAGE: a value per socket, created and deleted by programs (bpf_sk_storage_get/delete) and gone
// with its socket (kernel: net/core/bpf_sk_storage.c). The sockets tsbpf has are test-run skbs' (skb->sk).
import { BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec } from './bpf-map.js';
import { fail } from './map-error.js';

/** Kernel: BPF_SK_STORAGE_GET_F_CREATE. */
export const BPF_SK_STORAGE_GET_F_CREATE = 1;

/**
 * Values are keyed by the socket's address in VmMemory. User space names a socket by its fd, and tsbpf has no
 * socket fds, so every user-space command answers -EBADF (the kernel's answer for an fd that is not open).
 */
export class SkStorageMap extends BaseMap {
  /** Socket address → value address. */
  private readonly values = new Map<number, number>();

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
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

  protected lookupElement(): MapResult {
    return fail('EBADF');
  }

  protected updateElement(): number {
    return fail('EBADF');
  }

  protected deleteElement(): number {
    return fail('EBADF');
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
