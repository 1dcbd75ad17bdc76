// The VM's single WebAssembly.Memory: every region a BPF program can point into, and its allocator.

/**
 * The part of WebAssembly.Memory used here. The project's TypeScript libs (ES2022 + @types/node 20) declare no
 * WebAssembly types, so the global is typed locally; at run time this is the real WebAssembly.Memory object.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmMemoryConstructor {
  new (descriptor: { initial: number; maximum?: number }): WasmMemory;
}

const WasmMemoryClass = (globalThis as unknown as { WebAssembly: { Memory: WasmMemoryConstructor } })
  .WebAssembly.Memory;

/** Size of a WebAssembly page (memory grows in these units). */
export const WASM_PAGE_SIZE = 65536;

/** Every allocation is a multiple of this and at least this aligned (BPF's widest scalar is 8 bytes). */
const MIN_ALIGN = 8;

export type MemoryErrorCode = 'ENOMEM' | 'EFAULT' | 'EINVAL';

/** A failed memory operation: out of memory, an access outside the memory, or a bad free. */
export class MemoryError extends Error {
  override readonly name = 'MemoryError';
  constructor(
    readonly code: MemoryErrorCode,
    message: string,
    readonly address?: number,
    readonly size?: number,
  ) {
    super(message);
  }
}

export interface VmMemoryOptions {
  /** Pages (64 KiB) the memory starts with; default 1. */
  initialPages?: number;
  /** Pages the memory may grow to; default 16384 (1 GiB). At most 65536 (wasm32). */
  maximumPages?: number;
  /** Bytes at address 0 never handed out, so that NULL and small offsets from it are never valid; default 4096. */
  guardSize?: number;
}

interface FreeBlock {
  start: number;
  size: number;
}

export interface MemoryStats {
  byteLength: number;
  allocatedBytes: number;
  allocatedBlocks: number;
  freeBytes: number;
  freeBlocks: number;
  pendingFrees: number;
}

const alignUp = (value: number, align: number): number => Math.ceil(value / align) * align;
const isPowerOfTwo = (value: number): boolean =>
  Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;

/**
 * One memory per VM. Addresses are plain numbers (BPF pointers are 64-bit; the memory is wasm32, so every
 * valid address fits in 32 bits). Allocator bookkeeping lives outside the memory, so a program writing
 * out of bounds of its region cannot corrupt the allocator.
 */
export class VmMemory {
  readonly memory: WasmMemory;
  readonly guardSize: number;
  readonly maximumPages: number;
  private cachedBytes: Uint8Array;
  private cachedView: DataView;
  /** Free blocks sorted by start, never adjacent (adjacent ones are merged). */
  private readonly freeBlocks: FreeBlock[] = [];
  /** Allocated block start → block size. */
  private readonly allocations = new Map<number, number>();
  /** Allocation starts in ascending order, rebuilt on demand after the allocator changed them. */
  private sortedStarts: number[] | undefined;
  /** The block the last successful isAllocated() found (empty after the allocator changed). */
  private lastHitStart = 0;
  private lastHitEnd = 0;
  private allocatedBytes = 0;
  private runDepth = 0;
  private readonly pendingFrees: number[] = [];

  constructor(options: VmMemoryOptions = {}) {
    const initialPages = options.initialPages ?? 1;
    const maximumPages = options.maximumPages ?? 16384;
    const guardSize = alignUp(options.guardSize ?? 4096, MIN_ALIGN);
    if (!Number.isInteger(initialPages) || initialPages < 1 || initialPages > 65536) {
      throw new MemoryError('EINVAL', `initialPages must be an integer in [1, 65536], got ${initialPages}`);
    }
    if (!Number.isInteger(maximumPages) || maximumPages < initialPages || maximumPages > 65536) {
      throw new MemoryError(
        'EINVAL',
        `maximumPages must be an integer in [initialPages, 65536], got ${maximumPages}`,
      );
    }
    if (guardSize < MIN_ALIGN || guardSize >= initialPages * WASM_PAGE_SIZE) {
      throw new MemoryError(
        'EINVAL',
        `guardSize must be in [8, initial byte length), got ${options.guardSize}`,
      );
    }
    this.memory = new WasmMemoryClass({ initial: initialPages, maximum: maximumPages });
    this.maximumPages = maximumPages;
    this.guardSize = guardSize;
    this.cachedBytes = new Uint8Array(this.memory.buffer);
    this.cachedView = new DataView(this.memory.buffer);
    this.freeBlocks.push({ start: guardSize, size: this.memory.buffer.byteLength - guardSize });
  }

  /**
   * Current bytes of the whole memory; always valid after growth. Growing detaches the old buffer, and a
   * detached Uint8Array has length 0 (a memory never has): that test is cheap where reading
   * WebAssembly.Memory#buffer is not, and helpers and engines ask on every call.
   */
  bytes(): Uint8Array {
    if (this.cachedBytes.length === 0) this.refreshViews();
    return this.cachedBytes;
  }

  /** Current DataView over the whole memory; always valid after growth. */
  view(): DataView {
    if (this.cachedBytes.length === 0) this.refreshViews();
    return this.cachedView;
  }

