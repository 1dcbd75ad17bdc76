// The committed corpus of BPF objects (test/progs/*.o) as tests iterate it.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bpf } from '../src/api/bpf.js';
import type { ObjectHandle } from '../src/api/object-handle.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROGS_DIR = join(REPO_ROOT, 'test', 'progs');

export interface CorpusObject {
  /** Path relative to the repository root, as tools print it. */
  path: string;
  absolutePath: string;
  bytes: Uint8Array;
}

/** Every committed corpus object, sorted by name. */
export function corpusObjects(): CorpusObject[] {
  return readdirSync(PROGS_DIR)
    .filter((name) => name.endsWith('.o'))
    .sort()
    .map((name) => {
      const absolutePath = join(PROGS_DIR, name);
      return {
        path: relative(REPO_ROOT, absolutePath),
        absolutePath,
        bytes: new Uint8Array(readFileSync(absolutePath)),
      };
    });
}

/** The folders of test/progs whose objects the verifier corpus tests add to the top level's. */
const SUBDIRS = ['net', 'configured', 'newer-isa'] as const;

/** What libbpf (the oracle) and tsbpf must be told before an object of the sub-folders loads. */
export interface CorpusConfiguration {
  /** Program name → libbpf program type, for a section libbpf cannot type. */
  readonly types?: Readonly<Record<string, string>>;
  /** Map name → max_entries, for a map sized by user space. */
  readonly maxEntries?: Readonly<Record<string, number>>;
  /** The kernel BTF tsbpf opens the object with (libbpf takes the running kernel's own): types outside the table. */
  readonly kernelBtf?: string;
}

/** test/progs/configured's needs (test/progs/README.md); every other object loads as it is. */
const CONFIGURATIONS: Readonly<Record<string, CorpusConfiguration>> = {
  'test/progs/configured/custom_section.o': { types: { xdp_vlan_filter: 'xdp' } },
  'test/progs/configured/sized_maps.o': { maxEntries: { filter_ports: 16, action_counters: 2 } },
  'test/progs/net/kbtf_core.o': { kernelBtf: '/sys/kernel/btf/vmlinux' },
};

export interface SubdirCorpusObject extends CorpusObject {
  readonly configuration: CorpusConfiguration;
}

/**
 * The committed objects of test/progs/net, configured and newer-isa, sorted by path, each with its
 * configuration. Their programs include ones the kernel refuses (`SEC("?...")` misuse) and ones libbpf refuses.
 */
export function subdirCorpusObjects(): SubdirCorpusObject[] {
  return SUBDIRS.flatMap((sub) => {
    const dir = join(PROGS_DIR, sub);
    return readdirSync(dir)
      .filter((name) => name.endsWith('.o'))
      .sort()
      .map((name) => {
        const absolutePath = join(dir, name);
        const path = relative(REPO_ROOT, absolutePath);
        return {
          path,
          absolutePath,
          bytes: new Uint8Array(readFileSync(absolutePath)),
          configuration: CONFIGURATIONS[path] ?? {},
        };
      });
  });
}

/** Opens a sub-folder object in tsbpf with its configuration applied, as the oracle applies it to libbpf. */
export function openConfigured(bpf: Bpf, object: SubdirCorpusObject): ObjectHandle {
  const { types = {}, maxEntries = {}, kernelBtf } = object.configuration;
  const programs = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
  const handle = bpf.openObject(object.bytes, object.path, {
    programs,
    ...(kernelBtf !== undefined
      ? { kernelBtf: new Uint8Array(readFileSync(kernelBtf)), kernelBtfName: kernelBtf }
      : {}),
  });
  for (const [map, entries] of Object.entries(maxEntries)) handle.setMaxEntries(map, entries);
  return handle;
}
