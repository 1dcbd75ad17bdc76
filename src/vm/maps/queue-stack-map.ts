// BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): keyless values in a preallocated ring.
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import { BaseMap, type MapEntry, type MapResult, type MapSpec } from './bpf-map.js';
import { fail } from './map-error.js';

/**
 * Values sit in VmMemory like the kernel's preallocated ring. User-space update pushes, lookup peeks and
 * lookup-and-delete pops (kernel: the syscall calls map_push_elem/map_peek_elem/map_pop_elem).
 */
export class QueueStackMap extends BaseMap {
  private readonly ring: number;
  /** Slot of the oldest value. */
  private oldest = 0;
  private count = 0;
  private readonly lifo: boolean;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
    this.lifo = spec.typeName === 'stack';
    try {
      this.ring = memory.allocate(spec.maxEntries * spec.valueSize);
    } catch (error) {
      memory.free(this.address);
      throw error;
    }
  }

  get size(): number {
    return this.count;
  }

  private slotAddress(slot: number): number {
    return this.ring + (slot % this.maxEntries) * this.valueSize;
  }

  /** Slot the next pop/peek reads: the oldest for a queue, the newest for a stack. */
  private headSlot(): number {
    return this.lifo ? this.oldest + this.count - 1 : this.oldest;
  }

  override push(value: Uint8Array, flags: number): number {
    if (flags & BPF_NOEXIST || flags > BPF_EXIST) return fail('EINVAL');
    if (this.count === this.maxEntries) {
      if (!(flags & BPF_EXIST)) return fail('E2BIG');
      // Kernel: BPF_EXIST on a full map overwrites the oldest value, for queues and stacks alike.
      this.oldest = (this.oldest + 1) % this.maxEntries;
      this.count--;
    }
    this.memory.write(this.slotAddress(this.oldest + this.count), value.subarray(0, this.valueSize));
    this.count++;
    return 0;
  }

  override peek(): MapResult {
    if (this.count === 0) return fail('ENOENT');
    return this.memory.read(this.slotAddress(this.headSlot()), this.valueSize);
  }

  override pop(): MapResult {
    const value = this.peek();
    if (typeof value === 'number') return value;
    if (!this.lifo) this.oldest = (this.oldest + 1) % this.maxEntries;
    this.count--;
    return value;
  }

  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu = 0): number {
    return fail('EINVAL');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EINVAL');
  }

  protected lookupElement(): MapResult {
    return this.peek();
  }

  protected updateElement(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }

  protected deleteElement(): number {
    return fail('EINVAL');
  }

  protected override lookupAndDeleteElement(): MapResult {
    return this.pop();
  }

  protected nextKey(): MapResult {
    return fail('EINVAL');
  }

  /** Values in the order pops would return them, without removing them. */
  override *entries(): IterableIterator<MapEntry> {
    for (let i = 0; i < this.count; i++) {
      const slot = this.lifo ? this.oldest + this.count - 1 - i : this.oldest + i;
      yield { key: new Uint8Array(0), value: this.memory.read(this.slotAddress(slot), this.valueSize) };
    }
  }

  protected releaseStorage(): void {
    this.memory.free(this.ring);
  }
}
