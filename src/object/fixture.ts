// Run fixtures: map sizes, map entries and global variables for an object, read from JSON and resolved against
// the object's maps and BTF into bytes, the way a libbpf skeleton's user space prepares an object before load;
// and the network namespace (devices, routes, neighbours) the run's machine has.

import { mapTypeById } from '../abi/map-types.js';
import { BtfValueError, encodeBtfValue, encodeUnsigned } from '../btf/btf-value-encode.js';
import type { Btf } from '../btf/index.js';
import type { BpfObject, GlobalVariable, MapDefinition } from './bpf-object.js';
import {
  checkFixtureNetwork,
  type FixtureNetwork,
  NetworkShapeError,
  type ResolvedNetworkItem,
  resolveFixtureNetwork,
} from './fixture-network.js';

/**
 * `{ "maps": { NAME: { "maxEntries": N, "entries": [ { "key": K, "value": V } ] } }, "globals": { VAR: V } }`.
 * Keys and values are hex strings of exactly the key/value size, or JSON shaped by the map's BTF type.
 */
export interface Fixture {
  readonly maps?: Readonly<Record<string, FixtureMap>>;
  readonly globals?: Readonly<Record<string, unknown>>;
  /** The run's network namespace besides lo: devices, routes, neighbours (src/object/fixture-network.ts). */
  readonly network?: FixtureNetwork;
  /** `__kconfig` values by name (`CONFIG_HZ`, `LINUX_KERNEL_VERSION`): `.config` text, a number, a boolean, or null (not set). */
  readonly kconfig?: Readonly<Record<string, string | number | boolean | null>>;
  /** Connections the conntrack kfuncs find (Bpf.addConntrackEntry): tuple, protocol, status, mark, timeout. */
  readonly conntrack?: readonly FixtureConntrackEntry[];
}

export interface FixtureConntrackEntry {
  readonly saddr: string;
  readonly daddr: string;
  readonly sport: number;
  readonly dport: number;
  readonly proto: 'tcp' | 'udp' | number;
  readonly status?: number;
  readonly mark?: number;
  readonly timeout?: number;
  readonly zone?: number;
}

const CONNTRACK_KEYS = ['saddr', 'daddr', 'sport', 'dport', 'proto', 'status', 'mark', 'timeout', 'zone'];

export interface FixtureMap {
  readonly maxEntries?: number;
  readonly entries?: readonly FixtureEntry[];
}

/** Per-CPU maps take `value` (every CPU) or `values` (one per CPU); prog arrays and maps of maps take names. */
export interface FixtureEntry {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly values?: readonly unknown[];
}

/** A fixture that does not fit the object: names the fixture and the JSON path of the offending part. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
  readonly fixture: string;
  readonly path: string;
  readonly reason: string;

  constructor(fixture: string, path: string, reason: string, options?: { cause?: unknown }) {
    super(`${fixture}: ${path}: ${reason}`, options);
    this.fixture = fixture;
    this.path = path;
    this.reason = reason;
  }
}

/** One map entry in bytes; prog arrays and maps of maps hold a program or map name until fds exist. */
export interface ResolvedEntry {
  readonly mapIndex: number;
  readonly path: string;
  readonly key: Uint8Array;
  readonly value: { readonly bytes: Uint8Array } | { readonly program: string } | { readonly map: string };
}

