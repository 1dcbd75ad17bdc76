// Map dumps in bpftool's shapes: `bpftool map dump -j` entries (hex `key`/`value` plus BTF `formatted`) and its
// plain-text layout, for every map of a loaded object, global data maps (.data/.rodata/.bss) included.

import type { Bpf } from '../api/bpf.js';
import type { ObjectHandle } from '../api/object-handle.js';
import type { Btf } from '../btf/btf.js';
import { BtfError } from '../btf/btf-error.js';
import {
  type BtfValueNode,
  btfValueToJson,
  btfValueToPretty,
  formatBtfValue,
} from '../btf/btf-value-format.js';

/** Map types the kernel creates without BTF (map_check_no_btf), so bpftool has no `formatted` for them. */
const NO_BTF_MAP_TYPES = new Set([
  'prog_array',
  'perf_event_array',
  'cgroup_array',
  'array_of_maps',
  'hash_of_maps',
]);

/** One map of an object as dumped: every entry as `bpftool map dump -j` prints it. */
export interface MapDump {
  readonly name: string;
  readonly type: string;
  readonly keySize: number;
  readonly valueSize: number;
  /** Each entry is an object node: key, value (or values per CPU), formatted. */
  readonly entries: readonly BtfValueNode[];
  /** Entries printed without `formatted` because their BTF type cannot be formatted (the reason, once). */
  readonly formatError?: string;
  /** The map has BTF for its value: bpftool prints its plain-text dump as pretty JSON. */
  readonly hasBtf: boolean;
  /** bpftool's plain-text formatting of each entry (bitfields as bare hex, pointers as %p), for maps with BTF. */
  readonly textEntries: readonly BtfValueNode[];
  /** Raw user-space entries (per-CPU values concatenated, 8-byte aligned each) for the plain layout. */
  readonly raw: readonly { readonly key: Uint8Array; readonly value: Uint8Array }[];
}

export interface MapBtfInfo {
  readonly btf?: Btf;
  readonly keyTypeId: number;
  readonly valueTypeId: number;
}

const hexArray = (bytes: Uint8Array): BtfValueNode => ({
  kind: 'array',
  items: Array.from(bytes, (byte) => ({ kind: 'string', value: `0x${byte.toString(16).padStart(2, '0')}` })),
});
const intNode = (value: number): BtfValueNode => ({ kind: 'number', text: String(value) });
const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Every map of a loaded object (or only `only`) in bpftool's shape. */
export function dumpObjectMaps(bpf: Bpf, object: ObjectHandle, only?: string): MapDump[] {
  const names = only === undefined ? object.mapNames : [only];
  return names.map((name) => {
    const fd = object.mapFd(name);
    const definition = object.object.maps.find((map) => map.name === name);
    return dumpMap(bpf, fd, name, {
      ...(object.object.btf === undefined ? {} : { btf: object.object.btf }),
      keyTypeId: definition?.btfKeyTypeId ?? 0,
      valueTypeId: definition?.btfValueTypeId ?? 0,
    });
  });
}

/** One map's entries as bpftool prints them (`formatted` when the map has a BTF value type). */
export function dumpMap(bpf: Bpf, fd: number, name: string, info: MapBtfInfo): MapDump {
  const map = bpf.map(fd);
  const type = map.typeName;
  const percpu = type.includes('percpu');
  const btf = NO_BTF_MAP_TYPES.has(type) || info.valueTypeId === 0 ? undefined : info.btf;
  const raw = bpf.mapDump(fd);
  let formatError: string | undefined;
  const cpus = percpu ? bpf.cpus : 1;
  const perCpu = (value: Uint8Array, cpu: number): Uint8Array => {
    const step = roundUp8(map.valueSize);
    return value.subarray(cpu * step, cpu * step + map.valueSize);
  };
  const textEntries: BtfValueNode[] = [];
  const entries = raw.map((entry): BtfValueNode => {
    const members: [string, BtfValueNode][] = [['key', hexArray(entry.key)]];
    if (percpu) {
      const values: BtfValueNode[] = [];
      for (let cpu = 0; cpu < cpus; cpu++) {
        values.push({
          kind: 'object',
          members: [
            ['cpu', intNode(cpu)],
            ['value', hexArray(perCpu(entry.value, cpu))],
          ],
        });
      }
      members.push(['values', { kind: 'array', items: values }]);
    } else {
      // bpftool 7.1 prints a map-in-map's inner map id as the value bytes only (later versions add inner_map_id).
      members.push(['value', hexArray(entry.value)]);
    }
    if (btf !== undefined && formatError === undefined) {
      try {
        members.push(['formatted', formatted(btf, info, entry, percpu ? cpus : 0, perCpu, false)]);
        textEntries.push(formatted(btf, info, entry, percpu ? cpus : 0, perCpu, true));
      } catch (error) {
        if (!(error instanceof BtfError)) throw error;
        formatError = error.message;
      }
    }
    return { kind: 'object', members };
  });
  return {
    name,
    type,
    keySize: map.keySize,
    valueSize: map.valueSize,
    entries,
    hasBtf: btf !== undefined,
    textEntries,
    raw,
    ...(formatError === undefined ? {} : { formatError }),
  };
}

