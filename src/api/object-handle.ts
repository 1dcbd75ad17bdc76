// libbpf-style object handling on a Bpf instance: open a `.o`, configure it as a skeleton's user space would
// (program types, map sizes, map entries, global variables), then load creates the maps and loads programs.

import type { KernelTypes } from '../abi/kernel-structs.js';
import { kconfigValueText, referenceKconfig } from '../abi/kconfig.js';
import { mapTypeById } from '../abi/map-types.js';
import { BPF_OBJ_NAME_LEN } from '../abi/limits.js';
import { attachTypeByName, programTypeByName } from '../abi/program-types.js';
import type { BpfObject, MapDefinition } from '../object/bpf-object.js';
import { type Fixture, FixtureError, type ResolvedEntry, resolveFixture } from '../object/fixture.js';
import type { ResolvedNetworkItem } from '../object/fixture-network.js';
import { ObjectError } from '../object/object-error.js';
import { kernelTypesFromBtf } from '../object/kernel-btf.js';
import { openObject } from '../object/open-object.js';
import { type RelocatedProgram, relocateProgram } from '../object/relocate-program.js';
import { type ResolvedExterns, resolveExterns } from '../object/resolve-externs.js';
import { programTypeForSection } from '../object/section-names.js';
import type { VerifierCapabilities } from '../verifier/index.js';
import type { EngineName } from '../vm/runtime.js';
import type { Bpf, ProgramHandle } from './bpf.js';
import { ProgLoadError } from './bpf-error.js';

/** A program's type chosen by the user instead of its section name (libbpf's bpf_program__set_type). */
export interface ProgramTypeOverride {
  /** A kernel program type by libbpf name ('xdp', 'sched_cls', ...) or a user type registered on the Bpf. */
  readonly type?: string;
  /** libbpf's name of an `enum bpf_attach_type` value ('cgroup_inet_ingress', ...). */
  readonly expectedAttachType?: string;
}

export interface ObjectOpenOptions {
  /** Program name → type override, as bpf_program__set_type/__set_expected_attach_type before load. */
  readonly programs?: Readonly<Record<string, ProgramTypeOverride>>;
  /**
   * `__kconfig` values over the reference kernel's (libbpf's `kconfig` open option): option name → `.config`
   * text (`y`, `m`, `n`, `"text"`, `250`), a number or a boolean; null makes an option "not set".
   */
  readonly kconfig?: Readonly<Record<string, string | number | bigint | boolean | null>>;
  /**
   * The kernel's BTF, raw as /sys/kernel/btf/vmlinux (libbpf's `btf_custom_path`): CO-RE relocations resolve
   * against it and the verifier takes kernel structs (bpf_rdonly_cast, members) from it instead of tsbpf's table.
   */
  readonly kernelBtf?: Uint8Array;
  /** The name errors give the kernel BTF (default `<kernel BTF>`). */
  readonly kernelBtfName?: string;
}

export interface ObjectLoadOptions {
  logLevel?: number;
  privileged?: boolean;
  /** Verify every program (default true); see ProgLoadOptions.verify. */
  verify?: boolean;
  /** prog_flags for every program, added to those libbpf gives its section (BPF_F_STRICT_ALIGNMENT, ...). */
  progFlags?: number;
  /** Capabilities the verifier applies (default: all when privileged). */
  capabilities?: VerifierCapabilities;
  /** The engine of every program loaded, for its life (see ProgLoadOptions.engine for the default). */
  engine?: EngineName;
  /**
   * Load only these programs and the programs placed in prog arrays the object or a fixture initialises
   * (default: every program, as bpf_object__load does).
   */
  programs?: readonly string[];
  /**
   * A refused program not named in `programs` (every program when `programs` is absent): 'throw' (default,
   * as libbpf fails the whole load) or 'warn' (recorded in `warnings`, the load goes on without it).
   */
  onRefusal?: 'throw' | 'warn';
}

/** A program that was not loaded while the load went on (`onRefusal: 'warn'`). */
export interface ObjectWarning {
  readonly program: string;
  readonly section: string;
  readonly message: string;
  readonly cause: unknown;
}

