// MapRegistry: the maps of one VM, with ids (the handles maps of maps store) and lookup by address.
import type { VmMemory } from '../memory.js';
import { BPF_MAP, type BpfMap, readU32 } from './bpf-map.js';
import { type CreateMapOptions, createMap, type MapAttrs } from './create-map.js';

export interface MapRegistryOptions {
  /** CPUs of the VM, for per-CPU maps; default 1. */
  readonly cpus?: number;
  readonly checkProgram?: CreateMapOptions['checkProgram'];
  readonly checkPerfEvent?: CreateMapOptions['checkPerfEvent'];
  readonly resolveCgroup?: CreateMapOptions['resolveCgroup'];
  readonly redirect?: CreateMapOptions['redirect'];
  readonly sockets?: CreateMapOptions['sockets'];
}

/**
 * Gives every map an id starting at 1 (like the kernel's map ids) and resolves ids for maps of maps: the
 * handle stored in an array_of_maps/hash_of_maps slot is the inner map's id, which is also what a
 * user-space lookup of the outer map returns (the kernel returns the inner map id too).
 */
export class MapRegistry {
  private readonly maps = new Map<number, BpfMap>();
  private readonly byAddress = new Map<number, BpfMap>();
  /** Maps by id (dense from 1), for atAddress. */
  private readonly byId: (BpfMap | undefined)[] = [];
  private nextId = 1;

  constructor(
    readonly memory: VmMemory,
    private readonly options: MapRegistryOptions = {},
  ) {}

  /** BPF_MAP_CREATE: throws MapError as the kernel fails. */
  create(attrs: MapAttrs): BpfMap {
    const map = createMap(this.memory, attrs, {
      id: this.nextId,
      cpus: this.options.cpus,
      resolveMap: (id) => this.maps.get(id),
      checkProgram: this.options.checkProgram,
      checkPerfEvent: this.options.checkPerfEvent,
      resolveCgroup: this.options.resolveCgroup,
      redirect: this.options.redirect,
      sockets: this.options.sockets,
    });
    this.nextId++;
    this.maps.set(map.id, map);
    this.byAddress.set(map.address, map);
    this.byId[map.id] = map;
    return map;
  }

  get(id: number): BpfMap | undefined {
    return this.maps.get(id);
  }

  /** The map whose map object is at `address` (what a program holds as a map pointer). */
  atAddress(address: number): BpfMap | undefined {
    // A map object holds the map's id (struct bpf_map's `id`): an array indexed by it answers without hashing
    // (helpers ask on every call), and the map's own address confirms the answer, whatever the bytes there hold.
    const bytes = this.memory.bytes();
    const at = address + BPF_MAP.id;
    if (address >= 0 && at + 4 <= bytes.length) {
      const map = this.byId[readU32(bytes, at)];
      if (map !== undefined && map.address === address) return map;
    }
    return this.byAddress.get(address);
  }

  /** Releases a map and forgets its id. Returns false for an unknown id. */
  close(id: number): boolean {
    const map = this.maps.get(id);
    if (map === undefined) return false;
    this.maps.delete(id);
    this.byAddress.delete(map.address);
    this.byId[map.id] = undefined;
    map.release();
    return true;
  }

  [Symbol.iterator](): IterableIterator<BpfMap> {
    return this.maps.values();
  }
}
