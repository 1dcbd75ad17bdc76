// Checks the context struct tables against offsetof()/sizeof() of the system's uapi headers, compiled with gcc.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT_STRUCTS, type ContextStructName } from './context-structs.js';

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-ctx-structs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Members Linux 6.18 has that Debian's 6.1 uapi headers (linux-libc-dev) do not: they must come last. */
const NEWER_THAN_HEADERS: Partial<Record<ContextStructName, readonly string[]>> = {
  bpf_sock_ops: ['skb_hwtstamp'],
};

function headerLayout(struct: ContextStructName, names: readonly string[]): Map<string, [number, number]> {
  const source = `#include <stdio.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <asm/ptrace.h>
#define SHOW(f) printf("%s %zu %zu\\n", #f, offsetof(struct ${struct}, f), sizeof(((struct ${struct} *)0)->f));
int main(void) {
  printf("sizeof %zu 0\\n", sizeof(struct ${struct}));
${names.map((name) => `  SHOW(${name})`).join('\n')}
  return 0;
}`;
  const cPath = join(workDir, `${struct}.c`);
  writeFileSync(cPath, source);
  execFileSync('gcc', ['-O0', '-o', join(workDir, struct), cPath]);
  const out = execFileSync(join(workDir, struct)).toString().trim().split('\n');
  return new Map(
    out.map((line) => {
      const [name, offset, size] = line.split(' ');
      return [name, [Number(offset), Number(size)]] as const;
    }),
  );
}

describe('context structs', () => {
  for (const [struct, { size, fields }] of Object.entries(CONTEXT_STRUCTS) as [
    ContextStructName,
    (typeof CONTEXT_STRUCTS)[ContextStructName],
  ][]) {
    it(`${struct} offsets and sizes equal offsetof()/sizeof() in <linux/bpf.h>`, () => {
      const newer = NEWER_THAN_HEADERS[struct] ?? [];
      const known = fields.filter((field) => !newer.includes(field.name));
      const header = headerLayout(
        struct,
        known.map((field) => field.name),
      );
      for (const field of known)
        expect(header.get(field.name), `${struct}.${field.name}`).toEqual([field.offset, field.size]);
      const headerSize = header.get('sizeof')?.[0];
      // an older header ends where the first newer member starts
      const firstNewer = fields.find((field) => newer.includes(field.name));
      expect(headerSize).toBe(firstNewer === undefined ? size : firstNewer.offset);
      // only tail padding (below 8 bytes) follows the last member
      const end = Math.max(...fields.map((field) => field.offset + field.size));
      expect(size - end).toBeGreaterThanOrEqual(0);
      expect(size - end).toBeLessThan(8);
    });
  }
});