/** One program of an object after load: its handle and how it was assembled from the object's functions. */
export interface LoadedObjectProgram {
  readonly name: string;
  readonly section: string;
  /** The type it was loaded as: from an override, a registered user type or the section name. */
  readonly type: string;
  /** The expected attach type (from an override or the section name), when there is one. */
  readonly expectedAttachType: string | undefined;
  readonly handle: ProgramHandle;
  readonly relocated: RelocatedProgram;
}

/** The type a program loads as, once overrides, registered user types and section names are weighed. */
export interface ResolvedProgramType {
  readonly type: string;
  readonly expectedAttachType: string | undefined;
}

/** Map types whose values belong to another object (a socket, a cgroup, ...) and that are created with max_entries 0. */
const STORAGE_MAP_TYPES = new Set([
  'sk_storage',
  'inode_storage',
  'task_storage',
  'cgrp_storage',
  'cgroup_storage',
  'percpu_cgroup_storage',
]);

const ZERO_KEY = new Uint8Array(4);

export class ObjectHandle {
  readonly object: BpfObject;
  /** Programs refused while the load went on (see `ObjectLoadOptions.onRefusal`). */
  readonly warnings: ObjectWarning[] = [];
  private readonly bpf: Bpf;
  private mapFdByIndex: number[] | undefined;
  private readonly loaded = new Map<string, LoadedObjectProgram>();
  private readonly typeOverrides = new Map<string, ProgramTypeOverride>();
  private readonly maxEntries = new Map<number, { value: number; source: string }>();
  /** Global data maps' initial values once a variable was set (copies; the object's stay as read). */
  private readonly initialValues = new Map<number, Uint8Array>();
  private readonly pendingEntries: { entry: ResolvedEntry; fixture: string }[] = [];
  /** The Kconfig table `.kconfig` externs are filled from: the reference kernel's, with the user's changes. */
  private readonly kconfig = referenceKconfig();
  private externs: ResolvedExterns | undefined;
  /** The kernel BTF given at open, as the types CO-RE and the verifier use; tsbpf's table when absent. */
  private readonly kernelTypes: KernelTypes | undefined;

  constructor(bpf: Bpf, bytes: Uint8Array, fileName: string, options: ObjectOpenOptions = {}) {
    this.bpf = bpf;
    this.object = openObject(bytes, fileName);
    if (options.kernelBtf !== undefined) {
      this.kernelTypes = kernelTypesFromBtf(options.kernelBtf, options.kernelBtfName ?? '<kernel BTF>');
    }
    for (const [name, override] of Object.entries(options.programs ?? {}))
      this.setProgramType(name, override);
    if (options.kconfig !== undefined) this.setKconfig(options.kconfig);
  }

  /** Sets `__kconfig` values before load (see ObjectOpenOptions.kconfig); null makes an option "not set". */
  setKconfig(values: Readonly<Record<string, string | number | bigint | boolean | null>>): this {
    this.beforeLoad('set kconfig values');
    for (const [name, value] of Object.entries(values)) {
      if (value === null) this.kconfig.delete(name);
      else this.kconfig.set(name, kconfigValueText(value));
    }
    return this;
  }

  /** Names of the programs (entry functions), in libbpf's order. */
  get programNames(): string[] {
    return this.object.functions.filter((f) => f.isProgram).map((f) => f.name);
  }

  get mapNames(): string[] {
    return this.object.maps.map((m) => m.name);
  }

  get isLoaded(): boolean {
    return this.mapFdByIndex !== undefined;
  }

  /** Overrides a program's type and/or expected attach type (before load). */
  setProgramType(program: string, override: ProgramTypeOverride): this {
    this.beforeLoad(`set the type of program '${program}'`);
    if (!this.programNames.includes(program)) {
      throw new ObjectError(
        this.object.fileName,
        `no program '${program}' (programs: ${this.programNames.join(', ')})`,
        { program },
      );
    }
    if (override.type !== undefined && this.userType(override.type) === undefined) {
      if (programTypeByName(override.type) === undefined || override.type === 'unspec') {
        throw new ObjectError(
          this.object.fileName,
          `prog '${program}': unknown program type '${override.type}'`,
          {
            program,
          },
        );
      }
    }
    if (
      override.expectedAttachType !== undefined &&
      attachTypeByName(override.expectedAttachType) === undefined
    ) {
      throw new ObjectError(
        this.object.fileName,
        `prog '${program}': unknown attach type '${override.expectedAttachType}'`,
        { program },
      );
    }
    this.typeOverrides.set(program, { ...this.typeOverrides.get(program), ...override });
    return this;
  }

