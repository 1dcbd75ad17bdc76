// The parts of the WebAssembly JavaScript API the JIT uses, typed locally: the project's TypeScript libs (ES2022 +
// @types/node 20) declare no WebAssembly types, and this code must run in browsers as it is.

export interface WasmGlobal<T extends number | bigint = number | bigint> {
  value: T;
}

export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Global: new (descriptor: { value: 'i32' | 'i64'; mutable: boolean }, value: number | bigint) => WasmGlobal;
  RuntimeError: new () => Error;
}

export const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
