// Builds a WebAssembly module: function types, imports, functions with their locals and code, a table, globals,
// exports, element segments; `encode()` gives the binary. Instructions are emitted through `FunctionCode`.

import { ByteWriter } from './wasm-encoding.js';
import { EMPTY_BLOCK, ExternalKind, MEMORY_ALIGN, Opcode, Section, ValueType } from './wasm-opcodes.js';

export interface FunctionType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

/** A block's type: empty, one result, or a function type index (multi-value). */
export type BlockType = 'empty' | ValueType | { readonly typeIndex: number };

type Import =
  | { module: string; name: string; kind: 'function'; typeIndex: number }
  | { module: string; name: string; kind: 'memory'; minimum: number; maximum?: number }
  | { module: string; name: string; kind: 'global'; type: ValueType; mutable: boolean }
  | { module: string; name: string; kind: 'table'; minimum: number };

/** The code of one function: locals after the parameters, then instructions. */
export class FunctionCode {
  readonly code = new ByteWriter();
  private readonly locals: ValueType[] = [];

  constructor(readonly paramCount: number) {}

  /** Declares a local and returns its index. */
  addLocal(type: ValueType): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  op(opcode: Opcode): this {
    this.code.byte(opcode);
    return this;
  }

  i32Const(value: number): this {
    this.code.byte(Opcode.i32_const);
    this.code.s32(value);
    return this;
  }

  i64Const(value: bigint): this {
    this.code.byte(Opcode.i64_const);
    this.code.s64(value);
    return this;
  }

  /** i64.const of an int32 value (its signed LEB128 is the same as the i64's), without a BigInt. */
  i64ConstSmall(value: number): this {
    this.code.byte(Opcode.i64_const);
    this.code.s32(value);
    return this;
  }

  localGet(index: number): this {
    this.code.byte(Opcode.local_get);
    this.code.u32(index);
    return this;
  }

  localSet(index: number): this {
    this.code.byte(Opcode.local_set);
    this.code.u32(index);
    return this;
  }

  localTee(index: number): this {
    this.code.byte(Opcode.local_tee);
    this.code.u32(index);
    return this;
  }

  globalGet(index: number): this {
    this.code.byte(Opcode.global_get);
    this.code.u32(index);
    return this;
  }

  globalSet(index: number): this {
    this.code.byte(Opcode.global_set);
    this.code.u32(index);
    return this;
  }

  /** block, loop, if and try open a construct of `type`. */
  open(
    opcode: typeof Opcode.block | typeof Opcode.loop | typeof Opcode.if | typeof Opcode.try,
    type: BlockType = 'empty',
  ): this {
    this.code.byte(opcode);
    if (type === 'empty') this.code.byte(EMPTY_BLOCK);
    else if (typeof type === 'number') this.code.byte(type);
    else this.code.s32(type.typeIndex);
    return this;
  }

  end(): this {
    this.code.byte(Opcode.end);
    return this;
  }

  br(depth: number): this {
    this.code.byte(Opcode.br);
    this.code.u32(depth);
    return this;
  }

  brIf(depth: number): this {
    this.code.byte(Opcode.br_if);
    this.code.u32(depth);
    return this;
  }

  brTable(depths: readonly number[], defaultDepth: number): this {
    this.code.byte(Opcode.br_table);
    this.code.u32(depths.length);
    for (const depth of depths) this.code.u32(depth);
    this.code.u32(defaultDepth);
    return this;
  }

  call(functionIndex: number): this {
    this.code.byte(Opcode.call);
    this.code.u32(functionIndex);
    return this;
  }

  callIndirect(typeIndex: number, tableIndex = 0): this {
    this.code.byte(Opcode.call_indirect);
    this.code.u32(typeIndex);
    this.code.u32(tableIndex);
    return this;
  }

  rethrow(depth: number): this {
    this.code.byte(Opcode.rethrow);
    this.code.u32(depth);
    return this;
  }

  /** A load or store with its natural alignment and a constant offset. */
  memory(opcode: Opcode, offset = 0): this {
    const align = MEMORY_ALIGN[opcode];
    if (align === undefined) throw new Error(`opcode 0x${opcode.toString(16)} is no memory access`);
    this.code.byte(opcode);
    this.code.u32(align);
    this.code.u32(offset);
    return this;
  }

  /** The body as the code section holds it: local declarations (runs of one type), instructions, end. */
  encodeBody(out: ByteWriter): void {
    const body = new ByteWriter();
    const runs: [number, ValueType][] = [];
    for (const type of this.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    body.u32(runs.length);
    for (const [count, type] of runs) {
      body.u32(count);
      body.byte(type);
    }
    body.write(this.code.finish());
    body.byte(Opcode.end);
    out.sized(body);
  }
}

export class ModuleBuilder {
  private readonly types: FunctionType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: Import[] = [];
  private importedFunctions = 0;
  private importedGlobals = 0;
  private readonly functions: { typeIndex: number; code: FunctionCode }[] = [];
  private readonly globals: { type: ValueType; mutable: boolean; init: bigint }[] = [];
  private readonly exports: { name: string; kind: ExternalKind; index: number }[] = [];
  private table: { minimum: number; maximum?: number } | undefined;
  private readonly elements: { offset: number; functions: number[] }[] = [];

