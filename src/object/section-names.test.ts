// Checks libbpf's section-name table against libbpf 1.1.2 itself (libbpf_prog_type_by_name, libbpf_attach_type_by_name).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ATTACH_TYPES, BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS } from '../abi/program-types.js';
import { attachTypeForSection, programTypeForSection, SECTION_DEFS } from './section-names.js';

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-sections-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

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
