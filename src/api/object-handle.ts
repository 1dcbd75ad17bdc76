// libbpf-style object handling on a Bpf instance: open a `.o`, then load creates its maps (global data filled in)
// and loads every program with map fds in place, as bpf_object__load does.

import { BPF_OBJ_NAME_LEN } from '../abi/limits.js';
import { programTypeForSection } from '../object/section-names.js';
import type { BpfObject, MapDefinition } from '../object/bpf-object.js';
import { ObjectError } from '../object/object-error.js';
import { openObject } from '../object/open-object.js';
import { type RelocatedProgram, relocateProgram } from '../object/relocate-program.js';
import type { Bpf, ProgramHandle } from './bpf.js';

export interface ObjectLoadOptions {
  logLevel?: number;
  privileged?: boolean;
  /** Load only these programs (libbpf's autoload); default: every program. */
  programs?: readonly string[];
}

/** One program of an object after load: its handle and how it was assembled from the object's functions. */
export interface LoadedObjectProgram {
  readonly name: string;
  readonly section: string;
  readonly handle: ProgramHandle;
  readonly relocated: RelocatedProgram;
}

export class ObjectHandle {
  readonly object: BpfObject;
  private readonly bpf: Bpf;
  private mapFdByIndex: number[] | undefined;
  private readonly loaded = new Map<string, LoadedObjectProgram>();

  constructor(bpf: Bpf, bytes: Uint8Array, fileName: string) {
    this.bpf = bpf;
    this.object = openObject(bytes, fileName);
  }

  /** Names of the programs (entry functions), in libbpf's order. */
  get programNames(): string[] {
    return this.object.functions.filter((f) => f.isProgram).map((f) => f.name);
  }

  get mapNames(): string[] {
    return this.object.maps.map((m) => m.name);
  }

  /** Creates the maps, then relocates and loads the programs; throws BpfError/ProgLoadError/ObjectError. */
  load(options: ObjectLoadOptions = {}): this {
    if (this.mapFdByIndex !== undefined) {
      throw new ObjectError(this.object.fileName, `object '${this.object.name}' is already loaded`);
    }
    this.mapFdByIndex = this.object.maps.map((definition) => this.createMap(definition));
    const wanted = options.programs ?? this.programNames;
    for (const name of wanted) {
      const relocated = relocateProgram(this.object, name, { mapFd: (index) => this.mapFdByIndex![index] });
      const kind = programTypeForSection(relocated.section);
      if (kind === undefined) {
        throw new ObjectError(
          this.object.fileName,
          `prog '${name}': missing BPF prog type, check ELF section name '${relocated.section}'`,
          { program: name, section: relocated.section },
        );
      }
      const handle = this.bpf.progLoad({
        type: kind.programType,
        insns: relocated.insns,
        license: this.object.license,
        name: name.slice(0, 15),
        logLevel: options.logLevel ?? 0,
        privileged: options.privileged ?? true,
      });
      this.loaded.set(name, { name, section: relocated.section, handle, relocated });
    }
    this.fillInitialSlots();
    return this;
  }

  /** A loaded program by name. */
  program(name: string): LoadedObjectProgram {
    const program = this.loaded.get(name);
    if (program === undefined) {
      throw new ObjectError(
        this.object.fileName,
        `program '${name}' is not loaded (programs: ${this.programNames.join(', ')})`,
        {
          program: name,
        },
      );
    }
    return program;
  }

  /** The fd of a map by name, once loaded. */
  mapFd(name: string): number {
    const index = this.object.maps.findIndex((m) => m.name === name);
    const fd = this.mapFdByIndex?.[index];
    if (index < 0 || fd === undefined) {
      throw new ObjectError(
        this.object.fileName,
        `map '${name}' is not ${index < 0 ? 'in this object' : 'created yet'}`,
        {
          map: name,
        },
      );
    }
    return fd;
  }

  private createMap(definition: MapDefinition): number {
    let innerMapFd: number | undefined;
    if (definition.inner !== undefined) innerMapFd = this.createMap(definition.inner);
    const fd = this.bpf.mapCreate({
      type: definition.type,
      keySize: definition.keySize,
      valueSize: definition.valueSize,
      maxEntries: definition.maxEntries,
      flags: definition.flags,
      // libbpf copies at most BPF_OBJ_NAME_LEN - 1 characters into the kernel's map_name.
      name: definition.name.slice(0, BPF_OBJ_NAME_LEN - 1),
      ...(innerMapFd === undefined ? {} : { innerMapFd }),
    });
    // libbpf creates the inner map only as a template for the outer one and closes it afterwards.
    if (innerMapFd !== undefined) this.bpf.close(innerMapFd);
    if (definition.initialValue !== undefined) {
      this.bpf.mapUpdate(fd, new Uint8Array(4), definition.initialValue);
    }
    return fd;
  }

  /** `.values = { [i] = &prog_or_map }`: libbpf fills these slots once programs and maps exist. */
  private fillInitialSlots(): void {
    for (const [index, definition] of this.object.maps.entries()) {
      if (definition.initialSlots === undefined) continue;
      for (const [slot, target] of definition.initialSlots) {
        const program = this.loaded.get(target);
        const targetFd =
          program?.handle.fd ?? (this.mapNames.includes(target) ? this.mapFd(target) : undefined);
        if (targetFd === undefined) {
          throw new ObjectError(
            this.object.fileName,
            `map '${definition.name}': failed to initialize slot [${slot}] to '${target}'`,
            {
              map: definition.name,
            },
          );
        }
        const key = new Uint8Array(4);
        new DataView(key.buffer).setUint32(0, slot, true);
        const value = new Uint8Array(4);
        new DataView(value.buffer).setUint32(0, targetFd, true);
        this.bpf.mapUpdate(this.mapFdByIndex![index], key, value);
      }
    }
  }
}
