import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './wasm-encoding.js';
import { ModuleBuilder } from './wasm-module.js';
import { ExternalKind, Opcode, ValueType } from './wasm-opcodes.js';

const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
}

function bytesOf(fill: (w: ByteWriter) => void): number[] {
  const w = new ByteWriter();
  fill(w);
  return [...w.finish()];
}

/** Reference signed LEB128 decoder. */
function readSigned(bytes: number[]): bigint {
  let result = 0n;
  let shift = 0n;
  for (const byte of bytes) {
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) {
      if (byte & 0x40) result -= 1n << shift;
      break;
    }
  }
  return result;
}

describe('LEB128', () => {
  it('encodes known values', () => {
    expect(bytesOf((w) => w.u32(0))).toEqual([0]);
    expect(bytesOf((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(bytesOf((w) => w.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(bytesOf((w) => w.s32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(bytesOf((w) => w.s32(63))).toEqual([0x3f]);
    expect(bytesOf((w) => w.s32(64))).toEqual([0xc0, 0x00]);
    expect(bytesOf((w) => w.s32(-64))).toEqual([0x40]);
    expect(bytesOf((w) => w.s32(-65))).toEqual([0xbf, 0x7f]);
    expect(bytesOf((w) => w.s64(-(1n << 63n)))).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
    ]);
    expect(bytesOf((w) => w.u64(1n << 63n))).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
    ]);
  });

  it('round-trips every signed 64-bit value', () => {
    let reached = 0;
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (value) => {
        reached++;
        expect(readSigned(bytesOf((w) => w.s64(value)))).toBe(value);
      }),
      { numRuns: 2000 },
    );
    expect(reached).toBe(2000);
  });
});

describe('ModuleBuilder', () => {
  it('encodes the smallest module with one exported function', () => {
    const builder = new ModuleBuilder();
    const fn = builder.addFunction({ params: [], results: [ValueType.i32] });
    fn.code.i32Const(42);
    builder.export('answer', ExternalKind.function, fn.index);
    const bytes = builder.encode();
    expect([...bytes]).toEqual([
      0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 7, 10, 1, 6, 0x61, 0x6e,
      0x73, 0x77, 0x65, 0x72, 0, 0, 10, 6, 1, 4, 0, 0x41, 42, 0x0b,
    ]);
    expect(wasm.validate(bytes)).toBe(true);
  });

  it('runs loops, br_table, memory, globals, imports and call_indirect', () => {
    const builder = new ModuleBuilder();
    const log: bigint[] = [];
    const record = builder.importFunction('env', 'record', { params: [ValueType.i64], results: [] });
    builder.importMemory('env', 'memory', 1);
    const counter = builder.importGlobal('env', 'counter', ValueType.i32, true);
    const twice = builder.addFunction({ params: [ValueType.i64], results: [ValueType.i64] });
    twice.code.localGet(0).localGet(0).op(Opcode.i64_add);
    // sum(n): a loop adding 1..n through a br_table dispatch, storing the total at address 8 and recording it.
    const sum = builder.addFunction({ params: [ValueType.i32], results: [ValueType.i64] });
    const total = sum.code.addLocal(ValueType.i64);
    const c = sum.code;
    c.open(Opcode.loop);
    c.open(Opcode.block).open(Opcode.block);
    c.localGet(0).op(Opcode.i32_eqz).brTable([0], 1);
    c.end();
    // n != 0: total += n; n--; again.
    c.localGet(total).localGet(0).op(Opcode.i64_extend_i32_u).op(Opcode.i64_add).localSet(total);
    c.localGet(0).i32Const(1).op(Opcode.i32_sub).localSet(0);
    c.globalGet(counter).i32Const(1).op(Opcode.i32_add).globalSet(counter);
    c.br(1);
    c.end();
    c.end();
    c.i32Const(8).localGet(total).memory(Opcode.i64_store, 0);
    c.localGet(total).call(record);
    c.i32Const(0).memory(Opcode.i64_load, 8);
    c.i32Const(0).callIndirect(builder.typeIndex({ params: [ValueType.i64], results: [ValueType.i64] }));
    builder.addTable(1, 1);
    builder.addElements(0, [twice.index]);
    builder.export('sum', ExternalKind.function, sum.index);
    const bytes = builder.encode();
    expect(wasm.validate(bytes)).toBe(true);
    const memory = new wasm.Memory({ initial: 1 });
    const counterGlobal = new (
      globalThis as unknown as { WebAssembly: { Global: new (d: object, v: number) => { value: number } } }
    ).WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    const instance = new wasm.Instance(new wasm.Module(bytes), {
      env: { record: (v: bigint) => log.push(v), memory, counter: counterGlobal },
    });
    expect((instance.exports['sum'] as (n: number) => bigint)(10)).toBe(110n);
    expect(log).toEqual([55n]);
    expect(counterGlobal.value).toBe(10);
    expect(new DataView(memory.buffer).getBigUint64(8, true)).toBe(55n);
  });
});