  private refreshViews(): void {
    this.cachedBytes = new Uint8Array(this.memory.buffer);
    this.cachedView = new DataView(this.memory.buffer);
  }

  get byteLength(): number {
    return this.bytes().length;
  }

  // ---- allocator ----

  /**
   * Allocates `size` zeroed bytes aligned to `align` (a power of two; raised to 8) and returns the address.
   * Grows the memory when no free block fits. Throws MemoryError('ENOMEM') when the maximum is reached.
   */
  allocate(size: number, align = MIN_ALIGN): number {
    if (!Number.isInteger(size) || size < 0) throw new MemoryError('EINVAL', `bad allocation size ${size}`);
    if (!isPowerOfTwo(align)) throw new MemoryError('EINVAL', `alignment ${align} is not a power of two`);
    const blockAlign = Math.max(align, MIN_ALIGN);
    const blockSize = Math.max(alignUp(size, MIN_ALIGN), MIN_ALIGN);
    if (blockSize > this.maximumPages * WASM_PAGE_SIZE) {
      throw new MemoryError('ENOMEM', `out of memory: cannot allocate ${size} bytes`, undefined, size);
    }
    let address = this.takeFromFreeList(blockSize, blockAlign);
    if (address === undefined) {
      this.growFor(blockSize, blockAlign);
      address = this.takeFromFreeList(blockSize, blockAlign);
      if (address === undefined) {
        throw new MemoryError('ENOMEM', `out of memory: cannot allocate ${size} bytes`, undefined, size);
      }
    }
    this.allocations.set(address, blockSize);
    this.forgetAllocationIndex();
    this.allocatedBytes += blockSize;
    this.bytes().fill(0, address, address + blockSize);
    return address;
  }

  /** Returns a block to the allocator now. Throws MemoryError('EINVAL') for an address that is not a block start. */
  free(address: number): void {
    const size = this.allocations.get(address);
    if (size === undefined) {
      throw new MemoryError('EINVAL', `free of address ${address} which is not an allocated block`, address);
    }
    this.allocations.delete(address);
    this.forgetAllocationIndex();
    this.allocatedBytes -= size;
    this.insertFree(address, size);
  }

  /**
   * Frees a block once no program can still hold a pointer into it: immediately when no run is in progress,
   * else when the outermost run ends. The kernel keeps deleted map values alive until an RCU grace period
   * (at least until the running program returns); this is the VM's equivalent.
   */
  retire(address: number): void {
    if (!this.allocations.has(address)) {
      throw new MemoryError(
        'EINVAL',
        `retire of address ${address} which is not an allocated block`,
        address,
      );
    }
    if (this.runDepth > 0) this.pendingFrees.push(address);
    else this.free(address);
  }

  /** Marks the start of a program run (nestable): blocks retired from now on stay valid until endRun(). */
  beginRun(): void {
    this.runDepth++;
  }

  /** Marks the end of a program run; the outermost end frees every block retired during the run. */
  endRun(): void {
    if (this.runDepth === 0) throw new MemoryError('EINVAL', 'endRun() without beginRun()');
    this.runDepth--;
    if (this.runDepth > 0 || this.pendingFrees.length === 0) return;
    const pending = this.pendingFrees.splice(0);
    for (const address of pending) this.free(address);
  }

  /** Runs `body` between beginRun() and endRun(). */
  withRun<T>(body: () => T): T {
    this.beginRun();
    try {
      return body();
    } finally {
      this.endRun();
    }
  }

  get inRun(): boolean {
    return this.runDepth > 0;
  }

