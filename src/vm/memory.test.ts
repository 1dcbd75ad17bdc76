// Tests of the VM memory: allocator invariants (property-based), growth, typed access and deferred frees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryError, VmMemory, WASM_PAGE_SIZE } from './memory.js';

type Op = { kind: 'alloc'; size: number; alignLog: number } | { kind: 'free'; pick: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('alloc' as const),
    size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 70000 })),
    alignLog: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
);

describe('VmMemory allocator', () => {
  it('never hands out overlapping blocks, keeps alignment, zeroes, stays out of the guard', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 80 }), (ops) => {
        const memory = new VmMemory({ maximumPages: 64 });
        const live: { address: number; size: number }[] = [];
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const align = 1 << op.alignLog;
            const address = memory.allocate(op.size, align);
            expect(address % Math.max(align, 8)).toBe(0);
            expect(address).toBeGreaterThanOrEqual(memory.guardSize);
            expect(memory.isRange(address, op.size)).toBe(true);
            // Zeroed, then dirtied so that reuse without zeroing would be caught.
            expect(memory.read(address, op.size).every((byte) => byte === 0)).toBe(true);
            memory.fill(address, op.size, 0xa5);
            for (const other of live) {
              const disjoint = address + op.size <= other.address || other.address + other.size <= address;
              expect(disjoint || op.size === 0 || other.size === 0).toBe(true);
              // Blocks are distinct even for size 0.
              expect(address).not.toBe(other.address);
            }
            live.push({ address, size: op.size });
          } else if (live.length > 0) {
            const [victim] = live.splice(op.pick % live.length, 1);
            memory.free(victim.address);
          }
        }
        const stats = memory.stats();
        expect(stats.allocatedBlocks).toBe(live.length);
        expect(stats.allocatedBytes + stats.freeBytes).toBe(stats.byteLength - memory.guardSize);
      }),
      { numRuns: 200 },
    );
  });

  it('reuses freed space and coalesces neighbours', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const memory = new VmMemory({ maximumPages: 64 });
        const addresses = sizes.map((size) => memory.allocate(size));
        const lengthBefore = memory.byteLength;
        for (const address of addresses) memory.free(address);
        const stats = memory.stats();
        expect(stats.allocatedBytes).toBe(0);
        expect(stats.freeBlocks).toBe(1);
        // The whole freed run is one block again: one allocation of the total fits without growing.
        const total = sizes.reduce((sum, size) => sum + Math.ceil(size / 8) * 8, 0);
        expect(memory.allocate(total)).toBe(addresses[0]);
        expect(memory.byteLength).toBe(lengthBefore);
      }),
    );
  });

  it('grows the memory and refreshes views', () => {
    const memory = new VmMemory({ initialPages: 1, maximumPages: 8 });
    const first = memory.allocate(16);
    memory.writeU32(first, 0xdeadbeef);
    const oldBytes = memory.bytes();
    const big = memory.allocate(3 * WASM_PAGE_SIZE);
    expect(memory.byteLength).toBeGreaterThanOrEqual(4 * WASM_PAGE_SIZE);
    expect(memory.bytes() === oldBytes).toBe(false);
    expect(oldBytes.length).toBe(0); // the old buffer was detached by growth
    expect(memory.bytes().length).toBe(memory.byteLength);
    expect(memory.view().byteLength).toBe(memory.byteLength);
    expect(memory.readU32(first)).toBe(0xdeadbeef);
    memory.writeU64(big + 3 * WASM_PAGE_SIZE - 8, 0x0102030405060708n);
    expect(memory.readU64(big + 3 * WASM_PAGE_SIZE - 8)).toBe(0x0102030405060708n);
  });

  it('throws ENOMEM past the maximum and stays usable', () => {
    const memory = new VmMemory({ initialPages: 1, maximumPages: 2 });
    expect(() => memory.allocate(3 * WASM_PAGE_SIZE)).toThrowError(MemoryError);
    try {
      memory.allocate(2 * WASM_PAGE_SIZE);
    } catch (error) {
      expect(error).toBeInstanceOf(MemoryError);
      expect((error as MemoryError).code).toBe('ENOMEM');
    }
    expect(memory.allocate(WASM_PAGE_SIZE)).toBeGreaterThan(0);
  });

  it('rejects bad frees and bad arguments with typed errors', () => {
    const memory = new VmMemory();
    const address = memory.allocate(8);
    expect(() => memory.free(address + 8)).toThrowError(MemoryError);
    memory.free(address);
    expect(() => memory.free(address)).toThrowError(/not an allocated block/);
    expect(() => memory.allocate(-1)).toThrowError(MemoryError);
    expect(() => memory.allocate(8, 3)).toThrowError(MemoryError);
    expect(() => new VmMemory({ initialPages: 0 })).toThrowError(MemoryError);
  });
});

