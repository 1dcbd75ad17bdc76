// Checks context layouts against offsetof() in <linux/bpf.h> and the access rules against the kernel's verifier.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT_LAYOUTS, checkContextAccess, SK_BUFF_FIELDS, XDP_MD_FIELDS } from './context.js';

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-ctx-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runC(name: string, source: string, args: string[] = [], libs: string[] = []): string {
  const cPath = join(workDir, `${name}.c`);
  writeFileSync(cPath, source);
  execFileSync('gcc', ['-O1', '-o', join(workDir, name), cPath, ...libs]);
  return execFileSync(join(workDir, name), args).toString();
}

describe('layouts', () => {
  const realFields = (fields: typeof SK_BUFF_FIELDS) => fields.filter((field) => field.kind !== 'padding');
  const printer = (struct: string, fields: typeof SK_BUFF_FIELDS) =>
    `#include <stdio.h>
#include <stddef.h>
#include <linux/bpf.h>
#define SHOW(f) printf("%s %zu %zu\\n", #f, offsetof(struct ${struct}, f), sizeof(((struct ${struct} *)0)->f));
int main(void) {
  printf("sizeof %zu 0\\n", sizeof(struct ${struct}));
${realFields(fields)
  .map((field) => `  SHOW(${field.name})`)
  .join('\n')}
  return 0;
}`;
  for (const [struct, fields] of [
    ['__sk_buff', SK_BUFF_FIELDS],
    ['xdp_md', XDP_MD_FIELDS],
  ] as const) {
    it(`${struct} offsets and sizes equal offsetof()`, () => {
      const lines = runC(struct, printer(struct, fields)).trim().split('\n');
      const [, size] = lines[0].split(' ');
      const layout = Object.values(CONTEXT_LAYOUTS).find((candidate) => candidate?.structName === struct);
      expect(layout?.size).toBe(Number(size));
      const expected = lines.slice(1).map((line) => {
        const [name, offset, fieldSize] = line.split(' ');
        return { name, offset: Number(offset), size: Number(fieldSize) };
      });
      expect(realFields(fields).map(({ name, offset, size: s }) => ({ name, offset, size: s }))).toEqual(
        expected,
      );
    });
  }
  it('leaves no byte of the structs uncovered', () => {
    for (const layout of Object.values(CONTEXT_LAYOUTS)) {
      let end = 0;
      for (const field of layout!.fields) {
        if (field.offset > end) expect.fail(`${layout!.structName} gap at ${end}`);
        end = Math.max(end, field.offset + field.size);
      }
      expect(end).toBe(layout!.size);
    }
  });
});