  /**
   * True when [address, address+n) lies inside one live allocation: what checked execution allows a
   * program to touch (every region a BPF pointer may point into is allocated here).
   */
  isAllocated(address: number, n: number): boolean {
    // Most accesses of a run hit the block the previous one hit (the stack, the packet, one map value).
    if (n >= 0 && address >= this.lastHitStart && address + n <= this.lastHitEnd) return true;
    if (this.sortedStarts === undefined)
      this.sortedStarts = [...this.allocations.keys()].sort((a, b) => a - b);
    const starts = this.sortedStarts;
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] <= address) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return false;
    const start = starts[found];
    const end = start + this.allocations.get(start)!;
    if (n < 0 || address + n > end) return false;
    this.lastHitStart = start;
    this.lastHitEnd = end;
    return true;
  }

  /** Start of the block the last successful isAllocated() found (with hitEnd, an empty range after a free). */
  get hitStart(): number {
    return this.lastHitStart;
  }

  get hitEnd(): number {
    return this.lastHitEnd;
  }

  private forgetAllocationIndex(): void {
    this.sortedStarts = undefined;
    this.lastHitStart = 0;
    this.lastHitEnd = 0;
  }

  /** Size of the allocated block starting at `address`, or undefined when none starts there. */
  allocationSize(address: number): number | undefined {
    return this.allocations.get(address);
  }

  stats(): MemoryStats {
    let freeBytes = 0;
    for (const block of this.freeBlocks) freeBytes += block.size;
    return {
      byteLength: this.byteLength,
      allocatedBytes: this.allocatedBytes,
      allocatedBlocks: this.allocations.size,
      freeBytes,
      freeBlocks: this.freeBlocks.length,
      pendingFrees: this.pendingFrees.length,
    };
  }

  /** First fit: the lowest-addressed free block that can hold an aligned block of `size`. */
  private takeFromFreeList(size: number, align: number): number | undefined {
    for (let i = 0; i < this.freeBlocks.length; i++) {
      const block = this.freeBlocks[i];
      const start = alignUp(block.start, align);
      const end = block.start + block.size;
      if (start + size > end) continue;
      const before: FreeBlock = { start: block.start, size: start - block.start };
      const after: FreeBlock = { start: start + size, size: end - start - size };
      const replacement = [before, after].filter((part) => part.size > 0);
      this.freeBlocks.splice(i, 1, ...replacement);
      return start;
    }
    return undefined;
  }

  /** Grows the memory so that a block of `size` aligned to `align` fits at its end. */
  private growFor(size: number, align: number): void {
    const oldLength = this.byteLength;
    const last = this.freeBlocks[this.freeBlocks.length - 1];
    const tailStart = last !== undefined && last.start + last.size === oldLength ? last.start : oldLength;
    const needed = alignUp(tailStart, align) + size - oldLength;
    const pages = Math.ceil(needed / WASM_PAGE_SIZE);
    const currentPages = oldLength / WASM_PAGE_SIZE;
    if (currentPages + pages > this.maximumPages) {
      throw new MemoryError(
        'ENOMEM',
        `out of memory: ${size} bytes need ${pages} more pages beyond the maximum of ${this.maximumPages}`,
        undefined,
        size,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new MemoryError('ENOMEM', `out of memory: growing by ${pages} pages failed (${String(cause)})`);
    }
    this.insertFree(oldLength, this.byteLength - oldLength);
  }

  /** Inserts a free block in address order and merges it with adjacent free neighbours. */
  private insertFree(start: number, size: number): void {
    const blocks = this.freeBlocks;
    let low = 0;
    let high = blocks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (blocks[mid].start < start) low = mid + 1;
      else high = mid;
    }
    const previous = blocks[low - 1];
    const next = blocks[low];
    if (previous !== undefined && previous.start + previous.size === start) {
      previous.size += size;
      if (next !== undefined && previous.start + previous.size === next.start) {
        previous.size += next.size;
        blocks.splice(low, 1);
      }
    } else if (next !== undefined && start + size === next.start) {
      next.start = start;
      next.size += size;
    } else {
      blocks.splice(low, 0, { start, size });
    }
  }

  // ---- access ----

  /** True when [address, address+n) lies inside the memory and outside the guard area. */
  isRange(address: number, n: number): boolean {
    return (
      Number.isInteger(address) &&
      Number.isInteger(n) &&
      n >= 0 &&
      address >= this.guardSize &&
      address + n <= this.byteLength
    );
  }

  private check(address: number, n: number): void {
    if (!this.isRange(address, n)) {
      throw new MemoryError('EFAULT', `invalid memory access: ${n} bytes at address ${address}`, address, n);
    }
  }

  /** A copy of n bytes at address. */
  read(address: number, n: number): Uint8Array {
    this.check(address, n);
    return this.bytes().slice(address, address + n);
  }

  /** A live view of n bytes at address; invalid after the memory grows. */
  subarray(address: number, n: number): Uint8Array {
    this.check(address, n);
    return this.bytes().subarray(address, address + n);
  }

  write(address: number, data: Uint8Array): void {
    this.check(address, data.length);
    this.bytes().set(data, address);
  }

  fill(address: number, n: number, value = 0): void {
    this.check(address, n);
    this.bytes().fill(value, address, address + n);
  }

  copy(destination: number, source: number, n: number): void {
    this.check(source, n);
    this.check(destination, n);
    this.bytes().copyWithin(destination, source, source + n);
  }

  readU8(address: number): number {
    this.check(address, 1);
    return this.view().getUint8(address);
  }

  readU16(address: number): number {
    this.check(address, 2);
    return this.view().getUint16(address, true);
  }

  readU32(address: number): number {
    this.check(address, 4);
    return this.view().getUint32(address, true);
  }

  readI32(address: number): number {
    this.check(address, 4);
    return this.view().getInt32(address, true);
  }

  readU64(address: number): bigint {
    this.check(address, 8);
    return this.view().getBigUint64(address, true);
  }

  writeU8(address: number, value: number): void {
    this.check(address, 1);
    this.view().setUint8(address, value);
  }

  writeU16(address: number, value: number): void {
    this.check(address, 2);
    this.view().setUint16(address, value, true);
  }

  writeU32(address: number, value: number): void {
    this.check(address, 4);
    this.view().setUint32(address, value >>> 0, true);
  }

  writeU64(address: number, value: bigint | number): void {
    this.check(address, 8);
    this.view().setBigUint64(address, BigInt.asUintN(64, BigInt(value)), true);
  }
}
