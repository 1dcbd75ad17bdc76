// What devmap, devmap_hash, cpumap and xskmap share: entries kept as the kernel stores them, at stable
// addresses in VmMemory (a program's lookup points at them), and the target bpf_redirect_map resolves.
import type { VmMemory } from '../memory.js';
import type { NetworkInterface } from '../network.js';
import { arrayNextKey } from './array-map.js';
import { BaseMap, type MapResult, type MapSpec, readU32, u32Bytes } from './bpf-map.js';
import { fail } from './map-error.js';

/** Kernel: BPF_F_BROADCAST and BPF_F_EXCLUDE_INGRESS, the devmaps' bpf_redirect_map flags. */
export const BPF_F_BROADCAST = 1 << 3;
export const BPF_F_EXCLUDE_INGRESS = 1 << 4;

/** Resolves a program fd stored in a devmap/cpumap value: the program's id, or -errno (kernel's prog checks). */
export type RedirectProgramResolver = (handle: number, attachType: 'xdp_devmap' | 'xdp_cpumap') => number;

/** What a redirect map needs from the Vm: its interfaces and its programs. */
export interface RedirectMapEnvironment {
  /** Kernel dev_get_by_index. */
  readonly interfaceByIndex: (ifindex: number) => NetworkInterface | undefined;
  readonly resolveProgram?: RedirectProgramResolver;
}

/** An entry's value as the kernel keeps it: 8 bytes (u32 then u32), of which value_size are visible. */
const ENTRY_SIZE = 8;

/**
 * A map bpf_redirect_map can send packets through. Entries live in VmMemory as the kernel's stored value
 * (`struct bpf_devmap_val`, `struct bpf_cpumap_val`, or an xdp socket's `struct bpf_xdp_sock`), so a program's
 * lookup returns their address; a replaced entry is retired, not reused, while a run may hold it.
 */
export abstract class RedirectMap extends BaseMap {
  protected readonly slots = new Map<number, number>();
  /** Flags bpf_redirect_map takes besides the default action in the low two bits. */
  abstract readonly redirectFlags: number;

  constructor(memory: VmMemory, spec: MapSpec) {
    super(memory, spec);
  }

  /** The entry at `key` (kernel: the map's __*_lookup_elem), its address in VmMemory, or undefined. */
  entryAddress(key: number): number | undefined {
    return this.slots.get(key);
  }

  /** The two stored words of an entry. */
  storedWords(key: number): readonly [number, number] | undefined {
    const address = this.slots.get(key);
    if (address === undefined) return undefined;
    return [this.memory.readU32(address), this.memory.readU32(address + 4)];
  }

  override lookup(key: Uint8Array, _cpu = 0): number | undefined {
    return this.slots.get(readU32(key));
  }

  /** Programs only look these maps up (the verifier allows nothing else): updates from BPF are refused. */
  override updateFromProgram(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu = 0): number {
    return fail('EOPNOTSUPP');
  }

  override deleteFromProgram(_key: Uint8Array): number {
    return fail('EOPNOTSUPP');
  }

  protected store(key: number, first: number, second: number): void {
    const address = this.memory.allocate(ENTRY_SIZE);
    this.memory.writeU32(address, first);
    this.memory.writeU32(address + 4, second);
    this.clear(key);
    this.slots.set(key, address);
  }

  /** Removes an entry; true when there was one. */
  protected clear(key: number): boolean {
    const address = this.slots.get(key);
    if (address === undefined) return false;
    this.slots.delete(key);
    this.memory.retire(address);
    return true;
  }

  protected lookupElement(key: Uint8Array): MapResult {
    const address = this.slots.get(readU32(key));
    return address === undefined ? fail('ENOENT') : this.memory.read(address, this.valueSize);
  }

  protected releaseStorage(): void {
    for (const address of this.slots.values()) this.memory.retire(address);
    this.slots.clear();
  }
}

/** The array-indexed redirect maps (devmap, cpumap, xskmap): keys 0..max_entries-1, empty slots skipped in dumps. */
export abstract class IndexedRedirectMap extends RedirectMap {
  protected nextKey(key: Uint8Array | undefined): MapResult {
    return arrayNextKey(key, this.maxEntries);
  }

  override *entries(): IterableIterator<{ key: Uint8Array; value: Uint8Array }> {
    for (const index of [...this.slots.keys()].sort((a, b) => a - b)) {
      const value = this.lookupElement(u32Bytes(index));
      if (typeof value !== 'number') yield { key: u32Bytes(index), value };
    }
  }
}

/** Little-endian s32 at `offset` (program fds in devmap/cpumap values: -1 and 0 mean none). */
export const readS32 = (bytes: Uint8Array, offset: number): number => readU32(bytes, offset) | 0;