  /** libbpf's bpf_map__set_max_entries: sizes a map (one declared with `max_entries 0`, typically) before load. */
  setMaxEntries(map: string, maxEntries: number): this {
    this.beforeLoad(`set max_entries of map '${map}'`);
    this.applyFixture({ maps: { [map]: { maxEntries } } }, 'setMaxEntries');
    return this;
  }

  /**
   * Sets a global variable of `.data`, `.rodata` or `.bss` by name, as `skel->rodata->x = ...` does: hex of its
   * size or JSON shaped by its BTF type. Before load any of them; after load `.data`/`.bss` only (the kernel
   * froze `.rodata`).
   */
  setGlobal(name: string, value: unknown): this {
    return this.applyFixture({ globals: { [name]: value } }, 'setGlobal');
  }

  /**
   * Declares one device, route or neighbour of a fixture in the Vm's namespace; re-declaring an identical device
   * (a fixture applied twice) is a no-op, anything else the namespace refuses is a FixtureError at its path.
   */
  private declareNetworkItem(item: ResolvedNetworkItem, source: string): void {
    const network = this.bpf.vm.network;
    try {
      if (item.kind === 'device') {
        const existing = network.interface(item.device.ifindex);
        const mac = item.device.mac ?? new Uint8Array(6);
        const same =
          existing !== undefined &&
          existing.name === item.device.name &&
          existing.mtu === (item.device.mtu ?? 1500) &&
          existing.forwarding === (item.device.forwarding ?? false) &&
          existing.up === (item.device.up ?? true) &&
          existing.addresses.length === (item.device.addresses ?? []).length &&
          existing.addresses.every(
            (a, i) =>
              a.prefixLength === item.device.addresses?.[i].prefixLength &&
              a.address.every((byte, j) => byte === item.device.addresses?.[i].address[j]),
          ) &&
          existing.mac.every((byte, i) => byte === mac[i]);
        if (!same) network.add(item.device);
      } else if (item.kind === 'route') {
        network.addRoute(item.route);
      } else if (item.kind === 'rule') {
        network.addRule(item.rule);
      } else if (item.kind === 'neighbour') {
        network.addNeighbour(item.neighbour);
      } else if (item.kind === 'socket') {
        network.addSocket(item.socket);
      } else if (item.kind === 'loopbackUp') {
        network.setUp(1, item.up);
      } else if (item.kind === 'netnsId') {
        network.setSelfId(item.id);
      } else if (item.kind === 'peer') {
        network.addPeer(item.id, item.network);
      } else {
        network.setCookie(item.cookie);
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new FixtureError(source, item.path, error.message, { cause: error });
    }
  }

  /**
   * Applies a fixture (`{maps: {NAME: {maxEntries, entries}}, globals: {VAR: value}}`): before load, sizes and
   * variables go into the maps' definitions and entries are written at load; after load, entries and
   * `.data`/`.bss` variables are written at once. `source` names the fixture in errors (FixtureError).
   */
  applyFixture(fixture: Fixture, source = '<fixture>'): this {
    if (fixture.kconfig !== undefined) {
      if (this.mapFdByIndex !== undefined) {
        throw new FixtureError(source, '$.kconfig', 'kconfig values are filled at load: give them before it');
      }
      this.setKconfig(fixture.kconfig);
    }
    for (const [i, entry] of (fixture.conntrack ?? []).entries()) {
      try {
        this.bpf.addConntrackEntry(entry);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new FixtureError(source, `$.conntrack[${i}]`, error.message, { cause: error });
      }
    }
    const resolved = resolveFixture(this.object, fixture, { fixture: source, cpus: this.bpf.cpus });
    // The namespace first: devmap entries written at load name its devices.
    for (const item of resolved.network) this.declareNetworkItem(item, source);
    if (this.mapFdByIndex === undefined) {
      for (const [index, value] of resolved.maxEntries) this.maxEntries.set(index, { value, source });
      for (const global of resolved.globals) {
        const current =
          this.initialValues.get(global.mapIndex) ?? this.object.maps[global.mapIndex].initialValue;
        const next = (current ?? new Uint8Array(this.object.maps[global.mapIndex].valueSize)).slice();
        next.set(global.bytes, global.offset);
        this.initialValues.set(global.mapIndex, next);
      }
      for (const entry of resolved.entries) this.pendingEntries.push({ entry, fixture: source });
      return this;
    }
    const [first] = resolved.maxEntries.keys();
    if (first !== undefined) {
      const name = this.object.maps[first].name;
      throw new FixtureError(
        source,
        `$.maps.${name}.maxEntries`,
        `map '${name}' exists already: size it before load`,
      );
    }
    for (const global of resolved.globals) {
      const definition = this.object.maps[global.mapIndex];
      if (definition.origin === 'rodata') {
        throw new FixtureError(
          source,
          global.path,
          `'${global.name}' is in ${definition.section}, frozen at load`,
        );
      }
      const fd = this.mapFdByIndex[global.mapIndex];
      // An array map always holds key 0; a lookup that missed would be a bug, so start from zeroes then.
      const value = this.bpf.mapLookup(fd, ZERO_KEY) ?? new Uint8Array(definition.valueSize);
      value.set(global.bytes, global.offset);
      this.bpf.mapUpdate(fd, ZERO_KEY, value);
    }
    for (const entry of resolved.entries) this.writeEntry(entry, source);
    return this;
  }

  /** Creates the maps, then relocates and loads the programs; throws BpfError/ProgLoadError/ObjectError. */
  load(options: ObjectLoadOptions = {}): this {
    this.beforeLoad(`load object '${this.object.name}'`);
    const required = options.programs ?? [];
    for (const name of required) {
      if (!this.programNames.includes(name)) {
        throw new ObjectError(
          this.object.fileName,
          `no program '${name}' (programs: ${this.programNames.join(', ')})`,
          { program: name },
        );
      }
    }
    const sizes = this.object.maps.map((definition, index) => this.sizeOf(definition, index));
    // libbpf resolves externs before it creates any map: a kconfig value that does not fit fails the load.
    this.externs = resolveExterns(this.object, this.kconfig);
    const kconfigIndex = this.object.maps.findIndex((m) => m.origin === 'kconfig');
    if (kconfigIndex >= 0) this.initialValues.set(kconfigIndex, this.externs.kconfig);
    const fds: number[] = [];
    this.mapFdByIndex = fds;
    for (const [index, definition] of this.object.maps.entries()) {
      fds.push(this.createMap(definition, sizes[index], this.initialValues.get(index)));
    }
    for (const { entry, fixture } of this.pendingEntries) {
      if (!('program' in entry.value)) this.writeEntry(entry, fixture);
    }
    // libbpf: a program in a `SEC("?...")` section has autoload off; it loads only when asked for.
    const autoloaded = this.programNames.filter(
      (name) => !this.object.functions.find((f) => f.isProgram && f.name === name)?.section.startsWith('?'),
    );
    const wanted = options.programs === undefined ? autoloaded : this.withPlacedPrograms(required);
    for (const name of wanted) {
      try {
        this.loadProgram(name, options);
      } catch (error) {
        if (required.includes(name) || (options.onRefusal ?? 'throw') === 'throw') throw error;
        const section = this.object.functions.find((f) => f.name === name)?.section ?? '';
        const message = error instanceof Error ? error.message : String(error);
        this.warnings.push({ program: name, section, message, cause: error });
      }
    }
    this.fillInitialSlots();
    for (const { entry, fixture } of this.pendingEntries) {
      if ('program' in entry.value) this.writeEntry(entry, fixture);
    }
    this.pendingEntries.length = 0;
    return this;
  }

  /** A loaded program by name. */
  program(name: string): LoadedObjectProgram {
    const program = this.loaded.get(name);
    if (program === undefined) {
      const warning = this.warnings.find((w) => w.program === name);
      throw new ObjectError(
        this.object.fileName,
        warning !== undefined
          ? `program '${name}' was refused: ${warning.message}`
          : `program '${name}' is not loaded (programs: ${this.programNames.join(', ')})`,
        { program: name },
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

  /** The type a program loads as: override, then a registered user type, then libbpf's section rules. */
  programType(name: string): ResolvedProgramType {
    const fn = this.object.functions.find((f) => f.isProgram && f.name === name);
    const section = fn?.section ?? '';
    const override = this.typeOverrides.get(name);
    const bySection = programTypeForSection(section);
    const userBySection = this.userType(section) ?? this.userType(section.split('/')[0]);
    const type = override?.type ?? userBySection ?? bySection?.programType;
    if (type === undefined) {
      throw new ObjectError(
        this.object.fileName,
        `prog '${name}': missing BPF prog type, check ELF section name '${section}' ` +
          `(or give the type: --type TYPE, setProgramType)`,
        { program: name, section },
      );
    }
    return { type, expectedAttachType: override?.expectedAttachType ?? bySection?.expectedAttachType };
  }

  private userType(name: string): string | undefined {
    return this.bpf.userProgramType(name)?.name;
  }

  private beforeLoad(what: string): void {
    if (this.mapFdByIndex !== undefined) {
      throw new ObjectError(
        this.object.fileName,
        `object '${this.object.name}' is already loaded: cannot ${what}`,
      );
    }
  }

  /** The requested programs and every program an initialised prog array (object or fixture) holds. */
  private withPlacedPrograms(required: readonly string[]): string[] {
    const placed = new Set<string>(required);
    for (const definition of this.object.maps) {
      if (mapTypeById(definition.type)?.name !== 'prog_array') continue;
      for (const target of definition.initialSlots?.values() ?? []) placed.add(target);
    }
    for (const { entry } of this.pendingEntries)
      if ('program' in entry.value) placed.add(entry.value.program);
    return this.programNames.filter((name) => placed.has(name));
  }

  private loadProgram(name: string, options: ObjectLoadOptions): void {
    const relocated = relocateProgram(this.object, name, {
      mapFd: (index) => this.mapFdByIndex![index],
      ...(this.externs !== undefined ? { externs: this.externs } : {}),
      ...(this.kernelTypes !== undefined ? { kernelTypes: this.kernelTypes } : {}),
    });
    const { type, expectedAttachType } = this.programType(name);
    const handle = this.progLoadReportingCoreRelocations(relocated, {
      type,
      insns: relocated.insns,
      license: this.object.license,
      name: name.slice(0, 15),
      logLevel: options.logLevel ?? 0,
      privileged: options.privileged ?? true,
      ...(expectedAttachType !== undefined ? { expectedAttachType } : {}),
      progFlags: (options.progFlags ?? 0) | (programTypeForSection(relocated.section)?.progFlags ?? 0),
      ...(options.verify !== undefined ? { verify: options.verify } : {}),
      ...(options.capabilities !== undefined ? { capabilities: options.capabilities } : {}),
      ...(options.engine !== undefined ? { engine: options.engine } : {}),
      ...(this.kernelTypes !== undefined ? { kernelTypes: this.kernelTypes } : {}),
      ...(this.object.btf !== undefined
        ? { btf: this.object.btf, funcInfo: relocated.funcInfo, lineInfo: relocated.lineInfo }
        : {}),
    });
    this.loaded.set(name, { name, section: relocated.section, type, expectedAttachType, handle, relocated });
  }

  /**
   * progLoad, and where the verifier reached an instruction a CO-RE relocation poisoned, the log as libbpf fixes
   * it up (fixup_log_failed_core_relo): the call and its error line give way to the relocation that failed.
   */
  private progLoadReportingCoreRelocations(
    relocated: RelocatedProgram,
    options: Parameters<Bpf['progLoad']>[0],
  ): ProgramHandle {
    try {
      return this.bpf.progLoad(options);
    } catch (error) {
      if (!(error instanceof ProgLoadError) || relocated.poisonedRelocations.length === 0) throw error;
      const match = /^(\d+): \(85\) call unknown#195896080\ninvalid func unknown#195896080\n/m.exec(
        error.log,
      );
      const poisoned = relocated.poisonedRelocations.find((p) => p.insn === Number(match?.[1]));
      if (match === null || poisoned === undefined) throw error;
      const line = `failed to resolve CO-RE relocation ${poisoned.spec}`;
      const log = error.log.replace(match[0], `${poisoned.insn}: <invalid CO-RE relocation>\n${line}\n`);
      throw new ProgLoadError(error.errno, line, log, error.insn, { cause: error });
    }
  }

  /** max_entries as the map will be created: fixture or setMaxEntries first, libbpf's defaults for 0. */
  private sizeOf(definition: MapDefinition, index: number): number {
    const given = this.maxEntries.get(index)?.value;
    if (given !== undefined) return given;
    if (definition.maxEntries !== 0 || definition.origin !== 'btf') return definition.maxEntries;
    const typeName = mapTypeById(definition.type)?.name;
    // libbpf: a perf event array without a size gets one slot per possible CPU.
    if (typeName === 'perf_event_array') return this.bpf.cpus;
    // Local and cgroup storages have no size: the kernel wants max_entries 0.
    if (typeName !== undefined && STORAGE_MAP_TYPES.has(typeName)) return 0;
    throw new ObjectError(
      this.object.fileName,
      `map '${definition.name}': max_entries is 0 (sized by user space before load): give it at ` +
        `$.maps.${definition.name}.maxEntries in a fixture (--maps FILE) or with setMaxEntries`,
      { map: definition.name, section: definition.section },
    );
  }

  private createMap(
    definition: MapDefinition,
    maxEntries: number,
    initialValue: Uint8Array | undefined,
  ): number {
    let innerMapFd: number | undefined;
    if (definition.inner !== undefined) {
      innerMapFd = this.createMap(definition.inner, definition.inner.maxEntries, undefined);
    }
    const fd = this.bpf.mapCreate({
      type: definition.type,
      keySize: definition.keySize,
      valueSize: definition.valueSize,
      maxEntries,
      flags: definition.flags,
      ...(definition.mapExtra === 0n ? {} : { mapExtra: definition.mapExtra }),
      // libbpf copies at most BPF_OBJ_NAME_LEN - 1 characters into the kernel's map_name.
      name: definition.name.slice(0, BPF_OBJ_NAME_LEN - 1),
      ...(innerMapFd === undefined ? {} : { innerMapFd }),
    });
    // libbpf creates the inner map only as a template for the outer one and closes it afterwards.
    if (innerMapFd !== undefined) this.bpf.close(innerMapFd);
    const value = initialValue ?? definition.initialValue;
    if (value !== undefined) this.bpf.mapUpdate(fd, ZERO_KEY, value);
    // libbpf freezes `.rodata` and `.kconfig` once filled: later user-space writes get EPERM, as from the kernel.
    if (definition.origin === 'rodata' || definition.origin === 'kconfig') this.bpf.mapFreeze(fd);
    return fd;
  }

  /** Writes one fixture entry; program and map names become the fds user space would pass. */
  private writeEntry(entry: ResolvedEntry, fixture: string): void {
    const fds = this.mapFdByIndex!;
    let value: Uint8Array;
    if ('program' in entry.value) {
      const program = this.loaded.get(entry.value.program);
      if (program === undefined) return; // refused: already a warning (or a thrown error)
      value = u32Bytes(program.handle.fd);
    } else if ('map' in entry.value) {
      value = u32Bytes(this.mapFd(entry.value.map));
    } else {
      value = entry.value.bytes;
    }
    try {
      this.bpf.mapUpdate(fds[entry.mapIndex], entry.key, value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new FixtureError(
        fixture,
        entry.path,
        `map '${this.object.maps[entry.mapIndex].name}': ${reason}`,
        {
          cause: error,
        },
      );
    }
  }

  /** `.values = { [i] = &prog_or_map }`: libbpf fills these slots once programs and maps exist. */
  private fillInitialSlots(): void {
    for (const [index, definition] of this.object.maps.entries()) {
      if (definition.initialSlots === undefined) continue;
      for (const [slot, target] of definition.initialSlots) {
        const program = this.loaded.get(target);
        if (program === undefined && this.warnings.some((w) => w.program === target)) continue;
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
        this.bpf.mapUpdate(this.mapFdByIndex![index], u32Bytes(slot), u32Bytes(targetFd));
      }
    }
  }
}

function u32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}
