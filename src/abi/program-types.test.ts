// Checks the program/attach type tables against <linux/bpf.h>, the running kernel's BTF, and libbpf 1.1.2 itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireEnvironment } from '../../test/require-environment.js';
import { MAP_TYPES } from './map-types.js';
import {
  ATTACH_TYPES,
  attachTypeForSection,
  BPF_F_SLEEPABLE,
  BPF_F_XDP_HAS_FRAGS,
  PROGRAM_TYPES,
  programTypeForSection,
  SECTION_DEFS,
} from './program-types.js';

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-abi-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** `enum name { A, B = 3, C = B, ... }` from C source: name → value (aliases resolved). */
function parseCEnum(source: string, enumName: string): Map<string, number> {
  const start = source.indexOf(`enum ${enumName} {`);
  if (start < 0) throw new Error(`enum ${enumName} not found`);
  const body = source.slice(start, source.indexOf('};', start)).replace(/\/\*[\s\S]*?\*\//g, '');
  const values = new Map<string, number>();
  let next = 0;
  for (const match of body.matchAll(/^\s*(\w+)\s*(?:=\s*(\w+))?\s*,?/gm)) {
    const [, name, given] = match;
    if (name === 'enum' || name.startsWith('__')) continue;
    const value = given === undefined ? next : /^\d+$/.test(given) ? Number(given) : values.get(given);
    if (value === undefined) throw new Error(`cannot resolve ${given}`);
    values.set(name, value);
    next = value + 1;
  }
  return values;
}

const header = readFileSync('/usr/include/linux/bpf.h', 'utf8');

const tables = [
  { enumName: 'bpf_prog_type', table: PROGRAM_TYPES },
  { enumName: 'bpf_attach_type', table: ATTACH_TYPES },
  { enumName: 'bpf_map_type', table: MAP_TYPES },
] as const;

describe('enums', () => {
  for (const { enumName, table } of tables) {
    it(`every ${enumName} of <linux/bpf.h> has the same id in our table`, () => {
      const fromHeader = parseCEnum(header, enumName);
      expect(fromHeader.size).toBeGreaterThan(10);
      const ours = new Map<string, number>(table.map((entry) => [entry.kernelName, entry.id]));
      for (const [name, value] of fromHeader) {
        // The deprecated spellings of 6.x alias the names the 6.1 header uses.
        expect(ours.get(name) ?? ours.get(name.replace(/_DEPRECATED$/, '')), name).toBe(value);
      }
      const ids = table.map((entry) => entry.id);
      expect(ids).toEqual([...ids.keys()]);
    });
  }

  const vmlinux = '/sys/kernel/btf/vmlinux';
  const kernelBtf = requireEnvironment(
    'kernel enum comparison',
    !existsSync(vmlinux)
      ? `no ${vmlinux}`
      : !commandExists('bpftool')
        ? 'no bpftool (scripts/install-deps.sh installs it)'
        : null,
  );
  kernelBtf.it('equal the running kernel enums (BTF of vmlinux)', () => {
    const dumped = execFileSync('bpftool', ['btf', 'dump', 'file', vmlinux, 'format', 'c'], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    for (const { enumName, table } of tables) {
      const kernel = [...parseCEnum(dumped, enumName)].filter(([name]) => !name.endsWith('_DEPRECATED'));
      const ours = table.map((entry) => [entry.kernelName, entry.id]);
      // Our table is 6.18; a newer kernel may add values at the end, never change old ones.
      expect(kernel.slice(0, ours.length)).toEqual(ours);
    }
  });
});

function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Section names to ask libbpf about: every prefix bare, with suffixes, and near misses. */
function sectionNameCorpus(): string[] {
  const names = new Set<string>(['', '/', 'socket/1', 'xdp/foo', 'xdp_frags', 'tc/ingress', 'classifier/x']);
  for (const def of SECTION_DEFS) {
    const p = def.prefix;
    for (const name of [
      p,
      `${p}/`,
      `${p}/foo`,
      `${p}/a/b`,
      `${p}x`,
      `${p}.s`,
      `${p}_`,
      p.slice(0, -1),
      `x${p}`,
    ]) {
      names.add(name);
    }
  }
  for (const name of [
    'kprobe.multi/x*',
    'uprobe.s//bin/sh:main',
    'cgroup/skbx',
    'SOCKET',
    'license',
    'maps',
    '.text',
  ]) {
    names.add(name);
  }
  return [...names];
}

describe('programTypeForSection against libbpf 1.1.2', () => {
  const names = sectionNameCorpus();
  const source = `#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
static int silent(enum libbpf_print_level l, const char *f, va_list a) { return 0; }
int main(int argc, char **argv) {
  char line[4096];
  libbpf_set_print(silent);
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\\n")] = 0;
    enum bpf_prog_type type = 0; enum bpf_attach_type attach = 0, attachable = 0;
    int err = libbpf_prog_type_by_name(line, &type, &attach);
    int attachErr = libbpf_attach_type_by_name(line, &attachable);
    printf("%d %d %d %d %d\\n", err, (int)type, (int)attach, attachErr, (int)attachable);
  }
  return 0;
}`;
  const results = runC(workDir, 'sections', source, ['-lbpf'], `${names.join('\n')}\n`);

  it('agrees on every name, prefix and near miss', () => {
    expect(results.length).toBe(names.length);
    names.forEach((name, index) => {
      const [err, type, attach, attachErr, attachable] = results[index].split(' ').map(Number);
      const ours = programTypeForSection(name);
      if (err !== 0) {
        expect(ours, name).toBeUndefined();
      } else {
        expect(ours?.programTypeId, name).toBe(type);
        expect(ours?.expectedAttachTypeId, name).toBe(attach);
      }
      const ourAttach = attachTypeForSection(name);
      if (attachErr !== 0) expect(ourAttach, name).toBeUndefined();
      else expect(ATTACH_TYPES.find((t) => t.name === ourAttach)?.id, name).toBe(attachable);
    });
  });

  it('prints program, map and attach type names as libbpf does', () => {
    const printer = `#include <stdio.h>
#include <bpf/libbpf.h>
int main(void) {
  for (int i = 0; i < 256; i++) { const char *s = libbpf_bpf_prog_type_str(i); if (s) printf("prog %d %s\\n", i, s); }
  for (int i = 0; i < 256; i++) { const char *s = libbpf_bpf_map_type_str(i); if (s) printf("map %d %s\\n", i, s); }
  for (int i = 0; i < 256; i++) { const char *s = libbpf_bpf_attach_type_str(i); if (s) printf("attach %d %s\\n", i, s); }
  return 0;
}`;
    const lines = runC(workDir, 'names', printer, ['-lbpf']);
    const byKind = { prog: PROGRAM_TYPES, map: MAP_TYPES, attach: ATTACH_TYPES } as const;
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) {
      const [kind, id, name] = line.split(' ') as [keyof typeof byKind, string, string];
      expect(byKind[kind].find((entry) => entry.id === Number(id))?.name, line).toBe(name);
    }
  });
});

describe('section flags', () => {
  it('sets the load flags libbpf adds', () => {
    expect(programTypeForSection('fentry.s/do_nanosleep')?.progFlags).toBe(BPF_F_SLEEPABLE);
    expect(programTypeForSection('xdp.frags')?.progFlags).toBe(BPF_F_XDP_HAS_FRAGS);
    expect(programTypeForSection('xdp')?.progFlags).toBe(0);
    expect(programTypeForSection('syscall')?.progFlags).toBe(BPF_F_SLEEPABLE);
  });
  it('is exact where libbpf 1.x is exact', () => {
    expect(programTypeForSection('socket')?.programType).toBe('socket_filter');
    expect(programTypeForSection('socket/0')).toBeUndefined();
    expect(programTypeForSection('tc')?.programType).toBe('sched_cls');
    expect(programTypeForSection('action')?.programType).toBe('sched_act');
    expect(programTypeForSection('kprobe/sys_open')?.programType).toBe('kprobe');
    expect(programTypeForSection('kprobesys_open')).toBeUndefined();
    expect(programTypeForSection('tp/syscalls/sys_enter_open')?.programType).toBe('tracepoint');
    expect(programTypeForSection('cgroup_skb/ingress')?.expectedAttachType).toBe('cgroup_inet_ingress');
  });
});

/** Compile a C program with gcc and run it; stdout lines. */
function runC(dir: string, name: string, source: string, libs: string[], stdin = ''): string[] {
  const cPath = join(dir, `${name}.c`);
  const exePath = join(dir, name);
  writeFileSync(cPath, source);
  execFileSync('gcc', ['-O1', '-o', exePath, cPath, ...libs], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out = execFileSync(exePath, { input: stdin, maxBuffer: 64 * 1024 * 1024 }).toString();
  return out.split('\n').filter((line) => line.length > 0);
}