describe('VmMemory access', () => {
  it('reads and writes little-endian scalars', () => {
    const memory = new VmMemory();
    const address = memory.allocate(16);
    memory.writeU64(address, -1n);
    expect(memory.readU64(address)).toBe(0xffffffffffffffffn);
    memory.writeU32(address, 0x11223344);
    expect([...memory.read(address, 4)]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(memory.readU16(address)).toBe(0x3344);
    expect(memory.readU8(address + 3)).toBe(0x11);
    memory.writeU32(address + 8, -2);
    expect(memory.readI32(address + 8)).toBe(-2);
    expect(memory.readU32(address + 8)).toBe(0xfffffffe);
    memory.write(address, Uint8Array.of(9, 8, 7));
    memory.copy(address + 4, address, 3);
    expect([...memory.read(address + 4, 3)]).toEqual([9, 8, 7]);
  });

  it('treats address 0, the guard and the end as invalid', () => {
    const memory = new VmMemory();
    expect(memory.isRange(0, 1)).toBe(false);
    expect(memory.isRange(memory.guardSize - 1, 1)).toBe(false);
    expect(memory.isRange(memory.guardSize, 1)).toBe(true);
    expect(memory.isRange(memory.byteLength - 4, 4)).toBe(true);
    expect(memory.isRange(memory.byteLength - 4, 5)).toBe(false);
    expect(() => memory.readU8(0)).toThrowError(MemoryError);
    expect(() => memory.write(memory.byteLength - 1, new Uint8Array(2))).toThrowError(
      /invalid memory access/,
    );
  });
});

describe('VmMemory deferred frees', () => {
  it('keeps retired blocks alive until the outermost run ends', () => {
    const memory = new VmMemory();
    const address = memory.allocate(32);
    memory.beginRun();
    memory.beginRun();
    memory.retire(address);
    expect(memory.allocationSize(address)).toBe(32);
    expect(memory.allocate(32)).not.toBe(address);
    memory.endRun();
    expect(memory.stats().pendingFrees).toBe(1);
    memory.endRun();
    expect(memory.allocationSize(address)).toBeUndefined();
    expect(memory.stats().pendingFrees).toBe(0);
  });

  it('frees at once outside a run', () => {
    const memory = new VmMemory();
    const address = memory.allocate(32);
    memory.retire(address);
    expect(memory.allocationSize(address)).toBeUndefined();
    expect(() => memory.endRun()).toThrowError(MemoryError);
    expect(memory.withRun(() => 7)).toBe(7);
    expect(memory.inRun).toBe(false);
  });
});

describe('isAllocated', () => {
  it('accepts ranges inside one live block only, before and after the allocator changes', () => {
    const memory = new VmMemory();
    const a = memory.allocate(64);
    const b = memory.allocate(32);
    expect(memory.isAllocated(a, 64)).toBe(true);
    expect(memory.isAllocated(a + 60, 8)).toBe(false);
    expect(memory.isAllocated(b + 8, 8)).toBe(true);
    expect(memory.isAllocated(a, 8)).toBe(true);
    expect(memory.isAllocated(memory.guardSize - 8, 8)).toBe(false);
    memory.free(a);
    expect(memory.isAllocated(a, 8)).toBe(false);
    expect(memory.isAllocated(b, 32)).toBe(true);
    memory.free(b);
    expect(memory.isAllocated(b, 1)).toBe(false);
  });
});