/** bpftool's do_dump_btf: {key?, value} or {key?, values: [{cpu, value}]}. */
function formatted(
  btf: Btf,
  info: MapBtfInfo,
  entry: { key: Uint8Array; value: Uint8Array },
  cpus: number,
  perCpu: (value: Uint8Array, cpu: number) => Uint8Array,
  plainText: boolean,
): BtfValueNode {
  const options = { plainText };
  const members: [string, BtfValueNode][] = [];
  if (info.keyTypeId !== 0) members.push(['key', formatBtfValue(btf, info.keyTypeId, entry.key, options)]);
  if (cpus === 0) {
    members.push(['value', formatBtfValue(btf, info.valueTypeId, entry.value, options)]);
  } else {
    const values: BtfValueNode[] = [];
    for (let cpu = 0; cpu < cpus; cpu++) {
      values.push({
        kind: 'object',
        members: [
          ['cpu', intNode(cpu)],
          ['value', formatBtfValue(btf, info.valueTypeId, perCpu(entry.value, cpu), options)],
        ],
      });
    }
    members.push(['values', { kind: 'array', items: values }]);
  }
  return { kind: 'object', members };
}

/** `--json`: [{name, type, entries}] where `entries` is exactly what `bpftool map dump -j` prints for the map. */
export function mapDumpsToJson(dumps: readonly MapDump[]): string {
  const node: BtfValueNode = {
    kind: 'array',
    items: dumps.map((dump) => ({
      kind: 'object',
      members: [
        ['name', { kind: 'string', value: dump.name }],
        ['type', { kind: 'string', value: dump.type }],
        ['entries', { kind: 'array', items: dump.entries }],
      ],
    })),
  };
  return btfValueToJson(node);
}

/** bpftool's fprint_hex: bytes separated by a space, two spaces after every 8th, a line break after every 16th. */
function hexText(bytes: Uint8Array): string {
  let out = '';
  bytes.forEach((byte, i) => {
    if (i > 0) out += i % 16 === 0 ? '\n' : i % 8 === 0 ? '  ' : ' ';
    out += byte.toString(16).padStart(2, '0');
  });
  return out;
}

/**
 * Plain text as `bpftool map dump` prints it, under one header line per map: maps with BTF as bpftool's pretty
 * JSON (with `formatted` contents only), others as `key: .. value: ..` lines and `Found N elements`.
 */
export function mapDumpsToText(dumps: readonly MapDump[]): string[] {
  const lines: string[] = [];
  for (const dump of dumps) {
    lines.push(`map ${dump.name} (${dump.type}):`);
    if (dump.formatError !== undefined) lines.push(`(no BTF formatting: ${dump.formatError})`);
    if (dump.hasBtf && dump.formatError === undefined) {
      lines.push(btfValueToPretty({ kind: 'array', items: dump.textEntries }, 0));
      continue;
    }
    for (const entry of dump.raw) lines.push(...plainEntry(dump, entry));
    lines.push(`Found ${dump.raw.length} element${dump.raw.length === 1 ? '' : 's'}`);
  }
  return lines;
}

/** bpftool's print_entry_plain. */
function plainEntry(dump: MapDump, entry: { key: Uint8Array; value: Uint8Array }): string[] {
  const percpu = dump.type.includes('percpu');
  if (!percpu) {
    const breakNames = dump.keySize > 16 || dump.valueSize > 16;
    const singleLine = dump.keySize + dump.valueSize <= 24 && !breakNames;
    let text = '';
    if (dump.keySize > 0)
      text += `key:${breakNames ? '\n' : ' '}${hexText(entry.key)}${singleLine ? '  ' : '\n'}`;
    if (dump.valueSize > 0) text += `value:${breakNames ? '\n' : ' '}${hexText(entry.value)}`;
    return text.split('\n');
  }
  const lines: string[] = [];
  if (dump.keySize > 0) lines.push('key:', ...hexText(entry.key).split('\n'));
  const step = roundUp8(dump.valueSize);
  for (let cpu = 0; cpu * step < entry.value.length; cpu++) {
    const value = entry.value.subarray(cpu * step, cpu * step + dump.valueSize);
    const head = `value (CPU ${String(cpu).padStart(2, '0')}):`;
    const text = `${head}${dump.valueSize > 16 ? '\n' : ' '}${hexText(value)}`;
    lines.push(...text.split('\n'));
  }
  return lines;
}