/** Bytes of a global variable inside its data map's value. */
export interface ResolvedGlobal {
  readonly name: string;
  readonly path: string;
  readonly mapIndex: number;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface ResolvedFixture {
  readonly maxEntries: ReadonlyMap<number, number>;
  readonly entries: readonly ResolvedEntry[];
  readonly globals: readonly ResolvedGlobal[];
  /** Network declarations, applied before map entries (devmap entries name devices). */
  readonly network: readonly ResolvedNetworkItem[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON path component: `.name` for identifiers, `["..."]` otherwise. */
export function jsonPathMember(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** Parses fixture JSON text and checks its shape (not yet against an object). */
export function parseFixture(text: string, fixture = '<fixture>'): Fixture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(fixture, '$', `bad JSON: ${(error as Error).message}`, { cause: error });
  }
  return checkFixture(json, fixture);
}

/** Checks that a value has the fixture's shape; returns it typed. */
export function checkFixture(json: unknown, fixture = '<fixture>'): Fixture {
  if (!isRecord(json))
    throw new FixtureError(
      fixture,
      '$',
      'expected an object with "maps", "globals", "network", "kconfig" and/or "conntrack"',
    );
  for (const key of Object.keys(json)) {
    if (
      key !== 'maps' &&
      key !== 'globals' &&
      key !== 'network' &&
      key !== 'kconfig' &&
      key !== 'conntrack'
    ) {
      throw new FixtureError(
        fixture,
        jsonPathMember('$', key),
        'unknown key (expected "maps", "globals", "network", "kconfig" or "conntrack")',
      );
    }
  }
  if (json.conntrack !== undefined) {
    if (!Array.isArray(json.conntrack))
      throw new FixtureError(fixture, '$.conntrack', 'expected an array of entries');
    for (const [i, entry] of json.conntrack.entries()) {
      const path = `$.conntrack[${i}]`;
      if (!isRecord(entry))
        throw new FixtureError(fixture, path, 'expected {saddr, daddr, sport, dport, proto, ...}');
      for (const key of Object.keys(entry)) {
        if (!CONNTRACK_KEYS.includes(key)) {
          throw new FixtureError(
            fixture,
            jsonPathMember(path, key),
            `unknown key (expected ${CONNTRACK_KEYS.join(', ')})`,
          );
        }
      }
      for (const key of ['saddr', 'daddr']) {
        if (typeof entry[key] !== 'string')
          throw new FixtureError(fixture, `${path}.${key}`, 'expected an address');
      }
      for (const key of ['sport', 'dport', 'status', 'mark', 'timeout', 'zone']) {
        const value = entry[key];
        if (key !== 'sport' && key !== 'dport' && value === undefined) continue;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
          throw new FixtureError(fixture, `${path}.${key}`, 'expected an integer 0..4294967295');
        }
      }
      if (entry.proto !== 'tcp' && entry.proto !== 'udp' && entry.proto !== 6 && entry.proto !== 17) {
        throw new FixtureError(fixture, `${path}.proto`, 'expected "tcp" or "udp"');
      }
    }
  }
  if (json.kconfig !== undefined) {
    if (!isRecord(json.kconfig))
      throw new FixtureError(fixture, '$.kconfig', 'expected an object of option names');
    for (const [name, value] of Object.entries(json.kconfig)) {
      const ok =
        value === null ||
        typeof value === 'boolean' ||
        (typeof value === 'string' && !value.includes('\n')) ||
        (typeof value === 'number' && Number.isSafeInteger(value));
      if (!ok) {
        throw new FixtureError(
          fixture,
          jsonPathMember('$.kconfig', name),
          'expected .config text (y, m, n, "\\"text\\"", 250), an integer, a boolean or null',
        );
      }
    }
  }
  if (json.network !== undefined) {
    try {
      checkFixtureNetwork(json.network);
    } catch (error) {
      if (!(error instanceof NetworkShapeError)) throw error;
      throw new FixtureError(fixture, error.path, error.reason, { cause: error });
    }
  }
  if (json.globals !== undefined && !isRecord(json.globals)) {
    throw new FixtureError(fixture, '$.globals', 'expected an object of variable names');
  }
  if (json.maps !== undefined) {
    if (!isRecord(json.maps)) throw new FixtureError(fixture, '$.maps', 'expected an object of map names');
    for (const [name, map] of Object.entries(json.maps)) {
      const path = jsonPathMember('$.maps', name);
      if (!isRecord(map)) throw new FixtureError(fixture, path, 'expected {"maxEntries"?, "entries"?}');
      for (const key of Object.keys(map)) {
        if (key !== 'maxEntries' && key !== 'entries') {
          throw new FixtureError(
            fixture,
            jsonPathMember(path, key),
            'unknown key (expected "maxEntries" or "entries")',
          );
        }
      }
      const max = map.maxEntries;
      if (
        max !== undefined &&
        (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 0xffff_ffff)
      ) {
        throw new FixtureError(fixture, `${path}.maxEntries`, `expected an integer 1..4294967295`);
      }
      if (map.entries !== undefined) {
        if (!Array.isArray(map.entries))
          throw new FixtureError(fixture, `${path}.entries`, 'expected an array');
        for (const [i, entry] of map.entries.entries()) {
          const entryPath = `${path}.entries[${i}]`;
          if (!isRecord(entry)) throw new FixtureError(fixture, entryPath, 'expected {"key", "value"}');
          for (const key of Object.keys(entry)) {
            if (key !== 'key' && key !== 'value' && key !== 'values') {
              throw new FixtureError(
                fixture,
                jsonPathMember(entryPath, key),
                'unknown key (expected "key", "value" or "values")',
              );
            }
          }
          if ((entry.value === undefined) === (entry.values === undefined)) {
            throw new FixtureError(fixture, entryPath, 'give "value" (or "values" for a per-CPU map)');
          }
          if (entry.values !== undefined && !Array.isArray(entry.values)) {
            throw new FixtureError(fixture, `${entryPath}.values`, 'expected an array of per-CPU values');
          }
        }
      }
    }
  }
  return json as Fixture;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function hexToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** What a map's key or value is, for error messages and encoding. */
interface Slot {
  readonly what: 'key' | 'value';
  readonly size: number;
  readonly typeId: number;
}

/** Bytes for a key or value: hex of exactly `size` bytes, or JSON shaped by the BTF type. */
function slotBytes(
  btf: Btf | undefined,
  slot: Slot,
  json: unknown,
  fixture: string,
  path: string,
): Uint8Array {
  if (typeof json === 'string' && HEX.test(json) && json.length === slot.size * 2) return hexToBytes(json);
  if (
    (btf === undefined || slot.typeId === 0) &&
    typeof json !== 'string' &&
    [1, 2, 4, 8].includes(slot.size)
  ) {
    // No BTF type (prog arrays, `__uint(key_size, 4)`): an integer-sized key or value may be a number.
    try {
      return encodeUnsigned(json, slot.size, path);
    } catch (error) {
      if (!(error instanceof BtfValueError)) throw error;
      throw new FixtureError(
        fixture,
        path,
        `${error.reason} (the ${slot.what} is ${slot.size} bytes, no BTF type)`,
      );
    }
  }
  if (btf === undefined || slot.typeId === 0) {
    const got =
      typeof json === 'string' && HEX.test(json) ? `${json.length / 2} bytes` : JSON.stringify(json);
    throw new FixtureError(
      fixture,
      path,
      `expected ${slot.size} bytes of hex for the ${slot.what} (the map has no BTF type for it), got ${got}`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = encodeBtfValue(btf, slot.typeId, json, path);
  } catch (error) {
    if (!(error instanceof BtfValueError)) throw error;
    const hexHint =
      typeof json === 'string' && HEX.test(json)
        ? ` (as hex: ${json.length / 2} bytes given, the ${slot.what} has ${slot.size})`
        : '';
    throw new FixtureError(fixture, error.path, `${error.reason}${hexHint}`, { cause: error });
  }
  if (bytes.length !== slot.size) {
    throw new FixtureError(
      fixture,
      path,
      `the ${slot.what}'s BTF type is ${bytes.length} bytes but the map's ${slot.what}_size is ${slot.size}`,
    );
  }
  return bytes;
}

/** Which kind of values a map's entries hold, by kernel map type name. */
function mapKind(definition: MapDefinition): 'percpu' | 'prog_array' | 'map_of_maps' | 'plain' {
  const name = mapTypeById(definition.type)?.name ?? '';
  if (name === 'prog_array') return 'prog_array';
  if (name === 'array_of_maps' || name === 'hash_of_maps') return 'map_of_maps';
  if (name.includes('percpu')) return 'percpu';
  return 'plain';
}

const roundUp8 = (n: number) => Math.ceil(n / 8) * 8;

/** Every variable of the object's global data maps: name → where it lives (the first of a name wins). */
function globalVariables(object: BpfObject): Map<string, GlobalVariable & { mapIndex: number }> {
  const variables = new Map<string, GlobalVariable & { mapIndex: number }>();
  for (const [mapIndex, map] of object.maps.entries()) {
    for (const variable of map.variables ?? []) {
      if (!variables.has(variable.name)) variables.set(variable.name, { ...variable, mapIndex });
    }
  }
  return variables;
}

/**
 * Resolves a fixture against an opened object: map names, variable names and every key and value to bytes
 * (per-CPU values laid out for `cpus` CPUs, as user space passes them). Throws FixtureError.
 */
export function resolveFixture(
  object: BpfObject,
  fixture: Fixture,
  options: { fixture?: string; cpus?: number } = {},
): ResolvedFixture {
  const file = options.fixture ?? '<fixture>';
  const cpus = options.cpus ?? 1;
  const checked = checkFixture(fixture, file);
  const maxEntries = new Map<number, number>();
  const entries: ResolvedEntry[] = [];
  const mapNames = object.maps.map((m) => m.name);
  for (const [name, map] of Object.entries(checked.maps ?? {})) {
    const path = jsonPathMember('$.maps', name);
    const mapIndex = mapNames.indexOf(name);
    if (mapIndex < 0) {
      throw new FixtureError(
        file,
        path,
        `map '${name}' is not in ${object.fileName} (maps: ${mapNames.join(', ')})`,
      );
    }
    const definition = object.maps[mapIndex];
    if (map.maxEntries !== undefined) {
      if (definition.origin !== 'btf') {
        throw new FixtureError(file, `${path}.maxEntries`, `map '${name}' is global data: its size is fixed`);
      }
      maxEntries.set(mapIndex, map.maxEntries);
    }
    const kind = mapKind(definition);
    const key: Slot = { what: 'key', size: definition.keySize, typeId: definition.btfKeyTypeId };
    const value: Slot = { what: 'value', size: definition.valueSize, typeId: definition.btfValueTypeId };
    for (const [i, entry] of (map.entries ?? []).entries()) {
      const entryPath = `${path}.entries[${i}]`;
      const keyBytes =
        entry.key === undefined && definition.keySize === 0
          ? new Uint8Array(0)
          : slotBytes(object.btf, key, entry.key, file, `${entryPath}.key`);
      if (kind === 'prog_array' || kind === 'map_of_maps') {
        const target = entry.value;
        const wanted = kind === 'prog_array' ? 'program' : 'map';
        if (typeof target !== 'string' || entry.values !== undefined) {
          throw new FixtureError(
            file,
            `${entryPath}.value`,
            `expected the name of a ${wanted} of the object`,
          );
        }
        const known =
          kind === 'prog_array'
            ? object.functions.some((f) => f.isProgram && f.name === target)
            : mapNames.includes(target);
        if (!known) {
          throw new FixtureError(
            file,
            `${entryPath}.value`,
            `${wanted} '${target}' is not in ${object.fileName}`,
          );
        }
        entries.push({
          mapIndex,
          path: entryPath,
          key: keyBytes,
          value: kind === 'prog_array' ? { program: target } : { map: target },
        });
        continue;
      }
      if (kind !== 'percpu' && entry.values !== undefined) {
        throw new FixtureError(file, `${entryPath}.values`, `map '${name}' is not per-CPU: give "value"`);
      }
      let valueBytes: Uint8Array;
      if (kind === 'percpu') {
        const stride = roundUp8(definition.valueSize);
        const perCpu = entry.values ?? Array.from({ length: cpus }, () => entry.value);
        if (perCpu.length !== cpus) {
          throw new FixtureError(
            file,
            `${entryPath}.values`,
            `expected ${cpus} values (one per possible CPU), got ${perCpu.length}`,
          );
        }
        valueBytes = new Uint8Array(stride * cpus);
        perCpu.forEach((one, cpu) => {
          const onePath = entry.values === undefined ? `${entryPath}.value` : `${entryPath}.values[${cpu}]`;
          valueBytes.set(slotBytes(object.btf, value, one, file, onePath), cpu * stride);
        });
      } else {
        valueBytes = slotBytes(object.btf, value, entry.value, file, `${entryPath}.value`);
      }
      entries.push({ mapIndex, path: entryPath, key: keyBytes, value: { bytes: valueBytes } });
    }
  }
  const globals: ResolvedGlobal[] = [];
  const variables = globalVariables(object);
  for (const [name, json] of Object.entries(checked.globals ?? {})) {
    const path = jsonPathMember('$.globals', name);
    const variable = variables.get(name);
    if (variable === undefined) {
      const known = [...variables.keys()];
      throw new FixtureError(
        file,
        path,
        `no global variable '${name}' in .data, .rodata or .bss of ${object.fileName}` +
          (known.length > 0 ? ` (variables: ${known.join(', ')})` : ''),
      );
    }
    let bytes: Uint8Array;
    if (typeof json === 'string' && HEX.test(json) && json.length === variable.size * 2) {
      bytes = hexToBytes(json);
    } else {
      bytes = slotBytes(
        object.btf,
        { what: 'value', size: variable.size, typeId: variable.typeId },
        json,
        file,
        path,
      );
    }
    globals.push({ name, path, mapIndex: variable.mapIndex, offset: variable.offset, bytes });
  }
  return { maxEntries, entries, globals, network: resolveFixtureNetwork(checked.network) };
}