describe('access rules', () => {
  it('follow the kernel for socket filters and tc', () => {
    expect(checkContextAccess('socket_filter', 0, 4, 'read')?.field.name).toBe('len');
    expect(checkContextAccess('socket_filter', 2, 2, 'read')?.field.name).toBe('len');
    expect(checkContextAccess('socket_filter', 0, 8, 'read')).toBeUndefined();
    expect(checkContextAccess('socket_filter', 0, 4, 'write')).toBeUndefined();
    expect(checkContextAccess('socket_filter', 48, 8, 'write')?.field.name).toBe('cb');
    expect(checkContextAccess('socket_filter', 64, 8, 'read')).toBeUndefined();
    expect(checkContextAccess('socket_filter', 76, 4, 'read')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 76, 4, 'read')?.loadType).toBe('PTR_TO_PACKET');
    expect(checkContextAccess('sched_cls', 80, 4, 'read')?.loadType).toBe('PTR_TO_PACKET_END');
    expect(checkContextAccess('sched_cls', 76, 2, 'read')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 76, 4, 'read', { signExtend: true })).toBeUndefined();
    expect(checkContextAccess('sched_cls', 8, 4, 'write')?.field.name).toBe('mark');
    expect(checkContextAccess('sched_act', 0, 4, 'write')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 88, 4, 'read')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 180, 1, 'read')?.field.name).toBe('tstamp_type');
    expect(checkContextAccess('socket_filter', 180, 1, 'read')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 184, 8, 'write')).toBeUndefined();
    expect(checkContextAccess('sched_cls', 168, 8, 'read')?.loadType).toBe('PTR_TO_SOCK_COMMON_OR_NULL');
    expect(checkContextAccess('sched_cls', 192, 4, 'read')).toBeUndefined();
    expect(checkContextAccess('sched_cls', -4, 4, 'read')).toBeUndefined();
  });
  it('follow the kernel for xdp', () => {
    expect(checkContextAccess('xdp', 0, 4, 'read')?.loadType).toBe('PTR_TO_PACKET');
    expect(checkContextAccess('xdp', 8, 4, 'read')?.loadType).toBe('PTR_TO_PACKET_META');
    expect(checkContextAccess('xdp', 12, 2, 'read')).toBeUndefined();
    expect(checkContextAccess('xdp', 12, 4, 'write')).toBeUndefined();
    expect(checkContextAccess('xdp', 20, 4, 'read')).toBeUndefined();
    expect(checkContextAccess('xdp', 20, 4, 'read', { xdpDevmap: true })?.field.name).toBe('egress_ifindex');
  });

  // Differential: every aligned load/store of 1, 2, 4, 8 bytes over the context, through the kernel verifier.
  const loader = `#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
int main(int argc, char **argv) {
  int type = atoi(argv[1]), ctxSize = atoi(argv[2]);
  int sizes[] = { 1, 2, 4, 8 }, codes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
  for (int s = 0; s < 4; s++) for (int off = 0; off < ctxSize; off += sizes[s]) for (int write = 0; write < 2; write++) {
    struct bpf_insn load[] = {
      { .code = BPF_LDX | BPF_MEM | codes[s], .dst_reg = 0, .src_reg = 1, .off = off },
      { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
      { .code = BPF_JMP | BPF_EXIT },
    };
    struct bpf_insn stx[] = {
      { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = 0 },
      { .code = BPF_STX | BPF_MEM | codes[s], .dst_reg = 1, .src_reg = 2, .off = off },
      { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
      { .code = BPF_JMP | BPF_EXIT },
    };
    int fd = write ? bpf_prog_load(type, "ctx", "GPL", stx, 4, NULL) : bpf_prog_load(type, "ctx", "GPL", load, 3, NULL);
    if (fd < 0 && errno == EPERM) { printf("eperm\\n"); return 0; }
    if (fd >= 0) close(fd);
    printf("%d %d %d %d\\n", off, sizes[s], write, fd >= 0);
  }
  return 0;
}`;
  let loaderBuilt = false;
  const probe = (typeId: number, size: number) => {
    if (!loaderBuilt) {
      writeFileSync(join(workDir, 'access.c'), loader);
      execFileSync('gcc', ['-O1', '-o', join(workDir, 'access'), join(workDir, 'access.c'), '-lbpf']);
      loaderBuilt = true;
    }
    return execFileSync(join(workDir, 'access'), [String(typeId), String(size)]).toString();
  };
  const kernelTypes = [
    ['socket_filter', 1],
    ['sched_cls', 3],
    ['xdp', 6],
  ] as const;
  for (const [type, typeId] of kernelTypes) {
    it(`match the kernel verifier for every access of ${type}`, (context) => {
      const out = probe(typeId, CONTEXT_LAYOUTS[type]!.size);
      if (out.startsWith('eperm')) {
        if (process.env.CI === 'true') throw new Error('bpf() refused in CI');
        console.warn('SKIP: bpf() refused (EPERM); context access differential not run');
        context.skip();
      }
      const lines = out.trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual((CONTEXT_LAYOUTS[type]!.size / 8) * 15);
      for (const line of lines) {
        const [offset, size, write, accepted] = line.split(' ').map(Number);
        const ours = checkContextAccess(type, offset, size, write ? 'write' : 'read') !== undefined;
        expect(ours, `${type} ${write ? 'write' : 'read'} ${size}@${offset}`).toBe(accepted === 1);
      }
    });
  }
});
