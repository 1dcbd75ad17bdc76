// Checks the program/attach/map type tables against <linux/bpf.h>, the running kernel's BTF, and libbpf 1.1.2's names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireEnvironment } from '../../test/require-environment.js';
import { MAP_TYPES } from './map-types.js';
import { ATTACH_TYPES, PROGRAM_TYPES } from './program-types.js';

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

describe('type names', () => {
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

/** Compile a C program with gcc and run it; stdout lines. */
function runC(dir: string, name: string, source: string, libs: string[], stdin = ''): string[] {
  const cPath = join(dir, `${name}.c`);
  const exePath = join(dir, name);
  writeFileSync(cPath, source);
  execFileSync('gcc', ['-O1', '-o', exePath, cPath, ...libs], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out = execFileSync(exePath, { input: stdin, maxBuffer: 64 * 1024 * 1024 }).toString();
  return out.split('\n').filter((line) => line.length > 0);
}