  /** The index of a function type, added once. */
  typeIndex(type: FunctionType): number {
    const key = `${type.params.join(',')}:${type.results.join(',')}`;
    let index = this.typeKeys.get(key);
    if (index === undefined) {
      index = this.types.length;
      this.types.push(type);
      this.typeKeys.set(key, index);
    }
    return index;
  }

  /** Imports must all come before the first defined function or global: their indexes come first. */
  importFunction(module: string, name: string, type: FunctionType): number {
    if (this.functions.length > 0) throw new Error('imports must precede defined functions');
    this.imports.push({ module, name, kind: 'function', typeIndex: this.typeIndex(type) });
    return this.importedFunctions++;
  }

  importMemory(module: string, name: string, minimum: number, maximum?: number): void {
    this.imports.push({
      module,
      name,
      kind: 'memory',
      minimum,
      ...(maximum === undefined ? {} : { maximum }),
    });
  }

  importGlobal(module: string, name: string, type: ValueType, mutable: boolean): number {
    if (this.globals.length > 0) throw new Error('imports must precede defined globals');
    this.imports.push({ module, name, kind: 'global', type, mutable });
    return this.importedGlobals++;
  }

  /** Declares a function (its index is fixed now, its code may be filled later). */
  addFunction(type: FunctionType): { index: number; code: FunctionCode } {
    const code = new FunctionCode(type.params.length);
    this.functions.push({ typeIndex: this.typeIndex(type), code });
    return { index: this.importedFunctions + this.functions.length - 1, code };
  }

  addGlobal(type: ValueType, mutable: boolean, init: bigint): number {
    this.globals.push({ type, mutable, init });
    return this.importedGlobals + this.globals.length - 1;
  }

  addTable(minimum: number, maximum?: number): void {
    this.table = { minimum, ...(maximum === undefined ? {} : { maximum }) };
  }

  addElements(offset: number, functions: number[]): void {
    this.elements.push({ offset, functions });
  }

  export(name: string, kind: ExternalKind, index: number): void {
    this.exports.push({ name, kind, index });
  }

  encode(): Uint8Array {
    const out = new ByteWriter();
    out.write(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const section = (id: number, count: number, fill: (w: ByteWriter) => void): void => {
      if (count === 0) return;
      const body = new ByteWriter();
      body.u32(count);
      fill(body);
      out.byte(id);
      out.sized(body);
    };
    section(Section.type, this.types.length, (w) => {
      for (const type of this.types) {
        w.byte(0x60);
        w.u32(type.params.length);
        for (const p of type.params) w.byte(p);
        w.u32(type.results.length);
        for (const r of type.results) w.byte(r);
      }
    });
    section(Section.import, this.imports.length, (w) => {
      for (const entry of this.imports) {
        w.name(entry.module);
        w.name(entry.name);
        switch (entry.kind) {
          case 'function':
            w.byte(ExternalKind.function);
            w.u32(entry.typeIndex);
            break;
          case 'memory':
            w.byte(ExternalKind.memory);
            limits(w, entry.minimum, entry.maximum);
            break;
          case 'global':
            w.byte(ExternalKind.global);
            w.byte(entry.type);
            w.byte(entry.mutable ? 1 : 0);
            break;
          case 'table':
            w.byte(ExternalKind.table);
            w.byte(ValueType.funcref);
            limits(w, entry.minimum, undefined);
            break;
        }
      }
    });
    section(Section.function, this.functions.length, (w) => {
      for (const fn of this.functions) w.u32(fn.typeIndex);
    });
    const table = this.table;
    section(Section.table, table === undefined ? 0 : 1, (w) => {
      if (table === undefined) return;
      w.byte(ValueType.funcref);
      limits(w, table.minimum, table.maximum);
    });
    section(Section.global, this.globals.length, (w) => {
      for (const global of this.globals) {
        w.byte(global.type);
        w.byte(global.mutable ? 1 : 0);
        if (global.type === ValueType.i64) {
          w.byte(Opcode.i64_const);
          w.s64(global.init);
        } else {
          w.byte(Opcode.i32_const);
          w.s32(Number(global.init));
        }
        w.byte(Opcode.end);
      }
    });
    section(Section.export, this.exports.length, (w) => {
      for (const entry of this.exports) {
        w.name(entry.name);
        w.byte(entry.kind);
        w.u32(entry.index);
      }
    });
    section(Section.element, this.elements.length, (w) => {
      for (const segment of this.elements) {
        w.u32(0);
        w.byte(Opcode.i32_const);
        w.s32(segment.offset);
        w.byte(Opcode.end);
        w.u32(segment.functions.length);
        for (const fn of segment.functions) w.u32(fn);
      }
    });
    section(Section.code, this.functions.length, (w) => {
      for (const fn of this.functions) fn.code.encodeBody(w);
    });
    return out.finish().slice();
  }
}

function limits(w: ByteWriter, minimum: number, maximum: number | undefined): void {
  w.byte(maximum === undefined ? 0 : 1);
  w.u32(minimum);
  if (maximum !== undefined) w.u32(maximum);
}
